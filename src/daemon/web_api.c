/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web_api.c - the HTTP bridge: POST /api/METHOD runs METHOD of the method table
 * (methods_call()) with the request's body as its parameters, and answers with its result
 * or its error object, the status mapped from the error's code (docs/protocol.md, "HTTP
 * API"). One bridge for every method: no handler of its own for any.
 *
 * libmicrohttpd's thread collects the body (at most WEB_BODY_MAX bytes, else 413) and
 * parses it, suspends the connection and posts the call to the main loop, which runs the
 * methods; the reply (now, or later for a method that answers later) stores the answer
 * and resumes the connection, and libmicrohttpd's thread sends it. A request is held by
 * libmicrohttpd (until its completion) and by the main loop (from posting to the reply).
 */
#include "web.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/protocol.h"

#include <stdlib.h>
#include <string.h>

struct web_request {
	struct web *w;
	struct MHD_Connection *conn;
	gint refs;
	char *method;
	GByteArray *body;
	bool too_large;
	json_t *params;
	bool posted;     /* given to the main loop */
	bool detached;   /* answered by web_stop(): the reply, if it comes, only lets go */
	/* the answer, set on the main loop (under the lock) */
	bool answered;
	unsigned status;
	char *answer;
};

static void request_unref(struct web_request *rq)
{
	if (!g_atomic_int_dec_and_test(&rq->refs))
		return;
	g_free(rq->method);
	if (rq->body)
		g_byte_array_unref(rq->body);
	json_decref(rq->params);
	g_free(rq->answer);
	g_free(rq);
}

void web_request_done(void *state)
{
	request_unref(state);
}

/* {"error": ...} as text. */
static char *error_text(int r, const char *message, json_t *data)
{
	json_t *v = json_pack("{s:o}", "error", proto_error_object(r, message, data));
	char *json = json_dumps(v, JSON_COMPACT);
	char *text = g_strdup(json);

	free(json);
	json_decref(v);
	return text;
}

/* With the lock held: the answer is in; libmicrohttpd sends it. */
static void answer_locked(struct web_request *rq, unsigned status, char *text)
{
	rq->answered = true;
	rq->status = status;
	rq->answer = text;
	MHD_resume_connection(rq->conn);
}

/* methods_call()'s reply, on the main loop. */
static void on_reply(struct call *call, int r, void *target)
{
	struct web_request *rq = target;
	struct web *w = rq->w;
	char *text;
	unsigned status = MHD_HTTP_OK;

	if (r < 0) {
		status = web_status_of(r);
		if (status == MHD_HTTP_INTERNAL_SERVER_ERROR)
			log_warnx("web page: %s failed: %s", call->method, call->error ? call->error->message : "?");
		text = error_text(r, call->error ? call->error->message : "internal error", call->data);
	} else if (call->raw) {
		text = g_strdup(call->raw);
	} else {
		char *json = json_dumps(call->result ? call->result : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
		text = json ? g_strdup(json) : error_text(-EIO, "the result could not be encoded", NULL);
		status = json ? status : MHD_HTTP_INTERNAL_SERVER_ERROR;
		free(json);
	}
	if (!rq->detached) {
		g_mutex_lock(&w->lock);
		g_ptr_array_remove_fast(w->in_flight, rq);
		answer_locked(rq, status, text);
		g_mutex_unlock(&w->lock);
	} else {
		g_free(text);
	}
	request_unref(rq);
}

/* Main loop: runs the calls posted. */
static gboolean drain(gpointer data)
{
	struct web *w = data;
	GQueue calls = G_QUEUE_INIT;

	g_mutex_lock(&w->lock);
	w->drain = 0;
	calls = w->calls;
	g_queue_init(&w->calls);
	for (GList *l = calls.head; l; l = l->next)
		g_ptr_array_add(w->in_flight, l->data);
	g_mutex_unlock(&w->lock);
	for (GList *l = calls.head; l; l = l->next) {
		struct web_request *rq = l->data;
		methods_call(w->d, rq->method, rq->params, on_reply, rq); /* answers now or later */
	}
	g_queue_clear(&calls);
	return G_SOURCE_REMOVE;
}

void web_api_stop_locked(struct web *w)
{
	struct web_request *rq;

	while ((rq = g_queue_pop_head(&w->calls))) {
		answer_locked(rq, MHD_HTTP_SERVICE_UNAVAILABLE, error_text(-EBUSY, "apptrackd is stopping", NULL));
		request_unref(rq); /* the main loop's reference: it will not run */
	}
	/* calls still running (none once the reader and the import are stopped): answered now */
	for (guint i = 0; i < w->in_flight->len; i++) {
		rq = w->in_flight->pdata[i];
		rq->detached = true;
		answer_locked(rq, MHD_HTTP_SERVICE_UNAVAILABLE, error_text(-EBUSY, "apptrackd is stopping", NULL));
	}
	g_ptr_array_set_size(w->in_flight, 0);
}

static enum MHD_Result send_answer(struct web_request *rq)
{
	struct MHD_Connection *conn = rq->conn;
	bool json = rq->status == MHD_HTTP_OK || rq->answer[0] == '{';

	return web_respond(conn, rq->status, json ? "application/json" : "text/plain", rq->answer, strlen(rq->answer));
}

/* The body is in: parse it and post the call, or answer now. */
static enum MHD_Result post_call(struct web *w, struct web_request *rq)
{
	struct MHD_Connection *conn = rq->conn;
	json_error_t jerr;

	if (rq->too_large)
		return web_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, -E2BIG,
				 "the request body is over " G_STRINGIFY(WEB_BODY_MAX) " bytes");
	if (!rq->body || rq->body->len == 0) {
		rq->params = json_object();
	} else if (!(rq->params = json_loadb((const char *)rq->body->data, rq->body->len, JSON_REJECT_DUPLICATES, &jerr))) {
		g_autofree char *msg = g_strdup_printf("the body is not JSON: %s", jerr.text);
		return web_error(conn, MHD_HTTP_BAD_REQUEST, -EBADMSG, msg);
	} else if (!json_is_object(rq->params)) {
		return web_error(conn, MHD_HTTP_BAD_REQUEST, -EBADMSG, "the body must be a JSON object (the parameters)");
	}
	g_clear_pointer(&rq->body, g_byte_array_unref);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	if (w->stopping)
		return web_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, -EBUSY, "apptrackd is stopping");
	rq->posted = true;
	g_atomic_int_inc(&rq->refs); /* the main loop's */
	MHD_suspend_connection(conn); /* before the main loop can resume it */
	g_queue_push_tail(&w->calls, rq);
	if (!w->drain)
		w->drain = g_idle_add(drain, w); /* the default context: thread-safe */
	return MHD_YES;
}

enum MHD_Result web_api(struct web *w, struct MHD_Connection *conn, const char *method, const char *upload,
			size_t *upload_size, void **state)
{
	struct web_request *rq = *state;

	if (!rq) { /* the headers: checked by web.c */
		const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length && g_ascii_strtoull(length, NULL, 10) > WEB_BODY_MAX)
			return web_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, -E2BIG,
					 "the request body is over " G_STRINGIFY(WEB_BODY_MAX) " bytes");
		/* the socket's own; the page has /events */
		if (strcmp(method, "watch") == 0)
			return web_error(conn, MHD_HTTP_BAD_REQUEST, -ENOSYS,
					 "watch is the control socket's: the page follows changes with GET /events");
		rq = g_new0(struct web_request, 1);
		rq->w = w;
		rq->conn = conn;
		rq->refs = 1; /* libmicrohttpd's, until web_request_done() */
		rq->method = g_strdup(method);
		*state = rq;
		return MHD_YES;
	}
	if (rq->answered)
		return send_answer(rq);
	if (*upload_size) {
		if (!rq->too_large && (rq->body ? rq->body->len : 0) + *upload_size > WEB_BODY_MAX) {
			rq->too_large = true;
			g_clear_pointer(&rq->body, g_byte_array_unref);
		}
		if (!rq->too_large) {
			if (!rq->body)
				rq->body = g_byte_array_new();
			g_byte_array_append(rq->body, (const guint8 *)upload, (guint)*upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->posted) /* resumed before the answer: cannot happen, but wait for it */
		return MHD_YES;
	return post_call(w, rq);
}
