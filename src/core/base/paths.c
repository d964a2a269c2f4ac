/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paths.c - XDG base directories, the control socket path, and reading a file the user
 * names without trusting its size. */
#include "apptrack/paths.h"

#include "apptrack/error.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define APP_DIR "apptrack"
#define READ_CHUNK ((size_t)64 << 10)
#define MIB ((size_t)1 << 20)

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

static int refuse_large(const char *path, size_t max, const char *what, GError **error)
{
	if (max >= MIB)
		return at_error_set(error, -E2BIG, "%s is larger than the limit of %zu MiB for %s", path, max / MIB, what);
	return at_error_set(error, -E2BIG, "%s is larger than the limit of %zu bytes for %s", path, max, what);
}

int paths_read_bounded(const char *path, size_t max, unsigned flags, const char *what, char **ret_data,
		       size_t *ret_len, GError **error)
{
	g_autofree char *data = NULL;
	struct stat st;
	size_t len = 0, cap;
	bool stream;
	int fd, r;

	/* O_NONBLOCK: opening a FIFO must not hang; it is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail_errno;
	stream = (flags & PATHS_READ_STREAMS) && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode));
	if (stream && fcntl(fd, F_SETFL, 0) < 0) /* a pipe is waited on after all */
		goto fail_errno;
	if (!S_ISREG(st.st_mode) && !stream) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return at_error_set(error, -EISDIR, "cannot read %s: %s", path, g_strerror(EISDIR));
		return at_error_set(error, -EINVAL, "cannot read %s: not a regular file", path);
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return refuse_large(path, max, what, error);
	}
	/* read to the end, not st_size bytes: the file may grow meanwhile; one byte past the
	 * limit is enough to refuse it */
	cap = (S_ISREG(st.st_mode) ? (size_t)st.st_size : READ_CHUNK) + 1;
	data = g_malloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap > max)
				break;
			cap = MIN(cap * 2, max + 1);
			data = g_realloc(data, cap + 1);
		}
		ssize_t got = read(fd, data + len, MIN(cap - len, READ_CHUNK));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail_errno;
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (len > max)
		return refuse_large(path, max, what, error);
	data[len] = '\0';
	*ret_data = g_steal_pointer(&data);
	*ret_len = len;
	return 0;
fail_errno:
	r = -errno;
	if (fd >= 0)
		close(fd);
	return at_error_set(error, r, "cannot read %s: %s", path, g_strerror(-r));
}
