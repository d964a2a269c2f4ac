/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_migrate.c - schema migrations carry existing data forward: a version 1 database
 * gains applications.company_key, filled from the stored company names, and the later
 * versions' tables, columns and indexes. */
#include "apptrack/applications.h"
#include "apptrack/pipeline.h"
#include "change.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first column of sql's one row, as an integer. */
static int int_of(store *s, const char *sql)
{
	sqlite3_stmt *st;
	int v;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_v1_to_current(void **state)
{
	static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
	g_autofree char *dir = g_dir_make_tmp("apptrack-migrate-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.db", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	store *s = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	(void)state;

	/* make a version 1 database: today's schema without what versions 2 to 9 added */
	assert_int_equal(store_open(path, &s, NULL), 0);
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP INDEX applications_company_key;"
				      "DROP INDEX applications_status_updated; CREATE INDEX applications_status ON applications(status);"
				      "DROP INDEX events_status_change; DROP INDEX reminders_open_app;"
				      "ALTER TABLE events DROP COLUMN mail_from; ALTER TABLE events DROP COLUMN mail_subject;"
				      
				      "ALTER TABLE applications DROP COLUMN company_key;"
				      "ALTER TABLE reminders DROP COLUMN sequence;"
				      "DROP TABLE profile; DROP INDEX resumes_one_default;"
				      "ALTER TABLE resumes DROP COLUMN updated_at;"
				      "DROP TABLE lessons; ALTER TABLE review DROP COLUMN verdict;"
				      "DROP INDEX reminders_unraised; DROP TABLE caldav_outbox;"
				      "DROP INDEX interviews_invite_uid; ALTER TABLE interviews DROP COLUMN invite_uid;"
				      "ALTER TABLE interviews DROP COLUMN invite_sequence; ALTER TABLE interviews DROP COLUMN organizer;"
				      "ALTER TABLE interviews DROP COLUMN meeting_url; ALTER TABLE interviews DROP COLUMN recurrence;"
				      "INSERT INTO review (reason, created_at) VALUES ('no company', 'x');"
				      "INSERT INTO reminders (kind, due_at, created_at, updated_at) "
				      "VALUES ('custom', '2026-01-01T00:00:00Z', 'x', 'x');"
				      "INSERT INTO applications (company, position, status, created_at, updated_at) "
				      "VALUES ('The Acme Co., Inc.', 'Dev', 'applied', '2026-01-01T00:00:00Z', 'x');"
				      "INSERT INTO events (application_id, at, kind, from_status, to_status) "
				      "VALUES (1, '2026-01-03T00:00:00Z', 'status_change', 'saved', 'applied');"
				      "PRAGMA user_version = 1;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(path, &s, NULL), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT company_key FROM applications", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "acme");
	sqlite3_finalize(st);
	/* version 6: the index of the reminders not raised yet holds the open one from before */
	assert_int_equal(int_of(s, "SELECT count(*) FROM reminders INDEXED BY reminders_unraised "
				   "WHERE state IN ('pending', 'snoozed') AND fired_at IS NULL"),
			 1);
	/* version 7: interviews keep an invitation's UID, at most one interview per UID */
	assert_int_equal(sqlite3_exec(store_db(s),
				      "INSERT INTO interviews (application_id, starts_at, created_at, updated_at, invite_uid) "
				      "VALUES (1, 'x', 'x', 'x', 'u'), (1, 'y', 'y', 'y', NULL), (1, 'z', 'z', 'z', NULL)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s),
					  "INSERT INTO interviews (application_id, starts_at, created_at, updated_at, "
					  "invite_uid) VALUES (1, 'x', 'x', 'x', 'u')",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	/* version 5: review entries from before keep their reason and have no verdict; lessons start empty */
	assert_int_equal(sqlite3_prepare_v2(store_db(s),
					    "SELECT reason, verdict IS NULL, (SELECT count(*) FROM lessons) FROM review", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "no company");
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	/* version 9: events from before name no mail; the summary counts the days in the stage
	 * from the last status change, through the new partial index */
	assert_int_equal(int_of(s, "SELECT count(*) FROM events INDEXED BY events_status_change "
				   "WHERE kind = 'status_change' AND mail_from IS NULL AND mail_subject IS NULL"),
			 1);
	{
		json_t *app = NULL;
		g_setenv("APPTRACK_NOW", "2026-01-13T12:00:00Z", TRUE);
		assert_int_equal(applications_get(s, 1, &app, NULL), 0);
		assert_int_equal(json_integer_value(json_object_get(app, "days_in_stage")), 10);
		assert_true(json_is_null(json_object_get(app, "next_reminder")));
		json_decref(app);
		g_unsetenv("APPTRACK_NOW");
	}
	/* version 3: reminders have a change counter, 0 for those from before */
	assert_int_equal(int_of(s, "SELECT sequence FROM reminders"), 0);

	/* new and edited applications keep the key in step */
	json_t *fields = json_pack("{s:s,s:s}", "company", "Globex LLC", "position", "SRE");
	int64_t id;
	assert_int_equal(applications_add(PIPE_WITH(s, &delays), fields, 0, &id, NULL), 0);
	json_decref(fields);
	fields = json_pack("{s:s}", "company", "Initech");
	assert_int_equal(applications_edit(PIPE(s), 1, fields, NULL), 0);
	json_decref(fields);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT group_concat(company_key, ',') FROM "
							 "(SELECT company_key FROM applications ORDER BY id)",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "initech,globex");
	sqlite3_finalize(st);
	/* version 4: the profile row is there */
	assert_int_equal(int_of(s, "SELECT count(*) FROM profile"), 1);
	store_close(s);
	assert_int_equal(system(cmd), 0);
}

/* Version 3 to 4: resumes stored before gain updated_at (their created_at) and end up
 * with exactly one default (the newest marked one, or the newest when none was); the
 * profile row is created empty. */
static void test_v3_to_v4(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("apptrack-migrate-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.db", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	static const struct {
		const char *rows; /* VALUES for (name, body, is_default, created_at) */
		const char *expected; /* name of the default after the migration */
	} cases[] = {
		{ "('a','A',1,'2026-01-01T00:00:00Z'),('b','B',1,'2026-02-01T00:00:00Z'),('c','C',0,'2026-03-01T00:00:00Z')",
		  "b" },
		{ "('a','A',0,'2026-01-01T00:00:00Z'),('b','B',0,'2026-02-01T00:00:00Z')", "b" },
		{ "('a','A',1,'2026-01-01T00:00:00Z'),('b','B',0,'2026-02-01T00:00:00Z')", "a" },
	};
	store *s = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		unlink(path);
		assert_int_equal(store_open(path, &s, NULL), 0);
		store_close(s);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		g_autofree char *sql = g_strdup_printf("DROP INDEX applications_status_updated;"
						       "CREATE INDEX applications_status ON applications(status);"
						       "DROP INDEX events_status_change; DROP INDEX reminders_open_app;"
						       "ALTER TABLE events DROP COLUMN mail_from; ALTER TABLE events DROP COLUMN mail_subject;"
						       "DROP TABLE profile; DROP INDEX resumes_one_default;"
						       "DROP INDEX reminders_unraised; DROP TABLE caldav_outbox;"
						       "DROP INDEX interviews_invite_uid; ALTER TABLE interviews DROP COLUMN invite_uid;"
						       "ALTER TABLE interviews DROP COLUMN invite_sequence; ALTER TABLE interviews DROP COLUMN organizer;"
						       "ALTER TABLE interviews DROP COLUMN meeting_url; ALTER TABLE interviews DROP COLUMN recurrence;"
						       "DROP TABLE lessons; ALTER TABLE review DROP COLUMN verdict;"
						       "ALTER TABLE resumes DROP COLUMN updated_at;"
						       "INSERT INTO resumes (name, body, is_default, created_at) VALUES %s;"
						       "PRAGMA user_version = 3;",
						       cases[i].rows);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);

		assert_int_equal(store_open(path, &s, NULL), 0);
		assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
		assert_int_equal(sqlite3_prepare_v2(store_db(s),
						    "SELECT group_concat(name, ','), count(*) FROM resumes WHERE is_default <> 0",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), cases[i].expected);
		assert_int_equal(sqlite3_column_int(st, 1), 1);
		sqlite3_finalize(st);
		assert_int_equal(int_of(s, "SELECT count(*) FROM resumes WHERE updated_at IS NOT created_at"), 0);
		assert_int_equal(sqlite3_prepare_v2(store_db(s),
						    "SELECT count(*), count(name), count(updated_at) FROM profile", -1, &st,
						    NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_int_equal(sqlite3_column_int(st, 1), 0);
		assert_int_equal(sqlite3_column_int(st, 2), 0);
		sqlite3_finalize(st);
		/* a second default is refused by the database itself */
		assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE resumes SET is_default = 1", NULL, NULL, NULL),
				     SQLITE_OK);
		store_close(s);
	}
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_v1_to_current), cmocka_unit_test(test_v3_to_v4) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
