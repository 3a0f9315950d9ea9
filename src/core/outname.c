#include "outname.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool has(const char *text, const char *part)
{
	return strcasestr(text, part) != NULL;
}

enum card_kind card_kind(const struct sound_card *c)
{
	/* USB Audio Class devices all have snd-usb-audio's driver name. */
	if (!strcmp(c->driver, "USB-Audio"))
		return CARD_USB;
	/* vc4hdmi0/1 (vc4-hdmi), and the old firmware driver's "bcm2835 HDMI 1". */
	if (has(c->driver, "hdmi") || has(c->id, "hdmi") || has(c->name, "hdmi"))
		return CARD_HDMI;
	/* The jack: "Headphones" (bcm2835_headpho) since 5.4, and the old
	 * firmware driver's single "bcm2835 ALSA" card, which played there. */
	if (!strcasecmp(c->id, "Headphones") || has(c->name, "Headphones") ||
	    !strncmp(c->driver, "bcm2835", 7))
		return CARD_JACK;
	if (!strcmp(c->driver, "Loopback") || !strcmp(c->driver, "Dummy") ||
	    !strcmp(c->driver, "PC-Speaker") || !strcmp(c->id, "Loopback") || !strcmp(c->id, "Dummy"))
		return CARD_VIRTUAL;
	/* What is left on a Pi is an I2S card: a DAC or amplifier HAT. */
	return CARD_HAT;
}

const char *card_kind_text(enum card_kind k)
{
	switch (k) {
	case CARD_USB: return "USB";
	case CARD_HAT: return "HAT (I2S) or other card";
	case CARD_JACK: return "headphone jack";
	case CARD_HDMI: return "HDMI";
	case CARD_VIRTUAL: return "virtual";
	}
	return "?";
}

void card_pcm(const struct sound_card *c, char *out, size_t size)
{
	/* vc4's HDMI takes only IEC958 subframes on its raw device, which plug
	 * cannot make; its card configuration's default is plug over ALSA's
	 * iec958 converter.  Every other card: plug over the raw device. */
	snprintf(out, size, "%s:CARD=%s", card_kind(c) == CARD_HDMI ? "sysdefault" : "plughw", c->id);
}

int outname_auto(const struct sound_card *cards, size_t n, char *why, size_t why_size)
{
	static const char *const reasons[] = {
		[CARD_USB] = "a USB card is plugged in",
		[CARD_HAT] = "no USB card; a HAT (I2S) or other card is fitted",
		[CARD_JACK] = "no USB or HAT card",
		[CARD_HDMI] = "no USB card, HAT or headphone jack",
		[CARD_VIRTUAL] = "no real sound card",
	};
	int best = -1;

	for (size_t i = 0; i < n; i++)
		if (best < 0 || card_kind(&cards[i]) < card_kind(&cards[best]))
			best = (int)i;
	if (best < 0)
		snprintf(why, why_size, "no sound card: ALSA's default");
	else
		snprintf(why, why_size, "%s (card %d, %s): %s", cards[best].id, cards[best].index,
			 card_kind_text(card_kind(&cards[best])), reasons[card_kind(&cards[best])]);
	return best;
}

bool outname_pcm_base(const char *pcm, char *out, size_t size)
{
	size_t len = strcspn(pcm, ":");

	if (len == 0 || len >= size)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(pcm[i] >= 'a' && pcm[i] <= 'z') && !(pcm[i] >= 'A' && pcm[i] <= 'Z') &&
		    !(pcm[i] >= '0' && pcm[i] <= '9') && !strchr("_.-", pcm[i]))
			return false;
	memcpy(out, pcm, len);
	out[len] = '\0';
	return true;
}

size_t outname_rates(unsigned wanted, unsigned *out, size_t max)
{
	static const unsigned common[] = { 48000, 44100, 96000, 88200, 32000, 22050, 16000,
					   11025, 8000 };
	size_t n = 0;

	if (n < max && wanted)
		out[n++] = wanted;
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]) && n < max; i++)
		if (common[i] != wanted)
			out[n++] = common[i];
	return n;
}

bool outname_converts(const char *pcm)
{
	return !strncmp(pcm, "plughw:", 7) || !strncmp(pcm, "plug:", 5) ||
	       !strncmp(pcm, "sysdefault:", 11);
}

static void target(struct out_target *t, enum out_how how, const char *name)
{
	t->how = how;
	snprintf(t->name, sizeof(t->name), "%s", name);
}

void outname_resolve(const char *want, const struct sound_card *cards, size_t ncards,
		     const char *const *pcms, size_t npcms, struct out_target *t)
{
	char base[OUTNAME_MAX], pcm[OUTNAME_MAX];

	memset(t, 0, sizeof(*t));
	if (!want || !*want || !strcasecmp(want, "default")) {
		target(t, OUT_DEFAULT, "default");
		snprintf(t->why, sizeof(t->why), "the default output");
		return;
	}
	if (!strcasecmp(want, "auto")) {
		char why[160];
		int i = outname_auto(cards, ncards, why, sizeof(why));

		if (i < 0) {
			target(t, OUT_DEFAULT, "default");
		} else {
			card_pcm(&cards[i], pcm, sizeof(pcm));
			target(t, OUT_ALSA, pcm);
		}
		snprintf(t->why, sizeof(t->why), "auto: %s", why);
		return;
	}
	for (size_t i = 0; i < ncards; i++) {
		if (strcasecmp(want, cards[i].id) && strcasecmp(want, cards[i].name))
			continue;
		card_pcm(&cards[i], pcm, sizeof(pcm));
		target(t, OUT_ALSA, pcm);
		snprintf(t->why, sizeof(t->why), "card %d, %s (%s)", cards[i].index, cards[i].id,
			 card_kind_text(card_kind(&cards[i])));
		return;
	}
	if (outname_pcm_base(want, base, sizeof(base)))
		for (size_t i = 0; i < npcms; i++) {
			if (strcmp(base, pcms[i]))
				continue;
			target(t, OUT_ALSA, want);
			snprintf(t->why, sizeof(t->why), "the ALSA device %s", want);
			return;
		}
	target(t, OUT_PORTAUDIO, want);
	snprintf(t->why, sizeof(t->why), "the PortAudio device named like '%s'", want);
}
