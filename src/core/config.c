/* coach.yaml, read strictly: unknown keys, wrong types and values out of range
 * are errors that name the file, line, column, the range and the default. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yamldoc.h"

#define DEFAULT_ROUTINE "morning-back"
#define DEFAULT_VOICE "en"
#define DEFAULT_DEVICE "default"

void config_defaults(struct config *c)
{
	*c = (struct config){
		.rate = 48000,
		.latency_ms = 100,
		.volume = 80,
		.tones = 100,
		.gentle_ms = 6000,
		.streak = STREAK_GRACE_DEFAULT,
		.snooze_ms = CONFIG_SNOOZE_DEFAULT_MS,
		.buttons = {
			.enabled = true, .play = 17, .next = 27, .led = -1, .active_low = true,
			.pull_up = true, .debounce_ms = 30, .long_press_ms = 1000,
		},
	};
}

/* Fills the strings the defaults leave NULL, so readers never test for NULL. */
static int default_strings(struct config *c)
{
	if (!c->routine)
		c->routine = strdup(DEFAULT_ROUTINE);
	if (!c->voice)
		c->voice = strdup(DEFAULT_VOICE);
	if (!c->device)
		c->device = strdup(DEFAULT_DEVICE);
	return c->routine && c->voice && c->device ? 0 : -1;
}

static int parse_time(struct yamldoc *yd, yaml_node_t *node, unsigned *hour, unsigned *minute,
		      struct diag *err);

/* quiet: {from: "21:00", to: "07:00", volume: 40} */
static int parse_quiet(struct yamldoc *yd, yaml_node_t *map, struct config *c, struct diag *err)
{
	static const char *const keys[] = { "from", "to", "volume", NULL };
	unsigned h, m;

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'quiet'",
			   "a mapping with from, to and volume", err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_require(yd, map, "from", "a time such as \"21:00\"", err) < 0 ||
	    yamldoc_require(yd, map, "to", "a time such as \"07:00\"", err) < 0 ||
	    yamldoc_uint(yd, map, "volume", 0, 100, 40, &c->quiet_volume, err) < 0)
		return -1;
	if (parse_time(yd, yamldoc_get(yd, map, "from"), &h, &m, err) < 0)
		return -1;
	c->quiet_from = h * 60 + m;
	if (parse_time(yd, yamldoc_get(yd, map, "to"), &h, &m, err) < 0)
		return -1;
	c->quiet_to = h * 60 + m;
	c->quiet = true;
	return 0;
}

static int parse_audio(struct yamldoc *yd, yaml_node_t *map, struct config *c, struct diag *err)
{
	static const char *const keys[] = { "device", "rate", "latency", "volume", "tones",
					    "gentle", "quiet", NULL };
	yaml_node_t *quiet;

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'audio'",
			   "a mapping with device, rate, latency, volume, tones, gentle, quiet", err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_string(yd, map, "device", 200, &c->device, err) < 0 ||
	    yamldoc_uint(yd, map, "rate", 8000, 192000, 48000, &c->rate, err) < 0 ||
	    yamldoc_duration(yd, map, "latency", 5, 500, 100, &c->latency_ms, err) < 0 ||
	    yamldoc_uint(yd, map, "volume", 0, 100, 80, &c->volume, err) < 0 ||
	    yamldoc_uint(yd, map, "tones", 1, 100, 100, &c->tones, err) < 0 ||
	    yamldoc_duration(yd, map, "gentle", 0, 60000, 6000, &c->gentle_ms, err) < 0)
		return -1;
	quiet = yamldoc_get(yd, map, "quiet");
	if (quiet && !yamldoc_is_null(quiet) && parse_quiet(yd, quiet, c, err) < 0)
		return -1;
	return 0;
}

unsigned config_volume_at(const struct config *c, unsigned hour, unsigned minute)
{
	unsigned now = hour * 60 + minute;
	bool inside;

	if (!c->quiet)
		return c->volume;
	/* "21:00 to 07:00" wraps past midnight. */
	if (c->quiet_from <= c->quiet_to)
		inside = now >= c->quiet_from && now < c->quiet_to;
	else
		inside = now >= c->quiet_from || now < c->quiet_to;
	return inside ? c->quiet_volume : c->volume;
}

/* A GPIO line: a number, or "none" where NONE_OK. */
static int parse_line(struct yamldoc *yd, yaml_node_t *map, const char *key, bool none_ok,
		      int *out, struct diag *err)
{
	yaml_node_t *v = yamldoc_get(yd, map, key);
	const char *text = v ? yamldoc_text(v) : NULL;
	uint32_t n;
	int rc;

	if (none_ok && text && strcasecmp(text, "none") == 0) {
		*out = -1;
		return 1;
	}
	if (none_ok && v && (!text || strspn(text, "0123456789") != strlen(text) || !*text)) {
		char snip[YAMLDOC_SNIPPET];

		return yamldoc_error(yd, v, err, "invalid value '%s' for '%s' (expected a line number from 0 to 511, or none)",
				     text ? yamldoc_snippet(text, snip, sizeof(snip)) : yamldoc_describe(v), key);
	}
	rc = yamldoc_uint(yd, map, key, 0, 511, YAMLDOC_NO_DEFAULT, &n, err);
	if (rc == 1)
		*out = (int)n;
	return rc;
}

static int parse_buttons(struct yamldoc *yd, yaml_node_t *map, struct config_buttons *b,
			 struct diag *err)
{
	static const char *const keys[] = { "enabled", "chip", "play", "next", "led", "active_low",
					    "pull_up", "debounce", "long_press", NULL };

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'buttons'",
			   "a mapping with chip, play, next, led, ...", err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_bool(yd, map, "enabled", true, &b->enabled, err) < 0 ||
	    yamldoc_string(yd, map, "chip", 200, &b->chip, err) < 0 ||
	    parse_line(yd, map, "play", false, &b->play, err) < 0 ||
	    parse_line(yd, map, "next", false, &b->next, err) < 0 ||
	    parse_line(yd, map, "led", true, &b->led, err) < 0 ||
	    yamldoc_bool(yd, map, "active_low", true, &b->active_low, err) < 0 ||
	    yamldoc_bool(yd, map, "pull_up", true, &b->pull_up, err) < 0 ||
	    yamldoc_duration(yd, map, "debounce", 0, 500, 30, &b->debounce_ms, err) < 0 ||
	    yamldoc_duration(yd, map, "long_press", 300, 5000, 1000, &b->long_press_ms, err) < 0)
		return -1;
	if (b->chip && strcasecmp(b->chip, "auto") == 0) {
		free(b->chip);
		b->chip = NULL;
	}
	if (b->play == b->next || b->led == b->play || b->led == b->next)
		return yamldoc_error(yd, map, err,
				     "buttons: play, next and led must be different lines (play %d, next %d, led %d)",
				     b->play, b->next, b->led);
	return 0;
}

/* Day names: "mon".."sun", full names, or "daily", "weekdays", "weekends". */
static unsigned day_bits(const char *word)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	static const char *const full[] = { "sunday", "monday", "tuesday", "wednesday",
					    "thursday", "friday", "saturday" };

	if (strcasecmp(word, "daily") == 0 || strcasecmp(word, "every day") == 0)
		return 0x7f;
	if (strcasecmp(word, "weekdays") == 0)
		return 0x3e;
	if (strcasecmp(word, "weekends") == 0)
		return 0x41;
	for (unsigned d = 0; d < 7; d++)
		if (strcasecmp(word, names[d]) == 0 || strcasecmp(word, full[d]) == 0)
			return 1u << d;
	return 0;
}

static int parse_days(struct yamldoc *yd, yaml_node_t *node, unsigned *days, struct diag *err)
{
	static const char *const expected =
		"daily, weekdays, weekends, or a list such as [mon, wed, fri]";
	char snip[YAMLDOC_SNIPPET];

	*days = 0;
	if (node->type == YAML_SCALAR_NODE) {
		*days = day_bits(yamldoc_text(node));
		if (!*days)
			return yamldoc_error(yd, node, err, "unknown days '%s' (expected %s)",
					     yamldoc_snippet(yamldoc_text(node), snip, sizeof(snip)),
					     expected);
		return 0;
	}
	if (yamldoc_expect(yd, node, YAML_SEQUENCE_NODE, "'days'", expected, err) < 0)
		return -1;
	for (size_t i = 0; i < yamldoc_seq_len(node); i++) {
		yaml_node_t *item = yamldoc_seq_item(yd, node, i);
		const char *t = yamldoc_text(item);
		unsigned bits = t ? day_bits(t) : 0;

		if (!bits)
			return yamldoc_error(yd, item, err, "unknown day '%s' (expected mon, tue, wed, thu, fri, sat or sun)",
					     t ? yamldoc_snippet(t, snip, sizeof(snip)) : yamldoc_describe(item));
		*days |= bits;
	}
	if (!*days)
		return yamldoc_error(yd, node, err, "empty list of days (expected %s)", expected);
	return 0;
}

/* "7:00", "07:30", "18:05" (24-hour clock, local time). */
static int parse_time(struct yamldoc *yd, yaml_node_t *node, unsigned *hour, unsigned *minute,
		      struct diag *err)
{
	const char *t = yamldoc_text(node);
	char snip[YAMLDOC_SNIPPET], *end;
	unsigned long h, m;

	if (!t)
		return yamldoc_error(yd, node, err, "'time' is %s (expected a time such as \"07:00\")",
				     yamldoc_describe(node));
	h = strtoul(t, &end, 10);
	if (end == t || *end != ':' || end - t > 2 || !(end[1] >= '0' && end[1] <= '9'))
		goto bad;
	t = end + 1;
	m = strtoul(t, &end, 10);
	if (*end || end - t != 2 || h > 23 || m > 59)
		goto bad;
	*hour = (unsigned)h;
	*minute = (unsigned)m;
	return 0;
bad:
	return yamldoc_error(yd, node, err, "bad time '%s' (expected HH:MM on a 24-hour clock, such as \"07:00\")",
			     yamldoc_snippet(yamldoc_text(node), snip, sizeof(snip)));
}

static int parse_entry(struct yamldoc *yd, yaml_node_t *map, struct schedule_entry *e,
		       struct diag *err)
{
	static const char *const keys[] = { "days", "time", "action", "routine", NULL };
	yaml_node_t *v;
	const char *action;
	char snip[YAMLDOC_SNIPPET];

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "a schedule entry",
			   "a mapping with days, time and action", err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_require(yd, map, "time", "a time such as \"07:00\"", err) < 0)
		return -1;
	e->line = (unsigned)map->start_mark.line + 1;
	e->days = 0x7f;
	v = yamldoc_get(yd, map, "days");
	if (v && parse_days(yd, v, &e->days, err) < 0)
		return -1;
	if (parse_time(yd, yamldoc_get(yd, map, "time"), &e->hour, &e->minute, err) < 0)
		return -1;
	e->action = SCHEDULE_REMIND;
	v = yamldoc_get(yd, map, "action");
	if (v) {
		action = yamldoc_text(v);
		if (action && strcmp(action, "start") == 0)
			e->action = SCHEDULE_START;
		else if (!action || strcmp(action, "remind") != 0)
			return yamldoc_error(yd, v, err, "unknown action '%s' (expected remind or start)",
					     action ? yamldoc_snippet(action, snip, sizeof(snip))
						    : yamldoc_describe(v));
	}
	v = yamldoc_get(yd, map, "routine");
	if (v) {
		e->routine_line = (unsigned)v->start_mark.line + 1;
		e->routine_column = (unsigned)v->start_mark.column + 1;
	}
	return yamldoc_string(yd, map, "routine", 200, &e->routine, err) < 0 ? -1 : 0;
}

static int parse_schedule(struct yamldoc *yd, yaml_node_t *seq, struct config *c,
			  struct diag *err)
{
	size_t n;

	if (yamldoc_is_null(seq))
		return 0;
	if (yamldoc_expect(yd, seq, YAML_SEQUENCE_NODE, "'schedule'",
			   "a list of entries with days, time and action", err) < 0)
		return -1;
	n = yamldoc_seq_len(seq);
	if (n > 32)
		return yamldoc_error(yd, seq, err, "%zu schedule entries (expected at most 32)", n);
	c->schedule = calloc(n ? n : 1, sizeof(*c->schedule));
	if (!c->schedule)
		return yamldoc_error(yd, seq, err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		c->nschedule = i + 1;
		if (parse_entry(yd, yamldoc_seq_item(yd, seq, i), &c->schedule[i], err) < 0)
			return -1;
	}
	return 0;
}

/* streak: {grace: 1, per: week} */
static int parse_streak(struct yamldoc *yd, yaml_node_t *map, struct config *c, struct diag *err)
{
	static const char *const keys[] = { "grace", "per", NULL };
	yaml_node_t *v;

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'streak'", "a mapping with grace and per",
			   err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_uint(yd, map, "grace", 0, STREAK_MAX_GRACE, STREAK_GRACE_DEFAULT.days,
			 &c->streak.days, err) < 0)
		return -1;
	v = yamldoc_get(yd, map, "per");
	if (v) {
		const char *t = yamldoc_text(v);
		char snip[YAMLDOC_SNIPPET];

		if (t && strcmp(t, "week") == 0)
			c->streak.per = STREAK_PER_WEEK;
		else if (t && strcmp(t, "month") == 0)
			c->streak.per = STREAK_PER_MONTH;
		else
			return yamldoc_error(yd, v, err, "unknown period '%s' (expected week or month; "
					     "default week)", t ? yamldoc_snippet(t, snip, sizeof(snip))
								: yamldoc_describe(v));
	}
	return 0;
}

/* reminder: {snooze: 10m} */
static int parse_reminder(struct yamldoc *yd, yaml_node_t *map, struct config *c,
			  struct diag *err)
{
	static const char *const keys[] = { "snooze", NULL };

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'reminder'", "a mapping with snooze",
			   err) < 0 ||
	    yamldoc_check_keys(yd, map, keys, err) < 0 ||
	    yamldoc_duration(yd, map, "snooze", CONFIG_SNOOZE_MIN_MS, CONFIG_SNOOZE_MAX_MS,
			     CONFIG_SNOOZE_DEFAULT_MS, &c->snooze_ms, err) < 0)
		return -1;
	/* Said in minutes: "10m30s" would be heard as 10 minutes. */
	if (c->snooze_ms % 60000)
		return yamldoc_error(yd, yamldoc_get(yd, map, "snooze"), err,
				     "'snooze' must be whole minutes (such as 10m)");
	return 0;
}

static int parse_root(struct yamldoc *yd, struct config *c, struct diag *err)
{
	static const char *const keys[] = { "routine", "voice", "style", "audio", "buttons",
					    "schedule", "streak", "reminder", "checkin",
					    NULL };
	static const char *const styles[] = { "both", "tones", "voice", NULL };
	yaml_node_t *root = yamldoc_root(yd), *v;

	if (yamldoc_check_keys(yd, root, keys, err) < 0 ||
	    yamldoc_string(yd, root, "routine", 1000, &c->routine, err) < 0 ||
	    yamldoc_string(yd, root, "voice", 64, &c->voice, err) < 0)
		return -1;
	if (c->voice && strpbrk(c->voice, "/\\.")) {
		char snip[YAMLDOC_SNIPPET];

		return yamldoc_error(yd, yamldoc_get(yd, root, "voice"), err,
				     "voice '%s' is not a profile name (expected a name such as en, from the voices folder)",
				     yamldoc_snippet(c->voice, snip, sizeof(snip)));
	}
	v = yamldoc_get(yd, root, "style");
	if (v) {
		const char *t = yamldoc_text(v);
		char snip[YAMLDOC_SNIPPET];
		int i = 0;

		while (styles[i] && (!t || strcmp(t, styles[i]) != 0))
			i++;
		if (!styles[i])
			return yamldoc_error(yd, v, err, "unknown style '%s' (expected both, tones or voice)",
					     t ? yamldoc_snippet(t, snip, sizeof(snip)) : yamldoc_describe(v));
		c->style = i;  /* the order of enum plan_style */
	}
	v = yamldoc_get(yd, root, "voice");
	if (v) {
		c->voice_line = (unsigned)v->start_mark.line + 1;
		c->voice_column = (unsigned)v->start_mark.column + 1;
	}
	v = yamldoc_get(yd, root, "audio");
	if (v && !yamldoc_is_null(v) && parse_audio(yd, v, c, err) < 0)
		return -1;
	v = yamldoc_get(yd, root, "buttons");
	if (v && !yamldoc_is_null(v) && parse_buttons(yd, v, &c->buttons, err) < 0)
		return -1;
	v = yamldoc_get(yd, root, "schedule");
	if (v && parse_schedule(yd, v, c, err) < 0)
		return -1;
	v = yamldoc_get(yd, root, "streak");
	if (v && !yamldoc_is_null(v) && parse_streak(yd, v, c, err) < 0)
		return -1;
	v = yamldoc_get(yd, root, "reminder");
	if (v && !yamldoc_is_null(v) && parse_reminder(yd, v, c, err) < 0)
		return -1;
	v = yamldoc_get(yd, root, "checkin");
	if (v) {
		const char *t = yamldoc_text(v);
		char snip[YAMLDOC_SNIPPET];
		int m = checkin_mode_parse(t);

		if (m < 0)
			return yamldoc_error(yd, v, err, "unknown checkin '%s' (expected on, off or "
					     "weekly; default off)",
					     t ? yamldoc_snippet(t, snip, sizeof(snip)) : yamldoc_describe(v));
		c->checkin = (enum checkin_mode)m;
	}
	return 0;
}

static int finish(struct yamldoc *yd, struct config *c, struct diag *err, int rc)
{
	yamldoc_free(yd);
	if (rc == 0 && default_strings(c) < 0)
		rc = diag_set(err, yd->path, 0, 0, "out of memory");
	if (rc < 0) {
		config_free(c);
		config_defaults(c);
	}
	return rc;
}

/* True when TEXT holds nothing but blank lines, comments and a BOM: an empty
 * config, everything at its default.  Reads exactly LEN bytes (the text is
 * not NUL-terminated). */
static bool blank(const char *text, size_t len)
{
	bool comment = false;
	size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	for (; i < len; i++) {
		if (text[i] == '\n' || text[i] == '\r')
			comment = false;
		else if (text[i] == '#')
			comment = true;
		else if (!comment && text[i] != ' ' && text[i] != '\t')
			return false;
	}
	return true;
}

int config_parse(const char *path, const char *text, size_t len, struct config *c,
		 struct diag *err)
{
	struct yamldoc yd;

	config_defaults(c);
	if (yamldoc_check_size(path, len, CONFIG_MAX_SIZE, err) < 0)
		return -1;
	if (len == 0 || blank(text, len))
		return default_strings(c) < 0 ? diag_set(err, path, 0, 0, "out of memory") : 0;
	if (yamldoc_load_buffer(&yd, path, text, len, "a mapping with routine, voice, audio, buttons, schedule, streak, reminder, checkin", err) < 0)
		return -1;
	return finish(&yd, c, err, parse_root(&yd, c, err));
}

int config_load(const char *path, struct config *c, struct diag *err)
{
	char *text;
	size_t len;
	int rc;

	config_defaults(c);
	if (yamldoc_read_file(path, CONFIG_MAX_SIZE, &text, &len, err) < 0)
		return -1;
	rc = config_parse(path, text, len, c, err);
	free(text);
	return rc;
}

bool config_buttons_equal(const struct config_buttons *a, const struct config_buttons *b)
{
	return a->enabled == b->enabled && !strcmp(a->chip ? a->chip : "", b->chip ? b->chip : "") &&
	       a->play == b->play && a->next == b->next && a->led == b->led &&
	       a->active_low == b->active_low && a->pull_up == b->pull_up &&
	       a->debounce_ms == b->debounce_ms && a->long_press_ms == b->long_press_ms;
}

void config_free(struct config *c)
{
	free(c->routine);
	free(c->voice);
	free(c->device);
	free(c->buttons.chip);
	for (size_t i = 0; i < c->nschedule; i++)
		free(c->schedule[i].routine);
	free(c->schedule);
	memset(c, 0, sizeof(*c));
}
