/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keywords.c - the keywords of a job description a resume has or lacks (match.h).
 *
 * A keyword is one of:
 *  - a term of the curated vocabulary (skills.inc): phrases of up to KW_MAX_PHRASE words,
 *    aliases folded to the canonical term ("k8s" and "Kubernetes" are one keyword), some
 *    short or ambiguous spellings ("Go", "R", "Spark") only with their capitalisation;
 *  - an acronym: 2 to 6 characters, at least two capitals and no lower-case letter (AWS,
 *    SOC2), not one of the ordinary ones (USA, EEO, PTO);
 *  - a capitalised term that is not an ordinary word: "Kubernetes" inside a sentence, or a
 *    mixed-case name anywhere ("PostgreSQL", "GitHub"); capitalised words that open a
 *    sentence, a line or a bullet are not taken (they are mostly verbs and headings).
 * A resume has a keyword when it has the vocabulary term under any of its spellings, or
 * the word itself in any case. Keywords are ordered by their TF-IDF weight in the job
 * description (match_index_weight); terms the tokenizer cannot see ("C++", "C#", "R")
 * weigh as a word only this posting uses, by their count.
 *
 * Found on the word stream of keywords_vocab.c (issue 15): each word is lower-cased once
 * and given ids, phrases are looked up as keys of ids, and no string is built for a
 * candidate phrase; the keywords found are the same as before (tests/unit/test_match.c
 * compares with the code that built strings, tests/unit/keywords_before.inc).
 */
#include "apptrack/match.h"

#include "keywords_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the keywords of a text ---- */

/* A candidate keyword of the job description. */
struct cand {
	const char *key;     /* lower-case identity: canonical term or the word */
	const char *display; /* as shown */
	size_t entry;        /* vocabulary entry + 1, 0 for acronyms and capitalised terms */
	unsigned count;
	uint32_t hash;       /* bytes_hash() of key */
	size_t slot;         /* in jd_terms' table */
	double weight;
	bool in_resume;
};

static bool is_acronym(const char *p, size_t len)
{
	size_t caps = 0;

	if (len < KW_ACRONYM_MIN || len > KW_ACRONYM_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (g_ascii_isupper(p[i]))
			caps++;
		else if (!g_ascii_isdigit(p[i]))
			return false;
	}
	return caps >= 2;
}

static inline bool upper_char(gunichar c)
{
	return c < 0x80 ? c >= 'A' && c <= 'Z' : g_unichar_isupper(c);
}

/* Capitalised (first letter upper case, some lower case); *ret_mixed when a later letter
 * is upper case too ("PostgreSQL"). */
static bool is_capitalised(const char *p, size_t len, bool *ret_mixed)
{
	bool lower = false, mixed = false;

	if (len < KW_CAPITAL_MIN || !upper_char(char_at(p)))
		return false;
	for (const char *q = g_utf8_next_char(p); q < p + len; q = g_utf8_next_char(q)) {
		gunichar c = char_at(q);
		if (c < 0x80 ? c >= 'a' && c <= 'z' : g_unichar_islower(c))
			lower = true;
		else if (upper_char(c))
			mixed = true;
		else if (c < 0x80 || !g_unichar_isalpha(c))
			return false; /* "Node.js" is for the vocabulary; "Q3" is not a term */
	}
	*ret_mixed = mixed;
	return lower;
}

/* Whether a word (lower case) is ordinary: a stop list word, an English stop word. */
static bool ordinary(const struct vocab *v, const char *lower)
{
	char buf[4 * KW_WORD_MAX + 1];
	size_t len = strlen(lower);
	g_autofree char *heap = len < sizeof buf ? NULL : g_ascii_strup(lower, -1);
	char *upper = heap ? heap : buf;

	if (!heap) {
		for (size_t i = 0; i <= len; i++)
			buf[i] = g_ascii_toupper(lower[i]);
	}
	return g_hash_table_contains(v->not_words, lower) || g_hash_table_contains(v->not_acronyms, upper) ||
	       match_is_stop_word(lower);
}

/* Walks the keywords of a text's words: vocabulary phrases first (longest), then
 * acronyms and capitalised terms. For each: fn(key, display, entry + 1 or 0, data). */
typedef void (*keyword_fn)(const char *key, const char *display, size_t entry, void *data);

/* The parts of a joined word ("AWS/GCP", "front-end"): the vocabulary's, then acronyms. */
static void keywords_parts(const struct vocab *v, const struct words *t, const struct word *x, bool only_vocabulary,
			   keyword_fn fn, void *data)
{
	for (size_t off = 0; off <= x->len;) {
		size_t len = 0;
		while (off + len < x->len && x->p[off + len] != '/' && x->p[off + len] != '-')
			len++;
		size_t e = len ? keywords_vocab_part(v, t, x, off, len) : 0;
		if (e) {
			fn(v->canonical_key[e - 1], v->canonical[e - 1], e, data);
		} else if (!only_vocabulary && is_acronym(x->p + off, len)) {
			char part[KW_ACRONYM_MAX + 1], key[KW_ACRONYM_MAX + 1];
			for (size_t k = 0; k < len; k++) {
				part[k] = x->p[off + k];
				key[k] = g_ascii_tolower(part[k]);
			}
			part[len] = key[len] = 0;
			if (!g_hash_table_contains(v->not_acronyms, part) && !ordinary(v, key))
				fn(key, part, 0, data);
		}
		off += len + 1;
	}
}

static void keywords_walk(const struct words *t, bool only_vocabulary, keyword_fn fn, void *data)
{
	const struct vocab *v = keywords_vocab();
	const struct word *ws = (const struct word *)(void *)t->w->data;
	size_t n_words = t->w->len;

	for (size_t i = 0; i < n_words;) {
		size_t hit = 0, n;
		for (n = t->fid[i] == KW_NONE && t->eid[i] == KW_NONE ? 0 : MIN((size_t)KW_MAX_PHRASE, n_words - i); n >= 1;
		     n--)
			if ((hit = vocab_phrase(v, t, i, n)))
				break;
		if (hit) {
			fn(v->canonical_key[hit - 1], v->canonical[hit - 1], hit, data);
			i += n;
			continue;
		}
		const struct word *x = &ws[i++];
		if (x->joined) {
			keywords_parts(v, t, x, only_vocabulary, fn, data);
			continue;
		}
		if (only_vocabulary)
			continue;
		const char *key = t->lower->str + x->low;
		bool mixed = false, acronym = is_acronym(x->p, x->len);
		if (!acronym && !(is_capitalised(x->p, x->len, &mixed) && (mixed || !x->opens)))
			continue;
		char word[KW_WORD_MAX + 1];
		memcpy(word, x->p, x->len);
		word[x->len] = 0;
		if (acronym ? !g_hash_table_contains(v->not_acronyms, word) && !ordinary(v, key) : !ordinary(v, key))
			fn(key, word, 0, data);
	}
}

/* ---- the resume's side ---- */

struct match_resume {
	GHashTable *entries; /* vocabulary entries + 1 present */
	GHashTable *words;   /* every word, and every part of a joined word, lower case */
};

static void resume_add(const char *key, const char *display, size_t entry, void *data)
{
	match_resume *r = data;

	(void)key;
	(void)display;
	if (entry)
		g_hash_table_add(r->entries, GSIZE_TO_POINTER(entry));
}

match_resume *match_resume_new(const char *resume)
{
	match_resume *r = g_new(match_resume, 1);
	struct words *t = keywords_words(resume);

	r->entries = g_hash_table_new(g_direct_hash, g_direct_equal);
	r->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	keywords_walk(t, true, resume_add, r);
	for (guint i = 0; i < t->w->len; i++) {
		const struct word *w = &g_array_index(t->w, struct word, i);
		char *lower = g_utf8_strdown(w->p, (gssize)w->len);
		g_auto(GStrv) parts = g_strsplit_set(lower, "/-.", -1);
		for (char **q = parts; *q; q++)
			if (**q)
				g_hash_table_add(r->words, g_strdup(*q));
		g_hash_table_add(r->words, lower);
	}
	keywords_words_done(t);
	return r;
}

void match_resume_free(match_resume *r)
{
	if (!r)
		return;
	g_hash_table_destroy(r->entries);
	g_hash_table_destroy(r->words);
	g_free(r);
}

/* ---- the job description's side ---- */

/* The candidates: found by their key's hash in an open-addressing table of indices,
 * with no allocation of their own (a vocabulary term's text is the vocabulary's, another's
 * is copied into one string chunk); the buffers are kept by the thread for its next text. */
struct jd_terms {
	GArray *cands;      /* struct cand, first seen first */
	uint32_t *slots;    /* index + 1 in cands, 0: empty; at most half full */
	size_t mask;
	GStringChunk *text; /* keys and displays of acronyms and capitalised terms */
};

static void jd_terms_free(gpointer p)
{
	struct jd_terms *j = p;

	g_array_unref(j->cands);
	g_free(j->slots);
	g_string_chunk_free(j->text);
	g_free(j);
}

static GPrivate jd_kept = G_PRIVATE_INIT(jd_terms_free);
#define KW_KEPT_SLOTS 8191 /* a larger table (over 4,096 candidates) is not kept */

static struct jd_terms *jd_terms_take(void)
{
	struct jd_terms *j = g_private_get(&jd_kept);

	if (j) {
		g_private_set(&jd_kept, NULL);
		return j;
	}
	j = g_new0(struct jd_terms, 1);
	j->cands = g_array_sized_new(FALSE, FALSE, sizeof(struct cand), 64);
	j->mask = 127;
	j->slots = g_new0(uint32_t, j->mask + 1);
	j->text = g_string_chunk_new(1024);
	return j;
}

static void jd_terms_done(struct jd_terms *j)
{
	for (guint i = 0; i < j->cands->len; i++)
		j->slots[g_array_index(j->cands, struct cand, i).slot] = 0;
	g_array_set_size(j->cands, 0);
	g_string_chunk_clear(j->text);
	if (j->mask > KW_KEPT_SLOTS || g_private_get(&jd_kept))
		jd_terms_free(j);
	else
		g_private_set(&jd_kept, j);
}

static void jd_grow(struct jd_terms *j)
{
	j->mask = j->mask * 2 + 1;
	g_free(j->slots);
	j->slots = g_new0(uint32_t, j->mask + 1);
	for (guint i = 0; i < j->cands->len; i++) {
		struct cand *c = &g_array_index(j->cands, struct cand, i);
		size_t s = c->hash & j->mask;
		while (j->slots[s])
			s = (s + 1) & j->mask;
		j->slots[s] = i + 1;
		c->slot = s;
	}
}

static void jd_add(const char *key, const char *display, size_t entry, void *data)
{
	struct jd_terms *j = data;
	uint32_t h = entry ? keywords_vocab()->canonical_hash[entry - 1] : bytes_hash(key, strlen(key));
	size_t s = h & j->mask;

	for (; j->slots[s]; s = (s + 1) & j->mask) {
		struct cand *c = &g_array_index(j->cands, struct cand, j->slots[s] - 1);
		if (c->hash == h && strcmp(c->key, key) == 0) {
			c->count++;
			return;
		}
	}
	struct cand c = { .key = key, .display = display, .entry = entry, .count = 1, .hash = h, .slot = s };
	if (!entry) {
		c.key = g_string_chunk_insert(j->text, key);
		c.display = g_string_chunk_insert(j->text, display);
	}
	g_array_append_val(j->cands, c);
	j->slots[s] = j->cands->len;
	if (j->cands->len * 2 > j->mask)
		jd_grow(j);
}

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = *(const struct cand *const *)x, *b = *(const struct cand *const *)y;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return strcmp(a->key, b->key);
}

static char *suggestion_for(const GPtrArray *missing, size_t matching)
{
	if (missing->len == 0)
		return g_strdup(matching ? "Your resume has every keyword found in this job description; put the "
					   "strongest of them in your summary and recent roles."
					 : "No technical keywords were found in this job description; compare its wording "
					   "with your resume by hand.");
	GString *s = g_string_new("Add ");
	guint n = MIN(missing->len, (guint)MATCH_SUGGEST_KEYWORDS);
	for (guint i = 0; i < n; i++) {
		if (i)
			g_string_append(s, i + 1 == n ? " and " : ", ");
		g_string_append(s, missing->pdata[i]);
	}
	g_string_append(s, n == 1 ? ", the heaviest keyword of this job description your resume lacks, if you have "
				    "worked with it."
				  : ", the heaviest keywords of this job description your resume lacks, where you have "
				    "worked with them.");
	return g_string_free(s, FALSE);
}

void match_keywords_find(match_index *m, size_t jd_doc, const char *jd, const match_resume *r,
			 struct match_keywords *ret_keywords)
{
	struct jd_terms *j = jd_terms_take();
	struct words *t = keywords_words(jd);

	keywords_walk(t, false, jd_add, j);
	keywords_words_done(t);

	double unseen = match_index_weight_unseen(m, jd_doc);
	guint n = j->cands->len;
	struct cand **order = g_new(struct cand *, n + 1);
	for (guint i = 0; i < n; i++) {
		struct cand *c = order[i] = &g_array_index(j->cands, struct cand, i);
		c->weight = match_index_weight(m, jd_doc, c->key);
		if (c->weight == 0)
			c->weight = unseen * (1.0 + log((double)c->count));
		c->in_resume = c->entry ? g_hash_table_contains(r->entries, GSIZE_TO_POINTER(c->entry))
					: g_hash_table_contains(r->words, c->key);
	}
	qsort(order, n, sizeof *order, cand_cmp); /* keys differ: a total order, as before */

	ret_keywords->matching = g_ptr_array_new_with_free_func(g_free);
	ret_keywords->missing = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		const struct cand *c = order[i];
		GPtrArray *to = c->in_resume ? ret_keywords->matching : ret_keywords->missing;
		if (to->len < MATCH_MAX_KEYWORDS)
			g_ptr_array_add(to, g_strdup(c->display));
	}
	ret_keywords->suggestion = suggestion_for(ret_keywords->missing, ret_keywords->matching->len);

	g_free(order);
	jd_terms_done(j);
}

void match_keywords_clear(struct match_keywords *k)
{
	if (k->matching)
		g_ptr_array_free(k->matching, TRUE);
	if (k->missing)
		g_ptr_array_free(k->missing, TRUE);
	g_free(k->suggestion);
	memset(k, 0, sizeof *k);
}
