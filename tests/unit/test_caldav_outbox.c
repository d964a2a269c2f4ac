/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_caldav_outbox.c - the CalDAV outbox (caldav_outbox.h) on a real SQLite file: what
 * is offered becomes pending, what was pushed is not pending again until it changes, what
 * left the feed becomes a DELETE, learn() adopts the server's ETags and deletes only
 * apptrack's unknown resources, a new collection URL starts over, and the counts follow. */
#include "apptrack/caldav_outbox.h"
#include "apptrack/feed.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feed_resources.h"
#include "fixture.h"

#define URL "https://dav.example.org/cal/"
#define URL2 "https://other.example.org/dav/jobs/"
#define NOW INT64_C(1900000000)

#define A "interview-1_apptrack.ics"
#define B "reminder-2_apptrack.ics"
#define C "interview-3_apptrack.ics"

static char *sha(const char *text)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

static void offer(store *s, const char *url, GPtrArray *feed)
{
	g_autoptr(GError) error = NULL;

	if (outbox_offer(s, url, feed, &error) < 0)
		fail_msg("%s", error->message);
	g_ptr_array_unref(feed);
}

static int64_t count(store *s, const char *url)
{
	g_autoptr(GError) error = NULL;
	int64_t n = -1;

	if (outbox_count(s, url, &n, &error) < 0)
		fail_msg("%s", error->message);
	return n;
}

static GPtrArray *pending(store *s, const char *url, unsigned limit)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *out = NULL;

	if (outbox_pending(s, url, limit, &out, &error) < 0)
		fail_msg("%s", error->message);
	assert_non_null(out);
	return out;
}

static const struct outbox_entry *entry(GPtrArray *entries, const char *name)
{
	for (guint i = 0; i < entries->len; i++) {
		const struct outbox_entry *e = entries->pdata[i];
		if (strcmp(e->name, name) == 0)
			return e;
	}
	fail_msg("%s is not pending", name);
	return NULL;
}

/* What the server did: name, hash (NULL: deleted), etag; NULL-terminated. */
static void apply(store *s, const char *name, ...)
{
	g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(outbox_result_free);
	g_autoptr(GError) error = NULL;
	va_list ap;

	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *)) {
		struct outbox_result *r = g_new0(struct outbox_result, 1);
		r->name = g_strdup(n);
		r->hash = g_strdup(va_arg(ap, const char *));
		r->etag = g_strdup(va_arg(ap, const char *));
		g_ptr_array_add(results, r);
	}
	va_end(ap);
	if (outbox_apply(s, results, &error) < 0)
		fail_msg("%s", error->message);
}

/* Pushes everything pending as a server would, the ETag of each PUT being "E-<name>-<n>". */
static void push_all(store *s, const char *url, int n)
{
	g_autoptr(GPtrArray) entries = pending(s, url, 100);
	g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(outbox_result_free);
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < entries->len; i++) {
		const struct outbox_entry *e = entries->pdata[i];
		struct outbox_result *r = g_new0(struct outbox_result, 1);
		r->name = g_strdup(e->name);
		r->hash = g_strdup(e->hash);
		r->etag = e->body ? g_strdup_printf("E-%s-%d", e->name, n) : NULL;
		g_ptr_array_add(results, r);
	}
	if (outbox_apply(s, results, &error) < 0)
		fail_msg("%s", error->message);
}

/* The server holds name, etag pairs; NULL-terminated. */
static void learn(store *s, const char *url, const char *name, ...)
{
	g_autoptr(GHashTable) server = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GError) error = NULL;
	va_list ap;

	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *))
		g_hash_table_insert(server, (char *)n, (char *)va_arg(ap, const char *));
	va_end(ap);
	if (outbox_learn(s, url, server, &error) < 0)
		fail_msg("%s", error->message);
}

static int setup(void **state)
{
	set_now(NOW);
	*state = fixture_new("outbox");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

/* Offered resources are pending PUTs with If-None-Match (no ETag), with their text and hash;
 * pushed, they are no longer pending, and offering them unchanged does not make them so. */
static void test_offer_push(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	assert_int_equal(count(s, URL), 0);
	offer(s, URL, feed_of(A, "text A", B, "text B", NULL));
	assert_int_equal(count(s, URL), 2);
	g_autoptr(GPtrArray) p = pending(s, URL, 10);
	assert_int_equal(p->len, 2);
	const struct outbox_entry *a = entry(p, A);
	g_autofree char *hash_a = sha("text A");
	assert_string_equal(a->body, "text A");
	assert_string_equal(a->hash, hash_a);
	assert_null(a->etag);

	push_all(s, URL, 1);
	assert_int_equal(count(s, URL), 0);
	offer(s, URL, feed_of(A, "text A", B, "text B", NULL));
	assert_int_equal(count(s, URL), 0);
	g_autoptr(GPtrArray) none = pending(s, URL, 10);
	assert_int_equal(none->len, 0);

	/* a changed item: a PUT over the ETag of the last one */
	offer(s, URL, feed_of(A, "text A", B, "text B, moved", NULL));
	assert_int_equal(count(s, URL), 1);
	g_autoptr(GPtrArray) moved = pending(s, URL, 10);
	assert_int_equal(moved->len, 1);
	assert_string_equal(entry(moved, B)->body, "text B, moved");
	assert_string_equal(entry(moved, B)->etag, "E-" B "-1");
}

/* An item that left the feed is a DELETE with its ETag; done, its row goes and it is not
 * offered again; an item never pushed that leaves is a DELETE without condition. */
static void test_removed(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	offer(s, URL, feed_of(A, "text A", B, "text B", NULL));
	push_all(s, URL, 1);
	offer(s, URL, feed_of(A, "text A", NULL));
	assert_int_equal(count(s, URL), 1);
	g_autoptr(GPtrArray) p = pending(s, URL, 10);
	assert_int_equal(p->len, 1);
	const struct outbox_entry *b = entry(p, B);
	assert_null(b->body);
	assert_string_equal(b->etag, "E-" B "-1");

	apply(s, B, NULL, NULL, NULL);
	assert_int_equal(count(s, URL), 0);
	offer(s, URL, feed_of(A, "text A", NULL));
	assert_int_equal(count(s, URL), 0);

	/* offered, then gone before it was pushed */
	offer(s, URL, feed_of(A, "text A", C, "text C", NULL));
	offer(s, URL, feed_of(A, "text A", NULL));
	g_autoptr(GPtrArray) q = pending(s, URL, 10);
	assert_int_equal(q->len, 1);
	assert_null(entry(q, C)->body);
	assert_null(entry(q, C)->etag);
}

/* A DELETE that comes back before it is done: the result of the DELETE leaves the item to
 * be PUT anew, unconditionally, since it is no longer on the server. */
static void test_delete_then_back(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	offer(s, URL, feed_of(A, "text A", NULL));
	push_all(s, URL, 1);
	offer(s, URL, feed_of(NULL));
	offer(s, URL, feed_of(A, "text A", NULL));
	apply(s, A, NULL, NULL, NULL); /* the DELETE taken before it came back */
	assert_int_equal(count(s, URL), 1);
	g_autoptr(GPtrArray) p = pending(s, URL, 10);
	assert_string_equal(entry(p, A)->body, "text A");
	assert_null(entry(p, A)->etag);
}

/* learn(): an unchanged ETag keeps a resource pushed, a different one (an edit there) makes
 * it a PUT over that ETag, one the server lacks is PUT anew, a DELETE of a resource the
 * server lacks is done, apptrack's resources without a row become DELETEs, others are left. */
static void test_learn(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	offer(s, URL, feed_of(A, "text A", B, "text B", C, "text C", NULL));
	push_all(s, URL, 1);
	offer(s, URL, feed_of(A, "text A", B, "text B", NULL)); /* C to delete */
	assert_int_equal(count(s, URL), 1);

	learn(s, URL, A, "E-" A "-1", /* as pushed */
	      "interview-99_apptrack.ics", "\"stray\"", /* apptrack's, unknown */
	      "Team Lunch.ics", "\"foreign\"", "reminder-x_apptrack.ics", "\"foreign too\"", NULL);
	/* B gone from the server: PUT anew; C gone too: nothing to delete; the stray: DELETE */
	assert_int_equal(count(s, URL), 2);
	g_autoptr(GPtrArray) p = pending(s, URL, 10);
	assert_int_equal(p->len, 2);
	assert_string_equal(entry(p, B)->body, "text B");
	assert_null(entry(p, B)->etag);
	const struct outbox_entry *stray = entry(p, "interview-99_apptrack.ics");
	assert_null(stray->body);
	assert_string_equal(stray->etag, "\"stray\"");

	push_all(s, URL, 2);
	assert_int_equal(count(s, URL), 0);
	/* A edited on the server: PUT again over the ETag it has now */
	learn(s, URL, A, "\"edited\"", B, "E-" B "-2", NULL);
	assert_int_equal(count(s, URL), 1);
	g_autoptr(GPtrArray) q = pending(s, URL, 10);
	assert_string_equal(entry(q, A)->body, "text A");
	assert_string_equal(entry(q, A)->etag, "\"edited\"");
	/* a server without ETags ("" from dav_list()) */
	push_all(s, URL, 3);
	learn(s, URL, A, "", B, "E-" B "-2", NULL);
	assert_int_equal(count(s, URL), 1);
}

/* Another collection URL starts over: the old rows are gone, everything is PUT anew there,
 * whether offer() or learn() sees the new URL first. */
static void test_new_url(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	offer(s, URL, feed_of(A, "text A", B, "text B", NULL));
	push_all(s, URL, 1);
	assert_int_equal(count(s, URL), 0);

	/* learned first, as apptrackd may at start: the new server already has A */
	learn(s, URL2, A, "\"there\"", NULL);
	assert_int_equal(count(s, URL), 0);
	offer(s, URL2, feed_of(A, "text A", B, "text B", NULL));
	assert_int_equal(count(s, URL), 0);
	assert_int_equal(count(s, URL2), 2);
	g_autoptr(GPtrArray) p = pending(s, URL2, 10);
	assert_int_equal(p->len, 2);
	assert_string_equal(entry(p, A)->body, "text A");
	assert_string_equal(entry(p, A)->etag, "\"there\"");
	assert_null(entry(p, B)->etag);
	g_autoptr(GPtrArray) old = pending(s, URL, 10);
	assert_int_equal(old->len, 0);

	/* and back: offered first this time */
	push_all(s, URL2, 1);
	offer(s, URL, feed_of(A, "text A", NULL));
	assert_int_equal(count(s, URL2), 0);
	assert_int_equal(count(s, URL), 1);
	g_autoptr(GPtrArray) q = pending(s, URL, 10);
	assert_null(entry(q, A)->etag);
}

/* pending() gives at most limit changes, the oldest first. */
static void test_limit_order(void **state)
{
	store *s = ((struct fixture *)*state)->s;

	offer(s, URL, feed_of(C, "text C", NULL));
	set_now(NOW + 60);
	offer(s, URL, feed_of(C, "text C", A, "text A", NULL));
	set_now(NOW + 120);
	offer(s, URL, feed_of(C, "text C", A, "text A", B, "text B", NULL));
	assert_int_equal(count(s, URL), 3);
	g_autoptr(GPtrArray) p = pending(s, URL, 2);
	assert_int_equal(p->len, 2);
	assert_string_equal(((struct outbox_entry *)p->pdata[0])->name, C);
	assert_string_equal(((struct outbox_entry *)p->pdata[1])->name, A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_offer_push, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_then_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_order, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
