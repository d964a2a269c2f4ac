/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_secret.c - password_command: first line only, failures named without the output,
 * a hanging command killed. */
#include "apptrack/secret.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static void test_first_line(void **state)
{
	char *pw = NULL;
	(void)state;
	assert_int_equal(secret_from_command("printf 's3cret pass\\nsecond line\\n'", 0, &pw, NULL), 0);
	assert_string_equal(pw, "s3cret pass");
	secret_free(pw);
	pw = NULL;
	assert_int_equal(secret_from_command("printf 'no-newline'", 0, &pw, NULL), 0);
	assert_string_equal(pw, "no-newline");
	secret_free(pw);
	secret_free(NULL);
}

static void test_failures_hide_output(void **state)
{
	static const struct {
		const char *cmd;
		int r;
		const char *needle;
	} cases[] = {
		{ "echo leaked-secret; exit 3", -ENOEXEC, "exit status 3" },
		{ "echo leaked-secret >&2; exit 1", -ENOEXEC, "stderr" },
		{ "printf '\\nleaked-secret\\n'", -ENODATA, "no password" },
		{ "true", -ENODATA, "no password" },
		{ "", -EINVAL, "empty" },
		{ "kill -9 $$", -ENOEXEC, "signal 9" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *pw = (char *)"untouched";
		GError *error = NULL;
		assert_int_equal(secret_from_command(cases[i].cmd, 0, &pw, &error), cases[i].r);
		assert_string_equal(pw, "untouched");
		if (!strstr(error->message, cases[i].needle))
			fail_msg("case %zu: %s", i, error->message);
		assert_null(strstr(error->message, "leaked-secret"));
		g_clear_error(&error);
	}
}

static void test_timeout(void **state)
{
	char *pw = NULL;
	GError *error = NULL;
	gint64 start = g_get_monotonic_time();
	(void)state;
	assert_int_equal(secret_from_command("sleep 30", 300, &pw, &error), -ETIMEDOUT);
	assert_non_null(strstr(error->message, "killed"));
	g_clear_error(&error);
	/* bounded: the command was killed, not waited for */
	assert_true(g_get_monotonic_time() - start < 20 * G_USEC_PER_SEC);
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(secret_equal("s3cret", "s3cret"));
	assert_false(secret_equal("s3cre", "s3cret"));  /* a prefix */
	assert_false(secret_equal("s3crets", "s3cret")); /* longer */
	assert_false(secret_equal("s3creT", "s3cret"));
	assert_false(secret_equal("", "s3cret"));
	assert_true(secret_equal("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_failures_hide_output),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
