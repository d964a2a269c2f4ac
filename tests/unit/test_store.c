/* test_store.c - the database: creation, modes, WAL, migrations, refusals, nested
 * transactions and the online backup. */
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

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	store *s = NULL;
	GError *error = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE keep (x); PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &s, &error), -EPROTO);
	assert_null(s);
	assert_non_null(strstr(error->message, "99"));
	g_clear_error(&error);
	/* untouched */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	sqlite3_step(st);
	assert_int_equal(sqlite3_column_int(st, 0), 99);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_failed_migration_rolls_back(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	store *s = NULL;
	GError *error = NULL;

	/* a conflicting table at version 0 makes the migration fail half-way */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE contacts (x)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &s, &error), -EIO);
	assert_non_null(strstr(error->message, "migration"));
	g_clear_error(&error);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'applications'", -1, &st, NULL);
	sqlite3_step(st);
	assert_int_equal(sqlite3_column_int(st, 0), 0); /* nothing of the migration stayed */
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	sqlite3_step(st);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_not_a_database(void **state)
{
	struct fixture *f = *state;
	store *s = NULL;
	GError *error = NULL;

	assert_true(g_file_set_contents(f->path, "this is not sqlite, just some text that is long enough to be a header",
					-1, NULL));
	assert_int_equal(store_open(f->path, &s, &error), -EINVAL);
	assert_non_null(strstr(error->message, f->path));
	g_clear_error(&error);
	assert_int_equal(store_open(f->dir, &s, &error), -EINVAL); /* a directory */
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
	/* and the store works afterwards */
	assert_int_equal(store_begin(s, NULL), 0);
	assert_int_equal(store_commit(s, NULL), 0);
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
	assert_int_equal(store_backup(s, copy, &bytes, &error), -EEXIST);
	g_clear_error(&error);
	assert_int_equal(store_open(copy, &b, NULL), 0);
	assert_int_equal(query_int(b, "SELECT count(*) FROM resumes WHERE body = 'text'"), 1);
	store_close(b);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fts_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
