/* libFuzzer harness for control_parse (one request line from a client) and for
 * the reply formatter that may echo the client's words back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "fuzz.h"

/* A reason or a reply is one line of text, NUL-terminated within SIZE. */
static void check_line(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);

	FUZZ_ASSERT(end);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly SIZE bytes, as read from the socket: no terminator. */
	char *line = fuzz_copy(data, size, 0);
	char *cstr = fuzz_copy(data, size, 1);
	struct control_request req;
	char why[CONTROL_MAX_ERROR], reply[64];
	size_t rsize;

	memset(why, 'X', sizeof(why));
	if (control_parse(line, size, &req, why, sizeof(why)) == 0) {
		size_t alen = strnlen(req.arg, sizeof(req.arg));

		FUZZ_ASSERT((unsigned)req.cmd < CONTROL_CMD_MAX);
		FUZZ_ASSERT(alen <= CONTROL_MAX_ARG);
		/* start needs its NAME; history's format is optional; the
		 * others take nothing. */
		if (req.cmd == CONTROL_START)
			FUZZ_ASSERT(alen > 0);
		else if (req.cmd != CONTROL_HISTORY)
			FUZZ_ASSERT(alen == 0);
		FUZZ_ASSERT(size <= CONTROL_MAX_LINE);
		FUZZ_ASSERT(strcmp(control_cmd_name(req.cmd), "?") != 0);
		check_line(req.arg, sizeof(req.arg));
	} else {
		FUZZ_ASSERT(req.cmd == CONTROL_CMD_MAX);
		check_line(why, sizeof(why));
		FUZZ_ASSERT(why[0]);
	}
	/* A reason cut short by a small buffer is still a string. */
	if (size > 0) {
		char small[16];
		size_t n = (size_t)data[0] % sizeof(small);

		if (control_parse(line, size, &req, small, n) < 0 && n > 0)
			FUZZ_ASSERT(memchr(small, '\0', n));
	}
	/* Echoing the client's text (up to its first NUL) into replies of every
	 * size: one line, NUL-terminated, never past the buffer. */
	rsize = size ? (size_t)data[size - 1] % sizeof(reply) : 0;
	if (rsize) {
		char *out = malloc(rsize);

		FUZZ_ASSERT(out);
		control_reply_error(out, rsize, "unknown routine '%s'", cstr);
		check_line(out, rsize);
		control_reply(out, rsize, "%s", cstr);
		check_line(out, rsize);
		FUZZ_ASSERT(!control_is_error(out) || strncmp(cstr, "error", 5) == 0);
		free(out);
	}
	control_reply(reply, sizeof(reply), "%s", cstr);
	check_line(reply, sizeof(reply));
	free(line);
	free(cstr);
	return 0;
}
