/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_webtext.c - webtext_fetch against a libmicrohttpd server on 127.0.0.1: HTML and
 * plain text in several charsets, redirects, HTTP errors, size and time limits, refused
 * content types, TLS and connect failures, and URLs that are not http(s). Only loopback. */
#include "apptrack/webtext.h"

#include "apptrack/version.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_MAX_BODY ((size_t)64 << 10)                 /* the shortened body limit, "64 KiB" */
#define BIG_BODY ((size_t)200 << 10)                     /* over TEST_MAX_BODY */
#define HUGE_BODY (WEBTEXT_MAX_BODY + ((size_t)1 << 20)) /* over the default limit */
#define TEST_TIMEOUT_MS 300L
#define TEST_CONNECT_TIMEOUT_MS 2000L
#define SLOW_REPLY_US (3 * G_USEC_PER_SEC) /* the slow route answers after this, or at shutdown */
#define SLOW_STEP_US (10 * 1000)
#define CHUNK_SIZE ((size_t)16 << 10)
#define SERVER_CONNECTION_TIMEOUT_S 5u

static const char job_html[] = /* ISO-8859-1, as the Content-Type says */
	"<!DOCTYPE html>\n<html><head><meta charset=\"iso-8859-1\"><title>TITLE_MARKER</title>\n"
	"<style>.hidden { display: none } /* STYLE_MARKER */</style>\n"
	"<script>var tracker = \"SCRIPT_MARKER\";</script></head>\n"
	"<body><nav><a href=\"/\">Home</a> <a href=\"/jobs\">NAV_MARKER all jobs</a></nav>\n"
	"<main><h1>Backend Engineer (m/w/d)</h1>\n"
	"<p>Acme GmbH in M\xfcnchen &amp; Z\xfcrich is hiring.   We\n   build   caf\xe9 software &mdash; "
	"with &lt;C&gt; and SQLite.</p>\n<ul><li>5 years of C</li><li>GLib &eacute;xperience</li></ul>\n"
	"<script>document.write(\"INLINE_SCRIPT_MARKER\")</script></main>\n"
	"<footer>FOOTER_MARKER Impressum</footer></body></html>\n";

static const char meta_html[] = /* charset only in <meta>, Windows-1252 curly quotes */
	"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head>"
	"<body><p>We say \x93hello\x94 in K\xf6ln.</p></body></html>";

static const char plain_text[] =
	"Senior C Developer  \r\n\r\n\r\n\r\nRemote, Europe.\t\r\nApply by mail.\r\n\r\n";

struct route {
	const char *path;
	unsigned status;
	const char *type; /* Content-Type, or NULL for none */
	const char *body; /* NULL: made by the handler */
	const char *location;
};

static const struct route routes[] = {
	{ "/job.html", MHD_HTTP_OK, "text/html; charset=ISO-8859-1", job_html, NULL },
	{ "/meta.html", MHD_HTTP_OK, "text/html", meta_html, NULL },
	{ "/utf8.xhtml", MHD_HTTP_OK, "application/xhtml+xml",
	  "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
	  "<p>Z\xc3\xbcrich \xe2\x80\x93 on site</p></body></html>",
	  NULL },
	{ "/plain.txt", MHD_HTTP_OK, "text/plain; charset=utf-8", plain_text, NULL },
	{ "/notype", MHD_HTTP_OK, NULL, "no content type at all\n", NULL },
	{ "/latin1.txt", MHD_HTTP_OK, "text/plain; charset=\"iso-8859-1\"", "Caf\xe9 in Z\xfcrich\n", NULL },
	{ "/bom.txt", MHD_HTTP_OK, "text/plain; charset=iso-8859-1", "\xef\xbb\xbfZ\xc3\xbcrich with a BOM\n",
	  NULL },
	{ "/bad-utf8.txt", MHD_HTTP_OK, "text/plain; charset=utf-8", "broken \xff\xfe bytes\n", NULL },
	{ "/unknown-charset.txt", MHD_HTTP_OK, "text/plain; charset=x-no-such-charset", "text\n", NULL },
	{ "/missing", MHD_HTTP_NOT_FOUND, "text/html", "<h1>gone fishing</h1>", NULL },
	{ "/broken", MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "oops\n", NULL },
	{ "/report.pdf", MHD_HTTP_OK, "application/pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", NULL },
	{ "/logo.png", MHD_HTTP_OK, "image/png", "\x89PNG\r\n\x1a\n", NULL },
	{ "/empty", MHD_HTTP_OK, "text/plain", "", NULL },
	{ "/scripts-only.html", MHD_HTTP_OK, "text/html", "<html><body><script>x()</script>  </body></html>",
	  NULL },
	{ "/to-ftp", MHD_HTTP_FOUND, "text/plain", "moved\n", "ftp://127.0.0.1/job.txt" },
	/* made by the handler */
	{ "/redirect/", MHD_HTTP_FOUND, "text/plain", NULL, NULL },
	{ "/big", MHD_HTTP_OK, "text/plain", NULL, NULL },
	{ "/big-chunked", MHD_HTTP_OK, "text/plain", NULL, NULL },
	{ "/huge-chunked", MHD_HTTP_OK, "text/plain", NULL, NULL },
	{ "/slow", MHD_HTTP_OK, "text/plain", NULL, NULL },
	{ "/ua", MHD_HTTP_OK, "text/plain", NULL, NULL },
};

static struct {
	struct MHD_Daemon *daemon;
	unsigned port;
	char *big; /* BIG_BODY bytes of text */
	gint stopping;
} server;

static enum MHD_Result queue(struct MHD_Connection *conn, const struct route *rt, struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (rt->type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rt->type);
	ret = MHD_queue_response(conn, rt->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result reply(struct MHD_Connection *conn, const struct route *rt, const char *body,
			     size_t len)
{
	return queue(conn, rt, MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY));
}

/* A chunked body of *(size_t *)cls bytes: no Content-Length for curl to check first. */
static ssize_t read_chunked(void *cls, uint64_t pos, char *buf, size_t max)
{
	size_t total = *(const size_t *)cls, n;

	if (pos >= total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = MIN(max, (size_t)(total - pos));
	memset(buf, 'x', n);
	if (n)
		buf[n - 1] = '\n';
	return (ssize_t)n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_len, void **con_cls)
{
	static const size_t big_chunked = BIG_BODY, huge_chunked = HUGE_BODY;
	const struct route *rt = NULL;
	(void)cls, (void)method, (void)version, (void)upload, (void)upload_len, (void)con_cls;

	for (size_t i = 0; i < G_N_ELEMENTS(routes) && !rt; i++)
		if (strcmp(url, routes[i].path) == 0 ||
		    (g_str_has_suffix(routes[i].path, "/") && g_str_has_prefix(url, routes[i].path)))
			rt = &routes[i];
	if (!rt) {
		static const struct route not_found = { "", MHD_HTTP_NOT_FOUND, "text/plain",
						       "no such route\n", NULL };
		return reply(conn, &not_found, not_found.body, strlen(not_found.body));
	}
	if (rt->body) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			strlen(rt->body), (void *)rt->body, MHD_RESPMEM_PERSISTENT);
		if (rt->location)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, rt->location);
		return queue(conn, rt, resp);
	}
	if (strcmp(rt->path, "/redirect/") == 0) {
		/* /redirect/N sends to /redirect/N-1; /redirect/0 is the end */
		long left = strtol(url + strlen(rt->path), NULL, 10);
		if (left <= 0) {
			static const struct route arrived = { "", MHD_HTTP_OK, "text/plain",
							     "arrived after the redirects\n", NULL };
			return reply(conn, &arrived, arrived.body, strlen(arrived.body));
		}
		g_autofree char *next = g_strdup_printf("/redirect/%ld", left - 1);
		struct MHD_Response *resp =
			MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, next);
		return queue(conn, rt, resp);
	}
	if (strcmp(rt->path, "/big") == 0)
		return queue(conn, rt,
			     MHD_create_response_from_buffer(BIG_BODY, server.big, MHD_RESPMEM_PERSISTENT));
	if (strcmp(rt->path, "/big-chunked") == 0 || strcmp(rt->path, "/huge-chunked") == 0)
		return queue(conn, rt,
			     MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, CHUNK_SIZE, read_chunked,
							       (void *)(strcmp(rt->path, "/big-chunked") == 0
										? &big_chunked
										: &huge_chunked),
							       NULL));
	if (strcmp(rt->path, "/slow") == 0) {
		/* a connection thread of its own: sleeping here blocks no other request */
		for (gint64 waited = 0; waited < SLOW_REPLY_US && !g_atomic_int_get(&server.stopping);
		     waited += SLOW_STEP_US)
			g_usleep(SLOW_STEP_US);
		return reply(conn, rt, "too late\n", strlen("too late\n"));
	}
	/* /ua: the User-Agent, echoed */
	const char *ua = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	g_autofree char *body = g_strdup_printf("%s\n", ua ? ua : "(none)");
	return reply(conn, rt, body, strlen(body));
}

static int server_start(void **state)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const union MHD_DaemonInfo *info;
	(void)state;

	/* a proxy from the environment must not see loopback test traffic */
	static const char *const proxy_vars[] = { "http_proxy",  "HTTP_PROXY", "https_proxy",
						 "HTTPS_PROXY", "all_proxy",  "ALL_PROXY" };
	for (size_t i = 0; i < G_N_ELEMENTS(proxy_vars); i++)
		g_unsetenv(proxy_vars[i]);

	server.big = g_malloc(BIG_BODY);
	memset(server.big, 'y', BIG_BODY);
	server.daemon =
		MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
				 NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				 MHD_OPTION_CONNECTION_TIMEOUT, SERVER_CONNECTION_TIMEOUT_S, MHD_OPTION_END);
	if (!server.daemon)
		return -1;
	info = MHD_get_daemon_info(server.daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port)
		return -1;
	server.port = info->port;
	return 0;
}

static int server_stop(void **state)
{
	(void)state;
	g_atomic_int_set(&server.stopping, 1);
	if (server.daemon)
		MHD_stop_daemon(server.daemon);
	g_free(server.big);
	return 0;
}

static char *url_of(const char *scheme, unsigned port, const char *path)
{
	return g_strdup_printf("%s://127.0.0.1:%u%s", scheme, port, path);
}

static const struct webtext_options test_opts = {
	.connect_timeout_ms = TEST_CONNECT_TIMEOUT_MS,
	.timeout_ms = TEST_TIMEOUT_MS,
	.max_body = TEST_MAX_BODY,
};

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("[%s] does not contain [%s]", haystack ? haystack : "(null)", needle);
}

static void assert_lacks(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle))
		fail_msg("[%s] should not contain [%s]", haystack, needle);
}

/* Fetches path from the test server; the text on success, NULL (and a failed test) if not. */
static char *fetch_ok(const char *path, const struct webtext_options *opts, char **ret_final_url)
{
	g_autofree char *url = url_of("http", server.port, path);
	GError *error = NULL;
	char *text = NULL;
	int r = webtext_fetch(url, opts, &text, ret_final_url, &error);

	if (r < 0) {
		fail_msg("%s: %d %s", path, r, error->message);
		g_error_free(error);
	}
	assert_non_null(text);
	assert_true(g_utf8_validate(text, -1, NULL));
	return text;
}

static void test_html_posting(void **state)
{
	g_autofree char *final_url = NULL;
	g_autofree char *text = fetch_ok("/job.html", NULL, &final_url);
	g_autofree char *want_url = url_of("http", server.port, "/job.html");
	(void)state;

	assert_string_equal(final_url, want_url);
	assert_contains(text, "Backend Engineer (m/w/d)\nAcme GmbH");
	/* ISO-8859-1 decoded, entities resolved, whitespace collapsed */
	assert_contains(text, "Acme GmbH in München & Zürich is hiring. We build café software — with <C> and SQLite.");
	assert_contains(text, "5 years of C\nGLib éxperience\n");
	static const char *const dropped[] = { "TITLE_MARKER", "STYLE_MARKER", "SCRIPT_MARKER",
					       "INLINE_SCRIPT_MARKER", "NAV_MARKER", "FOOTER_MARKER",
					       "<p>", "&amp;", "&mdash;" };
	for (size_t i = 0; i < G_N_ELEMENTS(dropped); i++)
		assert_lacks(text, dropped[i]);
}

static void test_decoding(void **state)
{
	static const struct {
		const char *path;
		const char *want; /* exact text */
	} cases[] = {
		{ "/meta.html", "We say \xe2\x80\x9chello\xe2\x80\x9d in K\xc3\xb6ln.\n" }, /* <meta> charset */
		{ "/utf8.xhtml", "Z\xc3\xbcrich \xe2\x80\x93 on site\n" },
		{ "/plain.txt", "Senior C Developer\n\nRemote, Europe.\nApply by mail.\n" },
		{ "/notype", "no content type at all\n" },
		{ "/latin1.txt", "Caf\xc3\xa9 in Z\xc3\xbcrich\n" },
		{ "/bom.txt", "Z\xc3\xbcrich with a BOM\n" }, /* the BOM wins over the label */
		{ "/redirect/0", "arrived after the redirects\n" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = fetch_ok(cases[i].path, &test_opts, NULL);
		if (strcmp(text, cases[i].want) != 0)
			fail_msg("%s: got [%s], want [%s]", cases[i].path, text, cases[i].want);
	}
}

static void test_redirects_followed(void **state)
{
	g_autofree char *final_url = NULL;
	g_autofree char *text = fetch_ok("/redirect/3", &test_opts, &final_url);
	g_autofree char *want_url = url_of("http", server.port, "/redirect/0");
	(void)state;

	assert_string_equal(text, "arrived after the redirects\n");
	assert_string_equal(final_url, want_url);
	g_free(text);
	text = fetch_ok("/redirect/5", &test_opts, NULL); /* exactly the limit */
	assert_string_equal(text, "arrived after the redirects\n");
}

static void test_user_agent(void **state)
{
	g_autofree char *text = fetch_ok("/ua", NULL, NULL);
	(void)state;

	assert_string_equal(text, "apptrack/" APPTRACK_VERSION "\n");
}

/* Each failure: its return value, and the parts of its message that matter. */
static void test_failures(void **state)
{
	static const struct {
		const char *path;
		int err;
		const char *parts[3]; /* "@" stands for the URL */
		bool defaults;        /* NULL options instead of test_opts */
	} cases[] = {
		{ "/redirect/6", -ELOOP, { "GET @: ", "more than 5 redirects" }, false },
		{ "/missing", -ENOENT, { "GET @: ", "the server answered 404 Not Found" }, false },
		{ "/broken", -EIO, { "GET @: ", "500 Internal Server Error" }, false },
		{ "/big", -E2BIG, { "GET @: ", "is larger than 64 KiB" }, false },
		{ "/big-chunked", -E2BIG, { "GET @: ", "is larger than 64 KiB" }, false },
		{ "/huge-chunked", -E2BIG, { "GET @: ", "is larger than 5 MiB" }, true },
		{ "/slow", -ETIMEDOUT, { "GET @: ", "timed out" }, false },
		{ "/report.pdf", -ENOTSUP, { "GET @: ", "application/pdf", "not an HTML page or plain text" },
		  false },
		{ "/logo.png", -ENOTSUP, { "image/png" }, false },
		{ "/empty", -ENODATA, { "GET @: ", "empty page" }, false },
		{ "/scripts-only.html", -ENODATA, { "no readable text" }, false },
		{ "/bad-utf8.txt", -EILSEQ, { "GET @: ", "not valid utf-8 text" }, false },
		{ "/unknown-charset.txt", -EILSEQ, { "unknown charset \"x-no-such-charset\"" }, false },
		{ "/to-ftp", -EINVAL, { "GET @: ", "not http:// or https://" }, false },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *url = url_of("http", server.port, cases[i].path);
		char *text = NULL, *final_url = NULL;
		GError *error = NULL;
		int r = webtext_fetch(url, cases[i].defaults ? NULL : &test_opts, &text, &final_url, &error);

		if (r != cases[i].err)
			fail_msg("%s: returned %d (%s), want %d", cases[i].path, r,
				 error ? error->message : "no error", cases[i].err);
		assert_null(text);
		assert_null(final_url);
		assert_non_null(error);
		print_message("%s\n", error->message);
		assert_int_equal(error->code, -cases[i].err);
		assert_null(strchr(error->message, '\n'));
		for (size_t k = 0; k < G_N_ELEMENTS(cases[i].parts) && cases[i].parts[k]; k++) {
			g_autofree char *want = NULL;
			char *at = strchr(cases[i].parts[k], '@');
			if (at)
				want = g_strdup_printf("%.*s%s%s", (int)(at - cases[i].parts[k]),
						       cases[i].parts[k], url, at + 1);
			assert_contains(error->message, want ? want : cases[i].parts[k]);
		}
		g_error_free(error);
	}
}

static void test_tls_to_plain_port(void **state)
{
	g_autofree char *url = url_of("https", server.port, "/job.html");
	GError *error = NULL;
	char *text = NULL;
	(void)state;

	/* default timeouts: a TLS handshake under valgrind takes longer than TEST_TIMEOUT_MS */
	assert_int_equal(webtext_fetch(url, NULL, &text, NULL, &error), -EPROTO);
	print_message("%s\n", error->message);
	assert_null(text);
	assert_contains(error->message, url);
	assert_contains(error->message, "TLS");
	g_error_free(error);
}

/* A TLS server with a self-signed certificate for 127.0.0.1 (made with openssl(1)): not
 * trusted by default, trusted when it is the CA file given. */
static void test_tls_certificate(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("apptrack-webtext-XXXXXX", NULL);
	g_autofree char *cert_file = g_build_filename(dir, "cert.pem", NULL);
	g_autofree char *key_file = g_build_filename(dir, "key.pem", NULL);
	g_autofree char *cert = NULL, *key = NULL, *url = NULL, *text = NULL, *missing_ca = NULL;
	char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
			 "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
			 "-addext", "subjectAltName=IP:127.0.0.1",
			 "-keyout", key_file, "-out", cert_file, NULL };
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct webtext_options opts = { 0 }; /* default timeouts, as for test_tls_to_plain_port */
	GError *error = NULL;
	int status = -1;
	(void)state;

	assert_non_null(dir);
	if (!MHD_is_feature_supported(MHD_FEATURE_TLS) ||
	    !g_spawn_sync(NULL, argv, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
			  NULL, NULL, NULL, &status, NULL) ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    !g_file_get_contents(cert_file, &cert, NULL, NULL) || !g_file_get_contents(key_file, &key, NULL, NULL)) {
		g_remove(cert_file);
		g_remove(key_file);
		g_rmdir(dir);
		print_message("no TLS in libmicrohttpd or no openssl(1): skipped\n");
		skip();
	}
	struct MHD_Daemon *tls = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_TLS, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_HTTPS_MEM_KEY, key,
		MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_CONNECTION_TIMEOUT, SERVER_CONNECTION_TIMEOUT_S,
		MHD_OPTION_END);
	assert_non_null(tls);
	url = url_of("https", MHD_get_daemon_info(tls, MHD_DAEMON_INFO_BIND_PORT)->port, "/job.html");

	int r = webtext_fetch(url, &opts, &text, NULL, &error);
	assert_int_equal(r, -EPROTO);
	print_message("%s\n", error->message);
	assert_contains(error->message, url);
	assert_contains(error->message, "TLS certificate not trusted");
	g_clear_error(&error);

	opts.ca_file = missing_ca = g_build_filename(dir, "no-such-ca.pem", NULL);
	assert_int_equal(webtext_fetch(url, &opts, &text, NULL, &error), -EPROTO);
	print_message("%s\n", error->message);
	assert_contains(error->message, "TLS");
	g_clear_error(&error);

	opts.ca_file = cert_file;
	r = webtext_fetch(url, &opts, &text, NULL, &error);
	if (r < 0)
		fail_msg("with the CA file: %s", error->message);
	assert_contains(text, "Backend Engineer (m/w/d)");

	MHD_stop_daemon(tls);
	g_remove(cert_file);
	g_remove(key_file);
	g_rmdir(dir);
}

static void test_connect_refused(void **state)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	GError *error = NULL;
	char *text = NULL;
	(void)state;

	/* bound but not listening: the port is ours and refuses connections */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	g_autofree char *url = url_of("http", ntohs(sa.sin_port), "/job.html");
	int r = webtext_fetch(url, &test_opts, &text, NULL, &error);
	close(fd);
	print_message("%s\n", error ? error->message : "no error");
	assert_int_equal(r, -ECONNREFUSED);
	assert_null(text);
	assert_contains(error->message, url);
	assert_contains(error->message, "cannot connect");
	g_error_free(error);
}

static void test_not_http(void **state)
{
	static const struct {
		const char *url;
		const char *part;
	} cases[] = {
		{ "ftp://127.0.0.1/job.txt", "\"ftp://127.0.0.1/job.txt\" is not an http:// or https:// URL" },
		{ "not a url", "\"not a url\" is not an http:// or https:// URL" },
		{ "file:///etc/passwd", "\"file:///etc/passwd\" is not an http:// or https:// URL" },
		{ "http://", "\"http://\" is not a valid URL" },
		{ "http://127.0.0.1:99999/", "\"http://127.0.0.1:99999/\" is not a valid URL" },
		{ "", "empty URL" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *error = NULL;
		char *text = NULL, *final_url = NULL;
		assert_int_equal(webtext_fetch(cases[i].url, NULL, &text, &final_url, &error), -EINVAL);
		print_message("%s\n", error->message);
		assert_null(text);
		assert_null(final_url);
		assert_contains(error->message, cases[i].part);
		g_error_free(error);
	}
}

static void test_password_not_shown(void **state)
{
	g_autofree char *url = g_strdup_printf("http://me:s3cret@127.0.0.1:%u/missing", server.port);
	GError *error = NULL;
	char *text = NULL;
	(void)state;

	assert_int_equal(webtext_fetch(url, &test_opts, &text, NULL, &error), -ENOENT);
	assert_lacks(error->message, "s3cret");
	assert_contains(error->message, "404");
	g_error_free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_posting),       cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_redirects_followed), cmocka_unit_test(test_user_agent),
		cmocka_unit_test(test_failures),           cmocka_unit_test(test_tls_to_plain_port),
		cmocka_unit_test(test_tls_certificate),    cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_not_http),           cmocka_unit_test(test_password_not_shown),
	};
	return cmocka_run_group_tests(tests, server_start, server_stop);
}
