#include "render.h"

#include <errno.h>
#include <sndfile.h>
#include <string.h>

#define RENDER_BLOCK 1024

/* A WAV file's sizes are 32-bit: past them (about 6 h at 96 kHz) they would
 * wrap and the file read back short.  Such a render is written as RF64, the
 * same format with 64-bit sizes (EBU Tech 3306), which libsndfile, sox and
 * ffmpeg read; a shorter one stays a plain WAV. */
#define WAV_MAX_DATA (UINT32_MAX - 1024u)

static int render_format(uint64_t max_frames)
{
	return (max_frames > WAV_MAX_DATA / sizeof(int16_t) ? SF_FORMAT_RF64 : SF_FORMAT_WAV) |
	       SF_FORMAT_PCM_16;
}

/* render_wav, with bundle_page(PAGE) each second when PAGE is not NULL. */
static int64_t render(struct engine *e, const char *path, const struct render_control *controls,
		      size_t ncontrols, uint64_t max_frames, struct bundle *page, struct diag *err)
{
	SF_INFO info = {
		.samplerate = (int)e->plan->rate,
		.channels = 1,
		.format = render_format(max_frames),
	};
	float block[RENDER_BLOCK];
	uint64_t done = 0, paged_at = 0;
	size_t next = 0;
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);

	if (!f) {
		diag_set(err, path, 0, 0, "cannot write: %s", sf_strerror(NULL));
		return -1;
	}
	/* Clamp rather than wrap if a float ever passes full scale. */
	sf_command(f, SFC_SET_CLIPPING, NULL, SF_TRUE);
	engine_control(e, SESSION_PLAY);
	while (done < max_frames) {
		uint64_t n = max_frames - done;

		while (next < ncontrols && controls[next].frame <= done)
			engine_control(e, controls[next++].control);
		if (next < ncontrols && controls[next].frame - done < n)
			n = controls[next].frame - done;
		if (n > RENDER_BLOCK)
			n = RENDER_BLOCK;
		/* Without controls left, the render ends with the session. */
		if (next == ncontrols && e->session.state != SESSION_RUNNING &&
		    !mixer_busy(&e->mixer))
			break;
		if (next == ncontrols && e->session.state == SESSION_RUNNING &&
		    e->session.hold == 0 && e->plan->total - e->session.pos < n)
			n = e->plan->total - e->session.pos;
		if (page && (done == 0 || done - paged_at >= e->plan->rate)) {
			bundle_page(page, e->session.pos);
			paged_at = done;
		}
		engine_run(e, block, (uint32_t)n);
		if (sf_writef_float(f, block, (sf_count_t)n) != (sf_count_t)n) {
			diag_set(err, path, 0, 0, "write failed: %s", sf_strerror(f));
			sf_close(f);
			return -1;
		}
		done += n;
	}
	if (sf_close(f) != 0) {
		diag_set(err, path, 0, 0, "cannot finish the file: %s", strerror(EIO));
		return -1;
	}
	return (int64_t)done;
}

int64_t render_wav(struct engine *e, const char *path, const struct render_control *controls,
		   size_t ncontrols, uint64_t max_frames, struct diag *err)
{
	return render(e, path, controls, ncontrols, max_frames, NULL, err);
}

int64_t render_bundle(struct engine *e, struct bundle *b, const char *path, struct diag *err)
{
	int64_t frames = render(e, path, NULL, 0, b->plan.total, b, err);

	bundle_page(b, UINT64_MAX);
	return frames;
}
