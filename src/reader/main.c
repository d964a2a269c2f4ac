/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - apptrack-reader: apptrackctl's helper for the few commands that read a document
 * or fetch a page (resume add, match --resume-file/--jd-file, add/edit --jd-url).
 *
 * It alone links poppler (PDF) and libcurl (HTTP), so that apptrackctl, which runs it for
 * those commands only, loads nothing but GLib and jansson for every other command
 * (docs/decisions.md, "A lean apptrackctl"). It runs as the user, in the user's directory
 * and environment (proxies, CA certificates), like the client: the daemon stays off the
 * web and out of the user's paths.
 *
 * Its interface is private to apptrackctl (src/ctl/reader.c), from the same build:
 *   apptrack-reader document PATH   stdout: the text of the file (document_read_text)
 *   apptrack-reader url URL         stdout: the URL after redirects, a newline, the text
 *                                   of the page (webtext_fetch)
 * Exit 0 on success; 1 with the one-line error (which names the file or URL) as the whole
 * of stdout; 2 on a usage error. Anything the libraries print goes to stderr, as before.
 */
#include "apptrack/document.h"
#include "apptrack/webtext.h"

#include <stdio.h>
#include <string.h>

static int put(const char *text, size_t len)
{
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
		perror("apptrack-reader: writing to apptrackctl");
		return 3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL, *final_url = NULL;
	int r;

	if (argc != 3 || (strcmp(argv[1], "document") != 0 && strcmp(argv[1], "url") != 0)) {
		fputs("usage: apptrack-reader document PATH | url URL\n"
		      "apptrackctl's helper: reads a resume or job description, or fetches a job posting\n",
		      stderr);
		return 2;
	}
	if (strcmp(argv[1], "document") == 0)
		r = document_read_text(argv[2], &text, &error);
	else
		r = webtext_fetch(argv[2], NULL, &text, &final_url, &error);
	if (r < 0)
		return put(error->message, strlen(error->message)) ? 3 : 1;
	if (final_url && (put(final_url, strlen(final_url)) || put("\n", 1)))
		return 3;
	return put(text, strlen(text));
}
