/* Durations as people write them: "30s", "90" (seconds), "1m30s", "1.5s", "500ms".
 *
 * Grammar, after optional surrounding whitespace:
 *   bare      = number                       (seconds)
 *   composite = [number "m"] [number "s"] [number "ms"]   (at least one, in
 *               that order, each at most once, no spaces between)
 *   number    = digits ["." digits]          (a fraction only in the last part)
 * The result must be a whole number of milliseconds ("1.0005s" is rejected), and
 * at most one day.  Hours are not accepted: no routine step is that long, and a
 * stray "h" is more likely a typo than an intent. */
#include "duration.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#define DAY_MS      (24u * 60 * 60 * 1000)
/* Integer parts are clamped here while parsing so arithmetic cannot overflow;
 * anything this large is past a day whatever the unit. */
#define INT_CLAMP   1000000000000ull
#define MAX_FRAC    9

enum unit { UNIT_MS, UNIT_S, UNIT_M, UNIT_NONE };

static const uint64_t unit_ms[] = { 1, 1000, 60000, 1000 };

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads one unit suffix at *P ("ms" before "m"), advancing past it. */
static enum unit read_unit(const char **p)
{
	const char *s = *p;

	if (s[0] == 'm' && s[1] == 's') {
		*p = s + 2;
		return UNIT_MS;
	}
	if (s[0] == 'm') {
		*p = s + 1;
		return UNIT_M;
	}
	if (s[0] == 's') {
		*p = s + 1;
		return UNIT_S;
	}
	return UNIT_NONE;
}

int duration_parse(const char *text, uint32_t *ms)
{
	const char *p = text;
	uint64_t total = 0;
	enum unit last = UNIT_NONE;
	bool any = false, had_frac = false;

	if (!text || !ms)
		return -EINVAL;
	while (is_space(*p))
		p++;
	while (*p && !is_space(*p)) {
		uint64_t whole = 0, frac = 0, scale = 1, part;
		unsigned nfrac = 0;
		enum unit u;

		/* A fraction is only allowed in the last part: "1.5m30s" is a typo. */
		if (had_frac || !is_digit(*p))
			return -EINVAL;
		while (is_digit(*p)) {
			whole = whole * 10 + (uint64_t)(*p++ - '0');
			if (whole > INT_CLAMP)
				whole = INT_CLAMP;
		}
		if (*p == '.') {
			p++;
			if (!is_digit(*p))
				return -EINVAL;
			while (is_digit(*p)) {
				if (++nfrac > MAX_FRAC)
					return -EINVAL;
				frac = frac * 10 + (uint64_t)(*p++ - '0');
				scale *= 10;
			}
			had_frac = true;
		}
		u = read_unit(&p);
		if (u == UNIT_NONE) {
			/* A bare number is seconds, and only on its own. */
			if (any || (*p && !is_space(*p)))
				return -EINVAL;
		} else if (last != UNIT_NONE && u >= last) {
			return -EINVAL;      /* out of order or repeated: "30s1m", "1m1m" */
		}
		if ((frac * unit_ms[u]) % scale != 0)
			return -EINVAL;      /* finer than a millisecond */
		part = whole * unit_ms[u] + frac * unit_ms[u] / scale;
		total += part;
		if (total > DAY_MS)
			total = (uint64_t)DAY_MS + 1;
		last = u;
		any = true;
	}
	while (is_space(*p))
		p++;
	if (*p || !any)
		return -EINVAL;
	if (total > DAY_MS)
		return -ERANGE;
	*ms = (uint32_t)total;
	return 0;
}

void duration_format(uint32_t ms, char *buf, unsigned size)
{
	uint32_t min = ms / 60000, sec = ms % 60000 / 1000, frac = ms % 1000;
	int n = 0;

	if (!buf || size == 0)
		return;
	if (ms == 0) {
		snprintf(buf, size, "0s");
		return;
	}
	if (ms < 1000) {
		snprintf(buf, size, "%ums", (unsigned)ms);
		return;
	}
	buf[0] = '\0';
	if (min > 0)
		n = snprintf(buf, size, "%um", (unsigned)min);
	if (n < 0 || (unsigned)n >= size || (sec == 0 && frac == 0))
		return;
	if (frac == 0) {
		snprintf(buf + n, size - (unsigned)n, "%us", (unsigned)sec);
	} else {
		/* Fewest digits that keep the exact value: 1.5s, 1.25s, 1.005s. */
		int digits = 3;

		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(buf + n, size - (unsigned)n, "%u.%0*us", (unsigned)sec, digits,
			 (unsigned)frac);
	}
}
