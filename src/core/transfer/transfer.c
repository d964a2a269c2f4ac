/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transfer.c - CSV import and export of applications (docs/csv.md).
 *
 * Import maps the header to application fields by the column names other trackers and
 * spreadsheets use (Huntr, Teal, Simplify, a plain Google Sheet), turns each row into a
 * fields object and adds it through the pipeline, so that imported applications are
 * validated, get their `created` event and their reminders exactly like typed ones. The
 * whole file is one transaction: a refused file or a crash leaves nothing behind. It works
 * on the store of the pipeline it is given and nothing else, so that apptrackd runs it on a
 * thread of its own with a connection of its own (src/daemon/importing.c), which may
 * cancel it between two rows.
 *
 * Export writes the columns of TRANSFER_COLUMNS, which import maps back to the same
 * fields: export, import, export again gives the same text but for the ids.
 */
#include "apptrack/transfer.h"

#include "apptrack/applications.h"

#include "apptrack/csv.h"
#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* Columns of an export, in order. "id" is written for people; import ignores it. */
static const char *const TRANSFER_COLUMNS[] = {
	"id",         "company",    "position",   "status", "source", "location",        "salary",
	"url",        "applied_at", "created_at", "updated_at", "notes", "job_description",
};

#define MAX_HEADER_NAMES 10
#define FIELD_ID "id"
#define FIELD_APPLIED_AT "applied_at"

/* Header names per field, as people write them. They are compared folded (see
 * fold_header), so "Date Applied", "date_applied" and "DATE-APPLIED" are one name. */
static const struct header_field {
	const char *field;
	bool required;
	const char *names[MAX_HEADER_NAMES]; /* NULL-terminated when shorter */
} header_fields[] = {
	{ FIELD_ID, false, { "id" } },
	{ "company", true, { "company", "company name", "employer", "organization", "organisation" } },
	{ "position", true, { "position", "title", "job title", "role", "job", "job position" } },
	{ "status", false, { "status", "stage", "application status" } },
	{ "source", false, { "source", "platform", "job board", "site", "where applied", "via", "channel" } },
	{ "location", false, { "location", "city", "job location" } },
	{ "salary", false, { "salary", "compensation", "pay", "salary range" } },
	{ "url", false, { "url", "link", "job link", "job url", "posting url", "job posting" } },
	{ FIELD_APPLIED_AT,
	  false,
	  { "applied_at", "date applied", "applied", "application date", "applied on", "applied date", "date" } },
	{ "notes", false, { "notes", "note", "comments" } },
	{ "job_description", false, { "job description", "jd", "description" } },
	{ "created_at", false, { "created_at" } },
	{ "updated_at", false, { "updated_at" } },
};

/* Folds a header name for comparison: ASCII letters lower-cased, ASCII digits kept, all
 * other ASCII (spaces, '_', '-', punctuation) dropped; non-ASCII bytes kept as they are,
 * so a name in another script still compares by its letters. g_free. */
static char *fold_header(const char *name)
{
	GString *s = g_string_sized_new(strlen(name));

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80 || g_ascii_isalnum(*p))
			g_string_append_c(s, (char)g_ascii_tolower(*p));
	return g_string_free(s, FALSE);
}

static const struct header_field *map_header(const char *name)
{
	g_autofree char *folded = fold_header(name);

	for (size_t i = 0; i < G_N_ELEMENTS(header_fields); i++) {
		for (size_t j = 0; j < MAX_HEADER_NAMES && header_fields[i].names[j]; j++) {
			g_autofree char *candidate = fold_header(header_fields[i].names[j]);
			if (strcmp(folded, candidate) == 0)
				return &header_fields[i];
		}
	}
	return NULL;
}

/* Normalizes an applied date to YYYY-MM-DD: accepts YYYY-MM-DD, YYYY/MM/DD or an ISO 8601
 * timestamp (its local date). Day-first and month-first forms are ambiguous: refused. */
static int import_date(const char *text, char ret[TIME_DATE_LEN])
{
	g_autofree char *trimmed = g_strstrip(g_strdup(text));
	int64_t t;

	if (time_parse_date(trimmed, ret, NULL) == 0)
		return 0;
	if (time_parse_iso(trimmed, &t) == 0) {
		time_format_date(t, ret);
		return 0;
	}
	return -EINVAL;
}

static void add_bad_row(json_t *bad, size_t line, const char *reason)
{
	json_array_append_new(bad, json_pack("{s:I,s:s}", "line", (json_int_t)line, "reason", reason));
}

static bool row_is_blank(const struct csv_row *row)
{
	for (size_t i = 0; i < row->n_fields; i++)
		if (row->fields[i][0])
			return false;
	return true;
}

/* Maps each header cell to its field (NULL: ignored, and its name appended to ignored).
 * Refuses a header that lacks a required field or maps two cells to one field. */
static int map_columns(const struct csv_row *header, const struct header_field **map, json_t *ignored,
		       GError **error)
{
	for (size_t i = 0; i < header->n_fields; i++) {
		map[i] = map_header(header->fields[i]);
		if (!map[i]) {
			json_array_append_new(ignored, json_string(header->fields[i]));
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (map[j] == map[i])
				return at_error_set(error, -EINVAL,
						    "header has two %s columns, \"%s\" and \"%s\": keep one of them",
						    map[i]->field, header->fields[j], header->fields[i]);
	}
	for (size_t k = 0; k < G_N_ELEMENTS(header_fields); k++) {
		const struct header_field *want = &header_fields[k];
		bool found = false;

		if (!want->required)
			continue;
		for (size_t i = 0; i < header->n_fields && !found; i++)
			found = map[i] == want;
		if (!found) {
			g_autoptr(GString) names = g_string_new(NULL);
			for (size_t j = 0; j < MAX_HEADER_NAMES && want->names[j]; j++)
				g_string_append_printf(names, "%s%s", j ? ", " : "", want->names[j]);
			return at_error_set(error, -EINVAL, "header has no %s column (expected one of: %s)",
					    want->field, names->str);
		}
	}
	return 0;
}

/* Builds the fields object of one row; NULL with *ret_reason (g_free) for a bad value. */
static json_t *row_fields(const struct csv_row *row, const struct header_field *const *map, char **ret_reason)
{
	json_t *fields = json_object();

	for (size_t i = 0; i < row->n_fields; i++) {
		const char *v = row->fields[i];
		char date[TIME_DATE_LEN];

		if (!map[i] || strcmp(map[i]->field, FIELD_ID) == 0 || v[0] == '\0')
			continue; /* ignored column, the id, or an empty cell: leave the field out */
		if (strcmp(map[i]->field, FIELD_APPLIED_AT) == 0) {
			if (import_date(v, date) < 0) {
				*ret_reason = g_strdup_printf("date \"%s\" is not a date (use YYYY-MM-DD)", v);
				json_decref(fields);
				return NULL;
			}
			v = date;
		}
		/* the whole text was checked to be UTF-8 */
		json_object_set_new_nocheck(fields, map[i]->field, json_string_nocheck(v));
	}
	return fields;
}

/* An import under way: its rows, read in one transaction. */
struct import {
	const struct pipeline *p;
	const csv_table *table;
	const struct header_field **map;
	bool skip_bad;
	const gint *cancel; /* set (atomically) by another thread: stop, write nothing; may be NULL */
	json_t *bad_rows; /* the caller's, may be NULL */
	json_t *bad;      /* {"line","reason"} of each row refused */
	size_t imported;
};

static int import_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct import *im = arg;
	const struct csv_row *header = im->table->rows->pdata[0];
	int r;

	(void)s, (void)ret;
	for (guint ri = 1; ri < im->table->rows->len; ri++) {
		const struct csv_row *row = im->table->rows->pdata[ri];
		g_autoptr(GError) row_error = NULL;
		g_autofree char *reason = NULL;
		json_t *fields;
		int64_t id;

		if (im->cancel && g_atomic_int_get(im->cancel))
			return at_error_set(error, -ECANCELED, "the import was cancelled: nothing imported");
		if (row->n_fields != header->n_fields) {
			reason = g_strdup_printf("%zu fields, header has %zu", row->n_fields, header->n_fields);
			add_bad_row(im->bad, row->line, reason);
			continue;
		}
		if (row_is_blank(row)) /* ",,,," rows spreadsheets leave below the data */
			continue;
		if (!(fields = row_fields(row, im->map, &reason))) {
			add_bad_row(im->bad, row->line, reason);
			continue;
		}
		r = applications_add(im->p, fields, PIPELINE_KEEP_TIMES, &id, &row_error);
		json_decref(fields);
		if (r == -EINVAL || r == -E2BIG) { /* its values, refused before anything was written */
			add_bad_row(im->bad, row->line, row_error->message);
			continue;
		}
		if (r < 0) { /* the database failed: nothing more can be trusted */
			if (row_error)
				g_propagate_error(error, g_steal_pointer(&row_error));
			else
				at_error_set(error, r, "line %zu: the import failed", row->line);
			return r;
		}
		im->imported++;
	}
	if (json_array_size(im->bad) > 0 && !im->skip_bad) {
		size_t n = json_array_size(im->bad);
		if (im->bad_rows)
			json_array_extend(im->bad_rows, im->bad);
		return at_error_set(error, -EINVAL, "%zu bad %s, nothing imported (fix %s, or import with --skip-bad)", n,
				    n == 1 ? "row" : "rows", n == 1 ? "it" : "them");
	}
	return 0;
}

int transfer_import_csv(const struct pipeline *p, const char *text, size_t len, bool skip_bad, json_t *bad_rows,
			json_t **ret_report, GError **error)
{
	return transfer_import_csv_until(p, text, len, skip_bad, NULL, bad_rows, ret_report, error);
}

int transfer_import_csv_until(const struct pipeline *p, const char *text, size_t len, bool skip_bad,
			      const gint *cancel, json_t *bad_rows, json_t **ret_report, GError **error)
{
	g_autoptr(csv_table) table = NULL;
	json_t *ignored = json_array();
	struct import im = { .p = p, .skip_bad = skip_bad, .cancel = cancel, .bad_rows = bad_rows, .bad = json_array() };
	const struct csv_row *header;
	int r;

	if (!g_utf8_validate_len(text, len, NULL)) {
		r = at_error_set(error, -EINVAL, "the file is not UTF-8 text: save it as UTF-8 CSV");
		goto out;
	}
	if ((r = csv_parse(text, len, &table, error)) < 0)
		goto out;
	if (table->rows->len == 0) { /* an empty file imports nothing, and that is fine */
		*ret_report = json_pack("{s:i,s:[],s:[]}", "imported", 0, "skipped", "ignored_columns");
		goto out;
	}
	if (table->rows->len - 1 > TRANSFER_MAX_ROWS) {
		r = at_error_set(error, -E2BIG, "%u rows, more than the %d one import takes: split the file",
				 table->rows->len - 1, TRANSFER_MAX_ROWS);
		goto out;
	}
	header = table->rows->pdata[0];
	im.table = table;
	im.map = g_new0(const struct header_field *, header->n_fields);
	if ((r = map_columns(header, im.map, ignored, error)) < 0 ||
	    (r = store_transaction(p->store, import_tx, &im, NULL, error)) < 0)
		goto out;
	*ret_report = json_pack("{s:I,s:O,s:O}", "imported", (json_int_t)im.imported, "skipped", im.bad,
				"ignored_columns", ignored);
out:
	g_free(im.map);
	json_decref(im.bad);
	json_decref(ignored);
	return r;
}

int transfer_export_csv(store *s, char **ret_csv, size_t *ret_count, GError **error)
{
	const char *values[G_N_ELEMENTS(TRANSFER_COLUMNS)];
	g_autofree char *columns = g_strjoinv(", ", (char **)TRANSFER_COLUMNS);
	g_autofree char *sql = g_strdup_printf("SELECT %s FROM applications ORDER BY id", columns);
	g_autoptr(GString) out = g_string_new(NULL);
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, r;

	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	csv_append_row(out, TRANSFER_COLUMNS, G_N_ELEMENTS(TRANSFER_COLUMNS));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < G_N_ELEMENTS(TRANSFER_COLUMNS); i++)
			values[i] = (const char *)sqlite3_column_text(st, (int)i);
		csv_append_row(out, values, G_N_ELEMENTS(TRANSFER_COLUMNS));
		count++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, error, "exporting applications");
	*ret_csv = g_string_free(g_steal_pointer(&out), FALSE);
	*ret_count = count;
	return 0;
}
