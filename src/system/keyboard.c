#include "keyboard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "safetext.h"

static struct termios saved;
static int saved_fd = -1;
static bool progress_shown;

void keyboard_close(void)
{
	if (saved_fd >= 0) {
		tcsetattr(saved_fd, TCSAFLUSH, &saved);
		saved_fd = -1;
	}
	keyboard_newline();
}

int keyboard_open(int fd)
{
	struct termios raw;

	if (!isatty(fd))
		return 0;
	if (tcgetattr(fd, &saved) < 0)
		return -errno;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSAFLUSH, &raw) < 0)
		return -errno;
	saved_fd = fd;
	/* Also on exit() paths that do not pass through the daemon's shutdown. */
	atexit(keyboard_close);
	return 0;
}

void keyboard_progress(const char *text)
{
	char line[512];

	if (!isatty(STDERR_FILENO))
		return;
	safetext_copy(line, sizeof(line), text);  /* a step's name: no escapes */
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	progress_shown = true;
}

void keyboard_newline(void)
{
	if (progress_shown) {
		fputc('\n', stderr);
		progress_shown = false;
	}
}
