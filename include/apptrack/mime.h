/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime.h - a raw RFC 5322 / MIME message turned into what the rules need.
 *
 * libetpan parses the message and its MIME tree and decodes transfer encodings
 * (quoted-printable, base64), charsets (through iconv: UTF-8, ISO-8859-1, Windows-1252 and
 * the rest) and RFC 2047 encoded words in headers; libxml2's HTML parser turns HTML-only
 * mail into readable text. Every string in a struct mime_message is valid UTF-8: bytes
 * that cannot be decoded are replaced, never passed on. Malformed mail degrades (a
 * missing header is NULL, an undecodable part is skipped) rather than failing; only input
 * that is not a message at all fails. Before libetpan sees a message, a linear scan of its
 * structure holds it to the MIME_MAX_* bounds below, so that no message can exhaust the
 * stack (libetpan's parser recurses once per nesting level) or take long to parse.
 */
#ifndef APPTRACK_MIME_H
#define APPTRACK_MIME_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on the work one message may cause. Mail is written by strangers: past any of
 * these, mime_parse() reads the top-level header only (when it is itself within bounds)
 * and says why in `refused`, before libetpan sees the body. */
#define MIME_MAX_MESSAGE ((size_t)32 << 20)    /* larger messages are refused whole */
#define MIME_MAX_DEPTH 32                      /* multipart and message levels nested */
#define MIME_MAX_CONTAINERS (8 * MIME_MAX_DEPTH) /* multipart and message parts declared in all */
#define MIME_MAX_PARTS 1000                    /* body parts */
#define MIME_MAX_HEADER_FIELDS 1000            /* fields in one header block */
#define MIME_MAX_HEADER_BYTES ((size_t)256 << 10) /* bytes of one header block */
#define MIME_MAX_PART_TEXT ((size_t)1 << 20)   /* decoded bytes kept of one text or HTML part */
#define MIME_MAX_TEXT ((size_t)1 << 20)        /* readable body text kept in all, bytes */
#define MIME_MAX_LINKS 100                     /* links kept of one message */
#define MIME_MAX_LINK ((size_t)2 << 10)        /* bytes of one link; longer ones are dropped */
#define MIME_MAX_CALENDAR ((size_t)256 << 10)  /* decoded bytes of the first calendar part; a larger
						* one is not kept (an invitation is a few KiB) */

struct mime_message {
	char *message_id;   /* without <>, or NULL */
	char *in_reply_to;  /* first id, without <>, or NULL */
	char **references;  /* NULL-terminated ids without <>; never NULL */
	char *from_name;    /* decoded display name, or NULL */
	char *from_address; /* addr-spec, lower-cased, or NULL */
	char *subject;      /* decoded, or NULL */
	int64_t date;       /* Unix seconds, 0 when missing or unreadable */
	char *text;         /* readable body: text/plain parts, else HTML made text; never NULL */
	bool html_only;     /* text came from HTML */
	char **links;       /* NULL-terminated http and https URLs, in the order found: the
			     * hrefs of the HTML parts, then the URLs written in the plain-text
			     * parts; deduplicated, at most MIME_MAX_LINKS of at most
			     * MIME_MAX_LINK bytes each; never NULL */
	bool has_calendar;  /* a text/calendar or application/ics part, attached or not */
	char *calendar;     /* the first such part decoded (transfer encoding and charset), as UTF-8, or
			     * NULL: none, or larger than MIME_MAX_CALENDAR (calendar_refused says so) */
	size_t calendar_len;
	bool calendar_refused; /* the first calendar part was larger than MIME_MAX_CALENDAR */
	char *refused;      /* why the body was not read (past a bound above), or NULL */
};

/* Parses raw. *ret_message: free with mime_message_free. -EINVAL for empty input or no
 * header at all, -E2BIG over MIME_MAX_MESSAGE. A message past one of the other bounds is
 * not an error: it comes back with `refused` set, an empty text, no links, and the
 * top-level header's fields when that header is itself within bounds. */
int mime_parse(const char *raw, size_t len, struct mime_message **ret_message, GError **error);
void mime_message_free(struct mime_message *m);
typedef struct mime_message mime_message;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mime_message, mime_message_free)

/* What mime_html_to_text_with() drops besides scripts, styles and the head. */
enum mime_html_flags {
	MIME_HTML_MAIL = 0,      /* nothing more: a mail's HTML part */
	MIME_HTML_PAGE = 1 << 0, /* a web page's chrome too: nav, aside, footer, noscript,
				  * template, svg, select, button */
};

/* Readable text of an HTML document (UTF-8 or declared charset): scripts, styles and the
 * head dropped (and what flags add), block elements on their own lines, whitespace
 * collapsed. g_free. */
char *mime_html_to_text_with(const char *html, size_t len, unsigned flags);
/* mime_html_to_text_with(html, len, MIME_HTML_MAIL). */
char *mime_html_to_text(const char *html, size_t len);

#endif
