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

#endif
