/* SPDX-License-Identifier: GPL-3.0-or-later */
/* document.h - the text of a document the user gives apptrack: a resume file, a job
 * description saved from a browser.
 *
 * Three kinds, told apart by content first: a PDF (it starts with "%PDF-", whatever its
 * name) has the text of every page extracted with poppler-glib; a Markdown file (name
 * ending in .md or .markdown) is turned into plain text; anything else must already be
 * UTF-8 text. Every result is UTF-8 with "\n" line ends, no NUL and no other control
 * characters but tab, and holds some text: an empty or blank document is refused.
 *
 * These functions only read: they are safe in any thread and keep no state. Errors
 * follow error.h, and every message names the file:
 *   -ENOENT, -EACCES, ... the file cannot be read (strerror)
 *   -EINVAL  not UTF-8 text, a damaged or encrypted PDF, a PDF without a text layer,
 *            an empty document, not a regular file
 *   -E2BIG   over one of the limits below
 */
#ifndef APPTRACK_DOCUMENT_H
#define APPTRACK_DOCUMENT_H

#include <glib.h>
#include <stddef.h>

/* Limits: a file larger than this is not read at all. */
#define DOCUMENT_MAX_FILE_SIZE (10 * 1024 * 1024)
/* A PDF with more pages than this is refused (a resume has one or two). */
#define DOCUMENT_MAX_PDF_PAGES 50
/* The text extracted, in bytes. */
#define DOCUMENT_MAX_TEXT (1024 * 1024)

/* Reads the file at path and returns its text in *ret_text (free with g_free). Only
 * regular files are read (no FIFOs or devices). 0 or -errno as above. */
int document_read_text(const char *path, char **ret_text, GError **error);

/* The same for len bytes of data already in memory (for example, fetched over HTTP).
 * name is what messages call the document and, by its ending, tells Markdown apart; it
 * may be NULL ("document"). data need not be NUL-terminated. *ret_text: g_free. */
int document_text_from_data(const char *name, const char *data, size_t len, char **ret_text,
			    GError **error);

/* Markdown text (len bytes, valid UTF-8) as plain text: heading marks, emphasis markers,
 * code fences, list bullets, block-quote marks, thematic breaks and table rules dropped;
 * [text](url) becomes text and images go entirely; code is kept verbatim. g_free. */
char *document_markdown_to_text(const char *md, size_t len);

#endif
