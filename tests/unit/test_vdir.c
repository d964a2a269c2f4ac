/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_vdir.c - vdir_sync() (vdir.h) in a temporary directory: one file per resource, an
 * unchanged file left as it is (inode and mtime), a changed one replaced by a rename, files of
 * items that left removed but never a file not named like apptrack's, and one clear error for
 * a directory that cannot be made or a file that cannot be written or removed. */
#include "apptrack/feed.h"
#include "apptrack/vdir.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed_resources.h"

#define A "interview-1_apptrack.ics"
#define B "reminder-2_apptrack.ics"
#define GONE "interview-9_apptrack.ics"

static int setup(void **state)
{
	char *dir = g_dir_make_tmp("apptrack-vdir-XXXXXX", NULL);

	assert_non_null(dir);
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	g_autofree char *dir = *state;
	g_autofree char *cmd = g_strdup_printf("chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);

	assert_int_equal(system(cmd), 0);
	return 0;
}

static struct vdir_stats sync_ok(const char *dir, GPtrArray *feed)
{
	struct vdir_stats st = { 99, 99, 99 };
	g_autoptr(GError) error = NULL;

	if (vdir_sync(dir, feed, &st, &error) < 0)
		fail_msg("%s", error->message);
	g_ptr_array_unref(feed);
	return st;
}

static void assert_stats(struct vdir_stats st, unsigned written, unsigned removed, unsigned kept)
{
	assert_int_equal(st.written, written);
	assert_int_equal(st.removed, removed);
	assert_int_equal(st.kept, kept);
}

static void assert_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *got = NULL;
	struct stat st;

	if (!g_file_get_contents(path, &got, NULL, NULL))
		fail_msg("no file %s", path);
	assert_string_equal(got, text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static struct stat stat_of(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st;
}

/* Sets the file's mtime to 2001, so that any rewrite shows. */
static void age(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	const struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
}

static void touch(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	assert_true(g_file_set_contents(path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", -1, NULL));
}

static int by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in dir, sorted, joined by spaces. g_free. */
static char *names_in(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	assert_non_null(d);
	while ((name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, by_name);
	g_ptr_array_add(names, NULL);
	char *out = g_strjoinv(" ", (char **)names->pdata);
	g_ptr_array_unref(names);
	return out;
}

/* A missing directory is made (0700, with its parents), one file per resource, 0600. */
static void test_write(void **state)
{
	g_autofree char *dir = g_build_filename(*state, "data", "vdir", NULL);
	struct stat st;

	assert_stats(sync_ok(dir, feed_of(A, "text A", B, "text B", NULL)), 2, 0, 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_file(dir, A, "text A");
	assert_file(dir, B, "text B");
	g_autofree char *names = names_in(dir);
	assert_string_equal(names, A " " B);
	/* an empty feed in an empty directory */
	g_autofree char *empty = g_build_filename(*state, "empty", NULL);
	assert_stats(sync_ok(empty, feed_of(NULL)), 0, 0, 0);
	assert_int_equal(stat(empty, &st), 0);
}

/* Unchanged: the same file (inode, mtime); changed: a new file renamed over the old one,
 * which a reader that has it open still reads whole; no temporary file is left. */
static void test_unchanged_changed(void **state)
{
	const char *dir = *state;

	sync_ok(dir, feed_of(A, "text A", B, "text B", NULL));
	age(dir, A);
	age(dir, B);
	struct stat a0 = stat_of(dir, A), b0 = stat_of(dir, B);

	assert_stats(sync_ok(dir, feed_of(A, "text A", B, "text B", NULL)), 0, 0, 2);
	struct stat a1 = stat_of(dir, A);
	assert_int_equal(a1.st_ino, a0.st_ino);
	assert_int_equal(a1.st_mtim.tv_sec, a0.st_mtim.tv_sec);
	assert_int_equal(a1.st_mtim.tv_nsec, a0.st_mtim.tv_nsec);

	g_autofree char *path_b = g_build_filename(dir, B, NULL);
	int fd = open(path_b, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_stats(sync_ok(dir, feed_of(A, "text A", B, "text B, moved", NULL)), 1, 0, 1);
	struct stat b1 = stat_of(dir, B);
	assert_int_not_equal(b1.st_ino, b0.st_ino);
	assert_true(b1.st_mtim.tv_sec > b0.st_mtim.tv_sec);
	assert_file(dir, B, "text B, moved");
	char old[32] = "";
	assert_int_equal(read(fd, old, sizeof old - 1), (ssize_t)strlen("text B"));
	assert_string_equal(old, "text B");
	close(fd);
	assert_int_equal(stat_of(dir, A).st_ino, a0.st_ino);
	g_autofree char *names = names_in(dir);
	assert_string_equal(names, A " " B);
}

/* Files of items that left go; files not named like apptrack's items stay. */
static void test_remove(void **state)
{
	const char *dir = *state;
	static const char *const foreign[] = { "my-own.ics", GONE ".bak", ".hidden", "interview-x_apptrack.ics",
					       "interview-9_apptrack.ICS", "reminder-_apptrack.ics", "reminder-3.ics" };

	for (size_t i = 0; i < G_N_ELEMENTS(foreign); i++)
		touch(dir, foreign[i]);
	touch(dir, GONE);
	touch(dir, B);
	assert_stats(sync_ok(dir, feed_of(A, "text A", NULL)), 1, 2, 0);
	g_autofree char *names = names_in(dir);
	assert_string_equal(names, ".hidden " A " interview-9_apptrack.ICS " GONE ".bak interview-x_apptrack.ics "
				   "my-own.ics reminder-3.ics reminder-_apptrack.ics");
	/* nothing left to remove */
	assert_stats(sync_ok(dir, feed_of(NULL)), 0, 1, 0);
	g_autofree char *after = names_in(dir);
	assert_null(strstr(after, A));
}

/* Fails unless r and error are one clear failure naming what. */
static void assert_failed(int r, GError *error, const char *what)
{
	assert_true(r < 0);
	assert_non_null(error);
	assert_non_null(strstr(error->message, "calendar vdir"));
	if (!strstr(error->message, what))
		fail_msg("\"%s\" does not name %s", error->message, what);
	assert_null(strchr(error->message, '\n'));
}

/* A directory that cannot be made, a file that cannot be written or removed: one error
 * naming it, and the stats of what was done until then. */
static void test_errors(void **state)
{
	const char *dir = *state;
	g_autofree char *file = g_build_filename(dir, "a-file", NULL);
	g_autofree char *under = g_build_filename(file, "vdir", NULL);
	struct vdir_stats st;
	int r;

	assert_true(g_file_set_contents(file, "x", -1, NULL));
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) feed = feed_of(A, "text A", NULL);
		r = vdir_sync(file, feed, &st, &error);
		assert_failed(r, error, file);
		assert_int_equal(r, -ENOTDIR);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) feed = feed_of(A, "text A", NULL);
		r = vdir_sync(under, feed, NULL, &error);
		assert_failed(r, error, under);
	}
	/* a directory where a file must go (as root too, unlike a read-only mode) */
	g_autofree char *vdir = g_build_filename(dir, "vdir", NULL);
	g_autofree char *blocked = g_build_filename(vdir, B, NULL);
	assert_int_equal(g_mkdir_with_parents(blocked, 0700), 0);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) feed = feed_of(A, "text A", B, "text B", NULL);
		r = vdir_sync(vdir, feed, &st, &error);
		assert_failed(r, error, B);
		assert_stats(st, 1, 0, 0);
		g_autofree char *names = names_in(vdir);
		assert_string_equal(names, A " " B); /* no temporary file left */
	}
	/* and one where a file of an item that left must be removed */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) feed = feed_of(A, "text A", NULL);
		r = vdir_sync(vdir, feed, &st, &error);
		assert_failed(r, error, B);
		assert_stats(st, 0, 0, 1);
	}
	/* a directory without write permission, when that means something */
	if (geteuid() != 0) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) feed = feed_of(A, "text A, moved", NULL);
		assert_int_equal(rmdir(blocked), 0);
		assert_int_equal(chmod(vdir, 0500), 0);
		r = vdir_sync(vdir, feed, &st, &error);
		assert_failed(r, error, vdir);
		assert_int_equal(chmod(vdir, 0700), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
