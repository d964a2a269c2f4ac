/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company.h - the employer a message names, from evidence gathered across the message.
 *
 * Candidates come from every place a message names its employer: the sender's display
 * name ("Airbnb Recruiting", "X via SmartRecruiters"), the sender's domain and a hiring
 * system's sub-domain or local part (acme.icims.com, trellix@myworkday.com), the subject
 * ("at Airbnb", "to Airbnb!"), the body ("interest in X", "the X team", the signature),
 * the domains of the body's links (careers.trellix.com), and what the matching rules
 * captured. Names are compared folded (text_company_key() without spaces, so that the
 * domain "zillowgroup" agrees with "Zillow Group"); a candidate scores by how many places
 * agree on it and how much each place is worth. What is not an employer is ruled out:
 * hiring systems and job boards, generic words (Recruiting, Hiring Team, Notification),
 * and people's names (a recruiter signing the mail is not the company). A candidate is
 * written in the form the mail uses most often, words before domains. When one name holds
 * another ("Talent Core Corporation" and a capture cut to "Core Corporation", "Tern
 * Robotics" and the domain tern), the fuller name the mail writes takes the evidence of
 * both. The work is bounded: the first 64 KiB of the text, 200 candidates.
 *
 * Thread-safe: the word lists are built once, on first use, for all threads.
 */
#ifndef APPTRACK_COMPANY_H
#define APPTRACK_COMPANY_H

#include <glib.h>
#include <stdbool.h>

#include "apptrack/mime.h"

/* Below this score the best candidate is not taken as the company. */
#define COMPANY_MIN_SCORE 1.0

struct company_candidate {
	char *name;   /* as the mail writes it most often */
	double score; /* the sum of the weights of the places that named it (rule 1.5,
		       * display 1.2, subject 1.2, body 1.0, local 1.0, domain 0.8, link 0.6)
		       * and 0.1 a mention of it in the body, up to 0.3 */
	char *from;   /* the places that named it, comma-separated, in this order:
		       * "rule", "display", "local", "domain", "subject", "body", "link" */
};

/* The candidates of m, best first (a GPtrArray of struct company_candidate *; unref frees
 * them), possibly empty. rule_captures: the company captures of the rules that matched m
 * (NULL-terminated, may be NULL). Any string field of m may be NULL, links too (a message
 * built by hand rather than by mime_parse()). */
GPtrArray *company_candidates(const struct mime_message *m, const char *const *rule_captures);
/* What a label of a host name (any case: "myworkday", "gmail") says of a sender or a link,
 * from the lists company_words.c rules employers out with: the mail model's features use it. */
enum host_kind {
	HOST_OTHER,
	HOST_HIRING_SYSTEM, /* Workday, iCIMS, Greenhouse, ... */
	HOST_JOB_BOARD,     /* LinkedIn, Indeed, ... */
	HOST_ASSESSMENT,    /* HackerRank, Codility, ... */
	HOST_MAIL_PROVIDER, /* Gmail, Outlook, and bulk-mail senders */
};
enum host_kind company_host_kind(const char *label);

/* Whether word (any case) is a common given name, as the company reader tells people from
 * employers (the mail model reads such names as a placeholder: whom a message greets
 * says nothing of what it is). */
bool company_given_name(const char *word);
/* The name of the first candidate when it scores at least COMPANY_MIN_SCORE, else NULL.
 * Borrowed from candidates. */
const char *company_best(GPtrArray *candidates);

#endif
