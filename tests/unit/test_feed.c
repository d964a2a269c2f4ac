/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_feed.c - the calendar feed's bounds (what is in it as time goes by) and its cache:
 * an unchanged item is not made again, an edit of the item or of its application (even
 * within the same second) is, and the feed a cache builds is always the feed built afresh.
 * Rows are written with SQL (store_db()) so that their times are exact. */
#include "apptrack/feed.h"
#include "apptrack/store.h"
#include "apptrack/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fixture.h"

#define NOW INT64_C(1900000000) /* 2030-03-17 */
#define DAY INT64_C(86400)

static void sql(store *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void sql(store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *msg = NULL;
	if (sqlite3_exec(store_db(s), text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
}

static const char *iso(int64_t t, char buf[TIME_ISO_LEN])
{
	return time_format_iso(t, buf);
}

static void add_app(store *s, int64_t id, const char *company)
{
	char at[TIME_ISO_LEN];
	sql(s,
	    "INSERT INTO applications (id, company, position, status, created_at, updated_at) "
	    "VALUES (%" G_GINT64_FORMAT ", '%s', 'Engineer', 'applied', '%s', '%s')",
	    id, company, iso(NOW - 200 * DAY, at), at);
}

static void add_interview(store *s, int64_t id, int64_t app, int64_t starts)
{
	char at[TIME_ISO_LEN], end[TIME_ISO_LEN], upd[TIME_ISO_LEN];
	sql(s,
	    "INSERT INTO interviews (id, application_id, starts_at, ends_at, type, created_at, updated_at) "
	    "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', '%s', 'video', '%s', '%s')",
	    id, app, iso(starts, at), iso(starts + 3600, end), iso(NOW - 300 * DAY, upd), upd);
}

static void add_reminder(store *s, int64_t id, int64_t app, int64_t due, const char *state)
{
	char at[TIME_ISO_LEN], upd[TIME_ISO_LEN];
	sql(s,
	    "INSERT INTO reminders (id, application_id, kind, due_at, state, created_at, updated_at) "
	    "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'follow_up', '%s', '%s', '%s', '%s')",
	    id, app, iso(due, at), state, iso(NOW - 300 * DAY, upd), upd);
}

static bool has(const char *text, const char *uid)
{
	g_autofree char *line = g_strdup_printf("\r\nUID:%s\r\n", uid);
	return strstr(text, line) != NULL;
}

static unsigned count(const char *text, const char *what)
{
	unsigned n = 0;
	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* feed_update() with f; checks that it equals a build afresh; *made gets what was made. */
static char *update(struct feed *f, store *s, bool as_todo, int64_t now, unsigned *made)
{
	GBytes *bytes = NULL;
	struct feed_stats stats;
	int64_t modified, fresh_modified;
	g_autofree char *fresh = NULL;
	GError *error = NULL;

	if (feed_update(f, s, as_todo, now, &bytes, &modified, &stats, &error) < 0)
		fail_msg("%s", error->message);
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	char *text = g_strndup(data, len);
	g_bytes_unref(bytes);
	assert_int_equal(stats.bytes, len);
	assert_int_equal(feed_build(s, as_todo, now, &fresh, &fresh_modified, &error), 0);
	assert_string_equal(text, fresh);
	assert_int_equal(modified, fresh_modified);
	assert_true(g_str_has_prefix(text, "BEGIN:VCALENDAR\r\n"));
	assert_true(g_str_has_suffix(text, "END:VCALENDAR\r\n"));
	assert_int_equal(count(text, "BEGIN:VEVENT") + count(text, "BEGIN:VTODO"), stats.items);
	if (made)
		*made = stats.made;
	return text;
}

/* An interview far in the past and a reminder long overdue are not in the feed; recent
 * ones, and everything ahead, are. */
static void test_bounds(void **state)
{
	struct fixture *fx = fixture_new("feed");
	store *s = fx->s;
	struct feed *f = feed_new();
	(void)state;

	add_app(s, 1, "Acme");
	add_interview(s, 1, 1, NOW + 10 * DAY);
	add_interview(s, 2, 1, NOW - 10 * DAY);
	add_interview(s, 3, 1, NOW - (FEED_PAST_DAYS + 1) * DAY);
	add_reminder(s, 1, 1, NOW + DAY, "pending");
	add_reminder(s, 2, 1, NOW - 2 * DAY, "snoozed");
	add_reminder(s, 3, 1, NOW - (FEED_OVERDUE_DAYS + 1) * DAY, "pending");
	add_reminder(s, 4, 1, NOW + DAY, "done");
	g_autofree char *text = update(f, s, false, NOW, NULL);
	assert_true(has(text, "interview-1@apptrack"));
	assert_true(has(text, "interview-2@apptrack"));
	assert_false(has(text, "interview-3@apptrack"));
	assert_true(has(text, "reminder-1@apptrack"));
	assert_true(has(text, "reminder-2@apptrack"));
	assert_false(has(text, "reminder-3@apptrack"));
	assert_false(has(text, "reminder-4@apptrack"));
	/* interviews first, by start; then reminders, by due time */
	assert_true(strstr(text, "interview-2@") < strstr(text, "interview-1@"));
	assert_true(strstr(text, "interview-1@") < strstr(text, "reminder-2@"));
	assert_true(strstr(text, "reminder-2@") < strstr(text, "reminder-1@"));

	/* time goes by: the recent ones age out, with no change to the data */
	g_autofree char *later = update(f, s, false, NOW + FEED_PAST_DAYS * DAY, NULL);
	assert_false(has(later, "interview-2@apptrack"));
	assert_false(has(later, "reminder-2@apptrack"));
	assert_false(has(later, "reminder-1@apptrack"));
	assert_true(has(later, "interview-1@apptrack"));
	feed_free(f);
	fixture_free(fx);
}

/* Of the past interviews and the overdue reminders, at most FEED_HISTORY_MAX each, the latest;
 * of the reminders ahead, the FEED_REMINDERS_AHEAD soonest. */
static void test_history_max(void **state)
{
	struct fixture *fx = fixture_new("feed");
	store *s = fx->s;
	struct feed *f = feed_new();
	const int n = FEED_HISTORY_MAX + 100;
	(void)state;

	add_app(s, 1, "Acme");
	sql(s, "BEGIN");
	for (int i = 1; i <= n; i++) {
		add_interview(s, i, 1, NOW - 60 - (int64_t)i * 600); /* 10 minutes apart, newest first */
		add_reminder(s, i, 1, NOW - 60 - (int64_t)i * 600, "pending");
	}
	add_interview(s, n + 1, 1, NOW + DAY);
	for (int i = 1; i <= FEED_REMINDERS_AHEAD + 50; i++) /* ahead, 100 at a time, 10 minutes apart */
		add_reminder(s, 10000 + i, 1, NOW + 600 + (int64_t)(i / 100) * 600, "pending");
	sql(s, "COMMIT");
	g_autofree char *text = update(f, s, false, NOW, NULL);
	assert_int_equal(count(text, "UID:interview-"), FEED_HISTORY_MAX + 1);
	assert_int_equal(count(text, "UID:reminder-"), FEED_HISTORY_MAX + FEED_REMINDERS_AHEAD);
	assert_true(has(text, "reminder-11000@apptrack")); /* of those at the same time, by id */
	assert_false(has(text, "reminder-11001@apptrack"));
	assert_true(has(text, "interview-1@apptrack"));
	assert_true(has(text, "interview-500@apptrack"));
	assert_false(has(text, "interview-501@apptrack"));
	assert_true(has(text, "reminder-500@apptrack"));
	assert_false(has(text, "reminder-501@apptrack"));
	feed_free(f);
	fixture_free(fx);
}

/* Only what changed is made again; an edit of the application counts for its items. */
static void test_cache(void **state)
{
	struct fixture *fx = fixture_new("feed");
	store *s = fx->s;
	struct feed *f = feed_new();
	unsigned made;
	char at[TIME_ISO_LEN];
	(void)state;

	add_app(s, 1, "Acme");
	add_app(s, 2, "Globex");
	add_interview(s, 1, 1, NOW + DAY);
	add_interview(s, 2, 2, NOW + 2 * DAY);
	add_reminder(s, 1, 1, NOW + DAY, "pending");
	add_reminder(s, 2, 2, NOW + DAY, "pending");
	g_free(update(f, s, false, NOW, &made));
	assert_int_equal(made, 4);
	g_free(update(f, s, false, NOW, &made));
	assert_int_equal(made, 0);

	/* the application renamed: its interview and reminder, not the other's */
	sql(s, "UPDATE applications SET company = 'Acme Corp', updated_at = '%s' WHERE id = 1", iso(NOW, at));
	g_autofree char *renamed = update(f, s, false, NOW, &made);
	assert_int_equal(made, 2);
	assert_non_null(strstr(renamed, "Interview (video): Acme Corp – Engineer"));
	assert_non_null(strstr(renamed, "Follow up: Acme Corp – Engineer"));
	/* again within the same second: updated_at is the same, the text is not */
	sql(s, "UPDATE applications SET company = 'Acme Inc' WHERE id = 1");
	g_autofree char *again = update(f, s, false, NOW, &made);
	assert_int_equal(made, 2);
	assert_null(strstr(again, "Acme Corp"));

	/* an interview moved: its SEQUENCE goes up, only it is made again */
	sql(s, "UPDATE interviews SET starts_at = '%s', sequence = sequence + 1 WHERE id = 2", iso(NOW + 3 * DAY, at));
	g_free(update(f, s, false, NOW, &made));
	assert_int_equal(made, 1);

	/* a reminder done leaves the feed (and the cache: the feed built afresh is the same) */
	sql(s, "UPDATE reminders SET state = 'done' WHERE id = 2");
	g_autofree char *done = update(f, s, false, NOW, &made);
	assert_int_equal(made, 0);
	assert_false(has(done, "reminder-2@apptrack"));
	/* and comes back when undone */
	sql(s, "UPDATE reminders SET state = 'pending' WHERE id = 2");
	g_autofree char *back = update(f, s, false, NOW, &made);
	assert_int_equal(made, 1);
	assert_true(has(back, "reminder-2@apptrack"));

	/* reminders as to-dos: every reminder is made again, no interview */
	g_autofree char *todo = update(f, s, true, NOW, &made);
	assert_int_equal(made, 2);
	assert_int_equal(count(todo, "BEGIN:VTODO"), 2);
	feed_free(f);
	fixture_free(fx);
}

/* The builder's connection reads the last commit of the main one, and cannot write. */
static void test_reader(void **state)
{
	struct fixture *fx = fixture_new("feed");
	g_autofree char *path = g_build_filename(fx->dir, "t.db", NULL);
	store *reader = NULL;
	GError *error = NULL;
	unsigned made;
	(void)state;

	assert_int_equal(store_open_reader(path, &reader, &error), 0);
	struct feed *f = feed_new();
	g_autofree char *empty = update(f, reader, false, NOW, &made);
	assert_int_equal(count(empty, "BEGIN:VEVENT"), 0);
	add_app(fx->s, 1, "Acme");
	add_interview(fx->s, 1, 1, NOW + DAY);
	g_autofree char *one = update(f, reader, false, NOW, &made);
	assert_true(has(one, "interview-1@apptrack"));
	assert_int_not_equal(sqlite3_exec(store_db(reader), "DELETE FROM interviews", NULL, NULL, NULL), SQLITE_OK);
	feed_free(f);
	store_close(reader);

	g_autofree char *missing = g_build_filename(fx->dir, "none.db", NULL);
	assert_true(store_open_reader(missing, &reader, &error) < 0);
	assert_null(reader);
	g_clear_error(&error);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_history_max),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
