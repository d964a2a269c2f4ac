/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keywords_vocab.c - the vocabulary of the keywords (skills.inc) as tables of word ids,
 * and the word stream of a text: each word lower-cased once and given its ids
 * (keywords_internal.h; the keywords themselves are keywords.c's).
 *
 * Two dictionaries give ids to the words the vocabulary's alternatives use, one for the
 * folded (lower-cased) spellings and one for the exact ones ("=Go"); a phrase of up to
 * KW_MAX_PHRASE words is then a key of ids in one open-addressing table per kind. A text
 * word is looked up as a whole in each dictionary (hashed as it is lower-cased), so a
 * candidate phrase costs a hash of a few integers, and a word no phrase uses stops the
 * search at once. Equal to joining the words with spaces and looking the string up, as
 * the code before did (tests/unit/keywords_before.inc): the words of a text never hold a
 * space, and lower-casing a word alone gives what it gives inside the joined string.
 */
#include "keywords_internal.h"

#include "skills.inc"

#define KW_TABLE_MIN 1024   /* first size of the vocabulary's tables */
#define KW_SCRATCH_BYTES (256 * 1024) /* a thread keeps its word buffers for texts up to this size */
#define KW_SCRATCH_WORDS 8192         /* and this many words */

/* ---- the vocabulary ---- */

static inline uint32_t word_find_hashed(const struct word_dict *d, const char *p, size_t len, uint32_t h)
{
	for (size_t i = h & d->mask;; i = (i + 1) & d->mask) {
		const struct word_slot *s = &d->slots[i];
		if (!s->s)
			return KW_NONE;
		if (s->hash == h && s->len == len && memcmp(s->s, p, len) == 0)
			return s->id;
	}
}

static inline uint32_t word_find(const struct word_dict *d, const char *p, size_t len)
{
	return word_find_hashed(d, p, len, bytes_hash(p, len));
}

static void word_insert(struct word_dict *d, struct word_slot x)
{
	size_t i = x.hash & d->mask;

	while (d->slots[i].s)
		i = (i + 1) & d->mask;
	d->slots[i] = x;
}

/* The id of word s, a new one (with a copy of s) if it has none. */
static uint32_t word_add(struct word_dict *d, const char *s)
{
	size_t len = strlen(s);
	uint32_t id = d->slots ? word_find(d, s, len) : KW_NONE;

	if (id != KW_NONE)
		return id;
	if ((size_t)d->n * 2 >= (d->slots ? d->mask + 1 : 0)) {
		struct word_dict old = *d;
		size_t size = d->slots ? (d->mask + 1) * 2 : KW_TABLE_MIN;
		d->slots = g_new0(struct word_slot, size);
		d->mask = size - 1;
		for (size_t i = 0; old.slots && i <= old.mask; i++)
			if (old.slots[i].s)
				word_insert(d, old.slots[i]);
		g_free(old.slots);
	}
	word_insert(d, (struct word_slot){ g_strdup(s), (uint32_t)len, bytes_hash(s, len), d->n });
	return d->n++;
}

static void phrase_insert(struct phrase_table *t, const struct phrase_slot *x)
{
	size_t i = x->hash & t->mask;

	while (t->slots[i].entry)
		i = (i + 1) & t->mask;
	t->slots[i] = *x;
}

/* Maps phrase ids[0..n) to entry; replace: whether a later entry wins (it does for the
 * exact spellings, the first one does for the folded ones, as the string tables did). */
static void phrase_add(struct phrase_table *t, const uint32_t *ids, size_t n, uint32_t entry, bool replace)
{
	struct phrase_slot x = { .hash = ids_hash(ids, n), .entry = entry, .n = (uint8_t)n };

	memcpy(x.ids, ids, n * sizeof *ids);
	if (t->slots) {
		for (size_t i = x.hash & t->mask; t->slots[i].entry; i = (i + 1) & t->mask) {
			struct phrase_slot *s = &t->slots[i];
			if (s->hash == x.hash && s->n == n && memcmp(s->ids, ids, n * sizeof *ids) == 0) {
				if (replace)
					s->entry = entry;
				return;
			}
		}
	}
	if (t->n * 2 >= (t->slots ? t->mask + 1 : 0)) {
		struct phrase_table old = *t;
		size_t size = t->slots ? (t->mask + 1) * 2 : KW_TABLE_MIN;
		t->slots = g_new0(struct phrase_slot, size);
		t->mask = size - 1;
		for (size_t i = 0; old.slots && i <= old.mask; i++)
			if (old.slots[i].entry)
				phrase_insert(t, &old.slots[i]);
		g_free(old.slots);
	}
	phrase_insert(t, &x);
	t->n++;
}

/* Enters one alternative (lower-cased already when folded): its words, then the phrase.
 * One that no text can give (more than KW_MAX_PHRASE words, an empty word) is left out. */
static void vocab_add(struct vocab *v, char *alt, bool exact, size_t entry)
{
	char **words = g_strsplit(alt, " ", -1);
	uint32_t ids[KW_MAX_PHRASE];
	size_t n = 0;
	bool usable = true;

	for (char **w = words; *w; w++) {
		if (!**w || n == KW_MAX_PHRASE) {
			usable = false;
			break;
		}
		ids[n++] = word_add(exact ? &v->exact_words : &v->folded_words, *w);
	}
	if (usable && n)
		phrase_add(exact ? &v->exact : &v->folded, ids, n, (uint32_t)entry + 1, exact);
	g_strfreev(words);
	g_free(alt);
}

const struct vocab *keywords_vocab(void)
{
	static gsize once;
	static struct vocab v;

	if (g_once_init_enter(&once)) {
		v.not_acronyms = g_hash_table_new(g_str_hash, g_str_equal);
		v.not_words = g_hash_table_new(g_str_hash, g_str_equal);
		for (v.n = 0; skills_vocabulary[v.n]; v.n++)
			;
		v.canonical = g_new0(char *, v.n + 1);
		v.canonical_key = g_new0(char *, v.n + 1);
		v.canonical_hash = g_new0(uint32_t, v.n + 1);
		for (size_t i = 0; i < v.n; i++) {
			char **alts = g_strsplit(skills_vocabulary[i], "|", -1);
			for (char **a = alts; *a; a++) {
				bool exact = **a == '=';
				const char *text = *a + (exact ? 1 : 0);
				if (a == alts) {
					v.canonical[i] = g_strdup(text);
					v.canonical_key[i] = g_utf8_strdown(text, -1);
					v.canonical_hash[i] = bytes_hash(v.canonical_key[i], strlen(v.canonical_key[i]));
				}
				vocab_add(&v, exact ? g_strdup(text) : g_utf8_strdown(text, -1), exact, i);
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

/* ---- the words of a text ---- */

/* ASCII letters and digits: g_unichar_isalnum() below 0x80. */
static const bool ascii_alnum[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
	['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static inline bool word_char(gunichar c)
{
	return c < 0x80 ? ascii_alnum[c] : g_unichar_isalnum(c);
}

/* ASCII that opens a sentence, a line or a bullet ("." and "-" have more to them). */
static const bool ascii_opens[128] = {
	['\n'] = 1, ['!'] = 1, ['?'] = 1, [':'] = 1, [';'] = 1, ['*'] = 1, ['|'] = 1, ['>'] = 1,
};

/* g_unichar_isspace(): ASCII " \t\n\r\f" (not "\v"), then Unicode's separators. */
static inline bool space_char(gunichar c)
{
	return c < 0x80 ? c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' : g_unichar_isspace(c);
}

/* Whether p opens the text or follows white space. */
static inline bool after_space(const char *text, const char *p)
{
	if (p == text)
		return true;
	if ((unsigned char)p[-1] < 0x80)
		return space_char((unsigned char)p[-1]);
	return g_unichar_isspace(g_utf8_get_char(g_utf8_find_prev_char(text, p)));
}

static void words_free(gpointer p)
{
	struct words *t = p;

	g_array_unref(t->w);
	g_string_free(t->lower, TRUE);
	g_free(t->fid);
	g_free(t->eid);
	g_free(t);
}

static GPrivate words_kept = G_PRIVATE_INIT(words_free);

/* Enters word x of text: its lower case (g_utf8_strdown() of the word read as its own
 * string, NUL-terminated in t->lower) and its ids, hashed as it is lower-cased. */
static void word_enter(const struct vocab *v, struct words *t, struct word *x, size_t n)
{
	GString *l = t->lower;
	uint32_t he = 2166136261u, hf = 2166136261u; /* bytes_hash() of both spellings */
	const char *low;
	size_t low_len;

	x->low = l->len;
	if (x->ascii) {
		if (l->len + x->len + 1 > l->allocated_len) {
			g_string_set_size(l, l->len + x->len + 1);
			l->len = x->low;
		}
		char *o = l->str + l->len;
		for (size_t i = 0; i < x->len; i++) {
			unsigned char c = (unsigned char)x->p[i];
			unsigned char lc = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
			he = (he ^ c) * 16777619u;
			hf = (hf ^ lc) * 16777619u;
			o[i] = (char)lc;
		}
		o[x->len] = 0;
		l->len += x->len + 1;
		low = o;
		low_len = x->len;
	} else {
		char copy[KW_WORD_MAX + 1]; /* NUL-terminated: lower-cased out of its context */
		memcpy(copy, x->p, x->len);
		copy[x->len] = 0;
		g_autofree char *lc = g_utf8_strdown(copy, -1);
		low_len = strlen(lc);
		g_string_append_len(l, lc, (gssize)low_len + 1);
		low = l->str + x->low;
		he = bytes_hash(x->p, x->len);
		hf = bytes_hash(low, low_len);
	}
	if (t->ids_size <= n) {
		t->ids_size = MAX(n + 1, 2 * t->ids_size);
		t->fid = g_renew(uint32_t, t->fid, t->ids_size);
		t->eid = g_renew(uint32_t, t->eid, t->ids_size);
	}
	t->fid[n] = word_find_hashed(&v->folded_words, low, low_len, hf);
	t->eid[n] = word_find_hashed(&v->exact_words, x->p, x->len, he);
}

/* The words of text: runs of letters and digits, joined by "." "-" "/" "_" "'" between
 * two of them ("node.js", "ci/cd", "objective-c"), ending with any "+" or "#" ("C++",
 * "C#"), a "." before a letter kept at the start (".NET"); each lower-cased and given its
 * ids. Give back with keywords_words_done(). */
struct words *keywords_words(const char *text)
{
	const struct vocab *v = keywords_vocab();
	const char *p = text;
	bool opens = true;
	g_autofree char *turkic = g_utf8_strdown("I", -1);
	struct words *t = g_private_get(&words_kept);

	if (t) {
		g_private_set(&words_kept, NULL);
		g_array_set_size(t->w, 0);
		g_string_truncate(t->lower, 0);
	} else {
		t = g_new0(struct words, 1);
		t->w = g_array_sized_new(FALSE, FALSE, sizeof(struct word), 512);
		t->lower = g_string_sized_new(4096);
	}
	t->ascii_lowers = strcmp(turkic, "i") == 0;
	size_t n = 0, cap = t->w->len;
	g_array_set_size(t->w, cap = MAX(cap, 256));
	while (*p) {
		unsigned char b = (unsigned char)*p;
		if (b < 0x80 && !ascii_alnum[b] && b != '.') { /* the common separators, as below */
			if (ascii_opens[b] || (b == '-' && after_space(text, p)))
				opens = true;
			p++;
			continue;
		}
		gunichar c = char_at(p);
		const char *start = p;
		if (c == '.' && word_char(char_at(p + 1)) && after_space(text, p)) {
			p++; /* ".NET" */
		} else if (!word_char(c)) {
			if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '*' || c == '|' ||
			    c == '>' || c == 0x2022 || c == 0x2013 || c == 0x2014 || c == 0x25AA || c == 0x25CF || c == 0x2023 ||
			    (c == '-' && after_space(text, p)))
				opens = true;
			p = g_utf8_next_char(p);
			continue;
		}
		bool ascii = t->ascii_lowers, joined = false;
		while (*p) {
			if ((unsigned char)*p < 0x80 && ascii_alnum[(unsigned char)*p]) {
				p++;
				continue;
			}
			gunichar d = char_at(p);
			if (word_char(d)) {
				ascii = false;
				p = g_utf8_next_char(p);
				continue;
			}
			if ((d == '.' || d == '-' || d == '/' || d == '_' || d == '\'') && word_char(char_at(p + 1))) {
				joined = joined || d == '-' || d == '/';
				p++;
				continue;
			}
			break;
		}
		while (*p == '+' || *p == '#')
			p++;
		struct word x = { start, (size_t)(p - start), 0, opens, ascii, joined };
		if (x.len <= KW_WORD_MAX) {
			if (n == cap)
				g_array_set_size(t->w, cap *= 2);
			word_enter(v, t, &x, n);
			g_array_index(t->w, struct word, n++) = x;
		}
		opens = false;
	}
	g_array_set_size(t->w, n);
	return t;
}

/* Keeps t's buffers for the thread's next text, unless they grew too large. */
void keywords_words_done(struct words *t)
{
	if (t->lower->allocated_len > KW_SCRATCH_BYTES || t->ids_size > KW_SCRATCH_WORDS || g_private_get(&words_kept))
		words_free(t);
	else
		g_private_set(&words_kept, t);
}

/* Vocabulary entry + 1 of the part p[0..len) of word x (at offset off in it), 0 if none. */
size_t keywords_vocab_part(const struct vocab *v, const struct words *t, const struct word *x, size_t off, size_t len)
{
	uint32_t id = word_find(&v->exact_words, x->p + off, len);
	size_t hit = id == KW_NONE ? 0 : phrase_find(&v->exact, &id, 1);

	if (hit)
		return hit;
	if (x->ascii) {
		id = word_find(&v->folded_words, t->lower->str + x->low + off, len);
	} else {
		char copy[KW_WORD_MAX + 1];
		memcpy(copy, x->p + off, len);
		copy[len] = 0;
		g_autofree char *low = g_utf8_strdown(copy, -1);
		id = word_find(&v->folded_words, low, strlen(low));
	}
	return id == KW_NONE ? 0 : phrase_find(&v->folded, &id, 1);
}
