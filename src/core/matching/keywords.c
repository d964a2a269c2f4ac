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
 */
#include "apptrack/match.h"

#include <math.h>
#include <string.h>

#include "skills.inc"

#define KW_MAX_PHRASE 4     /* words in the longest vocabulary phrase tried */
#define KW_ACRONYM_MIN 2
#define KW_ACRONYM_MAX 6
#define KW_CAPITAL_MIN 3    /* shortest capitalised term */
#define KW_WORD_MAX 64      /* longer "words" are not keywords */

/* The vocabulary, folded for look-up: lower-cased alternative -> entry index + 1, and
 * exact-case alternatives ("=Go") -> entry index + 1. Built once. */
struct vocab {
	GHashTable *folded;
	GHashTable *exact;
	GHashTable *not_acronyms; /* upper case */
	GHashTable *not_words;    /* lower case */
	char **canonical;         /* display text of each entry */
	size_t n;
};

static struct vocab *vocab_get(void)
{
	static gsize once;
	static struct vocab v;

	if (g_once_init_enter(&once)) {
		v.folded = g_hash_table_new(g_str_hash, g_str_equal);
		v.exact = g_hash_table_new(g_str_hash, g_str_equal);
		v.not_acronyms = g_hash_table_new(g_str_hash, g_str_equal);
		v.not_words = g_hash_table_new(g_str_hash, g_str_equal);
		for (v.n = 0; skills_vocabulary[v.n]; v.n++)
			;
		v.canonical = g_new0(char *, v.n + 1);
		for (size_t i = 0; i < v.n; i++) {
			char **alts = g_strsplit(skills_vocabulary[i], "|", -1);
			for (char **a = alts; *a; a++) {
				bool exact = **a == '=';
				char *text = g_strdup(*a + (exact ? 1 : 0));
				if (a == alts)
					v.canonical[i] = g_strdup(text);
				if (exact) {
					g_hash_table_insert(v.exact, text, GSIZE_TO_POINTER(i + 1));
				} else {
					char *folded = g_utf8_strdown(text, -1);
					g_free(text);
					if (!g_hash_table_contains(v.folded, folded))
						g_hash_table_insert(v.folded, folded, GSIZE_TO_POINTER(i + 1));
					else
						g_free(folded);
				}
			}
			g_strfreev(alts);
		}
		for (size_t i = 0; not_skill_acronyms[i]; i++)
			g_hash_table_add(v.not_acronyms, (char *)not_skill_acronyms[i]);
		for (size_t i = 0; not_skill_words[i]; i++)
			g_hash_table_add(v.not_words, (char *)not_skill_words[i]);
		g_once_init_leave(&once, 1);
	}
	return &v;
}

/* One word of a text as written, with what came before it. */
struct word {
	const char *p;
	size_t len;
	bool opens; /* first of a sentence, line or bullet */
};

static bool word_char(gunichar c)
{
	return g_unichar_isalnum(c);
}

/* The words of text: runs of letters and digits, joined by "." "-" "/" "_" "'" between
 * two of them ("node.js", "ci/cd", "objective-c"), ending with any "+" or "#" ("C++",
 * "C#"), a "." before a letter kept at the start (".NET"). Free with g_array_unref. */
static GArray *words_of(const char *text)
{
	GArray *w = g_array_new(FALSE, FALSE, sizeof(struct word));
	const char *p = text;
	bool opens = true;

	while (*p) {
		gunichar c = g_utf8_get_char(p);
		const char *start = p;
		if (c == '.' && word_char(g_utf8_get_char(p + 1)) && (p == text || g_unichar_isspace(g_utf8_get_char(g_utf8_find_prev_char(text, p))))) {
			p++; /* ".NET" */
		} else if (!word_char(c)) {
			if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '*' || c == '|' ||
			    c == '>' || c == 0x2022 || c == 0x2013 || c == 0x2014 || c == 0x25AA || c == 0x25CF || c == 0x2023 ||
			    (c == '-' && (p == text || g_unichar_isspace(g_utf8_get_char(g_utf8_find_prev_char(text, p))))))
				opens = true;
			p = g_utf8_next_char(p);
			continue;
		}
		while (*p) {
			gunichar d = g_utf8_get_char(p);
			if (word_char(d)) {
				p = g_utf8_next_char(p);
				continue;
			}
			if ((d == '.' || d == '-' || d == '/' || d == '_' || d == '\'') && word_char(g_utf8_get_char(p + 1))) {
				p++;
				continue;
			}
			break;
		}
		while (*p == '+' || *p == '#')
			p++;
		struct word x = { start, (size_t)(p - start), opens };
		if (x.len <= KW_WORD_MAX)
			g_array_append_val(w, x);
		opens = false;
	}
	return w;
}

/* Vocabulary entry + 1 of words[i..i+n) read as one phrase, 0 if none. */
static size_t vocab_phrase(const struct vocab *v, const struct word *ws, size_t n)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (size_t k = 0; k < n; k++) {
		if (k)
			g_string_append_c(s, ' ');
		g_string_append_len(s, ws[k].p, (gssize)ws[k].len);
	}
	gpointer hit = g_hash_table_lookup(v->exact, s->str);
	if (hit)
		return GPOINTER_TO_SIZE(hit);
	g_autofree char *folded = g_utf8_strdown(s->str, (gssize)s->len);
	return GPOINTER_TO_SIZE(g_hash_table_lookup(v->folded, folded));
}

/* A candidate keyword of the job description. */
struct cand {
	char *key;     /* lower-case identity: canonical term or the word */
	char *display; /* as shown */
	size_t entry;  /* vocabulary entry + 1, 0 for acronyms and capitalised terms */
	unsigned count;
	double weight;
	bool in_resume;
};

static void cand_free(gpointer p)
{
	struct cand *c = p;
	g_free(c->key);
	g_free(c->display);
	g_free(c);
}

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

/* Capitalised (first letter upper case, some lower case); *ret_mixed when a later letter
 * is upper case too ("PostgreSQL"). */
static bool is_capitalised(const char *p, size_t len, bool *ret_mixed)
{
	bool lower = false, mixed = false;

	if (len < KW_CAPITAL_MIN || !g_unichar_isupper(g_utf8_get_char(p)))
		return false;
	for (const char *q = g_utf8_next_char(p); q < p + len; q = g_utf8_next_char(q)) {
		gunichar c = g_utf8_get_char(q);
		if (g_unichar_islower(c))
			lower = true;
		else if (g_unichar_isupper(c))
			mixed = true;
		else if (!g_unichar_isalpha(c))
			return false; /* "Node.js" is for the vocabulary; "Q3" is not a term */
	}
	*ret_mixed = mixed;
	return lower;
}

/* Whether a word (lower case) is ordinary: a stop list word, an English stop word. */
static bool ordinary(const struct vocab *v, const char *lower)
{
	g_autofree char *upper = g_ascii_strup(lower, -1);

	return g_hash_table_contains(v->not_words, lower) || g_hash_table_contains(v->not_acronyms, upper) ||
	       match_is_stop_word(lower);
}

/* Walks text's keywords: vocabulary phrases first (longest), then acronyms and
 * capitalised terms. For each: fn(key, display, entry + 1 or 0, data). */
typedef void (*keyword_fn)(const char *key, const char *display, size_t entry, void *data);

static void keywords_walk(const char *text, bool only_vocabulary, keyword_fn fn, void *data)
{
	struct vocab *v = vocab_get();
	g_autoptr(GArray) words = words_of(text);
	const struct word *ws = (const struct word *)(void *)words->data;

	for (size_t i = 0; i < words->len;) {
		size_t hit = 0, n;
		for (n = MIN((size_t)KW_MAX_PHRASE, words->len - i); n >= 1; n--)
			if ((hit = vocab_phrase(v, ws + i, n)))
				break;
		if (hit) {
			g_autofree char *key = g_utf8_strdown(v->canonical[hit - 1], -1);
			fn(key, v->canonical[hit - 1], hit, data);
			i += n;
			continue;
		}
		g_autofree char *word = g_strndup(ws[i].p, ws[i].len);
		/* "AWS/GCP", "front-end": the parts */
		if (strpbrk(word, "/-")) {
			g_auto(GStrv) parts = g_strsplit_set(word, "/-", -1);
			for (char **q = parts; *q; q++) {
				struct word part = { *q, strlen(*q), ws[i].opens };
				size_t e = *q[0] ? vocab_phrase(v, &part, 1) : 0;
				if (e) {
					g_autofree char *key = g_utf8_strdown(v->canonical[e - 1], -1);
					fn(key, v->canonical[e - 1], e, data);
				} else if (!only_vocabulary && is_acronym(*q, strlen(*q)) &&
					   !g_hash_table_contains(v->not_acronyms, *q)) {
					g_autofree char *key = g_ascii_strdown(*q, -1);
					if (!ordinary(v, key))
						fn(key, *q, 0, data);
				}
			}
			i++;
			continue;
		}
		if (!only_vocabulary) {
			g_autofree char *key = g_utf8_strdown(word, -1);
			bool mixed = false;
			if (is_acronym(word, ws[i].len)) {
				if (!g_hash_table_contains(v->not_acronyms, word) && !ordinary(v, key))
					fn(key, word, 0, data);
			} else if (is_capitalised(word, ws[i].len, &mixed) && (mixed || !ws[i].opens) &&
				   !ordinary(v, key)) {
				fn(key, word, 0, data);
			}
		}
		i++;
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
	g_autoptr(GArray) words = words_of(resume);

	r->entries = g_hash_table_new(g_direct_hash, g_direct_equal);
	r->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	keywords_walk(resume, true, resume_add, r);
	for (guint i = 0; i < words->len; i++) {
		const struct word *w = &g_array_index(words, struct word, i);
		char *lower = g_utf8_strdown(w->p, (gssize)w->len);
		g_auto(GStrv) parts = g_strsplit_set(lower, "/-.", -1);
		for (char **q = parts; *q; q++)
			if (**q)
				g_hash_table_add(r->words, g_strdup(*q));
		g_hash_table_add(r->words, lower);
	}
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

struct jd_terms {
	GHashTable *by_key; /* key -> struct cand */
	GPtrArray *order;   /* struct cand, first seen first */
};

static void jd_add(const char *key, const char *display, size_t entry, void *data)
{
	struct jd_terms *j = data;
	struct cand *c = g_hash_table_lookup(j->by_key, key);

	if (!c) {
		c = g_new0(struct cand, 1);
		c->key = g_strdup(key);
		c->display = g_strdup(display);
		c->entry = entry;
		g_hash_table_insert(j->by_key, c->key, c);
		g_ptr_array_add(j->order, c);
	}
	c->count++;
}

static gint cand_cmp(gconstpointer x, gconstpointer y)
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
	struct jd_terms j = { g_hash_table_new(g_str_hash, g_str_equal), g_ptr_array_new_with_free_func(cand_free) };

	keywords_walk(jd, false, jd_add, &j);

	double unseen = match_index_weight_unseen(m, jd_doc);
	for (guint i = 0; i < j.order->len; i++) {
		struct cand *c = j.order->pdata[i];
		c->weight = match_index_weight(m, jd_doc, c->key);
		if (c->weight == 0)
			c->weight = unseen * (1.0 + log((double)c->count));
		c->in_resume = c->entry ? g_hash_table_contains(r->entries, GSIZE_TO_POINTER(c->entry))
					: g_hash_table_contains(r->words, c->key);
	}
	g_ptr_array_sort(j.order, cand_cmp);

	ret_keywords->matching = g_ptr_array_new_with_free_func(g_free);
	ret_keywords->missing = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < j.order->len; i++) {
		struct cand *c = j.order->pdata[i];
		GPtrArray *to = c->in_resume ? ret_keywords->matching : ret_keywords->missing;
		if (to->len < MATCH_MAX_KEYWORDS)
			g_ptr_array_add(to, g_strdup(c->display));
	}
	ret_keywords->suggestion = suggestion_for(ret_keywords->missing, ret_keywords->matching->len);

	g_hash_table_destroy(j.by_key);
	g_ptr_array_free(j.order, TRUE);
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
