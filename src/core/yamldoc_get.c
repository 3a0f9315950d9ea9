/* Reading a loaded document: key checks with did-you-mean, and typed getters
 * whose messages name the key, the value and what was allowed.  Built on
 * yamldoc.c (loading, errors, node kinds), which never calls back here. */
#include "yamldoc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "duration.h"

#define MAX_SUGGEST_LEN 64   /* longer unknown keys get no did-you-mean */

/* Case-insensitive edit distance, giving up (returning LIMIT + 1) past LIMIT. */
static size_t distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), row[MAX_SUGGEST_LEN + 1], i, j;

	if (la > MAX_SUGGEST_LEN || lb > MAX_SUGGEST_LEN)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0], best;

		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], cost;

			cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			row[j] = diag + cost;
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

const char *yamldoc_suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = 3, len = strlen(word), i;

	for (i = 0; known && known[i]; i++) {
		size_t d = distance(word, known[i], 2);

		if (d < best_d && d < len) {
			best = known[i];
			best_d = d;
		}
	}
	return best;
}

const char *yamldoc_snippet(const char *text, char *buf, size_t size)
{
	size_t i = 0, chars = 0, max_chars;
	const unsigned char *s = (const unsigned char *)text;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	if (!text || size < 8)
		return buf;
	max_chars = size < 48 ? size - 4 : 40;
	while (*s && chars < max_chars) {
		size_t n = yamldoc_utf8_len(*s), k;

		if (i + n + 4 > size)
			break;
		for (k = 1; k < n; k++)
			if (!s[k])
				n = k;    /* cut sequence at the end of the text */
		/* Escapes like "\e" could otherwise reach a terminal or the journal. */
		if ((n == 1 && (*s < 0x20 || *s == 0x7f)) || (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
			buf[i++] = '?';
		} else {
			memcpy(buf + i, s, n);
			i += n;
		}
		s += n;
		chars++;
	}
	if (*s) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

const char *yamldoc_text(const yaml_node_t *node)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

/* The list of KNOWN keys for a message: "name, say, time". */
static const char *key_list(const char *const *known, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; known[i] && n < size; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", known[i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

int yamldoc_check_keys(struct yamldoc *yd, yaml_node_t *map,
		       const char *const *known, struct diag *err)
{
	yaml_node_pair_t *pair, *prev;
	char list[256], snip[YAMLDOC_SNIPPET];

	if (yamldoc_expect(yd, map, YAML_MAPPING_NODE, "this", "a mapping", err))
		return -1;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(&yd->doc, pair->key);
		const char *word = yamldoc_text(key), *hint;
		size_t i;

		if (!word || yamldoc_is_null(key))
			return yamldoc_error(yd, key, err, "a key is %s (expected one of: %s)",
					     yamldoc_describe(key),
					     key_list(known, list, sizeof(list)));
		for (i = 0; known[i] && strcmp(word, known[i]); i++)
			;
		if (!known[i]) {
			yamldoc_snippet(word, snip, sizeof(snip));
			hint = yamldoc_suggest(word, known);
			if (hint)
				return yamldoc_error(yd, key, err,
						     "unknown key '%s' (did you mean '%s'?)",
						     snip, hint);
			return yamldoc_error(yd, key, err, "unknown key '%s' (expected one of: %s)",
					     snip, key_list(known, list, sizeof(list)));
		}
		/* Every earlier key is known and distinct, so this loop is short. */
		for (prev = map->data.mapping.pairs.start; prev < pair; prev++) {
			yaml_node_t *other = yaml_document_get_node(&yd->doc, prev->key);

			if (!strcmp(yamldoc_text(other), word))
				return yamldoc_error(yd, key, err,
						     "duplicate key '%s', first at line %zu (expected each key once)",
						     word, other->start_mark.line + 1);
		}
	}
	return 0;
}

/* KEY's pair in MAP, or NULL. */
static yaml_node_pair_t *find_pair(struct yamldoc *yd, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		const char *word = yamldoc_text(yaml_document_get_node(&yd->doc, pair->key));

		if (word && !strcmp(word, key))
			return pair;
	}
	return NULL;
}

yaml_node_t *yamldoc_get(struct yamldoc *yd, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair = find_pair(yd, map, key);

	return pair ? yaml_document_get_node(&yd->doc, pair->value) : NULL;
}

int yamldoc_require(struct yamldoc *yd, yaml_node_t *map, const char *key,
		    const char *expected, struct diag *err)
{
	if (find_pair(yd, map, key))
		return 0;
	return yamldoc_error(yd, map, err, "missing key '%s' (expected %s)", key, expected);
}

size_t yamldoc_seq_len(const yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *yamldoc_seq_item(struct yamldoc *yd, yaml_node_t *seq, size_t i)
{
	if (i >= yamldoc_seq_len(seq))
		return NULL;
	return yaml_document_get_node(&yd->doc, seq->data.sequence.items.start[i]);
}

/* The scalar value of KEY, or NULL with *RET set (0 absent, -1 not a scalar). */
static yaml_node_t *get_scalar(struct yamldoc *yd, yaml_node_t *map, const char *key,
			       const char *expected, int *ret, struct diag *err)
{
	yaml_node_t *v = yamldoc_get(yd, map, key);
	char what[80];

	*ret = 0;
	if (!v)
		return NULL;
	snprintf(what, sizeof(what), "'%s'", key);
	if (yamldoc_expect(yd, v, YAML_SCALAR_NODE, what, expected, err)) {
		*ret = -1;
		return NULL;
	}
	return v;
}

int yamldoc_string_node(struct yamldoc *yd, yaml_node_t *v, const char *what,
			size_t max_chars, char **out, struct diag *err)
{
	const unsigned char *s;
	size_t chars = 0, len, i;
	char *copy;

	if (yamldoc_expect(yd, v, YAML_SCALAR_NODE, what, "some text", err))
		return -1;
	s = v->data.scalar.value;
	len = v->data.scalar.length;
	/* A "\0" escape would cut the text short without anyone noticing. */
	if (memchr(s, '\0', len))
		return yamldoc_error(yd, v, err, "%s contains a NUL character (expected text)", what);
	/* Block scalars (| and >) end with a line break nobody means to keep. */
	while (len > 0 && isspace(s[len - 1]))
		len--;
	if (len == 0)
		return yamldoc_error(yd, v, err, "%s is blank (expected some text)", what);
	for (i = 0; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			chars++;
	if (chars > max_chars)
		return yamldoc_error(yd, v, err, "%s is too long: %zu characters (expected at most %zu)",
				     what, chars, max_chars);
	copy = strndup((const char *)s, len);
	if (!copy)
		return yamldoc_error(yd, v, err, "out of memory");
	free(*out);
	*out = copy;
	return 1;
}

int yamldoc_string(struct yamldoc *yd, yaml_node_t *map, const char *key,
		   size_t max_chars, char **out, struct diag *err)
{
	int ret;
	yaml_node_t *v = get_scalar(yd, map, key, "some text", &ret, err);
	char what[80];

	if (!v)
		return ret;
	snprintf(what, sizeof(what), "'%s'", key);
	return yamldoc_string_node(yd, v, what, max_chars, out, err);
}

int yamldoc_bool(struct yamldoc *yd, yaml_node_t *map, const char *key,
		 bool dflt, bool *out, struct diag *err)
{
	static const char *const yes[] = { "true", "yes" }, *const no[] = { "false", "no" };
	const char *expected = "true or false", *t;
	int ret;
	yaml_node_t *v = get_scalar(yd, map, key, expected, &ret, err);
	char snip[YAMLDOC_SNIPPET];
	size_t i;

	if (!v) {
		if (ret == 0)
			*out = dflt;
		return ret;
	}
	t = (const char *)v->data.scalar.value;
	for (i = 0; i < 2; i++) {
		if (!strcasecmp(t, yes[i])) {
			*out = true;
			return 1;
		}
		if (!strcasecmp(t, no[i])) {
			*out = false;
			return 1;
		}
	}
	return yamldoc_error(yd, v, err, "invalid value '%s' for '%s' (expected %s)",
			     yamldoc_snippet(t, snip, sizeof(snip)), key, expected);
}

int yamldoc_uint(struct yamldoc *yd, yaml_node_t *map, const char *key,
		 uint32_t min, uint32_t max, uint32_t dflt, uint32_t *out,
		 struct diag *err)
{
	char expected[96], snip[YAMLDOC_SNIPPET];
	const char *t, *p;
	uint64_t n = 0;
	int ret;
	yaml_node_t *v;

	if (dflt == YAMLDOC_NO_DEFAULT)
		snprintf(expected, sizeof(expected), "a whole number from %u to %u",
			 (unsigned)min, (unsigned)max);
	else
		snprintf(expected, sizeof(expected), "a whole number from %u to %u, default %u",
			 (unsigned)min, (unsigned)max, (unsigned)dflt);
	v = get_scalar(yd, map, key, expected, &ret, err);
	if (!v) {
		if (ret == 0 && dflt != YAMLDOC_NO_DEFAULT)
			*out = dflt;
		return ret;
	}
	t = (const char *)v->data.scalar.value;   /* a scalar: get_scalar checked */
	for (p = t; *p >= '0' && *p <= '9'; p++)
		if (n <= UINT32_MAX)
			n = n * 10 + (uint64_t)(*p - '0');
	if (p == t || *p || n < min || n > max)
		return yamldoc_error(yd, v, err, "invalid value '%s' for '%s' (expected %s)",
				     yamldoc_snippet(t, snip, sizeof(snip)), key, expected);
	*out = (uint32_t)n;
	return 1;
}

int yamldoc_duration(struct yamldoc *yd, yaml_node_t *map, const char *key,
		     uint32_t min_ms, uint32_t max_ms, uint32_t dflt_ms,
		     uint32_t *out, struct diag *err)
{
	char lim[16], dflt[40] = "", snip[YAMLDOC_SNIPPET];
	const char *t;
	uint32_t ms = 0;
	int ret, r;
	yaml_node_t *v = get_scalar(yd, map, key, "a duration such as 30s, 1m30s or 500ms",
				    &ret, err);

	if (!v) {
		if (ret == 0 && dflt_ms != YAMLDOC_NO_DEFAULT)
			*out = dflt_ms;
		return ret;
	}
	if (dflt_ms != YAMLDOC_NO_DEFAULT) {
		memcpy(dflt, ", default ", 11);
		duration_format(dflt_ms, dflt + 10, sizeof(dflt) - 10);
	}
	t = (const char *)v->data.scalar.value;   /* a scalar: get_scalar checked */
	yamldoc_snippet(t, snip, sizeof(snip));
	r = duration_parse(t, &ms);
	if (r == -EINVAL)
		return yamldoc_error(yd, v, err,
				     "invalid duration '%s' for '%s' (expected a duration such as 30s, 1m30s or 500ms)",
				     snip, key);
	if (r == -ERANGE || ms > max_ms) {
		duration_format(max_ms, lim, sizeof(lim));
		return yamldoc_error(yd, v, err, "'%s' is too long: %s (expected at most %s%s)",
				     key, snip, lim, dflt);
	}
	if (ms < min_ms) {
		duration_format(min_ms, lim, sizeof(lim));
		return yamldoc_error(yd, v, err, "'%s' is too short: %s (expected at least %s%s)",
				     key, snip, lim, dflt);
	}
	*out = ms;
	return 1;
}
