/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_model.c - the mail model (model.h): what a message's features keep and drop, the
 * model file (what is saved loads back to the same bytes; every kind of bad file named
 * with its line), and lessons that change a guess and can be taken back. */
#include "apptrack/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static struct mime_message *parse(const char *from, const char *subject, const char *body)
{
	g_autofree char *raw = g_strdup_printf("From: %s\r\nTo: alex@example.net\r\nSubject: %s\r\n"
					       "Date: Tue, 4 Mar 2025 10:00:00 +0000\r\n\r\n%s",
					       from, subject, body);
	struct mime_message *m = NULL;
	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	return m;
}

static bool has(GPtrArray *features, const char *f)
{
	for (guint i = 0; i < features->len; i++)
		if (strcmp(features->pdata[i], f) == 0)
			return true;
	return false;
}

static void test_features(void **state)
{
	(void)state;
	g_autoptr(mime_message) m = parse("Acme Recruiting <no-reply@acme.myworkday.com>", "Your application to Acme",
					 "Unfortunately we will not be moving forward.\n"
					 "To unsubscribe from these emails click here\n"
					 "Thanks,\nDana\n"
					 "On Mon, 3 Mar 2025 at 09:00, Alex <alex@example.net> wrote:\n"
					 "> I am excited about the interview\n");
	const char *const matched[] = { "generic-rejection", NULL };
	g_autoptr(GPtrArray) f = model_features(m, matched);

	assert_true(has(f, "s:application"));      /* the subject's words, apart */
	assert_true(has(f, "application"));        /* and the body's too */
	assert_true(has(f, "unfortunately"));
	assert_true(has(f, "not be"));             /* pairs keep the small words */
	assert_false(has(f, "we"));                /* a stop word alone says nothing */
	assert_false(has(f, "unsubscribe"));       /* footer lines are dropped */
	assert_false(has(f, "interview"));         /* so is the quoted reply */
	assert_true(has(f, "from:hiring-system"));
	assert_true(has(f, "from:no-reply"));
	assert_true(has(f, "rule:generic-rejection"));
	for (guint i = 1; i < f->len; i++) /* sorted and without repeats */
		assert_true(strcmp(f->pdata[i - 1], f->pdata[i]) < 0);
}

/* A model trained on a few made-up messages of two kinds. */
static mailmodel *small_model(void)
{
	mailmodel *model = model_new();
	static const char *const rejections[] = { "we regret to inform you that we will not proceed",
						  "unfortunately we decided to pursue other candidates",
						  "we regret that the position has been filled" };
	static const char *const confirmations[] = { "thank you for applying we received your application",
						     "we have received your application and will review it",
						     "thanks for applying your application was received" };
	for (size_t i = 0; i < G_N_ELEMENTS(rejections); i++) {
		g_autoptr(mime_message) a = parse("jobs@acme.example", "Update", rejections[i]);
		g_autoptr(mime_message) b = parse("jobs@acme.example", "Thanks", confirmations[i]);
		g_autoptr(GPtrArray) fa = model_features(a, NULL);
		g_autoptr(GPtrArray) fb = model_features(b, NULL);
		model_train(model, fa, MAIL_REJECTION);
		model_train(model, fb, MAIL_CONFIRMATION);
	}
	model_fit(model, 1);
	return model;
}

static void test_classify_and_learn(void **state)
{
	(void)state;
	g_autoptr(mailmodel) model = small_model();
	g_autoptr(mime_message) m = parse("jobs@beta.example", "Update", "we regret to inform you, the position has been filled");
	g_autoptr(mime_message) odd = parse("jobs@gamma.example", "News", "a flamingo parade on the seventh floor");
	g_autoptr(GPtrArray) f = model_features(m, NULL);
	g_autoptr(GPtrArray) fo = model_features(odd, NULL);
	struct model_guess g;

	assert_int_equal(model_classify(model, f, &g), 0);
	assert_int_equal(g.kind, MAIL_REJECTION);
	assert_true(g.confidence > 0.5 && g.confidence <= 1.0);
	double sum = 0;
	for (int k = 0; k < MAIL_KIND_COUNT; k++)
		sum += g.p[k];
	assert_true(sum > 0.999 && sum < 1.001);
	assert_non_null(g.phrases[0]); /* why: the words that weighed most */
	model_guess_clear(&g);

	/* lessons: the odd wording taught as an offer is then read as one */
	assert_int_equal(model_classify(model, fo, &g), 0);
	assert_int_not_equal(g.kind, MAIL_OFFER);
	model_guess_clear(&g);
	model_learn(model, fo, MAIL_OFFER);
	model_learn(model, fo, MAIL_OFFER);
	assert_int_equal(model_lesson_count(model), 2);
	/* and what the shipped model read well still reads so */
	assert_int_equal(model_classify(model, f, &g), 0);
	assert_int_equal(g.kind, MAIL_REJECTION);
	model_guess_clear(&g);
	assert_int_equal(model_classify(model, fo, &g), 0);
	assert_int_equal(g.kind, MAIL_OFFER);
	model_guess_clear(&g);
	/* taken back, the guess is what it was; an extra unlearn changes nothing */
	model_unlearn(model, fo, MAIL_OFFER);
	model_unlearn(model, fo, MAIL_OFFER);
	model_unlearn(model, fo, MAIL_OFFER);
	assert_int_equal(model_lesson_count(model), 0);
	assert_int_equal(model_classify(model, fo, &g), 0);
	assert_int_not_equal(g.kind, MAIL_OFFER);
	model_guess_clear(&g);
	assert_int_equal(model_shipped_count(model), 6);

	/* an empty model says nothing */
	g_autoptr(mailmodel) empty = model_new();
	assert_int_equal(model_classify(empty, f, &g), -ENODATA);
}

static char *tmp_path(const char *name)
{
	static char *dir;
	if (!dir)
		dir = g_dir_make_tmp("test_model.XXXXXX", NULL);
	return g_build_filename(dir, name, NULL);
}

static void test_file(void **state)
{
	(void)state;
	g_autoptr(mailmodel) model = small_model();
	g_autofree char *a = tmp_path("a.model"), *b = tmp_path("b.model");
	g_autofree char *ta = NULL, *tb = NULL;
	g_autoptr(mailmodel) back = NULL;
	GError *error = NULL;

	assert_int_equal(model_save(model, a, &error), 0);
	assert_int_equal(model_load(a, &back, &error), 0);
	assert_int_equal(model_save(back, b, &error), 0);
	assert_true(g_file_get_contents(a, &ta, NULL, NULL) && g_file_get_contents(b, &tb, NULL, NULL));
	assert_string_equal(ta, tb); /* what was saved loads back to the same bytes */
	assert_int_equal(model_shipped_count(back), 6);
	/* lessons are the user's: never written into the shipped file */
	g_autoptr(mime_message) m = parse("x@y.example", "Hello", "a lesson");
	g_autoptr(GPtrArray) f = model_features(m, NULL);
	model_learn(back, f, MAIL_OFFER);
	assert_int_equal(model_save(back, b, &error), 0);
	g_free(tb);
	assert_true(g_file_get_contents(b, &tb, NULL, NULL));
	assert_string_equal(ta, tb);

	static const struct {
		const char *text, *expect;
	} bad[] = {
		{ "", ":1: empty file" },
		{ "hello\n", ":1: not an apptrack model" },
		{ "apptrack-model 99\n", ":1: model format 99" },
		{ "apptrack-model 1\nkinds a b\n", ":2: the model's kinds" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\ndocs 1 2\n",
		  ":3: expected \"docs\"" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n"
		  "docs 1 1 1 1 1 1 1\nbias 0 0 0 0 0 0 0\nw\tword\t1 2 x 0 0 0 0\n",
		  ":5: expected \"w<TAB>" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n"
		  "docs 1 1 1 1 1 1 1\nbias 0 0 0 0 0 0 0\nw\tword\t1 2 nan 0 0 0 0\n",
		  ":5: expected \"w<TAB>" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n"
		  "docs 1 1 1 1 1 1 1\nbias 0 0 0 0 0 0 0\nw\tword\t1 2 3 0 0 0 0\nw\tword\t1 2 3 0 0 0 0\n",
		  ":6: feature given twice" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n"
		  "docs 1 1 1 1 1 1 1\nlambda -1\n",
		  ":4: lambda" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n"
		  "docs 1 1 1 1 1 1 1\n",
		  "no bias line" },
		{ "apptrack-model 1\nkinds confirmation rejection interview assessment offer recruiter noise\n",
		  "no docs line" },
		{ "apptrack-model 1\nwhat\n", ":2: unknown line" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *p = tmp_path("bad.model");
		mailmodel *none = NULL;
		assert_true(g_file_set_contents(p, bad[i].text, -1, NULL));
		assert_true(model_load(p, &none, &error) < 0);
		assert_null(none);
		if (!strstr(error->message, bad[i].expect) || !strstr(error->message, p))
			fail_msg("case %zu: \"%s\" does not name the file and \"%s\"", i, error->message, bad[i].expect);
		g_clear_error(&error);
	}
	/* a missing file and a binary one */
	g_autofree char *missing = tmp_path("missing.model");
	mailmodel *none = NULL;
	assert_true(model_load(missing, &none, &error) < 0);
	assert_non_null(strstr(error->message, missing));
	g_clear_error(&error);
	g_autofree char *binary = tmp_path("binary.model");
	assert_true(g_file_set_contents(binary, "apptrack-model 1\n\0\1\2", 20, NULL));
	assert_true(model_load(binary, &none, &error) < 0);
	assert_non_null(strstr(error->message, "binary"));
	g_clear_error(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_classify_and_learn),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
