/* test_csv.c - RFC 4180 reading and writing, and CSV import/export of applications:
 * foreign headers, bad rows refused whole, --skip-bad, the export round trip. */
#include "apptrack/csv.h"
#include "apptrack/transfer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;

/* Rows as "line:field|field;line:field..." for compact expectations. */
static char *describe(const struct csv_table *t)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *row = t->rows->pdata[i];
		g_string_append_printf(s, "%s%zu:", i ? ";" : "", row->line);
		for (size_t j = 0; j < row->n_fields; j++)
			g_string_append_printf(s, "%s%s", j ? "|" : "", row->fields[j]);
	}
	return g_string_free(s, FALSE);
}

static void test_parse(void **state)
{
	static const struct {
		const char *text;
		const char *rows;
	} cases[] = {
		{ "a,b\n1,2\n", "1:a|b;2:1|2" },
		{ "a,b\r\n1,2\r\n", "1:a|b;2:1|2" },
		{ "a,b\n1,2", "1:a|b;2:1|2" },
		{ "\xEF\xBB\xBF" "a,b\n", "1:a|b" },
		{ "a,\"b,c\"\n", "1:a|b,c" },
		{ "\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x" },
		{ "\"two\nlines\",x\ny,z\n", "1:two\nlines|x;3:y|z" },
		{ "\"two\r\nlines\",x\r\ny,z\r\n", "1:two\r\nlines|x;3:y|z" },
		{ "a,,c\n,,\n", "1:a||c;2:||" },
		{ "a\n\n\nb\n", "1:a;4:b" },
		{ "\"\",x\n", "1:|x" },
		{ "", "" },
		{ "x\r", "1:x" },
		{ "caf\xC3\xA9,\xE2\x82\xAC\n", "1:caf\xC3\xA9|\xE2\x82\xAC" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct csv_table *t = NULL;
		GError *error = NULL;
		if (csv_parse(cases[i].text, strlen(cases[i].text), &t, &error) < 0)
			fail_msg("case %zu: %s", i, error->message);
		g_autofree char *got = describe(t);
		if (strcmp(got, cases[i].rows) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, got, cases[i].rows);
		csv_table_free(t);
	}
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *message;
	} cases[] = {
		{ "a,b\n1,\"open\nstill open\n", 0, "line 2: unterminated quoted field" },
		{ "a,b\n1,x\"y\n", 0, "line 2: quote inside an unquoted field" },
		{ "a\n\"q\"x\n", 0, "line 2: text after a closing quote" },
		{ "a\nb\0c\n", 6, "line 2: NUL byte" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct csv_table *t = NULL;
		GError *error = NULL;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		assert_int_equal(csv_parse(cases[i].text, len, &t, &error), -EINVAL);
		assert_null(t);
		if (!g_str_has_prefix(error->message, cases[i].message))
			fail_msg("case %zu: [%s]", i, error->message);
		g_clear_error(&error);
	}
	/* too many fields */
	GString *wide = g_string_new(NULL);
	for (int i = 0; i <= CSV_MAX_FIELDS; i++)
		g_string_append(wide, i ? ",x" : "x");
	struct csv_table *t = NULL;
	GError *error = NULL;
	assert_int_equal(csv_parse(wide->str, wide->len, &t, &error), -EINVAL);
	assert_non_null(strstr(error->message, "line 1: more than"));
	g_clear_error(&error);
	g_string_free(wide, TRUE);
}

static void test_write_round_trip(void **state)
{
	static const char *const values[] = { "plain", "with,comma", "with \"quote\"", "two\nlines", "cr\r\nlf",
					      " lead", "trail ", "", "é€😀", "\"", ",", "a\"\"b" };
	GString *out = g_string_new(NULL);
	struct csv_table *t = NULL;
	(void)state;

	csv_append_row(out, values, G_N_ELEMENTS(values));
	csv_append_row(out, values, 2);
	assert_true(g_str_has_suffix(out->str, "plain,\"with,comma\"\r\n"));
	assert_int_equal(csv_parse(out->str, out->len, &t, NULL), 0);
	assert_int_equal(t->rows->len, 2);
	const struct csv_row *row = t->rows->pdata[0];
	assert_int_equal(row->n_fields, G_N_ELEMENTS(values));
	for (size_t i = 0; i < G_N_ELEMENTS(values); i++)
		assert_string_equal(row->fields[i], values[i]);
	csv_table_free(t);
	g_string_free(out, TRUE);
}

/* ---- import / export against a real store ---- */

struct fixture {
	char *dir;
	store *s;
};

static int setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	f->dir = g_dir_make_tmp("apptrack-csv-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(f->dir, "t.db", NULL);
	assert_int_equal(store_open(path, &f->s, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	store_close(f->s);
	assert_int_equal(system(cmd), 0);
	g_free(f->dir);
	g_free(f);
	return 0;
}

static int64_t count(store *s)
{
	int64_t n = -1;
	assert_int_equal(pipeline_app_count(s, &n, NULL), 0);
	return n;
}

static int import(store *s, const char *csv, bool skip_bad, json_t *bad, json_t **report, GError **error)
{
	return transfer_import_csv(s, &delays, csv, strlen(csv), skip_bad, bad, report, error);
}

static void test_import_foreign_headers(void **state)
{
	struct fixture *f = *state;
	const char *csv = "Company Name,Job Title,Stage,Date Applied,Job Board,Where,Comments\r\n"
			  "\"Acme, Inc.\",Backend Engineer,Phone Screen,2026/10/03,LinkedIn,x,\"said \"\"hi\"\"\"\r\n"
			  "Globex,SRE,Offer Received,2026-10-05T10:00:00Z,Indeed,y,\r\n";
	json_t *report = NULL, *list = NULL;

	assert_int_equal(import(f->s, csv, false, NULL, &report, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(report, "ignored_columns"), 0)), "Where");
	json_decref(report);
	json_t *params = json_pack("{s:s}", "sort", "id");
	assert_int_equal(pipeline_app_list(f->s, params, &list, NULL), 0);
	json_decref(params);
	json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(a, "company")), "Acme, Inc.");
	assert_string_equal(json_string_value(json_object_get(a, "status")), "screen");
	assert_string_equal(json_string_value(json_object_get(a, "applied_at")), "2026-10-03");
	assert_string_equal(json_string_value(json_object_get(a, "source")), "LinkedIn");
	assert_string_equal(json_string_value(json_object_get(a, "notes")), "said \"hi\"");
	assert_string_equal(json_string_value(json_object_get(b, "status")), "offer");
	assert_string_equal(json_string_value(json_object_get(b, "applied_at")), "2026-10-05");
	assert_true(json_is_null(json_object_get(b, "notes")));
	json_decref(list);
}

static void test_import_bad_rows(void **state)
{
	struct fixture *f = *state;
	const char *csv = "company,position,status,applied_at\n"
			  "Good,Engineer,applied,2026-11-01\n"
			  ",Missing Company,applied,2026-11-01\n"
			  "Bad Date,Engineer,applied,31/12/2026\n"
			  "Bad Status,Engineer,sleeping,2026-11-01\n"
			  "Ragged,Engineer\n"
			  "Also Good,Engineer,applied,2026-11-02\n";
	json_t *bad = json_array(), *report = NULL;
	GError *error = NULL;

	assert_int_equal(import(f->s, csv, false, bad, &report, &error), -EINVAL);
	assert_null(report);
	assert_non_null(strstr(error->message, "4 bad rows, nothing imported"));
	g_clear_error(&error);
	assert_int_equal(count(f->s), 0);
	static const struct {
		int line;
		const char *needle;
	} expect[] = { { 3, "company" }, { 4, "31/12/2026" }, { 5, "sleeping" }, { 6, "2 fields, the header has 4" } };
	assert_int_equal(json_array_size(bad), G_N_ELEMENTS(expect));
	for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
		json_t *row = json_array_get(bad, i);
		assert_int_equal(json_integer_value(json_object_get(row, "line")), expect[i].line);
		if (!strstr(json_string_value(json_object_get(row, "reason")), expect[i].needle))
			fail_msg("row %d: %s", expect[i].line, json_string_value(json_object_get(row, "reason")));
	}
	json_decref(bad);

	assert_int_equal(import(f->s, csv, true, NULL, &report, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 2);
	assert_int_equal(json_array_size(json_object_get(report, "skipped")), 4);
	json_decref(report);
	assert_int_equal(count(f->s), 2);
}

static void test_import_whole_file_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *csv;
		const char *needle;
	} cases[] = {
		{ "title,status\nDev,applied\n", "no company column" },
		{ "company,employer,position\nA,B,C\n", "both give the company" },
		{ "company,position\n\"A,B\n", "unterminated" },
		{ "company,position\nA,\xff\xfe\n", "UTF-8" },
	};
	json_t *report = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *error = NULL;
		assert_int_equal(import(f->s, cases[i].csv, true, NULL, &report, &error), -EINVAL);
		if (!strstr(error->message, cases[i].needle))
			fail_msg("case %zu: %s", i, error->message);
		g_clear_error(&error);
	}
	assert_int_equal(count(f->s), 0);
	assert_int_equal(import(f->s, "", false, NULL, &report, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 0);
	json_decref(report);
	assert_int_equal(import(f->s, "company,position\n", false, NULL, &report, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 0);
	json_decref(report);
}

/* The export with its id column cut off. */
static char *export_without_ids(store *s)
{
	g_autofree char *csv = NULL;
	struct csv_table *t = NULL;
	size_t n;
	GString *out = g_string_new(NULL);

	assert_int_equal(transfer_export_csv(s, &csv, &n, NULL), 0);
	assert_int_equal(csv_parse(csv, strlen(csv), &t, NULL), 0);
	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *row = t->rows->pdata[i];
		csv_append_row(out, (const char *const *)row->fields + 1, row->n_fields - 1);
	}
	csv_table_free(t);
	return g_string_free(out, FALSE);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	g_autofree char *dir2 = g_build_filename(f->dir, "second.db", NULL);
	g_autofree char *csv = NULL;
	json_t *report = NULL;
	store *s2 = NULL;
	size_t n = 0;
	static const char *const apps[] = {
		"{\"company\":\"Acme, Inc.\",\"position\":\"Dev \\\"lead\\\"\",\"notes\":\"line one\\r\\nline two\","
		"\"job_description\":\"We want C,\\nSQL and \\\"GLib\\\"\",\"source\":\"linkedin\",\"salary\":\"€90k\"}",
		"{\"company\":\"Zürich AG\",\"position\":\"SRE\",\"status\":\"saved\"}",
		"{\"company\":\"Globex\",\"position\":\"PM\",\"status\":\"rejected\",\"applied_at\":\"2025-02-03\","
		"\"url\":\"https://x.example/a?b=c,d\",\"location\":\"Remote\"}",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(apps); i++) {
		json_t *fields = json_loads(apps[i], 0, NULL);
		int64_t id;
		assert_non_null(fields);
		assert_int_equal(pipeline_app_add(f->s, &delays, fields, 0, &id, NULL), 0);
		json_decref(fields);
	}
	assert_int_equal(transfer_export_csv(f->s, &csv, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_open(dir2, &s2, NULL), 0);
	assert_int_equal(transfer_import_csv(s2, &delays, csv, strlen(csv), false, NULL, &report, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 3);
	json_decref(report);
	g_autofree char *first = export_without_ids(f->s);
	g_autofree char *second = export_without_ids(s2);
	assert_string_equal(first, second);
	store_close(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test_setup_teardown(test_import_foreign_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_bad_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_whole_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
