/* libFuzzer harness for text from files on its way out (issue 16, findings 15
 * and 16): any routine that parses, its names and cues (control characters,
 * escapes, line separators, bytes that are not UTF-8 included), taken through
 * every output that carries them: the status line as the control socket
 * sends it, `coachctl list` (a multi-line reply) as coachctl prints it,
 * systemd's STATUS= over a real datagram socket, and a journal log line.
 * Each must stay one line (one record) of clean text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "fuzz.h"
#include "log.h"
#include "notify.h"
#include "routine.h"
#include "safetext.h"
#include "status.h"

#define PATH "fuzz.yaml"
#define RATE 1000

static int notify_fd = -1;

/* A datagram socket standing in for systemd's, named by NOTIFY_SOCKET; log
 * lines as under journald.  Once per process (replay has no initializer). */
static void init(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (notify_fd >= 0)
		return;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "@coach-fuzz-notify-%d", (int)getpid());
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	FUZZ_ASSERT(notify_fd >= 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	sa.sun_path[0] = '\0';  /* abstract: nothing to clean up */
	FUZZ_ASSERT(bind(notify_fd, (struct sockaddr *)&sa,
			 (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				     strlen(getenv("NOTIFY_SOCKET")))) == 0);
	setenv("JOURNAL_STREAM", "8:1", 1);
	log_init("coachd", 1);
}

/* One line on the wire: nothing the rule would change, no line break. */
static void check_wire(const char *s)
{
	FUZZ_ASSERT(safetext_is_clean(s));
	FUZZ_ASSERT(!strpbrk(s, "\r\n"));
}

/* What STATUS=TEXT puts on systemd's socket: one datagram, one assignment. */
static void check_notify(const char *text)
{
	char buf[1024];
	ssize_t n;

	FUZZ_ASSERT(notify_send("STATUS=%s", text) == 0);
	n = recv(notify_fd, buf, sizeof(buf) - 1, 0);
	FUZZ_ASSERT(n >= 7);
	buf[n] = '\0';
	FUZZ_ASSERT(strncmp(buf, "STATUS=", 7) == 0);
	FUZZ_ASSERT(!memchr(buf, '\n', (size_t)n) && strlen(buf) == (size_t)n);
	FUZZ_ASSERT(safetext_is_clean(buf));
	FUZZ_ASSERT(recv(notify_fd, buf, sizeof(buf), 0) < 0);  /* nothing more */
}

/* What a log line with NAME in it writes: one journal entry, "<6>...\n". */
static void check_log(const char *name)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len), *saved = stderr;

	FUZZ_ASSERT(mem);
	stderr = mem;
	log_info("routine \"%s\": loaded", name);
	stderr = saved;
	FUZZ_ASSERT(fclose(mem) == 0);
	FUZZ_ASSERT(len >= 4 && strncmp(out, "<6>", 3) == 0 && out[len - 1] == '\n');
	FUZZ_ASSERT(memchr(out, '\n', len) == out + len - 1 && strlen(out) == len);
	out[len - 1] = '\0';
	FUZZ_ASSERT(safetext_is_clean(out));
	free(out);
}

/* `coachctl list` of one line per step (its name and first cue), and of the
 * cues: each line that fits is on the wire whole, printed as a line of its
 * own, and no more lines come out than went in. */
static void check_list(const struct routine *r)
{
	static char reply[CONTROL_MAX_REPLY], text[CONTROL_MAX_REPLY];
	size_t lines = 0, printed = 1;

	reply[0] = '\0';
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];

		if (control_reply_line(reply, sizeof(reply), "%s  %s", st->name,
				       st->ncues ? st->cues[0].say : "-") == 0)
			lines++;
		for (unsigned c = 0; c < st->ncues; c++)
			if (control_reply_line(reply, sizeof(reply), "cue %s", st->cues[c].say) == 0)
				lines++;
	}
	check_wire(reply);
	control_reply_text(reply, text, sizeof(text));
	for (const char *c = text; *c; c++)
		printed += *c == '\n';
	FUZZ_ASSERT(printed == (lines ? lines : 1));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		FUZZ_ASSERT(safetext_is_clean(line));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *yaml = fuzz_copy(data, size, 0);
	static char line[1024], reply[CONTROL_MAX_REPLY];
	struct routine r;
	struct diag err;
	struct plan p = { .rate = RATE };

	init();
	if (routine_parse(PATH, yaml, size, &r, &err) < 0) {
		check_log(err.text);  /* an error quotes the file's text too */
		free(yaml);
		return 0;
	}
	/* A plan of one hold per step, enough for the status of each. */
	p.nphases = r.nsteps;
	p.phases = calloc(r.nsteps, sizeof(*p.phases));
	FUZZ_ASSERT(p.phases);
	p.total = (uint64_t)r.nsteps * RATE;
	for (size_t i = 0; i < r.nsteps; i++)
		p.phases[i] = (struct plan_phase){
			.kind = PHASE_HOLD, .step = (unsigned)i, .start = (uint64_t)i * RATE,
			.length = RATE, .side = r.steps[i].nsides ? r.steps[i].sides[0] : SIDE_NONE,
		};
	check_log(r.name);
	for (size_t i = 0; i < r.nsteps; i++) {
		struct status_input in = {
			.plan = &p, .routine = &r, .state = SESSION_RUNNING,
			.pos = (uint64_t)i * RATE + RATE / 2, .audio = "ok", .buttons = "off",
		};

		control_reply(reply, sizeof(reply), "%s", status_line(&in, line, sizeof(line)));
		check_wire(reply);
		check_notify(status_summary(&in, line, sizeof(line)));
		check_log(r.steps[i].name);
		for (unsigned c = 0; c < r.steps[i].ncues; c++)
			check_log(r.steps[i].cues[c].say);
	}
	check_list(&r);
	free(p.phases);
	routine_free(&r);
	free(yaml);
	return 0;
}
