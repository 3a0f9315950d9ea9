/* The session log: writing and reading lines.  Streaks and printing are in
 * history_report.c. */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history_date.h"
#include "safefile.h"
#include "safetext.h"
#include "state.h"
#include "step_outcome.h"
#include "utf8.h"

#ifndef COACH_STATEDIR
#define COACH_STATEDIR "/var/lib/coach"   /* the service's StateDirectory=coach */
#endif

#define HEADER "# coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes, check-in\n"
#define TORN   " [torn]\n"   /* ends a line cut by a power cut before the next one */
/* A session's fields; the sixth, the audio glitches heard, the seventh, each
 * step's outcome, and the eighth, the check-in's answer, came later: lines of
 * five, six or seven (written before them) still read, with xruns -1, no
 * outcomes, no check-in. */
#define FIELDS 8
#define NONE   "-"   /* the outcomes or the check-in, not recorded */

int history_default_path(char *buf, size_t size)
{
	return state_path(HISTORY_FILE, buf, size);
}

int history_find_path(char *buf, size_t size)
{
	struct stat st;
	int n;

	if (getenv("STATE_DIRECTORY") || stat(COACH_STATEDIR, &st) < 0 || !S_ISDIR(st.st_mode))
		return history_default_path(buf, size);
	n = snprintf(buf, size, "%s/%s", COACH_STATEDIR, HISTORY_FILE);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Length of the valid UTF-8 character at S (N bytes left), or 0 for an
 * invalid one or an ASCII control character. */
static size_t text_char_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	return len == 0 || cp < 0x20 || cp == 0x7f ? 0 : len;
}

/* Copies NAME into OUT (SIZE bytes) as one field of one line: the safetext
 * rule (a tab or a line break becomes a space), cut on a character boundary.
 * An empty name becomes "-". */
static void clean_name(const char *name, char *out, size_t size)
{
	if (safetext_copy(out, size, name ? name : "") == 0 && size > 1)
		snprintf(out, size, "-");
}

void history_entry_init(struct history_entry *e, time_t when, const char *routine,
			enum history_result result, unsigned seconds, unsigned steps_done,
			unsigned steps_total)
{
	struct tm tm;

	memset(e, 0, sizeof(*e));
	e->when = when;
	/* Offsets are whole minutes since 1972; the line keeps hours and minutes. */
	e->utc_offset = localtime_r(&when, &tm) ? tm.tm_gmtoff / 60 * 60 : 0;
	clean_name(routine, e->routine, sizeof(e->routine));
	e->result = result;
	e->seconds = seconds;
	e->steps_done = steps_done;
	e->steps_total = steps_total;
	e->xruns = -1;
	e->checkin = -1;
}

/* Formats E as one line, '\n' included, into BUF.  Returns its length, or -1
 * when E cannot be written so that it reads back (a year past 9999). */
static int format_line(const struct history_entry *e, char *buf, size_t size)
{
	char date[HISTORY_DATE_SIZE], name[HISTORY_MAX_ROUTINE], steps[STEP_OUTCOMES_SIZE] = "";
	int n;

	if (history_format_date(e, date, sizeof(date)) < 0)
		return -1;
	/* Outcomes for every step or none: they must agree with steps_total. */
	if (e->nsteps && (e->nsteps != e->steps_total ||
			  step_outcomes_format(e->step, e->nsteps, steps, sizeof(steps)) < 0))
		return -1;
	clean_name(e->routine, name, sizeof(name));
	n = snprintf(buf, size, "%s\t%s\t%s\t%u\t%u/%u", date, name,
		     e->result == HISTORY_FINISHED ? "finished" : "stopped", e->seconds,
		     e->steps_done, e->steps_total);
	if (e->checkin > HISTORY_CHECKIN_MAX)
		return -1;
	/* The outcomes come after the glitches: a count is needed before them;
	 * the check-in comes after the outcomes ("-" when there are none), and
	 * is written, "-" when there is none, whenever they are. */
	bool tail = steps[0] || e->checkin >= 0;
	if (n >= 0 && (size_t)n < size && (e->xruns >= 0 || tail))
		n += snprintf(buf + n, size - (size_t)n, "\t%d", e->xruns >= 0 ? e->xruns : 0);
	if (n >= 0 && (size_t)n < size && tail)
		n += snprintf(buf + n, size - (size_t)n, "\t%s", steps[0] ? steps : NONE);
	if (n >= 0 && (size_t)n < size && tail) {
		if (e->checkin >= 0)
			n += snprintf(buf + n, size - (size_t)n, "\t%d", e->checkin);
		else
			n += snprintf(buf + n, size - (size_t)n, "\t" NONE);
	}
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "\n");
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* Opens the log for appending, creating it and its folder when missing;
 * never through a link, and only a regular file (see safefile.h).  Returns
 * the descriptor, or -errno with *WHY set. */
static int open_log(const char *path, const char **why)
{
	int flags = O_RDWR | O_APPEND | O_CREAT;
	int fd = safefile_open(path, flags, 0640, why);
	int rc;

	if (fd != -ENOENT)
		return fd;
	rc = state_make_parent(path);
	if (rc < 0) {
		*why = strerror(-rc);
		return rc;
	}
	return safefile_open(path, flags, 0640, why);
}

/* Fills BUF with what the append writes after SIZE bytes already in the file:
 * the header for a new file, the end of a torn line, then LINE. */
static int prepare(int fd, off_t size, const char *line, char *buf, size_t cap, size_t *n)
{
	const char *head = HEADER;
	char last;

	if (size > 0) {
		ssize_t r = pread(fd, &last, 1, size - 1);

		if (r < 0)
			return -errno;
		if (r != 1)
			return -EIO;
		head = last == '\n' ? "" : TORN;
	}
	*n = (size_t)snprintf(buf, cap, "%s%s", head, line);
	return *n < cap ? 0 : -EOVERFLOW;
}

int history_append(const char *path, const struct history_entry *e, struct diag *err)
{
	char line[HISTORY_MAX_LINE], buf[HISTORY_MAX_LINE + sizeof(HEADER)];
	const char *why;
	struct stat st;
	size_t n = 0;
	int fd, rc;

	if (format_line(e, line, sizeof(line)) < 0) {
		diag_set(err, path, 0, 0, "cannot record a session dated before 0000 or after 9999, "
			 "with outcomes that do not match its steps, or a check-in past %d",
			 HISTORY_CHECKIN_MAX);
		return -EINVAL;
	}
	fd = open_log(path, &why);
	if (fd < 0) {
		diag_set(err, path, 0, 0, "cannot open: %s", why);
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto err_close;
	}
	rc = prepare(fd, st.st_size, line, buf, sizeof(buf), &n);
	if (rc == 0)
		rc = state_write_all(fd, buf, n);
	if (rc == 0 && fdatasync(fd) < 0)
		rc = -errno;
	if (rc < 0)
		goto err_close;
	if (close(fd) < 0) {
		rc = -errno;
		diag_set(err, path, 0, 0, "cannot write: %s", strerror(-rc));
		return rc;
	}
	rc = st.st_size == 0 ? state_sync_parent(path) : 0;
	if (rc < 0)
		diag_set(err, path, 0, 0, "cannot flush its folder: %s", strerror(-rc));
	return rc;

err_close:
	diag_set(err, path, 0, 0, "cannot write: %s", strerror(-rc));
	close(fd);
	return rc;
}

/* Reads a decimal number of 1 to 10 digits from [S, S + LEN) that fits. */
static bool parse_uint(const char *s, size_t len, unsigned *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > UINT_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_routine(const char *s, size_t len, struct history_entry *e)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len == 0 || len >= sizeof(e->routine))
		return false;
	for (size_t i = 0; i < len;) {
		size_t n = text_char_len(u + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	memcpy(e->routine, s, len);
	e->routine[len] = '\0';
	return true;
}

static bool parse_steps(const char *s, size_t len, struct history_entry *e)
{
	const char *slash = memchr(s, '/', len);

	return slash && parse_uint(s, (size_t)(slash - s), &e->steps_done) &&
	       parse_uint(slash + 1, len - (size_t)(slash - s) - 1, &e->steps_total) &&
	       e->steps_done <= e->steps_total;
}

/* Parses one line (without its '\n').  Returns false for anything that is
 * not exactly a session as history_append writes it. */
static bool parse_line(const char *line, size_t len, struct history_entry *e)
{
	const char *f[FIELDS];
	size_t flen[FIELDS], k = 0;
	const char *p = line, *end = line + len;

	memset(e, 0, sizeof(*e));
	while (k < FIELDS) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));

		f[k] = p;
		flen[k] = (size_t)((tab ? tab : end) - p);
		k++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (k < 5 || f[k - 1] + flen[k - 1] != end)
		return false;
	e->xruns = -1;
	if (k >= 6) {
		unsigned x;

		if (!parse_uint(f[5], flen[5], &x) || x > INT_MAX)
			return false;
		e->xruns = (int)x;
	}
	if (k >= 7 && !(flen[6] == 1 && f[6][0] == NONE[0]) &&
	    !step_outcomes_parse(f[6], flen[6], e->step, &e->nsteps))
		return false;
	e->checkin = -1;
	if (k == FIELDS && !(flen[7] == 1 && f[7][0] == NONE[0])) {
		unsigned c;

		/* One or two digits: "007" is not written, so it is not a check-in. */
		if (flen[7] > 2 || !parse_uint(f[7], flen[7], &c) || c > HISTORY_CHECKIN_MAX ||
		    (flen[7] == 2 && f[7][0] == '0'))
			return false;
		e->checkin = (int)c;
	}
	if (flen[2] == 8 && !memcmp(f[2], "finished", 8))
		e->result = HISTORY_FINISHED;
	else if (flen[2] == 7 && !memcmp(f[2], "stopped", 7))
		e->result = HISTORY_STOPPED;
	else
		return false;
	return history_parse_date(f[0], flen[0], e) && parse_routine(f[1], flen[1], e) &&
	       parse_uint(f[3], flen[3], &e->seconds) && parse_steps(f[4], flen[4], e) &&
	       (e->nsteps == 0 || e->nsteps == e->steps_total);
}

static int push(struct history *h, const struct history_entry *e)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct history_entry *a = realloc(h->entries, cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		h->entries = a;
		h->cap = cap;
	}
	h->entries[h->n++] = *e;
	return 0;
}

/* Takes one whole line: a session, a comment, a blank, or a skipped line. */
static int take_line(struct history *h, const char *line, size_t len, bool too_long)
{
	struct history_entry e;

	if (!too_long && (len == 0 || line[0] == '#'))
		return 0;
	if (too_long || !parse_line(line, len, &e)) {
		h->skipped++;
		return 0;
	}
	return push(h, &e);
}

int history_load(const char *path, struct history *h, struct diag *err)
{
	return history_load_recent(path, 0, h, err);
}

int history_load_recent(const char *path, size_t max, struct history *h, struct diag *err)
{
	char chunk[4096], line[HISTORY_MAX_LINE];
	const char *why;
	size_t len = 0;
	bool too_long = false, partial = false;
	struct stat st;
	int fd, rc = 0;

	memset(h, 0, sizeof(*h));
	/* coachctl, root's too, reads the file the daemon names: never through
	 * a link, never a FIFO that would block it for ever. */
	fd = safefile_open(path, O_RDONLY, 0, &why);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		diag_set(err, path, 0, 0, "cannot open: %s", why);
		return fd;
	}
	/* Only the last MAX bytes: the line they start inside is not a session. */
	if (max && fstat(fd, &st) == 0 && st.st_size > (off_t)max &&
	    lseek(fd, st.st_size - (off_t)max, SEEK_SET) >= 0)
		partial = true;
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			diag_set(err, path, 0, 0, "cannot read: %s", strerror(-rc));
			break;
		}
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r && rc == 0; i++) {
			if (partial) {
				partial = chunk[i] != '\n';
				continue;
			}
			if (chunk[i] == '\n') {
				rc = take_line(h, line, len, too_long);
				len = 0;
				too_long = false;
			} else if (len < sizeof(line)) {
				line[len++] = chunk[i];
			} else {
				too_long = true;
			}
		}
		if (rc < 0) {
			diag_set(err, path, 0, 0, "out of memory");
			break;
		}
	}
	close(fd);
	if (rc < 0) {
		history_free(h);
		return rc;
	}
	/* The last line without its '\n': cut short, never trusted. */
	if (len > 0 || too_long)
		h->skipped++;
	return 0;
}

void history_free(struct history *h)
{
	free(h->entries);
	memset(h, 0, sizeof(*h));
}
