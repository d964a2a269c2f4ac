/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.h - the SQLite database: open, migrate, transactions, backup.
 *
 * Lifecycle: store_open() creates the file (mode 0600) and its directory if needed,
 * turns on WAL and foreign keys, and runs every pending migration in one transaction;
 * store_close() closes it (NULL is fine). A store is used by one thread: the daemon's main
 * thread has one, the calendar feed's builder its own reader (store_open_reader()), an
 * import's thread (src/daemon/importing.c) another on the same file.
 *
 * Schema (version STORE_SCHEMA_VERSION, in PRAGMA user_version): applications, events,
 * reminders, interviews, contacts, application_contacts, resumes, profile, mail_state,
 * messages, review (with the verdict of each queued message), lessons (the user's lessons to
 * the mail model, model.h), caldav_outbox (what the CalDAV collection must hold,
 * caldav_outbox.h), and the FTS5 table applications_fts over company, position, location,
 * notes and job_description, kept in step by triggers. See docs/data-model.md.
 */
#ifndef APPTRACK_STORE_H
#define APPTRACK_STORE_H

#include <glib.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 9

typedef struct store store;

/* Opens (creating when needed) the database at path. On success *ret_store owns the
 * connection (free with store_close). A database whose user_version is newer than this
 * build knows is refused with -EPROTO and a message naming both versions. */
int store_open(const char *path, store **ret_store, GError **error);
void store_close(store *s);
/* Opens the database at path, already migrated by store_open(), to read only: a connection
 * of its own for a thread that reads beside the main one (WAL lets it read the last commit
 * while the main thread writes), with a small page cache. Its writes fail; its
 * transactions are read snapshots.
 * -EPROTO when the schema is not STORE_SCHEMA_VERSION. */
int store_open_reader(const char *path, store **ret_store, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(store, store_close)

/* The connection, borrowed: valid until store_close(). For the tests only: the modules
 * of src/ work through the helpers below (tests/e2e/test_architecture.sh checks this). */
sqlite3 *store_db(store *s);
/* The rowid of the last row inserted, and the number of rows the last statement changed. */
int64_t store_last_id(store *s);
int store_changes(store *s);
/* Path the store was opened from, borrowed. */
const char *store_path(store *s);
/* PRAGMA user_version. */
int store_schema_version(store *s);

/* Transactions nest: only the outermost begin/commit touch SQLite; a rollback at any
 * depth rolls the whole transaction back when the outermost level ends. The modules use
 * them through store_transaction() only (test_architecture.sh checks this); the three are
 * public for the tests of the nesting itself. */
int store_begin(store *s, GError **error);
int store_commit(store *s, GError **error);
void store_rollback(store *s);

/* Runs fn(s, arg, &result, error) in one transaction (nested in the caller's): commits
 * when it returns 0 or more, rolls back otherwise. *ret (may be NULL) gets fn's result
 * only once the commit succeeded, as the ret_* parameters of the modules promise; fn may
 * also leave outputs in arg, which the caller reads only on success. Returns fn's value
 * or the commit's error. */
typedef int (*store_tx_fn)(store *s, void *arg, json_t **ret, GError **error);
int store_transaction(store *s, store_tx_fn fn, void *arg, json_t **ret, GError **error);

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
 * n < 0), NULL columns left out when skip_nulls. A column named "NAME" STORE_JSON_COLUMN
 * holds JSON text (e.g. SQLite's json_object()): its value is that JSON, under the key
 * NAME; both this and store_rows_text() read it so. New reference. */
json_t *store_row_json(sqlite3_stmt *st, int n, bool skip_nulls);
#define STORE_JSON_COLUMN ":json"
/* Whether the column's name ends in STORE_JSON_COLUMN; *ret_len gets the key's length. */
bool store_column_is_json(sqlite3_stmt *st, int i, size_t *ret_len);

/* Runs a prepared statement and collects its rows into an array (store_row_json() each);
 * resets it. */
int store_rows_json(store *s, sqlite3_stmt *st, bool skip_nulls, json_t **ret, GError **error);
/* Runs sql (one ? for id) and returns its first row as an object, or -ENOENT "no what
 * with id ID". */
int store_one_row(store *s, const char *sql, int64_t id, const char *what, json_t **ret, GError **error);
/* Runs sql (one ? for id) and returns all rows as an array. */
int store_id_rows(store *s, const char *sql, int64_t id, bool skip_nulls, json_t **ret, GError **error);
/* Runs a prepared statement and writes its rows as the text of a JSON array of objects
 * (NULL as null), without jansson objects: for listings of thousands of rows. g_free. */
int store_rows_text(store *s, sqlite3_stmt *st, const char *what, char **ret_json, GError **error);
/* A LIKE pattern (ESCAPE '\\') matching text anywhere, its wildcards taken literally. g_free. */
char *store_like_contains(const char *text);

/* Sets *error from the connection's last error ("database: <what>: <sqlite message>")
 * and returns -EIO (or -EEXIST for constraint violations). */
int store_error(store *s, GError **error, const char *what);

#endif
