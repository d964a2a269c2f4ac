/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mailapply.h - what a classified message does to the tracked applications.
 *
 * One message, one transaction (nested in the caller's, so a mail batch and its
 * mail_state advance commit together). The rules (rules.h) say what the message is; this
 * module finds its application (by thread: In-Reply-To and References; then by the
 * folded company name, preferring applications still open; then by position when several
 * are open) and applies it:
 *   confirmation  create the application at `applied` (or find it; saved -> applied)
 *   interview     at least `screen`        assessment  `assessment`
 *   rejection     `rejected`               offer       `offer`
 *   recruiter     create or update a contact (by e-mail address), no application
 *   noise, none   nothing
 * Mail never moves an application backwards (PIPELINE_FORWARD_ONLY). Every applied
 * message adds an `email` event (subject, Message-ID) and is stamped with the mail's Date.
 * A message a rule matched but that cannot be applied (no company, no application for it,
 * several candidates), and a message that was not read because it is past a bound of
 * mime.h, go to the review queue with the reason. Every message handled is
 * remembered by Message-ID (or a SHA-256 of the raw message when it has none), so that a
 * rescan never applies it twice.
 */
#ifndef APPTRACK_MAILAPPLY_H
#define APPTRACK_MAILAPPLY_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/mime.h"
#include "apptrack/pipeline.h"
#include "apptrack/rules.h"
#include "apptrack/store.h"

enum apply_outcome {
	APPLY_IGNORED,   /* no rule, or noise */
	APPLY_DUPLICATE, /* handled before */
	APPLY_CREATED,   /* a new application */
	APPLY_UPDATED,   /* its application moved forward */
	APPLY_UNCHANGED, /* its application is already there (or further): event only */
	APPLY_CONTACT,   /* a recruiter's contact was created or updated */
	APPLY_REVIEW,    /* queued for the user */
};

/* The status a message of kind gives its application (interview: at least screen), or
 * false for kinds that move none (recruiter, noise). The one mapping of mail kinds to
 * statuses. */
bool mailapply_kind_status(enum mail_kind kind, enum app_status *ret_status);

/* "created", ... Static string. */
const char *apply_outcome_name(enum apply_outcome outcome);

/* Where a message came from (all may be NULL / 0 for messages given by hand). */
struct mail_origin {
	const char *account;
	const char *mailbox;
	int64_t uid;
};

/* How sure a verdict must be to act on it ([mail] in apptrack.conf), and the reminder
 * delays of what it creates. */
struct mail_policy {
	const struct pipeline_delays *delays;
	double review_below;    /* a less sure verdict on job-search mail waits in the review queue */
	double create_at_least; /* creating an application needs at least this */
};

/* The verdict as the review queue keeps it and `rules test` shows it: {"layer", "rule",
 * "guess": {"kind", "confidence"}, "phrases": [...], "company_candidates": [{"name",
 * "score", "from"}]} (new reference). */
json_t *mailapply_verdict_json(const struct rule_match *match);

/* Why a verdict is not acted on by itself, under policy, when it would have to create an
 * application (creates) or not: a reason for the review queue (g_free), or NULL when it
 * is sure enough. Noise and a rule's verdict are always sure enough. */
char *mailapply_unsure(const struct mail_policy *policy, const struct rule_match *match, bool creates);

/* The key of a raw message by its bytes: "sha256:" and their SHA-256, in hexadecimal
 * (g_free). The key of a message without a Message-ID, of a quarantined message and of a
 * lesson (lessons.h). */
char *mailapply_raw_key(const char *raw, size_t len);
/* The message's sender as the timeline shows it: "Name <address>", the address alone, or
 * NULL when it has neither. g_free. */
char *mailapply_sender(const struct mime_message *m);

/* Applies m, which match classified (NULL when nothing did; m->refused: m was not read),
 * under policy: a verdict less sure than the policy asks waits in the review queue with
 * the verdict. raw is kept with review entries so that `review retry` can classify it
 * again. *ret_outcome says what happened and *ret_id (may be NULL) the application,
 * contact or review entry concerned. */
int mailapply_message(store *s, const struct mail_policy *policy, const struct mime_message *m,
		      const struct rule_match *match, const char *raw, size_t raw_len,
		      const struct mail_origin *origin, enum apply_outcome *ret_outcome, int64_t *ret_id,
		      GError **error);

/* Why a message that stopped apptrackd while it was being read waits in the review queue. */
#define MAILAPPLY_QUARANTINE_REASON "this message stopped apptrackd while it was being read; it is not read again"
/* messages.kind of such a message (its key is "sha256:" and the raw message's SHA-256). */
#define MAILAPPLY_QUARANTINED "quarantined"

/* ---- the review queue ----
 *
 * reading a queued message (parsing and classifying it) is the caller's, off the main
 * loop: these functions take the message as read, or NULL when it cannot be read. */

/* Array of queued messages (newest first): id, message_id, account, mailbox, sender,
 * uid, subject, date, kind, company, position, rule, reason, created_at, and verdict
 * (mailapply_verdict_json(), or null for an entry queued without one). */
int mailapply_review_list(store *s, json_t **ret_list, GError **error);
/* The ids of the queued messages, oldest first (g_array_unref). */
int mailapply_review_ids(store *s, GArray **ret_ids, GError **error);
/* One entry (the fields above) and its raw message (g_free; NULL and 0 when the message
 * was never seen whole, as for one quarantined before it could be fetched again). */
int mailapply_review_get(store *s, int64_t id, json_t **ret_entry, char **ret_raw, size_t *ret_len,
			 GError **error);
/* Adds to entry what `review show` gives besides its fields: "text", the message's
 * readable text as m gives it (at most 4 KiB), or, when m is NULL or has no text, "raw",
 * the beginning of the raw message made valid UTF-8. */
void mailapply_review_describe(json_t *entry, const struct mime_message *m, const char *raw, size_t raw_len);
/* Applies queued message id, as read now (m; NULL when it cannot be read) and as the
 * rules and the model read it now (match; NULL when nothing did), as kind when kind is
 * not -1 (the user's word), else as match says, else as it was queued: to application
 * app_id when non-zero, else as mailapply_message() would, without asking for any
 * confidence (the user decided). The entry leaves the queue unless it has to be queued
 * again: then -EAGAIN with the reason, and nothing changes. A message that cannot be read
 * needs app_id (-EINVAL without). *ret_outcome and *ret_id as for mailapply_message(). */
int mailapply_review_apply(store *s, const struct mail_policy *policy, int64_t id, const struct mime_message *m,
			   const struct rule_match *match, int kind, int64_t app_id, enum apply_outcome *ret_outcome,
			   int64_t *ret_id, GError **error);
/* Removes an entry; the message stays remembered, so it is not queued again. */
int mailapply_review_drop(store *s, int64_t id, GError **error);

/* ---- quarantine: messages that stopped apptrackd while it read them ---- */

/* Records that the message whose key is key ("sha256:...") stopped apptrackd while it
 * was being read, at origin (may be NULL), as review entry review_id (0: a new entry).
 * The message is remembered under MAILAPPLY_QUARANTINED, so that mailapply_quarantined()
 * names it from now on, and waits in the review queue with MAILAPPLY_QUARANTINE_REASON. */
int mailapply_quarantine(store *s, const char *key, const struct mail_origin *origin, int64_t review_id,
			 GError **error);
/* The keys of every quarantined message: a set of strings (g_hash_table_unref). */
int mailapply_quarantined(store *s, GHashTable **ret_keys, GError **error);
/* A quarantined message met again: its review entries that lack the raw message get it,
 * so that the user can see it. Nothing else happens to it. */
int mailapply_quarantine_met(store *s, const char *key, const char *raw, size_t raw_len, GError **error);

/* ---- mail_state: how far each IMAP folder has been read ---- */

/* The stored UIDVALIDITY and last UID read of account's mailbox; both 0 when never read. */
int mailapply_state_get(store *s, const char *account, const char *mailbox, uint32_t *ret_uidvalidity,
			uint32_t *ret_last_uid, GError **error);
/* Records that mailbox was read up to last_uid under uidvalidity: call it in the transaction
 * that applied those messages. A changed uidvalidity replaces the old state; the same one
 * never moves last_uid back. */
int mailapply_state_advance(store *s, const char *account, const char *mailbox, uint32_t uidvalidity,
			    uint32_t last_uid, GError **error);

#endif
