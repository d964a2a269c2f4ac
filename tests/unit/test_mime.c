/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mime.c - MIME decoding: transfer encodings, charsets, RFC 2047 headers, multipart
 * choice, HTML to text, links and calendar parts, malformed input; and every message of
 * the shared corpus. */
#include "apptrack/mime.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static struct mime_message *parse(const char *raw)
{
	struct mime_message *m = NULL;
	GError *error = NULL;
	if (mime_parse(raw, strlen(raw), &m, &error) < 0)
		fail_msg("parse: %s", error->message);
	return m;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("[%s] does not contain [%s]", haystack ? haystack : "(null)", needle);
}

static void test_headers(void **state)
{
	struct mime_message *m = parse(
		"From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <Juergen@Example.COM>\r\n"
		"Subject: =?ISO-8859-1?Q?Bewerbung_f=FCr?= Backend =?UTF-8?Q?Entwickler_=E2=80=93_Z=C3=BCrich?=\r\n"
		"Date: Sat, 22 Nov 2026 10:30:00 +0100\r\n"
		"Message-ID: <abc@mail.example>\r\n"
		"In-Reply-To: <parent@mail.example>\r\n"
		"References: <root@mail.example> <parent@mail.example>\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n");
	(void)state;

	assert_string_equal(m->from_name, "Jürgen Müller");
	assert_string_equal(m->from_address, "juergen@example.com");
	assert_string_equal(m->subject, "Bewerbung für Backend Entwickler – Zürich");
	assert_int_equal(m->date, 1795339800); /* 09:30 UTC */
	assert_string_equal(m->message_id, "abc@mail.example");
	assert_string_equal(m->in_reply_to, "parent@mail.example");
	assert_int_equal(g_strv_length(m->references), 2);
	assert_string_equal(m->references[0], "root@mail.example");
	assert_contains(m->text, "Hello");
	assert_false(m->html_only);
	mime_message_free(m);
}

static void test_encodings_and_charsets(void **state)
{
	static const struct {
		const char *raw;
		const char *want;
	} cases[] = {
		{ "Subject: qp\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		  "Caf=C3=A9 and a soft=\r\n line break\r\n",
		  "Café and a soft line break" },
		{ "Subject: b64\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		  "V2UgYXJlIHBsZWFzZWQgdG8gb2ZmZXIgeW91\r\n",
		  "We are pleased to offer you" },
		{ "Subject: latin1\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
		  "Gr\xFC\xDF" "e aus K\xF6ln\r\n",
		  "Grüße aus Köln" },
		{ "Subject: cp1252\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n"
		  "\x93Quoted\x94 \x96 dash \x80" "5\r\n",
		  "“Quoted” – dash €5" },
		{ "Subject: unlabelled 8-bit\r\n\r\nna\xEFve r\xE9sum\xE9\r\n", "naïve résumé" },
		{ "Subject: unknown charset\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\nplain words\r\n",
		  "plain words" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct mime_message *m = parse(cases[i].raw);
		assert_true(g_utf8_validate(m->text, -1, NULL));
		assert_contains(m->text, cases[i].want);
		mime_message_free(m);
	}
}

static void test_multipart(void **state)
{
	struct mime_message *m = parse(
		"From: a@b.example\r\nSubject: alt\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
		"--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
		"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain version\r\n"
		"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML version</p>\r\n"
		"--inner--\r\n"
		"--outer\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"cv.txt\"\r\n\r\n"
		"ATTACHED RESUME\r\n--outer--\r\n");
	(void)state;

	assert_contains(m->text, "Plain version");
	assert_null(strstr(m->text, "HTML version"));
	assert_null(strstr(m->text, "ATTACHED RESUME"));
	mime_message_free(m);

	m = parse("Subject: html only\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
		  "<html><head><title>T</title><style>p{color:red}</style></head><body>"
		  "<script>var x = 1;</script><p>Thank&nbsp;you for applying to <b>Acme</b>.</p>"
		  "<table><tr><td>Position:</td><td>Engineer &amp; Lead</td></tr></table></body></html>\r\n");
	assert_true(m->html_only);
	assert_contains(m->text, "Thank\xC2\xA0you for applying to Acme.");
	assert_contains(m->text, "Engineer & Lead");
	assert_null(strstr(m->text, "color"));
	assert_null(strstr(m->text, "var x"));
	assert_null(strchr(m->text, '<'));
	mime_message_free(m);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\r\n\r\n",
	};
	static const char *const survivable[] = {
		"Subject: no body",
		"Subject: truncated multipart\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nstart of",
		"Subject: bad base64\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!###$$$\r\n",
		"Subject: =?UTF-8?B?broken\r\n\r\nbody\r\n",
		"Subject: =?x-unknown?Q?abc?=\r\n\r\nbody\r\n",
		"From: <<<>>>\r\nDate: yesterday\r\nSubject: odd\r\n\r\nbody\r\n",
		"Subject: \xff\xfe bytes\r\n\r\n\xff\xfe\xfd\r\n",
		"garbage without any header structure at all",
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct mime_message *m = NULL;
		GError *error = NULL;
		assert_int_equal(mime_parse(bad[i], strlen(bad[i]), &m, &error), -EINVAL);
		assert_null(m);
		g_clear_error(&error);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(survivable); i++) {
		struct mime_message *m = NULL;
		GError *error = NULL;
		int r = mime_parse(survivable[i], strlen(survivable[i]), &m, &error);
		/* either a clear error or a message whose strings are all UTF-8 */
		if (r == 0) {
			assert_true(g_utf8_validate(m->text, -1, NULL));
			assert_true(!m->subject || g_utf8_validate(m->subject, -1, NULL));
			assert_true(!m->from_name || g_utf8_validate(m->from_name, -1, NULL));
			mime_message_free(m);
		} else {
			assert_non_null(error);
			g_clear_error(&error);
		}
	}
	/* a bound on size */
	struct mime_message *m = NULL;
	GError *error = NULL;
	assert_int_equal(mime_parse("x", MIME_MAX_MESSAGE + 1, &m, &error), -E2BIG);
	g_clear_error(&error);
}

/* Every corpus message parses, has a subject or sender, readable UTF-8 text, and its
 * HTML-only bodies carry no markup. */
static void test_corpus(void **state)
{
	const char *shared = g_getenv("SHARED_DIR");
	g_autofree char *dir = g_build_filename(shared ? shared : "../shared", "corpus", "mail", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	int n = 0;
	(void)state;

	if (!d)
		fail_msg("corpus not found at %s (set SHARED_DIR)", dir);
	while ((name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".eml"))
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *raw = NULL;
		struct mime_message *m = NULL;
		GError *error = NULL;
		gsize len;
		assert_true(g_file_get_contents(path, &raw, &len, NULL));
		if (mime_parse(raw, len, &m, &error) < 0)
			fail_msg("%s: %s", name, error->message);
		if (!m->subject && !m->from_address)
			fail_msg("%s: neither subject nor sender", name);
		if (strlen(m->text) < 20)
			fail_msg("%s: text too short: [%s]", name, m->text);
		assert_true(g_utf8_validate(m->text, -1, NULL));
		assert_non_null(m->links);
		for (size_t i = 0; m->links[i]; i++)
			if (!g_utf8_validate(m->links[i], -1, NULL) || g_ascii_strncasecmp(m->links[i], "http", 4) != 0)
				fail_msg("%s: bad link [%s]", name, m->links[i]);
		if (m->html_only && (strstr(m->text, "<div") || strstr(m->text, "<td") || strstr(m->text, "&nbsp;")))
			fail_msg("%s: markup left in text", name);
		mime_message_free(m);
		n++;
	}
	assert_true(n >= 30);
}

/* A mail's HTML keeps its footer (sender details live there); a web page drops its chrome. */
static void test_html_flags(void **state)
{
	(void)state;
	const char *html = "<html><head><title>T</title></head><body><nav>Home Jobs</nav><p>Build APIs</p>"
			   "<footer>Acme Inc, Berlin</footer><script>x()</script></body></html>";
	g_autofree char *mail = mime_html_to_text(html, strlen(html));
	g_autofree char *page = mime_html_to_text_with(html, strlen(html), MIME_HTML_PAGE);

	assert_string_equal(mail, "Home Jobs\nBuild APIs\nAcme Inc, Berlin\n");
	assert_string_equal(page, "Build APIs\n");
}


/* ---- hostile mail: the bounds hold before libetpan sees the body ---- */

#define HEAD "From: Mallory <mallory@example.org>\r\nSubject: hostile\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"

/* multiparts nested levels deep, a line of text at the bottom. g_free. */
static char *nested_multiparts(unsigned levels)
{
	GString *m = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
	for (unsigned i = 1; i < levels; i++)
		g_string_append_printf(m, "--b%u\r\nContent-Type: multipart/mixed;\r\n boundary=\"b%u\"\r\n\r\n", i - 1, i);
	g_string_append_printf(m, "--b%u\r\nContent-Type: text/plain\r\n\r\nat the bottom\r\n", levels - 1);
	for (unsigned i = levels; i-- > 0;)
		g_string_append_printf(m, "--b%u--\r\n", i);
	return g_string_free(m, FALSE);
}

/* message/rfc822 parts nested levels deep: no boundary anywhere. g_free. */
static char *nested_messages(unsigned levels)
{
	GString *m = g_string_new(HEAD "Content-Type: message/rfc822\r\n\r\n");
	for (unsigned i = 1; i < levels; i++)
		g_string_append(m, "Subject: inner\r\nContent-Type: message/rfc822\r\n\r\n");
	g_string_append(m, "Subject: innermost\r\n\r\nat the bottom\r\n");
	return g_string_free(m, FALSE);
}

/* One multipart of n parts, each of type; multipart/alternative parts hold a text. g_free. */
static char *wide(unsigned n, const char *type)
{
	GString *m = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=\"w\"\r\n\r\n");
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(type, "multipart/alternative") == 0)
			g_string_append_printf(m, "--w\r\nContent-Type: %s; boundary=\"a%u\"\r\n\r\n--a%u\r\n\r\npart %u\r\n--a%u--\r\n",
					       type, i, i, i, i);
		else
			g_string_append_printf(m, "--w\r\nContent-Type: %s\r\n\r\npart %u\r\n", type, i);
	}
	g_string_append(m, "--w--\r\n");
	return g_string_free(m, FALSE);
}

static char *many_fields(unsigned n)
{
	GString *m = g_string_new(HEAD);
	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(m, "X-Filler-%u: %u\r\n", i, i);
	g_string_append(m, "\r\nbody\r\n");
	return g_string_free(m, FALSE);
}

static char *long_subject(size_t bytes)
{
	GString *m = g_string_new("From: mallory@example.org\r\nSubject: ");
	for (size_t i = 0; i < bytes; i += 64)
		g_string_append(m, "0123456789012345678901234567890123456789012345678901234567890\r\n ");
	g_string_append(m, "end\r\n\r\nbody\r\n");
	return g_string_free(m, FALSE);
}

static char *wide_text(unsigned n)
{
	return wide(n, "text/plain");
}

static char *wide_alternatives(unsigned n)
{
	return wide(n, "multipart/alternative");
}

/* Each bound, at it and past it; the top header is read even when the body is not. */
static void test_bounds(void **state)
{
	static const struct {
		const char *what;
		char *(*build)(unsigned);
		unsigned n;
		const char *refused; /* NULL: read whole, with want in its text */
		const char *want;
	} cases[] = {
		{ "multiparts at the depth bound", nested_multiparts, MIME_MAX_DEPTH, NULL, "at the bottom" },
		{ "multiparts one past it", nested_multiparts, MIME_MAX_DEPTH + 1, "nested deeper than 32", NULL },
		/* libetpan's own parser overflows the stack here: refused before it runs */
		{ "multiparts 60,000 deep", nested_multiparts, 60000, "nested deeper than 32", NULL },
		{ "messages at the depth bound", nested_messages, MIME_MAX_DEPTH - 1, NULL, "at the bottom" },
		{ "messages 60,000 deep", nested_messages, 60000, "nested deeper than 32", NULL },
		{ "header fields at the bound", many_fields, MIME_MAX_HEADER_FIELDS - 8, NULL, "body" },
		{ "header fields past it", many_fields, MIME_MAX_HEADER_FIELDS, "header of more than 1000 fields", NULL },
		{ "parts at the bound", wide_text, MIME_MAX_PARTS, NULL, "part 999" },
		{ "parts past it", wide_text, MIME_MAX_PARTS + 1, "more than 1000 body parts", NULL },
		/* 2 levels deep only, but more multiparts than MIME_MAX_CONTAINERS */
		{ "containers at the bound", wide_alternatives, MIME_MAX_CONTAINERS - 1, NULL, "part 254" },
		{ "containers past it", wide_alternatives, MIME_MAX_CONTAINERS, "more than 256 multipart or message parts",
		  NULL },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *raw = cases[i].build(cases[i].n);
		struct mime_message *m = NULL;
		assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
		if (cases[i].refused) {
			if (!m->refused || !strstr(m->refused, cases[i].refused))
				fail_msg("%s: refused [%s], want [%s]", cases[i].what, m->refused ? m->refused : "(null)",
					 cases[i].refused);
			assert_string_equal(m->text, "");
		} else {
			if (m->refused)
				fail_msg("%s: refused (%s)", cases[i].what, m->refused);
			assert_contains(m->text, cases[i].want);
		}
		/* the top header is read, unless it is itself past a bound */
		if (cases[i].build == many_fields && cases[i].refused)
			assert_null(m->subject);
		else
			assert_string_equal(m->subject, "hostile");
		mime_message_free(m);
	}

	/* a header block over MIME_MAX_HEADER_BYTES: nothing of it is read */
	g_autofree char *raw = long_subject(MIME_MAX_HEADER_BYTES);
	struct mime_message *m = NULL;
	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	assert_non_null(m->refused);
	assert_contains(m->refused, "header larger than 256 KiB");
	assert_null(m->subject);
	mime_message_free(m);
	g_free(raw);
	raw = long_subject(MIME_MAX_HEADER_BYTES / 2);
	m = parse(raw);
	assert_null(m->refused);
	assert_true(g_str_has_suffix(m->subject, "end"));
	mime_message_free(m);
}

/* The fuzzers' findings: each text part is cut to MIME_MAX_PART_TEXT (a 22 MB part came
 * back whole), a zone offset past +9959 is no date (it overflowed), ids and the sender's
 * address are valid UTF-8 like everything else, and a From without an address followed by
 * one with an address leaks nothing (LeakSanitizer). */
static void test_fuzz_findings(void **state)
{
	(void)state;
	size_t size = 22u << 20;
	GString *raw = g_string_new("From: a@example.org\r\nSubject: big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
	while (raw->len < size)
		g_string_append(raw, "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 \r\n");
	struct mime_message *m = parse(raw->str);
	assert_true(strlen(m->text) <= MIME_MAX_PART_TEXT);
	assert_true(strlen(m->text) > MIME_MAX_PART_TEXT - 64);
	assert_true(g_utf8_validate(m->text, -1, NULL)); /* not cut inside a character */
	mime_message_free(m);

	/* HTML-only: the markup and the text made of it are both bounded */
	g_string_assign(raw, "From: a@example.org\r\nContent-Type: text/html\r\n\r\n<html><body>");
	while (raw->len < size)
		g_string_append(raw, "<p>Thank you for applying to Acme.</p>\r\n");
	m = parse(raw->str);
	assert_true(m->html_only);
	assert_true(strlen(m->text) <= MIME_MAX_TEXT);
	assert_contains(m->text, "Thank you for applying to Acme.");
	mime_message_free(m);
	g_string_free(raw, TRUE);

	m = parse("From: a@example.org\r\nSubject: zone\r\nDate: Tue, 01 Dec 2026 09:00:00 +2147483647\r\n\r\nx\r\n");
	assert_int_equal(m->date, 0);
	mime_message_free(m);
	m = parse("From: a@example.org\r\nSubject: zone\r\nDate: Tue, 01 Dec 2026 09:00:00 -9959\r\n\r\nx\r\n");
	assert_int_equal(m->date, 1796115600 + 99 * 3600 + 59 * 60); /* 2026-12-01 09:00 UTC, then -99:59 */
	mime_message_free(m);

	/* a quoted-printable part cut after "=": libetpan's decoder reads two characters past
	 * it, beyond the end of a buffer that is not NUL-terminated (AddressSanitizer) */
	static const char cut[] = "Content-Transfer-Encoding: quoted-printable\n\nThank you =D";
	g_autofree char *exact = g_memdup2(cut, sizeof cut - 1);
	assert_int_equal(mime_parse(exact, sizeof cut - 1, &m, NULL), 0);
	assert_contains(m->text, "Thank you");
	mime_message_free(m);

	/* ids and the address are copied from the raw header: valid UTF-8 all the same */
	m = parse("From: J\xf6rg <j\xf6rg@example.org>\r\nMessage-ID: <a\xff@x>\r\nIn-Reply-To: <b\xfe@x>\r\n"
		  "References: <c\xfd@x> <d@x>\r\nSubject: bytes\r\n\r\nx\r\n");
	assert_true(g_utf8_validate(m->from_address, -1, NULL));
	assert_true(g_utf8_validate(m->message_id, -1, NULL));
	assert_true(g_utf8_validate(m->in_reply_to, -1, NULL));
	assert_int_equal(g_strv_length(m->references), 2);
	assert_true(g_utf8_validate(m->references[0], -1, NULL));
	assert_string_equal(m->references[1], "d@x");
	mime_message_free(m);

	m = parse("From: ,,,\r\nFrom: Real Name <real@example.org>\r\nSubject: two froms\r\n\r\nx\r\n");
	assert_string_equal(m->from_address, "real@example.org");
	assert_string_equal(m->from_name, "Real Name");
	mime_message_free(m);
}

/* The number of links of m; fails when the array is missing. */
static size_t n_links(const struct mime_message *m)
{
	assert_non_null(m->links);
	return g_strv_length(m->links);
}

static bool has_link(const struct mime_message *m, const char *url)
{
	return g_strv_contains((const char *const *)m->links, url);
}

/* hrefs of the HTML parts (entities decoded, tabs and line breaks dropped, mailto: and
 * relative ones skipped), URLs written in the plain text (without the punctuation around
 * them), deduplicated across both, in the order found. */
static void test_links(void **state)
{
	(void)state;
	struct mime_message *m = parse(
		"From: Acme <jobs@acme.example>\r\nSubject: links\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		"Apply at https://careers.acme.example/jobs/1. Or see (https://acme.example/about),\r\n"
		"<https://acme.example/privacy> and HTTP://ACME.EXAMPLE/Upper!\r\n"
		"Not these: ftp://acme.example/x http:// mailto:a@acme.example https://careers.acme.example/jobs/1\r\n"
		"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
		"<p><a href=\"https://careers.acme.example/jobs/1\">Apply</a>"
		"<a href=\" https://acme.example/track?a=1&amp;b=2\n\">x</a>"
		"<a href=\"mailto:jobs@acme.example\">mail</a><a href=\"/relative\">r</a>"
		"<a href=\"javascript:alert(1)\">j</a><a>no href</a>"
		"<map><area href=\"https://maps.example/acme\"></map></p>\r\n"
		"--b--\r\n");

	assert_int_equal(n_links(m), 6);
	assert_string_equal(m->links[0], "https://careers.acme.example/jobs/1"); /* hrefs first */
	assert_string_equal(m->links[1], "https://acme.example/track?a=1&b=2");
	assert_string_equal(m->links[2], "https://maps.example/acme");
	assert_true(has_link(m, "https://acme.example/about"));
	assert_true(has_link(m, "https://acme.example/privacy"));
	assert_true(has_link(m, "HTTP://ACME.EXAMPLE/Upper"));
	assert_false(m->has_calendar);
	mime_message_free(m);

	/* HTML-only mail: the hrefs, from the same parse that makes the text */
	m = parse("Subject: html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
		  "<p>Thank you for applying to <a href=\"https://acme.example/\">Acme</a>.</p>\r\n");
	assert_true(m->html_only);
	assert_contains(m->text, "Thank you for applying to Acme.");
	assert_int_equal(n_links(m), 1);
	assert_string_equal(m->links[0], "https://acme.example/");
	mime_message_free(m);

	/* no body, no links: an empty array all the same */
	m = parse("Subject: nothing\r\n\r\n");
	assert_int_equal(n_links(m), 0);
	mime_message_free(m);
}

/* At most MIME_MAX_LINKS links of at most MIME_MAX_LINK bytes, each valid UTF-8, and a
 * refused message has none. */
static void test_link_bounds(void **state)
{
	(void)state;
	GString *raw = g_string_new("Subject: many\r\nContent-Type: text/plain\r\n\r\n");
	g_string_append(raw, "https://long.example/");
	for (size_t i = 0; i < MIME_MAX_LINK; i++)
		g_string_append_c(raw, 'x');
	g_string_append(raw, " https://ok.example/\r\n");
	for (unsigned i = 0; i < 3 * MIME_MAX_LINKS; i++)
		g_string_append_printf(raw, "https://site%u.example/ https://site%u.example/\r\n", i % 150, i % 150);
	struct mime_message *m = parse(raw->str);
	assert_int_equal(n_links(m), MIME_MAX_LINKS);
	assert_string_equal(m->links[0], "https://ok.example/");
	assert_string_equal(m->links[1], "https://site0.example/");
	for (size_t i = 0; m->links[i]; i++)
		assert_true(strlen(m->links[i]) <= MIME_MAX_LINK);
	mime_message_free(m);

	/* bytes that are not UTF-8 in an href and in a URL of Latin-1 text */
	m = parse("Subject: bytes\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
		  "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nhttps://caf\xe9.example/x\r\n"
		  "--b\r\nContent-Type: text/html\r\n\r\n<a href=\"https://b\xff\xfe.example/\">x</a>\r\n--b--\r\n");
	assert_true(n_links(m) >= 1);
	for (size_t i = 0; m->links[i]; i++)
		assert_true(g_utf8_validate(m->links[i], -1, NULL));
	mime_message_free(m);

	/* past a bound: the header is read, the links are not */
	g_string_assign(raw, HEAD "Content-Type: multipart/mixed; boundary=\"w\"\r\n\r\n");
	for (unsigned i = 0; i <= MIME_MAX_PARTS; i++)
		g_string_append_printf(raw, "--w\r\nContent-Type: text/html\r\n\r\n<a href=\"https://x%u.example/\">x</a>\r\n", i);
	g_string_append(raw, "--w--\r\n");
	m = parse(raw->str);
	assert_non_null(m->refused);
	assert_int_equal(n_links(m), 0);
	assert_false(m->has_calendar);
	mime_message_free(m);
	g_string_free(raw, TRUE);
}

/* A text/calendar part (an invitation, inline or attached) or an application/ics
 * attachment sets has_calendar; nothing else does. */
static void test_calendar(void **state)
{
	static const struct {
		const char *part;
		bool calendar;
	} cases[] = {
		{ "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", true },
		{ "Content-Type: text/calendar\r\nContent-Disposition: attachment; filename=invite.ics\r\n\r\nBEGIN:VCALENDAR\r\n", true },
		{ "Content-Type: application/ics; name=invite.ics\r\nContent-Disposition: attachment\r\n"
		  "Content-Transfer-Encoding: base64\r\n\r\nQkVHSU46VkNBTEVOREFSDQo=\r\n",
		  true },
		{ "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=cv.pdf\r\n\r\n%PDF\r\n", false },
		{ "Content-Type: text/plain\r\n\r\nBEGIN:VCALENDAR written in text is no calendar part\r\n", false },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *raw = g_strdup_printf(
			"From: Acme <jobs@acme.example>\r\nSubject: Interview\r\nContent-Type: multipart/mixed; boundary=\"c\"\r\n\r\n"
			"--c\r\nContent-Type: text/plain\r\n\r\nSee you on Monday.\r\n--c\r\n%s--c--\r\n",
			cases[i].part);
		struct mime_message *m = parse(raw);
		if (m->has_calendar != cases[i].calendar)
			fail_msg("case %zu: has_calendar %d", i, m->has_calendar);
		assert_contains(m->text, "See you on Monday.");
		mime_message_free(m);
	}
	/* a single-part invitation */
	struct mime_message *m = parse("Subject: Invitation\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n");
	assert_true(m->has_calendar);
	mime_message_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),   cmocka_unit_test(test_encodings_and_charsets),
		cmocka_unit_test(test_multipart), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_corpus),          cmocka_unit_test(test_html_flags),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_fuzz_findings),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_link_bounds),
		cmocka_unit_test(test_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
