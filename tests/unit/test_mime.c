/* test_mime.c - MIME decoding: transfer encodings, charsets, RFC 2047 headers, multipart
 * choice, HTML to text, malformed input; and every message of the shared corpus. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),   cmocka_unit_test(test_encodings_and_charsets),
		cmocka_unit_test(test_multipart), cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_corpus),          cmocka_unit_test(test_html_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
