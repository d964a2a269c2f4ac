/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_csv.c - libFuzzer harness: the CSV reader, and the import of applications into a
 * real SQLite store (opened once, in the harness's temporary directory).
 *
 * csv_parse(): rows start on increasing lines, none is wider than CSV_MAX_FIELDS, and the
 * writer's output for the rows reads back as the same rows.
 * transfer_import_csv(): first as `apptrackctl import` (bad rows refuse the file), then,
 * when rows were bad, with skip_bad. A refused file leaves the store empty; an accepted
 * one exports as many applications as it imported, and the export reads back. The store
 * is emptied after each input, so iterations stay fast and the database small. */
#include "apptrack/csv.h"
#include "apptrack/transfer.h"

#include "fuzz.h"

#include <string.h>

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
static store *db;
static struct pipeline pipeline; /* db's change context */

static void close_db(void)
{
	g_clear_pointer(&db, store_close);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autofree char *path = NULL;
	GError *error = NULL;

	(void)argc, (void)argv;
	fuzz_setup();
	path = fuzz_path("fuzz.db");
	if (store_open(path, &db, &error) < 0) {
		fprintf(stderr, "fuzz_csv: %s\n", error->message);
		abort();
	}
	pipeline = (struct pipeline){ .store = db, .delays = &delays };
	atexit(close_db); /* runs before the directory is removed */
	/* durability is not what is tested: no fsync at every commit */
	FUZZ_CHECK(sqlite3_exec(store_db(db), "PRAGMA synchronous = OFF", NULL, NULL, NULL) == SQLITE_OK);
	return 0;
}

static int64_t count_applications(void)
{
	sqlite3_stmt *st = NULL;
	int64_t n;

	FUZZ_CHECK(store_prepare(db, "SELECT count(*) FROM applications", &st, NULL) == 0);
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static void check_csv(const char *text, size_t len)
{
	struct csv_table *t = NULL, *back = NULL;
	GError *error = NULL;
	size_t prev_line = 0;

	if (csv_parse(text, len, &t, &error) < 0) {
		FUZZ_CHECK(error != NULL && t == NULL);
		FUZZ_CHECK(g_str_has_prefix(error->message, "line "));
		g_error_free(error);
		return;
	}
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *row = t->rows->pdata[i];
		FUZZ_CHECK(row->line > prev_line);
		FUZZ_CHECK(row->n_fields >= 1 && row->n_fields <= CSV_MAX_FIELDS);
		prev_line = row->line;
		csv_append_row(out, (const char *const *)row->fields, row->n_fields);
	}
	if (csv_parse(out->str, out->len, &back, &error) < 0) {
		fprintf(stderr, "written rows do not read back: %s\n", error->message);
		abort();
	}
	FUZZ_CHECK(back->rows->len == t->rows->len);
	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *a = t->rows->pdata[i], *b = back->rows->pdata[i];
		FUZZ_CHECK(a->n_fields == b->n_fields);
		for (size_t j = 0; j < a->n_fields; j++)
			FUZZ_CHECK(strcmp(a->fields[j], b->fields[j]) == 0);
	}
	csv_table_free(back);
	csv_table_free(t);
}

static void check_export(size_t imported)
{
	char *csv = NULL;
	size_t n = 0;
	struct csv_table *t = NULL;
	GError *error = NULL;

	if (transfer_export_csv(db, &csv, &n, &error) < 0) {
		fprintf(stderr, "export: %s\n", error->message);
		abort();
	}
	FUZZ_CHECK(n == imported);
	if (csv_parse(csv, strlen(csv), &t, &error) < 0) {
		fprintf(stderr, "export does not read back: %s\n", error->message);
		abort();
	}
	FUZZ_CHECK(t->rows->len == imported + 1);
	csv_table_free(t);
	g_free(csv);
}

static void import(const char *text, size_t len)
{
	json_t *bad = json_array(), *report = NULL;
	GError *error = NULL;
	int r = transfer_import_csv(&pipeline, text, len, false, bad, &report, &error);

	if (r == -EINVAL && json_array_size(bad) > 0) { /* as with --skip-bad */
		FUZZ_CHECK(report == NULL && count_applications() == 0);
		g_clear_error(&error);
		r = transfer_import_csv(&pipeline, text, len, true, NULL, &report, &error);
	}
	json_decref(bad);
	if (r < 0) {
		FUZZ_CHECK((r == -EINVAL || r == -E2BIG) && error != NULL && report == NULL);
		FUZZ_CHECK(count_applications() == 0); /* nothing half-written */
		g_error_free(error);
		return;
	}
	FUZZ_CHECK(error == NULL && json_is_object(report));
	json_int_t imported = json_integer_value(json_object_get(report, "imported"));
	FUZZ_CHECK(imported >= 0 && count_applications() == imported);
	json_decref(report);
	if (imported == 0)
		return;
	check_export((size_t)imported);
	/* back to an empty store: events and reminders go with their applications */
	FUZZ_CHECK(sqlite3_exec(store_db(db), "DELETE FROM applications", NULL, NULL, NULL) == SQLITE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_csv((const char *)data, size);
	import((const char *)data, size);
	return 0;
}
