/* The audio device, driven from a thread of its own.
 *
 * Any PortAudio call (initialize, open, start, stop, close, terminate) can
 * block in the layers below it: with the sound server stopped, closing a
 * stream waited 33 s in snd_pcm_drop, longer than systemd's watchdog.  So
 * they all run on this module's thread (one thread: PortAudio is not
 * thread-safe), and the main loop only says what it wants (a stream running,
 * or none; a fresh look for the device) and reads how far that got, never
 * waiting.  What goes wrong is logged here, once per run of failures. */
#ifndef COACH_AUDIODEV_H
#define COACH_AUDIODEV_H

#include <portaudio.h>
#include <stdbool.h>

struct audiodev;

/* What a stream is opened with. */
struct audiodev_stream {
	char device[128];         /* "default" or part of a device name */
	unsigned rate;
	unsigned latency_ms;      /* suggested output latency */
	PaStreamCallback *callback;
	PaStreamFinishedCallback *finished;  /* also when the stream dies */
	void *data;               /* for both */
	int *channels;            /* set (1 or 2) before the first callback */
	int rt_priority;          /* SCHED_FIFO priority for the stream's threads (0: none) */
};

/* How far the requests got. */
struct audiodev_state {
	bool busy;                /* a PortAudio call is in progress */
	bool stream;              /* a stream is open (running, or being closed) */
	unsigned started;         /* the last start request settled (see audiodev_start) */
	int start_result;         /* its outcome: 0 running, -ENODEV, -ERANGE (see rate) */
	unsigned probed;          /* the last probe settled (see audiodev_probe) */
	int probe_result;         /* 0: the device is there; -ENODEV */
	unsigned rate;            /* the rate the device takes, found by the last probe or
				   * by a start that failed with -ERANGE, when it does not
				   * take the one asked for (0: it does, or not known) */
	double latency_s;         /* of the running stream, as PortAudio reports it */
	int realtime;             /* its threads: 1 real-time, -errno refused, 0 not asked */
};

/* Starts the thread.  VERBOSE lets the host APIs print their probing noise.
 * Returns NULL when the thread cannot start. */
struct audiodev *audiodev_new(bool verbose);

/* Asks the thread to end, closing the stream and PortAudio, and waits up to
 * WAIT_MS for it.  Returns false when it did not end in time (a device that
 * does not answer): the thread and its memory are then left to the exit. */
bool audiodev_free(struct audiodev *d, unsigned wait_ms);

/* Asks for a stream opened with S and started (a stream already open is
 * closed first).  A device that does not take S's rate is not opened at
 * another: the start fails with -ERANGE and audiodev_state's rate says the
 * one it takes, for everything to be prepared at that rate.  Returns the request's number: audiodev_state's started
 * reaches it once the stream runs or could not. */
unsigned audiodev_start(struct audiodev *d, const struct audiodev_stream *s);

/* Asks for no stream: it is stopped (Pa_StopStream, not abort) and closed. */
void audiodev_stop(struct audiodev *d);

/* Asks for PortAudio to be initialized again (it sees devices plugged in
 * since only so) and DEVICE looked for, once no stream is open, and
 * whether it plays RATE (else which rate it does).  Returns the request's
 * number, which audiodev_state's probed reaches when done. */
unsigned audiodev_probe(struct audiodev *d, const char *device, unsigned rate);

/* Failures are logged once until something succeeds; this logs the next
 * one again (a new device was configured). */
void audiodev_forget_errors(struct audiodev *d);

void audiodev_state(struct audiodev *d, struct audiodev_state *st);

/* Lists the output devices PortAudio sees, one line each, through LINE.
 * Only where PortAudio is initialized and no other thread uses it. */
void audiodev_list(void (*line)(const char *text));

/* What `coachd --list-devices` prints, through LINE: the names
 * `audio: device:` takes (ALSA's cards and devices, what `auto` picks,
 * PortAudio's names) and what CONFIGURED (the config's) means now.  Only
 * where no audiodev runs.  Returns 0, or -1 when PortAudio cannot start. */
int audiodev_list_outputs(const char *configured, bool verbose, void (*line)(const char *text));

#endif
