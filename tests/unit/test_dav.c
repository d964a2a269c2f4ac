/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dav.c - dav_parse_multistatus(), what dav_list() makes of a PROPFIND answer: the
 * answers shaped like Radicale's, Nextcloud's and Fastmail's that seed fuzz_dav
 * (tests/fuzz/corpus/fuzz_dav/, read from $SOURCE_DIR), hostile hrefs and ETags, and
 * answers that are no multistatus. */
#include "apptrack/dav.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define URL "https://dav.example.org/cal/"

/* The seed file name of fuzz_dav's corpus. g_free. */
static char *seed(const char *name, size_t *ret_len)
{
	const char *src = g_getenv("SOURCE_DIR");
	g_autofree char *path = g_build_filename(src ? src : ".", "tests", "fuzz", "corpus", "fuzz_dav", name, NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &text, &len, &error))
		fail_msg("%s", error->message);
	*ret_len = len;
	return text;
}

/* Parses the seed name, which must succeed, into a table. */
static GHashTable *parse_seed(const char *name)
{
	size_t len;
	g_autofree char *body = seed(name, &len);
	g_autoptr(GError) error = NULL;
	GHashTable *etags = NULL;

	if (dav_parse_multistatus(body, len, URL, &etags, &error) < 0)
		fail_msg("%s: %s", name, error->message);
	assert_null(error);
	assert_non_null(etags);
	return etags;
}

static void assert_etag(GHashTable *etags, const char *name, const char *etag)
{
	const char *got = g_hash_table_lookup(etags, name);

	if (!got)
		fail_msg("no resource %s", name);
	assert_string_equal(got, etag);
}

/* Fails unless body is refused with -EPROTO and one message naming URL. */
static void assert_refused(const char *body, size_t len)
{
	g_autoptr(GError) error = NULL;
	GHashTable *etags = NULL;

	assert_int_equal(dav_parse_multistatus(body, len, URL, &etags, &error), -EPROTO);
	assert_null(etags);
	assert_non_null(error);
	assert_non_null(strstr(error->message, URL));
	assert_non_null(strstr(error->message, "not a WebDAV multistatus"));
	assert_null(strchr(error->message, '\n'));
}

/* Radicale: default namespace, the collection first (its href ends with '/'). */
static void test_radicale(void **state)
{
	(void)state;
	g_autoptr(GHashTable) etags = parse_seed("radicale.xml");

	assert_int_equal(g_hash_table_size(etags), 2);
	assert_etag(etags, "interview-12_apptrack.ics", "\"a1b2c3d4e5f60718293a4b5c6d7e8f90\"");
	assert_etag(etags, "reminder-7_apptrack.ics", "\"0f9e8d7c6b5a49382716a5b4c3d2e1f0\"");
}

/* Nextcloud (sabre/dav): "d:" prefix, a 404 propstat for a missing getetag (before or after
 * the 200 one), a percent-encoded name, and a subcollection without a trailing '/'. */
static void test_nextcloud(void **state)
{
	(void)state;
	g_autoptr(GHashTable) etags = parse_seed("nextcloud.xml");

	assert_int_equal(g_hash_table_size(etags), 3);
	assert_etag(etags, "interview-3_apptrack.ics", "\"6d1f2b0c8e5a4d3f9b7a1c2e3d4f5a6b\"");
	assert_etag(etags, "Team Lunch \xc3\xa9t\xc3\xa9.ics", "\"b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5\"");
	assert_etag(etags, "reminder-9_apptrack.ics", ""); /* no getetag */
	assert_false(g_hash_table_contains(etags, "archive"));
	assert_false(g_hash_table_contains(etags, ""));
}

/* Fastmail (Cyrus): "D:" prefix, absolute URLs, %40, a weak ETag, a 404 response. */
static void test_fastmail(void **state)
{
	(void)state;
	g_autoptr(GHashTable) etags = parse_seed("fastmail.xml");

	assert_int_equal(g_hash_table_size(etags), 2);
	assert_etag(etags, "interview-40_apptrack.ics", "\"8f3a1c2b9d0e4f5a6b7c8d9e0f1a2b3c\"");
	assert_etag(etags, "5E2B6F1A-9C3D-4A8B-B7E6-0D1C2F3A4B5C@fastmail.com.ics", "W/\"weak-1\"");
	assert_false(g_hash_table_contains(etags, "gone.ics"));
}

/* No name taken could leave the collection as a file or resource name: '/' once unescaped,
 * "." and "..", NUL and control characters, bad escapes, not UTF-8, empty. */
static void test_hostile_names(void **state)
{
	(void)state;
	g_autoptr(GHashTable) etags = parse_seed("hostile_names.xml");
	GHashTableIter it;
	gpointer key;

	g_hash_table_iter_init(&it, etags);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *name = key;
		assert_true(*name);
		assert_null(strchr(name, '/'));
		assert_string_not_equal(name, ".");
		assert_string_not_equal(name, "..");
		assert_true(g_utf8_validate(name, -1, NULL));
		for (const char *p = name; *p; p++)
			assert_true((unsigned char)*p >= 0x20);
	}
	assert_int_equal(g_hash_table_size(etags), 2);
	assert_etag(etags, "interview-5_apptrack.ics", ""); /* an ETag with a line break is not kept */
	assert_etag(etags, "interview-6_apptrack.ics", "\"kept\"");
}

/* An ETag too long for an If-Match header is not kept; one of 256 bytes is. */
static void test_long_etag(void **state)
{
	(void)state;
	g_autofree char *fit = g_strnfill(256, 'e');
	g_autofree char *over = g_strnfill(257, 'e');
	g_autofree char *body = g_strdup_printf("<multistatus xmlns=\"DAV:\">"
						"<response><href>/c/a.ics</href><propstat><prop><getetag>%s</getetag>"
						"</prop></propstat></response>"
						"<response><href>/c/b.ics</href><propstat><prop><getetag>%s</getetag>"
						"</prop></propstat></response></multistatus>",
						fit, over);
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) etags = NULL;

	assert_int_equal(dav_parse_multistatus(body, strlen(body), URL, &etags, &error), 0);
	assert_etag(etags, "a.ics", fit);
	assert_etag(etags, "b.ics", "");
}

/* The body need not end with a NUL: only len bytes are read. */
static void test_length(void **state)
{
	(void)state;
	static const char body[] = "<multistatus xmlns=\"DAV:\"><response><href>/c/a.ics</href></response></multistatus>"
				   "<garbage";
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) etags = NULL;

	assert_refused(body, strlen(body));
	assert_int_equal(dav_parse_multistatus(body, strlen(body) - strlen("<garbage"), URL, &etags, &error), 0);
	assert_etag(etags, "a.ics", "");
}

/* An empty multistatus is an empty collection, not an error. */
static void test_empty_collection(void **state)
{
	(void)state;
	static const char body[] = "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"/>";
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) etags = NULL;

	assert_int_equal(dav_parse_multistatus(body, strlen(body), URL, &etags, &error), 0);
	assert_int_equal(g_hash_table_size(etags), 0);
}

/* What is no multistatus: one -EPROTO error naming the server, on one line. */
static void test_refused(void **state)
{
	(void)state;
	static const char *const seeds[] = { "html_error.xml", "dav_error.xml", "wrong_namespace.xml", "entities.xml",
					     "deep.xml" };
	static const char *const bodies[] = {
		"",
		"not XML at all",
		"<multistatus xmlns=\"DAV:\"><response>",        /* cut short */
		"<multistatus><response/></multistatus>",        /* no namespace */
		"\xff\xfe<\0m\0",                               /* bytes */
		"<?xml version=\"1.0\"?>\n<!DOCTYPE x SYSTEM \"http://127.0.0.1:1/x.dtd\">\n"
		"<multistatus xmlns=\"DAV:\"/>", /* a DTD, not fetched */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(seeds); i++) {
		size_t len;
		g_autofree char *body = seed(seeds[i], &len);
		assert_refused(body, len);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++)
		assert_refused(bodies[i], strlen(bodies[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radicale),     cmocka_unit_test(test_nextcloud), cmocka_unit_test(test_fastmail),
		cmocka_unit_test(test_hostile_names), cmocka_unit_test(test_long_etag), cmocka_unit_test(test_length),
		cmocka_unit_test(test_empty_collection), cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
