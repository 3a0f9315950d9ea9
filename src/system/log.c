#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"

static const char *log_program = "coach";
static int log_verbose;
static int log_journal;
static void (*log_before_line)(void);

void log_set_before_line(void (*fn)(void))
{
	log_before_line = fn;
}

void log_init(const char *program, int verbose)
{
	log_program = program;
	log_verbose = verbose;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_msg(int prio, const char *fmt, ...)
{
	static const char *const label[] = {
		[LOG_EMERG] = "error", [LOG_ALERT] = "error", [LOG_CRIT] = "error",
		[LOG_ERR] = "error", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};
	char line[1024];
	va_list ap;

	if (prio < LOG_EMERG || prio > LOG_DEBUG)
		prio = LOG_ERR;
	if (prio == LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Names and cues from files must not start a line (or a journal entry
	 * with a priority of its own), nor drive the terminal. */
	safetext_clean(line);
	if (log_before_line)
		log_before_line();
	/* One fprintf per line so lines from two threads never interleave. */
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else if (strstr(line, ": error: "))
		/* A located message ("FILE:LINE:COL: error: ...") says its level. */
		fprintf(stderr, "%s: %s\n", log_program, line);
	else
		fprintf(stderr, "%s: %s: %s\n", log_program, label[prio], line);
}
