/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match.h - how well a resume fits job descriptions: TF-IDF vectors and cosine similarity,
 * and the keywords of a job description a resume has or lacks.
 *
 * The text model is scikit-learn's TfidfVectorizer(stop_words="english", ngram_range=(1, 2),
 * sublinear_tf=True) done in C: text lower-cased as Python's str.lower() does, tokens are
 * the runs of two or more word characters (the pattern (?u)\b\w\w+\b: letters, digits,
 * number characters and "_"), English stop words dropped before the bigrams are formed,
 * weight (1 + ln tf) * idf with the smoothed idf ln((1 + n) / (1 + df)) + 1, rows
 * normalized to unit length. Scores are cosine similarity * 100.
 *
 * Two modes (docs/matching.md):
 *  - pair: fitted on [resume, job description] alone, at most MATCH_PAIR_MAX_FEATURES
 *    features: the brief's formula, equal to scikit-learn 1.2 to 1e-6.
 *  - corpus: fitted on the resume and every job description at once, no feature cap, so a
 *    skill few postings ask for weighs more than the boilerplate they all share.
 *
 * Lifecycle: match_index_new(); match_index_add() each document (the resume too);
 * match_index_fit(); then match_index_cosine(), match_index_rank(), match_index_weight();
 * match_index_clear() to start over with the same allocations; match_index_free().
 * An index is not thread-safe; use one per thread. Words seen stay in its dictionary until
 * it is freed, which is what makes a reused index fast.
 */
#ifndef APPTRACK_MATCH_H
#define APPTRACK_MATCH_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* Feature cap of the pair mode (scikit-learn's max_features). */
#define MATCH_PAIR_MAX_FEATURES 5000
/* Most keywords reported in each of the matching and missing lists. */
#define MATCH_MAX_KEYWORDS 25
/* Missing keywords the suggestion names. */
#define MATCH_SUGGEST_KEYWORDS 5

typedef struct match_index match_index;

/* A new, empty index. Free with match_index_free(). */
match_index *match_index_new(void);
/* Accepts NULL. */
void match_index_free(match_index *m);
/* Forgets the documents and the fit; keeps the dictionary and the allocations. */
void match_index_clear(match_index *m);

/* Tokenizes text (UTF-8; invalid bytes separate words) as one more document and returns
 * its number, counting from 0. text need not be NUL-terminated. */
size_t match_index_add(match_index *m, const char *text, size_t len);
/* Number of documents added since the last clear. */
size_t match_index_documents(const match_index *m);

/* Computes idf and the unit-length weights of every document added. max_features: keep
 * only that many features, those with the highest total count (ties: the term that sorts
 * first), as scikit-learn's max_features; 0 keeps all. Returns the number of features:
 * 0 means an empty vocabulary (only stop words, or no words at all). */
size_t match_index_fit(match_index *m, size_t max_features);

/* Cosine similarity of documents a and b (0..1) after fit; 0 when either has no feature. */
double match_index_cosine(match_index *m, size_t a, size_t b);

/* Cosine similarity of document query with every document: ret_scores[d] for d below
 * match_index_documents() (the query's own entry is 1 or 0). ret_scores is the caller's. */
void match_index_rank(match_index *m, size_t query, double *ret_scores);

/* Weight of a term in document doc's unit-length vector after fit, 0 when the document
 * does not have it. term: lower-case text, tokenized like a document; one token gives
 * that unigram, more give the largest weight among its bigrams and unigrams. */
double match_index_weight(match_index *m, size_t doc, const char *term);

/* What a word only document doc has, once, weighs in its unit-length vector after fit
 * (for terms the tokenizer does not see, such as "C++"). */
double match_index_weight_unseen(match_index *m, size_t doc);

/* Whether word (lower case) is one of scikit-learn's English stop words. */
bool match_is_stop_word(const char *word);

/* Pair mode in one call, on m (cleared first; reuse it for speed): *ret_score = cosine *
 * 100 of resume and job description. Fails with -EINVAL when neither text has a word
 * other than a stop word (scikit-learn's "empty vocabulary"). */
int match_pair(match_index *m, const char *resume, size_t resume_len, const char *jd, size_t jd_len,
	       double *ret_score, GError **error);

/* ---- keywords ---- */

/* The keywords of a job description and whether a resume has them. */
struct match_keywords {
	GPtrArray *matching; /* char *, heaviest first, at most MATCH_MAX_KEYWORDS */
	GPtrArray *missing;  /* char *, heaviest first, at most MATCH_MAX_KEYWORDS */
	char *suggestion;    /* one sentence naming the heaviest missing keywords */
};

/* What a resume text (with the profile's skills, if any) has, read once for any number of
 * job descriptions. Free with match_resume_free() (accepts NULL). */
typedef struct match_resume match_resume;
match_resume *match_resume_new(const char *resume);
void match_resume_free(match_resume *r);

/* Keywords of job description jd (document jd_doc of the fitted index m, which gives
 * their weights) and whether resume has them: terms of the curated technical vocabulary
 * (src/core/matching/skills.inc, aliases folded), acronyms (AWS, SQL, SOC2) and capitalised terms
 * (Kubernetes, PostgreSQL) that are not ordinary words. Free with match_keywords_clear(). */
void match_keywords_find(match_index *m, size_t jd_doc, const char *jd, const match_resume *resume,
			 struct match_keywords *ret_keywords);
/* Frees what match_keywords_find() stored; accepts a zeroed struct. */
void match_keywords_clear(struct match_keywords *k);

#endif
