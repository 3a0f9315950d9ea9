#include "speech.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <soxr.h>

#include "cachekey.h"
#include "espeaklib.h"
#include "loudness.h"
#include "packname.h"
#include "pcm.h"
#include "safetext.h"
#include "wavfile.h"

/* Samples at or below -50 dBFS (104 of 32768) count as silence when trimming:
 * below espeak-ng's quietest consonants, above its rounding noise. */
#define SILENCE      104
/* Kept around the sound when trimming, so onsets and decays stay whole. */
#define LEAD_MS      10
#define TAIL_MS      25
/* Edge fades, long enough to hide any step at the cut, too short to hear. */
#define FADE_MS      5
#define MIN_RATE     8000
#define MAX_RATE     192000
#define FIRST_BUCKETS 64

/* One way of speaking: the espeak-ng settings and the output rate. */
struct profile {
	char *espeak;
	int rate;
	int pitch;
	unsigned out_rate;
	char *pack;             /* the voice pack's folder, or NULL */
};

/* Which file a pack held for a text when its entry was made: a recording
 * added, changed or removed since is another entry. */
struct stamp {
	bool present;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* A cached text; the clip's address is what speech_get hands out, so entries
 * are allocated one by one and never move. */
struct entry {
	struct entry *next;
	uint64_t hash;
	unsigned profile;
	struct stamp stamp;         /* with a pack: its file for this text */
	struct clip clip;
	char text[];
};

struct speech {
	struct profile *profiles;   /* every voice used, so old clips keep theirs */
	unsigned nprofiles;
	unsigned current;
	struct entry **buckets;
	size_t nbuckets;
	unsigned count;
	size_t bytes;
	int error;                  /* why the last speech_get failed */
	struct diskcache *cache;    /* or NULL */
	unsigned synthesized;       /* texts espeak-ng spoke */
	unsigned from_cache;        /* texts read from the cache */
	unsigned from_pack;         /* texts read from a voice pack */
	speech_warn_fn *warn;       /* hears about pack files that cannot be used */
	char engine_id[512];        /* espeak-ng's identity for cache keys, or "" */
};

/* Samples arriving from espeak-ng's callback. */
struct synth {
	int16_t *pcm;
	size_t n, cap, max;
	bool failed;
	bool too_long;              /* failed for running past max */
	bool interrupted;           /* stopped by speech_interrupt */
};

/* libespeak-ng's global state as far as we set it: whether it is loaded and
 * which voice it currently speaks with (so switching costs nothing when
 * nothing changed).  Only one thread uses speech, so no lock. */
static struct {
	const struct espeaklib *lib; /* loaded: espeaklib.h */
	bool initialized;           /* espeak_ng_Initialize succeeded */
	bool ready;                 /* ... and output is set up */
	int native_rate;
	bool has_voice;
	char voice[128];
	int rate;
	int pitch;
} engine;

/* Set from any thread to stop synthesis at its next block of samples. */
static atomic_bool interrupted;

void speech_interrupt(bool on)
{
	atomic_store(&interrupted, on);
}

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
	struct synth *b = events ? events->user_data : NULL;
	size_t need;

	if (b && atomic_load_explicit(&interrupted, memory_order_relaxed)) {
		b->failed = b->interrupted = true;
		return 1;
	}
	if (!b || !wav || n <= 0)
		return 0;
	need = b->n + (size_t)n;
	if (need > b->max) {
		b->failed = b->too_long = true;
		return 1;           /* stops the synthesis */
	}
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		int16_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(b->pcm, cap * sizeof(*p));
		if (!p) {
			b->failed = true;
			return 1;
		}
		b->pcm = p;
		b->cap = cap;
	}
	memcpy(b->pcm + b->n, wav, (size_t)n * sizeof(*wav));
	b->n = need;
	return 0;
}

static int engine_start(struct diag *err)
{
	espeak_ng_ERROR_CONTEXT context = NULL;
	espeak_ng_STATUS status = ENS_OK;
	char msg[256];

	if (engine.ready)
		return 0;
	if (!engine.lib && !(engine.lib = espeaklib_load(err)))
		return -1;
	/* The espeak_ng_ calls, unlike espeak_Initialize, report failures to us
	 * instead of printing them.  Initialize also sets LC_CTYPE to C.UTF-8
	 * for the whole process, which espeak-ng needs to classify letters. */
	if (!engine.initialized) {
		status = engine.lib->ng_Initialize(&context);
		engine.lib->ng_ClearErrorContext(&context);
		engine.initialized = status == ENS_OK;
	}
	if (status == ENS_OK)
		status = engine.lib->ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
	if (status != ENS_OK) {
		engine.lib->ng_GetStatusCodeMessage(status, msg, sizeof(msg));
		return diag_set(err, "espeak-ng", 0, 0, "cannot initialize: %s", msg);
	}
	engine.native_rate = engine.lib->ng_GetSampleRate();
	if (engine.native_rate < MIN_RATE || engine.native_rate > MAX_RATE)
		return diag_set(err, "espeak-ng", 0, 0, "unusable sample rate %d Hz",
				engine.native_rate);
	engine.lib->SetSynthCallback(on_samples);
	engine.ready = true;
	return 0;
}

/* Sets espeak-ng up to speak as P.  Returns 0, or an espeak-ng status. */
static espeak_ng_STATUS engine_use(const struct profile *p)
{
	espeak_ng_STATUS status;

	if (engine.has_voice && !strcmp(engine.voice, p->espeak) &&
	    engine.rate == p->rate && engine.pitch == p->pitch)
		return ENS_OK;
	engine.has_voice = false;
	status = engine.lib->ng_SetVoiceByName(p->espeak);
	/* After the voice: selecting one resets some parameters. */
	if (status == ENS_OK)
		status = engine.lib->ng_SetParameter(espeakRATE, p->rate, 0);
	if (status == ENS_OK)
		status = engine.lib->ng_SetParameter(espeakPITCH, p->pitch, 0);
	if (status != ENS_OK)
		return status;
	snprintf(engine.voice, sizeof(engine.voice), "%s", p->espeak);
	engine.rate = p->rate;
	engine.pitch = p->pitch;
	engine.has_voice = true;
	return ENS_OK;
}

static int check_voice(const struct voice *v, unsigned rate, struct diag *err)
{
	char where[160];

	if (!v || !v->espeak || !v->espeak[0])
		return diag_set(err, "speech", 0, 0, "no espeak-ng voice given");
	snprintf(where, sizeof(where), "voice '%s'", v->name ? v->name : v->espeak);
	if (strlen(v->espeak) >= sizeof(engine.voice))
		return diag_set(err, where, 0, 0, "espeak-ng voice name '%.40s...' too long",
				v->espeak);
	if (v->rate < espeakRATE_MINIMUM || v->rate > espeakRATE_MAXIMUM)
		return diag_set(err, where, 0, 0, "rate %d out of range (%d..%d words a minute)",
				v->rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM);
	if (v->pitch < 0 || v->pitch > 99)
		return diag_set(err, where, 0, 0, "pitch %d out of range (0..99)", v->pitch);
	if (rate < MIN_RATE || rate > MAX_RATE)
		return diag_set(err, "speech", 0, 0, "output rate %u Hz out of range (%d..%d)",
				rate, MIN_RATE, MAX_RATE);
	return 0;
}

/* Why espeak-ng cannot speak as V, located at the profile's espeak: line
 * when it is known ("voices/xx.yaml:1:9: error: ..."). */
static int voice_error(const struct voice *v, espeak_ng_STATUS status, struct diag *err)
{
	char where[160], msg[256];
	const char *path = v->path;

	if (!path) {
		snprintf(where, sizeof(where), "voice '%s'", v->name ? v->name : v->espeak);
		path = where;
	}
	if (status == ENS_VOICE_NOT_FOUND)
		return diag_set(err, path, v->espeak_line, v->espeak_column,
				"espeak-ng has no voice '%s' (expected one that espeak-ng --voices lists; "
				"an MBROLA voice needs its mbrola package)", v->espeak);
	engine.lib->ng_GetStatusCodeMessage(status, msg, sizeof(msg));
	return diag_set(err, path, v->espeak_line, v->espeak_column,
			"espeak-ng cannot use voice '%s': %s", v->espeak, msg);
}

int speech_check_voice(const struct voice *v, struct diag *err)
{
	struct profile want;
	espeak_ng_STATUS status;

	if (check_voice(v, MIN_RATE, err) < 0 || engine_start(err) < 0)
		return -1;
	want = (struct profile){ v->espeak, v->rate, v->pitch, MIN_RATE, NULL };
	status = engine_use(&want);
	return status == ENS_OK ? 0 : voice_error(v, status, err);
}

int speech_set_voice(struct speech *s, const struct voice *v, unsigned rate,
		     struct diag *err)
{
	struct profile want, *grown;
	espeak_ng_STATUS status;
	unsigned i;

	if (check_voice(v, rate, err) < 0)
		return -1;
	want = (struct profile){ v->espeak, v->rate, v->pitch, rate, NULL };
	/* Checked now only when espeak-ng already runs: starting it (and
	 * finding a voice: reading every voice file) is most of a warm start,
	 * when every sentence comes from the cache.  Otherwise the first
	 * sentence synthesized finds out (speech_error: -EINVAL). */
	status = engine.ready ? engine_use(&want) : ENS_OK;
	if (status != ENS_OK)
		return voice_error(v, status, err);
	for (i = 0; i < s->nprofiles; i++) {
		const struct profile *p = &s->profiles[i];

		if (!strcmp(p->espeak, want.espeak) && p->rate == want.rate &&
		    p->pitch == want.pitch && p->out_rate == want.out_rate &&
		    !(p->pack ? !v->pack || strcmp(p->pack, v->pack) : v->pack != NULL))
			break;
	}
	if (i == s->nprofiles) {
		grown = realloc(s->profiles, (s->nprofiles + 1) * sizeof(*grown));
		if (!grown)
			return diag_set(err, "speech", 0, 0, "out of memory");
		s->profiles = grown;
		want.espeak = strdup(v->espeak);
		want.pack = v->pack ? strdup(v->pack) : NULL;
		if (!want.espeak || (v->pack && !want.pack)) {
			free(want.espeak);
			free(want.pack);
			return diag_set(err, "speech", 0, 0, "out of memory");
		}
		s->profiles[s->nprofiles++] = want;
	}
	s->current = i;
	return 0;
}

struct speech *speech_new(const struct voice *v, unsigned rate, struct diag *err)
{
	struct speech *s;

	if (check_voice(v, rate, err) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto err_oom;
	s->buckets = calloc(FIRST_BUCKETS, sizeof(*s->buckets));
	if (!s->buckets)
		goto err_free_speech;
	s->nbuckets = FIRST_BUCKETS;
	if (speech_set_voice(s, v, rate, err) < 0) {
		speech_free(s);
		return NULL;
	}
	return s;

err_free_speech:
	free(s);
err_oom:
	diag_set(err, "speech", 0, 0, "out of memory");
	return NULL;
}

/* FNV-1a over the text, then the profile, so each voice has its own entries. */
static uint64_t hash_text(const char *text, unsigned profile)
{
	uint64_t h = 14695981039346656037ull;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (h ^ profile) * 1099511628211ull;
}

/* Doubles the bucket array when chains grow long; if memory is short the
 * table keeps working with longer chains. */
static void maybe_grow(struct speech *s)
{
	size_t n = s->nbuckets * 2;
	struct entry **b;

	if (s->count < s->nbuckets - s->nbuckets / 4)
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (size_t i = 0; i < s->nbuckets; i++) {
		struct entry *e = s->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->nbuckets = n;
}

/* Cuts B down to the sound plus LEAD_MS before and TAIL_MS after: espeak-ng
 * starts and ends every text with silence, which would delay each cue. */
static void trim(const int16_t *pcm, size_t n, unsigned rate, size_t *start, size_t *end)
{
	size_t first = 0, last = n, lead, tail;

	while (first < n && abs(pcm[first]) <= SILENCE)
		first++;
	if (first == n) {
		*start = *end = 0;
		return;
	}
	while (abs(pcm[last - 1]) <= SILENCE)
		last--;
	lead = (size_t)rate * LEAD_MS / 1000;
	tail = (size_t)rate * TAIL_MS / 1000;
	*start = first > lead ? first - lead : 0;
	*end = n - last > tail ? last + tail : n;
}

/* Speaks TEXT with the current profile into OUT at the output rate. */
static int synthesize(const struct speech *s, const char *text, struct clip *out)
{
	const struct profile *p = &s->profiles[s->current];
	struct synth b = { 0 };
	espeak_ng_STATUS status;
	size_t start, end;
	float *f;
	int rc;

	/* espeak-ng starts with the first sentence it must speak. */
	if (engine_start(&(struct diag){ 0 }) < 0 || engine_use(p) != ENS_OK)
		return -EINVAL;
	b.max = (size_t)engine.native_rate * SPEECH_MAX_SECONDS;
	status = engine.lib->ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
					 espeakCHARS_UTF8, NULL, &b);
	if (status != ENS_OK || b.failed) {
		free(b.pcm);
		return b.interrupted ? -ECANCELED : b.too_long ? -EFBIG : b.failed ? -ENOMEM : -EIO;
	}
	trim(b.pcm, b.n, (unsigned)engine.native_rate, &start, &end);
	if (start == end) {
		free(b.pcm);
		*out = (struct clip){ 0 };
		return 0;
	}
	f = malloc((end - start) * sizeof(*f));
	if (!f) {
		free(b.pcm);
		return -ENOMEM;
	}
	for (size_t i = start; i < end; i++)
		f[i - start] = b.pcm[i] / 32768.0f;
	free(b.pcm);
	/* Resampled once, here, so nothing downstream ever converts rates. */
	rc = pcm_resample(f, end - start, (unsigned)engine.native_rate, p->out_rate, out);
	free(f);
	if (rc < 0)
		return rc;
	pcm_fade(out, p->out_rate * FADE_MS / 1000);
	return 0;
}

/* The cache key of TEXT spoken with the current profile (malloc'd), or NULL
 * when espeak-ng's identity is unknown (it cannot be loaded). */
static char *cache_key(struct speech *s, const char *text)
{
	const struct profile *p = &s->profiles[s->current];
	char processing[96];

	/* Once per speech object: a stamp read, or the library loaded. */
	if (!s->engine_id[0] &&
	    espeaklib_identity(s->cache, s->engine_id, sizeof(s->engine_id), &(struct diag){ 0 }) < 0)
		return NULL;

	/* What trim and synthesize do to espeak-ng's samples: changing any of
	 * these makes other samples, so other keys. */
	snprintf(processing, sizeof(processing), "silence %d, lead %d ms, tail %d ms, fade %d ms",
		 SILENCE, LEAD_MS, TAIL_MS, FADE_MS);
	return cachekey_speech(&(struct speech_key){
		.text = text, .espeak = p->espeak, .rate = p->rate, .pitch = p->pitch,
		.out_rate = p->out_rate, .engine = s->engine_id,
		.resampler = soxr_version(), .processing = processing,
	});
}

/* Fills OUT with the cache entry for KEY, mapped from its file: no
 * anonymous memory, and pages only while they are used.  Returns true on a
 * hit; a payload that cannot be samples of a text counts as a miss. */
static bool from_cache(const struct speech *s, const char *key, struct clip *out)
{
	const struct profile *p = &s->profiles[s->current];
	struct diskcache_mapping m;

	if (diskcache_map(s->cache, key, &m) < 0)
		return false;
	if (m.len % sizeof(*out->pcm) ||
	    m.len / sizeof(*out->pcm) > (size_t)p->out_rate * SPEECH_MAX_SECONDS) {
		munmap(m.map, m.map_len);
		return false;
	}
	/* The payload is aligned in its file (diskcache.h); the cast drops
	 * only the const of a read-only mapping, which nothing writes. */
	*out = (struct clip){ (int16_t *)(uintptr_t)m.data, (uint32_t)(m.len / sizeof(*out->pcm)),
			      m.map, m.map_len };
	return true;
}

/* TEXT's samples from the disk cache, else from espeak-ng (then stored). */
static int speak(struct speech *s, const char *text, struct clip *out)
{
	char *key = s->cache ? cache_key(s, text) : NULL;
	int rc;

	if (key && from_cache(s, key, out)) {
		free(key);
		s->from_cache++;
		return 0;
	}
	rc = synthesize(s, text, out);
	if (rc == 0) {
		s->synthesized++;
		/* A full or read-only disk only costs the next start its speed:
		 * the cache's counters say so. */
		if (key && diskcache_put(s->cache, key, out->pcm,
					 (size_t)out->frames * sizeof(*out->pcm)) == 0) {
			struct clip mapped;

			/* Played from the file it was just stored in, as a
			 * warm start would: the same samples, no anonymous
			 * memory kept. */
			if (from_cache(s, key, &mapped)) {
				clip_free(out);
				*out = mapped;
			}
		}
	}
	free(key);
	return rc;
}

/* The pack file for TEXT with the current profile into PATH, and what is
 * there now into *NOW.  A file that cannot even be looked at (a folder
 * without search permission) counts as present, so that loading it says why. */
static void pack_look(const struct speech *s, const char *text, char *path, size_t size,
		      struct stamp *now)
{
	const struct profile *p = &s->profiles[s->current];
	char name[PACKNAME_MAX];
	struct stat st;

	*now = (struct stamp){ 0 };
	snprintf(path, size, "%s/%s", p->pack, packname_of(text, name, sizeof(name)));
	if (stat(path, &st) == 0)
		*now = (struct stamp){ true, st.st_dev, st.st_ino, st.st_size, st.st_mtim };
	else
		now->present = errno != ENOENT && errno != ENOTDIR;
}

static bool same_stamp(const struct stamp *a, const struct stamp *b)
{
	return a->present == b->present && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Reads the recording at PATH for TEXT into OUT as speech: at the output
 * rate, its silence trimmed as espeak-ng's is, as loud as espeak-ng's, edges
 * faded.  Returns 0; -1 with WHY filled when it cannot be used; -ENOMEM. */
static int from_pack(const struct speech *s, const char *path, struct clip *out,
		     char *why, size_t size)
{
	unsigned rate = s->profiles[s->current].out_rate;
	size_t start, end;
	int rc = wavfile_load(path, rate, SPEECH_MAX_SECONDS, "a sentence", out, why, size);

	if (rc < 0)
		return rc;
	trim(out->pcm, out->frames, rate, &start, &end);
	if (start == end) {
		free(out->pcm);
		snprintf(why, size, "no sound in it (every sample below -50 dBFS)");
		return -1;
	}
	memmove(out->pcm, out->pcm + start, (end - start) * sizeof(*out->pcm));
	out->frames = (uint32_t)(end - start);
	loudness_match(out, rate, SPEECH_LUFS);
	pcm_fade(out, rate * FADE_MS / 1000);
	return 0;
}

/* TEXT's samples from the pack when it has them, else as speak() makes them;
 * a file there that cannot be used is reported and spoken by espeak-ng. */
static int speak_or_play(struct speech *s, const char *text, const char *path,
			 const struct stamp *now, struct clip *out)
{
	char why[256], msg[4096 + 1024];
	int rc;

	if (!now->present)
		return speak(s, text, out);
	rc = from_pack(s, path, out, why, sizeof(why));
	if (rc == 0) {
		s->from_pack++;
		return 0;
	}
	if (rc == -ENOMEM)
		return rc;
	if (s->warn) {
		snprintf(msg, sizeof(msg), "%s: %s; espeak-ng says \"%s\" instead", path, why, text);
		safetext_clean(msg);
		s->warn(msg);
	}
	return speak(s, text, out);
}

const struct clip *speech_get(struct speech *s, const char *text)
{
	char path[4096 + PACKNAME_MAX];
	struct stamp now = { 0 };
	bool pack;
	size_t len;
	uint64_t h;
	struct entry *e;

	if (!s || !text)
		return NULL;
	pack = s->profiles[s->current].pack != NULL;
	if (pack)
		pack_look(s, text, path, sizeof(path), &now);
	h = hash_text(text, s->current);
	for (e = s->buckets[h & (s->nbuckets - 1)]; e; e = e->next)
		if (e->hash == h && e->profile == s->current && !strcmp(e->text, text) &&
		    same_stamp(&e->stamp, &now))
			return &e->clip;
	if (atomic_load(&interrupted)) {
		s->error = -ECANCELED;
		return NULL;
	}
	len = strlen(text);
	e = malloc(sizeof(*e) + len + 1);
	if (!e) {
		s->error = -ENOMEM;
		return NULL;
	}
	e->clip = (struct clip){ 0 };
	s->error = pack ? speak_or_play(s, text, path, &now, &e->clip) : speak(s, text, &e->clip);
	if (s->error < 0) {
		free(e);
		return NULL;
	}
	memcpy(e->text, text, len + 1);
	e->hash = h;
	e->profile = s->current;
	e->stamp = now;
	maybe_grow(s);
	e->next = s->buckets[h & (s->nbuckets - 1)];
	s->buckets[h & (s->nbuckets - 1)] = e;
	s->count++;
	s->bytes += (size_t)e->clip.frames * sizeof(*e->clip.pcm);
	return &e->clip;
}

int speech_take(struct speech *s, const char *text, struct clip *out)
{
	char path[4096 + PACKNAME_MAX];
	struct stamp now;

	if (!s || !text)
		return -1;
	if (atomic_load(&interrupted)) {
		s->error = -ECANCELED;
		return -1;
	}
	*out = (struct clip){ 0 };
	if (s->profiles[s->current].pack) {
		pack_look(s, text, path, sizeof(path), &now);
		s->error = speak_or_play(s, text, path, &now, out);
	} else {
		s->error = speak(s, text, out);
	}
	if (s->error < 0)
		return -1;
	s->count++;
	s->bytes += (size_t)out->frames * sizeof(*out->pcm);
	return 0;
}

int speech_error(const struct speech *s)
{
	return s ? s->error : -EINVAL;
}

void speech_set_cache(struct speech *s, struct diskcache *cache)
{
	s->cache = cache;
}

void speech_set_warn(struct speech *s, speech_warn_fn *warn)
{
	s->warn = warn;
}

unsigned speech_pack_count(const struct speech *s)
{
	return s ? s->from_pack : 0;
}

void speech_counts(const struct speech *s, unsigned *synthesized, unsigned *from_cache)
{
	if (synthesized)
		*synthesized = s ? s->synthesized : 0;
	if (from_cache)
		*from_cache = s ? s->from_cache : 0;
}

void speech_stats(const struct speech *s, unsigned *texts, size_t *bytes)
{
	if (texts)
		*texts = s ? s->count : 0;
	if (bytes)
		*bytes = s ? s->bytes : 0;
}

void speech_free(struct speech *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nbuckets; i++) {
		struct entry *e = s->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			clip_free(&e->clip);
			free(e);
		}
	}
	free(s->buckets);
	for (unsigned i = 0; i < s->nprofiles; i++) {
		free(s->profiles[i].espeak);
		free(s->profiles[i].pack);
	}
	free(s->profiles);
	free(s);
}
