/* Live playback through PortAudio.
 *
 * Ownership of the engine moves with the stream: while the stream runs, only
 * the callback touches the engine; while it is stopped (idle, lost device),
 * only the main thread does.  Pa_StopStream and Pa_AbortStream return after
 * the last callback, so the hand-over needs no lock. */
#include "player.h"

#include <dirent.h>
#include <errno.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "audiohost.h"
#include "engine.h"
#include "log.h"

#define RING_SIZE 64          /* controls in flight; a power of two */
#define CHUNK 1024            /* frames the engine renders at a time */
#define STALL_MS 1500         /* no callback for this long: the device is gone */
#define RETRY_MS 2000         /* between attempts to reopen a lost device */
#define TICK_MS 250           /* housekeeping while the stream runs */
#define AUDIO_FDS 16          /* descriptors a stream may need (ALSA, a sound server's socket, memfds, pipes) */

struct command {
	enum { CMD_CONTROL, CMD_CLIP, CMD_VOLUME } kind;
	enum session_control control;
	const struct clip *clip;
	float volume;
	uint64_t sent_ns;
};

struct player {
	struct player_config cfg;   /* cfg.device points at want_device */
	char want_device[128];      /* the configured name: ours, as the config may be reloaded */
	char device[128];           /* the device opened last */
	PaStream *stream;
	int channels;
	bool pa_ready;
	bool active;              /* the stream is started: the callback owns the engine */
	bool lost;                /* the device is lost or could not be opened */
	bool resume_when_back;    /* the session was running when the device went */
	unsigned attempts;
	uint64_t retry_at_ms;
	uint64_t seen_callbacks, seen_at_ms;
	uint64_t quiet_since_ms;  /* when nothing was left to play; 0 while playing */
	const struct bundle *bundle;
	struct engine engine;

	/* Controls: the main thread writes head, the callback tail. */
	struct command ring[RING_SIZE];
	atomic_uint head, tail;

	/* The snapshot, under a sequence lock: odd while being written. */
	atomic_uint seq;
	atomic_int snap_state;
	atomic_uint_least64_t snap_pos;
	atomic_uint snap_sessions;
	atomic_bool snap_at_wait, snap_sounding;
	atomic_uint snap_latency_us;
	atomic_uint_least64_t callbacks;

	float mono[CHUNK];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* vDSO on Linux: no system call, so the callback may use it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

static void publish(struct player *p)
{
	unsigned s = atomic_load_explicit(&p->seq, memory_order_relaxed);
	const struct session *ss = &p->engine.session;

	atomic_store_explicit(&p->seq, s + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&p->snap_state, ss->state, memory_order_relaxed);
	atomic_store_explicit(&p->snap_pos, ss->pos, memory_order_relaxed);
	atomic_store_explicit(&p->snap_sessions, ss->sessions, memory_order_relaxed);
	atomic_store_explicit(&p->snap_at_wait, ss->at_wait, memory_order_relaxed);
	atomic_store_explicit(&p->snap_sounding, mixer_busy(&p->engine.mixer), memory_order_relaxed);
	atomic_store_explicit(&p->seq, s + 2, memory_order_release);
}

/* Applies the controls waiting in the ring.  Runs on whichever thread owns
 * the engine. */
static void drain(struct player *p)
{
	unsigned head = atomic_load_explicit(&p->head, memory_order_acquire);
	unsigned tail = atomic_load_explicit(&p->tail, memory_order_relaxed);

	for (; tail != head; tail++) {
		const struct command *c = &p->ring[tail % RING_SIZE];
		uint64_t waited = now_ns() - c->sent_ns;

		if (c->kind == CMD_CLIP)
			mixer_play(&p->engine.mixer, c->clip, 0);
		else if (c->kind == CMD_VOLUME)
			p->engine.mixer.volume = c->volume;
		else
			engine_control(&p->engine, c->control);
		atomic_store_explicit(&p->snap_latency_us, (unsigned)(waited / 1000),
				      memory_order_relaxed);
	}
	atomic_store_explicit(&p->tail, tail, memory_order_release);
}

static int callback(const void *input, void *output, unsigned long frames,
		    const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *data)
{
	struct player *p = data;
	float *out = output;

	(void)input;
	(void)time;
	(void)flags;
	drain(p);
	while (frames > 0) {
		uint32_t n = frames < CHUNK ? (uint32_t)frames : CHUNK;

		engine_run(&p->engine, p->mono, n);
		for (uint32_t i = 0; i < n; i++)
			for (int c = 0; c < p->channels; c++)
				*out++ = p->mono[i];
		frames -= n;
	}
	publish(p);
	atomic_fetch_add_explicit(&p->callbacks, 1, memory_order_relaxed);
	return paContinue;
}

/* The device named in the config: PortAudio's default for "default", else the
 * first output device whose name contains it (case-insensitive). */
static PaDeviceIndex find_device(const char *name)
{
	int n = Pa_GetDeviceCount();

	if (!name || strcasecmp(name, "default") == 0)
		return Pa_GetDefaultOutputDevice();
	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (d && d->maxOutputChannels > 0 && strcasestr(d->name, name))
			return i;
	}
	return paNoDevice;
}

static void log_device_line(const char *text)
{
	log_info("  %s", text);
}

void player_list_devices(void (*line)(const char *text))
{
	int n = Pa_GetDeviceCount();

	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		char text[256];

		if (!d || d->maxOutputChannels <= 0)
			continue;
		snprintf(text, sizeof(text), "%d: %s (%d channels, %.0f Hz)%s", i, d->name,
			 d->maxOutputChannels, d->defaultSampleRate,
			 i == Pa_GetDefaultOutputDevice() ? " [default]" : "");
		line(text);
	}
}

/* Whether AUDIO_FDS descriptors are free.  Out of descriptors, alsa-lib and
 * the libraries under it fail in ways of their own (an abort, a retry loop,
 * an error printed and a device that seems to be missing): check first, and
 * say what is wrong.  Runs only when a device is opened or looked for. */
static bool fds_available(struct player *p)
{
	struct rlimit rl;
	DIR *dir;
	unsigned open_fds = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return true;
	dir = opendir("/proc/self/fd");
	if (!dir)
		return rl.rlim_cur >= 2 * AUDIO_FDS;
	while (readdir(dir))
		open_fds++;
	closedir(dir);
	open_fds = open_fds > 3 ? open_fds - 3 : 0;   /* ".", ".." and the listing's own */
	if (open_fds + AUDIO_FDS <= rl.rlim_cur)
		return true;
	if (p->attempts++ == 0)
		log_error("audio: %u of the %lu file descriptors allowed (ulimit -n, LimitNOFILE=) are "
			  "in use, and audio needs %d more; no sound until there are",
			  open_fds, (unsigned long)rl.rlim_cur, AUDIO_FDS);
	return false;
}

/* Says that no output device matches, with what is there: once per loss,
 * not at every retry. */
static void log_no_device(struct player *p)
{
	if (p->attempts++ == 0) {
		log_error("audio: no output device matches '%s'; these are available:", p->cfg.device);
		player_list_devices(log_device_line);
	}
}

/* Opens the configured device.  Logs what it chose, or why it could not. */
static int open_stream(struct player *p)
{
	PaStreamParameters out = { 0 };
	const PaDeviceInfo *info;
	const PaStreamInfo *si;
	PaError e;

	if (!fds_available(p))
		return -ENODEV;
	if (!p->pa_ready) {
		e = audiohost_initialize(p->cfg.device, p->cfg.verbose);
		if (e != paNoError) {
			log_error("audio: cannot initialize PortAudio: %s", Pa_GetErrorText(e));
			return -ENODEV;
		}
		p->pa_ready = true;
	}
	out.device = find_device(p->cfg.device);
	if (out.device == paNoDevice) {
		log_no_device(p);
		return -ENODEV;
	}
	info = Pa_GetDeviceInfo(out.device);
	p->channels = info->maxOutputChannels >= 2 ? 2 : 1;
	out.channelCount = p->channels;
	out.sampleFormat = paFloat32;
	out.suggestedLatency = p->cfg.latency_ms / 1000.0;
	e = Pa_OpenStream(&p->stream, NULL, &out, p->cfg.rate, paFramesPerBufferUnspecified,
			  paClipOff | paDitherOff, callback, p);
	if (e != paNoError) {
		if (p->attempts++ == 0)
			log_error("audio: cannot open '%s' at %u Hz: %s", info->name, p->cfg.rate,
				  Pa_GetErrorText(e));
		p->stream = NULL;
		return -ENODEV;
	}
	si = Pa_GetStreamInfo(p->stream);
	/* Said once, and again when it changes: the stream opens at every session. */
	log_msg(strcmp(p->device, info->name) ? LOG_INFO : LOG_DEBUG,
		"audio: %s, %u Hz, %d channel%s, latency %.0f ms", info->name, p->cfg.rate,
		p->channels, p->channels > 1 ? "s" : "", si ? si->outputLatency * 1000 : 0.0);
	snprintf(p->device, sizeof(p->device), "%s", info->name);
	p->attempts = 0;
	return 0;
}

static void close_stream(struct player *p, bool abort)
{
	if (!p->stream)
		return;
	if (p->active)
		(abort ? Pa_AbortStream : Pa_StopStream)(p->stream);
	Pa_CloseStream(p->stream);
	p->stream = NULL;
	p->active = false;
}

/* Starts the stream (opening the device first if needed).  On failure the
 * main thread keeps the engine and the device counts as lost. */
static int start(struct player *p)
{
	PaError e;

	if (p->active)
		return 0;
	if (!p->stream && open_stream(p) < 0)
		return -ENODEV;
	p->seen_callbacks = atomic_load(&p->callbacks);
	p->seen_at_ms = now_ms();
	e = Pa_StartStream(p->stream);
	if (e != paNoError) {
		log_error("audio: cannot start '%s': %s", p->device, Pa_GetErrorText(e));
		close_stream(p, true);
		return -ENODEV;
	}
	p->active = true;
	return 0;
}

/* The device is gone: take the engine back, pause the session in silence,
 * and retry later. */
static void lose_device(struct player *p)
{
	close_stream(p, true);
	drain(p);
	p->resume_when_back = p->engine.session.state == SESSION_RUNNING;
	if (p->resume_when_back)
		engine_control(&p->engine, SESSION_PAUSE);
	mixer_clear(&p->engine.mixer);
	publish(p);
	p->lost = true;
	p->retry_at_ms = now_ms() + RETRY_MS;
}

/* Asks for room: a soft descriptor limit below the hard one is raised to
 * it (capped), as every program that opens many files may. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= 4096 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* The device is missing or cannot be used: retried every RETRY_MS. */
static void mark_lost(struct player *p)
{
	p->lost = true;
	p->retry_at_ms = now_ms() + RETRY_MS;
}

/* Initializes PortAudio and checks the configured device is there, so that
 * an idle status can say whether a session would sound.  Returns 0, or
 * -ENODEV when there is no usable device (logged). */
static int probe(struct player *p)
{
	PaError e;

	if (!fds_available(p))
		return -ENODEV;
	if (p->pa_ready) {
		audiohost_terminate();
		p->pa_ready = false;
	}
	e = audiohost_initialize(p->cfg.device, p->cfg.verbose);
	if (e != paNoError) {
		if (p->attempts++ == 0)
			log_error("audio: cannot initialize PortAudio: %s; retrying every %d s",
				  Pa_GetErrorText(e), RETRY_MS / 1000);
		return -ENODEV;
	}
	p->pa_ready = true;
	if (find_device(p->cfg.device) == paNoDevice) {
		log_no_device(p);
		return -ENODEV;
	}
	p->attempts = 0;
	return 0;
}

struct player *player_new(const struct player_config *cfg, struct diag *err)
{
	struct player *p = calloc(1, sizeof(*p));

	if (!p) {
		diag_set(err, "audio", 0, 0, "out of memory");
		return NULL;
	}
	p->cfg = *cfg;
	snprintf(p->want_device, sizeof(p->want_device), "%s", cfg->device ? cfg->device : "default");
	p->cfg.device = p->want_device;
	raise_fd_limit();
	/* Not fatal: the daemon keeps its socket and buttons and retries. */
	if (probe(p) < 0)
		mark_lost(p);
	return p;
}

void player_free(struct player *p)
{
	if (!p)
		return;
	if (p->active) {
		/* Fade what is playing, let it out, then close. */
		struct timespec fade = { 0, (SESSION_FADE_MS + p->cfg.latency_ms) * 1000000L };

		player_control(p, SESSION_STOP);
		nanosleep(&fade, NULL);
	}
	close_stream(p, false);
	if (p->pa_ready)
		audiohost_terminate();
	free(p);
}

int player_set_bundle(struct player *p, const struct bundle *b)
{
	unsigned sessions = p->engine.session.sessions;
	enum session_state st = p->engine.session.state;

	if (p->active || (p->bundle && st != SESSION_IDLE && st != SESSION_FINISHED))
		return -EBUSY;
	p->bundle = b;
	engine_init(&p->engine, &b->plan, b->texts, b->sounds, p->cfg.volume, false);
	engine_set_gentle(&p->engine, p->cfg.gentle_ms);
	p->engine.session.sessions = sessions;
	publish(p);
	return 0;
}

/* Queues a command for the engine and makes sure someone will apply it. */
static int send_command(struct player *p, struct command cmd)
{
	unsigned head = atomic_load_explicit(&p->head, memory_order_relaxed);
	unsigned tail = atomic_load_explicit(&p->tail, memory_order_acquire);

	if (!p->bundle)
		return -ENOENT;
	if (head - tail >= RING_SIZE)
		return -EAGAIN;
	cmd.sent_ns = now_ns();
	p->ring[head % RING_SIZE] = cmd;
	atomic_store_explicit(&p->head, head + 1, memory_order_release);
	if (p->active)
		return 0;
	if (!p->lost && start(p) == 0)
		return 0;
	/* No device: the main thread owns the engine and applies it itself. */
	drain(p);
	if (p->engine.session.state == SESSION_RUNNING) {
		p->resume_when_back = true;
		engine_control(&p->engine, SESSION_PAUSE);
	} else {
		p->resume_when_back = false;
	}
	mixer_clear(&p->engine.mixer);
	publish(p);
	if (!p->lost) {
		p->lost = true;
		p->retry_at_ms = now_ms() + RETRY_MS;
	}
	return -ENODEV;
}

int player_control(struct player *p, enum session_control c)
{
	return send_command(p, (struct command){ .kind = CMD_CONTROL, .control = c });
}

int player_say(struct player *p, const struct clip *clip)
{
	return send_command(p, (struct command){ .kind = CMD_CLIP, .clip = clip });
}

void player_set_gentle(struct player *p, unsigned ms)
{
	p->cfg.gentle_ms = ms;
}

void player_set_output(struct player *p, const char *device, unsigned latency_ms)
{
	if (!strcmp(p->want_device, device ? device : "default") && p->cfg.latency_ms == latency_ms)
		return;
	snprintf(p->want_device, sizeof(p->want_device), "%s", device ? device : "default");
	p->cfg.latency_ms = latency_ms;
	p->attempts = 0;         /* the new device's troubles are logged afresh */
	if (p->lost)
		p->retry_at_ms = 0;  /* and tried at the next tick, not in 2 s */
}

int player_set_volume(struct player *p, float volume)
{
	p->cfg.volume = volume;  /* kept for the next bundle */
	return send_command(p, (struct command){ .kind = CMD_VOLUME, .volume = volume });
}

void player_status(struct player *p, struct player_status *st)
{
	unsigned s1, s2;

	do {
		s1 = atomic_load_explicit(&p->seq, memory_order_acquire);
		st->state = atomic_load_explicit(&p->snap_state, memory_order_relaxed);
		st->pos = atomic_load_explicit(&p->snap_pos, memory_order_relaxed);
		st->sessions = atomic_load_explicit(&p->snap_sessions, memory_order_relaxed);
		st->at_wait = atomic_load_explicit(&p->snap_at_wait, memory_order_relaxed);
		st->sounding = atomic_load_explicit(&p->snap_sounding, memory_order_relaxed);
		st->latency_us = atomic_load_explicit(&p->snap_latency_us, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		s2 = atomic_load_explicit(&p->seq, memory_order_relaxed);
	} while (s1 != s2 || (s1 & 1));
	st->device_ok = !p->lost;
}

/* Reopens a lost device: PortAudio only sees a re-plugged device or a
 * restarted sound server after Pa_Terminate and Pa_Initialize.  While no
 * session waits for it, the device is only looked for, not opened: an idle
 * daemon leaves it free. */
static void retry_device(struct player *p)
{
	bool wanted = p->resume_when_back || p->engine.session.state == SESSION_PAUSED ||
		      p->engine.session.state == SESSION_RUNNING;

	if (now_ms() < p->retry_at_ms)
		return;
	p->retry_at_ms = now_ms() + RETRY_MS;
	if (probe(p) < 0 || (wanted && open_stream(p) < 0))
		return;
	log_info("audio: device is back");
	p->lost = false;
	if (wanted) {
		p->resume_when_back = false;
		player_control(p, SESSION_RESUME);
	}
}

int player_tick(struct player *p)
{
	struct player_status st;
	uint64_t cb, now = now_ms();

	if (p->lost) {
		retry_device(p);
		return p->lost ? RETRY_MS / 4 : TICK_MS;
	}
	if (!p->active)
		return -1;
	cb = atomic_load(&p->callbacks);
	if (cb != p->seen_callbacks) {
		p->seen_callbacks = cb;
		p->seen_at_ms = now;
	} else if (now - p->seen_at_ms > STALL_MS || Pa_IsStreamActive(p->stream) != 1) {
		log_warn("audio: '%s' stopped playing; pausing and retrying every %d s",
			 p->device, RETRY_MS / 1000);
		lose_device(p);
		return RETRY_MS / 4;
	}
	player_status(p, &st);
	if (st.state == SESSION_RUNNING || st.sounding ||
	    atomic_load(&p->head) != atomic_load(&p->tail)) {
		p->quiet_since_ms = 0;
		return TICK_MS;
	}
	/* Nothing left to play.  Stopping drops what is still buffered (the
	 * pulse path does not drain), so wait out the latency first: the last
	 * of the finish chime or of "Stopped." must be heard. */
	if (!p->quiet_since_ms)
		p->quiet_since_ms = now;
	if (now - p->quiet_since_ms < p->cfg.latency_ms + TICK_MS)
		return TICK_MS;
	/* Close the stream: idle means no wakeups, and the device is free for
	 * anything else on the Pi (an ALSA hw device has one user at a time). */
	close_stream(p, false);
	p->quiet_since_ms = 0;
	return -1;
}
