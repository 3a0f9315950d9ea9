/* The resource limits coachd needs, checked before anything starts.  Below
 * them the libraries fail in ways of their own: out of descriptors, alsa-lib
 * aborts and espeak-ng reports a voice missing; out of address space,
 * espeak-ng asserts when it cannot start its thread and libsoxr crashes.  A
 * clear refusal, naming the limit and the setting, is better than either. */
#ifndef COACH_RLIMITS_H
#define COACH_RLIMITS_H

#include "diag.h"

/* What a program needs: descriptors and address space (bytes, counted for
 * RLIMIT_AS and RLIMIT_DATA). */
struct rlimits_need {
	unsigned long files;
	unsigned long long bytes;
};

/* The daemon.  Files: below 16 it cannot even load a routine (measured: 10
 * in use when idle without sound); from 16 it runs, and the player says when
 * there are too few for a sound device (it needs 16 more, see player.c).
 * Memory: a session plays (audio library threads, the sound server's
 * client); measured, a session through PulseAudio maps about 450 MiB on
 * x86-64 and loses its sound below 400 MiB. */
#define RLIMITS_DAEMON ((struct rlimits_need){ 16, (sizeof(void *) >= 8 ? 768ull : 384ull) << 20 })

/* --check, --plan and --render: speech and resampling only (about 60 MiB
 * mapped for the shipped routine; they crash below). */
#define RLIMITS_OFFLINE ((struct rlimits_need){ 16, 256ull << 20 })

/* Raises each soft limit below NEED to the hard limit, as far as that goes,
 * then checks.  Returns 0, or -1 with ERR saying which limit is too low, by
 * how much and where it is set (ulimit, LimitNOFILE=/LimitAS=/LimitDATA=). */
int rlimits_check(struct rlimits_need need, struct diag *err);

#endif
