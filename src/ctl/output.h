/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output.h - how apptrackctl shows results: one interface, two backends.
 *
 * main.c chooses the backend once from --json (OpenBSD bgpctl's struct output is the
 * model): output_table (output.c, output_mail.c) prints for people - tables fitted to
 * their content and the terminal, detail blocks, bars - and output_json (output_json.c)
 * prints the daemon's result as JSON for scripts. Handlers call ctl->out->METHOD(...)
 * and never ask which one it is.
 */
#ifndef APPTRACKCTL_OUTPUT_H
#define APPTRACKCTL_OUTPUT_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct output {
	/* A result whose text for people is one line: fmt and its arguments, and a newline. */
	void (*done)(json_t *result, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
	/* applications */
	void (*applications)(json_t *rows);
	void (*application)(json_t *app);
	void (*stats)(const char *report, json_t *result);
	/* reminders, contacts, interviews */
	void (*reminders)(json_t *rows);
	void (*reminder)(json_t *reminder);
	void (*contacts)(json_t *rows);
	void (*contact)(json_t *contact);
	void (*interviews)(json_t *rows);
	void (*upcoming)(json_t *result, json_int_t days);
	void (*calendar)(json_t *result);
	void (*web)(json_t *result); /* web.login's {"url"} */
	/* mail */
	void (*mail_status)(json_t *accounts, json_t *model);
	void (*mail_model)(json_t *model);
	void (*rules_test)(json_t *results);
	void (*learned)(json_t *result, const char *kind);
	void (*unlearned)(json_t *result);
	void (*reviews)(json_t *rows);
	void (*review)(json_t *entry);
	void (*review_applied)(json_t *result, json_int_t id, const char *kind);
	/* resumes, profile, matching */
	void (*resumes)(json_t *rows);
	void (*resume_added)(json_t *result);
	void (*resume_text)(json_t *result);
	void (*resume_removed)(json_t *result);
	void (*profile)(json_t *profile);
	void (*match)(json_t *result, bool all);
	/* import, export, the daemon */
	void (*imported)(json_t *result, const char *file);
	void (*exported)(json_t *result, const char *file);
	void (*ping)(json_t *result, double ms);
	void (*version)(json_t *daemon);
	void (*event)(json_t *event);
};

extern const struct output output_table; /* output.c */
extern const struct output output_json;  /* output_json.c */

/* output_json.c: v as indented JSON and a newline. */
void out_json(json_t *v);
/* out_json()'s indentation; ctl_call_text() prints with the same */
#define OUT_JSON_INDENT 2

/* output.c: the table backend's building blocks */
struct column {
	const char *header;
	const char *key;
	int max_width; /* cap when stdout is a terminal; 0: none */
	bool date_only; /* show only YYYY-MM-DD of a timestamp */
};
/* Prints rows (array of objects) as a table with the given columns. */
void out_table(json_t *rows, const struct column *cols, size_t n_cols);
/* A horizontal bar for value out of max, at most width cells. Free with g_free. */
char *out_bar(double value, double max, int width);
/* The display text of a JSON scalar ("-" for null/missing). Free with g_free. */
char *out_text(json_t *v);

/* output_mail.c: the table backend's printers of mail results, for output_table */
void table_mail_status(json_t *accounts, json_t *model);
void table_mail_model(json_t *model);
void table_rules_test(json_t *results);
void table_learned(json_t *result, const char *kind);
void table_unlearned(json_t *result);
void table_reviews(json_t *rows);
void table_review(json_t *entry);
void table_review_applied(json_t *result, json_int_t id, const char *kind);

/* output_profile.c: the table backend's printers of resumes, the profile and matches */
void table_resumes(json_t *rows);
void table_resume_added(json_t *result);
void table_resume_text(json_t *result);
void table_resume_removed(json_t *result);
void table_profile(json_t *profile);
void table_match(json_t *result, bool all);

#endif
