/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_match.c - `apptrackctl match`: how well a resume fits job descriptions.
 *
 * The client reads --resume-file and --jd-file itself (plain text, Markdown or PDF, as
 * `resume add`) and sends the text; the daemon scores it (matching.h) and returns the
 * score, the keywords and a suggestion.
 */
#include "ctl.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

static const struct opt match_opts[] = {
	{ "resume", true, "resume", false }, { "resume-file", true, NULL, false }, { "jd-file", true, NULL, false },
	{ "all", false, NULL, false },       { "mode", true, "mode", false },      { "limit", true, NULL, false },
	{ NULL, false, NULL, false },
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

/* The request's params from the options, into params; CTL_OK or CTL_USAGE. */
static int match_params(struct ctl *ctl, struct opts *o, json_t *params)
{
	int targets = (int)o->args->len + (opt(o, "jd-file") != NULL) + (opt(o, "all") != NULL);
	const char *v;
	int r;

	if (targets != 1)
		return ctl_usage(ctl, targets ? "give one of APP_ID, --jd-file or --all"
					      : "what to match: APP_ID, --jd-file F or --all");
	if (opt(o, "resume") && opt(o, "resume-file"))
		return ctl_usage(ctl, "--resume and --resume-file exclude each other");
	if ((v = opt(o, "mode")) && strcmp(v, "pair") != 0 && strcmp(v, "corpus") != 0)
		return ctl_usage(ctl, "--mode must be pair or corpus, not \"%s\"", v);
	if (o->args->len) {
		char *end;
		long long id = strtoll(o->args->pdata[0], &end, 10);
		if (*end || id <= 0)
			return ctl_usage(ctl, "\"%s\" is not an application id", (char *)o->args->pdata[0]);
		json_object_set_new(params, "application", json_integer(id));
	}
	if ((v = opt(o, "limit"))) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n <= 0)
			return ctl_usage(ctl, "--limit must be a positive number, not \"%s\"", v);
		json_object_set_new(params, "limit", json_integer(n));
	}
	if (opt(o, "all"))
		json_object_set_new(params, "all", json_true());
	if ((v = opt(o, "resume")))
		json_object_set_new(params, "resume", json_string(v));
	if ((v = opt(o, "mode")))
		json_object_set_new(params, "mode", json_string(v));
	if ((v = opt(o, "resume-file")) && (r = file_param(ctl, v, params, "resume_text")) != CTL_OK)
		return r;
	if ((v = opt(o, "jd-file")) && (r = file_param(ctl, v, params, "jd_text")) != CTL_OK)
		return r;
	return CTL_OK;
}

static int cmd_match(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object(), *result = NULL;
	int r = match_params(ctl, o, params);

	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	if ((r = ctl_call(ctl, "match", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->match(result, opt(o, "all") != NULL);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_match_entry = {
	.name = "match",
	.usage = "[--resume NAME | --resume-file F] (APP_ID | --jd-file F | --all) [--mode pair|corpus] [--limit N]",
	.summary = "Score a resume against job descriptions: keywords it has and lacks, and a suggestion",
	.opts = match_opts,
	/* one target: APP_ID, or an option instead */
	.max_args = 1,
	.too_many = "give one of APP_ID, --jd-file or --all",
	.exec = cmd_match,
};
