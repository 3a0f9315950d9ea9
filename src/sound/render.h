/* Offline render: the session as it sounds live, written to a WAV file. */
#ifndef COACH_RENDER_H
#define COACH_RENDER_H

#include <stdint.h>

#include "bundle.h"
#include "diag.h"
#include "engine.h"

/* A control applied when the render reaches a frame (for tests and demos). */
struct render_control {
	uint64_t frame;             /* output frame */
	enum session_control control;
};

/* Plays ENGINE from the start to the end of its session (wait steps do not
 * wait) and writes it to PATH as 16-bit mono PCM WAV (RF64 when MAX_FRAMES
 * could pass a WAV's 4 GiB), applying the NCONTROLS
 * CONTROLS (sorted by frame) on the way.  Stops after MAX_FRAMES at most.
 * Returns the frames written, or -1 with ERR filled. */
int64_t render_wav(struct engine *e, const char *path, const struct render_control *controls,
		   size_t ncontrols, uint64_t max_frames, struct diag *err);

/* render_wav of bundle B's whole session, keeping only the speech of the
 * next seconds in memory as a live session does (bundle_page each second
 * of output): a render's memory does not grow with the routine's speech. */
int64_t render_bundle(struct engine *e, struct bundle *b, const char *path, struct diag *err);

#endif
