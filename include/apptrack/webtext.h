/* SPDX-License-Identifier: GPL-3.0-or-later */
/* webtext.h - a job posting fetched from an http:// or https:// URL, as readable text.
 *
 * One blocking GET with libcurl: certificates verified, redirects followed (at most
 * WEBTEXT_MAX_REDIRECTS, http and https only), every resource bounded (connect and total
 * timeouts, body size). HTML pages (text/html, application/xhtml+xml) become text through
 * mime_html_to_text() once the page's navigation chrome (nav, aside, footer, forms' buttons
 * and selects, noscript, svg) is removed; text/plain, or no type at all, is kept as it is,
 * with line ends and blank lines tidied. The charset comes from the Content-Type header,
 * else a byte order mark, else (HTML) a <meta> charset near the top, else UTF-8.
 *
 * The caller's environment applies as for any curl program: http_proxy, https_proxy,
 * no_proxy and the system's CA certificates. apptrackctl calls it, not the daemon (see
 * docs/decisions.md). Thread-safe: curl_global_init runs once, inside the module.
 */
#ifndef APPTRACK_WEBTEXT_H
#define APPTRACK_WEBTEXT_H

#include <glib.h>
#include <stddef.h>

#define WEBTEXT_CONNECT_TIMEOUT_MS (10 * 1000) /* to resolve and connect (TLS included) */
#define WEBTEXT_TIMEOUT_MS (30 * 1000)         /* for the whole transfer, redirects included */
#define WEBTEXT_MAX_REDIRECTS 5
#define WEBTEXT_MAX_BODY ((size_t)5 << 20) /* bytes of (decoded) body read at most */

/* Overrides for tests; a zero or NULL member means the default above. */
struct webtext_options {
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_body;
	const char *ca_file; /* PEM bundle of trusted CAs instead of the system's */
};

/* Fetches url (http:// or https:// only) and turns the body into readable UTF-8 text.
 * opts may be NULL for the defaults. On success *ret_text (g_free) gets the text, never
 * empty, and *ret_final_url (g_free; ret_final_url may be NULL) the URL after redirects.
 * On failure both are untouched and *error holds one line that names url and the problem
 * ("GET https://x/y: the server answered 404 Not Found"). Errors:
 *   -EINVAL        url is not an http:// or https:// URL, or a redirect left those schemes
 *   -ENOENT        the server answered 404 or 410
 *   -EIO           any other HTTP error status, or the connection broke off
 *   -EHOSTUNREACH  the host (or proxy) name does not resolve
 *   -ECONNREFUSED  cannot connect
 *   -ETIMEDOUT     over a timeout
 *   -EPROTO        TLS failure: handshake, untrusted certificate, unreadable CA file
 *   -ELOOP         more than WEBTEXT_MAX_REDIRECTS redirects
 *   -E2BIG         the body is larger than the limit (reading stops there)
 *   -ENODATA       empty body, or a page with no readable text
 *   -ENOTSUP       a content type that is not HTML or plain text (PDF, images, ...)
 *   -EILSEQ        an unknown charset, or bytes that are not valid in it
 */
int webtext_fetch(const char *url, const struct webtext_options *opts, char **ret_text, char **ret_final_url,
		  GError **error);

#endif
