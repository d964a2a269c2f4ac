/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_rows.c - the helpers every module reads rows through: a statement's rows as JSON
 * objects, one row by id, and rows written straight as JSON text for large listings. They
 * use store.h's public interface only. */
#include "apptrack/store.h"

#include "apptrack/error.h"

#include <string.h>

int store_rows_json(store *s, sqlite3_stmt *st, bool skip_nulls, json_t **ret, GError **error)
{
	json_t *arr = json_array();
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, store_row_json(st, -1, skip_nulls));
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		int r = store_error(s, error, "reading rows");
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	*ret = arr;
	return 0;
}

int store_one_row(store *s, const char *sql, int64_t id, const char *what, json_t **ret, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? at_error_set(error, -ENOENT, "no %s with id %" G_GINT64_FORMAT, what, id)
				      : store_error(s, error, "reading");
		sqlite3_reset(st);
		return r;
	}
	*ret = store_row_json(st, -1, false);
	sqlite3_reset(st);
	return 0;
}

int store_id_rows(store *s, const char *sql, int64_t id, bool skip_nulls, json_t **ret, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_rows_json(s, st, skip_nulls, ret, error);
}

/* Appends text as a JSON string. Invalid UTF-8 (which only raw SQL could have stored) is
 * repaired rather than passed on to break the reader. */
static void append_json_string(GString *out, const char *text, size_t len)
{
	g_autofree char *valid = NULL;
	const char *run;

	if (!g_utf8_validate_len(text, len, NULL)) {
		valid = g_utf8_make_valid(text, (gssize)len);
		text = valid;
		len = strlen(valid);
	}
	g_string_append_c(out, '"');
	run = text;
	for (const char *p = text; p < text + len; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		g_string_append_len(out, run, p - run);
		run = p + 1;
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			g_string_append_printf(out, "\\u%04x", c);
			break;
		}
	}
	g_string_append_len(out, run, text + len - run);
	g_string_append_c(out, '"');
}

/* Appends the current row as a JSON object; keys[i] is column i's "\"name\":" text. The
 * same shape store_row_json() builds (NULL as null), written directly for speed; a JSON
 * column's (json[i]) text is written as it is. */
static void append_row_text(GString *out, sqlite3_stmt *st, char *const *keys, const bool *json, int n)
{
	g_string_append_c(out, '{');
	for (int i = 0; i < n; i++) {
		if (i)
			g_string_append_c(out, ',');
		g_string_append(out, keys[i]);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			g_string_append_printf(out, "%lld", (long long)sqlite3_column_int64(st, i));
			break;
		case SQLITE_NULL:
			g_string_append(out, "null");
			break;
		case SQLITE_FLOAT:
			g_string_append_printf(out, "%.17g", sqlite3_column_double(st, i));
			break;
		default:
			if (json[i]) {
				g_string_append_len(out, (const char *)sqlite3_column_text(st, i),
						    sqlite3_column_bytes(st, i));
				break;
			}
			append_json_string(out, (const char *)sqlite3_column_text(st, i),
					   (size_t)sqlite3_column_bytes(st, i));
			break;
		}
	}
	g_string_append_c(out, '}');
}

#define ROWS_TEXT_INITIAL_SIZE (64 * 1024)

int store_rows_text(store *s, sqlite3_stmt *st, const char *what, char **ret_json, GError **error)
{
	int n_cols = sqlite3_column_count(st), r;
	g_auto(GStrv) keys = g_new0(char *, n_cols + 1);
	g_autoptr(GString) out = g_string_sized_new(ROWS_TEXT_INITIAL_SIZE);
	g_autofree bool *json = g_new0(bool, n_cols + 1);
	size_t len;

	for (int i = 0; i < n_cols; i++) {
		len = strlen(sqlite3_column_name(st, i));
		json[i] = store_column_is_json(st, i, &len);
		keys[i] = g_strdup_printf("\"%.*s\":", (int)len, sqlite3_column_name(st, i));
	}
	g_string_append_c(out, '[');
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->len > 1)
			g_string_append_c(out, ',');
		append_row_text(out, st, keys, json, n_cols);
	}
	if (r != SQLITE_DONE) {
		r = store_error(s, error, what);
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	g_string_append_c(out, ']');
	*ret_json = g_string_free(g_steal_pointer(&out), FALSE);
	return 0;
}

char *store_like_contains(const char *text)
{
	GString *like = g_string_new("%");

	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			g_string_append_c(like, '\\');
		g_string_append_c(like, *p);
	}
	g_string_append_c(like, '%');
	return g_string_free(like, FALSE);
}

