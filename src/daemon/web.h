/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web.h - what the web server's files share (web.c: the listener, the checks of every
 * request, sessions and static files; web_api.c: the bridge from POST /api/METHOD to the
 * method table; web_events.c: GET /events), and the table of the files embedded from the
 * repository's web/ directory (web_files.c, generated at build time by cmake/embed_web.cmake).
 *
 * libmicrohttpd runs its own polling thread; the main loop runs the methods. What both
 * touch is under struct web's lock; the rest is set by web_start() before the thread runs
 * and read-only until web_stop().
 */
#ifndef APPTRACKD_WEB_H
#define APPTRACKD_WEB_H

#include "daemon.h"

#include <microhttpd.h>

#define WEB_BODY_MAX (1024 * 1024)            /* bytes of a POST /api body; more is 413 */
#define WEB_STREAMS_MAX 8u                     /* open GET /events streams; the next is 503 (web_events.c says 8) */
#define WEB_STREAM_BACKLOG_MAX (1024 * 1024)   /* bytes a stream's reader may leave unread before it is dropped */
#define WEB_KEEPALIVE_MS 15000u                /* a comment on every stream this often */
#define WEB_KEEPALIVE_ENV "APPTRACK_WEB_KEEPALIVE_MS" /* for tests: another interval */
#define WEB_KEYS_MAX 16                        /* login keys handed out and not yet used */
#define WEB_KEY_LIFETIME_MS 120000u            /* a login key is good this long */
#define WEB_KEY_LIFETIME_ENV "APPTRACK_WEB_KEY_LIFETIME_MS" /* for tests: another lifetime */
#define WEB_KEY_BYTES 16                       /* 128 bits */
#define WEB_SECRET_BYTES 32                    /* the session secret: 256 bits */
#define WEB_COOKIE "apptrack_session"

/* A file of web/, embedded. */
struct web_file {
	const char *name; /* its path under web/, like "index.html" */
	const unsigned char *data;
	size_t size;
};
extern const struct web_file web_files[];
extern const size_t web_files_count;

struct web_key {
	char key[WEB_KEY_BYTES * 2 + 1]; /* hex; "" for a free slot */
	gint64 expires;                  /* monotonic µs */
};

struct web {
	struct daemon *d;
	struct MHD_Daemon *http;
	char *base_url;        /* http://HOST:PORT, what web.login's URL starts with */
	GPtrArray *hosts;      /* the Host values accepted (lower case); Origin is http:// and one of them */
	char secret[WEB_SECRET_BYTES * 2 + 1]; /* the session cookie's value, one per daemon run */
	char *token;           /* [web] token, or NULL */
	unsigned keepalive_ms;
	unsigned key_lifetime_ms;
	guint keepalive;       /* main-loop source */

	GMutex lock;           /* guards everything below */
	bool stopping;         /* web_stop() began: new calls and streams are refused */
	struct web_key keys[WEB_KEYS_MAX];
	GQueue calls;          /* struct web_request * posted to the main loop, not yet run */
	guint drain;           /* the main-loop source that runs them, or 0 */
	GPtrArray *in_flight;  /* struct web_request * given to methods_call() and not answered */
	GPtrArray *streams;    /* struct web_stream * open */
};

/* Responses, with the headers every one carries (Content-Security-Policy, nosniff, no
 * referrer, no framing). body is copied. */
enum MHD_Result web_respond(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
			    size_t len);
/* A JSON error, {"error": proto_error_object(r, message)}. */
enum MHD_Result web_error(struct MHD_Connection *conn, unsigned status, int r, const char *message);
/* The HTTP status of a protocol error: 400, 404, 409, 413, 503 or 500. */
unsigned web_status_of(int r);

/* ---- web_api.c ---- */

/* POST /api/METHOD, the request checked (Host, session, Content-Type): libmicrohttpd's
 * access handler for it, with its upload and state (struct web_request *, freed by
 * web_request_done()). */
enum MHD_Result web_api(struct web *w, struct MHD_Connection *conn, const char *method, const char *upload,
			size_t *upload_size, void **state);
/* libmicrohttpd's completion of a request with that state. */
void web_request_done(void *state);
/* At stop, with the lock held: the calls waiting are answered 503 and resumed. */
void web_api_stop_locked(struct web *w);

/* ---- web_events.c ---- */

/* GET /events, the request checked: a stream, or 503 when WEB_STREAMS_MAX are open. */
enum MHD_Result web_events_open(struct web *w, struct MHD_Connection *conn);
/* Main loop: text (an event or a comment, complete with its blank line) to every stream. */
void web_events_send(struct web *w, const char *text);
/* At stop, with the lock held: every stream ends. */
void web_events_stop_locked(struct web *w);

#endif
