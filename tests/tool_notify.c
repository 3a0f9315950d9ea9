/*
 * tool_notify: a stand-in for systemd's notification socket.
 *   tool_notify PATH
 * Binds a datagram socket at PATH and prints every assignment received, one
 * a line, as systemd reads them: a datagram holds assignments separated by
 * '\n'.  Runs until killed, or until it receives STOPPING=1.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: tool_notify PATH\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		char *save = NULL;

		if (n < 0)
			return 1;
		buf[n] = '\0';
		for (char *a = strtok_r(buf, "\n", &save); a; a = strtok_r(NULL, "\n", &save)) {
			printf("%s\n", a);
			if (strcmp(a, "STOPPING=1") == 0)
				return 0;
		}
	}
}
