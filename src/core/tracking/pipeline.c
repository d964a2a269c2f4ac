/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pipeline.c - statuses, the change context, the event log and the automatic reminders.
 *
 * The events table is written here only; the reminders a status brings are decided here
 * and written by reminders.c.
 */
#include "apptrack/pipeline.h"

#include "apptrack/error.h"
#include "apptrack/reminders.h"
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

int status_unknown(const char *text, GError **error)
{
	g_autofree char *valid = g_strjoinv(", ", (char **)status_names);
	return at_error_set(error, -EINVAL, "unknown status \"%s\" (valid: %s)", text, valid);
}

static char *build_status_order(void)
{
	GString *sql = g_string_new("CASE status");

	for (int i = 0; i < APP_STATUS_COUNT; i++)
		g_string_append_printf(sql, " WHEN '%s' THEN %d", status_names[i], i);
	g_string_append_printf(sql, " ELSE %d END", APP_STATUS_COUNT);
	return g_string_free(sql, FALSE);
}

const char *status_order_sql(void)
{
	static char *sql;

	if (g_once_init_enter(&sql))
		g_once_init_leave(&sql, build_status_order());
	return sql;
}

/* ---- the change context ---- */

int64_t pipeline_time(const struct pipeline *p)
{
	return p->at ? p->at : time_now();
}

/* ---- events ---- */

int pipeline_event(const struct pipeline *p, int64_t app_id, const char *kind, const char *from, const char *to,
		   const char *text, int64_t *ret_id, GError **error)
{
	static const char sql[] = "INSERT INTO events (application_id, at, kind, from_status, to_status, text, "
				  "mail_from, mail_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	char at[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(p->store, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	store_bind_text(st, 2, time_format_iso(pipeline_time(p), at));
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, from);
	store_bind_text(st, 5, to);
	store_bind_text(st, 6, text);
	store_bind_text(st, 7, p->mail_from);
	store_bind_text(st, 8, p->mail_subject);
	if ((r = store_step_done(p->store, st, "writing an event", error)) < 0)
		return r;
	if (ret_id)
		*ret_id = store_last_id(p->store);
	return 0;
}

int pipeline_email_event(const struct pipeline *p, int64_t app_id, const char *subject, const char *message_id,
			 GError **error)
{
	static const char sql[] = "UPDATE events SET message_id = ? WHERE id = ?";
	sqlite3_stmt *st;
	int64_t id;
	int r;

	if ((r = pipeline_event(p, app_id, "email", NULL, NULL, subject ? subject : "(no subject)", &id, error)) < 0 ||
	    (r = store_prepare(p->store, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, message_id);
	sqlite3_bind_int64(st, 2, id);
	return store_step_done(p->store, st, "writing an email event", error);
}

int pipeline_event_get(store *s, int64_t id, json_t **ret_event, GError **error)
{
	static const char sql[] = "SELECT id, at, kind, text FROM events WHERE id = ?";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	json_t *event = sqlite3_step(st) == SQLITE_ROW ? store_row_json(st, -1, true) : NULL;
	sqlite3_reset(st);
	*ret_event = event ? event : json_object();
	return 0;
}

/* ---- automatic reminders ---- */

/* The applied date at the current time of day (Unix seconds) in *ret; false when there is
 * none. Local midnights, not days * 86400, so that DST changes in between do not shift the
 * hour. */
static bool applied_moment(const char *applied_at, int64_t now, int64_t *ret)
{
	int64_t applied_midnight, today_midnight;
	char today[TIME_DATE_LEN];

	if (!applied_at || time_parse_date(applied_at, NULL, &applied_midnight) < 0 ||
	    time_parse_date(time_format_date(now, today), NULL, &today_midnight) < 0)
		return false;
	*ret = applied_midnight + (now - today_midnight);
	return true;
}

/* Due follow_up after the applied date, at the current time of day: applied today means
 * now + follow_up. */
static int schedule_follow_up(const struct pipeline *p, int64_t app_id, const char *applied_at, GError **error)
{
	int64_t now = time_now(), applied = now;

	applied_moment(applied_at, now, &applied);
	int64_t due = applied + p->delays->follow_up;
	if (due <= now) /* the moment has passed (imported history): no reminder */
		return 0;
	return reminders_schedule(p, app_id, "follow_up", due, NULL, 0, error);
}

/* interview_prep and thank_you, after the change's time; in imported history after the
 * applied date (when there is one), so that old interview stages bring none. */
static int schedule_interview(const struct pipeline *p, int64_t app_id, const char *applied_at, GError **error)
{
	const struct {
		const char *kind;
		int64_t delay;
	} kinds[] = { { "interview_prep", p->delays->interview_prep }, { "thank_you", p->delays->thank_you } };
	int64_t base = pipeline_time(p), now = time_now();

	if (p->history)
		applied_moment(applied_at, now, &base);
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		int64_t n = 0;
		int r = reminders_count_open(p->store, app_id, kinds[i].kind, &n, error);
		if (r < 0)
			return r;
		/* a reminder whose moment passed before we learnt of it (old mail, imported
		 * history) is not made */
		if (n == 0 && base + kinds[i].delay >= now &&
		    (r = reminders_schedule(p, app_id, kinds[i].kind, base + kinds[i].delay, NULL, 0, error)) < 0)
			return r;
	}
	return 0;
}

int pipeline_status_entered(const struct pipeline *p, int64_t app_id, enum app_status from, enum app_status to,
			    const char *applied_at, GError **error)
{
	int r;

	if (from == APP_APPLIED && (r = reminders_cancel_follow_ups(p, app_id, error)) < 0)
		return r;
	if (to == APP_APPLIED)
		return schedule_follow_up(p, app_id, applied_at, error);
	if (status_is_interview(to))
		return schedule_interview(p, app_id, applied_at, error);
	return 0;
}
