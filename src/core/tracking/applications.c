/* SPDX-License-Identifier: GPL-3.0-or-later */
/* applications.c - the applications table: add, edit, status changes, notes, removal,
 * the application with its timeline, the filtered, sorted, paged listing, and the board
 * (a column of the most recently changed per status). */
#include "apptrack/applications.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"
#include "record.h"

#include <string.h>

enum { A_COMPANY, A_POSITION, A_STATUS, A_SOURCE, A_LOCATION, A_SALARY, A_URL, A_APPLIED_AT,
       A_CREATED_AT, A_UPDATED_AT, A_NOTES, A_JOB_DESCRIPTION, A_N };

static const struct field app_fields[A_N] = {
	[A_COMPANY] = { "company", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED, NULL },
	[A_POSITION] = { "position", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED, NULL },
	[A_STATUS] = { "status", FIELD_STATUS, PIPELINE_MAX_SHORT_FIELD, FIELD_NO_EDIT,
		       "status cannot be edited: use `apptrackctl status ID STATUS` so the change is recorded" },
	[A_SOURCE] = { "source", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[A_LOCATION] = { "location", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[A_SALARY] = { "salary", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[A_URL] = { "url", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD * 4, 0, NULL },
	[A_APPLIED_AT] = { "applied_at", FIELD_DATE, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[A_CREATED_AT] = { "created_at", FIELD_TIME, PIPELINE_MAX_SHORT_FIELD, FIELD_IMPORT_ONLY | FIELD_NO_EDIT, NULL },
	[A_UPDATED_AT] = { "updated_at", FIELD_TIME, PIPELINE_MAX_SHORT_FIELD, FIELD_IMPORT_ONLY | FIELD_NO_EDIT, NULL },
	[A_NOTES] = { "notes", FIELD_TEXT, PIPELINE_MAX_NOTES, 0, NULL },
	[A_JOB_DESCRIPTION] = { "job_description", FIELD_TEXT, PIPELINE_MAX_JOB_DESCRIPTION, 0, NULL },
};
static const struct record app_record = { "applications", "application", app_fields, A_N };

/* A summary: the stored fields, the whole days since the last status change (or since
 * created), and the earliest open reminder or null. Each of the two is one seek in a
 * partial index (migration 8 -> 9), made only for the rows a query returns. */
#define APP_SUMMARY_COLUMNS \
	"id, company, position, status, source, location, salary, url, applied_at, created_at, updated_at, notes, " \
	"max(0, (apptrack_now() - unixepoch(COALESCE((SELECT max(e.at) FROM events e " \
	"  WHERE e.application_id = applications.id AND e.kind = 'status_change'), " \
	"  CASE WHEN status = 'applied' AND applied_at < created_at THEN applied_at ELSE created_at END))) " \
	"  / 86400) AS days_in_stage, " \
	"(SELECT json_object('id', r.id, 'kind', r.kind, 'due_at', r.due_at) FROM reminders r " \
	"  WHERE r.application_id = applications.id AND r.state IN ('pending', 'snoozed') " \
	"  ORDER BY r.due_at, r.id LIMIT 1) AS \"next_reminder" STORE_JSON_COLUMN "\""

int applications_exists(store *s, int64_t id, enum app_status *ret_status, char **ret_applied, GError **error)
{
	static const char sql[] = "SELECT status, applied_at FROM applications WHERE id = ?";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return at_error_set(error, -ENOENT, "no application with id %" G_GINT64_FORMAT, id);
	}
	if (ret_status)
		status_parse((const char *)sqlite3_column_text(st, 0), ret_status);
	if (ret_applied)
		*ret_applied = g_strdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return 0;
}

/* ---- add ---- */

struct add {
	const struct pipeline *p;
	struct values vals;
	enum app_status status;
	unsigned flags;
	int64_t id; /* out */
};

static int add_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] =
		"INSERT INTO applications (company, position, status, source, location, salary, url, applied_at, "
		"created_at, updated_at, notes, job_description, company_key) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, apptrack_company_key(?1))";
	struct add *a = arg;
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	for (int i = 0; i < A_N; i++)
		store_bind_text(st, i + 1, a->vals.v[i]);
	if ((r = store_step_done(s, st, "adding an application", error)) < 0)
		return r;
	a->id = store_last_id(s);
	if ((r = pipeline_event(a->p, a->id, "created", NULL, a->vals.v[A_STATUS],
				(a->flags & PIPELINE_KEEP_TIMES) ? "imported" : NULL, NULL, error)) < 0)
		return r;
	/* an import records the past: its reminders are timed from the applied date */
	struct pipeline p = *a->p;
	p.history = p.history || (a->flags & PIPELINE_KEEP_TIMES);
	return pipeline_status_entered(&p, a->id, APP_STATUS_COUNT, a->status, a->vals.v[A_APPLIED_AT], error);
}

int applications_add(const struct pipeline *p, json_t *fields, unsigned flags, int64_t *ret_id, GError **error)
{
	struct add a = { .p = p, .status = APP_APPLIED, .flags = flags };
	char now[TIME_ISO_LEN], today[TIME_DATE_LEN];
	int r;

	r = record_read(&app_record, fields, false, flags & PIPELINE_KEEP_TIMES, &a.vals, error);
	if (r < 0)
		goto out;
	if (a.vals.v[A_STATUS])
		status_parse(a.vals.v[A_STATUS], &a.status);
	else
		a.vals.v[A_STATUS] = g_strdup(status_name(a.status));
	if (!a.vals.v[A_APPLIED_AT] && a.status != APP_SAVED)
		a.vals.v[A_APPLIED_AT] = g_strdup(time_format_date(pipeline_time(p), today));
	time_format_iso(pipeline_time(p), now);
	if (!a.vals.v[A_CREATED_AT])
		a.vals.v[A_CREATED_AT] = g_strdup(now);
	if (!a.vals.v[A_UPDATED_AT])
		a.vals.v[A_UPDATED_AT] = g_strdup(a.vals.v[A_CREATED_AT]);
	if ((r = store_transaction(p->store, add_tx, &a, NULL, error)) >= 0)
		*ret_id = a.id;
out:
	values_clear(&a.vals);
	return r < 0 ? r : 0;
}

/* ---- edit ---- */

struct edit {
	const struct pipeline *p;
	int64_t id;
	struct values vals;
	const char *sql;
	const char *names;
};

static int edit_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct edit *e = arg;
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 2;

	(void)ret;
	if ((r = applications_exists(s, e->id, NULL, NULL, error)) < 0 || (r = store_prepare(s, e->sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, time_format_iso(pipeline_time(e->p), now));
	for (int i = 0; i < A_N; i++)
		if (e->vals.present[i])
			store_bind_text(st, n++, e->vals.v[i]);
	sqlite3_bind_int64(st, n, e->id);
	if ((r = store_step_done(s, st, "editing an application", error)) < 0 ||
	    (r = pipeline_event(e->p, e->id, "edit", NULL, NULL, e->names, NULL, error)) < 0)
		return r;
	if (!e->vals.present[A_COMPANY])
		return 0;
	/* the key follows the new name */
	if ((r = store_prepare(s, "UPDATE applications SET company_key = apptrack_company_key(company) WHERE id = ?", &st,
			       error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, e->id);
	return store_step_done(s, st, "editing an application", error);
}

int applications_edit(const struct pipeline *p, int64_t id, json_t *fields, GError **error)
{
	struct edit e = { .p = p, .id = id };
	g_autoptr(GString) sql = g_string_new("UPDATE applications SET updated_at = ?");
	g_autoptr(GString) names = g_string_new(NULL);
	int r, n = 0;

	if ((r = record_read(&app_record, fields, true, false, &e.vals, error)) < 0)
		goto out;
	for (int i = 0; i < A_N; i++) {
		if (!e.vals.present[i])
			continue;
		g_string_append_printf(sql, ", %s = ?", app_fields[i].name);
		g_string_append_printf(names, "%s%s", names->len ? ", " : "", app_fields[i].name);
		n++;
	}
	if (n == 0) {
		r = at_error_set(error, -EINVAL, "nothing to change: give at least one field");
		goto out;
	}
	g_string_append(sql, " WHERE id = ?");
	e.sql = sql->str;
	e.names = names->str;
	r = store_transaction(p->store, edit_tx, &e, NULL, error);
out:
	values_clear(&e.vals);
	return r < 0 ? r : 0;
}

/* ---- status ---- */

struct set_status {
	const struct pipeline *p;
	int64_t id;
	enum app_status to;
	const char *note;
	unsigned flags;
	bool changed; /* out */
};

static int set_status_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] = "UPDATE applications SET status = ?, updated_at = ?, "
				  "applied_at = COALESCE(applied_at, ?) WHERE id = ?";
	struct set_status *c = arg;
	g_autofree char *applied_at = NULL;
	enum app_status from = APP_SAVED, to = c->to;
	char now[TIME_ISO_LEN], today[TIME_DATE_LEN];
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = applications_exists(s, c->id, &from, &applied_at, error)) < 0)
		return r;
	if (from == to || ((c->flags & PIPELINE_FORWARD_ONLY) &&
			   (status_is_terminal(from) || (!status_is_terminal(to) && to < from))))
		return 0;
	if (!applied_at && to != APP_SAVED)
		applied_at = g_strdup(time_format_date(pipeline_time(c->p), today));
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, status_name(to));
	store_bind_text(st, 2, time_format_iso(pipeline_time(c->p), now));
	store_bind_text(st, 3, to != APP_SAVED ? applied_at : NULL);
	sqlite3_bind_int64(st, 4, c->id);
	if ((r = store_step_done(s, st, "changing a status", error)) < 0 ||
	    (r = pipeline_event(c->p, c->id, "status_change", status_name(from), status_name(to),
				c->note && *c->note ? c->note : NULL, NULL, error)) < 0 ||
	    (r = pipeline_status_entered(c->p, c->id, from, to, applied_at, error)) < 0)
		return r;
	c->changed = true;
	return 0;
}

int applications_set_status(const struct pipeline *p, int64_t id, const char *status, const char *note,
			    unsigned flags, bool *ret_changed, GError **error)
{
	struct set_status c = { .p = p, .id = id, .note = note, .flags = flags };
	int r;

	if (!status || status_parse(status, &c.to) < 0)
		return status_unknown(status ? status : "", error);
	if (note && strlen(note) > PIPELINE_MAX_NOTES)
		return at_error_set(error, -E2BIG, "note is longer than %d bytes", PIPELINE_MAX_NOTES);
	if ((r = store_transaction(p->store, set_status_tx, &c, NULL, error)) < 0)
		return r;
	if (ret_changed)
		*ret_changed = c.changed;
	return 0;
}

/* ---- notes and removal ---- */

struct note {
	const struct pipeline *p;
	int64_t id;
	const char *text;
};

static int note_tx(store *s, void *arg, json_t **ret, GError **error)
{
	const struct note *n = arg;
	int64_t event_id;
	int r;

	if ((r = applications_exists(s, n->id, NULL, NULL, error)) < 0 ||
	    (r = pipeline_event(n->p, n->id, "note", NULL, NULL, n->text, &event_id, error)) < 0)
		return r;
	return pipeline_event_get(s, event_id, ret, error);
}

int applications_note(const struct pipeline *p, int64_t id, const char *text, json_t **ret_event, GError **error)
{
	g_autofree char *stripped = g_strstrip(g_strdup(text ? text : ""));
	struct note n = { p, id, stripped };

	if (!*stripped)
		return at_error_set(error, -EINVAL, "a note needs some text");
	if (strlen(stripped) > PIPELINE_MAX_NOTES)
		return at_error_set(error, -E2BIG, "note is longer than %d bytes", PIPELINE_MAX_NOTES);
	return store_transaction(p->store, note_tx, &n, ret_event, error);
}

static int remove_tx(store *s, void *arg, json_t **ret, GError **error)
{
	const int64_t *id = arg;
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = applications_exists(s, *id, NULL, NULL, error)) < 0 ||
	    (r = store_prepare(s, "DELETE FROM applications WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, *id);
	return store_step_done(s, st, "removing an application", error);
}

int applications_remove(const struct pipeline *p, int64_t id, GError **error)
{
	return store_transaction(p->store, remove_tx, &id, NULL, error);
}

/* ---- reading ---- */

int applications_get(store *s, int64_t id, json_t **ret_app, GError **error)
{
	return store_one_row(s, "SELECT " APP_SUMMARY_COLUMNS " FROM applications WHERE id = ?", id, "application",
			     ret_app, error);
}

int applications_show(store *s, int64_t id, json_t **ret_app, GError **error)
{
	static const struct {
		const char *key;
		const char *sql;
		bool skip_nulls;
	} parts[] = {
		{ "events",
		  "SELECT id, at, kind, from_status, to_status, text, message_id, mail_from, mail_subject FROM events "
		  "WHERE application_id = ? ORDER BY at, id",
		  true },
		{ "reminders",
		  "SELECT r.id, r.application_id, a.company, a.position, r.kind, r.due_at, r.state, r.note "
		  "FROM reminders r LEFT JOIN applications a ON a.id = r.application_id "
		  "WHERE r.application_id = ? ORDER BY r.due_at, r.id",
		  false },
		{ "interviews",
		  "SELECT id, starts_at, ends_at, type, location, notes, organizer, meeting_url, recurrence FROM interviews "
		  "WHERE application_id = ? ORDER BY starts_at, id",
		  false },
		{ "contacts",
		  "SELECT c.id, c.name, c.position, c.company, c.email, c.phone FROM contacts c "
		  "JOIN application_contacts ac ON ac.contact_id = c.id WHERE ac.application_id = ? ORDER BY c.name",
		  false },
	};
	json_t *app = NULL;
	int r;

	r = store_one_row(s, "SELECT " APP_SUMMARY_COLUMNS ", job_description FROM applications WHERE id = ?", id,
			  "application", &app, error);
	if (r < 0)
		return r;
	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		json_t *arr;
		if ((r = store_id_rows(s, parts[i].sql, id, parts[i].skip_nulls, &arr, error)) < 0) {
			json_decref(app);
			return r;
		}
		json_object_set_new(app, parts[i].key, arr);
	}
	*ret_app = app;
	return 0;
}

/* ---- listing ---- */

static const struct {
	const char *name;
	const char *order; /* ascending; fixed text, never user input */
} sort_keys[] = {
	{ "id", "id" },
	{ "company", "company COLLATE NOCASE" },
	{ "position", "position COLLATE NOCASE" },
	{ "status", NULL }, /* status_order_sql() */
	{ "applied_at", "applied_at" },
	{ "updated_at", "updated_at" },
	{ "created_at", "created_at" },
};

static const char *const list_params[] = { "status", "source", "company", "search", "since",
					   "until",  "sort",   "limit",   "offset" };

/* Turns the user's words into a safe FTS5 query: every word quoted, prefix-matched,
 * all required. NULL when the text has no word at all. */
static char *fts_query(const char *text)
{
	g_autoptr(GString) q = g_string_new(NULL);
	g_autoptr(GString) word = g_string_new(NULL);

	for (const char *p = text;; p = g_utf8_next_char(p)) {
		gunichar c = *p ? g_utf8_get_char(p) : 0;
		if (c && g_unichar_isalnum(c)) {
			g_string_append_unichar(word, c);
			continue;
		}
		if (word->len) {
			g_string_append_printf(q, "%s\"%s\"*", q->len ? " " : "", word->str);
			g_string_truncate(word, 0);
		}
		if (!c)
			break;
	}
	return q->len ? g_strdup(q->str) : NULL;
}

static int param_string(json_t *params, const char *key, const char **ret, GError **error)
{
	json_t *v = json_object_get(params, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a string", key);
	/* a blank filter is no filter: what a form or script sends for "any" */
	for (const char *p = json_string_value(v); *p; p++)
		if (!g_ascii_isspace(*p)) {
			*ret = json_string_value(v);
			break;
		}
	return 0;
}

static int param_int(json_t *params, const char *key, int64_t def, int64_t max, int64_t *ret, GError **error)
{
	json_t *v = json_object_get(params, key);

	*ret = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a non-negative integer", key);
	if (json_integer_value(v) > max)
		return at_error_set(error, -E2BIG, "parameter \"%s\" is over its limit of %" G_GINT64_FORMAT, key, max);
	*ret = json_integer_value(v);
	return 0;
}

int applications_list_text(store *s, json_t *params, char **ret_json, GError **error)
{
	/* The JSON text is written straight from the columns: for thousands of rows this is
	 * several times faster than building and dumping jansson objects, and than SQLite's
	 * json_object(). The inner query filters, sorts and pages on ids alone (often straight
	 * from an index), so the sorter never carries whole rows; the outer one visits the
	 * chosen rows in that order (CROSS JOIN keeps the subquery as the outer loop). */
	g_autoptr(GString) sql =
		g_string_new("SELECT " APP_SUMMARY_COLUMNS " FROM (SELECT id AS k FROM applications WHERE 1");
	g_autoptr(GPtrArray) binds = g_ptr_array_new_with_free_func(g_free);
	const char *status, *source, *company, *search, *since, *until, *sort;
	g_autofree char *fts = NULL;
	char date[TIME_DATE_LEN];
	int64_t limit, offset;
	sqlite3_stmt *st;
	const char *key;
	json_t *value;
	int r;

	if (params && !json_is_object(params))
		return at_error_set(error, -EINVAL, "list parameters must be an object");
	json_object_foreach(params, key, value) {
		bool known = false;
		for (size_t i = 0; i < G_N_ELEMENTS(list_params); i++)
			known = known || strcmp(key, list_params[i]) == 0;
		if (!known)
			return at_error_set(error, -EINVAL, "unknown list parameter \"%s\"", key);
	}
	if ((r = param_string(params, "status", &status, error)) < 0 ||
	    (r = param_string(params, "source", &source, error)) < 0 ||
	    (r = param_string(params, "company", &company, error)) < 0 ||
	    (r = param_string(params, "search", &search, error)) < 0 ||
	    (r = param_string(params, "since", &since, error)) < 0 ||
	    (r = param_string(params, "until", &until, error)) < 0 ||
	    (r = param_string(params, "sort", &sort, error)) < 0 ||
	    (r = param_int(params, "limit", PIPELINE_LIST_DEFAULT_LIMIT, PIPELINE_LIST_MAX_LIMIT, &limit, error)) < 0 ||
	    (r = param_int(params, "offset", 0, INT64_MAX, &offset, error)) < 0)
		return r;

	if (status) {
		g_auto(GStrv) parts = g_strsplit(status, ",", APP_STATUS_COUNT + 1);
		g_string_append(sql, " AND status IN (");
		for (size_t i = 0; parts[i]; i++) {
			enum app_status st_val;
			if (status_parse(parts[i], &st_val) < 0)
				return status_unknown(parts[i], error);
			g_string_append(sql, i ? ", ?" : "?");
			g_ptr_array_add(binds, g_strdup(status_name(st_val)));
		}
		g_string_append(sql, ")");
	}
	if (source) {
		g_string_append(sql, " AND source = ? COLLATE NOCASE");
		g_ptr_array_add(binds, g_strdup(source));
	}
	if (company) {
		g_string_append(sql, " AND company LIKE ? ESCAPE '\\'");
		g_ptr_array_add(binds, store_like_contains(company));
	}
	if (search) {
		fts = fts_query(search);
		if (!fts) { /* nothing searchable: nothing found */
			*ret_json = g_strdup("[]");
			return 0;
		}
		g_string_append(sql, " AND id IN (SELECT rowid FROM applications_fts WHERE applications_fts MATCH ?)");
		g_ptr_array_add(binds, g_strdup(fts));
	}
	if (since) {
		if (time_parse_date(since, date, NULL) < 0)
			return at_error_set(error, -EINVAL, "since \"%s\" is not a date (use YYYY-MM-DD)", since);
		g_string_append(sql, " AND applied_at >= ?");
		g_ptr_array_add(binds, g_strdup(date));
	}
	if (until) {
		if (time_parse_date(until, date, NULL) < 0)
			return at_error_set(error, -EINVAL, "until \"%s\" is not a date (use YYYY-MM-DD)", until);
		g_string_append(sql, " AND applied_at <= ?");
		g_ptr_array_add(binds, g_strdup(date));
	}
	{
		const char *name = sort ? sort : "-applied_at";
		bool desc = name[0] == '-';
		size_t i;
		if (desc)
			name++;
		for (i = 0; i < G_N_ELEMENTS(sort_keys); i++)
			if (strcmp(sort_keys[i].name, name) == 0)
				break;
		if (i == G_N_ELEMENTS(sort_keys))
			return at_error_set(error, -EINVAL,
					    "cannot sort by \"%s\" (use id, company, position, status, applied_at, "
					    "updated_at or created_at, with - for descending)",
					    sort);
		g_string_append_printf(sql, " ORDER BY %s %s, id %s LIMIT ? OFFSET ?) AS o CROSS JOIN applications ON id = o.k",
				       sort_keys[i].order ? sort_keys[i].order : status_order_sql(), desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
	}
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		return r;
	for (guint i = 0; i < binds->len; i++)
		store_bind_text(st, (int)i + 1, binds->pdata[i]);
	sqlite3_bind_int64(st, (int)binds->len + 1, limit);
	sqlite3_bind_int64(st, (int)binds->len + 2, offset);
	return store_rows_text(s, st, "listing applications", ret_json, error);
}

int applications_list(store *s, json_t *params, json_t **ret_list, GError **error)
{
	g_autofree char *text = NULL;
	json_error_t jerr;
	int r = applications_list_text(s, params, &text, error);

	if (r < 0)
		return r;
	json_t *list = json_loads(text, 0, &jerr);
	if (!list)
		return at_error_set(error, -EIO, "listing applications: %s", jerr.text);
	*ret_list = list;
	return 0;
}

/* ---- the board ---- */

int applications_board(store *s, json_t *params, json_t **ret_board, GError **error)
{
	/* one index range per column, applications(status, updated_at), read backwards */
	static const char count_sql[] = "SELECT status, count(*) FROM applications GROUP BY status";
	static const char cards_sql[] = "SELECT " APP_SUMMARY_COLUMNS " FROM applications WHERE status = ? "
					"ORDER BY updated_at DESC, id DESC LIMIT ?";
	int64_t counts[APP_STATUS_COUNT] = { 0 }, limit;
	const char *key;
	json_t *value, *columns;
	sqlite3_stmt *st;
	int r, rc;

	if (params && !json_is_object(params))
		return at_error_set(error, -EINVAL, "board parameters must be an object");
	json_object_foreach(params, key, value)
		if (strcmp(key, "limit") != 0)
			return at_error_set(error, -EINVAL, "unknown board parameter \"%s\"", key);
	if ((r = param_int(params, "limit", PIPELINE_BOARD_DEFAULT_LIMIT, PIPELINE_BOARD_MAX_LIMIT, &limit, error)) < 0 ||
	    (r = store_prepare(s, count_sql, &st, error)) < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum app_status status;
		if (status_parse((const char *)sqlite3_column_text(st, 0), &status) == 0)
			counts[status] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, error, "counting the board's columns");
	if ((r = store_prepare(s, cards_sql, &st, error)) < 0)
		return r;
	columns = json_array();
	for (int i = 0; i < APP_STATUS_COUNT; i++) {
		json_t *cards = NULL;
		store_bind_text(st, 1, status_name((enum app_status)i));
		sqlite3_bind_int64(st, 2, limit);
		if ((r = store_rows_json(s, st, false, &cards, error)) < 0) {
			json_decref(columns);
			return r;
		}
		json_array_append_new(columns, json_pack("{s:s,s:I,s:o}", "status", status_name((enum app_status)i),
							 "count", (json_int_t)counts[i], "cards", cards));
	}
	*ret_board = json_pack("{s:o}", "columns", columns);
	return 0;
}

int applications_count(store *s, int64_t *ret_count, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM applications", &st, error);

	if (r < 0)
		return r;
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = store_error(s, error, "counting applications");
		sqlite3_reset(st);
		return r;
	}
	*ret_count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}
