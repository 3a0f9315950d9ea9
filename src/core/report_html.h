/* The physiotherapist's report (history_weeks.h) as one self-contained HTML
 * page: inline CSS and inline SVG charts (sessions per week against the
 * plan, the check-in's trend), no scripts, no other files; readable on a
 * phone and printable.  Every text from a file (routine and step names) is
 * escaped.  Pure: figures in, text out. */
#ifndef COACH_REPORT_HTML_H
#define COACH_REPORT_HTML_H

#include <stdio.h>

#include "history_weeks.h"

/* The colours the charts draw with, which tests look for in a rendering. */
#define REPORT_HTML_FINISHED "#1f6fb2"
#define REPORT_HTML_STOPPED  "#9aa7b4"
#define REPORT_HTML_PLAN     "#e08a00"
#define REPORT_HTML_CHECKIN  "#c0392b"

/* Writes R as the page.  Returns 0 or -EIO. */
int report_html(const struct report *r, FILE *out);

#endif
