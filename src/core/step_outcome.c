/* The per-step outcomes field (the format is in step_outcome.h). */
#include "step_outcome.h"

#include "routine.h"

static const char letters[] = { [STEP_NOT_REACHED] = '.', [STEP_DONE] = 'd',
				[STEP_SKIPPED] = 's', [STEP_HURT] = 'h' };

char step_outcome_letter(enum step_outcome o)
{
	return (unsigned)o < sizeof(letters) ? letters[o] : '?';
}

int step_outcomes_format(const struct history_step *s, unsigned n, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0 || n > HISTORY_MAX_STEPS)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (s[i].outcome >= sizeof(letters) || s[i].level >= LEVEL_MAX || len + 3 > size)
			return -1;
		buf[len++] = letters[s[i].outcome];
		if (s[i].level == LEVEL_HARDER)
			buf[len++] = '+';
		else if (s[i].level == LEVEL_EASIER)
			buf[len++] = '-';
	}
	buf[len] = '\0';
	return (int)len;
}

bool step_outcomes_parse(const char *text, size_t len, struct history_step *out, unsigned *n)
{
	unsigned k = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned o;

		for (o = 0; o < sizeof(letters) && letters[o] != text[i]; o++)
			;
		if (o == sizeof(letters) || k == HISTORY_MAX_STEPS)
			return false;
		out[k] = (struct history_step){ .outcome = (unsigned char)o, .level = LEVEL_STANDARD };
		if (i + 1 < len && (text[i + 1] == '+' || text[i + 1] == '-'))
			out[k].level = text[++i] == '+' ? LEVEL_HARDER : LEVEL_EASIER;
		k++;
	}
	*n = k;
	return k > 0;
}
