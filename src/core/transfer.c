/* transfer.c - CSV import and export of applications (docs/csv.md).
 *
 * Import maps the header to application fields by the column names other trackers and
 * spreadsheets use, turns each row into a fields object and adds it through the pipeline,
 * all in one transaction: a refused file or a crash leaves nothing behind.
 */
#include "apptrack/transfer.h"

#include "apptrack/csv.h"
#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* Columns of an export, in order. "id" is written but ignored on import. */
static const char *const export_columns[] = {
	"id",      "company",    "position",   "status", "source", "location",        "salary",
	"url",     "applied_at", "created_at", "updated_at", "notes", "job_description",
};

/* Header names, compared after folding case and dropping everything but letters and
 * digits ("Date Applied" == "date_applied" == "dateapplied"). */
static const struct {
	const char *field;
	const char *names[10];
} header_names[] = {
	{ "id", { "id" } },
	{ "company", { "company", "companyname", "employer", "organization", "organisation" } },
	{ "position", { "position", "title", "jobtitle", "role", "job", "jobposition" } },
	{ "status", { "status", "stage", "applicationstatus" } },
	{ "source", { "source", "platform", "jobboard", "site", "whereapplied", "via", "channel" } },
	{ "location", { "location", "city", "joblocation" } },
	{ "salary", { "salary", "compensation", "pay", "salaryrange" } },
	{ "url", { "url", "link", "joblink", "joburl", "postingurl", "jobposting" } },
	{ "applied_at",
	  { "appliedat", "dateapplied", "applied", "applicationdate", "appliedon", "applieddate", "date" } },
	{ "notes", { "notes", "note", "comments" } },
	{ "job_description", { "jobdescription", "jd", "description" } },
	{ "created_at", { "createdat" } },
	{ "updated_at", { "updatedat" } },
};

static char *fold_header(const char *name)
{
	GString *s = g_string_new(NULL);

	for (const char *p = name; *p; p++)
		if (g_ascii_isalnum(*p))
			g_string_append_c(s, g_ascii_tolower(*p));
	return g_string_free(s, FALSE);
}

static const char *map_header(const char *name)
{
	g_autofree char *folded = fold_header(name);

	for (size_t i = 0; i < G_N_ELEMENTS(header_names); i++)
		for (size_t j = 0; j < G_N_ELEMENTS(header_names[i].names) && header_names[i].names[j]; j++)
			if (strcmp(folded, header_names[i].names[j]) == 0)
				return header_names[i].field;
	return NULL;
}

static char *expected_names(const char *field)
{
	for (size_t i = 0; i < G_N_ELEMENTS(header_names); i++)
		if (strcmp(header_names[i].field, field) == 0)
			return g_strjoinv(", ", (char **)header_names[i].names);
	return g_strdup(field);
}

/* Normalizes an applied date: YYYY-MM-DD, YYYY/MM/DD or an ISO 8601 timestamp. */
static int import_date(const char *text, char ret[TIME_DATE_LEN])
{
	int64_t t;

	if (time_parse_date(text, ret, NULL) == 0)
		return 0;
	if (time_parse_iso(text, &t) == 0) {
		time_format_date(t, ret);
		return 0;
	}
	return -EINVAL;
}

static void bad_row(json_t *bad, size_t line, const char *reason)
{
	json_array_append_new(bad, json_pack("{s:I,s:s}", "line", (json_int_t)line, "reason", reason));
}

int transfer_import_csv(store *s, const struct pipeline_delays *delays, const char *text, size_t len,
			bool skip_bad, json_t *bad_rows, json_t **ret_report, GError **error)
{
	g_autoptr(CsvTable) table = NULL;
	json_t *bad = json_array(), *ignored = json_array();
	static const char *const required[] = { "company", "position" };
	const char **map = NULL;
	struct csv_row *header;
	size_t n_cols, imported = 0;
	int r;

	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		r = at_error_set(error, -EINVAL, "the file is not UTF-8 text");
		goto out;
	}
	if ((r = csv_parse(text, len, &table, error)) < 0)
		goto out;
	if (table->rows->len == 0) {
		*ret_report = json_pack("{s:i,s:[],s:[]}", "imported", 0, "skipped", "ignored_columns");
		goto out;
	}
	if (table->rows->len - 1 > TRANSFER_MAX_ROWS) {
		r = at_error_set(error, -E2BIG, "%u rows, more than the %d one import takes: split the file",
				 table->rows->len - 1, TRANSFER_MAX_ROWS);
		goto out;
	}

	header = table->rows->pdata[0];
	n_cols = header->n_fields;
	map = g_new0(const char *, n_cols);
	for (size_t i = 0; i < n_cols; i++) {
		map[i] = map_header(header->fields[i]);
		if (!map[i]) {
			json_array_append_new(ignored, json_string(header->fields[i]));
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			if (map[j] && strcmp(map[i], map[j]) == 0) {
				r = at_error_set(error, -EINVAL, "line %zu: columns \"%s\" and \"%s\" both give the %s",
						 header->line, header->fields[j], header->fields[i], map[i]);
				goto out;
			}
		}
	}
	for (size_t k = 0; k < G_N_ELEMENTS(required); k++) {
		bool found = false;
		for (size_t i = 0; i < n_cols; i++)
			found = found || (map[i] && strcmp(map[i], required[k]) == 0);
		if (!found) {
			g_autofree char *names = expected_names(required[k]);
			r = at_error_set(error, -EINVAL, "line %zu: the header has no %s column (expected one of: %s)",
					 header->line, required[k], names);
			goto out;
		}
	}

	if ((r = store_begin(s, error)) < 0)
		goto out;
	for (guint ri = 1; ri < table->rows->len; ri++) {
		struct csv_row *row = table->rows->pdata[ri];
		g_autoptr(GError) row_error = NULL;
		json_t *fields;
		int64_t id;

		if (row->n_fields != n_cols) {
			g_autofree char *reason = g_strdup_printf("%zu fields, the header has %zu", row->n_fields, n_cols);
			bad_row(bad, row->line, reason);
			continue;
		}
		fields = json_object();
		for (size_t i = 0; i < n_cols; i++) {
			const char *v = row->fields[i];
			char date[TIME_DATE_LEN];
			if (!map[i] || strcmp(map[i], "id") == 0 || v[0] == '\0')
				continue;
			if (strcmp(map[i], "applied_at") == 0) {
				if (import_date(v, date) < 0) {
					g_set_error(&row_error, AT_ERROR, EINVAL, "date \"%s\" is not a date (use YYYY-MM-DD)", v);
					break;
				}
				v = date;
			}
			json_object_set_new(fields, map[i], json_string(v));
		}
		if (!row_error && pipeline_app_add(s, delays, fields, PIPELINE_KEEP_TIMES, &id, &row_error) == 0)
			imported++;
		json_decref(fields);
		if (row_error)
			bad_row(bad, row->line, row_error->message);
	}
	if (json_array_size(bad) > 0 && !skip_bad) {
		store_rollback(s);
		if (bad_rows)
			json_array_extend(bad_rows, bad);
		r = at_error_set(error, -EINVAL, "%zu bad %s, nothing imported (fix %s, or import with --skip-bad)",
				 json_array_size(bad), json_array_size(bad) == 1 ? "row" : "rows",
				 json_array_size(bad) == 1 ? "it" : "them");
		goto out;
	}
	if ((r = store_commit(s, error)) < 0)
		goto out;
	*ret_report = json_pack("{s:I,s:O,s:O}", "imported", (json_int_t)imported, "skipped", bad, "ignored_columns",
				ignored);
out:
	g_free(map);
	json_decref(bad);
	json_decref(ignored);
	return r;
}

int transfer_export_csv(store *s, char **ret_csv, size_t *ret_count, GError **error)
{
	static const char sql[] = "SELECT id, company, position, status, source, location, salary, url, applied_at, "
				  "created_at, updated_at, notes, job_description FROM applications ORDER BY id";
	const char *values[G_N_ELEMENTS(export_columns)];
	GString *out = g_string_new(NULL);
	sqlite3_stmt *st;
	size_t count = 0;
	int rc, r;

	if ((r = store_prepare(s, sql, &st, error)) < 0) {
		g_string_free(out, TRUE);
		return r;
	}
	csv_append_row(out, export_columns, G_N_ELEMENTS(export_columns));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < G_N_ELEMENTS(export_columns); i++)
			values[i] = (const char *)sqlite3_column_text(st, (int)i);
		csv_append_row(out, values, G_N_ELEMENTS(export_columns));
		count++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g_string_free(out, TRUE);
		return store_error(s, error, "exporting");
	}
	*ret_csv = g_string_free(out, FALSE);
	*ret_count = count;
	return 0;
}
