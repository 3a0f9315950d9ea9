/* What the config's `audio: device:` names, and which output `auto` picks.
 *
 * On a Pi the outputs are ALSA cards whose numbers change between boots and
 * kernels but whose names do not ("Headphones", "vc4hdmi0", "USB"), and what
 * plays well on a card is its plug device, which converts rate, format and
 * channels: plughw:CARD=X, or for HDMI through vc4 (whose raw device takes
 * only IEC958 subframes) sysdefault:CARD=X, plug over the iec958 converter.
 * This decides, from the cards and the ALSA PCM names there are (read by
 * the sound layer), what a configured name means: pure, so that it is
 * tested with the card lists of real boards. */
#ifndef COACH_OUTNAME_H
#define COACH_OUTNAME_H

#include <stdbool.h>
#include <stddef.h>

#define OUTNAME_MAX 128

/* A sound card as ALSA's control interface describes it. */
struct sound_card {
	int index;              /* card number: changes between boots */
	char id[32];            /* "Headphones", "vc4hdmi0", "Device": stays */
	char name[80];          /* "bcm2835 Headphones", "vc4-hdmi-0", "USB Audio Device" */
	char driver[32];        /* "bcm2835_headpho", "vc4-hdmi", "USB-Audio" */
};

/* What kind of output a card is, in the order `auto` prefers them: someone
 * who plugged a USB speaker in or fitted a HAT meant it to be used. */
enum card_kind { CARD_USB, CARD_HAT, CARD_JACK, CARD_HDMI, CARD_VIRTUAL };

enum card_kind card_kind(const struct sound_card *c);

/* "USB", "HAT (I2S) or other card", "headphone jack", "HDMI", "virtual". */
const char *card_kind_text(enum card_kind k);

/* The ALSA PCM that plays on card C converting what it must:
 * "sysdefault:CARD=vc4hdmi0" for HDMI, else "plughw:CARD=Headphones". */
void card_pcm(const struct sound_card *c, char *out, size_t size);

/* The card `auto` plays on: the first USB card, else the first HAT, else
 * the jack, else the first HDMI, else a virtual one.  Returns its index in
 * CARDS, or -1 when there is none; WHY says which kind and why, for the log. */
int outname_auto(const struct sound_card *cards, size_t n, char *why, size_t why_size);

enum out_how {
	OUT_DEFAULT,            /* PortAudio's default output */
	OUT_ALSA,               /* an ALSA PCM opened by its name */
	OUT_PORTAUDIO,          /* the first PortAudio output whose name contains it */
};

struct out_target {
	enum out_how how;
	char name[OUTNAME_MAX]; /* the PCM, or the part of a PortAudio name */
	char why[192];          /* how WANT was understood, for the log */
};

/* What the configured WANT means, in this order: "default"; "auto"
 * (outname_auto; the default without any card); a card's id or name, any
 * case ("headphones", "bcm2835 Headphones": its card_pcm); an ALSA PCM
 * name, alone or with arguments ("bluealsa", "hdmi:CARD=vc4hdmi0",
 * "hw:0,0"), when the part before ':' is one of the PCMS ALSA's
 * configuration defines; else part of a PortAudio device name, as before
 * card names were known. */
void outname_resolve(const char *want, const struct sound_card *cards, size_t ncards,
		     const char *const *pcms, size_t npcms, struct out_target *t);

/* The rates to try on a device that does not take WANTED, WANTED first,
 * then the common ones (48000, 44100, 96000, ...), each once: up to MAX
 * into OUT.  Returns how many. */
size_t outname_rates(unsigned wanted, unsigned *out, size_t max);

/* Whether the ALSA PCM converts any rate itself (plug: plughw:, plug:, and
 * the sysdefault: card_pcm gives HDMI), so that there is no need to ask
 * which rates it takes: asking opens the device, and on a Pi's jack each
 * open is a pop. */
bool outname_converts(const char *pcm);

/* The part of an ALSA PCM string before its arguments: "hdmi" for
 * "hdmi:CARD=vc4hdmi0", into OUT; false when it cannot be a PCM name
 * (empty, spaces, too long). */
bool outname_pcm_base(const char *pcm, char *out, size_t size);

#endif
