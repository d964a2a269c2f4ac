/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lessons.c - the user's lessons in a real store: a message's key, the kinds by name,
 * what can be a lesson, adding (again, as another kind), removing and counting them inside
 * the caller's transaction, and feeding them to a rules set's model, where a lesson that
 * cannot be read now, or of an unknown kind, is skipped and the others are learned. */
#include "apptrack/error.h"
#include "apptrack/lessons.h"
#include "apptrack/mailapply.h"
#include "apptrack/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fixture.h"

#define MAIL_A                                                                                                        \
	"From: Acme Talent <jobs@acme.example>\r\nTo: me@example.org\r\nSubject: Your application to Acme\r\n"        \
	"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <a@acme.example>\r\n\r\n"                              \
	"Unfortunately we have decided to move forward with other candidates.\r\n"
#define MAIL_B                                                                                                        \
	"From: Beta Hiring <no-reply@beta.example>\r\nSubject: Thank you for applying\r\n\r\n"                         \
	"We received your application for the role of Engineer.\r\n"

static int setup(void **state)
{
	*state = fixture_new("lessons");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

/* lessons_add() with the key a reader gives raw. */
static int add(store *s, enum mail_kind kind, const char *file, const char *raw, size_t len, int *ret_previous,
	       GError **error)
{
	g_autofree char *key = mailapply_raw_key(raw, len);
	return lessons_add(s, key, kind, file, raw, len, ret_previous, error);
}

static unsigned count(store *s)
{
	unsigned n = 0;
	assert_int_equal(lessons_count(s, &n, NULL), 0);
	return n;
}

/* The kind stored for raw, as text, or NULL when none. g_free. */
static char *stored_kind(store *s, const char *raw)
{
	g_autofree char *key = mailapply_raw_key(raw, strlen(raw));
	sqlite3_stmt *st;
	char *kind = NULL;

	assert_int_equal(store_prepare(s, "SELECT kind FROM lessons WHERE key = ?", &st, NULL), 0);
	store_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		kind = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return kind;
}

static void test_key_and_kinds(void **state)
{
	g_autoptr(GError) error = NULL;
	enum mail_kind kind = MAIL_NOISE;
	(void)state;

	/* SHA-256 of "abc" (FIPS 180-2) */
	g_autofree char *key = mailapply_raw_key("abc", 3);
	assert_string_equal(key, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	for (int k = 0; k < MAIL_KIND_COUNT; k++) {
		assert_int_equal(lessons_parse_kind(mail_kind_name((enum mail_kind)k), &kind, NULL), 0);
		assert_int_equal(kind, k);
	}
	assert_int_equal(lessons_parse_kind("Rejection", &kind, NULL), 0);
	assert_int_equal(kind, MAIL_REJECTION);
	kind = MAIL_OFFER;
	assert_int_equal(lessons_parse_kind("spam", &kind, &error), -EINVAL);
	assert_int_equal(kind, MAIL_OFFER); /* untouched on failure */
	assert_non_null(strstr(error->message, "unknown kind \"spam\""));
	assert_non_null(strstr(error->message, "recruiter or noise"));
	g_clear_error(&error);
	assert_int_equal(lessons_parse_kind(NULL, &kind, &error), -EINVAL);
}

/* Whether raw can be a lesson: 0, or the reason's errno with the reason in *why. */
static int check(const char *raw, size_t len, char **why)
{
	g_autoptr(mime_message) m = NULL;
	g_autoptr(GError) error = NULL;
	int r = mime_parse(raw, len, &m, &error);

	if (r == 0)
		r = lessons_check_message(m, &error);
	*why = r < 0 ? g_strdup(error->message) : NULL;
	return r;
}

static void test_what_is_mail(void **state)
{
	static const char text[] = "hello world\nthis is a note, not a message\n";
	g_autofree char *why = NULL;
	(void)state;

	assert_int_equal(check(MAIL_A, strlen(MAIL_A), &why), 0);
	assert_int_equal(check(MAIL_B, strlen(MAIL_B), &why), 0);
	assert_int_equal(check(text, strlen(text), &why), -EINVAL);
	assert_non_null(strstr(why, "not a mail message"));
	g_clear_pointer(&why, g_free);
	/* past a bound of mime.h: the header is read, the body is not */
	GString *deep = g_string_new("From: a@b.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
	for (int i = 0; i < MIME_MAX_DEPTH + 8; i++)
		g_string_append_printf(deep, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
	g_string_append(deep, "Content-Type: text/plain\r\n\r\nbottom\r\n");
	assert_int_equal(check(deep->str, deep->len, &why), -EINVAL);
	assert_true(g_str_has_prefix(why, "not read: "));
	g_string_free(deep, TRUE);
}

static void test_add_replace_remove(void **state)
{
	struct fixture *f = *state;
	g_autoptr(GError) error = NULL;
	g_autofree char *key_a = mailapply_raw_key(MAIL_A, strlen(MAIL_A));
	int previous = 42, kind = 42;

	assert_int_equal(count(f->s), 0);
	set_now(1796083200); /* 2026-12-01T00:00:00Z */
	assert_int_equal(add(f->s, MAIL_REJECTION, "a.eml", MAIL_A, strlen(MAIL_A), &previous, NULL), 0);
	assert_int_equal(previous, -1);
	assert_int_equal(count(f->s), 1);
	/* the same message as the same kind: nothing changes */
	assert_int_equal(add(f->s, MAIL_REJECTION, "again.eml", MAIL_A, strlen(MAIL_A), &previous, NULL), 0);
	assert_int_equal(previous, MAIL_REJECTION);
	assert_int_equal(count(f->s), 1);
	/* as another kind: the lesson is replaced, and says what it was */
	assert_int_equal(add(f->s, MAIL_OFFER, "a.eml", MAIL_A, strlen(MAIL_A), &previous, NULL), 0);
	assert_int_equal(previous, MAIL_REJECTION);
	g_autofree char *now_kind = stored_kind(f->s, MAIL_A);
	assert_string_equal(now_kind, "offer");
	assert_int_equal(count(f->s), 1);
	/* no file name (a lesson from the review queue) */
	assert_int_equal(add(f->s, MAIL_CONFIRMATION, NULL, MAIL_B, strlen(MAIL_B), NULL, NULL), 0);
	assert_int_equal(count(f->s), 2);

	/* the raw message is kept whole, with its time */
	sqlite3_stmt *st;
	assert_int_equal(store_prepare(f->s, "SELECT raw, file, learned_at FROM lessons WHERE key = ?", &st, NULL), 0);
	store_bind_text(st, 1, key_a);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), (int)strlen(MAIL_A));
	assert_memory_equal(sqlite3_column_blob(st, 0), MAIL_A, strlen(MAIL_A));
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "a.eml");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "2026-12-01T00:00:00Z");
	sqlite3_reset(st);

	assert_int_equal(lessons_remove(f->s, key_a, &kind, NULL), 0);
	assert_int_equal(kind, MAIL_OFFER);
	assert_int_equal(count(f->s), 1);
	kind = 42;
	assert_int_equal(lessons_remove(f->s, key_a, &kind, &error), -ENOENT);
	assert_int_equal(kind, 42);
	assert_non_null(strstr(error->message, "never learned"));

	/* what no build could have learned */
	assert_int_equal(add(f->s, (enum mail_kind)MAIL_KIND_COUNT, "x.eml", MAIL_A, strlen(MAIL_A), NULL, NULL),
			 -EINVAL);
	assert_int_equal(add(f->s, MAIL_NOISE, "empty.eml", "", 0, NULL, NULL), -EINVAL);
	assert_int_equal(count(f->s), 1);
}

/* A lesson stored by a later version, of a kind this one does not know: it replaces and
 * removes like any other, and says there is nothing of it to unlearn. */
static void test_unknown_stored_kind(void **state)
{
	struct fixture *f = *state;
	g_autofree char *key = mailapply_raw_key(MAIL_A, strlen(MAIL_A));
	int previous = 42, kind = 42;

	assert_int_equal(add(f->s, MAIL_REJECTION, "a.eml", MAIL_A, strlen(MAIL_A), NULL, NULL), 0);
	assert_int_equal(sqlite3_exec(store_db(f->s), "UPDATE lessons SET kind = 'newsletter'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(lessons_remove(f->s, key, &kind, NULL), 0);
	assert_int_equal(kind, -1);
	assert_int_equal(add(f->s, MAIL_REJECTION, "a.eml", MAIL_A, strlen(MAIL_A), NULL, NULL), 0);
	assert_int_equal(sqlite3_exec(store_db(f->s), "UPDATE lessons SET kind = 'newsletter'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(add(f->s, MAIL_OFFER, "a.eml", MAIL_A, strlen(MAIL_A), &previous, NULL), 0);
	assert_int_equal(previous, -1);
}

/* All or nothing: the lessons of a request roll back with the caller's transaction. */
static void test_in_the_callers_transaction(void **state)
{
	struct fixture *f = *state;
	g_autofree char *key_b = mailapply_raw_key(MAIL_B, strlen(MAIL_B));

	assert_int_equal(add(f->s, MAIL_REJECTION, "a.eml", MAIL_A, strlen(MAIL_A), NULL, NULL), 0);
	assert_int_equal(store_begin(f->s, NULL), 0);
	assert_int_equal(add(f->s, MAIL_CONFIRMATION, "b.eml", MAIL_B, strlen(MAIL_B), NULL, NULL), 0);
	assert_int_equal(count(f->s), 2);
	assert_int_equal(lessons_remove(f->s, key_b, NULL, NULL), 0);
	assert_int_equal(add(f->s, MAIL_CONFIRMATION, "b.eml", MAIL_B, strlen(MAIL_B), NULL, NULL), 0);
	/* a removal that fails fails the request: the caller rolls back */
	assert_int_equal(lessons_remove(f->s, "sha256:0000", NULL, NULL), -ENOENT);
	store_rollback(f->s);
	assert_int_equal(count(f->s), 1);
	g_autofree char *kind = stored_kind(f->s, MAIL_B);
	assert_null(kind);
}

struct reads {
	unsigned calls;
	char *refuse; /* the file whose reading fails */
};

/* A reader as the daemon gives one: it reads the lesson itself. */
static GPtrArray *counting_read(const struct lesson *l, rules *r, void *data, GError **error)
{
	struct reads *reads = data;
	g_autoptr(mime_message) m = NULL;

	reads->calls++;
	assert_int_equal(l->raw[l->len], '\0'); /* handed over NUL-terminated, as mail is */
	if (reads->refuse && g_strcmp0(l->file, reads->refuse) == 0) {
		at_error_set(error, -EINVAL, "refused by the test");
		return NULL;
	}
	if (mime_parse(l->raw, l->len, &m, error) < 0)
		return NULL;
	return rules_features(r, m);
}

static void test_feed(void **state)
{
	struct fixture *f = *state;
	static const char garbage[] = "\r\n\r\n";
	g_autoptr(mailmodel) model = model_new();
	rules *r = rules_new();
	struct reads reads = { 0 };
	unsigned fed = 42;

	/* without a model nothing is read */
	assert_int_equal(add(f->s, MAIL_REJECTION, "a.eml", MAIL_A, strlen(MAIL_A), NULL, NULL), 0);
	assert_int_equal(lessons_feed(f->s, r, counting_read, &reads, &fed, NULL), 0);
	assert_int_equal(fed, 0);
	assert_int_equal(reads.calls, 0);

	rules_set_model(r, model, NULL);
	assert_int_equal(add(f->s, MAIL_CONFIRMATION, "b.eml", MAIL_B, strlen(MAIL_B), NULL, NULL), 0);
	/* a message that no longer reads as mail, and a kind this build does not know */
	assert_int_equal(add(f->s, MAIL_NOISE, "garbage.eml", garbage, strlen(garbage), NULL, NULL), 0);
	static const char future[] = "Subject: x\r\n\r\ny\r\n";
	assert_int_equal(add(f->s, MAIL_OFFER, "future.eml", future, strlen(future), NULL, NULL), 0);
	assert_int_equal(sqlite3_exec(store_db(f->s), "UPDATE lessons SET kind = 'newsletter' WHERE file = 'future.eml'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(lessons_feed(f->s, r, NULL, NULL, &fed, NULL), 0);
	assert_int_equal(fed, 2);
	assert_int_equal(model_lesson_count(model), 2);

	/* a reader of the caller's: every lesson of a known kind goes through it */
	g_autoptr(mailmodel) second = model_new();
	rules *r2 = rules_new();
	rules_set_model(r2, second, NULL);
	reads.refuse = (char *)"a.eml";
	assert_int_equal(lessons_feed(f->s, r2, counting_read, &reads, &fed, NULL), 0);
	assert_int_equal(reads.calls, 3);
	assert_int_equal(fed, 1);
	assert_int_equal(model_lesson_count(second), 1);
	rules_free(r2);
	rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_and_kinds),
		cmocka_unit_test(test_what_is_mail),
		cmocka_unit_test_setup_teardown(test_add_replace_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_stored_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_the_callers_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
