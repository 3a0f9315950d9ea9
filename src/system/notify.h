/* systemd's notification protocol (READY=1, STATUS=..., WATCHDOG=1) in a few
 * lines over $NOTIFY_SOCKET, without linking libsystemd. */
#ifndef COACH_NOTIFY_H
#define COACH_NOTIFY_H

/* Sends one notification such as "READY=1" or "STATUS=Idle"; does nothing when
 * not run by systemd.  Returns 0, or -errno. */
int notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The watchdog interval systemd asked for (WatchdogSec=) in milliseconds, or
 * 0 when there is none. */
unsigned notify_watchdog_ms(void);

#endif
