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
 */
#include "apptrack/match.h"

#include "apptrack/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_FEATURE UINT32_MAX
#define DICT_INITIAL_SLOTS 4096u  /* power of two */
#define TF_TABLE_SIZE 256u        /* 1 + ln(tf) precomputed below this count */
#define TOKEN_MAX_BYTES 4096u     /* a longer run of word characters is cut there */
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

/* A dictionary slot: hash and feature id + 1 (0 = empty). */
struct slot {
	uint32_t hash;
	uint32_t fid1;
};

/* A bigram slot: key (left id << 32 | right id) and feature id + 1 (0 = empty). */
struct pair_slot {
	uint64_t key;
	uint32_t fid1;
};

/* One feature: a unigram (string in the arena) or a bigram of two unigram features. */
struct feature {
	uint32_t a, b;     /* bigram: its unigrams; unigram: a = NO_FEATURE */
	uint32_t off, len; /* unigram: its text in the arena */
	bool stop;
};

struct match_index {
	/* dictionary, kept across clears */
	struct slot *dict;
	uint32_t dict_mask, dict_used;
	struct pair_slot *pairs;
	uint32_t pairs_mask, pairs_used;
	GArray *features; /* struct feature, by feature id */
	GString *arena;

	/* per-feature scratch, sized like features */
	uint32_t *stamp; /* document stamp of cnt */
	uint32_t *cnt;
	uint32_t *df;
	double *idf;
	double *dense; /* a query's weights while ranking */
	uint8_t *active;
	size_t scratch_size;
	uint32_t stamp_now;

	/* documents since the last clear */
	GArray *post_fid; /* uint32_t, the documents' features one after another */
	GArray *post_cnt; /* uint32_t */
	GArray *doc_start; /* size_t, n + 1 entries */
	GArray *doc_inorm; /* double: 1 / length of the weight vector, 0 when empty */
	GArray *touched;  /* uint32_t: features with df > 0 */
	bool fitted;

	/* tokenizer scratch */
	GArray *seq; /* uint32_t: a document's non-stop unigram ids */
	GArray *doc_feats; /* uint32_t */
	char token[TOKEN_MAX_BYTES + 8];
	double tf_table[TF_TABLE_SIZE];
};

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

static inline uint32_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;

	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;
		memcpy(&w, p, len);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	return (uint32_t)mix64(h);
}

/* ---- dictionary ---- */

static void scratch_grow(match_index *m, size_t need)
{
	if (need <= m->scratch_size)
		return;
	size_t n = m->scratch_size ? m->scratch_size : 1024;
	while (n < need)
		n *= 2;
	m->stamp = g_realloc_n(m->stamp, n, sizeof *m->stamp);
	m->cnt = g_realloc_n(m->cnt, n, sizeof *m->cnt);
	m->df = g_realloc_n(m->df, n, sizeof *m->df);
	m->idf = g_realloc_n(m->idf, n, sizeof *m->idf);
	m->dense = g_realloc_n(m->dense, n, sizeof *m->dense);
	m->active = g_realloc_n(m->active, n, sizeof *m->active);
	size_t old = m->scratch_size;
	memset(m->stamp + old, 0, (n - old) * sizeof *m->stamp);
	memset(m->df + old, 0, (n - old) * sizeof *m->df);
	memset(m->dense + old, 0, (n - old) * sizeof *m->dense);
	memset(m->active + old, 0, (n - old) * sizeof *m->active);
	m->scratch_size = n;
}

static uint32_t feature_new(match_index *m, struct feature f)
{
	uint32_t fid = m->features->len;

	g_array_append_val(m->features, f);
	scratch_grow(m, (size_t)fid + 1);
	return fid;
}

static void dict_grow(match_index *m)
{
	uint32_t n = (m->dict_mask + 1) * 2;
	struct slot *d = g_new0(struct slot, n);

	for (uint32_t i = 0; i <= m->dict_mask; i++) {
		struct slot s = m->dict[i];
		if (!s.fid1)
			continue;
		uint32_t j = s.hash & (n - 1);
		while (d[j].fid1)
			j = (j + 1) & (n - 1);
		d[j] = s;
	}
	g_free(m->dict);
	m->dict = d;
	m->dict_mask = n - 1;
}

/* The feature id of a unigram, entered when new. */
static uint32_t dict_get(match_index *m, const char *tok, size_t len, bool stop)
{
	uint32_t h = hash_bytes(tok, len);
	uint32_t i = h & m->dict_mask;
	const struct feature *fs = (const struct feature *)(void *)m->features->data;

	for (;;) {
		struct slot s = m->dict[i];
		if (!s.fid1)
			break;
		if (s.hash == h) {
			const struct feature *f = &fs[s.fid1 - 1];
			if (f->len == len && memcmp(m->arena->str + f->off, tok, len) == 0)
				return s.fid1 - 1;
		}
		i = (i + 1) & m->dict_mask;
	}
	struct feature f = { .a = NO_FEATURE, .b = NO_FEATURE, .off = (uint32_t)m->arena->len,
			     .len = (uint32_t)len, .stop = stop };
	g_string_append_len(m->arena, tok, (gssize)len);
	uint32_t fid = feature_new(m, f);
	m->dict[i] = (struct slot){ h, fid + 1 };
	if (++m->dict_used * LOAD_DEN > (m->dict_mask + 1) * LOAD_NUM)
		dict_grow(m);
	return fid;
}

/* Looks a unigram up without entering it: its id or NO_FEATURE. */
static uint32_t dict_find(const match_index *m, const char *tok, size_t len)
{
	uint32_t h = hash_bytes(tok, len);
	uint32_t i = h & m->dict_mask;
	const struct feature *fs = (const struct feature *)(void *)m->features->data;

	for (;;) {
		struct slot s = m->dict[i];
		if (!s.fid1)
			return NO_FEATURE;
		if (s.hash == h) {
			const struct feature *f = &fs[s.fid1 - 1];
			if (f->len == len && memcmp(m->arena->str + f->off, tok, len) == 0)
				return s.fid1 - 1;
		}
		i = (i + 1) & m->dict_mask;
	}
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
static uint32_t pair_get(match_index *m, uint32_t a, uint32_t b, bool create)
{
	uint64_t key = (uint64_t)a << 32 | b;
	uint32_t i = (uint32_t)mix64(key) & m->pairs_mask;

	for (;;) {
		struct pair_slot s = m->pairs[i];
		if (!s.fid1)
			break;
		if (s.key == key)
			return s.fid1 - 1;
		i = (i + 1) & m->pairs_mask;
	}
	if (!create)
		return NO_FEATURE;
	uint32_t fid = feature_new(m, (struct feature){ .a = a, .b = b });
	m->pairs[i] = (struct pair_slot){ key, fid + 1 };
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
	m->features = g_array_new(FALSE, FALSE, sizeof(struct feature));
	m->arena = g_string_sized_new(DICT_INITIAL_SLOTS * 8);
	m->post_fid = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	m->post_cnt = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	m->doc_start = g_array_new(FALSE, FALSE, sizeof(size_t));
	m->doc_inorm = g_array_new(FALSE, FALSE, sizeof(double));
	m->touched = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	m->seq = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	m->doc_feats = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	size_t zero = 0;
	g_array_append_val(m->doc_start, zero);
	m->tf_table[0] = 0;
	for (size_t c = 1; c < TF_TABLE_SIZE; c++)
		m->tf_table[c] = 1.0 + log((double)c);
	for (size_t i = 0; i < G_N_ELEMENTS(stop_words); i++)
		dict_get(m, stop_words[i], strlen(stop_words[i]), true);
	return m;
}

void match_index_free(match_index *m)
{
	if (!m)
		return;
	g_free(m->dict);
	g_free(m->pairs);
	g_array_free(m->features, TRUE);
	g_string_free(m->arena, TRUE);
	g_free(m->stamp);
	g_free(m->cnt);
	g_free(m->df);
	g_free(m->idf);
	g_free(m->dense);
	g_free(m->active);
	g_array_free(m->post_fid, TRUE);
	g_array_free(m->post_cnt, TRUE);
	g_array_free(m->doc_start, TRUE);
	g_array_free(m->doc_inorm, TRUE);
	g_array_free(m->touched, TRUE);
	g_array_free(m->seq, TRUE);
	g_array_free(m->doc_feats, TRUE);
	g_free(m);
}

void match_index_clear(match_index *m)
{
	const uint32_t *t = (const uint32_t *)(void *)m->touched->data;

	for (guint i = 0; i < m->touched->len; i++) {
		m->df[t[i]] = 0;
		m->active[t[i]] = 0;
	}
	g_array_set_size(m->touched, 0);
	g_array_set_size(m->post_fid, 0);
	g_array_set_size(m->post_cnt, 0);
	g_array_set_size(m->doc_start, 1);
	g_array_set_size(m->doc_inorm, 0);
	m->fitted = false;
}

size_t match_index_documents(const match_index *m)
{
	return m->doc_start->len - 1;
}

/* ---- tokenizer ---- */

/* ASCII: 0 = not a word character, else the lower-cased byte. */
static const unsigned char ascii_word[128] = {
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

/* Python's \w for a code point: str.isalnum() or "_". */
static inline bool unicode_word(gunichar c)
{
	return c == '_' || g_unichar_isalnum(c);
}

static inline bool unicode_cased(gunichar c)
{
	return g_unichar_isupper(c) || g_unichar_islower(c) || g_unichar_istitle(c);
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
		uint32_t fid = dict_get(m, m->token, t->bytes, false);
		const struct feature *f = &g_array_index(m->features, struct feature, fid);
		if (!f->stop)
			g_array_append_val(m->seq, fid);
	}
	t->bytes = t->chars = 0;
}

static inline void token_push_unichar(match_index *m, struct tok *t, gunichar c)
{
	if (!unicode_word(c)) {
		token_end(m, t);
		return;
	}
	if (t->bytes + 6 > TOKEN_MAX_BYTES) /* cut a pathological run */
		token_end(m, t);
	t->bytes += (size_t)g_unichar_to_utf8(c, m->token + t->bytes);
	t->chars++;
}

/* The document's non-stop unigram ids, in order, into m->seq. Lower-cases as Python's
 * str.lower(): one code point at a time, U+0130 to "i" + U+0307, capital sigma to the
 * final form at the end of a word. */
static void tokenize(match_index *m, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *e = p + len;
	struct tok t = { 0, 0 };
	bool prev_cased = false;

	g_array_set_size(m->seq, 0);
	while (p < e) {
		unsigned char b = *p;
		if (b < 0x80) {
			unsigned char w = ascii_word[b];
			if (w) {
				if (t.bytes + 1 > TOKEN_MAX_BYTES)
					token_end(m, &t);
				m->token[t.bytes++] = (char)w;
				t.chars++;
				prev_cased = (w >= 'a' && w <= 'z');
			} else {
				if (t.bytes)
					token_end(m, &t);
				prev_cased = false;
			}
			p++;
			continue;
		}
		size_t n;
		gunichar c = decode(p, e, &n);
		p += n;
		if (c == 0x130) { /* LATIN CAPITAL LETTER I WITH DOT ABOVE */
			token_push_unichar(m, &t, 'i');
			token_push_unichar(m, &t, 0x307);
			prev_cased = true;
			continue;
		}
		if (c == 0x3A3) { /* GREEK CAPITAL LETTER SIGMA: final form unless a cased letter follows */
			bool next_cased = false;
			if (p < e) {
				size_t n2;
				gunichar c2 = *p < 0x80 ? *p : decode(p, e, &n2);
				next_cased = unicode_cased(c2);
			}
			token_push_unichar(m, &t, prev_cased && !next_cased ? 0x3C2 : 0x3C3);
			prev_cased = true;
			continue;
		}
		bool cased = unicode_cased(c);
		if (cased)
			c = g_unichar_tolower(c);
		/* marks keep the context of the letter they follow */
		if (g_unichar_type(c) != G_UNICODE_NON_SPACING_MARK)
			prev_cased = cased;
		token_push_unichar(m, &t, c);
	}
	if (t.bytes)
		token_end(m, &t);
}

/* Counts feature f in the current document. */
static inline void count(match_index *m, uint32_t f)
{
	if (m->stamp[f] != m->stamp_now) {
		m->stamp[f] = m->stamp_now;
		m->cnt[f] = 0;
		g_array_append_val(m->doc_feats, f);
	}
	m->cnt[f]++;
}

size_t match_index_add(match_index *m, const char *text, size_t len)
{
	tokenize(m, text, len);

	if (++m->stamp_now == 0) { /* wrapped: forget every stamp */
		memset(m->stamp, 0, m->scratch_size * sizeof *m->stamp);
		m->stamp_now = 1;
	}
	g_array_set_size(m->doc_feats, 0);
	guint n = m->seq->len;
	for (guint i = 0; i < n; i++) {
		uint32_t *s = (uint32_t *)(void *)m->seq->data; /* pair_get may grow features, not seq */
		count(m, s[i]);
		if (i + 1 < n)
			count(m, pair_get(m, s[i], s[i + 1], true));
	}
	const uint32_t *fs = (const uint32_t *)(void *)m->doc_feats->data;
	for (guint i = 0; i < m->doc_feats->len; i++) {
		uint32_t f = fs[i];
		g_array_append_val(m->post_fid, f);
		g_array_append_val(m->post_cnt, m->cnt[f]);
		if (m->df[f]++ == 0)
			g_array_append_val(m->touched, f);
	}
	size_t end = m->post_fid->len;
	g_array_append_val(m->doc_start, end);
	m->fitted = false;
	return match_index_documents(m) - 1;
}

/* ---- fitting ---- */

static inline double tf_weight(const match_index *m, uint32_t c)
{
	return c < TF_TABLE_SIZE ? m->tf_table[c] : 1.0 + log((double)c);
}

/* The text of feature f compared with that of g, byte by byte as Python compares str
 * (UTF-8 keeps code point order); a bigram reads "left right". */
struct fcursor {
	const char *p[3];
	size_t n[3];
	int part;
};

static void fcursor_init(const match_index *m, uint32_t fid, struct fcursor *c)
{
	const struct feature *fs = (const struct feature *)(void *)m->features->data;
	const struct feature *f = &fs[fid];

	memset(c, 0, sizeof *c);
	if (f->a == NO_FEATURE) {
		c->p[0] = m->arena->str + f->off;
		c->n[0] = f->len;
		return;
	}
	c->p[0] = m->arena->str + fs[f->a].off;
	c->n[0] = fs[f->a].len;
	c->p[1] = " ";
	c->n[1] = 1;
	c->p[2] = m->arena->str + fs[f->b].off;
	c->n[2] = fs[f->b].len;
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

#define SMALL_PARTITION 15 /* numpy's SMALL_QUICKSORT */
#define PARTITION_STACK 128

static void swap_idx(size_t *a, size_t *b)
{
	size_t t = *a;
	*a = *b;
	*b = t;
}

/* Heap sort of idx[0..n) by key, numpy's aheapsort (1-based indexing). */
static void argsort_heap(const int64_t *key, size_t *idx, size_t n)
{
	size_t *a = idx - 1, i, j, l, tmp;

	for (l = n >> 1; l > 0; --l) {
		tmp = a[l];
		for (i = l, j = l << 1; j <= n;) {
			if (j < n && key[a[j]] < key[a[j + 1]])
				j++;
			if (!(key[tmp] < key[a[j]]))
				break;
			a[i] = a[j];
			i = j;
			j += j;
		}
		a[i] = tmp;
	}
	for (; n > 1;) {
		tmp = a[n];
		a[n] = a[1];
		n--;
		for (i = 1, j = 2; j <= n;) {
			if (j < n && key[a[j]] < key[a[j + 1]])
				j++;
			if (!(key[tmp] < key[a[j]]))
				break;
			a[i] = a[j];
			i = j;
			j += j;
		}
		a[i] = tmp;
	}
}

/* numpy's default argsort (introsort: median-of-three quicksort, insertion sort below 16
 * elements, heap sort past 2 * log2(n) levels), step for step: it is not stable, and which
 * of the tied features scikit-learn keeps at the max_features cut is whatever it leaves
 * first, so the same algorithm is needed to keep the same ones. */
static void argsort_numpy(const int64_t *key, size_t *idx, size_t num)
{
	size_t *pl = idx, *pr = idx + num - 1;
	size_t *stack[PARTITION_STACK], **sp = stack;
	int depth_stack[PARTITION_STACK], *dp = depth_stack;
	int depth = 0;

	for (size_t n = num; n > 1; n >>= 1)
		depth++;
	depth *= 2;
	for (;;) {
		if (depth < 0) {
			argsort_heap(key, pl, (size_t)(pr - pl) + 1);
			goto pop;
		}
		while (pr - pl > SMALL_PARTITION) {
			size_t *pm = pl + ((pr - pl) >> 1), *pi, *pj;
			if (key[*pm] < key[*pl])
				swap_idx(pm, pl);
			if (key[*pr] < key[*pm])
				swap_idx(pr, pm);
			if (key[*pm] < key[*pl])
				swap_idx(pm, pl);
			int64_t vp = key[*pm];
			pi = pl;
			pj = pr - 1;
			swap_idx(pm, pj);
			for (;;) {
				do
					++pi;
				while (key[*pi] < vp);
				do
					--pj;
				while (vp < key[*pj]);
				if (pi >= pj)
					break;
				swap_idx(pi, pj);
			}
			swap_idx(pi, pr - 1);
			if (pi - pl < pr - pi) {
				*sp++ = pi + 1;
				*sp++ = pr;
				pr = pi - 1;
			} else {
				*sp++ = pl;
				*sp++ = pi - 1;
				pl = pi + 1;
			}
			*dp++ = --depth;
		}
		for (size_t *pi = pl + 1; pi <= pr; ++pi) {
			size_t vi = *pi, *pj = pi, *pk = pi - 1;
			int64_t vp = key[vi];
			while (pj > pl && vp < key[*pk])
				*pj-- = *pk--;
			*pj = vi;
		}
pop:
		if (sp == stack)
			break;
		pr = *(--sp);
		pl = *(--sp);
		depth = *(--dp);
	}
}

/* Marks the max_features features with the highest total counts active, as scikit-learn's
 * _limit_features does: features in term order, then numpy's argsort of the negated
 * totals, the first max_features kept. */
static void limit_features(match_index *m, size_t max_features)
{
	guint nt = m->touched->len;
	uint32_t *sorted = g_memdup2(m->touched->data, nt * sizeof(uint32_t));
	int64_t *key = g_new(int64_t, nt);
	size_t *idx = g_new(size_t, nt);
	const uint32_t *pf = (const uint32_t *)(void *)m->post_fid->data;
	const uint32_t *pc = (const uint32_t *)(void *)m->post_cnt->data;

	g_qsort_with_data(sorted, (gint)nt, sizeof *sorted, text_cmp, m);
	for (guint i = 0; i < nt; i++)
		m->dense[sorted[i]] = 0;
	for (guint i = 0; i < m->post_fid->len; i++)
		m->dense[pf[i]] += pc[i];
	for (guint i = 0; i < nt; i++) {
		key[i] = -(int64_t)m->dense[sorted[i]];
		idx[i] = i;
		m->dense[sorted[i]] = 0;
		m->active[sorted[i]] = 0;
	}
	argsort_numpy(key, idx, nt);
	for (size_t i = 0; i < max_features; i++)
		m->active[sorted[idx[i]]] = 1;
	g_free(sorted);
	g_free(key);
	g_free(idx);
}

size_t match_index_fit(match_index *m, size_t max_features)
{
	size_t ndocs = match_index_documents(m);
	guint nt = m->touched->len;
	const uint32_t *t = (const uint32_t *)(void *)m->touched->data;
	size_t nfeatures = nt;

	if (max_features && nt > max_features) {
		limit_features(m, max_features);
		nfeatures = max_features;
	} else {
		for (guint i = 0; i < nt; i++)
			m->active[t[i]] = 1;
	}
	double n1 = 1.0 + (double)ndocs;
	for (guint i = 0; i < nt; i++)
		m->idf[t[i]] = m->active[t[i]] ? log(n1 / (1.0 + m->df[t[i]])) + 1.0 : 0.0;

	const uint32_t *pf = (const uint32_t *)(void *)m->post_fid->data;
	const uint32_t *pc = (const uint32_t *)(void *)m->post_cnt->data;
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;
	g_array_set_size(m->doc_inorm, ndocs);
	for (size_t d = 0; d < ndocs; d++) {
		double s = 0;
		for (size_t i = ds[d]; i < ds[d + 1]; i++) {
			double w = tf_weight(m, pc[i]) * m->idf[pf[i]];
			s += w * w;
		}
		g_array_index(m->doc_inorm, double, d) = s > 0 ? 1.0 / sqrt(s) : 0.0;
	}
	m->fitted = true;
	return nfeatures;
}

/* ---- scoring ---- */

/* Puts document d's unnormalized weights into m->dense. */
static void scatter(match_index *m, size_t d, bool set)
{
	const uint32_t *pf = (const uint32_t *)(void *)m->post_fid->data;
	const uint32_t *pc = (const uint32_t *)(void *)m->post_cnt->data;
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;

	for (size_t i = ds[d]; i < ds[d + 1]; i++)
		m->dense[pf[i]] = set ? tf_weight(m, pc[i]) * m->idf[pf[i]] : 0.0;
}

static double dot_dense(const match_index *m, size_t d)
{
	const uint32_t *pf = (const uint32_t *)(void *)m->post_fid->data;
	const uint32_t *pc = (const uint32_t *)(void *)m->post_cnt->data;
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;
	double s = 0;

	for (size_t i = ds[d]; i < ds[d + 1]; i++) {
		double q = m->dense[pf[i]];
		if (q != 0.0)
			s += q * tf_weight(m, pc[i]) * m->idf[pf[i]];
	}
	return s;
}

static double cosine_of(const match_index *m, size_t query, size_t d, double dot)
{
	double a = g_array_index(m->doc_inorm, double, query), b = g_array_index(m->doc_inorm, double, d);
	double c = dot * a * b;

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
	const uint32_t *pf = (const uint32_t *)(void *)m->post_fid->data;
	const uint32_t *pc = (const uint32_t *)(void *)m->post_cnt->data;
	const size_t *ds = (const size_t *)(void *)m->doc_start->data;

	if (f == NO_FEATURE || f >= m->scratch_size || !m->active[f])
		return 0.0;
	for (size_t i = ds[d]; i < ds[d + 1]; i++)
		if (pf[i] == f)
			return tf_weight(m, pc[i]) * m->idf[f] * g_array_index(m->doc_inorm, double, d);
	return 0.0;
}

double match_index_weight(match_index *m, size_t doc, const char *term)
{
	g_return_val_if_fail(m->fitted && doc < match_index_documents(m), 0.0);

	/* tokenize the term without entering new words */
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	const char *p = term;
	while (*p) {
		while (*p && !unicode_word(g_utf8_get_char(p)))
			p = g_utf8_next_char(p);
		const char *s = p;
		size_t chars = 0;
		while (*p && unicode_word(g_utf8_get_char(p))) {
			p = g_utf8_next_char(p);
			chars++;
		}
		if (chars >= 2) {
			uint32_t f = dict_find(m, s, (size_t)(p - s));
			if (f != NO_FEATURE && !g_array_index(m->features, struct feature, f).stop)
				g_array_append_val(ids, f);
			else if (f == NO_FEATURE)
				g_array_append_val(ids, f); /* unknown word: breaks bigrams */
		}
	}
	double best = 0;
	for (guint i = 0; i < ids->len; i++) {
		uint32_t a = g_array_index(ids, uint32_t, i);
		if (a == NO_FEATURE)
			continue;
		if (ids->len == 1)
			return feature_weight(m, doc, a);
		if (i + 1 < ids->len && g_array_index(ids, uint32_t, i + 1) != NO_FEATURE) {
			double w = feature_weight(m, doc, pair_get(m, a, g_array_index(ids, uint32_t, i + 1), false));
			best = MAX(best, w);
		}
	}
	if (best > 0)
		return best;
	for (guint i = 0; i < ids->len; i++)
		best = MAX(best, feature_weight(m, doc, g_array_index(ids, uint32_t, i)));
	return best;
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
