/* pipeline.c - applications, statuses, the event log, automatic reminders, contacts.
 *
 * Every change runs in a transaction and writes its event, so the events table stays the
 * record the analytics read. Records cross the interface as JSON objects; a field table
 * per record kind drives validation, SQL column lists and the JSON shape, so the fields
 * are named in exactly one place.
 */
#include "apptrack/pipeline.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* ---- statuses ---- */

/* NULL-terminated, for g_strjoinv() */
static const char *const status_names[APP_STATUS_COUNT + 1] = {
	"saved", "applied", "screen", "assessment", "technical", "onsite",
	"final", "offer", "accepted", "rejected", "withdrawn", "ghosted", NULL,
};

static const struct {
	const char *alias;
	enum app_status status;
} status_aliases[] = {
	{ "phone_screen", APP_SCREEN },     { "phone", APP_SCREEN },
	{ "interview", APP_SCREEN },        { "interviewing", APP_SCREEN },
	{ "screening", APP_SCREEN },        { "recruiter_call", APP_SCREEN },
	{ "hr_screen", APP_SCREEN },        { "oa", APP_ASSESSMENT },
	{ "challenge", APP_ASSESSMENT },    { "online_assessment", APP_ASSESSMENT },
	{ "take_home", APP_ASSESSMENT },    { "takehome", APP_ASSESSMENT },
	{ "coding_challenge", APP_ASSESSMENT }, { "test", APP_ASSESSMENT },
	{ "assignment", APP_ASSESSMENT },   { "tech", APP_TECHNICAL },
	{ "technical_interview", APP_TECHNICAL }, { "tech_interview", APP_TECHNICAL },
	{ "on_site", APP_ONSITE },          { "onsite_interview", APP_ONSITE },
	{ "panel", APP_ONSITE },            { "final_round", APP_FINAL },
	{ "final_interview", APP_FINAL },   { "offered", APP_OFFER },
	{ "offer_received", APP_OFFER },    { "accept", APP_ACCEPTED },
	{ "hired", APP_ACCEPTED },          { "reject", APP_REJECTED },
	{ "rejection", APP_REJECTED },      { "declined", APP_REJECTED },
	{ "not_selected", APP_REJECTED },   { "withdraw", APP_WITHDRAWN },
	{ "withdrew", APP_WITHDRAWN },      { "ghost", APP_GHOSTED },
	{ "no_response", APP_GHOSTED },     { "no_reply", APP_GHOSTED },
	{ "wishlist", APP_SAVED },          { "bookmarked", APP_SAVED },
	{ "interested", APP_SAVED },        { "to_apply", APP_SAVED },
	{ "submitted", APP_APPLIED },       { "sent", APP_APPLIED },
	{ "application_sent", APP_APPLIED },
};

const char *status_name(enum app_status status)
{
	return (unsigned)status < APP_STATUS_COUNT ? status_names[status] : NULL;
}

int status_parse(const char *text, enum app_status *ret_status)
{
	if (!text)
		return -EINVAL;
	g_autofree char *norm = g_ascii_strdown(text, -1);
	g_strstrip(norm);
	for (char *p = norm; *p; p++)
		if (*p == ' ' || *p == '-')
			*p = '_';
	for (int i = 0; i < APP_STATUS_COUNT; i++) {
		if (strcmp(norm, status_names[i]) == 0) {
			*ret_status = (enum app_status)i;
			return 0;
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(status_aliases); i++) {
		if (strcmp(norm, status_aliases[i].alias) == 0) {
			*ret_status = status_aliases[i].status;
			return 0;
		}
	}
	return -EINVAL;
}

bool status_is_terminal(enum app_status status)
{
	return status >= APP_REJECTED;
}

bool status_is_interview(enum app_status status)
{
	return status == APP_SCREEN || status == APP_TECHNICAL || status == APP_ONSITE || status == APP_FINAL;
}

static int bad_status(const char *text, GError **error)
{
	g_autofree char *valid = g_strjoinv(", ", (char **)status_names);
	return at_error_set(error, -EINVAL, "unknown status \"%s\" (valid: %s)", text, valid);
}

/* ---- field tables ---- */

enum field_kind { FIELD_TEXT, FIELD_DATE, FIELD_STATUS, FIELD_TIME };
enum {
	FIELD_REQUIRED = 1 << 0,
	FIELD_IMPORT_ONLY = 1 << 1, /* only with PIPELINE_KEEP_TIMES */
	FIELD_NO_EDIT = 1 << 2,
};

struct field {
	const char *name;
	enum field_kind kind;
	size_t max;
	unsigned flags;
};

struct record {
	const char *table;
	const char *what; /* "application", for messages */
	const struct field *fields;
	size_t n_fields;
};

enum { A_COMPANY, A_POSITION, A_STATUS, A_SOURCE, A_LOCATION, A_SALARY, A_URL, A_APPLIED_AT,
       A_CREATED_AT, A_UPDATED_AT, A_NOTES, A_JOB_DESCRIPTION, A_N };

static const struct field app_fields[A_N] = {
	[A_COMPANY] = { "company", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED },
	[A_POSITION] = { "position", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED },
	[A_STATUS] = { "status", FIELD_STATUS, PIPELINE_MAX_SHORT_FIELD, FIELD_NO_EDIT },
	[A_SOURCE] = { "source", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[A_LOCATION] = { "location", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[A_SALARY] = { "salary", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[A_URL] = { "url", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD * 4, 0 },
	[A_APPLIED_AT] = { "applied_at", FIELD_DATE, PIPELINE_MAX_SHORT_FIELD, 0 },
	[A_CREATED_AT] = { "created_at", FIELD_TIME, PIPELINE_MAX_SHORT_FIELD, FIELD_IMPORT_ONLY | FIELD_NO_EDIT },
	[A_UPDATED_AT] = { "updated_at", FIELD_TIME, PIPELINE_MAX_SHORT_FIELD, FIELD_IMPORT_ONLY | FIELD_NO_EDIT },
	[A_NOTES] = { "notes", FIELD_TEXT, PIPELINE_MAX_NOTES, 0 },
	[A_JOB_DESCRIPTION] = { "job_description", FIELD_TEXT, PIPELINE_MAX_JOB_DESCRIPTION, 0 },
};
static const struct record app_record = { "applications", "application", app_fields, A_N };

enum { C_NAME, C_POSITION, C_COMPANY, C_EMAIL, C_PHONE, C_LINKS, C_NOTES, C_N };
static const struct field contact_fields[C_N] = {
	[C_NAME] = { "name", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED },
	[C_POSITION] = { "position", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[C_COMPANY] = { "company", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[C_EMAIL] = { "email", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[C_PHONE] = { "phone", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0 },
	[C_LINKS] = { "links", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD * 4, 0 },
	[C_NOTES] = { "notes", FIELD_TEXT, PIPELINE_MAX_NOTES, 0 },
};
static const struct record contact_record = { "contacts", "contact", contact_fields, C_N };

#define APP_SUMMARY_COLUMNS \
	"id, company, position, status, source, location, salary, url, applied_at, created_at, updated_at, notes"
#define CONTACT_COLUMNS "id, name, position, company, email, phone, links, notes, created_at, updated_at"
#define REMINDER_SELECT                                                                          \
	"SELECT r.id, r.application_id, a.company, a.position, r.kind, r.due_at, r.state, r.note " \
	"FROM reminders r LEFT JOIN applications a ON a.id = r.application_id "

#define VALUES_MAX ((int)A_N > (int)C_N ? (int)A_N : (int)C_N)

/* Values read from a fields object: values[i] is the normalized text (owned) or NULL;
 * present[i] tells whether the object named field i at all. */
struct values {
	char *v[VALUES_MAX];
	bool present[VALUES_MAX];
};

static void values_clear(struct values *vals)
{
	for (size_t i = 0; i < G_N_ELEMENTS(vals->v); i++)
		g_free(vals->v[i]);
}

/* text arrives trimmed and non-empty. */
static int normalize(const struct field *f, const char *text, char **ret, GError **error)
{
	char date[TIME_DATE_LEN], iso[TIME_ISO_LEN];
	enum app_status st;
	int64_t t;

	switch (f->kind) {
	case FIELD_TEXT:
		*ret = g_strdup(text);
		return 0;
	case FIELD_DATE:
		if (time_parse_date(text, date, NULL) < 0)
			return at_error_set(error, -EINVAL, "%s \"%s\" is not a date (use YYYY-MM-DD)", f->name, text);
		*ret = g_strdup(date);
		return 0;
	case FIELD_STATUS:
		if (status_parse(text, &st) < 0)
			return bad_status(text, error);
		*ret = g_strdup(status_names[st]);
		return 0;
	case FIELD_TIME:
		if (time_parse_iso(text, &t) < 0)
			return at_error_set(error, -EINVAL, "%s \"%s\" is not an ISO 8601 time", f->name, text);
		*ret = g_strdup(time_format_iso(t, iso));
		return 0;
	}
	return -EINVAL;
}

static int unknown_field(const struct record *rec, const char *key, GError **error)
{
	g_autoptr(GString) known = g_string_new(NULL);

	for (size_t i = 0; i < rec->n_fields; i++)
		if (!(rec->fields[i].flags & FIELD_IMPORT_ONLY))
			g_string_append_printf(known, "%s%s", known->len ? ", " : "", rec->fields[i].name);
	return at_error_set(error, -EINVAL, "unknown field \"%s\" (%s fields: %s)", key, rec->what, known->str);
}

static int read_fields(const struct record *rec, json_t *fields, bool editing, bool keep_times,
		       struct values *vals, GError **error)
{
	const char *key;
	json_t *value;

	if (!json_is_object(fields))
		return at_error_set(error, -EINVAL, "%s fields must be an object", rec->what);
	json_object_foreach(fields, key, value) {
		size_t i;
		for (i = 0; i < rec->n_fields; i++)
			if (strcmp(rec->fields[i].name, key) == 0)
				break;
		if (i == rec->n_fields)
			return unknown_field(rec, key, error);
		const struct field *f = &rec->fields[i];
		if ((f->flags & FIELD_IMPORT_ONLY) && !keep_times)
			return at_error_set(error, -EINVAL, "field \"%s\" is set by apptrack and cannot be given", key);
		if (editing && (f->flags & FIELD_NO_EDIT)) {
			if (i == A_STATUS && rec == &app_record)
				return at_error_set(error, -EINVAL,
						    "status cannot be edited: use `apptrackctl status ID STATUS` so the change is recorded");
			return at_error_set(error, -EINVAL, "field \"%s\" cannot be edited", key);
		}
		vals->present[i] = true;
		if (json_is_null(value))
			continue;
		if (!json_is_string(value))
			return at_error_set(error, -EINVAL, "field \"%s\" must be a string", key);
		if (json_string_length(value) > f->max)
			return at_error_set(error, -E2BIG, "field \"%s\" is longer than its limit of %zu bytes", key,
					    f->max);
		if (memchr(json_string_value(value), '\0', json_string_length(value)))
			return at_error_set(error, -EINVAL, "field \"%s\" contains a NUL byte", key);
		g_autofree char *trimmed = g_strstrip(g_strdup(json_string_value(value)));
		char *norm = NULL;
		/* an empty value means none: it clears the field in an edit */
		if (*trimmed) {
			int r = normalize(f, trimmed, &norm, error);
			if (r < 0)
				return r;
		}
		g_free(vals->v[i]);
		vals->v[i] = norm;
	}
	for (size_t i = 0; i < rec->n_fields; i++) {
		if (!(rec->fields[i].flags & FIELD_REQUIRED) || vals->v[i])
			continue;
		if (!editing || vals->present[i])
			return at_error_set(error, -EINVAL, "%s needs a %s", rec->what, rec->fields[i].name);
	}
	return 0;
}

/* ---- small SQL helpers ---- */

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
 * same shape row_json() builds (NULL as null), written directly for speed. */
static void append_row_text(GString *out, sqlite3_stmt *st, char *const *keys, int n)
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
			append_json_string(out, (const char *)sqlite3_column_text(st, i),
					   (size_t)sqlite3_column_bytes(st, i));
			break;
		}
	}
	g_string_append_c(out, '}');
}

/* Runs a prepared statement and collects its rows into an array. */
static int rows_json(store *s, sqlite3_stmt *st, bool skip_nulls, json_t **ret, GError **error)
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

/* A LIKE pattern (ESCAPE '\\') matching text anywhere, its wildcards taken literally.
 * Free with g_free. */
static char *like_contains(const char *text)
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

/* When the change happens: the clock, or the time pipeline_set_event_time() gave (the
 * date of the mail being applied). Only the main thread changes tracked data. */
static int64_t event_time_override;

void pipeline_set_event_time(int64_t t)
{
	event_time_override = t;
}

static int64_t event_time(void)
{
	return event_time_override ? event_time_override : time_now();
}

static char *now_iso(char buf[TIME_ISO_LEN])
{
	return time_format_iso(event_time(), buf);
}

/* ---- events and reminders ---- */

static int add_event(store *s, int64_t app_id, const char *kind, const char *from, const char *to,
		     const char *text, GError **error)
{
	static const char sql[] = "INSERT INTO events (application_id, at, kind, from_status, to_status, text) "
				  "VALUES (?, ?, ?, ?, ?, ?)";
	char at[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, now_iso(at));
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, from);
	store_bind_text(st, 5, to);
	store_bind_text(st, 6, text);
	return store_step_done(s, st, "writing an event", error);
}

static int add_reminder(store *s, int64_t app_id, const char *kind, int64_t due, GError **error)
{
	static const char sql[] = "INSERT INTO reminders (application_id, kind, due_at, state, created_at, updated_at) "
				  "VALUES (?, ?, ?, 'pending', ?, ?)";
	char due_iso[TIME_ISO_LEN], now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	now_iso(now);
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, time_format_iso(due, due_iso));
	store_bind_text(st, 4, now);
	store_bind_text(st, 5, now);
	return store_step_done(s, st, "scheduling a reminder", error);
}

/* Due follow_up after the applied date, at the current time of day: applied today means
 * now + follow_up. Local midnights, not days * 86400, so that DST changes in between do
 * not shift the hour. */
static int schedule_follow_up(store *s, const struct pipeline_delays *delays, int64_t app_id,
			      const char *applied_at, GError **error)
{
	int64_t now = time_now(), applied_midnight, today_midnight;
	char today[TIME_DATE_LEN];
	int64_t due = now + delays->follow_up;

	if (applied_at && time_parse_date(applied_at, NULL, &applied_midnight) == 0 &&
	    time_parse_date(time_format_date(now, today), NULL, &today_midnight) == 0)
		due = applied_midnight + (now - today_midnight) + delays->follow_up;
	if (due <= now) /* the moment has passed (imported history): no reminder */
		return 0;
	return add_reminder(s, app_id, "follow_up", due, error);
}

static int schedule_interview(store *s, const struct pipeline_delays *delays, int64_t app_id, GError **error)
{
	static const char sql[] = "SELECT count(*) FROM reminders WHERE application_id = ? AND kind = ? "
				  "AND state IN ('pending', 'snoozed')";
	const struct {
		const char *kind;
		int64_t delay;
	} kinds[] = { { "interview_prep", delays->interview_prep }, { "thank_you", delays->thank_you } };
	int64_t base = event_time(), now = time_now();

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		sqlite3_stmt *st;
		int r = store_prepare(s, sql, &st, error);
		if (r < 0)
			return r;
		sqlite3_bind_int64(st, 1, app_id);
		store_bind_text(st, 2, kinds[i].kind);
		int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		/* a reminder whose moment passed before we learnt of it (old mail) is not made */
		if (n == 0 && base + kinds[i].delay >= now &&
		    (r = add_reminder(s, app_id, kinds[i].kind, base + kinds[i].delay, error)) < 0)
			return r;
	}
	return 0;
}

static int cancel_follow_ups(store *s, int64_t app_id, GError **error)
{
	static const char sql[] = "UPDATE reminders SET state = 'cancelled', updated_at = ? WHERE application_id = ? "
				  "AND kind = 'follow_up' AND state IN ('pending', 'snoozed')";
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, now_iso(now));
	sqlite3_bind_int64(st, 2, app_id);
	return store_step_done(s, st, "cancelling follow-ups", error);
}

/* Reminders that come with entering status (on creation or a change). */
static int on_enter(store *s, const struct pipeline_delays *delays, int64_t app_id, enum app_status status,
		    const char *applied_at, GError **error)
{
	if (status == APP_APPLIED)
		return schedule_follow_up(s, delays, app_id, applied_at, error);
	if (status_is_interview(status))
		return schedule_interview(s, delays, app_id, error);
	return 0;
}

/* ---- applications ---- */

static int app_exists(store *s, int64_t id, enum app_status *ret_status, char **ret_applied, GError **error)
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

int pipeline_app_add(store *s, const struct pipeline_delays *delays, json_t *fields, unsigned flags,
		     int64_t *ret_id, GError **error)
{
	static const char sql[] =
		"INSERT INTO applications (company, position, status, source, location, salary, url, applied_at, "
		"created_at, updated_at, notes, job_description, company_key) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, apptrack_company_key(?1))";
	struct values vals = { 0 };
	char now[TIME_ISO_LEN], today[TIME_DATE_LEN];
	enum app_status status = APP_APPLIED;
	sqlite3_stmt *st;
	int64_t id;
	int r;

	r = read_fields(&app_record, fields, false, flags & PIPELINE_KEEP_TIMES, &vals, error);
	if (r < 0)
		goto out;
	if (vals.v[A_STATUS])
		status_parse(vals.v[A_STATUS], &status);
	else
		vals.v[A_STATUS] = g_strdup(status_names[status]);
	if (!vals.v[A_APPLIED_AT] && status != APP_SAVED)
		vals.v[A_APPLIED_AT] = g_strdup(time_format_date(event_time(), today));
	now_iso(now);
	if (!vals.v[A_CREATED_AT])
		vals.v[A_CREATED_AT] = g_strdup(now);
	if (!vals.v[A_UPDATED_AT])
		vals.v[A_UPDATED_AT] = g_strdup(vals.v[A_CREATED_AT]);

	if ((r = store_begin(s, error)) < 0)
		goto out;
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		goto fail;
	for (int i = 0; i < A_N; i++)
		store_bind_text(st, i + 1, vals.v[i]);
	if ((r = store_step_done(s, st, "adding an application", error)) < 0)
		goto fail;
	id = sqlite3_last_insert_rowid(store_db(s));
	if ((r = add_event(s, id, "created", NULL, vals.v[A_STATUS],
			   (flags & PIPELINE_KEEP_TIMES) ? "imported" : NULL, error)) < 0)
		goto fail;
	if ((r = on_enter(s, delays, id, status, vals.v[A_APPLIED_AT], error)) < 0)
		goto fail;
	if ((r = store_commit(s, error)) < 0)
		goto out;
	*ret_id = id;
	goto out;
fail:
	store_rollback(s);
out:
	values_clear(&vals);
	return r;
}

int pipeline_app_edit(store *s, int64_t id, json_t *fields, GError **error)
{
	struct values vals = { 0 };
	g_autoptr(GString) sql = g_string_new("UPDATE applications SET updated_at = ?");
	g_autoptr(GString) names = g_string_new(NULL);
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 0;

	if ((r = read_fields(&app_record, fields, true, false, &vals, error)) < 0)
		goto out;
	for (int i = 0; i < A_N; i++) {
		if (!vals.present[i])
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
	if ((r = store_begin(s, error)) < 0)
		goto out;
	if ((r = app_exists(s, id, NULL, NULL, error)) < 0 || (r = store_prepare(s, sql->str, &st, error)) < 0)
		goto fail;
	store_bind_text(st, 1, now_iso(now));
	n = 2;
	for (int i = 0; i < A_N; i++)
		if (vals.present[i])
			store_bind_text(st, n++, vals.v[i]);
	sqlite3_bind_int64(st, n, id);
	if ((r = store_step_done(s, st, "editing an application", error)) < 0 ||
	    (r = add_event(s, id, "edit", NULL, NULL, names->str, error)) < 0)
		goto fail;
	if (vals.present[A_COMPANY]) { /* the key follows the new name */
		if ((r = store_prepare(s, "UPDATE applications SET company_key = apptrack_company_key(company) WHERE id = ?",
				       &st, error)) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		if ((r = store_step_done(s, st, "editing an application", error)) < 0)
			goto fail;
	}
	r = store_commit(s, error);
	goto out;
fail:
	store_rollback(s);
out:
	values_clear(&vals);
	return r;
}

int pipeline_app_set_status(store *s, const struct pipeline_delays *delays, int64_t id, const char *status,
			    const char *note, unsigned flags, bool *ret_changed, GError **error)
{
	static const char sql[] = "UPDATE applications SET status = ?, updated_at = ?, "
				  "applied_at = COALESCE(applied_at, ?) WHERE id = ?";
	g_autofree char *applied_at = NULL;
	enum app_status from = APP_SAVED, to = APP_SAVED;
	char now[TIME_ISO_LEN], today[TIME_DATE_LEN];
	sqlite3_stmt *st;
	int r;

	if (!status || status_parse(status, &to) < 0)
		return bad_status(status ? status : "", error);
	if (note && strlen(note) > PIPELINE_MAX_NOTES)
		return at_error_set(error, -E2BIG, "note is longer than %d bytes", PIPELINE_MAX_NOTES);
	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = app_exists(s, id, &from, &applied_at, error)) < 0)
		goto fail;
	if (from == to || ((flags & PIPELINE_FORWARD_ONLY) &&
			   (status_is_terminal(from) || (!status_is_terminal(to) && to < from)))) {
		if (ret_changed)
			*ret_changed = false;
		return store_commit(s, error);
	}
	if (!applied_at && to != APP_SAVED)
		applied_at = g_strdup(time_format_date(event_time(), today));
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		goto fail;
	store_bind_text(st, 1, status_names[to]);
	store_bind_text(st, 2, now_iso(now));
	store_bind_text(st, 3, to != APP_SAVED ? applied_at : NULL);
	sqlite3_bind_int64(st, 4, id);
	if ((r = store_step_done(s, st, "changing a status", error)) < 0 ||
	    (r = add_event(s, id, "status_change", status_names[from], status_names[to], note && *note ? note : NULL,
			   error)) < 0)
		goto fail;
	if (from == APP_APPLIED && (r = cancel_follow_ups(s, id, error)) < 0)
		goto fail;
	if ((r = on_enter(s, delays, id, to, applied_at, error)) < 0)
		goto fail;
	if ((r = store_commit(s, error)) < 0)
		return r;
	if (ret_changed)
		*ret_changed = true;
	return 0;
fail:
	store_rollback(s);
	return r;
}

int pipeline_app_email_event(store *s, int64_t id, const char *subject, const char *message_id, GError **error)
{
	static const char sql[] = "UPDATE events SET message_id = ? WHERE id = ?";
	sqlite3_stmt *st;
	int r;

	if ((r = add_event(s, id, "email", NULL, NULL, subject ? subject : "(no subject)", error)) < 0 ||
	    (r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, message_id);
	sqlite3_bind_int64(st, 2, sqlite3_last_insert_rowid(store_db(s)));
	return store_step_done(s, st, "writing an email event", error);
}

int pipeline_app_note(store *s, int64_t id, const char *text, json_t **ret_event, GError **error)
{
	static const char sql[] = "SELECT id, at, kind, text FROM events WHERE id = ?";
	g_autofree char *stripped = g_strstrip(g_strdup(text ? text : ""));
	sqlite3_stmt *st;
	int r;

	if (!*stripped)
		return at_error_set(error, -EINVAL, "a note needs some text");
	if (strlen(stripped) > PIPELINE_MAX_NOTES)
		return at_error_set(error, -E2BIG, "note is longer than %d bytes", PIPELINE_MAX_NOTES);
	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = app_exists(s, id, NULL, NULL, error)) < 0 ||
	    (r = add_event(s, id, "note", NULL, NULL, stripped, error)) < 0 ||
	    (r = store_prepare(s, sql, &st, error)) < 0) {
		store_rollback(s);
		return r;
	}
	sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(store_db(s)));
	json_t *event = sqlite3_step(st) == SQLITE_ROW ? store_row_json(st, -1, true) : NULL;
	sqlite3_reset(st);
	if ((r = store_commit(s, error)) < 0) {
		json_decref(event);
		return r;
	}
	*ret_event = event ? event : json_object();
	return 0;
}

int pipeline_app_remove(store *s, int64_t id, GError **error)
{
	static const char sql[] = "DELETE FROM applications WHERE id = ?";
	sqlite3_stmt *st;
	int r;

	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = app_exists(s, id, NULL, NULL, error)) < 0 || (r = store_prepare(s, sql, &st, error)) < 0) {
		store_rollback(s);
		return r;
	}
	sqlite3_bind_int64(st, 1, id);
	if ((r = store_step_done(s, st, "removing an application", error)) < 0) {
		store_rollback(s);
		return r;
	}
	return store_commit(s, error);
}

/* Runs sql (one ? for id) and returns its first row as an object, or -ENOENT. */
static int one_row(store *s, const char *sql, int64_t id, const char *what, json_t **ret, GError **error)
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

/* Runs sql (one ? for id) and returns all rows as an array. */
static int id_rows(store *s, const char *sql, int64_t id, bool skip_nulls, json_t **ret, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return rows_json(s, st, skip_nulls, ret, error);
}

int pipeline_app_get(store *s, int64_t id, json_t **ret_app, GError **error)
{
	return one_row(s, "SELECT " APP_SUMMARY_COLUMNS " FROM applications WHERE id = ?", id, "application", ret_app,
		       error);
}

int pipeline_app_show(store *s, int64_t id, json_t **ret_app, GError **error)
{
	static const struct {
		const char *key;
		const char *sql;
		bool skip_nulls;
	} parts[] = {
		{ "events",
		  "SELECT id, at, kind, from_status, to_status, text, message_id FROM events "
		  "WHERE application_id = ? ORDER BY at, id",
		  true },
		{ "reminders", REMINDER_SELECT "WHERE r.application_id = ? ORDER BY r.due_at, r.id", false },
		{ "interviews",
		  "SELECT id, starts_at, ends_at, type, location, notes FROM interviews "
		  "WHERE application_id = ? ORDER BY starts_at, id",
		  false },
		{ "contacts",
		  "SELECT c.id, c.name, c.position, c.company, c.email, c.phone FROM contacts c "
		  "JOIN application_contacts ac ON ac.contact_id = c.id WHERE ac.application_id = ? ORDER BY c.name",
		  false },
	};
	json_t *app = NULL;
	int r;

	r = one_row(s, "SELECT " APP_SUMMARY_COLUMNS ", job_description FROM applications WHERE id = ?", id,
		    "application", &app, error);
	if (r < 0)
		return r;
	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		json_t *arr;
		if ((r = id_rows(s, parts[i].sql, id, parts[i].skip_nulls, &arr, error)) < 0) {
			json_decref(app);
			return r;
		}
		json_object_set_new(app, parts[i].key, arr);
	}
	*ret_app = app;
	return 0;
}

static const struct {
	const char *name;
	const char *order; /* ascending; fixed text, never user input */
} sort_keys[] = {
	{ "id", "id" },
	{ "company", "company COLLATE NOCASE" },
	{ "position", "position COLLATE NOCASE" },
	{ "status", "CASE status WHEN 'saved' THEN 0 WHEN 'applied' THEN 1 WHEN 'screen' THEN 2 "
		    "WHEN 'assessment' THEN 3 WHEN 'technical' THEN 4 WHEN 'onsite' THEN 5 WHEN 'final' THEN 6 "
		    "WHEN 'offer' THEN 7 WHEN 'accepted' THEN 8 WHEN 'rejected' THEN 9 WHEN 'withdrawn' THEN 10 "
		    "ELSE 11 END" },
	{ "applied_at", "applied_at" },
	{ "updated_at", "updated_at" },
	{ "created_at", "created_at" },
};

#define LIST_TEXT_INITIAL_SIZE (64 * 1024)

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

int pipeline_app_list_text(store *s, json_t *params, char **ret_json, GError **error)
{
	/* The JSON text is written straight from the columns: for thousands of rows this is
	 * several times faster than building and dumping jansson objects, and than SQLite's
	 * json_object(). The inner query filters, sorts and pages on ids alone (often straight
	 * from an index), so the sorter never carries whole rows; the outer one visits the
	 * chosen rows in that order (CROSS JOIN keeps the subquery as the outer loop). */
	g_autoptr(GString) sql =
		g_string_new("SELECT " APP_SUMMARY_COLUMNS " FROM (SELECT id AS k FROM applications WHERE 1");
	g_auto(GStrv) keys = NULL;
	int n_cols;
	g_autoptr(GString) out = NULL;
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
				return bad_status(parts[i], error);
			g_string_append(sql, i ? ", ?" : "?");
			g_ptr_array_add(binds, g_strdup(status_names[st_val]));
		}
		g_string_append(sql, ")");
	}
	if (source) {
		g_string_append(sql, " AND source = ? COLLATE NOCASE");
		g_ptr_array_add(binds, g_strdup(source));
	}
	if (company) {
		g_string_append(sql, " AND company LIKE ? ESCAPE '\\'");
		g_ptr_array_add(binds, like_contains(company));
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
				       sort_keys[i].order, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
	}
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		return r;
	for (guint i = 0; i < binds->len; i++)
		store_bind_text(st, (int)i + 1, binds->pdata[i]);
	sqlite3_bind_int64(st, (int)binds->len + 1, limit);
	sqlite3_bind_int64(st, (int)binds->len + 2, offset);
	n_cols = sqlite3_column_count(st);
	keys = g_new0(char *, n_cols + 1);
	for (int i = 0; i < n_cols; i++)
		keys[i] = g_strdup_printf("\"%s\":", sqlite3_column_name(st, i));
	out = g_string_sized_new(LIST_TEXT_INITIAL_SIZE);
	g_string_append_c(out, '[');
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->len > 1)
			g_string_append_c(out, ',');
		append_row_text(out, st, keys, n_cols);
	}
	if (r != SQLITE_DONE) {
		r = store_error(s, error, "listing applications");
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	g_string_append_c(out, ']');
	*ret_json = g_string_free(g_steal_pointer(&out), FALSE);
	return 0;
}

int pipeline_app_list(store *s, json_t *params, json_t **ret_list, GError **error)
{
	g_autofree char *text = NULL;
	json_error_t jerr;
	int r = pipeline_app_list_text(s, params, &text, error);

	if (r < 0)
		return r;
	json_t *list = json_loads(text, 0, &jerr);
	if (!list)
		return at_error_set(error, -EIO, "listing applications: %s", jerr.text);
	*ret_list = list;
	return 0;
}

int pipeline_app_count(store *s, int64_t *ret_count, GError **error)
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

/* ---- reminders ---- */

int pipeline_reminders_list(store *s, bool all, json_t **ret_list, GError **error)
{
	const char *sql = all ? REMINDER_SELECT "ORDER BY r.due_at, r.id"
			      : REMINDER_SELECT "WHERE r.state IN ('pending', 'snoozed') ORDER BY r.due_at, r.id";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	return r < 0 ? r : rows_json(s, st, false, ret_list, error);
}

static int reminder_update(store *s, int64_t id, const char *state, int64_t due, json_t **ret, GError **error)
{
	static const char sql[] = "UPDATE reminders SET state = ?, due_at = COALESCE(?2, due_at), updated_at = ?, "
				  "sequence = sequence + 1, fired_at = CASE WHEN ?2 IS NULL THEN fired_at END "
				  "WHERE id = ?";
	char now[TIME_ISO_LEN], due_iso[TIME_ISO_LEN];
	const char *cur_state;
	json_t *cur = NULL;
	sqlite3_stmt *st;
	bool closed;
	int r;

	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = one_row(s, REMINDER_SELECT "WHERE r.id = ?", id, "reminder", &cur, error)) < 0)
		goto fail;
	cur_state = json_string_value(json_object_get(cur, "state"));
	closed = g_strcmp0(cur_state, "done") == 0 || g_strcmp0(cur_state, "cancelled") == 0;
	if (due && closed) {
		r = at_error_set(error, -EINVAL, "reminder %" G_GINT64_FORMAT " is %s and cannot be snoozed", id, cur_state);
		json_decref(cur);
		goto fail;
	}
	json_decref(cur);
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		goto fail;
	store_bind_text(st, 1, state);
	store_bind_text(st, 2, due ? time_format_iso(due, due_iso) : NULL);
	store_bind_text(st, 3, now_iso(now));
	sqlite3_bind_int64(st, 4, id);
	if ((r = store_step_done(s, st, "updating a reminder", error)) < 0 ||
	    (r = one_row(s, REMINDER_SELECT "WHERE r.id = ?", id, "reminder", ret, error)) < 0)
		goto fail;
	return store_commit(s, error);
fail:
	store_rollback(s);
	return r;
}

int pipeline_reminder_done(store *s, int64_t id, json_t **ret_reminder, GError **error)
{
	return reminder_update(s, id, "done", 0, ret_reminder, error);
}

int pipeline_reminder_snooze(store *s, int64_t id, int64_t seconds, json_t **ret_reminder, GError **error)
{
	if (seconds <= 0)
		return at_error_set(error, -EINVAL, "snooze needs a positive duration");
	return reminder_update(s, id, "snoozed", time_now() + seconds, ret_reminder, error);
}

/* ---- contacts ---- */

static int contact_exists(store *s, int64_t id, GError **error)
{
	json_t *c = NULL;
	int r = one_row(s, "SELECT id FROM contacts WHERE id = ?", id, "contact", &c, error);
	json_decref(c);
	return r;
}

int pipeline_contact_add(store *s, json_t *fields, json_t **ret_contact, GError **error)
{
	static const char sql[] = "INSERT INTO contacts (name, position, company, email, phone, links, notes, "
				  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct values vals = { 0 };
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	if ((r = read_fields(&contact_record, fields, false, false, &vals, error)) < 0 ||
	    (r = store_prepare(s, sql, &st, error)) < 0)
		goto out;
	for (int i = 0; i < C_N; i++)
		store_bind_text(st, i + 1, vals.v[i]);
	store_bind_text(st, C_N + 1, now_iso(now));
	store_bind_text(st, C_N + 2, now);
	if ((r = store_step_done(s, st, "adding a contact", error)) < 0)
		goto out;
	r = pipeline_contact_show(s, sqlite3_last_insert_rowid(store_db(s)), ret_contact, error);
out:
	values_clear(&vals);
	return r;
}

int pipeline_contact_list(store *s, const char *search, json_t **ret_list, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if (!search || !*search) {
		r = store_prepare(s, "SELECT " CONTACT_COLUMNS " FROM contacts ORDER BY name COLLATE NOCASE, id", &st, error);
		return r < 0 ? r : rows_json(s, st, false, ret_list, error);
	}
	g_autofree char *like = like_contains(search);
	r = store_prepare(s,
			  "SELECT " CONTACT_COLUMNS " FROM contacts WHERE name LIKE ?1 ESCAPE '\\' "
			  "OR company LIKE ?1 ESCAPE '\\' OR position LIKE ?1 ESCAPE '\\' ORDER BY name COLLATE NOCASE, id",
			  &st, error);
	if (r < 0)
		return r;
	store_bind_text(st, 1, like);
	return rows_json(s, st, false, ret_list, error);
}

int pipeline_contact_show(store *s, int64_t id, json_t **ret_contact, GError **error)
{
	json_t *c = NULL, *apps = NULL;
	int r = one_row(s, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?", id, "contact", &c, error);

	if (r < 0)
		return r;
	r = id_rows(s,
		    "SELECT a.id, a.company, a.position, a.status FROM applications a "
		    "JOIN application_contacts ac ON ac.application_id = a.id WHERE ac.contact_id = ? ORDER BY a.id",
		    id, false, &apps, error);
	if (r < 0) {
		json_decref(c);
		return r;
	}
	json_object_set_new(c, "applications", apps);
	*ret_contact = c;
	return 0;
}

int pipeline_contact_edit(store *s, int64_t id, json_t *fields, json_t **ret_contact, GError **error)
{
	struct values vals = { 0 };
	g_autoptr(GString) sql = g_string_new("UPDATE contacts SET updated_at = ?");
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 2;

	if ((r = read_fields(&contact_record, fields, true, false, &vals, error)) < 0 ||
	    (r = contact_exists(s, id, error)) < 0)
		goto out;
	for (int i = 0; i < C_N; i++)
		if (vals.present[i])
			g_string_append_printf(sql, ", %s = ?", contact_fields[i].name);
	g_string_append(sql, " WHERE id = ?");
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		goto out;
	store_bind_text(st, 1, now_iso(now));
	for (int i = 0; i < C_N; i++)
		if (vals.present[i])
			store_bind_text(st, n++, vals.v[i]);
	sqlite3_bind_int64(st, n, id);
	if ((r = store_step_done(s, st, "editing a contact", error)) < 0)
		goto out;
	r = pipeline_contact_show(s, id, ret_contact, error);
out:
	values_clear(&vals);
	return r;
}

int pipeline_contact_remove(store *s, int64_t id, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if ((r = contact_exists(s, id, error)) < 0 ||
	    (r = store_prepare(s, "DELETE FROM contacts WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "removing a contact", error);
}

int pipeline_contact_link(store *s, int64_t contact_id, int64_t app_id, bool unlink, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if ((r = contact_exists(s, contact_id, error)) < 0 || (r = app_exists(s, app_id, NULL, NULL, error)) < 0)
		return r;
	r = store_prepare(s,
			  unlink ? "DELETE FROM application_contacts WHERE application_id = ? AND contact_id = ?"
				 : "INSERT OR IGNORE INTO application_contacts (application_id, contact_id) VALUES (?, ?)",
			  &st, error);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_int64(st, 2, contact_id);
	return store_step_done(s, st, "linking a contact", error);
}

/* ---- interviews ---- */

#define INTERVIEW_SELECT                                                                                        \
	"SELECT i.id, i.application_id, a.company, a.position, i.starts_at, i.ends_at, i.type, i.location, "   \
	"i.notes, i.sequence, i.created_at, i.updated_at FROM interviews i JOIN applications a ON a.id = "      \
	"i.application_id "

static const char *const interview_types[] = { "phone", "video", "onsite" };

/* The interview fields of params, checked: at (ISO 8601 with a zone or Z), duration
 * (seconds, or a duration like 45m), type, where, notes. Unknown keys are refused. NULL /
 * 0 for those not given. */
struct interview_values {
	int64_t starts_at, duration;
	const char *type, *where, *notes;
	bool has_type, has_where, has_notes;
};

static int interview_values(json_t *fields, bool adding, struct interview_values *v, GError **error)
{
	static const char *const keys[] = { "application", "at", "duration", "type", "where", "notes" };
	const char *key;
	json_t *value;

	memset(v, 0, sizeof *v);
	json_object_foreach (fields, key, value) {
		size_t k;
		for (k = 0; k < G_N_ELEMENTS(keys); k++)
			if (strcmp(key, keys[k]) == 0)
				break;
		if (k == G_N_ELEMENTS(keys) || (!adding && k == 0))
			return at_error_set(error, -EINVAL, "unknown interview field \"%s\"", key);
		if (k == 0)
			continue;
		if (k == 2 && json_is_integer(value)) {
			v->duration = json_integer_value(value);
		} else if (!json_is_string(value) && !(k >= 3 && json_is_null(value))) {
			return at_error_set(error, -EINVAL, "interview field \"%s\" must be a string", key);
		} else if (k == 1) {
			const char *at = json_string_value(value);
			/* the protocol speaks UTC or explicit offsets: local time is the client's business */
			bool zoned = strlen(at) > 10 && (strpbrk(at + 10, "Zz+") || strchr(at + 10, '-'));
			if (time_parse_iso(at, &v->starts_at) < 0 || !zoned)
				return at_error_set(error, -EINVAL,
						    "bad interview time \"%s\": expected ISO 8601 with a zone, like "
						    "2026-12-01T14:30:00Z",
						    at);
		} else if (k == 2) {
			if (time_parse_duration(json_string_value(value), &v->duration) < 0)
				return at_error_set(error, -EINVAL, "bad duration \"%s\": use a number with m or h, e.g. 45m",
						    json_string_value(value));
		} else if (k == 3) {
			const char *type = json_string_value(value);
			v->has_type = true;
			v->type = type;
			if (type && !g_strv_contains(interview_types, type))
				return at_error_set(error, -EINVAL, "bad interview type \"%s\": expected phone, video or onsite",
						    type);
		} else {
			const char *text = json_string_value(value);
			if (text && strlen(text) > (k == 5 ? PIPELINE_MAX_NOTES : PIPELINE_MAX_SHORT_FIELD))
				return at_error_set(error, -EINVAL, "interview field \"%s\" is too long", key);
			*(k == 4 ? &v->where : &v->notes) = text;
			*(k == 4 ? &v->has_where : &v->has_notes) = true;
		}
		if (k == 2 && (v->duration <= 0 || v->duration > 7 * 86400))
			return at_error_set(error, -EINVAL, "interview duration must be between 1 minute and 7 days");
	}
	return 0;
}

/* (Re)schedules the pending `interview` reminders of interview id, which starts at start. */
static int schedule_interview_alarms(store *s, const struct pipeline_delays *delays, int64_t id, int64_t app_id,
				     int64_t start, GError **error)
{
	static const char del[] = "DELETE FROM reminders WHERE interview_id = ? AND kind = 'interview' AND "
				  "state IN ('pending', 'snoozed')";
	static const char ins[] = "INSERT INTO reminders (application_id, kind, due_at, state, note, interview_id, "
				  "created_at, updated_at) VALUES (?, 'interview', ?, 'pending', ?, ?, ?, ?)";
	char due[TIME_ISO_LEN], now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	if ((r = store_prepare(s, del, &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = store_step_done(s, st, "rescheduling interview reminders", error)) < 0)
		return r;
	for (size_t i = 0; i < delays->n_interview_before; i++) {
		int64_t t = start - delays->interview_before[i];
		if (t <= time_now())
			continue; /* its moment has passed */
		g_autofree char *dur = time_format_duration(delays->interview_before[i]);
		g_autofree char *note = g_strdup_printf("interview in %s", dur);
		if ((r = store_prepare(s, ins, &st, error)) < 0)
			return r;
		sqlite3_bind_int64(st, 1, app_id);
		store_bind_text(st, 2, time_format_iso(t, due));
		store_bind_text(st, 3, note);
		sqlite3_bind_int64(st, 4, id);
		store_bind_text(st, 5, now_iso(now));
		store_bind_text(st, 6, now);
		if ((r = store_step_done(s, st, "scheduling an interview reminder", error)) < 0)
			return r;
	}
	return 0;
}

int pipeline_interview_add(store *s, const struct pipeline_delays *delays, json_t *fields, json_t **ret,
			   GError **error)
{
	static const char sql[] = "INSERT INTO interviews (application_id, starts_at, ends_at, type, location, notes, "
				  "sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)";
	struct interview_values v;
	json_t *app = json_object_get(fields, "application");
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN], end[TIME_ISO_LEN];
	enum app_status status;
	g_autofree char *text = NULL;
	sqlite3_stmt *st;
	int64_t id, app_id;
	int r;

	if ((r = interview_values(fields, true, &v, error)) < 0)
		return r;
	if (!json_is_integer(app) || json_integer_value(app) <= 0)
		return at_error_set(error, -EINVAL, "an interview needs \"application\": the id of its application");
	if (!json_object_get(fields, "at"))
		return at_error_set(error, -EINVAL, "an interview needs \"at\": when it starts");
	app_id = json_integer_value(app);
	if (!v.duration)
		v.duration = PIPELINE_INTERVIEW_DEFAULT_DURATION;
	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = app_exists(s, app_id, &status, NULL, error)) < 0 || (r = store_prepare(s, sql, &st, error)) < 0)
		goto fail;
	now_iso(now);
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, time_format_iso(v.starts_at, start));
	store_bind_text(st, 3, time_format_iso(v.starts_at + v.duration, end));
	store_bind_text(st, 4, v.type);
	store_bind_text(st, 5, v.where);
	store_bind_text(st, 6, v.notes);
	store_bind_text(st, 7, now);
	store_bind_text(st, 8, now);
	if ((r = store_step_done(s, st, "adding an interview", error)) < 0)
		goto fail;
	id = sqlite3_last_insert_rowid(store_db(s));
	text = g_strdup_printf("interview %s%s%s", start, v.type ? ", " : "", v.type ? v.type : "");
	/* an interview means the application is at least at the screen stage, never less */
	if ((r = add_event(s, app_id, "interview", NULL, NULL, text, error)) < 0 ||
	    (r = schedule_interview_alarms(s, delays, id, app_id, v.starts_at, error)) < 0 ||
	    (!status_is_interview(status) &&
	     (r = pipeline_app_set_status(s, delays, app_id, "screen", "interview scheduled", PIPELINE_FORWARD_ONLY,
					  NULL, error)) < 0) ||
	    (r = one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", ret, error)) < 0)
		goto fail;
	return store_commit(s, error);
fail:
	store_rollback(s);
	return r;
}

int pipeline_interview_edit(store *s, const struct pipeline_delays *delays, int64_t id, json_t *fields, json_t **ret,
			    GError **error)
{
	static const char sql[] =
		"UPDATE interviews SET starts_at = COALESCE(?2, starts_at), "
		"ends_at = strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(?2, starts_at), "
		"  COALESCE(?3, unixepoch(ends_at) - unixepoch(starts_at)) || ' seconds'), "
		"type = CASE WHEN ?4 THEN ?5 ELSE type END, location = CASE WHEN ?6 THEN ?7 ELSE location END, "
		"notes = CASE WHEN ?8 THEN ?9 ELSE notes END, sequence = sequence + 1, updated_at = ?10 WHERE id = ?1";
	struct interview_values v;
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN];
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	if ((r = interview_values(fields, false, &v, error)) < 0)
		return r;
	if (json_object_size(fields) == 0)
		return at_error_set(error, -EINVAL, "nothing to change: give at, duration, type, where or notes");
	if ((r = one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", &cur, error)) < 0)
		return r;
	json_decref(cur);
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, v.starts_at ? time_format_iso(v.starts_at, start) : NULL);
	if (v.duration)
		sqlite3_bind_int64(st, 3, v.duration);
	sqlite3_bind_int(st, 4, v.has_type);
	store_bind_text(st, 5, v.type);
	sqlite3_bind_int(st, 6, v.has_where);
	store_bind_text(st, 7, v.where);
	sqlite3_bind_int(st, 8, v.has_notes);
	store_bind_text(st, 9, v.notes);
	store_bind_text(st, 10, now_iso(now));
	if ((r = store_begin(s, error)) < 0)
		return r;
	if ((r = store_step_done(s, st, "changing an interview", error)) < 0 ||
	    (r = one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", ret, error)) < 0)
		goto fail;
	if (v.starts_at) {
		int64_t app_id = json_integer_value(json_object_get(*ret, "application_id"));
		if ((r = schedule_interview_alarms(s, delays, id, app_id, v.starts_at, error)) < 0) {
			json_decref(*ret);
			goto fail;
		}
	}
	return store_commit(s, error);
fail:
	store_rollback(s);
	return r;
}

int pipeline_interview_remove(store *s, int64_t id, GError **error)
{
	sqlite3_stmt *st;
	json_t *cur = NULL;
	int r;

	if ((r = one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", &cur, error)) < 0)
		return r;
	json_decref(cur);
	if ((r = store_prepare(s, "DELETE FROM interviews WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "removing an interview", error);
}

int pipeline_interview_list(store *s, int64_t from, int64_t to, const char *type, json_t **ret, GError **error)
{
	static const char sql[] = INTERVIEW_SELECT "WHERE (?1 IS NULL OR i.starts_at >= ?1) AND (?2 IS NULL OR "
						   "i.starts_at < ?2) AND (?3 IS NULL OR i.type = ?3) "
						   "ORDER BY i.starts_at, i.id";
	char a[TIME_ISO_LEN], b[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	if (type && !g_strv_contains(interview_types, type))
		return at_error_set(error, -EINVAL, "bad interview type \"%s\": expected phone, video or onsite", type);
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, from ? time_format_iso(from, a) : NULL);
	store_bind_text(st, 2, to ? time_format_iso(to, b) : NULL);
	store_bind_text(st, 3, type);
	return rows_json(s, st, false, ret, error);
}

int pipeline_upcoming(store *s, int64_t now, int days, json_t **ret, GError **error)
{
	static const char count_sql[] = "SELECT count(*) FROM applications WHERE status IN "
					"('applied','screen','assessment','technical','onsite','final','offer')";
	static const char recent_sql[] = "SELECT id, company, position, status, source, applied_at FROM applications "
					 "WHERE applied_at IS NOT NULL ORDER BY applied_at DESC, id DESC LIMIT 5";
	json_t *interviews = NULL, *reminders = NULL, *recent = NULL;
	char until[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int64_t active = 0;
	int r;

	if ((r = pipeline_interview_list(s, now, now + (int64_t)days * 86400, NULL, &interviews, error)) < 0)
		return r;
	if ((r = store_prepare(s, REMINDER_SELECT "WHERE r.state IN ('pending', 'snoozed') AND r.due_at < ? "
					       "ORDER BY r.due_at, r.id",
			       &st, error)) < 0)
		goto out;
	store_bind_text(st, 1, time_format_iso(now + (int64_t)days * 86400, until));
	if ((r = rows_json(s, st, false, &reminders, error)) < 0 ||
	    (r = store_prepare(s, recent_sql, &st, error)) < 0 || (r = rows_json(s, st, false, &recent, error)) < 0 ||
	    (r = store_prepare(s, count_sql, &st, error)) < 0)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW)
		active = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*ret = json_pack("{s:o,s:o,s:I,s:o,s:i}", "interviews", interviews, "reminders", reminders, "in_progress",
			 (json_int_t)active, "recent", recent, "days", days);
	return 0;
out:
	json_decref(interviews);
	json_decref(reminders);
	json_decref(recent);
	return r;
}

const char *reminder_title(const char *kind)
{
	static const char *const titles[][2] = {
		{ "follow_up", "Follow up" },       { "interview_prep", "Prepare for the interview" },
		{ "thank_you", "Send a thank-you" }, { "interview", "Interview coming up" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(titles); i++)
		if (g_strcmp0(kind, titles[i][0]) == 0)
			return titles[i][1];
	return "Reminder";
}
