/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mailapply_internal.h - what mailapply.c shares with mailapply_review.c. Private to
 * src/core. */
#ifndef APPTRACK_MAILAPPLY_INTERNAL_H
#define APPTRACK_MAILAPPLY_INTERNAL_H

#include "apptrack/invitation.h"
#include "apptrack/mailapply.h"

/* Remembers the message key as handled (messages table), from origin o, applied to app_id
 * (0: none) as kind (NULL: matched nothing), so that a rescan never applies it twice. */
int mailapply_remember(store *s, const char *key, const struct mail_origin *o, int64_t app_id, const char *kind,
		       GError **error);

/* Moves application app_id to the status a message of kind gives it (mailapply_kind_status();
 * applied for a kind that names none), never backwards; *ret_outcome: APPLY_UPDATED, or
 * APPLY_UNCHANGED when it was there already or further. */
int mailapply_advance(const struct pipeline *p, int64_t app_id, enum mail_kind kind, enum apply_outcome *ret_outcome,
		      GError **error);

/* ---- mailapply_invite.c: the calendar invitation of a message ---- */

/* Reads m's invitation into *ret_inv (NULL when m has none, or has an answer such as a
 * REPLY rather than an invitation). Returns why it cannot be read (g_free: "invitation:
 * ..."), or NULL. */
char *mailapply_invite_read(const struct mime_message *m, struct invitation **ret_inv);
/* An invitation whose UID is an interview's already: moves it (a higher SEQUENCE) or
 * cancels it, on that interview's application, whatever the message's kind. *ret_app_id:
 * that application, 0 when the UID is not known (then nothing happened); *ret_outcome
 * APPLY_UPDATED or APPLY_UNCHANGED. */
int mailapply_invite_known(const struct pipeline *p, const struct invitation *inv, enum apply_outcome *ret_outcome,
			   int64_t *ret_app_id, GError **error);
/* A request (inv; NULL or another method: nothing) linked to app_id, which its message
 * was applied to: adds (or moves) its interview, *ret_outcome APPLY_UNCHANGED becoming
 * APPLY_UPDATED; a recurring one whose occurrences are all past adds none and says so in
 * the timeline. */
int mailapply_invite_apply(const struct pipeline *p, int64_t app_id, const struct invitation *inv,
			   enum apply_outcome *ret_outcome, GError **error);

#endif
