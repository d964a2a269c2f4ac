/* analytics.c - pipeline reports computed from applications and their status history.
 *
 * analytics_load() reads everything in two queries, one pass over each table.
 * analytics_report() first folds each application's status entries into a summary
 * (furthest stage reached, response, interview, offer, first response, applied day) and
 * then aggregates the summaries into the report asked for; nothing here touches the
 * database, so the reports are tested on hand-made data. The definitions are in analytics.h and docs/analytics.md.
 */
#include "apptrack/analytics.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"

#include <string.h>

#define SECONDS_PER_DAY 86400
#define DAYS_PER_WEEK 7
#define MONTHS_PER_YEAR 12
#define TRENDS_DEFAULT_WEEKS 12
#define TRENDS_MAX_WEEKS 520
#define GROUPS_DEFAULT_LIMIT 20
#define GROUPS_MAX_LIMIT 100000
#define NONE_KEY "(none)"
#define NO_DAY 0 /* GDate Julian days start at 1 */
#define LABEL_LEN 16
#define UNIX_EPOCH_JULIAN 719163 /* GDate Julian day of 1970-01-01 */
#define SECONDS_PER_HOUR 3600
#define SECONDS_PER_MINUTE 60
#define MINUTES_PER_HOUR 60
#define HOURS_PER_DAY 24

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

/* ---- dates ---- */

/* The value of n decimal digits at p, or -1 when one is not a digit. */
static int digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static guint32 julian_of_dmy(int d, int m, int y)
{
	GDate g;

	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NO_DAY;
	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return g_date_get_julian(&g);
}

/* ---- loading ---- */

/* Unix seconds of a stored time. The canonical "YYYY-MM-DDTHH:MM:SSZ" the pipeline writes
 * is read by hand: sscanf would be most of the time of loading 40,000 events. */
static int64_t column_time(sqlite3_stmt *st, int i)
{
	enum { Y_AT = 0, MO_AT = 5, D_AT = 8, H_AT = 11, MI_AT = 14, S_AT = 17, CANONICAL_LEN = TIME_ISO_LEN - 1 };
	const char *text = (const char *)sqlite3_column_text(st, i);
	int64_t t = 0;

	if (text && sqlite3_column_bytes(st, i) == CANONICAL_LEN && text[4] == '-' && text[7] == '-' &&
	    text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == 'Z') {
		int y = digits(text + Y_AT, 4), mo = digits(text + MO_AT, 2), d = digits(text + D_AT, 2);
		int h = digits(text + H_AT, 2), mi = digits(text + MI_AT, 2), sec = digits(text + S_AT, 2);
		guint32 day = y > 0 && mo > 0 && d > 0 ? julian_of_dmy(d, mo, y) : NO_DAY;

		if (day != NO_DAY && h >= 0 && h < HOURS_PER_DAY && mi >= 0 && mi < MINUTES_PER_HOUR && sec >= 0 &&
		    sec < SECONDS_PER_MINUTE)
			return ((int64_t)day - UNIX_EPOCH_JULIAN) * SECONDS_PER_DAY + h * SECONDS_PER_HOUR +
			       mi * SECONDS_PER_MINUTE + sec;
	}
	time_parse_iso(text, &t); /* anything else: the general parser (0 when unreadable) */
	return t;
}

static char *column_dup(sqlite3_stmt *st, int i)
{
	const char *text = (const char *)sqlite3_column_text(st, i);
	return text ? g_strdup(text) : NULL;
}

static int load_apps(store *s, GArray *apps, GError **error)
{
	static const char sql[] = "SELECT id, status, source, position, location, applied_at, created_at "
				  "FROM applications ORDER BY id";
	sqlite3_stmt *st;
	int rc, r;

	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct an_app a = { .id = sqlite3_column_int64(st, 0) };

		/* the schema's CHECK keeps statuses valid; skip rather than guess otherwise */
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
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading applications for statistics");
}

/* An entry with the event id that orders entries of the same moment. */
struct loaded_entry {
	struct an_entry e;
	int64_t event_id;
};

static gint cmp_loaded_entry(gconstpointer a, gconstpointer b)
{
	const struct loaded_entry *x = a, *y = b;

	if (x->e.app_id != y->e.app_id)
		return x->e.app_id < y->e.app_id ? -1 : 1;
	if (x->e.at != y->e.at)
		return x->e.at < y->e.at ? -1 : 1;
	return (x->event_id > y->event_id) - (x->event_id < y->event_id);
}

static int load_entries(store *s, GArray *entries, GError **error)
{
	/* In table order, sorted here: following the (application_id, at) index would visit
	 * the rows of an application's history scattered over the file, page by page,
	 * several times slower than one sequential pass. */
	static const char sql[] = "SELECT id, application_id, at, to_status FROM events "
				  "WHERE kind IN ('created', 'status_change') AND to_status IS NOT NULL ORDER BY id";
	g_autoptr(GArray) loaded = g_array_new(FALSE, FALSE, sizeof(struct loaded_entry));
	sqlite3_stmt *st;
	int rc, r;

	if ((r = store_prepare(s, sql, &st, error)) < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct loaded_entry le = {
			.event_id = sqlite3_column_int64(st, 0),
			.e = { .app_id = sqlite3_column_int64(st, 1), .at = column_time(st, 2) },
		};

		if (status_parse((const char *)sqlite3_column_text(st, 3), &le.e.status) == 0)
			g_array_append_val(loaded, le);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, error, "reading the timeline for statistics");
	g_array_sort(loaded, cmp_loaded_entry);
	g_array_set_size(entries, loaded->len);
	for (guint i = 0; i < loaded->len; i++)
		g_array_index(entries, struct an_entry, i) = g_array_index(loaded, struct loaded_entry, i).e;
	return 0;
}

int analytics_load(store *s, struct an_data **ret_data, GError **error)
{
	GArray *apps = g_array_new(FALSE, TRUE, sizeof(struct an_app));
	GArray *entries = g_array_new(FALSE, TRUE, sizeof(struct an_entry));
	struct an_data *data = g_new0(struct an_data, 1);
	int r, r2;

	r = load_apps(s, apps, error);
	r2 = r < 0 ? r : load_entries(s, entries, error);
	/* hand the arrays to data first, so that one free releases whatever was read */
	data->n_apps = apps->len;
	data->apps = (struct an_app *)(void *)g_array_free(apps, FALSE);
	data->n_entries = entries->len;
	data->entries = (struct an_entry *)(void *)g_array_free(entries, FALSE);
	if (r2 < 0) {
		analytics_data_free(data);
		return r2;
	}
	data->now = time_now();
	*ret_data = data;
	return 0;
}

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
