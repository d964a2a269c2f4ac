/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_app.c - apptrackctl's application commands: add, list, show, edit, status, note, rm,
 * and stats, the reports over them.
 *
 * Each handler gets its options parsed and its arguments counted by the dispatcher
 * (commands.c), builds the request, calls the daemon once and shows the result through
 * ctl->out.
 */
#include "ctl.h"
#include "output.h"

#include <stdio.h>
#include <string.h>

/* add and edit: the fields of an application */
static const struct opt app_opts[] = {
	{ "company", true, "company", false },   { "position", true, "position", false },
	{ "status", true, "status", false },     { "source", true, "source", false },
	{ "location", true, "location", false }, { "salary", true, "salary", false },
	{ "url", true, "url", false },           { "jd-file", true, NULL, false },
	{ "applied-on", true, "applied_at", false }, { "notes", true, "notes", false },
	{ "jd-url", true, NULL, false },         { NULL, false, NULL, false },
};

static int cmd_add(struct ctl *ctl, struct opts *o)
{
	json_t *params, *result = NULL;
	int r;

	if (!opt(o, "company"))
		return ctl_usage(ctl, "--company is required");
	if (!opt(o, "position"))
		return ctl_usage(ctl, "--position is required");
	params = json_object();
	if ((r = ctl_fields_from_opts(ctl, o, params)) != CTL_OK) {
		json_decref(params);
		return r;
	}
	if ((r = ctl_call(ctl, "applications.add", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_add_entry = {
	.name = "add",
	.usage = "--company C --position P [--status S] [--source S] [--location L] [--salary S] [--url U] "
		 "[--jd-file F | --jd-url URL] [--applied-on YYYY-MM-DD] [--notes N]",
	.summary = "Track a new application; prints its id",
	.opts = app_opts,
	.exec = cmd_add,
};

static const struct opt list_opts[] = {
	{ "status", true, "status", false }, { "source", true, "source", false }, { "company", true, "company", false },
	{ "search", true, "search", false }, { "since", true, "since", false },   { "until", true, "until", false },
	{ "sort", true, "sort", false },     { "limit", true, NULL, false },      { "offset", true, NULL, false },
	{ NULL, false, NULL, false },
};

static int cmd_list(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object();
	json_int_t n = 0;
	int r = CTL_OK;

	for (const struct opt *k = list_opts; r == CTL_OK && k->name; k++) {
		const char *v = opt(o, k->name);
		if (!v)
			continue;
		if (k->field) {
			if ((!strcmp(k->name, "since") || !strcmp(k->name, "until")) &&
			    (r = ctl_check_date(ctl, k->name, v)) != CTL_OK)
				break;
			json_object_set_new(params, k->field, json_string(v));
		} else if ((r = ctl_parse_count(ctl, k->name, v, 0, &n)) == CTL_OK) {
			json_object_set_new(params, k->name, json_integer(n));
		}
	}
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	return ctl_call_show(ctl, "applications.list", params, ctl->out->applications);
}

const struct command cmd_list_entry = {
	.name = "list",
	.usage = "[--status S] [--source S] [--company C] [--search TEXT] [--since DATE] [--until DATE] [--sort FIELD] "
		 "[--limit N] [--offset N]",
	.summary = "List applications",
	.opts = list_opts,
	.exec = cmd_list,
};

static int cmd_show(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "applications.show", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->application(result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_show_entry = {
	.name = "show",
	.usage = "ID",
	.summary = "Show an application with its timeline, reminders, interviews and contacts",
	.required = { { "application", NULL } },
	.max_args = 1,
	.exec = cmd_show,
};

static int cmd_edit(struct ctl *ctl, struct opts *o)
{
	json_t *params, *result = NULL;
	int r;

	if (opt(o, "status"))
		return ctl_usage(ctl, "status is changed with: apptrackctl status ID STATUS");
	params = json_object();
	if ((r = ctl_fields_from_opts(ctl, o, params)) == CTL_OK && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give at least one --FIELD VALUE");
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	json_object_set_new(params, "id", json_integer(o->id[0]));
	if ((r = ctl_call(ctl, "applications.edit", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "updated application %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_edit_entry = {
	.name = "edit",
	.usage = "ID --FIELD VALUE...",
	.summary = "Change an application's fields (the options of add, but --status)",
	.opts = app_opts,
	.required = { { "application", NULL } },
	.max_args = 1,
	.exec = cmd_edit,
};

static const struct opt status_opts[] = { { "note", true, "note", false }, { NULL, false, NULL, false } };

static int cmd_status(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_pack("{s:I,s:s}", "id", o->id[0], "status", (char *)o->args->pdata[1]), *result = NULL;
	int r;

	if (opt(o, "note"))
		json_object_set_new(params, "note", json_string(opt(o, "note")));
	if ((r = ctl_call(ctl, "applications.status", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "application %" JSON_INTEGER_FORMAT " is now %s", o->id[0],
		       json_string_value(json_object_get(result, "status")));
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_status_entry = {
	.name = "status",
	.usage = "ID STATUS [--note N]",
	.summary = "Move an application to another status",
	.opts = status_opts,
	.required = { { "application", NULL }, { NULL, "missing the new status" } },
	.max_args = 2,
	.too_many = "too many arguments",
	.exec = cmd_status,
};

static int cmd_note(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r;

	g_ptr_array_add(o->args, NULL);
	g_autofree char *text = g_strjoinv(" ", (char **)o->args->pdata + 1);
	if ((r = ctl_call(ctl, "applications.note", json_pack("{s:I,s:s}", "id", o->id[0], "text", text), &result,
			  NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "noted on application %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_note_entry = {
	.name = "note",
	.usage = "ID TEXT...",
	.summary = "Add a note to an application's timeline",
	.required = { { "application", NULL }, { NULL, "missing the note's text" } },
	.max_args = ARGS_ANY,
	.exec = cmd_note,
};

static int cmd_rm(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "applications.remove", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "removed application %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_rm_entry = {
	.name = "rm",
	.usage = "ID",
	.summary = "Remove an application and its history",
	.required = { { "application", NULL } },
	.max_args = 1,
	.exec = cmd_rm,
};

/* ---- stats ---- */

static const struct opt stats_opts[] = {
	{ "weeks", true, NULL, false }, { "limit", true, NULL, false }, { NULL, false, NULL, false },
};

static int cmd_stats(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object(), *result = NULL;
	const char *report = o->args->len ? o->args->pdata[0] : "overview";
	json_int_t n = 0;
	int r = CTL_OK;

	for (const struct opt *k = stats_opts; r == CTL_OK && k->name; k++)
		if (opt(o, k->name) && (r = ctl_parse_count(ctl, k->name, opt(o, k->name), 0, &n)) == CTL_OK)
			json_object_set_new(params, k->name, json_integer(n));
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	json_object_set_new(params, "report", json_string(report));
	if ((r = ctl_call(ctl, "stats", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->stats(report, result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_stats_entry = {
	.name = "stats",
	.usage = "[overview|pipeline|trends|sources|months|positions|locations] [--weeks N] [--limit N]",
	.summary = "Pipeline statistics",
	.opts = stats_opts,
	.max_args = 1,
	.exec = cmd_stats,
};
