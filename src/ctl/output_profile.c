/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output_profile.c - the table backend's printers of resumes, the user's profile and
 * matches: the resume list with the default marked, a resume's text alone (so that it
 * can be piped to a file), the profile block, and match scores with their keywords.
 */
#include "ctl.h"
#include "output.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MARK "*"
#define MATCH_TABLE_MISSING 3 /* missing keywords shown per row of `match --all` */

static const struct column resume_columns[] = {
	{ "ID", "id", 0, false },          { "NAME", "name", 32, false },        { "DEFAULT", "mark", 0, false },
	{ "WORDS", "words", 0, false },    { "CREATED", "created_at", 0, true }, { "UPDATED", "updated_at", 0, true },
};

/* Prints a resume or profile block line: label, then the value or "-". */
static void block_line(const char *label, json_t *v)
{
	g_autofree char *text = out_text(v);
	printf("%-10s %s\n", label, text);
}

void table_resumes(json_t *rows)
{
	json_t *v;
	size_t i;

	if (json_array_size(rows) == 0) {
		printf("no resumes stored (add one with: apptrackctl resume add NAME FILE)\n");
		return;
	}
	json_array_foreach(rows, i, v)
		json_object_set_new(v, "mark", json_string(json_is_true(json_object_get(v, "is_default")) ? DEFAULT_MARK : ""));
	out_table(rows, resume_columns, G_N_ELEMENTS(resume_columns));
}

void table_resume_added(json_t *result)
{
	printf("%s resume \"%s\" (%" JSON_INTEGER_FORMAT " words)%s\n",
	       json_is_true(json_object_get(result, "replaced")) ? "replaced" : "added",
	       json_string_value(json_object_get(result, "name")), json_integer_value(json_object_get(result, "words")),
	       json_is_true(json_object_get(result, "is_default")) ? ", the default" : "");
}

/* the text alone, so that it can be piped or redirected to a file */
void table_resume_text(json_t *result)
{
	const char *text = json_string_value(json_object_get(result, "text"));

	if (text && *text) {
		fputs(text, stdout);
		if (text[strlen(text) - 1] != '\n')
			fputc('\n', stdout);
	}
}

void table_resume_removed(json_t *result)
{
	const char *now_default = json_string_value(json_object_get(result, "default"));

	printf("removed resume \"%s\"", json_string_value(json_object_get(result, "name")));
	if (json_is_true(json_object_get(result, "was_default")) && now_default)
		printf("; \"%s\" is now the default", now_default);
	else if (json_is_true(json_object_get(result, "was_default")))
		printf("; no resume is left");
	fputc('\n', stdout);
}

void table_profile(json_t *p)
{
	static const struct {
		const char *label;
		const char *key;
	} fields[] = {
		{ "Name:", "name" },         { "Email:", "email" },   { "Phone:", "phone" }, { "Location:", "location" },
		{ "Position:", "position" }, { "Skills:", "skills" },
	};
	json_t *links = json_object_get(p, "links"), *v;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(fields); i++)
		block_line(fields[i].label, json_object_get(p, fields[i].key));
	if (json_array_size(links) == 0)
		block_line("Links:", NULL);
	json_array_foreach(links, i, v)
		block_line(i == 0 ? "Links:" : "", v);
	if (json_is_null(json_object_get(p, "updated_at")))
		printf("\nnothing set yet: apptrackctl profile --name N --email E --skills \"A, B\" ...\n");
	else
		block_line("Updated:", json_object_get(p, "updated_at"));
}

/* ---- match ---- */

static char *joined(json_t *array, size_t most)
{
	GString *s = g_string_new(NULL);
	size_t i;
	json_t *v;

	json_array_foreach (array, i, v) {
		if (i == most) {
			g_string_append_printf(s, " (+%zu)", json_array_size(array) - most);
			break;
		}
		if (i)
			g_string_append(s, ", ");
		g_string_append(s, json_string_value(v));
	}
	return g_string_free(s, FALSE);
}

static void print_one(json_t *r)
{
	json_t *app = json_object_get(r, "application");
	g_autofree char *matching = joined(json_object_get(r, "matching_keywords"), SIZE_MAX);
	g_autofree char *missing = joined(json_object_get(r, "missing_keywords"), SIZE_MAX);

	printf("score:      %.2f / 100 (%s mode, resume %s)\n", json_real_value(json_object_get(r, "score")),
	       json_string_value(json_object_get(r, "mode")), json_string_value(json_object_get(r, "resume")));
	if (app)
		printf("for:        %" JSON_INTEGER_FORMAT " %s, %s\n", json_integer_value(json_object_get(app, "id")),
		       json_string_value(json_object_get(app, "company")), json_string_value(json_object_get(app, "position")));
	printf("matching:   %s\n", *matching ? matching : "-");
	printf("missing:    %s\n", *missing ? missing : "-");
	printf("suggestion: %s\n", json_string_value(json_object_get(r, "suggestion")));
}

static void print_all(json_t *results)
{
	static const struct column cols[] = {
		{ "SCORE", "score", 0, false },      { "ID", "id", 0, false },
		{ "COMPANY", "company", 24, false }, { "POSITION", "position", 28, false },
		{ "TOP MISSING", "missing", 48, false },
	};
	json_t *rows = json_array(), *r;
	size_t i;

	json_array_foreach (results, i, r) {
		json_t *app = json_object_get(r, "application");
		g_autofree char *score = g_strdup_printf("%.2f", json_real_value(json_object_get(r, "score")));
		g_autofree char *missing = joined(json_object_get(r, "missing_keywords"), MATCH_TABLE_MISSING);
		json_array_append_new(rows, json_pack("{ss sO sO sO ss}", "score", score, "id", json_object_get(app, "id"),
						      "company", json_object_get(app, "company"), "position",
						      json_object_get(app, "position"), "missing", missing));
	}
	out_table(rows, cols, G_N_ELEMENTS(cols));
	json_decref(rows);
}

void table_match(json_t *result, bool all)
{
	if (all)
		print_all(result);
	else
		print_one(result);
}
