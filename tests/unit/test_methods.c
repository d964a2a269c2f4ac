/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_methods.c - the daemon's methods without a socket: methods_call() on the shared
 * store fixture, answers caught by a reply function of the test's, the events announced
 * on the change bus (changes.c) caught by a listener of the test's. Nothing but the store
 * is started: no control socket, calendar, scheduler, mail workers or reader (so no method
 * that reads mail gets past its parameters here; the e2e tests run those).
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/mailapply.h"
#include "apptrack/pipeline.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* 2026-12-01T00:00:00Z */
#define NOW 1795996800

struct test {
	struct fixture *f;
	struct daemon d;
	json_t *events; /* [{"event": NAME, ...fields}] announced since the last call */
};

/* What a call answered. */
struct answer {
	unsigned calls;
	int r;
	json_t *result;
	char *raw;
	json_t *data;
	char *message;
	bool watch;
	unsigned seq; /* the how-manieth answer of the test this was */
};

static unsigned answers; /* answers given so far */

static void answer_clear(struct answer *a)
{
	json_decref(a->result);
	json_decref(a->data);
	g_free(a->raw);
	g_free(a->message);
	*a = (struct answer){ 0 };
}

static void on_reply(struct call *call, int r, void *target)
{
	struct answer *a = target;

	a->calls++;
	a->seq = ++answers;
	a->r = r;
	a->result = json_incref(call->result);
	a->raw = g_strdup(call->raw);
	a->data = json_incref(call->data);
	a->message = call->error ? g_strdup(call->error->message) : NULL;
	a->watch = call->watch;
}

static void on_change(struct daemon *d, const char *event, json_t *fields, void *data)
{
	struct test *t = data;
	json_t *o = fields ? json_copy(fields) : json_object();
	(void)d;

	json_object_set_new(o, "event", json_string(event));
	json_array_append_new(t->events, o);
}

static int setup(void **state)
{
	static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
	struct test *t = g_new0(struct test, 1);

	set_now(NOW);
	t->f = fixture_new("methods");
	t->d.store = t->f->s;
	t->d.delays = delays;
	t->d.pipeline = (struct pipeline){ .store = t->d.store, .delays = &t->d.delays };
	t->d.policy = (struct mail_policy){ .delays = &t->d.delays };
	t->events = json_array();
	changes_listen(&t->d, on_change, t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct test *t = *state;

	changes_clear(&t->d);
	json_decref(t->events);
	fixture_free(t->f);
	g_free(t);
	return 0;
}

/* Calls method with params (JSON text, NULL: none), forgetting the events of an earlier
 * call; methods_call() must return r and have answered calls times (0 or 1). */
static void start_call(struct test *t, const char *method, const char *params, struct answer *a, int r, int calls)
{
	json_error_t jerr;
	json_t *p = params ? json_loads(params, 0, &jerr) : json_object();

	if (!p)
		fail_msg("bad test params %s: %s", params, jerr.text);
	json_array_clear(t->events);
	answer_clear(a);
	assert_int_equal(methods_call(&t->d, method, p, on_reply, a), r);
	assert_int_equal(a->calls, calls);
	json_decref(p);
}

/* A method that must answer at once. */
static void call(struct test *t, const char *method, const char *params, struct answer *a)
{
	start_call(t, method, params, a, 0, 1);
}

/* A method that must answer later (an import, or a write waiting for one). The caller runs
 * the main loop (wait_answer()). */
static void call_later(struct test *t, const char *method, const char *params, struct answer *a)
{
	start_call(t, method, params, a, -EINPROGRESS, 0);
}

/* Runs the main loop until a has been answered, once. */
static void wait_answer(struct answer *a)
{
	while (a->calls == 0)
		g_main_context_iteration(NULL, TRUE);
	assert_int_equal(a->calls, 1);
}

/* Calls method, which must succeed; returns its result (borrowed from a). */
static json_t *ok(struct test *t, const char *method, const char *params, struct answer *a)
{
	call(t, method, params, a);
	if (a->r != 0)
		fail_msg("%s %s: %s", method, params ? params : "", a->message);
	return a->result;
}

static int64_t id_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The events announced by the last call, as "name:id name:id" (":-" without an id). */
static char *events_text(struct test *t)
{
	GString *s = g_string_new(NULL);
	json_t *ev;
	size_t i;

	json_array_foreach(t->events, i, ev) {
		json_t *id = json_object_get(ev, "id");
		g_string_append_printf(s, "%s%s:", i ? " " : "", str(ev, "event"));
		if (id)
			g_string_append_printf(s, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
		else
			g_string_append(s, "-");
	}
	return g_string_free(s, FALSE);
}

static void expect_events(struct test *t, const char *want)
{
	g_autofree char *got = events_text(t);
	assert_string_equal(got, want);
}

/* Every method of the table is reached (none is -ENOSYS), answers at once when given a
 * parameter it does not know, and says which; an unknown method is -ENOSYS. */
static void test_table(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };
	const char *name;
	size_t n = 0;

	for (size_t i = 0; (name = methods_name(i)); i++, n++) {
		call(t, name, "{\"no_such_parameter\": 1}", &a);
		assert_int_not_equal(a.r, -ENOSYS);
		if (a.r == -EINVAL && a.message && strstr(a.message, "unknown parameter")) {
			g_autofree char *want = g_strdup_printf("%s: unknown parameter \"no_such_parameter\"", name);
			assert_string_equal(a.message, want);
		}
	}
	assert_true(n >= 48);
	call(t, "no.such.method", NULL, &a);
	assert_int_equal(a.r, -ENOSYS);
	assert_string_equal(a.message, "unknown method \"no.such.method\"");
	assert_int_equal(json_array_size(t->events), 0);
	answer_clear(&a);
}

static void test_unknown_parameter(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	call(t, "applications.show", "{\"id\": 1, \"idd\": 2}", &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "applications.show: unknown parameter \"idd\"");
	assert_string_equal(at_error_code(a.r), "invalid_params");
	/* a method that reads mail refuses bad parameters before it reads anything */
	call(t, "rules.test", "{\"messages\": \"x\"}", &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "parameter \"messages\" must be an array");
	call(t, "ping", "{\"x\": 1}", &a);
	assert_int_equal(a.r, -EINVAL);
	answer_clear(&a);
}

static void test_ping_watch(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	assert_true(json_is_true(json_object_get(ok(t, "ping", NULL, &a), "pong")));
	assert_false(a.watch);
	assert_true(json_is_true(json_object_get(ok(t, "watch", NULL, &a), "watching")));
	assert_true(a.watch);
	expect_events(t, "");
	answer_clear(&a);
}

static void test_applications(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	json_t *app = ok(t, "applications.add", "{\"company\": \"Acme\", \"position\": \"Engineer\"}", &a);
	int64_t id = id_of(app, "id");
	assert_true(id > 0);
	assert_string_equal(str(app, "company"), "Acme");
	g_autofree char *added = g_strdup_printf("application.added:%" G_GINT64_FORMAT, id);
	expect_events(t, added);

	g_autofree char *changed = g_strdup_printf("application.changed:%" G_GINT64_FORMAT, id);
	g_autofree char *edit = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"position\": \"Staff Engineer\"}", id);
	assert_string_equal(str(ok(t, "applications.edit", edit, &a), "position"), "Staff Engineer");
	expect_events(t, changed);
	g_autofree char *status = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"status\": \"screen\"}", id);
	assert_string_equal(str(ok(t, "applications.status", status, &a), "status"), "screen");
	expect_events(t, changed);
	g_autofree char *note = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"text\": \"called\"}", id);
	ok(t, "applications.note", note, &a);
	expect_events(t, changed);

	/* raw JSON text for lists */
	call(t, "applications.list", NULL, &a);
	assert_int_equal(a.r, 0);
	assert_non_null(a.raw);
	assert_null(a.result);
	json_t *list = json_loads(a.raw, 0, NULL);
	assert_int_equal(json_array_size(list), 1);
	/* the summaries the web page shows: days in the stage, the next reminder */
	assert_int_equal(id_of(json_array_get(list, 0), "days_in_stage"), 0);
	assert_string_equal(str(json_object_get(json_array_get(list, 0), "next_reminder"), "kind"), "interview_prep");
	json_decref(list);
	expect_events(t, "");

	/* the board: a column per status, the application in screen's */
	json_t *board = ok(t, "applications.board", "{\"limit\": 10}", &a);
	json_t *screen = json_array_get(json_object_get(board, "columns"), 2);
	assert_int_equal(json_array_size(json_object_get(board, "columns")), 12);
	assert_string_equal(str(screen, "status"), "screen");
	assert_int_equal(id_of(screen, "count"), 1);
	assert_int_equal(id_of(json_array_get(json_object_get(screen, "cards"), 0), "id"), id);
	expect_events(t, "");
	call(t, "applications.board", "{\"limit\": 501}", &a);
	assert_int_equal(a.r, -E2BIG);
	assert_string_equal(at_error_code(a.r), "too_large");
	call(t, "applications.board", "{\"status\": \"screen\"}", &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "applications.board: unknown parameter \"status\"");

	/* a failure announces nothing */
	call(t, "applications.edit", "{\"id\": 999, \"position\": \"x\"}", &a);
	assert_int_equal(a.r, -ENOENT);
	expect_events(t, "");
	g_autofree char *nothing = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT "}", id);
	call(t, "applications.edit", nothing, &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "nothing to change: give at least one field");
	expect_events(t, "");

	g_autofree char *removed = g_strdup_printf("application.removed:%" G_GINT64_FORMAT, id);
	assert_int_equal(id_of(ok(t, "applications.remove", nothing, &a), "removed"), id);
	expect_events(t, removed);
	call(t, "applications.show", nothing, &a);
	assert_int_equal(a.r, -ENOENT);
	answer_clear(&a);
}

static void test_interviews(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	int64_t app = id_of(ok(t, "applications.add", "{\"company\": \"Acme\", \"position\": \"Engineer\"}", &a), "id");
	g_autofree char *add = g_strdup_printf("{\"application\": %" G_GINT64_FORMAT ", \"at\": \"2026-12-10T10:00:00Z\"}",
					       app);
	int64_t iv = id_of(ok(t, "interviews.add", add, &a), "id");
	g_autofree char *added = g_strdup_printf("interview.added:%" G_GINT64_FORMAT " application.changed:%" G_GINT64_FORMAT,
						 iv, app);
	expect_events(t, added);

	g_autofree char *edit = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"type\": \"video\"}", iv);
	ok(t, "interviews.edit", edit, &a);
	g_autofree char *changed = g_strdup_printf("interview.changed:%" G_GINT64_FORMAT, iv);
	expect_events(t, changed);

	g_autofree char *rm = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT "}", iv);
	assert_int_equal(id_of(ok(t, "interviews.remove", rm, &a), "removed"), iv);
	g_autofree char *removed = g_strdup_printf("interview.removed:%" G_GINT64_FORMAT " application.changed:%" G_GINT64_FORMAT,
						   iv, app);
	expect_events(t, removed);
	/* gone: the removal says so, and nothing is announced */
	call(t, "interviews.remove", rm, &a);
	assert_int_equal(a.r, -ENOENT);
	expect_events(t, "");
	answer_clear(&a);
}

static void test_contacts(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	int64_t app = id_of(ok(t, "applications.add", "{\"company\": \"Acme\", \"position\": \"Engineer\"}", &a), "id");
	int64_t id = id_of(ok(t, "contacts.add", "{\"name\": \"Jane Roe\", \"company\": \"Acme\"}", &a), "id");
	g_autofree char *added = g_strdup_printf("contact.added:%" G_GINT64_FORMAT, id);
	expect_events(t, added);

	g_autofree char *edit = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"email\": \"jane@acme.example\"}", id);
	assert_string_equal(str(ok(t, "contacts.edit", edit, &a), "email"), "jane@acme.example");
	g_autofree char *changed = g_strdup_printf("contact.changed:%" G_GINT64_FORMAT, id);
	expect_events(t, changed);

	g_autofree char *link = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"application\": %" G_GINT64_FORMAT "}", id,
						app);
	ok(t, "contacts.link", link, &a);
	g_autofree char *linked = g_strdup_printf("contact.changed:%" G_GINT64_FORMAT " application.changed:%" G_GINT64_FORMAT,
						  id, app);
	expect_events(t, linked);

	assert_int_equal(json_array_size(ok(t, "contacts.list", "{\"search\": \"jane\"}", &a)), 1);
	expect_events(t, "");

	g_autofree char *rm = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT "}", id);
	assert_int_equal(id_of(ok(t, "contacts.remove", rm, &a), "removed"), id);
	g_autofree char *removed = g_strdup_printf("contact.removed:%" G_GINT64_FORMAT, id);
	expect_events(t, removed);
	answer_clear(&a);
}

static void test_reminders(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	ok(t, "applications.add", "{\"company\": \"Acme\", \"position\": \"Engineer\"}", &a);
	json_t *list = ok(t, "reminders.list", "{\"all\": true}", &a);
	assert_true(json_array_size(list) > 0); /* the follow-up of an application applied to */
	int64_t id = id_of(json_array_get(list, 0), "id");
	g_autofree char *p = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT "}", id);
	g_autofree char *changed = g_strdup_printf("reminder.changed:%" G_GINT64_FORMAT, id);

	ok(t, "reminders.done", p, &a);
	expect_events(t, changed);
	g_autofree char *bad = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"for\": \"soon\"}", id);
	call(t, "reminders.snooze", bad, &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "bad duration \"soon\": use a number with s, m, h, d or w, e.g. 2d");
	expect_events(t, "");
	call(t, "reminders.list", "{\"all\": 1}", &a);
	assert_int_equal(a.r, -EINVAL);
	assert_string_equal(a.message, "parameter \"all\" must be true or false");
	answer_clear(&a);
}

/* An error reply's data: the bad rows of an import refused whole; an import that works
 * announces its report. */
static void test_import(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };
	const char *csv = "company,position,status,applied_at\\n"
			  "Good Co,Engineer,applied,2026-11-01\\n"
			  ",Missing Company,applied,2026-11-01\\n"
			  "Bad Status,Engineer,sleeping,2026-11-01\\n";
	g_autofree char *p = g_strdup_printf("{\"csv\": \"%s\"}", csv);

	call_later(t, "import", p, &a); /* on a thread of its own, answered on the main loop */
	wait_answer(&a);
	assert_true(a.r < 0);
	assert_non_null(a.message);
	assert_non_null(a.data);
	json_t *rows = json_object_get(a.data, "rows");
	assert_int_equal(json_array_size(rows), 2);
	expect_events(t, "");

	g_autofree char *skip = g_strdup_printf("{\"csv\": \"%s\", \"skip_bad\": true}", csv);
	call_later(t, "import", skip, &a);
	wait_answer(&a);
	assert_int_equal(a.r, 0);
	json_t *report = a.result;
	assert_int_equal(id_of(report, "imported"), 1);
	assert_null(a.data);
	expect_events(t, "import.done:-");
	json_t *ev = json_deep_copy(json_array_get(t->events, 0));
	json_object_del(ev, "event");
	assert_true(json_equal(ev, report));
	json_decref(ev);
	answer_clear(&a);
}

/* A CSV of n good rows. g_free. */
static char *big_csv(const char *company, unsigned n)
{
	GString *s = g_string_new("company,position,status,applied_at\\n");

	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(s, "%s %u,Engineer %u,applied,2026-11-%02u\\n", company, i, i, 1 + i % 28);
	return g_string_free(s, FALSE);
}

static int64_t count_applications(struct test *t)
{
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_prepare_v2(store_db(t->d.store), "SELECT count(*) FROM applications", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* While an import runs (its thread writes; its answer waits for the main loop, which the
 * test runs only afterwards, so nothing here depends on timing), pings and reads are
 * answered at once, a write and a second import wait behind the gate and run in order
 * once the import is answered; the events come in that order too. */
static void test_import_gate(void **state)
{
	struct test *t = *state;
	struct answer imp = { 0 }, imp2 = { 0 }, add = { 0 }, a = { 0 };
	g_autofree char *csv = big_csv("Bulk", 3000);
	g_autofree char *csv2 = big_csv("Second", 500);
	g_autoptr(GString) p = g_string_new(NULL), p2 = g_string_new(NULL);

	g_string_printf(p, "{\"csv\": \"%s\"}", csv);
	g_string_printf(p2, "{\"csv\": \"%s\"}", csv2);
	call_later(t, "import", p->str, &imp);
	ok(t, "ping", NULL, &a);
	ok(t, "applications.list", "{\"limit\": 1}", &a);
	ok(t, "stats", NULL, &a);
	call_later(t, "applications.add", "{\"company\": \"Late\", \"position\": \"Dev\"}", &add);
	call_later(t, "import", p2->str, &imp2);
	/* a write refused by its parameters need not wait */
	call(t, "applications.status", "{\"nope\": 1}", &a);
	assert_int_equal(a.r, -EINVAL);
	json_array_clear(t->events);

	wait_answer(&imp);
	assert_int_equal(imp.r, 0);
	assert_int_equal(id_of(imp.result, "imported"), 3000);
	wait_answer(&add); /* ran as soon as the import was answered */
	assert_int_equal(add.r, 0);
	assert_true(imp.seq < add.seq);
	assert_int_equal(imp2.calls, 0); /* the second import runs after the write */
	wait_answer(&imp2);
	assert_int_equal(imp2.r, 0);
	assert_int_equal(id_of(imp2.result, "imported"), 500);
	assert_true(add.seq < imp2.seq);
	assert_int_equal(count_applications(t), 3501);
	g_autofree char *want = g_strdup_printf("import.done:- application.added:%" JSON_INTEGER_FORMAT " import.done:-",
						json_integer_value(json_object_get(add.result, "id")));
	expect_events(t, want);
	/* the gate is open again: a write is answered at once */
	ok(t, "applications.add", "{\"company\": \"Now\", \"position\": \"Dev\"}", &a);
	answer_clear(&imp), answer_clear(&imp2), answer_clear(&add), answer_clear(&a);
}

/* The daemon stopping during an import: answered, and the import is all or nothing (it
 * is cancelled between two rows and rolled back, unless it committed first). Writes that
 * waited run; imports after it are refused. */
static void test_import_stop(void **state)
{
	struct test *t = *state;
	struct answer imp = { 0 }, add = { 0 }, imp2 = { 0 }, a = { 0 };
	g_autofree char *csv = big_csv("Bulk", 20000);
	g_autoptr(GString) p = g_string_new(NULL);

	g_string_printf(p, "{\"csv\": \"%s\"}", csv);
	call_later(t, "import", p->str, &imp);
	call_later(t, "applications.add", "{\"company\": \"Late\", \"position\": \"Dev\"}", &add);
	call_later(t, "import", p->str, &imp2);
	importing_stop(&t->d);
	assert_int_equal(imp.calls, 1);
	assert_int_equal(add.calls, 1);
	assert_int_equal(add.r, 0);
	assert_int_equal(imp2.calls, 1);
	assert_int_equal(imp2.r, -ESHUTDOWN);
	if (imp.r == 0) {
		assert_int_equal(count_applications(t), 20001);
	} else {
		assert_int_equal(imp.r, -ECANCELED);
		assert_non_null(strstr(imp.message, "nothing imported"));
		assert_int_equal(count_applications(t), 1);
	}
	call(t, "import", p->str, &a);
	assert_int_equal(a.r, -ESHUTDOWN);
	answer_clear(&imp), answer_clear(&imp2), answer_clear(&add), answer_clear(&a);
}

static void test_profile_resumes(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };

	ok(t, "profile.set", "{\"name\": \"Sam\"}", &a);
	expect_events(t, "profile.changed:-");
	call(t, "profile.set", "{\"nmae\": \"Sam\"}", &a);
	assert_int_equal(a.r, -EINVAL);
	expect_events(t, "");
	int64_t id = id_of(ok(t, "resumes.add", "{\"name\": \"main\", \"text\": \"C and SQL\"}", &a), "id");
	g_autofree char *added = g_strdup_printf("resume.added:%" G_GINT64_FORMAT, id);
	expect_events(t, added);
	ok(t, "resumes.default", "{\"name\": \"main\"}", &a);
	g_autofree char *changed = g_strdup_printf("resume.changed:%" G_GINT64_FORMAT, id);
	expect_events(t, changed);
	ok(t, "resumes.remove", "{\"name\": \"main\"}", &a);
	g_autofree char *removed = g_strdup_printf("resume.removed:%" G_GINT64_FORMAT, id);
	expect_events(t, removed);
	answer_clear(&a);
}

/* Methods that read mail answer at once for a review entry without its message (one
 * quarantined before it was read whole): nothing for the reader to read. */
static void test_review_without_message(void **state)
{
	struct test *t = *state;
	struct answer a = { 0 };
	GError *error = NULL;
	const struct mail_origin origin = { "work", "INBOX", 7 };

	/* an empty queue: answered at once, exactly once (it used to be answered inside the
	 * handler and then left to the connection as still in progress, freed) */
	assert_int_equal(id_of(ok(t, "review.retry", NULL, &a), "retried"), 0);
	expect_events(t, "review.changed:-");
	if (mailapply_quarantine(t->d.store, "sha256:00", &origin, 0, &error) < 0)
		fail_msg("%s", error->message);
	json_t *list = ok(t, "review.list", NULL, &a);
	assert_int_equal(json_array_size(list), 1);
	int64_t id = id_of(json_array_get(list, 0), "id");
	g_autofree char *p = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT "}", id);

	assert_int_equal(id_of(ok(t, "review.show", p, &a), "id"), id);
	expect_events(t, "");
	json_t *report = ok(t, "review.retry", NULL, &a);
	assert_int_equal(id_of(report, "retried"), 1);
	assert_int_equal(id_of(report, "still_queued"), 1);
	expect_events(t, "review.changed:-");
	assert_int_equal(id_of(json_array_get(t->events, 0), "still_queued"), 1);
	assert_int_equal(id_of(ok(t, "review.drop", p, &a), "removed"), id);
	g_autofree char *removed = g_strdup_printf("review.removed:%" G_GINT64_FORMAT, id);
	expect_events(t, removed);
	answer_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_parameter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_applications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interviews, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reminders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_without_message, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
