#include "alsaout.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Whether card CTL has a device that plays (a USB microphone does not). */
static bool can_play(snd_ctl_t *ctl)
{
	snd_pcm_info_t *info;
	int dev = -1;
	bool yes = false;

	if (snd_pcm_info_malloc(&info) < 0)
		return true;
	while (!yes && snd_ctl_pcm_next_device(ctl, &dev) == 0 && dev >= 0) {
		snd_pcm_info_set_device(info, (unsigned)dev);
		snd_pcm_info_set_subdevice(info, 0);
		snd_pcm_info_set_stream(info, SND_PCM_STREAM_PLAYBACK);
		yes = snd_ctl_pcm_info(ctl, info) == 0;
	}
	snd_pcm_info_free(info);
	return yes;
}

static void read_cards(struct alsaout *o)
{
	snd_ctl_card_info_t *info;
	int card = -1;

	if (snd_ctl_card_info_malloc(&info) < 0)
		return;
	while (o->ncards < ALSAOUT_MAX_CARDS && snd_card_next(&card) == 0 && card >= 0) {
		struct sound_card *c = &o->cards[o->ncards];
		char hw[16];
		snd_ctl_t *ctl;

		snprintf(hw, sizeof(hw), "hw:%d", card);
		if (snd_ctl_open(&ctl, hw, 0) < 0)
			continue;
		if (snd_ctl_card_info(ctl, info) == 0 && can_play(ctl)) {
			c->index = card;
			snprintf(c->id, sizeof(c->id), "%s", snd_ctl_card_info_get_id(info));
			snprintf(c->name, sizeof(c->name), "%s", snd_ctl_card_info_get_name(info));
			snprintf(c->driver, sizeof(c->driver), "%s", snd_ctl_card_info_get_driver(info));
			o->ncards++;
		}
		snd_ctl_close(ctl);
	}
	snd_ctl_card_info_free(info);
}

static void read_pcms(struct alsaout *o)
{
	snd_config_t *pcms;
	snd_config_iterator_t i, next;

	if (snd_config_update() < 0 || !snd_config || snd_config_search(snd_config, "pcm", &pcms) < 0)
		return;
	snd_config_for_each(i, next, pcms) {
		const char *id;

		if (o->npcms >= ALSAOUT_MAX_PCMS)
			break;
		if (snd_config_get_id(snd_config_iterator_entry(i), &id) < 0 ||
		    strlen(id) >= sizeof(o->pcm_ids[0]))
			continue;
		snprintf(o->pcm_ids[o->npcms], sizeof(o->pcm_ids[0]), "%s", id);
		o->pcms[o->npcms] = o->pcm_ids[o->npcms];
		o->npcms++;
	}
}

void alsaout_read(struct alsaout *o)
{
	o->ncards = 0;
	o->npcms = 0;
	read_cards(o);
	read_pcms(o);
}

void alsaout_resolve(const struct alsaout *o, const char *want, struct out_target *t)
{
	outname_resolve(want, o->cards, o->ncards, o->pcms, o->npcms, t);
}

/* ALSA plugins that libasound2-plugins describes with a hint but that only
 * convert for another device named in their arguments: not outputs. */
static bool converter(const char *name)
{
	static const char *const names[] = {
		"lavrate", "samplerate", "speexrate", "speex", "upmix", "vdownmix", "a52", "dca",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* The ALSA PCMs that name no card (those that do are the cards' above),
 * as ALSA's hints describe them: default, a sound server's, bluealsa. */
static void list_hints(void (*line)(const char *text))
{
	void **hints, **h;
	bool first = true;

	if (snd_device_name_hint(-1, "pcm", &hints) < 0)
		return;
	for (h = hints; *h; h++) {
		char *name = snd_device_name_get_hint(*h, "NAME");
		char *desc = snd_device_name_get_hint(*h, "DESC");
		char *ioid = snd_device_name_get_hint(*h, "IOID");
		char text[256];

		if (name && !strstr(name, "CARD=") && strcmp(name, "null") && !converter(name) &&
		    (!ioid || !strcmp(ioid, "Output"))) {
			if (first)
				line("Other ALSA devices (the name as it is):");
			first = false;
			if (desc)
				desc[strcspn(desc, "\n")] = '\0';
			snprintf(text, sizeof(text), "  %-22s %s", name, desc ? desc : "");
			line(text);
		}
		free(name);
		free(desc);
		free(ioid);
	}
	snd_device_name_free_hint(hints);
}

void alsaout_list(const struct alsaout *o, void (*line)(const char *text))
{
	char text[320], pcm[OUTNAME_MAX], why[160];

	if (o->ncards == 0)
		line("No sound card.");
	else
		line("Sound cards (put the first word in coach.yaml's audio: device:):");
	for (size_t i = 0; i < o->ncards; i++) {
		const struct sound_card *c = &o->cards[i];

		card_pcm(c, pcm, sizeof(pcm));
		snprintf(text, sizeof(text), "  %-22s card %d, %s: %s; plays through %s", c->id,
			 c->index, card_kind_text(card_kind(c)), c->name, pcm);
		line(text);
	}
	outname_auto(o->cards, o->ncards, why, sizeof(why));
	snprintf(text, sizeof(text), "  %-22s %s", "auto", why);
	line(text);
	list_hints(line);
}

int alsaout_check(const char *name)
{
	snd_pcm_t *pcm;
	int r = snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);

	if (r == 0)
		snd_pcm_close(pcm);
	return r == -EBUSY ? 0 : r;
}
