/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paths.h - where apptrack keeps things (XDG Base Directory specification).
 *
 * Every function returns a newly allocated string (free with g_free) or NULL with
 * *error set when the environment gives no usable location.
 */
#ifndef APPTRACK_PATHS_H
#define APPTRACK_PATHS_H

#include <glib.h>

/* $XDG_CONFIG_HOME/apptrack/apptrack.conf (XDG_CONFIG_HOME defaults to ~/.config). */
char *paths_config_file(void);
/* $XDG_CONFIG_HOME/apptrack/rules.d */
char *paths_rules_dir(void);
/* The shipped rule files, the first of: $APPTRACK_RULES_DIR; ../share/apptrack/rules
 * beside the running binary (an install under any prefix); the configured prefix's
 * share/apptrack/rules; the source tree's rules/ (running from a build directory). */
char *paths_shipped_rules_dir(void);
/* $XDG_DATA_HOME/apptrack (defaults to ~/.local/share/apptrack). */
char *paths_data_dir(void);
/* $APPTRACK_SOCKET, else $XDG_RUNTIME_DIR/apptrack/control.sock; when XDG_RUNTIME_DIR
 * is unset, GLib's fallback (the user cache directory, ~/.cache) takes its place. NULL
 * with *error only when no absolute directory can be found. */
char *paths_socket(GError **error);

/* mkdir -p with mode for every created component; an existing final directory gets
 * its mode enforced with chmod when enforce_mode is set. 0 or -errno with *error. */
int paths_mkdir(const char *path, unsigned mode, gboolean enforce_mode, GError **error);

/* What paths_read_bounded() reads besides regular files. */
enum paths_read_flags {
	PATHS_READ_FILES = 0,        /* regular files only: a FIFO or device is refused, not waited on */
	PATHS_READ_STREAMS = 1 << 0, /* pipes and character devices too (--jd-file <(...), /dev/stdin) */
};

/* Reads the file at path, refusing it without reading it all when it holds more than max
 * bytes (what names the limit in that error: "a document"). *ret_data (NUL-terminated,
 * g_free) and *ret_len are set only on success. 0, or -errno with *error naming the file:
 * -E2BIG over max, -EISDIR, -EINVAL for a kind of file flags do not allow. */
int paths_read_bounded(const char *path, size_t max, unsigned flags, const char *what, char **ret_data,
		       size_t *ret_len, GError **error);

#endif
