/*
 * tool_impostor: a program that is not coachd listening where coachd would,
 * as another user squatting its socket would.
 *   tool_impostor PATH REPLY
 * Listens on PATH and answers every connection with REPLY and '\n', then
 * closes it.  Runs until killed.  Prints "listening" once ready.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[512];
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: tool_impostor PATH REPLY\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;
		(void)recv(c, buf, sizeof(buf), MSG_DONTWAIT);
		(void)send(c, argv[2], strlen(argv[2]), MSG_NOSIGNAL);
		(void)send(c, "\n", 1, MSG_NOSIGNAL);
		close(c);
	}
}
