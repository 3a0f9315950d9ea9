#include "mixer.h"

#include <math.h>
#include <string.h>

void mixer_init(struct mixer *m, float volume, unsigned rate)
{
	memset(m, 0, sizeof(*m));
	m->volume = volume < 0 ? 0 : volume > 1 ? 1 : volume;
	m->gain = 1;
	/* Recover from full reduction in about 100 ms. */
	m->release = 10.0f / (float)(rate ? rate : 48000);
}

void mixer_play(struct mixer *m, const struct clip *clip, uint32_t from)
{
	struct mixer_voice *v = &m->voice[0];

	if (!clip || from >= clip->frames)
		return;
	for (int i = 0; i < MIXER_VOICES; i++) {
		if (!m->voice[i].clip) {
			v = &m->voice[i];
			break;
		}
		if (m->voice[i].started < v->started)
			v = &m->voice[i];
	}
	*v = (struct mixer_voice){ .clip = clip, .pos = from, .from = from, .started = ++m->counter };
}

void mixer_fade_all(struct mixer *m, uint32_t frames)
{
	if (frames == 0)
		frames = 1;
	for (int i = 0; i < MIXER_VOICES; i++) {
		struct mixer_voice *v = &m->voice[i];

		if (v->clip && (v->fade_left == 0 || v->fade_left > frames)) {
			v->fade_left = frames;
			v->fade_len = frames;
		}
	}
}

void mixer_ramp(struct mixer *m, float from, uint32_t frames)
{
	m->ramp_from = from < 0 ? 0 : from > 1 ? 1 : from;
	m->ramp_len = frames;
	m->ramp_pos = 0;
}

void mixer_clear(struct mixer *m)
{
	for (int i = 0; i < MIXER_VOICES; i++)
		m->voice[i].clip = NULL;
}

bool mixer_busy(const struct mixer *m)
{
	for (int i = 0; i < MIXER_VOICES; i++)
		if (m->voice[i].clip)
			return true;
	return false;
}

/* The gain of voice V's next frame: edge fades and any fade-out. */
static float edge_gain(const struct mixer_voice *v)
{
	uint32_t to_end = v->clip->frames - v->pos;
	float g = 1;

	if (v->pos - v->from < MIXER_EDGE_FRAMES)
		g = (float)(v->pos - v->from + 1) / MIXER_EDGE_FRAMES;
	if (to_end < MIXER_EDGE_FRAMES)
		g = fminf(g, (float)to_end / MIXER_EDGE_FRAMES);
	if (v->fade_left)
		g *= (float)v->fade_left / (float)v->fade_len;
	return g;
}

/* Adds up to N frames of V to OUT.  Returns how many it added: fewer than N
 * when the clip ended (or faded out) on the way. */
static uint32_t mix_voice(struct mixer_voice *v, float *out, uint32_t n)
{
	const float scale = 1.0f / 32768.0f;
	uint32_t i;

	for (i = 0; i < n && v->clip; i++) {
		/* Between the edges, not fading: a gain of 1, so a run of frames
		 * is added without edge_gain (x * 1.0f is x: the same bits). */
		if (!v->fade_left && v->pos - v->from >= MIXER_EDGE_FRAMES &&
		    v->clip->frames - v->pos > MIXER_EDGE_FRAMES) {
			uint32_t run = v->clip->frames - MIXER_EDGE_FRAMES - v->pos;
			const int16_t *pcm = v->clip->pcm + v->pos;

			if (run > n - i)
				run = n - i;
			for (uint32_t j = 0; j < run; j++)
				out[i + j] += (float)pcm[j] * scale;
			v->pos += run;
			i += run - 1;
			continue;
		}
		out[i] += (float)v->clip->pcm[v->pos] * scale * edge_gain(v);
		v->pos++;
		if (v->fade_left && --v->fade_left == 0)
			v->clip = NULL;
		else if (v->pos >= v->clip->frames)
			v->clip = NULL;
	}
	return i;
}

/* N frames in which nothing sounds: silence whatever the volume, the ramp
 * and the limiter's gain, so only their state moves on, to where the loop
 * below would have moved it frame by frame (the same float steps, so the
 * output stays the same to the bit). */
static void mix_silence(struct mixer *m, float *out, uint32_t n)
{
	memset(out, 0, n * sizeof(*out));
	if (m->ramp_pos < m->ramp_len)
		m->ramp_pos = m->ramp_len - m->ramp_pos > n ? m->ramp_pos + n : m->ramp_len;
	for (uint32_t i = 0; i < n && m->gain < 1.0f; i++)
		m->gain = fminf(1.0f, m->gain + m->release);
}

void mixer_mix(struct mixer *m, float *out, uint32_t n)
{
	uint32_t sounding = 0;   /* frames from the start of OUT in which anything sounds */

	/* Most of a session is silence between cues: skipped in one step. */
	if (!mixer_busy(m)) {
		mix_silence(m, out, n);
		return;
	}
	memset(out, 0, n * sizeof(*out));
	for (int i = 0; i < MIXER_VOICES; i++)
		if (m->voice[i].clip) {
			uint32_t k = mix_voice(&m->voice[i], out, n);

			sounding = k > sounding ? k : sounding;
		}
	for (uint32_t i = 0; i < sounding; i++) {
		float x = out[i] * m->volume;
		float peak;

		/* The usual case, at full gain with no ramp and nothing near the
		 * ceiling: the general steps below would leave x and the gain as
		 * they are (x * 1.0f is x; the gain stays 1). */
		if (m->gain == 1.0f && m->ramp_pos >= m->ramp_len && fabsf(x) <= MIXER_CEILING) {
			out[i] = x;
			continue;
		}
		if (m->ramp_pos < m->ramp_len) {
			x *= m->ramp_from + (1 - m->ramp_from) * (float)m->ramp_pos / (float)m->ramp_len;
			m->ramp_pos++;
		}
		peak = fabsf(x) * m->gain;

		/* Instant attack: a sample that would pass the ceiling lowers the gain
		 * before it is written, so the output never clips. */
		if (peak > MIXER_CEILING)
			m->gain = MIXER_CEILING / fabsf(x);
		out[i] = x * m->gain;
		m->gain = fminf(1.0f, m->gain + m->release);
	}
	/* Past the last clip's end: silence. */
	if (sounding < n)
		mix_silence(m, out + sounding, n - sounding);
}
