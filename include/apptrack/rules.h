/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules.h - rule files that classify job-search mail and extract company and position.
 *
 * Format (apptrack.rules(5), docs/man/apptrack.rules.5): GLib key files, one [rule NAME]
 * group per rule. A rule matches a message when every pattern it gives matches (`from`
 * against "Display Name <address>", `subject`, `body`) and its `unless` pattern matches
 * neither subject nor body. Among matching rules the highest `priority` wins, then the
 * earlier rule. Patterns are PCRE (GRegex), case-insensitive, ^ and $ at line ends; named
 * groups (?<company>...) and (?<position>...) in any pattern, or in the extraction-only
 * keys `company` and `position` (tried on the subject, then the body), capture the fields.
 * `like = RULE` borrows that rule's subject, body, unless and extraction patterns, so a
 * family file can say "this sender, with the generic rejection wording".
 * When the evidence of the message (company.h, the captures among it) names no company,
 * `company_fallback` (a list of display, local, domain) says where else to look: the
 * sender's display name with ATS words removed, the local part of the address (for ATS
 * mail like sailpoint@myworkday.com), or the sender's domain.
 *
 * Lifecycle: rules_new(), rules_load_dir() for each directory in order (a later rule with
 * the same name replaces the earlier one: user rules override shipped ones), then
 * rules_classify() any number of times, from any thread (a loaded set is never changed);
 * rules_free(). A set is reference-counted, so that a thread reading mail keeps the rules
 * it started with while a reload replaces them. Errors name FILE:LINE.
 */
#ifndef APPTRACK_RULES_H
#define APPTRACK_RULES_H

#include <glib.h>
#include <stdbool.h>

#include "apptrack/mime.h"

/* Message kinds, as rules name them. */
enum mail_kind {
	MAIL_CONFIRMATION,
	MAIL_REJECTION,
	MAIL_INTERVIEW,
	MAIL_ASSESSMENT,
	MAIL_OFFER,
	MAIL_RECRUITER,
	MAIL_NOISE,
	MAIL_KIND_COUNT
};

/* "confirmation", ...; NULL when out of range. Static string. */
const char *mail_kind_name(enum mail_kind kind);
/* The kind named name ("rejection", any case): 0, or -EINVAL with a message that lists
 * the kinds. mail_kind.c, which needs GLib alone (apptrackctl links it). */
int mail_kind_parse(const char *name, enum mail_kind *ret_kind, GError **error);

typedef struct rules rules;

/* Which layer decided a verdict. */
enum verdict_layer {
	LAYER_RULE,  /* a deciding rule matched */
	LAYER_MODEL, /* the model (model.h) read what no deciding rule claimed */
};

/* One verdict on a message: what it is, how sure, and why. */
struct rule_match {
	const char *rule;     /* the deciding rule's name (borrowed from the rules), NULL when
			       * the model decided */
	const char *source;   /* sender family ("greenhouse"), borrowed; NULL for the model */
	enum mail_kind kind;  /* the best guess */
	char *company;        /* owned, may be NULL */
	char *position;       /* owned, may be NULL */
	enum verdict_layer layer;
	double confidence;    /* 0..1: 1 for a deciding rule */
	char **phrases;       /* what weighed most for the model (NULL-terminated), or NULL */
	GPtrArray *candidates; /* company candidates, best first (company.h), or NULL */
};

/* A new, empty set holding one reference. */
rules *rules_new(void);
/* Another reference to r (any thread). Returns r. */
rules *rules_ref(rules *r);
/* Drops a reference (any thread); the last one frees the set. NULL is fine. */
void rules_free(rules *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rules, rules_free)

/* Loads one file. Every problem is reported as "FILE:LINE: message" (joined by newlines);
 * on any problem nothing of the file is added. 0 or -EINVAL / -errno. */
int rules_load_file(rules *r, const char *path, GError **error);
/* Loads every *.rules file of dir in name order; a missing dir is fine. Stops at the
 * first file with problems. */
int rules_load_dir(rules *r, const char *dir, GError **error);
/* Checks what needs every file loaded: each `like` names an existing rule that is not
 * itself a `like`. 0 or -EINVAL with "FILE:LINE: message" lines. */
int rules_check(rules *r, GError **error);
/* Loads the shipped rules, then the user's ($XDG_CONFIG_HOME/apptrack/rules.d, which
 * override shipped ones by name), and checks them; then the shipped model (model.h), the
 * file MODEL_FILE beside the shipped rules, or $APPTRACK_MODEL when set. A model that
 * cannot be loaded is no error: the set works on the rules alone, and
 * rules_model_problem() says why. *ret_rules: free with rules_free. */
int rules_load_standard(rules **ret_rules, GError **error);
/* Where rules_load_standard() looks for the model. g_free. */
char *rules_model_path(void);

/* The statistical layer under the rules. Set it before the set is shared (it takes a
 * reference; NULL: none), with the reason when there is none (problem, copied; may be
 * NULL). The model itself may learn at any time (model.h is thread-safe). */
struct mailmodel;
void rules_set_model(rules *r, struct mailmodel *model, const char *problem);
/* The model, or NULL (borrowed). */
struct mailmodel *rules_model(rules *r);
/* Why the set has no model ("FILE: ..."), or NULL. Borrowed. */
const char *rules_model_problem(rules *r);
/* For measurement (apptrack-bench mail-cv): every rule decides, as before the model. */
void rules_set_all_decide(rules *r, bool all_decide);
/* The model's features of m as the rules see it (model_features() with the names of the
 * matching rules that do not decide): what a lesson about m teaches. g_ptr_array_unref. */
GPtrArray *rules_features(rules *r, const struct mime_message *m);
/* Number of rules loaded. */
unsigned rules_count(rules *r);

/* The verdict on m. A deciding rule that matches decides (LAYER_RULE, confidence 1);
 * otherwise the model reads m, with the rules that do not decide among its features
 * (LAYER_MODEL); without a model, the best matching rule decides as it always did. The
 * company comes from the evidence of company.h, the rules' captures among it. Returns 1
 * and fills *ret_match (clear with rule_match_clear) when there is a verdict, 0 when
 * nothing matched and there is no model. */
int rules_classify(rules *r, const struct mime_message *m, struct rule_match *ret_match);
void rule_match_clear(struct rule_match *match);

/* text_company_key(), for callers that think in rules. g_free. */
char *rules_company_key(const char *company);

#endif
