/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match.c - TF-IDF vectors and cosine similarity for resume matching (match.h).
 *
 * Built for speed, since `apptrackctl match --all` ranks every job description at once and
 * the pair mode must be much faster than scikit-learn's ~2 ms:
 *  - one dictionary (open addressing, keys in one arena) maps a token to its feature id,
 *    and one table maps a pair of unigram ids to the bigram's feature id, so a bigram is
 *    never built as a string; stop words are entered first and flagged;
 *  - per-document counts use stamped arrays indexed by feature id (nothing to clear);
 *  - ASCII text takes a table-driven path; other code points are lower-cased and classified
 *    with GLib's Unicode tables, as Python's str.lower() and re's \w do.
 *
 * The dictionary, the tokenizer, fitting and scoring are one thing: they share struct
 * match_index and the inline hot paths of the tokenizer (dictionary probes, counting), so
 * they stay in one file; only numpy's argsort, which max_features needs step for step, is
 * match_argsort.c's.
 */
#include "apptrack/match.h"

#include "apptrack/error.h"
#include "match_internal.h"

#include <math.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#define NO_FEATURE UINT32_MAX
#define DICT_INITIAL_SLOTS 2048u  /* power of two */
#define TF_TABLE_SIZE 256u        /* 1 + ln(tf) precomputed below this count */
#define TOKEN_PAD 16u             /* bytes readable past a token or a copied text */
#define LOAD_NUM 7u               /* tables grow past 7/10 full */
#define LOAD_DEN 10u

/* scikit-learn's ENGLISH_STOP_WORDS (sklearn/feature_extraction/_stop_words.py), 318 words. */
static const char *const stop_words[] = {
	"a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost",
	"alone", "along", "already", "also", "although", "always", "am", "among", "amongst", "amoungst",
	"amount", "an", "and", "another", "any", "anyhow", "anyone", "anything", "anyway", "anywhere",
	"are", "around", "as", "at", "back", "be", "became", "because", "become", "becomes", "becoming",
	"been", "before", "beforehand", "behind", "being", "below", "beside", "besides", "between",
	"beyond", "bill", "both", "bottom", "but", "by", "call", "can", "cannot", "cant", "co", "con",
	"could", "couldnt", "cry", "de", "describe", "detail", "do", "done", "down", "due", "during",
	"each", "eg", "eight", "either", "eleven", "else", "elsewhere", "empty", "enough", "etc", "even",
	"ever", "every", "everyone", "everything", "everywhere", "except", "few", "fifteen", "fifty",
	"fill", "find", "fire", "first", "five", "for", "former", "formerly", "forty", "found", "four",
	"from", "front", "full", "further", "get", "give", "go", "had", "has", "hasnt", "have", "he",
	"hence", "her", "here", "hereafter", "hereby", "herein", "hereupon", "hers", "herself", "him",
	"himself", "his", "how", "however", "hundred", "i", "ie", "if", "in", "inc", "indeed",
	"interest", "into", "is", "it", "its", "itself", "keep", "last", "latter", "latterly", "least",
	"less", "ltd", "made", "many", "may", "me", "meanwhile", "might", "mill", "mine", "more",
	"moreover", "most", "mostly", "move", "much", "must", "my", "myself", "name", "namely",
	"neither", "never", "nevertheless", "next", "nine", "no", "nobody", "none", "noone", "nor",
	"not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto",
	"or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "part",
	"per", "perhaps", "please", "put", "rather", "re", "same", "see", "seem", "seemed", "seeming",
	"seems", "serious", "several", "she", "should", "show", "side", "since", "sincere", "six",
	"sixty", "so", "some", "somehow", "someone", "something", "sometime", "sometimes", "somewhere",
	"still", "such", "system", "take", "ten", "than", "that", "the", "their", "them", "themselves",
	"then", "thence", "there", "thereafter", "thereby", "therefore", "therein", "thereupon", "these",
	"they", "thick", "thin", "third", "this", "those", "though", "three", "through", "throughout",
	"thru", "thus", "to", "together", "too", "top", "toward", "towards", "twelve", "twenty", "two",
	"un", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what",
	"whatever", "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby", "wherein",
	"whereupon", "wherever", "whether", "which", "while", "whither", "who", "whoever", "whole",
	"whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
	"yours", "yourself", "yourselves",
};
G_STATIC_ASSERT(G_N_ELEMENTS(stop_words) == 318);

/* A dictionary slot: hash, feature id + 1 (0 = empty), the token's length with
 * SLOT_STOP for a stop word, and its first 8 bytes, so that short tokens are compared
 * without touching the arena. */
struct slot {
	uint64_t prefix;
	uint32_t hash; /* high 24 bits of the hash, low 8 bits the length (255: longer) */
	uint32_t fid1; /* SLOT_STOP set for a stop word */
};
#define SLOT_STOP 0x80000000u
#define SLOT_FID(s) (((s)->fid1 & ~SLOT_STOP) - 1)

/* A bigram slot: key (left id << 32 | right id) and feature id + 1 (0 = empty). */
struct pair_slot {
	uint64_t key;
	uint32_t fid1;
	uint32_t unused;
};

/* One feature: a unigram (text in the arena) or a bigram of two unigram features. */
struct feature {
	uint32_t a, b;     /* bigram: its unigrams; unigram: a = NO_FEATURE */
	uint32_t off, len; /* unigram: its text in the arena */
};

/* A growable array of uint32_t, pushed to inline. */
struct vec {
	uint32_t *v;
	size_t n, cap;
};

/* Per-feature counters of the current documents. */
struct counter {
	uint32_t stamp; /* document stamp of cnt */
	uint32_t cnt;
	uint32_t df;
	uint32_t active;
};

struct match_index {
	/* dictionary, kept across clears */
	struct slot *dict;
	uint32_t dict_mask, dict_used;
	struct pair_slot *pairs;
	uint32_t pairs_mask, pairs_used;
	struct feature *features;
	size_t nfeatures, features_cap;
	GString *arena;

	/* per-feature scratch, features_cap entries */
	struct counter *ctr;
	double *idf;
	double *dense; /* a query's weights while ranking */
	uint32_t stamp_now;

	/* documents since the last clear */
	struct vec post_fid; /* the documents' features one after another */
	struct vec post_cnt;
	GArray *doc_start;   /* size_t, documents + 1 entries */
	GArray *doc_inorm;   /* double: 1 / length of the weight vector, 0 when empty */
	struct vec touched;  /* features with df > 0 */
	bool fitted;

	/* tokenizer scratch */
	struct vec seq;       /* a document's non-stop unigram ids */
	struct vec doc_feats; /* its distinct features */
	char *token;        /* the token being read; room for the whole document lower-cased */
	size_t token_cap;
	unsigned char *src; /* the document, ASCII lower-cased, TOKEN_PAD zero bytes after it */
	size_t src_cap;
	uint64_t *cand, *high; /* bitmaps over src: word or non-ASCII byte; non-ASCII byte */
	double tf_table[TF_TABLE_SIZE];
};

static void vec_grow(struct vec *a, size_t need)
{
	size_t c = a->cap ? a->cap : 256;

	while (c < need)
		c *= 2;
	a->v = g_realloc_n(a->v, c, sizeof *a->v);
	a->cap = c;
}

static inline void vec_push(struct vec *a, uint32_t x)
{
	if (G_UNLIKELY(a->n == a->cap))
		vec_grow(a, a->n + 1);
	a->v[a->n++] = x;
}

/* ---- hashing ---- */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	return x;
}

/* 8 bytes at p, of which the first n (<= 8) are kept, the rest zeroed. p must have 8
 * readable bytes (tokens live in buffers with TOKEN_PAD bytes to spare). */
static inline uint64_t load_n(const char *p, size_t n)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return n >= 8 ? w : w & ((1ULL << (n * 8)) - 1); /* little and big endian alike: */
}
G_STATIC_ASSERT(G_BYTE_ORDER == G_LITTLE_ENDIAN || G_BYTE_ORDER == G_BIG_ENDIAN);

static inline uint32_t hash_token(const char *p, size_t len, uint64_t prefix)
{
	uint64_t h = (0x9e3779b97f4a7c15ULL ^ len) + prefix * 0xff51afd7ed558ccdULL;

	for (size_t i = 8; i < len; i += 8) {
		h = (h ^ load_n(p + i, len - i)) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	return (uint32_t)mix64(h);
}

/* ---- dictionary ---- */

static uint32_t feature_new(match_index *m, struct feature f)
{
	if (G_UNLIKELY(m->nfeatures == m->features_cap)) {
		size_t n = m->features_cap ? m->features_cap * 2 : 4096;
		m->features = g_realloc_n(m->features, n, sizeof *m->features);
		m->ctr = g_realloc_n(m->ctr, n, sizeof *m->ctr);
		m->idf = g_realloc_n(m->idf, n, sizeof *m->idf);
		m->dense = g_realloc_n(m->dense, n, sizeof *m->dense);
		size_t old = m->features_cap;
		memset(m->ctr + old, 0, (n - old) * sizeof *m->ctr);
		memset(m->dense + old, 0, (n - old) * sizeof *m->dense);
		m->features_cap = n;
	}
	m->features[m->nfeatures] = f;
	return (uint32_t)m->nfeatures++;
}

static void dict_grow(match_index *m)
{
	uint32_t n = (m->dict_mask + 1) * 2;
	struct slot *d = g_new0(struct slot, n);

	for (uint32_t i = 0; i <= m->dict_mask; i++) {
		struct slot s = m->dict[i];
		if (!s.fid1)
			continue;
		uint32_t j = (s.hash >> 8) & (n - 1);
		while (d[j].fid1)
			j = (j + 1) & (n - 1);
		d[j] = s;
	}
	g_free(m->dict);
	m->dict = d;
	m->dict_mask = n - 1;
}

/* The hash field of a slot: hash bits and length. */
static inline uint32_t slot_tag(uint32_t h, size_t len)
{
	return (h & 0xFFFFFF00u) | (uint32_t)(len < 255 ? len : 255);
}

static inline bool slot_is(const match_index *m, const struct slot *s, uint32_t tag, const char *tok, size_t len,
			   uint64_t prefix)
{
	if (s->hash != tag || s->prefix != prefix)
		return false;
	if (len <= 8)
		return true;
	const struct feature *f = &m->features[SLOT_FID(s)];
	const char *k = m->arena->str + f->off;
	if (f->len != len)
		return false;
	if (len <= 16)
		return load_n(k + 8, len - 8) == load_n(tok + 8, len - 8);
	return memcmp(k + 8, tok + 8, len - 8) == 0;
}

/* The slot holding the unigram, or the empty slot where it would go. */
static inline uint32_t dict_probe(const match_index *m, const char *tok, size_t len, uint64_t prefix, uint32_t tag)
{
	uint32_t i = (tag >> 8) & m->dict_mask;

	while (m->dict[i].fid1 && !slot_is(m, &m->dict[i], tag, tok, len, prefix))
		i = (i + 1) & m->dict_mask;
	return i;
}

/* The slot of a unigram, entered (as a stop word if stop) when new. */
static inline const struct slot *dict_get(match_index *m, const char *tok, size_t len, bool stop)
{
	uint64_t prefix = load_n(tok, len);
	uint32_t tag = slot_tag(hash_token(tok, len, prefix), len);
	uint32_t i = dict_probe(m, tok, len, prefix, tag);

	if (m->dict[i].fid1)
		return &m->dict[i];
	struct feature f = { .a = NO_FEATURE, .b = NO_FEATURE, .off = (uint32_t)m->arena->len, .len = (uint32_t)len };
	g_string_append_len(m->arena, tok, (gssize)len);
	uint32_t fid = feature_new(m, f);
	m->dict[i] = (struct slot){ prefix, tag, (fid + 1) | (stop ? SLOT_STOP : 0) };
	if (++m->dict_used * LOAD_DEN > (m->dict_mask + 1) * LOAD_NUM) {
		dict_grow(m);
		i = dict_probe(m, tok, len, prefix, tag);
	}
	return &m->dict[i];
}

/* Looks a unigram up without entering it: its slot or NULL. */
static const struct slot *dict_find(const match_index *m, const char *tok, size_t len)
{
	uint64_t prefix = load_n(tok, len);
	uint32_t tag = slot_tag(hash_token(tok, len, prefix), len);
	uint32_t i = dict_probe(m, tok, len, prefix, tag);

	return m->dict[i].fid1 ? &m->dict[i] : NULL;
}

static void pairs_grow(match_index *m)
{
	uint32_t n = (m->pairs_mask + 1) * 2;
	struct pair_slot *d = g_new0(struct pair_slot, n);

	for (uint32_t i = 0; i <= m->pairs_mask; i++) {
		struct pair_slot s = m->pairs[i];
		if (!s.fid1)
			continue;
		uint32_t j = (uint32_t)mix64(s.key) & (n - 1);
		while (d[j].fid1)
			j = (j + 1) & (n - 1);
		d[j] = s;
	}
	g_free(m->pairs);
	m->pairs = d;
	m->pairs_mask = n - 1;
}

/* The feature id of bigram (a, b); entered when new if create, else NO_FEATURE. */
static inline uint32_t pair_get(match_index *m, uint32_t a, uint32_t b, bool create)
{
	uint64_t key = (uint64_t)a << 32 | b;
	uint32_t i = (uint32_t)mix64(key) & m->pairs_mask;

	for (;;) {
		const struct pair_slot *s = &m->pairs[i];
		if (!s->fid1)
			break;
		if (s->key == key)
			return s->fid1 - 1;
		i = (i + 1) & m->pairs_mask;
	}
	if (!create)
		return NO_FEATURE;
	uint32_t fid = feature_new(m, (struct feature){ .a = a, .b = b });
	m->pairs[i] = (struct pair_slot){ key, fid + 1, 0 };
	if (++m->pairs_used * LOAD_DEN > (m->pairs_mask + 1) * LOAD_NUM)
		pairs_grow(m);
	return fid;
}

/* ---- lifecycle ---- */

match_index *match_index_new(void)
{
	match_index *m = g_new0(match_index, 1);

	m->dict = g_new0(struct slot, DICT_INITIAL_SLOTS);
	m->dict_mask = DICT_INITIAL_SLOTS - 1;
	m->pairs = g_new0(struct pair_slot, DICT_INITIAL_SLOTS);
	m->pairs_mask = DICT_INITIAL_SLOTS - 1;
	m->arena = g_string_sized_new(DICT_INITIAL_SLOTS * 8);
	m->doc_start = g_array_new(FALSE, FALSE, sizeof(size_t));
	m->doc_inorm = g_array_new(FALSE, FALSE, sizeof(double));
	size_t zero = 0;
	g_array_append_val(m->doc_start, zero);
	m->tf_table[0] = 0;
	for (size_t c = 1; c < TF_TABLE_SIZE; c++)
		m->tf_table[c] = 1.0 + log((double)c);
	for (size_t i = 0; i < G_N_ELEMENTS(stop_words); i++) {
		char padded[32] = { 0 };
		size_t n = strlen(stop_words[i]);
		memcpy(padded, stop_words[i], n);
		dict_get(m, padded, n, true);
	}
	return m;
}

void match_index_free(match_index *m)
{
	if (!m)
		return;
	g_free(m->dict);
	g_free(m->pairs);
	g_free(m->features);
	g_string_free(m->arena, TRUE);
	g_free(m->ctr);
	g_free(m->idf);
	g_free(m->dense);
	g_free(m->post_fid.v);
	g_free(m->post_cnt.v);
	g_array_free(m->doc_start, TRUE);
	g_array_free(m->doc_inorm, TRUE);
	g_free(m->touched.v);
	g_free(m->seq.v);
	g_free(m->doc_feats.v);
	g_free(m->token);
	g_free(m->src);
	g_free(m->cand);
	g_free(m->high);
	g_free(m);
}

void match_index_clear(match_index *m)
{
	for (size_t i = 0; i < m->touched.n; i++) {
		m->ctr[m->touched.v[i]].df = 0;
		m->ctr[m->touched.v[i]].active = 0;
	}
	m->touched.n = 0;
	m->post_fid.n = m->post_cnt.n = 0;
	g_array_set_size(m->doc_start, 1);
	g_array_set_size(m->doc_inorm, 0);
	m->fitted = false;
}

size_t match_index_documents(const match_index *m)
{
	return m->doc_start->len - 1;
}

/* ---- tokenizer ---- */

/* ASCII: 0 = not a word character, else the lower-cased byte; 0 for bytes >= 0x80. */
static const unsigned char ascii_word[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
	['7'] = '7', ['8'] = '8', ['9'] = '9', ['_'] = '_',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
	['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
	['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
	['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
	['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
	['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
	['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* Python's \w for a code point of general category t: str.isalnum() (letters, decimal
 * digits, other numbers) or "_". */
static inline bool type_word(GUnicodeType t)
{
	switch (t) {
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_MODIFIER_LETTER:
	case G_UNICODE_OTHER_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_DECIMAL_NUMBER:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_OTHER_NUMBER:
		return true;
	default:
		return false;
	}
}

static inline bool type_cased(GUnicodeType t)
{
	return t == G_UNICODE_UPPERCASE_LETTER || t == G_UNICODE_LOWERCASE_LETTER || t == G_UNICODE_TITLECASE_LETTER;
}

static inline bool unicode_word(gunichar c)
{
	return c < 0x80 ? ascii_word[c] != 0 : type_word(g_unichar_type(c));
}

/* Decodes the code point at p (end e); *ret_len its length. Invalid bytes give 0xFFFD
 * (not a word character), one byte at a time. */
static inline gunichar decode(const unsigned char *p, const unsigned char *e, size_t *ret_len)
{
	gunichar c = g_utf8_get_char_validated((const char *)p, (gssize)(e - p));

	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*ret_len = 1;
		return 0xFFFD;
	}
	*ret_len = (size_t)g_utf8_skip[*p];
	return c;
}

/* Tokenizer state for one document. */
struct tok {
	size_t bytes; /* in m->token */
	size_t chars; /* code points */
};

static inline void token_end(match_index *m, struct tok *t)
{
	if (t->chars >= 2) {
		const struct slot *s = dict_get(m, m->token, t->bytes, false);
		if (!(s->fid1 & SLOT_STOP))
			vec_push(&m->seq, SLOT_FID(s));
	}
	t->bytes = t->chars = 0;
}

/* Appends a lower-cased code point of type ty (or ends the token). */
static inline void token_push(match_index *m, struct tok *t, gunichar c, GUnicodeType ty)
{
	if (!type_word(ty)) {
		token_end(m, t);
		return;
	}
	t->bytes += (size_t)g_unichar_to_utf8(c, m->token + t->bytes);
	t->chars++;
}

/* Whether a cased letter comes before at (non-spacing marks skipped), for the final sigma. */
static bool cased_before(const char *text, const char *at)
{
	while (at > text) {
		at = g_utf8_find_prev_char(text, at);
		if (!at)
			return false;
		GUnicodeType ty = g_unichar_type(g_utf8_get_char(at));
		if (ty != G_UNICODE_NON_SPACING_MARK)
			return type_cased(ty);
	}
	return false;
}

/* Tokenizes src[0..len) (ASCII already lower-cased) one code point at a time: for runs
 * that hold non-ASCII bytes. Lower-cases as Python's str.lower(): U+0130 to "i" + U+0307,
 * capital sigma to the final form at the end of a word. */
static void tokenize_unicode(match_index *m, const unsigned char *p, const unsigned char *e)
{
	struct tok t = { 0, 0 };

	while (p < e) {
		if (*p < 0x80) {
			token_push(m, &t, *p, ascii_word[*p] ? G_UNICODE_LOWERCASE_LETTER : G_UNICODE_OTHER_PUNCTUATION);
			p++;
			continue;
		}
		size_t n;
		gunichar c = decode(p, e, &n);
		p += n;
		if (c >= 0x2000 && c <= 0x206F) { /* general punctuation: dashes, quotes, bullets */
			if (t.bytes)
				token_end(m, &t);
			continue;
		}
		if (c == 0x130) { /* LATIN CAPITAL LETTER I WITH DOT ABOVE */
			token_push(m, &t, 'i', G_UNICODE_LOWERCASE_LETTER);
			token_push(m, &t, 0x307, G_UNICODE_NON_SPACING_MARK);
			continue;
		}
		if (c == 0x3A3) { /* GREEK CAPITAL LETTER SIGMA: final form unless a cased letter follows */
			bool next_cased = false;
			if (p < e) {
				size_t n2;
				gunichar c2 = decode(p, e, &n2);
				next_cased = type_cased(g_unichar_type(c2));
			}
			token_push(m, &t, cased_before((const char *)m->src, (const char *)p - n) && !next_cased ? 0x3C2 : 0x3C3,
				   G_UNICODE_LOWERCASE_LETTER);
			continue;
		}
		GUnicodeType ty = g_unichar_type(c);
		if (ty == G_UNICODE_UPPERCASE_LETTER || ty == G_UNICODE_TITLECASE_LETTER) {
			c = g_unichar_tolower(c);
			ty = g_unichar_type(c);
		}
		token_push(m, &t, c, ty);
	}
	if (t.bytes)
		token_end(m, &t);
}

/* Copies text to m->src with ASCII lower-cased, and marks each byte in two bitmaps:
 * cand (an ASCII word character or any non-ASCII byte) and high (non-ASCII). */
static void classify(match_index *m, const char *text, size_t len)
{
	const unsigned char *in = (const unsigned char *)text;
	unsigned char *out = m->src;
	size_t i = 0;

#ifdef __SSE2__
	const __m128i upper_lo = _mm_set1_epi8('A' - 1), upper_hi = _mm_set1_epi8('Z' + 1);
	const __m128i lower_lo = _mm_set1_epi8('a' - 1), lower_hi = _mm_set1_epi8('z' + 1);
	const __m128i digit_lo = _mm_set1_epi8('0' - 1), digit_hi = _mm_set1_epi8('9' + 1);
	const __m128i under = _mm_set1_epi8('_'), bit5 = _mm_set1_epi8(0x20);
	for (; i + 64 <= len; i += 64) {
		uint64_t cand = 0, high = 0;
		for (int k = 0; k < 4; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 16 * k));
			__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, upper_lo), _mm_cmplt_epi8(v, upper_hi));
			__m128i lo = _mm_and_si128(_mm_cmpgt_epi8(v, lower_lo), _mm_cmplt_epi8(v, lower_hi));
			__m128i dg = _mm_and_si128(_mm_cmpgt_epi8(v, digit_lo), _mm_cmplt_epi8(v, digit_hi));
			__m128i w = _mm_or_si128(_mm_or_si128(up, lo), _mm_or_si128(dg, _mm_cmpeq_epi8(v, under)));
			_mm_storeu_si128((__m128i *)(void *)(out + i + 16 * k), _mm_or_si128(v, _mm_and_si128(up, bit5)));
			uint64_t hb = (uint16_t)_mm_movemask_epi8(v); /* bytes >= 0x80 */
			cand |= ((uint16_t)_mm_movemask_epi8(w) | hb) << (16 * k);
			high |= hb << (16 * k);
		}
		m->cand[i / 64] = cand;
		m->high[i / 64] = high;
	}
#endif
	for (; i < len; i += 64) {
		uint64_t cand = 0, high = 0;
		size_t n = len - i < 64 ? len - i : 64;
		for (size_t k = 0; k < n; k++) {
			unsigned char b = in[i + k], lc = ascii_word[b];
			out[i + k] = lc ? lc : b;
			cand |= (uint64_t)(lc || b >= 0x80) << k;
			high |= (uint64_t)(b >= 0x80) << k;
		}
		m->cand[i / 64] = cand;
		m->high[i / 64] = high;
	}
	memset(out + len, 0, TOKEN_PAD);
}

/* First position at or after pos whose bit in map is set (want) or clear (!want); n if none. */
static inline size_t bit_find(const uint64_t *map, size_t pos, size_t n, bool want)
{
	while (pos < n) {
		uint64_t w = map[pos / 64];
		if (!want)
			w = ~w;
		w >>= pos % 64;
		if (w) {
			pos += (size_t)__builtin_ctzll(w);
			return pos < n ? pos : n;
		}
		pos = (pos / 64 + 1) * 64;
	}
	return n;
}

static inline bool bits_any(const uint64_t *map, size_t from, size_t to)
{
	return bit_find(map, from, to, true) < to;
}

/* The document's non-stop unigram ids, in order, into m->seq. ASCII runs of word
 * characters are tokens as they stand in the lower-cased copy; runs with non-ASCII bytes
 * go through tokenize_unicode(). ASCII punctuation and spaces always separate words. */
static void tokenize(match_index *m, const char *text, size_t len)
{
	/* lower-casing grows UTF-8 by half at most (U+0130: 2 bytes to 3) */
	if (m->token_cap < 2 * len + TOKEN_PAD) {
		m->token_cap = 2 * len + TOKEN_PAD;
		g_free(m->token);
		m->token = g_malloc(m->token_cap);
	}
	if (m->src_cap < len + TOKEN_PAD) {
		m->src_cap = len + TOKEN_PAD;
		g_free(m->src);
		m->src = g_malloc(m->src_cap);
		g_free(m->cand);
		g_free(m->high);
		m->cand = g_new(uint64_t, m->src_cap / 64 + 2);
		m->high = g_new(uint64_t, m->src_cap / 64 + 2);
	}
	classify(m, text, len);
	m->seq.n = 0;
	for (size_t pos = 0; pos < len;) {
		size_t start = bit_find(m->cand, pos, len, true);
		if (start >= len)
			break;
		size_t end = bit_find(m->cand, start, len, false);
		if (bits_any(m->high, start, end)) {
			tokenize_unicode(m, m->src + start, m->src + end);
		} else if (end - start >= 2) {
			const struct slot *s = dict_get(m, (const char *)m->src + start, end - start, false);
			if (!(s->fid1 & SLOT_STOP))
				vec_push(&m->seq, SLOT_FID(s));
		}
		pos = end;
	}
}

/* Counts feature f in the current document. */
static inline void count(match_index *m, uint32_t f)
{
	struct counter *c = &m->ctr[f];

	if (c->stamp != m->stamp_now) {
		c->stamp = m->stamp_now;
		c->cnt = 0;
		vec_push(&m->doc_feats, f);
	}
	c->cnt++;
}

size_t match_index_add(match_index *m, const char *text, size_t len)
{
	tokenize(m, text, len);

	if (G_UNLIKELY(++m->stamp_now == 0)) { /* wrapped: forget every stamp */
		for (size_t i = 0; i < m->features_cap; i++)
			m->ctr[i].stamp = 0;
		m->stamp_now = 1;
	}
	m->doc_feats.n = 0;
	size_t n = m->seq.n;
	for (size_t i = 0; i < n; i++) {
		count(m, m->seq.v[i]);
		if (i + 1 < n)
			count(m, pair_get(m, m->seq.v[i], m->seq.v[i + 1], true));
	}
	size_t need = m->post_fid.n + m->doc_feats.n;
	if (need > m->post_fid.cap) {
		vec_grow(&m->post_fid, need);
		vec_grow(&m->post_cnt, need);
	}
	for (size_t i = 0; i < m->doc_feats.n; i++) {
		uint32_t f = m->doc_feats.v[i];
		struct counter *c = &m->ctr[f];
		m->post_fid.v[m->post_fid.n++] = f;
		m->post_cnt.v[m->post_cnt.n++] = c->cnt;
		if (c->df++ == 0)
			vec_push(&m->touched, f);
	}
	size_t end = m->post_fid.n;
	g_array_append_val(m->doc_start, end);
	m->fitted = false;
	return match_index_documents(m) - 1;
}

/* ---- fitting ---- */

static inline double tf_weight(const match_index *m, uint32_t c)
{
	return c < TF_TABLE_SIZE ? m->tf_table[c] : 1.0 + log((double)c);
}

/* The text of a feature, compared byte by byte as Python compares str (UTF-8 keeps code
 * point order); a bigram reads "left right". */
struct fcursor {
	const char *p[3];
	size_t n[3];
	int part;
};

static void fcursor_init(const match_index *m, uint32_t fid, struct fcursor *c)
{
	const struct feature *f = &m->features[fid];

	memset(c, 0, sizeof *c);
	if (f->a == NO_FEATURE) {
		c->p[0] = m->arena->str + f->off;
		c->n[0] = f->len;
		return;
	}
	c->p[0] = m->arena->str + m->features[f->a].off;
	c->n[0] = m->features[f->a].len;
	c->p[1] = " ";
	c->n[1] = 1;
	c->p[2] = m->arena->str + m->features[f->b].off;
	c->n[2] = m->features[f->b].len;
}

static int fcursor_next(struct fcursor *c)
{
	while (c->part < 3 && c->n[c->part] == 0)
		c->part++;
	if (c->part == 3)
		return -1;
	c->n[c->part]--;
	return (unsigned char)*c->p[c->part]++;
}

static int feature_cmp_text(const match_index *m, uint32_t a, uint32_t b)
{
	struct fcursor ca, cb;

	fcursor_init(m, a, &ca);
	fcursor_init(m, b, &cb);
	for (;;) {
		int x = fcursor_next(&ca), y = fcursor_next(&cb);
		if (x != y)
			return x < y ? -1 : 1;
		if (x < 0)
			return 0;
	}
}

static gint text_cmp(gconstpointer x, gconstpointer y, gpointer m)
{
	return feature_cmp_text(m, *(const uint32_t *)x, *(const uint32_t *)y);
}

/* Marks the max_features features with the highest total counts active, as scikit-learn's
 * _limit_features does: features in term order, then numpy's argsort of the negated
 * totals, the first max_features kept. */
static void limit_features(match_index *m, size_t max_features)
{
	size_t nt = m->touched.n;
	uint32_t *sorted = g_memdup2(m->touched.v, nt * sizeof(uint32_t));
	int64_t *key = g_new(int64_t, nt);
	size_t *idx = g_new(size_t, nt);

	g_qsort_with_data(sorted, (gint)nt, sizeof *sorted, text_cmp, m);
	for (size_t i = 0; i < nt; i++)
		m->dense[sorted[i]] = 0;
	for (size_t i = 0; i < m->post_fid.n; i++)
		m->dense[m->post_fid.v[i]] += m->post_cnt.v[i];
	for (size_t i = 0; i < nt; i++) {
		key[i] = -(int64_t)m->dense[sorted[i]];
		idx[i] = i;
		m->dense[sorted[i]] = 0;
		m->ctr[sorted[i]].active = 0;
	}
	match_argsort_numpy(key, idx, nt);
	for (size_t i = 0; i < max_features; i++)
		m->ctr[sorted[idx[i]]].active = 1;
	g_free(sorted);
	g_free(key);
	g_free(idx);
}

size_t match_index_fit(match_index *m, size_t max_features)
{
	size_t ndocs = match_index_documents(m), nt = m->touched.n, nfeatures = nt;
	const uint32_t *t = m->touched.v;

	if (max_features && nt > max_features) {
		limit_features(m, max_features);
		nfeatures = max_features;
	} else {
		for (size_t i = 0; i < nt; i++)
			m->ctr[t[i]].active = 1;
	}
	/* idf depends on df alone: one logarithm per distinct df */
	g_autofree double *by_df = g_new(double, ndocs + 1);
	for (size_t d = 0; d <= ndocs; d++)
		by_df[d] = -1;
	double n1 = 1.0 + (double)ndocs;
	for (size_t i = 0; i < nt; i++) {
		const struct counter *c = &m->ctr[t[i]];
		if (by_df[c->df] < 0)
			by_df[c->df] = log(n1 / (1.0 + c->df)) + 1.0;
		m->idf[t[i]] = c->active ? by_df[c->df] : 0.0;
	}
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;
	g_array_set_size(m->doc_inorm, ndocs);
	for (size_t d = 0; d < ndocs; d++) {
		double s = 0;
		for (size_t i = ds[d]; i < ds[d + 1]; i++) {
			double w = tf_weight(m, m->post_cnt.v[i]) * m->idf[m->post_fid.v[i]];
			s += w * w;
		}
		g_array_index(m->doc_inorm, double, d) = s > 0 ? 1.0 / sqrt(s) : 0.0;
	}
	m->fitted = true;
	return nfeatures;
}

/* ---- scoring ---- */

/* Puts document d's unnormalized weights into m->dense (or zeroes them again). */
static void scatter(match_index *m, size_t d, bool set)
{
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;

	for (size_t i = ds[d]; i < ds[d + 1]; i++) {
		uint32_t f = m->post_fid.v[i];
		m->dense[f] = set ? tf_weight(m, m->post_cnt.v[i]) * m->idf[f] : 0.0;
	}
}

static double dot_dense(const match_index *m, size_t d)
{
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;
	double s = 0;

	for (size_t i = ds[d]; i < ds[d + 1]; i++) {
		uint32_t f = m->post_fid.v[i];
		double q = m->dense[f];
		if (q != 0.0)
			s += q * tf_weight(m, m->post_cnt.v[i]) * m->idf[f];
	}
	return s;
}

static double cosine_of(const match_index *m, size_t query, size_t d, double dot)
{
	double c = dot * g_array_index(m->doc_inorm, double, query) * g_array_index(m->doc_inorm, double, d);

	return c > 1.0 ? 1.0 : c; /* rounding: a document against itself */
}

double match_index_cosine(match_index *m, size_t a, size_t b)
{
	g_return_val_if_fail(m->fitted, 0.0);
	scatter(m, a, true);
	double dot = dot_dense(m, b);
	scatter(m, a, false);
	return cosine_of(m, a, b, dot);
}

void match_index_rank(match_index *m, size_t query, double *ret_scores)
{
	size_t n = match_index_documents(m);

	g_return_if_fail(m->fitted);
	scatter(m, query, true);
	for (size_t d = 0; d < n; d++)
		ret_scores[d] = cosine_of(m, query, d, dot_dense(m, d));
	scatter(m, query, false);
}

/* Normalized weight of feature f in document d, 0 when absent. */
static double feature_weight(const match_index *m, size_t d, uint32_t f)
{
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;

	if (f == NO_FEATURE || !m->ctr[f].active)
		return 0.0;
	for (size_t i = ds[d]; i < ds[d + 1]; i++)
		if (m->post_fid.v[i] == f)
			return tf_weight(m, m->post_cnt.v[i]) * m->idf[f] * g_array_index(m->doc_inorm, double, d);
	return 0.0;
}

double match_index_weight(match_index *m, size_t doc, const char *term)
{
	g_return_val_if_fail(m->fitted && doc < match_index_documents(m), 0.0);

	/* tokenize the term without entering new words; an unknown word breaks bigrams */
	uint32_t ids[16];
	size_t n = 0;
	for (const char *p = term; *p && n < G_N_ELEMENTS(ids);) {
		while (*p && !unicode_word(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		const char *s = p;
		size_t chars = 0;
		while (*p && unicode_word(g_utf8_get_char(p))) {
			p = g_utf8_next_char(p);
			chars++;
		}
		if (chars < 2)
			continue;
		size_t tl = (size_t)(p - s);
		g_autofree char *padded = g_malloc0(tl + TOKEN_PAD);
		memcpy(padded, s, tl);
		const struct slot *sl = dict_find(m, padded, tl);
		if (!sl)
			ids[n++] = NO_FEATURE;
		else if (!(sl->fid1 & SLOT_STOP))
			ids[n++] = SLOT_FID(sl);
	}
	if (n == 1)
		return feature_weight(m, doc, ids[0]);
	double best = 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (ids[i] != NO_FEATURE && ids[i + 1] != NO_FEATURE)
			best = MAX(best, feature_weight(m, doc, pair_get(m, ids[i], ids[i + 1], false)));
	for (size_t i = 0; i < n && best == 0; i++)
		best = MAX(best, feature_weight(m, doc, ids[i]));
	return best;
}

double match_index_weight_unseen(match_index *m, size_t doc)
{
	g_return_val_if_fail(m->fitted && doc < match_index_documents(m), 0.0);
	double n = (double)match_index_documents(m);
	return (log((1.0 + n) / 2.0) + 1.0) * g_array_index(m->doc_inorm, double, doc);
}

bool match_is_stop_word(const char *word)
{
	static gsize once;
	static GHashTable *set;

	if (g_once_init_enter(&once)) {
		set = g_hash_table_new(g_str_hash, g_str_equal);
		for (size_t i = 0; i < G_N_ELEMENTS(stop_words); i++)
			g_hash_table_add(set, (char *)stop_words[i]);
		g_once_init_leave(&once, 1);
	}
	return g_hash_table_contains(set, word);
}

int match_pair(match_index *m, const char *resume, size_t resume_len, const char *jd, size_t jd_len,
	       double *ret_score, GError **error)
{
	match_index_clear(m);
	match_index_add(m, resume, resume_len);
	match_index_add(m, jd, jd_len);
	if (match_index_fit(m, MATCH_PAIR_MAX_FEATURES) == 0)
		return at_error_set(error, -EINVAL,
				    "nothing to compare: the resume and the job description have no words "
				    "other than stop words");
	*ret_score = match_index_cosine(m, 0, 1) * 100.0;
	return 0;
}
