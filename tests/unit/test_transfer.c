/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_transfer.c - CSV import and export of applications against a real store: every
 * header name other trackers use, status aliases and date forms, bad rows refused whole
 * (with their lines, and nothing written) or skipped, whole-file refusals, limits, and
 * the export -> import -> export round trip. */
#include "apptrack/applications.h"
#include "apptrack/csv.h"
#include "apptrack/transfer.h"
#include "change.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define MANY_ROWS 10000

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;

static int setup(void **state)
{
	*state = fixture_new("transfer");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

static int64_t sql_count(store *s, const char *table)
{
	g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", table);
	sqlite3_stmt *st = NULL;
	int64_t n;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int import(store *s, const char *csv, bool skip_bad, json_t *bad, json_t **report, GError **error)
{
	return transfer_import_csv(PIPE_WITH(s, &delays), csv, strlen(csv), skip_bad, bad, report, error);
}

static json_t *import_ok(store *s, const char *csv, bool skip_bad)
{
	json_t *report = NULL;
	GError *error = NULL;

	if (import(s, csv, skip_bad, NULL, &report, &error) < 0)
		fail_msg("import: %s", error->message);
	assert_non_null(report);
	return report;
}

/* All applications, oldest first. */
static json_t *list_all(store *s)
{
	json_t *params = json_pack("{s:s}", "sort", "id"), *list = NULL;

	assert_int_equal(applications_list(s, params, &list, NULL), 0);
	json_decref(params);
	return list;
}

/* Every header name of docs/csv.md, one at a time, beside the other required column. */
static void test_header_names(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *header, *field, *cell, *want;
	} cases[] = {
		{ "company", "company", "Acme", "Acme" },
		{ "Company Name", "company", "Acme", "Acme" },
		{ "EMPLOYER", "company", "Acme", "Acme" },
		{ "Organization", "company", "Acme", "Acme" },
		{ "organisation", "company", "Acme", "Acme" },
		{ "position", "position", "Dev", "Dev" },
		{ "Title", "position", "Dev", "Dev" },
		{ "Job Title", "position", "Dev", "Dev" },
		{ "job_title", "position", "Dev", "Dev" },
		{ "Role", "position", "Dev", "Dev" },
		{ "Job", "position", "Dev", "Dev" },
		{ "Job Position", "position", "Dev", "Dev" },
		{ "Status", "status", "Offer", "offer" },
		{ "Stage", "status", "screen", "screen" },
		{ "Application Status", "status", "rejected", "rejected" },
		{ "Source", "source", "LinkedIn", "LinkedIn" },
		{ "Platform", "source", "Indeed", "Indeed" },
		{ "Job Board", "source", "Indeed", "Indeed" },
		{ "Site", "source", "Otta", "Otta" },
		{ "Where Applied", "source", "Otta", "Otta" },
		{ "Via", "source", "Referral", "Referral" },
		{ "Channel", "source", "Referral", "Referral" },
		{ "Location", "location", "Berlin", "Berlin" },
		{ "City", "location", "Berlin", "Berlin" },
		{ "Job Location", "location", "Remote", "Remote" },
		{ "Salary", "salary", "90k", "90k" },
		{ "Compensation", "salary", "90k", "90k" },
		{ "Pay", "salary", "90k", "90k" },
		{ "Salary Range", "salary", "80-90k", "80-90k" },
		{ "URL", "url", "https://x.example/1", "https://x.example/1" },
		{ "Link", "url", "https://x.example/1", "https://x.example/1" },
		{ "Job Link", "url", "https://x.example/1", "https://x.example/1" },
		{ "Job URL", "url", "https://x.example/1", "https://x.example/1" },
		{ "Posting URL", "url", "https://x.example/1", "https://x.example/1" },
		{ "Job Posting", "url", "https://x.example/1", "https://x.example/1" },
		{ "applied_at", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Date Applied", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Applied", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Application Date", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Applied On", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Applied Date", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Date", "applied_at", "2026-01-05", "2026-01-05" },
		{ "DATE-APPLIED", "applied_at", "2026-01-05", "2026-01-05" },
		{ "Notes", "notes", "hi", "hi" },
		{ "Note", "notes", "hi", "hi" },
		{ "Comments", "notes", "hi", "hi" },
		{ "Job Description", "job_description", "We want C", "We want C" },
		{ "JD", "job_description", "We want C", "We want C" },
		{ "Description", "job_description", "We want C", "We want C" },
		{ "created_at", "created_at", "2025-12-01T10:00:00Z", "2025-12-01T10:00:00Z" },
		{ "Updated At", "updated_at", "2025-12-02T10:00:00Z", "2025-12-02T10:00:00Z" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		bool is_company = strcmp(cases[i].field, "company") == 0;
		bool is_position = strcmp(cases[i].field, "position") == 0;
		g_autofree char *csv = NULL;
		json_t *report, *list, *app;

		if (is_company)
			csv = g_strdup_printf("%s,position\r\n%s,P\r\n", cases[i].header, cases[i].cell);
		else if (is_position)
			csv = g_strdup_printf("company,%s\r\nC,%s\r\n", cases[i].header, cases[i].cell);
		else
			csv = g_strdup_printf("company,position,%s\r\nC,P,%s\r\n", cases[i].header, cases[i].cell);
		report = import_ok(f->s, csv, false);
		if (json_integer_value(json_object_get(report, "imported")) != 1 ||
		    json_array_size(json_object_get(report, "ignored_columns")) != 0)
			fail_msg("%s: not mapped", cases[i].header);
		json_decref(report);
		list = list_all(f->s);
		int64_t id = json_integer_value(json_object_get(json_array_get(list, json_array_size(list) - 1), "id"));
		json_decref(list);
		assert_int_equal(applications_show(f->s, id, &app, NULL), 0); /* with job_description */
		if (g_strcmp0(str(app, cases[i].field), cases[i].want) != 0)
			fail_msg("%s: %s is [%s], want [%s]", cases[i].header, cases[i].field, str(app, cases[i].field),
				 cases[i].want);
		json_decref(app);
	}
	assert_int_equal(sql_count(f->s, "applications"), G_N_ELEMENTS(cases));
}

/* Files shaped like other trackers' exports, with the columns they have that we do not. */
static void test_foreign_files(void **state)
{
	struct fixture *f = *state;
	const char *csv = "\xEF\xBB\xBF" "Company Name,Job Title,Stage,Date Applied,Job Board,Excitement,Comments,ID\r\n"
			  "\"Acme, Inc.\",Backend Engineer,Phone Screen,2026/10/03,LinkedIn,5,\"said \"\"hi\"\"\",17\r\n"
			  "Globex,SRE,Offer Received,2026-10-05T10:00:00Z,Indeed,3,,18\r\n"
			  "Initech,QA,Interviewing,2026-10-06,,,\"multi\nline\",19\r\n"
			  ",,,,,,,\r\n";
	json_t *report = import_ok(f->s, csv, false), *list;

	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 3);
	assert_int_equal(json_array_size(json_object_get(report, "skipped")), 0);
	/* unknown columns are listed, the id is recognised and ignored */
	json_t *ignored = json_object_get(report, "ignored_columns");
	assert_int_equal(json_array_size(ignored), 1);
	assert_string_equal(json_string_value(json_array_get(ignored, 0)), "Excitement");
	json_decref(report);

	list = list_all(f->s);
	assert_int_equal(json_array_size(list), 3);
	json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1), *c = json_array_get(list, 2);
	assert_string_equal(str(a, "company"), "Acme, Inc.");
	assert_string_equal(str(a, "position"), "Backend Engineer");
	assert_string_equal(str(a, "status"), "screen");
	assert_string_equal(str(a, "applied_at"), "2026-10-03");
	assert_string_equal(str(a, "source"), "LinkedIn");
	assert_string_equal(str(a, "notes"), "said \"hi\"");
	assert_string_equal(str(b, "status"), "offer");
	assert_string_equal(str(b, "applied_at"), "2026-10-05");
	assert_true(json_is_null(json_object_get(b, "notes"))); /* empty cell: no value */
	assert_string_equal(str(c, "status"), "screen");
	assert_string_equal(str(c, "notes"), "multi\nline");
	assert_true(json_is_null(json_object_get(c, "source")));
	json_decref(list);

	/* a plain Google Sheet: lower-case, a "Date" column, statuses in any case */
	csv = "company,role,status,date,link,city,pay\n"
	      "Umbrella,Chemist,REJECTED,2026-09-01,https://u.example/jobs?id=1&x=2,Raccoon City,\"100,000\"\n"
	      "Hooli,PM,wishlist,,,,\n";
	report = import_ok(f->s, csv, false);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 2);
	json_decref(report);
	list = list_all(f->s);
	a = json_array_get(list, 3);
	b = json_array_get(list, 4);
	assert_string_equal(str(a, "status"), "rejected");
	assert_string_equal(str(a, "url"), "https://u.example/jobs?id=1&x=2");
	assert_string_equal(str(a, "location"), "Raccoon City");
	assert_string_equal(str(a, "salary"), "100,000");
	assert_string_equal(str(b, "status"), "saved");
	assert_true(json_is_null(json_object_get(b, "applied_at"))); /* saved: not applied yet */
	json_decref(list);
}

static void test_dates(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *cell, *want; /* want NULL: a bad row */
	} cases[] = {
		{ "2024-03-04", "2024-03-04" },
		{ "2024/03/04", "2024-03-04" },
		{ " 2024-03-04 ", "2024-03-04" },
		{ "2024-03-04T23:30:00Z", "2024-03-04" },
		/* 04:30 UTC on the 5th: the local (TZ=UTC) date */
		{ "2024-03-04T23:30:00-05:00", "2024-03-05" },
		{ "3/4/2024", NULL },
		{ "04.03.2024", NULL },
		{ "2024-02-30", NULL },
		{ "yesterday", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *csv = g_strdup_printf("company,position,date applied\nA,B,%s\n", cases[i].cell);
		json_t *bad = json_array(), *report = NULL;
		GError *error = NULL;
		int r = import(f->s, csv, false, bad, &report, &error);

		if (cases[i].want) {
			if (r < 0)
				fail_msg("%s: %s", cases[i].cell, error->message);
			json_decref(report);
			json_t *list = list_all(f->s);
			assert_string_equal(str(json_array_get(list, json_array_size(list) - 1), "applied_at"),
					    cases[i].want);
			json_decref(list);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_null(report);
			assert_string_equal(error->message, "1 bad row, nothing imported (fix it, or import with --skip-bad)");
			g_clear_error(&error);
			assert_int_equal(json_array_size(bad), 1);
			g_autofree char *want = g_strdup_printf("date \"%s\" is not a date (use YYYY-MM-DD)", cases[i].cell);
			assert_string_equal(str(json_array_get(bad, 0), "reason"), want);
			assert_int_equal(json_integer_value(json_object_get(json_array_get(bad, 0), "line")), 2);
		}
		json_decref(bad);
	}
}

static const char bad_file[] = "company,position,status,applied_at,notes\n"      /* 1 */
			       "Good,Engineer,applied,2026-11-01,\n"              /* 2 */
			       ",Missing Company,applied,2026-11-01,\n"           /* 3 */
			       "Two Lines,Engineer,applied,2026-11-01,\"a\nb\"\n" /* 4-5 */
			       "Bad Date,Engineer,applied,3/4/2024,\n"            /* 6 */
			       "Bad Status,Engineer,sleeping,2026-11-01,\n"       /* 7 */
			       "\n"                                               /* 8 */
			       "Ragged,Engineer,applied,2026-11-01\n"             /* 9 */
			       "Also Good,Engineer,phone screen,2026-11-02,\n";   /* 10 */

static const struct {
	int line;
	const char *reason; /* exact, or a prefix when it ends in '*' */
} bad_file_rows[] = {
	{ 3, "application needs a company" },
	{ 6, "date \"3/4/2024\" is not a date (use YYYY-MM-DD)" },
	{ 7, "unknown status \"sleeping\"*" },
	{ 9, "4 fields, header has 5" },
};

static void check_bad_rows(json_t *bad)
{
	assert_int_equal(json_array_size(bad), G_N_ELEMENTS(bad_file_rows));
	for (size_t i = 0; i < G_N_ELEMENTS(bad_file_rows); i++) {
		json_t *row = json_array_get(bad, i);
		const char *reason = str(row, "reason"), *want = bad_file_rows[i].reason;
		size_t n = strlen(want);
		bool ok = want[n - 1] == '*' ? strncmp(reason, want, n - 1) == 0 : strcmp(reason, want) == 0;

		assert_int_equal(json_integer_value(json_object_get(row, "line")), bad_file_rows[i].line);
		if (!ok)
			fail_msg("line %d: [%s], want [%s]", bad_file_rows[i].line, reason, want);
	}
}

static void test_bad_rows_refuse_whole_file(void **state)
{
	struct fixture *f = *state;
	json_t *bad = json_array(), *report = NULL;
	GError *error = NULL;

	assert_int_equal(import(f->s, bad_file, false, bad, &report, &error), -EINVAL);
	assert_null(report);
	assert_string_equal(error->message, "4 bad rows, nothing imported (fix them, or import with --skip-bad)");
	g_clear_error(&error);
	check_bad_rows(bad);
	json_decref(bad);
	/* nothing at all was written: no applications, events or reminders */
	assert_int_equal(sql_count(f->s, "applications"), 0);
	assert_int_equal(sql_count(f->s, "events"), 0);
	assert_int_equal(sql_count(f->s, "reminders"), 0);
	/* bad_rows may be NULL; and the store still works afterwards */
	assert_int_equal(import(f->s, bad_file, false, NULL, &report, NULL), -EINVAL);
	json_decref(import_ok(f->s, "company,position\nA,B\n", false));
	assert_int_equal(sql_count(f->s, "applications"), 1);
}

static void test_skip_bad(void **state)
{
	struct fixture *f = *state;
	json_t *report = import_ok(f->s, bad_file, true), *list;

	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 3);
	check_bad_rows(json_object_get(report, "skipped"));
	json_decref(report);
	list = list_all(f->s);
	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(str(json_array_get(list, 0), "company"), "Good");
	assert_string_equal(str(json_array_get(list, 1), "notes"), "a\nb");
	assert_string_equal(str(json_array_get(list, 2), "company"), "Also Good");
	assert_string_equal(str(json_array_get(list, 2), "status"), "screen");
	json_decref(list);
	/* each imported application has its created event */
	assert_int_equal(sql_count(f->s, "events"), 3);
}

static void test_whole_file_refusals(void **state)
{
	struct fixture *f = *state;
	g_autoptr(GString) wide = g_string_new("company,position\nA,B\n");
	static const struct {
		const char *csv;
		const char *message;
	} cases[] = {
		{ "title,status\nDev,applied\n",
		  "header has no company column (expected one of: company, company name, employer, organization, "
		  "organisation)" },
		{ "Employer,Notes\nAcme,x\n",
		  "header has no position column (expected one of: position, title, job title, role, job, job "
		  "position)" },
		{ "Company,Employer,position\nA,B,C\n",
		  "header has two company columns, \"Company\" and \"Employer\": keep one of them" },
		{ "company,position,Date,Date Applied\nA,B,2026-01-01,2026-01-01\n",
		  "header has two applied_at columns, \"Date\" and \"Date Applied\": keep one of them" },
		{ "company,position\nA,\"B\nC,D\n", "line 2: unterminated quoted field (started here)" },
		{ "company,position\nA,B\nC,5\" screen\n", "line 3: quote inside unquoted field" },
		{ "company,position\nA,\xff\xfe\n", "the file is not UTF-8 text: save it as UTF-8 CSV" },
	};
	json_t *report = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *error = NULL;
		assert_int_equal(import(f->s, cases[i].csv, true, NULL, &report, &error), -EINVAL);
		assert_null(report);
		if (strcmp(error->message, cases[i].message) != 0)
			fail_msg("case %zu: [%s]", i, error->message);
		g_clear_error(&error);
	}
	/* a row over the field limit */
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		g_string_append(wide, ",x");
	g_string_append(wide, "\n");
	GError *error = NULL;
	assert_int_equal(import(f->s, wide->str, true, NULL, &report, &error), -EINVAL);
	assert_string_equal(error->message, "line 3: more than 256 fields");
	g_clear_error(&error);
	assert_int_equal(sql_count(f->s, "applications"), 0);
}

static void test_empty_files(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "", "\xEF\xBB\xBF", "\r\n\r\n", "company,position\r\n",
					     "Company,Title,Excitement\n\n", "company,position\n,\n" };

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		json_t *report = import_ok(f->s, files[i], false);
		assert_int_equal(json_integer_value(json_object_get(report, "imported")), 0);
		assert_int_equal(json_array_size(json_object_get(report, "skipped")), 0);
		json_decref(report);
	}
	assert_int_equal(sql_count(f->s, "applications"), 0);
}

static void test_too_many_rows(void **state)
{
	struct fixture *f = *state;
	g_autoptr(GString) csv = g_string_new("company,position\n");
	json_t *report = NULL;
	GError *error = NULL;

	for (int i = 0; i <= TRANSFER_MAX_ROWS; i++)
		g_string_append(csv, "A,B\n");
	assert_int_equal(transfer_import_csv(PIPE_WITH(f->s, &delays), csv->str, csv->len, true, NULL, &report, &error), -E2BIG);
	assert_null(report);
	assert_non_null(strstr(error->message, "split the file"));
	g_clear_error(&error);
	assert_int_equal(sql_count(f->s, "applications"), 0);
}

/* Ten thousand rows in one transaction (the time is printed, not asserted: machines and
 * sanitizer builds differ). */
static void test_many_rows(void **state)
{
	struct fixture *f = *state;
	g_autoptr(GString) csv = g_string_new("Company,Job Title,Stage,Date Applied,Source,Notes\r\n");
	json_t *report;

	for (int i = 0; i < MANY_ROWS; i++)
		g_string_append_printf(csv, "Company %d,Engineer %d,%s,2026-%02d-%02d,src%d,\"note, %d\"\r\n", i, i % 50,
				       i % 3 ? "applied" : "rejected", i % 12 + 1, i % 28 + 1, i % 7, i);
	gint64 start = g_get_monotonic_time();
	report = import_ok(f->s, csv->str, false);
	gint64 took = g_get_monotonic_time() - start;
	print_message("imported %d rows in %.1f ms\n", MANY_ROWS, (double)took / 1000.0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), MANY_ROWS);
	json_decref(report);
	assert_int_equal(sql_count(f->s, "applications"), MANY_ROWS);
}

/* The export with its id column cut off, after checking the ids are 1..n in order. */
static char *export_without_ids(store *s, size_t want_count)
{
	g_autofree char *csv = NULL;
	struct csv_table *t = NULL;
	GString *out = g_string_new(NULL);
	size_t n = 0;

	assert_int_equal(transfer_export_csv(s, &csv, &n, NULL), 0);
	assert_int_equal(n, want_count);
	assert_true(g_str_has_prefix(csv, "id,company,position,status,source,location,salary,url,applied_at,"
					  "created_at,updated_at,notes,job_description\r\n"));
	assert_true(g_str_has_suffix(csv, "\r\n"));
	assert_int_equal(csv_parse(csv, strlen(csv), &t, NULL), 0);
	assert_int_equal(t->rows->len, want_count + 1);
	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *row = t->rows->pdata[i];
		int64_t prev_id = i > 1 ? g_ascii_strtoll(((struct csv_row *)t->rows->pdata[i - 1])->fields[0], NULL, 10) : 0;
		if (i > 0)
			assert_true(g_ascii_strtoll(row->fields[0], NULL, 10) > prev_id); /* oldest first */
		csv_append_row(out, (const char *const *)row->fields + 1, row->n_fields - 1);
	}
	csv_table_free(t);
	return g_string_free(out, FALSE);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	static const char *const apps[] = {
		"{\"company\":\"Acme, Inc.\",\"position\":\"Dev \\\"lead\\\"\",\"notes\":\"line one\\r\\nline two\","
		"\"job_description\":\"We want C,\\nSQL and \\\"GLib\\\"\\n\\n- and more\",\"source\":\"linkedin\","
		"\"salary\":\"€90k\"}",
		"{\"company\":\"Zürich AG\",\"position\":\"SRE 😀\",\"status\":\"saved\"}",
		"{\"company\":\"Globex\",\"position\":\"PM\",\"status\":\"rejected\",\"applied_at\":\"2025-02-03\","
		"\"url\":\"https://x.example/a?b=c,d\",\"location\":\"Remote, EU\","
		"\"created_at\":\"2025-01-01T08:00:00Z\",\"updated_at\":\"2025-02-01T09:30:00Z\"}",
		"{\"company\":\"\\\"Quoted\\\"\",\"position\":\",\",\"status\":\"offer\",\"applied_at\":\"2024-12-31\","
		"\"notes\":\"\\\"\\\"\"}",
		"{\"company\":\"日本株式会社\",\"position\":\"エンジニア\",\"location\":\"東京\",\"notes\":\"a\\rb\"}",
		"{\"company\":\"Tabs\",\"position\":\"a\\tb\",\"status\":\"withdrawn\",\"applied_at\":\"2026-01-01\"}",
	};
	g_autofree char *csv = NULL;
	store *s2 = open_store(f->dir, "second.db");
	json_t *report;
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(apps); i++) {
		json_t *fields = json_loads(apps[i], 0, NULL);
		int64_t id;
		assert_non_null(fields);
		assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, PIPELINE_KEEP_TIMES, &id, NULL), 0);
		json_decref(fields);
	}
	json_t *edit = json_pack("{s:s}", "notes", "edited");
	assert_int_equal(applications_edit(PIPE(f->s), 2, edit, NULL), 0);
	json_decref(edit);
	/* ids with a gap */
	assert_int_equal(applications_remove(PIPE(f->s), 1, NULL), 0);

	assert_int_equal(transfer_export_csv(f->s, &csv, &n, NULL), 0);
	assert_int_equal(n, G_N_ELEMENTS(apps) - 1);
	report = import_ok(s2, csv, false);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), n);
	assert_int_equal(json_array_size(json_object_get(report, "ignored_columns")), 0);
	json_decref(report);
	g_autofree char *first = export_without_ids(f->s, n);
	g_autofree char *second = export_without_ids(s2, n);
	assert_string_equal(first, second);
	assert_null(strstr(first, "line one")); /* the removed application */
	assert_non_null(strstr(first, ",2025-01-01T08:00:00Z,2025-02-01T09:30:00Z,"));
	store_close(s2);
}

static void test_round_trip_values(void **state)
{
	struct fixture *f = *state;
	static const char *const csv = "company,position,notes,job_description\r\n"
				       "\"Acme, Inc.\",\"Dev \"\"lead\"\"\",\"line one\r\nline two\",\"x,\ny\"\r\n";
	g_autofree char *out = NULL;
	size_t n = 0;

	json_decref(import_ok(f->s, csv, false));
	assert_int_equal(transfer_export_csv(f->s, &out, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_non_null(strstr(out, "\r\n1,\"Acme, Inc.\",\"Dev \"\"lead\"\"\",applied,"));
	assert_non_null(strstr(out, ",\"line one\r\nline two\",\"x,\ny\"\r\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows_refuse_whole_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_file_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_values, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
