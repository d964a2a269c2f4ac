/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analytics.c - pipeline reports computed from applications and their status history.
 *
 * analytics_report() first folds each application's status entries into a summary
 * (furthest stage reached, response, interview, offer, first response, applied day) and
 * then aggregates the summaries into the report asked for. Nothing here touches the
 * database (analytics_load.c reads it), so the reports are tested on hand-made data. The
 * definitions are in analytics.h and docs/analytics.md.
 */
#include "apptrack/analytics.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"
#include "analytics_internal.h"

#include <string.h>

#define DAYS_PER_WEEK 7
#define MONTHS_PER_YEAR 12
#define TRENDS_DEFAULT_WEEKS 12
#define TRENDS_MAX_WEEKS 520
#define GROUPS_DEFAULT_LIMIT 20
#define GROUPS_MAX_LIMIT 100000
#define NONE_KEY "(none)"
#define LABEL_LEN 16

/* ---- per-application summary ---- */

struct summary {
	const struct an_app *app;
	enum app_status furthest;  /* furthest pipeline stage reached; a terminal status counts as applied */
	bool counted, response, interview, offer;
	bool has_response_time;
	double days_to_response;
	int64_t first_response_at; /* valid when has_response_time */
	guint32 applied_day;       /* Julian day of applied_at, or NO_DAY */
};

static bool is_response(enum app_status s)
{
	return (s >= APP_SCREEN && s <= APP_ACCEPTED) || s == APP_REJECTED;
}

/* The statuses the definition of an interview lists; assessment is not one of them. */
static bool is_interview(enum app_status s)
{
	return status_is_interview(s) || s == APP_OFFER || s == APP_ACCEPTED;
}

/* Julian day (GDate numbering) of a "YYYY-MM-DD" (or "YYYY/MM/DD") date, or NO_DAY.
 * By hand rather than sscanf: it runs for every application of every report. */
static guint32 julian_of_date(const char *text)
{
	enum { DATE_LEN = TIME_DATE_LEN - 1, MONTH_AT = 5, DAY_AT = 8 };
	int y, m, d;

	if (!text || strlen(text) != DATE_LEN || (text[4] != '-' && text[4] != '/') || text[7] != text[4])
		return NO_DAY;
	y = digits(text, 4);
	m = digits(text + MONTH_AT, 2);
	d = digits(text + DAY_AT, 2);
	if (y <= 0 || m <= 0 || d <= 0)
		return NO_DAY;
	return julian_of_dmy(d, m, y);
}

/* Julian day of the local date of t. */
static guint32 julian_of_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return NO_DAY;
	return julian_of_dmy(tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
}

/* Julian day of the Monday of the ISO week that holds day. */
static guint32 week_monday(guint32 day)
{
	GDate g;

	g_date_clear(&g, 1);
	g_date_set_julian(&g, day);
	return day - (guint32)(g_date_get_weekday(&g) - G_DATE_MONDAY);
}

/* Per-stage durations in days (of double), collected for the pipeline report. */
struct stage_times {
	GArray *days[APP_STATUS_COUNT];
};

static int64_t applied_midnight(const struct an_app *a)
{
	int64_t t;

	if (a->applied_at && time_parse_date(a->applied_at, NULL, &t) == 0)
		return t;
	return a->created_at;
}

/* Folds one application's entries e[0..n) (oldest first) into sum. */
static void summarize(const struct an_app *a, const struct an_entry *e, size_t n, struct summary *sum,
		      struct stage_times *times)
{
	memset(sum, 0, sizeof(*sum));
	sum->app = a;
	sum->furthest = APP_SAVED;
	sum->applied_day = julian_of_date(a->applied_at);
	/* the entries, then the current status: it is held too, even if no entry says so */
	for (size_t i = 0; i <= n; i++) {
		enum app_status held = i < n ? e[i].status : a->status;
		enum app_status stage = status_is_terminal(held) ? APP_APPLIED : held;

		if ((unsigned)held >= APP_STATUS_COUNT) /* only hand-made data could hold one */
			continue;

		if (stage > sum->furthest)
			sum->furthest = stage;
		sum->response = sum->response || is_response(held);
		sum->interview = sum->interview || is_interview(held);
		if (i == n)
			break;
		/* The first entry is the creation: an application created already in a
		 * response status tells nothing about when the response came. */
		if (i > 0 && is_response(held) && !sum->has_response_time) {
			double days = (double)(e[i].at - applied_midnight(a)) / (double)SECONDS_PER_DAY;
			sum->first_response_at = e[i].at;
			sum->has_response_time = true;
			sum->days_to_response = days;
		}
		if (times && i + 1 < n) {
			double days = (double)(e[i + 1].at - e[i].at) / (double)SECONDS_PER_DAY;
			g_array_append_val(times->days[held], days);
		}
	}
	/* reached X = held X or a later pipeline stage */
	sum->counted = sum->furthest >= APP_APPLIED;
	sum->response = sum->response || sum->furthest >= APP_SCREEN;
	sum->interview = sum->interview || sum->furthest >= APP_TECHNICAL;
	sum->offer = sum->furthest >= APP_OFFER;
}

/* The index of the first entry of app_id in the sorted entries (n when none). */
static size_t first_entry(const struct an_data *data, int64_t app_id)
{
	size_t lo = 0, hi = data->n_entries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (data->entries[mid].app_id < app_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Summaries of all applications, in data->apps order. g_free. */
static struct summary *summarize_all(const struct an_data *data, struct stage_times *times)
{
	struct summary *sums = g_new0(struct summary, data->n_apps ? data->n_apps : 1);

	for (size_t i = 0; i < data->n_apps; i++) {
		const struct an_app *a = &data->apps[i];
		size_t start = first_entry(data, a->id), end = start;

		while (end < data->n_entries && data->entries[end].app_id == a->id)
			end++;
		summarize(a, data->entries + start, end - start, &sums[i], times);
	}
	return sums;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median (of an even count: the mean of the middle two), or null. Sorts v. */
static json_t *median_json(GArray *v)
{
	const double *d;
	size_t n;

	if (!v || v->len == 0)
		return json_null();
	qsort(v->data, v->len, sizeof(double), cmp_double);
	d = (const double *)(void *)v->data;
	n = v->len;
	return json_real(n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2);
}

static json_t *mean_json(GArray *v)
{
	double sum = 0;

	if (!v || v->len == 0)
		return json_null();
	for (guint i = 0; i < v->len; i++)
		sum += g_array_index(v, double, i);
	return json_real(sum / v->len);
}

static json_t *rate_json(size_t num, size_t den)
{
	return den ? json_real((double)num / (double)den) : json_null();
}

/* An optional integer parameter from lo to hi, def when absent or null. */
static int int_param(json_t *params, const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *ret,
		     GError **error)
{
	json_t *v = json_is_object(params) ? json_object_get(params, name) : NULL;

	if (!v || json_is_null(v)) {
		*ret = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return at_error_set(error, -EINVAL, "%s must be a whole number from %" G_GINT64_FORMAT
				    " to %" G_GINT64_FORMAT, name, lo, hi);
	*ret = json_integer_value(v);
	return 0;
}

/* ---- reports ---- */

struct report_ctx {
	const struct an_data *data;
	const struct summary *sums;
	struct stage_times *times;
	json_t *params;
};

static int report_overview(const struct report_ctx *c, json_t **ret, GError **error)
{
	size_t by_status[APP_STATUS_COUNT] = { 0 };
	size_t counted = 0, responses = 0, interviews = 0, offers = 0, active = 0;
	g_autoptr(GArray) days = g_array_new(FALSE, FALSE, sizeof(double));
	json_t *statuses = json_object();

	(void)error;
	for (size_t i = 0; i < c->data->n_apps; i++) {
		const struct summary *s = &c->sums[i];
		enum app_status st = s->app->status;

		if ((unsigned)st < APP_STATUS_COUNT)
			by_status[st]++;
		if (st >= APP_APPLIED && st <= APP_OFFER)
			active++;
		if (!s->counted)
			continue;
		counted++;
		responses += s->response;
		interviews += s->interview;
		offers += s->offer;
		/* a response dated before the applied date is a data slip, not a time */
		if (s->has_response_time && s->days_to_response >= 0)
			g_array_append_val(days, s->days_to_response);
	}
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		json_object_set_new(statuses, status_name(i), json_integer((json_int_t)by_status[i]));
	*ret = json_pack("{s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "total", (json_int_t)c->data->n_apps,
			 "active", (json_int_t)active, "by_status", statuses, "counted", (json_int_t)counted,
			 "responses", (json_int_t)responses, "interviews", (json_int_t)interviews, "offers",
			 (json_int_t)offers, "response_rate", rate_json(responses, counted), "interview_rate",
			 rate_json(interviews, counted), "offer_rate", rate_json(offers, counted),
			 "median_days_to_response", median_json(days));
	return 0;
}

static int report_pipeline(const struct report_ctx *c, json_t **ret, GError **error)
{
	size_t reached[APP_STATUS_COUNT] = { 0 }, counted = 0;
	json_t *funnel = json_array(), *tis = json_array();

	(void)error;
	for (size_t i = 0; i < c->data->n_apps; i++) {
		if (!c->sums[i].counted)
			continue;
		counted++;
		for (int st = APP_APPLIED; st <= (int)c->sums[i].furthest; st++)
			reached[st]++;
	}
	for (int st = APP_APPLIED; st <= APP_ACCEPTED; st++) {
		GArray *d = c->times->days[st];

		json_array_append_new(funnel, json_pack("{s:s,s:I,s:o}", "stage", status_name(st), "count",
							(json_int_t)reached[st], "share", rate_json(reached[st], counted)));
		/* mean first: the median sorts the array */
		json_t *mean = mean_json(d);
		json_array_append_new(tis, json_pack("{s:s,s:I,s:o,s:o}", "stage", status_name(st), "count",
						     (json_int_t)d->len, "median_days", median_json(d), "mean_days",
						     mean));
	}
	*ret = json_pack("{s:o,s:o}", "funnel", funnel, "time_in_stage", tis);
	return 0;
}

static void format_day(guint32 day, char label[LABEL_LEN], char start[LABEL_LEN])
{
	GDate g, thursday;

	g_date_clear(&g, 1);
	g_date_set_julian(&g, day);
	/* an ISO week belongs to the year that holds its Thursday */
	thursday = g;
	g_date_add_days(&thursday, 3);
	snprintf(label, LABEL_LEN, "%04u-W%02u", (unsigned)g_date_get_year(&thursday),
		 g_date_get_iso8601_week_of_year(&g));
	snprintf(start, LABEL_LEN, "%04u-%02u-%02u", (unsigned)g_date_get_year(&g), (unsigned)g_date_get_month(&g),
		 (unsigned)g_date_get_day(&g));
}

static int report_trends(const struct report_ctx *c, json_t **ret, GError **error)
{
	int64_t weeks = TRENDS_DEFAULT_WEEKS;
	int r;

	if ((r = int_param(c->params, "weeks", 1, TRENDS_MAX_WEEKS, TRENDS_DEFAULT_WEEKS, &weeks, error)) < 0)
		return r;
	guint32 today = julian_of_time(c->data->now);
	if (today == NO_DAY)
		return at_error_set(error, -EINVAL, "the current date is out of range for statistics");
	guint32 last = week_monday(today);
	/* too early a "now" for that many weeks: start from the first representable week */
	int64_t first64 = (int64_t)last - (int64_t)DAYS_PER_WEEK * (weeks - 1);
	while (first64 < 1) {
		first64 += DAYS_PER_WEEK;
		weeks--;
	}
	guint32 first = (guint32)first64;
	g_autofree size_t *applied = g_new0(size_t, (size_t)weeks);
	g_autofree size_t *responses = g_new0(size_t, (size_t)weeks);

	for (size_t i = 0; i < c->data->n_apps; i++) {
		const struct summary *s = &c->sums[i];
		guint32 w;

		if (s->applied_day != NO_DAY && (w = week_monday(s->applied_day)) >= first && w <= last)
			applied[(w - first) / DAYS_PER_WEEK]++;
		if (s->has_response_time) {
			guint32 day = julian_of_time(s->first_response_at);
			if (day != NO_DAY && (w = week_monday(day)) >= first && w <= last)
				responses[(w - first) / DAYS_PER_WEEK]++;
		}
	}
	json_t *arr = json_array();
	for (int64_t k = 0; k < weeks; k++) {
		char label[LABEL_LEN], start[LABEL_LEN];

		format_day(first + (guint32)(DAYS_PER_WEEK * k), label, start);
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "week", label, "start", start, "applied",
						     (json_int_t)applied[k], "responses", (json_int_t)responses[k]));
	}
	*ret = json_pack("{s:o}", "weeks", arr);
	return 0;
}

struct month_counts {
	size_t applied, responses, interviews, offers;
};

/* Months since year 0 of a Julian day. */
static int month_index(guint32 day)
{
	GDate g;

	g_date_clear(&g, 1);
	g_date_set_julian(&g, day);
	return (int)g_date_get_year(&g) * MONTHS_PER_YEAR + (int)g_date_get_month(&g) - 1;
}

static int report_months(const struct report_ctx *c, json_t **ret, GError **error)
{
	g_autofree int *month_of = g_new(int, c->data->n_apps ? c->data->n_apps : 1);
	g_autofree struct month_counts *counts = NULL;
	int min = 0, max = -1;
	json_t *arr = json_array();

	(void)error;
	for (size_t i = 0; i < c->data->n_apps; i++) {
		const struct summary *s = &c->sums[i];

		month_of[i] = -1;
		if (!s->counted || s->applied_day == NO_DAY)
			continue;
		month_of[i] = month_index(s->applied_day);
		if (max < min) {
			min = max = month_of[i];
		} else {
			min = MIN(min, month_of[i]);
			max = MAX(max, month_of[i]);
		}
	}
	counts = g_new0(struct month_counts, max >= min ? (size_t)(max - min + 1) : 1);
	for (size_t i = 0; i < c->data->n_apps; i++) {
		if (month_of[i] < 0)
			continue;
		struct month_counts *m = &counts[month_of[i] - min];
		m->applied++;
		m->responses += c->sums[i].response;
		m->interviews += c->sums[i].interview;
		m->offers += c->sums[i].offer;
	}
	for (int m = min; m <= max; m++) {
		const struct month_counts *mc = &counts[m - min];
		char label[LABEL_LEN];

		snprintf(label, sizeof(label), "%04d-%02d", m / MONTHS_PER_YEAR, m % MONTHS_PER_YEAR + 1);
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:I,s:I}", "month", label, "applied",
						     (json_int_t)mc->applied, "responses", (json_int_t)mc->responses,
						     "interviews", (json_int_t)mc->interviews, "offers",
						     (json_int_t)mc->offers));
	}
	*ret = json_pack("{s:o}", "months", arr);
	return 0;
}

struct group {
	char *key;  /* first-seen spelling, trimmed */
	size_t order; /* first-seen position: ties keep it */
	size_t applications, responses, interviews, offers;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a, *y = *(struct group *const *)b;

	if (x->applications != y->applications)
		return x->applications < y->applications ? 1 : -1;
	return (x->order > y->order) - (x->order < y->order);
}

static void group_free(gpointer p)
{
	struct group *g = p;
	g_free(g->key);
	g_free(g);
}

static const char *group_field(const struct an_app *a, const char *name)
{
	if (strcmp(name, "sources") == 0)
		return a->source;
	if (strcmp(name, "positions") == 0)
		return a->position;
	return a->location;
}

static int report_groups(const struct report_ctx *c, const char *name, json_t **ret, GError **error)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	json_t *arr;
	int64_t limit;
	int r;

	if ((r = int_param(c->params, "limit", 1, GROUPS_MAX_LIMIT, GROUPS_DEFAULT_LIMIT, &limit, error)) < 0)
		return r;
	for (size_t i = 0; i < c->data->n_apps; i++) {
		const struct summary *s = &c->sums[i];
		const char *raw;

		if (!s->counted)
			continue;
		raw = group_field(s->app, name);
		g_autofree char *trimmed = g_strstrip(g_strdup(raw ? raw : ""));
		const char *shown = *trimmed ? trimmed : NONE_KEY;
		g_autofree char *folded = g_utf8_casefold(shown, -1);
		struct group *g = g_hash_table_lookup(groups, folded);
		if (!g) {
			g = g_new0(struct group, 1);
			g->key = g_strdup(shown);
			g->order = g_hash_table_size(groups);
			g_hash_table_insert(groups, g_steal_pointer(&folded), g);
			g_ptr_array_add(sorted, g);
		}
		g->applications++;
		g->responses += s->response;
		g->interviews += s->interview;
		g->offers += s->offer;
	}
	qsort(sorted->pdata, sorted->len, sizeof(gpointer), cmp_group);
	arr = json_array();
	for (guint i = 0; i < sorted->len && (int64_t)i < limit; i++) {
		const struct group *g = sorted->pdata[i];
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:o,s:I,s:o,s:I,s:o}", "key", g->key,
						     "applications", (json_int_t)g->applications, "responses",
						     (json_int_t)g->responses, "response_rate",
						     rate_json(g->responses, g->applications), "interviews",
						     (json_int_t)g->interviews, "interview_rate",
						     rate_json(g->interviews, g->applications), "offers",
						     (json_int_t)g->offers, "offer_rate",
						     rate_json(g->offers, g->applications)));
	}
	*ret = json_pack("{s:o}", name, arr);
	return 0;
}

static int report_sources(const struct report_ctx *c, json_t **ret, GError **error)
{
	return report_groups(c, "sources", ret, error);
}

static int report_positions(const struct report_ctx *c, json_t **ret, GError **error)
{
	return report_groups(c, "positions", ret, error);
}

static int report_locations(const struct report_ctx *c, json_t **ret, GError **error)
{
	return report_groups(c, "locations", ret, error);
}

static const struct report {
	const char *name;
	int (*run)(const struct report_ctx *c, json_t **ret, GError **error);
	bool stage_times; /* needs the time spent per stage */
} reports[] = {
	{ "overview", report_overview, false },   { "pipeline", report_pipeline, true },
	{ "trends", report_trends, false },       { "sources", report_sources, false },
	{ "months", report_months, false },       { "positions", report_positions, false },
	{ "locations", report_locations, false },
};

int analytics_report(const struct an_data *data, const char *report, json_t *params, json_t **ret_report,
		     GError **error)
{
	struct stage_times times = { { NULL } };
	const struct report *rep = NULL;
	struct report_ctx ctx = { .data = data, .times = &times, .params = params };
	struct summary *sums;
	json_t *result = NULL;
	int r;

	if (!report)
		report = reports[0].name;
	for (size_t i = 0; i < G_N_ELEMENTS(reports) && !rep; i++)
		if (strcmp(report, reports[i].name) == 0)
			rep = &reports[i];
	if (!rep) {
		g_autoptr(GString) names = g_string_new(NULL);
		for (size_t i = 0; i < G_N_ELEMENTS(reports); i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "", reports[i].name);
		return at_error_set(error, -EINVAL, "unknown report \"%s\" (valid: %s)", report, names->str);
	}
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		times.days[i] = g_array_new(FALSE, FALSE, sizeof(double));
	sums = summarize_all(data, rep->stage_times ? &times : NULL);
	ctx.sums = sums;
	r = rep->run(&ctx, &result, error);
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		g_array_free(times.days[i], TRUE);
	g_free(sums);
	if (r < 0)
		return r;
	*ret_report = result;
	return 0;
}
