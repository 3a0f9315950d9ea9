/* The control socket, both sides: coachd serves one request line per
 * connection on a Unix stream socket (see control.h for the protocol), and
 * coachctl sends one and reads the reply.
 *
 * Server limits: at most CTLSOCK_MAX_CLIENTS connections at once.  When all
 * are taken, the oldest that has not sent its request is answered "error:
 * busy" and closed to make room: at once for a newcomer that sent its line
 * with the connection (as coachctl does), else only when it has been idle for
 * CTLSOCK_GRACE_MS (else the newcomer is the one told busy).  Each connection gets
 * CTLSOCK_TIMEOUT_MS from accept to send its line and read the reply, then it
 * is dropped; a line longer than CONTROL_MAX_LINE is answered "error: request
 * too long (at most 256 bytes)".  Nothing here logs: failures come back as
 * -errno with a sentence in a struct diag that names the path, such as
 * "another coachd is running on /run/coach/coach.sock". */
#ifndef COACH_CTLSOCK_H
#define COACH_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "control.h"
#include "diag.h"

struct loop;
struct ctlsock;

#define CTLSOCK_MAX_CLIENTS 64
#define CTLSOCK_TIMEOUT_MS 2000
#define CTLSOCK_GRACE_MS 250     /* an idle connection is safe from eviction this long */
#define CTLSOCK_NAME "coach.sock"
#define CTLSOCK_DAEMON_USER "coach"   /* the system service's User= */
#define CTLSOCK_SYSTEM_PATH "/run/coach/coach.sock"

/* Answers REQ by writing one line (no '\n') of at most SIZE - 1 bytes into
 * REPLY, e.g. "ok paused", best with control_reply.  Runs inside the loop; it
 * must not call ctlsock_close (call loop_quit instead).  What is sent is the
 * line under the safetext rule (a '\n' or an escape becomes a space); an
 * empty one is sent as "error: internal error (empty reply)". */
typedef void ctlsock_handler(void *ctx, const struct control_request *req, char *reply,
			     size_t size);

/* Listens at PATH (mode 0660) and serves it from loop L, calling FN with CTX
 * for each valid request.  PATH's folder must be a real folder owned by us or
 * root, not writable by everyone unless sticky.  A stale socket left by a
 * crash is replaced; a live one (ours or another user's) or any other kind of
 * file at PATH is an error and is left alone.
 * Returns 0 with *OUT set, or -errno with ERR filled. */
int ctlsock_open(struct ctlsock **out, struct loop *l, const char *path, ctlsock_handler *fn,
		 void *ctx, struct diag *err);

/* Creates the folder that is to hold the socket at PATH (mode 0700) when it
 * is missing, and checks it as ctlsock_open does.  Returns 0, or -errno with
 * ERR filled, e.g. when another user made the folder first. */
int ctlsock_make_folder(const char *path, struct diag *err);

/* Sets how long later connections get to send a request and read the reply
 * (default CTLSOCK_TIMEOUT_MS); tests shorten it. */
void ctlsock_set_timeout(struct ctlsock *s, unsigned ms);

/* Caps the kernel send buffer of later connections at BYTES (0: the system's
 * default); tests use it to make replies go out in several writes. */
void ctlsock_set_sndbuf(struct ctlsock *s, int bytes);

/* Stops listening, closes every connection and removes the socket file if it
 * is still the one we created.  S may be NULL. */
void ctlsock_close(struct ctlsock *s);

/* Sends LINE (no '\n') to the daemon at PATH and reads one reply line, without
 * its '\n', into REPLY (SIZE bytes), within TIMEOUT_MS in all.  The socket's
 * owner is checked first (SO_PEERCRED, see ctlsock_trusted_uid): nothing is
 * sent to, or believed from, another user's program.  "error: busy" is tried
 * again while there is time.  Returns 0, or -errno with ERR filled: -ENOENT
 * or -ECONNREFUSED when nothing listens there, -EPERM for a socket served by
 * an untrusted user, -ETIMEDOUT, -EMSGSIZE for a reply longer than SIZE - 1,
 * -EPROTO when the connection closes before a whole line. */
int ctlsock_request(const char *path, const char *line, char *reply, size_t size,
		    int timeout_ms, struct diag *err);

/* True when a daemon run by UID may be believed: root, the user running
 * this program, or the service's user CTLSOCK_DAEMON_USER. */
bool ctlsock_trusted_uid(uid_t uid);

/* Fills BUF with the socket path both programs use by default, the first of:
 *   1. $RUNTIME_DIRECTORY/coach.sock  (systemd's RuntimeDirectory=coach, for
 *      the daemon; the first directory when it lists several);
 *   2. /run/coach/coach.sock, if it exists (coachctl finds the system daemon);
 *   3. $XDG_RUNTIME_DIR/coach.sock    (a daemon run by hand in a session);
 *   4. $TMPDIR/coach-UID/coach.sock, else /tmp/coach-UID/coach.sock: a folder
 *      of its own (ctlsock_make_folder), which nobody else can make ours,
 *      where a socket of the same name in /tmp could be made by anyone.
 * Empty variables count as unset.  Returns 0, or -ENAMETOOLONG if BUF (SIZE
 * bytes) is too small. */
int ctlsock_default_path(char *buf, size_t size);

#endif
