/* coachd: the coach daemon.  This file is the table of contents: parse the
 * options, find the files, then either check, print the plan, render, or run. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "audiodev.h"
#include "bundle.h"
#include "config.h"
#include "refs.h"
#include "daemon.h"
#include "diskcache.h"
#include "engine.h"
#include "history.h"
#include "log.h"
#include "paths.h"
#include "phrases.h"
#include "render.h"
#include "rlimits.h"
#include "safetext.h"

#define DEFAULT_RATE 48000
#define DEFAULT_ROUTINE "morning-back.yaml"

struct options {
	const char *config;
	const char *routine;
	const char *data_dir;
	const char *socket;
	const char *render;
	unsigned rate;
	int check, plan, phrases, verbose, keyboard, play, first, list_devices;
	float volume;          /* the config's, so a render sounds as a live session */
	unsigned gentle_ms;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: coachd [OPTION]...\n"
		"Coach a morning exercise routine: speech, tones, buttons.\n\n"
		"  -c, --config FILE    the config file (default: coach.yaml, see --check)\n"
		"  -r, --routine FILE   the routine to use (default: the config's, %s)\n"
		"  -d, --data-dir DIR   use DIR/config, DIR/voices and DIR/sounds\n"
		"  -s, --socket PATH    the control socket (default: see coachctl --help)\n"
		"  -k, --keyboard       terminal mode: space play/pause, n next, s stop,\n"
		"                       a the cue again (idle: next routine),\n"
		"                       w where am I, q quit\n"
		"      --play           start a session as soon as the routine is ready\n"
		"      --check          check the routine and voice, print the files used\n"
		"      --plan           print the session's timeline and its length\n"
		"      --render OUT     write the whole session to OUT as a WAV file\n"
		"      --phrases        list every sentence the routine can say, each with\n"
		"                       the file a voice pack would hold for it\n"
		"      --first          plan or render a first session: each step's longer\n"
		"                       description (explain:) said after its cue\n"
		"      --list-devices   list the sound outputs, each with the name to put\n"
		"                       in the config's audio: device:\n"
		"      --rate HZ        sample rate for --render and --plan (default: the\n"
		"                       config's, %d)\n"
		"  -v, --verbose        debug messages\n"
		"  -h, --help           this help\n\n"
		"Exit status: 0 on success, 64 for a bad option, 78 for a bad routine,\n"
		"voice or config file or process limits too low, 73 when the output\n"
		"cannot be written.\n",
		DEFAULT_ROUTINE, DEFAULT_RATE);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CHECK = 256, OPT_PLAN, OPT_RENDER, OPT_RATE, OPT_PLAY, OPT_FIRST, OPT_PHRASES,
	       OPT_LIST_DEVICES };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "keyboard", no_argument, NULL, 'k' },
		{ "play", no_argument, NULL, OPT_PLAY },
		{ "routine", required_argument, NULL, 'r' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "plan", no_argument, NULL, OPT_PLAN },
		{ "render", required_argument, NULL, OPT_RENDER },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "first", no_argument, NULL, OPT_FIRST },
		{ "phrases", no_argument, NULL, OPT_PHRASES },
		{ "list-devices", no_argument, NULL, OPT_LIST_DEVICES },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ 0 };
	while ((c = getopt_long(argc, argv, "c:s:kr:d:vh", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (c) {
		case 'c': o->config = optarg; break;
		case 's': o->socket = optarg; break;
		case 'k': o->keyboard = 1; break;
		case OPT_PLAY: o->play = 1; break;
		case 'r': o->routine = optarg; break;
		case 'd': o->data_dir = optarg; break;
		case OPT_CHECK: o->check = 1; break;
		case OPT_PLAN: o->plan = 1; break;
		case OPT_RENDER: o->render = optarg; break;
		case OPT_FIRST: o->first = 1; break;
		case OPT_PHRASES: o->phrases = 1; break;
		case OPT_LIST_DEVICES: o->list_devices = 1; break;
		case OPT_RATE:
			/* Digits only: strtoul takes "-4294919296" as 48000 where long
			 * has 32 bits (armhf), and a longer one where it has 64. */
			v = strtoul(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end || v < 8000 || v > 192000) {
				fprintf(stderr, "coachd: --rate %s: expected a sample rate from 8000 to 192000 Hz\n",
					optarg);
				return -1;
			}
			o->rate = (unsigned)v;
			break;
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "coachd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void warn_sound(const char *message)
{
	log_warn("%s", message);
}

/* The config's voice speaks every routine that names none: espeak-ng must
 * have it too, also when this routine names its own. */
static int check_config_voice(const struct bundle_files *f, const struct paths *p,
			      const struct bundle *b, struct diag *err)
{
	char path[PATH_MAX + 64];
	struct voice v;
	int rc;

	if (!b->routine.voice || !strcmp(b->routine.voice, f->voice))
		return 0;
	snprintf(path, sizeof(path), "%s/%s.yaml", p->voices, f->voice);
	if (voice_load(path, &v, err) < 0)
		return -1;
	rc = speech_check_voice(&v, err);
	voice_free(&v);
	return rc;
}

static int check(const struct bundle_files *f, const struct paths *p, const char *config,
		 const struct config *cfg)
{
	struct bundle b;
	struct diag err;

	if (config_check_refs(cfg, config, p, &err) < 0 || bundle_check(&b, f, &err) < 0) {
		safetext_print(stderr, "%s", err.text);
		return EX_CONFIG;
	}
	if (bundle_check_pack(&b.voice, &err) < 0) {
		safetext_print(stderr, "%s", err.text);
		bundle_free(&b);
		return EX_CONFIG;
	}
	/* A profile can parse and still name a voice espeak-ng does not have
	 * (or an MBROLA voice not installed): the daemon would never be ready. */
	if (speech_check_voice(&b.voice, &err) < 0 || check_config_voice(f, p, &b, &err) < 0) {
		safetext_print(stderr, "%s", err.text);
		bundle_free(&b);
		return EX_CONFIG;
	}
	/* Names and file names are the user's text: one line each, whatever
	 * they hold (see safetext.h). */
	safetext_print(stdout, "config:  %s", config);
	safetext_print(stdout, "routine: %s (%zu steps, \"%s\")", f->routine, b.routine.nsteps,
		       b.routine.name);
	safetext_print(stdout, "voice:   %s/%s.yaml (espeak-ng voice %s)", f->voices_dir, b.voice.name,
		       b.voice.espeak);
	safetext_print(stdout, "sounds:  %s", p->sounds);
	safetext_print(stdout, "ok");
	bundle_free(&b);
	return 0;
}

/* Lengths for --phrases, which only needs the plan's sentences: one second
 * each, no speech synthesized. */
static uint32_t one_second(void *ctx, const char *text)
{
	(void)text;
	return *(const unsigned *)ctx;
}

static int phrases(const struct options *o, const struct bundle_files *f)
{
	struct plan_sources src = { .speech_frames = one_second, .ctx = (void *)&o->rate,
				    .style = f->style, .explain = true };
	struct bundle b;
	struct plan p;
	struct diag err;
	int rc;

	if (bundle_check(&b, f, &err) < 0) {
		safetext_print(stderr, "%s", err.text);
		return EX_CONFIG;
	}
	for (int i = 0; i < SOUND_MAX; i++)
		src.sound_frames[i] = o->rate;
	rc = plan_build(&p, &b.routine, &b.voice, o->rate, &src);
	if (rc < 0) {
		log_error("%s: cannot lay out the plan: %s", f->routine, strerror(-rc));
		bundle_free(&b);
		return EX_CONFIG;
	}
	phrases_print(&p, &b.routine, &b.voice, stdout);
	plan_free(&p);
	bundle_free(&b);
	return fflush(stdout) == 0 ? 0 : EX_CANTCREAT;
}

static int plan_or_render(const struct options *o, const struct bundle_files *files)
{
	struct bundle_files f = *files;
	struct bundle b;
	struct speech *speech = NULL;
	struct diag err;
	unsigned synthesized, cached;
	int rc = 0;

	/* The daemon's cache when run as its user; a user's own otherwise. */
	f.cache = diskcache_open_default(&err);
	if (!f.cache && err.text[0])
		log_warn("%s: speech is synthesized, not cached", err.text);
	if (bundle_load(&b, &f, o->rate, &speech, &err, warn_sound) < 0) {
		safetext_print(stderr, "%s", err.text);
		if (speech)
			speech_free(speech);
		diskcache_free(f.cache);
		return EX_CONFIG;
	}
	speech_counts(speech, &synthesized, &cached);
	log_debug("speech: %u texts synthesized, %u read from the cache%s%s", synthesized, cached,
		  f.cache ? " in " : " (no cache)", f.cache ? diskcache_path(f.cache) : "");
	if (b.voice.pack)
		log_debug("speech: %u texts read from the voice pack %s", speech_pack_count(speech),
			  b.voice.pack);
	if (o->plan)
		plan_print(&b.plan, &b.routine, stdout);
	if (o->render) {
		struct engine e;
		int64_t frames;

		engine_init(&e, &b.plan, b.texts, b.sounds, o->volume, true);
		engine_set_gentle(&e, o->gentle_ms);
		frames = render_bundle(&e, &b, o->render, &err);
		if (frames < 0) {
			safetext_print(stderr, "%s", err.text);
			rc = EX_CANTCREAT;
		} else {
			log_info("rendered %s: %lld frames, %.1f s at %u Hz", o->render,
				 (long long)frames, (double)frames / o->rate, o->rate);
		}
	}
	bundle_free(&b);
	speech_free(speech);
	diskcache_free(f.cache);
	return rc;
}

static void print_line(const char *text)
{
	safetext_print(stdout, "%s", text);
}

/* --list-devices: what there is, and what the config's device means.  A
 * config that does not load is reported, and the default device assumed. */
static int list_devices(const char *config, bool verbose)
{
	struct config cfg;
	struct diag err;
	int rc;

	if (config_load(config, &cfg, &err) < 0) {
		safetext_print(stderr, "%s\n", err.text);
		cfg = (struct config){ 0 };
	}
	rc = audiodev_list_outputs(cfg.device ? cfg.device : "default", verbose, print_line);
	if (rc < 0)
		fprintf(stderr, "coachd: cannot start PortAudio\n");
	config_free(&cfg);
	return rc < 0 ? EX_UNAVAILABLE : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct paths p;
	struct config cfg;
	struct diag err;
	char routine[PATH_MAX + 64], history[PATH_MAX];
	const char *config;
	struct bundle_files f;
	int rc;

	/* Buffers of 64 KiB and more (espeak-ng's samples, a sentence's
	 * resampling) get their own mappings, so freeing one gives it back.
	 * glibc's default raises this threshold to the largest block freed,
	 * after which such buffers come from the loader thread's heap and stay
	 * resident for good: measured, 8.0 against 3.7 MiB of anonymous
	 * memory after a cold load of the quick routine. */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	if (parse_options(argc, argv, &o) < 0)
		return EX_USAGE;
	log_init("coachd", o.verbose);
	/* Before any library runs: below these limits they crash or mislead. */
	if (rlimits_check(o.check || o.plan || o.render || o.phrases || o.list_devices ? RLIMITS_OFFLINE : RLIMITS_DAEMON, &err) < 0) {
		log_error("%s", err.text);
		return EX_CONFIG;
	}
	paths_find(&p, o.data_dir);
	config = o.config ? o.config : p.config;
	if (o.list_devices)
		return list_devices(config, o.verbose);
	if (!o.check && !o.plan && !o.render && !o.phrases)
		return daemon_run(&(struct daemon_options){
			.config = config, .routine = o.routine, .socket = o.socket,
			.paths = &p, .keyboard = o.keyboard, .play = o.play,
			.verbose = o.verbose,
		});
	if (config_load(config, &cfg, &err) < 0) {
		safetext_print(stderr, "%s", err.text);
		return EX_CONFIG;
	}
	if (!o.rate)
		o.rate = cfg.rate;
	o.volume = cfg.volume / 100.0f;
	o.gentle_ms = cfg.gentle_ms;
	if (o.routine)
		snprintf(routine, sizeof(routine), "%s", o.routine);
	else
		paths_routine(&p, cfg.routine, routine, sizeof(routine));
	f = (struct bundle_files){
		.routine = routine, .voices_dir = p.voices, .sounds_dir = p.sounds,
		.voice = cfg.voice, .tone_percent = cfg.tones,
		.style = (enum plan_style)cfg.style, .explain = o.first,
	};
	/* --plan shows today's session: each step's version from the history
	 * the daemon keeps (the system one's when there is one). */
	if (o.plan && history_find_path(history, sizeof(history)) == 0)
		f.adapt = history;
	rc = o.check ? check(&f, &p, config, &cfg)
	   : o.phrases ? phrases(&o, &f) : plan_or_render(&o, &f);
	config_free(&cfg);
	return rc;
}
