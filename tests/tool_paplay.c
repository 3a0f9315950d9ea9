/*
 * tool_paplay: plays a WAV file through PortAudio, the way coachd opens its
 * output, to prove the PortAudio -> ALSA -> PulseAudio path of the e2e harness
 * works and to measure it.
 *
 *   tool_paplay [--device NAME] [--latency-ms MS] [--repeat N --every-ms MS]
 *               [--list] FILE.wav
 *
 * Opens PortAudio's default output, or the first output device whose name
 * contains NAME (case-insensitive, as coachd's "device" setting), at the
 * file's sample rate, float32, 2 channels if the device has them (the file's
 * channels are mixed to mono and copied to each), through a callback stream,
 * with the suggested latency MS (default: the device's default high latency;
 * its low one, about 9 ms on the pulse plugin, underruns on a busy machine).
 * With --repeat, the file is played N times in the one stream, each start
 * MS after the previous (silence in between; MS must cover the file): the
 * spacing is then exact to the frame, whatever the process and server do.
 * The clip is followed by twice the stream's latency of silence plus 50 ms:
 * on the ALSA pulse plugin, Pa_StopStream drops what the device still holds
 * instead of playing it out.
 *
 * Prints "key value" lines on stdout:
 *
 *   init_ms      time taken by Pa_Initialize (ALSA device enumeration)
 *   devices      number of devices PortAudio found (all host APIs)
 *   device       the device name
 *   default_rate the device's default sample rate
 *   default_low_latency_ms, default_high_latency_ms  what the device suggests
 *   rate         the stream's sample rate (the file's)
 *   channels     output channels opened
 *   latency_ms   the output latency PortAudio reports for the open stream
 *   open_ms      time taken by Pa_OpenStream
 *   started_at_ms  the wall clock (CLOCK_REALTIME, ms since the epoch, as
 *                `date +%s%3N`) just before Pa_StartStream
 *   play_ms      from Pa_StartStream until Pa_StopStream returned
 *   underflows   callbacks that PortAudio flagged with paOutputUnderflow
 *
 * With --list, also prints each output device as "output INDEX NAME".
 * Exits 0 once the whole file has been played, 1 on any error (on stderr).
 */
#include <math.h>
#include <portaudio.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_FRAMES (48000L * 600) /* ten minutes at 48 kHz is plenty for a probe */

struct options {
	const char *device; /* NULL: PortAudio's default output */
	const char *path;
	double latency_ms;  /* <= 0: the device's default high latency */
	double every_ms;    /* with repeat > 1: from one start to the next */
	long repeat;        /* plays of the file */
	int list;
};

struct clip {
	float *mono;
	long frames;       /* in the file */
	long every;        /* frames from one play's start to the next's */
	long end;          /* frames of sound: (repeat - 1) * every + frames */
	long total;        /* frames in the whole stream: end + silence */
	int channels;      /* output channels */
	atomic_long pos;   /* next frame to play; written by the callback only */
	atomic_long underflows; /* callbacks flagged paOutputUnderflow */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: tool_paplay [--device NAME] [--latency-ms MS]"
			" [--repeat N --every-ms MS] [--list] FILE.wav\n");
}

static int parse_ms(const char *opt, const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	if (end == s || *end || !(*out >= 0 && *out <= 600000)) {
		fprintf(stderr, "tool_paplay: bad %s '%s'\n", opt, s);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	o->repeat = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		double v;

		if (strcmp(a, "--device") == 0 && i + 1 < argc) {
			o->device = argv[++i];
		} else if (strcmp(a, "--latency-ms") == 0 && i + 1 < argc) {
			if (parse_ms(a, argv[++i], &o->latency_ms) < 0)
				return -1;
		} else if (strcmp(a, "--every-ms") == 0 && i + 1 < argc) {
			if (parse_ms(a, argv[++i], &o->every_ms) < 0)
				return -1;
		} else if (strcmp(a, "--repeat") == 0 && i + 1 < argc) {
			if (parse_ms(a, argv[++i], &v) < 0 || v < 1 || v > 1000 || v != (long)v)
				return -1;
			o->repeat = (long)v;
		} else if (strcmp(a, "--list") == 0) {
			o->list = 1;
		} else if (a[0] == '-' || o->path) {
			usage();
			return -1;
		} else {
			o->path = a;
		}
	}
	if (!o->path) {
		usage();
		return -1;
	}
	return 0;
}

/* Reads the whole file, mixed to mono.  Returns the sample rate, or 0. */
static int load(const char *path, struct clip *c)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	float *buf = NULL;
	int rate = 0;

	if (!f) {
		fprintf(stderr, "tool_paplay: %s: %s\n", path, sf_strerror(NULL));
		return 0;
	}
	if (info.frames <= 0 || info.frames > MAX_FRAMES || info.channels <= 0) {
		fprintf(stderr, "tool_paplay: %s: %lld frames, %d channels: not playable\n", path,
			(long long)info.frames, info.channels);
		goto done;
	}
	buf = malloc((size_t)info.frames * (size_t)info.channels * sizeof(*buf));
	c->mono = malloc((size_t)info.frames * sizeof(*c->mono));
	if (!buf || !c->mono) {
		fprintf(stderr, "tool_paplay: out of memory\n");
		goto done;
	}
	c->frames = (long)sf_readf_float(f, buf, info.frames);
	for (long i = 0; i < c->frames; i++) {
		float s = 0;

		for (int ch = 0; ch < info.channels; ch++)
			s += buf[i * info.channels + ch];
		c->mono[i] = s / (float)info.channels;
	}
	rate = info.samplerate;
done:
	free(buf);
	sf_close(f);
	return rate;
}

static int callback(const void *input, void *output, unsigned long frames,
		    const PaStreamCallbackTimeInfo *when, PaStreamCallbackFlags flags,
		    void *data)
{
	struct clip *c = data;
	float *out = output;
	long pos = atomic_load_explicit(&c->pos, memory_order_relaxed);

	(void)input;
	(void)when;
	if (flags & paOutputUnderflow)
		atomic_fetch_add_explicit(&c->underflows, 1, memory_order_relaxed);
	for (unsigned long i = 0; i < frames; i++, pos++) {
		long k = pos % c->every;
		float s = pos < c->end && k < c->frames ? c->mono[k] : 0.0f;

		for (int ch = 0; ch < c->channels; ch++)
			*out++ = s;
	}
	atomic_store_explicit(&c->pos, pos, memory_order_relaxed);
	return pos < c->total ? paContinue : paComplete;
}

static PaDeviceIndex find_device(const char *name)
{
	int n = Pa_GetDeviceCount();

	if (!name)
		return Pa_GetDefaultOutputDevice();
	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (d && d->maxOutputChannels > 0 && strcasestr(d->name, name))
			return i;
	}
	return paNoDevice;
}

static void list_outputs(void)
{
	int n = Pa_GetDeviceCount();

	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (d && d->maxOutputChannels > 0)
			printf("output %d %s\n", i, d->name);
	}
}

/* Plays the clip on an initialized PortAudio; returns 0 or 1. */
static int play(const struct options *o, struct clip *c, int rate)
{
	PaStreamParameters out = { 0 };
	const PaDeviceInfo *info;
	const PaStreamInfo *si;
	PaStream *stream = NULL;
	PaError e;
	double t0, t1;
	int rc = 1;

	out.device = find_device(o->device);
	if (out.device == paNoDevice) {
		fprintf(stderr, "tool_paplay: no output device matches '%s'\n",
			o->device ? o->device : "(default)");
		list_outputs();
		return 1;
	}
	info = Pa_GetDeviceInfo(out.device);
	c->channels = info->maxOutputChannels >= 2 ? 2 : 1;
	out.channelCount = c->channels;
	out.sampleFormat = paFloat32;
	out.suggestedLatency = o->latency_ms > 0 ? o->latency_ms / 1000.0
						 : info->defaultHighOutputLatency;
	printf("device %s\ndefault_rate %.0f\ndefault_low_latency_ms %.1f\n"
	       "default_high_latency_ms %.1f\nrate %d\nchannels %d\n",
	       info->name, info->defaultSampleRate, info->defaultLowOutputLatency * 1000.0,
	       info->defaultHighOutputLatency * 1000.0, rate, c->channels);
	t0 = now_ms();
	e = Pa_OpenStream(&stream, NULL, &out, rate, paFramesPerBufferUnspecified,
			  paClipOff | paDitherOff, callback, c);
	if (e != paNoError) {
		fprintf(stderr, "tool_paplay: cannot open '%s' at %d Hz: %s\n", info->name, rate,
			Pa_GetErrorText(e));
		return 1;
	}
	t1 = now_ms();
	si = Pa_GetStreamInfo(stream);
	printf("latency_ms %.1f\nopen_ms %.1f\n", si ? si->outputLatency * 1000.0 : -1.0,
	       t1 - t0);
	/* Through the ALSA pulse plugin, stopping the stream (paComplete, then
	 * Pa_StopStream) does not drain it: the last outputLatency of audio is
	 * lost.  So the clip is followed by silence that may be lost instead. */
	c->total += lround((2.0 * (si ? si->outputLatency : 0.5) + 0.05) * rate);
	printf("started_at_ms %.1f\n", wall_ms());
	fflush(stdout);
	t0 = now_ms();
	e = Pa_StartStream(stream);
	if (e != paNoError) {
		fprintf(stderr, "tool_paplay: cannot start '%s': %s\n", info->name,
			Pa_GetErrorText(e));
		goto done;
	}
	/* After paComplete the stream turns inactive once the callback's last
	 * buffer has been handed over.  (PortAudio documents that Pa_StopStream
	 * then plays out what the device holds; through the pulse plugin it
	 * does not, hence the trailing silence.)  Bound the wait to the clip's
	 * length plus a generous margin. */
	for (double limit = t0 + 1000.0 * (double)c->total / rate + 5000.0;;) {
		e = Pa_IsStreamActive(stream);
		if (e < 0) {
			fprintf(stderr, "tool_paplay: stream failed: %s\n", Pa_GetErrorText(e));
			goto done;
		}
		if (e == 0)
			break;
		if (now_ms() > limit) {
			fprintf(stderr, "tool_paplay: stream still active after %.0f ms\n",
				now_ms() - t0);
			goto done;
		}
		Pa_Sleep(5);
	}
	e = Pa_StopStream(stream);
	if (e != paNoError) {
		fprintf(stderr, "tool_paplay: cannot stop '%s': %s\n", info->name,
			Pa_GetErrorText(e));
		goto done;
	}
	printf("play_ms %.1f\nunderflows %ld\n", now_ms() - t0, atomic_load(&c->underflows));
	rc = atomic_load(&c->pos) >= c->total ? 0 : 1;
	if (rc)
		fprintf(stderr, "tool_paplay: stream stopped after %ld of %ld frames\n",
			atomic_load(&c->pos), c->total);
done:
	if (rc)
		Pa_AbortStream(stream);
	Pa_CloseStream(stream);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct clip c = { 0 };
	double t0;
	PaError e;
	int rate, rc;

	if (parse_args(argc, argv, &o) < 0)
		return 1;
	rate = load(o.path, &c);
	if (!rate) {
		free(c.mono);
		return 1;
	}
	c.every = o.repeat > 1 ? lround(o.every_ms * rate / 1000.0) : c.frames;
	if (c.every < c.frames) {
		fprintf(stderr, "tool_paplay: --every-ms %.1f is shorter than the file (%.1f ms)\n",
			o.every_ms, 1000.0 * (double)c.frames / rate);
		free(c.mono);
		return 1;
	}
	c.end = (o.repeat - 1) * c.every + c.frames;
	c.total = c.end;
	t0 = now_ms();
	e = Pa_Initialize();
	if (e != paNoError) {
		fprintf(stderr, "tool_paplay: cannot initialize PortAudio: %s\n", Pa_GetErrorText(e));
		free(c.mono);
		return 1;
	}
	printf("init_ms %.1f\ndevices %d\n", now_ms() - t0, Pa_GetDeviceCount());
	if (o.list)
		list_outputs();
	rc = play(&o, &c, rate);
	Pa_Terminate();
	free(c.mono);
	return rc;
}
