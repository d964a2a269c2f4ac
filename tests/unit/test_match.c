/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_match.c - the matcher: scikit-learn's scores to 1e-6 (../shared/corpus/match and
 * tests/data/match_extra.tsv), the corpus mode, term weights and keywords; the keywords
 * found on the word stream equal those of the code that built strings (keywords_before.inc)
 * on the corpus texts, on texts made to be hard and on random ones. */
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

#include <locale.h>

/* the keywords as they were found before issue 15, to compare with */
#include "../../src/core/matching/skills.inc"
#include "keywords_before.inc"

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

/* ---- the token-stream keywords equal the string-building ones ---- */

static void assert_same_list(const GPtrArray *now, const GPtrArray *before, const char *what, const char *jd)
{
	for (guint i = 0; i < MAX(now->len, before->len); i++) {
		const char *a = i < now->len ? now->pdata[i] : "(none)", *b = i < before->len ? before->pdata[i] : "(none)";
		if (strcmp(a, b) != 0)
			fail_msg("%s keyword %u: %s, before %s; job description:\n%s", what, i, a, b, jd);
	}
}

/* Keywords of jd against resume, fitted in pair mode, by both codes; returns how many. */
static size_t compare_keywords(match_index *m, const char *resume, const char *jd)
{
	struct match_keywords now = { 0 }, before = { 0 };

	match_index_clear(m);
	match_index_add(m, resume, strlen(resume));
	size_t d = match_index_add(m, jd, strlen(jd));
	match_index_fit(m, MATCH_PAIR_MAX_FEATURES);
	match_resume *r = match_resume_new(resume);
	before_resume *br = before_resume_new(resume);
	match_keywords_find(m, d, jd, r, &now);
	before_keywords_find(m, d, jd, br, &before);
	assert_same_list(now.matching, before.matching, "matching", jd);
	assert_same_list(now.missing, before.missing, "missing", jd);
	assert_string_equal(now.suggestion, before.suggestion);
	size_t n = now.matching->len + now.missing->len;
	match_resume_free(r);
	before_resume_free(br);
	match_keywords_clear(&now);
	match_keywords_clear(&before);
	return n;
}

static char **texts_in(const char *dir)
{
	g_autoptr(GPtrArray) texts = g_ptr_array_new();
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	assert_non_null(d);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".txt")) {
			g_autofree char *path = g_build_filename(dir, name, NULL);
			size_t len;
			g_ptr_array_add(texts, slurp(path, &len));
		}
	g_ptr_array_add(texts, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&texts), FALSE);
}

/* Texts made to meet each rule at its edges. */
static const char *const hard_texts[] = {
	"We use Go, go, GO and golang; Rust and rust; .NET and NET; C, C++, C# and c++. R and r.",
	"Machine Learning, machine-learning, MACHINE LEARNING and machine learning engineer; Apache Spark, spark SQL.",
	"AWS/GCP/Azure, CI/CD, ci/cd, A/B testing, front-end/back-end, node.js/React, Node.js, NodeJS, k8s-based.",
	"- Kubernetes operators\n* Terraform modules\n\u2022 Ansible\n> Quoted Airflow\n\u2013 Dagster, Looker and PostgreSQL.",
	"Experience with SOC2, ISO27001, HIPAA, GDPR, PTO, EEO, USA, NYC, SQL, NoSQL, GraphQL, gRPC, IaC, SRE.",
	"\u0130stanbul, \u0130NG, ISTANBUL; \u03a3\u039f\u03a6\u0399\u0391\u03a3 and \u03c3\u03bf\u03c6\u03af\u03b1\u03c2; \u00c9cole, M\u00fcnchen, "
	"\u00dcBER, Stra\u00dfe; Ｋｕｂｅｒｎｅｔｅｓ, \uff21\uff37\uff33; \u0410\u0432\u0442\u043e\u043c\u0430\u0442\u0438\u0437\u0430\u0446\u0438\u044f.",
	"Postgres-backed micro-services on Amazon Web Services; Google Cloud Platform; Microsoft Azure; ruby on rails.",
	"aVeryLongIdentifierThatIsMoreThanSixtyFourCharactersLongSoItIsNotAWordAtAllReally Kubernetes Docker "
	"Docker/Kubernetes/Terraform-AnsibleWithAVeryLongTailThatGoesOnAndOnForMoreThanSixtyFourBytes Kafka.",
	"it's Python's pandas' scikit-learn, scikit learn, sklearn, PyTorch's TensorFlow2 and Q3 OKRs.",
	"Spring Boot, spring boot, SPRING BOOT, Spring, spring; Excel, EXCEL; Oracle, oracle DB; Windows, windows.",
	"Benefits: PTO. Location: Berlin. Team: Platform. We value Ownership. About Us. Senior Backend Engineer.",
	"tab\tseparated\fform feed\vvertical Kubernetes\rcarriage Terraform\u00a0nbsp Docker\u2003emspace Helm",
	"",
	"   ",
	".NET .net .Net ..NET a.NET (.NET) -.NET C++/CLI, F#, Objective-C, objective c, VB.NET, ASP.NET Core.",
};

static const char *const random_words[] = {
	"and", "the", "with", "experience", "team", "Team", "About", "USA", "EEO", "PTO", "IT", "ABOUT", "Inc", "Ltd",
	"Berlin", "Senior", "Lead", "We", "You", "AB", "A1", "SOC2", "X", "QA", "Q3", "Foo", "FooBar", "fooBar",
	"\u0130", "\u03a3", "\u00c9t\u00e9", "Stra\u00dfe", "na\u00efve", "\u00dcber", "5", "2024", "C", "c", "R", "r",
	"Go", "go", "GO", "node", "js", ".NET", "NET", "net", "C++", "C#", "F#", "k8s", "K8S", "ci", "cd", "ml", "ML",
};

/* A random text: vocabulary spellings in any case, ordinary and hard words, separators. */
static char *random_text(GRand *g, size_t n_vocab)
{
	static const char *const seps[] = { " ", " ", " ", ", ", ". ", "\n", "/", "-", " - ", "\n- ", "\u2022 ",
					    "; ", ".", ": ", " (", ") ", "'", "_", "+", "#", " .", "\t", " * " };
	GString *s = g_string_new(NULL);
	int words = g_rand_int_range(g, 1, 40);

	for (int i = 0; i < words; i++) {
		if (i)
			g_string_append(s, seps[g_rand_int_range(g, 0, G_N_ELEMENTS(seps))]);
		if (g_rand_boolean(g)) {
			g_auto(GStrv) alts = g_strsplit(skills_vocabulary[g_rand_int_range(g, 0, (gint32)n_vocab)], "|", -1);
			const char *a = alts[g_rand_int_range(g, 0, (gint32)g_strv_length(alts))];
			a += *a == '=';
			switch (g_rand_int_range(g, 0, 4)) {
			case 0:
				g_string_append(s, a);
				break;
			case 1: {
				g_autofree char *u = g_utf8_strup(a, -1);
				g_string_append(s, u);
				break;
			}
			case 2:
				g_string_append_c(s, g_ascii_toupper(*a));
				g_string_append(s, a + (*a ? 1 : 0));
				break;
			default: {
				/* only the first word of a phrase, or the phrase cut short */
				const char *sp = strchr(a, ' ');
				g_string_append_len(s, a, sp ? sp - a : (gssize)strlen(a));
			}
			}
		} else {
			g_string_append(s, random_words[g_rand_int_range(g, 0, G_N_ELEMENTS(random_words))]);
		}
	}
	return g_string_free(s, FALSE);
}

static void compare_all(match_index *m)
{
	g_autofree char *shared = shared_path("");
	g_autofree char *edge = shared_path("edge");
	const char *src = getenv("SOURCE_DIR");
	g_autofree char *extra = g_build_filename(src ? src : ".", "tests", "data", "match", NULL);
	g_auto(GStrv) a = texts_in(shared);
	g_auto(GStrv) b = texts_in(edge);
	g_auto(GStrv) c = texts_in(extra);
	char **sets[] = { a, b, c };
	size_t found = 0;

	/* every corpus text against every other, as job description and as resume */
	for (size_t x = 0; x < G_N_ELEMENTS(sets); x++)
		for (char **jd = sets[x]; *jd; jd++)
			for (size_t y = 0; y < G_N_ELEMENTS(sets); y++)
				for (char **r = sets[y]; *r; r++)
					found += compare_keywords(m, *r, *jd);
	for (size_t i = 0; i < G_N_ELEMENTS(hard_texts); i++)
		for (size_t j = 0; j < G_N_ELEMENTS(hard_texts); j++)
			found += compare_keywords(m, hard_texts[j], hard_texts[i]);
	assert_true(found > 1000);

	/* a text too large for the buffers a thread keeps (256 KiB, 8,192 words), then small ones */
	g_autoptr(GString) big = g_string_new(NULL);
	while (big->len < 300 * 1024)
		for (size_t i = 0; i < G_N_ELEMENTS(hard_texts); i++)
			g_string_append_printf(big, "%s\n", hard_texts[i]);
	assert_true(compare_keywords(m, hard_texts[0], big->str) > 20);
	assert_true(compare_keywords(m, big->str, hard_texts[1]) > 0);

	size_t n_vocab = 0;
	while (skills_vocabulary[n_vocab])
		n_vocab++;
	GRand *g = g_rand_new_with_seed(20261201);
	found = 0;
	for (int i = 0; i < 3000; i++) {
		g_autofree char *jd = random_text(g, n_vocab);
		g_autofree char *resume = random_text(g, n_vocab);
		found += compare_keywords(m, resume, jd);
	}
	g_rand_free(g);
	assert_true(found > 10000);
}

static void test_keywords_as_before(void **state)
{
	(void)state;
	match_index *m = match_index_new();

	compare_all(m);
	/* a Turkic locale lower-cases "I" to dotless "ı": the ASCII shortcut must step aside */
	const char *old = setlocale(LC_CTYPE, NULL);
	g_autofree char *saved = g_strdup(old ? old : "C");
	if (setlocale(LC_CTYPE, "tr_TR.UTF-8")) {
		compare_all(m);
		setlocale(LC_CTYPE, saved);
	}
	match_index_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_corpus),
		cmocka_unit_test(test_reference_extra),
		cmocka_unit_test(test_rank_and_weights),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_keywords_as_before),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
