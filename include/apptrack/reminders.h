/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reminders.h - reminders: the user's list, done and snooze, the automatic ones the
 * pipeline and interviews schedule, and what the daemon's scheduler raises.
 *
 * The reminders table is written here only. Reminder objects: id, application_id,
 * company, position, kind (follow_up, interview_prep, thank_you, interview, custom),
 * due_at (UTC ISO), state (pending, snoozed, done, cancelled), note.
 */
#ifndef APPTRACK_REMINDERS_H
#define APPTRACK_REMINDERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/pipeline.h"

/* What a reminder of kind asks for, as a title ("Follow up", ...; "Reminder" for custom
 * and unknown kinds). Static string; for notifications and the calendar feed. */
const char *reminder_title(const char *kind);

/* Array of reminders (due first) with application company/position; all = include done
 * and cancelled. */
int reminders_list(store *s, bool all, json_t **ret_list, GError **error);
/* The first limit open reminders due before until (Unix seconds), due first; *ret_more gets
 * how many more there are. */
int reminders_due_before(store *s, int64_t until, int64_t limit, json_t **ret_list, int64_t *ret_more,
			 GError **error);
int reminders_done(const struct pipeline *p, int64_t id, json_t **ret_reminder, GError **error);
/* Pushes due_at to now + seconds and sets state snoozed. seconds must be > 0. */
int reminders_snooze(const struct pipeline *p, int64_t id, int64_t seconds, json_t **ret_reminder, GError **error);

/* ---- for the pipeline and interviews ---- */

/* Schedules a pending reminder of kind for application app_id, due at due (Unix seconds),
 * with note (may be NULL), for interview interview_id (0: none). */
int reminders_schedule(const struct pipeline *p, int64_t app_id, const char *kind, int64_t due, const char *note,
		       int64_t interview_id, GError **error);
/* How many open (pending or snoozed) reminders of kind application app_id has. */
int reminders_count_open(store *s, int64_t app_id, const char *kind, int64_t *ret_count, GError **error);
/* Cancels application app_id's open follow-ups. */
int reminders_cancel_follow_ups(const struct pipeline *p, int64_t app_id, GError **error);
/* (Re)schedules the open `interview` reminders of interview interview_id, which starts at
 * start: p->delays->interview_before[i] before it, those still ahead. */
int reminders_schedule_interview(const struct pipeline *p, int64_t interview_id, int64_t app_id, int64_t start,
				 GError **error);

/* ---- for the scheduler (src/daemon/scheduler.c) ---- */

/* At most limit open reminders due by now that were not raised yet, due first:
 * {"id","kind","due_at","note","company","position","application_id"} (nulls left out).
 * Read from an index of the unraised ones, so a slice costs the same however many were
 * raised before it. */
int reminders_unraised(store *s, int64_t now, size_t limit, json_t **ret_list, GError **error);
/* Marks the n reminders of ids as raised at now, in one transaction. */
int reminders_raised(store *s, const int64_t *ids, size_t n, int64_t now, GError **error);
/* When the next open reminder not raised yet is due (Unix seconds), 0 when none. */
int reminders_next_due(store *s, int64_t *ret_due, GError **error);

#endif
