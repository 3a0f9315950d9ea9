/* PortAudio, started so that it probes only what coachd plays through.
 *
 * Debian's PortAudio is built with three host APIs, and Pa_Initialize probes
 * them all: OSS tries ~200 opens of /dev/dsp*, JACK starts a libjack client
 * (a /dev/shm database, threads, a retry loop that hangs under a low
 * descriptor limit), and ALSA opens every PCM its configuration defines,
 * which dlopens every plugin installed (a52 -> libavcodec -> libhwy, which
 * dies with SIGILL under valgrind on AVX-512 machines; jack, oss, pulse,
 * speex...).  coachd plays through ALSA only, so audiohost_initialize:
 *   - turns the OSS and JACK host APIs off (each reports "not available",
 *     as it would on a machine without them: see audiohost.c);
 *   - hides from PortAudio's device list the ALSA PCMs whose plugin is not
 *     part of libasound itself, except "default" and the configured device,
 *     which coachd may open.  Cards (hw:N,M) are still listed. */
#ifndef COACH_AUDIOHOST_H
#define COACH_AUDIOHOST_H

#include <portaudio.h>
#include <stdbool.h>

/* Pa_Initialize, probing as above.  DEVICE is the configured output device
 * ("default" or part of a device name); VERBOSE lets the host APIs print
 * their probing noise to stderr (it is silenced otherwise). */
PaError audiohost_initialize(const char *device, bool verbose);

/* Pa_Terminate. */
void audiohost_terminate(void);

/* The ALSA PCMs hidden from the device list at the last initialization. */
unsigned audiohost_hidden_pcms(void);

#endif
