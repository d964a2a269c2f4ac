/* SPDX-License-Identifier: GPL-3.0-or-later */
/* applications.h - applications: add, edit, status changes, notes, removal, and listing.
 *
 * The applications table is written here only. Every change writes its event and keeps
 * the automatic reminders in step (pipeline.h). Summary objects: id, company, position,
 * status, source, location, salary, url, applied_at, created_at, updated_at, notes,
 * days_in_stage (whole days since the last status_change event, or since created_at) and
 * next_reminder ({"id","kind","due_at"} of the earliest pending or snoozed reminder, or
 * null).
 */
#ifndef APPTRACK_APPLICATIONS_H
#define APPTRACK_APPLICATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/pipeline.h"

/* Creates an application from fields (company and position required; status defaults to
 * applied, applied_at to the change's date when status is applied or later). Writes the
 * `created` event and schedules reminders. flags: PIPELINE_KEEP_TIMES. *ret_id gets the
 * new id. */
int applications_add(const struct pipeline *p, json_t *fields, unsigned flags, int64_t *ret_id, GError **error);
/* Changes the given fields (not status: use set_status; a `status` field here is
 * refused). Writes an `edit` event naming the fields. */
int applications_edit(const struct pipeline *p, int64_t id, json_t *fields, GError **error);
/* Moves the application to status (name or alias), writing a status_change event
 * (with note as its text when non-NULL) and adjusting reminders. Setting the current
 * status again changes nothing and succeeds. flags: PIPELINE_FORWARD_ONLY. *ret_changed
 * (may be NULL) tells whether anything changed. */
int applications_set_status(const struct pipeline *p, int64_t id, const char *status, const char *note,
			    unsigned flags, bool *ret_changed, GError **error);
/* Appends a note event; *ret_event gets the event object. */
int applications_note(const struct pipeline *p, int64_t id, const char *text, json_t **ret_event, GError **error);
/* Deletes the application with its events, reminders, interviews and contact links. */
int applications_remove(const struct pipeline *p, int64_t id, GError **error);

/* -ENOENT "no application with id ID" when there is none; else 0 with its status and
 * applied_at (g_free) in *ret_status and *ret_applied (each may be NULL). */
int applications_exists(store *s, int64_t id, enum app_status *ret_status, char **ret_applied, GError **error);
/* The application object with job_description, events, reminders, interviews and
 * contacts arrays. -ENOENT when there is none. */
int applications_show(store *s, int64_t id, json_t **ret_app, GError **error);
/* Summary object (no job_description, no arrays). */
int applications_get(store *s, int64_t id, json_t **ret_app, GError **error);
/* Array of summaries filtered by params (see applications.list in docs/protocol.md). */
int applications_list(store *s, json_t *params, json_t **ret_list, GError **error);
/* The same list as JSON text (g_free), written straight from the rows: what the daemon
 * sends, without the cost of jansson objects for thousands of rows. */
int applications_list_text(store *s, json_t *params, char **ret_json, GError **error);
/* The board: {"columns":[{"status","count","cards":[summary, ...]}, ...]}, a column per
 * status in pipeline order, its cards most recently changed (updated_at) first. params:
 * optional "limit" of cards per column (PIPELINE_BOARD_DEFAULT_LIMIT, at most
 * PIPELINE_BOARD_MAX_LIMIT). */
int applications_board(store *s, json_t *params, json_t **ret_board, GError **error);
/* Number of applications. */
int applications_count(store *s, int64_t *ret_count, GError **error);

#endif
