/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mailapply_review.c - the review queue: listing, showing, applying by hand (to the
 * application the user names, or by the rules again) and dropping its entries. */
#include "apptrack/mailapply.h"

#include "apptrack/applications.h"
#include "apptrack/error.h"
#include "apptrack/timeutil.h"
#include "mailapply_internal.h"

#include <string.h>

#define REVIEW_COLUMNS \
	"id, message_id, account, mailbox, uid, sender, subject, date, kind, company, position, rule, reason, created_at, " \
	"verdict"
#define REVIEW_TEXT_MAX 4096

/* A review row as JSON (its first n columns, -1: all), the verdict kept as text made an
 * object again. */
static json_t *review_row(sqlite3_stmt *st, int n)
{
	json_t *row = store_row_json(st, n, false);
	const char *text = json_string_value(json_object_get(row, "verdict"));

	if (text) {
		json_t *verdict = json_loads(text, 0, NULL);
		json_object_set_new(row, "verdict", verdict ? verdict : json_null());
	}
	return row;
}

int mailapply_review_list(store *s, json_t **ret_list, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " REVIEW_COLUMNS " FROM review ORDER BY id DESC", &st, error);
	json_t *list;
	int rc;

	if (r < 0)
		return r;
	list = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, review_row(st, -1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return store_error(s, error, "listing the review queue");
	}
	*ret_list = list;
	return 0;
}

int mailapply_review_ids(store *s, GArray **ret_ids, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT id FROM review ORDER BY id", &st, error), rc;

	if (r < 0)
		return r;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g_array_unref(ids);
		return store_error(s, error, "listing the review queue");
	}
	*ret_ids = ids;
	return 0;
}

int mailapply_review_get(store *s, int64_t id, json_t **ret_entry, char **ret_raw, size_t *ret_len, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " REVIEW_COLUMNS ", raw FROM review WHERE id = ?", &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return at_error_set(error, -ENOENT, "no review entry with id %" G_GINT64_FORMAT, id);
	}
	int n = sqlite3_column_count(st) - 1;
	const void *raw = sqlite3_column_blob(st, n);
	*ret_entry = review_row(st, n);
	*ret_len = raw ? (size_t)sqlite3_column_bytes(st, n) : 0;
	*ret_raw = raw ? g_memdup2(raw, *ret_len + 1) : NULL;
	if (*ret_raw)
		(*ret_raw)[*ret_len] = '\0';
	sqlite3_reset(st);
	return 0;
}

/* At most REVIEW_TEXT_MAX characters of text, valid UTF-8. g_free. */
static char *review_text(const char *text, size_t len)
{
	g_autofree char *valid = g_utf8_make_valid(text, (gssize)MIN(len, (size_t)REVIEW_TEXT_MAX * 4));
	return g_utf8_substring(valid, 0, MIN((glong)REVIEW_TEXT_MAX, g_utf8_strlen(valid, -1)));
}

void mailapply_review_describe(json_t *entry, const struct mime_message *m, const char *raw, size_t raw_len)
{
	bool readable = m && *m->text;
	g_autofree char *text = readable ? review_text(m->text, strlen(m->text)) : raw ? review_text(raw, raw_len) : NULL;

	if (text)
		json_object_set_new(entry, readable ? "text" : "raw", json_string_nocheck(text));
}

static int forget(store *s, const char *key, int64_t review_id, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if ((r = store_prepare(s, "DELETE FROM review WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, review_id);
	if ((r = store_step_done(s, st, "leaving the review queue", error)) < 0 || !key)
		return r;
	/* a quarantined message stays known as one, whatever the user makes of it */
	if ((r = store_prepare(s, "DELETE FROM messages WHERE message_id = ? AND kind IS NOT ?", &st, error)) < 0)
		return r;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, MAILAPPLY_QUARANTINED);
	return store_step_done(s, st, "leaving the review queue", error);
}

/* The reason review entry id is queued for: g_free. */
static char *review_reason(store *s, int64_t id)
{
	sqlite3_stmt *st;
	char *reason = NULL;

	if (store_prepare(s, "SELECT reason FROM review WHERE id = ?", &st, NULL) == 0) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			reason = g_strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	return reason ? reason : g_strdup("it still cannot be applied");
}

/* Applied by the user to app_id: the message as read (m may be NULL: then what the entry
 * recorded when it was queued stands for it). */
static int apply_to(store *s, const struct pipeline_delays *delays, json_t *entry, const struct mime_message *m,
		    enum mail_kind kind, const char *key, const struct mail_origin *origin, int64_t app_id,
		    enum apply_outcome *ret_outcome, GError **error)
{
	const char *subject = m ? m->subject : json_string_value(json_object_get(entry, "subject"));
	const char *queued_date = json_string_value(json_object_get(entry, "date"));
	int64_t date = 0;
	json_t *app = NULL;
	int r;

	if (m)
		date = m->date;
	else if (queued_date && time_parse_iso(queued_date, &date) < 0)
		date = 0;
	if ((r = applications_get(s, app_id, &app, error)) < 0)
		return r;
	json_decref(app);
	g_autofree char *sender = m ? mailapply_sender(m) : g_strdup(json_string_value(json_object_get(entry, "sender")));
	const struct pipeline p = { .store = s, .delays = delays, .at = date, .mail_from = sender,
				    .mail_subject = subject };
	/* the user's application takes the invitation too, when it can be read */
	g_autoptr(invitation) inv = NULL;
	if (m) /* one that cannot be read: the user applies the mail without it */
		g_free(mailapply_invite_read(m, &inv));
	if ((r = mailapply_advance(&p, app_id, kind, ret_outcome, error)) < 0)
		return r;
	if (inv && inv->method == INVITATION_CANCEL) {
		int64_t known = 0;
		if ((r = mailapply_invite_known(&p, inv, ret_outcome, &known, error)) < 0)
			return r;
	} else if ((r = mailapply_invite_apply(&p, app_id, inv, ret_outcome, error)) < 0) {
		return r;
	}
	if ((r = pipeline_email_event(&p, app_id, subject, key, error)) < 0)
		return r;
	return mailapply_remember(s, key, origin, app_id, mail_kind_name(kind), error);
}

/* A review entry being applied by hand. */
struct by_hand {
	const struct mail_policy *policy;
	int64_t id;
	const struct mime_message *m;
	const struct rule_match *match;
	int kind;
	int64_t app_id;
	enum apply_outcome outcome; /* out */
	int64_t got;                /* out */
};

static int by_hand_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct by_hand *h = arg;
	g_autofree char *raw = NULL;
	struct mail_origin origin = { 0 };
	/* the user decided: no confidence is asked for */
	const struct mail_policy sure = { .delays = h->policy->delays };
	struct rule_match queued = { .rule = "review", .kind = MAIL_CONFIRMATION }, chosen;
	const struct rule_match *match = h->match;
	const char *key;
	json_t *entry = NULL;
	size_t len = 0;
	int r;

	(void)ret;
	if ((r = mailapply_review_get(s, h->id, &entry, &raw, &len, error)) < 0)
		return r;
	if (!h->m && !h->app_id) {
		g_autofree char *reason = review_reason(s, h->id);
		r = at_error_set(error, -EINVAL,
				 "review entry %" G_GINT64_FORMAT " cannot be read (%s): give --app ID to apply it "
				 "by hand, or drop it",
				 h->id, reason);
		goto out;
	}
	if (!match) {
		/* the rules do not match (now): keep what the entry was queued as */
		const char *was = json_string_value(json_object_get(entry, "kind"));
		for (int k = 0; was && k < MAIL_KIND_COUNT; k++)
			if (strcmp(was, mail_kind_name(k)) == 0)
				queued.kind = (enum mail_kind)k;
		queued.company = (char *)json_string_value(json_object_get(entry, "company"));
		queued.position = (char *)json_string_value(json_object_get(entry, "position"));
		match = &queued;
	}
	if (h->kind >= 0 && h->kind < MAIL_KIND_COUNT && (enum mail_kind)h->kind != match->kind) {
		chosen = *match;
		chosen.kind = (enum mail_kind)h->kind;
		match = &chosen;
	}
	key = json_string_value(json_object_get(entry, "message_id"));
	origin.account = json_string_value(json_object_get(entry, "account"));
	origin.mailbox = json_string_value(json_object_get(entry, "mailbox"));
	origin.uid = json_integer_value(json_object_get(entry, "uid"));
	if ((r = forget(s, key, h->id, error)) < 0)
		goto out;
	if (h->app_id) {
		r = apply_to(s, h->policy->delays, entry, h->m, match->kind, key, &origin, h->app_id, &h->outcome, error);
		h->got = h->app_id;
		goto out;
	}
	if ((r = mailapply_message(s, &sure, h->m, match, raw, len, &origin, &h->outcome, &h->got, error)) < 0)
		goto out;
	if (h->outcome == APPLY_REVIEW) {
		g_autofree char *reason = review_reason(s, h->got);
		r = at_error_set(error, -EAGAIN, "review entry %" G_GINT64_FORMAT " still cannot be applied: %s (give --app ID)",
				 h->id, reason);
	}
out:
	json_decref(entry);
	return r;
}

int mailapply_review_apply(store *s, const struct mail_policy *policy, int64_t id, const struct mime_message *m,
			   const struct rule_match *match, int kind, int64_t app_id, enum apply_outcome *ret_outcome,
			   int64_t *ret_id, GError **error)
{
	struct by_hand h = { policy, id, m, match, kind, app_id, APPLY_IGNORED, 0 };
	int r = store_transaction(s, by_hand_tx, &h, NULL, error);

	if (r < 0)
		return r;
	*ret_outcome = h.outcome;
	if (ret_id)
		*ret_id = h.got;
	return 0;
}

int mailapply_review_drop(store *s, int64_t id, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM review WHERE id = ?", &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = store_step_done(s, st, "dropping a review entry", error)) < 0)
		return r;
	if (store_changes(s) == 0)
		return at_error_set(error, -ENOENT, "no review entry with id %" G_GINT64_FORMAT, id);
	return 0;
}

