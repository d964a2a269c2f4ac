/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_contacts.c - apptrackctl contacts: the people met during the search (recruiters,
 * interviewers), and their links to applications.
 */
#include "ctl.h"
#include "output.h"

#include <stdbool.h>

static const struct opt contact_opts[] = {
	{ "name", true, "name", false },   { "position", true, "position", false }, { "company", true, "company", false },
	{ "email", true, "email", false }, { "phone", true, "phone", false },       { "link", true, "links", false },
	{ "notes", true, "notes", false }, { NULL, false, NULL, false },
};

static int cmd_contacts_add(struct ctl *ctl, struct opts *o)
{
	json_t *params, *result = NULL;
	int r;

	if (!opt(o, "name"))
		return ctl_usage(ctl, "--name is required");
	params = json_object();
	if ((r = ctl_fields_from_opts(ctl, o, params)) != CTL_OK) {
		json_decref(params);
		return r;
	}
	if ((r = ctl_call(ctl, "contacts.add", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

static int cmd_contacts_edit(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object(), *result = NULL;
	int r = ctl_fields_from_opts(ctl, o, params);

	if (r == CTL_OK && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give at least one --FIELD VALUE");
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	json_object_set_new(params, "id", json_integer(o->id[0]));
	if ((r = ctl_call(ctl, "contacts.edit", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "updated contact %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

static const struct opt contacts_list_opts[] = { { "search", true, "search", false }, { NULL, false, NULL, false } };

static int cmd_contacts_list(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object();

	if (opt(o, "search"))
		json_object_set_new(params, "search", json_string(opt(o, "search")));
	return ctl_call_show(ctl, "contacts.list", params, ctl->out->contacts);
}

static int cmd_contacts_show(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "contacts.show", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->contact(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_contacts_rm(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "contacts.remove", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "removed contact %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

static const struct opt link_opts[] = { { "unlink", false, NULL, false }, { NULL, false, NULL, false } };

static int cmd_contacts_link(struct ctl *ctl, struct opts *o)
{
	bool unlink = opt(o, "unlink") != NULL;
	json_t *result = NULL;
	int r = ctl_call(ctl, "contacts.link",
			 json_pack("{s:I,s:I,s:b}", "id", o->id[0], "application", o->id[1], "unlink", unlink), &result,
			 NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "contact %" JSON_INTEGER_FORMAT " %s application %" JSON_INTEGER_FORMAT, o->id[0],
		       unlink ? "unlinked from" : "linked to", o->id[1]);
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_contacts_add_entry = {
	.name = "add",
	.usage = "--name N [--position P] [--company C] [--email E] [--phone P] [--link URL] [--notes N]",
	.summary = "Add a contact",
	.opts = contact_opts,
	.exec = cmd_contacts_add,
};

static const struct command cmd_contacts_list_entry = {
	.name = "list",
	.usage = "[--search TEXT]",
	.summary = "List contacts, or those whose name, company or position matches",
	.opts = contacts_list_opts,
	.exec = cmd_contacts_list,
};

static const struct command cmd_contacts_show_entry = {
	.name = "show",
	.usage = "ID",
	.summary = "Show a contact and the applications linked to it",
	.required = { { "contact", NULL } },
	.max_args = 1,
	.exec = cmd_contacts_show,
};

static const struct command cmd_contacts_edit_entry = {
	.name = "edit",
	.usage = "ID --FIELD VALUE...",
	.summary = "Change a contact's fields",
	.opts = contact_opts,
	.required = { { "contact", NULL } },
	.max_args = 1,
	.exec = cmd_contacts_edit,
};

static const struct command cmd_contacts_rm_entry = {
	.name = "rm",
	.usage = "ID",
	.summary = "Remove a contact",
	.required = { { "contact", NULL } },
	.max_args = 1,
	.exec = cmd_contacts_rm,
};

static const struct command cmd_contacts_link_entry = {
	.name = "link",
	.usage = "ID APP [--unlink]",
	.summary = "Link a contact to an application (or unlink it)",
	.opts = link_opts,
	.required = { { "contact", NULL }, { "application", NULL } },
	.max_args = 2,
	.too_many = "too many arguments",
	.exec = cmd_contacts_link,
};

static const struct command *const contacts_commands[] = {
	&cmd_contacts_add_entry, &cmd_contacts_list_entry, &cmd_contacts_show_entry,
	&cmd_contacts_edit_entry, &cmd_contacts_rm_entry,  &cmd_contacts_link_entry,
	NULL,
};

const struct command cmd_contacts_entry = {
	.name = "contacts",
	.usage = "add|list|show|edit|rm|link ...",
	.summary = "Manage contacts",
	.sub = contacts_commands,
};
