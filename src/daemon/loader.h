/* Loads bundles on a worker thread: parsing, speech synthesis and resampling
 * are slow (seconds on a Pi Zero), and the event loop must keep answering
 * buttons meanwhile.  libespeak-ng is not reentrant, so this thread is the
 * only one that ever synthesizes, through the one speech object it owns.
 * Results come back through an eventfd watched by the loop. */
#ifndef COACH_LOADER_H
#define COACH_LOADER_H

#include "bundle.h"
#include "loop.h"

struct loader;

/* Called on the loop's thread with the bundle of request ID (as
 * loader_request returned it), or with NULL and the located error.  A result
 * may belong to a request made before the latest one: compare ID.  The callee
 * owns the bundle: bundle_free and free it when it is no longer played (its
 * clips live in the loader's speech cache). */
typedef void loader_done_fn(void *ctx, unsigned id, struct bundle *b, const struct diag *err);

/* Called on the loop's thread with TEXT spoken, or NULL when nothing could be
 * synthesized (no voice loaded yet).  The callee owns the clip: once the
 * player is done with it, loader_free_said it (the loader keeps no copy, so
 * messages said on demand cost memory only until they have played). */
typedef void loader_said_fn(void *ctx, struct clip *clip);

/* Frees a clip given to loader_said_fn (NULL: nothing). */
void loader_free_said(struct clip *c);

/* Starts the worker thread.  Returns NULL with errno set. */
struct loader *loader_new(struct loop *l, loader_done_fn *done, loader_said_fn *said, void *ctx);

/* Stops the thread and frees everything, the speech cache included: free the
 * bundles it produced first. */
void loader_free(struct loader *ld);

/* Asks for the bundle F at RATE.  A request made while one is in progress
 * runs after it; one still waiting is replaced (its result never comes).
 * Returns the request's id, never 0. */
unsigned loader_request(struct loader *ld, const struct bundle_files *f, unsigned rate);

/* Asks for TEXT to be synthesized with the last voice loaded (a spoken error
 * message); a request still waiting is replaced. */
void loader_say(struct loader *ld, const char *text);

#endif
