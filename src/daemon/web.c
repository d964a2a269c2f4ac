/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web.c - the web page apptrackd serves on [web] listen (apptrackd(8), "Web page"): the
 * listener (libmicrohttpd, its own polling thread, as the calendar feed's), the checks every
 * request passes, the session, the login keys of web.login, and the files of the
 * repository's web/ directory, embedded at build time.
 *
 * Every request first passes the Host check (and the Origin check when it carries one):
 * Host must be the listen address, localhost:PORT on loopback, or one of [web]
 * allowed_hosts, so that a page of another site that a DNS rebinding points at this port
 * gets 403, and a cross-site POST too. Then the session: the cookie apptrack_session, whose
 * value is one random secret per daemon run, kept in memory; or, with [web] token, an
 * Authorization: Bearer TOKEN header (scripts). GET /login?key=KEY trades a key of web.login
 * (single-use, WEB_KEY_LIFETIME_MS) or the token for the cookie (HttpOnly,
 * SameSite=Strict) and redirects to /. Keys, secret and token are compared in constant
 * time and never logged. No CORS headers: the page is same-origin only.
 *
 * The rest is web_api.c's (POST /api/METHOD, the bridge to the method table) and
 * web_events.c's (GET /events, the change bus as Server-Sent Events).
 */
#include "web.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/secret.h"
#include "apptrack/protocol.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#define WEB_CONNECTIONS_MAX 64u
#define WEB_CONNECTIONS_PER_ADDRESS 32u /* a browser's six, the streams of a few tabs */
#define WEB_IDLE_TIMEOUT 30u            /* seconds; the streams' keep-alive is well inside it */

static const char csp[] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

static const char no_session_page[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>apptrack</title></head>\n"
	"<body><h1>apptrack</h1><p>This page needs a session. Run <code>apptrackctl web --open</code> (or "
	"<code>apptrackctl web</code> and open the link it prints): the link is good once, for two minutes.</p>"
	"</body></html>\n";

static const char bad_key_page[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>apptrack</title></head>\n"
	"<body><h1>apptrack</h1><p>This login link is used, expired or wrong. Run <code>apptrackctl web --open</code> "
	"for a new one.</p></body></html>\n";

/* ---- responses ---- */

static void add_headers(struct MHD_Response *resp, const char *type)
{
	if (type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

enum MHD_Result web_respond(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
			    size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	add_headers(resp, type);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

unsigned web_status_of(int r)
{
	const char *code = at_error_code(r);

	if (strcmp(code, "invalid_request") == 0 || strcmp(code, "unknown_method") == 0 ||
	    strcmp(code, "invalid_params") == 0)
		return MHD_HTTP_BAD_REQUEST;
	if (strcmp(code, "not_found") == 0)
		return MHD_HTTP_NOT_FOUND;
	if (strcmp(code, "too_large") == 0)
		return MHD_HTTP_CONTENT_TOO_LARGE;
	if (strcmp(code, "busy") == 0)
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	if (strcmp(code, "conflict") == 0)
		return MHD_HTTP_CONFLICT;
	return MHD_HTTP_INTERNAL_SERVER_ERROR;
}

enum MHD_Result web_error(struct MHD_Connection *conn, unsigned status, int r, const char *message)
{
	json_t *err = proto_error_object(r, message, NULL);
	json_t *v = json_pack("{s:o}", "error", err);

	/* the server's own refusals, which no method gives */
	if (status == MHD_HTTP_UNAUTHORIZED || status == MHD_HTTP_FORBIDDEN)
		json_object_set_new(err, "code", json_string(status == MHD_HTTP_UNAUTHORIZED ? "unauthorized" : "forbidden"));
	char *text = json_dumps(v, JSON_COMPACT);
	enum MHD_Result ret = web_respond(conn, status, "application/json", text, strlen(text));

	free(text);
	json_decref(v);
	return ret;
}

/* ---- secrets ---- */

static bool random_hex(char *buf, size_t bytes)
{
	unsigned char raw[64];
	size_t got = 0;

	g_assert(bytes <= sizeof raw);
	while (got < bytes) {
		ssize_t n = getrandom(raw + got, bytes - got, 0);
		if (n < 0 && errno != EINTR)
			return false;
		got += n > 0 ? (size_t)n : 0;
	}
	for (size_t i = 0; i < bytes; i++)
		g_snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof raw);
	return true;
}

/* Takes key if it is a login key not used and not expired (it is used now). Any thread. */
static bool take_key(struct web *w, const char *key)
{
	gint64 now = g_get_monotonic_time();
	bool found = false;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);

	for (size_t i = 0; i < WEB_KEYS_MAX; i++) {
		struct web_key *k = &w->keys[i];
		bool match = k->key[0] && secret_equal(key, k->key);
		if (match && k->expires > now)
			found = true;
		if (match || (k->key[0] && k->expires <= now))
			explicit_bzero(k, sizeof *k); /* used, or expired: gone */
	}
	return found;
}

int web_login_url(struct daemon *d, char **ret_url, GError **error)
{
	struct web *w = d->web;
	char key[WEB_KEY_BYTES * 2 + 1];

	if (!w || !w->http)
		return at_error_set(error, -ENOENT, "the web page is not served: %s is off, or its address could not be "
				    "used (see the log)",
				    d->config->web_address_from ? d->config->web_address_from : "[web] listen");
	if (!random_hex(key, WEB_KEY_BYTES))
		return at_error_set(error, -EIO, "no random numbers for a login key: %s", g_strerror(errno));
	gint64 now = g_get_monotonic_time();
	g_mutex_lock(&w->lock);
	struct web_key *slot = &w->keys[0]; /* a free or expired slot, else the one expiring first */
	for (size_t i = 0; i < WEB_KEYS_MAX; i++) {
		struct web_key *k = &w->keys[i];
		if (!k->key[0] || k->expires <= now) {
			slot = k;
			break;
		}
		if (k->expires < slot->expires)
			slot = k;
	}
	memcpy(slot->key, key, sizeof key);
	slot->expires = now + (gint64)w->key_lifetime_ms * 1000;
	g_mutex_unlock(&w->lock);
	*ret_url = g_strdup_printf("%s/login?key=%s", w->base_url, key);
	explicit_bzero(key, sizeof key);
	return 0;
}

/* ---- the checks of every request (HTTP thread) ---- */

static bool host_allowed(struct web *w, const char *host)
{
	for (guint i = 0; host && i < w->hosts->len; i++)
		if (g_ascii_strcasecmp(w->hosts->pdata[i], host) == 0)
			return true;
	return false;
}

/* Host is ours, and Origin, when sent, is http:// and one of ours. */
static bool request_ours(struct web *w, struct MHD_Connection *conn)
{
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");

	if (!host_allowed(w, host))
		return false;
	return !origin || (g_str_has_prefix(origin, "http://") && host_allowed(w, origin + strlen("http://")));
}

static bool has_session(struct web *w, struct MHD_Connection *conn)
{
	const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_COOKIE);
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);

	if (cookie && secret_equal(cookie, w->secret))
		return true;
	return w->token && auth && g_str_has_prefix(auth, "Bearer ") && secret_equal(auth + strlen("Bearer "), w->token);
}

/* ---- requests (HTTP thread) ---- */

static enum MHD_Result login(struct web *w, struct MHD_Connection *conn)
{
	const char *key = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "key");
	bool ok = key && (take_key(w, key) || (w->token && secret_equal(key, w->token)));

	if (!ok) {
		log_info("web page: a login link was refused (used, expired or wrong)");
		return web_respond(conn, MHD_HTTP_FORBIDDEN, "text/html; charset=utf-8", bad_key_page,
				   strlen(bad_key_page));
	}
	g_autofree char *cookie =
		g_strdup_printf(WEB_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/", w->secret);
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	add_headers(resp, "text/plain");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, "/");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_SEE_OTHER, resp);
	MHD_destroy_response(resp);
	explicit_bzero(cookie, strlen(cookie));
	log_info("web page: a session was opened");
	return ret;
}

static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },   { ".svg", "image/svg+xml" },
		{ ".png", "image/png" },                 { ".ico", "image/x-icon" },
		{ ".json", "application/json" },         { ".txt", "text/plain; charset=utf-8" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result static_file(struct MHD_Connection *conn, const char *url)
{
	const char *name = strcmp(url, "/") == 0 ? "index.html" : url + 1;

	for (size_t i = 0; i < web_files_count; i++) {
		const struct web_file *f = &web_files[i];
		if (strcmp(f->name, name) != 0)
			continue;
		struct MHD_Response *resp =
			MHD_create_response_from_buffer(f->size, (void *)f->data, MHD_RESPMEM_PERSISTENT);
		add_headers(resp, content_type(f->name));
		enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	return web_respond(conn, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", strlen("not found\n"));
}

static bool is_json(const char *type)
{
	size_t n = strlen("application/json");
	return type && g_ascii_strncasecmp(type, "application/json", n) == 0 && (type[n] == '\0' || type[n] == ';');
}

static enum MHD_Result on_request(void *data, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct web *w = data;
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	(void)version;

	if (*state) /* a call under way: its body, or its answer */
		return web_api(w, conn, NULL, upload, upload_size, state);
	if (!request_ours(w, conn))
		return web_error(conn, MHD_HTTP_FORBIDDEN, -EPERM,
				 "Host or Origin is not this server's: open the link apptrackctl web prints");
	if (strcmp(url, "/login") == 0) {
		if (!get)
			return web_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, -EINVAL, "/login takes GET");
		return login(w, conn);
	}
	bool session = has_session(w, conn);
	if (g_str_has_prefix(url, "/api/")) {
		if (strcmp(method, "POST") != 0)
			return web_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, -EBADMSG, "the API takes POST");
		if (!session)
			return web_error(conn, MHD_HTTP_UNAUTHORIZED, -EACCES, "no session: run apptrackctl web");
		if (!is_json(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
			return web_error(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, -EBADMSG,
					 "the API takes Content-Type: application/json");
		return web_api(w, conn, url + strlen("/api/"), upload, upload_size, state);
	}
	if (!get)
		return web_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, -EBADMSG, "only GET here");
	if (strcmp(url, "/events") == 0)
		return session ? web_events_open(w, conn)
			       : web_error(conn, MHD_HTTP_UNAUTHORIZED, -EACCES, "no session: run apptrackctl web");
	if (!session && strcmp(url, "/") == 0)
		return web_respond(conn, MHD_HTTP_UNAUTHORIZED, "text/html; charset=utf-8", no_session_page,
				   strlen(no_session_page));
	if (!session)
		return web_respond(conn, MHD_HTTP_UNAUTHORIZED, "text/plain", "no session: run apptrackctl web\n",
				   strlen("no session: run apptrackctl web\n"));
	return static_file(conn, url);
}

static void on_completed(void *data, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode toe)
{
	(void)data, (void)conn, (void)toe;
	if (*state)
		web_request_done(*state);
	*state = NULL;
}

static void on_http_log(void *data, const char *fmt, va_list ap)
{
	(void)data;
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	log_debug("web page: %s", g_strchomp(msg));
}

/* ---- start and stop (main thread) ---- */

static gboolean on_keepalive(gpointer data)
{
	web_events_send(data, ": keep-alive\n\n");
	return G_SOURCE_CONTINUE;
}

/* The Host values accepted: the listen address, localhost:PORT on loopback, and each of
 * allowed_hosts (with :PORT unless it gives one; bare too on port 80). */
static void set_hosts(struct web *w, const char *listen, const char *host, const char *port, bool loopback,
		      char **allowed)
{
	w->hosts = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(w->hosts, g_strdup(listen));
	if (loopback)
		g_ptr_array_add(w->hosts, g_strdup_printf("localhost:%s", port));
	for (size_t i = 0; allowed && allowed[i]; i++) {
		const char *a = allowed[i];
		const char *colon = strrchr(a, ':');
		bool has_port = colon && (a[0] != '[' || colon > strchr(a, ']'));
		if (has_port) {
			g_ptr_array_add(w->hosts, g_strdup(a));
			continue;
		}
		g_ptr_array_add(w->hosts, g_strdup_printf("%s:%s", a, port));
		if (strcmp(port, "80") == 0)
			g_ptr_array_add(w->hosts, g_strdup(a));
	}
	/* a wildcard address is no name to reach the page by: the URL names the first allowed host */
	bool wildcard = strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
	const char *url_host = wildcard && w->hosts->len > 1 ? w->hosts->pdata[1] : listen;
	w->base_url = g_strdup_printf("http://%s", url_host);
}

int web_start(struct daemon *d, GError **error)
{
	const char *listen = d->config->web_address; /* checked by config_load() */
	const char *from = d->config->web_address_from;

	if (!listen)
		return 0;
	g_autofree char *host = NULL;
	struct addrinfo *ai = NULL;
	int r = http_listen_address(listen, from, "web page", &host, &ai, error);
	if (r < 0)
		return r;
	const char *port = strrchr(listen, ':') + 1;
	bool loopback = false;
	struct web *w = g_new0(struct web, 1);
	w->d = d;
	g_mutex_init(&w->lock);
	g_queue_init(&w->calls);
	w->in_flight = g_ptr_array_new();
	w->streams = g_ptr_array_new();
	w->token = g_strdup(d->config->web_token);
	const char *ka = g_getenv(WEB_KEEPALIVE_ENV);
	w->keepalive_ms = ka && atoi(ka) > 0 ? (unsigned)atoi(ka) : WEB_KEEPALIVE_MS;
	const char *life = g_getenv(WEB_KEY_LIFETIME_ENV);
	w->key_lifetime_ms = life && atoi(life) > 0 ? (unsigned)atoi(life) : WEB_KEY_LIFETIME_MS;
	loopback = strcmp(host, "localhost") == 0 || (ai->ai_family == AF_INET && g_str_has_prefix(host, "127.")) ||
		   strcmp(host, "::1") == 0;
	set_hosts(w, listen, host, port, loopback, d->config->web_allowed_hosts);
	d->web = w;
	if (!random_hex(w->secret, WEB_SECRET_BYTES)) {
		freeaddrinfo(ai);
		return at_error_set(error, -EIO, "web page: no random numbers for the session: %s", g_strerror(errno));
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	w->http = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				   MHD_OPTION_EXTERNAL_LOGGER, on_http_log, w, MHD_OPTION_CONNECTION_LIMIT,
				   WEB_CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT, WEB_CONNECTIONS_PER_ADDRESS,
				   MHD_OPTION_CONNECTION_TIMEOUT, WEB_IDLE_TIMEOUT, MHD_OPTION_NOTIFY_COMPLETED,
				   on_completed, w, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!w->http)
		return at_error_set(error, -EADDRINUSE,
				    "web page cannot listen on %s (address in use or not this machine's); set %s to "
				    "another port, or off",
				    listen, from);
	w->keepalive = g_timeout_add(w->keepalive_ms, on_keepalive, w);
	log_info("web page at http://%s/ (apptrackctl web gives a login link)", listen);
	return 0;
}

void web_stop(struct daemon *d)
{
	struct web *w = d->web;

	if (!w)
		return;
	g_mutex_lock(&w->lock);
	w->stopping = true;
	web_api_stop_locked(w);
	web_events_stop_locked(w);
	g_mutex_unlock(&w->lock);
	if (w->http)
		MHD_stop_daemon(w->http); /* joins its thread: every connection is closed */
	if (w->keepalive)
		g_source_remove(w->keepalive);
	if (w->drain)
		g_source_remove(w->drain);
	g_ptr_array_unref(w->in_flight);
	g_ptr_array_unref(w->streams);
	g_ptr_array_unref(w->hosts);
	g_mutex_clear(&w->lock);
	explicit_bzero(w->secret, sizeof w->secret);
	explicit_bzero(w->keys, sizeof w->keys);
	if (w->token)
		explicit_bzero(w->token, strlen(w->token));
	g_free(w->token);
	g_free(w->base_url);
	g_free(w);
	d->web = NULL;
}

void web_changed(struct daemon *d, const char *event, json_t *fields)
{
	struct web *w = d ? d->web : NULL;

	if (!w || !w->http)
		return;
	g_autofree char *line = proto_event(event, fields); /* what `watch` gets: {"event", ..., "at"}\n */
	/* a blank line ends the event: only then does a browser dispatch it */
	g_autofree char *text = g_strdup_printf("event: %s\ndata: %s\n\n", event, g_strchomp(line));
	web_events_send(w, text);
}
