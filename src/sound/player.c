/* Live playback through PortAudio.
 *
 * The engine has one owner at a time, told by an atomic token: the main
 * thread (no stream, a lost device) or the stream, whose callback takes the
 * token for the length of each call.  The main thread takes the engine back
 * by swapping the token, waiting at most for one callback to end (callbacks
 * never wait); from then on the callback writes silence, however long the
 * device takes to close.  Every PortAudio call runs on audiodev's thread, so
 * none of them can hold the main loop. */
#include "player.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "audiodev.h"
#include "engine.h"
#include "log.h"
#include "playrate.h"

#define RING_SIZE 64          /* controls in flight; a power of two */
#define CHUNK 1024            /* frames the engine renders at a time */
/* No callback for this long, once they came: the device is gone.  Late
 * callbacks under load are counted as glitches, not taken for a loss; a
 * device that really goes ends the stream (see finished()) well before. */
#define STALL_MS 2500
/* A stream that was asked for but has not called back yet is starting, not
 * lost, for this long: a loaded machine and a sound server can take seconds. */
#define START_MS 10000
#define RETRY_MS 2000         /* between looks for a lost device */
#define TICK_MS 250           /* housekeeping while the stream runs */

enum owner { OWNER_MAIN, OWNER_STREAM, OWNER_CALLBACK };
enum phase { PHASE_IDLE, PHASE_STARTING, PHASE_PLAYING };

struct command {
	enum { CMD_CONTROL, CMD_CLIP, CMD_VOLUME } kind;
	enum session_control control;
	const struct clip *clip;
	float volume;
	uint64_t sent_ns;
};

struct player {
	struct player_config cfg;   /* cfg.device points at want_device; cfg.rate is the bundle's */
	char want_device[128];      /* the configured name: ours, as the config may be reloaded */
	struct play_rate rate;      /* the configured rate, and what the device plays instead */
	struct audiodev *dev;
	int channels;               /* of the stream, set before its first callback */
	atomic_int owner;           /* enum owner */
	enum phase phase;           /* the stream as the main thread asked for it */
	unsigned start_gen;         /* audiodev's number for the last start */
	bool start_settled;         /* audiodev has opened and started it */
	uint64_t start_at_ms;
	atomic_uint ended;          /* streams that have ended (finished()) */
	unsigned ended_seen;
	bool lost;                  /* the device is lost or could not be opened */
	bool resume_when_back;      /* the session was running when the device went */
	bool probing;
	unsigned probe_gen;
	uint64_t retry_at_ms;
	uint64_t seen_callbacks, seen_at_ms;
	uint64_t quiet_since_ms;    /* when nothing was left to play; 0 while playing */
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
	atomic_uint snap_applied;   /* the ring's tail when the snapshot was taken */
	atomic_uint_least64_t callbacks;

	/* Glitches of the session in progress (or the last one), counted by
	 * the callback, and by the main thread for a device lost mid-session. */
	atomic_uint xruns, worst_late_us;
	atomic_uint buffer_us;      /* the device buffer: a callback later than this left it empty */
	atomic_bool fresh;          /* a new stream: no previous callback to time against */
	int realtime;               /* the stream's threads: 1 real-time, -errno refused, 0 not yet */
	/* The callback's own. */
	unsigned glitch_session;
	uint64_t last_cb_ns;
	unsigned long last_frames;

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
	atomic_store_explicit(&p->snap_applied, atomic_load_explicit(&p->tail, memory_order_relaxed),
			      memory_order_relaxed);
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

static bool in_session(enum session_state st)
{
	return st == SESSION_RUNNING || st == SESSION_PAUSED;
}

/* Counts this callback as a glitch when PortAudio flags an underflow, or
 * when it comes so late after the last one that the device buffer must have
 * run dry; keeps the worst lateness (the wait beyond the last callback's own
 * length).  Per session: the counts restart with each one. */
static void count_glitches(struct player *p, uint64_t t, unsigned long frames,
			   PaStreamCallbackFlags flags)
{
	const struct session *ss = &p->engine.session;
	uint64_t late = 0, buffer = atomic_load_explicit(&p->buffer_us, memory_order_relaxed);

	if (atomic_exchange_explicit(&p->fresh, false, memory_order_relaxed))
		p->last_cb_ns = 0;
	if (ss->sessions != p->glitch_session) {
		p->glitch_session = ss->sessions;
		atomic_store_explicit(&p->xruns, 0, memory_order_relaxed);
		atomic_store_explicit(&p->worst_late_us, 0, memory_order_relaxed);
	}
	if (p->last_cb_ns) {
		uint64_t expected = (uint64_t)p->last_frames * 1000000000u / p->cfg.rate;
		uint64_t gap = t - p->last_cb_ns;

		late = gap > expected ? (gap - expected) / 1000 : 0;
	}
	p->last_cb_ns = t;
	p->last_frames = frames;
	if (!in_session(ss->state))
		return;
	if ((flags & paOutputUnderflow) || (buffer && late > buffer))
		atomic_fetch_add_explicit(&p->xruns, 1, memory_order_relaxed);
	if (late > atomic_load_explicit(&p->worst_late_us, memory_order_relaxed))
		atomic_store_explicit(&p->worst_late_us, (unsigned)late, memory_order_relaxed);
}

static int callback(const void *input, void *output, unsigned long frames,
		    const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *data)
{
	struct player *p = data;
	float *out = output;
	uint64_t t = now_ns();
	int mine = OWNER_STREAM;

	(void)input;
	(void)time;
	if (!atomic_compare_exchange_strong_explicit(&p->owner, &mine, OWNER_CALLBACK,
						     memory_order_acquire, memory_order_relaxed)) {
		/* The main thread has the engine back: the stream is closing. */
		memset(out, 0, frames * (size_t)p->channels * sizeof(*out));
		return paContinue;
	}
	count_glitches(p, t, frames, flags);
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
	atomic_store_explicit(&p->owner, OWNER_STREAM, memory_order_release);
	return paContinue;
}

/* The stream ended: stopped by audiodev, or died (device gone, server gone). */
static void finished(void *data)
{
	struct player *p = data;

	atomic_fetch_add_explicit(&p->ended, 1, memory_order_relaxed);
}

/* Takes the engine from the stream.  The callback holds it only while it
 * runs, and never waits, so this spins for one callback at most. */
static void take_engine(struct player *p)
{
	for (;;) {
		int mine = OWNER_STREAM;

		if (atomic_compare_exchange_weak_explicit(&p->owner, &mine, OWNER_MAIN,
							  memory_order_acquire, memory_order_relaxed) ||
		    mine == OWNER_MAIN)
			return;
		sched_yield();
	}
}

/* Hands the engine to a stream about to start, and asks audiodev for it. */
static void start(struct player *p)
{
	struct audiodev_stream s = {
		.rate = p->cfg.rate, .latency_ms = p->cfg.latency_ms,
		.callback = callback, .finished = finished, .data = p, .channels = &p->channels,
		.rt_priority = PLAYER_RT_PRIORITY,
	};

	snprintf(s.device, sizeof(s.device), "%s", p->cfg.device);
	atomic_store(&p->fresh, true);
	atomic_store(&p->buffer_us, 0);
	p->realtime = 0;
	publish(p);
	atomic_store_explicit(&p->owner, OWNER_STREAM, memory_order_release);
	p->start_gen = audiodev_start(p->dev, &s);
	p->start_settled = false;
	p->phase = PHASE_STARTING;
	p->start_at_ms = now_ms();
	p->quiet_since_ms = 0;
}

/* Takes the engine back and lets the stream go (closed on audiodev's
 * thread, however long that takes). */
static void stop(struct player *p)
{
	take_engine(p);
	audiodev_stop(p->dev);
	p->phase = PHASE_IDLE;
	p->quiet_since_ms = 0;
}

/* The device is gone: take the engine back, pause the session in silence,
 * and look for the device again later. */
static void lose_device(struct player *p)
{
	stop(p);
	drain(p);
	if (in_session(p->engine.session.state))
		atomic_fetch_add(&p->xruns, 1);   /* a stall heard in the session */
	p->resume_when_back = p->engine.session.state == SESSION_RUNNING;
	if (p->resume_when_back)
		engine_control(&p->engine, SESSION_PAUSE);
	mixer_clear(&p->engine.mixer);
	publish(p);
	p->lost = true;
	p->probing = false;
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
	play_rate_init(&p->rate, cfg->rate);
	atomic_init(&p->owner, OWNER_MAIN);
	raise_fd_limit();
	p->dev = audiodev_new(cfg->verbose);
	if (!p->dev) {
		diag_set(err, "audio", 0, 0, "cannot start the audio thread");
		free(p);
		return NULL;
	}
	/* Look for the device now, so that an idle status can say whether a
	 * session would sound; until that answers, it counts as there. */
	p->probe_gen = audiodev_probe(p->dev, p->cfg.device, p->rate.configured);
	p->probing = true;
	return p;
}

void player_free(struct player *p)
{
	if (!p)
		return;
	if (p->phase == PHASE_PLAYING) {
		/* Fade what is playing, let it out, then close. */
		struct timespec fade = { 0, (SESSION_FADE_MS + p->cfg.latency_ms) * 1000000L };

		player_control(p, SESSION_STOP);
		nanosleep(&fade, NULL);
	}
	take_engine(p);
	/* A device that does not answer keeps its thread, which may still call
	 * back with P: both are left to the exit. */
	if (audiodev_free(p->dev, 2000))
		free(p);
}

int player_set_bundle(struct player *p, const struct bundle *b)
{
	unsigned sessions = p->engine.session.sessions;
	enum session_state st = p->engine.session.state;

	if (p->phase != PHASE_IDLE || (p->bundle && st != SESSION_IDLE && st != SESSION_FINISHED))
		return -EBUSY;
	p->bundle = b;
	p->cfg.rate = b->plan.rate;
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
	if (p->phase != PHASE_IDLE)
		return 0;      /* the stream's callback applies it */
	if (!p->lost) {
		start(p);
		return 0;
	}
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

void player_set_output(struct player *p, const char *device, unsigned latency_ms, unsigned rate)
{
	bool same_device = !strcmp(p->want_device, device ? device : "default");

	if (same_device && p->cfg.latency_ms == latency_ms && p->rate.configured == rate)
		return;
	snprintf(p->want_device, sizeof(p->want_device), "%s", device ? device : "default");
	p->cfg.latency_ms = latency_ms;
	/* What the old device played instead of the old rate says nothing
	 * now: a new device or rate is looked at (reprobe) once the session,
	 * if one plays, is over. */
	play_rate_configure(&p->rate, rate, !same_device);
	audiodev_forget_errors(p->dev);   /* the new device's troubles are logged afresh */
	if (p->lost)
		p->retry_at_ms = 0;           /* and it is looked for at the next tick */
}

unsigned player_rate(struct player *p)
{
	/* While a stream is open, the rate it plays: what is said meanwhile
	 * (where am I, a count) must be prepared at it; a reload's new rate
	 * waits for the stream to close, as its new device does. */
	if (p->phase != PHASE_IDLE && p->cfg.rate)
		return p->cfg.rate;
	return play_rate_current(&p->rate);
}

/* What a probe (asked for the configured rate) or a failed start (asked for
 * cfg.rate) found the device takes instead (0: what was asked, or not
 * known): said once for each new rate. */
static void note_rate(struct player *p, unsigned rate)
{
	if (play_rate_found(&p->rate, rate))
		log_warn("audio: '%s' does not play %u Hz; playing at %u Hz (speech and sounds "
			 "prepared at that rate)", p->cfg.device, p->rate.configured, rate);
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
		st->pending = atomic_load_explicit(&p->head, memory_order_relaxed) -
			      atomic_load_explicit(&p->snap_applied, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		s2 = atomic_load_explicit(&p->seq, memory_order_relaxed);
	} while (s1 != s2 || (s1 & 1));
	st->device_ok = !p->lost;
	st->xruns = atomic_load_explicit(&p->xruns, memory_order_relaxed);
	st->worst_late_us = atomic_load_explicit(&p->worst_late_us, memory_order_relaxed);
	st->realtime = p->realtime;
}

/* When an idle player wants its next tick: at once to look at a device or
 * rate changed meanwhile, else never (-1). */
static int idle_next(const struct player *p)
{
	return p->rate.look ? TICK_MS : -1;
}

/* Looks at the device again, as at start-up, for the rate it plays: the
 * configured device or rate changed.  Only with no stream, as a probe
 * re-initializes PortAudio. */
static void reprobe(struct player *p)
{
	p->rate.look = false;
	p->probe_gen = audiodev_probe(p->dev, p->cfg.device, p->rate.configured);
	p->probing = true;
}

/* A lost device: PortAudio only sees a re-plugged device or a restarted
 * sound server after Pa_Terminate and Pa_Initialize, which audiodev's probe
 * does every RETRY_MS.  Once the device is there, a session that the loss
 * paused plays on. */
static int retry_device(struct player *p)
{
	struct audiodev_state ds;

	if (p->probing) {
		audiodev_state(p->dev, &ds);
		if (ds.probed != p->probe_gen)
			return RETRY_MS / 4;      /* still looking */
		p->probing = false;
		if (ds.probe_result < 0) {
			p->retry_at_ms = now_ms() + RETRY_MS;
			return RETRY_MS / 4;
		}
		log_info("audio: device is back");
		note_rate(p, ds.rate);
		p->lost = false;
		if (p->resume_when_back) {
			p->resume_when_back = false;
			player_control(p, SESSION_RESUME);
			return TICK_MS;
		}
		return idle_next(p);
	}
	if (now_ms() >= p->retry_at_ms)
		reprobe(p);
	return RETRY_MS / 4;
}

/* The first probe, at start-up or after a change of device or rate: the
 * device is missing or there, and which rate it plays. */
static int first_probe(struct player *p)
{
	struct audiodev_state ds;

	audiodev_state(p->dev, &ds);
	if (ds.probed != p->probe_gen)
		return RETRY_MS / 4;
	p->probing = false;
	if (ds.probe_result == 0) {
		note_rate(p, ds.rate);
		return p->phase == PHASE_IDLE ? idle_next(p) : TICK_MS;
	}
	if (p->phase == PHASE_IDLE) {
		p->lost = true;
		p->retry_at_ms = now_ms() + RETRY_MS;
	}
	return RETRY_MS / 4;
}

/* Says whether the stream's threads run at real-time priority: once, and
 * again when that changes. */
static void log_realtime(struct player *p, int rt)
{
	static int said;

	p->realtime = rt;
	if (rt == said)
		return;
	said = rt;
	if (rt > 0)
		log_info("audio: the audio threads run at real-time priority %d", PLAYER_RT_PRIORITY);
	else if (rt < 0)
		log_warn("audio: no real-time priority for the audio threads (%s); they may be late "
			 "under load (see the README's Performance)", strerror(-rt));
}

/* The device does not take the bundle's rate, and nothing was played: the
 * session (if one started) stops without a sound, for the bundle to be
 * prepared at RATE; the device is there. */
static void wrong_rate(struct player *p, unsigned rate)
{
	stop(p);
	drain(p);
	note_rate(p, rate);
	if (in_session(p->engine.session.state)) {
		log_warn("audio: the session stops: it was prepared at %u Hz; play it again",
			 p->cfg.rate);
		engine_control(&p->engine, SESSION_STOP);
	}
	mixer_clear(&p->engine.mixer);
	publish(p);
}

/* The stream asked for, not heard from yet: it has failed, or is starting. */
static int watch_start(struct player *p, uint64_t now)
{
	struct audiodev_state ds;

	audiodev_state(p->dev, &ds);
	if (ds.started == p->start_gen && !p->start_settled) {
		if (ds.start_result == -ERANGE) {
			wrong_rate(p, ds.rate);
			return idle_next(p);
		}
		if (ds.start_result < 0) {        /* logged by audiodev */
			lose_device(p);
			return RETRY_MS / 4;
		}
		p->start_settled = true;
		log_realtime(p, ds.realtime);
		p->ended_seen = atomic_load(&p->ended);
		atomic_store(&p->buffer_us, (unsigned)(ds.latency_s * 1e6));
	}
	if (p->start_settled && atomic_load(&p->callbacks) != p->seen_callbacks) {
		p->phase = PHASE_PLAYING;
		/* A first probe still settling is answered by this, unless it
		 * asked about a rate the stream does not play: then it is asked
		 * again after the session. */
		if (p->probing && p->cfg.rate != p->rate.configured)
			p->rate.look = true;
		p->probing = false;
		p->seen_callbacks = atomic_load(&p->callbacks);
		p->seen_at_ms = now;
	} else if (now - p->start_at_ms > START_MS) {
		log_warn("audio: '%s' did not start playing in %d s; pausing and retrying every %d s",
			 p->cfg.device, START_MS / 1000, RETRY_MS / 1000);
		lose_device(p);
		return RETRY_MS / 4;
	}
	return TICK_MS;
}

int player_tick(struct player *p)
{
	struct player_status st;
	uint64_t cb, now = now_ms();

	if (p->lost)
		return retry_device(p);
	if (p->rate.look && !p->probing && p->phase == PHASE_IDLE)
		reprobe(p);
	if (p->probing && p->phase == PHASE_IDLE)
		return first_probe(p);
	if (p->phase == PHASE_IDLE)
		return -1;
	if (p->phase == PHASE_STARTING)
		return watch_start(p, now);
	cb = atomic_load(&p->callbacks);
	if (atomic_load(&p->ended) != p->ended_seen ||
	    (cb == p->seen_callbacks && now - p->seen_at_ms > STALL_MS)) {
		log_warn("audio: '%s' stopped playing; pausing and retrying every %d s",
			 p->cfg.device, RETRY_MS / 1000);
		lose_device(p);
		return RETRY_MS / 4;
	}
	if (cb != p->seen_callbacks) {
		p->seen_callbacks = cb;
		p->seen_at_ms = now;
	}
	/* A session holds its stream from its first sound to its end, pauses
	 * included (the callback writes silence): on a Pi's headphone jack each
	 * open and close of the device is a pop, and a resume must not wait for
	 * a device to open. */
	player_status(p, &st);
	if (in_session(st.state) || st.sounding || atomic_load(&p->head) != atomic_load(&p->tail)) {
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
	/* Idle: close the stream.  No wakeups, and the device is free for
	 * anything else on the Pi (an ALSA hw device has one user at a time). */
	stop(p);
	return idle_next(p);
}
