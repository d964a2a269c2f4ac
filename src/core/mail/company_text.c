/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company_text.c - the places of a message written in words, where the company reader
 * (company_internal.h) looks for runs that name the employer: the display name and the
 * rules' captures, the subject, the body and its signatures.
 *
 * The runs are looked for in the spots where employers write their name: after
 * "interest in", "join", "position at"; before "is an equal opportunity employer"; at the
 * head of a subject; in a signature; in the display name. A name that looks like a
 * person's (a recruiter signing the mail) is not offered.
 */
#include "apptrack/company.h"

#include "company_internal.h"

#include <stdbool.h>
#include <string.h>

#define MAX_SIGNATURES 8      /* closings ("Best regards,") whose signature is read */
#define SIGNATURE_LINES 6     /* lines of a signature read */
#define MAX_SIGNATURE_LINE 80 /* a longer line is prose */

/* The closings a signature follows ("Best regards,", "Thank you, Dana"). */
static const char *const closings[] = {
	"regards", "best regards", "kind regards", "warm regards", "warmest regards", "best wishes",
	"sincerely", "yours sincerely", "sincerely yours", "yours truly", "respectfully", "thanks",
	"thank you", "many thanks", "thanks again", "thanks so much", "thank you again", "best",
	"all the best", "cheers", "cordially", "warmly", "with appreciation", "with best regards", "best,",
	"mit freundlichen grüßen", "viele grüße", "cordialement", "saludos", "un saludo",
	"met vriendelijke groet", "with thanks", "best to you", "all best", "take care", "talk soon",
	"kindest regards", "best wishes to you", "respectfully yours", "with gratitude", "thank you kindly",
};

/* ---- people ---- */

/* Is s an address, spaces and quotes around it aside? */
static bool is_address(const char *s)
{
	s += strspn(s, " \t\"'<");
	size_t n = strcspn(s, " \t\"'>");
	return memchr(s, '@', n) && s[n + strspn(s + n, " \t\"'>")] == '\0';
}

/* Is the key that of the sender's own domain or mailbox (a company writing as itself)? */
static bool sender_own(const struct gather *g, const char *key)
{
	return (g->domain_key && strcmp(key, g->domain_key) == 0) ||
	       (g->tenant_key && strcmp(key, g->tenant_key) == 0);
}

/* How surely a name must look like a person's to be taken for one. */
enum person {
	PERSON_NONE,    /* no test */
	PERSON_NAMED,   /* a given name, or the sender's mailbox */
	PERSON_DISPLAY, /* that, or unrelated to the hiring system's tenant that sent it */
	PERSON_SHAPE,   /* that, or any two to four plain capitalised words ("with Lisel Dotson") */
};

/* Do tokens [s, e) look like a person's name? One to four capitalised words, none of an
 * organisation, that do not name the sender's own domain or mailbox, and: a common given
 * name among them; or, when the sender's mailbox may be a person's, words that its local
 * part holds (dwhitcomb for Dana Whitcomb); or, for the display name of a hiring system's
 * mail that names a tenant, words that share nothing with it (a recruiter writing through
 * the system: "Nandi Hopps" <millgroupinc+...@talent.icims.com>). */
static bool looks_like_person(const struct gather *g, GArray *tokens, size_t s, size_t e, enum person mode)
{
	size_t words = 0;
	bool given = false, in_local = false, in_tenant = false;

	for (size_t i = s; i < e; i++) {
		const struct token *t = TOK(tokens, i);
		if (connector(t) || (t->cls & (W_ORG | W_HIRING | W_EVENT | W_TITLE)))
			return false;
		if (!company_is_upper_at(t->s))
			return false;
		bool all_upper = true, has_digit = false;
		for (unsigned k = 0; k < t->len; k++) {
			all_upper = all_upper && !g_ascii_islower(t->s[k]);
			has_digit = has_digit || g_ascii_isdigit(t->s[k]);
		}
		if (has_digit || (all_upper && t->len > 1))
			return false;
		words++;
		if (t->cls & W_GIVEN)
			given = true;
		if (t->len >= MIN_CONTAINED_KEY && t->len <= MAX_WORD) {
			char low[MAX_WORD + 1];
			for (unsigned k = 0; k < t->len; k++)
				low[k] = g_ascii_tolower(t->s[k]);
			low[t->len] = '\0';
			/* one word must start the mailbox (ruth@), one of several be in it (dwhitcomb@) */
			if (g->sender_personal && g->local)
				in_local = in_local || (e - s > 1 ? strstr(g->local, low) != NULL
								  : g_str_has_prefix(g->local, low));
			if (g->tenant_key)
				in_tenant = in_tenant || strstr(g->tenant_key, low);
		}
	}
	if (words == 0 || words > 4)
		return false;
	g_autofree char *name = company_span_text(tokens, s, e);
	g_autofree char *key = company_name_key(name, NULL);
	if (sender_own(g, key))
		return false;
	if (given || in_local || (mode == PERSON_SHAPE && words >= 2))
		return true;
	return mode == PERSON_DISPLAY && !g->sender_personal && g->tenant_key && words >= 2 && words <= 3 &&
	       !in_tenant;
}

/* ---- display name and captures ---- */

/* The part of a display name that names the sender's organisation: before " via " ("Acme
 * via SmartRecruiters"), after " on behalf of ", " at ", " @ " or " from " ("Codility on
 * behalf of Acme", "Jordan at Tern", "The Batch @ DeepLearning.AI"), without bracketed
 * notes ("[DO NOT REPLY]"). g_free. */
static char *display_part(const char *display)
{
	GString *out = g_string_new(NULL);
	int depth = 0;

	for (const char *p = display; *p; p++) {
		if (*p == '[' || *p == '(')
			depth++;
		else if ((*p == ']' || *p == ')') && depth > 0)
			depth--;
		else if (!depth)
			g_string_append_c(out, *p == '_' || *p == '"' ? ' ' : *p);
	}
	char *s = g_string_free(out, FALSE);
	g_autofree char *low = g_ascii_strdown(s, -1);
	const char *cut;
	if ((cut = strstr(low, " via ")))
		s[cut - low] = '\0';
	static const char *const afters[] = { " on behalf of ", " at ", " @ ", "@", " from " };
	for (size_t i = 0; i < G_N_ELEMENTS(afters); i++) {
		if ((cut = strstr(low, afters[i])) && (size_t)(cut - low) < strlen(s)) {
			memmove(s, s + (cut - low) + strlen(afters[i]),
				strlen(s + (cut - low) + strlen(afters[i])) + 1);
			break;
		}
	}
	return g_strstrip(s);
}

/* A display name or a rule's capture: the first name in it that is not a person's. */
void company_from_label(struct gather *g, const char *label, enum place p)
{
	if (!label || !*label)
		return;
	/* a display name that is an address ("jobs@acme.com") says no more than the address */
	if (p == PLACE_DISPLAY && is_address(label))
		return;
	g_autofree char *part = p == PLACE_DISPLAY ? display_part(label) : g_strdup(label);
	g_autoptr(GArray) tokens = company_tokenize(part, strlen(part), true);

	for (size_t i = 0; i < tokens->len;) {
		if (!name_word(TOK(tokens, i)) || (TOK(tokens, i)->cls & W_CONNECTOR)) {
			i++;
			continue;
		}
		size_t j = company_run_end(tokens, i), s, e;
		enum cut cut;
		if (company_name_from_run(tokens, i, j, &s, &e, &cut)) {
			g_autofree char *name = company_span_text(tokens, s, e);
			if (company_run_excluded(tokens, i, j)) {
				i = j;
				continue;
			}
			if (looks_like_person(g, tokens, s, e,
					      p == PLACE_DISPLAY ? PERSON_DISPLAY : PERSON_NAMED)) {
				if (p == PLACE_DISPLAY && !g->person_key)
					g->person_key = company_name_key(name, NULL);
			} else {
				company_add_words(g, name, p, 1, p == PLACE_RULE || cut == CUT_HIRING);
				return;
			}
		}
		i = j;
	}
}

/* ---- subject and body ---- */

/* Is the name [s, e) a position, not an employer: "interest in the Disponent position"? */
static bool position_follows(GArray *tokens, size_t s, size_t e)
{
	static const char *const nouns[] = {
		"position", "role", "opening", "job", "vacancy", "posting", "post",
	};
	if (e >= tokens->len || (TOK(tokens, e)->flags & TK_BREAK) || s == 0)
		return false;
	for (size_t k = 0; k < G_N_ELEMENTS(nouns); k++)
		if (tok_is(TOK(tokens, e), nouns[k]))
			return tok_is(TOK(tokens, s - 1), "the") || tok_is(TOK(tokens, s - 1), "our") ||
			       tok_is(TOK(tokens, s - 1), "a") || tok_is(TOK(tokens, s - 1), "an") ||
			       tok_is(TOK(tokens, s - 1), "this");
	return false;
}

/* Is the run [i, j) followed by ", Inc" or does it end with a legal form? */
static bool legal_form(GArray *tokens, size_t i, size_t j)
{
	if (j > i + 1 && (TOK(tokens, j - 1)->cls & W_LEGAL) && (TOK(tokens, j - 1)->flags & TK_CAP))
		return true;
	if (j < tokens->len && (TOK(tokens, j)->flags & TK_BREAK) && (TOK(tokens, j)->cls & W_LEGAL) &&
	    (TOK(tokens, j)->flags & TK_CAP)) {
		/* "Simventions, Inc": the comma and a space only */
		const char *prev_end = TOK(tokens, j - 1)->s + TOK(tokens, j - 1)->len;
		return TOK(tokens, j)->s - prev_end <= 2 && *prev_end == ',';
	}
	return false;
}

/* The subject without "Re:", "Fwd:" and "[EXTERNAL]" in front. Borrowed from subject. */
const char *company_subject_rest(const char *subject)
{
	static const char *const prefixes[] = {
		"re:", "fwd:", "fw:", "aw:", "wg:", "sv:", "tr:", "antw:", "[external]", "[ext]",
		"(external)", "external:", "[spam]", "invitation:", "updated invitation:", "accepted:",
		"declined:", "tentative:",
	};
	bool again = true;

	while (again) {
		again = false;
		while (*subject == ' ' || *subject == '\t')
			subject++;
		for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
			size_t n = strlen(prefixes[i]);
			if (g_ascii_strncasecmp(subject, prefixes[i], n) == 0) {
				subject += n;
				again = true;
			}
		}
	}
	return subject;
}

/* Does a word of tokens [s, e) have one of the classes? */
static bool has_class(GArray *tokens, size_t s, size_t e, unsigned cls)
{
	for (size_t k = s; k < e; k++)
		if (TOK(tokens, k)->cls & cls)
			return true;
	return false;
}

/* Is every word before token i of generic words only ("Application Update", "Interview
 * Invitation", "Thank you"), with a break at i? */
static bool generic_head(GArray *tokens, size_t i)
{
	if (i == 0)
		return false;
	for (size_t k = 0; k < i; k++) {
		const struct token *t = TOK(tokens, k);
		if (!(company_word_class(t->s, t->len) & (W_EVENT | W_HIRING | W_STOP | W_TITLE | W_MODIFIER)))
			return false;
	}
	return true;
}

/* Adds the name [s, e) unless it is a person's where one may be named. */
static void add_run_name(struct gather *g, GArray *tokens, size_t s, size_t e, enum place p, enum person test,
			 bool tool_ok)
{
	if (test != PERSON_NONE && looks_like_person(g, tokens, s, e, test))
		return;
	g_autofree char *name = company_span_text(tokens, s, e);
	company_add_words(g, name, p, 0, tool_ok);
}

/* Runs of a subject or body, and the patterns around them that name the employer. */
void company_from_runs(struct gather *g, GArray *tokens, enum place p)
{
	for (size_t i = 0; i < tokens->len && g->adds < MAX_ADDS;) {
		const struct token *t = TOK(tokens, i);
		if (!name_word(t) || connector(t)) {
			i++;
			continue;
		}
		size_t j = company_run_end(tokens, i), s, e;
		enum cut cut;
		if (!company_name_from_run(tokens, i, j, &s, &e, &cut)) {
			i = j;
			continue;
		}
		if (company_run_excluded(tokens, i, j)) {
			i = j;
			continue;
		}
		const struct phrase *before = company_phrase_before(tokens, i, p == PLACE_SUBJECT);
		const struct token *next = j < tokens->len ? TOK(tokens, j) : NULL;
		bool generic_next = next && !(next->flags & TK_BREAK) &&
				    (company_word_class(next->s, next->len) & (W_EVENT | W_HIRING | W_TITLE));
		if (before && !position_follows(tokens, s, e)) {
			bool strong = !(before->flags & TRIG_PERSON);
			add_run_name(g, tokens, s, e, p, strong ? PERSON_NONE : PERSON_SHAPE,
				     strong && p == PLACE_SUBJECT);
		} else if (p == PLACE_SUBJECT && i == 0) {
			/* the head of a subject: "Acme - Interview", "Peraton Application Update";
			 * a lone word must be followed by a hiring word, a separator or nothing
			 * ("Framing could be fun" names nothing) */
			bool ends = !next || (next->flags & TK_BREAK) || cut != CUT_NONE;
			const struct token *w = TOK(tokens, s);
			bool marked = e - s >= 2 || (w->len > 1 && !g_ascii_islower(w->s[1]));
			if (ends || generic_next || marked)
				add_run_name(g, tokens, s, e, p, PERSON_NAMED, false);
		} else if (p == PLACE_SUBJECT && (t->flags & TK_BREAK) &&
			   (cut == CUT_EVENT || cut == CUT_HIRING || generic_next ||
			    has_class(tokens, s, e, W_ORG) ||
			    (j == tokens->len && generic_head(tokens, i)))) {
			/* the head of a later part of a subject: "... - Millennium Corporation",
			 * "Application Update | Acme" */
			add_run_name(g, tokens, s, e, p, PERSON_NAMED, false);
		} else if ((cut == CUT_HIRING && !tok_is(TOK(tokens, e), "jobs") &&
			    !tok_is(TOK(tokens, e), "job")) ||
			   company_phrase_after(tokens, e) || legal_form(tokens, i, j)) {
			/* "Acme Talent Acquisition", "Acme is an equal opportunity employer", "Acme, Inc." */
			add_run_name(g, tokens, s, e, p, PERSON_NONE, false);
		}
		i = j;
	}
}

/* A subject's "[Acme] Your application": the bracketed name. */
void company_from_subject_tag(struct gather *g, const char *subject)
{
	const char *open = strchr(subject, '['), *close = open ? strchr(open, ']') : NULL;

	if (!open || !close || close - open > MAX_NAME_BYTES)
		return;
	g_autofree char *inner = g_strndup(open + 1, (gsize)(close - open - 1));
	g_autoptr(GArray) tokens = company_tokenize(inner, strlen(inner), false);
	size_t s, e;
	enum cut cut;
	if (tokens->len && name_word(TOK(tokens, 0)) && company_run_end(tokens, 0) == tokens->len &&
	    company_name_from_run(tokens, 0, tokens->len, &s, &e, &cut))
		add_run_name(g, tokens, s, e, PLACE_SUBJECT, PERSON_NAMED, false);
}

/* Is the line (without its end) a closing: "Best regards," or "Thank you, Dana"? Sets
 * *ret_rest to what follows a comma on it. */
static bool closing_line(const char *line, size_t n, const char **ret_rest)
{
	char low[MAX_SIGNATURE_LINE + 1];
	size_t k = 0;

	while (n && g_ascii_isspace(*line)) {
		line++;
		n--;
	}
	if (n == 0 || n > MAX_SIGNATURE_LINE)
		return false;
	for (; k < n; k++)
		low[k] = g_ascii_tolower(line[k]);
	low[k] = '\0';
	g_strchomp(low);
	if (strcmp(low, "--") == 0) { /* the signature separator */
		*ret_rest = NULL;
		return true;
	}
	const char *comma = strchr(low, ',');
	size_t head = comma ? (size_t)(comma - low) : n;
	while (head && strchr(" .!-\r", low[head - 1]))
		head--;
	for (size_t i = 0; i < G_N_ELEMENTS(closings); i++) {
		if (strlen(closings[i]) == head && strncmp(low, closings[i], head) == 0) {
			*ret_rest = comma ? line + (comma - low) + 1 : NULL;
			return true;
		}
	}
	return false;
}

/* One line of a signature: the first part of it that is all one name, not a person's and
 * not a title ("Tern Robotics", "Recruiter | Acme Corp"). Returns true when it added one. */
static bool signature_line(struct gather *g, const char *line, size_t n, enum person test)
{
	g_autoptr(GArray) tokens = company_tokenize(line, n, false);

	for (size_t i = 0; i < tokens->len;) {
		/* a part: the tokens up to the next punctuation */
		size_t j = i + 1;
		while (j < tokens->len && !(TOK(tokens, j)->flags & TK_BREAK))
			j++;
		size_t s, e;
		enum cut cut;
		if (name_word(TOK(tokens, i)) && company_run_end(tokens, i) == j &&
		    company_name_from_run(tokens, i, j, &s, &e, &cut) && !looks_like_person(g, tokens, s, e, test)) {
			add_run_name(g, tokens, s, e, PLACE_BODY, PERSON_NONE, false);
			return true;
		}
		i = j;
	}
	return false;
}

/* Does the line name a job title ("Recruiter", "Talent Acquisition Partner")? */
static bool title_line(const char *line, size_t n)
{
	g_autoptr(GArray) tokens = company_tokenize(line, n, false);
	return has_class(tokens, 0, tokens->len, W_TITLE);
}

/* Signatures after closings: the company line under the name and the title. */
void company_from_signatures(struct gather *g, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned blocks = 0;

	while (p < end && blocks < MAX_SIGNATURES && g->adds < MAX_ADDS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end, *rest = NULL;
		if (*p != '>' && (size_t)(line_end - p) <= MAX_SIGNATURE_LINE &&
		    memchr(p, '|', (size_t)(line_end - p)) && title_line(p, (size_t)(line_end - p))) {
			/* "Dana Scully | Recruiter | Hooli": a signature without a closing */
			signature_line(g, p, (size_t)(line_end - p), PERSON_SHAPE);
		} else if (*p != '>' && closing_line(p, (size_t)(line_end - p), &rest)) {
			blocks++;
			/* the first line is most often the signer's name: any plain name there is one */
			int lines = 0;
			bool found = false;
			while (rest && rest < line_end && g_ascii_isspace(*rest))
				rest++;
			if (rest && rest < line_end)
				found = signature_line(g, rest, (size_t)(line_end - rest),
						       lines++ ? PERSON_NAMED : PERSON_SHAPE);
			const char *q = nl ? nl + 1 : end;
			while (!found && q < end && lines < SIGNATURE_LINES) {
				const char *qe = memchr(q, '\n', (size_t)(end - q));
				size_t qn = qe ? (size_t)(qe - q) : (size_t)(end - q);
				g_autofree char *l = g_strndup(q, qn);
				g_strstrip(l);
				q = qe ? qe + 1 : end;
				if (!*l)
					continue;
				if (strlen(l) > MAX_SIGNATURE_LINE || strpbrk(l, "0123456789"))
					break; /* prose, or the address and phone lines under the company */
				enum person test = lines++ ? PERSON_NAMED : PERSON_SHAPE;
				if (strchr(l, '@') || strstr(l, "://") || strstr(l, "www."))
					continue;
				found = signature_line(g, l, strlen(l), test);
			}
		}
		p = nl ? nl + 1 : end;
	}
}
