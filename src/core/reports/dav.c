/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dav.c - WebDAV requests to the user's calendar server; see dav.h. Owns no table. */
#include "apptrack/dav.h"

#include "apptrack/error.h"
#include "apptrack/version.h"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

#define USER_AGENT "apptrack/" APPTRACK_VERSION
#define MAX_ETAG 256 /* longer ETag headers are not kept */

struct dav {
	CURL *curl;
	char *url;      /* of the collection, ending with '/' */
	char *user;
	char *password; /* overwritten when freed */
	const gint *cancel; /* dav_set_cancel() */
};

/* One request's answer. */
struct answer {
	GByteArray *body;
	bool too_long;  /* cut at DAV_MAX_BODY */
	char *etag;
	char *location;
	long status;
};

struct dav *dav_new(const char *url, const char *user, const char *password)
{
	struct dav *d = g_new0(struct dav, 1);

	d->curl = curl_easy_init();
	d->url = g_str_has_suffix(url, "/") ? g_strdup(url) : g_strconcat(url, "/", NULL);
	d->user = g_strdup(user);
	d->password = g_strdup(password);
	return d;
}

void dav_set_cancel(struct dav *d, const gint *cancel)
{
	d->cancel = cancel;
}

/* libcurl's progress callback, at least once a second: non-zero aborts the transfer. */
static int on_progress(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const struct dav *d = data;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return d->cancel && g_atomic_int_get(d->cancel);
}

void dav_free(struct dav *d)
{
	if (!d)
		return;
	if (d->password)
		memset(d->password, 0, strlen(d->password));
	g_free(d->password);
	g_free(d->user);
	g_free(d->url);
	if (d->curl)
		curl_easy_cleanup(d->curl);
	g_free(d);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct answer *a = user;

	if (a->body->len + size * n > DAV_MAX_BODY) {
		a->too_long = true;
		return 0; /* CURLE_WRITE_ERROR: the transfer stops here */
	}
	g_byte_array_append(a->body, (const guint8 *)data, (guint)(size * n));
	return size * n;
}

/* The value of header name in the line data (len bytes), trimmed, or NULL. g_free. */
static char *header_value(const char *data, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (len <= n || g_ascii_strncasecmp(data, name, n) != 0 || data[n] != ':' || len - n > MAX_ETAG + 2)
		return NULL;
	return g_strstrip(g_strndup(data + n + 1, len - n - 1));
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	struct answer *a = user;
	char *v;

	if (n && (v = header_value(data, size * n, "ETag"))) {
		g_free(a->etag);
		a->etag = v;
	} else if (n && (v = header_value(data, size * n, "Location"))) {
		g_free(a->location);
		a->location = v;
	}
	return size * n;
}

/* Makes one request of the resource name ("" for the collection) and reads the answer
 * into *a (clear it with answer_clear). Transport failures are errors; any HTTP status is
 * left to the caller. */
static int request(struct dav *d, const char *method, const char *name, const char *body, size_t len,
		   struct curl_slist *headers, struct answer *a, GError **error)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	g_autofree char *url = g_strconcat(d->url, name, NULL);
	CURL *c = d->curl;

	*a = (struct answer){ .body = g_byte_array_new() };
	curl_easy_reset(c); /* the connection stays open for the next request */
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)DAV_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)DAV_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)DAV_STALL_SECONDS);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DAV_MAX_BODY);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, d);
#if CURL_AT_LEAST_VERSION(7, 85, 0)
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (d->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, d->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, d->password ? d->password : "");
	}
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	CURLcode res = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	if (res == CURLE_OK)
		return 0;
	if (res == CURLE_ABORTED_BY_CALLBACK)
		return at_error_set(error, -ECANCELED, "CalDAV server %s: %s given up: apptrackd is stopping", d->url,
				    method);
	if (a->too_long || res == CURLE_FILESIZE_EXCEEDED)
		return at_error_set(error, -EFBIG,
				    "CalDAV server %s: its answer to %s is longer than %zu MiB: cut off (not a calendar "
				    "server, or a broken one)",
				    d->url, method, DAV_MAX_BODY >> 20);
	int err = res == CURLE_OPERATION_TIMEDOUT				? -ETIMEDOUT
		  : res == CURLE_COULDNT_CONNECT				? -ECONNREFUSED
		  : res == CURLE_COULDNT_RESOLVE_HOST				? -EHOSTUNREACH
		  : res == CURLE_PEER_FAILED_VERIFICATION || res == CURLE_SSL_CONNECT_ERROR ? -EPROTO
											: -EIO;
	return at_error_set(error, err, "CalDAV server %s: %s failed: %s", d->url, method,
			    *errbuf ? errbuf : curl_easy_strerror(res));
}

static void answer_clear(struct answer *a)
{
	if (a->body)
		g_byte_array_unref(a->body);
	g_free(a->etag);
	g_free(a->location);
	*a = (struct answer){ 0 };
}

/* An HTTP status that is not what was hoped for, as one message. */
static int status_error(struct dav *d, const char *method, const char *name, const struct answer *a, GError **error)
{
	if (a->status == 401 || a->status == 403)
		return at_error_set(error, -EACCES,
				    "CalDAV server %s refused the user name or password of [caldav] (HTTP %ld to %s)", d->url,
				    a->status, method);
	if (a->status == 412)
		return at_error_set(error, -EEXIST, "CalDAV server %s: %s%s changed on the server (HTTP 412)", d->url,
				    d->url, name);
	if (a->status >= 300 && a->status < 400)
		return at_error_set(error, -EPROTO,
				    "CalDAV server %s answered %s with a redirect (HTTP %ld%s%.200s): set [caldav] url to "
				    "the collection's own address",
				    d->url, method, a->status, a->location ? " to " : "", a->location ? a->location : "");
	return at_error_set(error, a->status == 404 ? -ENOENT : -EPROTO, "CalDAV server %s answered HTTP %ld to %s %s%s",
			    d->url, a->status, method, d->url, name);
}

int dav_put(struct dav *d, const char *name, const char *body, size_t len, const char *if_match, char **ret_etag,
	    GError **error)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: text/calendar; charset=utf-8");
	g_autofree char *cond = !if_match ? NULL
				: *if_match ? g_strdup_printf("If-Match: %s", if_match)
					    : g_strdup("If-None-Match: *");
	struct answer a;
	int r;

	if (cond)
		h = curl_slist_append(h, cond);
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
	r = request(d, "PUT", name, body, len, h, &a, error);
	curl_slist_free_all(h);
	if (r >= 0 && (a.status < 200 || a.status >= 300))
		r = status_error(d, "PUT", name, &a, error);
	if (r >= 0 && ret_etag)
		*ret_etag = g_steal_pointer(&a.etag);
	answer_clear(&a);
	return r;
}

int dav_delete(struct dav *d, const char *name, const char *if_match, GError **error)
{
	g_autofree char *cond = if_match ? g_strdup_printf("If-Match: %s", if_match) : NULL;
	struct curl_slist *h = cond ? curl_slist_append(NULL, cond) : NULL;
	struct answer a;
	int r = request(d, "DELETE", name, NULL, 0, h, &a, error);

	curl_slist_free_all(h);
	if (r >= 0 && a.status != 404 && (a.status < 200 || a.status >= 300))
		r = status_error(d, "DELETE", name, &a, error);
	answer_clear(&a);
	return r;
}

static bool is_dav(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href && strcmp((const char *)n->ns->href, "DAV:") == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_dav(c, name))
			return c;
	return NULL;
}

/* The text of n, stripped: g_free. */
static char *text_of(const xmlNode *n)
{
	xmlChar *x = xmlNodeGetContent(n);
	char *t = g_strstrip(g_strdup(x ? (const char *)x : ""));

	xmlFree(x);
	return t;
}

/* Whether n has no <status> child or one saying "HTTP/1.1 2xx" (RFC 4918 14.28). */
static bool status_ok(const xmlNode *n)
{
	const xmlNode *st = child(n, "status");
	g_autofree char *text = st ? text_of(st) : NULL;
	const char *sp = text ? strchr(text, ' ') : NULL;

	return !st || (sp && sp[1] == '2' && g_ascii_isdigit(sp[2]) && g_ascii_isdigit(sp[3]));
}

/* The resource name in an href (a path or an absolute URL): its last segment, unescaped, or
 * NULL when it is none that may be used as a file or resource name: empty (the collection,
 * or a subcollection, whose href ends with '/'), "." or "..", with '/' or a control
 * character once unescaped (%2F, %00), or not UTF-8. g_free. */
static char *href_name(const char *href)
{
	g_autofree char *path = g_strndup(href, strcspn(href, "?#"));
	const char *slash = strrchr(path, '/');
	char *name = g_uri_unescape_string(slash ? slash + 1 : path, "/");

	if (!name || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || !g_utf8_validate(name, -1, NULL)) {
		g_free(name);
		return NULL;
	}
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			g_free(name);
			return NULL;
		}
	return name;
}

/* Whether an ETag may be sent back in an If-Match header: printable ASCII, not too long. */
static bool etag_usable(const char *etag)
{
	size_t n = 0;

	for (const char *p = etag; *p; p++, n++)
		if (*p < 0x20 || *p >= 0x7f || n >= MAX_ETAG)
			return false;
	return true;
}

/* One <response>: its name (see href_name()) and ETag, unless it is a collection (the
 * collection itself, or one inside) or the server says it is not there. */
static void take_response(const xmlNode *resp, GHashTable *etags)
{
	const xmlNode *href = child(resp, "href");
	g_autofree char *text = href ? text_of(href) : NULL;
	g_autofree char *name = text ? href_name(text) : NULL;
	g_autofree char *etag = NULL;

	if (!name || !status_ok(resp))
		return;
	for (const xmlNode *ps = resp->children; ps; ps = ps->next) {
		if (!is_dav(ps, "propstat") || !status_ok(ps))
			continue;
		const xmlNode *prop = child(ps, "prop");
		const xmlNode *tag = child(prop, "getetag");
		if (tag && !etag) {
			etag = text_of(tag);
			if (!etag_usable(etag))
				etag[0] = '\0'; /* not known: PUT over it without a condition */
		}
		const xmlNode *rt = child(prop, "resourcetype");
		if (rt && child(rt, "collection"))
			return;
	}
	g_hash_table_replace(etags, g_steal_pointer(&name), g_strdup(etag ? etag : ""));
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

int dav_parse_multistatus(const char *body, size_t len, const char *url_for_messages, GHashTable **ret_etags,
			  GError **error)
{
	/* XML_PARSE_NOERROR quiets the parser, not the encoding converters, which would print
	 * to stderr for bytes that fail the declared encoding: their handler is the calling
	 * thread's, so it is set to nothing around the parse. */
	xmlGenericErrorFunc old_handler = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;

	xmlSetGenericErrorFunc(NULL, quiet);
	/* No XML_PARSE_HUGE: libxml2's limits on depth (256) and on a text node (10 MB) hold;
	 * no XML_PARSE_NOENT or DTDLOAD: no entity is substituted, nothing is fetched. */
	xmlDoc *doc = len <= INT_MAX ? xmlReadMemory(body, (int)len, "propfind.xml", NULL,
						      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
				     : NULL;
	xmlSetGenericErrorFunc(old_ctx, old_handler);
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	/* a multistatus has no DTD: one in the answer is refused rather than its entities read */
	if (!root || !is_dav(root, "multistatus") || doc->intSubset || doc->extSubset) {
		if (doc)
			xmlFreeDoc(doc);
		return at_error_set(error, -EPROTO,
				    "CalDAV server %s: its answer to PROPFIND is not a WebDAV multistatus (%zu bytes of "
				    "something else): is url a calendar collection?",
				    url_for_messages, len);
	}
	GHashTable *etags = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (const xmlNode *n = root->children; n; n = n->next)
		if (is_dav(n, "response"))
			take_response(n, etags);
	xmlFreeDoc(doc);
	*ret_etags = etags;
	return 0;
}

int dav_list(struct dav *d, GHashTable **ret_etags, GError **error)
{
	static const char query[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
				    "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>\n";
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/xml; charset=utf-8");
	struct answer a;
	int r;

	h = curl_slist_append(h, "Depth: 1");
	r = request(d, "PROPFIND", "", query, strlen(query), h, &a, error);
	curl_slist_free_all(h);
	if (r >= 0 && a.status != 207)
		r = status_error(d, "PROPFIND", "", &a, error);
	if (r >= 0)
		r = dav_parse_multistatus((const char *)a.body->data, a.body->len, d->url, ret_etags, error);
	answer_clear(&a);
	return r;
}
