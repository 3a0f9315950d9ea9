#include "phrases.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "packname.h"
#include "safetext.h"

/* The sentences printed so far, so that each is printed once. */
struct seen {
	const char **text;
	size_t n, cap;
};

static bool seen_before(struct seen *s, const char *text)
{
	const char **grown;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->text[i], text))
			return true;
	if (s->n == s->cap) {
		grown = realloc(s->text, (s->cap ? s->cap * 2 : 64) * sizeof(*grown));
		if (!grown)
			return false;   /* out of memory: a sentence may print twice */
		s->text = grown;
		s->cap = s->cap ? s->cap * 2 : 64;
	}
	s->text[s->n++] = text;
	return false;
}

static void line(FILE *out, const char *text)
{
	char name[PACKNAME_MAX], clean[1024];

	safetext_copy(clean, sizeof(clean), text);
	fprintf(out, "%s\t%s\n", packname_of(text, name, sizeof(name)), clean);
}

void phrases_print(const struct plan *p, const struct routine *r, const struct voice *v,
		   FILE *out)
{
	static const enum phrase fixed[] = { PHRASE_GOOD_MORNING, PHRASE_STREAK_ONE,
					     PHRASE_MINUTE_LEFT, PHRASE_NOT_TODAY, PHRASE_CHECKIN };
	static const enum phrase of_the_moment[] = {
		PHRASE_STREAK, PHRASE_MINUTES_LEFT, PHRASE_SECONDS_LEFT, PHRASE_FILE_ERROR,
		PHRASE_SETTINGS_ERROR, PHRASE_VOICE_ERROR, PHRASE_SNOOZED, PHRASE_CHECKIN_ANSWER,
	};
	const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct seen seen = { 0 };
	char **extra = calloc(r->nsteps + nfixed, sizeof(*extra));
	size_t nextra = 0;
	char buf[1024], clean[1024];

	for (size_t i = 0; i < p->ntexts; i++)
		if (p->texts[i][0] && !seen_before(&seen, p->texts[i]))
			line(out, p->texts[i]);
	for (size_t i = 0; extra && i < nfixed + r->nsteps; i++) {
		if (i < nfixed)
			voice_say(v, fixed[i], NULL, 0, 0, buf, sizeof(buf));
		else
			voice_say(v, PHRASE_PROGRESS, r->steps[i - nfixed].name,
				  (unsigned)(i - nfixed + 1), (unsigned)r->nsteps, buf, sizeof(buf));
		extra[nextra] = strdup(buf);
		if (extra[nextra] && !seen_before(&seen, extra[nextra]))
			line(out, extra[nextra]);
		nextra += extra[nextra] != NULL;
	}
	for (size_t i = 0; i < sizeof(of_the_moment) / sizeof(of_the_moment[0]); i++) {
		safetext_copy(clean, sizeof(clean), v->phrase[of_the_moment[i]]);
		fprintf(out, "# synthesized, its number known only when said (%s): %s\n",
			phrase_key(of_the_moment[i]), clean);
	}
	for (size_t i = 0; i < nextra; i++)
		free(extra[i]);
	free(extra);
	free(seen.text);
}
