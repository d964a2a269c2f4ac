/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company_tokens.c - text cut into tokens, and names read out of runs of them, for the
 * company reader (company_internal.h).
 *
 * Text is cut into tokens once per place; a run is a stretch of capitalised words (with
 * "&", "and", "of" between them) on one line and without punctuation inside. A name is
 * read out of a run by company_name_from_run(): hiring words ("Recruiting", "Talent
 * Acquisition") and event words ("Application Update") end it, a job title voids it.
 */
#include "company_internal.h"

#include <stdbool.h>
#include <string.h>

#define WRAP_MIN 60 /* a line at least this long was wrapped: a run may go on after it */

/* ---- tokens ---- */

/* Is the character at p a letter or digit? *ret_len: its length in bytes. */
static bool is_alnum_at(const char *p, const char *end, size_t *ret_len)
{
	unsigned char c = (unsigned char)*p;

	if (c < 0x80) {
		*ret_len = 1;
		return g_ascii_isalnum(c);
	}
	gunichar u = g_utf8_get_char_validated(p, end - p);
	if (u == (gunichar)-1 || u == (gunichar)-2) {
		*ret_len = 1;
		return false;
	}
	*ret_len = (size_t)(g_utf8_next_char(p) - p);
	return g_unichar_isalnum(u) || g_unichar_ismark(u);
}

/* Is the character at p (valid UTF-8) an upper-case letter? */
bool company_is_upper_at(const char *p)
{
	unsigned char c = (unsigned char)*p;
	return c < 0x80 ? g_ascii_isupper(c) : g_unichar_isupper(g_utf8_get_char(p));
}

/* Does a word joiner ('.', '\'', '’', '-') at p continue the word (a letter or digit
 * after it)? *ret_len: the joiner's length. */
static bool joins_at(const char *p, const char *end, size_t *ret_len)
{
	size_t n, m;

	if (*p == '.' || *p == '\'' || *p == '-')
		n = 1;
	else if (end - p >= 3 && memcmp(p, "\u2019", 3) == 0)
		n = 3;
	else
		return false;
	*ret_len = n;
	return p + n < end && is_alnum_at(p + n, end, &m);
}

/* The length of the Unicode space (no-break space and the like) at p, or 0. */
static size_t unicode_space_at(const char *p, const char *end)
{
	if ((unsigned char)*p < 0x80)
		return 0;
	gunichar u = g_utf8_get_char_validated(p, end - p);
	if (u == (gunichar)-1 || u == (gunichar)-2 || !g_unichar_isspace(u))
		return 0;
	return (size_t)(g_utf8_next_char(p) - p);
}

/* Is the last token an initialism: single letters with dots between ("U.S", "J")? */
static bool initialism(GArray *tokens)
{
	if (tokens->len == 0)
		return false;
	const struct token *t = &g_array_index(tokens, struct token, tokens->len - 1);
	for (unsigned k = 0; k < t->len; k++)
		if ((k % 2 == 0 && !g_ascii_isupper(t->s[k])) || (k % 2 == 1 && t->s[k] != '.'))
			return false;
	return t->len % 2 == 1;
}

/* Is the word [s, end) a compound adjective, a capitalised word and a lower-case one
 * ("NYC-based", "VC-backed"), unlike a name's parts ("Coca-Cola")? */
static bool adjective_compound(const char *s, const char *end)
{
	const char *dash = NULL;
	for (const char *p = s; p < end; p++)
		if (*p == '-')
			dash = p;
	if (!dash || dash == s || dash + 1 >= end)
		return false;
	for (const char *p = dash + 1; p < end; p++)
		if (!g_ascii_islower(*p))
			return false;
	return true;
}

/* The tokens of len bytes of text. all_names: every word may be part of a name (display
 * names and captures, often lower-case). A line break ends a sentence unless the line
 * was long enough to have been wrapped. */
GArray *company_tokenize(const char *text, size_t len, bool all_names)
{
	GArray *tokens = g_array_sized_new(FALSE, FALSE, sizeof(struct token), (guint)(len / 6 + 1));
	const char *p = text, *end = text + len, *line = text;
	bool brk = false;

	while (p < end) {
		size_t n;
		if (*p == '\n') {
			if (p - line < WRAP_MIN)
				brk = true;
			line = ++p;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || (n = unicode_space_at(p, end))) {
			p += *p == ' ' || *p == '\t' || *p == '\r' ? 1 : n;
			continue;
		}
		if (*p == '&' || *p == '+') {
			struct token t = { .s = p, .len = 1, .flags = TK_SYMBOL | (brk ? TK_BREAK : 0),
					   .cls = W_CONNECTOR };
			g_array_append_val(tokens, t);
			brk = false;
			p++;
			continue;
		}
		if (!is_alnum_at(p, end, &n)) {
			/* the dot after an initialism ("U.S. Patent", "J. Smith") ends no sentence */
			if (!(*p == '.' && initialism(tokens) && p + 1 < end && p[1] == ' '))
				brk = true;
			p += n;
			continue;
		}
		const char *s = p;
		bool upper = false, letter = false;
		while (p < end) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x80 && g_ascii_isalnum(c)) {
				/* the common case, without decoding */
				upper = upper || g_ascii_isupper(c);
				letter = letter || !g_ascii_isdigit(c);
				p++;
			} else if (c >= 0x80 && is_alnum_at(p, end, &n)) {
				upper = upper || company_is_upper_at(p);
				letter = true;
				p += n;
			} else if (joins_at(p, end, &n)) {
				p += n;
			} else {
				break;
			}
		}
		struct token t = { .s = s, .len = (unsigned)(p - s), .flags = TK_WORD | (brk ? TK_BREAK : 0) };
		if (letter && (all_names || upper) && t.len <= MAX_NAME_BYTES && !adjective_compound(s, p))
			t.flags |= TK_CAP;
		if (t.flags & TK_CAP || t.len <= 3)
			t.cls = company_word_class(t.s, t.len);
		g_array_append_val(tokens, t);
		brk = false;
	}
	return tokens;
}

/* Past the run that starts at i (a name word): name words, and connectors between two. */
size_t company_run_end(GArray *tokens, size_t i)
{
	size_t n = tokens->len, j = i + 1;

	while (j < n) {
		const struct token *t = TOK(tokens, j);
		if (t->flags & TK_BREAK)
			break;
		if (name_word(t) && !(t->cls & W_CONNECTOR)) {
			j++;
			continue;
		}
		if (connector(t) && j + 1 < n && name_word(TOK(tokens, j + 1)) &&
		    !(TOK(tokens, j + 1)->flags & TK_BREAK) && !connector(TOK(tokens, j + 1))) {
			j += 2;
			continue;
		}
		break;
	}
	return j;
}

/* The name in the run [i, j): *ret_start, *ret_end; *ret_cut says what ended it. False
 * when the run holds none: it starts with an event word, is a job title, or is all
 * hiring and department words. */
bool company_name_from_run(GArray *tokens, size_t i, size_t j, size_t *ret_start, size_t *ret_end,
			  enum cut *ret_cut)
{
	size_t s = i, e, m;
	enum cut cut = CUT_NONE;

	while (s < j && (TOK(tokens, s)->cls & W_LEAD))
		s++;
	if (s >= j || (TOK(tokens, s)->cls & (W_EVENT | W_TITLE)) || connector(TOK(tokens, s)))
		return false;
	bool core = false;
	for (m = s; m < j; m++) {
		const struct token *t = TOK(tokens, m);
		/* "Talent Acquisition of Acme", "Recruiting-Team der Muster GmbH": the name
		 * starts after the connector */
		if (!core && connector(t)) {
			s = m + 1;
			continue;
		}
		if (t->cls & W_TITLE) {
			cut = CUT_TITLE;
			break;
		}
		if (t->cls & W_EVENT) {
			cut = CUT_EVENT;
			break;
		}
		if ((t->cls & W_HIRING) && core) {
			cut = CUT_HIRING;
			break;
		}
		if (!connector(t) && !(t->cls & (W_HIRING | W_MODIFIER)))
			core = true;
	}
	if (cut == CUT_TITLE)
		return false;
	e = m;
	while (e > s && connector(TOK(tokens, e - 1)))
		e--;
	if (!core || e == s || e - s > MAX_NAME_WORDS)
		return false;
	*ret_start = s;
	*ret_end = e;
	*ret_cut = cut;
	return true;
}

/* The text of tokens [s, e) as written, white space collapsed. g_free. */
char *company_span_text(GArray *tokens, size_t s, size_t e)
{
	const struct token *a = TOK(tokens, s), *b = TOK(tokens, e - 1);
	GString *out = g_string_new(NULL);

	const char *end = b->s + b->len;
	for (const char *p = a->s; p < end;) {
		size_t n = unicode_space_at(p, end);
		if (g_ascii_isspace(*p) || n) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
			p += n ? n : 1;
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

/* Appends the key characters of token t (as text_company_key() folds them) to key. */
void company_key_append(GString *key, const struct token *t)
{
	bool ascii = true;
	for (unsigned k = 0; k < t->len && ascii; k++)
		ascii = (unsigned char)t->s[k] < 0x80;
	if (ascii) {
		for (unsigned k = 0; k < t->len; k++)
			if (g_ascii_isalnum(t->s[k]))
				g_string_append_c(key, g_ascii_tolower(t->s[k]));
		return;
	}
	g_autofree char *folded = g_utf8_casefold(t->s, t->len);
	for (const char *c = folded; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(key, *c);
}

/* Is the whole run [i, j) a hiring system, job board or tool ("Teaching Vacancies",
 * "Microsoft Teams"), whatever name is read out of it? */
bool company_run_excluded(GArray *tokens, size_t i, size_t j)
{
	g_autoptr(GString) key = g_string_new(NULL);

	for (size_t k = i; k < j && k < i + MAX_NAME_WORDS; k++)
		if (!connector(TOK(tokens, k)))
			company_key_append(key, TOK(tokens, k));
	return company_key_class(key->str) & K_EXCLUDED;
}
