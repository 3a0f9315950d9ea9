/*
 * tool_bench: measurements for tests/bench/run (make bench) that a shell
 * cannot make precisely.
 *
 *   tool_bench rusage OUT CMD [ARG]...
 *       Runs CMD and waits for it, then writes "key value" lines to the file
 *       OUT for CMD and every descendant that was waited for (getrusage
 *       RUSAGE_CHILDREN): user_s, sys_s (CPU seconds), maxrss_kb (the peak
 *       resident set of the largest single process), wall_s, status (CMD's
 *       exit status, 128+N for signal N).  CMD's stdin, stdout and stderr are
 *       tool_bench's.  Exits with CMD's status.
 *   tool_bench recclock REC.wav SECONDS
 *       Watches a WAV file being recorded (by parec) for SECONDS and prints
 *       "t0 EPOCH_S" (the wall clock, CLOCK_REALTIME, of the recording's frame
 *       0: the earliest of now - frames_on_disk / rate over a poll every
 *       millisecond, since frames reach the file only after they played),
 *       "spread_ms" (the latest minus the earliest such estimate: the
 *       delivery jitter) and "polls".  Exits 1 if the file never held audio.
 *
 * Exit status: rusage: CMD's; recclock: 0 done, 1 failure (said on stderr);
 * 2 bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_rusage(const char *out_path, char **argv)
{
	double t0 = clock_s(CLOCK_MONOTONIC);
	struct rusage ru;
	pid_t pid = fork();
	int st, code;
	FILE *out;

	if (pid < 0) {
		perror("tool_bench: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "tool_bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("tool_bench: waitpid");
			return 1;
		}
	getrusage(RUSAGE_CHILDREN, &ru);
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "tool_bench: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	fprintf(out, "user_s %.3f\nsys_s %.3f\nmaxrss_kb %ld\nwall_s %.3f\nstatus %d\n",
		(double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss,
		clock_s(CLOCK_MONOTONIC) - t0, code);
	if (fclose(out) != 0) {
		fprintf(stderr, "tool_bench: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	return code;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Finds the data chunk's offset and the bytes per second of a RIFF/WAVE
 * header.  Returns 0, or -1 while the header is not all there. */
static int wav_layout(int fd, long *data_at, double *bytes_per_s)
{
	unsigned char h[4096];
	ssize_t n = pread(fd, h, sizeof(h), 0);
	long at = 12;
	double bps = 0;

	if (n < 12 || memcmp(h, "RIFF", 4) != 0 || memcmp(h + 8, "WAVE", 4) != 0)
		return -1;
	while (at + 8 <= n) {
		uint32_t size = le32(h + at + 4);

		if (memcmp(h + at, "fmt ", 4) == 0 && at + 20 <= n)
			bps = le32(h + at + 16);   /* byte rate */
		if (memcmp(h + at, "data", 4) == 0) {
			if (bps <= 0)
				return -1;
			*data_at = at + 8;
			*bytes_per_s = bps;
			return 0;
		}
		at += 8 + (long)size + (size & 1);
	}
	return -1;
}

static int cmd_recclock(const char *path, double seconds)
{
	double end = clock_s(CLOCK_MONOTONIC) + seconds, best = 1e300, worst = -1e300, bps = 0;
	struct timespec ms = { 0, 1000000 };
	long data_at = -1, polls = 0;
	int fd = -1;

	while (clock_s(CLOCK_MONOTONIC) < end) {
		struct stat st;
		double now, est;

		if (fd < 0)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && data_at < 0 && wav_layout(fd, &data_at, &bps) < 0)
			data_at = -1;
		if (fd >= 0 && data_at >= 0 && fstat(fd, &st) == 0 && st.st_size > data_at) {
			now = clock_s(CLOCK_REALTIME);
			est = now - (double)(st.st_size - data_at) / bps;
			if (est < best)
				best = est;
			if (est > worst)
				worst = est;
			polls++;
		}
		nanosleep(&ms, NULL);
	}
	if (fd >= 0)
		close(fd);
	if (polls == 0) {
		fprintf(stderr, "tool_bench: %s: no audio recorded in %g s\n", path, seconds);
		return 1;
	}
	printf("t0 %.6f\nspread_ms %.3f\npolls %ld\n", best, (worst - best) * 1000, polls);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "rusage") == 0)
		return cmd_rusage(argv[2], argv + 3);
	if (argc == 4 && strcmp(argv[1], "recclock") == 0) {
		char *e;
		double s = strtod(argv[3], &e);

		if (*e || s <= 0 || s > 86400) {
			fprintf(stderr, "tool_bench: SECONDS '%s': expected 0 to 86400\n", argv[3]);
			return 2;
		}
		return cmd_recclock(argv[2], s);
	}
	fprintf(stderr, "usage: tool_bench rusage OUT CMD [ARG]...\n"
			"       tool_bench recclock REC.wav SECONDS\n");
	return 2;
}
