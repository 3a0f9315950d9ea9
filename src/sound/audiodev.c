#include "audiodev.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include <pa_linux_alsa.h>

#include "alsaout.h"
#include "audiohost.h"
#include "log.h"

#define AUDIO_FDS 16   /* descriptors a stream may need (ALSA, a sound server's socket, memfds, pipes) */

struct audiodev {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool verbose;

	/* Wanted, set by the main thread (under lock). */
	bool quit;
	bool want_stream;
	unsigned start_gen, probe_gen;
	struct audiodev_stream want;
	char probe_device[128];
	unsigned probe_rate;
	bool forget;

	/* Done, set by the thread (under lock). */
	struct audiodev_state st;
	bool ended;               /* the thread has returned */

	/* The thread's own. */
	PaStream *stream;
	bool pa_ready;
	unsigned attempts;        /* failures since the last success: logged at the first */
	char opened[128];         /* the device opened last */
	unsigned opened_rate;     /* and its rate */
	struct alsaout outs;      /* ALSA's cards and PCMs at the last initialization */
	char resolved_for[128];   /* the configured name TARGET was resolved for */
	struct out_target target; /* what it means (outname) */
	char said[256];           /* the resolution logged last */
	bool listing;             /* --list-devices, which says it all itself */
	unsigned rt_demoted_seen; /* rt_demoted when last logged */
};

/* Real-time threads put back to normal priority by SIGXCPU (see on_rttime). */
static atomic_uint rt_demoted;

/* Whether AUDIO_FDS descriptors are free.  Out of descriptors, alsa-lib and
 * the libraries under it fail in ways of their own (an abort, a retry loop,
 * an error printed and a device that seems to be missing): check first, and
 * say what is wrong. */
static bool fds_available(struct audiodev *d)
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
	if (d->attempts++ == 0)
		log_error("audio: %u of the %lu file descriptors allowed (ulimit -n, LimitNOFILE=) are "
			  "in use, and audio needs %d more; no sound until there are",
			  open_fds, (unsigned long)rl.rlim_cur, AUDIO_FDS);
	return false;
}

/* The device named in the config, as resolved at the last initialization
 * (paNoDevice when that was for another name): PortAudio's default, an ALSA
 * PCM opened by its name (paUseHostApiSpecificDeviceSpecification), or the
 * first output device whose PortAudio name contains it (any case). */
static PaDeviceIndex find_device(struct audiodev *d, const char *name)
{
	int n = Pa_GetDeviceCount();

	if (strcmp(name, d->resolved_for) != 0)
		return paNoDevice;
	if (d->target.how == OUT_DEFAULT)
		return Pa_GetDefaultOutputDevice();
	if (d->target.how == OUT_ALSA)
		return paUseHostApiSpecificDeviceSpecification;
	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (info && info->maxOutputChannels > 0 && strcasestr(info->name, d->target.name))
			return i;
	}
	return paNoDevice;
}

void audiodev_list(void (*line)(const char *text))
{
	int n = Pa_GetDeviceCount();

	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
		char text[256];

		if (!info || info->maxOutputChannels <= 0)
			continue;
		snprintf(text, sizeof(text), "%d: %s (%d channels, %.0f Hz)%s", i, info->name,
			 info->maxOutputChannels, info->defaultSampleRate,
			 i == Pa_GetDefaultOutputDevice() ? " [default]" : "");
		line(text);
	}
}

static void log_device_line(const char *text)
{
	log_info("  %s", text);
}

/* Says what the configured name DEVICE means: once, and again when that
 * changes (a USB card plugged in under `auto`). */
static void log_target(struct audiodev *d, const char *device)
{
	char said[sizeof(d->said)];

	if (d->target.how != OUT_ALSA || d->listing)
		return;   /* the stream's opening names the device */
	snprintf(said, sizeof(said), "%s=%s", device, d->target.name);
	if (!strcmp(said, d->said))
		return;
	snprintf(d->said, sizeof(d->said), "%s", said);
	log_info("audio: device '%s' is %s: %s", device, d->target.name, d->target.why);
}

/* Lists what there is: ALSA's cards and devices, and PortAudio's names. */
static void list_outputs(struct audiodev *d, void (*line)(const char *text))
{
	alsaout_list(&d->outs, line);
	line("PortAudio devices (any part of the name):");
	audiodev_list(line);
}

/* Initializes PortAudio afresh and finds DEVICE in what there is. */
static PaDeviceIndex initialize(struct audiodev *d, const char *device)
{
	char keep[OUTNAME_MAX];
	PaDeviceIndex i;
	PaError e;
	int r;

	if (!fds_available(d))
		return paNoDevice;
	if (d->pa_ready) {
		audiohost_terminate();
		d->pa_ready = false;
	}
	/* Cards come and go (a USB speaker), so the name is resolved afresh. */
	alsaout_read(&d->outs);
	alsaout_resolve(&d->outs, device, &d->target);
	snprintf(d->resolved_for, sizeof(d->resolved_for), "%s", device);
	if (d->target.how != OUT_ALSA || !outname_pcm_base(d->target.name, keep, sizeof(keep)))
		snprintf(keep, sizeof(keep), "%s", device);
	e = audiohost_initialize(keep, d->verbose);
	if (e != paNoError) {
		if (d->attempts++ == 0)
			log_error("audio: cannot initialize PortAudio: %s", Pa_GetErrorText(e));
		return paNoDevice;
	}
	d->pa_ready = true;
	log_target(d, device);
	i = find_device(d, device);
	if (i == paUseHostApiSpecificDeviceSpecification && (r = alsaout_check(d->target.name)) < 0) {
		if (d->attempts++ == 0)
			log_error("audio: cannot open the ALSA device %s: %s", d->target.name,
				  strerror(-r));
		return paNoDevice;
	}
	if (i == paNoDevice && d->attempts++ == 0) {
		log_error("audio: no output device matches '%s'; these are available:", device);
		list_outputs(d, log_device_line);
	}
	return i;
}

int audiodev_list_outputs(const char *configured, bool verbose, void (*line)(const char *text))
{
	struct audiodev *d = calloc(1, sizeof(*d));
	char text[512];
	PaDeviceIndex i;

	if (!d)
		return -1;
	d->verbose = verbose;
	d->attempts = 1;   /* initialize's errors are this listing's business */
	d->listing = true;
	i = initialize(d, configured);
	if (!d->pa_ready) {
		free(d);
		return -1;
	}
	list_outputs(d, line);
	if (i == paNoDevice)
		snprintf(text, sizeof(text), "The config's device '%s' matches none of these.", configured);
	else if (d->target.how == OUT_PORTAUDIO)
		snprintf(text, sizeof(text), "The config's device '%s' is PortAudio's %s.", configured,
			 Pa_GetDeviceInfo(i)->name);
	else
		snprintf(text, sizeof(text), "The config's device '%s' is %s: %s.", configured,
			 d->target.name, d->target.why);
	line(text);
	audiohost_terminate();
	free(d);
	return 0;
}

static void close_stream(struct audiodev *d)
{
	if (!d->stream)
		return;
	/* Stop, never abort: Pa_AbortStream cancels PortAudio's thread
	 * wherever it is, inside alsa-lib too, whose plug and dmix plugins are
	 * then left inconsistent (snd_pcm_plugin_status's assertion on appl_ptr
	 * aborted coachd in the VM, on plug over dmix).  Stopping lets the
	 * thread end at its own loop; the callback writes silence meanwhile.  A
	 * device that does not answer holds this thread, not the main loop. */
	Pa_StopStream(d->stream);
	Pa_CloseStream(d->stream);
	d->stream = NULL;
	if (atomic_load_explicit(&rt_demoted, memory_order_relaxed) != d->rt_demoted_seen) {
		d->rt_demoted_seen = atomic_load_explicit(&rt_demoted, memory_order_relaxed);
		log_warn("audio: the stream's real-time thread ran without sleeping (the device went "
			 "away?); it was put back to normal priority");
	}
}

/* SIGXCPU: a real-time thread has run RLIMIT_RTTIME's soft limit of CPU time
 * without sleeping (the service sets it).  PortAudio's ALSA thread does that
 * when a USB speaker is unplugged mid-stream: poll reports the error at once,
 * it counts it as an xrun and polls again, for ever, never sleeping; at the
 * hard limit the kernel kills coachd (seen in the VM, SIGKILL 0.4 s after
 * the unplug).  The signal goes to the thread that ran over: it goes on at
 * normal priority, where it cannot starve the main loop, which sees the
 * stream stalled and stops it (PortAudio's thread checks for that between
 * its polls). */
static void on_rttime(int sig)
{
	struct sched_param sp = { .sched_priority = 0 };

	(void)sig;
	sched_setscheduler(0, SCHED_OTHER, &sp);   /* 0: this thread, on Linux */
	atomic_fetch_add_explicit(&rt_demoted, 1, memory_order_relaxed);
}

/* Threads inherit their creator's scheduling: while this thread runs at
 * real-time priority, the threads a stream starts (PortAudio's callback
 * thread, and a sound server client's I/O thread, as the pulse plugin's)
 * are real-time too.  Returns 1, or -errno when refused (no RLIMIT_RTPRIO,
 * systemd's RestrictRealtime=).  PortAudio's own PaAlsa_EnableRealtimeScheduling
 * raises its callback thread alone, and 19.6 reads errno where
 * pthread_setschedparam returns its error: a refusal could fail the start. */
static int set_realtime(int priority)
{
	struct sched_param sp = { .sched_priority = priority };
	int r;

	if (priority) {
		struct sigaction sa = { .sa_handler = on_rttime, .sa_flags = SA_RESTART };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGXCPU, &sa, NULL);
	}
	r = pthread_setschedparam(pthread_self(), priority ? SCHED_FIFO : SCHED_OTHER, &sp);

	return r == 0 ? 1 : -r;
}

/* The output parameters for DEVICE (as find_device returns it), with
 * ALSA for the stream info of a PCM opened by name. */
static void out_params(struct audiodev *d, PaDeviceIndex device, PaAlsaStreamInfo *alsa,
		       PaStreamParameters *out, unsigned latency_ms)
{
	*out = (PaStreamParameters){ .device = device, .sampleFormat = paFloat32,
				     .suggestedLatency = latency_ms / 1000.0 };
	if (device == paUseHostApiSpecificDeviceSpecification) {
		PaAlsa_InitializeStreamInfo(alsa);
		alsa->deviceString = d->target.name;
		out->hostApiSpecificStreamInfo = alsa;
		out->channelCount = 2;
	} else {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(device);

		out->channelCount = info && info->maxOutputChannels < 2 ? 1 : 2;
	}
}

/* The rate DEVICE plays when it does not take WANTED: the first of
 * outname_rates that PortAudio says it takes.  0 when it takes WANTED, or
 * when that cannot be known (the device busy, gone). */
static unsigned playable_rate(struct audiodev *d, PaDeviceIndex device, unsigned wanted)
{
	unsigned rates[12];
	size_t n = outname_rates(wanted, rates, sizeof(rates) / sizeof(rates[0]));
	PaStreamParameters out;
	PaAlsaStreamInfo alsa;

	out_params(d, device, &alsa, &out, 100);
	for (size_t i = 0; i < n; i++) {
		PaError e = Pa_IsFormatSupported(NULL, &out, rates[i]);

		if (e == paInvalidChannelCount && out.channelCount == 2) {
			out.channelCount = 1;   /* as open_start tries it */
			e = Pa_IsFormatSupported(NULL, &out, rates[i]);
		}
		log_debug("audio: %u Hz: %s", rates[i], Pa_GetErrorText(e));
		if (e == paFormatIsSupported)
			return i == 0 ? 0 : rates[i];
		if (e != paInvalidSampleRate)
			return 0;
	}
	return 0;
}

/* Opens a stream on OUT with CHANNELS (2 or 1), as S says. */
static PaError open_stream(struct audiodev *d, const struct audiodev_stream *s,
			   PaStreamParameters *out, int channels)
{
	out->channelCount = channels;   /* paFloat32: PortAudio converts to what the device takes */
	return Pa_OpenStream(&d->stream, NULL, out, s->rate, paFramesPerBufferUnspecified,
			     paClipOff | paDitherOff, s->callback, s->data);
}

/* Opens and starts a stream as S says.  Returns 0, -ENODEV (logged), or
 * -ERANGE when the device does not take S's rate but takes *RATE. */
static int open_start(struct audiodev *d, const struct audiodev_stream *s, double *latency_s,
		      unsigned *rate)
{
	PaStreamParameters out = { 0 };
	PaAlsaStreamInfo alsa;
	const PaStreamInfo *si;
	const char *name;
	PaError e;

	if (!fds_available(d))
		return -ENODEV;
	/* PortAudio as initialized last; a lost device is looked for again by
	 * a probe first. */
	out.device = d->pa_ready ? find_device(d, s->device) : initialize(d, s->device);
	if (out.device == paNoDevice && d->pa_ready)
		out.device = initialize(d, s->device);
	if (out.device == paNoDevice)
		return -ENODEV;
	/* An ALSA PCM by its name (which PortAudio need not list), or
	 * PortAudio's device. */
	out_params(d, out.device, &alsa, &out, s->latency_ms);
	name = out.hostApiSpecificStreamInfo ? d->target.name : Pa_GetDeviceInfo(out.device)->name;
	*s->channels = out.channelCount;
	e = open_stream(d, s, &out, *s->channels);
	if (e == paInvalidChannelCount && *s->channels == 2) {
		*s->channels = 1;   /* a mono device without a plug in front */
		e = open_stream(d, s, &out, *s->channels);
	}
	if (e == paInvalidSampleRate && (*rate = playable_rate(d, out.device, s->rate)) != 0) {
		d->stream = NULL;
		return -ERANGE;   /* said by the player, which has everything prepared at *RATE */
	}
	if (e != paNoError) {
		if (d->attempts++ == 0)
			log_error("audio: cannot open '%s' at %u Hz: %s", name, s->rate,
				  Pa_GetErrorText(e));
		d->stream = NULL;
		return -ENODEV;
	}
	Pa_SetStreamFinishedCallback(d->stream, s->finished);
	si = Pa_GetStreamInfo(d->stream);
	*latency_s = si ? si->outputLatency : s->latency_ms / 1000.0;
	/* Said once, and again when the device or rate changes: a stream opens
	 * at every session. */
	log_msg(strcmp(d->opened, name) || d->opened_rate != s->rate ? LOG_INFO : LOG_DEBUG,
		"audio: %s, %u Hz, %d channel%s, latency %.0f ms", name, s->rate,
		*s->channels, *s->channels > 1 ? "s" : "", *latency_s * 1000);
	snprintf(d->opened, sizeof(d->opened), "%s", name);
	d->opened_rate = s->rate;
	e = Pa_StartStream(d->stream);
	if (e != paNoError) {
		if (d->attempts++ == 0)
			log_error("audio: cannot start '%s': %s", name, Pa_GetErrorText(e));
		Pa_CloseStream(d->stream);
		d->stream = NULL;
		return -ENODEV;
	}
	d->attempts = 0;
	return 0;
}

static void *run(void *arg)
{
	struct audiodev *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		if (d->forget) {
			d->forget = false;
			d->attempts = 0;
		}
		if (d->want_stream && d->st.started != d->start_gen) {
			struct audiodev_stream s = d->want;
			unsigned gen = d->start_gen, rate = 0;
			double latency = 0;
			int r, rt;

			d->st.busy = true;
			pthread_mutex_unlock(&d->lock);
			close_stream(d);
			rt = s.rt_priority ? set_realtime(s.rt_priority) : 0;
			r = open_start(d, &s, &latency, &rate);
			if (rt > 0)
				set_realtime(0);   /* this thread's own work is not urgent */
			pthread_mutex_lock(&d->lock);
			d->st.realtime = rt;
			d->st.busy = false;
			d->st.stream = d->stream != NULL;
			d->st.started = gen;
			d->st.start_result = r;
			d->st.latency_s = latency;
			if (r == -ERANGE)
				d->st.rate = rate;
		} else if (!d->want_stream && d->stream) {
			d->st.busy = true;
			pthread_mutex_unlock(&d->lock);
			close_stream(d);
			pthread_mutex_lock(&d->lock);
			d->st.busy = false;
			d->st.stream = false;
		} else if (d->st.probed != d->probe_gen && !d->stream && !d->quit) {
			char device[sizeof(d->probe_device)];
			unsigned gen = d->probe_gen, want = d->probe_rate, rate = 0;
			PaDeviceIndex i;
			int r;

			memcpy(device, d->probe_device, sizeof(device));
			d->st.busy = true;
			pthread_mutex_unlock(&d->lock);
			i = initialize(d, device);
			r = i == paNoDevice ? -ENODEV : 0;
			if (r == 0) {
				d->attempts = 0;
				if (want && !(d->target.how == OUT_ALSA &&
					      outname_converts(d->target.name)))
					rate = playable_rate(d, i, want);
			}
			pthread_mutex_lock(&d->lock);
			d->st.busy = false;
			d->st.probed = gen;
			d->st.probe_result = r;
			d->st.rate = rate;
		} else if (d->quit) {
			break;
		} else {
			pthread_cond_wait(&d->cond, &d->lock);
		}
	}
	pthread_mutex_unlock(&d->lock);
	close_stream(d);
	if (d->pa_ready)
		audiohost_terminate();
	pthread_mutex_lock(&d->lock);
	d->ended = true;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct audiodev *audiodev_new(bool verbose)
{
	struct audiodev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->verbose = verbose;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		pthread_cond_destroy(&d->cond);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

bool audiodev_free(struct audiodev *d, unsigned wait_ms)
{
	struct timespec until;
	bool ended;

	if (!d)
		return true;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&d->lock);
	d->quit = true;
	d->want_stream = false;
	pthread_cond_broadcast(&d->cond);
	while (!d->ended && pthread_cond_timedwait(&d->cond, &d->lock, &until) == 0)
		;
	ended = d->ended;
	pthread_mutex_unlock(&d->lock);
	if (!ended) {
		log_warn("audio: the device does not answer; leaving without closing it");
		pthread_detach(d->thread);
		return false;
	}
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return true;
}

unsigned audiodev_start(struct audiodev *d, const struct audiodev_stream *s)
{
	unsigned gen;

	pthread_mutex_lock(&d->lock);
	d->want = *s;
	d->want_stream = true;
	gen = ++d->start_gen;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return gen;
}

void audiodev_stop(struct audiodev *d)
{
	pthread_mutex_lock(&d->lock);
	d->want_stream = false;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

unsigned audiodev_probe(struct audiodev *d, const char *device, unsigned rate)
{
	unsigned gen;

	pthread_mutex_lock(&d->lock);
	snprintf(d->probe_device, sizeof(d->probe_device), "%s", device);
	d->probe_rate = rate;
	gen = ++d->probe_gen;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return gen;
}

void audiodev_forget_errors(struct audiodev *d)
{
	pthread_mutex_lock(&d->lock);
	d->forget = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void audiodev_state(struct audiodev *d, struct audiodev_state *st)
{
	pthread_mutex_lock(&d->lock);
	*st = d->st;
	pthread_mutex_unlock(&d->lock);
}
