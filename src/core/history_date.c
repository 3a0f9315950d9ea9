#include "history_date.h"

#include <stdio.h>

#define DAY        86400LL
#define MAX_OFFSET (18 * 3600L)
/* Seconds from 1970 to 0000-01-01 and to 10000-01-01, a day of margin each side. */
#define FIRST_SECOND (-62167219200LL - DAY)
#define LAST_SECOND  (253402300800LL + DAY)

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Howard Hinnant's days_from_civil and civil_from_days ("chrono-Compatible
 * Low-Level Date Algorithms"): exact for every Gregorian date. */
long long history_days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void history_civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

long long history_entry_day(const struct history_entry *e)
{
	return floor_div((long long)e->when + e->utc_offset, DAY);
}

long long history_local_day(time_t now)
{
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return floor_div((long long)now, DAY);
	return history_days_from_civil((long long)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				       (unsigned)tm.tm_mday);
}

int history_format_date(const struct history_entry *e, char *buf, size_t size)
{
	long long local = (long long)e->when, days, sod, y;
	long off = e->utc_offset, a = off < 0 ? -off : off;
	unsigned m, d;

	if (size < HISTORY_DATE_SIZE || local < FIRST_SECOND || local > LAST_SECOND ||
	    a > MAX_OFFSET)
		return -1;
	local += off;
	days = floor_div(local, DAY);
	sod = local - days * DAY;
	history_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return -1;
	snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u%c%02ld:%02ld", y, m, d,
		 (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60), (unsigned)(sod % 60),
		 off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return 0;
}

/* Reads N digits at S; -1 if any is not a digit. */
static long digits(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static unsigned days_in_month(long y, long m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dim[m - 1] + (m == 2 && leap);
}

bool history_parse_date(const char *s, size_t len, struct history_entry *e)
{
	long y, mo, d, h, mi, sec, oh, om;
	long long local;

	if (len != HISTORY_DATE_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || (s[19] != '+' && s[19] != '-') || s[22] != ':')
		return false;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	oh = digits(s + 20, 2);
	om = digits(s + 23, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > (long)days_in_month(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 ||
	    oh < 0 || om < 0 || om > 59 || oh * 3600 + om * 60 > MAX_OFFSET)
		return false;
	e->utc_offset = (s[19] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	local = history_days_from_civil(y, (unsigned)mo, (unsigned)d) * DAY + h * 3600 + mi * 60 + sec;
	e->when = (time_t)(local - e->utc_offset);
	/* A date this system's time_t cannot hold (after 2038 with 32 bits). */
	return (long long)e->when == local - e->utc_offset;
}
