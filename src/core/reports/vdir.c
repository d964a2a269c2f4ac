/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vdir.c - the [calendar] vdir, one .ics file per feed item; see vdir.h. Owns no table: it
 * writes files only, from feed_resources(). */
#include "apptrack/vdir.h"

#include "apptrack/error.h"
#include "apptrack/feed.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Whether path holds exactly text. */
static bool same_file(const char *path, const char *text, size_t len)
{
	g_autofree char *old = NULL;
	gsize old_len = 0;

	return g_file_get_contents(path, &old, &old_len, NULL) && old_len == len && memcmp(old, text, len) == 0;
}

int vdir_sync(const char *dir, GPtrArray *resources, struct vdir_stats *ret_stats, GError **error)
{
	struct vdir_stats stats = { 0 };
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GError) ioerr = NULL;
	GDir *d = NULL;
	const char *name;
	int r = 0;

	if (g_mkdir_with_parents(dir, 0700) < 0) {
		r = -errno;
		return at_error_set(error, r, "calendar vdir %s cannot be made: %s", dir, g_strerror(-r));
	}
	for (guint i = 0; i < resources->len; i++) {
		const struct feed_resource *res = resources->pdata[i];
		g_autofree char *path = g_build_filename(dir, res->name, NULL);
		g_hash_table_add(names, res->name);
		if (same_file(path, res->text, res->len)) {
			stats.kept++;
			continue;
		}
		if (!g_file_set_contents_full(path, res->text, (gssize)res->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
					      &ioerr)) {
			r = at_error_set(error, -EIO, "calendar vdir: %s", ioerr->message);
			goto out;
		}
		stats.written++;
	}
	if (!(d = g_dir_open(dir, 0, &ioerr))) {
		r = at_error_set(error, -EIO, "calendar vdir: %s", ioerr->message);
		goto out;
	}
	while ((name = g_dir_read_name(d))) {
		if (!feed_is_resource_name(name) || g_hash_table_contains(names, name))
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (unlink(path) < 0 && errno != ENOENT) {
			r = -errno;
			at_error_set(error, r, "calendar vdir: cannot remove %s: %s", path, g_strerror(-r));
			break;
		}
		stats.removed++;
	}
	g_dir_close(d);
out:
	if (ret_stats)
		*ret_stats = stats;
	return r;
}
