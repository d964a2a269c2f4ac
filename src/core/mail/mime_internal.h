/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime_internal.h - what the files of the mail reader share (mime.h is the API).
 *
 * mime_bounds.c holds a raw message to the MIME_MAX_* bounds before libetpan sees it;
 * mime.c reads it with libetpan (header fields, the MIME tree, charsets and transfer
 * encodings) and collects its text parts; mime_text.c makes the readable text and the
 * links of those parts (libxml2 for HTML).
 */
#ifndef APPTRACK_MIME_INTERNAL_H
#define APPTRACK_MIME_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* At most max bytes of s, cut before a UTF-8 character that would not fit. */
static inline size_t mime_utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Holds len bytes of raw mail to the bounds. Returns NULL, or why it is past one (g_free);
 * *ret_header_end is just past the top-level header block when that block was read within
 * bounds, else 0. (mime_bounds.c) */
char *mime_scan_bounds(const char *raw, size_t len, size_t *ret_header_end);

/* The readable text of a message from its text parts, in document order: plain, the
 * text/plain parts (stripped in place), wins when it holds any; else html, the text/html
 * parts, turned into text (*ret_html_only set). *ret_links: the links of the HTML and of
 * the plain text when that is the text, NULL-terminated (g_strfreev). g_free. (mime_text.c) */
char *mime_parts_text(GString *plain, GString *html, char ***ret_links, bool *ret_html_only);

#endif
