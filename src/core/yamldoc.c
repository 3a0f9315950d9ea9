/* Loading YAML strictly, with messages a person can act on, and what every
 * reader of the nodes needs: errors at a node, what a node is in words.
 * Reading keys and typed values is in yamldoc_get.c, which calls this file
 * and is never called by it.
 *
 * libyaml's reader reports bad bytes by offset only, and its scanner's tab
 * messages are cryptic, so the text is checked first (UTF-8, control
 * characters) and tab trouble is recognised at the position libyaml stops.
 * Line and column counting follows libyaml's: columns count characters, and
 * CRLF, CR, LF, NEL, LS and PS each end a line. */
#include "yamldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

/* A position in the text as libyaml counts it (0-based). */
struct cursor {
	const unsigned char *s;
	size_t len, i, line, col;
};

/* Length of the UTF-8 sequence starting with C, for text already validated
 * (1 for a byte that starts none, so a walk always moves on). */
size_t yamldoc_utf8_len(unsigned char c)
{
	size_t n = utf8_lead_len(c);

	return n ? n : 1;
}

/* Decodes the character at C->i (validated text) without moving. */
static uint32_t peek(const struct cursor *c)
{
	uint32_t cp;

	return utf8_decode(c->s + c->i, c->len - c->i, &cp) ? cp : 0xfffd;
}

/* Moves past one character, counting lines as libyaml does. */
static void advance(struct cursor *c)
{
	uint32_t cp = peek(c);

	c->i += yamldoc_utf8_len(c->s[c->i]);
	if (c->i > c->len)
		c->i = c->len;
	if (cp == '\r' && c->i < c->len && c->s[c->i] == '\n')
		c->i++;
	if (cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
		c->line++;
		c->col = 0;
	} else {
		c->col++;
	}
}

/* Characters libyaml accepts (YAML 1.1's printable set). */
static bool printable(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0x7e) ||
	       cp == 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Reports the first byte that is not UTF-8 or not allowed in YAML. */
static int check_text(const char *path, const unsigned char *s, size_t len,
		      struct diag *err)
{
	struct cursor c = { s, len, 0, 0, 0 };

	while (c.i < len) {
		uint32_t cp;

		if (!utf8_decode(s + c.i, len - c.i, &cp))
			return diag_set(err, path, c.line + 1, c.col + 1,
					"invalid UTF-8 byte 0x%02x (expected UTF-8 text; save the file as UTF-8)",
					s[c.i]);
		cp = peek(&c);
		if (!printable(cp))
			return diag_set(err, path, c.line + 1, c.col + 1,
					"control character U+%04X (expected printable text)",
					(unsigned)cp);
		advance(&c);
	}
	return 0;
}

/* Moves C to 0-based LINE and COLUMN (or as near as the text allows). */
static void seek(struct cursor *c, size_t line, size_t column)
{
	while (c->i < c->len && c->line < line)
		advance(c);
	while (c->i < c->len && c->col < column && peek(c) != '\n' && peek(c) != '\r')
		advance(c);
}

/* A tab where libyaml stopped, or in the indentation of that line: libyaml
 * says "found character that cannot start any token" and the like. */
static bool find_tab(const unsigned char *s, size_t len, const yaml_mark_t *at,
		     size_t *line, size_t *col)
{
	struct cursor c = { s, len, 0, 0, 0 };

	seek(&c, at->line, at->column);
	if (c.line == at->line && c.i < len && s[c.i] == '\t')
		goto found;
	c = (struct cursor){ s, len, 0, 0, 0 };
	seek(&c, at->line, 0);
	while (c.i < len && c.line == at->line && (s[c.i] == ' ' || s[c.i] == '\t')) {
		if (s[c.i] == '\t')
			goto found;
		advance(&c);
	}
	return false;
found:
	*line = c.line + 1;
	*col = c.col + 1;
	return true;
}

/* What the person probably meant, for libyaml's commonest complaints. */
static const char *hint_for(const char *problem)
{
	static const struct {
		const char *problem, *hint;
	} hints[] = {
		{ "mapping values are not allowed", "quotes around text that contains ': ', or a key at the indentation of its siblings" },
		{ "could not find expected ':'", "'key: value' with a space after the colon" },
		{ "did not find expected key", "every key of a mapping at the same indentation" },
		{ "did not find expected '-'", "every item of a list to start with '- ' at the same indentation" },
		{ "cannot start any token", "a key, a value or '- '; quote text that starts with @ or `" },
		{ "unexpected end of stream", "a closing quote or bracket" },
		{ "undefined alias", "an anchor (&name) before its alias (*name)" },
		{ "expected ',' or ']'", "',' between list items and a closing ']'" },
		{ "expected ',' or '}'", "',' between entries and a closing '}'" },
		{ "incompatible YAML document", "YAML 1.1 or 1.2, or no %YAML line" },
	};
	size_t i;

	for (i = 0; problem && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(problem, hints[i].problem))
			return hints[i].hint;
	return "valid YAML";
}

/* Turns libyaml's error into a located message. */
static int parser_error(const char *path, const yaml_parser_t *p,
			const unsigned char *s, size_t len, struct diag *err)
{
	const char *problem = p->problem ? p->problem : "cannot parse";
	const yaml_mark_t *at = &p->problem_mark, *ctx = &p->context_mark;
	size_t line, col;

	if (p->error == YAML_MEMORY_ERROR)
		return diag_set(err, path, 0, 0, "out of memory while reading the file");
	if (p->error == YAML_READER_ERROR) {
		struct cursor c = { s, len, 0, 0, 0 };

		while (c.i < len && c.i < p->problem_offset)
			advance(&c);
		return diag_set(err, path, c.line + 1, c.col + 1, "%s (expected UTF-8 text)",
				problem);
	}
	if (find_tab(s, len, at, &line, &col))
		return diag_set(err, path, line, col,
				"tab character in indentation (expected spaces)");
	if (p->context && (ctx->line != at->line || ctx->column != at->column))
		return diag_set(err, path, at->line + 1, at->column + 1,
				"%s %s started at line %zu, column %zu (expected %s)",
				problem, p->context, ctx->line + 1, ctx->column + 1,
				hint_for(problem));
	return diag_set(err, path, at->line + 1, at->column + 1, "%s (expected %s)",
			problem, hint_for(problem));
}

/* Walks the events once before loading: libyaml takes time quadratic in the
 * nesting depth and in the number of anchors, so a hostile or mangled file of a
 * megabyte could stall the daemon for minutes.  Syntax errors surface here. */
static int check_shape(const char *path, const unsigned char *s, size_t len,
		       struct diag *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0, anchors = 0;
	int ret = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return diag_set(err, path, 0, 0, "out of memory while reading the file");
	yaml_parser_set_input_string(&p, s, len);
	while (!done && !ret) {
		const yaml_char_t *anchor = NULL;

		if (!yaml_parser_parse(&p, &ev)) {
			ret = parser_error(path, &p, s, len, err);
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
			anchor = ev.data.sequence_start.anchor;
			depth++;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = ev.data.mapping_start.anchor;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		if (anchor)
			anchors++;
		if (depth > YAMLDOC_MAX_DEPTH)
			ret = diag_set(err, path, ev.start_mark.line + 1, ev.start_mark.column + 1,
				       "nested more than %d levels deep (expected a simpler structure)",
				       YAMLDOC_MAX_DEPTH);
		else if (anchors > YAMLDOC_MAX_ANCHORS)
			ret = diag_set(err, path, ev.start_mark.line + 1, ev.start_mark.column + 1,
				       "more than %d anchors (expected fewer &names)",
				       YAMLDOC_MAX_ANCHORS);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ret;
}

/* The root is an empty document: nothing, "~" or a lone "---". */
static bool empty_root(const yaml_node_t *root)
{
	return !root || yamldoc_is_null(root);
}

int yamldoc_load_buffer(struct yamldoc *yd, const char *path, const char *text,
			size_t len, const char *expected, struct diag *err)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root;

	memset(yd, 0, sizeof(*yd));
	yd->path = path;
	if (!text)
		len = 0;
	if (yamldoc_check_size(path, len, YAMLDOC_MAX_SIZE, err) < 0)
		return -1;
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		s += 3;       /* a BOM from a Windows editor: harmless */
		len -= 3;
	}
	if (check_text(path, s, len, err) || check_shape(path, s, len, err))
		return -1;
	if (!yaml_parser_initialize(&parser))
		return diag_set(err, path, 0, 0, "out of memory while reading the file");
	yaml_parser_set_input_string(&parser, s, len);
	if (!yaml_parser_load(&parser, &yd->doc))
		goto err_parse;
	yd->loaded = true;
	root = yaml_document_get_root_node(&yd->doc);
	if (empty_root(root)) {
		diag_set(err, path, 0, 0, "empty file (expected %s)", expected);
		goto err_doc;
	}
	/* A second document would be silently ignored: say so instead. */
	if (!yaml_parser_load(&parser, &extra))
		goto err_parse;
	if (yaml_document_get_root_node(&extra)) {
		diag_set(err, path, extra.start_mark.line + 1, extra.start_mark.column + 1,
			 "a second document (expected one document per file; remove this '---')");
		yaml_document_delete(&extra);
		goto err_doc;
	}
	yaml_document_delete(&extra);
	if (yamldoc_expect(yd, root, YAML_MAPPING_NODE, "the file", expected, err))
		goto err_doc;
	yaml_parser_delete(&parser);
	return 0;

err_parse:
	parser_error(path, &parser, s, len, err);
err_doc:
	yamldoc_free(yd);
	yaml_parser_delete(&parser);
	return -1;
}

int yamldoc_check_size(const char *path, size_t len, size_t max, struct diag *err)
{
	if (len <= max)
		return 0;
	return diag_set(err, path, 0, 0, "file is too large: %zu bytes (expected at most %zu KiB)",
			len, max / 1024);
}

int yamldoc_read_file(const char *path, size_t max, char **out, size_t *out_len,
		      struct diag *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, ret;

	*out = NULL;
	*out_len = 0;
	/* O_NONBLOCK: a FIFO given by mistake must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return diag_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = diag_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
		goto err_close;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = diag_set(err, path, 0, 0, "cannot read: %s", strerror(EISDIR));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = diag_set(err, path, 0, 0, "cannot read: not a regular file");
		goto err_close;
	}
	/* One byte more than allowed, to tell "too large" from "exactly the cap". */
	buf = malloc(max + 1);
	if (!buf) {
		ret = diag_set(err, path, 0, 0, "cannot read: %s", strerror(ENOMEM));
		goto err_close;
	}
	while (len <= max) {
		ssize_t n = read(fd, buf + len, max + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = diag_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
			goto err_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		ret = yamldoc_check_size(path, st.st_size > (off_t)len ? (size_t)st.st_size : len,
					 max, err);
		goto err_free;
	}
	close(fd);
	*out = buf;
	*out_len = len;
	return 0;
err_free:
	free(buf);
err_close:
	close(fd);
	return ret;
}

int yamldoc_load_file(struct yamldoc *yd, const char *path, const char *expected,
		      struct diag *err)
{
	char *buf;
	size_t len;
	int ret;

	memset(yd, 0, sizeof(*yd));
	yd->path = path;
	if (yamldoc_read_file(path, YAMLDOC_MAX_SIZE, &buf, &len, err) < 0)
		return -1;
	ret = yamldoc_load_buffer(yd, path, buf, len, expected, err);
	free(buf);
	return ret;
}

void yamldoc_free(struct yamldoc *yd)
{
	if (yd && yd->loaded)
		yaml_document_delete(&yd->doc);
	if (yd)
		yd->loaded = false;
}

yaml_node_t *yamldoc_root(struct yamldoc *yd)
{
	return yd->loaded ? yaml_document_get_root_node(&yd->doc) : NULL;
}

int yamldoc_error(const struct yamldoc *yd, const yaml_node_t *node,
		  struct diag *err, const char *fmt, ...)
{
	char what[sizeof(err->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!node)
		return diag_set(err, yd->path, 0, 0, "%s", what);
	return diag_set(err, yd->path, node->start_mark.line + 1,
			node->start_mark.column + 1, "%s", what);
}

/* What a node is, in words, and whether it is what a caller expects: used
 * by the loader for the root and by every getter. */
bool yamldoc_is_null(const yaml_node_t *node)
{
	const char *t;

	if (!node || node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	t = (const char *)node->data.scalar.value;
	return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") ||
	       !strcmp(t, "NULL");
}

/* A plain number as YAML would read it: "8", "-2", "1.5". */
static bool looks_numeric(const char *t)
{
	bool digits = false;

	if (*t == '-' || *t == '+')
		t++;
	for (; *t >= '0' && *t <= '9'; t++)
		digits = true;
	if (*t == '.')
		for (t++; *t >= '0' && *t <= '9'; t++)
			digits = true;
	return digits && !*t;
}

const char *yamldoc_describe(const yaml_node_t *node)
{
	const char *t;

	if (!node)
		return "missing";
	if (node->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (node->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (yamldoc_is_null(node))
		return "empty";
	t = (const char *)node->data.scalar.value;
	if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && looks_numeric(t))
		return "a number";
	return "a string";
}

int yamldoc_expect(const struct yamldoc *yd, const yaml_node_t *node,
		   yaml_node_type_t type, const char *what, const char *expected,
		   struct diag *err)
{
	if (node && node->type == type && !(type == YAML_SCALAR_NODE && yamldoc_is_null(node)))
		return 0;
	return yamldoc_error(yd, node, err, "%s is %s (expected %s)", what,
			     yamldoc_describe(node), expected);
}
