/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output_mail.c - the table backend's printers of mail results: mail status and the mail
 * model, rules test verdicts, what learn and unlearn did, and the review queue.
 *
 * Mail is written by strangers: text from a message (subjects, phrases, company names)
 * is made one line of plain characters before it reaches the terminal.
 */
#include "ctl.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

/* Company candidates shown per message to people (--json has them all). */
#define RULES_TEST_SHOWN_CANDIDATES 5

static const struct column mail_columns[] = {
	{ "ACCOUNT", "account", 0, false },   { "FOLDER", "folder", 0, false },  { "CONNECTED", "connected", 0, false },
	{ "AUTH", "auth", 0, false },         { "LAST SYNC", "last_sync", 0, false }, { "MESSAGES", "messages", 0, false }, { "READ", "read", 0, false },
	{ "APPLIED", "applied", 0, false },   { "QUEUED", "queued", 0, false },  { "LAST ERROR", "last_error", 60, false },
};

static const struct column review_columns[] = {
	{ "ID", "id", 0, false },          { "DATE", "date", 0, true },          { "KIND", "kind", 0, false },
	{ "COMPANY", "company", 20, false }, { "SUBJECT", "subject", 40, false }, { "REASON", "reason", 40, false },
};

/* One row per account and folder: the folder's counts beside the account's connection and
 * how it signs in. */
static json_t *mail_rows(json_t *accounts)
{
	json_t *rows = json_array(), *a, *f;
	size_t i, j;

	json_array_foreach (accounts, i, a) {
		json_array_foreach (json_object_get(a, "folders"), j, f) {
			json_t *row = json_pack("{s:O,s:O,s:O,s:O}", "account", json_object_get(a, "account"), "folder",
						json_object_get(f, "name"), "connected", json_object_get(a, "connected"),
						"last_error", json_object_get(a, "last_error"));
			if (json_object_get(a, "auth")) /* IMAP: login or xoauth2; a Maildir shows - */
				json_object_set(row, "auth", json_object_get(a, "auth"));
			static const char *const keys[] = { "last_sync", "messages", "read", "applied", "queued" };
			for (size_t k = 0; k < G_N_ELEMENTS(keys); k++)
				if (json_object_get(f, keys[k]))
					json_object_set(row, keys[k], json_object_get(f, keys[k]));
			json_array_append_new(rows, row);
		}
	}
	return rows;
}

/* The mail model in one line: its file and what it learned from, or why it is not loaded. */
void table_mail_model(json_t *model)
{
	const char *problem = json_string_value(json_object_get(model, "problem"));
	json_int_t lessons = json_integer_value(json_object_get(model, "lessons"));

	if (problem)
		printf("model: not loaded, the rules alone decide (%s); %" JSON_INTEGER_FORMAT " lesson%s stored\n", problem,
		       lessons, lessons == 1 ? "" : "s");
	else
		printf("model: %s, trained on %" JSON_INTEGER_FORMAT " messages, and %" JSON_INTEGER_FORMAT " lesson%s of "
		       "yours\n",
		       json_string_value(json_object_get(model, "file")),
		       json_integer_value(json_object_get(model, "messages")), lessons, lessons == 1 ? "" : "s");
}

void table_mail_status(json_t *accounts, json_t *model)
{
	if (json_array_size(accounts) == 0) {
		printf("no mail account is configured (see apptrack.conf(5))\n");
	} else {
		json_t *rows = mail_rows(accounts);
		out_table(rows, mail_columns, G_N_ELEMENTS(mail_columns));
		json_decref(rows);
	}
	table_mail_model(model);
}

/* "NAME SCORE (FROM)" of the first RULES_TEST_SHOWN_CANDIDATES candidates, "; " apart. g_free. */
static char *candidates_text(json_t *candidates)
{
	GString *text = g_string_new(NULL);
	json_t *c;
	size_t i;

	json_array_foreach(candidates, i, c) {
		if (i == RULES_TEST_SHOWN_CANDIDATES) {
			g_string_append_printf(text, "; and %zu more", json_array_size(candidates) - i);
			break;
		}
		g_string_append_printf(text, "%s%s %.2f (%s)", i ? "; " : "", json_string_value(json_object_get(c, "name")),
				       json_number_value(json_object_get(c, "score")),
				       json_string_value(json_object_get(c, "from")));
	}
	return g_string_free(text, FALSE);
}

/* A verdict ({"layer", "rule", "guess", ...}: a rules test result, or a review entry's
 * verdict) in words: "rejection, by rule lever-rejection (confidence 1.00)". NULL without
 * a guess. g_free. */
static char *verdict_text(json_t *v)
{
	json_t *guess = json_object_get(v, "guess");
	const char *kind = json_string_value(json_object_get(guess, "kind"));
	const char *layer = json_string_value(json_object_get(v, "layer"));
	const char *rule = json_string_value(json_object_get(v, "rule"));
	double confidence = json_number_value(json_object_get(guess, "confidence"));

	if (!kind)
		return NULL;
	if (layer && strcmp(layer, "rule") == 0)
		return g_strdup_printf("%s, by rule %s (confidence %.2f)", kind, rule ? rule : "?", confidence);
	return g_strdup_printf("%s, by the model (confidence %.2f)", kind, confidence);
}

/* The phrases of a verdict, ", " apart. g_free. */
static char *phrases_text(json_t *v)
{
	GString *text = g_string_new(NULL);
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(v, "phrases"), i, p)
		g_string_append_printf(text, "%s%s", i ? ", " : "", json_string_value(p));
	return g_string_free(text, FALSE);
}

/* text for one line of a terminal: control characters (mail is written by strangers:
 * an escape sequence, a line break) made spaces. g_free. */
static char *one_line(const char *text)
{
	char *line = g_strdup(text);

	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return line;
}

/* A labelled line of a block, when there is something to say. */
static void block_line(const char *label, const char *text)
{
	if (!text || !*text)
		return;
	g_autofree char *line = one_line(text);
	printf("  %-11s %s\n", label, line);
}

/* One message of `rules test` for people: what the daemon would do, the verdict and why. */
static void print_rules_test(json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *status = json_string_value(json_object_get(o, "status"));
	g_autofree char *acts = NULL, *verdict = verdict_text(o), *phrases = phrases_text(o);
	g_autofree char *candidates = candidates_text(json_object_get(o, "company_candidates"));

	printf("%s\n", json_string_value(json_object_get(o, "file")));
	block_line("error", json_string_value(json_object_get(o, "error")));
	if (json_is_true(json_object_get(o, "review")))
		acts = g_strdup("none: it would wait in the review queue");
	else if (status)
		acts = g_strdup_printf("%s (its application becomes %s)", kind, status);
	else if (g_strcmp0(kind, "noise") == 0)
		acts = g_strdup("noise: not job-search mail, ignored");
	else
		acts = g_strdup(kind);
	block_line("kind", acts);
	block_line("review", json_string_value(json_object_get(o, "review_reason")));
	block_line("verdict", verdict);
	block_line("company", json_string_value(json_object_get(o, "company")));
	block_line("position", json_string_value(json_object_get(o, "position")));
	block_line("phrases", phrases);
	block_line("candidates", candidates);
}

void table_rules_test(json_t *results)
{
	const char *problem = json_string_value(json_object_get(json_array_get(results, 0), "model_problem"));
	json_t *item;
	size_t i;

	if (problem)
		printf("the mail model is not loaded (%s): the rules alone decide\n\n", problem);
	json_array_foreach(results, i, item) {
		if (i)
			putchar('\n');
		print_rules_test(item);
	}
}

/* The line that says a request's lessons are stored but not learned, when it is so. */
static void print_model_problem(json_t *result)
{
	const char *problem = json_string_value(json_object_get(result, "model_problem"));

	if (problem)
		printf("the mail model is not loaded (%s): the lessons are stored, and a model loaded later learns "
		       "them\n",
		       problem);
}

void table_learned(json_t *result, const char *kind)
{
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(result, "messages"), i, item) {
		const char *file = json_string_value(json_object_get(item, "file"));
		const char *outcome = json_string_value(json_object_get(item, "outcome"));
		if (strcmp(outcome, "already") == 0)
			printf("%s: already learned as %s\n", file, kind);
		else if (strcmp(outcome, "relearned") == 0)
			printf("learned %s as %s (it was learned as %s)\n", file, kind,
			       json_string_value(json_object_get(item, "previous")));
		else
			printf("learned %s as %s\n", file, kind);
	}
	print_model_problem(result);
}

void table_unlearned(json_t *result)
{
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(result, "messages"), i, item) {
		const char *kind = json_string_value(json_object_get(item, "kind"));
		printf("unlearned %s%s%s%s\n", json_string_value(json_object_get(item, "file")),
		       kind ? " (it was learned as " : "", kind ? kind : "", kind ? ")" : "");
	}
	print_model_problem(result);
}

void table_reviews(json_t *rows)
{
	if (json_array_size(rows) == 0)
		printf("the review queue is empty\n");
	else
		out_table(rows, review_columns, G_N_ELEMENTS(review_columns));
}

void table_review(json_t *e)
{
	static const char *const keys[] = { "sender", "subject", "date", "kind", "company", "position", "rule", "reason" };
	json_t *verdict = json_object_get(e, "verdict");
	printf("Review entry %" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(e, "id")));
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *v = out_text(json_object_get(e, keys[i]));
		printf("%-10s %s\n", keys[i], v);
	}
	/* what the daemon saw when it queued the message, for the person deciding */
	if (json_is_object(verdict)) {
		g_autofree char *text = verdict_text(verdict), *phrases = phrases_text(verdict);
		g_autofree char *candidates = candidates_text(json_object_get(verdict, "company_candidates"));
		const char *const lines[][2] = { { "verdict", text }, { "phrases", phrases }, { "candidates", candidates } };
		for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
			g_autofree char *line = lines[i][1] ? one_line(lines[i][1]) : NULL;
			if (line && *line)
				printf("%-10s %s\n", lines[i][0], line);
		}
	}
	if (json_is_string(json_object_get(e, "text")))
		printf("\n%s\n", json_string_value(json_object_get(e, "text")));
	else if (json_is_string(json_object_get(e, "raw"))) /* not read: shown as it came */
		printf("\nnot read; the raw message begins:\n%s\n", json_string_value(json_object_get(e, "raw")));
}

void table_review_applied(json_t *result, json_int_t id, const char *kind)
{
	printf("review entry %" JSON_INTEGER_FORMAT ": %s (application %" JSON_INTEGER_FORMAT ")%s%s\n", id,
	       json_string_value(json_object_get(result, "outcome")), json_integer_value(json_object_get(result, "id")),
	       json_is_true(json_object_get(result, "learned")) ? "; learned as " : "",
	       json_is_true(json_object_get(result, "learned")) ? kind : "");
	print_model_problem(result);
}
