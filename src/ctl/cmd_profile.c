/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_profile.c - apptrackctl resume ... and apptrackctl profile: the user's resumes and
 * profile, for the matcher to score against job descriptions.
 *
 * `resume add` reads the file here, as the user, with document_read_text() (plain text,
 * Markdown or PDF, told apart by content; run by the helper apptrack-reader, reader.c)
 * and sends only the text, so the daemon never opens user paths. A file that cannot be read or has no usable text is a usage error
 * (exit 2), and nothing is sent.
 */
#include "ctl.h"
#include "output.h"

/* ---- resume ---- */

static const struct opt resume_add_opts[] = { { "replace", false, NULL, false }, { NULL, false, NULL, false } };

static int cmd_resume_add(struct ctl *ctl, struct opts *o)
{
	g_autofree char *text = NULL;
	json_t *result = NULL;
	int r = ctl_read_document(ctl, o->args->pdata[1], &text);

	if (r != CTL_OK)
		return r;
	json_t *params = json_pack("{s:s,s:s,s:b}", "name", (char *)o->args->pdata[0], "text", text, "replace",
				   opt(o, "replace") != NULL);
	if ((r = ctl_call(ctl, "resumes.add", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->resume_added(result);
	json_decref(result);
	return CTL_OK;
}

/* resume list, and `resume` alone */
static int cmd_resume_list(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "resumes.list", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->resumes(result);
	json_decref(result);
	return CTL_OK;
}

/* Commands of the shape "NAME": show, rm, default. */
static int name_command(struct ctl *ctl, struct opts *o, const char *method, void (*print)(json_t *))
{
	json_t *result = NULL;
	int r = ctl_call(ctl, method, json_pack("{s:s}", "name", (char *)o->args->pdata[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	print(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_resume_show(struct ctl *ctl, struct opts *o)
{
	return name_command(ctl, o, "resumes.show", ctl->out->resume_text);
}

static int cmd_resume_rm(struct ctl *ctl, struct opts *o)
{
	return name_command(ctl, o, "resumes.remove", ctl->out->resume_removed);
}

static int cmd_resume_default(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "resumes.default", json_pack("{s:s}", "name", (char *)o->args->pdata[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "\"%s\" is now the default resume", json_string_value(json_object_get(result, "name")));
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_resume_add_entry = {
	.name = "add",
	.usage = "NAME FILE [--replace]",
	.summary = "Store the text of FILE (text, Markdown or PDF) as resume NAME; --replace swaps an existing one's text",
	.opts = resume_add_opts,
	.required = { { NULL, "give a name and a file" }, { NULL, "give a name and a file" } },
	.max_args = 2,
	.exec = cmd_resume_add,
};

static const struct command cmd_resume_list_entry = {
	.name = "list",
	.usage = "",
	.summary = "List the stored resumes; the default is marked *",
	.exec = cmd_resume_list,
};

static const struct command cmd_resume_show_entry = {
	.name = "show",
	.usage = "NAME",
	.summary = "Print a resume's text",
	.required = { { NULL, "missing the resume name" } },
	.max_args = 1,
	.exec = cmd_resume_show,
};

static const struct command cmd_resume_rm_entry = {
	.name = "rm",
	.usage = "NAME",
	.summary = "Remove a resume (removing the default makes the newest other one the default)",
	.required = { { NULL, "missing the resume name" } },
	.max_args = 1,
	.exec = cmd_resume_rm,
};

static const struct command cmd_resume_default_entry = {
	.name = "default",
	.usage = "NAME",
	.summary = "Make a resume the default, the one matching uses",
	.required = { { NULL, "missing the resume name" } },
	.max_args = 1,
	.exec = cmd_resume_default,
};

static const struct command *const resume_commands[] = {
	&cmd_resume_add_entry, &cmd_resume_list_entry,    &cmd_resume_show_entry,
	&cmd_resume_rm_entry,  &cmd_resume_default_entry, NULL,
};

/* `resume` alone lists; anything else there is a subcommand that does not exist. */
const struct command cmd_resume_entry = {
	.name = "resume",
	.usage = "add NAME FILE [--replace] | list | show NAME | rm NAME | default NAME",
	.summary = "Your resumes (text, Markdown or PDF files); one is the default",
	.too_many = "unknown subcommand \"%s\" (use add, list, show, rm or default)",
	.exec = cmd_resume_list,
	.sub = resume_commands,
};

/* ---- profile ---- */

/* --link may be given many times: every --link is one link */
static const struct opt profile_opts[] = {
	{ "name", true, "name", false },         { "email", true, "email", false },
	{ "phone", true, "phone", false },       { "location", true, "location", false },
	{ "position", true, "position", false }, { "skills", true, "skills", false },
	{ "link", true, NULL, true },            { NULL, false, NULL, false },
};

static int cmd_profile(struct ctl *ctl, struct opts *o)
{
	GPtrArray *links = opt_all(o, "link");
	json_t *fields = json_object(), *result = NULL;
	int r;

	for (const struct opt *k = profile_opts; k->name; k++)
		if (k->field && opt(o, k->name))
			json_object_set_new(fields, k->field, json_string(opt(o, k->name)));
	if (links) {
		/* --link "" alone clears them */
		json_t *arr = json_array();
		for (guint i = 0; i < links->len; i++)
			if (*(const char *)links->pdata[i])
				json_array_append_new(arr, json_string(links->pdata[i]));
		json_object_set_new(fields, "links", arr);
	}
	if (json_object_size(fields) == 0) {
		json_decref(fields);
		r = ctl_call(ctl, "profile.get", NULL, &result, NULL);
	} else {
		r = ctl_call(ctl, "profile.set", fields, &result, NULL);
	}
	if (r != CTL_OK)
		return r;
	ctl->out->profile(result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_profile_entry = {
	.name = "profile",
	.usage = "[--name N] [--email E] [--phone P] [--location L] [--position P] [--skills \"A, B\"] [--link URL]...",
	.summary = "Show your profile, or change the fields given",
	.opts = profile_opts,
	.too_many = "unexpected argument \"%s\" (options are --FIELD VALUE)",
	.exec = cmd_profile,
};
