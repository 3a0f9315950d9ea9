/* The daemon's one event loop: epoll over file descriptors (buttons, socket,
 * terminal, signalfd, timerfd) plus one-shot timeouts.  Single-threaded;
 * idle means no wakeups. */
#ifndef COACH_LOOP_H
#define COACH_LOOP_H

#include <stdint.h>

struct loop;

/* Called with the epoll events (EPOLLIN, EPOLLHUP, ...) that FD reported. */
typedef void loop_fd_fn(void *ctx, int fd, uint32_t events);
/* Called once when a timeout expires. */
typedef void loop_timeout_fn(void *ctx);

/* Returns a new loop, or NULL with errno set. */
struct loop *loop_new(void);

/* Frees the loop; closes none of the watched descriptors. */
void loop_free(struct loop *l);

/* Watches FD for EVENTS (EPOLLIN, EPOLLOUT); FN runs when any occurs.
 * Returns 0 or -errno. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn *fn, void *ctx);

/* Changes the events FD is watched for.  Returns 0 or -errno. */
int loop_modify(struct loop *l, int fd, uint32_t events);

/* Stops watching FD (call before closing it).  Returns 0 or -errno. */
int loop_remove(struct loop *l, int fd);

/* Runs FN once after MS milliseconds (CLOCK_MONOTONIC).  Returns an id > 0 for
 * loop_cancel, or -errno. */
int loop_timeout(struct loop *l, unsigned ms, loop_timeout_fn *fn, void *ctx);

/* Cancels timeout ID if it has not run yet. */
void loop_cancel(struct loop *l, int id);

/* Dispatches events until loop_quit.  Returns 0, or -errno if epoll fails. */
int loop_run(struct loop *l);

/* Makes loop_run return after the current dispatch. */
void loop_quit(struct loop *l);

#endif
