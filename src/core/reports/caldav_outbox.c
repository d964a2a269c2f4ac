/* SPDX-License-Identifier: GPL-3.0-or-later */
/* caldav_outbox.c - the CalDAV outbox; see caldav_outbox.h. Owns the table caldav_outbox. */
#include "apptrack/caldav_outbox.h"

#include "apptrack/error.h"
#include "apptrack/feed.h"
#include "apptrack/timeutil.h"

#include <stdarg.h>
#include <string.h>

#define PENDING "(body IS NULL OR hash IS NOT pushed_hash)"

struct offer {
	const char *url;
	GPtrArray *resources;
};

struct learn {
	const char *url;
	GHashTable *server;
};

void outbox_entry_free(gpointer p)
{
	struct outbox_entry *e = p;

	g_free(e->name);
	g_free(e->body);
	g_free(e->hash);
	g_free(e->etag);
	g_free(e);
}

void outbox_result_free(gpointer p)
{
	struct outbox_result *r = p;

	g_free(r->name);
	g_free(r->hash);
	g_free(r->etag);
	g_free(r);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* name -> hash ("" for a row to delete) of the rows of url. */
static int rows_of(store *s, const char *url, GHashTable *rows, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT name, coalesce(hash, '') FROM caldav_outbox WHERE collection = ?", &st, error);
	int rc;

	if (r < 0)
		return r;
	store_bind_text(st, 1, url);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_insert(rows, g_strdup(col(st, 0)), g_strdup(col(st, 1)));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading the CalDAV outbox");
}

/* Sets name's row to body (NULL: to delete), inserting it when insert. */
static int set_row(store *s, const char *url, const char *name, const char *body, const char *hash, bool insert,
		   GError **error)
{
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r = store_prepare(s,
			      insert ? "INSERT INTO caldav_outbox (body, hash, changed_at, name, collection) "
				       "VALUES (?1, ?2, ?3, ?4, ?5)"
				     : "UPDATE caldav_outbox SET body = ?1, hash = ?2, changed_at = ?3 WHERE name = ?4",
			      &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, body);
	store_bind_text(st, 2, hash);
	store_bind_text(st, 3, time_format_iso(time_now(), now));
	store_bind_text(st, 4, name);
	if (insert)
		store_bind_text(st, 5, url);
	return store_step_done(s, st, "writing the CalDAV outbox", error);
}

/* Drops the rows of any other collection than url's (the url changed: it starts over). */
static int drop_others(store *s, const char *url, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM caldav_outbox WHERE collection <> ?", &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, url);
	return store_step_done(s, st, "writing the CalDAV outbox", error);
}

static int offer_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct offer *o = arg;
	g_autoptr(GHashTable) rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int r;
	(void)ret;

	if ((r = drop_others(s, o->url, error)) < 0 || (r = rows_of(s, o->url, rows, error)) < 0)
		return r;
	for (guint i = 0; i < o->resources->len; i++) {
		const struct feed_resource *res = o->resources->pdata[i];
		const char *had = g_hash_table_lookup(rows, res->name);
		if ((!had || strcmp(had, res->hash) != 0) &&
		    (r = set_row(s, o->url, res->name, res->text, res->hash, !had, error)) < 0)
			return r;
		g_hash_table_remove(rows, res->name);
	}
	GHashTableIter it;
	gpointer name, hash;
	g_hash_table_iter_init(&it, rows);
	while (g_hash_table_iter_next(&it, &name, &hash))
		if (*(const char *)hash && (r = set_row(s, o->url, name, NULL, NULL, false, error)) < 0)
			return r;
	return 0;
}

int outbox_offer(store *s, const char *url, GPtrArray *resources, GError **error)
{
	struct offer o = { .url = url, .resources = resources };
	return store_transaction(s, offer_tx, &o, NULL, error);
}

int outbox_count(store *s, const char *url, int64_t *ret_pending, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM caldav_outbox WHERE collection = ? AND " PENDING, &st, error);

	if (r < 0)
		return r;
	store_bind_text(st, 1, url);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(s, error, "counting the CalDAV outbox");
	}
	*ret_pending = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int outbox_pending(store *s, const char *url, unsigned limit, GPtrArray **ret, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
			      "SELECT name, body, hash, etag FROM caldav_outbox WHERE collection = ? AND " PENDING
			      " ORDER BY changed_at, name LIMIT ?",
			      &st, error);
	int rc;

	if (r < 0)
		return r;
	store_bind_text(st, 1, url);
	sqlite3_bind_int64(st, 2, limit);
	GPtrArray *out = g_ptr_array_new_with_free_func(outbox_entry_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_entry *e = g_new0(struct outbox_entry, 1);
		e->name = g_strdup(col(st, 0));
		e->body = g_strdup(col(st, 1));
		e->hash = g_strdup(col(st, 2));
		e->etag = g_strdup(col(st, 3));
		g_ptr_array_add(out, e);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g_ptr_array_unref(out);
		return store_error(s, error, "reading the CalDAV outbox");
	}
	*ret = out;
	return 0;
}

/* Runs sql with its n text parameters (each may be NULL). */
static int exec_with(store *s, GError **error, const char *sql, int n, ...)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);
	va_list ap;

	if (r < 0)
		return r;
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		store_bind_text(st, i, va_arg(ap, const char *));
	va_end(ap);
	return store_step_done(s, st, "writing the CalDAV outbox", error);
}

static int learn_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct learn *l = arg;
	g_autoptr(GHashTable) rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int r;
	(void)ret;

	/* learned before anything was offered for a new url: the old rows would collide */
	if ((r = drop_others(s, l->url, error)) < 0 || (r = rows_of(s, l->url, rows, error)) < 0)
		return r;
	GHashTableIter it;
	gpointer name, value;
	g_hash_table_iter_init(&it, rows);
	while (g_hash_table_iter_next(&it, &name, &value)) {
		const char *etag = g_hash_table_lookup(l->server, name);
		bool to_delete = !*(const char *)value;
		if (!etag && to_delete)
			r = exec_with(s, error, "DELETE FROM caldav_outbox WHERE name = ?", 1, name);
		else if (!etag) /* gone from the server: PUT anew */
			r = exec_with(s, error, "UPDATE caldav_outbox SET etag = NULL, pushed_hash = NULL WHERE name = ?", 1,
				      name);
		else /* there, maybe edited: PUT again over that ETag unless it is the one pushed */
			r = exec_with(s, error,
				      "UPDATE caldav_outbox SET pushed_hash = CASE WHEN etag IS ?1 THEN pushed_hash END, "
				      "etag = ?1 WHERE name = ?2",
				      2, etag, name);
		if (r < 0)
			return r;
	}
	g_hash_table_iter_init(&it, l->server);
	while (g_hash_table_iter_next(&it, &name, &value)) {
		if (!feed_is_resource_name(name) || g_hash_table_contains(rows, name))
			continue;
		if ((r = set_row(s, l->url, name, NULL, NULL, true, error)) < 0 ||
		    (r = exec_with(s, error, "UPDATE caldav_outbox SET etag = ? WHERE name = ?", 2, value, name)) < 0)
			return r;
	}
	return 0;
}

int outbox_learn(store *s, const char *url, GHashTable *server, GError **error)
{
	struct learn l = { .url = url, .server = server };
	return store_transaction(s, learn_tx, &l, NULL, error);
}

static int apply_tx(store *s, void *arg, json_t **ret, GError **error)
{
	GPtrArray *results = arg;
	int r = 0;
	(void)ret;

	for (guint i = 0; i < results->len && r >= 0; i++) {
		const struct outbox_result *res = results->pdata[i];
		if (res->hash)
			r = exec_with(s, error, "UPDATE caldav_outbox SET pushed_hash = ?, etag = ? WHERE name = ?", 3, res->hash,
				      res->etag, res->name);
		else if ((r = exec_with(s, error, "DELETE FROM caldav_outbox WHERE name = ? AND body IS NULL", 1,
					res->name)) >= 0) /* back in the feed meanwhile: not on the server any more */
			r = exec_with(s, error, "UPDATE caldav_outbox SET etag = NULL, pushed_hash = NULL WHERE name = ?", 1,
				      res->name);
	}
	return r;
}

int outbox_apply(store *s, GPtrArray *results, GError **error)
{
	return store_transaction(s, apply_tx, results, NULL, error);
}
