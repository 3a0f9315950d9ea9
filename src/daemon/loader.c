#include "loader.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"

#define LOADER_MAX_RESULTS 4

struct job {
	unsigned id;
	char routine[4096];
	char voices[4096];
	char sounds[4096];
	char voice[64];
	char history[4096];        /* "" for none */
	unsigned rate;
	unsigned tone_percent;
	enum plan_style style;
};

struct result {
	unsigned id;               /* the job's */
	struct bundle *bundle;     /* NULL on error, or for a say job */
	struct clip *said;         /* a say job's clip (malloc'd, ours until handed over) */
	bool is_say;
	struct diag err;
};

struct loader {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int efd;
	struct loop *loop;
	loader_done_fn *done;
	loader_said_fn *said;
	void *ctx;
	bool quit, has_job, has_say;
	struct job job;
	unsigned last_id;          /* of the latest request */
	char say[512];
	struct result results[LOADER_MAX_RESULTS];
	unsigned nresults;
	struct speech *speech;     /* only the worker thread touches it */
	struct diskcache *cache;   /* the speech cache on disk, or NULL */
	bool cache_opened;         /* tried once, by the worker */
};

static void warn_sound(const char *message)
{
	log_warn("%s", message);
}

/* Loads one job; runs on the worker thread without the lock. */
static struct result load(struct loader *ld, const struct job *j)
{
	struct bundle_files f = {
		.routine = j->routine, .voices_dir = j->voices, .sounds_dir = j->sounds,
		.voice = j->voice, .tone_percent = j->tone_percent, .style = j->style,
		.history = j->history[0] ? j->history : NULL,
	};
	struct result r = { .id = j->id };
	unsigned synthesized, cached;

	if (!ld->cache_opened) {
		struct diag err;

		ld->cache_opened = true;
		ld->cache = diskcache_open_default(&err);
		if (!ld->cache && err.text[0])
			log_warn("%s: speech is synthesized at every start", err.text);
	}
	f.cache = ld->cache;
	r.bundle = malloc(sizeof(*r.bundle));
	if (!r.bundle) {
		diag_set(&r.err, j->routine, 0, 0, "out of memory");
		return r;
	}
	if (bundle_load(r.bundle, &f, j->rate, &ld->speech, &r.err, warn_sound) < 0) {
		free(r.bundle);
		r.bundle = NULL;
	}
	/* What the speech cost, for `coachd -v` and the tests: a restart with a
	 * warm cache synthesizes nothing. */
	speech_counts(ld->speech, &synthesized, &cached);
	log_debug("speech: %u texts synthesized, %u read from the cache%s%s", synthesized,
		  cached, ld->cache ? " in " : " (no cache)",
		  ld->cache ? diskcache_path(ld->cache) : "");
	if (r.bundle && r.bundle->voice.pack)
		log_debug("speech: %u texts read from voice packs, the latest %s",
			  speech_pack_count(ld->speech), r.bundle->voice.pack);
	return r;
}

/* TEXT spoken, taken from the speech object so that it keeps nothing of it:
 * messages said on demand (a count, an error, where the session is) are
 * each heard once, and freed by the daemon once played.  NULL when nothing
 * could be spoken (no voice loaded yet, out of memory). */
static struct clip *say(struct loader *ld, const char *text)
{
	struct clip *c = ld->speech ? malloc(sizeof(*c)) : NULL;

	if (c && speech_take(ld->speech, text, c) < 0) {
		free(c);
		c = NULL;
	}
	return c;
}

static void free_result(struct result *r)
{
	if (r->bundle) {
		bundle_free(r->bundle);
		free(r->bundle);
	}
	loader_free_said(r->said);
}

void loader_free_said(struct clip *c)
{
	if (!c)
		return;
	clip_free(c);
	free(c);
}

static void *worker(void *arg)
{
	struct loader *ld = arg;

	pthread_mutex_lock(&ld->lock);
	for (;;) {
		struct job j;
		struct result r;
		uint64_t one = 1;

		while (!ld->quit && !ld->has_job && !ld->has_say)
			pthread_cond_wait(&ld->wake, &ld->lock);
		if (ld->quit)
			break;
		/* A sentence to say first: it is short, and someone is waiting. */
		if (ld->has_job && !ld->has_say) {
			j = ld->job;
			ld->has_job = false;
			pthread_mutex_unlock(&ld->lock);
			r = load(ld, &j);
		} else {
			char text[sizeof(ld->say)];

			memcpy(text, ld->say, sizeof(text));
			ld->has_say = false;
			pthread_mutex_unlock(&ld->lock);
			r = (struct result){ .is_say = true, .said = say(ld, text) };
		}
		pthread_mutex_lock(&ld->lock);
		/* The loop takes results faster than loads finish; should it fall
		 * behind, the newest result is the one worth keeping. */
		if (ld->nresults == LOADER_MAX_RESULTS) {
			free_result(&ld->results[0]);
			memmove(ld->results, ld->results + 1, sizeof(ld->results[0]) * --ld->nresults);
		}
		ld->results[ld->nresults++] = r;
		if (write(ld->efd, &one, sizeof(one)) < 0)
			continue;  /* the counter is saturated: the loop will read it anyway */
	}
	pthread_mutex_unlock(&ld->lock);
	return NULL;
}

static void on_results(void *ctx, int fd, uint32_t events)
{
	struct loader *ld = ctx;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	for (;;) {
		struct result r;

		pthread_mutex_lock(&ld->lock);
		if (ld->nresults == 0) {
			pthread_mutex_unlock(&ld->lock);
			return;
		}
		r = ld->results[0];
		memmove(ld->results, ld->results + 1, sizeof(ld->results[0]) * --ld->nresults);
		pthread_mutex_unlock(&ld->lock);
		if (r.is_say)
			ld->said(ld->ctx, r.said);
		else
			ld->done(ld->ctx, r.id, r.bundle, r.bundle ? NULL : &r.err);
	}
}

struct loader *loader_new(struct loop *l, loader_done_fn *done, loader_said_fn *said, void *ctx)
{
	struct loader *ld = calloc(1, sizeof(*ld));
	int e;

	if (!ld)
		return NULL;
	ld->loop = l;
	ld->done = done;
	ld->said = said;
	ld->ctx = ctx;
	ld->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ld->efd < 0)
		goto err_free;
	e = loop_add(l, ld->efd, EPOLLIN, on_results, ld);
	if (e < 0) {
		errno = -e;
		goto err_close;
	}
	pthread_mutex_init(&ld->lock, NULL);
	pthread_cond_init(&ld->wake, NULL);
	e = pthread_create(&ld->thread, NULL, worker, ld);
	if (e) {
		errno = e;
		goto err_remove;
	}
	return ld;

err_remove:
	loop_remove(l, ld->efd);
	pthread_cond_destroy(&ld->wake);
	pthread_mutex_destroy(&ld->lock);
err_close:
	close(ld->efd);
err_free:
	free(ld);
	return NULL;
}

void loader_free(struct loader *ld)
{
	if (!ld)
		return;
	pthread_mutex_lock(&ld->lock);
	ld->quit = true;
	pthread_cond_signal(&ld->wake);
	pthread_mutex_unlock(&ld->lock);
	/* A load in progress (a minute of synthesis on a Pi) gives up at once:
	 * a stop must not wait for it, nor a systemd stop time out. */
	speech_interrupt(true);
	pthread_join(ld->thread, NULL);
	speech_interrupt(false);
	for (unsigned i = 0; i < ld->nresults; i++)
		free_result(&ld->results[i]);
	loop_remove(ld->loop, ld->efd);
	close(ld->efd);
	if (ld->speech)
		speech_free(ld->speech);
	diskcache_free(ld->cache);
	pthread_cond_destroy(&ld->wake);
	pthread_mutex_destroy(&ld->lock);
	free(ld);
}

unsigned loader_request(struct loader *ld, const struct bundle_files *f, unsigned rate)
{
	struct job j = { .rate = rate, .tone_percent = f->tone_percent, .style = f->style };
	unsigned id;

	snprintf(j.routine, sizeof(j.routine), "%s", f->routine);
	snprintf(j.voices, sizeof(j.voices), "%s", f->voices_dir);
	snprintf(j.sounds, sizeof(j.sounds), "%s", f->sounds_dir);
	snprintf(j.voice, sizeof(j.voice), "%s", f->voice);
	snprintf(j.history, sizeof(j.history), "%s", f->history ? f->history : "");
	pthread_mutex_lock(&ld->lock);
	id = ++ld->last_id ? ld->last_id : ++ld->last_id;
	j.id = id;
	ld->job = j;
	ld->has_job = true;
	pthread_cond_signal(&ld->wake);
	pthread_mutex_unlock(&ld->lock);
	return id;
}

void loader_say(struct loader *ld, const char *text)
{
	pthread_mutex_lock(&ld->lock);
	snprintf(ld->say, sizeof(ld->say), "%s", text);
	ld->has_say = true;
	pthread_cond_signal(&ld->wake);
	pthread_mutex_unlock(&ld->lock);
}
