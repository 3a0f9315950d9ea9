/* The buttons glue through a real event loop and the fake source: lines
 * written into the FIFO become gestures, long presses fire from the loop's
 * timer while held, the LED's levels land in PATH.led, a vanished source is
 * survived.  Also the error messages and the chip helpers of gpio.c.  Debounce
 * 30 ms, long press 300 ms; every test checks that no descriptor leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buttons.h"
#include "gpio.h"
#include "log.h"

static char dir[64], fifo[96], chip[128], ledfile[128];
static struct loop *loop;
static struct buttons *btn;
static enum gesture got[32];
static unsigned ngot;
static int fds_before;

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void on_gesture(void *ctx, enum gesture g)
{
	assert_ptr_equal(ctx, &got);
	if (ngot < 32)
		got[ngot++] = g;
	/* As the daemon does: the LED follows the session from the callback. */
	if (g == GESTURE_PLAY_SHORT)
		buttons_set_led(btn, LED_RUNNING);
}

static struct config_buttons config(const char *c, int led)
{
	return (struct config_buttons){
		.enabled = true, .chip = (char *)c, .play = 17, .next = 27, .led = led,
		.active_low = true, .pull_up = true, .debounce_ms = 30, .long_press_ms = 300,
	};
}

static int setup(void **state)
{
	struct config_buttons cfg;
	struct diag err;

	(void)state;
	fds_before = count_fds();
	snprintf(dir, sizeof(dir), "/tmp/coach-buttons-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/buttons", dir);
	snprintf(chip, sizeof(chip), "fake:%s", fifo);
	snprintf(ledfile, sizeof(ledfile), "%s.led", fifo);
	loop = loop_new();
	ngot = 0;
	cfg = config(chip, 22);
	if (!loop || buttons_open(&btn, loop, &cfg, on_gesture, &got, &err) < 0) {
		fprintf(stderr, "%s\n", err.text);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	buttons_close(btn);
	btn = NULL;
	loop_free(loop);
	unlink(ledfile);
	rmdir(dir);     /* fails if the FIFO was left behind */
	assert_int_equal(count_fds(), fds_before);
	return access(fifo, F_OK) == 0 ? -1 : 0;
}

static void send(const char *text)
{
	int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void quit(void *ctx)
{
	loop_quit(ctx);
}

/* Runs the loop for MS milliseconds. */
static void run_ms(unsigned ms)
{
	assert_true(loop_timeout(loop, ms, quit, loop) > 0);
	assert_int_equal(loop_run(loop), 0);
}

/* The LED's changes so far as a string of 0 and 1; the times into MS. */
static const char *led_changes(long long *ms, int max)
{
	static char levels[128];
	char word[8];
	long long t;
	int n = 0;
	FILE *f = fopen(ledfile, "r");

	assert_non_null(f);
	while (n < (int)sizeof(levels) - 1 && fscanf(f, "%7s %lld", word, &t) == 2) {
		if (ms && n < max)
			ms[n] = t;
		levels[n++] = strcmp(word, "on") == 0 ? '1' : '0';
	}
	levels[n] = '\0';
	fclose(f);
	return levels;
}

static void short_presses(void **state)
{
	(void)state;
	assert_true(buttons_available(btn));
	send("play press\n");
	run_ms(60);
	assert_int_equal(ngot, 0);
	send("play release\n");
	run_ms(60);
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0], GESTURE_PLAY_SHORT);
	send("next press\n");
	run_ms(60);
	send("next release\n");
	run_ms(60);
	assert_int_equal(ngot, 2);
	assert_int_equal(got[1], GESTURE_NEXT_SHORT);
}

static void long_press_from_the_timer(void **state)
{
	(void)state;
	send("next press\n");
	run_ms(150);
	assert_int_equal(ngot, 0);
	run_ms(250);                     /* 400 ms held: fired while still held */
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0], GESTURE_NEXT_LONG);
	send("next release\n");
	run_ms(100);
	assert_int_equal(ngot, 1);       /* nothing more on release */
	send("play press\n");
	run_ms(400);
	send("play release\n");
	run_ms(50);
	assert_int_equal(ngot, 2);
	assert_int_equal(got[1], GESTURE_PLAY_LONG);
}

static void bounce_and_chord(void **state)
{
	(void)state;
	/* A burst in one write: the same instant, bounce. */
	send("play press\nplay release\nplay press\nplay release\nplay press\n");
	run_ms(80);
	send("play release\nplay press\nplay release\n");
	run_ms(80);
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0], GESTURE_PLAY_SHORT);
	/* Both buttons: no long press while held, one BOTH when both are up. */
	send("play press\nnext press\n");
	run_ms(400);
	assert_int_equal(ngot, 1);
	send("play release\nnext release\n");
	run_ms(60);
	assert_int_equal(ngot, 2);
	assert_int_equal(got[1], GESTURE_BOTH);
}

static void fake_skips_what_it_cannot_read(void **state)
{
	char junk[200];

	(void)state;
	memset(junk, 'x', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = '\0';
	send("# a comment\n\nplay jump\nstop press\nplay press now\n");
	send(junk);
	send(" play press\n");               /* the end of the overlong line: skipped */
	run_ms(60);
	send("next   press\n");
	run_ms(60);
	send("next release\n");
	run_ms(60);
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0], GESTURE_NEXT_SHORT);
}

static void led_patterns(void **state)
{
	long long ms[64];
	const char *levels;

	(void)state;
	assert_string_equal(led_changes(NULL, 0), "0");   /* off when opened */
	buttons_set_led(btn, LED_RUNNING);
	buttons_set_led(btn, LED_RUNNING);
	run_ms(300);                                      /* steady: no more writes */
	assert_string_equal(led_changes(NULL, 0), "01");
	send("next press\n");                             /* a flash: 80 ms dark */
	run_ms(150);
	levels = led_changes(ms, 64);
	assert_string_equal(levels, "0101");
	assert_in_range(ms[3] - ms[2], 78, 300);
	send("next release\n");
	run_ms(60);
	buttons_set_led(btn, LED_IDLE);
	assert_string_equal(led_changes(NULL, 0), "01010");
	buttons_set_led(btn, LED_PAUSED);                 /* 1 Hz: on, off, on */
	run_ms(1150);
	levels = led_changes(ms, 64);
	assert_string_equal(levels, "01010101");
	/* The blink keeps its phase from when the state was set (led.h), so a
	 * late change (a loaded machine) is followed by an interval short by its
	 * lateness: the pattern does not drift.  Too fast a pattern shows in the
	 * number of changes (above and below), too slow in the upper bounds. */
	assert_in_range(ms[6] - ms[5], 499, 700);
	assert_in_range(ms[7] - ms[6], 400, 700);
	buttons_set_led(btn, LED_ERROR);                  /* 4 Hz, lit at first */
	run_ms(560);
	levels = led_changes(ms, 64);
	assert_in_range(strlen(levels), 11, 12);          /* 125, 250, 375 (and 500) ms */
	assert_in_range(ms[9] - ms[8], 60, 300);
	/* The gesture callback sets the LED: a short Play shows "running". */
	buttons_set_led(btn, LED_IDLE);
	send("play press\n");
	run_ms(50);
	send("play release\n");
	run_ms(150);
	levels = led_changes(NULL, 0);
	assert_int_equal(levels[strlen(levels) - 1], '1');
}

static void vanished_source(void **state)
{
	(void)state;
	send("play press\ngone\n");
	run_ms(50);
	assert_false(buttons_available(btn));
	send("play release\nnext press\nnext release\n");
	run_ms(400);
	/* Told once that it went away; the pending press died with the source. */
	assert_int_equal(ngot, 1);
	assert_int_equal(got[0], GESTURE_NONE);
	buttons_set_led(btn, LED_ERROR);   /* harmless now */
	run_ms(50);
	assert_false(buttons_available(NULL));
}

static void without_led(void **state)
{
	struct buttons *b;
	struct config_buttons cfg = config(chip, -1);
	struct diag err;
	char other[96];

	(void)state;
	/* A second source on a FIFO made beforehand: kept at close. */
	snprintf(other, sizeof(other), "%s/made", dir);
	assert_int_equal(mkfifo(other, 0600), 0);
	snprintf(chip, sizeof(chip), "fake:%s", other);
	cfg.chip = chip;
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), 0);
	buttons_set_led(b, LED_PAUSED);
	run_ms(30);
	buttons_close(b);
	assert_int_equal(access(other, F_OK), 0);
	snprintf(ledfile, sizeof(ledfile), "%s.led", other);
	assert_int_equal(access(ledfile, F_OK), -1);
	unlink(other);
	snprintf(ledfile, sizeof(ledfile), "%s.led", fifo);
	buttons_close(NULL);
}

static void open_errors(void **state)
{
	struct buttons *b = NULL;
	struct config_buttons cfg = config("fake:/nonexistent-coach-dir/buttons", 22);
	struct diag err;

	(void)state;
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'fake:/nonexistent-coach-dir/buttons' (see `gpioinfo`)");
	cfg.chip = (char *)"fake:";
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'fake:' (expected fake:PATH)");
	cfg.chip = (char *)"fake:/dev/null";
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'fake:/dev/null' (see `gpioinfo`)");
	/* The libgpiod backend, on a chip no machine has. */
	cfg.chip = (char *)"gpiochip999";
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'gpiochip999' (see `gpioinfo`)");
	cfg.chip = (char *)"no-such-label";
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'no-such-label' (see `gpioinfo`)");
	assert_null(b);
	if (access("/dev/gpiochip0", F_OK) == 0)
		return;   /* a machine with GPIO: auto-detection would find real lines */
	cfg.chip = NULL;
	assert_int_equal(buttons_open(&b, loop, &cfg, on_gesture, &got, &err), -1);
	assert_non_null(strstr(err.text, "no GPIO chip for the 40-pin header"));
}

static void messages(void **state)
{
	struct diag err;

	(void)state;
	gpio_line_error(&err, "gpiochip0", 17, EBUSY, "xyz", 54);
	assert_string_equal(err.text, "buttons: error: GPIO17 on gpiochip0 is in use by 'xyz' (see `gpioinfo`)");
	gpio_line_error(&err, "gpiochip0", 27, EBUSY, NULL, 54);
	assert_string_equal(err.text, "buttons: error: GPIO27 on gpiochip0 is in use (see `gpioinfo`)");
	gpio_line_error(&err, "gpiochip0", 60, ERANGE, NULL, 54);
	assert_string_equal(err.text, "buttons: error: GPIO60 is not on gpiochip0, which has 54 lines (see `gpioinfo`)");
	gpio_line_error(&err, "gpiochip4", 17, EACCES, NULL, 54);
	assert_string_equal(err.text, "buttons: error: GPIO17 on gpiochip4: permission denied (the chips must be group gpio, mode 0660, as coach's udev rule makes them: see `ls -l /dev/gpiochip*`)");
	gpio_chip_error(&err, "gpiochip0", EACCES);
	assert_string_equal(err.text, "buttons: error: cannot open GPIO chip 'gpiochip0': permission denied (the chips must be group gpio, mode 0660, as coach's udev rule makes them: see `ls -l /dev/gpiochip*`)");
	gpio_chip_error(&err, NULL, EPERM);
	assert_string_equal(err.text, "buttons: error: cannot open the GPIO chips: permission denied (the chips must be group gpio, mode 0660, as coach's udev rule makes them: see `ls -l /dev/gpiochip*`)");
	gpio_chip_error(&err, "gpiochip9", ENOENT);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'gpiochip9' (see `gpioinfo`)");
}

static void chip_helpers(void **state)
{
	char path[64];

	(void)state;
	assert_int_equal(gpio_chip_path("/dev/gpiochip4", path, sizeof(path)), 1);
	assert_string_equal(path, "/dev/gpiochip4");
	assert_int_equal(gpio_chip_path("4", path, sizeof(path)), 1);
	assert_string_equal(path, "/dev/gpiochip4");
	assert_int_equal(gpio_chip_path("gpiochip0", path, sizeof(path)), 1);
	assert_string_equal(path, "/dev/gpiochip0");
	assert_int_equal(gpio_chip_path("pinctrl-rp1", path, sizeof(path)), 0);
	assert_true(gpio_is_header_label("pinctrl-bcm2835"));
	assert_true(gpio_is_header_label("pinctrl-bcm2711"));
	assert_true(gpio_is_header_label("pinctrl-rp1"));
	assert_false(gpio_is_header_label("gpio-brcmstb@107d508500"));
	assert_false(gpio_is_header_label("raspberrypi-exp-gpio"));
	assert_false(gpio_is_header_label(NULL));
	assert_string_equal(gpio_backend_for_chip("fake:/tmp/x")->name, "fake");
	assert_string_equal(gpio_backend_for_chip(NULL)->name, "gpiod");
	assert_string_equal(gpio_backend_for_chip("pinctrl-rp1")->name, "gpiod");
	assert_null(gpio_backend_find("pigpio"));
	assert_null(gpio_backend_find(NULL));
}

/* The chip search both libgpiod backends share, through a stand-in for
 * libgpiod: which path it opens, what it says when it cannot, and that every
 * chip it looked into and did not keep is closed again. */
static char opened_path[64];
static int opens, closes, open_errno;
static int token;

static void *stub_open(const char *path)
{
	snprintf(opened_path, sizeof(opened_path), "%s", path);
	opens++;
	errno = open_errno;
	return open_errno ? NULL : &token;
}

static bool stub_has_label(void *c, const char *label)
{
	(void)c;
	(void)label;
	return false;
}

static void stub_close(void *c)
{
	assert_ptr_equal(c, &token);
	closes++;
}

static void chip_search(void **state)
{
	const struct gpio_chip_ops ops = { stub_open, stub_has_label, stub_close };
	struct diag err;

	(void)state;
	assert_ptr_equal(gpio_open_chip("gpiochip7", &ops, &err), &token);
	assert_string_equal(opened_path, "/dev/gpiochip7");
	assert_ptr_equal(gpio_open_chip("/dev/gpiochip2", &ops, &err), &token);
	assert_string_equal(opened_path, "/dev/gpiochip2");
	open_errno = EACCES;
	assert_null(gpio_open_chip("3", &ops, &err));
	assert_string_equal(opened_path, "/dev/gpiochip3");
	assert_non_null(strstr(err.text, "cannot open GPIO chip '3': permission denied"));
	/* A label no chip has: whatever chips this machine has are opened, found
	 * wanting and closed, and the error names the label. */
	open_errno = 0;
	opens = closes = 0;
	assert_null(gpio_open_chip("pinctrl-none", &ops, &err));
	assert_int_equal(opens, closes);
	assert_string_equal(err.text, "buttons: error: no GPIO chip 'pinctrl-none' (see `gpioinfo`)");
}

/* The watch for a chip's node: its deletion is seen, another node's is not,
 * and nothing pending reads as not gone (libgpiod 1.6 on Linux 6.1 says
 * nothing when a chip goes away; issue 14.3). */
static void chip_watch(void **state)
{
	char node[300], other[300];
	int w;

	(void)state;
	snprintf(node, sizeof(node), "%s/gpiochip0", dir);
	snprintf(other, sizeof(other), "%s/gpiochip1", dir);
	assert_int_equal(close(open(node, O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(close(open(other, O_CREAT | O_WRONLY, 0600)), 0);
	w = gpio_watch_chip(dir);
	assert_true(w >= 0);
	assert_int_equal(gpio_chip_gone(w, "gpiochip0"), 0);
	assert_int_equal(unlink(other), 0);
	assert_int_equal(gpio_chip_gone(w, "gpiochip0"), 0);
	assert_int_equal(unlink(node), 0);
	assert_int_equal(gpio_chip_gone(w, "gpiochip0"), 1);
	assert_int_equal(gpio_chip_gone(w, "gpiochip0"), 0);
	close(w);
	assert_true(gpio_watch_chip("/nonexistent-coach-dir") < 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(short_presses),
		T(long_press_from_the_timer),
		T(bounce_and_chord),
		T(fake_skips_what_it_cannot_read),
		T(led_patterns),
		T(vanished_source),
		T(without_led),
		T(open_errors),
		T(chip_watch),
		cmocka_unit_test(messages),
		cmocka_unit_test(chip_helpers),
		cmocka_unit_test(chip_search),
	};

	log_init("test_buttons", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
