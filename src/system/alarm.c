#include "alarm.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

struct alarm {
	struct loop *loop;
	int fd;
	alarm_fn *on_due;
	void *ctx;
	const struct schedule_entry *entries;
	size_t n;
	size_t next;                  /* the entry the timer is armed for; n: none */
};

void alarm_arm(struct alarm *a, const struct schedule_entry *entries, size_t n)
{
	size_t which = (size_t)-1;
	struct timespec now;
	time_t next;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	a->entries = entries;
	a->n = n;
	/* The clock the timer fires on, read precisely: time() reads a coarse
	 * copy that can lag the timer that just fired, and would find the same
	 * entry again (schedule_next looks after NOW). */
	clock_gettime(CLOCK_REALTIME, &now);
	next = schedule_next(entries, n, now.tv_sec, &which);
	its.it_value.tv_sec = next == (time_t)-1 ? 0 : next;   /* 0 disarms */
	if (timerfd_settime(a->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
		log_error("schedule: cannot arm the timer: %s", strerror(errno));
	a->next = next == (time_t)-1 ? n : which;
	if (next != (time_t)-1)
		log_debug("schedule: next %s at %s", schedule_action_name(entries[which].action),
			  ctime(&next));
}

static void on_timer(void *ctx, int fd, uint32_t events)
{
	struct alarm *a = ctx;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) < 0 && errno == ECANCELED) {
		log_info("schedule: the clock changed; recomputing");
	} else if (a->next < a->n) {
		a->on_due(a->ctx, &a->entries[a->next]);
	}
	alarm_arm(a, a->entries, a->n);
}

struct alarm *alarm_new(struct loop *l, alarm_fn *on_due, void *ctx)
{
	struct alarm *a = calloc(1, sizeof(*a));
	int rc;

	if (!a)
		return NULL;
	*a = (struct alarm){ .loop = l, .on_due = on_due, .ctx = ctx };
	a->fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (a->fd < 0) {
		rc = -errno;
	} else {
		rc = loop_add(l, a->fd, EPOLLIN, on_timer, a);
		if (rc == 0)
			return a;
		close(a->fd);
	}
	free(a);
	errno = -rc;
	return NULL;
}

void alarm_free(struct alarm *a)
{
	if (!a)
		return;
	loop_remove(a->loop, a->fd);
	close(a->fd);
	free(a);
}
