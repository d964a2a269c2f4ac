/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reminders.c - the reminders table: listing, done and snooze, scheduling for the pipeline
 * and interviews, and the raised marks of the daemon's scheduler. */
#include "apptrack/reminders.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <string.h>

#define REMINDER_SELECT                                                                          \
	"SELECT r.id, r.application_id, a.company, a.position, r.kind, r.due_at, r.state, r.note " \
	"FROM reminders r LEFT JOIN applications a ON a.id = r.application_id "

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

int reminders_list(store *s, bool all, json_t **ret_list, GError **error)
{
	const char *sql = all ? REMINDER_SELECT "ORDER BY r.due_at, r.id"
			      : REMINDER_SELECT "WHERE r.state IN ('pending', 'snoozed') ORDER BY r.due_at, r.id";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	return r < 0 ? r : store_rows_json(s, st, false, ret_list, error);
}

int reminders_due_before(store *s, int64_t until, int64_t limit, json_t **ret_list, int64_t *ret_more,
			 GError **error)
{
	static const char count_sql[] = "SELECT count(*) FROM reminders WHERE state IN ('pending', 'snoozed') AND due_at < ?";
	char iso[TIME_ISO_LEN];
	json_t *list = NULL;
	sqlite3_stmt *st;
	int64_t total = 0;
	int r = store_prepare(s, REMINDER_SELECT "WHERE r.state IN ('pending', 'snoozed') AND r.due_at < ? "
						"ORDER BY r.due_at, r.id LIMIT ?",
			      &st, error);

	if (r < 0)
		return r;
	time_format_iso(until, iso);
	store_bind_text(st, 1, iso);
	sqlite3_bind_int64(st, 2, limit);
	if ((r = store_rows_json(s, st, false, &list, error)) < 0)
		return r;
	if ((r = store_prepare(s, count_sql, &st, error)) < 0) {
		json_decref(list);
		return r;
	}
	store_bind_text(st, 1, iso);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*ret_list = list;
	*ret_more = total > (int64_t)json_array_size(list) ? total - (int64_t)json_array_size(list) : 0;
	return 0;
}

struct update {
	const struct pipeline *p;
	int64_t id;
	const char *state;
	int64_t due; /* 0: keep */
};

static int update_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] = "UPDATE reminders SET state = ?, due_at = COALESCE(?2, due_at), updated_at = ?, "
				  "sequence = sequence + 1, fired_at = CASE WHEN ?2 IS NULL THEN fired_at END "
				  "WHERE id = ?";
	const struct update *u = arg;
	char now[TIME_ISO_LEN], due_iso[TIME_ISO_LEN];
	json_t *cur = NULL;
	sqlite3_stmt *st;
	int r;

	if ((r = store_one_row(s, REMINDER_SELECT "WHERE r.id = ?", u->id, "reminder", &cur, error)) < 0)
		return r;
	const char *cur_state = json_string_value(json_object_get(cur, "state"));
	if (u->due && (g_strcmp0(cur_state, "done") == 0 || g_strcmp0(cur_state, "cancelled") == 0))
		r = at_error_set(error, -EINVAL, "reminder %" G_GINT64_FORMAT " is %s and cannot be snoozed", u->id,
				 cur_state);
	json_decref(cur);
	if (r < 0)
		return r;
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, u->state);
	store_bind_text(st, 2, u->due ? time_format_iso(u->due, due_iso) : NULL);
	store_bind_text(st, 3, time_format_iso(pipeline_time(u->p), now));
	sqlite3_bind_int64(st, 4, u->id);
	if ((r = store_step_done(s, st, "updating a reminder", error)) < 0)
		return r;
	return store_one_row(s, REMINDER_SELECT "WHERE r.id = ?", u->id, "reminder", ret, error);
}

int reminders_done(const struct pipeline *p, int64_t id, json_t **ret_reminder, GError **error)
{
	struct update u = { p, id, "done", 0 };
	return store_transaction(p->store, update_tx, &u, ret_reminder, error);
}

int reminders_snooze(const struct pipeline *p, int64_t id, int64_t seconds, json_t **ret_reminder, GError **error)
{
	struct update u = { p, id, "snoozed", time_now() + seconds };

	if (seconds <= 0)
		return at_error_set(error, -EINVAL, "snooze needs a positive duration");
	return store_transaction(p->store, update_tx, &u, ret_reminder, error);
}

/* ---- for the pipeline and interviews ---- */

int reminders_schedule(const struct pipeline *p, int64_t app_id, const char *kind, int64_t due, const char *note,
		       int64_t interview_id, GError **error)
{
	static const char sql[] = "INSERT INTO reminders (application_id, kind, due_at, state, note, interview_id, "
				  "created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?6)";
	char due_iso[TIME_ISO_LEN], now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(p->store, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, time_format_iso(due, due_iso));
	store_bind_text(st, 4, note);
	if (interview_id)
		sqlite3_bind_int64(st, 5, interview_id);
	store_bind_text(st, 6, time_format_iso(pipeline_time(p), now));
	return store_step_done(p->store, st, "scheduling a reminder", error);
}

int reminders_count_open(store *s, int64_t app_id, const char *kind, int64_t *ret_count, GError **error)
{
	static const char sql[] = "SELECT count(*) FROM reminders WHERE application_id = ? AND kind = ? "
				  "AND state IN ('pending', 'snoozed')";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, kind);
	*ret_count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return 0;
}

int reminders_cancel_follow_ups(const struct pipeline *p, int64_t app_id, GError **error)
{
	static const char sql[] = "UPDATE reminders SET state = 'cancelled', updated_at = ? WHERE application_id = ? "
				  "AND kind = 'follow_up' AND state IN ('pending', 'snoozed')";
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(p->store, sql, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, time_format_iso(pipeline_time(p), now));
	sqlite3_bind_int64(st, 2, app_id);
	return store_step_done(p->store, st, "cancelling follow-ups", error);
}

int reminders_schedule_interview(const struct pipeline *p, int64_t interview_id, int64_t app_id, int64_t start,
				 GError **error)
{
	static const char del[] = "DELETE FROM reminders WHERE interview_id = ? AND kind = 'interview' AND "
				  "state IN ('pending', 'snoozed')";
	sqlite3_stmt *st;
	int r;

	if ((r = store_prepare(p->store, del, &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, interview_id);
	if ((r = store_step_done(p->store, st, "rescheduling interview reminders", error)) < 0)
		return r;
	for (size_t i = 0; i < p->delays->n_interview_before; i++) {
		int64_t t = start - p->delays->interview_before[i];
		if (t <= time_now())
			continue; /* its moment has passed */
		g_autofree char *dur = time_format_duration(p->delays->interview_before[i]);
		g_autofree char *note = g_strdup_printf("interview in %s", dur);
		if ((r = reminders_schedule(p, app_id, "interview", t, note, interview_id, error)) < 0)
			return r;
	}
	return 0;
}

/* ---- for the scheduler ---- */

int reminders_unraised(store *s, int64_t now, size_t limit, json_t **ret_list, GError **error)
{
	static const char sql[] =
		"SELECT r.id, r.application_id, r.kind, r.due_at, r.note, a.company, a.position "
		"FROM reminders r INDEXED BY reminders_unraised LEFT JOIN applications a ON a.id = r.application_id "
		"WHERE r.state IN ('pending', 'snoozed') AND r.fired_at IS NULL AND r.due_at <= ? "
		"ORDER BY r.due_at, r.id LIMIT ?";
	char iso[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, time_format_iso(now, iso));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)MIN(limit, (size_t)INT64_MAX));
	return store_rows_json(s, st, true, ret_list, error);
}

struct raised {
	const int64_t *ids;
	size_t n;
	int64_t now;
};

static int raised_tx(store *s, void *arg, json_t **ret, GError **error)
{
	const struct raised *rs = arg;
	char iso[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = store_prepare(s, "UPDATE reminders SET fired_at = ? WHERE id = ?", &st, error)) < 0)
		return r;
	time_format_iso(rs->now, iso);
	for (size_t i = 0; i < rs->n; i++) {
		store_bind_text(st, 1, iso);
		sqlite3_bind_int64(st, 2, rs->ids[i]);
		if ((r = store_step_done(s, st, "stamping a reminder", error)) < 0)
			return r;
	}
	return 0;
}

int reminders_raised(store *s, const int64_t *ids, size_t n, int64_t now, GError **error)
{
	struct raised rs = { ids, n, now };
	return n ? store_transaction(s, raised_tx, &rs, NULL, error) : 0;
}

int reminders_next_due(store *s, int64_t *ret_due, GError **error)
{
	static const char sql[] = "SELECT min(due_at) FROM reminders INDEXED BY reminders_unraised "
				  "WHERE state IN ('pending', 'snoozed') AND fired_at IS NULL";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	*ret_due = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    time_parse_iso((const char *)sqlite3_column_text(st, 0), ret_due) < 0)
		*ret_due = 0;
	sqlite3_reset(st);
	return 0;
}
