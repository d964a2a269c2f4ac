/* analytics.c - pipeline reports computed from applications and their status history.
 *
 * analytics_load() reads two ordered queries; analytics_report() first folds each
 * application's history into a summary (furthest stage reached, response, first response
 * time, time spent per stage) and then aggregates those for the report asked for. The
 * definitions are in analytics.h and docs/analytics.md.
 */
#include "apptrack/analytics.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#define SECONDS_PER_DAY 86400.0
#define TRENDS_DEFAULT_WEEKS 12
#define TRENDS_MAX_WEEKS 520
#define GROUPS_DEFAULT_LIMIT 20
#define GROUPS_MAX_LIMIT 10000
#define NONE_KEY "(none)"

void analytics_data_free(struct an_data *data)
{
	if (!data)
		return;
	for (size_t i = 0; i < data->n_apps; i++) {
		g_free(data->apps[i].source);
		g_free(data->apps[i].position);
		g_free(data->apps[i].location);
		g_free(data->apps[i].applied_at);
	}
	g_free(data->apps);
	g_free(data->entries);
	g_free(data);
}

static char *column_dup(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : g_strdup((const char *)sqlite3_column_text(st, i));
}

static int64_t column_time(sqlite3_stmt *st, int i)
{
	int64_t t = 0;
	const char *text = (const char *)sqlite3_column_text(st, i);
	if (text)
		time_parse_iso(text, &t);
	return t;
}

int analytics_load(store *s, struct an_data **ret_data, GError **error)
{
	static const char apps_sql[] = "SELECT id, status, source, position, location, applied_at, created_at "
				       "FROM applications ORDER BY id";
	static const char entries_sql[] = "SELECT application_id, at, to_status FROM events "
					  "WHERE kind IN ('created', 'status_change') AND to_status IS NOT NULL "
					  "ORDER BY application_id, at, id";
	g_autoptr(GArray) apps = g_array_new(FALSE, TRUE, sizeof(struct an_app));
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(struct an_entry));
	struct an_data *data;
	sqlite3_stmt *st;
	int rc, r;

	if ((r = store_prepare(s, apps_sql, &st, error)) < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct an_app a = { .id = sqlite3_column_int64(st, 0) };
		if (status_parse((const char *)sqlite3_column_text(st, 1), &a.status) < 0)
			continue;
		a.source = column_dup(st, 2);
		a.position = column_dup(st, 3);
		a.location = column_dup(st, 4);
		a.applied_at = column_dup(st, 5);
		a.created_at = column_time(st, 6);
		g_array_append_val(apps, a);
	}
	sqlite3_reset(st);
	data = g_new0(struct an_data, 1);
	data->n_apps = apps->len;
	data->apps = (struct an_app *)g_array_free(g_steal_pointer(&apps), FALSE);
	if (rc != SQLITE_DONE) {
		analytics_data_free(data);
		return store_error(s, error, "reading applications");
	}
	if ((r = store_prepare(s, entries_sql, &st, error)) < 0) {
		analytics_data_free(data);
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct an_entry e = { .app_id = sqlite3_column_int64(st, 0), .at = column_time(st, 1) };
		if (status_parse((const char *)sqlite3_column_text(st, 2), &e.status) == 0)
			g_array_append_val(entries, e);
	}
	sqlite3_reset(st);
	data->n_entries = entries->len;
	data->entries = (struct an_entry *)g_array_free(g_steal_pointer(&entries), FALSE);
	if (rc != SQLITE_DONE) {
		analytics_data_free(data);
		return store_error(s, error, "reading events");
	}
	data->now = time_now();
	*ret_data = data;
	return 0;
}

/* ---- per-application summary ---- */

struct summary {
	const struct an_app *app;
	enum app_status furthest; /* furthest pipeline stage reached; terminal ones count as applied */
	bool counted, response, interview, offer;
	double days_to_response;  /* < 0: unknown */
	int64_t first_response_at; /* 0: none known */
};

static bool is_response(enum app_status s)
{
	return (s >= APP_SCREEN && s <= APP_ACCEPTED) || s == APP_REJECTED;
}

static bool is_interview_or_later(enum app_status s)
{
	return status_is_interview(s) || s == APP_OFFER || s == APP_ACCEPTED;
}

static int64_t applied_midnight(const struct an_app *a)
{
	int64_t t;
	if (a->applied_at && time_parse_date(a->applied_at, NULL, &t) == 0)
		return t;
	return a->created_at;
}

/* Per-stage durations collected while summarizing. */
struct stage_times {
	GArray *days[APP_STATUS_COUNT]; /* of double */
};

static void summarize(const struct an_app *a, const struct an_entry *e, size_t n, struct summary *sum,
		      struct stage_times *times)
{
	enum app_status held;

	memset(sum, 0, sizeof(*sum));
	sum->app = a;
	sum->days_to_response = -1;
	sum->furthest = APP_SAVED;
	for (size_t i = 0; i <= n; i++) {
		held = i < n ? e[i].status : a->status; /* the current status is held too */
		enum app_status stage = status_is_terminal(held) ? APP_APPLIED : held;
		if (stage > sum->furthest)
			sum->furthest = stage;
		sum->response = sum->response || is_response(held);
		sum->interview = sum->interview || is_interview_or_later(held);
		sum->offer = sum->offer || held == APP_OFFER || held == APP_ACCEPTED;
		if (i >= n)
			break;
		/* the first entry is the creation: when a response arrived is known only from
		 * later status changes */
		if (i > 0 && is_response(held) && !sum->first_response_at) {
			sum->first_response_at = e[i].at;
			sum->days_to_response = (double)(e[i].at - applied_midnight(a)) / SECONDS_PER_DAY;
		}
		if (times && i + 1 < n)
			g_array_append_val(times->days[held], (double){ (double)(e[i + 1].at - e[i].at) / SECONDS_PER_DAY });
	}
	sum->counted = sum->furthest >= APP_APPLIED;
}

static struct summary *summarize_all(const struct an_data *data, struct stage_times *times)
{
	struct summary *sums = g_new0(struct summary, data->n_apps ? data->n_apps : 1);
	size_t j = 0;

	for (size_t i = 0; i < data->n_apps; i++) {
		const struct an_app *a = &data->apps[i];
		while (j < data->n_entries && data->entries[j].app_id < a->id)
			j++;
		size_t start = j;
		while (j < data->n_entries && data->entries[j].app_id == a->id)
			j++;
		summarize(a, data->entries + start, j - start, &sums[i], times);
	}
	return sums;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static json_t *median_json(GArray *v)
{
	if (!v || v->len == 0)
		return json_null();
	qsort(v->data, v->len, sizeof(double), cmp_double);
	double *d = (double *)v->data;
	size_t n = v->len;
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

/* ---- reports ---- */

static int report_overview(const struct an_data *data, const struct summary *sums, json_t **ret)
{
	size_t by_status[APP_STATUS_COUNT] = { 0 };
	size_t counted = 0, responses = 0, interviews = 0, offers = 0, active = 0;
	g_autoptr(GArray) days = g_array_new(FALSE, FALSE, sizeof(double));

	for (size_t i = 0; i < data->n_apps; i++) {
		const struct summary *s = &sums[i];
		by_status[s->app->status]++;
		if (s->app->status >= APP_APPLIED && s->app->status <= APP_OFFER)
			active++;
		if (!s->counted)
			continue;
		counted++;
		responses += s->response;
		interviews += s->interview;
		offers += s->offer;
		if (s->days_to_response >= 0)
			g_array_append_val(days, s->days_to_response);
	}
	json_t *statuses = json_object();
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		json_object_set_new(statuses, status_name(i), json_integer((json_int_t)by_status[i]));
	*ret = json_pack("{s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "total", (json_int_t)data->n_apps, "active",
			 (json_int_t)active, "by_status", statuses, "counted", (json_int_t)counted, "responses",
			 (json_int_t)responses, "interviews", (json_int_t)interviews, "offers", (json_int_t)offers,
			 "response_rate", rate_json(responses, counted), "interview_rate", rate_json(interviews, counted),
			 "offer_rate", rate_json(offers, counted), "median_days_to_response", median_json(days));
	return 0;
}

static int report_pipeline(const struct an_data *data, const struct summary *sums, struct stage_times *times,
			   json_t **ret)
{
	size_t reached[APP_STATUS_COUNT] = { 0 }, counted = 0;
	json_t *funnel = json_array(), *tis = json_array();

	for (size_t i = 0; i < data->n_apps; i++) {
		if (!sums[i].counted)
			continue;
		counted++;
		for (int st = APP_APPLIED; st <= (int)sums[i].furthest; st++)
			reached[st]++;
	}
	for (int st = APP_APPLIED; st <= APP_ACCEPTED; st++) {
		json_array_append_new(funnel, json_pack("{s:s,s:I,s:o}", "stage", status_name(st), "count",
							(json_int_t)reached[st], "share", rate_json(reached[st], counted)));
		GArray *d = times->days[st];
		json_array_append_new(tis, json_pack("{s:s,s:I,s:o,s:o}", "stage", status_name(st), "count",
						     (json_int_t)d->len, "median_days", median_json(d), "mean_days",
						     mean_json(d)));
	}
	*ret = json_pack("{s:o,s:o}", "funnel", funnel, "time_in_stage", tis);
	return 0;
}

/* Days since 1970-01-01 of a date, via GDate (Julian days). */
static int64_t date_day(GDate *d)
{
	return (int64_t)g_date_get_julian(d);
}

static bool parse_gdate(const char *text, GDate *d)
{
	int y, m, day;
	char canon[TIME_DATE_LEN];

	if (!text || time_parse_date(text, canon, NULL) < 0 || sscanf(canon, "%d-%d-%d", &y, &m, &day) != 3)
		return false;
	g_date_clear(d, 1);
	g_date_set_dmy(d, (GDateDay)day, (GDateMonth)m, (GDateYear)y);
	return true;
}

static void gdate_from_time(int64_t t, GDate *d)
{
	char buf[TIME_DATE_LEN];
	parse_gdate(time_format_date(t, buf), d);
}

/* Julian day of the Monday of d's ISO week. */
static int64_t week_start(GDate *d)
{
	return date_day(d) - ((int64_t)g_date_get_weekday(d) - G_DATE_MONDAY);
}

static int report_trends(const struct an_data *data, const struct summary *sums, json_t *params, json_t **ret,
			 GError **error)
{
	json_t *w = json_object_get(params, "weeks");
	int64_t weeks = TRENDS_DEFAULT_WEEKS;
	GDate today;

	if (w && !json_is_null(w)) {
		if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > TRENDS_MAX_WEEKS)
			return at_error_set(error, -EINVAL, "weeks must be an integer from 1 to %d", TRENDS_MAX_WEEKS);
		weeks = json_integer_value(w);
	}
	gdate_from_time(data->now, &today);
	int64_t last = week_start(&today), first = last - 7 * (weeks - 1);
	g_autofree size_t *applied = g_new0(size_t, weeks);
	g_autofree size_t *responses = g_new0(size_t, weeks);

	for (size_t i = 0; i < data->n_apps; i++) {
		GDate d;
		if (parse_gdate(sums[i].app->applied_at, &d)) {
			int64_t ws = week_start(&d);
			if (ws >= first && ws <= last)
				applied[(ws - first) / 7]++;
		}
		if (sums[i].first_response_at) {
			gdate_from_time(sums[i].first_response_at, &d);
			int64_t ws = week_start(&d);
			if (ws >= first && ws <= last)
				responses[(ws - first) / 7]++;
		}
	}
	json_t *arr = json_array();
	for (int64_t k = 0; k < weeks; k++) {
		GDate d;
		char label[16], start[32];
		g_date_clear(&d, 1);
		g_date_set_julian(&d, (guint32)(first + 7 * k));
		/* the ISO week-numbering year is the year of the week's Thursday */
		GDate thursday = d;
		g_date_add_days(&thursday, 3);
		snprintf(label, sizeof(label), "%04u-W%02u", g_date_get_year(&thursday),
			 g_date_get_iso8601_week_of_year(&d));
		snprintf(start, sizeof(start), "%04u-%02u-%02u", g_date_get_year(&d), g_date_get_month(&d),
			 g_date_get_day(&d));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "week", label, "start", start, "applied",
						     (json_int_t)applied[k], "responses", (json_int_t)responses[k]));
	}
	*ret = json_pack("{s:o}", "weeks", arr);
	return 0;
}

static int report_months(const struct an_data *data, const struct summary *sums, json_t **ret)
{
	int min = INT_MAX, max = INT_MIN;
	int *month_of = g_new(int, data->n_apps ? data->n_apps : 1);

	for (size_t i = 0; i < data->n_apps; i++) {
		GDate d;
		month_of[i] = -1;
		if (!sums[i].counted || !parse_gdate(sums[i].app->applied_at, &d))
			continue;
		month_of[i] = (int)g_date_get_year(&d) * 12 + (int)g_date_get_month(&d) - 1;
		min = MIN(min, month_of[i]);
		max = MAX(max, month_of[i]);
	}
	json_t *arr = json_array();
	for (int m = min; min != INT_MAX && m <= max; m++) {
		size_t applied = 0, responses = 0, interviews = 0, offers = 0;
		for (size_t i = 0; i < data->n_apps; i++) {
			if (month_of[i] != m)
				continue;
			applied++;
			responses += sums[i].response;
			interviews += sums[i].interview;
			offers += sums[i].offer;
		}
		char label[16];
		snprintf(label, sizeof(label), "%04d-%02d", m / 12, m % 12 + 1);
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:I,s:I}", "month", label, "applied",
						     (json_int_t)applied, "responses", (json_int_t)responses, "interviews",
						     (json_int_t)interviews, "offers", (json_int_t)offers));
	}
	g_free(month_of);
	*ret = json_pack("{s:o}", "months", arr);
	return 0;
}

struct group {
	char *key; /* first-seen spelling */
	size_t applications, responses, interviews, offers;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a, *y = *(struct group *const *)b;
	if (x->applications != y->applications)
		return x->applications < y->applications ? 1 : -1;
	return g_utf8_collate(x->key, y->key);
}

static void group_free(gpointer p)
{
	struct group *g = p;
	g_free(g->key);
	g_free(g);
}

static int report_groups(const struct an_data *data, const struct summary *sums, const char *name,
			 size_t field_offset, json_t *params, json_t **ret, GError **error)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
	json_t *l = json_object_get(params, "limit");
	int64_t limit = GROUPS_DEFAULT_LIMIT;

	if (l && !json_is_null(l)) {
		if (!json_is_integer(l) || json_integer_value(l) < 1 || json_integer_value(l) > GROUPS_MAX_LIMIT)
			return at_error_set(error, -EINVAL, "limit must be an integer from 1 to %d", GROUPS_MAX_LIMIT);
		limit = json_integer_value(l);
	}
	for (size_t i = 0; i < data->n_apps; i++) {
		if (!sums[i].counted)
			continue;
		const char *raw = *(char *const *)((const char *)sums[i].app + field_offset);
		g_autofree char *trimmed = g_strstrip(g_strdup(raw ? raw : ""));
		const char *shown = *trimmed ? trimmed : NONE_KEY;
		g_autofree char *folded = g_utf8_casefold(shown, -1);
		struct group *g = g_hash_table_lookup(groups, folded);
		if (!g) {
			g = g_new0(struct group, 1);
			g->key = g_strdup(shown);
			g_hash_table_insert(groups, g_strdup(folded), g);
		}
		g->applications++;
		g->responses += sums[i].response;
		g->interviews += sums[i].interview;
		g->offers += sums[i].offer;
	}
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, groups);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(sorted, value);
	qsort(sorted->pdata, sorted->len, sizeof(gpointer), cmp_group);
	json_t *arr = json_array();
	for (guint i = 0; i < sorted->len && (int64_t)i < limit; i++) {
		struct group *g = sorted->pdata[i];
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:o,s:I,s:o,s:I,s:o}", "key", g->key, "applications",
						     (json_int_t)g->applications, "responses", (json_int_t)g->responses,
						     "response_rate", rate_json(g->responses, g->applications),
						     "interviews", (json_int_t)g->interviews, "interview_rate",
						     rate_json(g->interviews, g->applications), "offers",
						     (json_int_t)g->offers, "offer_rate", rate_json(g->offers, g->applications)));
	}
	*ret = json_pack("{s:o}", name, arr);
	return 0;
}

static const char *const report_names[] = { "overview", "pipeline", "trends", "sources",
					    "months",   "positions", "locations" };

int analytics_report(const struct an_data *data, const char *report, json_t *params, json_t **ret_report,
		     GError **error)
{
	struct stage_times times = { 0 };
	struct summary *sums;
	json_t *result = NULL;
	size_t which;
	int r;

	if (!report)
		report = "overview";
	for (which = 0; which < G_N_ELEMENTS(report_names); which++)
		if (strcmp(report, report_names[which]) == 0)
			break;
	if (which == G_N_ELEMENTS(report_names)) {
		g_autofree char *names = g_strjoinv(", ", (char **)report_names);
		return at_error_set(error, -EINVAL, "unknown report \"%s\" (valid: %s)", report, names);
	}
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		times.days[i] = g_array_new(FALSE, FALSE, sizeof(double));
	sums = summarize_all(data, &times);
	switch (which) {
	case 0: r = report_overview(data, sums, &result); break;
	case 1: r = report_pipeline(data, sums, &times, &result); break;
	case 2: r = report_trends(data, sums, params, &result, error); break;
	case 3: r = report_groups(data, sums, "sources", G_STRUCT_OFFSET(struct an_app, source), params, &result, error); break;
	case 4: r = report_months(data, sums, &result); break;
	case 5: r = report_groups(data, sums, "positions", G_STRUCT_OFFSET(struct an_app, position), params, &result, error); break;
	default: r = report_groups(data, sums, "locations", G_STRUCT_OFFSET(struct an_app, location), params, &result, error); break;
	}
	for (int i = 0; i < APP_STATUS_COUNT; i++)
		g_array_free(times.days[i], TRUE);
	g_free(sums);
	if (r < 0)
		return r;
	*ret_report = result;
	return 0;
}
