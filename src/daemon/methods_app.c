/* methods_app.c - the methods of the records the user keeps: applications, reminders,
 * contacts and interviews, and the `upcoming` dashboard (docs/protocol.md).
 *
 * Each reads its parameters and calls the pipeline (pipeline.h); the events it announces
 * are in its table entry (methods.c), with the ids left in call->id and call->application.
 */
#include "methods.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"

/* ---- applications ---- */

int m_app_add(struct call *c)
{
	int r = pipeline_app_add(c->d->store, &c->d->delays, c->params, 0, &c->id, &c->error);

	return r < 0 ? r : pipeline_app_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_list(struct call *c)
{
	return pipeline_app_list_text(c->d->store, c->params, &c->raw, &c->error);
}

int m_app_show(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : pipeline_app_show(c->d->store, c->id, &c->result, &c->error);
}

int m_app_edit(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	if (r < 0)
		return r;
	json_t *fields = fields_without(c->params, "id");
	if (json_object_size(fields) == 0)
		r = at_error_set(&c->error, -EINVAL, "nothing to change: give at least one field");
	else
		r = pipeline_app_edit(c->d->store, c->id, fields, &c->error);
	json_decref(fields);
	return r < 0 ? r : pipeline_app_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_status(struct call *c)
{
	const char *status = NULL, *note = NULL;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_string(c->params, "status", true, &status, &c->error)) < 0 ||
	    (r = param_string(c->params, "note", false, &note, &c->error)) < 0)
		return r;
	r = pipeline_app_set_status(c->d->store, &c->d->delays, c->id, status, note, 0, NULL, &c->error);
	return r < 0 ? r : pipeline_app_get(c->d->store, c->id, &c->result, &c->error);
}

int m_app_note(struct call *c)
{
	const char *text = NULL;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_string(c->params, "text", true, &text, &c->error)) < 0)
		return r;
	return pipeline_app_note(c->d->store, c->id, text, &c->result, &c->error);
}

int m_app_remove(struct call *c)
{
	return remove_by_id(c, pipeline_app_remove);
}

/* ---- reminders ---- */

int m_rem_list(struct call *c)
{
	bool all = false;
	int r = param_bool(c->params, "all", &all, &c->error);

	return r < 0 ? r : pipeline_reminders_list(c->d->store, all, &c->result, &c->error);
}

int m_rem_done(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : pipeline_reminder_done(c->d->store, c->id, &c->result, &c->error);
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
	return pipeline_reminder_snooze(c->d->store, c->id, seconds, &c->result, &c->error);
}

/* ---- contacts ---- */

int m_contact_add(struct call *c)
{
	int r = pipeline_contact_add(c->d->store, c->params, &c->result, &c->error);

	if (r == 0)
		c->id = json_integer_value(json_object_get(c->result, "id"));
	return r;
}

int m_contact_list(struct call *c)
{
	const char *search = NULL;
	int r = param_string(c->params, "search", false, &search, &c->error);

	return r < 0 ? r : pipeline_contact_list(c->d->store, search, &c->result, &c->error);
}

int m_contact_show(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	return r < 0 ? r : pipeline_contact_show(c->d->store, c->id, &c->result, &c->error);
}

int m_contact_edit(struct call *c)
{
	int r = param_id(c->params, "id", &c->id, &c->error);

	if (r < 0)
		return r;
	json_t *fields = fields_without(c->params, "id");
	if (json_object_size(fields) == 0)
		r = at_error_set(&c->error, -EINVAL, "nothing to change: give at least one field");
	else
		r = pipeline_contact_edit(c->d->store, c->id, fields, &c->result, &c->error);
	json_decref(fields);
	return r;
}

int m_contact_remove(struct call *c)
{
	return remove_by_id(c, pipeline_contact_remove);
}

int m_contact_link(struct call *c)
{
	bool unlink = false;
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = param_id(c->params, "application", &c->application, &c->error)) < 0 ||
	    (r = param_bool(c->params, "unlink", &unlink, &c->error)) < 0 ||
	    (r = pipeline_contact_link(c->d->store, c->id, c->application, unlink, &c->error)) < 0)
		return r;
	return pipeline_contact_show(c->d->store, c->id, &c->result, &c->error);
}

/* ---- interviews ---- */

int m_interview_add(struct call *c)
{
	int r = pipeline_interview_add(c->d->store, &c->d->delays, c->params, &c->result, &c->error);

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
	r = pipeline_interview_edit(c->d->store, &c->d->delays, c->id, fields, &c->result, &c->error);
	json_decref(fields);
	return r;
}

/* The application of interview id, or 0 when there is no such interview. */
static int interview_application(store *s, int64_t id, int64_t *ret_app, GError **error)
{
	json_t *list = NULL, *item;
	size_t i;
	int r = pipeline_interview_list(s, 0, 0, NULL, &list, error);

	*ret_app = 0;
	if (r < 0)
		return r;
	json_array_foreach(list, i, item) {
		if (json_integer_value(json_object_get(item, "id")) == id)
			*ret_app = json_integer_value(json_object_get(item, "application_id"));
	}
	json_decref(list);
	return 0;
}

int m_interview_remove(struct call *c)
{
	int64_t id = 0;
	int r;

	/* the application it leaves, for its event (an unknown id: the removal says so) */
	if ((r = param_id(c->params, "id", &id, &c->error)) < 0 ||
	    (r = interview_application(c->d->store, id, &c->application, &c->error)) < 0)
		return r;
	return remove_by_id(c, pipeline_interview_remove);
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
	return pipeline_interview_list(c->d->store, from, to, type, &c->result, &c->error);
}

int m_upcoming(struct call *c)
{
	json_t *days = json_object_get(c->params, "days");

	if (days && (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 3660))
		return at_error_set(&c->error, -EINVAL, "parameter \"days\" must be a number from 1 to 3660");
	return pipeline_upcoming(c->d->store, time_now(), days ? (int)json_integer_value(days) : 7, &c->result,
				 &c->error);
}
