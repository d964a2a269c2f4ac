/* SPDX-License-Identifier: GPL-3.0-or-later */
/* caldav_outbox.h - the CalDAV outbox (table caldav_outbox): what the collection at [caldav]
 * url must become, and what apptrackd last pushed there, so that a server that is down, slow
 * or refusing loses nothing, across restarts too.
 *
 * One row per resource (feed.h names them): the text it must have (body and its SHA-256,
 * hash; NULL when it must be deleted), the hash last PUT (pushed_hash) and the server's
 * ETag of it (etag; NULL: not known to be there). A row is pending when it must be deleted
 * or its hash is not the one pushed; a DELETE that succeeded removes the row. Rows of another
 * collection than the one given are dropped (the url changed: the new one is learned anew).
 * Every function but outbox_count() and outbox_pending() writes, each in one transaction.
 */
#ifndef APPTRACK_CALDAV_OUTBOX_H
#define APPTRACK_CALDAV_OUTBOX_H

#include <glib.h>
#include <stdbool.h>

#include "apptrack/store.h"

/* A pending change. */
struct outbox_entry {
	char *name;
	char *body; /* NULL: DELETE */
	char *hash;
	char *etag; /* NULL: PUT with If-None-Match: *, DELETE without condition */
};

/* What the server did with one. */
struct outbox_result {
	char *name;
	char *hash; /* the hash PUT; NULL: deleted (or already gone) */
	char *etag; /* the resource's ETag after the PUT, NULL when the server gave none */
};

/* The feed's resources (of struct feed_resource *) as the collection url must be: new and
 * changed ones to PUT, those no longer there to DELETE. */
int outbox_offer(store *s, const char *url, GPtrArray *resources, GError **error);
/* How many changes wait. */
int outbox_count(store *s, const char *url, int64_t *ret_pending, GError **error);
/* At most limit pending changes, oldest first: a new array of struct outbox_entry * that
 * frees them. */
int outbox_pending(store *s, const char *url, unsigned limit, GPtrArray **ret, GError **error);
/* What the server holds (name -> ETag, of every resource of the collection): rows whose
 * ETag differs are PUT again (an edit there is overwritten), rows it lacks are PUT anew, and
 * apptrack's resources it has without a row are deleted. */
int outbox_learn(store *s, const char *url, GHashTable *server, GError **error);
/* Records results (of struct outbox_result *). */
int outbox_apply(store *s, GPtrArray *results, GError **error);

void outbox_entry_free(gpointer entry);
void outbox_result_free(gpointer result);

#endif
