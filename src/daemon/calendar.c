/* calendar.c - the calendar feed: kept up to date on the main thread, written to
 * [calendar] file, and served by libmicrohttpd at http://LISTEN/calendar.ics.
 *
 * The main thread rebuilds the feed (feed.c) once after any batch of changes (every
 * change is announced through control_broadcast(), which calls calendar_changed()), writes
 * the file atomically (temporary file + rename) and swaps the text the HTTP thread serves
 * under a mutex; the HTTP thread never touches the database. Responses carry an ETag (a
 * hash of the text) and Last-Modified, and If-None-Match gives 304. With a token the path
 * is /TOKEN/calendar.ics and anything else is 404.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/feed.h"
#include "apptrack/log.h"

#include <microhttpd.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

struct calendar {
	struct daemon *d;
	struct MHD_Daemon *http;
	char *path;   /* URL path served */
	char *url;    /* full URL, for apptrackctl calendar */
	GMutex lock;  /* guards the three below */
	char *text;
	char *etag;
	char *last_modified; /* RFC 7231 date */
	guint rebuild;       /* idle source of a pending rebuild */
};

static void http_date(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int rebuild(struct calendar *c, GError **error)
{
	struct daemon *d = c->d;
	g_autofree char *text = NULL;
	int64_t modified = 0;
	char date[64];
	int r = feed_build(d->store, d->config->reminders_as_todo, &text, &modified, error);

	if (r < 0)
		return r;
	g_autoptr(GError) file_error = NULL;
	if (!g_file_set_contents_full(d->config->calendar_file, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &file_error))
		log_warnx("calendar file not written (the feed is still served): %s", file_error->message);
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
	http_date(modified ? modified : d->started_at, date, sizeof date);
	g_mutex_lock(&c->lock);
	g_free(c->text);
	c->text = g_steal_pointer(&text);
	g_free(c->etag);
	c->etag = g_strdup_printf("\"%.32s\"", hash);
	g_free(c->last_modified);
	c->last_modified = g_strdup(date);
	g_mutex_unlock(&c->lock);
	return 0;
}

static gboolean on_rebuild(gpointer data)
{
	struct calendar *c = data;
	g_autoptr(GError) error = NULL;

	c->rebuild = 0;
	if (rebuild(c, &error) < 0)
		log_warnx("calendar feed not updated: %s", error->message);
	return G_SOURCE_REMOVE;
}

void calendar_changed(struct daemon *d)
{
	struct calendar *c = d ? d->calendar : NULL;

	if (c && !c->rebuild)
		c->rebuild = g_idle_add(on_rebuild, c);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, const char *type,
			     struct calendar *c)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (c) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, c->etag);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, c->last_modified);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	}
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* HTTP thread. */
static enum MHD_Result on_request(void *data, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct calendar *c = data;
	enum MHD_Result ret;
	(void)version, (void)upload, (void)state;

	if (*upload_size)
		return MHD_NO;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", "text/plain", NULL);
	if (strcmp(url, c->path) != 0)
		return reply(conn, MHD_HTTP_NOT_FOUND, "not found\n", "text/plain", NULL);
	const char *match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	g_mutex_lock(&c->lock);
	if (match && strstr(match, c->etag))
		ret = reply(conn, MHD_HTTP_NOT_MODIFIED, "", "text/calendar; charset=utf-8", c);
	else
		ret = reply(conn, MHD_HTTP_OK, c->text, "text/calendar; charset=utf-8", c);
	g_mutex_unlock(&c->lock);
	return ret;
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
	/* like APPTRACK_SOCKET for the control socket: an override for tests and odd setups */
	const char *env = g_getenv("APPTRACK_CALENDAR_LISTEN");
	const char *listen = env && *env ? (strcmp(env, "off") == 0 ? NULL : env) : d->config->calendar_listen;
	int r;

	c->d = d;
	g_mutex_init(&c->lock);
	d->calendar = c;
	c->path = d->config->calendar_token ? g_strdup_printf("/%s/calendar.ics", d->config->calendar_token)
					    : g_strdup("/calendar.ics");
	g_autofree char *dir = g_path_get_dirname(d->config->calendar_file);
	g_mkdir_with_parents(dir, 0700);
	if ((r = rebuild(c, error)) < 0)
		return r;
	if (!listen)
		return 0;
	/* ADDRESS:PORT, the address possibly in brackets */
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen)
		return at_error_set(error, -EINVAL, "calendar feed: bad address \"%s\": expected ADDRESS:PORT", listen);
	g_autofree char *host = g_strndup(listen, (size_t)(colon - listen));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *ai = NULL;
	int gai = getaddrinfo(host, colon + 1, &hints, &ai);
	if (gai != 0)
		return at_error_set(error, -EINVAL, "[calendar] listen = %s: %s", listen, gai_strerror(gai));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	c->http = MHD_start_daemon(flags, 0, NULL, NULL, on_request, c, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				   MHD_OPTION_EXTERNAL_LOGGER, on_http_log, c, MHD_OPTION_CONNECTION_LIMIT, 32u,
				   MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!c->http)
		return at_error_set(error, -EADDRINUSE,
				    "calendar feed cannot listen on %s (address in use or not this machine's); set "
				    "[calendar] listen to another port, or off",
				    listen);
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
		MHD_stop_daemon(c->http);
	if (c->rebuild)
		g_source_remove(c->rebuild);
	g_mutex_clear(&c->lock);
	g_free(c->path);
	g_free(c->url);
	g_free(c->text);
	g_free(c->etag);
	g_free(c->last_modified);
	g_free(c);
	d->calendar = NULL;
}

json_t *calendar_info(struct daemon *d)
{
	struct calendar *c = d->calendar;
	return json_pack("{s:o,s:s,s:s}", "url", c && c->url ? json_string(c->url) : json_null(), "file",
			 d->config->calendar_file, "reminders_as", d->config->reminders_as_todo ? "todo" : "event");
}
