/* libFuzzer harness for voice_parse, then speech_check_voice on what parses:
 * any bytes in, a profile or one located error out; a profile's espeak-ng
 * voice is then asked of espeak-ng itself (issue 16, finding 3: a profile
 * naming a voice espeak-ng does not have passed --check), and its failure
 * must be one located error too, at the profile's espeak: line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "speech.h"
#include "voice.h"

#define PATH "voices/fuzz.yaml"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libespeak-ng keeps (and loses track of) a little of each voice it loads
 * for the life of the process: its leak, not coach's, and coachd loads a
 * handful of voices, not the fuzzer's thousands. */
const char *__lsan_default_suppressions(void)
{
	return "leak:libespeak-ng.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size, 0);
	struct voice v;
	struct diag err;

	if (voice_parse(PATH, text, size, &v, &err) == 0) {
		FUZZ_ASSERT(v.name && !strcmp(v.name, "fuzz"));
		FUZZ_ASSERT(v.path && !strcmp(v.path, PATH));
		FUZZ_ASSERT(v.espeak && *v.espeak);
		FUZZ_ASSERT(strspn(v.espeak, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_+") == strlen(v.espeak));
		FUZZ_ASSERT(v.espeak_line >= 1 && v.espeak_column >= 1);
		FUZZ_ASSERT(v.rate >= 80 && v.rate <= 450 && v.pitch >= 0 && v.pitch <= 99);
		for (int p = 0; p < PHRASE_MAX; p++)
			FUZZ_ASSERT(v.phrase[p] && *v.phrase[p]);
		/* A voice espeak-ng has, or an error at the espeak: line. */
		if (speech_check_voice(&v, &err) < 0) {
			char where[64];

			fuzz_check_diag(err.text, PATH, data, size);
			snprintf(where, sizeof(where), "%s:%u:%u: error: ", PATH, v.espeak_line,
				 v.espeak_column);
			FUZZ_ASSERT(!strncmp(err.text, where, strlen(where)));
		}
		voice_free(&v);
	} else {
		fuzz_check_diag(err.text, PATH, data, size);
		FUZZ_ASSERT(!v.name && !v.espeak && !v.path);
	}
	free(text);
	return 0;
}
