#include "wavfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "pcm.h"

#define READ_FRAMES   4096

/* Reads every frame of F, averaging the channels, into *OUT (malloc'ed).
 * Returns the frame count, or -1 with WHY filled. */
static long read_mono(SNDFILE *f, const SF_INFO *info, float **out, char *why, size_t size)
{
	size_t want = (size_t)info->frames, n = 0;
	unsigned ch = (unsigned)info->channels;
	float *mono, *buf;

	mono = malloc((want ? want : 1) * sizeof(*mono));
	buf = malloc((size_t)READ_FRAMES * ch * sizeof(*buf));
	if (!mono || !buf) {
		free(mono);
		free(buf);
		snprintf(why, size, "out of memory");
		return -ENOMEM;
	}
	while (n < want) {
		sf_count_t chunk = want - n < READ_FRAMES ? (sf_count_t)(want - n) : READ_FRAMES;
		sf_count_t got = sf_readf_float(f, buf, chunk);

		if (got <= 0)
			break;
		for (sf_count_t i = 0; i < got; i++) {
			double sum = 0.0;

			for (unsigned c = 0; c < ch; c++)
				sum += buf[(size_t)i * ch + c];
			mono[n + (size_t)i] = (float)(sum / ch);
		}
		n += (size_t)got;
	}
	free(buf);
	if (sf_error(f) != SF_ERR_NO_ERROR || n == 0) {
		snprintf(why, size, "%s", n ? sf_strerror(f) : "no audio in it");
		free(mono);
		return -1;
	}
	*out = mono;
	return (long)n;
}

/* Checks that F holds a tone we can use.  Returns 0, or -1 with WHY filled. */
static int check_format(const SF_INFO *info, unsigned max_seconds, const char *what,
			char *why, size_t size)
{
	if (info->channels < 1 || info->channels > 64 || info->samplerate < 1000 ||
	    info->samplerate > 768000) {
		snprintf(why, size, "unusable format (%d channels at %d Hz)", info->channels,
			 info->samplerate);
		return -1;
	}
	if (info->frames <= 0) {
		snprintf(why, size, "no audio in it");
		return -1;
	}
	if (info->frames > (sf_count_t)info->samplerate * max_seconds) {
		snprintf(why, size, "too long (%.1f s; %s may last at most %u s)",
			 (double)info->frames / info->samplerate, what, max_seconds);
		return -1;
	}
	return 0;
}

/* Opens PATH for libsndfile.  Returns the file with *FD set, or NULL with
 * WHY filled. */
static SNDFILE *open_sound(const char *path, SF_INFO *info, int *fd, char *why, size_t size)
{
	struct stat st;
	SNDFILE *f;

	/* Opened here rather than by libsndfile, so that "no such file" and
	 * "permission denied" are told apart from a format it cannot read;
	 * O_NONBLOCK so that a FIFO in its place cannot hang the load. */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0 || fstat(*fd, &st) < 0) {
		snprintf(why, size, "%s", strerror(errno));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		snprintf(why, size, "%s", S_ISREG(st.st_mode) ? "empty file" : "not a regular file");
		goto err_close;
	}
	/* SF_FALSE: the descriptor stays ours to close, whatever happens. */
	f = sf_open_fd(*fd, SFM_READ, info, SF_FALSE);
	if (!f) {
		/* libsndfile ends its messages with a full stop, which reads
		 * badly inside the parentheses. */
		snprintf(why, size, "not a sound file (libsndfile: %s", sf_strerror(NULL));
		while (why[0] && strchr(". \n", why[strlen(why) - 1]))
			why[strlen(why) - 1] = '\0';
		strncat(why, ")", size - strlen(why) - 1);
		goto err_close;
	}
	return f;

err_close:
	if (*fd >= 0)
		close(*fd);
	return NULL;
}

/* A file that already holds what a clip is (mono 16-bit PCM at RATE): its
 * samples read as they are, the same as through floats (libsndfile divides
 * by 32768, pcm_from_float multiplies back), without the two conversions.
 * The shipped tones are such files: this is most of their load at start-up.
 * Returns 1 when read, 0 when F is not such a file, -1 with WHY filled. */
static int read_as_is(SNDFILE *f, const SF_INFO *info, unsigned rate, struct clip *out,
		      char *why, size_t size)
{
	sf_count_t got;

	if (info->channels != 1 || (unsigned)info->samplerate != rate ||
	    (info->format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16)
		return 0;
	*out = (struct clip){ .pcm = malloc((size_t)info->frames * sizeof(*out->pcm)) };
	if (!out->pcm) {
		snprintf(why, size, "out of memory");
		return -ENOMEM;
	}
	got = sf_readf_short(f, out->pcm, info->frames);
	if (got <= 0 || sf_error(f) != SF_ERR_NO_ERROR) {
		snprintf(why, size, "%s", got > 0 ? sf_strerror(f) : "no audio in it");
		clip_free(out);
		return -1;
	}
	out->frames = (uint32_t)got;
	return 1;
}

int wavfile_load(const char *path, unsigned rate, unsigned max_seconds, const char *what,
		 struct clip *out, char *why, size_t size)
{
	SF_INFO info = { 0 };
	SNDFILE *f;
	float *mono;
	long n;
	int fd, rc;

	f = open_sound(path, &info, &fd, why, size);
	if (!f)
		return -1;
	rc = check_format(&info, max_seconds, what, why, size);
	if (rc == 0) {
		rc = read_as_is(f, &info, rate, out, why, size);
		if (rc != 0) {
			sf_close(f);
			close(fd);
			return rc < 0 ? rc : 0;
		}
	}
	n = rc < 0 ? -1 : read_mono(f, &info, &mono, why, size);
	sf_close(f);
	close(fd);
	if (n < 0)
		return n == -ENOMEM ? -ENOMEM : -1;
	rc = pcm_resample(mono, (size_t)n, (unsigned)info.samplerate, rate, out);
	free(mono);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		snprintf(why, size, "cannot resample from %d Hz", info.samplerate);
		return -1;
	}
	return 0;
}
