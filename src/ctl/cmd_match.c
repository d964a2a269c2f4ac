/* cmd_match.c - `apptrackctl match`: how well a resume fits job descriptions.
 *
 * The client reads --resume-file and --jd-file itself (plain text, Markdown or PDF, as
 * `resume add`) and sends the text; the daemon scores it (matching.h) and returns the
 * score, the keywords and a suggestion.
 */
#include "ctl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_TABLE_MISSING 3 /* missing keywords shown per row of `match --all` */

static const struct opt match_opts[] = {
	{ "resume", true, "resume" }, { "resume-file", true, NULL }, { "jd-file", true, NULL },
	{ "all", false, NULL },       { "mode", true, "mode" },      { "limit", true, NULL },
};

/* Reads a text, Markdown or PDF file into params[field]. */
static int file_param(struct ctl *ctl, const char *path, json_t *params, const char *field)
{
	g_autofree char *text = NULL;
	int r = ctl_read_document(ctl, path, &text);

	if (r == CTL_OK)
		json_object_set_new(params, field, json_string(text));
	return r;
}

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

int ctl_cmd_match(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	int r = parse_opts(ctl, argc, argv, match_opts, G_N_ELEMENTS(match_opts), &o);
	const char *v;
	int targets;
	bool all;

	if (r != CTL_OK)
		goto done;
	targets = (int)o.args->len + (opt(&o, "jd-file") != NULL) + (opt(&o, "all") != NULL);
	if (targets != 1) {
		r = ctl_usage(ctl, targets ? "give one of APP_ID, --jd-file or --all" : "what to match: APP_ID, --jd-file F or --all");
		goto done;
	}
	if (opt(&o, "resume") && opt(&o, "resume-file")) {
		r = ctl_usage(ctl, "--resume and --resume-file exclude each other");
		goto done;
	}
	if ((v = opt(&o, "mode")) && strcmp(v, "pair") != 0 && strcmp(v, "corpus") != 0) {
		r = ctl_usage(ctl, "--mode must be pair or corpus, not \"%s\"", v);
		goto done;
	}
	if (o.args->len) {
		char *end;
		long long id = strtoll(o.args->pdata[0], &end, 10);
		if (*end || id <= 0) {
			r = ctl_usage(ctl, "\"%s\" is not an application id", (char *)o.args->pdata[0]);
			goto done;
		}
		json_object_set_new(params, "application", json_integer(id));
	}
	if ((v = opt(&o, "limit"))) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n <= 0) {
			r = ctl_usage(ctl, "--limit must be a positive number, not \"%s\"", v);
			goto done;
		}
		json_object_set_new(params, "limit", json_integer(n));
	}
	if (opt(&o, "all"))
		json_object_set_new(params, "all", json_true());
	if ((v = opt(&o, "resume")))
		json_object_set_new(params, "resume", json_string(v));
	if ((v = opt(&o, "mode")))
		json_object_set_new(params, "mode", json_string(v));
	if ((v = opt(&o, "resume-file")) && (r = file_param(ctl, v, params, "resume_text")) != CTL_OK)
		goto done;
	if ((v = opt(&o, "jd-file")) && (r = file_param(ctl, v, params, "jd_text")) != CTL_OK)
		goto done;
	all = opt(&o, "all") != NULL;
	opts_clear(&o);
	if ((r = ctl_call(ctl, "match", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (all)
		print_all(result);
	else
		print_one(result);
	json_decref(result);
	return CTL_OK;
done:
	opts_clear(&o);
	json_decref(params);
	return r < 0 ? CTL_OK : r;
}
