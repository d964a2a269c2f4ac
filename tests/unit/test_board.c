/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_board.c - what the web page's board and list read: each summary's days in its
 * stage and next open reminder (through applications_get() and the list's text), and
 * applications_board()'s columns, counts, order and limit. Time is fixed with APPTRACK_NOW. */
#include "apptrack/applications.h"
#include "apptrack/error.h"
#include "apptrack/pipeline.h"
#include "apptrack/reminders.h"
#include "change.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define NOW 1795305600 /* 2026-11-22T00:00:00Z; tests run with TZ=UTC */
#define HOUR 3600
#define DAY 86400

static int setup(void **state)
{
	set_now(NOW);
	*state = fixture_new("board");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

static int64_t add(store *s, const char *company, const char *status)
{
	json_t *fields = json_pack("{s:s,s:s,s:s}", "company", company, "position", "Dev", "status", status);
	GError *error = NULL;
	int64_t id = 0;

	if (applications_add(PIPE(s), fields, 0, &id, &error) < 0)
		fail_msg("add %s: %s", company, error->message);
	json_decref(fields);
	return id;
}

static json_t *get(store *s, int64_t id)
{
	json_t *app = NULL;
	assert_int_equal(applications_get(s, id, &app, NULL), 0);
	return app;
}

/* The application's summary as the list's text writes it. */
static json_t *listed(store *s, int64_t id)
{
	json_t *list = NULL, *params = json_pack("{s:s}", "sort", "id"), *found = NULL;
	size_t i;
	json_t *item;

	assert_int_equal(applications_list(s, params, &list, NULL), 0);
	json_decref(params);
	json_array_foreach(list, i, item)
		if (json_integer_value(json_object_get(item, "id")) == id)
			found = json_incref(item);
	json_decref(list);
	assert_non_null(found);
	return found;
}

static void expect_stage(store *s, int64_t id, int64_t days, const char *kind, const char *due_at)
{
	json_t *views[] = { get(s, id), listed(s, id) };

	for (size_t i = 0; i < G_N_ELEMENTS(views); i++) {
		json_t *next = json_object_get(views[i], "next_reminder");
		assert_int_equal(json_integer_value(json_object_get(views[i], "days_in_stage")), days);
		if (!kind) {
			assert_true(json_is_null(next));
		} else {
			assert_true(json_is_object(next));
			assert_int_equal(json_object_size(next), 3);
			assert_true(json_is_integer(json_object_get(next, "id")));
			assert_string_equal(str(next, "kind"), kind);
			assert_string_equal(str(next, "due_at"), due_at);
		}
		json_decref(views[i]);
	}
}

static int64_t next_reminder_id(store *s, int64_t id)
{
	json_t *app = get(s, id);
	int64_t rid = json_integer_value(json_object_get(json_object_get(app, "next_reminder"), "id"));
	json_decref(app);
	return rid;
}

static void test_days_and_next_reminder(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "Acme", "applied"), other = add(f->s, "Initech", "saved");

	/* new: no days yet, the follow-up a week on; a saved one has no reminder */
	expect_stage(f->s, id, 0, "follow_up", "2026-11-29T00:00:00Z");
	expect_stage(f->s, other, 0, NULL, NULL);
	/* whole days since created, while no status changed */
	set_now(NOW + 3 * DAY + 23 * HOUR);
	expect_stage(f->s, id, 3, "follow_up", "2026-11-29T00:00:00Z");
	/* a status change starts the count again; the earliest open reminder is the next */
	assert_int_equal(applications_set_status(PIPE(f->s), id, "screen", NULL, 0, NULL, NULL), 0);
	expect_stage(f->s, id, 0, "interview_prep", "2026-11-25T23:00:00Z");
	set_now(NOW + 5 * DAY + 23 * HOUR);
	expect_stage(f->s, id, 2, "interview_prep", "2026-11-25T23:00:00Z");
	/* done ones are not next; a snoozed one is, at its new time */
	assert_int_equal(reminders_done(PIPE(f->s), next_reminder_id(f->s, id), NULL, NULL), 0);
	expect_stage(f->s, id, 2, "thank_you", "2026-11-26T23:00:00Z");
	assert_int_equal(reminders_snooze(PIPE(f->s), next_reminder_id(f->s, id), 3 * DAY, NULL, NULL), 0);
	expect_stage(f->s, id, 2, "thank_you", "2026-11-30T23:00:00Z");
	assert_int_equal(reminders_done(PIPE(f->s), next_reminder_id(f->s, id), NULL, NULL), 0);
	expect_stage(f->s, id, 2, NULL, NULL);
	/* a change dated in the past (a mail's Date) counts from that date; a date ahead of the
	 * clock counts as 0, never less */
	const struct pipeline past = { .store = f->s, .delays = default_delays(), .at = NOW + DAY };
	assert_int_equal(applications_set_status(&past, other, "applied", NULL, 0, NULL, NULL), 0);
	expect_stage(f->s, other, 4, "follow_up", "2026-11-30T23:00:00Z");
	const struct pipeline ahead = { .store = f->s, .delays = default_delays(), .at = NOW + 30 * DAY };
	assert_int_equal(applications_set_status(&ahead, other, "screen", NULL, 0, NULL, NULL), 0);
	json_t *app = get(f->s, other);
	assert_int_equal(json_integer_value(json_object_get(app, "days_in_stage")), 0);
	json_decref(app);
}

/* An application that never changed status: an applied one counts from its applied date
 * when that is earlier (imported history, one added after the fact), any other from its
 * creation. */
static void test_days_without_a_change(void **state)
{
	struct fixture *f = *state;
	json_t *fields = json_pack("{s:s,s:s,s:s,s:s}", "company", "Old", "position", "Dev", "status", "applied",
				   "applied_at", "2026-11-12");
	json_t *screen = json_pack("{s:s,s:s,s:s,s:s}", "company", "Older", "position", "Dev", "status", "screen",
				   "applied_at", "2026-10-01");
	int64_t id = 0, sid = 0;

	assert_int_equal(applications_add(PIPE(f->s), fields, 0, &id, NULL), 0);
	assert_int_equal(applications_add(PIPE(f->s), screen, 0, &sid, NULL), 0);
	json_decref(fields);
	json_decref(screen);
	set_now(NOW + 5 * HOUR);
	json_t *app = get(f->s, id), *other = get(f->s, sid);
	assert_int_equal(json_integer_value(json_object_get(app, "days_in_stage")), 10);
	assert_int_equal(json_integer_value(json_object_get(other, "days_in_stage")), 0);
	json_decref(app);
	json_decref(other);
}

static json_t *board(store *s, const char *params_json, int expect, const char *needle)
{
	json_t *params = params_json ? json_loads(params_json, 0, NULL) : NULL, *b = NULL;
	GError *error = NULL;

	assert_int_equal(applications_board(s, params, &b, &error), expect);
	if (expect < 0) {
		assert_non_null(strstr(error->message, needle));
		g_clear_error(&error);
	}
	json_decref(params);
	return b;
}

static void test_board(void **state)
{
	struct fixture *f = *state;
	static const char *const order[] = { "saved", "applied", "screen", "assessment", "technical", "onsite",
					     "final", "offer", "accepted", "rejected", "withdrawn", "ghosted" };
	int64_t ids[4];

	/* three applied, one a minute apart each; one in screen */
	for (int i = 0; i < 3; i++) {
		set_now(NOW + i * 60);
		ids[i] = add(f->s, i == 0 ? "A" : i == 1 ? "B" : "C", "applied");
	}
	set_now(NOW + 300);
	ids[3] = add(f->s, "D", "screen");
	/* editing A makes it the most recently changed */
	set_now(NOW + 600);
	json_t *fields = json_pack("{s:s}", "notes", "called");
	assert_int_equal(applications_edit(PIPE(f->s), ids[0], fields, NULL), 0);
	json_decref(fields);

	json_t *b = board(f->s, NULL, 0, NULL), *columns = json_object_get(b, "columns");
	assert_int_equal(json_object_size(b), 1);
	assert_int_equal(json_array_size(columns), G_N_ELEMENTS(order));
	for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
		json_t *col = json_array_get(columns, i);
		int64_t n = i == 1 ? 3 : i == 2 ? 1 : 0;
		assert_string_equal(str(col, "status"), order[i]);
		assert_int_equal(json_integer_value(json_object_get(col, "count")), n);
		assert_int_equal(json_array_size(json_object_get(col, "cards")), n);
	}
	json_t *applied = json_object_get(json_array_get(columns, 1), "cards");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(applied, 0), "id")), ids[0]);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(applied, 1), "id")), ids[2]);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(applied, 2), "id")), ids[1]);
	/* cards are summaries */
	json_t *card = json_array_get(applied, 0);
	assert_string_equal(str(card, "company"), "A");
	assert_true(json_is_integer(json_object_get(card, "days_in_stage")));
	assert_string_equal(str(json_object_get(card, "next_reminder"), "kind"), "follow_up");
	json_decref(b);

	/* the limit cuts the cards, not the count */
	b = board(f->s, "{\"limit\":1}", 0, NULL);
	json_t *col = json_array_get(json_object_get(b, "columns"), 1);
	assert_int_equal(json_integer_value(json_object_get(col, "count")), 3);
	assert_int_equal(json_array_size(json_object_get(col, "cards")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(col, "cards"), 0), "id")),
			 ids[0]);
	json_decref(b);
	b = board(f->s, "{\"limit\":0}", 0, NULL);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(b, "columns"), 1), "cards")), 0);
	json_decref(b);
	json_decref(board(f->s, "{\"limit\":500}", 0, NULL));

	board(f->s, "{\"limit\":501}", -E2BIG, "\"limit\" is over its limit of 500");
	board(f->s, "{\"limit\":-1}", -EINVAL, "\"limit\" must be a non-negative integer");
	board(f->s, "{\"limit\":\"10\"}", -EINVAL, "\"limit\" must be a non-negative integer");
	board(f->s, "{\"status\":\"applied\"}", -EINVAL, "unknown board parameter \"status\"");
	board(f->s, "[1]", -EINVAL, "board parameters must be an object");
}

/* 50 cards per column by default */
static void test_board_default_limit(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < PIPELINE_BOARD_DEFAULT_LIMIT + 2; i++)
		add(f->s, "Acme", "rejected");
	json_t *b = board(f->s, NULL, 0, NULL);
	json_t *col = json_array_get(json_object_get(b, "columns"), APP_REJECTED);
	assert_string_equal(str(col, "status"), "rejected");
	assert_int_equal(json_integer_value(json_object_get(col, "count")), PIPELINE_BOARD_DEFAULT_LIMIT + 2);
	assert_int_equal(json_array_size(json_object_get(col, "cards")), PIPELINE_BOARD_DEFAULT_LIMIT);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_days_and_next_reminder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_days_without_a_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_board_default_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
