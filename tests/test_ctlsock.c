/* The control socket over real sockets in a temporary folder.  The server runs
 * its own loop in a second thread; this thread plays the clients, with short
 * timeouts so that every case finishes in well under a second.  Every test
 * checks that the process has as many descriptors at the end as at the start. */
/* For accept4 and pipe2 even when CFLAGS is replaced (as `make asan` does). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <grp.h>
#include <signal.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctlsock.h"
#include "loop.h"

#define STATUS_LINE "running step=3/12 name=\"Hip flexor stretch\" side=left rep=- " \
	"remaining=17.4 session_remaining=612.0"
#define BIG 16000   /* bytes of the reply to "start big": several writes */
#define EXPECTED "(expected status, play, pause, resume, next, stop, reload, list, history [csv], start NAME, hurt, report, snooze, not-today, checkin N)"

struct server {
	struct loop *loop;
	struct ctlsock *sock;
	pthread_t thread;
	int stop[2];              /* a byte written here ends the loop */
	pthread_mutex_t lock;
	int calls;                /* handler calls, under lock */
	struct control_request last;
};

static char dir[64], path[96];  /* fits in sun_path */
/* Global, not on a test's stack: if a test fails half way, teardown still
 * stops the thread that uses it. */
static struct server srv;
static int fds_before;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Replies as the daemon would; "start NAME" selects odd replies. */
static void handler(void *ctx, const struct control_request *req, char *reply, size_t size)
{
	struct server *sv = ctx;

	pthread_mutex_lock(&sv->lock);
	sv->calls++;
	sv->last = *req;
	pthread_mutex_unlock(&sv->lock);
	if (req->cmd == CONTROL_STATUS) {
		snprintf(reply, size, "%s", STATUS_LINE);
	} else if (req->cmd != CONTROL_START) {
		snprintf(reply, size, "ok %s", control_cmd_name(req->cmd));
	} else if (strcmp(req->arg, "big") == 0) {
		memset(reply, 'x', BIG);
		reply[BIG] = '\0';
	} else if (strcmp(req->arg, "empty") == 0) {
		reply[0] = '\0';
	} else if (strcmp(req->arg, "two lines") == 0) {
		snprintf(reply, size, "line one\nline two");
	} else if (strcmp(req->arg, "escapes") == 0) {
		snprintf(reply, size, "ok \033[2J\xc2\x9b" "31m\r");
	} else {
		snprintf(reply, size, "ok starting \"%s\"", req->arg);
	}
}

static void on_stop(void *ctx, int fd, uint32_t events)
{
	struct server *sv = ctx;

	(void)fd;
	(void)events;
	loop_quit(sv->loop);
}

static void *run(void *arg)
{
	struct server *sv = arg;

	return (void *)(intptr_t)loop_run(sv->loop);
}

static void server_start(struct server *sv, unsigned timeout_ms, int sndbuf)
{
	struct diag err;

	memset(sv, 0, sizeof(*sv));
	pthread_mutex_init(&sv->lock, NULL);
	sv->loop = loop_new();
	assert_non_null(sv->loop);
	assert_int_equal(pipe2(sv->stop, O_CLOEXEC), 0);
	assert_int_equal(loop_add(sv->loop, sv->stop[0], EPOLLIN, on_stop, sv), 0);
	if (ctlsock_open(&sv->sock, sv->loop, path, handler, sv, &err) != 0)
		fail_msg("ctlsock_open: %s", err.text);
	ctlsock_set_timeout(sv->sock, timeout_ms);
	ctlsock_set_sndbuf(sv->sock, sndbuf);
	assert_int_equal(pthread_create(&sv->thread, NULL, run, sv), 0);
}

static void server_stop(struct server *sv)
{
	void *rc;

	assert_int_equal(write(sv->stop[1], "q", 1), 1);
	assert_int_equal(pthread_join(sv->thread, &rc), 0);
	assert_int_equal((intptr_t)rc, 0);
	ctlsock_close(sv->sock);
	assert_int_equal(loop_remove(sv->loop, sv->stop[0]), 0);
	close(sv->stop[0]);
	close(sv->stop[1]);
	loop_free(sv->loop);
	pthread_mutex_destroy(&sv->lock);
	sv->loop = NULL;
}

static int calls(struct server *sv)
{
	int n;

	pthread_mutex_lock(&sv->lock);
	n = sv->calls;
	pthread_mutex_unlock(&sv->lock);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_ctlsock.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%.63s/coach.sock", dir);
	fds_before = count_fds();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (srv.loop)
		server_stop(&srv);
	assert_int_equal(count_fds(), fds_before);
	if (unlink(path) < 0)
		assert_int_equal(errno, ENOENT);
	assert_int_equal(rmdir(dir), 0);
	return 0;
}

/* ---- raw clients ---- */

static int client_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, path, sizeof(path));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail_msg("connect %s: %s", path, strerror(errno));
	return fd;
}

/* Sends what the server takes; it may close early on junk. */
static void client_send(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0) {
			assert_true(errno == EPIPE || errno == ECONNRESET);
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

/* Reads until the server closes; fails the test after TIMEOUT_MS.  Returns the
 * bytes read, NUL-terminated in BUF. */
static size_t client_read_all(int fd, char *buf, size_t size, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	size_t got = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t n;

		if (now >= deadline || poll(&p, 1, (int)(deadline - now)) == 0)
			fail_msg("no end of reply within %d ms (got %zu bytes)", timeout_ms, got);
		n = recv(fd, buf + got, size - 1 - got, 0);
		if (n < 0 && errno == ECONNRESET)
			n = 0;  /* closed with our junk unread: same as an end */
		assert_true(n >= 0);
		if (n == 0)
			break;
		got += (size_t)n;
		assert_true(got < size - 1);
	}
	buf[got] = '\0';
	return got;
}

/* One connection: sends DATA, returns the whole answer in BUF. */
static const char *exchange(const char *data, size_t len, char *buf, size_t size)
{
	int fd = client_connect();

	client_send(fd, data, len);
	client_read_all(fd, buf, size, 2000);
	close(fd);
	return buf;
}

static const char *ask(const char *line)
{
	static char buf[BIG + 64];

	return exchange(line, strlen(line), buf, sizeof(buf));
}

/* ---- tests ---- */

static void round_trip(void **state)
{
	struct diag err;
	char reply[CONTROL_MAX_REPLY];

	(void)state;
	server_start(&srv, 1000, 0);
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	assert_string_equal(ask("play\n"), "ok play\n");
	assert_string_equal(ask("pause\r\n"), "ok pause\n");
	assert_string_equal(ask("  history \n"), "ok history\n");
	assert_string_equal(ask("start Morning back\n"), "ok starting \"Morning back\"\n");
	assert_int_equal(calls(&srv), 5);
	pthread_mutex_lock(&srv.lock);
	assert_int_equal(srv.last.cmd, CONTROL_START);
	assert_string_equal(srv.last.arg, "Morning back");
	pthread_mutex_unlock(&srv.lock);
	/* What follows the first line is ignored. */
	assert_string_equal(ask("next\nstop\n"), "ok next\n");
	assert_int_equal(calls(&srv), 6);

	/* The client side. */
	assert_int_equal(ctlsock_request(path, "resume", reply, sizeof(reply), 1000, &err), 0);
	assert_string_equal(reply, "ok resume");
	assert_int_equal(ctlsock_request(path, "status", reply, sizeof(reply), 1000, &err), 0);
	assert_string_equal(reply, STATUS_LINE);
	assert_int_equal(ctlsock_request(path, "frobnicate", reply, sizeof(reply), 1000, &err), 0);
	assert_string_equal(reply, "error: unknown command 'frobnicate' " EXPECTED);
	assert_int_equal(ctlsock_request(path, "start big", reply, sizeof(reply), 1000, &err), 0);
	assert_int_equal(strlen(reply), BIG);
	server_stop(&srv);
}

/* A client that shuts down its side without a '\n' is answered all the same. */
static void end_of_input_ends_the_line(void **state)
{
	char buf[256];
	int fd;

	(void)state;
	server_start(&srv, 1000, 0);
	fd = client_connect();
	client_send(fd, "stop", 4);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	client_read_all(fd, buf, sizeof(buf), 1000);
	assert_string_equal(buf, "ok stop\n");
	close(fd);
	/* Connecting and leaving without a word costs nothing. */
	for (int i = 0; i < 10; i++)
		close(client_connect());
	assert_string_equal(ask("reload\n"), "ok reload\n");
	assert_int_equal(calls(&srv), 2);
	server_stop(&srv);
}

static void handler_reply_is_one_line(void **state)
{

	(void)state;
	server_start(&srv, 1000, 0);
	/* A raw line break or escape from a handler is cleaned, never sent, and
	 * hides nothing after it (issue 16, finding 16). */
	assert_string_equal(ask("start two lines\n"), "line one line two\n");
	assert_string_equal(ask("start escapes\n"), "ok  [2J 31m \n");
	assert_string_equal(ask("start empty\n"), "error: internal error (empty reply)\n");
	server_stop(&srv);
}

static void oversized_requests(void **state)
{
	static char junk[100000];
	char line[CONTROL_MAX_LINE + 2], buf[512];

	(void)state;
	server_start(&srv, 1000, 0);
	/* 257 bytes with the '\n', 300 without one, and 100 kB in one go. */
	memset(line, 'a', sizeof(line));
	line[CONTROL_MAX_LINE] = '\n';
	assert_string_equal(exchange(line, CONTROL_MAX_LINE + 1, buf, sizeof(buf)),
			    "error: request too long (at most 256 bytes)\n");
	memset(junk, 'b', sizeof(junk));
	assert_string_equal(exchange(junk, 300, buf, sizeof(buf)),
			    "error: request too long (at most 256 bytes)\n");
	assert_string_equal(exchange(junk, sizeof(junk), buf, sizeof(buf)),
			    "error: request too long (at most 256 bytes)\n");
	/* 256 bytes with the '\n' is long enough to be parsed. */
	line[CONTROL_MAX_LINE - 1] = '\n';
	assert_string_equal(exchange(line, CONTROL_MAX_LINE, buf, sizeof(buf)),
			    "error: unknown command 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' " EXPECTED "\n");
	/* The longest name fits. */
	memset(line, 'n', sizeof(line));
	memcpy(line, "start ", 6);
	line[6 + CONTROL_MAX_ARG] = '\n';
	exchange(line, 6 + CONTROL_MAX_ARG + 1, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "ok starting \"nnn", 16), 0);
	assert_int_equal(calls(&srv), 1);
	server_stop(&srv);
}

static void junk_gets_an_error(void **state)
{
	char buf[512], noise[200];

	(void)state;
	server_start(&srv, 1000, 0);
	assert_string_equal(exchange("\xff\x00\x01garbage\n", 11, buf, sizeof(buf)),
			    "error: invalid UTF-8 (byte 0xff) at column 1\n");
	assert_string_equal(exchange("status\0\n", 8, buf, sizeof(buf)),
			    "error: NUL byte at column 7\n");
	assert_string_equal(ask("\x1b[A\n"), "error: control character 0x1b at column 1\n");
	assert_string_equal(ask("status please\n"),
			    "error: 'status' takes no argument (got 'please')\n");
	assert_string_equal(ask("start\n"), "error: 'start' needs a routine name (usage: start NAME)\n");
	assert_string_equal(ask("\n"), "error: empty request " EXPECTED "\n");
	/* Pseudo-random binary with a newline somewhere: some error, never a crash. */
	srand(7);
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof(noise); i++)
			noise[i] = (char)(rand() & 0xff);
		noise[round * 7 + 3] = '\n';
		exchange(noise, sizeof(noise), buf, sizeof(buf));
		assert_int_equal(strncmp(buf, "error: ", 7), 0);
		assert_non_null(strchr(buf, '\n'));
	}
	assert_int_equal(calls(&srv), 0);
	server_stop(&srv);
}

/* A half line then silence is dropped after the timeout; others are served
 * meanwhile. */
static void slow_client_is_dropped(void **state)
{
	char buf[256];
	uint64_t t0, t1;
	int slow, silent;

	(void)state;
	server_start(&srv, 200, 0);
	t0 = now_ms();
	slow = client_connect();
	silent = client_connect();
	client_send(slow, "sta", 3);
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	assert_true(now_ms() - t0 < 150);
	client_read_all(slow, buf, sizeof(buf), 1500);
	t1 = now_ms();
	assert_string_equal(buf, "error: timed out waiting for a request (200 ms)\n");
	assert_true(t1 - t0 >= 190);
	assert_true(t1 - t0 < 1000);
	client_read_all(silent, buf, sizeof(buf), 500);
	assert_string_equal(buf, "error: timed out waiting for a request (200 ms)\n");
	close(slow);
	close(silent);
	assert_int_equal(calls(&srv), 1);
	server_stop(&srv);
}

/* A reply larger than the (shrunk) send buffer goes out in several writes; a
 * client that never reads it is dropped after the timeout. */
static void client_that_never_reads(void **state)
{
	static char buf[BIG + 64];
	size_t got;
	int lazy;

	(void)state;
	server_start(&srv, 300, 1);
	lazy = client_connect();
	client_send(lazy, "start big\n", 10);
	/* Meanwhile: a reader gets all of a big reply, and a small one. */
	got = strlen(ask("start big\n"));
	assert_int_equal(got, BIG + 1);
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	usleep(400 * 1000);
	got = client_read_all(lazy, buf, sizeof(buf), 500);
	assert_true(got > 0);
	assert_true(got < BIG + 1);
	assert_int_equal(strspn(buf, "x"), got);
	close(lazy);
	server_stop(&srv);
}

static void disconnect_mid_reply(void **state)
{
	char buf[128];

	(void)state;
	server_start(&srv, 1000, 1);
	/* Gone before the reply is written: the server's send gets EPIPE, and
	 * without MSG_NOSIGNAL SIGPIPE would end this test. */
	for (int i = 0; i < 20; i++) {
		int fd = client_connect();

		client_send(fd, "status\n", 7);
		close(fd);
	}
	/* Gone after reading part of a reply that needs several writes. */
	for (int i = 0; i < 5; i++) {
		int fd = client_connect();
		struct pollfd p = { .fd = fd, .events = POLLIN };

		client_send(fd, "start big\n", 10);
		assert_int_equal(poll(&p, 1, 1000), 1);
		assert_true(recv(fd, buf, sizeof(buf), 0) > 0);
		close(fd);
	}
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	server_stop(&srv);
}

/* 64 silent connections fill the table: the next is told "error: busy". */
/* Issue 16, finding 23: CTLSOCK_MAX_CLIENTS idle clients that reconnect
 * whenever they are dropped locked every other client out ("error: busy" 20
 * times out of 20).  When full, the oldest idle one makes room, again and
 * again: a newcomer is always answered. */
static void full_server_drops_the_oldest_idle(void **state)
{
	int held[CTLSOCK_MAX_CLIENTS], extra;
	char buf[256];

	(void)state;
	server_start(&srv, 5000, 0);
	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++)
		held[i] = client_connect();
	/* An idle newcomer cannot push out connections still in their grace:
	 * idle clients churn only slowly among themselves. */
	extra = client_connect();
	client_read_all(extra, buf, sizeof(buf), 2000);
	assert_string_equal(buf, "error: busy\n");
	close(extra);
	/* Past their grace, so that a newcomer takes a slot whether or not the
	 * server sees its line with the connection. */
	usleep((CTLSOCK_GRACE_MS + 50) * 1000);
	for (int round = 0; round < 20; round++) {
		int oldest = round % CTLSOCK_MAX_CLIENTS;

		assert_string_equal(ask("status\n"), STATUS_LINE "\n");
		/* The oldest squatter was told and closed; it comes straight back. */
		client_read_all(held[oldest], buf, sizeof(buf), 2000);
		assert_string_equal(buf, "error: busy\n");
		close(held[oldest]);
		held[oldest] = client_connect();
	}
	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++)
		close(held[i]);
	server_stop(&srv);
}

/* 100 clients at once: every one is answered or told busy, none hangs. */
static void hundred_clients_at_once(void **state)
{
	enum { N = 100 };
	int fd[N], ok = 0, busy = 0;
	char buf[256];

	(void)state;
	server_start(&srv, 1000, 0);
	for (int i = 0; i < N; i++) {
		fd[i] = client_connect();
		client_send(fd[i], "status\n", 7);
	}
	for (int i = 0; i < N; i++) {
		client_read_all(fd[i], buf, sizeof(buf), 2000);
		if (strcmp(buf, STATUS_LINE "\n") == 0)
			ok++;
		else if (strcmp(buf, "error: busy\n") == 0)
			busy++;
		else
			fail_msg("client %d got '%s'", i, buf);
		close(fd[i]);
	}
	assert_int_equal(ok + busy, N);
	assert_true(ok >= CTLSOCK_MAX_CLIENTS);
	assert_int_equal(calls(&srv), ok);
	server_stop(&srv);
}

static uint64_t cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Out of descriptors, accept fails while the listener stays readable: the
 * server must wait, not spin, and serve the queue once descriptors are back. */
static void out_of_descriptors(void **state)
{
	enum { N = 5 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct rlimit saved, low;
	int fd[N], lowest;
	uint64_t cpu;
	char buf[256];

	(void)state;
	/* Valgrind closes what accept returns past the limit: not what a kernel does. */
	if (getenv("LD_PRELOAD") && strstr(getenv("LD_PRELOAD"), "vgpreload"))
		skip();
	server_start(&srv, 1000, 0);
	memcpy(sa.sun_path, path, sizeof(path));
	for (int i = 0; i < N; i++) {
		fd[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(fd[i] >= 0);
	}
	lowest = dup(0);  /* the next descriptor the server would get */
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	low = saved;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(connect(fd[i], (struct sockaddr *)&sa, sizeof(sa)), 0);
		client_send(fd[i], "status\n", 7);
	}
	cpu = cpu_ms();
	usleep(150 * 1000);
	cpu = cpu_ms() - cpu;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	if (cpu > 50)
		fail_msg("%llu ms of CPU in 150 ms while accept failed: spinning",
			 (unsigned long long)cpu);
	for (int i = 0; i < N; i++) {
		client_read_all(fd[i], buf, sizeof(buf), 1000);
		assert_string_equal(buf, STATUS_LINE "\n");
		close(fd[i]);
	}
	server_stop(&srv);
}

/* A socket file left by a crash (nobody listening) is replaced. */
static void stale_socket_replaced(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	(void)state;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, path, sizeof(path));
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	server_start(&srv, 1000, 0);
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	server_stop(&srv);
}

static void live_socket_refused(void **state)
{
	struct ctlsock *other = NULL;
	struct loop *l = loop_new();
	struct diag err;
	char expected[256];

	(void)state;
	server_start(&srv, 1000, 0);
	assert_int_equal(ctlsock_open(&other, l, path, handler, NULL, &err), -EADDRINUSE);
	assert_null(other);
	snprintf(expected, sizeof(expected), "another coachd is running on %s", path);
	assert_string_equal(err.text, expected);
	/* The running one is untouched. */
	assert_string_equal(ask("status\n"), STATUS_LINE "\n");
	server_stop(&srv);
	loop_free(l);
}

/* Nothing that is not a socket is ever deleted. */
static void non_socket_refused(void **state)
{
	struct ctlsock *s = NULL;
	struct loop *l = loop_new();
	struct diag err;
	char expected[256], text[16] = "";
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("precious", f);
	fclose(f);
	assert_int_equal(ctlsock_open(&s, l, path, handler, NULL, &err), -EEXIST);
	assert_null(s);
	snprintf(expected, sizeof(expected), "%s exists and is not a socket; not replacing it", path);
	assert_string_equal(err.text, expected);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(text, sizeof(text), f));
	fclose(f);
	assert_string_equal(text, "precious");
	assert_int_equal(unlink(path), 0);
	/* A folder neither. */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(ctlsock_open(&s, l, path, handler, NULL, &err), -EEXIST);
	assert_int_equal(rmdir(path), 0);
	loop_free(l);
}

static void close_unlinks_only_its_own(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctlsock *s = NULL;
	struct loop *l = loop_new();
	struct diag err;
	struct stat st;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(ctlsock_open(&s, l, path, handler, NULL, &err), 0);
	ctlsock_close(s);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	ctlsock_close(NULL);
	/* Replaced while we ran: the newcomer's file stays. */
	assert_int_equal(ctlsock_open(&s, l, path, handler, NULL, &err), 0);
	assert_int_equal(unlink(path), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	ctlsock_close(s);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(unlink(path), 0);
	/* Even when the newcomer's file is a socket too. */
	assert_int_equal(ctlsock_open(&s, l, path, handler, NULL, &err), 0);
	assert_int_equal(unlink(path), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, path, sizeof(path));
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	ctlsock_close(s);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	loop_free(l);
}

static void paths_too_long(void **state)
{
	struct ctlsock *s = NULL;
	struct loop *l = loop_new();
	struct diag err;
	char lng[200], reply[64];

	(void)state;
	memset(lng, 'p', sizeof(lng));
	lng[0] = '/';
	lng[sizeof(lng) - 1] = '\0';
	assert_int_equal(ctlsock_open(&s, l, lng, handler, NULL, &err), -ENAMETOOLONG);
	assert_int_equal(strncmp(err.text, "socket path too long (199 bytes, at most 107): /ppp", 51), 0);
	assert_int_equal(ctlsock_request(lng, "status", reply, sizeof(reply), 100, &err),
			 -ENAMETOOLONG);
	assert_int_equal(ctlsock_open(&s, l, "", handler, NULL, &err), -EINVAL);
	assert_string_equal(err.text, "empty socket path");
	loop_free(l);
}

static void request_failures(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct diag err;
	char reply[64], expected[256];
	uint64_t t0;
	int fd;

	(void)state;
	/* Nothing there. */
	assert_int_equal(ctlsock_request(path, "status", reply, sizeof(reply), 100, &err), -ENOENT);
	snprintf(expected, sizeof(expected), "cannot connect to %s: No such file or directory", path);
	assert_string_equal(err.text, expected);
	assert_string_equal(reply, "");
	/* A socket nobody listens on. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, path, sizeof(path));
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(ctlsock_request(path, "status", reply, sizeof(reply), 100, &err),
			 -ECONNREFUSED);
	/* Listening but never answering. */
	assert_int_equal(listen(fd, 4), 0);
	t0 = now_ms();
	assert_int_equal(ctlsock_request(path, "status", reply, sizeof(reply), 100, &err),
			 -ETIMEDOUT);
	assert_true(now_ms() - t0 >= 95);
	snprintf(expected, sizeof(expected), "no reply from %s within 100 ms", path);
	assert_string_equal(err.text, expected);
	close(fd);
	assert_int_equal(unlink(path), 0);
	/* Not one line, or no room. */
	assert_int_equal(ctlsock_request(path, "a\nb", reply, sizeof(reply), 100, &err), -EINVAL);
	assert_int_equal(ctlsock_request(path, "status", reply, 0, 100, &err), -EINVAL);
	/* A reply longer than the buffer. */
	server_start(&srv, 1000, 0);
	assert_int_equal(ctlsock_request(path, "start big", reply, sizeof(reply), 1000, &err),
			 -EMSGSIZE);
	snprintf(expected, sizeof(expected), "reply from %s too long (more than 63 bytes)", path);
	assert_string_equal(err.text, expected);
	server_stop(&srv);
}

/* Restores an environment variable saved as a copy (NULL: unset). */
static void restore(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

static char *save(const char *name)
{
	const char *v = getenv(name);

	return v ? strdup(v) : NULL;
}

static void default_path(void **state)
{
	char *rt = save("RUNTIME_DIRECTORY"), *xdg = save("XDG_RUNTIME_DIR"), *tmp = save("TMPDIR");
	char buf[128], expected[128], tiny[8];
	struct stat st;
	int system = lstat(CTLSOCK_SYSTEM_PATH, &st) == 0;

	(void)state;
	setenv("RUNTIME_DIRECTORY", "/run/coach", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/coach/coach.sock");
	setenv("RUNTIME_DIRECTORY", "/run/a:/run/b", 1);
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/a/coach.sock");

	/* Without it: the system daemon's socket if there is one, else the session's. */
	setenv("RUNTIME_DIRECTORY", "", 1);
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, system ? CTLSOCK_SYSTEM_PATH : "/run/user/1000/coach.sock");
	unsetenv("RUNTIME_DIRECTORY");
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, system ? CTLSOCK_SYSTEM_PATH : "/run/user/1000/coach.sock");

	/* Last, a folder of our own in $TMPDIR or /tmp (issue 16, finding 18:
	 * anyone could create /tmp/coach-0.sock first). */
	unsetenv("XDG_RUNTIME_DIR");
	setenv("TMPDIR", "relative", 1);
	snprintf(expected, sizeof(expected), "/tmp/coach-%u/coach.sock", (unsigned)getuid());
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, system ? CTLSOCK_SYSTEM_PATH : expected);
	setenv("XDG_RUNTIME_DIR", "", 1);
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, system ? CTLSOCK_SYSTEM_PATH : expected);
	setenv("TMPDIR", "/var/tmp", 1);
	snprintf(expected, sizeof(expected), "/var/tmp/coach-%u/coach.sock", (unsigned)getuid());
	assert_int_equal(ctlsock_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, system ? CTLSOCK_SYSTEM_PATH : expected);
	restore("TMPDIR", tmp);

	setenv("RUNTIME_DIRECTORY", "/run/coach", 1);
	assert_int_equal(ctlsock_default_path(tiny, sizeof(tiny)), -ENAMETOOLONG);
	assert_string_equal(tiny, "");
	restore("RUNTIME_DIRECTORY", rt);
	restore("XDG_RUNTIME_DIR", xdg);
}

/* ---- another user's programs (issue 16, finding 18) ---- */

#define NOBODY 65534

/* Starts a child that, as uid NOBODY, listens at P and answers each
 * connection with REPLY; returns its pid once it listens. */
static pid_t impostor(const char *p, const char *reply)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ready[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		memcpy(sa.sun_path, p, strlen(p) + 1);
		if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
		    setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(1);
		/* Gone with the test, even one that fails half way (set after
		 * setresuid, which clears it). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
			_exit(1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0)
			_exit(2);
		(void)write(ready[1], "r", 1);
		for (;;) {
			int cl = accept(fd, NULL, NULL);

			if (cl >= 0) {
				(void)send(cl, reply, strlen(reply), MSG_NOSIGNAL);
				close(cl);
			}
		}
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static void stop_impostor(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A folder that user NOBODY may write in, as /tmp: sticky, everyone's. */
static void make_shared(const char *p)
{
	assert_int_equal(chmod(dir, 0711), 0);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, 01777), 0);
}

/* root's `coachctl history` read whatever path a squatter's socket named
 * ("25 damaged lines in /etc/shadow"): a reply from a socket served by
 * anyone but root, the coach user or ourselves is not believed. */
static void impostor_is_not_believed(void **state)
{
	char pub[96], p[128], reply[256];
	struct diag err;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(pub, sizeof(pub), "%s/pub", dir);
	snprintf(p, sizeof(p), "%s/coach.sock", pub);
	make_shared(pub);
	pid = impostor(p, "ok /etc/shadow\n");
	assert_int_equal(ctlsock_request(p, "history", reply, sizeof(reply), 1000, &err), -EPERM);
	assert_string_equal(reply, "");
	assert_non_null(strstr(err.text, "not trusting"));
	assert_non_null(strstr(err.text, "uid 65534"));
	assert_false(ctlsock_trusted_uid(NOBODY));
	assert_true(ctlsock_trusted_uid(0));
	assert_true(ctlsock_trusted_uid(getuid()));
	stop_impostor(pid);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rmdir(pub), 0);
}

/* coachd exited 69 on a squatted /tmp/coach-0.sock, saying another coachd
 * ran there.  Its folder, the socket in it and the fallback folder are now
 * checked, and a squatter is named as such. */
static void squatted_places_refused(void **state)
{
	char sub[96], p[128], link_dir[96];
	struct ctlsock *s = NULL;
	struct loop *l = loop_new();
	struct diag err;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	/* The fallback folder, made first by someone else. */
	snprintf(sub, sizeof(sub), "%s/coach-0", dir);
	snprintf(p, sizeof(p), "%s/coach.sock", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chown(sub, NOBODY, NOBODY), 0);
	assert_int_equal(ctlsock_make_folder(p, &err), -EPERM);
	assert_non_null(strstr(err.text, "belongs to uid 65534, not to us"));
	assert_int_equal(ctlsock_open(&s, l, p, handler, NULL, &err), -EPERM);
	assert_null(s);
	assert_int_equal(rmdir(sub), 0);
	/* Ours, made when missing. */
	assert_int_equal(ctlsock_make_folder(p, &err), 0);
	assert_int_equal(ctlsock_open(&s, l, p, handler, NULL, &err), 0);
	ctlsock_close(s);
	assert_int_equal(rmdir(sub), 0);
	/* A folder anyone may write to, not sticky; a link for a folder. */
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	assert_int_equal(ctlsock_open(&s, l, p, handler, NULL, &err), -EPERM);
	assert_non_null(strstr(err.text, "can be written by anyone"));
	assert_int_equal(rmdir(sub), 0);
	snprintf(link_dir, sizeof(link_dir), "%s/link", dir);
	assert_int_equal(symlink("/tmp", link_dir), 0);
	snprintf(p, sizeof(p), "%s/coach.sock", link_dir);
	assert_int_equal(ctlsock_open(&s, l, p, handler, NULL, &err), -ENOTDIR);
	assert_int_equal(unlink(link_dir), 0);
	/* Another user's live socket where ours goes. */
	snprintf(sub, sizeof(sub), "%s/pub", dir);
	snprintf(p, sizeof(p), "%s/coach.sock", sub);
	make_shared(sub);
	pid = impostor(p, "ok\n");
	assert_int_equal(ctlsock_open(&s, l, p, handler, NULL, &err), -EADDRINUSE);
	assert_non_null(strstr(err.text, "held by a program of uid 65534"));
	stop_impostor(pid);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rmdir(sub), 0);
	loop_free(l);
}

/* Opening and closing leaves nothing behind, many times over. */
static void no_descriptor_leaks(void **state)
{
	struct diag err;
	char reply[CONTROL_MAX_REPLY];

	(void)state;
	for (int i = 0; i < 3; i++) {
		int idle = 0;

		server_start(&srv, 100, 0);
		idle = client_connect();  /* still open when the server closes */
		assert_int_equal(ctlsock_request(path, "status", reply, sizeof(reply), 1000, &err), 0);
		assert_string_equal(ask("bogus\n"), "error: unknown command 'bogus' " EXPECTED "\n");
		server_stop(&srv);
		close(idle);
		assert_int_equal(count_fds(), fds_before);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(round_trip),
		T(end_of_input_ends_the_line),
		T(handler_reply_is_one_line),
		T(oversized_requests),
		T(junk_gets_an_error),
		T(slow_client_is_dropped),
		T(client_that_never_reads),
		T(disconnect_mid_reply),
		T(full_server_drops_the_oldest_idle),
		T(hundred_clients_at_once),
		T(out_of_descriptors),
		T(stale_socket_replaced),
		T(live_socket_refused),
		T(non_socket_refused),
		T(close_unlinks_only_its_own),
		T(paths_too_long),
		T(request_failures),
		T(default_path),
		T(no_descriptor_leaks),
		T(impostor_is_not_believed),
		T(squatted_places_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
