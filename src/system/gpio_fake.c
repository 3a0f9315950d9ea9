/* The fake button source, for tests and machines without GPIO.  The chip
 * "fake:PATH" names a FIFO (made when missing, removed at close if made here)
 * into which a test writes lines:
 *
 *   play press      play release      next press      next release
 *   gone            (the device goes away: every read fails with ENODEV)
 *
 * Each edge is stamped with CLOCK_MONOTONIC when it is read, as the kernel
 * stamps a real one.  Blank lines, lines starting with '#' and unknown lines
 * are skipped.  The FIFO is opened read-write so that writers may come and
 * go (`echo play press > PATH`) without an end of file.
 *
 * With an LED line configured, each change of the LED is appended to
 * PATH.led as "on MS" or "off MS" (MS: CLOCK_MONOTONIC milliseconds), so a
 * test can check the pattern. */
#include "gpio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN 64

struct gpio_source {
	int fd;
	int led_fd;              /* -1 without an LED */
	bool made;               /* the FIFO was made here: remove it at close */
	bool gone;
	bool skipping;           /* inside an overlong line, up to its newline */
	char path[256];
	size_t len;              /* bytes of the partial line in BUF */
	char buf[LINE_MAX_LEN];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void fake_close(struct gpio_source *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	if (s->led_fd >= 0)
		close(s->led_fd);
	if (s->made)
		unlink(s->path);
	free(s);
}

static int fake_open(struct gpio_source **out, const struct gpio_config *cfg, struct diag *err)
{
	struct gpio_source *s = calloc(1, sizeof(*s));
	const char *path = cfg->chip && strncmp(cfg->chip, "fake:", 5) == 0 ? cfg->chip + 5 : "";
	struct stat st;
	char led_path[300];

	if (!s)
		return diag_set(err, "buttons", 0, 0, "fake:%s: out of memory", path);
	s->fd = s->led_fd = -1;
	if (!*path || strlen(path) >= sizeof(s->path)) {
		fake_close(s);
		return diag_set(err, "buttons", 0, 0, "no GPIO chip '%s' (expected fake:PATH)",
				cfg->chip ? cfg->chip : "");
	}
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (mkfifo(path, 0600) == 0)
		s->made = true;
	else if (errno != EEXIST || stat(path, &st) < 0 || !S_ISFIFO(st.st_mode))
		goto err_chip;
	s->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0)
		goto err_chip;
	if (cfg->led >= 0) {
		snprintf(led_path, sizeof(led_path), "%s.led", path);
		s->led_fd = open(led_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
		if (s->led_fd < 0) {
			int e = errno;

			fake_close(s);
			return gpio_line_error(err, cfg->chip, (unsigned)cfg->led, e, NULL, 0);
		}
	}
	*out = s;
	return 0;

err_chip:
	{
		int e = errno == EEXIST ? ENOTTY : errno;   /* there, but not a FIFO */

		fake_close(s);
		return gpio_chip_error(err, cfg->chip, e);
	}
}

static int fake_fd(struct gpio_source *s)
{
	return s->fd;
}

/* Parses one complete line into E.  Returns 1 for an edge, 0 for a line
 * without one; sets GONE for "gone". */
static int parse(struct gpio_source *s, const char *line, struct gpio_edge *e)
{
	char button[16], action[16], extra;
	int n = sscanf(line, "%15s %15s %c", button, action, &extra);

	if (n == 1 && strcmp(button, "gone") == 0) {
		s->gone = true;
		return 0;
	}
	if (n != 2)
		return 0;
	if (strcmp(button, "play") == 0)
		e->button = GPIO_PLAY;
	else if (strcmp(button, "next") == 0)
		e->button = GPIO_NEXT;
	else
		return 0;
	if (strcmp(action, "press") != 0 && strcmp(action, "release") != 0)
		return 0;
	e->pressed = action[0] == 'p';
	e->ns = now_ns();
	return 1;
}

/* Reads one byte at a time: lines are a few bytes, and what is left after a
 * full OUT or a "gone" stays in the FIFO for the next call. */
static int fake_read(struct gpio_source *s, struct gpio_edge *out, size_t n)
{
	size_t got = 0;
	char c;

	while (!s->gone && got < n) {
		ssize_t r = read(s->fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0)
			return r < 0 ? -errno : -ENODEV;
		if (c != '\n') {
			if (s->len + 1 < sizeof(s->buf))
				s->buf[s->len++] = c;
			else
				s->skipping = true;
			continue;
		}
		s->buf[s->len] = '\0';
		if (!s->skipping && s->buf[0] != '#')
			got += (size_t)parse(s, s->buf, &out[got]);
		s->len = 0;
		s->skipping = false;
	}
	return got == 0 && s->gone ? -ENODEV : (int)got;
}

static int fake_set_led(struct gpio_source *s, bool on)
{
	char line[48];
	int len;

	if (s->gone)
		return -ENODEV;
	if (s->led_fd < 0)
		return 0;
	len = snprintf(line, sizeof(line), "%s %llu\n", on ? "on" : "off",
		       (unsigned long long)(now_ns() / 1000000u));
	return write(s->led_fd, line, (size_t)len) == len ? 0 : -EIO;
}

const struct gpio_backend gpio_backend_fake = {
	.name = "fake",
	.debounces = false,
	.open = fake_open,
	.fd = fake_fd,
	.read = fake_read,
	.set_led = fake_set_led,
	.close = fake_close,
};
