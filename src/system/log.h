/* Logging to stderr: journald priority prefixes under systemd, plain text on a
 * terminal.  Only programs log; library modules return errors to their caller. */
#ifndef COACH_LOG_H
#define COACH_LOG_H

#include <syslog.h>

/* Chooses the output style (journald prefixes when JOURNAL_STREAM is set) and
 * whether debug lines are shown. */
void log_init(const char *program, int verbose);

/* Runs FN before each line is written (terminal mode ends its progress line). */
void log_set_before_line(void (*fn)(void));

/* Writes one line at syslog priority PRIO (LOG_ERR ... LOG_DEBUG). */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
