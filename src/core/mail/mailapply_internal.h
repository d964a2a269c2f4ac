/* mailapply_internal.h - what mailapply.c shares with mailapply_review.c. Private to
 * src/core. */
#ifndef APPTRACK_MAILAPPLY_INTERNAL_H
#define APPTRACK_MAILAPPLY_INTERNAL_H

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

#endif
