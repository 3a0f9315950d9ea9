/* The control protocol between coachctl and coachd, pure (no I/O): one request
 * line in, one reply line out, then the connection closes.
 *
 *   request: COMMAND [NAME] '\n'   (a '\r' before the '\n' is tolerated)
 *   reply:   "ok ..." or a status line, or "error: REASON", then '\n'
 *
 * A request line, '\n' included, is at most CONTROL_MAX_LINE bytes of printable
 * UTF-8.  Spaces around the line are ignored; words are separated by spaces.
 * Commands are lower case.  `start` takes NAME, the rest of the line (so it
 * may contain spaces); `history` takes an optional format ("csv"). */
#ifndef COACH_CONTROL_H
#define COACH_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#define CONTROL_MAX_LINE 256     /* bytes in a request line, '\n' included */
#define CONTROL_MAX_ARG 128      /* bytes in start's NAME */
#define CONTROL_MAX_REPLY 16384  /* reply buffer, NUL included ('\n' on the wire) */
#define CONTROL_MAX_ERROR 256    /* enough for any reason control_parse gives */

enum control_cmd {
	CONTROL_STATUS,
	CONTROL_PLAY,
	CONTROL_PAUSE,
	CONTROL_RESUME,
	CONTROL_NEXT,
	CONTROL_STOP,
	CONTROL_RELOAD,
	CONTROL_LIST,
	CONTROL_HISTORY,
	CONTROL_START,
	CONTROL_HURT,
	CONTROL_REPORT,
	CONTROL_SNOOZE,
	CONTROL_NOT_TODAY,
	CONTROL_CHECKIN,
	CONTROL_CMD_MAX
};

struct control_request {
	enum control_cmd cmd;
	char arg[CONTROL_MAX_ARG + 1];  /* start's NAME; "" for the other commands */
};

/* Parses the LEN bytes at LINE (with or without its '\n') into REQ.  Returns 0,
 * or -1 with a one-line reason in WHY (WHY_SIZE bytes, CONTROL_MAX_ERROR is
 * enough), e.g. "unknown command 'foo' (expected status, ..., start NAME)". */
int control_parse(const char *line, size_t len, struct control_request *req,
		  char *why, size_t why_size);

/* The command's word on the wire ("status"), or "?" when CMD is out of range. */
const char *control_cmd_name(enum control_cmd cmd);

/* How to write the command ("start NAME"), or "?" when CMD is out of range. */
const char *control_cmd_usage(enum control_cmd cmd);

/* What the command does, in a few words, for --help; "" when out of range. */
const char *control_cmd_help(enum control_cmd cmd);

/* Formats a reply line into REPLY (SIZE bytes) under the safetext rule (see
 * safetext.h), so that text from files stays on the one line, with each
 * backslash doubled: on the wire "\\n" only ever separates the lines of a
 * multi-line reply (control_reply_line).  A reply too long is cut on a
 * character boundary.  Returns 0, or -1 if truncated. */
int control_reply(char *reply, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like control_reply with "error: " before the text. */
int control_reply_error(char *reply, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends one line to the multi-line reply in REPLY ("" for the first), as
 * control_reply formats it.  Returns 0, or -1 when it did not fit whole
 * (REPLY is then left as it was). */
int control_reply_line(char *reply, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The reply REPLY as text to print, in OUT (SIZE bytes): the safetext rule
 * applied, then "\\n" turned into a line break and "\\\\" into a backslash.
 * Returns the length of OUT. */
size_t control_reply_text(const char *reply, char *out, size_t size);

/* True when REPLY reports a failure (starts with "error"). */
bool control_is_error(const char *reply);

#endif
