/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessons.h - the user's lessons to the mail model (model.h), kept in the database.
 *
 * A lesson is one message the user labelled with a kind: `apptrackctl learn KIND FILE`,
 * or a review entry applied as another kind than the daemon guessed. The table `lessons`
 * (store.h) keeps the raw message, not its features, so that every model the daemon loads
 * (at start, after a reload, after an upgrade of the shipped model file) learns them again
 * as it reads mail then: lessons_feed(). A message is known by its key, "sha256:" and the
 * SHA-256 of its raw bytes (mailapply_raw_key(), as reading.c gives it), and has one
 * lesson at most: learning it again as another kind replaces the lesson.
 *
 * The model is the caller's to update, after the transaction that changed the table
 * committed: this module only stores (a rolled-back request must not have taught the
 * model anything). Like every store user, only the daemon's main thread calls these;
 * lessons_feed() parses mail, so its caller decides where that is done (read).
 */
#ifndef APPTRACK_LESSONS_H
#define APPTRACK_LESSONS_H

#include <glib.h>
#include <stddef.h>

#include "apptrack/mime.h"
#include "apptrack/rules.h"
#include "apptrack/store.h"

/* One stored lesson, as lessons_feed() hands it to its reader. Every field is borrowed
 * from the row being read: valid during the call only. */
struct lesson {
	const char *key;
	enum mail_kind kind;
	const char *file; /* the name the user gave the message, or NULL */
	const char *raw;
	size_t len;
};

/* The kind named name ("rejection", any case). 0, or -EINVAL with a message that lists the
 * kinds. */
int lessons_parse_kind(const char *name, enum mail_kind *ret_kind, GError **error);

/* Whether m can be a lesson: mail with at least one header field that identifies it (a
 * sender, subject, date or message id), read whole (not refused past a bound of mime.h).
 * 0, or -EINVAL with the reason (without the file's name: the caller names it). */
int lessons_check_message(const struct mime_message *m, GError **error);

/* Stores the lesson that raw (len bytes, whose key is key: mailapply_raw_key(), as the
 * reader that read it gave it; file: the name the user gave it, may be NULL) is of kind. *ret_previous (may be NULL): -1 when the message had no lesson, else the kind
 * it was learned as before (the same kind: nothing changed; another: the lesson is
 * replaced, and the model must unlearn that kind). One transaction, nested in the
 * caller's. 0 or -errno. */
int lessons_add(store *s, const char *key, enum mail_kind kind, const char *file, const char *raw, size_t len,
		int *ret_previous, GError **error);

/* Removes the lesson of the message whose key is key. *ret_kind (may be NULL) gets the kind
 * it was learned as, to unlearn (-1 for a kind this build does not know: its models never
 * learned it). -ENOENT (with a message) when there is none. One transaction, nested in the
 * caller's. */
int lessons_remove(store *s, const char *key, int *ret_kind, GError **error);

/* The number of stored lessons. */
int lessons_count(store *s, unsigned *ret_count, GError **error);

/* Reads a lesson's message the way its caller reads mail (parsing it, on the thread and
 * under the guard the caller chooses) and returns what a lesson about it teaches r's model:
 * rules_features() of it (g_ptr_array_unref), or NULL with *error set when the message
 * cannot be read. */
typedef GPtrArray *(*lessons_read_fn)(const struct lesson *l, rules *r, void *data, GError **error);

/* Teaches r's model (rules_model()) every stored lesson, each read with read (NULL:
 * mime_parse() and rules_features() here). A lesson whose message cannot be read now, or
 * whose kind this build does not know, is logged and skipped: never fatal. Without a model
 * nothing is read. *ret_fed (may be NULL): how many lessons the model learned. Fails only
 * when the database cannot be read. */
int lessons_feed(store *s, rules *r, lessons_read_fn read, void *data, unsigned *ret_fed, GError **error);

#endif
