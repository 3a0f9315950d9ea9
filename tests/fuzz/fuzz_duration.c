/* libFuzzer harness for duration_parse and duration_format: every accepted
 * text is at most a day, formats back to the same value, and formatting never
 * writes past the buffer it is given. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "fuzz.h"

#define DAY_MS (24u * 60 * 60 * 1000)

/* Formats MS into a buffer of exactly SIZE bytes and checks it is a string. */
static void check_format(uint32_t ms, unsigned size)
{
	char *buf = malloc(size ? size : 1);

	FUZZ_ASSERT(buf);
	duration_format(ms, buf, size);
	if (size)
		FUZZ_ASSERT(memchr(buf, '\0', size));
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* duration_parse takes a C string: terminated right after the data. */
	char *text = fuzz_copy(data, size, 1);
	uint32_t ms = 0xdeadbeef, again = 0;
	char buf[32];
	int rc = duration_parse(text, &ms);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0) {
		FUZZ_ASSERT(ms <= DAY_MS);
		duration_format(ms, buf, sizeof(buf));
		FUZZ_ASSERT(duration_parse(buf, &again) == 0);
		FUZZ_ASSERT(again == ms);
	} else {
		FUZZ_ASSERT(ms == 0xdeadbeef);   /* untouched on failure */
	}
	/* The first bytes as a value to format into a buffer of any size. */
	if (size >= 5) {
		uint32_t v;

		memcpy(&v, data, sizeof(v));
		check_format(v, data[4] % 24);
		check_format(v % (DAY_MS + 1), data[4] % 24);
	}
	free(text);
	return 0;
}
