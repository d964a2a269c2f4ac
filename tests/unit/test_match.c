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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_corpus),
		cmocka_unit_test(test_reference_extra),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
