/* systemd's notification protocol over a real datagram socket: what arrives
 * is one assignment per message, whatever the text in it came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

static char dir[64], path[96];
static int sink = -1;

static int setup(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/coach-notify.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/notify", dir);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	sink = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sink < 0 || bind(sink, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	setenv("NOTIFY_SOCKET", path, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(sink);
	unlink(path);
	rmdir(dir);
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

/* The next datagram, NUL-terminated; "" when there is none. */
static const char *received(void)
{
	static char buf[1024];
	ssize_t n = recv(sink, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Issue 16, finding 15: a step called "Stretch\nWATCHDOG=trigger" (or a `|`
 * block) sent WATCHDOG=trigger, and so on, as assignments of their own. */
static void names_cannot_add_assignments(void **state)
{
	static const char *const name[] = {
		"Stretch\nWATCHDOG=trigger", "Hold\nSTOPPING=1\n", "x\r\nEXTEND_TIMEOUT_USEC=1",
		("\xe2\x80\xa8" "MAINPID=1"),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(name) / sizeof(name[0]); i++) {
		const char *got;

		assert_int_equal(notify_send("STATUS=Step 1/2: %s", name[i]), 0);
		got = received();
		assert_true(strncmp(got, "STATUS=Step 1/2: ", 17) == 0);
		assert_null(strpbrk(got, "\n\r"));
		assert_null(strstr(got, "\xe2\x80\xa8"));
		assert_string_equal(received(), "");  /* and nothing else was sent */
	}
	assert_int_equal(notify_send("READY=1"), 0);
	assert_string_equal(received(), "READY=1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(names_cannot_add_assignments, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
