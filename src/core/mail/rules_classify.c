/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules_classify.c - classifying mail with a set of rules (rules_classify(), rules.h).
 *
 * Classification runs the gates of the rules that decide, keeps the best match (priority,
 * then order), and only then extracts company and position from the winner: captures from
 * its patterns first, then its extraction patterns. When no deciding rule matches, the
 * rules that do not decide (`decides = false`: the generic wording) become features of
 * the model, which decides. The company is the best of the candidates that company.h
 * gathers, the rules' captures among them; the fallbacks a rule names serve when there is
 * none.
 */
#include "apptrack/rules.h"

#include "apptrack/company.h"
#include "apptrack/model.h"
#include "apptrack/text.h"
#include "rules_internal.h"

#include <string.h>

#define RULE_MAX_CAPTURE 200 /* longer captures are not names */

/* ---- classification ---- */

void rule_match_clear(struct rule_match *match)
{
	g_free(match->company);
	g_free(match->position);
	g_strfreev(match->phrases);
	if (match->candidates)
		g_ptr_array_unref(match->candidates);
	memset(match, 0, sizeof(*match));
}

/* Trimmed of spaces and punctuation around it; NULL when empty or implausibly long. */
static char *clean_capture(const char *s)
{
	if (!s)
		return NULL;
	g_autofree char *t = g_strstrip(g_strdup(s));
	size_t n = strlen(t);
	/* ASCII marks a byte at a time; the en dash as its three bytes, never byte by byte
	 * (its bytes end letters such as À and Ó too) */
	for (;;) {
		if (n && t[n - 1] != '\0' && strchr(".,;:!-|\"'", t[n - 1]))
			t[--n] = '\0';
		else if (n >= 3 && memcmp(t + n - 3, "\u2013", 3) == 0)
			t[n -= 3] = '\0';
		else
			break;
	}
	g_strstrip(t);
	if (!*t || g_utf8_strlen(t, -1) > RULE_MAX_CAPTURE)
		return NULL;
	/* collapse inner whitespace runs */
	GString *out = g_string_new(NULL);
	for (const char *p = t; *p; p++) {
		if (g_ascii_isspace(*p)) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* Sets *field from the named group of the match when not set yet. */
static void take_named(GMatchInfo *mi, const char *group, char **field)
{
	if (*field)
		return;
	g_autofree char *v = g_match_info_fetch_named(mi, group);
	*field = clean_capture(v);
}

static bool gate(GRegex *re, const char *text, struct rule_match *captures)
{
	GMatchInfo *mi = NULL;
	bool ok;

	if (!re)
		return true;
	ok = g_regex_match(re, text ? text : "", 0, &mi);
	if (ok && captures) {
		take_named(mi, "company", &captures->company);
		take_named(mi, "position", &captures->position);
	}
	g_match_info_free(mi);
	return ok;
}

/* Words of ATS sender names that are not part of the employer's name. */
static const char *const display_noise[] = {
	"recruiting", "recruitment", "recruiter", "recruiters", "hiring", "team",   "talent",   "acquisition",
	"careers",    "career",      "jobs",      "hr",         "notification", "notifications", "workday",
	"donotreply", "noreply",     "no-reply",  "do-not-reply", "the",    "coordinator", "people",
};

static char *company_from_display(const char *display)
{
	if (!display)
		return NULL;
	/* "ExampleCo via SmartRecruiters", "The Batch @ DeepLearning.AI": the employer comes first */
	g_autofree char *head = g_strdup(display);
	char *cut = strstr(head, " via ");
	if (cut)
		*cut = '\0';
	for (char *p = head; *p; p++)
		if (*p == '_')
			*p = ' ';
	g_auto(GStrv) words = g_strsplit(head, " ", -1);
	GString *out = g_string_new(NULL);
	for (size_t i = 0; words[i]; i++) {
		bool skip = !*words[i];
		for (size_t k = 0; !skip && k < G_N_ELEMENTS(display_noise); k++)
			skip = g_ascii_strcasecmp(words[i], display_noise[k]) == 0;
		if (!skip)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", words[i]);
	}
	char *c = clean_capture(out->str);
	g_string_free(out, TRUE);
	return c;
}

static char *capitalized(const char *word)
{
	if (!word || !*word)
		return NULL;
	char *s = g_strdup(word);
	s[0] = g_ascii_toupper(s[0]);
	return s;
}

/* A host label or mailbox that names no employer: a mail provider's or sending service's
 * (example and invalidemail among them), a hiring system's, a job board's or an assessment
 * site's, by company.h's lists. */
static bool generic_domain(const char *label)
{
	return company_host_kind(label) != HOST_OTHER;
}

static char *company_from_address(const char *address, enum fallback how)
{
	const char *at = address ? strrchr(address, '@') : NULL;

	if (!at)
		return NULL;
	if (how == FALLBACK_LOCAL) {
		g_autofree char *local = g_strndup(address, (gsize)(at - address));
		char *plus = strchr(local, '+');
		if (plus)
			*plus = '\0';
		return generic_domain(local) || strlen(local) < 2 ? NULL : capitalized(local);
	}
	/* the label before the public suffix: careers.acme.com -> acme */
	g_auto(GStrv) labels = g_strsplit(at + 1, ".", -1);
	guint n = g_strv_length(labels);
	if (n < 2)
		return NULL;
	const char *label = labels[n - 2];
	if (n >= 3 && strlen(labels[n - 1]) == 2 && strlen(label) <= 3) /* acme.co.uk */
		label = labels[n - 3];
	return generic_domain(label) ? NULL : capitalized(label);
}


/* What one message offers the rules: the sender as "Name <address>", the subject. */
typedef struct reading reading;
struct reading {
	const struct mime_message *m;
	char *from; /* owned: reading_clear() */
	const char *subject;
};

static void reading_init(struct reading *rd, const struct mime_message *m)
{
	rd->m = m;
	rd->from = g_strdup_printf("%s <%s>", m->from_name ? m->from_name : "", m->from_address ? m->from_address : "");
	rd->subject = m->subject ? m->subject : "";
}

static void reading_clear(struct reading *rd)
{
	g_free(rd->from);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(reading, reading_clear)

static bool rule_matches(rules *r, struct rule *rule, const struct reading *rd)
{
	GRegex *unless = rules_pattern(r, rule, P_UNLESS);

	if (!gate(rule->re[P_FROM], rd->from, NULL) || !gate(rules_pattern(r, rule, P_SUBJECT), rd->subject, NULL) ||
	    !gate(rules_pattern(r, rule, P_BODY), rd->m->text, NULL))
		return false;
	return !unless || (!gate(unless, rd->subject, NULL) && !gate(unless, rd->m->text, NULL));
}

/* Company and position as rule captures them: from its gates, then from its extraction
 * patterns, subject first. */
static void extract(rules *r, struct rule *rule, const struct reading *rd, struct rule_match *match)
{
	gate(rule->re[P_FROM], rd->from, match);
	gate(rules_pattern(r, rule, P_SUBJECT), rd->subject, match);
	gate(rules_pattern(r, rule, P_BODY), rd->m->text, match);
	for (int p = P_COMPANY; p <= P_POSITION; p++) {
		GRegex *re = rules_pattern(r, rule, (enum pattern)p);
		if (!re)
			continue;
		if (!gate(re, rd->subject, match) || (p == P_COMPANY ? !match->company : !match->position))
			gate(re, rd->m->text, match);
	}
}

static bool decides(rules *r, struct rule *rule)
{
	return rule->decides || r->all_decide;
}

/* Whether a beats b: higher priority, then earlier. */
static bool better(struct rule *a, struct rule *b)
{
	return !b || a->priority > b->priority || (a->priority == b->priority && a->order < b->order);
}

/* The best deciding rule that matches, or NULL; the rules that do not decide and match
 * are added to others (best first) when others is not NULL. */
static struct rule *match_rules(rules *r, const struct reading *rd, GPtrArray *others)
{
	struct rule *best = NULL;

	for (guint i = 0; i < r->list->len; i++) {
		struct rule *rule = r->list->pdata[i];
		if (decides(r, rule) ? !better(rule, best) : !others)
			continue;
		if (!rule_matches(r, rule, rd))
			continue;
		if (decides(r, rule))
			best = rule;
		else
			g_ptr_array_add(others, rule);
	}
	if (others) {
		/* best first: a simple insertion sort, there are a handful */
		for (guint i = 1; i < others->len; i++)
			for (guint k = i; k > 0 && better(others->pdata[k], others->pdata[k - 1]); k--) {
				gpointer t = others->pdata[k];
				others->pdata[k] = others->pdata[k - 1];
				others->pdata[k - 1] = t;
			}
	}
	return best;
}

/* The names of rules, NULL-terminated (borrowed strings; g_free the array). */
static const char **rule_names(GPtrArray *list)
{
	const char **names = g_new0(const char *, list->len + 1);
	for (guint i = 0; i < list->len; i++)
		names[i] = ((struct rule *)list->pdata[i])->name;
	return names;
}

GPtrArray *rules_features(rules *r, const struct mime_message *m)
{
	g_auto(reading) rd;
	reading_init(&rd, m);
	g_autoptr(GPtrArray) others = g_ptr_array_new();

	match_rules(r, &rd, others);
	g_autofree const char **names = rule_names(others);
	return model_features(m, names);
}

int rules_classify(rules *r, const struct mime_message *m, struct rule_match *ret_match)
{
	g_auto(reading) rd;
	reading_init(&rd, m);
	g_autoptr(GPtrArray) others = g_ptr_array_new();
	struct rule *best = match_rules(r, &rd, others), *fallbacks = best;
	struct rule_match match = { .layer = LAYER_RULE, .confidence = 1 };
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);

	if (best) {
		match.rule = best->name;
		match.source = best->source;
		match.kind = best->kind;
		extract(r, best, &rd, &match);
	} else if (r->model) {
		g_autofree const char **names = rule_names(others);
		g_autoptr(GPtrArray) features = model_features(m, names);
		struct model_guess guess;
		if (model_classify(r->model, features, &guess) == 0) {
			match.layer = LAYER_MODEL;
			match.kind = guess.kind;
			match.confidence = guess.confidence;
			match.phrases = g_new0(char *, MODEL_MAX_PHRASES + 1);
			for (int i = 0; i < MODEL_MAX_PHRASES && guess.phrases[i]; i++)
				match.phrases[i] = g_steal_pointer(&guess.phrases[i]);
			model_guess_clear(&guess);
			/* what the wording rules of the same kind capture is evidence */
			for (guint i = 0; i < others->len; i++) {
				struct rule *o = others->pdata[i];
				if (o->kind != match.kind)
					continue;
				struct rule_match c = { 0 };
				extract(r, o, &rd, &c);
				if (c.company)
					g_ptr_array_add(captures, g_steal_pointer(&c.company));
				if (!match.position)
					match.position = g_steal_pointer(&c.position);
				rule_match_clear(&c);
			}
		} else if (others->len) {
			best = others->pdata[0]; /* a model never trained: the rules alone */
		}
	} else if (others->len) {
		best = others->pdata[0];
	}
	if (best && !match.rule) { /* a rule that does not decide, deciding for want of a model */
		match.rule = best->name;
		match.source = best->source;
		match.kind = best->kind;
		extract(r, best, &rd, &match);
		fallbacks = best;
	}
	if (!best && match.layer == LAYER_RULE)
		return 0;

	if (match.company)
		g_ptr_array_insert(captures, 0, g_steal_pointer(&match.company));
	g_ptr_array_add(captures, NULL);
	match.candidates = company_candidates(m, (const char *const *)captures->pdata);
	match.company = g_strdup(company_best(match.candidates));
	/* the fallbacks a deciding rule names; the model's verdicts take the best candidate
	 * however weak (a sender's own domain alone), never a display name that the evidence
	 * ruled out as a person's */
	for (size_t i = 0; !match.company && fallbacks && i < fallbacks->n_fallback; i++)
		match.company = fallbacks->fallback[i] == FALLBACK_DISPLAY
					? company_from_display(m->from_name)
					: company_from_address(m->from_address, fallbacks->fallback[i]);
	if (!match.company && match.layer == LAYER_MODEL && match.candidates->len)
		match.company = g_strdup(((const struct company_candidate *)match.candidates->pdata[0])->name);
	*ret_match = match;
	return 1;
}

char *rules_company_key(const char *company)
{
	return text_company_key(company);
}
