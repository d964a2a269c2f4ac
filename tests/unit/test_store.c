/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_store.c - the database: creation, modes, WAL, migrations, refusals, nested
 * transactions and the online backup. */
#include "apptrack/applications.h"
#include "apptrack/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

struct fixture {
	char *dir;
	char *path;
};

static int setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	f->dir = g_dir_make_tmp("apptrack-store-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "t.db", NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	g_free(f->dir);
	g_free(f->path);
	g_free(f);
	return 0;
}

static int64_t query_int(store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_create(void **state)
{
	struct fixture *f = *state;
	store *s = NULL;
	GError *error = NULL;
	struct stat st;
	static const char *const tables[] = { "applications", "events", "reminders", "interviews", "contacts",
					      "application_contacts", "resumes", "mail_state", "messages", "review",
					      "applications_fts" };

	assert_int_equal(store_open(f->path, &s, &error), 0);
	assert_null(error);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM sqlite_master WHERE name = '%s'", tables[i]);
		if (query_int(s, sql) != 1)
			fail_msg("table %s missing", tables[i]);
	}
	sqlite3_stmt *jm;
	sqlite3_prepare_v2(store_db(s), "PRAGMA journal_mode", -1, &jm, NULL);
	assert_int_equal(sqlite3_step(jm), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(jm, 0), "wal");
	sqlite3_finalize(jm);
	assert_int_equal(query_int(s, "PRAGMA foreign_keys"), 1);
	/* the page cache is capped at 32 MiB, not SQLite's default 2 MiB */
	assert_int_equal(query_int(s, "PRAGMA cache_size"), -32768);
	store_close(s);

	/* reopening is idempotent */
	assert_int_equal(store_open(f->path, &s, &error), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
}

static void test_fts_triggers(void **state)
{
	struct fixture *f = *state;
	store *s = NULL;

	assert_int_equal(store_open(f->path, &s, NULL), 0);
	assert_int_equal(sqlite3_exec(store_db(s),
				      "INSERT INTO applications (company, position, status, created_at, updated_at, notes) "
				      "VALUES ('Acme', 'Dev', 'applied', 'x', 'x', 'loves kubernetes')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(query_int(s, "SELECT count(*) FROM applications_fts WHERE applications_fts MATCH 'kubernetes'"), 1);
	sqlite3_exec(store_db(s), "UPDATE applications SET notes = 'likes rust'", NULL, NULL, NULL);
	assert_int_equal(query_int(s, "SELECT count(*) FROM applications_fts WHERE applications_fts MATCH 'kubernetes'"), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM applications_fts WHERE applications_fts MATCH 'rust'"), 1);
	sqlite3_exec(store_db(s), "DELETE FROM applications", NULL, NULL, NULL);
	assert_int_equal(query_int(s, "SELECT count(*) FROM applications_fts WHERE applications_fts MATCH 'rust'"), 0);
	/* status is checked by the schema */
	assert_int_not_equal(sqlite3_exec(store_db(s),
					  "INSERT INTO applications (company, position, status, created_at, updated_at) "
					  "VALUES ('A', 'B', 'sleeping', 'x', 'x')",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	store_close(s);
}

static void test_parent_directory_and_modes(void **state)
{
	struct fixture *f = *state;
	g_autofree char *nested = g_build_filename(f->dir, "a", "b", "t.db", NULL);
	g_autofree char *parent = g_path_get_dirname(nested);
	g_autofree char *existing = g_build_filename(f->dir, "existing.db", NULL);
	store *s = NULL;
	GError *error = NULL;
	struct stat st;

	/* the missing directories are created private */
	assert_int_equal(store_open(nested, &s, &error), 0);
	assert_null(error);
	assert_string_equal(store_path(s), nested);
	store_close(s);
	assert_int_equal(stat(parent, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(nested, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* an existing file keeps the mode its owner gave it */
	assert_true(g_file_set_contents(existing, "", 0, NULL));
	assert_int_equal(chmod(existing, 0640), 0);
	assert_int_equal(store_open(existing, &s, &error), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	assert_int_equal(stat(existing, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	g_autofree char *before = NULL, *after = NULL;
	g_autofree char *wal = g_strconcat(f->path, "-wal", NULL);
	gsize before_len = 0, after_len = 0;
	sqlite3 *db;
	store *s = NULL;
	GError *error = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE keep (x); PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_true(g_file_get_contents(f->path, &before, &before_len, NULL));
	assert_int_equal(store_open(f->path, &s, &error), -EPROTO);
	assert_null(s);
	assert_int_equal(error->code, EPROTO);
	/* names both versions and the file */
	assert_non_null(strstr(error->message, "99"));
	assert_non_null(strstr(error->message, "version " G_STRINGIFY(STORE_SCHEMA_VERSION)));
	assert_non_null(strstr(error->message, f->path));
	g_clear_error(&error);
	/* untouched, byte for byte (not even switched to WAL) */
	assert_true(g_file_get_contents(f->path, &after, &after_len, NULL));
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	sqlite3_step(st);
	assert_int_equal(sqlite3_column_int(st, 0), 99);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int64_t raw_query_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_failed_migration_rolls_back(void **state)
{
	struct fixture *f = *state;
	/* a table in the way at version 0 makes the migration fail: at its first statement,
	 * or half-way, after the applications table was created */
	static const struct {
		const char *in_the_way;
		const char *left_behind; /* a table of the migration that must not stay */
	} cases[] = {
		{ "CREATE TABLE applications (x)", "events" },
		{ "CREATE TABLE contacts (x)", "applications" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("%s/m%zu.db", f->dir, i);
		g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM sqlite_master WHERE name = '%s'",
						       cases[i].left_behind);
		store *s = NULL;
		GError *error = NULL;
		sqlite3 *db;

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, cases[i].in_the_way, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		assert_int_equal(store_open(path, &s, &error), -EIO);
		assert_null(s);
		assert_non_null(strstr(error->message, "migration"));
		assert_non_null(strstr(error->message, path));
		g_clear_error(&error);
		assert_int_equal(raw_query_int(path, sql), 0); /* nothing of the migration stayed */
		assert_int_equal(raw_query_int(path, "PRAGMA user_version"), 0);
		assert_int_equal(raw_query_int(path, "SELECT count(*) FROM sqlite_master"), 1);
	}
}

static void test_not_a_database(void **state)
{
	struct fixture *f = *state;
	store *s = NULL;
	GError *error = NULL;

	assert_true(g_file_set_contents(f->path, "this is not sqlite, just some text that is long enough to be a header",
					-1, NULL));
	assert_int_equal(store_open(f->path, &s, &error), -EINVAL);
	assert_null(s);
	assert_non_null(strstr(error->message, f->path));
	assert_non_null(strstr(error->message, "not an SQLite database"));
	g_clear_error(&error);
	assert_int_equal(store_open(f->dir, &s, &error), -EINVAL); /* a directory */
	assert_non_null(strstr(error->message, f->dir));
	g_clear_error(&error);
}

static void test_nested_transactions(void **state)
{
	struct fixture *f = *state;
	store *s = NULL;
	GError *error = NULL;

	assert_int_equal(store_open(f->path, &s, NULL), 0);
	/* commit at both levels keeps the row */
	assert_int_equal(store_begin(s, NULL), 0);
	assert_int_equal(store_begin(s, NULL), 0);
	sqlite3_exec(store_db(s), "INSERT INTO resumes (name, body, created_at) VALUES ('a', 'b', 'c')", NULL, NULL, NULL);
	assert_int_equal(store_commit(s, NULL), 0);
	assert_int_equal(store_commit(s, NULL), 0);
	assert_int_equal(query_int(s, "SELECT count(*) FROM resumes"), 1);
	/* an inner rollback dooms the outer transaction */
	assert_int_equal(store_begin(s, NULL), 0);
	sqlite3_exec(store_db(s), "INSERT INTO resumes (name, body, created_at) VALUES ('x', 'b', 'c')", NULL, NULL, NULL);
	assert_int_equal(store_begin(s, NULL), 0);
	store_rollback(s);
	assert_int_equal(store_commit(s, &error), -EIO);
	g_clear_error(&error);
	assert_int_equal(query_int(s, "SELECT count(*) FROM resumes"), 1);
	/* and the store works afterwards: a new transaction is not doomed */
	assert_int_equal(store_begin(s, NULL), 0);
	assert_int_equal(store_commit(s, NULL), 0);

	/* three levels: the doom set at the innermost survives a commit in the middle */
	assert_int_equal(store_begin(s, NULL), 0);
	assert_int_equal(store_begin(s, NULL), 0);
	assert_int_equal(store_begin(s, NULL), 0);
	sqlite3_exec(store_db(s), "INSERT INTO resumes (name, body, created_at) VALUES ('y', 'b', 'c')", NULL, NULL, NULL);
	store_rollback(s);
	assert_int_equal(store_commit(s, NULL), 0); /* only the outermost level reports */
	assert_int_equal(store_commit(s, &error), -EIO);
	assert_non_null(error);
	g_clear_error(&error);
	assert_int_equal(query_int(s, "SELECT count(*) FROM resumes"), 1);
	assert_int_equal(sqlite3_get_autocommit(store_db(s)), 1); /* no transaction left open */

	/* a rollback at the outermost level discards at once */
	assert_int_equal(store_begin(s, NULL), 0);
	sqlite3_exec(store_db(s), "INSERT INTO resumes (name, body, created_at) VALUES ('z', 'b', 'c')", NULL, NULL, NULL);
	store_rollback(s);
	assert_int_equal(sqlite3_get_autocommit(store_db(s)), 1);
	assert_int_equal(query_int(s, "SELECT count(*) FROM resumes"), 1);
	store_close(s);
}

static void test_prepare_and_errors(void **state)
{
	struct fixture *f = *state;
	static const char insert[] = "INSERT INTO resumes (name, body, created_at) VALUES (?, 'b', 'c')";
	sqlite3_stmt *a = NULL, *b = NULL;
	store *s = NULL;
	GError *error = NULL;

	assert_int_equal(store_open(f->path, &s, NULL), 0);
	/* cached by text, handed back reset with bindings cleared */
	assert_int_equal(store_prepare(s, insert, &a, NULL), 0);
	sqlite3_bind_text(a, 1, "cv", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(a), SQLITE_DONE);
	assert_int_equal(store_prepare(s, insert, &b, NULL), 0);
	assert_ptr_equal(a, b);
	sqlite3_bind_text(b, 1, "cv", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(b) & 0xff, SQLITE_CONSTRAINT); /* UNIQUE name; extended codes are on */
	/* a constraint is a conflict, other failures are I/O */
	assert_int_equal(store_error(s, &error, "adding a resume"), -EEXIST);
	assert_int_equal(error->code, EEXIST);
	assert_true(g_str_has_prefix(error->message, "database: adding a resume: "));
	assert_non_null(strstr(error->message, "UNIQUE"));
	g_clear_error(&error);
	sqlite3_reset(b);
	assert_int_equal(store_prepare(s, "SELECT x FROM nowhere", &a, &error), -EIO);
	assert_true(g_str_has_prefix(error->message, "database: "));
	if (!strstr(error->message, "no such table"))
		fail_msg("%s", error->message);
	g_clear_error(&error);
	store_close(s);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	g_autofree char *copy = g_build_filename(f->dir, "copy.db", NULL);
	store *s = NULL, *b = NULL;
	GError *error = NULL;
	int64_t bytes = 0;
	struct stat st;

	assert_int_equal(store_open(f->path, &s, NULL), 0);
	sqlite3_exec(store_db(s), "INSERT INTO resumes (name, body, created_at) VALUES ('cv', 'text', 'now')", NULL, NULL,
		     NULL);
	assert_int_equal(store_backup(s, copy, &bytes, &error), 0);
	assert_true(bytes > 0);
	assert_int_equal(stat(copy, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, bytes);
	/* an existing file is never overwritten */
	int64_t untouched = -1;
	assert_int_equal(store_backup(s, copy, &untouched, &error), -EEXIST);
	assert_int_equal(untouched, -1);
	assert_non_null(strstr(error->message, copy));
	g_clear_error(&error);
	/* nor is a half-written file left behind */
	g_autofree char *nodir = g_build_filename(f->dir, "missing", "copy.db", NULL);
	assert_int_equal(store_backup(s, nodir, &untouched, &error), -ENOENT);
	g_clear_error(&error);
	assert_false(g_file_test(nodir, G_FILE_TEST_EXISTS));
	assert_int_equal(store_open(copy, &b, NULL), 0);
	assert_int_equal(query_int(b, "SELECT count(*) FROM resumes WHERE body = 'text'"), 1);
	store_close(b);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_directory_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fts_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
