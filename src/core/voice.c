/* Voice profiles (voices/<lang>.yaml):
 *
 *   espeak: en-us      required: an espeak-ng voice, optionally with a variant
 *                      ("en-us+f3"): letters, digits, '-', '_' and '+' only.
 *   rate: 160          words per minute, 80 .. 450, default 160.
 *   pitch: 45          0 .. 99, default 50 (espeak-ng's own default).
 *   pack: packs/en     optional: a voice pack, a folder of recorded sentences
 *                      (packname.h), relative to the profile's folder.
 *   phrases:           required, and every phrase_key() must be present, so a
 *     left_side: ...   translation cannot silently fall back to English.
 *
 * The profile's name is the file's name without ".yaml" (or ".yml"). */
#include "voice.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamldoc.h"

#define MIN_RATE        80
#define MAX_RATE        450
#define DEFAULT_RATE    160
#define MAX_PITCH       99
#define DEFAULT_PITCH   50
#define MAX_ESPEAK_NAME 64
#define MAX_PHRASE      500     /* characters; a phrase is one short sentence */

#define EXPECT_VOICE "a mapping with espeak and phrases"

#define MAX_PACK_PATH   1024

static const char *const voice_keys[] = { "espeak", "rate", "pitch", "pack", "phrases", NULL };

/* Indexed by enum phrase; NULL-terminated so it doubles as a key list. */
static const char *const phrase_keys[PHRASE_MAX + 1] = {
	[PHRASE_LEFT_SIDE] = "left_side",
	[PHRASE_RIGHT_SIDE] = "right_side",
	[PHRASE_SWITCH_SIDES] = "switch_sides",
	[PHRASE_REST] = "rest",
	[PHRASE_NEXT_UP] = "next_up",
	[PHRASE_REP] = "rep",
	[PHRASE_COUNT_REP] = "count_rep",
	[PHRASE_HALFWAY] = "halfway",
	[PHRASE_WAIT] = "wait",
	[PHRASE_COMPLETE] = "complete",
	[PHRASE_PAUSED] = "paused",
	[PHRASE_RESUMING] = "resuming",
	[PHRASE_NEXT] = "next",
	[PHRASE_STOPPED] = "stopped",
	[PHRASE_GOOD_MORNING] = "good_morning",
	[PHRASE_FILE_ERROR] = "file_error",
	[PHRASE_SETTINGS_ERROR] = "settings_error",
	[PHRASE_VOICE_ERROR] = "voice_error",
	[PHRASE_STREAK_ONE] = "streak_one",
	[PHRASE_STREAK] = "streak",
	[PHRASE_PROGRESS] = "progress",
	[PHRASE_MINUTES_LEFT] = "minutes_left",
	[PHRASE_MINUTE_LEFT] = "minute_left",
	[PHRASE_SECONDS_LEFT] = "seconds_left",
	[PHRASE_BEGIN] = "begin",
	[PHRASE_RELAX] = "relax",
	[PHRASE_SAFETY] = "safety",
	[PHRASE_HURT] = "hurt",
	[PHRASE_SNOOZED] = "snoozed",
	[PHRASE_NOT_TODAY] = "not_today",
	[PHRASE_CHECKIN] = "checkin",
	[PHRASE_CHECKIN_ANSWER] = "checkin_answer",
	[PHRASE_TODAY] = "today",
	[PHRASE_MAX] = NULL,
};

/* Spoken when a struct voice lacks a phrase (a zeroed struct in a test, say). */
static const char *const fallback[PHRASE_MAX] = {
	[PHRASE_LEFT_SIDE] = "Left side.",
	[PHRASE_RIGHT_SIDE] = "Right side.",
	[PHRASE_SWITCH_SIDES] = "Switch sides.",
	[PHRASE_REST] = "Rest.",
	[PHRASE_NEXT_UP] = "Next up: {name}.",
	[PHRASE_REP] = "Rep {n} of {total}.",
	[PHRASE_COUNT_REP] = "{n}.",
	[PHRASE_HALFWAY] = "Halfway.",
	[PHRASE_WAIT] = "Press play when you are ready.",
	[PHRASE_COMPLETE] = "Routine complete. Well done.",
	[PHRASE_PAUSED] = "Paused.",
	[PHRASE_RESUMING] = "Resuming.",
	[PHRASE_NEXT] = "Next: {name}.",
	[PHRASE_STOPPED] = "Stopped.",
	[PHRASE_GOOD_MORNING] = "Good morning. Press play when you are ready.",
	[PHRASE_FILE_ERROR] = "The routine file has an error on line {n}.",
	[PHRASE_SETTINGS_ERROR] = "The settings file has an error on line {n}.",
	[PHRASE_VOICE_ERROR] = "The voice file has an error on line {n}.",
	[PHRASE_STREAK_ONE] = "That's day one. See you tomorrow.",
	[PHRASE_STREAK] = "{n} mornings in a row.",
	[PHRASE_PROGRESS] = "Step {n} of {total}: {name}.",
	[PHRASE_MINUTES_LEFT] = "{n} minutes to go.",
	[PHRASE_MINUTE_LEFT] = "One minute to go.",
	[PHRASE_SECONDS_LEFT] = "{n} seconds to go.",
	[PHRASE_BEGIN] = "Begin.",
	[PHRASE_RELAX] = "And relax.",
	[PHRASE_SAFETY] = "Move slowly and gently. Stop any movement that causes sharp pain.",
	[PHRASE_HURT] = "Let's skip that one today.",
	[PHRASE_SNOOZED] = "All right. I'll remind you again in {n} minutes.",
	[PHRASE_NOT_TODAY] = "All right, not today. Rest well, and see you tomorrow.",
	[PHRASE_CHECKIN] = ("How much does your back hurt today, from 0 to 10? Press play once for "
			    "each point, or next for none."),
	[PHRASE_CHECKIN_ANSWER] = "Your back: {n} out of 10. Thank you.",
	[PHRASE_TODAY] = "Today: {name}.",
};

const char *phrase_key(enum phrase p)
{
	return (unsigned)p < PHRASE_MAX ? phrase_keys[p] : "";
}

/* The profile name from PATH: "voices/en.yaml" -> "en". */
static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	return strndup(base, len);
}

static int check_espeak(struct yamldoc *yd, yaml_node_t *root, const char *name,
			struct diag *err)
{
	char snip[YAMLDOC_SNIPPET];
	const char *p;

	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_+", *p))
			return yamldoc_error(yd, yamldoc_get(yd, root, "espeak"), err,
					     "invalid espeak-ng voice '%s' (expected a name such as en-us or en-us+f3)",
					     yamldoc_snippet(name, snip, sizeof(snip)));
	return 0;
}

static int parse_phrases(struct yamldoc *yd, yaml_node_t *root, struct voice *v,
			 struct diag *err)
{
	yaml_node_t *map = yamldoc_get(yd, root, "phrases");
	size_t i;

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "'phrases'",
			   "a mapping from phrase names to text", err) ||
	    yamldoc_check_keys(yd, map, phrase_keys, err))
		return -1;
	for (i = 0; i < PHRASE_MAX; i++) {
		int ret = yamldoc_string(yd, map, phrase_keys[i], MAX_PHRASE, &v->phrase[i], err);

		if (ret < 0)
			return -1;
		if (ret == 0)
			return yamldoc_error(yd, map, err,
					     "missing phrase '%s' (expected all %d phrases, as in voices/en.yaml)",
					     phrase_keys[i], PHRASE_MAX);
	}
	return 0;
}

/* The optional pack: folder, kept as a path from the profile's folder (or
 * as written when absolute).  Whether the folder is there is checked by the
 * loader, which may read files; here only what the text can be. */
static int parse_pack(struct yamldoc *yd, yaml_node_t *root, struct voice *v,
		      struct diag *err)
{
	yaml_node_t *node = yamldoc_get(yd, root, "pack");
	char *dir = NULL;
	const char *slash;
	int dirlen;

	if (!node)
		return 0;
	if (yamldoc_string(yd, root, "pack", MAX_PACK_PATH, &dir, err) < 0)
		return -1;
	for (const char *p = dir; *p; p++)
		if ((unsigned char)*p < ' ') {
			free(dir);
			return yamldoc_error(yd, node, err,
					     "invalid pack folder (expected a folder name on one line)");
		}
	v->pack_line = (unsigned)node->start_mark.line + 1;
	v->pack_column = (unsigned)node->start_mark.column + 1;
	slash = strrchr(yd->path, '/');
	dirlen = slash ? (int)(slash - yd->path) : 1;
	if (dir[0] == '/') {
		v->pack = dir;
	} else {
		if (asprintf(&v->pack, "%.*s/%s", dirlen, slash ? yd->path : ".", dir) < 0)
			v->pack = NULL;
		free(dir);
	}
	if (!v->pack)
		return yamldoc_error(yd, NULL, err, "out of memory");
	return 0;
}

static int parse_root(struct yamldoc *yd, struct voice *v, struct diag *err)
{
	yaml_node_t *root = yamldoc_root(yd);
	uint32_t rate, pitch;

	if (yamldoc_check_keys(yd, root, voice_keys, err) ||
	    yamldoc_require(yd, root, "espeak", "an espeak-ng voice, e.g. espeak: en-us", err) ||
	    yamldoc_string(yd, root, "espeak", MAX_ESPEAK_NAME, &v->espeak, err) < 0 ||
	    check_espeak(yd, root, v->espeak, err) ||
	    yamldoc_uint(yd, root, "rate", MIN_RATE, MAX_RATE, DEFAULT_RATE, &rate, err) < 0 ||
	    yamldoc_uint(yd, root, "pitch", 0, MAX_PITCH, DEFAULT_PITCH, &pitch, err) < 0 ||
	    parse_pack(yd, root, v, err) ||
	    yamldoc_require(yd, root, "phrases", "every phrase under phrases:", err) ||
	    parse_phrases(yd, root, v, err))
		return -1;
	v->rate = (int)rate;
	v->pitch = (int)pitch;
	v->espeak_line = (unsigned)yamldoc_get(yd, root, "espeak")->start_mark.line + 1;
	v->espeak_column = (unsigned)yamldoc_get(yd, root, "espeak")->start_mark.column + 1;
	v->name = name_from_path(yd->path);
	v->path = strdup(yd->path);
	if (!v->name || !v->path)
		return yamldoc_error(yd, NULL, err, "out of memory");
	return 0;
}

/* Shared by voice_parse and voice_load once the document is loaded. */
static int parse_loaded(struct yamldoc *yd, struct voice *v, struct diag *err)
{
	int ret = parse_root(yd, v, err);

	yamldoc_free(yd);
	if (ret)
		voice_free(v);
	return ret;
}

int voice_parse(const char *path, const char *text, size_t len,
		struct voice *v, struct diag *err)
{
	struct yamldoc yd;

	memset(v, 0, sizeof(*v));
	if (yamldoc_check_size(path, len, VOICE_MAX_SIZE, err) < 0 ||
	    yamldoc_load_buffer(&yd, path, text, len, EXPECT_VOICE, err))
		return -1;
	return parse_loaded(&yd, v, err);
}

int voice_load(const char *path, struct voice *v, struct diag *err)
{
	char *text;
	size_t len;
	int rc;

	memset(v, 0, sizeof(*v));
	if (yamldoc_read_file(path, VOICE_MAX_SIZE, &text, &len, err) < 0)
		return -1;
	rc = voice_parse(path, text, len, v, err);
	free(text);
	return rc;
}

void voice_free(struct voice *v)
{
	size_t i;

	if (!v)
		return;
	free(v->name);
	free(v->espeak);
	free(v->path);
	free(v->pack);
	for (i = 0; i < PHRASE_MAX; i++)
		free(v->phrase[i]);
	memset(v, 0, sizeof(*v));
}

/* An output buffer that never overflows and remembers being cut short. */
struct out {
	char *buf;
	size_t size, len;
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t room = o->size - 1 - o->len;

	if (n > room) {
		n = room;
		o->cut = true;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Drops a UTF-8 sequence left incomplete at the end by truncation. */
static void trim_partial(struct out *o)
{
	size_t i = o->len, back = 0, need;
	unsigned char c;

	while (i > 0 && back < 4 && ((unsigned char)o->buf[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0)
		return;
	c = (unsigned char)o->buf[i - 1];
	if (c < 0xc0)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (back + 1 < need) {
		o->len = i - 1;
		o->buf[o->len] = '\0';
	}
}

char *voice_say(const struct voice *v, enum phrase p, const char *name,
		unsigned n, unsigned total, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };
	const char *t, *s;
	char num[16];

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	if ((unsigned)p >= PHRASE_MAX)
		return buf;
	t = v && v->phrase[p] ? v->phrase[p] : fallback[p];
	for (s = t; *s && !o.cut; ) {
		if (!strncmp(s, "{name}", 6)) {
			if (name)
				put(&o, name, strlen(name));
			s += 6;
		} else if (!strncmp(s, "{n}", 3)) {
			snprintf(num, sizeof(num), "%u", n);
			put(&o, num, strlen(num));
			s += 3;
		} else if (!strncmp(s, "{total}", 7)) {
			snprintf(num, sizeof(num), "%u", total);
			put(&o, num, strlen(num));
			s += 7;
		} else {
			/* Copy up to the next '{' in one go; unknown {x} stays literal. */
			const char *brace = strchr(s + 1, '{');
			size_t len = brace ? (size_t)(brace - s) : strlen(s);

			put(&o, s, len);
			s += len;
		}
	}
	if (o.cut)
		trim_partial(&o);
	return buf;
}

enum phrase voice_file_error(const struct diag *err, const char *config_path,
			     const char *routine_path)
{
	if (diag_in_file(err, config_path))
		return PHRASE_SETTINGS_ERROR;
	if (diag_in_file(err, routine_path))
		return PHRASE_FILE_ERROR;
	return PHRASE_VOICE_ERROR;
}
