/* store.h - the SQLite database: open, migrate, transactions, backup.
 *
 * Lifecycle: store_open() creates the file (mode 0600) and its directory if needed,
 * turns on WAL and foreign keys, and runs every pending migration in one transaction;
 * store_close() closes it (NULL is fine). Only the daemon's main thread uses a store.
 *
 * Schema (version STORE_SCHEMA_VERSION, in PRAGMA user_version): applications, events,
 * reminders, interviews, contacts, application_contacts, resumes, profile, mail_state,
 * messages, review (with the verdict of each queued message), lessons (the user's lessons to
 * the mail model, model.h), and the FTS5 table applications_fts over company, position, location,
 * notes and job_description, kept in step by triggers. See docs/data-model.md.
 */
#ifndef APPTRACK_STORE_H
#define APPTRACK_STORE_H

#include <glib.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 5

typedef struct store store;

/* Opens (creating when needed) the database at path. On success *ret_store owns the
 * connection (free with store_close). A database whose user_version is newer than this
 * build knows is refused with -EPROTO and a message naming both versions. */
int store_open(const char *path, store **ret_store, GError **error);
void store_close(store *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store, store_close)

/* The connection, borrowed: valid until store_close(). */
sqlite3 *store_db(store *s);
/* Path the store was opened from, borrowed. */
const char *store_path(store *s);
/* PRAGMA user_version. */
int store_schema_version(store *s);

/* Transactions nest: only the outermost begin/commit touch SQLite; a rollback at any
 * depth rolls the whole transaction back when the outermost level ends. */
int store_begin(store *s, GError **error);
int store_commit(store *s, GError **error);
void store_rollback(store *s);

/* Online backup (sqlite3_backup) into a new file at path (refused with -EEXIST when it
 * exists). *ret_bytes gets the file size. 0 or -errno. */
int store_backup(store *s, const char *path, int64_t *ret_bytes, GError **error);

/* A prepared statement for sql, cached per store (sql is the cache key, by content),
 * reset and with its bindings cleared. Borrowed: do not finalize; it stays valid until
 * the next store_prepare() of the same text or store_close(). */
int store_prepare(store *s, const char *sql, sqlite3_stmt **ret_stmt, GError **error);

/* Binds v as text, or NULL when v is NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Steps a statement that returns no rows, then resets it. 0, or store_error(s, error, what). */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, GError **error);
/* The current row as a JSON object keyed by column names: the first n columns (all when
 * n < 0), NULL columns left out when skip_nulls. New reference. */
json_t *store_row_json(sqlite3_stmt *st, int n, bool skip_nulls);

/* Sets *error from the connection's last error ("database: <what>: <sqlite message>")
 * and returns -EIO (or -EEXIST for constraint violations). */
int store_error(store *s, GError **error, const char *what);

#endif
