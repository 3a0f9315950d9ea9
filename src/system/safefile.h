/* Opening the daemon's own files (the state file, the session log) by path
 * without trusting what is at the path.  coachd may run as root, and a
 * folder it writes in may be one others can write to (a state directory
 * moved by hand, a shared XDG_STATE_HOME): a symbolic link there would have
 * root append to, or read, whatever it points at, and a FIFO would block the
 * main loop.  So the last component is never followed, opening never waits,
 * and anything but a regular file is refused. */
#ifndef COACH_SAFEFILE_H
#define COACH_SAFEFILE_H

#include <sys/types.h>

/* Opens PATH with FLAGS (and MODE when creating) as open(2) would, but
 * O_NOFOLLOW and O_CLOEXEC always, never blocking on a FIFO or a device, and
 * only for a regular file; one opened for writing must also have no other
 * name (a hard link would make it some other file as well).  Returns the
 * descriptor, or -errno: -ELOOP for a symbolic link, -EISDIR for a folder,
 * -EPERM for another file that is not regular or one with other names.  *WHY, when given, is set to a phrase
 * saying why ("is a symbolic link; not following it"), or to strerror's. */
int safefile_open(const char *path, int flags, mode_t mode, const char **why);

#endif
