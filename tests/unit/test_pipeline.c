/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_pipeline.c - statuses and aliases, field validation, events, automatic reminders
 * (imported history's too), the scheduler's slices of due reminders, forward-only moves,
 * listing, search, contacts, interviews in the timeline, the status order and
 * store_transaction(). Time is fixed with APPTRACK_NOW. */
#include "apptrack/applications.h"
#include "apptrack/contacts.h"
#include "apptrack/error.h"
#include "apptrack/interviews.h"
#include "apptrack/pipeline.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"
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
#define DAY 86400

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;

static int setup(void **state)
{
	set_now(NOW);
	*state = fixture_new("pipeline");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

static int64_t add(store *s, const char *json)
{
	json_t *fields = json_loads(json, 0, NULL);
	GError *error = NULL;
	int64_t id = 0;
	assert_non_null(fields);
	if (applications_add(PIPE_WITH(s, &delays), fields, 0, &id, &error) < 0)
		fail_msg("add %s: %s", json, error->message);
	json_decref(fields);
	return id;
}

/* Adds and expects failure r, with a message containing needle. */
static void add_fails(store *s, const char *json, int r, const char *needle)
{
	json_t *fields = json_loads(json, 0, NULL);
	GError *error = NULL;
	int64_t id = -1;
	assert_non_null(fields);
	assert_int_equal(applications_add(PIPE_WITH(s, &delays), fields, 0, &id, &error), r);
	assert_int_equal(id, -1);
	if (!strstr(error->message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error->message, needle);
	g_clear_error(&error);
	json_decref(fields);
}

static json_t *show(store *s, int64_t id)
{
	json_t *app = NULL;
	assert_int_equal(applications_show(s, id, &app, NULL), 0);
	return app;
}

/* "kind:state" of the application's reminders, in due order, joined by spaces. */
static char *reminders_of(store *s, int64_t id)
{
	json_t *app = show(s, id), *r;
	GString *out = g_string_new(NULL);
	size_t i;
	json_array_foreach(json_object_get(app, "reminders"), i, r)
		g_string_append_printf(out, "%s%s:%s", i ? " " : "", json_string_value(json_object_get(r, "kind")),
				       json_string_value(json_object_get(r, "state")));
	json_decref(app);
	return g_string_free(out, FALSE);
}

static void test_status_parse(void **state)
{
	static const struct {
		const char *text;
		int r;
		enum app_status status;
	} cases[] = {
		{ "saved", 0, APP_SAVED },           { "Applied", 0, APP_APPLIED },
		{ "phone_screen", 0, APP_SCREEN },   { "Phone Screen", 0, APP_SCREEN },
		{ "phone", 0, APP_SCREEN },          { "interview", 0, APP_SCREEN },
		{ "oa", 0, APP_ASSESSMENT },         { "challenge", 0, APP_ASSESSMENT },
		{ "take-home", 0, APP_ASSESSMENT },  { "technical", 0, APP_TECHNICAL },
		{ "onsite", 0, APP_ONSITE },         { "on-site", 0, APP_ONSITE },
		{ "final round", 0, APP_FINAL },     { "Offer Received", 0, APP_OFFER },
		{ "hired", 0, APP_ACCEPTED },        { "rejected", 0, APP_REJECTED },
		{ "withdrew", 0, APP_WITHDRAWN },    { "no response", 0, APP_GHOSTED },
		{ "  screen  ", 0, APP_SCREEN },     { "sleeping", -EINVAL, 0 },
		{ "", -EINVAL, 0 },                  { "screen!", -EINVAL, 0 },
	};
	/* every alias people type, as documented */
	static const struct {
		enum app_status status;
		const char *aliases;
	} aliases[] = {
		{ APP_SCREEN, "phone_screen phone interview interviewing screening recruiter_call hr_screen" },
		{ APP_ASSESSMENT,
		  "oa challenge online_assessment take_home takehome coding_challenge test assignment" },
		{ APP_TECHNICAL, "tech technical_interview tech_interview" },
		{ APP_ONSITE, "on_site onsite_interview panel" },
		{ APP_FINAL, "final_round final_interview" },
		{ APP_OFFER, "offered offer_received" },
		{ APP_ACCEPTED, "accept hired" },
		{ APP_REJECTED, "reject rejection declined not_selected" },
		{ APP_WITHDRAWN, "withdraw withdrew" },
		{ APP_GHOSTED, "ghost no_response no_reply" },
		{ APP_SAVED, "wishlist bookmarked interested to_apply" },
		{ APP_APPLIED, "submitted sent application_sent" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		enum app_status st = APP_STATUS_COUNT;
		int r = status_parse(cases[i].text, &st);
		if (r != cases[i].r || (r == 0 && st != cases[i].status))
			fail_msg("status_parse(\"%s\") = %d/%d", cases[i].text, r, st);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
		g_auto(GStrv) words = g_strsplit(aliases[i].aliases, " ", -1);
		for (size_t j = 0; words[j]; j++) {
			/* as written, shouted, and with spaces or hyphens for the underscores */
			g_autofree char *upper = g_ascii_strup(words[j], -1);
			g_autofree char *spaced = g_strdelimit(g_strdup(words[j]), "_", ' ');
			g_autofree char *hyphened = g_strdelimit(g_strdup(upper), "_", '-');
			const char *forms[] = { words[j], upper, spaced, hyphened };
			for (size_t k = 0; k < G_N_ELEMENTS(forms); k++) {
				enum app_status st = APP_STATUS_COUNT;
				if (status_parse(forms[k], &st) != 0 || st != aliases[i].status)
					fail_msg("alias \"%s\" does not parse as %s", forms[k], status_name(aliases[i].status));
			}
		}
	}
	enum app_status untouched = APP_OFFER;
	assert_int_equal(status_parse(NULL, &untouched), -EINVAL);
	assert_int_equal(status_parse("phone__screen", &untouched), -EINVAL);
	assert_int_equal(untouched, APP_OFFER);
	for (int i = 0; i < APP_STATUS_COUNT; i++) {
		enum app_status st;
		assert_int_equal(status_parse(status_name(i), &st), 0);
		assert_int_equal(st, i);
	}
	assert_null(status_name(APP_STATUS_COUNT));
	assert_true(status_is_terminal(APP_GHOSTED));
	assert_false(status_is_terminal(APP_ACCEPTED));
	assert_true(status_is_interview(APP_FINAL));
	assert_false(status_is_interview(APP_ASSESSMENT));
}

static void test_add_validation(void **state)
{
	struct fixture *f = *state;
	g_autofree char *huge = g_strnfill(PIPELINE_MAX_SHORT_FIELD + 1, 'x');
	g_autofree char *huge_json = g_strdup_printf("{\"company\":\"%s\",\"position\":\"P\"}", huge);

	add_fails(f->s, "{\"position\":\"P\"}", -EINVAL, "company");
	add_fails(f->s, "{\"company\":\"  \",\"position\":\"P\"}", -EINVAL, "company");
	add_fails(f->s, "{\"company\":\"C\"}", -EINVAL, "position");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"colour\":\"red\"}", -EINVAL, "colour");
	add_fails(f->s, "{\"company\":7,\"position\":\"P\"}", -EINVAL, "string");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"status\":\"sleeping\"}", -EINVAL, "sleeping");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\"13/45/2020\"}", -EINVAL, "13/45/2020");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"created_at\":\"2020-01-01T00:00:00Z\"}", -EINVAL,
		  "created_at");
	add_fails(f->s, huge_json, -E2BIG, "company");
	add_fails(f->s, huge_json, -E2BIG, G_STRINGIFY(PIPELINE_MAX_SHORT_FIELD));
	/* each message as the user reads it */
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"colour\":\"red\"}", -EINVAL, "unknown field \"colour\"");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"notes\":5}", -EINVAL,
		  "field \"notes\" must be a string");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":true}", -EINVAL,
		  "field \"applied_at\" must be a string");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\"13/45/2020\"}", -EINVAL,
		  "applied_at \"13/45/2020\" is not a date (use YYYY-MM-DD)");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\"the second of March, last year\"}",
		  -EINVAL, "is not a date");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"P\",\"status\":\"sleeping\"}", -EINVAL,
		  "saved, applied, screen, assessment, technical, onsite, final, offer, accepted, rejected, withdrawn, ghosted");
	add_fails(f->s, "{\"company\":\"C\",\"position\":\"\"}", -EINVAL, "position");
	add_fails(f->s, "[\"company\"]", -EINVAL, "object");
	g_autofree char *long_notes = g_strnfill(PIPELINE_MAX_NOTES + 1, 'n');
	json_t *notes = json_pack("{s:s,s:s,s:s}", "company", "C", "position", "P", "notes", long_notes);
	GError *error = NULL;
	int64_t id = -1;
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), notes, 0, &id, &error), -E2BIG);
	assert_non_null(strstr(error->message, "notes"));
	assert_non_null(strstr(error->message, G_STRINGIFY(PIPELINE_MAX_NOTES)) || strstr(error->message, "262144"));
	g_clear_error(&error);
	json_decref(notes);
	assert_int_equal(id, -1);
	int64_t n = -1;
	assert_int_equal(applications_count(f->s, &n, NULL), 0);
	assert_int_equal(n, 0); /* nothing half-written */
}

static void test_add_defaults_and_events(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "{\"company\":\" Acme \",\"position\":\"Dev\",\"status\":\"Applied\"}");
	json_t *app = show(f->s, id);

	assert_string_equal(json_string_value(json_object_get(app, "company")), "Acme");
	assert_string_equal(json_string_value(json_object_get(app, "status")), "applied");
	assert_string_equal(json_string_value(json_object_get(app, "applied_at")), "2026-11-22");
	assert_string_equal(json_string_value(json_object_get(app, "created_at")), "2026-11-22T00:00:00Z");
	assert_true(json_is_null(json_object_get(app, "source")));
	json_t *events = json_object_get(app, "events");
	assert_int_equal(json_array_size(events), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "kind")), "created");
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "to_status")), "applied");
	json_decref(app);

	int64_t saved = add(f->s, "{\"company\":\"B\",\"position\":\"P\",\"status\":\"wishlist\"}");
	app = show(f->s, saved);
	assert_true(json_is_null(json_object_get(app, "applied_at")));
	assert_int_equal(json_array_size(json_object_get(app, "reminders")), 0);
	json_decref(app);

	/* dates are trimmed and made canonical */
	int64_t slashed = add(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\" 2026/11/03 \"}");
	app = show(f->s, slashed);
	assert_string_equal(json_string_value(json_object_get(app, "applied_at")), "2026-11-03");
	json_decref(app);
}

/* Every documented key is there, NULL columns as JSON null, so scripts see one shape. */
static void test_json_shapes(void **state)
{
	struct fixture *f = *state;
	static const char *const summary_keys[] = { "id", "company", "position", "status", "source", "location",
						    "salary", "url", "applied_at", "created_at", "updated_at", "notes",
						    "days_in_stage", "next_reminder" };
	static const char *const reminder_keys[] = { "id", "application_id", "company", "position",
						     "kind", "due_at", "state", "note" };
	int64_t id = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"job_description\":\"Long text\"}");
	json_t *app = NULL, *list = NULL;

	assert_int_equal(applications_get(f->s, id, &app, NULL), 0);
	assert_int_equal(json_object_size(app), G_N_ELEMENTS(summary_keys));
	for (size_t i = 0; i < G_N_ELEMENTS(summary_keys); i++)
		if (!json_object_get(app, summary_keys[i]))
			fail_msg("summary lacks %s", summary_keys[i]);
	assert_true(json_is_integer(json_object_get(app, "id")));
	assert_true(json_is_null(json_object_get(app, "salary")));
	assert_null(json_object_get(app, "job_description"));
	json_decref(app);

	assert_int_equal(applications_list(f->s, NULL, &list, NULL), 0);
	assert_true(json_equal(json_array_get(list, 0), app = show(f->s, id)) == 0);
	json_t *item = json_array_get(list, 0);
	assert_int_equal(json_object_size(item), G_N_ELEMENTS(summary_keys));
	assert_true(json_is_integer(json_object_get(item, "id")));
	assert_true(json_is_null(json_object_get(item, "url")));
	json_decref(list);

	/* show: every column, job_description, and the four arrays */
	for (size_t i = 0; i < G_N_ELEMENTS(summary_keys); i++)
		if (!json_object_get(app, summary_keys[i]))
			fail_msg("show lacks %s", summary_keys[i]);
	assert_string_equal(json_string_value(json_object_get(app, "job_description")), "Long text");
	static const char *const arrays[] = { "events", "reminders", "interviews", "contacts" };
	for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++)
		assert_true(json_is_array(json_object_get(app, arrays[i])));
	/* events leave their NULLs out */
	json_t *created = json_array_get(json_object_get(app, "events"), 0);
	assert_null(json_object_get(created, "from_status"));
	assert_null(json_object_get(created, "message_id"));
	assert_true(json_is_integer(json_object_get(created, "id")));
	assert_string_equal(json_string_value(json_object_get(created, "at")), "2026-11-22T00:00:00Z");
	json_decref(app);

	assert_int_equal(reminders_list(f->s, false, &list, NULL), 0);
	json_t *rem = json_array_get(list, 0);
	assert_int_equal(json_object_size(rem), G_N_ELEMENTS(reminder_keys));
	for (size_t i = 0; i < G_N_ELEMENTS(reminder_keys); i++)
		if (!json_object_get(rem, reminder_keys[i]))
			fail_msg("reminder lacks %s", reminder_keys[i]);
	assert_string_equal(json_string_value(json_object_get(rem, "company")), "Acme");
	assert_string_equal(json_string_value(json_object_get(rem, "position")), "Dev");
	assert_int_equal(json_integer_value(json_object_get(rem, "application_id")), id);
	assert_true(json_is_null(json_object_get(rem, "note")));
	json_decref(list);

	GError *error = NULL;
	assert_int_equal(applications_get(f->s, 7, &app, &error), -ENOENT);
	assert_string_equal(error->message, "no application with id 7");
	g_clear_error(&error);
	assert_int_equal(reminders_done(PIPE(f->s), 3, &app, &error), -ENOENT);
	assert_string_equal(error->message, "no reminder with id 3");
	g_clear_error(&error);
	assert_int_equal(contacts_show(f->s, 2, &app, &error), -ENOENT);
	assert_string_equal(error->message, "no contact with id 2");
	g_clear_error(&error);
}

static void test_keep_times(void **state)
{
	struct fixture *f = *state;
	json_t *fields = json_pack("{s:s,s:s,s:s,s:s}", "company", "Old", "position", "P", "applied_at", "2020-01-02",
				   "created_at", "2020-01-02T03:04:05+01:00");
	GError *error = NULL;
	int64_t id = 0;

	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, PIPELINE_KEEP_TIMES, &id, NULL), 0);
	json_decref(fields);
	json_t *app = show(f->s, id);
	assert_string_equal(json_string_value(json_object_get(app, "created_at")), "2020-01-02T02:04:05Z");
	assert_string_equal(json_string_value(json_object_get(app, "updated_at")), "2020-01-02T02:04:05Z");
	json_t *ev = json_array_get(json_object_get(app, "events"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "kind")), "created");
	assert_string_equal(json_string_value(json_object_get(ev, "text")), "imported");
	assert_int_equal(json_array_size(json_object_get(app, "reminders")), 0); /* history: no follow-up */
	json_decref(app);

	fields = json_pack("{s:s,s:s,s:s}", "company", "Old", "position", "P", "updated_at", "last tuesday");
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, PIPELINE_KEEP_TIMES, &id, &error), -EINVAL);
	assert_non_null(strstr(error->message, "updated_at"));
	g_clear_error(&error);
	json_decref(fields);
}

static void test_follow_up(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\"}");
	json_t *list = NULL;
	char due[TIME_ISO_LEN];

	assert_int_equal(reminders_list(f->s, false, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "kind")), "follow_up");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "due_at")),
			    time_format_iso(NOW + 7 * DAY, due));
	json_decref(list);

	/* applied 3 days ago: due in 4 days; applied long ago: none */
	int64_t recent = add(f->s, "{\"company\":\"B\",\"position\":\"P\",\"applied_at\":\"2026-11-19\"}");
	json_t *app = show(f->s, recent);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(app, "reminders"), 0), "due_at")),
			    time_format_iso(NOW + 4 * DAY, due));
	json_decref(app);
	int64_t old = add(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\"2025-01-01\"}");
	g_autofree char *none = reminders_of(f->s, old);
	assert_string_equal(none, "");

	/* moving on cancels the follow-up and schedules interview reminders once */
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "screen", "call", 0, NULL, NULL), 0);
	g_autofree char *after = reminders_of(f->s, id);
	assert_string_equal(after, "interview_prep:pending thank_you:pending follow_up:cancelled");
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "technical", NULL, 0, NULL, NULL), 0);
	g_autofree char *again = reminders_of(f->s, id);
	assert_string_equal(again, "interview_prep:pending thank_you:pending follow_up:cancelled");
	app = show(f->s, id);
	json_t *thanks = json_array_get(json_object_get(app, "reminders"), 1);
	assert_string_equal(json_string_value(json_object_get(thanks, "due_at")), time_format_iso(NOW + DAY, due));
	json_decref(app);

	/* a snoozed follow-up is cancelled too when the application moves on */
	int64_t snoozy = add(f->s, "{\"company\":\"E\",\"position\":\"P\"}");
	app = show(f->s, snoozy);
	int64_t rid = json_integer_value(json_object_get(json_array_get(json_object_get(app, "reminders"), 0), "id"));
	json_decref(app);
	json_t *rem = NULL;
	assert_int_equal(reminders_snooze(PIPE(f->s), rid, DAY, &rem, NULL), 0);
	json_decref(rem);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), snoozy, "rejected", NULL, 0, NULL, NULL), 0);
	g_autofree char *snoozed = reminders_of(f->s, snoozy);
	assert_string_equal(snoozed, "follow_up:cancelled");

	/* configured delays are used */
	struct pipeline_delays custom = { 3 * DAY, 2 * 3600, 2 * DAY, { 0 }, 0 };
	json_t *fields = json_pack("{s:s,s:s}", "company", "D", "position", "P");
	int64_t d = 0;
	assert_int_equal(applications_add(PIPE_WITH(f->s, &custom), fields, 0, &d, NULL), 0);
	json_decref(fields);
	app = show(f->s, d);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(app, "reminders"), 0), "due_at")),
			    time_format_iso(NOW + 3 * DAY, due));
	json_decref(app);
}

static void test_follow_up_time_of_day(void **state)
{
	struct fixture *f = *state;
	char due[TIME_ISO_LEN];

	set_now(NOW + 10 * 3600 + 30 * 60); /* 10:30 */
	int64_t recent = add(f->s, "{\"company\":\"B\",\"position\":\"P\",\"applied_at\":\"2026-11-19\"}");
	json_t *app = show(f->s, recent);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(app, "reminders"), 0), "due_at")),
			    time_format_iso(NOW + 4 * DAY + 10 * 3600 + 30 * 60, due));
	json_decref(app);
	/* applied exactly follow_up ago: the moment is now, so it has passed */
	int64_t boundary = add(f->s, "{\"company\":\"C\",\"position\":\"P\",\"applied_at\":\"2026-11-15\"}");
	g_autofree char *none = reminders_of(f->s, boundary);
	assert_string_equal(none, "");
}

/* saved -> applied stamps the applied date and starts the follow-up; an application
 * created in an interview stage gets the interview reminders. */
static void test_entering_stages(void **state)
{
	struct fixture *f = *state;
	int64_t saved = add(f->s, "{\"company\":\"A\",\"position\":\"P\",\"status\":\"saved\"}");
	bool changed = false;
	char due[TIME_ISO_LEN];

	set_now(NOW + 2 * DAY);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), saved, "submitted", "sent CV", 0, &changed, NULL), 0);
	assert_true(changed);
	json_t *app = show(f->s, saved);
	assert_string_equal(json_string_value(json_object_get(app, "status")), "applied");
	assert_string_equal(json_string_value(json_object_get(app, "applied_at")), "2026-11-24");
	assert_string_equal(json_string_value(json_object_get(app, "updated_at")), time_format_iso(NOW + 2 * DAY, due));
	assert_string_equal(json_string_value(json_object_get(app, "created_at")), time_format_iso(NOW, due));
	json_t *rems = json_object_get(app, "reminders");
	assert_int_equal(json_array_size(rems), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rems, 0), "due_at")),
			    time_format_iso(NOW + 9 * DAY, due));
	json_t *ev = json_array_get(json_object_get(app, "events"), 1);
	assert_string_equal(json_string_value(json_object_get(ev, "kind")), "status_change");
	assert_string_equal(json_string_value(json_object_get(ev, "from_status")), "saved");
	assert_string_equal(json_string_value(json_object_get(ev, "to_status")), "applied");
	assert_string_equal(json_string_value(json_object_get(ev, "text")), "sent CV");
	json_decref(app);

	int64_t onsite = add(f->s, "{\"company\":\"B\",\"position\":\"P\",\"status\":\"panel\"}");
	g_autofree char *rs = reminders_of(f->s, onsite);
	assert_string_equal(rs, "interview_prep:pending thank_you:pending");
	/* an assessment is not an interview stage */
	int64_t oa = add(f->s, "{\"company\":\"C\",\"position\":\"P\",\"status\":\"oa\"}");
	g_autofree char *none = reminders_of(f->s, oa);
	assert_string_equal(none, "");
	/* interview reminders once done may come again at a later stage */
	app = show(f->s, onsite);
	json_t *r = NULL;
	size_t i;
	json_array_foreach(json_object_get(app, "reminders"), i, r) {
		json_t *done = NULL;
		assert_int_equal(reminders_done(PIPE(f->s), json_integer_value(json_object_get(r, "id")), &done, NULL), 0);
		json_decref(done);
	}
	json_decref(app);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), onsite, "final", NULL, 0, NULL, NULL), 0);
	g_autofree char *later = reminders_of(f->s, onsite);
	/* in due order: the new ones are due at the same moments as the done ones */
	assert_string_equal(later, "interview_prep:done interview_prep:pending thank_you:done thank_you:pending");
}

static void test_forward_only(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"status\":\"technical\"}");
	bool changed = true;
	json_t *app;

	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "screen", NULL, PIPELINE_FORWARD_ONLY, &changed, NULL), 0);
	assert_false(changed);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "rejected", NULL, PIPELINE_FORWARD_ONLY, &changed, NULL), 0);
	assert_true(changed);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "offer", NULL, PIPELINE_FORWARD_ONLY, &changed, NULL), 0);
	assert_false(changed); /* out of a terminal status: never by mail */
	app = show(f->s, id);
	assert_string_equal(json_string_value(json_object_get(app, "status")), "rejected");
	json_decref(app);
	/* a person may move backwards */
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "screen", NULL, 0, &changed, NULL), 0);
	assert_true(changed);
	/* same status: no change, no event */
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "phone", NULL, 0, &changed, NULL), 0);
	assert_false(changed);
	app = show(f->s, id);
	assert_int_equal(json_array_size(json_object_get(app, "events")), 3);
	json_decref(app);
	GError *error = NULL;
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), 999, "screen", NULL, 0, NULL, &error), -ENOENT);
	assert_non_null(strstr(error->message, "999"));
	g_clear_error(&error);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "nope", NULL, 0, NULL, &error), -EINVAL);
	assert_non_null(strstr(error->message, "ghosted"));
	g_clear_error(&error);

	/* table: from, to -> moved under FORWARD_ONLY */
	static const struct {
		const char *from, *to;
		bool moves;
	} moves[] = {
		{ "saved", "applied", true },     { "applied", "screen", true },   { "screen", "applied", false },
		{ "offer", "final", false },      { "offer", "accepted", true },   { "screen", "ghosted", true },
		{ "applied", "rejected", true },  { "ghosted", "screen", false },  { "rejected", "withdrawn", false },
		{ "withdrawn", "applied", false }, { "accepted", "rejected", true }, { "final", "final", false },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(moves); i++) {
		g_autofree char *json = g_strdup_printf("{\"company\":\"M\",\"position\":\"P\",\"status\":\"%s\"}",
							moves[i].from);
		int64_t m = add(f->s, json);
		changed = !moves[i].moves;
		assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), m, moves[i].to, NULL, PIPELINE_FORWARD_ONLY,
							 &changed, NULL), 0);
		if (changed != moves[i].moves)
			fail_msg("%s -> %s: changed=%d", moves[i].from, moves[i].to, changed);
		app = show(f->s, m);
		assert_string_equal(json_string_value(json_object_get(app, "status")),
				    moves[i].moves ? moves[i].to : moves[i].from);
		assert_int_equal(json_array_size(json_object_get(app, "events")), moves[i].moves ? 2 : 1);
		json_decref(app);
	}
}

static void test_edit_note_remove(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"location\":\"Berlin\"}");
	GError *error = NULL;
	json_t *fields, *app, *event = NULL;

	fields = json_pack("{s:s,s:s}", "location", "", "salary", "90k");
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, NULL), 0);
	json_decref(fields);
	app = show(f->s, id);
	assert_true(json_is_null(json_object_get(app, "location")));
	assert_string_equal(json_string_value(json_object_get(app, "salary")), "90k");
	json_t *last = json_array_get(json_object_get(app, "events"), 1);
	assert_string_equal(json_string_value(json_object_get(last, "kind")), "edit");
	assert_string_equal(json_string_value(json_object_get(last, "text")), "location, salary");
	json_decref(app);

	fields = json_pack("{s:s}", "status", "offer");
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, &error), -EINVAL);
	assert_non_null(strstr(error->message, "apptrackctl status"));
	g_clear_error(&error);
	json_decref(fields);
	fields = json_pack("{s:s}", "company", "");
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, &error), -EINVAL);
	g_clear_error(&error);
	json_decref(fields);
	fields = json_pack("{s:s}", "location", "Paris");
	assert_int_equal(applications_edit(PIPE(f->s), 4242, fields, &error), -ENOENT);
	assert_string_equal(error->message, "no application with id 4242");
	g_clear_error(&error);
	json_decref(fields);
	fields = json_pack("{s:s}", "applied_at", "yesterday");
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, &error), -EINVAL);
	g_clear_error(&error);
	json_decref(fields);
	fields = json_object();
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, &error), -EINVAL);
	g_clear_error(&error);
	json_decref(fields);
	/* a later edit bumps updated_at and trims; refused edits wrote nothing */
	set_now(NOW + 3600);
	fields = json_pack("{s:s,s:s}", "position", "  Senior Dev ", "applied_at", "");
	assert_int_equal(applications_edit(PIPE(f->s), id, fields, NULL), 0);
	json_decref(fields);
	app = show(f->s, id);
	assert_string_equal(json_string_value(json_object_get(app, "position")), "Senior Dev");
	assert_true(json_is_null(json_object_get(app, "applied_at")));
	assert_string_equal(json_string_value(json_object_get(app, "updated_at")), "2026-11-22T01:00:00Z");
	assert_int_equal(json_array_size(json_object_get(app, "events")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(app, "events"), 2), "text")),
			    "position, applied_at");
	json_decref(app);

	assert_int_equal(applications_note(PIPE(f->s), id, "  called back  ", &event, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(event, "text")), "called back");
	json_decref(event);
	assert_int_equal(applications_note(PIPE(f->s), id, "   ", &event, &error), -EINVAL);
	g_clear_error(&error);

	/* a contact linked to it loses the link, not itself */
	json_t *contact = NULL, *cf = json_pack("{s:s}", "name", "Kim");
	assert_int_equal(contacts_add(PIPE(f->s), cf, &contact, NULL), 0);
	json_decref(cf);
	int64_t cid = json_integer_value(json_object_get(contact, "id"));
	json_decref(contact);
	assert_int_equal(contacts_link(PIPE(f->s), cid, id, false, NULL), 0);
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "screen", NULL, 0, NULL, NULL), 0);

	assert_int_equal(applications_remove(PIPE(f->s), id, NULL), 0);
	assert_int_equal(applications_show(f->s, id, &app, &error), -ENOENT);
	g_clear_error(&error);
	assert_int_equal(applications_remove(PIPE(f->s), id, &error), -ENOENT);
	g_clear_error(&error);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(store_db(f->s),
			   "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM reminders) + "
			   "(SELECT count(*) FROM application_contacts) + "
			   "(SELECT count(*) FROM applications_fts WHERE applications_fts MATCH 'Senior')",
			   -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(contacts_show(f->s, cid, &contact, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(contact, "applications")), 0);
	json_decref(contact);
}

/* ids of a list call, joined by commas. */
static char *list_ids(store *s, const char *params_json, int expect_r)
{
	json_t *params = json_loads(params_json, 0, NULL), *list = NULL, *v;
	GError *error = NULL;
	GString *out = g_string_new(NULL);
	size_t i;
	assert_non_null(params);
	int r = applications_list(s, params, &list, &error);
	json_decref(params);
	if (r != expect_r)
		fail_msg("list %s = %d (%s)", params_json, r, error ? error->message : "");
	g_clear_error(&error);
	json_array_foreach(list, i, v)
		g_string_append_printf(out, "%s%" JSON_INTEGER_FORMAT, i ? "," : "", json_integer_value(json_object_get(v, "id")));
	json_decref(list);
	return g_string_free(out, FALSE);
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *params;
		int r;
		const char *ids;
	} cases[] = {
		{ "{}", 0, "3,2,1,4" },
		{ "{\"sort\":\"id\"}", 0, "1,2,3,4" },
		{ "{\"sort\":\"company\"}", 0, "1,2,3,4" },
		{ "{\"sort\":\"-status\"}", 0, "2,3,1,4" },
		{ "{\"status\":\"screen\"}", 0, "2" },
		{ "{\"status\":\"applied,phone\"}", 0, "3,2,1" },
		{ "{\"source\":\"LINKEDIN\"}", 0, "2,1" },
		{ "{\"company\":\"lob\"}", 0, "2" },
		{ "{\"company\":\"%\"}", 0, "" },
		{ "{\"search\":\"kubern\"}", 0, "1" },
		{ "{\"search\":\"RUST developer\"}", 0, "3" },
		{ "{\"search\":\"\\\"(*-:^ AND OR\"}", 0, "" },
		{ "{\"search\":\"!!!\"}", 0, "" },
		{ "{\"search\":\"referral\"}", 0, "2" },
		{ "{\"search\":\" \",\"status\":\"\",\"company\":\"\",\"sort\":\"\"}", 0, "3,2,1,4" },
		{ "{\"search\":\"c++ (kubernetes) \\\"NEAR\\\" -x: *\"}", 0, "" },
		{ "{\"search\":\"kubernetes, c!\"}", 0, "1" },
		{ "{\"search\":\"Glob* AND\"}", 0, "" },
		{ "{\"search\":\"Glob*\"}", 0, "2" },
		{ "{\"search\":\"dev\",\"status\":\"applied\"}", 0, "3,1" },
		{ "{\"status\":\"Phone Screen\",\"sort\":\"id\"}", 0, "2" },
		{ "{\"status\":\"saved, applied\",\"sort\":\"status\"}", 0, "4,1,3" },
		{ "{\"sort\":\"-company\"}", 0, "4,3,2,1" },
		{ "{\"sort\":\"position\"}", 0, "1,3,4,2" },
		{ "{\"sort\":\"applied_at\"}", 0, "4,1,2,3" },
		{ "{\"since\":\"2026-11-02\",\"until\":\"2026-11-02\"}", 0, "2" },
		{ "{\"offset\":3}", 0, "4" },
		{ "{\"offset\":30}", 0, "" },
		{ "{\"company\":\"ACME\"}", 0, "1" },
		{ "{\"source\":\"indeed\"}", 0, "" },
		{ "{\"status\":7}", -EINVAL, "" },
		{ "{\"status\":\"applied,\"}", -EINVAL, "" },
		{ "{\"until\":\"2026-13-01\"}", -EINVAL, "" },
		{ "{\"since\":\"2026-11-02\"}", 0, "3,2" },
		{ "{\"until\":\"2026-11-02\"}", 0, "2,1" },
		{ "{\"sort\":\"id\",\"limit\":2,\"offset\":1}", 0, "2,3" },
		{ "{\"limit\":0}", 0, "" },
		{ "{\"sort\":\"salary\"}", -EINVAL, "" },
		{ "{\"status\":\"sleeping\"}", -EINVAL, "" },
		{ "{\"since\":\"yesterday\"}", -EINVAL, "" },
		{ "{\"limit\":-1}", -EINVAL, "" },
		{ "{\"limit\":100001}", -E2BIG, "" },
		{ "{\"limit\":\"5\"}", -EINVAL, "" },
		{ "{\"colour\":\"red\"}", -EINVAL, "" },
	};

	add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"source\":\"linkedin\",\"applied_at\":\"2026-11-01\","
		  "\"job_description\":\"Kubernetes and C\"}");
	add(f->s, "{\"company\":\"Globex\",\"position\":\"SRE\",\"source\":\"LinkedIn\",\"status\":\"screen\","
		  "\"applied_at\":\"2026-11-02\",\"notes\":\"Came through a referral.\"}");
	add(f->s, "{\"company\":\"Initech\",\"position\":\"Rust Developer\",\"applied_at\":\"2026-11-03\"}");
	add(f->s, "{\"company\":\"Umbrella\",\"position\":\"Saved one\",\"status\":\"saved\"}");
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *ids = list_ids(f->s, cases[i].params, cases[i].r);
		if (strcmp(ids, cases[i].ids) != 0)
			fail_msg("list %s: got [%s], want [%s]", cases[i].params, ids, cases[i].ids);
	}
	/* an edit reaches the search index */
	json_t *fields = json_pack("{s:s}", "notes", "Zanzibar office");
	assert_int_equal(applications_edit(PIPE(f->s), 4, fields, NULL), 0);
	json_decref(fields);
	g_autofree char *edited = list_ids(f->s, "{\"search\":\"zanzi\"}", 0);
	assert_string_equal(edited, "4");
	/* unknown parameters are named */
	json_t *params = json_pack("{s:s}", "colour", "red"), *list = NULL;
	GError *error = NULL;
	assert_int_equal(applications_list(f->s, params, &list, &error), -EINVAL);
	assert_non_null(strstr(error->message, "colour"));
	g_clear_error(&error);
	json_decref(params);
}

/* Many rows come back whole and in order; how fast is tests/bench's business. */
#define LIST_BENCH_ROWS 10000

static void test_list_many(void **state)
{
	struct fixture *f = *state;
	g_autofree char *text = NULL;
	json_t *params = json_pack("{s:i}", "limit", LIST_BENCH_ROWS);

	assert_int_equal(store_begin(f->s, NULL), 0);
	for (int i = 0; i < LIST_BENCH_ROWS; i++) {
		json_t *fields = json_pack("{s:s,s:s,s:s}", "company", i % 2 ? "Acme" : "Globex", "position", "Engineer",
					   "notes", "some notes about the role");
		int64_t id;
		assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &id, NULL), 0);
		json_decref(fields);
	}
	assert_int_equal(store_commit(f->s, NULL), 0);

	assert_int_equal(applications_list_text(f->s, params, &text, NULL), 0);
	json_t *list = json_loads(text, 0, NULL);
	assert_int_equal(json_array_size(list), LIST_BENCH_ROWS);
	/* default order: newest applied first, then highest id */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), LIST_BENCH_ROWS);
	json_decref(list);
	json_decref(params);
	int64_t n = 0;
	assert_int_equal(applications_count(f->s, &n, NULL), 0);
	assert_int_equal(n, LIST_BENCH_ROWS);
}

static void test_reminders(void **state)
{
	struct fixture *f = *state;
	int64_t id = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\"}");
	json_t *list = NULL, *rem = NULL;
	GError *error = NULL;
	char due[TIME_ISO_LEN];
	(void)id;

	assert_int_equal(reminders_list(f->s, false, &list, NULL), 0);
	int64_t rid = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	assert_int_equal(reminders_snooze(PIPE(f->s), rid, 2 * DAY, &rem, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(rem, "state")), "snoozed");
	assert_string_equal(json_string_value(json_object_get(rem, "due_at")), time_format_iso(NOW + 2 * DAY, due));
	json_decref(rem);
	assert_int_equal(reminders_snooze(PIPE(f->s), rid, 0, &rem, &error), -EINVAL);
	g_clear_error(&error);
	assert_int_equal(reminders_done(PIPE(f->s), rid, &rem, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(rem, "state")), "done");
	json_decref(rem);
	assert_int_equal(reminders_snooze(PIPE(f->s), rid, DAY, &rem, &error), -EINVAL);
	g_clear_error(&error);
	assert_int_equal(reminders_list(f->s, false, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(reminders_list(f->s, true, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(reminders_done(PIPE(f->s), 777, &rem, &error), -ENOENT);
	g_clear_error(&error);
}

/* The scheduler's side: the unraised ones due by a moment, a slice at a time, stamped
 * several in one call; a stamped one is not read again, a snoozed one is. */
static void test_reminders_raising(void **state)
{
	struct fixture *f = *state;
	json_t *list = NULL;
	int64_t next = 0, ids[5];

	for (int i = 0; i < 5; i++) /* interview_prep now, thank_you tomorrow, each */
		add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"status\":\"screen\"}");
	assert_int_equal(reminders_next_due(f->s, &next, NULL), 0);
	assert_int_equal(next, NOW);
	assert_int_equal(reminders_unraised(f->s, NOW, 3, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 3);
	for (size_t i = 0; i < 3; i++) {
		json_t *r = json_array_get(list, i);
		assert_string_equal(json_string_value(json_object_get(r, "kind")), "interview_prep");
		assert_string_equal(json_string_value(json_object_get(r, "company")), "Acme");
		assert_non_null(json_object_get(r, "due_at"));
		ids[i] = json_integer_value(json_object_get(r, "id"));
	}
	json_decref(list);
	assert_int_equal(reminders_raised(f->s, ids, 3, NOW, NULL), 0);
	assert_int_equal(reminders_unraised(f->s, NOW, 3, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 2); /* the rest, not the stamped ones again */
	for (size_t i = 0; i < 2; i++) {
		ids[3 + i] = json_integer_value(json_object_get(json_array_get(list, i), "id"));
		assert_true(ids[3 + i] > ids[2]);
	}
	json_decref(list);
	assert_int_equal(reminders_raised(f->s, ids + 3, 2, NOW, NULL), 0);
	assert_int_equal(reminders_unraised(f->s, NOW, 100, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(reminders_raised(f->s, ids, 0, NOW, NULL), 0); /* nothing to stamp */
	/* the thank-yous come next, tomorrow */
	assert_int_equal(reminders_next_due(f->s, &next, NULL), 0);
	assert_int_equal(next, NOW + DAY);
	assert_int_equal(reminders_unraised(f->s, NOW + DAY, 100, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 5);
	json_decref(list);
	/* a snoozed reminder is raised again when its new time comes */
	json_t *rem = NULL;
	assert_int_equal(reminders_snooze(PIPE(f->s), ids[0], DAY / 2, &rem, NULL), 0);
	json_decref(rem);
	assert_int_equal(reminders_next_due(f->s, &next, NULL), 0);
	assert_int_equal(next, NOW + DAY / 2);
	assert_int_equal(reminders_unraised(f->s, NOW + DAY / 2, 100, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), ids[0]);
	json_decref(list);
	/* a done one is not */
	assert_int_equal(reminders_done(PIPE(f->s), ids[0], &rem, NULL), 0);
	json_decref(rem);
	assert_int_equal(reminders_unraised(f->s, NOW + DAY / 2, 100, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static int64_t import_one(store *s, const char *json)
{
	json_t *fields = json_loads(json, 0, NULL);
	GError *error = NULL;
	int64_t id = 0;
	assert_non_null(fields);
	if (applications_add(PIPE_WITH(s, &delays), fields, PIPELINE_KEEP_TIMES, &id, &error) < 0)
		fail_msg("import %s: %s", json, error->message);
	json_decref(fields);
	return id;
}

/* Imported history (PIPELINE_KEEP_TIMES) at an interview stage times its reminders from
 * the applied date, as follow-ups are: old history brings none due now. Added by hand,
 * the same application still gets them from now. */
static void test_imported_history(void **state)
{
	struct fixture *f = *state;
	char due[TIME_ISO_LEN];

	set_now(NOW + 10 * 3600); /* 10:00 */
	int64_t old = import_one(f->s, "{\"company\":\"A\",\"position\":\"P\",\"status\":\"screen\","
				       "\"applied_at\":\"2026-03-05\"}");
	g_autofree char *none = reminders_of(f->s, old);
	assert_string_equal(none, "");
	/* applied yesterday: the thank-you (a day after) is due now, not passed yet; the
	 * preparation (at the applied moment) has passed */
	int64_t yesterday = import_one(f->s, "{\"company\":\"B\",\"position\":\"P\",\"status\":\"onsite\","
					     "\"applied_at\":\"2026-11-21\"}");
	g_autofree char *thanks = reminders_of(f->s, yesterday);
	assert_string_equal(thanks, "thank_you:pending");
	json_t *app = show(f->s, yesterday);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(app, "reminders"), 0), "due_at")),
			    time_format_iso(NOW + 10 * 3600, due));
	json_decref(app);
	/* applied today, or no date: both, from now */
	int64_t today = import_one(f->s, "{\"company\":\"C\",\"position\":\"P\",\"status\":\"final\","
					 "\"applied_at\":\"2026-11-22\"}");
	g_autofree char *both = reminders_of(f->s, today);
	assert_string_equal(both, "interview_prep:pending thank_you:pending");
	int64_t undated = import_one(f->s, "{\"company\":\"D\",\"position\":\"P\",\"status\":\"technical\"}");
	g_autofree char *both2 = reminders_of(f->s, undated);
	assert_string_equal(both2, "interview_prep:pending thank_you:pending");
	/* imported as applied long ago: no follow-up either (as before) */
	int64_t applied = import_one(f->s, "{\"company\":\"E\",\"position\":\"P\",\"applied_at\":\"2026-03-05\"}");
	g_autofree char *nofollow = reminders_of(f->s, applied);
	assert_string_equal(nofollow, "");
	/* by hand, an old applied date does not matter: the stage is entered now */
	int64_t by_hand = add(f->s, "{\"company\":\"F\",\"position\":\"P\",\"status\":\"screen\","
				    "\"applied_at\":\"2026-03-05\"}");
	g_autofree char *hand = reminders_of(f->s, by_hand);
	assert_string_equal(hand, "interview_prep:pending thank_you:pending");
	/* a later move of an imported application is a change made now */
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), old, "technical", NULL, 0, NULL, NULL), 0);
	g_autofree char *moved = reminders_of(f->s, old);
	assert_string_equal(moved, "interview_prep:pending thank_you:pending");
}

static void test_contacts(void **state)
{
	struct fixture *f = *state;
	int64_t app = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\"}");
	json_t *fields = json_pack("{s:s,s:s,s:s}", "name", "Ana Lima", "company", "Acme", "position", "Recruiter");
	json_t *c = NULL, *list = NULL;
	GError *error = NULL;

	assert_int_equal(contacts_add(PIPE(f->s), fields, &c, NULL), 0);
	json_decref(fields);
	int64_t cid = json_integer_value(json_object_get(c, "id"));
	json_decref(c);
	fields = json_pack("{s:s}", "company", "NoName");
	assert_int_equal(contacts_add(PIPE(f->s), fields, &c, &error), -EINVAL);
	assert_non_null(strstr(error->message, "name"));
	g_clear_error(&error);
	json_decref(fields);

	static const struct {
		const char *search;
		size_t n;
	} searches[] = { { "ana", 1 },  { "RECRUIT", 1 }, { "acme", 1 }, { "bob", 0 }, { "%", 0 },
			 { "_", 0 },    { "a_a", 0 },      { "", 1 },     { NULL, 1 } };
	for (size_t i = 0; i < G_N_ELEMENTS(searches); i++) {
		assert_int_equal(contacts_list(f->s, searches[i].search, &list, NULL), 0);
		if (json_array_size(list) != searches[i].n)
			fail_msg("contact search %s", searches[i].search);
		json_decref(list);
	}
	assert_int_equal(contacts_link(PIPE(f->s), cid, app, false, NULL), 0);
	assert_int_equal(contacts_link(PIPE(f->s), cid, app, false, NULL), 0); /* twice is fine */
	assert_int_equal(contacts_link(PIPE(f->s), cid, 999, false, &error), -ENOENT);
	g_clear_error(&error);
	assert_int_equal(contacts_show(f->s, cid, &c, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(c, "applications")), 1);
	json_decref(c);
	json_t *shown = show(f->s, app);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(shown, "contacts"), 0), "name")),
			    "Ana Lima");
	json_decref(shown);
	fields = json_pack("{s:s,s:s}", "phone", "+49 1", "company", "");
	assert_int_equal(contacts_edit(PIPE(f->s), cid, fields, &c, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(c, "phone")), "+49 1");
	assert_true(json_is_null(json_object_get(c, "company")));
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Ana Lima");
	json_decref(c);
	json_decref(fields);
	fields = json_pack("{s:s}", "name", " ");
	assert_int_equal(contacts_edit(PIPE(f->s), cid, fields, &c, &error), -EINVAL);
	g_clear_error(&error);
	json_decref(fields);
	fields = json_pack("{s:s}", "twitter", "@ana");
	assert_int_equal(contacts_edit(PIPE(f->s), cid, fields, &c, &error), -EINVAL);
	assert_non_null(strstr(error->message, "unknown field \"twitter\""));
	g_clear_error(&error);
	json_decref(fields);
	fields = json_pack("{s:s}", "phone", "1");
	assert_int_equal(contacts_edit(PIPE(f->s), 999, fields, &c, &error), -ENOENT);
	g_clear_error(&error);
	json_decref(fields);
	assert_int_equal(contacts_link(PIPE(f->s), 999, app, false, &error), -ENOENT);
	assert_non_null(strstr(error->message, "contact"));
	g_clear_error(&error);
	assert_int_equal(contacts_link(PIPE(f->s), cid, app, true, NULL), 0);
	assert_int_equal(contacts_show(f->s, cid, &c, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(c, "applications")), 0);
	json_decref(c);
	assert_int_equal(contacts_remove(PIPE(f->s), cid, NULL), 0);
	assert_int_equal(contacts_remove(PIPE(f->s), cid, &error), -ENOENT);
	g_clear_error(&error);
}

/* One status order, the C table's: the SQL that sorts by status is made from it, and
 * ghosted sorts last (it fell to ELSE when the order was written twice). */
static void test_status_order(void **state)
{
	struct fixture *f = *state;
	json_t *params, *list = NULL;

	for (int i = 0; i < APP_STATUS_COUNT; i++)
		assert_non_null(strstr(status_order_sql(), status_name((enum app_status)i)));
	int64_t ghosted = add(f->s, "{\"company\":\"G\",\"position\":\"P\",\"status\":\"ghosted\"}");
	int64_t withdrawn = add(f->s, "{\"company\":\"W\",\"position\":\"P\",\"status\":\"withdrawn\"}");
	int64_t saved = add(f->s, "{\"company\":\"S\",\"position\":\"P\",\"status\":\"saved\"}");
	params = json_pack("{s:s}", "sort", "status");
	assert_int_equal(applications_list(f->s, params, &list, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), saved);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "id")), withdrawn);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 2), "id")), ghosted);
	json_decref(list);
	json_decref(params);
}

/* Adding an interview moves a saved application to screen and says so in its timeline;
 * removing it takes its reminders and says so too, naming the application. */
static void test_interview_timeline(void **state)
{
	struct fixture *f = *state;
	int64_t app = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"status\":\"saved\"}");
	json_t *fields = json_pack("{s:I,s:s,s:s}", "application", (json_int_t)app, "at", "2026-11-25T10:00:00Z", "type",
				   "video");
	json_t *iv = NULL, *shown, *events;
	GError *error = NULL;
	int64_t of = 0;

	assert_int_equal(interviews_add(PIPE_WITH(f->s, &delays), fields, &iv, &error), 0);
	json_decref(fields);
	int64_t id = json_integer_value(json_object_get(iv, "id"));
	json_decref(iv);
	shown = show(f->s, app);
	assert_string_equal(str(shown, "status"), "screen");
	assert_int_equal(json_array_size(json_object_get(shown, "interviews")), 1);
	json_decref(shown);

	assert_int_equal(interviews_remove(PIPE(f->s), 999, &of, &error), -ENOENT);
	g_clear_error(&error);
	assert_int_equal(interviews_remove(PIPE(f->s), id, &of, &error), 0);
	assert_int_equal(of, app);
	shown = show(f->s, app);
	assert_int_equal(json_array_size(json_object_get(shown, "interviews")), 0);
	json_t *rem;
	size_t i;
	json_array_foreach (json_object_get(shown, "reminders"), i, rem)
		assert_string_not_equal(str(rem, "kind"), "interview");
	events = json_object_get(shown, "events");
	json_t *last = json_array_get(events, json_array_size(events) - 1);
	assert_string_equal(str(last, "kind"), "interview");
	assert_string_equal(str(last, "text"), "interview 2026-11-25T10:00:00Z removed");
	json_decref(shown);
}

/* store_transaction(): what fn wrote is rolled back when it fails, even when a module it
 * called committed its own (nested) transaction. */
static int add_then_fail(store *s, void *arg, json_t **ret, GError **error)
{
	int64_t id;
	(void)ret;
	if (applications_add(PIPE(s), arg, 0, &id, error) < 0)
		return -EIO;
	return at_error_set(error, -EBADMSG, "failed after adding %" G_GINT64_FORMAT, id);
}

static void test_transaction(void **state)
{
	struct fixture *f = *state;
	json_t *fields = json_pack("{s:s,s:s}", "company", "Acme", "position", "Dev"), *ret = NULL;
	GError *error = NULL;
	int64_t n = -1;

	assert_int_equal(store_transaction(f->s, add_then_fail, fields, &ret, &error), -EBADMSG);
	assert_null(ret);
	assert_non_null(strstr(error->message, "failed after adding 1"));
	g_clear_error(&error);
	assert_int_equal(applications_count(f->s, &n, NULL), 0);
	assert_int_equal(n, 0);
	json_decref(fields);
}

/* upcoming is bounded: at most limit interviews and limit reminders, and how many more. */
static void test_upcoming_limit(void **state)
{
	struct fixture *f = *state;
	json_t *up = NULL, *all = NULL, *iv = NULL;
	GError *error = NULL;

	for (int i = 0; i < 3; i++) {
		int64_t app = add(f->s, "{\"company\":\"Acme\",\"position\":\"Dev\",\"status\":\"saved\"}");
		g_autofree char *at = g_strdup_printf("2026-11-%02dT10:00:00Z", 24 + i);
		json_t *fields = json_pack("{s:I,s:s}", "application", (json_int_t)app, "at", at);
		assert_int_equal(interviews_add(PIPE_WITH(f->s, &delays), fields, &iv, &error), 0);
		json_decref(iv);
		json_decref(fields);
	}
	/* every open reminder falls within 30 days here */
	assert_int_equal(reminders_list(f->s, false, &all, NULL), 0);
	size_t open = json_array_size(all);
	assert_true(open > 2);
	json_decref(all);

	assert_int_equal(interviews_upcoming(f->s, NOW, 30, 2, &up, &error), 0);
	assert_int_equal(json_array_size(json_object_get(up, "interviews")), 2);
	assert_int_equal(json_integer_value(json_object_get(up, "more_interviews")), 1);
	assert_int_equal(json_array_size(json_object_get(up, "reminders")), 2);
	assert_int_equal(json_integer_value(json_object_get(up, "more_reminders")), (json_int_t)open - 2);
	assert_int_equal(json_integer_value(json_object_get(up, "limit")), 2);
	json_decref(up);

	assert_int_equal(interviews_upcoming(f->s, NOW, 30, 1000, &up, &error), 0);
	assert_int_equal(json_array_size(json_object_get(up, "interviews")), 3);
	assert_int_equal(json_integer_value(json_object_get(up, "more_interviews")), 0);
	assert_int_equal(json_array_size(json_object_get(up, "reminders")), open);
	assert_int_equal(json_integer_value(json_object_get(up, "more_reminders")), 0);
	json_decref(up);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_parse),
		cmocka_unit_test_setup_teardown(test_add_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_defaults_and_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_up_time_of_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entering_stages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_note_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reminders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reminders_raising, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imported_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interview_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upcoming_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
