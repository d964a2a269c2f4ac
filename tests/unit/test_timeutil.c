/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_timeutil.c - dates, timestamps, durations, APPTRACK_NOW, and the error convention. */
#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static void test_parse_date(void **state)
{
	static const struct {
		const char *text;
		int r;
		const char *canonical;
	} cases[] = {
		{ "2026-11-22", 0, "2026-11-22" }, { "2024-02-29", 0, "2024-02-29" },
		{ "2026/01/05", 0, "2026-01-05" }, { "2023-02-29", -EINVAL, NULL },
		{ "2026-13-01", -EINVAL, NULL },   { "2026-00-10", -EINVAL, NULL },
		{ "2026-04-31", -EINVAL, NULL },   { "26-11-22", -EINVAL, NULL },
		{ "2026-11-22x", -EINVAL, NULL },  { "2026-11/22", -EINVAL, NULL },
		{ "", -EINVAL, NULL },             { "31/12/2026", -EINVAL, NULL },
		{ "2026-1-5", -EINVAL, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[TIME_DATE_LEN] = "";
		int r = time_parse_date(cases[i].text, buf, NULL);
		if (r != cases[i].r)
			fail_msg("time_parse_date(\"%s\") = %d, want %d", cases[i].text, r, cases[i].r);
		if (r == 0)
			assert_string_equal(buf, cases[i].canonical);
	}
	assert_int_equal(time_parse_date(NULL, NULL, NULL), -EINVAL);
}

static void test_date_midnight(void **state)
{
	int64_t t;
	(void)state;
	/* tests run with TZ=UTC */
	assert_int_equal(time_parse_date("1970-01-02", NULL, &t), 0);
	assert_int_equal(t, 86400);
}

static void test_iso(void **state)
{
	char buf[TIME_ISO_LEN];
	int64_t t;
	(void)state;

	assert_string_equal(time_format_iso(0, buf), "1970-01-01T00:00:00Z");
	assert_int_equal(time_parse_iso("2026-11-22T15:04:05Z", &t), 0);
	assert_string_equal(time_format_iso(t, buf), "2026-11-22T15:04:05Z");
	assert_int_equal(time_parse_iso("2026-11-22T16:04:05+01:00", &t), 0);
	assert_string_equal(time_format_iso(t, buf), "2026-11-22T15:04:05Z");
	assert_int_equal(time_parse_iso("2026-11-22 15:04", &t), 0);
	assert_string_equal(time_format_iso(t, buf), "2026-11-22T15:04:00Z");
	assert_int_equal(time_parse_iso("2026-11-22 15:04:09", &t), 0);
	assert_string_equal(time_format_iso(t, buf), "2026-11-22T15:04:09Z");
	assert_int_equal(time_parse_iso("2026-11-22 25:04", &t), -EINVAL);
	assert_int_equal(time_parse_iso("yesterday", &t), -EINVAL);
	assert_int_equal(time_parse_iso("", &t), -EINVAL);
	assert_string_equal(time_format_date(86400 * 365, (char[TIME_DATE_LEN]){ 0 }), "1971-01-01");
}

static void test_duration(void **state)
{
	static const struct {
		const char *text;
		int r;
		int64_t seconds;
	} cases[] = {
		{ "0", 0, 0 },         { "90", 0, 90 },          { "90s", 0, 90 },
		{ "30m", 0, 1800 },    { "2h", 0, 7200 },        { "7d", 0, 604800 },
		{ "1w", 0, 604800 },   { "3D", 0, 259200 },      { "", -EINVAL, 0 },
		{ "d", -EINVAL, 0 },   { "-1d", -EINVAL, 0 },    { "7 days", -EINVAL, 0 },
		{ "7dd", -EINVAL, 0 }, { "1y", -EINVAL, 0 },     { "99999999999999999999d", -EINVAL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t s = -1;
		int r = time_parse_duration(cases[i].text, &s);
		if (r != cases[i].r)
			fail_msg("time_parse_duration(\"%s\") = %d, want %d", cases[i].text, r, cases[i].r);
		if (r == 0)
			assert_int_equal(s, cases[i].seconds);
		else
			assert_int_equal(s, -1); /* untouched on failure */
	}
}

static void test_days_between(void **state)
{
	(void)state;
	assert_int_equal(time_days_between("2026-11-01", "2026-11-22"), 21);
	assert_int_equal(time_days_between("2026-12-31", "2027-01-01"), 1);
	assert_int_equal(time_days_between("2026-03-01", "2026-02-01"), -28);
}

static void test_now_override(void **state)
{
	(void)state;
	g_setenv("APPTRACK_NOW", "1000", TRUE);
	assert_int_equal(time_now(), 1000);
	g_setenv("APPTRACK_NOW", "2026-11-22T00:00:00Z", TRUE);
	assert_int_equal(time_now(), 1795305600);
	g_setenv("APPTRACK_NOW", "garbage", TRUE);
	assert_true(time_now() > 1700000000);
	g_unsetenv("APPTRACK_NOW");
}

static void test_error_codes(void **state)
{
	static const struct {
		int r;
		const char *code;
	} cases[] = {
		{ -EINVAL, "invalid_params" }, { -ENOENT, "not_found" },      { -EEXIST, "conflict" },
		{ -E2BIG, "too_large" },       { -EBADMSG, "invalid_request" }, { -ENOSYS, "unknown_method" },
		{ -EBUSY, "busy" },            { -EIO, "internal" },          { -EPERM, "internal" },
	};
	GError *error = NULL;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(at_error_code(cases[i].r), cases[i].code);
		if (strcmp(cases[i].code, "internal") != 0)
			assert_int_equal(at_error_from_code(cases[i].code), cases[i].r);
	}
	assert_int_equal(at_error_from_code("no such code"), -EIO);
	assert_int_equal(at_error_set(&error, -ENOENT, "no application with id %d", 7), -ENOENT);
	assert_string_equal(error->message, "no application with id 7");
	assert_int_equal(error->code, ENOENT);
	/* a second error does not overwrite the first */
	at_error_set(&error, -EINVAL, "later");
	assert_string_equal(error->message, "no application with id 7");
	g_clear_error(&error);
	assert_int_equal(at_error_set(NULL, -EIO, "ignored"), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_date), cmocka_unit_test(test_date_midnight),
		cmocka_unit_test(test_iso),        cmocka_unit_test(test_duration),
		cmocka_unit_test(test_days_between), cmocka_unit_test(test_now_override),
		cmocka_unit_test(test_error_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
