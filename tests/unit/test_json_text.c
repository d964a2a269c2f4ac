/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_json_text.c - json_text.c prints exactly what jansson's json_dumps(JSON_INDENT(n))
 * prints, straight from the text, and declines whatever jansson would refuse; reply lines
 * give their result only when it is the plain answer to the id asked.
 */
#include "apptrack/json_text.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* text re-indented equals jansson's dump of it parsed (as the protocol parses replies) */
static void same_as_jansson(const char *text, int indent)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	g_autoptr(GString) out = g_string_new("x");

	if (!v)
		fail_msg("bad test input %s: %s", text, err.text);
	char *want = json_dumps(v, JSON_INDENT(indent) | JSON_ENCODE_ANY);
	if (!json_text_reindent(text, strlen(text), indent, out))
		fail_msg("declined %s", text);
	if (strcmp(out->str + 1, want) != 0)
		fail_msg("%s\n-- printed --\n%s\n-- jansson --\n%s", text, out->str + 1, want);
	free(want);
	json_decref(v);
}

static void test_prints_as_jansson(void **state)
{
	static const char *const texts[] = {
		"[]", "{}", "0", "-1", "123456789012345678", "1234567890123456789", "-9223372036854775808", "-0",
		"1.5", "0.1", "1e3", "-2.5E-3", "100000000000000000000.0", "true", "false", "null", "\"\"",
		"\"plain text\"", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "\"a\\\"b\\\\c\\/d\\n\\t\\u0001\\u00e9\\ud83d\\ude00\"",
		"\"\\u001f\\u001F\\u007f\\b\\f\\r\\u0022\\u005C\\u002f\\uFFFF\\uDBFF\\uDFFF x\"", "[\"\\\\\",\"\\\"\"]",
		" [ 1 , 2 ,3 ] ", "[[],{},[[]],{\"a\":{}}]",
		"{\"id\":1,\"company\":\"Acme\",\"tags\":[\"a\",\"b\"],\"salary\":null,\"score\":0.75,\"ok\":true}",
		"[{\"id\":1,\"notes\":\"line\\nline\"},{\"id\":2,\"notes\":\"\"}]",
		"{\"z\":1,\"a\":2,\"m\":{\"y\":[1,{\"k\":\"v\"}],\"b\":[]}}",
		"\n\t{\r\n\"a\" : [ true , false , null ] }\n",
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
		for (int indent = 1; indent <= 4; indent++)
			same_as_jansson(texts[i], indent);
}

/* what jansson refuses, json_text declines (the caller then meets jansson's error) */
static void test_declines_what_jansson_refuses(void **state)
{
	static const char *const texts[] = {
		"", " ", "[", "]", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "[1 2]", "01",
		"1.", ".5", "-", "tru", "truex", "nul", "\"open", "\"\x01\"", "\"\xff\"", "\"\xc3\"", "\"\\u0000\"",
		"\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\\"", "99999999999999999999", "1e999", "[1]x", "{\"a\\u0062\":1}", "{1:2}",
	};
	g_autoptr(GString) out = g_string_new("keep");
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		json_error_t err;
		json_t *v = json_loads(texts[i], JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
		bool ok = json_text_reindent(texts[i], strlen(texts[i]), 2, out);
		/* an escaped key is declined even where jansson would take it: parsed the ordinary way */
		if (ok || (v && !strstr(texts[i], "\\u0062")))
			fail_msg("%s: json_text %s, jansson %s", texts[i], ok ? "printed" : "declined", v ? "loads" : "refuses");
		json_decref(v);
		assert_string_equal(out->str, "keep");
	}
	/* a NUL inside, nesting past PROTO_MAX_DEPTH, an object past JSON_TEXT_MAX_KEYS */
	assert_false(json_text_reindent("[1,\0 2]", 7, 2, out));
	g_autoptr(GString) deep = g_string_new(NULL);
	for (int i = 0; i < 33; i++)
		g_string_append_c(deep, '[');
	for (int i = 0; i < 33; i++)
		g_string_append_c(deep, ']');
	assert_false(json_text_reindent(deep->str, deep->len, 2, out));
	g_string_truncate(deep, 0);
	g_string_append_c(deep, '{');
	for (int i = 0; i <= JSON_TEXT_MAX_KEYS; i++)
		g_string_append_printf(deep, "%s\"k%d\":%d", i ? "," : "", i, i);
	g_string_append_c(deep, '}');
	assert_false(json_text_reindent(deep->str, deep->len, 2, out));
	assert_string_equal(out->str, "keep");
	assert_false(json_text_reindent("[]", 2, 0, out));
}

static void test_reply_lines(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	(void)state;

	const char *line = "{\"id\":7,\"result\":[{\"a\":1}]}";
	assert_true(json_text_reply_result(line, strlen(line), 7, 2, out));
	assert_string_equal(out->str, "[\n  {\n    \"a\": 1\n  }\n]");
	g_string_truncate(out, 0);
	line = " {\"result\":{},\"id\":7} ";
	assert_true(json_text_reply_result(line, strlen(line), 7, 2, out));
	assert_string_equal(out->str, "{}");
	static const char *const others[] = {
		"{\"id\":8,\"result\":[]}",                                     /* another request's */
		"{\"id\":\"7\",\"result\":[]}",                                 /* an id that is a string */
		"{\"id\":7.0,\"result\":[]}",                                   /* ... or a real */
		"{\"id\":7}",                                                   /* no result */
		"{\"id\":7,\"error\":{\"code\":\"x\",\"message\":\"m\"}}",      /* an error */
		"{\"id\":7,\"result\":[],\"error\":{}}",                        /* both */
		"{\"event\":\"application.added\",\"id\":7,\"result\":[]}",     /* an event */
		"{\"id\":7,\"result\":[],\"id\":7}",                            /* a key twice */
		"{\"id\":7,\"result\":[1,]}",                                   /* not JSON */
		"[7]", "",
	};
	g_string_assign(out, "keep");
	for (size_t i = 0; i < G_N_ELEMENTS(others); i++)
		if (json_text_reply_result(others[i], strlen(others[i]), 7, 2, out))
			fail_msg("took %s", others[i]);
	assert_string_equal(out->str, "keep");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prints_as_jansson),
		cmocka_unit_test(test_declines_what_jansson_refuses),
		cmocka_unit_test(test_reply_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
