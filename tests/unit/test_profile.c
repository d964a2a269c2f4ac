/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_profile.c - resumes (names, texts, the default rules, lookups by name and id,
 * suggestions, limits) and the profile (partial changes, skills and links tidied,
 * validation messages). Every refusal is checked to leave the store as it was. Time is
 * fixed with APPTRACK_NOW. */
#include "apptrack/profile.h"
#include "apptrack/resumes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define NOW 1795305600 /* 2026-11-22T00:00:00Z */
#define NOW_ISO "2026-11-22T00:00:00Z"

static int setup(void **state)
{
	set_now(NOW);
	*state = fixture_new("profile");
	return 0;
}

static int teardown(void **state)
{
	return fixture_free(*state);
}

static void expect_error(GError *error, const char *needle)
{
	assert_non_null(error);
	if (!strstr(error->message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error->message, needle);
}

static json_t *add(store *s, const char *name, const char *text)
{
	GError *error = NULL;
	json_t *r = NULL;
	if (resume_add(s, name, text, false, &r, &error) < 0)
		fail_msg("add %s: %s", name, error->message);
	return r;
}

static json_t *list(store *s)
{
	json_t *arr = NULL;
	assert_int_equal(resume_list(s, &arr, NULL), 0);
	return arr;
}

/* The list as "name*,name" with the default starred: the whole resume state at a glance. */
static char *state_of(store *s)
{
	json_t *arr = list(s), *r;
	GString *out = g_string_new(NULL);
	size_t i;

	json_array_foreach(arr, i, r) {
		g_string_append_printf(out, "%s%s%s", i ? "," : "", json_string_value(json_object_get(r, "name")),
				       json_is_true(json_object_get(r, "is_default")) ? "*" : "");
	}
	json_decref(arr);
	return g_string_free(out, FALSE);
}

static char *text_of(store *s, const char *name)
{
	char *text = NULL;
	GError *error = NULL;
	if (resume_text(s, name, NULL, &text, &error) < 0)
		fail_msg("text of %s: %s", name ? name : "(default)", error->message);
	return text;
}

static void test_resume_add(void **state)
{
	struct fixture *f = *state;
	json_t *r = add(f->s, "backend", "Ada Lovelace\nPython, SQL and Zürich\n");

	assert_int_equal(json_integer_value(json_object_get(r, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(r, "name")), "backend");
	assert_true(json_is_true(json_object_get(r, "is_default")));
	assert_true(json_is_false(json_object_get(r, "replaced")));
	assert_string_equal(json_string_value(json_object_get(r, "created_at")), NOW_ISO);
	assert_string_equal(json_string_value(json_object_get(r, "updated_at")), NOW_ISO);
	assert_int_equal(json_integer_value(json_object_get(r, "words")), 6);
	assert_int_equal(json_integer_value(json_object_get(r, "chars")), 36); /* ü is one character */
	assert_null(json_object_get(r, "text"));
	json_decref(r);

	/* the second is not the default; names are trimmed */
	r = add(f->s, "  data eng  ", "Spark");
	assert_string_equal(json_string_value(json_object_get(r, "name")), "data eng");
	assert_true(json_is_false(json_object_get(r, "is_default")));
	json_decref(r);
	g_autofree char *st = state_of(f->s);
	assert_string_equal(st, "backend*,data eng");

	/* ret_resume may be NULL */
	assert_int_equal(resume_add(f->s, "third", "text", false, NULL, NULL), 0);
}

static void test_resume_duplicate_and_replace(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;
	json_t *r = (json_t *)0x1;

	json_decref(add(f->s, "cv", "old text"));
	json_decref(add(f->s, "other", "other text"));
	assert_int_equal(resume_add(f->s, "cv", "new text", false, &r, &error), -EEXIST);
	assert_ptr_equal(r, (json_t *)0x1);
	assert_string_equal(error->message, "a resume named \"cv\" exists (use --replace)");
	g_clear_error(&error);
	g_autofree char *t1 = text_of(f->s, "cv");
	assert_string_equal(t1, "old text");

	/* replace: new text, same id, still the default, created_at kept */
	set_now(NOW + 3600);
	assert_int_equal(resume_add(f->s, "cv", "new text here", true, &r, &error), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 1);
	assert_true(json_is_true(json_object_get(r, "replaced")));
	assert_true(json_is_true(json_object_get(r, "is_default")));
	assert_string_equal(json_string_value(json_object_get(r, "created_at")), NOW_ISO);
	assert_string_equal(json_string_value(json_object_get(r, "updated_at")), "2026-11-22T01:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(r, "words")), 3);
	json_decref(r);
	g_autofree char *t2 = text_of(f->s, "cv");
	assert_string_equal(t2, "new text here");

	/* replace of a name not stored yet simply adds it */
	assert_int_equal(resume_add(f->s, "fresh", "t", true, &r, NULL), 0);
	assert_true(json_is_false(json_object_get(r, "replaced")));
	json_decref(r);
	g_autofree char *st = state_of(f->s);
	assert_string_equal(st, "cv*,other,fresh");
}

static void test_resume_validation(void **state)
{
	struct fixture *f = *state;
	g_autofree char *long_name = g_strnfill(RESUME_NAME_MAX + 1, 'n');
	g_autofree char *huge = g_strnfill(RESUME_MAX_TEXT + 1, 'x');
	static const struct {
		const char *name;
		const char *text;
		int r;
		const char *needle;
	} cases[] = {
		{ NULL, "text", -EINVAL, "needs a name" },
		{ "", "text", -EINVAL, "needs a name" },
		{ "   ", "text", -EINVAL, "needs a name" },
		{ "a/b", "text", -EINVAL, "cannot hold a '/'" },
		{ "tab\there", "text", -EINVAL, "control characters" },
		{ "line\nbreak", "text", -EINVAL, "control characters" },
		{ "2024", "text", -EINVAL, "only digits" },
		{ "\xff\xfe", "text", -EINVAL, "UTF-8" },
		{ "ok", NULL, -EINVAL, "needs a text" },
		{ "ok", "", -EINVAL, "is empty" },
		{ "ok", " \n\t ", -EINVAL, "is empty" },
		{ "ok", "\xff", -EINVAL, "not UTF-8" },
	};
	GError *error = NULL;
	json_t *r = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		assert_int_equal(resume_add(f->s, cases[i].name, cases[i].text, false, &r, &error), cases[i].r);
		expect_error(error, cases[i].needle);
		g_clear_error(&error);
	}
	assert_int_equal(resume_add(f->s, long_name, "text", false, &r, &error), -EINVAL);
	expect_error(error, "longer than 64 characters");
	g_clear_error(&error);
	assert_int_equal(resume_add(f->s, "big", huge, false, &r, &error), -E2BIG);
	expect_error(error, "limit");
	g_clear_error(&error);
	assert_null(r);
	g_autofree char *st = state_of(f->s);
	assert_string_equal(st, "");

	/* at the limits: 64 characters (not bytes) and RESUME_MAX_TEXT bytes */
	GString *name = g_string_new(NULL);
	for (int i = 0; i < RESUME_NAME_MAX; i++)
		g_string_append(name, "ü");
	huge[RESUME_MAX_TEXT] = '\0';
	assert_int_equal(resume_add(f->s, name->str, huge, false, NULL, &error), 0);
	g_string_free(name, TRUE);
	/* digits with a letter are a name */
	assert_int_equal(resume_add(f->s, "cv2024", "text", false, NULL, NULL), 0);
}

static void test_resume_list_show(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;
	json_t *r = NULL, *arr;

	/* no resumes: an empty list, and show says none is stored */
	arr = list(f->s);
	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
	assert_int_equal(resume_show(f->s, "backend", &r, &error), -ENOENT);
	expect_error(error, "none is stored");
	g_clear_error(&error);

	json_decref(add(f->s, "backend", "B text"));
	set_now(NOW + 10);
	json_decref(add(f->s, "Frontend", "F text"));
	arr = list(f->s);
	assert_int_equal(json_array_size(arr), 2);
	json_t *first = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(first, "name")), "backend");
	static const char *const keys[] = { "id", "name", "is_default", "created_at", "updated_at", "words", "chars" };
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		assert_non_null(json_object_get(first, keys[i]));
	assert_null(json_object_get(first, "text"));
	json_decref(arr);

	/* by name, by id */
	assert_int_equal(resume_show(f->s, "Frontend", &r, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(r, "text")), "F text");
	assert_true(json_is_false(json_object_get(r, "is_default")));
	json_decref(r);
	assert_int_equal(resume_show(f->s, "1", &r, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(r, "name")), "backend");
	json_decref(r);

	/* unknown: the closest name, ignoring case, is suggested */
	r = NULL;
	assert_int_equal(resume_show(f->s, "backnd", &r, &error), -ENOENT);
	assert_string_equal(error->message, "no resume named \"backnd\" (did you mean \"backend\"?)");
	g_clear_error(&error);
	assert_int_equal(resume_show(f->s, "frontend", &r, &error), -ENOENT);
	expect_error(error, "did you mean \"Frontend\"?");
	g_clear_error(&error);
	assert_int_equal(resume_show(f->s, "something else", &r, &error), -ENOENT);
	expect_error(error, "no resume named \"something else\" (apptrackctl resume list");
	g_clear_error(&error);
	assert_int_equal(resume_show(f->s, "99", &r, &error), -ENOENT);
	expect_error(error, "no resume with id 99");
	g_clear_error(&error);
	assert_int_equal(resume_show(f->s, "", &r, &error), -EINVAL);
	g_clear_error(&error);
	assert_null(r);
}

static void test_resume_default_rules(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;
	char *st;

	json_decref(add(f->s, "a", "A"));
	set_now(NOW + 1);
	json_decref(add(f->s, "b", "B"));
	set_now(NOW + 2);
	json_decref(add(f->s, "c", "C"));
	st = state_of(f->s);
	assert_string_equal(st, "a*,b,c");
	g_free(st);

	/* set the default, by name and by id; only one is ever marked */
	assert_int_equal(resume_set_default(f->s, "b", NULL), 0);
	st = state_of(f->s);
	assert_string_equal(st, "a,b*,c");
	g_free(st);
	assert_int_equal(resume_set_default(f->s, "3", NULL), 0);
	st = state_of(f->s);
	assert_string_equal(st, "a,b,c*");
	g_free(st);
	assert_int_equal(resume_set_default(f->s, "c", NULL), 0); /* again: no change */
	assert_int_equal(resume_set_default(f->s, "zzz", &error), -ENOENT);
	expect_error(error, "no resume named \"zzz\"");
	g_clear_error(&error);
	st = state_of(f->s);
	assert_string_equal(st, "a,b,c*");
	g_free(st);

	/* removing another one keeps the default */
	assert_int_equal(resume_remove(f->s, "a", NULL, NULL), 0);
	st = state_of(f->s);
	assert_string_equal(st, "b,c*");
	g_free(st);
	/* removing the default makes the newest remaining one the default */
	json_decref(add(f->s, "d", "D")); /* newest: created at NOW + 2, id 4 */
	assert_int_equal(resume_set_default(f->s, "b", NULL), 0);
	json_t *gone = NULL;
	assert_int_equal(resume_remove(f->s, "b", &gone, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(gone, "name")), "b");
	assert_true(json_is_true(json_object_get(gone, "was_default")));
	assert_string_equal(json_string_value(json_object_get(gone, "default")), "d");
	json_decref(gone);
	st = state_of(f->s);
	assert_string_equal(st, "c,d*");
	g_free(st);
	assert_int_equal(resume_remove(f->s, "d", NULL, NULL), 0);
	st = state_of(f->s);
	assert_string_equal(st, "c*");
	g_free(st);
	/* unknown: nothing changes */
	assert_int_equal(resume_remove(f->s, "d", NULL, &error), -ENOENT);
	expect_error(error, "no resume named \"d\"");
	g_clear_error(&error);
	st = state_of(f->s);
	assert_string_equal(st, "c*");
	g_free(st);
	/* the last one goes; the next added is the default again */
	assert_int_equal(resume_remove(f->s, "c", &gone, NULL), 0);
	assert_true(json_is_null(json_object_get(gone, "default")) || !json_object_get(gone, "default"));
	json_decref(gone);
	st = state_of(f->s);
	assert_string_equal(st, "");
	g_free(st);
	json_decref(add(f->s, "e", "E"));
	st = state_of(f->s);
	assert_string_equal(st, "e*");
	g_free(st);
}

static void test_resume_text(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;
	char *name = (char *)"untouched", *text = (char *)"untouched";

	assert_int_equal(resume_text(f->s, NULL, &name, &text, &error), -ENOENT);
	assert_string_equal(error->message, "no resume stored: add one with apptrackctl resume add NAME FILE");
	assert_string_equal(name, "untouched");
	assert_string_equal(text, "untouched");
	g_clear_error(&error);

	json_decref(add(f->s, "general", "General text"));
	json_decref(add(f->s, "ml", "ML text"));
	assert_int_equal(resume_text(f->s, NULL, &name, &text, NULL), 0);
	assert_string_equal(name, "general");
	assert_string_equal(text, "General text");
	g_free(name);
	g_free(text);
	assert_int_equal(resume_text(f->s, "ml", &name, &text, NULL), 0);
	assert_string_equal(name, "ml");
	assert_string_equal(text, "ML text");
	g_free(name);
	g_free(text);
	/* ret_name may be NULL */
	assert_int_equal(resume_set_default(f->s, "ml", NULL), 0);
	assert_int_equal(resume_text(f->s, NULL, NULL, &text, NULL), 0);
	assert_string_equal(text, "ML text");
	g_free(text);
	assert_int_equal(resume_text(f->s, "mll", NULL, &text, &error), -ENOENT);
	expect_error(error, "did you mean \"ml\"?");
	g_clear_error(&error);
}

static void test_resume_count_limit(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;

	for (int i = 0; i < RESUME_MAX_COUNT; i++) {
		g_autofree char *name = g_strdup_printf("cv-%d", i);
		assert_int_equal(resume_add(f->s, name, "text", false, NULL, NULL), 0);
	}
	assert_int_equal(resume_add(f->s, "one more", "text", false, NULL, &error), -E2BIG);
	expect_error(error, "remove one first");
	g_clear_error(&error);
	/* replacing one is still fine */
	assert_int_equal(resume_add(f->s, "cv-0", "new", true, NULL, NULL), 0);
	json_t *arr = list(f->s);
	assert_int_equal(json_array_size(arr), RESUME_MAX_COUNT);
	json_decref(arr);
}

static void test_resume_in_outer_transaction(void **state)
{
	struct fixture *f = *state;

	/* nested in a caller's transaction that rolls back: nothing stays */
	assert_int_equal(store_begin(f->s, NULL), 0);
	json_decref(add(f->s, "temp", "T"));
	store_rollback(f->s);
	g_autofree char *st = state_of(f->s);
	assert_string_equal(st, "");
}

/* ---- profile ---- */

static json_t *profile(store *s)
{
	json_t *p = NULL;
	assert_int_equal(profile_get(s, &p, NULL), 0);
	return p;
}

static json_t *set(store *s, const char *json)
{
	json_t *fields = json_loads(json, 0, NULL), *p = NULL;
	GError *error = NULL;
	assert_non_null(fields);
	if (profile_set(s, fields, &p, &error) < 0)
		fail_msg("set %s: %s", json, error->message);
	json_decref(fields);
	return p;
}

static void test_profile_empty(void **state)
{
	struct fixture *f = *state;
	json_t *p = profile(f->s);
	static const char *const keys[] = { "name", "email", "phone", "location", "position", "skills", "updated_at" };
	char *skills = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		assert_true(json_is_null(json_object_get(p, keys[i])));
	assert_true(json_is_array(json_object_get(p, "links")));
	assert_int_equal(json_array_size(json_object_get(p, "links")), 0);
	assert_int_equal(json_object_size(p), G_N_ELEMENTS(keys) + 1);
	json_decref(p);
	assert_int_equal(profile_skills(f->s, &skills, NULL), 0);
	assert_string_equal(skills, "");
	g_free(skills);
}

static void test_profile_set(void **state)
{
	struct fixture *f = *state;
	json_t *p = set(f->s, "{\"name\":\"  Ada Lovelace \",\"email\":\"ada@example.com\",\"position\":\"Backend Engineer\"}");
	char *skills = NULL;

	assert_string_equal(str(p, "name"), "Ada Lovelace");
	assert_string_equal(str(p, "email"), "ada@example.com");
	assert_string_equal(str(p, "position"), "Backend Engineer");
	assert_string_equal(str(p, "updated_at"), NOW_ISO);
	assert_true(json_is_null(json_object_get(p, "phone")));
	json_decref(p);

	/* only the given fields change */
	set_now(NOW + 60);
	p = set(f->s, "{\"location\":\"Zürich\",\"phone\":\"+41 44 123 45 67\"}");
	assert_string_equal(str(p, "name"), "Ada Lovelace");
	assert_string_equal(str(p, "location"), "Zürich");
	assert_string_equal(str(p, "phone"), "+41 44 123 45 67");
	assert_string_equal(str(p, "updated_at"), "2026-11-22T00:01:00Z");
	json_decref(p);

	/* skills: split at commas, trimmed, inner space squeezed, repeats dropped ignoring case */
	p = set(f->s, "{\"skills\":\"  Python , sql,python, SQL ,, Kubernetes   operators\\nGo \"}");
	assert_string_equal(str(p, "skills"), "Python, sql, Kubernetes operators, Go");
	json_decref(p);
	assert_int_equal(profile_skills(f->s, &skills, NULL), 0);
	assert_string_equal(skills, "Python, sql, Kubernetes operators, Go");
	g_free(skills);
	p = set(f->s, "{\"skills\":[\"C\",\"c\",\" Rust \",\"ZÜRICH\",\"zürich\"]}");
	assert_string_equal(str(p, "skills"), "C, Rust, ZÜRICH");
	json_decref(p);

	/* links: an array, or a string apart by white space; repeats dropped */
	p = set(f->s, "{\"links\":[\"https://ada.example\",\" github.com/ada \",\"https://ada.example\"]}");
	json_t *links = json_object_get(p, "links");
	assert_int_equal(json_array_size(links), 2);
	assert_string_equal(json_string_value(json_array_get(links, 1)), "github.com/ada");
	json_decref(p);
	p = set(f->s, "{\"links\":\"https://a.example\\nhttps://b.example  mailto:ada@example.com\"}");
	assert_int_equal(json_array_size(json_object_get(p, "links")), 3);
	json_decref(p);

	/* null and blank clear */
	p = set(f->s, "{\"phone\":null,\"location\":\"  \",\"links\":[],\"skills\":\" , \"}");
	assert_true(json_is_null(json_object_get(p, "phone")));
	assert_true(json_is_null(json_object_get(p, "location")));
	assert_true(json_is_null(json_object_get(p, "skills")));
	assert_int_equal(json_array_size(json_object_get(p, "links")), 0);
	assert_string_equal(str(p, "name"), "Ada Lovelace");
	json_decref(p);
	assert_int_equal(profile_skills(f->s, &skills, NULL), 0);
	assert_string_equal(skills, "");
	g_free(skills);

	/* ret_profile may be NULL */
	json_t *fields = json_pack("{s:s}", "position", "SRE");
	assert_int_equal(profile_set(f->s, fields, NULL, NULL), 0);
	json_decref(fields);
	p = profile(f->s);
	assert_string_equal(str(p, "position"), "SRE");
	json_decref(p);
}

static void test_profile_refusals(void **state)
{
	struct fixture *f = *state;
	g_autofree char *long_name = g_strnfill(PROFILE_MAX_FIELD + 1, 'a');
	g_autofree char *long_skill = g_strnfill(PROFILE_MAX_SKILL + 1, 's');
	g_autoptr(GString) many_skills = g_string_new(NULL);
	g_autoptr(GString) many_links = g_string_new(NULL);
	for (int i = 0; i <= PROFILE_MAX_SKILLS; i++)
		g_string_append_printf(many_skills, "skill%d,", i);
	for (int i = 0; i <= PROFILE_MAX_LINKS; i++)
		g_string_append_printf(many_links, "https://x.example/%d ", i);
	const struct {
		json_t *fields;
		int r;
		const char *needle;
	} cases[] = {
		{ json_pack("{s:s}", "emial", "a@b.c"), -EINVAL, "unknown profile field \"emial\" (did you mean \"email\"?" },
		{ json_pack("{s:s}", "updated_at", "x"), -EINVAL, "unknown profile field \"updated_at\"" },
		{ json_pack("{s:s}", "email", "not-an-address"), -EINVAL, "email \"not-an-address\" does not look like" },
		{ json_pack("{s:s}", "email", "a@b"), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "email", "@example.com"), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "email", "a b@example.com"), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "email", "a@@example.com"), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "email", "a@example..com"), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "email", "a@example.com."), -EINVAL, "does not look like an address" },
		{ json_pack("{s:s}", "phone", "call me"), -EINVAL, "phone \"call me\" has no digits" },
		{ json_pack("{s:s}", "name", "two\nlines"), -EINVAL, "profile name must be one line" },
		{ json_pack("{s:i}", "name", 7), -EINVAL, "profile name must be a string" },
		{ json_pack("{s:s}", "name", long_name), -E2BIG, "profile name is longer than its limit of 256 bytes" },
		{ json_pack("{s:s}", "skills", long_skill), -E2BIG, "is longer than the limit of 100 bytes" },
		{ json_pack("{s:s}", "skills", many_skills->str), -E2BIG, "more than 200 skills" },
		{ json_pack("{s:i}", "skills", 3), -EINVAL, "profile skills must be" },
		{ json_pack("{s:[i]}", "skills", 3), -EINVAL, "profile skills must be strings" },
		{ json_pack("{s:s}", "links", "nolink"), -EINVAL, "link \"nolink\" does not look like a URL" },
		{ json_pack("{s:[s]}", "links", "has space.com x"), -EINVAL, "link \"has space.com x\"" },
		{ json_pack("{s:s}", "links", many_links->str), -E2BIG, "more than 20 links" },
		{ json_pack("{s:b}", "links", 1), -EINVAL, "profile links must be" },
		/* a good field with a bad one: neither is stored */
		{ json_pack("{s:s,s:s}", "name", "Changed", "email", "bad"), -EINVAL, "email \"bad\"" },
		{ json_object(), -EINVAL, "nothing to change" },
		{ json_pack("[s]", "x"), -EINVAL, "must be an object" },
	};
	GError *error = NULL;
	json_t *before = set(f->s, "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"skills\":\"Python\","
				   "\"links\":[\"https://ada.example\"]}");

	set_now(NOW + 3600); /* a refusal would show in updated_at too */
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		json_t *p = NULL;
		assert_non_null(cases[i].fields);
		assert_int_equal(profile_set(f->s, cases[i].fields, &p, &error), cases[i].r);
		assert_null(p);
		expect_error(error, cases[i].needle);
		g_clear_error(&error);
		json_decref(cases[i].fields);
		json_t *after = profile(f->s);
		if (!json_equal(before, after)) {
			char *b = json_dumps(before, 0), *a = json_dumps(after, 0);
			fail_msg("case %zu changed the profile: %s -> %s", i, b, a);
		}
		json_decref(after);
	}
	json_decref(before);

	/* shapes people type are fine */
	json_decref(set(f->s, "{\"email\":\"First.Last+jobs@mail.example.co.uk\",\"phone\":\"(555) 010-0199 x12\"}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resume_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_duplicate_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_list_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_default_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_count_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_in_outer_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
