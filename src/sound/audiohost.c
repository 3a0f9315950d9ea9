#include "audiohost.h"

#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* PortAudio's host API initializers, as its pa_hostapi.h declares them.  The
 * library calls them through a table of pointers that the dynamic linker
 * fills by symbol (R_X86_64_64 relocations against exported symbols), so the
 * definitions below, exported by the program (ld exports a program's definition of a
 * symbol that a shared library on the link line defines too), are the ones
 * PortAudio calls.  Reporting no host
 * API with paNoError is what PortAudio's own initializers do when their
 * system is absent; Pa_Initialize then carries on with ALSA alone.  With a
 * PortAudio built without OSS or JACK these are never called. */
struct PaUtilHostApiRepresentation;

PaError PaOSS_Initialize(struct PaUtilHostApiRepresentation **api, PaHostApiIndex index);
PaError PaJack_Initialize(struct PaUtilHostApiRepresentation **api, PaHostApiIndex index);

PaError PaOSS_Initialize(struct PaUtilHostApiRepresentation **api, PaHostApiIndex index)
{
	(void)index;
	*api = NULL;
	return paNoError;
}

PaError PaJack_Initialize(struct PaUtilHostApiRepresentation **api, PaHostApiIndex index)
{
	(void)index;
	*api = NULL;
	return paNoError;
}

/* PortAudio's ALSA stream writes through snd_pcm_mmap_commit, and this
 * definition is the one it calls (exported by the program, as above); the
 * library's own follows.  On a plugin over dmix (ALSA's default for
 * snd-aloop, softvol over dmix, and for many cards plug over dmix), an
 * underrun met inside the commit leaves the pointers apart: dmix has moved
 * its own before it says -EPIPE, the plugin above it has not.  PortAudio's
 * recovery then asks for the status first, and alsa-lib 1.2.8 asserts that
 * the two agree (pcm_plugin.c, snd_pcm_plugin_status): coachd died by
 * SIGABRT in the system test's VM under load.  Preparing the PCM right away
 * sets every layer back to the same start, and starting it (dmix waits for
 * the first frames) lets PortAudio write on: what the underrun costs is its
 * gap, as with PortAudio's own restart.  Plain hw never fails a commit, and
 * a sound server's plugin (ioplug, extplug) keeps its own pointers: they are
 * left to PortAudio. */
static snd_pcm_sframes_t (*real_mmap_commit)(snd_pcm_t *, snd_pcm_uframes_t, snd_pcm_uframes_t);

snd_pcm_sframes_t snd_pcm_mmap_commit(snd_pcm_t *pcm, snd_pcm_uframes_t offset,
				      snd_pcm_uframes_t frames)
{
	snd_pcm_sframes_t r;
	snd_pcm_type_t type;

	if (!real_mmap_commit) {
		*(void **)&real_mmap_commit = dlsym(RTLD_NEXT, "snd_pcm_mmap_commit");
		if (!real_mmap_commit)
			return -ENOSYS;
	}
	r = real_mmap_commit(pcm, offset, frames);
	if (r != -EPIPE)
		return r;
	type = snd_pcm_type(pcm);
	if (type != SND_PCM_TYPE_HW && type != SND_PCM_TYPE_IOPLUG && type != SND_PCM_TYPE_EXTPLUG &&
	    snd_pcm_prepare(pcm) == 0)
		snd_pcm_start(pcm);
	return r;
}

/* PortAudio prints every ALSA call that fails, expected or not, to stderr
 * ("Expression 'GetExactSampleRate( hwParams, &defaultSr )' failed in
 * 'src/hostapi/alsa/pa_linux_alsa.c', line: 895" for a card whose rate it
 * probes; three such lines when a sound server goes away), whatever the
 * build's debug settings: into `coachd --list-devices` and the journal, from
 * any thread.  pa_debugprint.h's PaUtil_SetDebugPrintFunction would route
 * them, but Debian's libportaudio does not export it.  It prints with the C
 * library's vfprintf, bound by symbol as above: this definition gets the
 * calls, and what PortAudio's own code prints to stderr becomes a debug
 * line of coachd's log (seen with -v).  Every other caller gets the C
 * library's vfprintf. */
static int (*real_vfprintf)(FILE *, const char *, va_list);
static pthread_once_t real_vfprintf_once = PTHREAD_ONCE_INIT;

static void find_real_vfprintf(void)
{
	*(void **)&real_vfprintf = dlsym(RTLD_NEXT, "vfprintf");
}

static bool in_portaudio(const void *code)
{
	Dl_info info;

	return dladdr(code, &info) && info.dli_fname && strstr(info.dli_fname, "libportaudio");
}

int vfprintf(FILE *restrict stream, const char *restrict format, va_list ap)
{
	pthread_once(&real_vfprintf_once, find_real_vfprintf);
	if (stream == stderr && in_portaudio(__builtin_return_address(0))) {
		char line[512];
		int n = vsnprintf(line, sizeof(line), format, ap);

		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			log_debug("audio: PortAudio: %s", line);
		return n;
	}
	if (!real_vfprintf) {
		errno = ENOSYS;
		return -1;
	}
	return real_vfprintf(stream, format, ap);
}

static unsigned hidden;

/* PCM types implemented inside libasound (its _snd_pcm_TYPE_open symbols),
 * less ladspa, which loads plugins of its own.  Anything else is a module
 * dlopened from alsa-lib/ when the PCM is opened. */
static bool builtin_type(const char *type)
{
	static const char *const types[] = {
		"adpcm", "alaw", "asym", "copy", "dmix", "dshare", "dsnoop", "empty", "file",
		"hooks", "hw", "iec958", "lfloat", "linear", "meter", "mmap_emul", "mulaw",
		"multi", "null", "plug", "rate", "route", "share", "shm", "softvol",
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

/* Whether PortAudio's probe may open the PCM defined by NODE: one of
 * libasound's own, with no external rate converter.  An alias (a string
 * naming another definition) has no type of its own and stays. */
static bool builtin_pcm(snd_config_t *node)
{
	snd_config_t *type, *converter;
	const char *name;

	if (snd_config_get_type(node) != SND_CONFIG_TYPE_COMPOUND ||
	    snd_config_search(node, "type", &type) < 0)
		return true;
	if (snd_config_get_string(type, &name) < 0)
		return true;   /* a type made at open time: not ours to judge */
	if (!builtin_type(name))
		return false;
	return strcmp(name, "rate") != 0 || snd_config_search(node, "converter", &converter) < 0;
}

/* PortAudio lists the PCMs of libasound's global configuration, and opens
 * each one to learn what it can do.  Load that configuration now and take
 * out the PCMs coachd does not use and that would load a plugin: alsa-lib
 * keeps the tree as long as its files do not change, and PortAudio reads it
 * as it is.  Pa_Terminate frees it; the next initialization loads it again. */
static void prune_pcms(const char *device)
{
	snd_config_t *pcms;
	snd_config_iterator_t i, next;

	hidden = 0;
	if (snd_config_update() < 0 || !snd_config || snd_config_search(snd_config, "pcm", &pcms) < 0)
		return;
	snd_config_for_each(i, next, pcms) {
		snd_config_t *node = snd_config_iterator_entry(i);
		const char *id;

		if (snd_config_get_id(node, &id) < 0 || strcmp(id, "default") == 0 ||
		    (device && strcmp(id, device) == 0) || builtin_pcm(node))
			continue;
		if (snd_config_delete(node) == 0)
			hidden++;
	}
}

/* ALSA prints each failed probe (and each underrun it recovers from) to
 * stderr: lines at every start and every retry that would bury the journal,
 * written from whichever thread meets them, the audio thread included.
 * coachd says what matters itself. */
static void alsa_quiet(const char *file, int line, const char *function, int err,
		       const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)function;
	(void)err;
	(void)fmt;
}

PaError audiohost_initialize(const char *device, bool verbose)
{
	PaError e;

	snd_lib_error_set_handler(verbose ? NULL : alsa_quiet);
	prune_pcms(device);
	e = Pa_Initialize();
	/* PortAudio has probed (and copied the names it lists): put the
	 * configuration back whole, so that a PCM opened by its name finds
	 * every PCM it names, such as plug:bluealsa or a plug over pulse. */
	snd_config_update_free_global();
	snd_config_update();
	return e;
}

void audiohost_terminate(void)
{
	Pa_Terminate();
}

unsigned audiohost_hidden_pcms(void)
{
	return hidden;
}
