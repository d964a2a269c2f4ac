/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dav.c - libFuzzer harness: a CalDAV server's answer to PROPFIND through
 * dav_parse_multistatus() (dav.h), as dav_list() hands it the body of a 207.
 * Checks dav.h's promises: a failure is -EPROTO with one UTF-8 line naming the server and no
 * table; a success is a table whose every name can be used as a file or resource name (not
 * empty, not "." or "..", no '/', no control character, UTF-8) and whose every ETag is
 * printable ASCII of at most 256 bytes. Writes nothing. */
#include "apptrack/dav.h"

#include "fuzz.h"

#include <string.h>

#define URL "https://dav.example.org/cal/"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	return 0;
}

static void check_entry(const char *name, const char *etag)
{
	FUZZ_CHECK(name && *name && strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
	FUZZ_CHECK(!strchr(name, '/') && g_utf8_validate(name, -1, NULL));
	for (const char *p = name; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	FUZZ_CHECK(etag && strlen(etag) <= 256);
	for (const char *p = etag; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GHashTable *etags = NULL;
	GError *error = NULL;
	/* a copy of exactly size bytes, so that ASan sees any read past the end */
	char *body = g_memdup2(data, size);
	int r = dav_parse_multistatus(body, size, URL, &etags, &error);

	g_free(body);
	if (r < 0) {
		FUZZ_CHECK(r == -EPROTO && error && !etags);
		FUZZ_CHECK(strstr(error->message, URL) && !strchr(error->message, '\n'));
		FUZZ_CHECK(g_utf8_validate(error->message, -1, NULL));
		g_error_free(error);
		return 0;
	}
	FUZZ_CHECK(r == 0 && !error && etags);
	GHashTableIter it;
	gpointer name, etag;
	g_hash_table_iter_init(&it, etags);
	while (g_hash_table_iter_next(&it, &name, &etag))
		check_entry(name, etag);
	g_hash_table_unref(etags);
	return 0;
}
