/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web_events.c - GET /events: the change bus (daemon_changed(), changes.c) as Server-Sent
 * Events, "event: NAME" and "data: " the event as `watch` gets it, and a comment
 * ": keep-alive" every WEB_KEEPALIVE_MS on every stream (web.c's timer).
 *
 * Each stream has a queue of text that the main loop appends to and libmicrohttpd's thread
 * sends from (its content reader). With nothing to send the reader suspends the connection,
 * and the main loop resumes it when it appends; both under the web's lock, so a resume
 * never comes before its suspend. At most WEB_STREAMS_MAX streams are open; a stream whose
 * reader leaves more than WEB_STREAM_BACKLOG_MAX bytes unread is dropped; web_stop() ends
 * them all. A suspended connection is not polled, so a reader that went away is noticed
 * when the next event or keep-alive is written to it (within two keep-alives).
 */
#include "web.h"

#include "apptrack/log.h"

#include <string.h>

struct web_stream {
	struct web *w;
	struct MHD_Connection *conn;
	GString *out;    /* to send, from off */
	size_t off;
	bool suspended;  /* the reader found nothing to send and suspended the connection */
	bool closed;     /* ends once out is sent (or at once when dropped) */
	bool dropped;
};

/* With the lock held: the reader may run again. */
static void wake_locked(struct web_stream *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	}
}

static void push_locked(struct web_stream *s, const char *text, size_t len)
{
	if (s->closed)
		return;
	if (s->out->len - s->off + len > WEB_STREAM_BACKLOG_MAX) {
		log_warnx("web page: an event stream is not read, dropping it");
		s->closed = s->dropped = true;
	} else {
		if (s->off == s->out->len) {
			g_string_truncate(s->out, 0);
			s->off = 0;
		}
		g_string_append_len(s->out, text, (gssize)len);
	}
	wake_locked(s);
}

/* libmicrohttpd's content reader (its thread). */
static ssize_t stream_read(void *data, uint64_t pos, char *buf, size_t max)
{
	struct web_stream *s = data;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&s->w->lock);
	(void)pos;

	if (s->dropped)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (s->off < s->out->len) {
		size_t n = MIN(max, s->out->len - s->off);
		memcpy(buf, s->out->str + s->off, n);
		s->off += n;
		return (ssize_t)n;
	}
	if (s->closed)
		return MHD_CONTENT_READER_END_OF_STREAM;
	s->suspended = true;
	MHD_suspend_connection(s->conn);
	return 0;
}

/* The response is gone (its connection closed, or the daemon stopped). */
static void stream_free(void *data)
{
	struct web_stream *s = data;

	g_mutex_lock(&s->w->lock);
	g_ptr_array_remove_fast(s->w->streams, s);
	g_mutex_unlock(&s->w->lock);
	g_string_free(s->out, TRUE);
	g_free(s);
}

enum MHD_Result web_events_open(struct web *w, struct MHD_Connection *conn)
{
	g_mutex_lock(&w->lock);
	if (w->stopping || w->streams->len >= WEB_STREAMS_MAX) {
		g_mutex_unlock(&w->lock);
		return web_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, -EBUSY,
				 "too many event streams open (at most 8): close a tab");
	}
	struct web_stream *s = g_new0(struct web_stream, 1);
	s->w = w;
	s->conn = conn;
	s->out = g_string_new(": connected\n\n"); /* the headers and this go out at once */
	g_ptr_array_add(w->streams, s);
	g_mutex_unlock(&w->lock);

	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_free);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp); /* on failure this frees the stream */
	return ret;
}

void web_events_send(struct web *w, const char *text)
{
	size_t len = strlen(text);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);

	for (guint i = 0; i < w->streams->len; i++)
		push_locked(w->streams->pdata[i], text, len);
}

void web_events_stop_locked(struct web *w)
{
	for (guint i = 0; i < w->streams->len; i++) {
		struct web_stream *s = w->streams->pdata[i];
		s->closed = true;
		wake_locked(s);
	}
}
