/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mailapply.c - applying classified mail to applications, contacts and the review queue
 * (see mailapply.h for the rules of the game). It writes the tables of the mail's own
 * state (messages, review, mail_state); applications, events and contacts change through
 * their modules, in a context stamped with the mail's Date. */
#include "apptrack/mailapply.h"

#include "apptrack/applications.h"
#include "apptrack/company.h"
#include "apptrack/contacts.h"
#include "apptrack/error.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"
#include "mailapply_internal.h"

#include <string.h>

#define POSITION_NOT_GIVEN "(position not given)"

static const char *const outcome_names[] = {
	[APPLY_IGNORED] = "ignored", [APPLY_DUPLICATE] = "duplicate", [APPLY_CREATED] = "created",
	[APPLY_UPDATED] = "updated", [APPLY_UNCHANGED] = "unchanged", [APPLY_CONTACT] = "contact",
	[APPLY_REVIEW] = "review",
};

const char *apply_outcome_name(enum apply_outcome outcome)
{
	return (unsigned)outcome < G_N_ELEMENTS(outcome_names) ? outcome_names[outcome] : NULL;
}

char *mailapply_raw_key(const char *raw, size_t len)
{
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)raw, len);
	return g_strconcat("sha256:", sum, NULL);
}

/* The key a message is remembered by. g_free. */
static char *message_key(const struct mime_message *m, const char *raw, size_t raw_len)
{
	if (m->message_id && *m->message_id)
		return g_strdup(m->message_id);
	return mailapply_raw_key(raw, raw_len);
}

static int seen(store *s, const char *key, bool *ret_seen, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT 1 FROM messages WHERE message_id = ?", &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, key);
	*ret_seen = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return 0;
}

/* Binds where a message came from (may be NULL) to parameters first (account), first + 1
 * (mailbox) and first + 2 (uid, NULL when none). */
static void bind_origin(sqlite3_stmt *st, int first, const struct mail_origin *o)
{
	store_bind_text(st, first, o ? o->account : NULL);
	store_bind_text(st, first + 1, o ? o->mailbox : NULL);
	if (o && o->uid)
		sqlite3_bind_int64(st, first + 2, o->uid);
	else
		sqlite3_bind_null(st, first + 2);
}

int mailapply_remember(store *s, const char *key, const struct mail_origin *o, int64_t app_id, const char *kind,
		       GError **error)
{
	/* a message is remembered once (seen() is asked first), but for a quarantined one
	 * applied by hand: that keeps its kind and learns its application */
	static const char sql[] = "INSERT INTO messages (message_id, account, mailbox, uid, application_id, kind, "
				  "applied_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET "
				  "application_id = excluded.application_id WHERE messages.kind = '" MAILAPPLY_QUARANTINED "'";
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, key);
	bind_origin(st, 2, o);
	if (app_id)
		sqlite3_bind_int64(st, 5, app_id);
	store_bind_text(st, 6, kind);
	store_bind_text(st, 7, time_format_iso(time_now(), now));
	return store_step_done(s, st, "remembering a message", error);
}

char *mailapply_sender(const struct mime_message *m)
{
	if (m->from_name && *m->from_name)
		return m->from_address ? g_strdup_printf("%s <%s>", m->from_name, m->from_address)
				       : g_strdup(m->from_name);
	return g_strdup(m->from_address);
}

static int queue_review(store *s, const char *key, const struct mime_message *m, const struct rule_match *match,
			const char *raw, size_t raw_len, const struct mail_origin *o, const char *reason,
			int64_t *ret_id, GError **error)
{
	static const char sql[] = "INSERT INTO review (message_id, account, mailbox, uid, sender, subject, date, kind, "
				  "company, position, rule, reason, raw, created_at, verdict) "
				  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char now[TIME_ISO_LEN], date[TIME_ISO_LEN];
	g_autofree char *sender = g_strdup_printf("%s <%s>", m->from_name ? m->from_name : "",
						  m->from_address ? m->from_address : "");
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, key);
	bind_origin(st, 2, o);
	store_bind_text(st, 5, sender);
	store_bind_text(st, 6, m->subject);
	store_bind_text(st, 7, m->date ? time_format_iso(m->date, date) : NULL);
	store_bind_text(st, 8, match ? mail_kind_name(match->kind) : NULL);
	store_bind_text(st, 9, match ? match->company : NULL);
	store_bind_text(st, 10, match ? match->position : NULL);
	store_bind_text(st, 11, match ? match->rule : NULL);
	store_bind_text(st, 12, reason);
	sqlite3_bind_blob(st, 13, raw, (int)MIN(raw_len, (size_t)MIME_MAX_MESSAGE), SQLITE_TRANSIENT);
	store_bind_text(st, 14, time_format_iso(time_now(), now));
	g_autofree char *verdict = NULL;
	if (match) {
		json_t *v = mailapply_verdict_json(match);
		verdict = json_dumps(v, JSON_COMPACT);
		json_decref(v);
	}
	store_bind_text(st, 15, verdict);
	if ((r = store_step_done(s, st, "queueing a message for review", error)) < 0)
		return r;
	*ret_id = store_last_id(s);
	return 0;
}

/* The application of the thread the message answers, or 0. */
static int find_by_thread(store *s, const struct mime_message *m, int64_t *ret_app, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT application_id FROM messages WHERE message_id = ? AND application_id IS NOT NULL",
			      &st, error);

	*ret_app = 0;
	if (r < 0)
		return r;
	const char *ids[] = { m->in_reply_to };
	for (size_t i = 0; !*ret_app && i < G_N_ELEMENTS(ids) + g_strv_length(m->references); i++) {
		const char *id = i < G_N_ELEMENTS(ids) ? ids[i] : m->references[i - G_N_ELEMENTS(ids)];
		if (!id)
			continue;
		store_bind_text(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			*ret_app = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return 0;
}

struct candidate {
	int64_t id;
	char *position;
	enum app_status status;
};

static bool position_matches(const char *have, const char *want)
{
	if (!have || !want)
		return false;
	g_autofree char *a = g_utf8_casefold(have, -1);
	g_autofree char *b = g_utf8_casefold(want, -1);
	return strstr(a, b) || strstr(b, a);
}

/* Finds the application by company (and position among several open ones). Sets
 * *ret_app (0: none) or, when it cannot decide, *ret_reason. */
static int find_by_company(store *s, const struct rule_match *match, int64_t *ret_app, const char **ret_reason,
			   GError **error)
{
	g_autofree char *key = text_company_key(match->company);
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(struct candidate));
	int64_t newest_closed = 0;
	sqlite3_stmt *st;
	int r;

	*ret_app = 0;
	*ret_reason = NULL;
	if (!*key)
		return 0;
	if ((r = store_prepare(s, "SELECT id, position, status FROM applications WHERE company_key = ? ORDER BY id", &st,
			       error)) < 0)
		return r;
	store_bind_text(st, 1, key);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct candidate c = { .id = sqlite3_column_int64(st, 0) };
		status_parse((const char *)sqlite3_column_text(st, 2), &c.status);
		if (status_is_terminal(c.status) || c.status == APP_ACCEPTED) {
			newest_closed = c.id;
			continue;
		}
		c.position = g_strdup((const char *)sqlite3_column_text(st, 1));
		g_array_append_val(open, c);
	}
	sqlite3_reset(st);

	if (open->len == 1) {
		*ret_app = g_array_index(open, struct candidate, 0).id;
	} else if (open->len > 1) {
		int64_t found = 0;
		guint hits = 0;
		for (guint i = 0; i < open->len; i++) {
			struct candidate *c = &g_array_index(open, struct candidate, i);
			if (position_matches(c->position, match->position)) {
				found = c->id;
				hits++;
			}
		}
		if (hits == 1)
			*ret_app = found;
		else
			*ret_reason = "several open applications match this company";
	} else if (match->kind != MAIL_CONFIRMATION) {
		/* only closed ones: late mail about a closed application still belongs to it */
		*ret_app = newest_closed;
	}
	for (guint i = 0; i < open->len; i++)
		g_free(g_array_index(open, struct candidate, i).position);
	return 0;
}

bool mailapply_kind_status(enum mail_kind kind, enum app_status *ret_status)
{
	static const enum app_status statuses[MAIL_KIND_COUNT] = {
		[MAIL_CONFIRMATION] = APP_APPLIED, [MAIL_INTERVIEW] = APP_SCREEN, [MAIL_ASSESSMENT] = APP_ASSESSMENT,
		[MAIL_REJECTION] = APP_REJECTED,   [MAIL_OFFER] = APP_OFFER,
	};

	if ((unsigned)kind >= MAIL_KIND_COUNT || (statuses[kind] == APP_SAVED))
		return false;
	*ret_status = statuses[kind];
	return true;
}

json_t *mailapply_verdict_json(const struct rule_match *match)
{
	json_t *v = json_pack("{s:s,s:o,s:{s:s,s:f}}", "layer", match->layer == LAYER_RULE ? "rule" : "model", "rule",
			      match->rule ? json_string(match->rule) : json_null(), "guess", "kind",
			      mail_kind_name(match->kind), "confidence", match->confidence);
	json_t *phrases = json_array(), *candidates = json_array();

	for (size_t i = 0; match->phrases && match->phrases[i]; i++)
		json_array_append_new(phrases, json_string(match->phrases[i]));
	for (guint i = 0; match->candidates && i < match->candidates->len; i++) {
		const struct company_candidate *c = match->candidates->pdata[i];
		json_array_append_new(candidates,
				      json_pack("{s:s,s:f,s:s}", "name", c->name, "score", c->score, "from", c->from));
	}
	json_object_set_new(v, "phrases", phrases);
	json_object_set_new(v, "company_candidates", candidates);
	return v;
}

char *mailapply_unsure(const struct mail_policy *policy, const struct rule_match *match, bool creates)
{
	if (match->layer == LAYER_RULE || match->kind == MAIL_NOISE)
		return NULL;
	if (match->confidence < policy->review_below)
		return g_strdup_printf("not sure what this is: most like %s %s (confidence %.2f, acting needs %.2f)",
				       match->kind == MAIL_ASSESSMENT || match->kind == MAIL_INTERVIEW ||
						       match->kind == MAIL_OFFER
					       ? "an"
					       : "a",
				       mail_kind_name(match->kind), match->confidence, policy->review_below);
	if (creates && match->confidence < policy->create_at_least)
		return g_strdup_printf("not sure enough to create an application: most like a %s (confidence %.2f, "
				       "creating needs %.2f)",
				       mail_kind_name(match->kind), match->confidence, policy->create_at_least);
	return NULL;
}

static int create_application(const struct pipeline *p, const struct mime_message *m,
			      const struct rule_match *match, int64_t *ret_id, GError **error)
{
	char date[TIME_DATE_LEN];
	json_t *fields = json_pack("{s:s,s:s,s:s}", "company", match->company, "position",
				   match->position ? match->position : POSITION_NOT_GIVEN, "status", "applied");
	int r;

	if (match->source)
		json_object_set_new(fields, "source", json_string(match->source));
	if (m->date)
		json_object_set_new(fields, "applied_at", json_string(time_format_date(m->date, date)));
	r = applications_add(p, fields, 0, ret_id, error);
	json_decref(fields);
	return r;
}

int mailapply_advance(const struct pipeline *p, int64_t app_id, enum mail_kind kind, enum apply_outcome *ret_outcome,
		      GError **error)
{
	enum app_status to = APP_APPLIED;
	bool changed = false;
	int r;

	mailapply_kind_status(kind, &to);
	/* interview means "at least screen": a later interview stage stays */
	if ((r = applications_set_status(p, app_id, status_name(to), NULL, PIPELINE_FORWARD_ONLY, &changed, error)) < 0)
		return r;
	*ret_outcome = changed ? APPLY_UPDATED : APPLY_UNCHANGED;
	return 0;
}

/* The transaction's body; the caller handles begin/commit. p's time is the mail's. */
static int apply(const struct pipeline *p, const struct mail_policy *policy, const struct mime_message *m,
		 const struct rule_match *match, const char *raw, size_t raw_len, const struct mail_origin *o,
		 const char *key, enum apply_outcome *ret_outcome, int64_t *ret_id, GError **error)
{
	store *s = p->store;
	const char *reason = NULL;
	g_autofree char *unsure = NULL;
	int64_t app = 0;
	int r;

	if (m->refused) {
		g_autofree char *why = g_strdup_printf("not read: %s", m->refused);
		*ret_outcome = APPLY_REVIEW;
		if ((r = queue_review(s, key, m, NULL, raw, raw_len, o, why, ret_id, error)) < 0)
			return r;
		return mailapply_remember(s, key, o, 0, "review", error);
	}
	/* an invitation of a known interview moves or cancels it, whatever the kind */
	g_autoptr(invitation) inv = NULL;
	g_autofree char *broken = mailapply_invite_read(m, &inv);
	if (inv) {
		if ((r = mailapply_invite_known(p, inv, ret_outcome, &app, error)) < 0)
			return r;
		if (app) {
			*ret_id = app;
			if ((r = pipeline_email_event(p, app, m->subject, key, error)) < 0)
				return r;
			return mailapply_remember(s, key, o, app, mail_kind_name(MAIL_INTERVIEW), error);
		}
		if (inv->method == INVITATION_CANCEL)
			g_clear_pointer(&inv, invitation_free); /* of nothing known: the mail as any other */
	}
	if (!match || match->kind == MAIL_NOISE) {
		*ret_outcome = APPLY_IGNORED;
		return mailapply_remember(s, key, o, 0, match ? "noise" : NULL, error);
	}
	if (broken) {
		/* job-search mail whose invitation cannot be read: the user looks, nothing changes */
		*ret_outcome = APPLY_REVIEW;
		if ((r = queue_review(s, key, m, match, raw, raw_len, o, broken, ret_id, error)) < 0)
			return r;
		return mailapply_remember(s, key, o, 0, "review", error);
	}
	if ((unsure = mailapply_unsure(policy, match, false))) {
		*ret_outcome = APPLY_REVIEW;
		if ((r = queue_review(s, key, m, match, raw, raw_len, o, unsure, ret_id, error)) < 0)
			return r;
		return mailapply_remember(s, key, o, 0, "review", error);
	}
	if (match->kind == MAIL_RECRUITER) {
		*ret_outcome = APPLY_CONTACT;
		if ((r = contacts_from_mail(p, m->from_name, m->from_address, match->company, match->position, m->subject,
					    ret_id, error)) < 0)
			return r;
		return mailapply_remember(s, key, o, 0, "recruiter", error);
	}

	if ((r = find_by_thread(s, m, &app, error)) < 0)
		return r;
	if (!app && match->company && (r = find_by_company(s, match, &app, &reason, error)) < 0)
		return r;
	if (!app && !reason) {
		if (!match->company)
			reason = "no company could be found in the message";
		else if (match->kind != MAIL_CONFIRMATION)
			reason = "no application for this company";
		else
			reason = unsure = mailapply_unsure(policy, match, true);
	}
	if (reason) {
		*ret_outcome = APPLY_REVIEW;
		if ((r = queue_review(s, key, m, match, raw, raw_len, o, reason, ret_id, error)) < 0)
			return r;
		return mailapply_remember(s, key, o, 0, "review", error);
	}

	if (!app) {
		if ((r = create_application(p, m, match, &app, error)) < 0)
			return r;
		*ret_outcome = APPLY_CREATED;
	} else if ((r = mailapply_advance(p, app, match->kind, ret_outcome, error)) < 0) {
		return r;
	}
	if ((r = mailapply_invite_apply(p, app, inv, ret_outcome, error)) < 0 ||
	    (r = pipeline_email_event(p, app, m->subject, key, error)) < 0)
		return r;
	*ret_id = app;
	return mailapply_remember(s, key, o, app, mail_kind_name(match->kind), error);
}

struct message {
	const struct mail_policy *policy;
	const struct mime_message *m;
	const struct rule_match *match;
	const char *raw;
	size_t raw_len;
	const struct mail_origin *origin;
	const char *key;
	enum apply_outcome outcome; /* out */
	int64_t id;                 /* out */
};

static int message_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct message *a = arg;
	/* the timeline says when the mail was sent, not when we read it, and which mail it was */
	g_autofree char *sender = mailapply_sender(a->m);
	const struct pipeline p = { .store = s, .delays = a->policy->delays, .at = a->m->date,
				    .mail_from = sender, .mail_subject = a->m->subject };
	bool dup = false;
	int r;

	(void)ret;
	if ((r = seen(s, a->key, &dup, error)) < 0)
		return r;
	if (dup) {
		a->outcome = APPLY_DUPLICATE;
		return 0;
	}
	return apply(&p, a->policy, a->m, a->match, a->raw, a->raw_len, a->origin, a->key, &a->outcome, &a->id, error);
}

int mailapply_message(store *s, const struct mail_policy *policy, const struct mime_message *m,
		      const struct rule_match *match, const char *raw, size_t raw_len,
		      const struct mail_origin *origin, enum apply_outcome *ret_outcome, int64_t *ret_id,
		      GError **error)
{
	g_autofree char *key = message_key(m, raw, raw_len);
	struct message a = { policy, m, match, raw, raw_len, origin, key, APPLY_IGNORED, 0 };
	int r = store_transaction(s, message_tx, &a, NULL, error);

	if (r < 0)
		return r;
	*ret_outcome = a.outcome;
	if (ret_id)
		*ret_id = a.id;
	return 0;
}

/* ---- quarantine ---- */

struct quarantine {
	const char *key;
	const struct mail_origin *origin;
	int64_t review_id;
};

static int quarantine_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const struct mime_message unread = { .text = (char *)"" };
	const struct quarantine *q = arg;
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int64_t id;
	int r;

	(void)ret;
	/* remembered whatever it was before (a message without Message-ID is known by the same key) */
	if ((r = store_prepare(s,
			       "INSERT INTO messages (message_id, account, mailbox, uid, kind, applied_at) "
			       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET kind = excluded.kind",
			       &st, error)) < 0)
		return r;
	store_bind_text(st, 1, q->key);
	bind_origin(st, 2, q->origin);
	store_bind_text(st, 5, MAILAPPLY_QUARANTINED);
	store_bind_text(st, 6, time_format_iso(time_now(), now));
	if ((r = store_step_done(s, st, "quarantining a message", error)) < 0)
		return r;
	if (!q->review_id)
		return queue_review(s, q->key, &unread, NULL, NULL, 0, q->origin, MAILAPPLY_QUARANTINE_REASON, &id, error);
	if ((r = store_prepare(s, "UPDATE review SET reason = ? WHERE id = ?", &st, error)) < 0)
		return r;
	store_bind_text(st, 1, MAILAPPLY_QUARANTINE_REASON);
	sqlite3_bind_int64(st, 2, q->review_id);
	return store_step_done(s, st, "quarantining a message", error);
}

int mailapply_quarantine(store *s, const char *key, const struct mail_origin *origin, int64_t review_id,
			 GError **error)
{
	struct quarantine q = { key, origin, review_id };
	int r = store_transaction(s, quarantine_tx, &q, NULL, error);

	return r < 0 ? r : 0;
}

int mailapply_quarantined(store *s, GHashTable **ret_keys, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT message_id FROM messages WHERE kind = ?", &st, error), rc;

	if (r < 0)
		return r;
	store_bind_text(st, 1, MAILAPPLY_QUARANTINED);
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_add(keys, g_strdup((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g_hash_table_unref(keys);
		return store_error(s, error, "reading the quarantined messages");
	}
	*ret_keys = keys;
	return 0;
}

int mailapply_quarantine_met(store *s, const char *key, const char *raw, size_t raw_len, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE review SET raw = ? WHERE message_id = ? AND raw IS NULL", &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_blob(st, 1, raw, (int)MIN(raw_len, (size_t)MIME_MAX_MESSAGE), SQLITE_TRANSIENT);
	store_bind_text(st, 2, key);
	return store_step_done(s, st, "keeping a quarantined message", error);
}

/* ---- where each IMAP folder was read up to ---- */

int mailapply_state_get(store *s, const char *account, const char *mailbox, uint32_t *ret_uidvalidity,
			uint32_t *ret_last_uid, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT uidvalidity, last_uid FROM mail_state WHERE account = ? AND mailbox = ?", &st,
			      error);

	*ret_uidvalidity = *ret_last_uid = 0;
	if (r < 0)
		return r;
	store_bind_text(st, 1, account);
	store_bind_text(st, 2, mailbox);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*ret_uidvalidity = (uint32_t)sqlite3_column_int64(st, 0);
		*ret_last_uid = (uint32_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : store_error(s, error, "reading mail_state");
}

int mailapply_state_advance(store *s, const char *account, const char *mailbox, uint32_t uidvalidity,
			    uint32_t last_uid, GError **error)
{
	sqlite3_stmt *st;
	/* a new UIDVALIDITY starts over; the same one only moves forward */
	int r = store_prepare(s,
			      "INSERT INTO mail_state (account, mailbox, uidvalidity, last_uid) VALUES (?, ?, ?, ?) "
			      "ON CONFLICT (account, mailbox) DO UPDATE SET "
			      "last_uid = CASE WHEN uidvalidity = excluded.uidvalidity "
			      "THEN max(last_uid, excluded.last_uid) ELSE excluded.last_uid END, "
			      "uidvalidity = excluded.uidvalidity",
			      &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, account);
	store_bind_text(st, 2, mailbox);
	sqlite3_bind_int64(st, 3, uidvalidity);
	sqlite3_bind_int64(st, 4, last_uid);
	return store_step_done(s, st, "advancing mail_state", error);
}
