/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dav.h - the few WebDAV/CalDAV requests apptrackd makes of the user's calendar server
 * (RFC 4918, RFC 4791): PUT and DELETE of one resource with ETag preconditions, and PROPFIND
 * Depth 1 for the ETags of a collection. libcurl does HTTP, libxml2 reads the multistatus.
 *
 * Every request is bounded: DAV_CONNECT_TIMEOUT_MS to connect, DAV_TIMEOUT_MS in all, less
 * than one byte a second for DAV_STALL_SECONDS cuts it, and an answer's body is read up to
 * DAV_MAX_BODY bytes only, so that a server answering garbage or without end fails with one
 * clear message. Redirects are not followed. The password goes to libcurl only: no message
 * names it. Blocking: for a worker thread.
 */
#ifndef APPTRACK_DAV_H
#define APPTRACK_DAV_H

#include <glib.h>
#include <stdbool.h>

#define DAV_CONNECT_TIMEOUT_MS 15000
#define DAV_TIMEOUT_MS 60000
#define DAV_STALL_SECONDS 20
#define DAV_MAX_BODY ((size_t)4 << 20)

struct dav;

/* A client of the collection at url (http or https; a trailing '/' is added). user may be
 * NULL (no authentication). Copies what it is given. */
struct dav *dav_new(const char *url, const char *user, const char *password);
void dav_free(struct dav *d);
/* Requests of d stop (-ECANCELED) within about a second once *cancel is non-zero (read
 * with g_atomic_int_get; set from any thread): a daemon that stops does not wait out a
 * slow server. NULL: never. */
void dav_set_cancel(struct dav *d, const gint *cancel);

/* PUTs body as resource name. if_match: its ETag, "" for If-None-Match: * (a new resource),
 * NULL for no condition. *ret_etag (g_free; may be NULL) gets the ETag the server answered,
 * or NULL. Errors: -EEXIST on 412 (the condition failed), -EACCES on 401 or 403, else -EIO,
 * -ETIMEDOUT, -ECONNREFUSED, -EPROTO, ... with one message. */
int dav_put(struct dav *d, const char *name, const char *body, size_t len, const char *if_match, char **ret_etag,
	    GError **error);
/* DELETEs name, with If-Match: if_match unless it is NULL. A resource already gone is no
 * error. Errors as dav_put(). */
int dav_delete(struct dav *d, const char *name, const char *if_match, GError **error);
/* PROPFIND Depth 1 of the collection: *ret_etags (g_hash_table_unref) maps the name of each
 * resource in it (not the collection itself, not subcollections) to its ETag ("" if none). */
int dav_list(struct dav *d, GHashTable **ret_etags, GError **error);
/* What dav_list() does with the answer: reads the 207 multistatus body (len bytes, need not
 * end with a NUL) into *ret_etags, name -> ETag, as said there. A name is the last segment of
 * a response's href (a path or an absolute URL; a query or fragment dropped), percent-
 * unescaped; a response is left out when that is empty (the collection itself, whose href
 * ends with '/'), ".", "..", holds '/' or a control character once unescaped, or is not
 * UTF-8, so that every name taken can be used as a file or resource name. Left out too: a
 * response whose resourcetype is a collection, and one whose own <status> is not 2xx. An
 * ETag comes from the first <propstat> with a 2xx status (or none) that has one; it is ""
 * when none does or when it is not printable ASCII of at most 256 bytes. libxml2's limits
 * hold (no XML_PARSE_HUGE: depth 256, text nodes 10 MB); no entity is substituted and
 * nothing is fetched. Errors: -EPROTO, with one message naming url_for_messages, when body
 * is not XML, has a DTD, or its root is not DAV:multistatus. */
int dav_parse_multistatus(const char *body, size_t len, const char *url_for_messages, GHashTable **ret_etags,
			  GError **error);

#endif
