/* SPDX-License-Identifier: GPL-3.0-or-later */
/* interviews.c - the interviews table (those added by hand and those from calendar
 * invitations, by their UID), and the dashboard of what is coming up. */
#include "apptrack/interviews.h"

#include "apptrack/applications.h"
#include "apptrack/error.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"

#include <string.h>

#define INTERVIEW_SELECT                                                                                        \
	"SELECT i.id, i.application_id, a.company, a.position, i.starts_at, i.ends_at, i.type, i.location, "   \
	"i.notes, i.sequence, i.created_at, i.updated_at, i.organizer, i.meeting_url, i.recurrence "            \
	"FROM interviews i JOIN applications a ON a.id = i.application_id "

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

struct add {
	const struct pipeline *p;
	struct interview_values v;
	int64_t app_id;
};

static int add_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] = "INSERT INTO interviews (application_id, starts_at, ends_at, type, location, notes, "
				  "sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?7)";
	const struct add *a = arg;
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN], end[TIME_ISO_LEN];
	enum app_status status;
	g_autofree char *text = NULL;
	sqlite3_stmt *st;
	int64_t id;
	int r;

	if ((r = applications_exists(s, a->app_id, &status, NULL, error)) < 0 ||
	    (r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, a->app_id);
	store_bind_text(st, 2, time_format_iso(a->v.starts_at, start));
	store_bind_text(st, 3, time_format_iso(a->v.starts_at + a->v.duration, end));
	store_bind_text(st, 4, a->v.type);
	store_bind_text(st, 5, a->v.where);
	store_bind_text(st, 6, a->v.notes);
	store_bind_text(st, 7, time_format_iso(pipeline_time(a->p), now));
	if ((r = store_step_done(s, st, "adding an interview", error)) < 0)
		return r;
	id = store_last_id(s);
	text = g_strdup_printf("interview %s%s%s", start, a->v.type ? ", " : "", a->v.type ? a->v.type : "");
	/* an interview means the application is at least at the screen stage, never less */
	if ((r = pipeline_event(a->p, a->app_id, "interview", NULL, NULL, text, NULL, error)) < 0 ||
	    (r = reminders_schedule_interview(a->p, id, a->app_id, a->v.starts_at, error)) < 0 ||
	    (!status_is_interview(status) &&
	     (r = applications_set_status(a->p, a->app_id, "screen", "interview scheduled", PIPELINE_FORWARD_ONLY, NULL,
					  error)) < 0))
		return r;
	return store_one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", ret, error);
}

int interviews_add(const struct pipeline *p, json_t *fields, json_t **ret, GError **error)
{
	struct add a = { .p = p };
	json_t *app = json_object_get(fields, "application");
	int r;

	if ((r = interview_values(fields, true, &a.v, error)) < 0)
		return r;
	if (!json_is_integer(app) || json_integer_value(app) <= 0)
		return at_error_set(error, -EINVAL, "an interview needs \"application\": the id of its application");
	if (!json_object_get(fields, "at"))
		return at_error_set(error, -EINVAL, "an interview needs \"at\": when it starts");
	a.app_id = json_integer_value(app);
	if (!a.v.duration)
		a.v.duration = PIPELINE_INTERVIEW_DEFAULT_DURATION;
	return store_transaction(p->store, add_tx, &a, ret, error);
}

struct edit {
	const struct pipeline *p;
	struct interview_values v;
	int64_t id;
};

static int edit_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] =
		"UPDATE interviews SET starts_at = COALESCE(?2, starts_at), "
		"ends_at = strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(?2, starts_at), "
		"  COALESCE(?3, unixepoch(ends_at) - unixepoch(starts_at)) || ' seconds'), "
		"type = CASE WHEN ?4 THEN ?5 ELSE type END, location = CASE WHEN ?6 THEN ?7 ELSE location END, "
		"notes = CASE WHEN ?8 THEN ?9 ELSE notes END, sequence = sequence + 1, updated_at = ?10 WHERE id = ?1";
	const struct edit *e = arg;
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN];
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	if ((r = store_one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", e->id, "interview", &cur, error)) < 0)
		return r;
	json_decref(cur);
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, e->id);
	store_bind_text(st, 2, e->v.starts_at ? time_format_iso(e->v.starts_at, start) : NULL);
	if (e->v.duration)
		sqlite3_bind_int64(st, 3, e->v.duration);
	sqlite3_bind_int(st, 4, e->v.has_type);
	store_bind_text(st, 5, e->v.type);
	sqlite3_bind_int(st, 6, e->v.has_where);
	store_bind_text(st, 7, e->v.where);
	sqlite3_bind_int(st, 8, e->v.has_notes);
	store_bind_text(st, 9, e->v.notes);
	store_bind_text(st, 10, time_format_iso(pipeline_time(e->p), now));
	if ((r = store_step_done(s, st, "changing an interview", error)) < 0 ||
	    (r = store_one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", e->id, "interview", ret, error)) < 0)
		return r;
	if (!e->v.starts_at)
		return 0;
	return reminders_schedule_interview(e->p, e->id, json_integer_value(json_object_get(*ret, "application_id")),
					    e->v.starts_at, error);
}

int interviews_edit(const struct pipeline *p, int64_t id, json_t *fields, json_t **ret, GError **error)
{
	struct edit e = { .p = p, .id = id };
	int r;

	if ((r = interview_values(fields, false, &e.v, error)) < 0)
		return r;
	if (json_object_size(fields) == 0)
		return at_error_set(error, -EINVAL, "nothing to change: give at, duration, type, where or notes");
	return store_transaction(p->store, edit_tx, &e, ret, error);
}

struct remove {
	const struct pipeline *p;
	int64_t id;
	int64_t app_id; /* out */
};

static int remove_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct remove *rm = arg;
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = store_one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", rm->id, "interview", &cur, error)) < 0)
		return r;
	rm->app_id = json_integer_value(json_object_get(cur, "application_id"));
	g_autofree char *text = g_strdup_printf("interview %s removed", json_string_value(json_object_get(cur, "starts_at")));
	json_decref(cur);
	/* its pending reminders go with it (ON DELETE CASCADE); the timeline keeps a line */
	if ((r = store_prepare(s, "DELETE FROM interviews WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, rm->id);
	if ((r = store_step_done(s, st, "removing an interview", error)) < 0)
		return r;
	return pipeline_event(rm->p, rm->app_id, "interview", NULL, NULL, text, NULL, error);
}

int interviews_remove(const struct pipeline *p, int64_t id, int64_t *ret_app_id, GError **error)
{
	struct remove rm = { .p = p, .id = id };
	int r = store_transaction(p->store, remove_tx, &rm, NULL, error);

	if (r >= 0 && ret_app_id)
		*ret_app_id = rm.app_id;
	return r < 0 ? r : 0;
}

/* ---- interviews from calendar invitations (invitation.h), by their UID ---- */

const char *interview_invite_change_name(enum interview_invite_change change)
{
	static const char *const names[] = { [INVITE_ADDED] = "added", [INVITE_MOVED] = "moved",
					     [INVITE_UNCHANGED] = "unchanged", [INVITE_CANCELLED] = "cancelled",
					     [INVITE_UNKNOWN] = "unknown" };
	return (unsigned)change < G_N_ELEMENTS(names) ? names[change] : NULL;
}

int interviews_by_invite(store *s, const char *uid, int64_t *ret_id, int64_t *ret_app_id, int64_t *ret_sequence,
			 GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT id, application_id, invite_sequence FROM interviews WHERE invite_uid = ?", &st,
			      error);

	*ret_id = *ret_app_id = 0;
	if (ret_sequence)
		*ret_sequence = 0;
	if (r < 0)
		return r;
	store_bind_text(st, 1, uid);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(st, 0);
		*ret_app_id = sqlite3_column_int64(st, 1);
		if (ret_sequence)
			*ret_sequence = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : store_error(s, error, "finding an invitation's interview");
}

/* The type an invitation gives: video with a meeting link, phone when its location says
 * so, onsite with any other location, else none. */
static const char *invite_type(const struct invitation *inv)
{
	if (inv->meeting_url)
		return "video";
	if (!inv->location)
		return NULL;
	g_autofree char *folded = g_utf8_casefold(inv->location, -1);
	return strstr(folded, "phone") || inv->location[0] == '+' ? "phone" : "onsite";
}

/* The timeline's words for what an invitation set: " from invitation "Summary" by
 * Organizer; recurs weekly" (g_free). */
static char *invite_words(const struct invitation *inv)
{
	GString *s = g_string_new(" from invitation");

	if (inv->summary)
		g_string_append_printf(s, " \"%s\"", inv->summary);
	if (inv->organizer)
		g_string_append_printf(s, " by %s", inv->organizer);
	if (inv->recurs)
		g_string_append_printf(s, "; recurs %s", inv->recurs);
	return g_string_free(s, FALSE);
}

/* Binds what an invitation says of its interview to parameters 1 (starts_at) to 8. */
static void bind_invite(sqlite3_stmt *st, const struct invitation *inv)
{
	char start[TIME_ISO_LEN], end[TIME_ISO_LEN];

	store_bind_text(st, 1, time_format_iso(inv->starts_at, start));
	store_bind_text(st, 2, time_format_iso(inv->ends_at, end));
	store_bind_text(st, 3, invite_type(inv));
	store_bind_text(st, 4, inv->location ? inv->location : inv->meeting_url);
	store_bind_text(st, 5, inv->organizer);
	store_bind_text(st, 6, inv->meeting_url);
	store_bind_text(st, 7, inv->rule);
	sqlite3_bind_int64(st, 8, inv->sequence);
}

static int invite_add(const struct pipeline *p, int64_t app_id, const struct invitation *inv, int64_t *ret_id,
		      GError **error)
{
	static const char sql[] = "INSERT INTO interviews (starts_at, ends_at, type, location, organizer, meeting_url, "
				  "recurrence, invite_sequence, application_id, invite_uid, sequence, created_at, "
				  "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?11, ?11)";
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN];
	g_autofree char *words = invite_words(inv);
	g_autofree char *text = NULL;
	enum app_status status;
	sqlite3_stmt *st;
	int r;

	if ((r = applications_exists(p->store, app_id, &status, NULL, error)) < 0 ||
	    (r = store_prepare(p->store, sql, &st, error)) < 0)
		return r;
	bind_invite(st, inv);
	sqlite3_bind_int64(st, 9, app_id);
	store_bind_text(st, 10, inv->uid);
	store_bind_text(st, 11, time_format_iso(pipeline_time(p), now));
	if ((r = store_step_done(p->store, st, "adding an interview from an invitation", error)) < 0)
		return r;
	*ret_id = store_last_id(p->store);
	text = g_strdup_printf("interview %s%s", time_format_iso(inv->starts_at, start), words);
	if ((r = pipeline_event(p, app_id, "interview", NULL, NULL, text, NULL, error)) < 0 ||
	    (r = reminders_schedule_interview(p, *ret_id, app_id, inv->starts_at, error)) < 0)
		return r;
	if (status_is_interview(status))
		return 0;
	return applications_set_status(p, app_id, "screen", "interview scheduled", PIPELINE_FORWARD_ONLY, NULL, error);
}

static int invite_move(const struct pipeline *p, int64_t id, int64_t app_id, const struct invitation *inv,
		       GError **error)
{
	static const char sql[] = "UPDATE interviews SET starts_at = ?1, ends_at = ?2, type = COALESCE(?3, type), "
				  "location = ?4, organizer = ?5, meeting_url = ?6, recurrence = ?7, "
				  "invite_sequence = ?8, sequence = sequence + 1, updated_at = ?9 WHERE id = ?10";
	char now[TIME_ISO_LEN], start[TIME_ISO_LEN];
	g_autofree char *words = invite_words(inv);
	g_autofree char *text = NULL;
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	if ((r = store_one_row(p->store, INTERVIEW_SELECT "WHERE i.id = ?", id, "interview", &cur, error)) < 0)
		return r;
	text = g_strdup_printf("interview %s moved to %s%s", json_string_value(json_object_get(cur, "starts_at")),
			       time_format_iso(inv->starts_at, start), words);
	json_decref(cur);
	if ((r = store_prepare(p->store, sql, &st, error)) < 0)
		return r;
	bind_invite(st, inv);
	store_bind_text(st, 9, time_format_iso(pipeline_time(p), now));
	sqlite3_bind_int64(st, 10, id);
	if ((r = store_step_done(p->store, st, "moving an interview from an invitation", error)) < 0 ||
	    (r = pipeline_event(p, app_id, "interview", NULL, NULL, text, NULL, error)) < 0)
		return r;
	return reminders_schedule_interview(p, id, app_id, inv->starts_at, error);
}

struct invite {
	const struct pipeline *p;
	const struct invitation *inv;
	int64_t app_id;                      /* in (a new interview's application); out */
	int64_t id;                          /* out */
	enum interview_invite_change change; /* out */
};

static int invite_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct invite *in = arg;
	int64_t id, app_id, seq;
	int r;

	(void)ret;
	if ((r = interviews_by_invite(s, in->inv->uid, &id, &app_id, &seq, error)) < 0)
		return r;
	if (!id) {
		in->change = INVITE_ADDED;
		return invite_add(in->p, in->app_id, in->inv, &in->id, error);
	}
	in->id = id;
	in->app_id = app_id;
	/* RFC 5546: a later version has a higher SEQUENCE; an equal or lower one is old news */
	if (in->inv->sequence <= seq) {
		in->change = INVITE_UNCHANGED;
		return 0;
	}
	in->change = INVITE_MOVED;
	return invite_move(in->p, id, app_id, in->inv, error);
}

int interviews_from_invite(const struct pipeline *p, int64_t app_id, const struct invitation *inv,
			   enum interview_invite_change *ret_change, int64_t *ret_id, int64_t *ret_app_id,
			   GError **error)
{
	struct invite in = { .p = p, .inv = inv, .app_id = app_id };
	int r;

	if (inv->method != INVITATION_REQUEST)
		return at_error_set(error, -EINVAL, "invitation %s is not a request", inv->uid);
	if ((r = store_transaction(p->store, invite_tx, &in, NULL, error)) < 0)
		return r;
	*ret_change = in.change;
	if (ret_id)
		*ret_id = in.id;
	if (ret_app_id)
		*ret_app_id = in.app_id;
	return 0;
}

static int cancel_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct invite *in = arg;
	int64_t seq;
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = interviews_by_invite(s, in->inv->uid, &in->id, &in->app_id, &seq, error)) < 0)
		return r;
	/* a cancellation older than the version stored does not cancel the newer one */
	if (!in->id || in->inv->sequence < seq) {
		in->change = in->id ? INVITE_UNCHANGED : INVITE_UNKNOWN;
		return 0;
	}
	in->change = INVITE_CANCELLED;
	if ((r = store_one_row(s, INTERVIEW_SELECT "WHERE i.id = ?", in->id, "interview", &cur, error)) < 0)
		return r;
	g_autofree char *text = g_strdup_printf("interview %s cancelled by invitation%s%s",
						json_string_value(json_object_get(cur, "starts_at")),
						in->inv->organizer ? " from " : "",
						in->inv->organizer ? in->inv->organizer : "");
	json_decref(cur);
	if ((r = store_prepare(s, "DELETE FROM interviews WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, in->id);
	if ((r = store_step_done(s, st, "cancelling an interview", error)) < 0)
		return r;
	return pipeline_event(in->p, in->app_id, "interview", NULL, NULL, text, NULL, error);
}

int interviews_cancel_invite(const struct pipeline *p, const struct invitation *inv,
			     enum interview_invite_change *ret_change, int64_t *ret_id, int64_t *ret_app_id,
			     GError **error)
{
	struct invite in = { .p = p, .inv = inv };
	int r = store_transaction(p->store, cancel_tx, &in, NULL, error);

	if (r < 0)
		return r;
	*ret_change = in.change;
	if (ret_id)
		*ret_id = in.id;
	if (ret_app_id)
		*ret_app_id = in.app_id;
	return 0;
}

int interviews_list(store *s, int64_t from, int64_t to, const char *type, json_t **ret, GError **error)
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
	return store_rows_json(s, st, false, ret, error);
}

/* The first limit interviews starting in [from, to), by start time; *ret_more: how many more. */
static int interviews_ahead(store *s, int64_t from, int64_t to, int64_t limit, json_t **ret, int64_t *ret_more,
			    GError **error)
{
	static const char sql[] = INTERVIEW_SELECT "WHERE i.starts_at >= ?1 AND i.starts_at < ?2 "
						   "ORDER BY i.starts_at, i.id LIMIT ?3";
	static const char count_sql[] = "SELECT count(*) FROM interviews WHERE starts_at >= ?1 AND starts_at < ?2";
	char a[TIME_ISO_LEN], b[TIME_ISO_LEN];
	json_t *list = NULL;
	sqlite3_stmt *st;
	int64_t total = 0;
	int r;

	time_format_iso(from, a);
	time_format_iso(to, b);
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, a);
	store_bind_text(st, 2, b);
	sqlite3_bind_int64(st, 3, limit);
	if ((r = store_rows_json(s, st, false, &list, error)) < 0)
		return r;
	if ((r = store_prepare(s, count_sql, &st, error)) < 0) {
		json_decref(list);
		return r;
	}
	store_bind_text(st, 1, a);
	store_bind_text(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*ret = list;
	*ret_more = total > (int64_t)json_array_size(list) ? total - (int64_t)json_array_size(list) : 0;
	return 0;
}

int interviews_upcoming(store *s, int64_t now, int days, int64_t limit, json_t **ret, GError **error)
{
	static const char count_sql[] = "SELECT count(*) FROM applications WHERE status IN "
					"('applied','screen','assessment','technical','onsite','final','offer')";
	static const char recent_sql[] = "SELECT id, company, position, status, source, applied_at FROM applications "
					 "WHERE applied_at IS NOT NULL ORDER BY applied_at DESC, id DESC LIMIT 5";
	json_t *interviews = NULL, *reminders = NULL, *recent = NULL;
	sqlite3_stmt *st;
	int64_t active = 0, more_interviews = 0, more_reminders = 0, until = now + (int64_t)days * 86400;
	int r;

	if ((r = interviews_ahead(s, now, until, limit, &interviews, &more_interviews, error)) < 0 ||
	    (r = reminders_due_before(s, until, limit, &reminders, &more_reminders, error)) < 0 ||
	    (r = store_prepare(s, recent_sql, &st, error)) < 0 || (r = store_rows_json(s, st, false, &recent, error)) < 0 ||
	    (r = store_prepare(s, count_sql, &st, error)) < 0)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW)
		active = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*ret = json_pack("{s:o,s:I,s:o,s:I,s:I,s:o,s:i,s:I}", "interviews", interviews, "more_interviews",
			 (json_int_t)more_interviews, "reminders", reminders, "more_reminders", (json_int_t)more_reminders,
			 "in_progress", (json_int_t)active, "recent", recent, "days", days, "limit", (json_int_t)limit);
	return 0;
fail:
	json_decref(interviews);
	json_decref(reminders);
	json_decref(recent);
	return r;
}
