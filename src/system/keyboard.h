/* Terminal mode: single keys control the session and one line shows its
 * progress.  The terminal's settings are restored on every way out. */
#ifndef COACH_KEYBOARD_H
#define COACH_KEYBOARD_H

#include <stdbool.h>

/* Puts FD (a terminal) in single-key mode without echo.  Returns 0, or -errno;
 * not a terminal is not an error (keys are still read, line by line). */
int keyboard_open(int fd);

/* Restores the terminal as it was; safe to call more than once. */
void keyboard_close(void);

/* Rewrites the progress line on stderr (only on a terminal). */
void keyboard_progress(const char *text);

/* Ends the progress line so that log lines start on a fresh one. */
void keyboard_newline(void);

#endif
