/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods_app.c - the methods of the records the user keeps: applications, reminders,
 * contacts and interviews, and the `upcoming` dashboard (docs/protocol.md).
 *
 * Each reads its parameters and calls the module that owns the record (applications.h,
 * reminders.h, contacts.h, interviews.h); the events it announces
 * are in its table entry (methods.c), with the ids left in call->id and call->application.
 */
#include "methods.h"

#include "apptrack/applications.h"
#include "apptrack/contacts.h"
#include "apptrack/error.h"
#include "apptrack/interviews.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"

/* ---- applications ---- */

int m_app_add(struct call *c)
{
	int r = applications_add(&c->d->pipeline, c->params, 0, &c->id, &c->error);

	return r < 0 ? r : applications_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_list(struct call *c)
{
	return applications_list_text(c->d->store, c->params, &c->raw, &c->error);
}

int m_app_board(struct call *c)
{
	return applications_board(c->d->store, c->params, &c->result, &c->error);
}

int m_app_show(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : applications_show(c->d->store, c->id, &c->result, &c->error);
}

/* The record's id into c->id, and the fields to change (new reference): the other
 * parameters, at least one. */
static int edit_params(struct call *c, json_t **ret_fields)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	if (r < 0)
		return r;
	json_t *fields = fields_without(c->params, "id");
	if (json_object_size(fields) == 0) {
		json_decref(fields);
		return at_error_set(&c->error, -EINVAL, "nothing to change: give at least one field");
	}
	*ret_fields = fields;
	return 0;
}

int m_app_edit(struct call *c)
{
	json_t *fields = NULL;
	int r = edit_params(c, &fields);

	if (r < 0)
		return r;
	r = applications_edit(&c->d->pipeline, c->id, fields, &c->error);
	json_decref(fields);
	return r < 0 ? r : applications_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_status(struct call *c)
{
	const char *status = NULL, *note = NULL;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_string(c->params, "status", true, &status, &c->error)) < 0 ||
	    (r = param_string(c->params, "note", false, &note, &c->error)) < 0)
		return r;
	r = applications_set_status(&c->d->pipeline, c->id, status, note, 0, NULL, &c->error);
	return r < 0 ? r : applications_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_note(struct call *c)
{
	const char *text = NULL;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_string(c->params, "text", true, &text, &c->error)) < 0)
		return r;
	return applications_note(&c->d->pipeline, c->id, text, &c->result, &c->error);
}

int m_app_remove(struct call *c)
{
	return remove_by_id(c, applications_remove);
}

/* ---- reminders ---- */

int m_rem_list(struct call *c)
{
	bool all = false;
	int r = param_bool(c->params, "all", &all, &c->error);

	return r < 0 ? r : reminders_list(c->d->store, all, &c->result, &c->error);
}

int m_rem_done(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : reminders_done(&c->d->pipeline, c->id, &c->result, &c->error);
}

int m_rem_snooze(struct call *c)
{
	const char *text = NULL;
	int64_t seconds = 0;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_string(c->params, "for", true, &text, &c->error)) < 0)
		return r;
	if (time_parse_duration(text, &seconds) < 0 || seconds <= 0)
		return at_error_set(&c->error, -EINVAL,
				    "bad duration \"%s\": use a number with s, m, h, d or w, e.g. 2d", text);
	return reminders_snooze(&c->d->pipeline, c->id, seconds, &c->result, &c->error);
}

/* ---- contacts ---- */

int m_contact_add(struct call *c)
{
	int r = contacts_add(&c->d->pipeline, c->params, &c->result, &c->error);

	if (r == 0)
		c->id = json_integer_value(json_object_get(c->result, "id"));
	return r;
}

int m_contact_list(struct call *c)
{
	const char *search = NULL;
	int r = param_string(c->params, "search", false, &search, &c->error);

	return r < 0 ? r : contacts_list(c->d->store, search, &c->result, &c->error);
}

int m_contact_show(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : contacts_show(c->d->store, c->id, &c->result, &c->error);
}

int m_contact_edit(struct call *c)
{
	json_t *fields = NULL;
	int r = edit_params(c, &fields);

	if (r < 0)
		return r;
	r = contacts_edit(&c->d->pipeline, c->id, fields, &c->result, &c->error);
	json_decref(fields);
	return r;
}

int m_contact_remove(struct call *c)
{
	return remove_by_id(c, contacts_remove);
}

int m_contact_link(struct call *c)
{
	bool unlink = false;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_id(c->params, "application", &c->application, &c->error)) < 0 ||
	    (r = param_bool(c->params, "unlink", &unlink, &c->error)) < 0 ||
	    (r = contacts_link(&c->d->pipeline, c->id, c->application, unlink, &c->error)) < 0)
		return r;
	return contacts_show(c->d->store, c->id, &c->result, &c->error);
}

/* ---- interviews ---- */

int m_interview_add(struct call *c)
{
	int r = interviews_add(&c->d->pipeline, c->params, &c->result, &c->error);

	if (r == 0) {
		c->id = json_integer_value(json_object_get(c->result, "id"));
		c->application = json_integer_value(json_object_get(c->result, "application_id"));
	}
	return r;
}

int m_interview_edit(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	if (r < 0)
		return r;
	json_t *fields = fields_without(c->params, "id");
	r = interviews_edit(&c->d->pipeline, c->id, fields, &c->result, &c->error);
	json_decref(fields);
	return r;
}

int m_interview_remove(struct call *c)
{
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = interviews_remove(&c->d->pipeline, c->id, &c->application, &c->error)) < 0)
		return r;
	c->result = json_pack("{s:I}", "removed", (json_int_t)c->id);
	return 0;
}

int m_interview_list(struct call *c)
{
	const char *type = NULL;
	int64_t from, to;
	int r;

	if ((r = param_time(c->params, "from", &from, &c->error)) < 0 ||
	    (r = param_time(c->params, "to", &to, &c->error)) < 0 ||
	    (r = param_string(c->params, "type", false, &type, &c->error)) < 0)
		return r;
	return interviews_list(c->d->store, from, to, type, &c->result, &c->error);
}

int m_upcoming(struct call *c)
{
	json_t *days = json_object_get(c->params, "days"), *limit = json_object_get(c->params, "limit");

	if (days && (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 3660))
		return at_error_set(&c->error, -EINVAL, "parameter \"days\" must be a number from 1 to 3660");
	if (limit && (!json_is_integer(limit) || json_integer_value(limit) < 1 ||
		      json_integer_value(limit) > INTERVIEWS_UPCOMING_MAX_LIMIT))
		return at_error_set(&c->error, -EINVAL, "parameter \"limit\" must be a number from 1 to %d",
				    INTERVIEWS_UPCOMING_MAX_LIMIT);
	return interviews_upcoming(c->d->store, time_now(), days ? (int)json_integer_value(days) : 7,
				   limit ? json_integer_value(limit) : INTERVIEWS_UPCOMING_LIMIT, &c->result, &c->error);
}
