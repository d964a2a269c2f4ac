/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_csv.c - the RFC 4180 reader and writer: a table of edge cases (quotes, line ends,
 * BOM, blank lines, line numbers across quoted line breaks), every error with its line,
 * and the writer's output read back for many random-ish strings. Import and export of
 * applications are in test_transfer.c. */
#include "apptrack/csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define ROUND_TRIP_ROWS 500
#define ROUND_TRIP_MAX_FIELDS 12
#define ROUND_TRIP_MAX_PIECES 8
#define ROUND_TRIP_SEED 20261122

/* Rows as "line:field|field;line:field..." for compact expectations. */
static char *describe(const struct csv_table *t)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < t->rows->len; i++) {
		const struct csv_row *row = t->rows->pdata[i];
		g_string_append_printf(s, "%s%zu:", i ? ";" : "", row->line);
		for (size_t j = 0; j < row->n_fields; j++)
			g_string_append_printf(s, "%s%s", j ? "|" : "", row->fields[j]);
	}
	return g_string_free(s, FALSE);
}

static void test_parse(void **state)
{
	static const struct {
		const char *name;
		const char *text;
		const char *rows;
	} cases[] = {
		{ "LF", "a,b\n1,2\n", "1:a|b;2:1|2" },
		{ "CRLF", "a,b\r\n1,2\r\n", "1:a|b;2:1|2" },
		{ "lone CR", "a,b\r1,2\r", "1:a|b;2:1|2" },
		{ "mixed line ends", "a\r\nb\nc\rd", "1:a;2:b;3:c;4:d" },
		{ "no final line end", "a,b\n1,2", "1:a|b;2:1|2" },
		{ "no final line end after quote", "a,\"b\"", "1:a|b" },
		{ "BOM", "\xEF\xBB\xBF" "a,b\n", "1:a|b" },
		{ "BOM then quote", "\xEF\xBB\xBF\"a\",b\n", "1:a|b" },
		{ "quoted comma", "a,\"b,c\"\n", "1:a|b,c" },
		{ "escaped quotes", "\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x" },
		{ "only an escaped quote", "\"\"\"\"\n", "1:\"" },
		{ "quoted LF counts a line", "\"two\nlines\",x\ny,z\n", "1:two\nlines|x;3:y|z" },
		{ "quoted CRLF counts one line", "\"two\r\nlines\",x\r\ny,z\r\n", "1:two\r\nlines|x;3:y|z" },
		{ "quoted lone CR counts a line", "\"a\rb\"\nc\n", "1:a\rb;3:c" },
		{ "several quoted line breaks", "h\n\"1\n2\n3\n4\"\nnext\n", "1:h;2:1\n2\n3\n4;6:next" },
		{ "empty fields", "a,,c\n,,\n", "1:a||c;2:||" },
		{ "trailing comma", "a,\n", "1:a|" },
		{ "blank lines skipped", "a\n\n\nb\n", "1:a;4:b" },
		{ "blank CRLF lines skipped", "a\r\n\r\n\r\nb\r\n", "1:a;4:b" },
		{ "quoted empty field is a row", "h\n\"\"\nx\n", "1:h;2:;3:x" },
		{ "quoted empty then field", "\"\",x\n", "1:|x" },
		{ "empty input", "", "" },
		{ "only line ends", "\n\r\n\n", "" },
		{ "CR at the end", "x\r", "1:x" },
		{ "spaces kept", " a , b \n", "1: a | b " },
		{ "UTF-8", "caf\xC3\xA9,\xE2\x82\xAC\n", "1:caf\xC3\xA9|\xE2\x82\xAC" },
		{ "quoted comma and newline", "\"a,\n\",\"\"\n", "1:a,\n|" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct csv_table *t = NULL;
		GError *error = NULL;

		if (csv_parse(cases[i].text, strlen(cases[i].text), &t, &error) < 0)
			fail_msg("%s: %s", cases[i].name, error->message);
		g_autofree char *got = describe(t);
		if (strcmp(got, cases[i].rows) != 0)
			fail_msg("%s: got [%s] want [%s]", cases[i].name, got, cases[i].rows);
		csv_table_free(t);
	}
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		const char *message;
	} cases[] = {
		{ "a,b\n1,\"open\nstill open\n", 0, "line 2: unterminated quoted field (started here)" },
		{ "a\nb\nc\nd\ne\nf\n\"x\n\"\"\ny\n", 0, "line 7: unterminated quoted field (started here)" },
		{ "a,b\n1,x\"y\n", 0, "line 2: quote inside unquoted field" },
		{ "h\n\"1\n2\",3\nx\"\n", 0, "line 4: quote inside unquoted field" },
		{ "a\n\"q\"x\n", 0, "line 2: text after closing quote" },
		{ "a\r\n\"1\r\n2\r\n3\" x\r\n", 0, "line 4: text after closing quote" },
		{ "a\nb\0c\n", 6, "line 2: NUL byte" },
		{ "a\n\"b\n\0\"\n", 8, "line 3: NUL byte" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct csv_table *t = NULL;
		GError *error = NULL;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

		assert_int_equal(csv_parse(cases[i].text, len, &t, &error), -EINVAL);
		assert_null(t);
		if (strcmp(error->message, cases[i].message) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, error->message, cases[i].message);
		g_clear_error(&error);
	}
}

/* A row of n fields "x" on line `line` of a file whose earlier lines are short rows. */
static int parse_wide(size_t n, size_t line, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	struct csv_table *t = NULL;
	int r;

	for (size_t i = 1; i < line; i++)
		g_string_append(text, "a,b\n");
	for (size_t i = 0; i < n; i++)
		g_string_append(text, i ? ",x" : "x");
	g_string_append(text, "\r\n");
	r = csv_parse(text->str, text->len, &t, error);
	if (r == 0) {
		const struct csv_row *last = t->rows->pdata[t->rows->len - 1];
		assert_int_equal(last->n_fields, n);
		assert_int_equal(last->line, line);
	}
	csv_table_free(t);
	return r;
}

static void test_too_many_fields(void **state)
{
	GError *error = NULL;
	(void)state;

	assert_int_equal(parse_wide(CSV_MAX_FIELDS, 1, NULL), 0);
	assert_int_equal(parse_wide(CSV_MAX_FIELDS + 1, 9, &error), -EINVAL);
	assert_string_equal(error->message, "line 9: more than 256 fields");
	g_clear_error(&error);
	/* empty fields count too */
	g_autofree char *commas = g_strnfill(CSV_MAX_FIELDS, ',');
	struct csv_table *t = NULL;
	assert_int_equal(csv_parse(commas, strlen(commas), &t, &error), -EINVAL);
	assert_null(t);
	assert_string_equal(error->message, "line 1: more than 256 fields");
	g_clear_error(&error);
}

static void test_write(void **state)
{
	static const struct {
		const char *field;
		const char *written;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ NULL, "" },
		{ "with,comma", "\"with,comma\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "in side", "in side" },
		{ "caf\xC3\xA9", "caf\xC3\xA9" },
		{ "\xEF\xBB\xBF" "bom", "\"\xEF\xBB\xBF" "bom\"" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		csv_append_field(out, cases[i].field);
		assert_string_equal(out->str, cases[i].written);
	}
	g_autoptr(GString) row = g_string_new(NULL);
	static const char *const fields[] = { "a", NULL, "b,c" };
	csv_append_row(row, fields, G_N_ELEMENTS(fields));
	assert_string_equal(row->str, "a,,\"b,c\"\r\n");
	/* one empty field alone would read back as a blank line */
	static const char *const lonely[] = { "" };
	g_string_truncate(row, 0);
	csv_append_row(row, lonely, 1);
	assert_string_equal(row->str, "\"\"\r\n");

	/* a value that starts with a byte-order mark, first in the file, is not taken for
	 * the file's own mark (found by tests/fuzz/fuzz_csv) */
	static const char *const bom_first[] = { "\xEF\xBB\xBF", "x" };
	struct csv_table *t = NULL;
	g_string_truncate(row, 0);
	csv_append_row(row, bom_first, G_N_ELEMENTS(bom_first));
	assert_int_equal(csv_parse(row->str, row->len, &t, NULL), 0);
	assert_int_equal(t->rows->len, 1);
	const struct csv_row *back = t->rows->pdata[0];
	assert_int_equal(back->n_fields, 2);
	assert_string_equal(back->fields[0], "\xEF\xBB\xBF");
	csv_table_free(t);
}

/* Strings built from pieces that stress the writer: separators, quotes, line ends,
 * spaces at the ends, multi-byte UTF-8. */
static char *random_field(GRand *rand)
{
	static const char *const pieces[] = { "a",  "Zz", ",",  "\"", "\"\"", "\r\n", "\n", "\r", " ",
					      "\t", "é",  "€",  "😀", "x y", ",\"", "\"\n", "0",  "" };
	GString *s = g_string_new(NULL);
	gint32 n = g_rand_int_range(rand, 0, ROUND_TRIP_MAX_PIECES);

	for (gint32 i = 0; i < n; i++)
		g_string_append(s, pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))]);
	return g_string_free(s, FALSE);
}

static void test_write_round_trip(void **state)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(ROUND_TRIP_SEED);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(GString) out = g_string_new(NULL);
	struct csv_table *t = NULL;
	GError *error = NULL;
	(void)state;

	for (size_t i = 0; i < ROUND_TRIP_ROWS; i++) {
		gint32 n = g_rand_int_range(rand, 1, ROUND_TRIP_MAX_FIELDS + 1);
		char **fields = g_new0(char *, (size_t)n + 1);
		for (gint32 j = 0; j < n; j++)
			fields[j] = random_field(rand);
		csv_append_row(out, (const char *const *)fields, (size_t)n);
		g_ptr_array_add(rows, fields);
	}
	if (csv_parse(out->str, out->len, &t, &error) < 0)
		fail_msg("%s", error->message);
	assert_int_equal(t->rows->len, ROUND_TRIP_ROWS);
	size_t line = 1;
	for (guint i = 0; i < rows->len; i++) {
		char **want = rows->pdata[i];
		const struct csv_row *got = t->rows->pdata[i];
		assert_int_equal(got->n_fields, g_strv_length(want));
		assert_int_equal(got->line, line);
		for (size_t j = 0; j < got->n_fields; j++) {
			assert_string_equal(got->fields[j], want[j]);
			/* every line break inside a value is a line of the file */
			for (const char *p = want[j]; *p; p++)
				line += *p == '\n' || (*p == '\r' && p[1] != '\n');
		}
		line++;
	}
	csv_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),           cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_too_many_fields), cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
