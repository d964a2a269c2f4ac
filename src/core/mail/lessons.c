/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessons.c - the user's lessons to the mail model, in the table `lessons` (see lessons.h).
 *
 * This module is the only writer of the table. It stores and removes lessons and, for a
 * model that starts empty of them, reads every stored lesson back into it; the model itself
 * (model.h) is the caller's to update after its transaction commits.
 */
#include "apptrack/lessons.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/model.h"
#include "apptrack/timeutil.h"

#include <string.h>

int lessons_parse_kind(const char *name, enum mail_kind *ret_kind, GError **error)
{
	return mail_kind_parse(name, ret_kind, error);
}

int lessons_check_message(const struct mime_message *m, GError **error)
{
	if (m->refused)
		return at_error_set(error, -EINVAL, "not read: %s", m->refused);
	/* libetpan reads almost any text as a message with a body: what makes it mail is a
	 * header that says who sent it, what it is about, when, or which message it is */
	if (!m->from_address && !(m->from_name && *m->from_name) && !(m->subject && *m->subject) && !m->date &&
	    !m->message_id && !m->in_reply_to && !(m->references && m->references[0]))
		return at_error_set(error, -EINVAL, "not a mail message: it has no sender, subject, date or message id");
	return 0;
}

/* Stored kinds: what stored_kind() says of a message. */
enum { STORED_NONE = -1, STORED_UNKNOWN = MAIL_KIND_COUNT };

/* The kind the message whose key is key was learned as: the kind, STORED_NONE when it has
 * no lesson, STORED_UNKNOWN for a lesson of a kind this build does not know. */
static int stored_kind(store *s, const char *key, int *ret_kind, GError **error)
{
	enum mail_kind kind;
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT kind FROM lessons WHERE key = ?", &st, error), rc;

	if (r < 0)
		return r;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		*ret_kind = STORED_NONE;
	else if (lessons_parse_kind((const char *)sqlite3_column_text(st, 0), &kind, NULL) == 0)
		*ret_kind = (int)kind;
	else
		*ret_kind = STORED_UNKNOWN;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, error, "reading a lesson");
}

struct change { /* a lesson being stored or removed */
	const char *key;
	enum mail_kind kind;
	const char *file;
	const char *raw;
	size_t len;
	int previous; /* out: STORED_* or the kind stored before */
};

static int add_tx(store *s, void *arg, json_t **ret, GError **error)
{
	static const char sql[] = "INSERT INTO lessons (key, kind, file, raw, learned_at) VALUES (?, ?, ?, ?, ?) "
				  "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, file = excluded.file, "
				  "learned_at = excluded.learned_at";
	struct change *l = arg;
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = stored_kind(s, l->key, &l->previous, error)) < 0 || l->previous == (int)l->kind)
		return r;
	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, l->key);
	store_bind_text(st, 2, mail_kind_name(l->kind));
	store_bind_text(st, 3, l->file);
	sqlite3_bind_blob(st, 4, l->raw, (int)l->len, SQLITE_STATIC);
	store_bind_text(st, 5, time_format_iso(time_now(), now));
	return store_step_done(s, st, "storing a lesson", error);
}

int lessons_add(store *s, const char *key, enum mail_kind kind, const char *file, const char *raw, size_t len,
		int *ret_previous, GError **error)
{
	struct change l = { key, kind, file, raw, len, STORED_NONE };
	int r;

	if ((unsigned)kind >= MAIL_KIND_COUNT)
		return at_error_set(error, -EINVAL, "unknown kind %d", (int)kind);
	if (len == 0 || len > MIME_MAX_MESSAGE)
		return at_error_set(error, len ? -E2BIG : -EINVAL, "a lesson's message must hold 1 to %zu bytes",
				    (size_t)MIME_MAX_MESSAGE);
	if ((r = store_transaction(s, add_tx, &l, NULL, error)) < 0)
		return r;
	/* a lesson of an unknown kind taught this build's models nothing: none to unlearn */
	if (ret_previous)
		*ret_previous = l.previous == STORED_UNKNOWN ? -1 : l.previous;
	return 0;
}

static int remove_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct change *l = arg;
	sqlite3_stmt *st;
	int r;

	(void)ret;
	if ((r = stored_kind(s, l->key, &l->previous, error)) < 0)
		return r;
	if (l->previous == STORED_NONE)
		return at_error_set(error, -ENOENT, "this message was never learned");
	if ((r = store_prepare(s, "DELETE FROM lessons WHERE key = ?", &st, error)) < 0)
		return r;
	store_bind_text(st, 1, l->key);
	return store_step_done(s, st, "removing a lesson", error);
}

int lessons_remove(store *s, const char *key, int *ret_kind, GError **error)
{
	struct change l = { .key = key, .previous = STORED_NONE };
	int r = store_transaction(s, remove_tx, &l, NULL, error);

	if (r < 0)
		return r;
	if (ret_kind)
		*ret_kind = l.previous == STORED_UNKNOWN ? -1 : l.previous;
	return 0;
}

int lessons_count(store *s, unsigned *ret_count, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM lessons", &st, error);

	if (r < 0)
		return r;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(s, error, "counting the lessons");
	}
	*ret_count = (unsigned)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* lessons_feed()'s reader when the caller gives none: parsed here, on this thread. */
static GPtrArray *read_here(const struct lesson *l, rules *r, GError **error)
{
	g_autoptr(mime_message) m = NULL;

	if (mime_parse(l->raw, l->len, &m, error) < 0 || lessons_check_message(m, error) < 0)
		return NULL;
	return rules_features(r, m);
}

int lessons_feed(store *s, rules *r, lessons_read_fn read, void *data, unsigned *ret_fed, GError **error)
{
	struct mailmodel *model = rules_model(r);
	unsigned fed = 0;
	sqlite3_stmt *st;
	int rc, ret;

	if (model) {
		/* oldest first: the order they were taught in (it changes nothing to the counts) */
		if ((ret = store_prepare(s, "SELECT key, kind, file, raw FROM lessons ORDER BY learned_at, key", &st,
					 error)) < 0)
			return ret;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(st, 1);
			const void *blob = sqlite3_column_blob(st, 3);
			size_t len = (size_t)sqlite3_column_bytes(st, 3);
			/* mail is read NUL-terminated, as the mail workers hand it over */
			g_autofree char *raw = g_malloc(len + 1);
			g_autoptr(GError) read_error = NULL;
			struct lesson l = { .key = (const char *)sqlite3_column_text(st, 0),
					    .file = (const char *)sqlite3_column_text(st, 2), .raw = raw, .len = len };
			const char *name = l.file ? l.file : l.key;

			if (len)
				memcpy(raw, blob, len);
			raw[len] = '\0';
			if (lessons_parse_kind(kind, &l.kind, NULL) < 0) {
				log_warnx("lesson %s: unknown kind \"%s\", ignoring it", name, kind ? kind : "");
				continue;
			}
			GPtrArray *features = read ? read(&l, r, data, &read_error) : read_here(&l, r, &read_error);
			if (!features) {
				log_warnx("lesson %s (%s) cannot be read: %s, ignoring it", name, kind,
					  read_error ? read_error->message : "no reason given");
				continue;
			}
			model_learn(model, features, l.kind);
			g_ptr_array_unref(features);
			fed++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, error, "reading the lessons");
	}
	if (ret_fed)
		*ret_fed = fed;
	return 0;
}
