/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pipeline.h - the application pipeline: statuses, the change context, the event log and
 * the automatic reminders.
 *
 * Tracked data is split by resource, one module per table it writes (docs/decisions.md,
 * "Architecture"): applications.h (applications and their listing), reminders.h,
 * contacts.h, interviews.h (with the dashboard); this module writes the events table and
 * decides which reminders a status brings. Every change runs in one transaction (nested
 * inside the caller's when there is one, see store_transaction()) and writes its event, so
 * the events table stays the record the analytics read.
 *
 * A change is made in a context, struct pipeline: the store, the reminder delays, and the
 * time the change happens (the clock, or the Date of the mail being applied, so that the
 * timeline says when things happened). Reads take the store alone.
 *
 * Values cross these interfaces as jansson objects, the same shape the control protocol
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
 *    interview_prep reminder at the change's time + interview_prep and a thank_you at the
 *    change's time + thank_you (none whose moment has passed). In imported history
 *    (p->history) the change's time is the applied date, at the current time of day, as
 *    for follow-ups: 26,000 old interview-stage rows do not bring 26,000 reminders due now.
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
#define PIPELINE_BOARD_DEFAULT_LIMIT 50 /* cards per column */
#define PIPELINE_BOARD_MAX_LIMIT 500

/* Flags for applications_add() and applications_set_status(). */
enum {
	/* add: accept created_at / updated_at in fields (import round trip) */
	PIPELINE_KEEP_TIMES = 1 << 0,
	/* set_status: refuse to move backwards in pipeline order or out of a terminal
	 * status (returns 0 and leaves the application as it is: mail never moves backwards) */
	PIPELINE_FORWARD_ONLY = 1 << 1,
};

/* The change context: what a change needs besides its own arguments. */
struct pipeline {
	store *store;
	const struct pipeline_delays *delays;
	int64_t at; /* when the changes happen (Unix seconds), e.g. the Date of a mail; 0: the clock */
	/* the changes record the past (a CSV import, applications_add() with PIPELINE_KEEP_TIMES):
	 * the interview reminders are timed from the application's applied date, as follow-ups
	 * are, so that history whose moment has passed brings none */
	bool history;
	/* while a mail is applied: its sender ("Name <address>" or the address) and subject,
	 * written with every event the change makes (NULL: not from a mail) */
	const char *mail_from;
	const char *mail_subject;
};

/* p->at, or the clock. */
int64_t pipeline_time(const struct pipeline *p);

/* The SQL expression that orders the column status by pipeline order (saved first,
 * ghosted last), generated from the status table. Static string. */
const char *status_order_sql(void);
/* -EINVAL "unknown status \"text\" (valid: saved, applied, ...)". */
int status_unknown(const char *text, GError **error);

/* ---- events (the timeline) ---- */

/* Appends an event of kind ("created", "status_change", "note", "edit", "email",
 * "interview") to application app_id's timeline, at the context's time, with the context's
 * mail_from and mail_subject. *ret_id (may be NULL) gets its id. */
int pipeline_event(const struct pipeline *p, int64_t app_id, const char *kind, const char *from, const char *to,
		   const char *text, int64_t *ret_id, GError **error);
/* Appends an `email` event (text = subject, message_id). */
int pipeline_email_event(const struct pipeline *p, int64_t app_id, const char *subject, const char *message_id,
			 GError **error);
/* The event with id, as {"id","at","kind","text",...} (nulls left out). */
int pipeline_event_get(store *s, int64_t id, json_t **ret_event, GError **error);

/* ---- automatic reminders ---- */

/* Application app_id moved from status from (APP_STATUS_COUNT: it was just created) to
 * status to, with applied_at (YYYY-MM-DD or NULL): schedules and cancels the reminders
 * that come with it (see above). */
int pipeline_status_entered(const struct pipeline *p, int64_t app_id, enum app_status from, enum app_status to,
			    const char *applied_at, GError **error);

#endif
