/* test_match.c - the matcher: scikit-learn's scores to 1e-6 (../shared/corpus/match and
 * tests/data/match_extra.tsv), the corpus mode, term weights and keywords. */
#include "apptrack/match.h"

#include "apptrack/error.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SCORE_TOLERANCE 1e-6

static char *shared_path(const char *rel)
{
	const char *dir = getenv("SHARED_DIR");
	return g_build_filename(dir ? dir : "../shared", "corpus", "match", rel, NULL);
}

static char *slurp(const char *path, size_t *ret_len)
{
	char *text = NULL;
	gsize len = 0;
	GError *error = NULL;

	if (!g_file_get_contents(path, &text, &len, &error))
		fail_msg("cannot read %s: %s", path, error->message);
	*ret_len = len;
	return text;
}

/* Each row of a reference file: resume, job description, score or error:empty_vocabulary.
 * base: directory the file names are relative to. */
static void check_reference(const char *tsv, const char *base)
{
	size_t len;
	g_autofree char *text = slurp(tsv, &len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	match_index *reused = match_index_new();
	int rows = 0;

	for (int i = 1; lines[i]; i++) {
		if (!*lines[i])
			continue;
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", 3);
		assert_non_null(f[1]);
		assert_non_null(f[2]);
		g_autofree char *rp = g_build_filename(base, f[0], NULL);
		g_autofree char *jp = g_build_filename(base, f[1], NULL);
		size_t rl, jl;
		g_autofree char *r = slurp(rp, &rl);
		g_autofree char *j = slurp(jp, &jl);
		for (int pass = 0; pass < 2; pass++) {
			match_index *m = pass ? reused : match_index_new();
			double score = -1;
			GError *error = NULL;
			int ret = match_pair(m, r, rl, j, jl, &score, &error);
			if (strcmp(f[2], "error:empty_vocabulary") == 0) {
				if (ret != -EINVAL)
					fail_msg("%s vs %s: expected an empty vocabulary, got %f", f[0], f[1], score);
				assert_non_null(strstr(error->message, "stop words"));
				g_clear_error(&error);
			} else {
				if (ret != 0)
					fail_msg("%s vs %s: %s", f[0], f[1], error->message);
				double want = g_ascii_strtod(f[2], NULL);
				if (fabs(score - want) > SCORE_TOLERANCE)
					fail_msg("%s vs %s: %.9f, scikit-learn %.6f", f[0], f[1], score, want);
			}
			if (!pass)
				match_index_free(m);
		}
		rows++;
	}
	match_index_free(reused);
	assert_true(rows >= 5);
}

static void test_reference_corpus(void **state)
{
	(void)state;
	g_autofree char *tsv = shared_path("reference.tsv");
	g_autofree char *base = shared_path("");
	check_reference(tsv, base);
}

static void test_reference_extra(void **state)
{
	(void)state;
	const char *src = getenv("SOURCE_DIR");
	g_autofree char *base = g_build_filename(src ? src : ".", "tests", "data", "match", NULL);
	g_autofree char *tsv = g_build_filename(base, "reference.tsv", NULL);
	check_reference(tsv, base);
}

static void test_rank_and_weights(void **state)
{
	(void)state;
	match_index *m = match_index_new();
	const char *resume = "Go and Kubernetes engineer: Kafka pipelines on AWS.";
	const char *jds[] = {
		"We use Kubernetes and Kafka on AWS. Kafka experience required.",
		"Payroll clerk for our accounting team; spreadsheets and filing.",
		"Kubernetes operators in Go.",
	};
	size_t q = match_index_add(m, resume, strlen(resume));
	for (size_t i = 0; i < G_N_ELEMENTS(jds); i++)
		assert_int_equal(match_index_add(m, jds[i], strlen(jds[i])), i + 1);
	assert_true(match_index_fit(m, 0) > 10);
	double scores[4];
	match_index_rank(m, q, scores);
	assert_float_equal(scores[0], 1.0, 1e-9);
	assert_true(scores[1] > scores[2]);
	assert_float_equal(scores[2], 0.0, 1e-12);
	assert_float_equal(scores[1], match_index_cosine(m, 1, q), 1e-12);
	/* "kafka" appears twice in posting 1: it outweighs "aws" there */
	assert_true(match_index_weight(m, 1, "kafka") > match_index_weight(m, 1, "aws"));
	assert_float_equal(match_index_weight(m, 2, "kafka"), 0.0, 0);
	assert_true(match_index_weight(m, 1, "kafka aws") > 0);  /* a bigram */
	assert_float_equal(match_index_weight(m, 1, "unknownword"), 0.0, 0);
	/* corpus idf: a term in every document weighs less than one in a single document */
	match_index_clear(m);
	const char *docs[] = { "shared rare", "shared other", "shared third" };
	for (size_t i = 0; i < G_N_ELEMENTS(docs); i++)
		match_index_add(m, docs[i], strlen(docs[i]));
	match_index_fit(m, 0);
	assert_true(match_index_weight(m, 0, "rare") > match_index_weight(m, 0, "shared"));
	match_index_free(m);
}

static bool has(const GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], s) == 0)
			return true;
	return false;
}

static void test_keywords(void **state)
{
	(void)state;
	const char *jd = "Senior Backend Engineer\n"
			 "We build payments APIs in Go on AWS with Kubernetes, Terraform and PostgreSQL.\n"
			 "- Experience with Kafka and CI/CD; C++ is a plus. Kafka at scale.\n"
			 "Benefits: PTO, equal opportunity employer (EEO). Located in Berlin.";
	const char *resume = "Golang developer. Ran k8s clusters on AWS, Postgres databases and Jenkins.";
	match_index *m = match_index_new();
	match_index_add(m, resume, strlen(resume));
	size_t d = match_index_add(m, jd, strlen(jd));
	match_index_fit(m, MATCH_PAIR_MAX_FEATURES);
	struct match_keywords k = { 0 };
	match_resume *mr = match_resume_new(resume);
	match_keywords_find(m, d, jd, mr, &k);
	match_resume_free(mr);
	/* aliases fold: golang = Go, k8s = Kubernetes, Postgres = PostgreSQL */
	assert_true(has(k.matching, "go") || has(k.matching, "Go"));
	assert_true(has(k.matching, "kubernetes"));
	assert_true(has(k.matching, "postgresql"));
	assert_true(has(k.matching, "aws"));
	assert_true(has(k.missing, "kafka"));
	assert_true(has(k.missing, "terraform"));
	assert_true(has(k.missing, "c++"));
	assert_true(has(k.missing, "ci/cd"));
	/* ordinary acronyms, places and sentence openers are not keywords */
	assert_false(has(k.missing, "PTO"));
	assert_false(has(k.missing, "EEO"));
	assert_false(has(k.missing, "Berlin"));
	assert_false(has(k.missing, "Benefits"));
	assert_false(has(k.missing, "Senior"));
	/* kafka (twice) is the heaviest missing keyword, and the suggestion names it */
	assert_string_equal(k.missing->pdata[0], "kafka");
	assert_non_null(strstr(k.suggestion, "kafka"));
	match_keywords_clear(&k);
	match_keywords_clear(&k); /* a cleared struct may be cleared again */

	/* nothing missing */
	match_index_clear(m);
	match_index_add(m, jd, strlen(jd));
	d = match_index_add(m, jd, strlen(jd));
	match_index_fit(m, MATCH_PAIR_MAX_FEATURES);
	mr = match_resume_new(jd);
	match_keywords_find(m, d, jd, mr, &k);
	match_resume_free(mr);
	match_resume_free(NULL);
	assert_int_equal(k.missing->len, 0);
	assert_true(k.matching->len >= 6);
	assert_non_null(strstr(k.suggestion, "every keyword"));
	match_keywords_clear(&k);
	match_index_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_corpus),
		cmocka_unit_test(test_reference_extra),
		cmocka_unit_test(test_rank_and_weights),
		cmocka_unit_test(test_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
