/* paths.c - XDG base directories and the control socket path. */
#include "apptrack/paths.h"

#include "apptrack/error.h"

#include <sys/stat.h>
#include <sys/types.h>

#define APP_DIR "apptrack"

char *paths_config_file(void)
{
	return g_build_filename(g_get_user_config_dir(), APP_DIR, "apptrack.conf", NULL);
}

char *paths_rules_dir(void)
{
	return g_build_filename(g_get_user_config_dir(), APP_DIR, "rules.d", NULL);
}

char *paths_shipped_rules_dir(void)
{
	const char *env = g_getenv("APPTRACK_RULES_DIR");

	if (env && *env)
		return g_strdup(env);
	/* PREFIX/bin/apptrackd next to PREFIX/share/apptrack/rules, whatever prefix
	 * `cmake --install --prefix` was given */
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *bin_dir = exe ? g_path_get_dirname(exe) : NULL;
	g_autofree char *beside = bin_dir ? g_build_filename(bin_dir, "..", "share", "apptrack", "rules", NULL) : NULL;
	if (beside && g_file_test(beside, G_FILE_TEST_IS_DIR))
		return g_steal_pointer(&beside);
	if (g_file_test(APPTRACK_RULES_INSTALL_DIR, G_FILE_TEST_IS_DIR))
		return g_strdup(APPTRACK_RULES_INSTALL_DIR);
	return g_strdup(APPTRACK_RULES_SOURCE_DIR);
}

char *paths_data_dir(void)
{
	return g_build_filename(g_get_user_data_dir(), APP_DIR, NULL);
}

char *paths_socket(GError **error)
{
	const char *sock = g_getenv("APPTRACK_SOCKET");
	/* XDG_RUNTIME_DIR, or GLib's fallback (the user cache directory) when unset, so
	 * that apptrackd and apptrackctl always agree. */
	const char *runtime = g_get_user_runtime_dir();

	if (sock && *sock)
		return g_strdup(sock);
	if (!runtime || !g_path_is_absolute(runtime)) {
		at_error_set(error, -ENOENT,
			     "no runtime directory: set XDG_RUNTIME_DIR (or APPTRACK_SOCKET) to say "
			     "where the control socket lives");
		return NULL;
	}
	return g_build_filename(runtime, APP_DIR, "control.sock", NULL);
}

int paths_mkdir(const char *path, unsigned mode, gboolean enforce_mode, GError **error)
{
	if (g_mkdir_with_parents(path, (int)mode) < 0) {
		int r = -errno;
		return at_error_set(error, r, "cannot create directory %s: %s", path, g_strerror(-r));
	}
	if (enforce_mode && chmod(path, mode) < 0) {
		int r = -errno;
		return at_error_set(error, r, "cannot set mode of %s: %s", path, g_strerror(-r));
	}
	return 0;
}
