/* test_analytics.c - every report on a hand-built data set whose numbers were worked out
 * by hand (see the comments), and analytics_load() against a real store. */
#include "apptrack/analytics.h"
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
	json_t *fields = json_pack("{s:s,s:s,s:s}", "company", "A", "position", "P", "source", "referral");
	assert_int_equal(pipeline_app_add(s, &delays, fields, 0, &a, NULL), 0);
	json_decref(fields);
	fields = json_pack("{s:s,s:s}", "company", "B", "position", "P");
	assert_int_equal(pipeline_app_add(s, &delays, fields, 0, &b, NULL), 0);
	json_decref(fields);
	assert_int_equal(pipeline_app_set_status(s, &delays, a, "screen", NULL, 0, NULL, NULL), 0);
	assert_int_equal(pipeline_app_set_status(s, &delays, a, "offer", NULL, 0, NULL, NULL), 0);
	json_t *note = NULL;
	assert_int_equal(pipeline_app_note(s, b, "not a status entry", &note, NULL), 0);
	json_decref(note);

	assert_int_equal(analytics_load(s, &d, NULL), 0);
	assert_int_equal(d->n_apps, 2);
	assert_int_equal(d->n_entries, 4); /* 2 created + 2 status changes; notes are not entries */
	assert_int_equal(d->apps[0].status, APP_OFFER);
	assert_string_equal(d->apps[0].source, "referral");
	assert_int_equal(d->entries[2].status, APP_OFFER);
	json_t *r = report(d, NULL, NULL);
	assert_num(json_object_get(r, "response_rate"), 0.5);
	assert_num(json_object_get(r, "offer_rate"), 0.5);
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
		cmocka_unit_test(test_empty),    cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
