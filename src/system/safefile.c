#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int refuse(int fd, int e, const char *reason, const char **why)
{
	if (fd >= 0)
		close(fd);
	if (why)
		*why = reason ? reason : strerror(e);
	return -e;
}

int safefile_open(const char *path, int flags, mode_t mode, const char **why)
{
	struct stat st;
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode);
	int e = errno;

	if (fd < 0)
		return refuse(-1, e, e == ELOOP ? "is a symbolic link; not following it" : NULL, why);
	if (fstat(fd, &st) < 0)
		return refuse(fd, errno, NULL, why);
	if (S_ISDIR(st.st_mode))
		return refuse(fd, EISDIR, NULL, why);
	if (!S_ISREG(st.st_mode))
		return refuse(fd, EPERM, "is not a regular file; not using it", why);
	if ((flags & O_ACCMODE) != O_RDONLY && st.st_nlink > 1)
		return refuse(fd, EPERM, "has other names (hard links); not writing to it", why);
	/* A regular file never blocks; later reads and writes are as usual. */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		return refuse(fd, errno, NULL, why);
	if (why)
		*why = "";
	return fd;
}
