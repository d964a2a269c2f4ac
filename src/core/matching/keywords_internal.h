/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keywords_internal.h - what keywords.c (the keywords, match.h) takes from keywords_vocab.c:
 * the vocabulary as tables of word ids, and a text read once as a stream of words, each
 * lower-cased and given its ids.
 */
#ifndef APPTRACK_KEYWORDS_INTERNAL_H
#define APPTRACK_KEYWORDS_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KW_MAX_PHRASE 4     /* words in the longest vocabulary phrase tried */
#define KW_ACRONYM_MIN 2
#define KW_ACRONYM_MAX 6
#define KW_CAPITAL_MIN 3    /* shortest capitalised term */
#define KW_WORD_MAX 64      /* longer "words" are not keywords */
#define KW_NONE UINT32_MAX  /* the id of a word no vocabulary phrase uses */

/* Words -> ids: open addressing, linear probing, at most half full; read-only once built. */
struct word_slot {
	const char *s; /* NULL: empty */
	uint32_t len, hash, id;
};

struct word_dict {
	struct word_slot *slots;
	size_t mask;
	uint32_t n;
};

/* Phrases of word ids -> vocabulary entry + 1, the same way. */
struct phrase_slot {
	uint32_t ids[KW_MAX_PHRASE];
	uint32_t hash, entry; /* entry 0: empty */
	uint8_t n;
};

struct phrase_table {
	struct phrase_slot *slots;
	size_t mask, n;
};

/* The vocabulary, folded for look-up: the words of its lower-cased alternatives and of
 * its exact-case ones ("=Go"), each with ids, and the phrases they make. Built once. */
struct vocab {
	struct word_dict folded_words, exact_words;
	struct phrase_table folded, exact;
	GHashTable *not_acronyms; /* upper case */
	GHashTable *not_words;    /* lower case */
	char **canonical;         /* display text of each entry */
	char **canonical_key;     /* its lower-case identity */
	uint32_t *canonical_hash; /* bytes_hash() of that */
	size_t n;
};

/* One word of a text as written, with what came before it. */
struct word {
	const char *p;
	size_t len;
	size_t low;  /* offset of its lower-case form (NUL-terminated) in the walk's buffer */
	bool opens;  /* first of a sentence, line or bullet */
	bool ascii;  /* lower-cased byte for byte: a part's lower case is the same part of it */
	bool joined; /* has a "/" or "-" inside ("AWS/GCP", "front-end") */
};

/* A text's words with their lower case and vocabulary ids, made once per text in buffers
 * each thread keeps for the next text (up to 256 KiB and 8,192 words). */
struct words {
	GArray *w;            /* struct word */
	GString *lower;       /* the lower-case forms */
	uint32_t *fid, *eid;  /* each word's id among the folded and the exact spellings */
	size_t ids_size;      /* of fid and eid */
	bool ascii_lowers;    /* ASCII lower-cases as A-Z -> a-z (not in a Turkic locale) */
};

/* g_utf8_get_char() without the call for ASCII. */
static inline gunichar char_at(const char *p)
{
	return (unsigned char)*p < 0x80 ? (gunichar)(unsigned char)*p : g_utf8_get_char(p);
}

static inline uint32_t bytes_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static inline uint32_t ids_hash(const uint32_t *ids, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull * (n + 1);

	for (size_t k = 0; k < n; k++)
		h = (h ^ ids[k]) * 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 32);
}

static inline uint32_t phrase_find(const struct phrase_table *t, const uint32_t *ids, size_t n)
{
	uint32_t h = ids_hash(ids, n);

	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		const struct phrase_slot *s = &t->slots[i];
		if (!s->entry)
			return 0;
		if (s->hash == h && s->n == n && memcmp(s->ids, ids, n * sizeof *ids) == 0)
			return s->entry;
	}
}

static inline bool all_known(const uint32_t *ids, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (ids[k] == KW_NONE)
			return false;
	return true;
}

/* Vocabulary entry + 1 of words[i..i+n) read as one phrase, 0 if none: the exact
 * spelling first, then the folded one. */
static inline size_t vocab_phrase(const struct vocab *v, const struct words *t, size_t i, size_t n)
{
	size_t hit = 0;

	if (all_known(t->eid + i, n) && (hit = phrase_find(&v->exact, t->eid + i, n)))
		return hit;
	if (all_known(t->fid + i, n))
		hit = phrase_find(&v->folded, t->fid + i, n);
	return hit;
}

/* The vocabulary (skills.inc), built on first use. */
const struct vocab *keywords_vocab(void);

/* The words of text, in buffers the calling thread keeps for its next text; give them
 * back with keywords_words_done(). */
struct words *keywords_words(const char *text);
void keywords_words_done(struct words *t);

/* Vocabulary entry + 1 of the part x->p[off..off+len) of word x, 0 if none. */
size_t keywords_vocab_part(const struct vocab *v, const struct words *t, const struct word *x, size_t off, size_t len);

#endif
