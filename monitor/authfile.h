/* authfile.h: finding and reading a user's authorized_keys file as that user, with StrictModes checks. */
#ifndef MP_MONITOR_AUTHFILE_H
#define MP_MONITOR_AUTHFILE_H

#include <pwd.h>
#include <stddef.h>

#define AUTHFILE_MAX_SIZE	(1024 * 1024)

/*
 * Expand an authorized_keys_file pattern: %h the home directory, %u the
 * user name, %% a percent sign; a relative result is taken relative to the
 * home directory. MP_ERR_TOO_LARGE if it does not fit in out_len,
 * MP_ERR_INVALID_FORMAT for another % sequence, MP_ERR_INVALID_ARGUMENT
 * for an empty pattern or a relative result with a relative home.
 */
int	authfile_expand(const char *pattern, const struct passwd *pw,
	    char *out, size_t out_len);

/*
 * Read the file as the user may: a root process switches its effective
 * uid, gid and groups to pw's for the time of the read and back (each
 * call checked); an ordinary user just reads. The file is opened with
 * O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC, must be a regular file of at most
 * AUTHFILE_MAX_SIZE bytes. With strict_modes, as sshd's StrictModes
 * (safe_path): the file, then each directory up to and including the home
 * directory, must be owned by root or the user and not writable by group
 * or others; the home's parents (and every directory of a file outside
 * home) must be too, except that root-owned sticky directories such as
 * /tmp are accepted there.
 *
 * On success *text is malloc'd and NUL-terminated, *len excludes the NUL.
 * Errors, each with a log-ready sentence in why:
 *   MP_ERR_NOT_FOUND	no such file ("no such file")
 *   MP_ERR_KEY_PERMISSIONS	refused: symbolic link, not a regular file,
 *			bad ownership or modes ("bad ownership or modes for
 *			directory /home/alice/.mp")
 *   MP_ERR_TOO_LARGE	more than AUTHFILE_MAX_SIZE bytes
 *   MP_ERR_SYSTEM	a system call failed (errno set)
 *   MP_ERR_INTERNAL	root's privileges could not be restored after the
 *			read: the caller must exit at once
 */
int	authfile_read(const char *path, const struct passwd *pw,
	    int strict_modes, char **text, size_t *len, char *why,
	    size_t why_len);

#endif
