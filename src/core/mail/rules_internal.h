/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules_internal.h - what the files of the rule engine share (rules.h is the API):
 * rules.c reads rule files into a set, rules_classify.c classifies mail with it.
 */
#ifndef APPTRACK_RULES_INTERNAL_H
#define APPTRACK_RULES_INTERNAL_H

#include <glib.h>
#include <stdbool.h>

#include "apptrack/model.h"
#include "apptrack/rules.h"

/* Where a rule looks for the company when nothing named one (`company_fallback`). */
enum fallback { FALLBACK_DISPLAY, FALLBACK_LOCAL, FALLBACK_DOMAIN, FALLBACK_COUNT };

/* A rule's patterns, by the key that gives each. */
enum pattern { P_FROM, P_SUBJECT, P_BODY, P_UNLESS, P_COMPANY, P_POSITION, P_COUNT };

/* One [rule NAME] group of a rule file. */
struct rule {
	char *name;
	char *file;
	unsigned line;
	unsigned order;
	enum mail_kind kind;
	int priority;
	char *source;
	char *like; /* rule whose subject, body, unless and extraction patterns this one borrows */
	unsigned like_line;
	GRegex *re[P_COUNT];
	enum fallback fallback[FALLBACK_COUNT];
	size_t n_fallback;
	bool decides; /* false: only a feature of the model, when there is one */
};

/* A set of rules (the `rules` of rules.h). */
struct rules {
	GPtrArray *list; /* of struct rule * */
	unsigned next_order;
	gint refs;
	mailmodel *model;    /* or NULL */
	char *model_problem; /* why there is no model, or NULL */
	bool all_decide;     /* rules_set_all_decide() */
};

/* The rule's own pattern p, else the one of the rule it is `like` (one level). */
GRegex *rules_pattern(rules *r, struct rule *rule, enum pattern p);

#endif
