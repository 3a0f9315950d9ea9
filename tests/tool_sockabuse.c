/*
 * tool_sockabuse: misbehaving clients for the control socket.
 *   tool_sockabuse SOCKET KIND [N [SECONDS]]
 * KIND:
 *   oversized   sends 100 KiB without a newline, prints the reply line
 *   junk        sends 4 KiB of binary bytes and a newline, prints the reply
 *   half        sends "stat" and nothing more, waits for the server to act
 *   silent      connects and neither writes nor reads for N seconds
 *   noread      sends "status" and never reads, closes after N seconds
 *   flood       opens N connections at once, then sends "status" on each
 *               and counts the replies ("ok", "busy", "error", none)
 *   hangup      sends "status" and closes before the reply is read
 *   squat       keeps N idle connections for SECONDS (default 5), each one
 *               reconnected the moment the server drops it; prints how
 *               many drops it saw
 * Prints one result line; exits 0 when the server behaved (answered or
 * closed the connection) and 1 when it hung past the timeout.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 5000

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends as much of BUF as the server takes (it may close early). */
static void send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* Reads one reply line into LINE; returns 1 for a line, 0 for a close
 * without one, -1 for a timeout. */
static int read_reply(int fd, char *line, size_t size, int timeout_ms)
{
	size_t used = 0;

	line[0] = '\0';
	while (used + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		n = read(fd, line + used, size - 1 - used);
		if (n <= 0)
			return used > 0;
		used += (size_t)n;
		line[used] = '\0';
		if (strchr(line, '\n')) {
			*strchr(line, '\n') = '\0';
			return 1;
		}
	}
	return 1;
}

static int report(const char *kind, int rc, const char *line)
{
	printf("%s: %s%s%s\n", kind, rc < 0 ? "TIMEOUT" : rc == 0 ? "closed" : "reply: ",
	       rc > 0 ? line : "", "");
	return rc < 0;
}

static int flood(const char *path, int n)
{
	int *fd = calloc((size_t)n, sizeof(*fd));
	int ok = 0, busy = 0, err = 0, none = 0, refused = 0;
	char line[512];

	if (!fd)
		return 1;
	for (int i = 0; i < n; i++)
		fd[i] = connect_to(path);
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			send_all(fd[i], "status\n", 7);
	for (int i = 0; i < n; i++) {
		int rc;

		if (fd[i] < 0) {
			refused++;
			continue;
		}
		rc = read_reply(fd[i], line, sizeof(line), TIMEOUT_MS);
		if (rc < 0)
			none++;
		else if (rc == 0)
			err++;
		else if (strstr(line, "busy"))
			busy++;
		else if (strncmp(line, "error", 5) == 0)
			err++;
		else
			ok++;
		close(fd[i]);
	}
	printf("flood: %d answered, %d busy, %d errors, %d refused, %d hung\n", ok, busy, err,
	       refused, none);
	free(fd);
	return none > 0;
}

static int squat(const char *path, int n, int seconds)
{
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	time_t end = time(NULL) + seconds;
	long drops = 0;
	char buf[256];

	if (!p)
		return 1;
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = connect_to(path), .events = POLLIN };
	while (time(NULL) < end) {
		if (poll(p, (nfds_t)n, 100) < 0)
			break;
		for (int i = 0; i < n; i++) {
			if (!p[i].revents && p[i].fd >= 0)
				continue;
			if (p[i].fd >= 0) {
				(void)read(p[i].fd, buf, sizeof(buf));
				close(p[i].fd);
				drops++;
			}
			p[i].fd = connect_to(path);
			p[i].revents = 0;
		}
	}
	for (int i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	printf("squat: %d connections, %ld drops\n", n, drops);
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path, *kind;
	int n, fd, rc;
	char line[512];

	if (argc < 3) {
		fprintf(stderr, "usage: tool_sockabuse SOCKET KIND [N]\n");
		return 2;
	}
	path = argv[1];
	kind = argv[2];
	n = argc > 3 ? atoi(argv[3]) : 1;
	if (strcmp(kind, "flood") == 0)
		return flood(path, n);
	if (strcmp(kind, "squat") == 0)
		return squat(path, n, argc > 4 ? atoi(argv[4]) : 5);
	fd = connect_to(path);
	if (fd < 0) {
		printf("%s: cannot connect: %s\n", kind, strerror(errno));
		return 1;
	}
	if (strcmp(kind, "oversized") == 0) {
		static char big[100 * 1024];

		memset(big, 'a', sizeof(big));
		send_all(fd, big, sizeof(big));
	} else if (strcmp(kind, "junk") == 0) {
		static char junk[4096];

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (char)(i * 7 + 3);
		send_all(fd, junk, sizeof(junk));
		send_all(fd, "\n", 1);
	} else if (strcmp(kind, "half") == 0) {
		send_all(fd, "stat", 4);
	} else if (strcmp(kind, "silent") == 0) {
		sleep((unsigned)n);
	} else if (strcmp(kind, "noread") == 0) {
		send_all(fd, "status\n", 7);
		sleep((unsigned)n);
		close(fd);
		printf("noread: done\n");
		return 0;
	} else if (strcmp(kind, "hangup") == 0) {
		send_all(fd, "status\n", 7);
		close(fd);
		printf("hangup: done\n");
		return 0;
	} else {
		fprintf(stderr, "tool_sockabuse: unknown kind '%s'\n", kind);
		return 2;
	}
	rc = read_reply(fd, line, sizeof(line), TIMEOUT_MS);
	close(fd);
	return report(kind, rc, line);
}
