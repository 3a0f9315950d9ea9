#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* accept4, even when CFLAGS is replaced (as `make asan` does) */
#endif

#include "ctlsock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "safetext.h"

/* Connections accepted per wakeup, so that a flood cannot starve the loop's
 * other descriptors; the listener stays readable and is served again. */
#define ACCEPT_BATCH 32
/* When accept fails for lack of descriptors or memory the listener stays
 * readable; stop watching it this long instead of spinning. */
#define ACCEPT_RETRY_MS 100

struct client {
	struct ctlsock *s;
	int fd;                   /* -1 when the slot is free */
	bool writing;             /* the request is answered; sending the reply */
	uint64_t seq;             /* order of acceptance: the oldest makes room */
	uint64_t since_ms;        /* accepted at (CLOCK_MONOTONIC) */
	uint64_t deadline_ms;     /* dropped once CLOCK_MONOTONIC passes this */
	size_t len;               /* request bytes in `in` */
	char in[CONTROL_MAX_LINE];
	char *out;                /* the reply, while it is being sent */
	size_t out_len, out_off;
};

struct ctlsock {
	struct loop *loop;
	int fd;
	ctlsock_handler *fn;
	void *ctx;
	unsigned timeout_ms;
	int sndbuf;
	dev_t dev;                /* the socket file bind() made, to unlink only ours */
	ino_t ino;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int timer_id;             /* the one loop timeout for all deadlines; 0 when none */
	uint64_t timer_due;
	bool accept_paused;
	uint64_t accept_resume_ms;
	uint64_t accepted;        /* connections accepted so far: the next seq */
	struct client client[CTLSOCK_MAX_CLIENTS];
	/* Requests are answered one at a time, so one buffer serves them all. */
	char reply[CONTROL_MAX_REPLY];
};

static uint64_t now_ms(void)
{
	struct timespec ts = { 0, 0 };

	/* Cannot fail for CLOCK_MONOTONIC; the same clock as the loop's timeouts. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Fills ERR with a plain sentence (callers prefix their program's name) and
 * returns -E. */
static int __attribute__((format(printf, 3, 4)))
fail(struct diag *err, int e, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
		va_end(ap);
	}
	return -e;
}

/* fail() for a call that just failed: appends ": " and errno's text. */
static int __attribute__((format(printf, 2, 3)))
fail_sys(struct diag *err, const char *fmt, ...)
{
	int e = errno;
	size_t n;
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
		va_end(ap);
		n = strlen(err->text);
		snprintf(err->text + n, sizeof(err->text) - n, ": %s", strerror(e));
	}
	return -e;
}

/* Closes a descriptor whose close cannot lose anything we still need. */
static void close_fd(int fd)
{
	int e = errno;

	(void)close(fd);
	errno = e;
}

static int set_addr(struct sockaddr_un *sa, const char *path, struct diag *err)
{
	size_t n = strlen(path);

	if (n == 0)
		return fail(err, EINVAL, "empty socket path");
	if (n >= sizeof(sa->sun_path))
		return fail(err, ENAMETOOLONG, "socket path too long (%zu bytes, at most %zu): %s",
			    n, sizeof(sa->sun_path) - 1, path);
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n + 1);
	return 0;
}

/* ---- server: timers ---- */

static void on_timer(void *ctx);

/* Keeps one loop timeout armed for the earliest deadline (a client's or the
 * accept retry's) rather than one per client: the loop has few to share.
 * Returns 0 or -errno. */
static int schedule(struct ctlsock *s)
{
	uint64_t due = UINT64_MAX, now;
	int id;

	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++)
		if (s->client[i].fd >= 0 && s->client[i].deadline_ms < due)
			due = s->client[i].deadline_ms;
	if (s->accept_paused && s->accept_resume_ms < due)
		due = s->accept_resume_ms;
	/* An earlier wakeup than needed is harmless: on_timer schedules again. */
	if (s->timer_id && due != UINT64_MAX && s->timer_due <= due)
		return 0;
	if (s->timer_id)
		loop_cancel(s->loop, s->timer_id);
	s->timer_id = 0;
	if (due == UINT64_MAX)
		return 0;  /* nothing to wait for: an idle daemon has no wakeups */
	now = now_ms();
	id = loop_timeout(s->loop, due > now ? (unsigned)(due - now) : 0, on_timer, s);
	if (id < 0)
		return id;
	s->timer_id = id;
	s->timer_due = due;
	return 0;
}

static void resume_accepting(struct ctlsock *s)
{
	if (loop_modify(s->loop, s->fd, EPOLLIN) == 0)
		s->accept_paused = false;
	else
		s->accept_resume_ms = now_ms() + ACCEPT_RETRY_MS;
}

static void pause_accepting(struct ctlsock *s)
{
	if (loop_modify(s->loop, s->fd, 0) < 0)
		return;
	s->accept_paused = true;
	s->accept_resume_ms = now_ms() + ACCEPT_RETRY_MS;
	if (schedule(s) < 0)
		resume_accepting(s);  /* no way to come back later: keep accepting */
}

/* ---- server: connections ---- */

static void drop(struct client *c)
{
	struct ctlsock *s = c->s;

	/* Cannot fail for a descriptor this slot added. */
	(void)loop_remove(s->loop, c->fd);
	close_fd(c->fd);
	free(c->out);
	*c = (struct client){ .s = s, .fd = -1 };
	/* Only cancels or keeps the timer here, or re-arms from on_timer, which
	 * schedules again after its sweep anyway. */
	(void)schedule(s);
}

/* Answers a connection we will not serve and closes it.  Best effort: its
 * buffer is empty, so the line fits unless the client has already gone. */
static void refuse(int fd)
{
	static const char busy[] = "error: busy\n";

	(void)send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	close_fd(fd);
}

static void send_rest(struct client *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		drop(c);  /* EPIPE, ECONNRESET: the client left; nothing to tell */
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len)
		drop(c);  /* queued in the peer's buffer: it can still read it all */
}

/* Sends what fits now and the rest on EPOLLOUT, from the client's own copy
 * since s->reply serves the next request. */
static void start_reply(struct client *c, const char *buf, size_t len)
{
	c->out = malloc(len);
	if (!c->out) {
		drop(c);
		return;
	}
	memcpy(c->out, buf, len);
	c->out_len = len;
	c->writing = true;
	send_rest(c);
	if (c->writing && loop_modify(c->s->loop, c->fd, EPOLLOUT) < 0)
		drop(c);
}

/* Answers the first LEN bytes of the client's buffer: parse errors here, valid
 * requests through the handler. */
static void answer(struct client *c, size_t len)
{
	struct ctlsock *s = c->s;
	struct control_request req;
	char why[CONTROL_MAX_ERROR];
	size_t n;

	if (control_parse(c->in, len, &req, why, sizeof(why)) < 0) {
		control_reply_error(s->reply, sizeof(s->reply), "%s", why);
	} else {
		s->reply[0] = '\0';
		s->fn(s->ctx, &req, s->reply, sizeof(s->reply));
		s->reply[sizeof(s->reply) - 1] = '\0';
		/* One line whatever the handler wrote: a line break or an escape
		 * sequence in it (a name from a file) is cleaned, never sent, and
		 * nothing after it is hidden. */
		safetext_clean(s->reply);
		if (s->reply[0] == '\0')
			control_reply_error(s->reply, sizeof(s->reply), "internal error (empty reply)");
	}
	n = strlen(s->reply);
	s->reply[n] = '\n';  /* n < sizeof(s->reply): the NUL's place */
	start_reply(c, s->reply, n + 1);
}

static void read_request(struct client *c)
{
	ssize_t n = recv(c->fd, c->in + c->len, sizeof(c->in) - c->len, 0);
	const char *nl;

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			drop(c);
		return;
	}
	if (n == 0) {
		/* The client shut down its side: answer what it sent, '\n' or not,
		 * so that `printf status | socat - UNIX:...` works. */
		if (c->len == 0)
			drop(c);
		else
			answer(c, c->len);
		return;
	}
	nl = memchr(c->in + c->len, '\n', (size_t)n);
	c->len += (size_t)n;
	if (nl)
		answer(c, (size_t)(nl - c->in) + 1);  /* anything after it is ignored */
	else if (c->len == sizeof(c->in))
		answer(c, c->len);  /* full, no end of line: "request too long" */
}

static void on_client(void *ctx, int fd, uint32_t events)
{
	struct client *c = ctx;

	(void)events;  /* HUP and ERR show up as recv/send errors */
	if (c->fd != fd)
		return;  /* queued for a connection this slot no longer serves */
	if (c->writing)
		send_rest(c);
	else
		read_request(c);
}

/* True when the client at FD has sent a whole request line already (or as
 * much as a request may hold): it can be answered at once. */
static bool request_waiting(int fd)
{
	char peek[CONTROL_MAX_LINE];
	ssize_t n = recv(fd, peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT);

	return n > 0 && (memchr(peek, '\n', (size_t)n) || (size_t)n == sizeof(peek));
}

/* The slot for a new connection at FD: a free one, else one taken from the
 * oldest connection that has not sent its request yet.  A full set of idle
 * clients that reconnect whenever they are dropped would otherwise lock out
 * everyone else, the buttons' owner running `coachctl status` included.
 * Connections that sit idle can only push out ones idle for at least
 * CTLSOCK_GRACE_MS, so they churn slowly among themselves; one that arrives
 * with its line (as coachctl does) may take the oldest idle one's slot at
 * once.  NULL when there is no slot to give. */
static struct client *free_slot(struct ctlsock *s, int fd)
{
	struct client *oldest = NULL;
	uint64_t now = now_ms();

	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++) {
		struct client *c = &s->client[i];

		if (c->fd < 0)
			return c;
		if (!c->writing && (!oldest || c->seq < oldest->seq))
			oldest = c;
	}
	if (!oldest || (now < oldest->since_ms + CTLSOCK_GRACE_MS && !request_waiting(fd)))
		return NULL;
	/* Told why, as a newcomer refused would be. */
	(void)send(oldest->fd, "error: busy\n", 12, MSG_NOSIGNAL | MSG_DONTWAIT);
	drop(oldest);
	return oldest;
}

static void add_client(struct ctlsock *s, int fd)
{
	struct client *c = free_slot(s, fd);

	if (!c || (s->sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &s->sndbuf,
						sizeof(s->sndbuf)) < 0)) {
		refuse(fd);
		return;
	}
	if (loop_add(s->loop, fd, EPOLLIN, on_client, c) < 0) {
		refuse(fd);
		return;
	}
	*c = (struct client){ .s = s, .fd = fd, .seq = s->accepted++, .since_ms = now_ms() };
	c->deadline_ms = c->since_ms + s->timeout_ms;
	if (schedule(s) < 0) {
		/* Without a deadline a silent client would hold its slot forever. */
		(void)loop_remove(s->loop, fd);
		*c = (struct client){ .s = s, .fd = -1 };
		refuse(fd);
		return;
	}
	/* A client usually sends its line with the connection: answer it now,
	 * before a flood of newer ones can take its place. */
	read_request(c);
}

static void on_listen(void *ctx, int fd, uint32_t events)
{
	struct ctlsock *s = ctx;

	(void)events;
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (c >= 0) {
			add_client(s, c);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			pause_accepting(s);  /* EMFILE, ENFILE, ENOBUFS, ENOMEM */
		return;
	}
}

static void on_timer(void *ctx)
{
	struct ctlsock *s = ctx;
	uint64_t now = now_ms();
	char msg[96];
	int w;

	s->timer_id = 0;  /* the loop has already forgotten it */
	w = snprintf(msg, sizeof(msg), "error: timed out waiting for a request (%u ms)\n",
		     s->timeout_ms);
	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++) {
		struct client *c = &s->client[i];

		if (c->fd < 0 || c->deadline_ms > now)
			continue;
		/* Tell a slow typist why; a client that does not read gets nothing more. */
		if (!c->writing && w > 0 && (size_t)w < sizeof(msg))
			(void)send(c->fd, msg, (size_t)w, MSG_NOSIGNAL | MSG_DONTWAIT);
		drop(c);
	}
	if (s->accept_paused && s->accept_resume_ms <= now)
		resume_accepting(s);
	(void)schedule(s);  /* cannot fail: the loop freed this timeout's slot */
}

/* ---- server: the listening socket ---- */

/* Who serves the socket FD is connected to, or (uid_t)-1 when that cannot be
 * told. */
static uid_t peer_uid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ? (uid_t)-1 : cred.uid;
}

/* Something already has PATH.  Returns 0 once it is gone (a stale socket left
 * by a crash is removed), else -errno: a live daemon, another user's program
 * or a file that is not a socket is never touched. */
static int clear_stale(const struct sockaddr_un *sa, const char *path, struct diag *err)
{
	struct stat st;
	uid_t owner = (uid_t)-1;
	int fd, rc, e;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : fail_sys(err, "cannot check %s", path);
	if (!S_ISSOCK(st.st_mode))
		return fail(err, EEXIST, "%s exists and is not a socket; not replacing it", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail_sys(err, "cannot create a socket");
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	e = errno;
	if (rc == 0)
		owner = peer_uid(fd);
	close_fd(fd);
	if (rc == 0 && owner != geteuid())
		return fail(err, EADDRINUSE, "%s is held by a program of uid %u, not ours; someone "
			    "may be squatting it: not replacing it", path, (unsigned)owner);
	/* EAGAIN: someone listens but its backlog is full; alive all the same. */
	if (rc == 0 || e == EAGAIN)
		return fail(err, EADDRINUSE, "another coachd is running on %s", path);
	if (e == ENOENT)
		return 0;
	if (e != ECONNREFUSED) {
		errno = e;
		return fail_sys(err, "cannot check %s", path);
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return fail_sys(err, "cannot remove the stale socket %s", path);
	return 0;
}

/* Copies the folder part of PATH into DIR (SIZE bytes). */
static void parent_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* The folder that will hold our socket must be ours to hold it in: a real
 * folder (not a link), owned by us or root, that others cannot write to
 * unless it is sticky (/tmp).  Anyone else could have made it, or could
 * replace the socket in it, to be taken for the daemon. */
static int check_folder(const char *path, struct diag *err)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct stat st;

	parent_of(path, dir, sizeof(dir));
	if (lstat(dir, &st) < 0)
		return fail_sys(err, "cannot use %s for the socket", dir);
	if (!S_ISDIR(st.st_mode))
		return fail(err, ENOTDIR, "%s is not a folder (a link?); not putting the socket there", dir);
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return fail(err, EPERM, "%s belongs to uid %u, not to us (uid %u): someone may be "
			    "squatting it; remove it, or set XDG_RUNTIME_DIR or --socket", dir,
			    (unsigned)st.st_uid, (unsigned)geteuid());
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return fail(err, EPERM, "%s can be written by anyone; not putting the socket there", dir);
	return 0;
}

int ctlsock_make_folder(const char *path, struct diag *err)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];

	if (strlen(path) >= sizeof(dir))
		return fail(err, ENAMETOOLONG, "socket path too long: %s", path);
	parent_of(path, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return fail_sys(err, "cannot create %s for the socket", dir);
	return check_folder(path, err);
}

int ctlsock_open(struct ctlsock **out, struct loop *l, const char *path, ctlsock_handler *fn,
		 void *ctx, struct diag *err)
{
	struct sockaddr_un sa;
	struct ctlsock *s;
	struct stat st;
	int rc;

	*out = NULL;
	rc = set_addr(&sa, path, err);
	if (rc == 0)
		rc = check_folder(path, err);
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return fail(err, ENOMEM, "out of memory opening %s", path);
	s->loop = l;
	s->fn = fn;
	s->ctx = ctx;
	s->timeout_ms = CTLSOCK_TIMEOUT_MS;
	memcpy(s->path, sa.sun_path, sizeof(s->path));
	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++)
		s->client[i] = (struct client){ .s = s, .fd = -1 };

	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		rc = fail_sys(err, "cannot create a socket");
		goto err_free;
	}
	if (bind(s->fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EADDRINUSE) {
			rc = fail_sys(err, "cannot bind %s", path);
			goto err_close;
		}
		rc = clear_stale(&sa, path, err);
		if (rc < 0)
			goto err_close;
		if (bind(s->fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
			rc = fail_sys(err, "cannot bind %s", path);
			goto err_close;
		}
	}
	if (lstat(path, &st) < 0) {
		rc = fail_sys(err, "cannot check %s", path);
		goto err_unlink;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	/* Before listen(), so that nobody connects while the umask's mode holds;
	 * never through a link put in the socket's place. */
	if (fchmodat(AT_FDCWD, path, 0660, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = fail_sys(err, "cannot set the mode of %s", path);
		goto err_unlink;
	}
	if (listen(s->fd, SOMAXCONN) < 0) {
		rc = fail_sys(err, "cannot listen on %s", path);
		goto err_unlink;
	}
	rc = loop_add(l, s->fd, EPOLLIN, on_listen, s);
	if (rc < 0) {
		rc = fail(err, -rc, "cannot watch %s: %s", path, strerror(-rc));
		goto err_unlink;
	}
	*out = s;
	return 0;

err_unlink:
	(void)unlink(path);  /* bind just made it: ours */
err_close:
	close_fd(s->fd);
err_free:
	free(s);
	return rc;
}

void ctlsock_set_timeout(struct ctlsock *s, unsigned ms)
{
	s->timeout_ms = ms;
}

void ctlsock_set_sndbuf(struct ctlsock *s, int bytes)
{
	s->sndbuf = bytes;
}

void ctlsock_close(struct ctlsock *s)
{
	struct stat st;

	if (!s)
		return;
	s->accept_paused = false;
	for (int i = 0; i < CTLSOCK_MAX_CLIENTS; i++)
		if (s->client[i].fd >= 0)
			drop(&s->client[i]);
	if (s->timer_id)
		loop_cancel(s->loop, s->timer_id);
	(void)loop_remove(s->loop, s->fd);  /* paused or not, it was added */
	close_fd(s->fd);
	/* A daemon started after us may have replaced the file: leave its one. */
	if (lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		(void)unlink(s->path);
	free(s);
}

/* ---- client ---- */

/* Reads one line into REPLY before DEADLINE (ms).  Returns 0 or -errno with
 * ERR. */
static int read_reply(int fd, const char *path, char *reply, size_t size, uint64_t deadline,
		      int timeout_ms, struct diag *err)
{
	size_t got = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t n;
		char *nl;

		if (got == size - 1)
			return fail(err, EMSGSIZE, "reply from %s too long (more than %zu bytes)",
				    path, size - 1);
		n = now < deadline ? poll(&p, 1, (int)(deadline - now)) : 0;
		if (n == 0)
			return fail(err, ETIMEDOUT, "no reply from %s within %d ms", path, timeout_ms);
		if (n < 0 && errno != EINTR)
			return fail_sys(err, "cannot wait for %s", path);
		if (n < 0)
			continue;
		/* Readable, or HUP/ERR, which recv reports. */
		n = recv(fd, reply + got, size - 1 - got, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				continue;
			return fail_sys(err, "cannot read from %s", path);
		}
		if (n == 0)
			return fail(err, EPROTO, got ? "%s closed the connection in the middle of a reply"
					     : "%s closed the connection without replying", path);
		nl = memchr(reply + got, '\n', (size_t)n);
		got += (size_t)n;
		if (nl) {
			*nl = '\0';
			if (nl > reply && nl[-1] == '\r')
				nl[-1] = '\0';
			return 0;
		}
	}
}

bool ctlsock_trusted_uid(uid_t uid)
{
	const struct passwd *pw;

	if (uid == 0 || uid == getuid() || uid == geteuid())
		return true;
	pw = getpwnam(CTLSOCK_DAEMON_USER);
	return pw && pw->pw_uid == uid;
}

/* Checks who serves the socket FD is connected to, before a word of its
 * reply is believed: root's `coachctl history` opens the file the reply
 * names.  Returns 0, or -EPERM with ERR filled. */
static int check_peer(int fd, const char *path, struct diag *err)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return fail_sys(err, "cannot tell who serves %s", path);
	if (!ctlsock_trusted_uid(cred.uid))
		return fail(err, EPERM, "not trusting %s: it is served by uid %u, not by root, %s or "
			    "you (someone may be squatting the socket; see coachctl --help)",
			    path, (unsigned)cred.uid, CTLSOCK_DAEMON_USER);
	return 0;
}

/* One connection: sends BUF (LEN bytes, '\n' included), reads the reply
 * before DEADLINE.  Returns 0, or -errno with ERR filled. */
static int request_once(const struct sockaddr_un *sa, const char *path, const char *buf,
			size_t len, char *reply, size_t size, uint64_t deadline, int timeout_ms,
			struct diag *err)
{
	uint64_t now = now_ms();
	int left = now < deadline ? (int)(deadline - now) : 1;
	struct timeval tv = { .tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000 };
	size_t sent = 0;
	int fd, rc;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail_sys(err, "cannot create a socket");
	/* connect() to a Unix socket waits only while the daemon's backlog is
	 * full, and send() only while its buffer is; SO_SNDTIMEO bounds both. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		rc = fail_sys(err, "cannot set a timeout");
		goto done;
	}
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		if (errno == EAGAIN || errno == EINPROGRESS)
			rc = fail(err, ETIMEDOUT, "%s did not accept the connection within %d ms",
				  path, timeout_ms);
		else
			rc = fail_sys(err, "cannot connect to %s", path);
		goto done;
	}
	rc = check_peer(fd, path, err);
	if (rc < 0)
		goto done;
	while (sent < len) {
		ssize_t n = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);

		if (n < 0 && errno != EINTR) {
			rc = fail_sys(err, "cannot send to %s", path);
			goto done;
		}
		sent += n > 0 ? (size_t)n : 0;
	}
	rc = read_reply(fd, path, reply, size, deadline, timeout_ms, err);
done:
	close_fd(fd);
	return rc;
}

int ctlsock_request(const char *path, const char *line, char *reply, size_t size,
		    int timeout_ms, struct diag *err)
{
	struct sockaddr_un sa;
	char buf[CONTROL_MAX_LINE];
	size_t len = strlen(line);
	uint64_t deadline;
	unsigned pause_ms = 10;
	int rc;

	if (size == 0)
		return fail(err, EINVAL, "no room for the reply");
	reply[0] = '\0';
	if (timeout_ms <= 0)
		return fail(err, EINVAL, "the timeout must be positive (got %d ms)", timeout_ms);
	rc = set_addr(&sa, path, err);
	if (rc < 0)
		return rc;
	if (len + 1 > sizeof(buf) || memchr(line, '\n', len))
		return fail(err, EINVAL, "a request is one line of at most %d bytes", CONTROL_MAX_LINE);
	memcpy(buf, line, len);
	buf[len++] = '\n';
	deadline = now_ms() + (uint64_t)timeout_ms;
	for (;;) {
		bool busy;

		rc = request_once(&sa, path, buf, len, reply, size, deadline, timeout_ms, err);
		/* Busy, or pushed out before the request went: the daemon is
		 * there and makes room, so try again while there is time. */
		busy = (rc == 0 && strcmp(reply, "error: busy") == 0) || rc == -EPIPE ||
		       rc == -ECONNRESET;
		if (!busy || now_ms() + pause_ms >= deadline)
			break;
		(void)poll(NULL, 0, (int)pause_ms);
		pause_ms = pause_ms < 160 ? pause_ms * 2 : pause_ms;
	}
	if (rc < 0)
		reply[0] = '\0';
	return rc;
}

/* ---- default path ---- */

int ctlsock_default_path(char *buf, size_t size)
{
	const char *dir = getenv("RUNTIME_DIRECTORY");
	struct stat st;
	int w;

	if (dir && *dir)  /* systemd joins several directories with ':' */
		w = snprintf(buf, size, "%.*s/%s", (int)strcspn(dir, ":"), dir, CTLSOCK_NAME);
	else if (lstat(CTLSOCK_SYSTEM_PATH, &st) == 0)
		w = snprintf(buf, size, "%s", CTLSOCK_SYSTEM_PATH);
	else if ((dir = getenv("XDG_RUNTIME_DIR")) && *dir)
		w = snprintf(buf, size, "%s/%s", dir, CTLSOCK_NAME);
	else if ((dir = getenv("TMPDIR")) && dir[0] == '/')
		w = snprintf(buf, size, "%s/coach-%u/%s", dir, (unsigned)getuid(), CTLSOCK_NAME);
	else
		w = snprintf(buf, size, "/tmp/coach-%u/%s", (unsigned)getuid(), CTLSOCK_NAME);
	if (w < 0 || (size_t)w >= size) {
		if (size > 0)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}
