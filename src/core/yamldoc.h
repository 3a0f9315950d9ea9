/* A YAML file loaded whole (libyaml's document API) with helpers that read it
 * strictly and explain every mistake as "FILE:LINE:COLUMN: error: WHAT (expected
 * ...)".  Shared by the routine, voice and config parsers.
 *
 * Typical use:
 *
 *	struct yamldoc yd;
 *	yaml_node_t *root;
 *
 *	if (yamldoc_load_file(&yd, path, "a mapping with name and steps", err))
 *		return -1;                 // nothing to free
 *	root = yamldoc_root(&yd);        // always a mapping
 *	if (yamldoc_check_keys(&yd, root, keys, err) ||
 *	    yamldoc_uint(&yd, root, "countdown", 0, 10, 3, &countdown, err) < 0)
 *		goto fail;
 *	...
 *	yamldoc_free(&yd);
 *
 * Value getters (yamldoc_get.c) look a key up in a mapping and return 1 when it is present and
 * valid, 0 when it is absent (the output then holds the default, if any), and
 * -1 with ERR filled when it is present but wrong.  Errors point at the value's
 * line and column; a missing key points at the mapping. */
#ifndef COACH_YAMLDOC_H
#define COACH_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "diag.h"

/* Larger files are refused: no routine or config is anywhere near this. */
#define YAMLDOC_MAX_SIZE   (1024 * 1024)
/* Deeper nesting and more anchors are refused: libyaml slows down
 * quadratically with both, and no coach file needs more than a handful. */
#define YAMLDOC_MAX_DEPTH   32
#define YAMLDOC_MAX_ANCHORS 256
/* Passed as DFLT to a getter whose key has no default. */
#define YAMLDOC_NO_DEFAULT UINT32_MAX
/* Room for a user's value quoted in a message (see yamldoc_snippet). */
#define YAMLDOC_SNIPPET    64

struct yamldoc {
	const char *path;     /* names the file in messages; not copied */
	yaml_document_t doc;
	bool loaded;          /* doc holds something to free */
};

/* Loads TEXT (LEN bytes; a UTF-8 BOM and CRLF line ends are fine) whose top level
 * must be a mapping, described by EXPECTED in messages ("a mapping with name and
 * steps").  PATH must outlive YD.  Returns 0, or -1 with ERR filled and YD
 * needing no free. */
int yamldoc_load_buffer(struct yamldoc *yd, const char *path, const char *text,
			size_t len, const char *expected, struct diag *err);

/* Fails with "PATH: error: file is too large: LEN bytes (expected at most
 * MAX/1024 KiB)" when LEN is past MAX.  Each kind of file has its own budget
 * (ROUTINE_MAX_SIZE, ...); none is past YAMLDOC_MAX_SIZE. */
int yamldoc_check_size(const char *path, size_t len, size_t max, struct diag *err);

/* Reads the regular file PATH (at most MAX bytes, itself at most
 * YAMLDOC_MAX_SIZE) into *OUT, a malloc'd buffer of *LEN bytes (not
 * NUL-terminated).  Returns 0, or -1 with ERR filled ("PATH: error: cannot
 * read: ...", or too large as yamldoc_check_size says). */
int yamldoc_read_file(const char *path, size_t max, char **out, size_t *len,
		      struct diag *err);

/* Reads PATH (at most YAMLDOC_MAX_SIZE bytes) and loads it as above. */
int yamldoc_load_file(struct yamldoc *yd, const char *path, const char *expected,
		      struct diag *err);

/* Frees the document; YD may be zeroed or already freed. */
void yamldoc_free(struct yamldoc *yd);

/* The top-level mapping of a loaded document. */
yaml_node_t *yamldoc_root(struct yamldoc *yd);

/* Formats an error located at NODE's start into ERR.  Returns -1. */
int yamldoc_error(const struct yamldoc *yd, const yaml_node_t *node,
		  struct diag *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* What NODE is, for messages: "a mapping", "a list", "a number", "a string",
 * "empty". */
const char *yamldoc_describe(const yaml_node_t *node);

/* True for a scalar that YAML reads as nothing: an empty plain value, "~" or
 * "null". */
bool yamldoc_is_null(const yaml_node_t *node);

/* Checks that NODE has TYPE; otherwise fails with "WHAT is a string (expected
 * EXPECTED)" ("'steps' is a string (expected a list of steps)"). */
int yamldoc_expect(const struct yamldoc *yd, const yaml_node_t *node,
		   yaml_node_type_t type, const char *what, const char *expected,
		   struct diag *err);

/* Checks MAP's keys against the NULL-terminated list KNOWN: every key is a plain
 * word, known ("unknown key 'tme' (did you mean 'time'?)") and not repeated. */
int yamldoc_check_keys(struct yamldoc *yd, yaml_node_t *map,
		       const char *const *known, struct diag *err);

/* The value of KEY in MAP, or NULL when absent (first match; use
 * yamldoc_check_keys first to reject duplicates). */
yaml_node_t *yamldoc_get(struct yamldoc *yd, yaml_node_t *map, const char *key);

/* Fails with "missing key 'KEY' (expected EXPECTED)" at MAP unless KEY is there. */
int yamldoc_require(struct yamldoc *yd, yaml_node_t *map, const char *key,
		    const char *expected, struct diag *err);

/* Number of items in a list node (0 for other nodes). */
size_t yamldoc_seq_len(const yaml_node_t *seq);

/* Item I of list SEQ, or NULL past the end. */
yaml_node_t *yamldoc_seq_item(struct yamldoc *yd, yaml_node_t *seq, size_t i);

/* The text of a scalar node (NUL-terminated), or NULL for other nodes. */
const char *yamldoc_text(const yaml_node_t *node);

/* Copies TEXT into BUF (YAMLDOC_SNIPPET bytes is plenty) for quoting in a
 * message: control characters become '?', long text is cut with "...".
 * Returns BUF. */
const char *yamldoc_snippet(const char *text, char *buf, size_t size);

/* KEY as text of 1..MAX_CHARS characters (not just spaces), trailing spaces and
 * line breaks dropped.  *OUT is replaced with a malloc'd copy (the old value
 * freed); absent leaves it alone. */
int yamldoc_string(struct yamldoc *yd, yaml_node_t *map, const char *key,
		   size_t max_chars, char **out, struct diag *err);

/* The scalar NODE as text, checked and copied as yamldoc_string does; WHAT
 * names it in messages ("cue at 15s").  Returns 1, or -1 with ERR filled. */
int yamldoc_string_node(struct yamldoc *yd, yaml_node_t *node, const char *what,
			size_t max_chars, char **out, struct diag *err);

/* KEY as true/false/yes/no (any case); absent gives DFLT. */
int yamldoc_bool(struct yamldoc *yd, yaml_node_t *map, const char *key,
		 bool dflt, bool *out, struct diag *err);

/* KEY as a whole number in MIN..MAX; absent gives DFLT (YAMLDOC_NO_DEFAULT
 * leaves *OUT alone).  The message names the range and the default. */
int yamldoc_uint(struct yamldoc *yd, yaml_node_t *map, const char *key,
		 uint32_t min, uint32_t max, uint32_t dflt, uint32_t *out,
		 struct diag *err);

/* KEY as a duration (see duration.h) from MIN_MS to MAX_MS, in milliseconds;
 * absent gives DFLT_MS as for yamldoc_uint. */
int yamldoc_duration(struct yamldoc *yd, yaml_node_t *map, const char *key,
		     uint32_t min_ms, uint32_t max_ms, uint32_t dflt_ms,
		     uint32_t *out, struct diag *err);

/* Closest word in the NULL-terminated list KNOWN to WORD (case-insensitive edit
 * distance of at most 2, and less than WORD's length), or NULL. */
const char *yamldoc_suggest(const char *word, const char *const *known);

/* Length of the UTF-8 sequence starting with byte C, for validated text. */
size_t yamldoc_utf8_len(unsigned char c);

#endif
