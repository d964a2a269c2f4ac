/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protocol.h - the control protocol's wire format (docs/protocol.md).
 *
 * Newline-delimited JSON over a Unix stream socket. This module only encodes and
 * decodes lines; it does no I/O. The daemon's control server and the client library both
 * build on it, and a peer with another PROTO_VERSION is told so in the greeting.
 */
#ifndef APPTRACK_PROTOCOL_H
#define APPTRACK_PROTOCOL_H

#include <glib.h>
#include <jansson.h>
#include <stddef.h>

#define PROTO_VERSION 1
#define PROTO_MAX_LINE ((size_t)32 << 20)  /* longest request line, bytes */
#define PROTO_MAX_DEPTH 32                 /* deepest JSON nesting accepted */
#define PROTO_MAX_METHOD 64                /* longest method name */
#define PROTO_MAX_CONNECTIONS 64           /* concurrent control connections */

struct proto_request {
	json_t *id;     /* integer or string, or NULL when the request had none */
	char *method;   /* owned */
	json_t *params; /* object, never NULL after a successful parse (empty when omitted) */
};

/* Parses one request line (without its newline). Unlike the rest of the project, *req
 * is filled even on failure as far as it could be read, so that the error reply can carry
 * the request's id: call proto_request_clear() in both cases. 0 or -EBADMSG (not
 * JSON, not an object, bad id/method/params, nesting over PROTO_MAX_DEPTH). */
int proto_request_parse(const char *line, size_t len, struct proto_request *req, GError **error);
void proto_request_clear(struct proto_request *req);

/* Encoders. Each returns a newly allocated, '\n'-terminated line (free with g_free);
 * id, result and data are borrowed (NULL id encodes as null). */
char *proto_greeting(void);
char *proto_reply_result(json_t *id, json_t *result);
/* Like proto_reply_result() with a result that is already JSON text (trusted: made by
 * the daemon, e.g. by SQLite), so large results are not parsed and dumped again. */
char *proto_reply_raw(json_t *id, const char *result_json);
/* r is a negative errno, mapped with at_error_code(). data may be NULL. */
char *proto_reply_error(json_t *id, int r, const char *message, json_t *data);
/* The error object of a reply, {"code", "message", "data" (when not NULL)}, as
 * proto_reply_error() sends it (new reference; the HTTP bridge, web_api.c, sends it too). */
json_t *proto_error_object(int r, const char *message, json_t *data);
/* {"event":name, ...fields, "at":now}; fields may be NULL. */
char *proto_event(const char *name, json_t *fields);

/* Client side: parses a reply or event line into a new object (json_decref). Refuses
 * lines that are not objects with either result or error. 0 or -EBADMSG. */
int proto_reply_parse(const char *line, size_t len, json_t **ret_reply, GError **error);
/* Parses the greeting; *ret_protocol and *ret_version (g_free) get its fields. */
int proto_greeting_parse(const char *line, size_t len, int *ret_protocol, char **ret_version,
			 GError **error);

/* A growing input buffer that hands out complete lines, bounded by max bytes per line. */
struct linebuf {
	char *data;
	size_t len;     /* bytes held */
	size_t cap;
	size_t start;   /* first byte not yet handed out */
	size_t scanned; /* bytes already searched for '\n' */
	size_t pending; /* length of the unterminated tail */
	size_t max;     /* longest line accepted */
};
void linebuf_init(struct linebuf *lb, size_t max);
void linebuf_clear(struct linebuf *lb);
/* Appends bytes. -E2BIG when the pending (unterminated) line would exceed max. */
int linebuf_append(struct linebuf *lb, const char *data, size_t n);
/* Takes the next complete line: 1 with *ret_line (g_free; NUL-terminated, without the
 * newline) and *ret_len, 0 when no complete line is buffered yet. */
int linebuf_next(struct linebuf *lb, char **ret_line, size_t *ret_len);

#endif
