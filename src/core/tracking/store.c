/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.c - the SQLite database: open with WAL and foreign keys, migrate, transactions,
 * online backup (the helpers every module reads rows through are store_rows.c's). It owns
 * no table: each is written by its module (see docs/decisions.md, "Architecture"); the
 * migrations here are the only other writer.
 *
 * Migrations are a table of SQL scripts; script i takes user_version i to i + 1. All
 * pending ones run in one IMMEDIATE transaction together with the user_version update, so
 * a failure leaves the file exactly as it was.
 */
#include "apptrack/store.h"

#include "apptrack/error.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_BUSY_TIMEOUT_MS 5000
/* SQLite's page cache, capped at 32 MiB (a negative cache_size counts KiB): enough for a
 * listing of 100,000 applications (their table is about 13 MiB) to be read from memory the
 * second time, where the default 2 MiB read them from the file on every request. The cache
 * only grows as pages are read. */
#define STORE_CACHE_KIB_NEG -32768
#define STORE_BACKUP_PAGES_PER_STEP 1024
#define STORE_DIR_MODE 0700
#define STORE_FILE_MODE 0600
/* the primary result code of an extended one (extended codes are on) */
#define PRIMARY_CODE(rc) ((rc) & 0xff)

struct store {
	sqlite3 *db;
	char *path;
	int depth;     /* nesting depth of store_begin() */
	bool failed;   /* an inner level rolled back */
	GHashTable *stmts; /* sql text -> sqlite3_stmt*, see store_prepare() */
};

static const char *const migrations[] = {
	/* 0 -> 1: the schema of docs/data-model.md */
	"CREATE TABLE applications ("
	"  id INTEGER PRIMARY KEY,"
	"  company TEXT NOT NULL CHECK (length(company) > 0),"
	"  position TEXT NOT NULL CHECK (length(position) > 0),"
	"  location TEXT, salary TEXT, source TEXT, url TEXT, job_description TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('saved','applied','screen','assessment','technical',"
	"    'onsite','final','offer','accepted','rejected','withdrawn','ghosted')),"
	"  applied_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, notes TEXT);"
	"CREATE INDEX applications_status ON applications(status);"
	"CREATE INDEX applications_applied ON applications(applied_at);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('created','status_change','note','edit','email','reminder','interview')),"
	"  from_status TEXT, to_status TEXT, text TEXT, message_id TEXT);"
	"CREATE INDEX events_app ON events(application_id, at);"
	"CREATE TABLE interviews ("
	"  id INTEGER PRIMARY KEY,"
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,"
	"  starts_at TEXT NOT NULL, ends_at TEXT,"
	"  type TEXT CHECK (type IN ('phone','video','onsite')),"
	"  location TEXT, notes TEXT, sequence INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE TABLE reminders ("
	"  id INTEGER PRIMARY KEY,"
	"  application_id INTEGER REFERENCES applications(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('follow_up','interview_prep','thank_you','interview','custom')),"
	"  due_at TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','snoozed','cancelled')),"
	"  note TEXT, interview_id INTEGER REFERENCES interviews(id) ON DELETE CASCADE,"
	"  fired_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE INDEX reminders_due ON reminders(state, due_at);"
	"CREATE INDEX reminders_app ON reminders(application_id);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0),"
	"  position TEXT, company TEXT, email TEXT, phone TEXT, links TEXT, notes TEXT,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"CREATE TABLE application_contacts ("
	"  application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (application_id, contact_id));"
	"CREATE INDEX application_contacts_contact ON application_contacts(contact_id);"
	"CREATE TABLE resumes ("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL,"
	"  is_default INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);"
	"CREATE TABLE mail_state ("
	"  account TEXT NOT NULL, mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL, PRIMARY KEY (account, mailbox));"
	"CREATE TABLE messages ("
	"  message_id TEXT PRIMARY KEY, account TEXT, mailbox TEXT, uid INTEGER,"
	"  application_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,"
	"  kind TEXT, applied_at TEXT NOT NULL);"
	"CREATE TABLE review ("
	"  id INTEGER PRIMARY KEY, message_id TEXT, account TEXT, mailbox TEXT, uid INTEGER,"
	"  sender TEXT, subject TEXT, date TEXT, kind TEXT, company TEXT, position TEXT,"
	"  rule TEXT, reason TEXT NOT NULL, raw BLOB, created_at TEXT NOT NULL);"
	"CREATE VIRTUAL TABLE applications_fts USING fts5("
	"  company, position, location, notes, job_description,"
	"  content='applications', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER applications_ai AFTER INSERT ON applications BEGIN"
	"  INSERT INTO applications_fts(rowid, company, position, location, notes, job_description)"
	"  VALUES (new.id, new.company, new.position, new.location, new.notes, new.job_description);"
	"END;"
	"CREATE TRIGGER applications_ad AFTER DELETE ON applications BEGIN"
	"  INSERT INTO applications_fts(applications_fts, rowid, company, position, location, notes, job_description)"
	"  VALUES ('delete', old.id, old.company, old.position, old.location, old.notes, old.job_description);"
	"END;"
	"CREATE TRIGGER applications_au AFTER UPDATE OF company, position, location, notes, job_description"
	"  ON applications BEGIN"
	"  INSERT INTO applications_fts(applications_fts, rowid, company, position, location, notes, job_description)"
	"  VALUES ('delete', old.id, old.company, old.position, old.location, old.notes, old.job_description);"
	"  INSERT INTO applications_fts(rowid, company, position, location, notes, job_description)"
	"  VALUES (new.id, new.company, new.position, new.location, new.notes, new.job_description);"
	"END;",
	/* 1 -> 2: a folded company name, so that mail finds its application by company */
	"ALTER TABLE applications ADD COLUMN company_key TEXT;"
	"UPDATE applications SET company_key = apptrack_company_key(company);"
	"CREATE INDEX applications_company_key ON applications(company_key);",
	/* 2 -> 3: reminders count their changes, for the calendar feed's SEQUENCE */
	"ALTER TABLE reminders ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;",
	/* 3 -> 4: the user's profile (one row) and resumes that know when they changed and
	 * have at most one default (resumes.c) */
	"CREATE TABLE profile ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  name TEXT, email TEXT, phone TEXT, location TEXT, position TEXT,"
	"  skills TEXT, links TEXT, updated_at TEXT);"
	"INSERT INTO profile (id) VALUES (1);"
	"ALTER TABLE resumes ADD COLUMN updated_at TEXT;"
	"UPDATE resumes SET updated_at = created_at;"
	"UPDATE resumes SET is_default = 0 WHERE is_default <> 0 AND id <> "
	"  (SELECT id FROM resumes WHERE is_default <> 0 ORDER BY created_at DESC, id DESC LIMIT 1);"
	"UPDATE resumes SET is_default = 1 WHERE id = (SELECT id FROM resumes ORDER BY created_at DESC, id DESC LIMIT 1)"
	"  AND NOT EXISTS (SELECT 1 FROM resumes WHERE is_default <> 0);"
	"CREATE UNIQUE INDEX resumes_one_default ON resumes(is_default) WHERE is_default <> 0;",
	/* 4 -> 5: what the daemon made of a queued message (model.h: best guess, confidence,
	 * company candidates, as JSON), and the user's lessons to the mail model */
	"ALTER TABLE review ADD COLUMN verdict TEXT;"
	"CREATE TABLE lessons ("
	"  key TEXT PRIMARY KEY, kind TEXT NOT NULL, file TEXT, raw BLOB NOT NULL, learned_at TEXT NOT NULL);",
	/* 5 -> 6: the open reminders not raised yet, due first, so that the scheduler reads
	 * the next slice of a backlog without walking the ones it raised (reminders.c) */
	"CREATE INDEX reminders_unraised ON reminders(due_at) WHERE fired_at IS NULL AND state IN ('pending', 'snoozed');",
	/* 6 -> 7: interviews from calendar invitations (invitation.h, interviews.c): the
	 * invitation's UID (one interview per UID) and SEQUENCE, who sent it, the meeting link
	 * and, for a recurring one, its rule */
	"ALTER TABLE interviews ADD COLUMN invite_uid TEXT;"
	"ALTER TABLE interviews ADD COLUMN invite_sequence INTEGER;"
	"ALTER TABLE interviews ADD COLUMN organizer TEXT;"
	"ALTER TABLE interviews ADD COLUMN meeting_url TEXT;"
	"ALTER TABLE interviews ADD COLUMN recurrence TEXT;"
	"CREATE UNIQUE INDEX interviews_invite_uid ON interviews(invite_uid) WHERE invite_uid IS NOT NULL;",
	/* 7 -> 8: the CalDAV outbox (caldav_outbox.h): per resource of the [caldav] collection,
	 * the text it must have (NULL: to delete) and what was last pushed there */
	"CREATE TABLE caldav_outbox ("
	"  name TEXT PRIMARY KEY, collection TEXT NOT NULL, body TEXT, hash TEXT,"
	"  pushed_hash TEXT, etag TEXT, changed_at TEXT NOT NULL);",
	/* 8 -> 9: the web page's data (issue 17): the sender and subject of the mail that made
	 * an event; the board's columns, most recently changed first, and each application's
	 * last status change and next open reminder, read by seeks (applications.c) */
	"ALTER TABLE events ADD COLUMN mail_from TEXT;"
	"ALTER TABLE events ADD COLUMN mail_subject TEXT;"
	"DROP INDEX applications_status;"
	"CREATE INDEX applications_status_updated ON applications(status, updated_at);"
	"CREATE INDEX events_status_change ON events(application_id, at) WHERE kind = 'status_change';"
	"CREATE INDEX reminders_open_app ON reminders(application_id, due_at) WHERE state IN ('pending', 'snoozed');",
};

G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == STORE_SCHEMA_VERSION);

static void stmt_free(gpointer st)
{
	sqlite3_finalize(st);
}

int store_error(store *s, GError **error, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int r = PRIMARY_CODE(code) == SQLITE_CONSTRAINT ? -EEXIST : -EIO;
	return at_error_set(error, r, "database: %s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(store *s, const char *sql, GError **error)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(s, error, sql);
	return 0;
}

static int pragma_int(store *s, const char *sql, int *ret)
{
	sqlite3_stmt *st;
	int r = -EIO;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*ret = sqlite3_column_int(st, 0);
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

int store_schema_version(store *s)
{
	int v = -1;
	pragma_int(s, "PRAGMA user_version", &v);
	return v;
}

static int check_version(store *s, int version, GError **error)
{
	if (version > STORE_SCHEMA_VERSION)
		return at_error_set(error, -EPROTO,
				    "database %s has schema version %d, newer than version %d that this apptrack "
				    "knows: upgrade apptrack (or open a backup made by this version)",
				    s->path, version, STORE_SCHEMA_VERSION);
	return 0;
}

/* apptrack_company_key(TEXT): text_company_key() for SQL, used by migrations. */
static void sql_company_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;

	if (!text) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, text_company_key(text), -1, g_free);
}

/* apptrack_now(): time_now() for SQL (Unix seconds; $APPTRACK_NOW when set), e.g. for
 * the days an application has been in its stage (applications.c). Registered as
 * deterministic so that SQLite evaluates it once per statement run, not once per row (as
 * its own 'now' is stable within a statement); never use it in an index or a CHECK. */
static void sql_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int64(ctx, time_now());
}

static int migrate(store *s, GError **error)
{
	int version, r;

	r = exec(s, "BEGIN IMMEDIATE", error);
	if (r < 0)
		return r;
	/* read again under the write lock: another process may have migrated meanwhile */
	if (pragma_int(s, "PRAGMA user_version", &version) < 0) {
		r = store_error(s, error, "reading the schema version");
		goto fail;
	}
	if ((r = check_version(s, version, error)) < 0)
		goto fail;
	for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
			r = at_error_set(error, -EIO, "database %s: migration to schema version %d failed: %s",
					 s->path, v + 1, sqlite3_errmsg(s->db));
			goto fail;
		}
	}
	if (version != STORE_SCHEMA_VERSION) {
		g_autofree char *sql = g_strdup_printf("PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
		if ((r = exec(s, sql, error)) < 0)
			goto fail;
	}
	if ((r = exec(s, "COMMIT", error)) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/* Creates the directory holding path (0700: the database is private) and the file
 * itself (0600; SQLite would follow the umask). An existing file keeps its mode. */
static int create_file(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;
	int fd, r;

	if (g_mkdir_with_parents(dir, STORE_DIR_MODE) < 0) {
		r = -errno;
		return at_error_set(error, r, "cannot create directory %s for the database: %s", dir, g_strerror(-r));
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return at_error_set(error, -EINVAL, "database %s is not a regular file", path);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, STORE_FILE_MODE);
	if (fd < 0 && errno != EEXIST) {
		r = -errno;
		return at_error_set(error, r, "cannot create database %s: %s", path, g_strerror(-r));
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Opens the connection with flags and reads its schema version: the first read of the file
 * catches a non-database. On failure *ret_store is NULL. */
static int open_db(const char *path, int flags, store **ret_store, int *ret_version, GError **error)
{
	store *s = g_new0(store, 1);
	int r = 0;

	s->path = g_strdup(path);
	s->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stmt_free);
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		r = at_error_set(error, -EIO, "cannot open database %s: %s", path,
				 s->db ? sqlite3_errmsg(s->db) : "out of memory");
	} else {
		sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
		sqlite3_extended_result_codes(s->db, 1);
		if (sqlite3_create_function_v2(s->db, "apptrack_now", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_now, NULL, NULL,
					       NULL) != SQLITE_OK)
			r = at_error_set(error, -EIO, "cannot register SQL functions on %s: %s", path,
					 sqlite3_errmsg(s->db));
		else if (pragma_int(s, "PRAGMA user_version", ret_version) < 0)
			r = PRIMARY_CODE(sqlite3_errcode(s->db)) == SQLITE_NOTADB
				    ? at_error_set(error, -EINVAL,
						   "%s is not an SQLite database: move it away or point [general] "
						   "database elsewhere",
						   path)
				    : at_error_set(error, -EIO, "cannot read database %s: %s", path, sqlite3_errmsg(s->db));
	}
	if (r < 0)
		g_clear_pointer(&s, store_close);
	*ret_store = s;
	return r;
}

int store_open(const char *path, store **ret_store, GError **error)
{
	store *s;
	int version, r;

	if ((r = create_file(path, error)) < 0)
		return r;
	/* The version is read before anything writes: a newer database is refused before even
	 * its journal mode changes. */
	if ((r = open_db(path, SQLITE_OPEN_READWRITE, &s, &version, error)) < 0)
		return r;
	if ((r = check_version(s, version, error)) < 0)
		goto fail;
	if ((r = exec(s,
		      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
		      "PRAGMA cache_size = " G_STRINGIFY(STORE_CACHE_KIB_NEG),
		      error)) < 0)
		goto fail;
	if (sqlite3_create_function_v2(s->db, "apptrack_company_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       sql_company_key, NULL, NULL, NULL) != SQLITE_OK) {
		r = store_error(s, error, "registering SQL functions");
		goto fail;
	}
	if ((r = migrate(s, error)) < 0)
		goto fail;
	*ret_store = s;
	return 0;
fail:
	store_close(s);
	return r;
}

int store_open_reader(const char *path, store **ret_store, GError **error)
{
	int version, r = open_db(path, SQLITE_OPEN_READONLY, ret_store, &version, error);

	if (r == 0 && version != STORE_SCHEMA_VERSION)
		r = at_error_set(error, -EPROTO, "database %s: schema version %d, not %d", path, version,
				 STORE_SCHEMA_VERSION);
	else if (r == 0) /* a small page cache (KiB): the feed reads little, and often */
		r = exec(*ret_store, "PRAGMA cache_size = -256", error);
	if (r < 0)
		g_clear_pointer(ret_store, store_close);
	return r;
}

void store_close(store *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->stmts); /* finalizes the statements before the close */
	sqlite3_close(s->db);
	g_free(s->path);
	g_free(s);
}

int store_prepare(store *s, const char *sql, sqlite3_stmt **ret_stmt, GError **error)
{
	sqlite3_stmt *st = g_hash_table_lookup(s->stmts, sql);

	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
			return store_error(s, error, "preparing a statement");
		g_hash_table_insert(s->stmts, g_strdup(sql), st);
	}
	*ret_stmt = st;
	return 0;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what, GError **error)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, what);
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_NULL:
		return json_null();
	default: {
		json_t *v = json_stringn((const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
		return v ? v : json_null();
	}
	}
}

bool store_column_is_json(sqlite3_stmt *st, int i, size_t *ret_len)
{
	const char *name = sqlite3_column_name(st, i);
	size_t len = strlen(name), suffix = strlen(STORE_JSON_COLUMN);

	if (len <= suffix || strcmp(name + len - suffix, STORE_JSON_COLUMN) != 0)
		return false;
	*ret_len = len - suffix;
	return true;
}

json_t *store_row_json(sqlite3_stmt *st, int n, bool skip_nulls)
{
	json_t *o = json_object();
	size_t len;

	if (n < 0)
		n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		if (skip_nulls && sqlite3_column_type(st, i) == SQLITE_NULL)
			continue;
		if (!store_column_is_json(st, i, &len)) {
			json_object_set_new_nocheck(o, sqlite3_column_name(st, i), column_json(st, i));
			continue;
		}
		g_autofree char *key = g_strndup(sqlite3_column_name(st, i), len);
		json_t *v = sqlite3_column_type(st, i) == SQLITE_NULL
				    ? NULL
				    : json_loadb((const char *)sqlite3_column_text(st, i),
						 (size_t)sqlite3_column_bytes(st, i), JSON_DECODE_ANY, NULL);
		json_object_set_new_nocheck(o, key, v ? v : json_null());
	}
	return o;
}

sqlite3 *store_db(store *s)
{
	return s->db;
}

int64_t store_last_id(store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

int store_changes(store *s)
{
	return sqlite3_changes(s->db);
}

const char *store_path(store *s)
{
	return s->path;
}

int store_begin(store *s, GError **error)
{
	if (s->depth == 0) {
		int r = exec(s, "BEGIN IMMEDIATE", error);
		if (r < 0)
			return r;
		s->failed = false;
	}
	s->depth++;
	return 0;
}

int store_commit(store *s, GError **error)
{
	g_return_val_if_fail(s->depth > 0, -EINVAL);
	if (--s->depth > 0)
		return 0;
	if (s->failed) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return at_error_set(error, -EIO, "database: transaction rolled back after an earlier failure");
	}
	int r = exec(s, "COMMIT", error);
	if (r < 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

void store_rollback(store *s)
{
	g_return_if_fail(s->depth > 0);
	if (--s->depth > 0) {
		s->failed = true;
		return;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->failed = false;
}

int store_transaction(store *s, store_tx_fn fn, void *arg, json_t **ret, GError **error)
{
	json_t *result = NULL;
	int r = store_begin(s, error);

	if (r < 0)
		return r;
	if ((r = fn(s, arg, &result, error)) < 0) {
		store_rollback(s);
		json_decref(result);
		return r;
	}
	int c = store_commit(s, error);
	if (c < 0) {
		json_decref(result);
		return c;
	}
	if (ret)
		*ret = result;
	else
		json_decref(result);
	return r;
}

int store_backup(store *s, const char *path, int64_t *ret_bytes, GError **error)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	struct stat st;
	int fd, rc, r = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, STORE_FILE_MODE);
	if (fd < 0) {
		r = -errno;
		if (r == -EEXIST)
			return at_error_set(error, r, "backup %s already exists: give a new file name", path);
		return at_error_set(error, r, "cannot create backup %s: %s", path, g_strerror(-r));
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		r = at_error_set(error, -EIO, "cannot open backup %s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		r = at_error_set(error, -EIO, "backup to %s: %s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	do
		rc = sqlite3_backup_step(b, STORE_BACKUP_PAGES_PER_STEP);
	while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		r = at_error_set(error, -EIO, "backup to %s failed: %s", path, sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(dst);
	if (stat(path, &st) < 0) {
		r = -errno;
		unlink(path);
		return at_error_set(error, r, "backup %s: %s", path, g_strerror(-r));
	}
	*ret_bytes = st.st_size;
	return 0;
fail:
	sqlite3_close(dst);
	unlink(path);
	return r;
}
