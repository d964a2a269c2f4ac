/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company_internal.h - what the files of the company reader share (company.h is the API).
 *
 * The reader is cut along its passes: company_words.c holds the word lists, the tables
 * built from them and the trigger phrases; company_tokens.c cuts text into tokens and
 * reads names out of runs of capitalised words; company_text.c and company_hosts.c are
 * the places that offer names (the words of the display name, captures, subject, body and
 * signatures; the sender's address and the links); company.c gathers the candidates the
 * places offer, counts their mentions, merges and scores them. Nothing here is for other
 * files of the core.
 */
#ifndef APPTRACK_COMPANY_INTERNAL_H
#define APPTRACK_COMPANY_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <string.h>

#define MAX_CANDIDATES 200          /* candidates kept; later names are dropped */
#define MAX_ADDS MAX_CANDIDATES     /* names offered by the places; later ones are not read */
#define MAX_NAME_WORDS 6            /* a longer run is a sentence, not a name */
#define MAX_NAME_BYTES 80
#define MAX_WORD 48           /* bytes of a word looked up in the lists: longer ones are in none */
#define MIN_KEY 2             /* a shorter key names nothing */
#define MIN_CONTAINED_KEY 3   /* a shorter key is not looked for inside another */
#define MAX_TRIGGER 3         /* words of a trigger phrase */
#define PREFIX_BITS 4096      /* size of the filter of keys' first two characters */

/* The places that name an employer (their weights are in company.c). */
enum place {
	PLACE_RULE,
	PLACE_DISPLAY,
	PLACE_LOCAL,
	PLACE_DOMAIN,
	PLACE_SUBJECT,
	PLACE_BODY,
	PLACE_LINK,
	PLACE_COUNT
};

/* Word classes, looked up lower-cased. */
enum {
	W_STOP = 1 << 0,      /* never in a name: breaks a run */
	W_EVENT = 1 << 1,     /* what a mail is about ("Application Update"): ends a name, never starts one */
	W_HIRING = 1 << 2,    /* who sends it ("Recruiting", "Talent"): ends a name, may start one */
	W_TITLE = 1 << 3,     /* a job title: a run holding one is a position, not a company */
	W_MODIFIER = 1 << 4,  /* words of titles and departments: a name of these only is none */
	W_CONNECTOR = 1 << 5, /* joins two capitalised words into one name */
	W_ORG = 1 << 6,       /* words of organisations: never in a person's name */
	W_GIVEN = 1 << 7,     /* a common given name */
	W_LEAD = 1 << 8,      /* dropped at the start of a name: "The", "Team Amentum" */
	W_LEGAL = 1 << 9,     /* a legal form: the run before it is a company */
	W_TRIGGER = 1 << 10,  /* the last word of a phrase in before_body or before_subject */
};

/* Key classes: what a folded name or domain label is, when it is not an employer. */
enum {
	K_EXCLUDED = 1 << 0, /* never the employer: hiring systems, job boards, tools' products */
	K_TOOL = 1 << 1,     /* an employer only where the sender names itself (display, subject, rule) */
	K_MAILHOST = 1 << 2, /* a mail provider or sending service: its domain names no employer */
	K_HIRING_SYSTEM = 1 << 3, /* its mailboxes' local parts and its sub-domains name the employer */
	K_NO_LINK = 1 << 4,       /* a link there names no employer: social, shorteners, tracking, CDNs */
	K_PATH_TENANT = 1 << 5,   /* its links name the employer in the first path segment */
	K_INFRA = 1 << 6,         /* a host label of infrastructure (www, mail, us, wd5): skipped */
	K_SUB_TENANT = 1 << 7,    /* its links name the employer in a sub-domain (acme.icims.com) */
	K_JOB_BOARD = 1 << 8,     /* a job board (company_host_kind()) */
	K_ASSESSMENT = 1 << 9,    /* a site of coding tests and assessments (company_host_kind()) */
};

/* What is gathered of one message: the candidates, and what the places learnt of the sender. */
struct gather {
	GHashTable *by_key; /* key -> struct cand *, borrowed from cands */
	GPtrArray *cands;
	unsigned order;
	char *local;          /* the sender's local part before any '+', or NULL */
	char *domain_key;     /* the key of the sender's registrable domain label, or NULL */
	char *tenant_key;     /* the key a hiring system's address names (local or sub-domain), or NULL */
	bool sender_personal; /* the sender's local part may be a person's (not a hiring system's) */
	char *person_key;     /* the key of the display name when it is a person's, or NULL */
	guint64 prefixes[PREFIX_BITS / 64]; /* first two characters of the keys (prefix_bit) */
	size_t max_key;                     /* the length of the longest key */
	unsigned adds;                      /* names offered by the places, at most MAX_ADDS */
};

/* Token flags. */
enum {
	TK_CAP = 1 << 0,    /* may be part of a name: capitalised, or with a capital inside */
	TK_SYMBOL = 1 << 1, /* "&" or "+" */
	TK_BREAK = 1 << 2,  /* punctuation, or a line end that ends a sentence, comes before it */
	TK_WORD = 1 << 3,   /* letters or digits */
};

/* A word or a symbol of a text (company_tokenize()). */
struct token {
	const char *s;
	unsigned len;
	unsigned flags;
	unsigned cls; /* W_* */
};

#define TOK(a, i) (&g_array_index((a), struct token, (i)))

/* Is t the word (any case)? */
static inline bool tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && g_ascii_strncasecmp(t->s, word, t->len) == 0;
}

/* May t be a word of a name? */
static inline bool name_word(const struct token *t)
{
	return (t->flags & TK_CAP) && !(t->cls & W_STOP);
}

/* Is t "&", "+", or a word that joins two words of a name ("and", "of")? */
static inline bool connector(const struct token *t)
{
	return (t->flags & TK_SYMBOL) || (t->cls & W_CONNECTOR);
}

/* Why a name ended before the end of its run. */
enum cut { CUT_NONE, CUT_HIRING, CUT_EVENT, CUT_TITLE };

enum { TRIG_PERSON = 1 << 0 /* a person may be named there: test for one */ };

/* A trigger phrase cut into its words, once. */
struct phrase {
	const char *words[MAX_TRIGGER];
	size_t lens[MAX_TRIGGER];
	size_t n;
	unsigned flags;
};

/* ---- company_words.c ---- */

/* Builds the word tables and the phrases once, for all threads: before any lookup. */
void company_lists_ready(void);
/* The W_* classes of the len bytes at w (any case). */
unsigned company_word_class(const char *w, size_t len);
/* The K_* classes of a key or a lower-case host label. */
unsigned company_key_class(const char *key);
/* The trigger phrase (of a subject's, or a body's) that ends just before token i, or NULL. */
const struct phrase *company_phrase_before(GArray *tokens, size_t i, bool subject);
/* Does a phrase that makes a name the employer start at token j ("is an equal ...")? */
bool company_phrase_after(GArray *tokens, size_t j);

/* ---- company_tokens.c ---- */

/* Is the character at p (valid UTF-8) an upper-case letter? */
bool company_is_upper_at(const char *p);
/* The tokens (struct token) of len bytes of text; all_names: any word may be a name's. */
GArray *company_tokenize(const char *text, size_t len, bool all_names);
/* Past the run of name words that starts at i. */
size_t company_run_end(GArray *tokens, size_t i);
/* The name in the run [i, j), and what cut it; false when the run holds none. */
bool company_name_from_run(GArray *tokens, size_t i, size_t j, size_t *ret_start, size_t *ret_end,
			   enum cut *ret_cut);
/* The text of tokens [s, e) as written, white space collapsed. g_free. */
char *company_span_text(GArray *tokens, size_t s, size_t e);
/* Appends the key characters of token t to key. */
void company_key_append(GString *key, const struct token *t);
/* Is the whole run [i, j) a hiring system, job board or tool? */
bool company_run_excluded(GArray *tokens, size_t i, size_t j);

/* ---- company.c: keys and candidates ---- */

/* The key of a name written in words; *ret_alt (may be NULL) the key with "and". g_free. */
char *company_name_key(const char *name, char **ret_alt);
/* The key of a name glued into one word (a domain label, a mailbox). g_free. */
char *company_glued_key(const char *label);
/* Offers a name written in words, found in place p. */
void company_add_words(struct gather *g, const char *name, enum place p, unsigned count, bool tool_ok);
/* Offers a glued name (domain label, mailbox, tenant slug), found in place p. */
void company_add_glued(struct gather *g, const char *label, enum place p);

/* ---- company_text.c: the places written in words ---- */

/* A display name (PLACE_DISPLAY) or a rule's capture (PLACE_RULE). */
void company_from_label(struct gather *g, const char *label, enum place p);
/* The subject without "Re:", "Fwd:" and "[EXTERNAL]" in front. Borrowed from subject. */
const char *company_subject_rest(const char *subject);
/* A subject's "[Acme] Your application". */
void company_from_subject_tag(struct gather *g, const char *subject);
/* The runs of a subject's or body's tokens (p: PLACE_SUBJECT or PLACE_BODY). */
void company_from_runs(struct gather *g, GArray *tokens, enum place p);
/* The signatures after closings in len bytes of a body. */
void company_from_signatures(struct gather *g, const char *text, size_t len);

/* ---- company_hosts.c: the sender's address and the links ---- */

/* The sender's address; sets what the other places need to know of the sender. */
void company_from_sender(struct gather *g, const char *address);
/* The links' registrable domains and hiring systems' tenants. */
void company_from_links(struct gather *g, char *const *links);

#endif
