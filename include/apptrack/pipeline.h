/* pipeline.h - applications, their statuses, the event log, reminders and contacts.
 *
 * Everything that changes tracked data goes through here, so that every change writes
 * its event and keeps the automatic reminders in step. Each function runs in one
 * transaction (nested inside the caller's when there is one, see store_begin()).
 *
 * Values cross this interface as jansson objects, the same shape the control protocol
 * uses (docs/protocol.md): functions take a borrowed `json_t *` of fields or parameters
 * and hand back a new reference in *ret_* (release with json_decref). Unknown fields,
 * wrong types and bad values are refused with -EINVAL and a message naming the field.
 *
 * Automation (delays from struct pipeline_delays, i.e. [reminders] in apptrack.conf):
 *  - entering `applied` (on creation or later) schedules a follow_up reminder at the
 *    applied date + follow_up; when that moment is already past, none is scheduled
 *    (imported history does not flood the user). Leaving `applied` cancels the pending
 *    follow-up.
 *  - entering an interview stage (screen, technical, onsite, final) schedules an
 *    interview_prep reminder at now + interview_prep and a thank_you at now + thank_you.
 */
#ifndef APPTRACK_PIPELINE_H
#define APPTRACK_PIPELINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/store.h"

/* Pipeline order, then the terminal statuses. */
enum app_status {
	APP_SAVED,
	APP_APPLIED,
	APP_SCREEN,
	APP_ASSESSMENT,
	APP_TECHNICAL,
	APP_ONSITE,
	APP_FINAL,
	APP_OFFER,
	APP_ACCEPTED,
	APP_REJECTED,
	APP_WITHDRAWN,
	APP_GHOSTED,
	APP_STATUS_COUNT
};

/* Canonical name ("screen"); NULL for an out-of-range value. Static string. */
const char *status_name(enum app_status status);
/* Parses a status name or alias, case-insensitively, with spaces and '-' read as '_'
 * (phone_screen, phone, interview -> screen; oa, challenge -> assessment; ...).
 * 0 or -EINVAL. */
int status_parse(const char *text, enum app_status *ret_status);
bool status_is_terminal(enum app_status status);
/* screen, technical, onsite, final */
bool status_is_interview(enum app_status status);

#define PIPELINE_INTERVIEW_ALARMS_MAX 4

struct pipeline_delays {
	int64_t follow_up;      /* seconds, default 7 days */
	int64_t interview_prep; /* seconds, default 0 (now) */
	int64_t thank_you;      /* seconds, default 1 day */
	int64_t interview_before[PIPELINE_INTERVIEW_ALARMS_MAX]; /* reminders this long before an interview */
	size_t n_interview_before; /* default 2: 1 day and 1 hour */
};
#define PIPELINE_DELAYS_DEFAULT { 7 * 86400, 0, 86400, { 86400, 3600 }, 2 }

/* Limits on what a client can store. */
#define PIPELINE_MAX_SHORT_FIELD 1024        /* company, position, location, ... */
#define PIPELINE_MAX_NOTES (256 * 1024)
#define PIPELINE_MAX_JOB_DESCRIPTION (1024 * 1024)
#define PIPELINE_LIST_DEFAULT_LIMIT 1000
#define PIPELINE_LIST_MAX_LIMIT 100000

/* Flags for pipeline_app_add() and pipeline_app_set_status(). */
enum {
	/* add: accept created_at / updated_at in fields (import round trip) */
	PIPELINE_KEEP_TIMES = 1 << 0,
	/* set_status: refuse to move backwards in pipeline order or out of a terminal
	 * status (returns 0 and leaves the application as it is: mail never moves backwards) */
	PIPELINE_FORWARD_ONLY = 1 << 1,
};

/* Stamps the changes that follow with time t (Unix seconds) instead of the clock, e.g.
 * the Date of the mail being applied, so that the timeline says when things happened;
 * 0 returns to the clock. Reminders whose moment has already passed are not scheduled. */
void pipeline_set_event_time(int64_t t);

/* ---- applications ---- */

/* Creates an application from fields (company and position required; status defaults to
 * applied, applied_at to today when status is applied or later). Writes the `created`
 * event and schedules reminders. *ret_id gets the new id. */
int pipeline_app_add(store *s, const struct pipeline_delays *delays, json_t *fields,
		     unsigned flags, int64_t *ret_id, GError **error);
/* Changes the given fields (not status: use set_status; a `status` field here is
 * refused). Writes an `edit` event naming the fields. */
int pipeline_app_edit(store *s, int64_t id, json_t *fields, GError **error);
/* Moves the application to status (name or alias), writing a status_change event
 * (with note as its text when non-NULL) and adjusting reminders. Setting the current
 * status again changes nothing and succeeds. *ret_changed (may be NULL) tells whether
 * anything changed. */
int pipeline_app_set_status(store *s, const struct pipeline_delays *delays, int64_t id,
			    const char *status, const char *note, unsigned flags,
			    bool *ret_changed, GError **error);
/* Appends an `email` event (text = subject, message_id) to the timeline. */
int pipeline_app_email_event(store *s, int64_t id, const char *subject, const char *message_id, GError **error);
/* Appends a note event; *ret_event gets the event object. */
int pipeline_app_note(store *s, int64_t id, const char *text, json_t **ret_event, GError **error);
/* Deletes the application with its events, reminders, interviews and contact links. */
int pipeline_app_remove(store *s, int64_t id, GError **error);
/* The application object with job_description, events, reminders, interviews and
 * contacts arrays. -ENOENT when there is none. */
int pipeline_app_show(store *s, int64_t id, json_t **ret_app, GError **error);
/* Summary object (no job_description, no arrays). */
int pipeline_app_get(store *s, int64_t id, json_t **ret_app, GError **error);
/* Array of summaries filtered by params (see applications.list in docs/protocol.md). */
int pipeline_app_list(store *s, json_t *params, json_t **ret_list, GError **error);
/* The same list as JSON text (g_free), built by SQLite: what the daemon sends, without
 * the cost of jansson objects for thousands of rows. */
int pipeline_app_list_text(store *s, json_t *params, char **ret_json, GError **error);
/* Number of applications. */
int pipeline_app_count(store *s, int64_t *ret_count, GError **error);

/* ---- reminders ---- */

/* Array of reminders (due first) with application company/position; all = include done
 * and cancelled. */
/* What a reminder of kind asks for, as a title ("Follow up", ...; "Reminder" for custom
 * and unknown kinds). Static string; for notifications and the calendar feed. */
const char *reminder_title(const char *kind);
int pipeline_reminders_list(store *s, bool all, json_t **ret_list, GError **error);
int pipeline_reminder_done(store *s, int64_t id, json_t **ret_reminder, GError **error);
/* Pushes due_at to now + seconds and sets state snoozed. seconds must be > 0. */
int pipeline_reminder_snooze(store *s, int64_t id, int64_t seconds, json_t **ret_reminder,
			     GError **error);

/* ---- contacts ---- */

int pipeline_contact_add(store *s, json_t *fields, json_t **ret_contact, GError **error);
/* search (may be NULL) matches name, company and position, case-insensitively. */
int pipeline_contact_list(store *s, const char *search, json_t **ret_list, GError **error);
/* Contact with an `applications` array of linked application summaries. */
int pipeline_contact_show(store *s, int64_t id, json_t **ret_contact, GError **error);
int pipeline_contact_edit(store *s, int64_t id, json_t *fields, json_t **ret_contact,
			  GError **error);
int pipeline_contact_remove(store *s, int64_t id, GError **error);
/* Links (or with unlink, unlinks) contact and application. Linking twice is fine. */
int pipeline_contact_link(store *s, int64_t contact_id, int64_t app_id, bool unlink,
			  GError **error);

/* ---- interviews ---- */

#define PIPELINE_INTERVIEW_DEFAULT_DURATION 3600

/* Interview objects: id, application_id, company, position, starts_at, ends_at (UTC ISO),
 * type (phone, video, onsite or null), location, notes, sequence (bumped on every change,
 * for the calendar feed), created_at, updated_at. */

/* fields: application (id), at (ISO 8601 with Z or an offset), optional duration (seconds
 * or "45m"; default 1 hour), type, where, notes. Adds an `interview` event, schedules an
 * `interview` reminder delays->interview_before[i] before the start (those still ahead),
 * and moves an application that is not at an interview stage yet to screen (never
 * backwards). */
int pipeline_interview_add(store *s, const struct pipeline_delays *delays, json_t *fields, json_t **ret,
			   GError **error);
/* Changes the given fields (at keeps the duration; duration keeps the start, and moves the
 * interview's pending reminders with it); null clears type, where or notes. */
int pipeline_interview_edit(store *s, const struct pipeline_delays *delays, int64_t id, json_t *fields, json_t **ret,
			    GError **error);
int pipeline_interview_remove(store *s, int64_t id, GError **error);
/* Interviews starting in [from, to) (0: open), of type (NULL: any), by start time. */
int pipeline_interview_list(store *s, int64_t from, int64_t to, const char *type, json_t **ret, GError **error);

/* The dashboard: {"interviews": starting within days of now, "reminders": open ones due
 * before then (overdue included), "in_progress": applications between applied and offer,
 * "recent": the 5 latest applications, "days"}. */
int pipeline_upcoming(store *s, int64_t now, int days, json_t **ret, GError **error);

#endif
