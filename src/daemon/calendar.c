/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calendar.c - the calendar feed: built off the main loop by its builder thread, written to
 * [calendar] file, and served by libmicrohttpd at http://LISTEN/calendar.ics.
 *
 * Every change is announced on the change bus (daemon_changed(), which calls
 * calendar_changed()); that only marks the feed stale and wakes the builder, so the main
 * loop never waits for a build. The builder thread reads the database through a read-only
 * connection of its own (store_open_reader(): WAL lets it read the last commit while the
 * main thread writes), in one read transaction per build, and rebuilds only the items that
 * changed (feed.c's cache). Changes that come while it builds are coalesced into one more
 * build. A build whose text differs from the last one is written to the file atomically
 * (temporary file + rename) and swapped in, under a mutex, for the text the HTTP thread
 * serves (a GBytes: a response holds a reference, never a copy). The bounds of the feed
 * move with time, so the builder also builds every CALENDAR_TICK seconds. The HTTP thread
 * never touches the database; a request that comes before the first build waits for it
 * CALENDAR_FIRST_WAIT seconds at most, then gets 503 (at once when the build failed).
 * Responses carry an ETag (a hash of the text) and Last-Modified, and If-None-Match gives
 * 304. With a token the path is /TOKEN/calendar.ics and anything else is 404. After each
 * build the builder also writes the vdir and offers CalDAV its resources (caldav.c).
 *
 * Limits against an idle, slow or guessing peer (apptrackd(8), "Calendar feed limits"):
 * one client address holds at most CALENDAR_CONNECTIONS_PER_ADDRESS connections; a
 * request's headers must be complete CALENDAR_HEADER_DEADLINE seconds after the
 * connection was accepted (or its previous request answered), else the connection is cut;
 * with a token, an address that sent CALENDAR_GUESSES_MAX wrong ones within a
 * CALENDAR_GUESS_WINDOW gets 429 for the rest of that window, its token not even compared,
 * and wrong tokens are logged once per CALENDAR_GUESS_LOG_INTERVAL, never their text.
 *
 * libmicrohttpd has only an inactivity timeout, which a header line now and then resets,
 * so the deadline is kept here: the connection notifier records each connection's socket
 * and start, the access handler marks it (it is called once the headers are complete),
 * and a one-shot timer on the main loop, armed only while some connection still waits for
 * its headers, shuts down the sockets past the deadline; libmicrohttpd then reads the end
 * of the stream and closes them itself.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/feed.h"
#include "apptrack/log.h"
#include "apptrack/secret.h"
#include "apptrack/timeutil.h"

#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define CALENDAR_CONNECTIONS_MAX 32u         /* all clients together */
#define CALENDAR_CONNECTIONS_PER_ADDRESS 8u  /* so that one address cannot take them all */
#define CALENDAR_IDLE_TIMEOUT 30u            /* seconds without a byte either way */
#define CALENDAR_HEADER_DEADLINE 10          /* seconds for a request's headers, however sent */
#define CALENDAR_GUESSES_MAX 10u             /* wrong tokens from one address in a window... */
#define CALENDAR_GUESS_WINDOW 60             /* ...of this many seconds, from the first */
#define CALENDAR_GUESS_SLOTS 64              /* addresses remembered; the rest count as one */
#define CALENDAR_GUESS_LOG_INTERVAL 60       /* seconds between warnings of wrong tokens */
#define CALENDAR_TICK 3600                   /* seconds between builds without a change: the bounds move */
#define CALENDAR_FIRST_WAIT 5                /* seconds a request waits for the first build */

/* One connection, from accept to close: libmicrohttpd's socket context for it. */
struct feed_conn {
	int fd;            /* libmicrohttpd's; only shut down here, never closed */
	gint64 since;      /* monotonic µs: accepted, or its previous request answered */
	bool headers_done; /* the access handler has seen the current request */
	bool cut;          /* shut down at the deadline; libmicrohttpd is closing it */
};

/* The wrong tokens of one client address within its current window. */
struct guesser {
	char addr[INET6_ADDRSTRLEN];
	gint64 window_start; /* monotonic µs of the window's first wrong token */
	unsigned wrong;      /* 0: a free slot */
};

struct calendar {
	struct daemon *d;
	struct MHD_Daemon *http;
	char *path;   /* URL path served */
	char *url;    /* full URL, for apptrackctl calendar */
	GMutex lock;  /* guards the five below, shared by the builder and the HTTP thread */
	GCond built;  /* signalled when the first build is in, or failed */
	bool tried;   /* a build was done or failed */
	GBytes *text; /* NULL until the first build */
	char *etag;
	char *last_modified; /* RFC 7231 date */
	bool guarded;        /* a token is set: other paths are wrong tokens */

	/* The builder: the main loop asks, the builder thread builds. */
	GThread *builder;
	char *database;     /* the path the builder opens to read */
	int64_t started_at; /* Last-Modified of an empty feed */
	GMutex build_lock;  /* guards the four below */
	GCond wake;
	bool stale;         /* a build is due */
	bool stopping;
	bool as_todo;       /* the request, copied from the configuration on the main loop */
	char *file;
	struct calendar_outputs outputs; /* the vdir and CalDAV, caldav.c */
	guint tick;         /* main-loop source of the periodic build */

	GMutex conns_lock;    /* guards the two below, shared by the HTTP thread and the main loop */
	GPtrArray *conns;     /* of struct feed_conn * (owned) */
	guint deadline_timer; /* main-loop source at the earliest header deadline, or 0 */

	/* Wrong tokens: touched only by the HTTP thread (libmicrohttpd's one polling thread),
	 * then by calendar_stop() once that is joined. */
	struct guesser guessers[CALENDAR_GUESS_SLOTS];
	struct guesser crowd;     /* the addresses that found no free slot, together */
	gint64 guess_logged_at;   /* monotonic µs of the last warning, 0 for none */
	unsigned wrong_unlogged;  /* wrong tokens since that warning */
	unsigned refused_unlogged; /* requests answered 429 since that warning */
};

static void http_date(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* ---- the builder (its own thread) ---- */

/* Puts a build in force: the file, then the text served. Unchanged text changes nothing,
 * unless the file is not the one last written (*written, the builder's). */
static void publish(struct calendar *c, GBytes *text, int64_t modified, const char *file, char **written)
{
	gsize len;
	const char *data = g_bytes_get_data(text, &len);
	g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	g_autofree char *etag = g_strdup_printf("\"%.32s\"", hash);
	char date[64];

	g_mutex_lock(&c->lock);
	bool same = c->text && strcmp(c->etag, etag) == 0;
	g_mutex_unlock(&c->lock);
	if (same && g_strcmp0(*written, file) == 0)
		return;
	g_autoptr(GError) file_error = NULL;
	if (!g_file_set_contents_full(file, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &file_error))
		log_warnx("calendar file not written (the feed is still served): %s", file_error->message);
	g_free(*written);
	*written = g_strdup(file);
	if (same)
		return;
	http_date(modified ? modified : c->started_at, date, sizeof date);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->lock);
	if (c->text)
		g_bytes_unref(c->text);
	c->text = g_bytes_ref(text);
	g_free(c->etag);
	c->etag = g_steal_pointer(&etag);
	g_free(c->last_modified);
	c->last_modified = g_strdup(date);
}

/* One build with what the main loop asked for. The reader is opened at the first. */
static bool build(struct calendar *c, struct feed *f, store **reader, bool as_todo, const char *file, char **written)
{
	g_autoptr(GError) error = NULL;
	GBytes *text = NULL;
	int64_t modified = 0;
	struct feed_stats stats;
	gint64 t0 = g_get_monotonic_time();

	if (!*reader && store_open_reader(c->database, reader, &error) < 0) {
		log_warnx("calendar feed not updated: %s", error->message);
		return false;
	}
	if (feed_update(f, *reader, as_todo, time_now(), &text, &modified, &stats, &error) < 0) {
		log_warnx("calendar feed not updated: %s", error->message);
		g_clear_pointer(reader, store_close); /* opened again at the next build */
		return false;
	}
	publish(c, text, modified, file, written);
	g_bytes_unref(text);
	if (stats.made)
		malloc_trim(0); /* libical's garbage, freed, back to the system */
	log_debug("calendar feed built: %u items (%u made anew), %zu bytes, %" G_GINT64_FORMAT " ms", stats.items,
		  stats.made, stats.bytes, (g_get_monotonic_time() - t0) / 1000);
	return true;
}

static gpointer builder_main(gpointer data)
{
	struct calendar *c = data;
	struct feed *f = feed_new(), *caldav_feed = NULL;
	store *reader = NULL;
	char *written = NULL; /* the file last written */
	struct calendar_outputs out = { 0 };

	g_mutex_lock(&c->build_lock);
	for (;;) {
		while (!c->stale && !c->stopping)
			g_cond_wait(&c->wake, &c->build_lock);
		if (c->stopping)
			break;
		c->stale = false;
		bool as_todo = c->as_todo;
		g_autofree char *file = g_strdup(c->file);
		calendar_outputs_clear(&out);
		out = c->outputs;
		out.vdir = g_strdup(c->outputs.vdir);
		g_mutex_unlock(&c->build_lock);
		if (build(c, f, &reader, as_todo, file, &written))
			calendar_outputs_run(c->d, &out, reader, f, as_todo, &caldav_feed);
		g_mutex_lock(&c->lock);
		c->tried = true;
		g_cond_broadcast(&c->built);
		g_mutex_unlock(&c->lock);
		g_mutex_lock(&c->build_lock);
	}
	g_mutex_unlock(&c->build_lock);
	g_free(written);
	calendar_outputs_clear(&out);
	store_close(reader);
	feed_free(caldav_feed);
	feed_free(f);
	return NULL;
}

/* Main loop: asks the builder for a build with the configuration of now. */
static void request_build(struct calendar *c)
{
	const struct config *config = c->d->config;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->build_lock);

	c->stale = true;
	c->as_todo = config->reminders_as_todo;
	if (g_strcmp0(c->file, config->calendar_file) != 0) {
		g_free(c->file);
		c->file = g_strdup(config->calendar_file);
	}
	calendar_outputs_set(&c->outputs, config);
	g_cond_signal(&c->wake);
}

static gboolean on_tick(gpointer data)
{
	request_build(data);
	return G_SOURCE_CONTINUE;
}

void calendar_changed(struct daemon *d)
{
	struct calendar *c = d ? d->calendar : NULL;

	if (c)
		request_build(c);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, const char *type)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void bytes_unref(void *bytes)
{
	g_bytes_unref(bytes);
}

/* With c->lock held: the feed (200), or only its headers (304). The response holds a
 * reference to the text, which a new build does not change. */
static enum MHD_Result reply_feed(struct MHD_Connection *conn, unsigned status, struct calendar *c)
{
	gsize len = 0;
	const void *data = status == MHD_HTTP_OK ? g_bytes_get_data(c->text, &len) : "";
	struct MHD_Response *resp =
		status == MHD_HTTP_OK
			? MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)data, bytes_unref, g_bytes_ref(c->text))
			: MHD_create_response_from_buffer(0, (void *)data, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/calendar; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, c->etag);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, c->last_modified);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* With c->lock held: waits for the first build, CALENDAR_FIRST_WAIT seconds at most; not
 * when it failed (logged). */
static bool wait_first_build(struct calendar *c)
{
	gint64 until = g_get_monotonic_time() + (gint64)CALENDAR_FIRST_WAIT * G_USEC_PER_SEC;

	while (!c->text && !c->tried)
		if (!g_cond_wait_until(&c->built, &c->lock, until))
			break;
	return c->text != NULL;
}

static enum MHD_Result not_built(struct MHD_Connection *conn)
{
	static const char body[] = "the feed is being built: try again later\n";
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the header deadline ---- */

static gint64 header_deadline(const struct feed_conn *fc)
{
	return fc->since + (gint64)CALENDAR_HEADER_DEADLINE * G_USEC_PER_SEC;
}

static gboolean on_deadline(gpointer data);

/* With conns_lock held, any thread: arms the timer for the earliest deadline of the
 * connections still waiting for their headers, unless it is armed: then it is due no
 * later than any deadline set since, as every deadline is CALENDAR_HEADER_DEADLINE from
 * when it was set. With no connection waiting, nothing wakes the daemon. */
static void arm_deadline_locked(struct calendar *c)
{
	gint64 first = G_MAXINT64;

	if (c->deadline_timer)
		return;
	for (guint i = 0; i < c->conns->len; i++) {
		const struct feed_conn *fc = c->conns->pdata[i];
		if (!fc->headers_done && !fc->cut)
			first = MIN(first, header_deadline(fc));
	}
	if (first == G_MAXINT64)
		return;
	gint64 wait = first - g_get_monotonic_time();
	guint ms = wait > 0 ? (guint)((wait + G_TIME_SPAN_MILLISECOND - 1) / G_TIME_SPAN_MILLISECOND) : 0;
	c->deadline_timer = g_timeout_add(ms, on_deadline, c); /* the default context: thread-safe */
}

/* Main loop: cuts the connections past their deadline, arms the timer for the next. */
static gboolean on_deadline(gpointer data)
{
	struct calendar *c = data;
	gint64 now = g_get_monotonic_time();
	unsigned cut = 0;

	g_mutex_lock(&c->conns_lock);
	c->deadline_timer = 0;
	for (guint i = 0; i < c->conns->len; i++) {
		struct feed_conn *fc = c->conns->pdata[i];
		if (fc->headers_done || fc->cut || header_deadline(fc) > now)
			continue;
		/* the socket stays open until libmicrohttpd's close notification, which waits
		 * for the lock: it cannot be another one by now */
		shutdown(fc->fd, SHUT_RDWR);
		fc->cut = true;
		cut++;
	}
	arm_deadline_locked(c);
	g_mutex_unlock(&c->conns_lock);
	if (cut)
		log_debug("calendar feed: %u connection(s) closed, their request not complete after %d s", cut,
			  CALENDAR_HEADER_DEADLINE);
	return G_SOURCE_REMOVE;
}

/* HTTP thread: libmicrohttpd's connection notifier. */
static void on_connection(void *data, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct calendar *c = data;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!info) /* not for a started connection; then only the inactivity timeout holds */
			return;
		struct feed_conn *fc = g_new0(struct feed_conn, 1);
		fc->fd = info->connect_fd;
		fc->since = g_get_monotonic_time();
		*socket_context = fc;
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->conns_lock);
		g_ptr_array_add(c->conns, fc);
		arm_deadline_locked(c);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->conns_lock);
		g_ptr_array_remove_fast(c->conns, *socket_context); /* frees it */
		*socket_context = NULL;
	}
}

static struct feed_conn *feed_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* HTTP thread: the access handler was called, so the request's headers are complete. */
static void headers_complete(struct calendar *c, struct MHD_Connection *conn)
{
	struct feed_conn *fc = feed_conn_of(conn);

	if (!fc)
		return;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->conns_lock);
	fc->headers_done = true;
}

/* HTTP thread: a request was answered or abandoned. A connection kept alive waits for the
 * headers of its next one, with a deadline of its own. */
static void on_completed(void *data, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode toe)
{
	struct calendar *c = data;
	struct feed_conn *fc = feed_conn_of(conn);
	(void)state, (void)toe;

	if (!fc)
		return;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->conns_lock);
	fc->since = g_get_monotonic_time();
	fc->headers_done = false;
	arm_deadline_locked(c);
}

/* ---- wrong tokens (HTTP thread) ---- */

/* The client's address as text, the key of its wrong tokens. */
static void client_address(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;
	socklen_t len = sa && sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (!sa || getnameinfo(sa, len, buf, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0)
		g_strlcpy(buf, "unknown", size);
}

static bool guess_window_open(const struct guesser *g, gint64 now)
{
	return g->wrong && now - g->window_start < (gint64)CALENDAR_GUESS_WINDOW * G_USEC_PER_SEC;
}

/* addr's record in the current window: its slot; or, when create, a new one in a free
 * slot, or the crowd's when every slot is in use (so that many addresses cannot push
 * each other out to start afresh). Without create, an address without a slot may be one
 * of the crowd: it gets the crowd's record if that is open, else NULL. */
static struct guesser *guesser_find(struct calendar *c, const char *addr, gint64 now, bool create)
{
	struct guesser *free_slot = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(c->guessers); i++) {
		struct guesser *g = &c->guessers[i];
		if (!guess_window_open(g, now)) {
			if (!free_slot)
				free_slot = g;
		} else if (strcmp(g->addr, addr) == 0) {
			return g;
		}
	}
	if (!create)
		return guess_window_open(&c->crowd, now) ? &c->crowd : NULL;
	struct guesser *g = free_slot ? free_slot : &c->crowd;
	if (!guess_window_open(g, now)) {
		g_strlcpy(g->addr, free_slot ? addr : "", sizeof g->addr);
		g->window_start = now;
		g->wrong = 0;
	}
	return g;
}

/* Counts a wrong token from addr, and warns of the first in each log interval, with the
 * count of those since the last warning: a flood of guesses is a line a minute. */
static void wrong_token(struct calendar *c, const char *addr, gint64 now)
{
	guesser_find(c, addr, now, true)->wrong++;
	if (c->guess_logged_at && now - c->guess_logged_at < (gint64)CALENDAR_GUESS_LOG_INTERVAL * G_USEC_PER_SEC) {
		c->wrong_unlogged++;
		return;
	}
	if (c->wrong_unlogged || c->refused_unlogged)
		log_warnx("calendar feed: wrong token from %s (and since the last warning %u more, %u requests refused "
			  "after too many)",
			  addr, c->wrong_unlogged, c->refused_unlogged);
	else
		log_warnx("calendar feed: wrong token from %s", addr);
	c->guess_logged_at = now;
	c->wrong_unlogged = c->refused_unlogged = 0;
}

/* ---- requests (HTTP thread) ---- */

static enum MHD_Result too_many(struct MHD_Connection *conn, const struct guesser *g, gint64 now)
{
	static const char body[] = "too many wrong tokens: try again later\n";
	gint64 left = g->window_start + (gint64)CALENDAR_GUESS_WINDOW * G_USEC_PER_SEC - now;
	g_autofree char *retry =
		g_strdup_printf("%" G_GINT64_FORMAT, MAX(1, (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	ret = MHD_queue_response(conn, MHD_HTTP_TOO_MANY_REQUESTS, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *data, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct calendar *c = data;
	char addr[INET6_ADDRSTRLEN];
	gint64 now = g_get_monotonic_time();
	(void)version, (void)upload, (void)state;

	headers_complete(c, conn);
	if (*upload_size)
		return MHD_NO;
	if (c->guarded) {
		/* an address out of guesses is not even compared: brute force gets no answer */
		client_address(conn, addr, sizeof addr);
		const struct guesser *g = guesser_find(c, addr, now, false);
		if (g && g->wrong >= CALENDAR_GUESSES_MAX) {
			c->refused_unlogged++;
			return too_many(conn, g, now);
		}
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", "text/plain");
	if (!secret_equal(url, c->path)) {
		if (c->guarded)
			wrong_token(c, addr, now);
		return reply(conn, MHD_HTTP_NOT_FOUND, "not found\n", "text/plain");
	}
	const char *match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->lock);
	if (!wait_first_build(c))
		return not_built(conn);
	if (match && strstr(match, c->etag))
		return reply_feed(conn, MHD_HTTP_NOT_MODIFIED, c);
	return reply_feed(conn, MHD_HTTP_OK, c);
}

static void on_http_log(void *data, const char *fmt, va_list ap)
{
	(void)data;
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	log_debug("calendar feed: %s", g_strchomp(msg));
}

int calendar_start(struct daemon *d, GError **error)
{
	struct calendar *c = g_new0(struct calendar, 1);
	/* checked by config_load(), APPTRACK_CALENDAR_LISTEN included */
	const char *listen = d->config->calendar_address;
	const char *from = d->config->calendar_address_from;

	c->d = d;
	g_mutex_init(&c->lock);
	g_cond_init(&c->built);
	g_mutex_init(&c->build_lock);
	g_cond_init(&c->wake);
	g_mutex_init(&c->conns_lock);
	c->conns = g_ptr_array_new_with_free_func(g_free);
	c->guarded = d->config->calendar_token != NULL;
	d->calendar = c;
	c->path = d->config->calendar_token ? g_strdup_printf("/%s/calendar.ics", d->config->calendar_token)
					    : g_strdup("/calendar.ics");
	g_autofree char *dir = g_path_get_dirname(d->config->calendar_file);
	g_mkdir_with_parents(dir, 0700);
	/* the first build runs beside the rest of the start: the daemon answers before it is in */
	c->database = g_strdup(d->config->database);
	c->started_at = d->started_at;
	request_build(c);
	c->builder = g_thread_new("calendar", builder_main, c);
	c->tick = g_timeout_add_seconds(CALENDAR_TICK, on_tick, c);
	caldav_start(d);
	if (!listen)
		return 0;
	g_autofree char *host = NULL;
	struct addrinfo *ai = NULL;
	int r = http_listen_address(listen, from, "calendar feed", &host, &ai, error);
	if (r < 0)
		return r;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	c->http = MHD_start_daemon(flags, 0, NULL, NULL, on_request, c, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				   MHD_OPTION_EXTERNAL_LOGGER, on_http_log, c, MHD_OPTION_CONNECTION_LIMIT,
				   CALENDAR_CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				   CALENDAR_CONNECTIONS_PER_ADDRESS, MHD_OPTION_CONNECTION_TIMEOUT, CALENDAR_IDLE_TIMEOUT,
				   MHD_OPTION_NOTIFY_CONNECTION, on_connection, c, MHD_OPTION_NOTIFY_COMPLETED,
				   on_completed, c, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!c->http)
		return at_error_set(error, -EADDRINUSE,
				    "calendar feed cannot listen on %s (address in use or not this machine's); set "
				    "%s to another port, or off",
				    listen, from);
	c->url = g_strdup_printf("http://%s%s", listen, c->path);
	log_info("calendar feed at http://%s/%scalendar.ics", listen, d->config->calendar_token ? "TOKEN/" : "");
	return 0;
}

void calendar_stop(struct daemon *d)
{
	struct calendar *c = d->calendar;

	if (!c)
		return;
	if (c->http)
		MHD_stop_daemon(c->http); /* joins the HTTP thread: its connections are closed */
	if (c->builder) {
		g_mutex_lock(&c->build_lock);
		c->stopping = true;
		g_cond_signal(&c->wake);
		g_mutex_unlock(&c->build_lock);
		g_thread_join(c->builder); /* a build under way ends first */
	}
	caldav_stop(d); /* after the builder, which offers it work */
	if (c->tick)
		g_source_remove(c->tick);
	if (c->deadline_timer)
		g_source_remove(c->deadline_timer);
	if (c->wrong_unlogged || c->refused_unlogged)
		log_warnx("calendar feed: %u more wrong tokens, %u requests refused after too many, since the last warning",
			  c->wrong_unlogged, c->refused_unlogged);
	g_ptr_array_unref(c->conns);
	g_mutex_clear(&c->conns_lock);
	g_cond_clear(&c->wake);
	g_mutex_clear(&c->build_lock);
	g_cond_clear(&c->built);
	g_mutex_clear(&c->lock);
	g_free(c->database);
	g_free(c->file);
	calendar_outputs_clear(&c->outputs);
	g_free(c->path);
	g_free(c->url);
	if (c->text)
		g_bytes_unref(c->text);
	g_free(c->etag);
	g_free(c->last_modified);
	g_free(c);
	d->calendar = NULL;
}

json_t *calendar_info(struct daemon *d)
{
	struct calendar *c = d->calendar;
	return json_pack("{s:o,s:s,s:s,s:o,s:o}", "url", c && c->url ? json_string(c->url) : json_null(), "file",
			 d->config->calendar_file, "reminders_as", d->config->reminders_as_todo ? "todo" : "event", "vdir",
			 d->config->calendar_vdir ? json_string(d->config->calendar_vdir) : json_null(), "caldav",
			 caldav_info(d));
}
