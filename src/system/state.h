/* The state directory, and the few choices coachd remembers across restarts
 * (the routine the user picked) in a small `key=value` file there.
 *
 * The file is replaced atomically: the new contents go to PATH.tmp, which is
 * fsynced and renamed over PATH, and then the directory is fsynced.  A power
 * cut at any moment leaves either the old file or the new one, never a mix;
 * a leftover PATH.tmp is never read and is overwritten by the next save.  A
 * save that changes nothing writes nothing (SD cards wear).
 *
 *   # coach: choices remembered across restarts (written by coachd)
 *   routine=morning-back
 *
 * Only lines that end in '\n' count; comments, blank lines and anything that
 * is not `key=value` are ignored on reading and dropped by the next save.
 * Keys are 1 to STATE_MAX_KEY characters from [a-z0-9_.-]; values have no
 * control characters and are at most STATE_MAX_VALUE bytes. */
#ifndef COACH_STATE_H
#define COACH_STATE_H

#include <stddef.h>

#include "diag.h"

#define STATE_FILE      "state"      /* the choices file's name in the state directory */
#define STATE_MAX_KEY   64
#define STATE_MAX_VALUE 1024
#define STATE_MAX_SIZE  16384        /* a bigger file is not ours: it is ignored */

/* Fills BUF (SIZE bytes) with the path of NAME in coach's state directory:
 * $STATE_DIRECTORY/NAME (systemd's StateDirectory=, the first when it lists
 * several), else $XDG_STATE_HOME/coach/NAME, else $HOME/.local/state/coach/NAME.
 * Empty or relative variables count as unset.  Returns 0, -ENOENT when none
 * is set, or -ENAMETOOLONG. */
int state_path(const char *name, char *buf, size_t size);

/* Creates the missing directories above the file PATH (mode 0700).
 * Returns 0 or -errno. */
int state_make_parent(const char *path);

/* Flushes the directory holding the file PATH, so that a name just created or
 * renamed there survives a power cut.  Returns 0 or -errno. */
int state_sync_parent(const char *path);

/* Reads KEY from the file at PATH into BUF (SIZE bytes).  Returns 1 when found,
 * 0 when the file or the key is missing (BUF then ""), -ENOBUFS when the value
 * does not fit, -EFBIG for a file over STATE_MAX_SIZE, or -errno when the file
 * cannot be read. */
int state_load(const char *path, const char *key, char *buf, size_t size);

/* Sets KEY to VALUE in the file at PATH, keeping its other keys, creating the
 * file and its directory when missing; does nothing when KEY already has that
 * value.  Returns 0, or -errno with ERR filled (-EINVAL for a bad key or
 * value). */
int state_save(const char *path, const char *key, const char *value, struct diag *err);

/* Writes all LEN bytes of BUF to FD, through short writes and EINTR.
 * Returns 0 or -errno (-EIO when the file takes nothing). */
int state_write_all(int fd, const char *buf, size_t len);

#endif
