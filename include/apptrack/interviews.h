/* SPDX-License-Identifier: GPL-3.0-or-later */
/* interviews.h - interviews, and the dashboard of what is coming up.
 *
 * The interviews table is written here only. Interview objects: id, application_id,
 * company, position, starts_at, ends_at (UTC ISO), type (phone, video, onsite or null),
 * location, notes, sequence (bumped on every change, for the calendar feed), created_at,
 * updated_at, organizer, meeting_url, recurrence (the last three set from invitations).
 * An interview from a calendar invitation also keeps the invitation's UID (one interview
 * per UID) and SEQUENCE, so that a later version moves it and a cancellation removes it.
 */
#ifndef APPTRACK_INTERVIEWS_H
#define APPTRACK_INTERVIEWS_H

#include <jansson.h>
#include <stdint.h>

#include "apptrack/invitation.h"
#include "apptrack/pipeline.h"

#define PIPELINE_INTERVIEW_DEFAULT_DURATION 3600

/* fields: application (id), at (ISO 8601 with Z or an offset), optional duration (seconds
 * or "45m"; default 1 hour), type, where, notes. Adds an `interview` event, schedules an
 * `interview` reminder delays->interview_before[i] before the start (those still ahead),
 * and moves an application that is not at an interview stage yet to screen (never
 * backwards). */
int interviews_add(const struct pipeline *p, json_t *fields, json_t **ret, GError **error);
/* Changes the given fields (at keeps the duration; duration keeps the start, and moves the
 * interview's pending reminders with it); null clears type, where or notes. */
int interviews_edit(const struct pipeline *p, int64_t id, json_t *fields, json_t **ret, GError **error);
/* Removes the interview with its reminders, and says so in its application's timeline (an
 * `interview` event "interview START removed"). *ret_app_id (may be NULL): the application. */
int interviews_remove(const struct pipeline *p, int64_t id, int64_t *ret_app_id, GError **error);
/* Interviews starting in [from, to) (0: open), of type (NULL: any), by start time. */
int interviews_list(store *s, int64_t from, int64_t to, const char *type, json_t **ret, GError **error);

/* ---- interviews from calendar invitations ---- */

enum interview_invite_change {
	INVITE_ADDED,     /* a new interview */
	INVITE_MOVED,     /* a later version (higher SEQUENCE) moved it */
	INVITE_UNCHANGED, /* the version stored is as new or newer: nothing changed */
	INVITE_CANCELLED, /* removed */
	INVITE_UNKNOWN,   /* a cancellation of no interview known */
};
/* "added", ... Static string. */
const char *interview_invite_change_name(enum interview_invite_change change);

/* The interview of invitation uid: its id, application and the invitation's SEQUENCE
 * stored (ret_sequence may be NULL); 0s when there is none. */
int interviews_by_invite(store *s, const char *uid, int64_t *ret_id, int64_t *ret_app_id, int64_t *ret_sequence,
			 GError **error);
/* Sets the interview of inv, a request with a time: a new UID adds it to application
 * app_id (as interviews_add(): event, reminders, at least screen), its start, end,
 * location (LOCATION, else the meeting link), type (video with a meeting link, phone,
 * onsite), organizer, meeting link and rule; a known UID with a higher SEQUENCE moves it
 * (on its own application, whatever app_id says), with an `interview` event "interview
 * OLD moved to NEW ..."; a known UID with an equal or lower SEQUENCE changes nothing.
 * *ret_id, *ret_app_id (may be NULL): the interview and its application. */
int interviews_from_invite(const struct pipeline *p, int64_t app_id, const struct invitation *inv,
			   enum interview_invite_change *ret_change, int64_t *ret_id, int64_t *ret_app_id,
			   GError **error);
/* Removes the interview of inv's UID (a cancellation), with an `interview` event
 * "interview START cancelled by invitation", unless the version stored has a higher
 * SEQUENCE (INVITE_UNCHANGED) or there is none (INVITE_UNKNOWN). */
int interviews_cancel_invite(const struct pipeline *p, const struct invitation *inv,
			     enum interview_invite_change *ret_change, int64_t *ret_id, int64_t *ret_app_id,
			     GError **error);

/* The dashboard: {"interviews": the first limit starting within days of now,
 * "more_interviews": how many more, "reminders": the first limit open ones due before then
 * (overdue included, the oldest first), "more_reminders", "in_progress": applications
 * between applied and offer, "recent": the 5 latest applications, "days", "limit"}. */
#define INTERVIEWS_UPCOMING_LIMIT 20
#define INTERVIEWS_UPCOMING_MAX_LIMIT 1000
int interviews_upcoming(store *s, int64_t now, int days, int64_t limit, json_t **ret, GError **error);

#endif
