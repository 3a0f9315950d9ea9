#include "loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_FDS 256
#define LOOP_MAX_TIMEOUTS 32

struct watch {
	int fd;              /* -1 when free */
	uint32_t gen;        /* tells this watch from an earlier one in the same slot */
	loop_fd_fn *fn;
	void *ctx;
};

struct timeout {
	int id;              /* 0 when free */
	uint64_t due_ms;
	loop_timeout_fn *fn;
	void *ctx;
};

struct loop {
	int epfd;
	bool quit;
	int next_id;
	uint32_t next_gen;
	struct watch watch[LOOP_MAX_FDS];
	struct timeout timeout[LOOP_MAX_TIMEOUTS];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int e = errno;

		free(l);
		errno = e;
		return NULL;
	}
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		l->watch[i].fd = -1;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l);
}

/* The slot and the watch's generation, so that an event queued for an fd
 * that was removed (and its slot reused, even by the same fd number) in the
 * same dispatch is recognised as stale. */
static uint64_t key(int slot, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)slot;
}

int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn *fn, void *ctx)
{
	struct epoll_event ev = { .events = events };

	for (int i = 0; i < LOOP_MAX_FDS; i++) {
		if (l->watch[i].fd >= 0)
			continue;
		ev.data.u64 = key(i, ++l->next_gen);
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return -errno;
		l->watch[i] = (struct watch){ fd, l->next_gen, fn, ctx };
		return 0;
	}
	return -EMFILE;
}

static int find(const struct loop *l, int fd)
{
	for (int i = 0; i < LOOP_MAX_FDS; i++)
		if (l->watch[i].fd == fd)
			return i;
	return -1;
}

int loop_modify(struct loop *l, int fd, uint32_t events)
{
	int i = find(l, fd);
	struct epoll_event ev = { .events = events };

	if (i < 0)
		return -ENOENT;
	ev.data.u64 = key(i, l->watch[i].gen);
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

int loop_remove(struct loop *l, int fd)
{
	int i = find(l, fd);

	if (i < 0)
		return -ENOENT;
	l->watch[i].fd = -1;
	return epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) < 0 ? -errno : 0;
}

int loop_timeout(struct loop *l, unsigned ms, loop_timeout_fn *fn, void *ctx)
{
	for (int i = 0; i < LOOP_MAX_TIMEOUTS; i++) {
		if (l->timeout[i].id)
			continue;
		if (++l->next_id <= 0)
			l->next_id = 1;
		l->timeout[i] = (struct timeout){ l->next_id, now_ms() + ms, fn, ctx };
		return l->next_id;
	}
	return -ENOSPC;
}

void loop_cancel(struct loop *l, int id)
{
	for (int i = 0; i < LOOP_MAX_TIMEOUTS; i++)
		if (id > 0 && l->timeout[i].id == id)
			l->timeout[i].id = 0;
}

/* Milliseconds until the earliest timeout, -1 (forever) when there is none. */
static int wait_ms(const struct loop *l)
{
	uint64_t now = now_ms(), first = UINT64_MAX;

	for (int i = 0; i < LOOP_MAX_TIMEOUTS; i++)
		if (l->timeout[i].id && l->timeout[i].due_ms < first)
			first = l->timeout[i].due_ms;
	if (first == UINT64_MAX)
		return -1;
	return first <= now ? 0 : first - now > 60000 ? 60000 : (int)(first - now);
}

static void run_timeouts(struct loop *l)
{
	uint64_t now = now_ms();

	for (int i = 0; i < LOOP_MAX_TIMEOUTS; i++) {
		struct timeout t = l->timeout[i];

		if (t.id && t.due_ms <= now) {
			l->timeout[i].id = 0;  /* free before the call: it may add another */
			t.fn(t.ctx);
		}
	}
}

int loop_run(struct loop *l)
{
	l->quit = false;
	while (!l->quit) {
		struct epoll_event ev[16];
		int n = epoll_wait(l->epfd, ev, 16, wait_ms(l));

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			struct watch w = l->watch[(uint32_t)ev[i].data.u64];

			/* A handler may have removed this fd during this dispatch. */
			if (w.fd >= 0 && key((int)(uint32_t)ev[i].data.u64, w.gen) == ev[i].data.u64)
				w.fn(w.ctx, w.fd, ev[i].events);
		}
		run_timeouts(l);
	}
	return 0;
}

void loop_quit(struct loop *l)
{
	l->quit = true;
}
