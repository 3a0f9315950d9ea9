/* coachctl: sends one command to coachd over its control socket and prints the
 * reply.  The request is checked here with the daemon's own parser, so a typo
 * is reported without a round trip and with the same words. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sysexits.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "ctlsock.h"
#include "history.h"
#include "history_report.h"
#include "history_weeks.h"
#include "report_html.h"
#include "report_print.h"
#include "routines.h"
#include "paths.h"
#include "safetext.h"

#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_REPORT_WEEKS 4
#define MAX_TIMEOUT_MS 600000

struct options {
	const char *socket;
	int timeout_ms;
	const char *config;      /* coach.yaml for history and report; NULL: coachd's default */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: coachctl [-s PATH] [-t MS] COMMAND [ARG]\n"
		"Control the coach daemon.\n\n"
		"Commands:\n");
	for (int i = 0; i < CONTROL_CMD_MAX; i++)
		fprintf(out, "  %-12s %s\n", control_cmd_usage((enum control_cmd)i),
			control_cmd_help((enum control_cmd)i));
	fprintf(out,
		"\nThe words after start form NAME, so quotes are optional.\n\n"
		"Options:\n"
		"  -s, --socket PATH   the daemon's socket (default: $RUNTIME_DIRECTORY/%s,\n"
		"                      else %s if it exists, else\n"
		"                      $XDG_RUNTIME_DIR/%s, else\n"
		"                      ${TMPDIR:-/tmp}/coach-UID/%s)\n"
		"  -t, --timeout MS    how long to wait for the reply (default %d)\n"
		"  -c, --config FILE   the coach.yaml that history and report read (the\n"
		"                      streak's grace, the schedule's plan; default:\n"
		"                      the one coachd reads by default)\n"
		"  -h, --help          this help\n\n"
		"Prints the daemon's reply.  Only a daemon run by root, the %s user or\n"
		"you is believed (a socket served by anyone else is refused).\n"
		"Exit status: 0 on success, 1 when the reply is an error, 64 for a bad\n"
		"command or option, 69 when coachd cannot be reached or is not trusted.\n",
		CTLSOCK_NAME, CTLSOCK_SYSTEM_PATH, CTLSOCK_NAME, CTLSOCK_NAME, DEFAULT_TIMEOUT_MS,
		CTLSOCK_DAEMON_USER);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ .timeout_ms = DEFAULT_TIMEOUT_MS };
	opterr = 0;  /* our own messages, named "coachctl" whatever argv[0] is */
	/* '+': options stop at COMMAND, so a NAME may start with '-'. */
	while ((c = getopt_long(argc, argv, "+:s:t:c:h", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (c) {
		case 's':
			if (!*optarg) {
				fprintf(stderr, "coachctl: --socket needs a path\n");
				return -1;
			}
			o->socket = optarg;
			break;
		case 't':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > MAX_TIMEOUT_MS) {
				fprintf(stderr, "coachctl: --timeout %s: expected milliseconds from 1 to %d\n",
					optarg, MAX_TIMEOUT_MS);
				return -1;
			}
			o->timeout_ms = (int)v;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(fflush(stdout) != 0 || ferror(stdout) ? EX_IOERR : 0);
		case ':':
			fprintf(stderr, "coachctl: option '%s' needs a value; try 'coachctl --help'\n",
				argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				fprintf(stderr, "coachctl: unknown option '-%c'", optopt);
			else
				fprintf(stderr, "coachctl: unknown option '%s'", argv[optind - 1]);
			fprintf(stderr, "; try 'coachctl --help'\n");
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "coachctl: missing COMMAND; try 'coachctl --help'\n");
		return -1;
	}
	return 0;
}

/* Joins the words into one request line.  Returns its length, or -1 when it
 * would not fit in a request. */
static int build_line(char *line, size_t size, char **words, int n)
{
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		size_t w = strlen(words[i]);

		if (len + (i > 0) + w >= size)
			return -1;
		if (i > 0)
			line[len++] = ' ';
		memcpy(line + len, words[i], w);
		len += w;
	}
	line[len] = '\0';
	return (int)len;
}

/* Prints a reply as text: its lines apart, and under the safetext rule
 * whoever sent it. */
static void print_reply(FILE *out, const char *reply)
{
	static char text[CONTROL_MAX_REPLY];

	control_reply_text(reply, text, sizeof(text));
	fprintf(out, "%s\n", text);
}

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_HTML };

/* `report`'s own options, read here: the daemon only names the file. */
struct report_options {
	bool on;
	unsigned weeks;
	enum report_format format;
	const char *config;
};

/* Reads `report [--weeks N] [--format text|csv|html]` from the N words at WORDS. */
static int parse_report(char **words, int n, struct report_options *ro)
{
	*ro = (struct report_options){ .on = true, .weeks = DEFAULT_REPORT_WEEKS };
	for (int i = 1; i < n; i += 2) {
		const char *v = i + 1 < n ? words[i + 1] : NULL;
		char *end;
		long w;

		if (strcmp(words[i], "--weeks") == 0 && v) {
			errno = 0;
			w = strtol(v, &end, 10);
			if (errno || end == v || *end || w < 1 || w > REPORT_MAX_WEEKS) {
				fprintf(stderr, "coachctl: report --weeks %s: expected 1 to %d\n", v,
					REPORT_MAX_WEEKS);
				return -1;
			}
			ro->weeks = (unsigned)w;
		} else if (strcmp(words[i], "--format") == 0 && v &&
			   (!strcmp(v, "text") || !strcmp(v, "csv") || !strcmp(v, "html"))) {
			ro->format = !strcmp(v, "csv") ? REPORT_CSV :
				     !strcmp(v, "html") ? REPORT_HTML : REPORT_TEXT;
		} else {
			fprintf(stderr, "coachctl: report: unexpected '%s' "
				"(usage: report [--weeks N] [--format text|csv|html])\n", words[i]);
			return -1;
		}
	}
	return 0;
}

/* The settings the history is read with (the streak's grace): coach.yaml
 * where coachd finds it by default; its defaults when the file is missing
 * or has an error (said, then read as if empty). */
static void read_config(const char *path, struct config *c)
{
	struct paths p;
	struct diag err;

	paths_find(&p, NULL);
	config_defaults(c);
	if (!path && access(p.config, F_OK) != 0)
		return;
	if (config_load(path ? path : p.config, c, &err) < 0)
		safetext_print(stderr, "coachctl: %s (using the defaults)", err.text);
}

/* Names R's steps from the routines folder's files, matched by the
 * routine's name; a routine no file has any more keeps its numbers. */
static void name_steps(struct report *r)
{
	static struct routines found;
	struct paths p;
	char path[PATH_MAX];

	paths_find(&p, NULL);
	if (!r->nsteps || routines_scan(p.routines, &found) < 0)
		return;
	for (size_t i = 0; i < found.n; i++) {
		struct routine routine;
		struct diag err;
		bool used = false;

		for (size_t k = 0; k < r->nsteps && !used; k++)
			used = strcmp(r->steps[k].routine, found.entry[i].name) == 0;
		paths_routine(&p, found.entry[i].file, path, sizeof(path));
		if (!used || routine_load(path, &routine, &err) < 0)
			continue;
		report_name_steps(r, &routine);
		routine_free(&routine);
	}
}

/* Which version of each step of CFG's routine plays today, given H; said
 * on stderr and left out when the routine cannot be read. */
static int routine_versions(struct report *r, const struct config *cfg, const struct history *h)
{
	struct paths p;
	struct routine routine;
	struct diag err;
	char path[PATH_MAX];
	int rc;

	paths_find(&p, NULL);
	paths_routine(&p, cfg->routine, path, sizeof(path));
	if (routine_load(path, &routine, &err) < 0) {
		safetext_print(stderr, "coachctl: %s (the report leaves out today's versions)", err.text);
		return 0;
	}
	rc = report_versions(r, &routine, h);
	routine_free(&routine);
	return rc;
}

/* `report`: the figures, the plan and the steps' names, in RO's format. */
static int print_report(const struct history *h, const struct config *cfg,
			const struct report_options *ro)
{
	struct report r;
	int rc = report_build(h, time(NULL), ro->weeks, &r);

	if (rc < 0)
		return rc;
	r.planned = schedule_days_per_week(cfg->schedule, cfg->nschedule);
	name_steps(&r);
	rc = routine_versions(&r, cfg, h);
	if (rc < 0) {
		report_free(&r);
		return rc;
	}
	rc = ro->format == REPORT_CSV ? report_csv(&r, stdout) :
	     ro->format == REPORT_HTML ? report_html(&r, stdout) : report_text(&r, stdout);
	report_free(&r);
	return rc;
}

/* `history [csv]` and `report`: the log can outgrow a reply, so coachctl
 * reads it itself, from the file the daemon names (PATH may be NULL: the
 * usual place). */
static int show_history(const char *path, bool csv, const struct report_options *ro)
{
	char found[4096];
	struct history h;
	struct config cfg;
	struct diag err;
	int rc;

	if (!path) {
		if (history_find_path(found, sizeof(found)) < 0) {
			fprintf(stderr, "coachctl: no history (no state directory)\n");
			return 1;
		}
		path = found;
	}
	if (history_load(path, &h, &err) < 0) {
		safetext_print(stderr, "coachctl: %s%s", err.text,
			       errno == EACCES ? " (are you in the coach group?)" : "");
		return 1;
	}
	read_config(ro->config, &cfg);
	if (ro->on)
		rc = print_report(&h, &cfg, ro);
	else
		rc = csv ? history_csv(&h, stdout) :
		     history_format(&h, time(NULL), &cfg.streak, 10, stdout);
	config_free(&cfg);
	if (h.skipped)
		safetext_print(stderr, "coachctl: %u damaged line%s in %s skipped", h.skipped,
			       h.skipped > 1 ? "s" : "", path);
	history_free(&h);
	return rc < 0 ? EX_IOERR : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct control_request req;
	struct diag err;
	char line[CONTROL_MAX_LINE], why[CONTROL_MAX_ERROR], path[256];
	char reply[CONTROL_MAX_REPLY];
	struct report_options ro = { .on = false };
	int len, rc, nwords;

	if (parse_options(argc, argv, &o) < 0)
		return EX_USAGE;
	nwords = argc - optind;
	/* `report`'s options are coachctl's: the request is the word alone. */
	if (strcmp(argv[optind], "report") == 0) {
		if (parse_report(argv + optind, nwords, &ro) < 0)
			return EX_USAGE;
		nwords = 1;
	}
	ro.config = o.config;
	/* `history --csv` reads better on a command line than `history csv`. */
	if (argc - optind == 2 && strcmp(argv[optind], "history") == 0 &&
	    strcmp(argv[optind + 1], "--csv") == 0)
		argv[optind + 1] = (char *)"csv";
	len = build_line(line, sizeof(line), argv + optind, nwords);
	if (len < 0) {
		fprintf(stderr, "coachctl: request too long (at most %d bytes)\n", CONTROL_MAX_LINE);
		return EX_USAGE;
	}
	if (control_parse(line, (size_t)len, &req, why, sizeof(why)) < 0) {
		fprintf(stderr, "coachctl: %s\n", why);
		return EX_USAGE;
	}
	if (!o.socket) {
		if (ctlsock_default_path(path, sizeof(path)) < 0) {
			fprintf(stderr, "coachctl: the default socket path is too long; use --socket\n");
			return EX_USAGE;
		}
		o.socket = path;
	}

	rc = ctlsock_request(o.socket, line, reply, sizeof(reply), o.timeout_ms, &err);
	if ((req.cmd == CONTROL_HISTORY || req.cmd == CONTROL_REPORT) && rc != -EPERM) {
		/* The daemon names its file; without a daemon, the usual place. */
		bool named = rc == 0 && strncmp(reply, "ok /", 4) == 0;
		char named_path[sizeof(reply)];

		if (rc == 0 && control_is_error(reply)) {
			print_reply(stderr, reply);
			return 1;
		}
		if (named)
			control_reply_text(reply + 3, named_path, sizeof(named_path));
		return show_history(named ? named_path : NULL, strcmp(req.arg, "csv") == 0, &ro);
	}
	if (rc < 0) {
		safetext_print(stderr, "coachctl: %s%s", err.text,
			       rc == -ENOENT || rc == -ECONNREFUSED ? " (is coachd running?)" : "");
		return EX_UNAVAILABLE;
	}
	if (control_is_error(reply)) {
		print_reply(stderr, reply);
		return 1;
	}
	print_reply(stdout, reply);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "coachctl: cannot write the reply: %s\n", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}
