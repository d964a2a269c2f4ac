/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analytics_load.c - what the pipeline reports need, read from the store (analytics_load(),
 * analytics.h): the applications and their status history, in two queries, one pass over
 * each table, into a plain struct an_data that analytics.c computes the reports from.
 */
#include "apptrack/analytics.h"

#include "apptrack/timeutil.h"
#include "analytics_internal.h"

#include <string.h>

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
