/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company.c - the employer a message names, from evidence gathered across the message.
 *
 * Owns the candidates (company.h): the places (company_text.c, company_hosts.c) offer
 * names, which become candidates by their keys; then one more pass over the runs of the
 * subject and body counts how often each candidate is written and in which form.
 * Candidates whose keys are equal, or one inside the other, merge, and each scores by the
 * places that named it. The word lists are company_words.c's, the tokens
 * company_tokens.c's (company_internal.h says who does what). Every pass is linear in the
 * text it reads, which is bounded (MAX_SCAN); the pairwise merge looks at MAX_MERGE
 * candidates at most.
 */
#include "apptrack/company.h"

#include "apptrack/text.h"
#include "company_internal.h"

#include <stdbool.h>
#include <string.h>

#define MAX_SCAN ((size_t)64 << 10) /* bytes of body text read */
#define MAX_FORMS 8                 /* written forms kept of one candidate */
#define MAX_MERGE 48                /* best candidates compared pairwise for containment */
#define MENTION_WEIGHT 0.1          /* each time the body writes a candidate... */
#define MENTION_CAP 0.3             /* ...up to this much in all */
#define MAX_RUN 40                  /* a longer run of capitals is no prose: its mentions are not counted */
#define LEGAL_SLACK 16              /* characters a legal form may add to a key as written */

/* ---- places ---- */

/* What naming a company in each place is worth. One place alone reaches COMPANY_MIN_SCORE
 * only when it is one that names the employer on purpose (rule, display, subject, body,
 * a hiring system's mailbox); the sender's domain and the links must be backed by another
 * place or by mentions, since recruiters, agencies and newsletters write from their own. */
static const struct {
	const char *name;
	double weight;
} places[PLACE_COUNT] = {
	[PLACE_RULE] = { "rule", 1.5 },	      [PLACE_DISPLAY] = { "display", 1.2 },
	[PLACE_LOCAL] = { "local", 1.0 },     [PLACE_DOMAIN] = { "domain", 0.8 },
	[PLACE_SUBJECT] = { "subject", 1.2 }, [PLACE_BODY] = { "body", 1.0 },
	[PLACE_LINK] = { "link", 0.6 },
};

/* ---- keys ---- */

/* The key of a name written in words: text_company_key() of it without the words "and"
 * and "&", so that "Boll & Branch" and "Boll and Branch" agree. *ret_alt (may be NULL):
 * the key with "and" kept and "&" read as "and", when that differs, for the domain
 * "bollandbranch"; else NULL. g_free both. */
char *company_name_key(const char *name, char **ret_alt)
{
	g_autoptr(GString) without = g_string_new(NULL);
	g_autoptr(GString) with = g_string_new(NULL);
	g_auto(GStrv) words = g_strsplit_set(name, " \t", -1);

	for (size_t i = 0; words[i]; i++) {
		const char *w = words[i];
		bool amp = strcmp(w, "&") == 0 || strcmp(w, "+") == 0;
		bool and = g_ascii_strcasecmp(w, "and") == 0;
		if (!amp && !and)
			g_string_append_printf(without, "%s ", w);
		g_string_append_printf(with, "%s ", amp ? "and" : w);
	}
	char *key = text_company_key(without->str);
	if (ret_alt) {
		char *alt = text_company_key(with->str);
		if (strcmp(alt, key) == 0)
			g_clear_pointer(&alt, g_free);
		*ret_alt = alt;
	}
	return key;
}

/* Legal forms glued to a domain or mailbox name (arescorporation, millgroupinc). */
static const char *const glued_legal[] = {
	"corporation", "incorporated", "corp", "inc", "llc", "ltd", "gmbh", "plc",
};

/* The key of a name glued into one word (a domain label, a mailbox): a legal form glued
 * at its end is dropped, as text_company_key() drops it as a word. g_free. */
char *company_glued_key(const char *label)
{
	char *key = text_company_key(label);
	size_t n = strlen(key);

	for (size_t i = 0; i < G_N_ELEMENTS(glued_legal); i++) {
		size_t s = strlen(glued_legal[i]);
		if (n >= s + MIN_CONTAINED_KEY && strcmp(key + n - s, glued_legal[i]) == 0) {
			key[n - s] = '\0';
			break;
		}
	}
	return key;
}

/* ---- candidates ---- */

struct form {
	char *text;
	unsigned count; /* times written */
	unsigned order; /* when first seen */
	bool words;     /* written in words (not a domain or a mailbox) */
};

struct cand {
	char *key;
	char *alt;         /* the key with "and" for "&", or NULL */
	unsigned places;   /* 1 << enum place */
	unsigned mentions; /* runs of the body that write it */
	unsigned order;
	GPtrArray *forms; /* struct form * */
	bool merged;      /* its evidence went to another candidate */
	double score;
};


/* Frees a struct form. */
static void form_free(gpointer p)
{
	struct form *f = p;
	g_free(f->text);
	g_free(f);
}

/* Frees a struct cand and its forms. */
static void cand_free(gpointer p)
{
	struct cand *c = p;
	g_free(c->key);
	g_free(c->alt);
	g_ptr_array_unref(c->forms);
	g_free(c);
}

/* Was c written in words anywhere (not only as a domain or a mailbox)? */
static bool has_words(const struct cand *c)
{
	for (guint i = 0; i < c->forms->len; i++)
		if (((struct form *)c->forms->pdata[i])->words)
			return true;
	return false;
}

/* Counts text as a form of c (count 0: known, not yet seen written). */
static void cand_form(struct gather *g, struct cand *c, const char *text, bool words, unsigned count)
{
	for (guint i = 0; i < c->forms->len; i++) {
		struct form *f = c->forms->pdata[i];
		if (f->words == words && strcmp(f->text, text) == 0) {
			f->count += count;
			return;
		}
	}
	if (c->forms->len >= MAX_FORMS)
		return;
	struct form *f = g_new0(struct form, 1);
	f->text = g_strdup(text);
	f->count = count;
	f->order = g->order++;
	f->words = words;
	g_ptr_array_add(c->forms, f);
}

/* The candidate of key, made when new and there is room. Takes key and alt. */
static struct cand *cand_get(struct gather *g, char *key, char *alt)
{
	struct cand *c = g_hash_table_lookup(g->by_key, key);

	if (c) {
		if (!c->alt)
			c->alt = g_steal_pointer(&alt);
		g_free(key);
		g_free(alt);
		return c;
	}
	if (g->cands->len >= MAX_CANDIDATES) {
		g_free(key);
		g_free(alt);
		return NULL;
	}
	c = g_new0(struct cand, 1);
	c->key = key;
	c->alt = alt;
	c->order = g->order++;
	c->forms = g_ptr_array_new_with_free_func(form_free);
	g_ptr_array_add(g->cands, c);
	g_hash_table_insert(g->by_key, c->key, c);
	return c;
}

/* May key name the employer? tool_ok: a tool's maker (Google, Zoom, Microsoft) may be,
 * where the mail names it as the sender or the employer ("Google Staffing", "applying to
 * Google"), not where it names the tool ("Zoom", "Google Meet", a link to zoom.us). */
static bool key_allowed(const char *key, bool tool_ok)
{
	unsigned cls = company_key_class(key);

	if (strlen(key) < MIN_KEY || strspn(key, "0123456789") == strlen(key))
		return false;
	if (cls & K_EXCLUDED)
		return false;
	return tool_ok || !(cls & K_TOOL);
}

/* Adds a name written in words, found in place p (count: times to count the form;
 * tool_ok: as for key_allowed()). */
void company_add_words(struct gather *g, const char *name, enum place p, unsigned count, bool tool_ok)
{
	if (strlen(name) > MAX_NAME_BYTES || g->adds >= MAX_ADDS)
		return;
	g->adds++;
	char *alt = NULL;
	char *key = company_name_key(name, &alt);

	if (!key_allowed(key, tool_ok) || (g->person_key && strcmp(key, g->person_key) == 0)) {
		g_free(key);
		g_free(alt);
		return;
	}
	struct cand *c = cand_get(g, key, alt);
	if (!c)
		return;
	c->places |= 1u << p;
	cand_form(g, c, name, true, count);
}

/* A glued name (domain label, mailbox, tenant) as it is shown: its hyphenated parts
 * capitalised, "brightwave-solar" as "Brightwave Solar". g_free. */
static char *glued_shown(const char *label)
{
	g_auto(GStrv) parts = g_strsplit_set(label, "-_.", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; parts[i]; i++) {
		if (!*parts[i])
			continue;
		if (out->len)
			g_string_append_c(out, ' ');
		g_string_append(out, parts[i]);
		out->str[out->len - strlen(parts[i])] = g_ascii_toupper(parts[i][0]);
	}
	return g_string_free(out, FALSE);
}

/* Adds a glued name (domain label, mailbox, tenant slug) found in place p. */
void company_add_glued(struct gather *g, const char *label, enum place p)
{
	g_autofree char *shown = glued_shown(label);
	char *key = company_glued_key(shown);

	if (!key_allowed(key, false)) {
		g_free(key);
		return;
	}
	/* all generic: "staffing-agency", "recruiting" */
	g_auto(GStrv) parts = g_strsplit(shown, " ", -1);
	bool core = false;
	for (size_t i = 0; parts[i] && !core; i++)
		core = !(company_word_class(parts[i], strlen(parts[i])) &
			 (W_HIRING | W_EVENT | W_STOP | W_MODIFIER | W_TITLE));
	if (!core) {
		g_free(key);
		return;
	}
	struct cand *c = cand_get(g, key, NULL);
	if (!c)
		return;
	c->places |= 1u << p;
	cand_form(g, c, shown, false, 1);
}

/* ---- mentions ---- */

/* The bit of a key's first two characters in struct gather's prefixes. */
static unsigned prefix_bit(const char *key)
{
	return ((unsigned char)key[0] * 31u + (unsigned char)key[1]) % PREFIX_BITS;
}

/* Notes the first two characters and the length of every candidate's keys, so that the
 * count of mentions tries only the words that may start one. */
static void prefixes_note(struct gather *g)
{
	memset(g->prefixes, 0, sizeof(g->prefixes));
	g->max_key = 0;
	for (guint i = 0; i < g->cands->len; i++) {
		const struct cand *c = g->cands->pdata[i];
		const char *keys[] = { c->key, c->alt };
		for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
			if (!keys[k] || strlen(keys[k]) < MIN_KEY)
				continue;
			unsigned bit = prefix_bit(keys[k]);
			g->prefixes[bit / 64] |= (guint64)1 << (bit % 64);
			g->max_key = MAX(g->max_key, strlen(keys[k]));
		}
	}
}

/* Counts, for every candidate, the runs of tokens that write it and how. Runs longer than
 * MAX_RUN (tables, lists of names, shouting) are not read. */
static void count_mentions(struct gather *g, GArray *tokens, bool body)
{
	g_autoptr(GString) key = g_string_new(NULL);
	g_autoptr(GString) alt = g_string_new(NULL);

	for (size_t i = 0; i < tokens->len;) {
		if (!name_word(TOK(tokens, i)) || connector(TOK(tokens, i))) {
			i++;
			continue;
		}
		size_t j = company_run_end(tokens, i);
		for (size_t s = i; s < j && j - i <= MAX_RUN; s++) {
			if (connector(TOK(tokens, s)))
				continue;
			g_string_truncate(key, 0);
			g_string_truncate(alt, 0);
			bool has_and = false;
			struct cand *hit = NULL;
			size_t hit_end = 0, plain = 0;
			for (size_t e = s; e < j && e < s + MAX_NAME_WORDS; e++) {
				const struct token *t = TOK(tokens, e);
				if (connector(t) && (t->flags & TK_SYMBOL || tok_is(t, "and"))) {
					g_string_append(alt, "and");
					has_and = true;
					continue;
				}
				/* "ARES Corporation" writes the key ares, as text_company_key() drops
				 * the legal form */
				bool legal = e > s && (t->cls & W_LEGAL);
				company_key_append(key, t);
				company_key_append(alt, t);
				if (!legal)
					plain = key->len;
				if (key->len > g->max_key + LEGAL_SLACK)
					break;
				if (key->len >= MIN_KEY && e == s) {
					unsigned bit = prefix_bit(key->str);
					if (!(g->prefixes[bit / 64] & ((guint64)1 << (bit % 64))))
						break;
				}
				struct cand *c = NULL;
				if (legal) {
					g_autofree char *base = g_strndup(key->str, plain);
					c = g_hash_table_lookup(g->by_key, base);
				} else if (key->len >= MIN_KEY) {
					c = g_hash_table_lookup(g->by_key, key->str);
				}
				if (!c && has_and)
					c = g_hash_table_lookup(g->by_key, alt->str);
				if (c) {
					hit = c;
					hit_end = e + 1;
				}
			}
			/* the longest name written from here is the one written */
			if (!hit)
				continue;
			if (body)
				hit->mentions++;
			g_autofree char *text = company_span_text(tokens, s, hit_end);
			cand_form(g, hit, text, true, 1);
			s = hit_end - 1;
		}
		i = j;
	}
}

/* ---- merging and scoring ---- */

/* The form c is shown in: the one written most often, words before domains. */
static const struct form *best_form(const struct cand *c)
{
	const struct form *best = NULL;

	for (guint i = 0; i < c->forms->len; i++) {
		const struct form *f = c->forms->pdata[i];
		if (!best || (f->words && !best->words) ||
		    (f->words == best->words &&
		     (f->count > best->count || (f->count == best->count && f->order < best->order))))
			best = f;
	}
	return best;
}

/* The sum of the weights of the places that named c, and a little for each mention. */
static double cand_score(const struct cand *c)
{
	double score = 0;

	for (int p = 0; p < PLACE_COUNT; p++)
		if (c->places & (1u << p))
			score += places[p].weight;
	return score + MIN(MENTION_CAP, MENTION_WEIGHT * c->mentions);
}

/* Moves the evidence of from into into. */
static void merge_into(struct gather *g, struct cand *into, struct cand *from)
{
	into->places |= from->places;
	into->mentions += from->mentions;
	for (guint i = 0; i < from->forms->len; i++) {
		const struct form *f = from->forms->pdata[i];
		/* the fuller name's own forms are the ones to show; a domain's form is kept
		 * only while into has no words */
		if (!f->words || !has_words(into))
			cand_form(g, into, f->text, f->words, f->count);
	}
	from->merged = true;
	into->score = cand_score(into);
}

/* Is key a in the words of b's best written form, in order, with words left over
 * ("core" in "Talent Core Corporation", "tern" in "Tern Robotics")? */
static bool key_in_words(const char *a, const struct cand *b)
{
	const struct form *f = best_form(b);
	if (!f || !f->words)
		return false;
	g_auto(GStrv) words = g_strsplit_set(f->text, " ,", -1);
	size_t pos = 0, len = strlen(a), used = 0, total = 0;
	for (size_t i = 0; words[i]; i++) {
		g_autofree char *k = text_company_key(words[i]);
		if (!*k)
			continue;
		total++;
		size_t n = strlen(k);
		if (pos < len && strncmp(a + pos, k, n) == 0 && pos + n <= len) {
			pos += n;
			used++;
		}
	}
	return pos == len && used < total;
}

/* Are the characters of a in b, in order (a cheap test before key_in_words())? */
static bool chars_in_order(const char *a, const char *b)
{
	for (; *a && *b; b++)
		if (*a == *b)
			a++;
	return *a == '\0';
}

/* Highest score first, then first seen. */
static gint by_score(gconstpointer pa, gconstpointer pb)
{
	const struct cand *a = *(struct cand *const *)pa, *b = *(struct cand *const *)pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Merges candidates that are one employer: equal keys but for "and" ("Boll & Branch",
 * bollandbranch); a shorter name inside a fuller one the mail writes ("Core
 * Corporation" in "Talent Core Corporation", the domain "tern" in "Tern Robotics"); a
 * domain that extends a written name (ecstech of "ECS"). */
static void merge(struct gather *g)
{
	g_autoptr(GPtrArray) top = g_ptr_array_new();

	for (guint i = 0; i < g->cands->len; i++) {
		struct cand *c = g->cands->pdata[i];
		c->score = cand_score(c);
		g_ptr_array_add(top, c);
	}
	g_ptr_array_sort(top, by_score);
	if (top->len > MAX_MERGE)
		g_ptr_array_set_size(top, MAX_MERGE);

	for (guint i = 0; i < top->len; i++) {
		struct cand *a = top->pdata[i];
		for (guint k = 0; k < top->len && !a->merged; k++) {
			struct cand *b = top->pdata[k];
			if (a == b || b->merged)
				continue;
			if ((a->alt && strcmp(a->alt, b->key) == 0) ||
			    (b->alt && strcmp(b->alt, a->key) == 0)) {
				if (has_words(a) && !has_words(b))
					merge_into(g, a, b);
				else
					merge_into(g, b, a);
			}
		}
	}
	/* containment: each name into the best fuller name that holds it, or a domain that
	 * extends a written name into that name */
	for (guint i = 0; i < top->len; i++) {
		struct cand *a = top->pdata[i];
		if (a->merged || strlen(a->key) < MIN_CONTAINED_KEY)
			continue;
		struct cand *into = NULL;
		for (guint k = 0; k < top->len; k++) {
			struct cand *b = top->pdata[k];
			if (b == a || b->merged || strlen(b->key) <= strlen(a->key))
				continue;
			bool written_b = has_words(b), written_a = has_words(a);
			size_t la = strlen(a->key), lb = strlen(b->key);
			if (written_b && chars_in_order(a->key, b->key) && key_in_words(a->key, b)) {
				if (!into || b->score > into->score)
					into = b;
			} else if (!written_b && written_a &&
				   (strncmp(b->key, a->key, la) == 0 ||
				    strcmp(b->key + lb - la, a->key) == 0)) {
				/* the domain ecstech for the written ECS: a's name, b's evidence */
				merge_into(g, a, b);
			}
		}
		if (into)
			merge_into(g, into, a);
	}
}

/* ---- API ---- */

/* Best first: by score, then by the number of places that named it (a stable sort keeps
 * the order in which the places were read for the rest). */
static gint by_candidate(gconstpointer pa, gconstpointer pb)
{
	const struct company_candidate *a = *(struct company_candidate *const *)pa;
	const struct company_candidate *b = *(struct company_candidate *const *)pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	size_t na = 0, nb = 0;
	for (const char *c = a->from; *c; c++)
		na += *c == ',';
	for (const char *c = b->from; *c; c++)
		nb += *c == ',';
	return na > nb ? -1 : na < nb;
}

/* Frees a struct company_candidate. */
static void candidate_free(gpointer p)
{
	struct company_candidate *c = p;
	g_free(c->name);
	g_free(c->from);
	g_free(c);
}

/* The display form of c: its best form, a glued one capitalised. g_free. */
static char *shown_name(const struct cand *c)
{
	const struct form *f = best_form(c);
	return g_strdup(f ? f->text : c->key);
}

GPtrArray *company_candidates(const struct mime_message *m, const char *const *rule_captures)
{
	struct gather g = { .by_key = g_hash_table_new(g_str_hash, g_str_equal),
			    .cands = g_ptr_array_new_with_free_func(cand_free) };
	GPtrArray *out = g_ptr_array_new_with_free_func(candidate_free);

	company_lists_ready();
	company_from_sender(&g, m->from_address);
	company_from_label(&g, m->from_name, PLACE_DISPLAY);
	for (size_t i = 0; rule_captures && rule_captures[i]; i++)
		company_from_label(&g, rule_captures[i], PLACE_RULE);

	const char *subject = m->subject ? company_subject_rest(m->subject) : "";
	g_autoptr(GArray) subject_tokens = company_tokenize(subject, strlen(subject), false);
	company_from_subject_tag(&g, subject);
	company_from_runs(&g, subject_tokens, PLACE_SUBJECT);

	const char *text = m->text ? m->text : "";
	size_t len = strlen(text);
	if (len > MAX_SCAN) {
		len = MAX_SCAN;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	g_autoptr(GArray) body_tokens = company_tokenize(text, len, false);
	company_from_runs(&g, body_tokens, PLACE_BODY);
	company_from_signatures(&g, text, len);
	company_from_links(&g, m->links);

	prefixes_note(&g);
	count_mentions(&g, subject_tokens, false);
	count_mentions(&g, body_tokens, true);
	merge(&g);

	for (guint i = 0; i < g.cands->len; i++) {
		struct cand *c = g.cands->pdata[i];
		if (c->merged)
			continue;
		struct company_candidate *cc = g_new0(struct company_candidate, 1);
		GString *from = g_string_new(NULL);
		for (int p = 0; p < PLACE_COUNT; p++)
			if (c->places & (1u << p))
				g_string_append_printf(from, "%s%s", from->len ? "," : "", places[p].name);
		cc->name = shown_name(c);
		cc->score = cand_score(c);
		cc->from = g_string_free(from, FALSE);
		g_ptr_array_add(out, cc);
	}
	g_ptr_array_sort(out, by_candidate);

	g_hash_table_destroy(g.by_key);
	g_ptr_array_unref(g.cands);
	g_free(g.local);
	g_free(g.domain_key);
	g_free(g.tenant_key);
	g_free(g.person_key);
	return out;
}

const char *company_best(GPtrArray *candidates)
{
	if (!candidates || candidates->len == 0)
		return NULL;
	const struct company_candidate *c = candidates->pdata[0];
	return c->score >= COMPANY_MIN_SCORE ? c->name : NULL;
}
