#include "control.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "utf8.h"

/* Bytes of a client's text echoed back in an error; enough to recognise it,
 * short enough that the reason stays one readable line. */
#define ECHO_MAX 32

static const struct command {
	const char *name;
	const char *arg;    /* what the argument is, or NULL when there is none */
	bool optional;      /* the argument may be left out */
	const char *usage;
	const char *help;
} commands[CONTROL_CMD_MAX] = {
	[CONTROL_STATUS] = { "status", NULL, false, "status", "show what the coach is doing" },
	[CONTROL_PLAY] = { "play", NULL, false, "play", "start, pause or resume (like the Play button)" },
	[CONTROL_PAUSE] = { "pause", NULL, false, "pause", "pause the session" },
	[CONTROL_RESUME] = { "resume", NULL, false, "resume", "resume a paused session" },
	[CONTROL_NEXT] = { "next", NULL, false, "next", "skip to the next step" },
	[CONTROL_STOP] = { "stop", NULL, false, "stop", "stop the session" },
	[CONTROL_RELOAD] = { "reload", NULL, false, "reload", "reload the routine, voice and config" },
	[CONTROL_LIST] = { "list", NULL, false, "list", "list the routines (* is the chosen one)" },
	[CONTROL_HISTORY] = { "history", "format", true, "history [csv]",
			      "recent sessions and streaks (csv: the whole log as CSV)" },
	[CONTROL_START] = { "start", "routine name", false, "start NAME",
			    "choose the routine NAME (file or name) and start it" },
	[CONTROL_HURT] = { "hurt", NULL, false, "hurt",
			   "this step hurts: leave it, go on, and record it" },
	[CONTROL_REPORT] = { "report", NULL, false, "report",
			     "sessions and steps skipped or hurt, per week (--weeks N, "
			     "--format text|csv|html)" },
	[CONTROL_SNOOZE] = { "snooze", NULL, false, "snooze",
			     "the reminder that just sounded: again in a while" },
	[CONTROL_NOT_TODAY] = { "not-today", NULL, false, "not-today",
				"no reminder or scheduled start again today" },
	[CONTROL_CHECKIN] = { "checkin", "answer", false, "checkin N",
			      "answer the check-in being asked: how much your back hurts, 0 to 10" },
};

/* Writes the reason into WHY and returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!why || size == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* "status, play, ..., start NAME": built from the table so the error message
 * and the table cannot drift apart. */
static void expected(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < CONTROL_CMD_MAX && n < size; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", commands[i].usage);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* Checks that the LEN bytes at S are printable UTF-8; columns count bytes
 * from 1, which is what a user counting in an editor or a hex dump sees. */
static int check_text(const char *s, size_t len, char *why, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		uint32_t cp = u[i];
		size_t n = 1;

		if (u[i] == 0)
			return fail(why, size, "NUL byte at column %zu", i + 1);
		if (u[i] < 0x20 || u[i] == 0x7f)
			return fail(why, size, "control character 0x%02x at column %zu", u[i], i + 1);
		if (u[i] >= 0x80) {
			n = utf8_decode(u + i, len - i, &cp);
			if (n == 0)
				return fail(why, size, "invalid UTF-8 (byte 0x%02x) at column %zu",
					    u[i], i + 1);
			if (cp <= 0x9f)
				return fail(why, size, "control character U+%04X at column %zu",
					    (unsigned)cp, i + 1);
		}
		i += n - 1;
	}
	return 0;
}

/* Copies at most ECHO_MAX bytes of S into DST, cut on a character boundary and
 * marked with "..." when shortened.  S is valid UTF-8 by now. */
static void shorten(char *dst, size_t size, const char *s, size_t len)
{
	size_t n = len;

	if (len > ECHO_MAX) {
		n = ECHO_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	snprintf(dst, size, "%.*s%s", (int)n, s, n < len ? "..." : "");
}

int control_parse(const char *line, size_t len, struct control_request *req,
		  char *why, size_t why_size)
{
	char list[160], shown[ECHO_MAX + 4];
	size_t total = len, wlen;
	const struct command *c = NULL;
	int cmd;

	memset(req, 0, sizeof(*req));
	req->cmd = CONTROL_CMD_MAX;
	/* Counted with its '\n', present or not, so that the limit is the same
	 * for a line read from the socket and one built by coachctl. */
	if (len > 0 && line[len - 1] == '\n')
		len--;
	else
		total++;
	if (total > CONTROL_MAX_LINE)
		return fail(why, why_size, "request too long (at most %d bytes)", CONTROL_MAX_LINE);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (check_text(line, len, why, why_size) < 0)
		return -1;
	while (len > 0 && line[0] == ' ')
		line++, len--;
	while (len > 0 && line[len - 1] == ' ')
		len--;
	expected(list, sizeof(list));
	if (len == 0)
		return fail(why, why_size, "empty request (expected %s)", list);

	for (wlen = 0; wlen < len && line[wlen] != ' '; wlen++)
		;
	for (cmd = 0; cmd < CONTROL_CMD_MAX; cmd++) {
		if (strlen(commands[cmd].name) == wlen && memcmp(commands[cmd].name, line, wlen) == 0) {
			c = &commands[cmd];
			break;
		}
	}
	if (!c) {
		shorten(shown, sizeof(shown), line, wlen);
		return fail(why, why_size, "unknown command '%s' (expected %s)", shown, list);
	}
	line += wlen, len -= wlen;
	while (len > 0 && line[0] == ' ')
		line++, len--;

	if (!c->arg && len > 0) {
		shorten(shown, sizeof(shown), line, len);
		return fail(why, why_size, "'%s' takes no argument (got '%s')", c->name, shown);
	}
	if (c->arg && !c->optional && len == 0)
		return fail(why, why_size, "'%s' needs a %s (usage: %s)", c->name, c->arg, c->usage);
	if (len > CONTROL_MAX_ARG)
		return fail(why, why_size, "%s too long (%zu bytes, at most %d)", c->arg, len,
			    CONTROL_MAX_ARG);
	memcpy(req->arg, line, len);
	req->arg[len] = '\0';
	req->cmd = (enum control_cmd)cmd;
	return 0;
}

const char *control_cmd_name(enum control_cmd cmd)
{
	return (unsigned)cmd < CONTROL_CMD_MAX ? commands[cmd].name : "?";
}

const char *control_cmd_usage(enum control_cmd cmd)
{
	return (unsigned)cmd < CONTROL_CMD_MAX ? commands[cmd].usage : "?";
}

const char *control_cmd_help(enum control_cmd cmd)
{
	return (unsigned)cmd < CONTROL_CMD_MAX ? commands[cmd].help : "";
}

/* Appends TEXT (clean by now: valid UTF-8, no control characters) to REPLY
 * at AT, a backslash written as two so that "\\n" can only be a line break
 * of control_reply_line.  Stops before a character that does not fit whole.
 * Returns 0, or -1 when cut short. */
static int put_escaped(char *reply, size_t size, size_t at, const char *text)
{
	const unsigned char *t = (const unsigned char *)text;

	while (*t) {
		size_t len = *t < 0x80 ? 1 : *t < 0xe0 ? 2 : *t < 0xf0 ? 3 : 4;

		if (at + len + (*t == '\\') >= size) {
			reply[at] = '\0';
			return -1;
		}
		if (*t == '\\')
			reply[at++] = '\\';
		memcpy(reply + at, t, len);
		at += len;
		t += len;
	}
	reply[at] = '\0';
	return 0;
}

/* Formats PREFIX then FMT, applies the safetext rule to the whole (names from
 * files stay on the line) and writes it escaped into REPLY at AT. */
static int __attribute__((format(printf, 5, 0)))
vreply(char *reply, size_t size, size_t at, const char *prefix, const char *fmt, va_list ap)
{
	size_t plen = strlen(prefix);
	char *text;
	va_list again;
	int w, rc;

	if (size == 0 || at >= size)
		return -1;
	reply[at] = '\0';
	va_copy(again, ap);
	w = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (w < 0)
		return -1;
	text = malloc(plen + (size_t)w + 1);
	if (!text)
		return -1;
	memcpy(text, prefix, plen);
	vsnprintf(text + plen, (size_t)w + 1, fmt, ap);
	safetext_clean(text);
	rc = put_escaped(reply, size, at, text);
	free(text);
	return rc;
}

int control_reply(char *reply, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreply(reply, size, 0, "", fmt, ap);
	va_end(ap);
	return rc;
}

int control_reply_error(char *reply, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreply(reply, size, 0, "error: ", fmt, ap);
	va_end(ap);
	return rc;
}

int control_reply_line(char *reply, size_t size, const char *fmt, ...)
{
	size_t end = strnlen(reply, size), at = end;
	va_list ap;
	int rc;

	if (end == size || (end > 0 && end + 2 >= size))
		return -1;
	if (end > 0) {
		memcpy(reply + at, "\\n", 3);
		at += 2;
	}
	va_start(ap, fmt);
	rc = vreply(reply, size, at, "", fmt, ap);
	va_end(ap);
	if (rc < 0)
		reply[end] = '\0';  /* a line shown whole or not at all */
	return rc;
}

size_t control_reply_text(const char *reply, char *out, size_t size)
{
	size_t n, o = 0;

	if (size == 0)
		return 0;
	/* Whatever sent it (an older coachd, something else on the socket), the
	 * reply is printed under the same rule; only "\\n" breaks a line. */
	n = safetext_copy(out, size, reply);
	for (size_t i = 0; i < n; i++) {
		if (out[i] == '\\' && i + 1 < n && (out[i + 1] == 'n' || out[i + 1] == '\\')) {
			out[o++] = out[i + 1] == 'n' ? '\n' : '\\';
			i++;
		} else {
			out[o++] = out[i];
		}
	}
	out[o] = '\0';
	return o;
}

bool control_is_error(const char *reply)
{
	return strncmp(reply, "error", 5) == 0;
}
