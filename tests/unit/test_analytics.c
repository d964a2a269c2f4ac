/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_analytics.c - every report on hand-built data sets whose numbers were worked out by
 * hand (see the comments): rates, medians, the funnel with skipped stages, time in stage,
 * trends across a year boundary, months with gaps, case-insensitive groups; and
 * analytics_load() against a real store built with the pipeline (and a large one, timed). */
#include "apptrack/analytics.h"
#include "apptrack/applications.h"
#include "apptrack/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define NOW 1795305600 /* 2026-11-22T00:00:00Z, a Sunday in ISO week 2026-W47 (TZ=UTC) */

static int64_t at(const char *date, int plus_days)
{
	int64_t t;
	assert_int_equal(time_parse_date(date, NULL, &t), 0);
	return t + (int64_t)plus_days * DAY;
}

/*
 * id  status      source      position           location  applied     history
 * 1   offer       LinkedIn    Backend Engineer   Berlin    2026-11-02  applied, +2 screen, +5 technical, +9 offer
 * 2   rejected    "linkedin " backend engineer   ""        2026-11-03  applied, +4 rejected
 * 3   assessment  Indeed      Data Engineer      Remote    2026-11-04  applied, +1 assessment
 * 4   ghosted     NULL        Data Engineer      NULL      2026-10-20  applied, 2026-11-20 ghosted
 * 5   saved       NULL        Someday            NULL      NULL        saved
 * 6   rejected    NULL        PM                 NULL      2026-09-15  created as rejected on 2026-11-01
 */
static struct an_data *dataset(void)
{
	struct an_data *d = g_new0(struct an_data, 1);
	struct an_app apps[] = {
		{ 1, APP_OFFER, g_strdup("LinkedIn"), g_strdup("Backend Engineer"), g_strdup("Berlin"), g_strdup("2026-11-02"), 0 },
		{ 2, APP_REJECTED, g_strdup("linkedin "), g_strdup("backend engineer"), g_strdup(""), g_strdup("2026-11-03"), 0 },
		{ 3, APP_ASSESSMENT, g_strdup("Indeed"), g_strdup("Data Engineer"), g_strdup("Remote"), g_strdup("2026-11-04"), 0 },
		{ 4, APP_GHOSTED, NULL, g_strdup("Data Engineer"), NULL, g_strdup("2026-10-20"), 0 },
		{ 5, APP_SAVED, NULL, g_strdup("Someday"), NULL, NULL, 0 },
		{ 6, APP_REJECTED, NULL, g_strdup("PM"), NULL, g_strdup("2026-09-15"), 0 },
	};
	struct an_entry entries[] = {
		{ 1, at("2026-11-02", 0), APP_APPLIED },   { 1, at("2026-11-02", 2), APP_SCREEN },
		{ 1, at("2026-11-02", 5), APP_TECHNICAL }, { 1, at("2026-11-02", 9), APP_OFFER },
		{ 2, at("2026-11-03", 0), APP_APPLIED },   { 2, at("2026-11-03", 4), APP_REJECTED },
		{ 3, at("2026-11-04", 0), APP_APPLIED },   { 3, at("2026-11-04", 1), APP_ASSESSMENT },
		{ 4, at("2026-10-20", 0), APP_APPLIED },   { 4, at("2026-11-20", 0), APP_GHOSTED },
		{ 5, at("2026-11-10", 0), APP_SAVED },     { 6, at("2026-11-01", 0), APP_REJECTED },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(apps); i++)
		apps[i].created_at = at("2026-11-01", 0);
	d->n_apps = G_N_ELEMENTS(apps);
	d->apps = g_memdup2(apps, sizeof(apps));
	d->n_entries = G_N_ELEMENTS(entries);
	d->entries = g_memdup2(entries, sizeof(entries));
	d->now = NOW;
	return d;
}

static json_t *report(const struct an_data *d, const char *name, const char *params)
{
	json_t *p = params ? json_loads(params, 0, NULL) : NULL, *r = NULL;
	GError *error = NULL;
	if (analytics_report(d, name, p, &r, &error) < 0)
		fail_msg("%s: %s", name, error->message);
	json_decref(p);
	return r;
}

static void assert_num(json_t *v, double want)
{
	if (!json_is_number(v) || fabs(json_number_value(v) - want) > 1e-9)
		fail_msg("got %g, want %g", json_is_number(v) ? json_number_value(v) : NAN, want);
}

static json_t *find(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (g_strcmp0(json_string_value(json_object_get(v, key)), value) == 0)
			return v;
	fail_msg("no %s=%s", key, value);
	return NULL;
}

static void test_overview(void **state)
{
	struct an_data *d = dataset();
	json_t *r = report(d, NULL, NULL);
	(void)state;

	assert_int_equal(json_integer_value(json_object_get(r, "total")), 6);
	assert_int_equal(json_integer_value(json_object_get(r, "counted")), 5);   /* all but the saved one */
	assert_int_equal(json_integer_value(json_object_get(r, "active")), 2);    /* offer, assessment */
	assert_int_equal(json_integer_value(json_object_get(r, "responses")), 4); /* 1, 2, 3, 6 */
	assert_int_equal(json_integer_value(json_object_get(r, "interviews")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "offers")), 1);
	assert_num(json_object_get(r, "response_rate"), 0.8);
	assert_num(json_object_get(r, "interview_rate"), 0.2);
	assert_num(json_object_get(r, "offer_rate"), 0.2);
	/* first responses after 2, 4 and 1 days; the one created as rejected has no time */
	assert_num(json_object_get(r, "median_days_to_response"), 2.0);
	json_t *by = json_object_get(r, "by_status");
	assert_int_equal(json_object_size(by), APP_STATUS_COUNT);
	assert_int_equal(json_integer_value(json_object_get(by, "rejected")), 2);
	assert_int_equal(json_integer_value(json_object_get(by, "saved")), 1);
	assert_int_equal(json_integer_value(json_object_get(by, "applied")), 0);
	json_decref(r);
	analytics_data_free(d);
}

static void test_pipeline(void **state)
{
	struct an_data *d = dataset();
	json_t *r = report(d, "pipeline", NULL);
	static const struct {
		const char *stage;
		int count;
	} funnel[] = { { "applied", 5 }, { "screen", 2 }, { "assessment", 2 }, { "technical", 1 },
		       { "onsite", 1 },  { "final", 1 },  { "offer", 1 },      { "accepted", 0 } };
	(void)state;

	json_t *f = json_object_get(r, "funnel");
	assert_int_equal(json_array_size(f), G_N_ELEMENTS(funnel));
	for (size_t i = 0; i < G_N_ELEMENTS(funnel); i++) {
		json_t *row = json_array_get(f, i);
		assert_string_equal(json_string_value(json_object_get(row, "stage")), funnel[i].stage);
		if (json_integer_value(json_object_get(row, "count")) != funnel[i].count)
			fail_msg("funnel %s", funnel[i].stage);
		assert_num(json_object_get(row, "share"), funnel[i].count / 5.0);
	}
	/* applied lasted 2, 4, 1 and 31 days; screen 3; technical 4 */
	json_t *tis = json_object_get(r, "time_in_stage");
	json_t *applied = find(tis, "stage", "applied");
	assert_int_equal(json_integer_value(json_object_get(applied, "count")), 4);
	assert_num(json_object_get(applied, "median_days"), 3.0);
	assert_num(json_object_get(applied, "mean_days"), 9.5);
	assert_num(json_object_get(find(tis, "stage", "screen"), "median_days"), 3.0);
	assert_num(json_object_get(find(tis, "stage", "technical"), "mean_days"), 4.0);
	assert_true(json_is_null(json_object_get(find(tis, "stage", "final"), "median_days")));
	json_decref(r);
	analytics_data_free(d);
}

static void test_trends(void **state)
{
	struct an_data *d = dataset();
	json_t *r = report(d, "trends", "{\"weeks\":4}");
	static const struct {
		const char *week, *start;
		int applied, responses;
	} weeks[] = { { "2026-W44", "2026-10-26", 0, 0 },
		      { "2026-W45", "2026-11-02", 3, 3 },
		      { "2026-W46", "2026-11-09", 0, 0 },
		      { "2026-W47", "2026-11-16", 0, 0 } };
	(void)state;

	json_t *w = json_object_get(r, "weeks");
	assert_int_equal(json_array_size(w), 4);
	for (size_t i = 0; i < G_N_ELEMENTS(weeks); i++) {
		json_t *row = json_array_get(w, i);
		assert_string_equal(json_string_value(json_object_get(row, "week")), weeks[i].week);
		assert_string_equal(json_string_value(json_object_get(row, "start")), weeks[i].start);
		assert_int_equal(json_integer_value(json_object_get(row, "applied")), weeks[i].applied);
		assert_int_equal(json_integer_value(json_object_get(row, "responses")), weeks[i].responses);
	}
	json_decref(r);
	r = report(d, "trends", NULL);
	assert_int_equal(json_array_size(json_object_get(r, "weeks")), 12);
	json_decref(r);
	/* across a year boundary: 2027-01-02 is in ISO week 2026-W53 */
	d->now = 1798891200;
	r = report(d, "trends", "{\"weeks\":2}");
	json_t *last = json_array_get(json_object_get(r, "weeks"), 1);
	assert_string_equal(json_string_value(json_object_get(last, "week")), "2026-W53");
	assert_string_equal(json_string_value(json_object_get(last, "start")), "2026-12-28");
	json_decref(r);
	GError *error = NULL;
	json_t *p = json_pack("{s:i}", "weeks", 0);
	assert_int_equal(analytics_report(d, "trends", p, &r, &error), -EINVAL);
	g_clear_error(&error);
	json_decref(p);
	analytics_data_free(d);
}

static void test_groups_and_months(void **state)
{
	struct an_data *d = dataset();
	json_t *r, *row;
	(void)state;

	r = report(d, "sources", NULL);
	row = find(json_object_get(r, "sources"), "key", "LinkedIn"); /* "linkedin " folds into it */
	assert_int_equal(json_integer_value(json_object_get(row, "applications")), 2);
	assert_int_equal(json_integer_value(json_object_get(row, "responses")), 2);
	assert_int_equal(json_integer_value(json_object_get(row, "interviews")), 1);
	assert_num(json_object_get(row, "offer_rate"), 0.5);
	row = find(json_object_get(r, "sources"), "key", "(none)");
	assert_int_equal(json_integer_value(json_object_get(row, "applications")), 2); /* 4 and 6; 5 is saved */
	assert_num(json_object_get(row, "response_rate"), 0.5);
	assert_int_equal(json_array_size(json_object_get(r, "sources")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "sources"), 2), "key")),
			    "Indeed"); /* fewest applications last */
	json_decref(r);

	r = report(d, "positions", "{\"limit\":1}");
	assert_int_equal(json_array_size(json_object_get(r, "positions")), 1);
	json_decref(r);
	r = report(d, "positions", NULL);
	row = find(json_object_get(r, "positions"), "key", "Backend Engineer");
	assert_int_equal(json_integer_value(json_object_get(row, "applications")), 2);
	json_decref(r);
	r = report(d, "locations", NULL);
	row = find(json_object_get(r, "locations"), "key", "(none)"); /* "" and NULL alike */
	assert_int_equal(json_integer_value(json_object_get(row, "applications")), 3);
	json_decref(r);

	r = report(d, "months", NULL);
	json_t *m = json_object_get(r, "months");
	assert_int_equal(json_array_size(m), 3); /* September to November, October has one */
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "month")), "2026-09");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "applied")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 1), "responses")), 0);
	row = json_array_get(m, 2);
	assert_int_equal(json_integer_value(json_object_get(row, "applied")), 3);
	assert_int_equal(json_integer_value(json_object_get(row, "responses")), 3);
	assert_int_equal(json_integer_value(json_object_get(row, "offers")), 1);
	json_decref(r);

	GError *error = NULL;
	assert_int_equal(analytics_report(d, "nonsense", NULL, &r, &error), -EINVAL);
	assert_non_null(strstr(error->message, "nonsense"));
	g_clear_error(&error);
	analytics_data_free(d);
}

static void test_empty(void **state)
{
	struct an_data d = { .now = NOW };
	json_t *r = report(&d, "overview", NULL);
	(void)state;
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 0);
	assert_true(json_is_null(json_object_get(r, "response_rate")));
	assert_true(json_is_null(json_object_get(r, "median_days_to_response")));
	json_decref(r);
	r = report(&d, "months", NULL);
	assert_int_equal(json_array_size(json_object_get(r, "months")), 0);
	json_decref(r);
}

/*
 * Around a year boundary, apps in shuffled id order. now = 2027-01-06 12:00 (Wednesday of
 * ISO week 2027-W01, which starts on Monday 2027-01-04; 2026 has 53 ISO weeks).
 *
 * id  status      source          applied     history                          first response
 * 10  screen      "Zürich Jobs"   2026-10-15  applied, 2027-01-05 09:00 screen 82.375 d, W01
 * 11  rejected    "ZÜRICH JOBS"   2026-12-22  applied, +7 rejected             7 d, 2026-12-29 W53
 * 12  assessment  " zürich jobs " 2026-12-31  applied, +4 assessment           4 d, 2027-01-04 W01
 * 13  applied     ""              2027-01-04  applied                          -
 * 14  applied     NULL            2027-01-03  applied (a Sunday: W53)          -
 * 15  offer       "Referral"      2026-12-01  applied, +2.5 offer              2.5 d, W49
 * 16  saved       "Zürich Jobs"   NULL        saved                            -
 * 17  ghosted     "referral"      2026-08-20  applied, +30 ghosted             -
 */
static struct an_data *dataset_new_year(void)
{
	struct an_data *d = g_new0(struct an_data, 1);
	struct an_app apps[] = {
		{ 13, APP_APPLIED, g_strdup(""), g_strdup("Dev"), NULL, g_strdup("2027-01-04"), 0 },
		{ 10, APP_SCREEN, g_strdup("Zürich Jobs"), g_strdup("Dev"), NULL, g_strdup("2026-10-15"), 0 },
		{ 17, APP_GHOSTED, g_strdup("referral"), g_strdup("Dev"), NULL, g_strdup("2026-08-20"), 0 },
		{ 11, APP_REJECTED, g_strdup("ZÜRICH JOBS"), g_strdup("Dev"), NULL, g_strdup("2026-12-22"), 0 },
		{ 16, APP_SAVED, g_strdup("Zürich Jobs"), g_strdup("Dev"), NULL, NULL, 0 },
		{ 15, APP_OFFER, g_strdup("Referral"), g_strdup("Dev"), NULL, g_strdup("2026-12-01"), 0 },
		{ 12, APP_ASSESSMENT, g_strdup(" zürich jobs "), g_strdup("Dev"), NULL, g_strdup("2026-12-31"), 0 },
		{ 14, APP_APPLIED, NULL, g_strdup("Dev"), NULL, g_strdup("2027-01-03"), 0 },
	};
	struct an_entry entries[] = {
		{ 10, at("2026-10-15", 0), APP_APPLIED },   { 10, at("2027-01-05", 0) + 9 * 3600, APP_SCREEN },
		{ 11, at("2026-12-22", 0), APP_APPLIED },   { 11, at("2026-12-22", 7), APP_REJECTED },
		{ 12, at("2026-12-31", 0), APP_APPLIED },   { 12, at("2026-12-31", 4), APP_ASSESSMENT },
		{ 13, at("2027-01-04", 0), APP_APPLIED },   { 14, at("2027-01-03", 0), APP_APPLIED },
		{ 15, at("2026-12-01", 0), APP_APPLIED },   { 15, at("2026-12-01", 2) + DAY / 2, APP_OFFER },
		{ 16, at("2026-12-01", 0), APP_SAVED },     { 17, at("2026-08-20", 0), APP_APPLIED },
		{ 17, at("2026-08-20", 30), APP_GHOSTED },
	};
	d->n_apps = G_N_ELEMENTS(apps);
	d->apps = g_memdup2(apps, sizeof(apps));
	d->n_entries = G_N_ELEMENTS(entries);
	d->entries = g_memdup2(entries, sizeof(entries));
	d->now = at("2027-01-06", 0) + DAY / 2;
	return d;
}

static json_t *int_json(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return v;
}

#define assert_count(obj, key, want) assert_int_equal(json_integer_value(int_json((obj), (key))), (want))

static void test_new_year_overview(void **state)
{
	struct an_data *d = dataset_new_year();
	json_t *r = report(d, "overview", NULL);
	(void)state;

	assert_count(r, "total", 8);
	assert_count(r, "counted", 7);    /* all but 16 */
	assert_count(r, "active", 5);     /* 10, 12, 13, 14, 15 */
	assert_count(r, "responses", 4);  /* 10, 11, 12, 15 */
	assert_count(r, "interviews", 2); /* 10 (screen), 15 (offer); 12's assessment is not one */
	assert_count(r, "offers", 1);
	assert_num(json_object_get(r, "response_rate"), 4.0 / 7.0);
	assert_num(json_object_get(r, "interview_rate"), 2.0 / 7.0);
	assert_num(json_object_get(r, "offer_rate"), 1.0 / 7.0);
	/* 2.5, 4, 7, 82.375: an even count, so the mean of 4 and 7 */
	assert_num(json_object_get(r, "median_days_to_response"), 5.5);
	json_decref(r);
	analytics_data_free(d);
}

static void test_new_year_pipeline(void **state)
{
	struct an_data *d = dataset_new_year();
	json_t *r = report(d, "pipeline", NULL);
	/* 12 skipped screen, 15 skipped screen to final: they still count as reaching them */
	static const int funnel[] = { 7, 3, 2, 1, 1, 1, 1, 0 };
	(void)state;

	json_t *f = json_object_get(r, "funnel");
	assert_int_equal(json_array_size(f), G_N_ELEMENTS(funnel));
	for (size_t i = 0; i < G_N_ELEMENTS(funnel); i++) {
		json_t *row = json_array_get(f, i);
		assert_string_equal(json_string_value(json_object_get(row, "stage")), status_name(APP_APPLIED + (int)i));
		assert_count(row, "count", funnel[i]);
		assert_num(json_object_get(row, "share"), funnel[i] / 7.0);
	}
	/* applied lasted 82.375, 7, 4, 2.5 and 30 days; nothing left the later stages */
	json_t *tis = json_object_get(r, "time_in_stage");
	assert_int_equal(json_array_size(tis), G_N_ELEMENTS(funnel));
	json_t *applied = find(tis, "stage", "applied");
	assert_count(applied, "count", 5);
	assert_num(json_object_get(applied, "median_days"), 7.0);
	assert_num(json_object_get(applied, "mean_days"), 125.875 / 5);
	json_t *screen = find(tis, "stage", "screen");
	assert_count(screen, "count", 0);
	assert_true(json_is_null(json_object_get(screen, "mean_days")));
	json_decref(r);
	analytics_data_free(d);
}

static void test_new_year_trends(void **state)
{
	struct an_data *d = dataset_new_year();
	json_t *r = report(d, "trends", "{\"weeks\":5}");
	static const struct {
		const char *week, *start;
		int applied, responses;
	} weeks[] = {
		{ "2026-W50", "2026-12-07", 0, 0 },
		{ "2026-W51", "2026-12-14", 0, 0 },
		{ "2026-W52", "2026-12-21", 1, 0 }, /* 11 */
		{ "2026-W53", "2026-12-28", 2, 1 }, /* 12, 14; 11's rejection */
		{ "2027-W01", "2027-01-04", 1, 2 }, /* 13; 10's screen, 12's assessment */
	};
	(void)state;

	json_t *w = json_object_get(r, "weeks");
	assert_int_equal(json_array_size(w), G_N_ELEMENTS(weeks));
	for (size_t i = 0; i < G_N_ELEMENTS(weeks); i++) {
		json_t *row = json_array_get(w, i);
		assert_string_equal(json_string_value(json_object_get(row, "week")), weeks[i].week);
		assert_string_equal(json_string_value(json_object_get(row, "start")), weeks[i].start);
		assert_count(row, "applied", weeks[i].applied);
		assert_count(row, "responses", weeks[i].responses);
	}
	json_decref(r);
	/* one week: just the current one */
	r = report(d, "trends", "{\"weeks\":1}");
	assert_int_equal(json_array_size(json_object_get(r, "weeks")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "weeks"), 0), "week")),
			    "2027-W01");
	json_decref(r);
	r = report(d, "trends", "{\"weeks\":520}");
	assert_int_equal(json_array_size(json_object_get(r, "weeks")), 520);
	json_decref(r);
	analytics_data_free(d);
}

static void test_new_year_months_and_groups(void **state)
{
	struct an_data *d = dataset_new_year();
	json_t *r = report(d, "months", NULL), *m, *row;
	static const struct {
		const char *month;
		int applied, responses, interviews, offers;
	} months[] = {
		{ "2026-08", 1, 0, 0, 0 }, /* 17 */
		{ "2026-09", 0, 0, 0, 0 },
		{ "2026-10", 1, 1, 1, 0 }, /* 10 */
		{ "2026-11", 0, 0, 0, 0 },
		{ "2026-12", 3, 3, 1, 1 }, /* 11, 12, 15 */
		{ "2027-01", 2, 0, 0, 0 }, /* 13, 14 */
	};
	(void)state;

	m = json_object_get(r, "months");
	assert_int_equal(json_array_size(m), G_N_ELEMENTS(months));
	for (size_t i = 0; i < G_N_ELEMENTS(months); i++) {
		row = json_array_get(m, i);
		assert_string_equal(json_string_value(json_object_get(row, "month")), months[i].month);
		assert_count(row, "applied", months[i].applied);
		assert_count(row, "responses", months[i].responses);
		assert_count(row, "interviews", months[i].interviews);
		assert_count(row, "offers", months[i].offers);
	}
	json_decref(r);

	/* case and surrounding spaces folded, first spelling seen kept; ties keep the order
	 * first seen ((none) from 13 before referral from 17) */
	r = report(d, "sources", NULL);
	json_t *groups = json_object_get(r, "sources");
	static const struct {
		const char *key;
		int applications, responses, interviews, offers;
	} want[] = {
		{ "Zürich Jobs", 3, 3, 1, 0 },
		{ "(none)", 2, 0, 0, 0 },
		{ "referral", 2, 1, 1, 1 },
	};
	assert_int_equal(json_array_size(groups), G_N_ELEMENTS(want));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		row = json_array_get(groups, i);
		assert_string_equal(json_string_value(json_object_get(row, "key")), want[i].key);
		assert_count(row, "applications", want[i].applications);
		assert_count(row, "responses", want[i].responses);
		assert_count(row, "interviews", want[i].interviews);
		assert_count(row, "offers", want[i].offers);
		assert_num(json_object_get(row, "response_rate"), (double)want[i].responses / want[i].applications);
		assert_num(json_object_get(row, "interview_rate"), (double)want[i].interviews / want[i].applications);
		assert_num(json_object_get(row, "offer_rate"), (double)want[i].offers / want[i].applications);
	}
	json_decref(r);
	r = report(d, "locations", NULL);
	row = json_array_get(json_object_get(r, "locations"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "key")), "(none)");
	assert_count(row, "applications", 7);
	json_decref(r);
	analytics_data_free(d);
}

static void test_bad_params(void **state)
{
	struct an_data d = { .now = NOW };
	static const struct {
		const char *report, *params, *message;
	} cases[] = {
		{ "nonsense", NULL,
		  "unknown report \"nonsense\" (valid: overview, pipeline, trends, sources, months, positions, locations)" },
		{ "trends", "{\"weeks\":0}", "weeks must be a whole number from 1 to 520" },
		{ "trends", "{\"weeks\":521}", "weeks must be a whole number from 1 to 520" },
		{ "trends", "{\"weeks\":\"4\"}", "weeks must be a whole number from 1 to 520" },
		{ "trends", "{\"weeks\":2.5}", "weeks must be a whole number from 1 to 520" },
		{ "sources", "{\"limit\":0}", "limit must be a whole number from 1 to 100000" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		json_t *p = cases[i].params ? json_loads(cases[i].params, 0, NULL) : NULL, *r = NULL;
		GError *error = NULL;
		assert_int_equal(analytics_report(&d, cases[i].report, p, &r, &error), -EINVAL);
		assert_null(r);
		assert_string_equal(error->message, cases[i].message);
		g_clear_error(&error);
		json_decref(p);
	}
	/* null means the default */
	json_t *r = report(&d, "trends", "{\"weeks\":null}");
	assert_int_equal(json_array_size(json_object_get(r, "weeks")), 12);
	json_decref(r);
}

static void test_load(void **state)
{
	static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
	g_autofree char *dir = g_dir_make_tmp("apptrack-analytics-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.db", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	struct an_data *d = NULL;
	store *s = NULL;
	int64_t a, b;
	(void)state;

	assert_int_equal(store_open(path, &s, NULL), 0);
	/* each change stamped with the time it happened, as mail's are */
	struct pipeline p = { .store = s, .delays = &delays };
	/* a: applied 2026-11-02, screen two days later, offer; b: saved, applied, rejected */
	p.at = at("2026-11-02", 0) + 10 * 3600;
	json_t *fields = json_pack("{s:s,s:s,s:s,s:s}", "company", "A", "position", "P", "source", "referral",
				   "location", "Berlin");
	assert_int_equal(applications_add(&p, fields, 0, &a, NULL), 0);
	json_decref(fields);
	fields = json_pack("{s:s,s:s,s:s}", "company", "B", "position", "P", "status", "saved");
	assert_int_equal(applications_add(&p, fields, 0, &b, NULL), 0);
	json_decref(fields);
	p.at = at("2026-11-03", 0) + 8 * 3600;
	assert_int_equal(applications_set_status(&p, b, "applied", NULL, 0, NULL, NULL), 0);
	p.at = at("2026-11-04", 0);
	assert_int_equal(applications_set_status(&p, a, "Phone Screen", NULL, 0, NULL, NULL), 0);
	p.at = at("2026-11-07", 0);
	assert_int_equal(applications_set_status(&p, b, "rejected", NULL, 0, NULL, NULL), 0);
	p.at = at("2026-11-10", 0);
	assert_int_equal(applications_set_status(&p, a, "offer", NULL, 0, NULL, NULL), 0);
	json_t *note = NULL;
	assert_int_equal(applications_note(&p, b, "not a status entry", &note, NULL), 0);
	json_decref(note);

	assert_int_equal(analytics_load(s, &d, NULL), 0);
	assert_int_equal(d->n_apps, 2);
	assert_int_equal(d->apps[0].id, a);
	assert_int_equal(d->apps[0].status, APP_OFFER);
	assert_string_equal(d->apps[0].source, "referral");
	assert_string_equal(d->apps[0].location, "Berlin");
	assert_string_equal(d->apps[0].position, "P");
	assert_string_equal(d->apps[0].applied_at, "2026-11-02");
	assert_int_equal(d->apps[0].created_at, at("2026-11-02", 0) + 10 * 3600);
	assert_int_equal(d->apps[1].status, APP_REJECTED);
	assert_null(d->apps[1].source);
	assert_string_equal(d->apps[1].applied_at, "2026-11-03");
	/* 2 created + 4 status changes, by application then time; notes are not entries */
	static const struct {
		int which;
		const char *date;
		int64_t plus;
		enum app_status status;
	} want[] = {
		{ 0, "2026-11-02", 10 * 3600, APP_APPLIED }, { 0, "2026-11-04", 0, APP_SCREEN },
		{ 0, "2026-11-10", 0, APP_OFFER },           { 1, "2026-11-02", 10 * 3600, APP_SAVED },
		{ 1, "2026-11-03", 8 * 3600, APP_APPLIED },  { 1, "2026-11-07", 0, APP_REJECTED },
	};
	assert_int_equal(d->n_entries, G_N_ELEMENTS(want));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		assert_int_equal(d->entries[i].app_id, want[i].which ? b : a);
		assert_int_equal(d->entries[i].at, at(want[i].date, 0) + want[i].plus);
		assert_int_equal(d->entries[i].status, want[i].status);
	}
	assert_true(d->now > 0);
	json_t *r = report(d, NULL, NULL);
	assert_count(r, "counted", 2);
	assert_num(json_object_get(r, "response_rate"), 1.0);
	assert_num(json_object_get(r, "interview_rate"), 0.5);
	assert_num(json_object_get(r, "offer_rate"), 0.5);
	/* a: 2 days (from local midnight of the applied date), b: 4 days */
	assert_num(json_object_get(r, "median_days_to_response"), 3.0);
	json_decref(r);
	analytics_data_free(d);
	store_close(s);
	assert_int_equal(system(cmd), 0);
}

#define BIG_APPS 10000
#define BIG_EVENTS_PER_APP 4

/* 10,000 applications and 40,000 status events written with plain SQL (the pipeline
 * would take longer than the thing measured), then loaded and reported on. The time is
 * printed, not asserted: machines and sanitizer builds differ. */
static void test_load_large(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("apptrack-analytics-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.db", NULL);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_autofree char *sql = g_strdup_printf(
		"BEGIN;"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
		"INSERT INTO applications (id, company, position, status, source, location, applied_at, created_at, "
		"updated_at) SELECT i, 'C' || i, 'P' || (i %% 50), "
		"CASE i %% 4 WHEN 0 THEN 'rejected' WHEN 1 THEN 'screen' WHEN 2 THEN 'offer' ELSE 'technical' END, "
		"'src' || (i %% 7), 'loc' || (i %% 11), date('2025-01-01', '+' || (i %% 600) || ' days'), "
		"'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z' FROM n;"
		"WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < %d) "
		"INSERT INTO events (application_id, at, kind, to_status) "
		"SELECT a.id, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', a.applied_at, '+' || (k.j * 3) || ' days'), "
		"CASE k.j WHEN 0 THEN 'created' ELSE 'status_change' END, "
		"CASE k.j WHEN 0 THEN 'applied' WHEN 1 THEN 'screen' WHEN 2 THEN 'technical' ELSE a.status END "
		"FROM applications a, k;"
		"COMMIT;",
		BIG_APPS, BIG_EVENTS_PER_APP - 1);
	static const char *const names[] = { "overview", "pipeline", "trends", "sources", "months", "positions",
					     "locations" };
	struct an_data *d = NULL;
	store *s = NULL;
	(void)state;

	assert_int_equal(store_open(path, &s, NULL), 0);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	/* the first read after writing that much pays for filling SQLite's page cache */
	assert_int_equal(analytics_load(s, &d, NULL), 0);
	analytics_data_free(d);
	gint64 start = g_get_monotonic_time();
	assert_int_equal(analytics_load(s, &d, NULL), 0);
	gint64 loaded = g_get_monotonic_time();
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		json_decref(report(d, names[i], NULL));
	json_t *r = report(d, "overview", NULL);
	gint64 done = g_get_monotonic_time();
	print_message("load %.1f ms, all reports %.1f ms\n", (double)(loaded - start) / 1000.0,
		      (double)(done - loaded) / 1000.0);
	assert_int_equal(d->n_apps, BIG_APPS);
	assert_int_equal(d->n_entries, BIG_APPS * BIG_EVENTS_PER_APP);
	assert_count(r, "counted", BIG_APPS);
	assert_count(r, "responses", BIG_APPS);
	assert_count(r, "interviews", BIG_APPS);
	assert_count(r, "offers", BIG_APPS / 4);
	assert_num(json_object_get(r, "median_days_to_response"), 3.0);
	json_decref(r);
	analytics_data_free(d);
	store_close(s);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview), cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_trends),   cmocka_unit_test(test_groups_and_months),
		cmocka_unit_test(test_empty),    cmocka_unit_test(test_new_year_overview),
		cmocka_unit_test(test_new_year_pipeline), cmocka_unit_test(test_new_year_trends),
		cmocka_unit_test(test_new_year_months_and_groups), cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_load),     cmocka_unit_test(test_load_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
