/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_json_text.c - libFuzzer harness: json_text.c, the re-indenter apptrackctl prints
 * --json listings with (the only JSON it reads without jansson). The input is a value for
 * json_text_reindent() with an indent taken from its first byte, and a reply line for
 * json_text_reply_result().
 *
 * Checks, against jansson itself: whenever json_text accepts a text, jansson loads it
 * (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES) and dumps exactly the same bytes with the same
 * indent; a reply it accepts is an object whose "result" dumps to those bytes; and when it
 * declines, the buffer is left as it was. */
#include "apptrack/json_text.h"

#include "fuzz.h"

#include <jansson.h>
#include <string.h>

#define MARK "unchanged"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	return 0;
}

static void check_same(json_t *v, int indent, const GString *out)
{
	char *dump = json_dumps(v, JSON_ENCODE_ANY | JSON_INDENT(indent));

	FUZZ_CHECK(dump != NULL);
	if (strlen(dump) != out->len - strlen(MARK) || memcmp(dump, out->str + strlen(MARK), out->len - strlen(MARK))) {
		fprintf(stderr, "json_text wrote:\n%s\njansson dumps:\n%s\n", out->str + strlen(MARK), dump);
		abort();
	}
	free(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GString) out = g_string_new(MARK);
	json_error_t err;
	int indent;

	if (size == 0)
		return 0;
	indent = 1 + data[0] % 8;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	if (json_text_reindent(text, len, indent, out)) {
		json_t *v = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
		if (!v) {
			fprintf(stderr, "json_text accepted what jansson refuses: %s\n", err.text);
			abort();
		}
		check_same(v, indent, out);
		json_decref(v);
	} else {
		FUZZ_CHECK(strcmp(out->str, MARK) == 0);
	}

	g_string_assign(out, MARK);
	if (json_text_reply_result(text, len, 1, indent, out)) {
		json_t *reply = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
		FUZZ_CHECK(reply != NULL && json_is_object(reply));
		FUZZ_CHECK(json_integer_value(json_object_get(reply, "id")) == 1);
		json_t *result = json_object_get(reply, "result");
		FUZZ_CHECK(result != NULL);
		check_same(result, indent, out);
		json_decref(reply);
	} else {
		FUZZ_CHECK(strcmp(out->str, MARK) == 0);
	}
	return 0;
}
