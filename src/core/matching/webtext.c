/* SPDX-License-Identifier: GPL-3.0-or-later */
/* webtext.c - a job posting fetched over HTTP(S) with libcurl, made readable text.
 *
 * The transfer is one easy handle with every limit set before it starts; the write
 * callback decides at the first body bytes whether the answer is worth reading (a 2xx
 * status and an HTML or plain-text type) and stops as soon as the body passes the size
 * limit, so neither a PDF nor an endless page is downloaded whole. Failures become one
 * line that names the URL, worded here from a table of curl codes with curl's error
 * buffer as the detail. The body is decoded to UTF-8 (Content-Type charset, byte order
 * mark, <meta> charset, else UTF-8) and HTML goes through the converter mail uses,
 * told to drop the page's navigation chrome as well (MIME_HTML_PAGE).
 */
#include "apptrack/webtext.h"

#include "apptrack/error.h"
#include "apptrack/mime.h"
#include "apptrack/version.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#define USER_AGENT "apptrack/" APPTRACK_VERSION
#define ACCEPT_HEADER "Accept: text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.1"
#define CHARSET_PRESCAN 1024 /* bytes of HTML searched for a <meta> charset, as browsers do */
#define MAX_CHARSET_NAME 40  /* longer "charset" values are not names */
#define MAX_REASON 80        /* bytes of an HTTP reason phrase kept for messages */
#define MAX_SHOWN_TYPE 60    /* bytes of a refused content type shown */
#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

enum body_kind { BODY_UNKNOWN, BODY_HTML, BODY_TEXT, BODY_REFUSED };

/* Media types read; "" is an answer without Content-Type. Everything else is refused. */
static const struct {
	const char *media;
	enum body_kind kind;
} media_kinds[] = {
	{ "text/html", BODY_HTML },
	{ "application/xhtml+xml", BODY_HTML },
	{ "text/plain", BODY_TEXT },
	{ "", BODY_TEXT },
};

/* Charset labels read as another charset, as browsers do (WHATWG Encoding): pages that say
 * Latin-1 or ASCII are in practice Windows-1252, curly quotes and all. */
static const struct {
	const char *label;
	const char *charset;
} charset_aliases[] = {
	{ "utf8", "UTF-8" },          { "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "us-ascii", "WINDOWS-1252" },   { "ascii", "WINDOWS-1252" },
};

/* Byte order marks; one wins over any label. */
static const struct {
	const char *bytes;
	size_t len;
	const char *charset;
} boms[] = {
	{ "\xEF\xBB\xBF", 3, "UTF-8" },
	{ "\xFF\xFE", 2, "UTF-16LE" },
	{ "\xFE\xFF", 2, "UTF-16BE" },
};

/* How curl's failures read. The detail from curl's error buffer follows in parentheses
 * when with_detail. HTTP status, size and content-type failures are handled apart. */
static const struct {
	CURLcode code;
	int err;
	const char *what;
	bool with_detail;
} curl_failures[] = {
	{ CURLE_UNSUPPORTED_PROTOCOL, -EINVAL, "redirected to a URL that is not http:// or https://", true },
	{ CURLE_URL_MALFORMAT, -EINVAL, "malformed URL", true },
	{ CURLE_COULDNT_RESOLVE_PROXY, -EHOSTUNREACH, "cannot resolve the proxy's host name", true },
	{ CURLE_COULDNT_RESOLVE_HOST, -EHOSTUNREACH, "cannot resolve the host name", true },
	{ CURLE_COULDNT_CONNECT, -ECONNREFUSED, "cannot connect", true },
	{ CURLE_OPERATION_TIMEDOUT, -ETIMEDOUT, "timed out", true },
	{ CURLE_TOO_MANY_REDIRECTS, -ELOOP, "more than " G_STRINGIFY(WEBTEXT_MAX_REDIRECTS) " redirects", false },
	{ CURLE_SSL_CONNECT_ERROR, -EPROTO, "TLS handshake failed", true },
	{ CURLE_SSL_CIPHER, -EPROTO, "TLS handshake failed", true },
	{ CURLE_PEER_FAILED_VERIFICATION, -EPROTO, "TLS certificate not trusted", true },
	{ CURLE_SSL_ISSUER_ERROR, -EPROTO, "TLS certificate not trusted", true },
	{ CURLE_SSL_INVALIDCERTSTATUS, -EPROTO, "TLS certificate status is not valid", true },
	{ CURLE_SSL_CACERT_BADFILE, -EPROTO, "TLS problem: cannot read the trusted CA certificates", true },
	{ CURLE_SSL_CRL_BADFILE, -EPROTO, "TLS problem: cannot read the certificate revocation list", true },
	{ CURLE_SSL_SHUTDOWN_FAILED, -EPROTO, "TLS problem at the end of the connection", true },
	{ CURLE_GOT_NOTHING, -EIO, "the server closed the connection without answering", true },
	{ CURLE_WEIRD_SERVER_REPLY, -EIO, "the server's answer is not HTTP", true },
	{ CURLE_SEND_ERROR, -EIO, "the connection broke off", true },
	{ CURLE_RECV_ERROR, -EIO, "the connection broke off", true },
	{ CURLE_PARTIAL_FILE, -EIO, "the answer was cut short", true },
	{ CURLE_BAD_CONTENT_ENCODING, -EIO, "cannot decode the compressed answer", true },
};

/* State of one transfer, shared with the callbacks. */
struct transfer {
	CURL *curl;
	GString *body;
	size_t max_body;
	enum body_kind kind;     /* decided at the first body bytes */
	char *media;             /* lower-case media type of the answer ("" when none) */
	char *charset;           /* its charset parameter, or NULL */
	bool bad_status;         /* the body of a non-2xx answer began: stopped */
	bool too_large;          /* stopped at max_body */
	char reason[MAX_REASON]; /* reason phrase of the last status line */
};

static gpointer global_init(gpointer unused)
{
	(void)unused;
	return GINT_TO_POINTER((int)curl_global_init(CURL_GLOBAL_DEFAULT));
}

/* "5 MiB", "64 KiB", "1000 bytes". g_free. */
static char *size_text(size_t n)
{
	if (n && n % MIB == 0)
		return g_strdup_printf("%zu MiB", n / MIB);
	if (n && n % KIB == 0)
		return g_strdup_printf("%zu KiB", n / KIB);
	return g_strdup_printf("%zu bytes", n);
}

/* Checks that url is an http(s) URL curl can parse. *ret_shown (g_free) gets the URL as
 * messages show it: as given, or without its password when it has one. */
static int check_url(const char *url, char **ret_shown, GError **error)
{
	CURLU *u;
	CURLUcode rc;
	char *password = NULL, *shown = NULL;

	if (!url || !*url)
		return at_error_set(error, -EINVAL, "empty URL: give an http:// or https:// address");
	if (g_ascii_strncasecmp(url, "http://", strlen("http://")) != 0 &&
	    g_ascii_strncasecmp(url, "https://", strlen("https://")) != 0)
		return at_error_set(error, -EINVAL, "\"%s\" is not an http:// or https:// URL", url);
	u = curl_url();
	if (!u)
		return at_error_set(error, -ENOMEM, "out of memory");
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc != CURLUE_OK) {
		curl_url_cleanup(u);
#if LIBCURL_VERSION_NUM >= 0x075000 /* 7.80 */
		return at_error_set(error, -EINVAL, "\"%s\" is not a valid URL (%s)", url,
				    curl_url_strerror(rc));
#else
		return at_error_set(error, -EINVAL, "\"%s\" is not a valid URL", url);
#endif
	}
	if (curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK && password &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &shown, 0) == CURLUE_OK) {
		*ret_shown = g_strdup(shown);
	} else {
		*ret_shown = g_strdup(url);
	}
	curl_free(password);
	curl_free(shown);
	curl_url_cleanup(u);
	return 0;
}

/* Splits a Content-Type value into its lower-case media type and its charset (or NULL). */
static void content_type_parse(const char *value, char **ret_media, char **ret_charset)
{
	*ret_charset = NULL;
	if (!value || !*value) {
		*ret_media = g_strdup("");
		return;
	}
	g_auto(GStrv) parts = g_strsplit(value, ";", -1);
	*ret_media = g_ascii_strdown(g_strstrip(parts[0]), -1);
	for (size_t i = 1; parts[i]; i++) {
		char *p = g_strstrip(parts[i]);
		if (g_ascii_strncasecmp(p, "charset", strlen("charset")) != 0)
			continue;
		p = g_strchug(p + strlen("charset"));
		if (*p != '=')
			continue;
		p = g_strstrip(p + 1);
		size_t n = strlen(p);
		if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
			p[n - 1] = '\0';
			p++;
		}
		if (*p)
			*ret_charset = g_strdup(p);
		return;
	}
}

static enum body_kind kind_of(const char *media)
{
	for (size_t i = 0; i < G_N_ELEMENTS(media_kinds); i++)
		if (strcmp(media, media_kinds[i].media) == 0)
			return media_kinds[i].kind;
	return BODY_REFUSED;
}

/* Keeps the reason phrase of each status line ("HTTP/1.1 404 Not Found"). */
static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	struct transfer *t = user;
	size_t len = size * n, i = 0, k = 0;

	if (len < strlen("HTTP/") || memcmp(data, "HTTP/", strlen("HTTP/")) != 0)
		return len;
	while (i < len && data[i] != ' ') /* version */
		i++;
	while (i < len && data[i] == ' ')
		i++;
	while (i < len && g_ascii_isdigit(data[i])) /* status code */
		i++;
	while (i < len && data[i] == ' ')
		i++;
	for (; i < len && data[i] != '\r' && data[i] != '\n' && k + 1 < sizeof t->reason; i++)
		t->reason[k++] = g_ascii_isprint(data[i]) ? data[i] : '?';
	t->reason[k] = '\0';
	return len;
}

/* Collects the body; returning less than given stops the transfer (CURLE_WRITE_ERROR). */
static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct transfer *t = user;
	size_t len = size * n;

	if (t->kind == BODY_UNKNOWN) {
		long status = 0;
		char *type = NULL;
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299) {
			t->bad_status = true;
			return 0;
		}
		curl_easy_getinfo(t->curl, CURLINFO_CONTENT_TYPE, &type);
		content_type_parse(type, &t->media, &t->charset);
		t->kind = kind_of(t->media);
	}
	if (t->kind == BODY_REFUSED)
		return 0;
	if (len > t->max_body - t->body->len) {
		t->too_large = true;
		return 0;
	}
	g_string_append_len(t->body, data, (gssize)len);
	return len;
}

/* The charset a <meta> tag near the top of an HTML page names, or NULL. g_free. */
static char *html_meta_charset(const char *body, size_t len)
{
	g_autofree char *head = g_ascii_strdown(body, (gssize)MIN(len, CHARSET_PRESCAN));
	const char *meta = head;

	while ((meta = strstr(meta, "<meta"))) {
		const char *end = strchr(meta, '>');
		const char *p = meta + strlen("<meta");
		meta = p;
		while ((p = strstr(p, "charset")) && (!end || p < end)) {
			p += strlen("charset");
			while (g_ascii_isspace(*p))
				p++;
			if (*p != '=')
				continue;
			p++;
			while (g_ascii_isspace(*p) || *p == '"' || *p == '\'')
				p++;
			size_t k = 0;
			while (p[k] && (g_ascii_isalnum(p[k]) || strchr("-_.:", p[k])))
				k++;
			if (k > 0 && k < MAX_CHARSET_NAME)
				return g_strndup(p, k);
		}
	}
	return NULL;
}

/* data in charset (NULL: UTF-8) as validated UTF-8. *ret_text: g_free, *ret_len its length. */
static int to_utf8(const char *shown, const char *data, size_t len, const char *charset, char **ret_text,
		   size_t *ret_len, GError **error)
{
	const char *from = charset ? charset : "UTF-8";
	g_autoptr(GError) conv_error = NULL;
	char *out;
	gsize written = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(charset_aliases); i++)
		if (g_ascii_strcasecmp(from, charset_aliases[i].label) == 0)
			from = charset_aliases[i].charset;
	if (g_ascii_strcasecmp(from, "UTF-8") == 0) {
		out = g_strndup(data, len);
		written = len;
	} else {
		GIConv cd = g_iconv_open("UTF-8", from);
		if (cd == (GIConv)-1)
			return at_error_set(error, -EILSEQ,
					    "GET %s: the page is in an unknown charset \"%s\"", shown,
					    charset);
		g_iconv_close(cd);
		out = g_convert(data, (gssize)len, "UTF-8", from, NULL, &written, &conv_error);
		if (!out)
			return at_error_set(error, -EILSEQ, "GET %s: the page is not valid %s text (%s)",
					    shown, charset, conv_error->message);
	}
	/* a NUL byte fails validation too: the text must stay a C string */
	if (!g_utf8_validate(out, (gssize)written, NULL)) {
		g_free(out);
		return at_error_set(error, -EILSEQ, "GET %s: the page is not valid %s text", shown,
				    charset ? charset : "UTF-8");
	}
	*ret_text = out;
	*ret_len = written;
	return 0;
}

/* Plain text with CRLF line ends, trailing blanks and runs of blank lines tidied. g_free. */
static char *tidy_text(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);
	bool gap = false;

	for (size_t i = 0; lines[i]; i++) {
		g_strchomp(lines[i]);
		if (!*lines[i]) {
			gap = out->len > 0;
			continue;
		}
		if (gap)
			g_string_append_c(out, '\n');
		gap = false;
		g_string_append(out, lines[i]);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* The readable text of a fetched body. */
static int body_to_text(const char *shown, const struct transfer *t, char **ret_text, GError **error)
{
	const char *data = t->body->str, *charset = t->charset;
	size_t len = t->body->len, utf8_len = 0;
	g_autofree char *meta_charset = NULL, *utf8 = NULL;
	char *text;
	int r;

	for (size_t i = 0; i < G_N_ELEMENTS(boms); i++)
		if (len >= boms[i].len && memcmp(data, boms[i].bytes, boms[i].len) == 0) {
			charset = boms[i].charset;
			data += boms[i].len;
			len -= boms[i].len;
			break;
		}
	if (!charset && t->kind == BODY_HTML)
		charset = meta_charset = html_meta_charset(data, len);
	if ((r = to_utf8(shown, data, len, charset, &utf8, &utf8_len, error)) < 0)
		return r;
	text = t->kind == BODY_HTML ? mime_html_to_text_with(utf8, utf8_len, MIME_HTML_PAGE) : tidy_text(utf8);
	if (!*text) {
		g_free(text);
		return at_error_set(error, -ENODATA, "GET %s: the page has no readable text", shown);
	}
	*ret_text = text;
	return 0;
}

/* The error of a finished transfer that did not give a usable body, or 0. */
static int transfer_error(const char *shown, const struct transfer *t, CURLcode res, const char *detail,
			  GError **error)
{
	long status = 0;

	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (t->bad_status || (res == CURLE_OK && (status < 200 || status > 299))) {
		int err = status == 404 || status == 410 ? -ENOENT : -EIO;
		return at_error_set(error, err, "GET %s: the server answered %ld%s%s", shown, status,
				    t->reason[0] ? " " : "", t->reason);
	}
	if (t->too_large || res == CURLE_FILESIZE_EXCEEDED) {
		g_autofree char *limit = size_text(t->max_body);
		return at_error_set(error, -E2BIG, "GET %s: the page is larger than %s", shown, limit);
	}
	if (t->kind == BODY_REFUSED)
		return at_error_set(error, -ENOTSUP,
				    "GET %s: the server sent %.*s, not an HTML page or plain text", shown,
				    MAX_SHOWN_TYPE, t->media);
	if (res != CURLE_OK) {
		for (size_t i = 0; i < G_N_ELEMENTS(curl_failures); i++)
			if (curl_failures[i].code == res) {
				if (!curl_failures[i].with_detail)
					return at_error_set(error, curl_failures[i].err, "GET %s: %s", shown,
							    curl_failures[i].what);
				return at_error_set(error, curl_failures[i].err, "GET %s: %s (%s)", shown,
						    curl_failures[i].what, detail);
			}
		return at_error_set(error, -EIO, "GET %s: %s", shown, detail);
	}
	if (t->body->len == 0)
		return at_error_set(error, -ENODATA, "GET %s: the server sent an empty page", shown);
	return 0;
}

int webtext_fetch(const char *url, const struct webtext_options *opts, char **ret_text, char **ret_final_url,
		  GError **error)
{
	static GOnce once = G_ONCE_INIT;
	static const struct webtext_options defaults = { 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	g_autofree char *shown = NULL;
	struct curl_slist *headers = NULL;
	struct transfer t = { 0 };
	char *text = NULL;
	CURLcode res;
	int r;

	g_return_val_if_fail(ret_text, -EINVAL);
	if (!opts)
		opts = &defaults;
	if ((r = check_url(url, &shown, error)) < 0)
		return r;
	if ((CURLcode)GPOINTER_TO_INT(g_once(&once, global_init, NULL)) != CURLE_OK)
		return at_error_set(error, -EIO, "GET %s: libcurl cannot be initialised", shown);
	t.curl = curl_easy_init();
	if (!t.curl)
		return at_error_set(error, -ENOMEM, "GET %s: libcurl cannot be initialised", shown);
	t.body = g_string_new(NULL);
	t.max_body = opts->max_body ? opts->max_body : WEBTEXT_MAX_BODY;
	headers = curl_slist_append(NULL, ACCEPT_HEADER);

	curl_easy_setopt(t.curl, CURLOPT_URL, url);
	curl_easy_setopt(t.curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(t.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t.curl, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(t.curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(t.curl, CURLOPT_ACCEPT_ENCODING, ""); /* whatever curl can decode */
	curl_easy_setopt(t.curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(t.curl, CURLOPT_MAXREDIRS, (long)WEBTEXT_MAX_REDIRECTS);
	curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT_MS,
			 opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
						      : (long)WEBTEXT_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(t.curl, CURLOPT_TIMEOUT_MS,
			 opts->timeout_ms > 0 ? opts->timeout_ms : (long)WEBTEXT_TIMEOUT_MS);
	curl_easy_setopt(t.curl, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)t.max_body); /* refuses a long Content-Length early */
	curl_easy_setopt(t.curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(t.curl, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(t.curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(t.curl, CURLOPT_WRITEDATA, &t);
	/* a redirect must not lead to file:// or any other scheme */
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85 */
	res = curl_easy_setopt(t.curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (res == CURLE_OK)
		res = curl_easy_setopt(t.curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	res = curl_easy_setopt(t.curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	if (res == CURLE_OK)
		res = curl_easy_setopt(t.curl, CURLOPT_REDIR_PROTOCOLS,
				       (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (res == CURLE_OK && opts->ca_file)
		res = curl_easy_setopt(t.curl, CURLOPT_CAINFO, opts->ca_file);
	if (res != CURLE_OK || !headers) {
		r = at_error_set(error, -EIO, "GET %s: libcurl cannot be set up (%s)", shown,
				 curl_easy_strerror(res));
		goto out;
	}

	res = curl_easy_perform(t.curl);
	if ((r = transfer_error(shown, &t, res, errbuf[0] ? errbuf : curl_easy_strerror(res), error)) < 0)
		goto out;
	if ((r = body_to_text(shown, &t, &text, error)) < 0)
		goto out;
	if (ret_final_url) {
		char *effective = NULL;
		curl_easy_getinfo(t.curl, CURLINFO_EFFECTIVE_URL, &effective);
		*ret_final_url = g_strdup(effective ? effective : url);
	}
	*ret_text = text;
out:
	curl_easy_cleanup(t.curl);
	curl_slist_free_all(headers);
	g_string_free(t.body, TRUE);
	g_free(t.media);
	g_free(t.charset);
	return r;
}
