/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fixture.h - what the unit tests of a store share: a temporary directory holding a
 * fresh database, the clock fixed through APPTRACK_NOW, and small JSON helpers.
 * Included after cmocka.h; static inline, so a test uses what it needs. */
#ifndef APPTRACK_TEST_FIXTURE_H
#define APPTRACK_TEST_FIXTURE_H

#include "apptrack/store.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>

struct fixture {
	char *dir;
	store *s;
};

/* Opens (or creates) the database NAME in dir, failing the test on an error. */
static inline store *open_store(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	store *s = NULL;
	GError *error = NULL;

	if (store_open(path, &s, &error) < 0)
		fail_msg("%s", error->message);
	return s;
}

/* A new directory apptrack-TAG-XXXXXX with the database t.db in it. */
static inline struct fixture *fixture_new(const char *tag)
{
	struct fixture *f = g_new0(struct fixture, 1);
	g_autofree char *tmpl = g_strdup_printf("apptrack-%s-XXXXXX", tag);

	f->dir = g_dir_make_tmp(tmpl, NULL);
	assert_non_null(f->dir);
	f->s = open_store(f->dir, "t.db");
	return f;
}

/* Closes the database, removes the directory, and lets the clock run again. */
static inline int fixture_free(struct fixture *f)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	store_close(f->s);
	assert_int_equal(system(cmd), 0);
	g_free(f->dir);
	g_free(f);
	g_unsetenv("APPTRACK_NOW");
	return 0;
}

/* Makes time_now() answer t (Unix seconds). */
static inline void set_now(int64_t t)
{
	g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, t);
	g_setenv("APPTRACK_NOW", v, TRUE);
}

static inline const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

#endif
