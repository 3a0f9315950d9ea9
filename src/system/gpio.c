/* The list of button sources and what the libgpiod backends share: finding
 * the header's chip and saying why a chip or line cannot be had. */
#include "gpio.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* Never modified at run time. */
static const struct gpio_backend *const backends[] = {
	&gpio_backend_gpiod,
	&gpio_backend_fake,
	NULL,
};

/* The 40-pin header's controller as each Pi reports it (gpiodetect):
 * Pi 1-3 and Zero 2 W "pinctrl-bcm2835" (54 lines), Pi 4 and 400
 * "pinctrl-bcm2711" (58 lines), Pi 5 "pinctrl-rp1" (54 lines).  The Pi 5's
 * chip number changed between kernels (gpiochip4, then gpiochip0 from 6.6.47,
 * and later kernels have no gpiochip0 at all), hence the labels. */
static const char *const header_labels[] = {
	"pinctrl-bcm2835", "pinctrl-bcm2711", "pinctrl-rp1", NULL,
};

const struct gpio_backend *gpio_backend_find(const char *name)
{
	for (int i = 0; name && backends[i]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

const struct gpio_backend *gpio_backend_for_chip(const char *chip)
{
	return gpio_backend_find(chip && strncmp(chip, "fake:", 5) == 0 ? "fake" : "gpiod");
}

bool gpio_is_header_label(const char *label)
{
	for (int i = 0; label && header_labels[i]; i++)
		if (strcmp(label, header_labels[i]) == 0)
			return true;
	return false;
}

/* "gpiochip12" -> 12; anything else -> -1. */
static long chip_number(const char *name)
{
	char *end;
	long n;

	if (strncmp(name, "gpiochip", 8) != 0 || name[8] < '0' || name[8] > '9')
		return -1;
	n = strtol(name + 8, &end, 10);
	return *end ? -1 : n;
}

static int is_chip(const struct dirent *d)
{
	return chip_number(d->d_name) >= 0;
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	long x = chip_number((*a)->d_name), y = chip_number((*b)->d_name);

	return (x > y) - (x < y);
}

/* Calls FN with the path of each /dev/gpiochipN, in number order, until FN
 * returns non-zero.  Returns what FN returned, 0 when it never did, or
 * -errno when /dev cannot be read. */
static int each_chip(int (*fn)(void *ctx, const char *path), void *ctx)
{
	struct dirent **list;
	char path[300];
	int n = scandir("/dev", &list, is_chip, by_number);
	int rc = 0;

	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/%s", list[i]->d_name);
		if (!rc)
			rc = fn(ctx, path);
		free(list[i]);
	}
	free(list);
	return rc;
}

int gpio_chip_path(const char *chip, char *path, size_t size)
{
	if (chip[0] == '/')
		snprintf(path, size, "%s", chip);
	else if (chip[0] && strspn(chip, "0123456789") == strlen(chip))
		snprintf(path, size, "/dev/gpiochip%s", chip);
	else if (strncmp(chip, "gpiochip", 8) == 0)
		snprintf(path, size, "/dev/%s", chip);
	else
		return 0;
	return 1;
}

/* A search of /dev for a chip by label. */
struct find {
	const char *label;               /* NULL: the header's */
	const struct gpio_chip_ops *ops;
	void *chip;
	int denied;                      /* errno of a chip that could not be opened */
};

/* Keeps the chip at PATH open in F->chip if its label is the one looked for. */
static int match(void *ctx, const char *path)
{
	struct find *f = ctx;
	void *c = f->ops->open(path);

	if (!c) {
		if (errno == EACCES || errno == EPERM)
			f->denied = errno;
		return 0;
	}
	if (f->ops->has_label(c, f->label)) {
		f->chip = c;
		return 1;
	}
	f->ops->close(c);
	return 0;
}

void *gpio_open_chip(const char *name, const struct gpio_chip_ops *ops, struct diag *err)
{
	struct find f = { .label = name, .ops = ops };
	char path[300];
	int rc;

	if (name && gpio_chip_path(name, path, sizeof(path))) {
		void *chip = ops->open(path);

		if (!chip)
			gpio_chip_error(err, name, errno);
		/* cppcheck takes OPEN's result for its argument; it is a chip. */
		// cppcheck-suppress returnDanglingLifetime
		return chip;
	}
	rc = each_chip(match, &f);
	if (!f.chip)
		gpio_chip_error(err, name, rc < 0 ? -rc : f.denied ? f.denied : ENOENT);
	return f.chip;
}

/* Why a chip is not open to coachd's user, who is in group gpio (sysusers):
 * the chip's node is not.  Raspberry Pi OS's udev rules give the chips to
 * group gpio; plain Debian leaves them root's, and coach's own rule
 * (systemd/coach-gpio.rules) does what Raspberry Pi OS does. */
#define PERMISSION_HINT "(the chips must be group gpio, mode 0660, as coach's udev rule " \
	"makes them: see `ls -l /dev/gpiochip*`)"

int gpio_chip_error(struct diag *err, const char *chip, int errnum)
{
	switch (errnum) {
	case ENOENT: case ENODEV: case ENOTTY: case ENXIO:
		if (!chip)
			return diag_set(err, "buttons", 0, 0,
					"no GPIO chip for the 40-pin header (none is labelled "
					"pinctrl-bcm2835, pinctrl-bcm2711 or pinctrl-rp1); set "
					"'chip' under 'buttons' in coach.yaml (see `gpiodetect`)");
		return diag_set(err, "buttons", 0, 0, "no GPIO chip '%s' (see `gpioinfo`)", chip);
	case EACCES: case EPERM:
		return diag_set(err, "buttons", 0, 0,
				"cannot open %s%s%s: permission denied " PERMISSION_HINT,
				chip ? "GPIO chip '" : "the GPIO chips", chip ? chip : "", chip ? "'" : "");
	default:
		return diag_set(err, "buttons", 0, 0, "cannot open GPIO chip '%s': %s",
				chip ? chip : "(the 40-pin header's)", strerror(errnum));
	}
}

int gpio_line_error(struct diag *err, const char *chip, unsigned line, int errnum,
		    const char *consumer, unsigned nlines)
{
	switch (errnum) {
	case EBUSY:
		if (consumer && *consumer)
			return diag_set(err, "buttons", 0, 0, "GPIO%u on %s is in use by '%s' (see `gpioinfo`)",
					line, chip, consumer);
		return diag_set(err, "buttons", 0, 0, "GPIO%u on %s is in use (see `gpioinfo`)", line, chip);
	case ERANGE:
		return diag_set(err, "buttons", 0, 0, "GPIO%u is not on %s, which has %u lines (see `gpioinfo`)",
				line, chip, nlines);
	case EACCES: case EPERM:
		return diag_set(err, "buttons", 0, 0,
				"GPIO%u on %s: permission denied " PERMISSION_HINT, line, chip);
	case EINVAL:
		return diag_set(err, "buttons", 0, 0,
				"GPIO%u on %s: the kernel refused the line settings (an old kernel "
				"without pull-up support? try pull_up: false and an external resistor)",
				line, chip);
	default:
		return diag_set(err, "buttons", 0, 0, "GPIO%u on %s: %s", line, chip, strerror(errnum));
	}
}

int gpio_watch_chip(const char *dir)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (inotify_add_watch(fd, dir, IN_DELETE) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int gpio_chip_gone(int watch, const char *name)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int gone = 0;
	ssize_t n;

	while ((n = read(watch, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if ((ev->mask & IN_Q_OVERFLOW) || (ev->mask & IN_IGNORED) ||
			    (ev->len && strcmp(ev->name, name) == 0))
				gone = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	return gone;
}
