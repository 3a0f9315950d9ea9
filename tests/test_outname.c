/* The configured output name and `device: auto`, on the card lists of real
 * boards (as /proc/asound/cards shows them on Raspberry Pi OS Bookworm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "outname.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct sound_card jack = { 0, "Headphones", "bcm2835 Headphones", "bcm2835_headpho" };
static const struct sound_card hdmi0 = { 1, "vc4hdmi0", "vc4-hdmi-0", "vc4-hdmi" };
static const struct sound_card hdmi1 = { 2, "vc4hdmi1", "vc4-hdmi-1", "vc4-hdmi" };
static const struct sound_card usb = { 3, "Device", "USB Audio Device", "USB-Audio" };
static const struct sound_card hat = { 0, "sndrpihifiberry", "snd_rpi_hifiberry_dac", "RPi-simple" };
static const struct sound_card legacy = { 0, "ALSA", "bcm2835 ALSA", "bcm2835_alsa" };
static const struct sound_card loopback = { 0, "Loopback", "Loopback", "Loopback" };

static const char *const pcms[] = { "default", "sysdefault", "hw", "plughw", "hdmi", "bluealsa",
				    "only44100" };

static void kinds(void **state)
{
	(void)state;
	assert_int_equal(card_kind(&jack), CARD_JACK);
	assert_int_equal(card_kind(&hdmi0), CARD_HDMI);
	assert_int_equal(card_kind(&usb), CARD_USB);
	assert_int_equal(card_kind(&hat), CARD_HAT);
	assert_int_equal(card_kind(&legacy), CARD_JACK);
	assert_int_equal(card_kind(&loopback), CARD_VIRTUAL);
}

static void plug_devices(void **state)
{
	char pcm[OUTNAME_MAX];

	(void)state;
	card_pcm(&jack, pcm, sizeof(pcm));
	assert_string_equal(pcm, "plughw:CARD=Headphones");
	/* vc4's raw HDMI device takes only IEC958 subframes. */
	card_pcm(&hdmi1, pcm, sizeof(pcm));
	assert_string_equal(pcm, "sysdefault:CARD=vc4hdmi1");
	card_pcm(&usb, pcm, sizeof(pcm));
	assert_string_equal(pcm, "plughw:CARD=Device");
}

static int pick(const struct sound_card *cards, size_t n, char *why, size_t size)
{
	int i = outname_auto(cards, n, why, size);

	return i < 0 ? -1 : cards[i].index;
}

static void auto_choice(void **state)
{
	const struct sound_card pi4[] = { jack, hdmi0, hdmi1 };
	const struct sound_card pi4_usb[] = { jack, hdmi0, hdmi1, usb };
	const struct sound_card pi5[] = { hdmi0, hdmi1 };
	const struct sound_card zero_hat[] = { hat, { 1, "vc4hdmi", "vc4-hdmi", "vc4-hdmi" } };
	const struct sound_card pi3_legacy[] = { legacy };
	const struct sound_card vm[] = { loopback };
	char why[160];

	(void)state;
	assert_int_equal(pick(pi4_usb, N(pi4_usb), why, sizeof(why)), 3);
	assert_string_equal(why, "Device (card 3, USB): a USB card is plugged in");
	assert_int_equal(pick(pi4, N(pi4), why, sizeof(why)), 0);
	assert_string_equal(why, "Headphones (card 0, headphone jack): no USB or HAT card");
	assert_int_equal(pick(pi5, N(pi5), why, sizeof(why)), 1);
	assert_string_equal(why, "vc4hdmi0 (card 1, HDMI): no USB card, HAT or headphone jack");
	assert_int_equal(pick(zero_hat, N(zero_hat), why, sizeof(why)), 0);
	assert_non_null(strstr(why, "HAT"));
	assert_int_equal(pick(pi3_legacy, N(pi3_legacy), why, sizeof(why)), 0);
	assert_int_equal(pick(vm, N(vm), why, sizeof(why)), 0);
	assert_int_equal(pick(NULL, 0, why, sizeof(why)), -1);
	assert_string_equal(why, "no sound card: ALSA's default");
}

static void resolve(const char *want, const struct sound_card *cards, size_t n,
		    enum out_how how, const char *name)
{
	struct out_target t;

	outname_resolve(want, cards, n, pcms, N(pcms), &t);
	assert_int_equal(t.how, how);
	assert_string_equal(t.name, name);
	assert_true(t.why[0]);
}

static void names(void **state)
{
	const struct sound_card pi4_usb[] = { jack, hdmi0, hdmi1, usb };
	const struct sound_card pi5[] = { hdmi0, hdmi1 };

	(void)state;
	resolve("default", pi4_usb, N(pi4_usb), OUT_DEFAULT, "default");
	resolve("", pi4_usb, N(pi4_usb), OUT_DEFAULT, "default");
	/* Card ids and names, any case: the card's plug device. */
	resolve("Headphones", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Headphones");
	resolve("headphones", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Headphones");
	resolve("bcm2835 Headphones", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Headphones");
	resolve("vc4hdmi0", pi4_usb, N(pi4_usb), OUT_ALSA, "sysdefault:CARD=vc4hdmi0");
	resolve("Device", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Device");
	resolve("auto", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Device");
	resolve("auto", pi5, N(pi5), OUT_ALSA, "sysdefault:CARD=vc4hdmi0");
	resolve("auto", NULL, 0, OUT_DEFAULT, "default");
	/* ALSA PCM names, as given. */
	resolve("plughw:CARD=Headphones", pi4_usb, N(pi4_usb), OUT_ALSA, "plughw:CARD=Headphones");
	resolve("hdmi:CARD=vc4hdmi0", pi4_usb, N(pi4_usb), OUT_ALSA, "hdmi:CARD=vc4hdmi0");
	resolve("hw:0,0", pi4_usb, N(pi4_usb), OUT_ALSA, "hw:0,0");
	resolve("bluealsa", pi4_usb, N(pi4_usb), OUT_ALSA, "bluealsa");
	resolve("bluealsa:DEV=00:11:22:33:44:55", NULL, 0, OUT_ALSA,
		"bluealsa:DEV=00:11:22:33:44:55");
	resolve("only44100", NULL, 0, OUT_ALSA, "only44100");
	/* Anything else is part of a PortAudio name, as before; so is a card
	 * that is not there (it may be plugged in later). */
	resolve("USB", pi4_usb, N(pi4_usb), OUT_PORTAUDIO, "USB");
	resolve("bcm2835 Headphones: - (hw:0,0)", pi4_usb, N(pi4_usb), OUT_PORTAUDIO,
		"bcm2835 Headphones: - (hw:0,0)");
	resolve("Headphones", pi5, N(pi5), OUT_PORTAUDIO, "Headphones");
	resolve("nosuchpcm:CARD=x", pi5, N(pi5), OUT_PORTAUDIO, "nosuchpcm:CARD=x");
}

static void pcm_base(void **state)
{
	char base[16];

	(void)state;
	assert_true(outname_pcm_base("hdmi:CARD=vc4hdmi0", base, sizeof(base)));
	assert_string_equal(base, "hdmi");
	assert_true(outname_pcm_base("bluealsa", base, sizeof(base)));
	assert_string_equal(base, "bluealsa");
	assert_false(outname_pcm_base("bcm2835 Headphones: - (hw:0,0)", base, sizeof(base)));
	assert_false(outname_pcm_base(":x", base, sizeof(base)));
	assert_false(outname_pcm_base("averyveryverylongname", base, sizeof(base)));
}

static void rates(void **state)
{
	unsigned r[16];
	size_t n;

	(void)state;
	n = outname_rates(48000, r, 16);
	assert_int_equal(n, 9);
	assert_int_equal(r[0], 48000);
	assert_int_equal(r[1], 44100);
	n = outname_rates(12000, r, 16);
	assert_int_equal(n, 10);
	assert_int_equal(r[0], 12000);
	assert_int_equal(r[1], 48000);
	for (size_t i = 1; i < n; i++)
		assert_int_not_equal(r[i], 12000);
	assert_int_equal(outname_rates(44100, r, 2), 2);
	/* Plug devices convert: no need to open them to ask. */
	assert_true(outname_converts("plughw:CARD=Headphones"));
	assert_true(outname_converts("sysdefault:CARD=vc4hdmi0"));
	assert_true(outname_converts("plug:bluealsa"));
	assert_false(outname_converts("hw:0,0"));
	assert_false(outname_converts("only44100"));
	assert_int_equal(r[1], 48000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
		cmocka_unit_test(plug_devices),
		cmocka_unit_test(auto_choice),
		cmocka_unit_test(names),
		cmocka_unit_test(pcm_base),
		cmocka_unit_test(rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
