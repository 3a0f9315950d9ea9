/* The one rule for text that came from files (routine and step names, cues,
 * file names, the history, error messages that quote any of them) on its way
 * out of coach: to systemd (sd_notify), the control protocol, the journal and
 * terminals.  Each of those is a line protocol, so such text must never end a
 * line, start another, or drive a terminal.
 *
 * The rule: every control character (C0 with tab, CR and LF, DEL, C1), the
 * Unicode line and paragraph separators (U+2028, U+2029) and the bidirectional
 * overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069, which
 * reorder what a terminal shows) become one space; a byte that is not part of
 * valid UTF-8 becomes '?'.  Everything else is kept.  The result is never
 * longer than the input, so text can be cleaned in place.
 *
 * Each output boundary applies it once to what it writes: log_msg, notify_send,
 * control_reply and the control socket, coachctl's printing, and the printers
 * of --check, --plan and `coachctl history` (safetext_print). */
#ifndef COACH_SAFETEXT_H
#define COACH_SAFETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Applies the rule to the string S in place.  Returns its new length. */
size_t safetext_clean(char *s);

/* Copies SRC into DST (SIZE bytes) with the rule applied, cut on a character
 * boundary when it does not fit.  Returns the length written. */
size_t safetext_copy(char *dst, size_t size, const char *src);

/* True when S holds nothing the rule would change. */
bool safetext_is_clean(const char *s);

/* Formats one line, applies the rule to it (so nothing in it can start
 * another line) and writes it to OUT followed by '\n'.  Returns 0, or -1 when
 * OUT fails or memory runs out. */
int safetext_print(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
