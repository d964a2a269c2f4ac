/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods.c - the control protocol's methods (docs/protocol.md): the method table, the
 * dispatcher, the parameter helpers, and the methods of no family (ping, version, watch,
 * stats, export, backup, calendar; import is importing.c's).
 *
 * Each table entry names its handler, the parameters it takes (so an unknown or
 * misspelt parameter is refused here with one message; methods whose parameters are the
 * application or contact fields themselves list none and leave validation to the core,
 * which knows the fields) and the events it announces on the change bus (changes.c) once
 * it succeeds, with the ids the handler left in the call. A method that declares events
 * writes: while an import writes (importing.c) the dispatcher queues it behind the write
 * gate, and runs it when the import is over; the others (pings, reads) run at once. The
 * handlers are by family in methods_app.c (applications, reminders, contacts, interviews),
 * methods_mail.c (rules.test, the review queue, mail.*), methods_profile.c (resumes,
 * profile, match), methods_web.c (web.login), learning.c (mail.learn, mail.unlearn) and
 * importing.c (import).
 */
#include "methods.h"

#include "apptrack/analytics.h"
#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/protocol.h"
#include "apptrack/timeutil.h"
#include "apptrack/transfer.h"
#include "apptrack/version.h"

#include <string.h>

#define METHOD_MAX_PARAMS 8
#define METHOD_MAX_EVENTS 2

/* What an event of a method carries. */
enum event_fields {
	EVENT_PLAIN,       /* nothing */
	EVENT_ID,          /* {"id": call->id} */
	EVENT_APPLICATION, /* {"id": call->application} */
	EVENT_REPORT,      /* call->report */
	EVENT_LESSONS,     /* {"lessons": N}; announced only when call->lessons_changed */
};

struct method_event {
	const char *name;
	enum event_fields fields;
};

typedef int (*method_fn)(struct call *c);

struct method {
	const char *name;
	method_fn exec;
	/* parameters accepted; the list is closed by NULL. fields_too: also any other key
	 * (the record's fields, validated by the core). */
	const char *params[METHOD_MAX_PARAMS];
	bool fields_too;
	/* writes on a connection of its own (import): waits for every writer in flight, and
	 * every write waits for it (the write gate, importing.c) */
	bool exclusive;
	/* announced after success, in this order */
	struct method_event events[METHOD_MAX_EVENTS];
};

/* ---- parameter helpers ---- */

int param_id(json_t *params, const char *key, int64_t *ret_id, GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v)
		return at_error_set(error, -EINVAL, "missing parameter \"%s\"", key);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a positive integer", key);
	*ret_id = json_integer_value(v);
	return 0;
}

int param_string(json_t *params, const char *key, bool required, const char **ret, GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v || json_is_null(v)) {
		if (required)
			return at_error_set(error, -EINVAL, "missing parameter \"%s\"", key);
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a string", key);
	*ret = json_string_value(v);
	return 0;
}

int param_bool(json_t *params, const char *key, bool *ret, GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v) {
		*ret = false;
		return 0;
	}
	if (!json_is_boolean(v))
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be true or false", key);
	*ret = json_is_true(v);
	return 0;
}

int param_time(json_t *params, const char *key, int64_t *ret_t, GError **error)
{
	const char *text = NULL;
	int r = param_string(params, key, false, &text, error);

	*ret_t = 0;
	if (r < 0 || !text)
		return r;
	if (time_parse_iso(text, ret_t) < 0)
		return at_error_set(error, -EINVAL, "bad time \"%s\" for %s: expected ISO 8601, like 2026-12-01T00:00:00Z",
				    text, key);
	return 0;
}

json_t *fields_without(json_t *params, const char *key)
{
	json_t *fields = json_copy(params);
	json_object_del(fields, key);
	return fields;
}

int remove_by_id(struct call *c, int (*remove)(const struct pipeline *, int64_t, GError **))
{
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = remove(&c->d->pipeline, c->id, &c->error)) < 0)
		return r;
	c->result = json_pack("{s:I}", "removed", (json_int_t)c->id);
	return 0;
}

/* ---- methods of no family ---- */

static int m_ping(struct call *c)
{
	c->result = json_pack("{s:b}", "pong", 1);
	return 0;
}

static int m_version(struct call *c)
{
	/* schema: what the database holds; schema_supported: what this apptrackd migrates it to */
	c->result = json_pack("{s:s,s:i,s:i,s:i}", "version", APPTRACK_VERSION, "protocol", PROTO_VERSION, "schema",
			      store_schema_version(c->d->store), "schema_supported", STORE_SCHEMA_VERSION);
	return 0;
}

/* The connection receives the events of the change bus from now on (control.c). */
static int m_watch(struct call *c)
{
	c->watch = true;
	c->result = json_pack("{s:b}", "watching", 1);
	return 0;
}

static int m_stats(struct call *c)
{
	struct an_data *data = NULL;
	const char *report = NULL;
	int r;

	if ((r = param_string(c->params, "report", false, &report, &c->error)) < 0)
		return r;
	if ((r = analytics_load(c->d->store, &data, &c->error)) < 0)
		return r;
	json_t *rest = fields_without(c->params, "report");
	r = analytics_report(data, report, rest, &c->result, &c->error);
	json_decref(rest);
	analytics_data_free(data);
	return r;
}

static int m_export(struct call *c)
{
	g_autofree char *csv = NULL;
	size_t count;

	int r = transfer_export_csv(c->d->store, &csv, &count, &c->error);
	if (r < 0)
		return r;
	c->result = json_pack("{s:s,s:I}", "csv", csv, "count", (json_int_t)count);
	return c->result ? 0 : at_error_set(&c->error, -EIO, "export is not valid UTF-8");
}

static int m_backup(struct call *c)
{
	const char *path = NULL;
	int64_t bytes = 0;
	int r;

	if ((r = param_string(c->params, "path", true, &path, &c->error)) < 0)
		return r;
	if (!g_path_is_absolute(path))
		return at_error_set(&c->error, -EINVAL, "backup path \"%s\" must be absolute", path);
	if ((r = store_backup(c->d->store, path, &bytes, &c->error)) < 0)
		return r;
	log_info("database backed up to %s", path);
	c->result = json_pack("{s:s,s:I}", "path", path, "bytes", (json_int_t)bytes);
	return 0;
}

static int m_calendar(struct call *c)
{
	c->result = calendar_info(c->d);
	return 0;
}

/* ---- the table ---- */

#define ID(name) { name, EVENT_ID }

static const struct method methods[] = {
	{ .name = "ping", .exec = m_ping },
	{ .name = "version", .exec = m_version },
	{ .name = "watch", .exec = m_watch },
	{ .name = "applications.add", .exec = m_app_add, .fields_too = true, .events = { ID("application.added") } },
	{ .name = "applications.list", .exec = m_app_list, .fields_too = true },
	{ .name = "applications.board", .exec = m_app_board, .params = { "limit" } },
	{ .name = "applications.show", .exec = m_app_show, .params = { "id" } },
	{ .name = "applications.edit", .exec = m_app_edit, .params = { "id" }, .fields_too = true,
	  .events = { ID("application.changed") } },
	{ .name = "applications.status", .exec = m_app_status, .params = { "id", "status", "note" },
	  .events = { ID("application.changed") } },
	{ .name = "applications.note", .exec = m_app_note, .params = { "id", "text" },
	  .events = { ID("application.changed") } },
	{ .name = "applications.remove", .exec = m_app_remove, .params = { "id" },
	  .events = { ID("application.removed") } },
	{ .name = "reminders.list", .exec = m_rem_list, .params = { "all" } },
	{ .name = "reminders.done", .exec = m_rem_done, .params = { "id" }, .events = { ID("reminder.changed") } },
	{ .name = "reminders.snooze", .exec = m_rem_snooze, .params = { "id", "for" },
	  .events = { ID("reminder.changed") } },
	{ .name = "contacts.add", .exec = m_contact_add, .fields_too = true, .events = { ID("contact.added") } },
	{ .name = "contacts.list", .exec = m_contact_list, .params = { "search" } },
	{ .name = "contacts.show", .exec = m_contact_show, .params = { "id" } },
	{ .name = "contacts.edit", .exec = m_contact_edit, .params = { "id" }, .fields_too = true,
	  .events = { ID("contact.changed") } },
	{ .name = "contacts.remove", .exec = m_contact_remove, .params = { "id" },
	  .events = { ID("contact.removed") } },
	{ .name = "contacts.link", .exec = m_contact_link, .params = { "id", "application", "unlink" },
	  .events = { ID("contact.changed"), { "application.changed", EVENT_APPLICATION } } },
	{ .name = "stats", .exec = m_stats, .params = { "report", "weeks", "limit" } },
	{ .name = "import", .exec = importing_import, .params = { "csv", "skip_bad" }, .exclusive = true,
	  .events = { { "import.done", EVENT_REPORT } } },
	{ .name = "export", .exec = m_export },
	{ .name = "backup", .exec = m_backup, .params = { "path" } },
	{ .name = "rules.test", .exec = m_rules_test, .params = { "messages" } },
	{ .name = "mail.status", .exec = m_mail_status },
	{ .name = "mail.sync", .exec = m_mail_sync },
	{ .name = "mail.model", .exec = m_mail_model },
	{ .name = "mail.learn", .exec = learning_learn, .params = { "kind", "messages" },
	  .events = { { "lessons.changed", EVENT_LESSONS } } },
	{ .name = "mail.unlearn", .exec = learning_unlearn, .params = { "messages" },
	  .events = { { "lessons.changed", EVENT_LESSONS } } },
	{ .name = "review.list", .exec = m_review_list },
	{ .name = "review.show", .exec = m_review_show, .params = { "id" } },
	{ .name = "review.apply", .exec = m_review_apply, .params = { "id", "application", "kind" },
	  .events = { ID("application.changed"), { "lessons.changed", EVENT_LESSONS } } },
	{ .name = "review.drop", .exec = m_review_drop, .params = { "id" }, .events = { ID("review.removed") } },
	{ .name = "review.retry", .exec = m_review_retry, .events = { { "review.changed", EVENT_REPORT } } },
	{ .name = "interviews.add", .exec = m_interview_add, .fields_too = true,
	  .events = { ID("interview.added"), { "application.changed", EVENT_APPLICATION } } },
	{ .name = "interviews.list", .exec = m_interview_list, .params = { "from", "to", "type" } },
	{ .name = "interviews.edit", .exec = m_interview_edit, .params = { "id" }, .fields_too = true,
	  .events = { ID("interview.changed") } },
	{ .name = "interviews.remove", .exec = m_interview_remove, .params = { "id" },
	  .events = { ID("interview.removed"), { "application.changed", EVENT_APPLICATION } } },
	{ .name = "upcoming", .exec = m_upcoming, .params = { "days", "limit" } },
	{ .name = "match", .exec = m_match, .params = { "resume", "resume_text", "application", "jd_text", "all", "mode", "limit" } },
	{ .name = "calendar", .exec = m_calendar },
	{ .name = "web.login", .exec = m_web_login },
	{ .name = "resumes.add", .exec = m_resume_add, .params = { "name", "text", "replace" },
	  .events = { ID("resume.added") } },
	{ .name = "resumes.list", .exec = m_resume_list },
	{ .name = "resumes.show", .exec = m_resume_show, .params = { "name" } },
	{ .name = "resumes.remove", .exec = m_resume_remove, .params = { "name" }, .events = { ID("resume.removed") } },
	{ .name = "resumes.default", .exec = m_resume_default, .params = { "name" },
	  .events = { ID("resume.changed") } },
	{ .name = "profile.get", .exec = m_profile_get },
	/* the profile fields themselves, checked by profile_set() with a suggestion */
	{ .name = "profile.set", .exec = m_profile_set, .fields_too = true,
	  .events = { { "profile.changed", EVENT_PLAIN } } },
};

const char *methods_name(size_t i)
{
	return i < G_N_ELEMENTS(methods) ? methods[i].name : NULL;
}

/* ---- the dispatcher ---- */

static int check_params(const struct method *m, json_t *params, GError **error)
{
	const char *key;
	json_t *value;

	if (m->fields_too)
		return 0;
	json_object_foreach(params, key, value) {
		bool known = false;
		for (size_t i = 0; i < METHOD_MAX_PARAMS && m->params[i]; i++)
			known = known || strcmp(m->params[i], key) == 0;
		if (!known)
			return at_error_set(error, -EINVAL, "%s: unknown parameter \"%s\"", m->name, key);
	}
	return 0;
}

/* The events of the call's method, on the change bus. */
static void announce(struct call *c)
{
	for (size_t i = 0; c->m && i < METHOD_MAX_EVENTS && c->m->events[i].name; i++) {
		const struct method_event *ev = &c->m->events[i];
		json_t *fields = NULL;

		switch (ev->fields) {
		case EVENT_PLAIN:
			break;
		case EVENT_ID:
			fields = json_pack("{s:I}", "id", (json_int_t)c->id);
			break;
		case EVENT_APPLICATION:
			fields = json_pack("{s:I}", "id", (json_int_t)c->application);
			break;
		case EVENT_REPORT:
			fields = json_incref(c->report);
			break;
		case EVENT_LESSONS:
			if (!c->lessons_changed || !(fields = learning_event(c->d)))
				continue;
			break;
		}
		daemon_changed(c->d, ev->name, fields);
		json_decref(fields);
	}
}

/* A method that changes stored data: it declares the events that say so. */
static bool writes(const struct method *m)
{
	return m && m->events[0].name;
}

/* Announces the events of a call that succeeded, answers it and frees it; a writer that
 * was in flight lets the writes waiting for it go on. */
static void call_end(struct call *c, int r)
{
	struct daemon *d = c->d;
	bool in_flight = c->in_flight;

	if (r == 0)
		announce(c);
	c->reply(c, r, c->target);
	json_decref(c->params);
	json_decref(c->result);
	g_free(c->raw);
	json_decref(c->data);
	g_clear_error(&c->error);
	json_decref(c->report);
	g_free(c);
	if (in_flight)
		gate_writer_end(d);
}

/* Ends a call, unless it failed with a result half built: that is not sent. */
static void call_end_clean(struct call *c, int r)
{
	if (r < 0) {
		g_clear_pointer(&c->result, json_decref);
		g_clear_pointer(&c->raw, g_free);
	}
	call_end(c, r);
}

void call_finish(struct call *c, int r)
{
	if (c->dispatching) { /* answered before its handler returned: the dispatcher ends it */
		c->finished = true;
		c->r = r;
		return;
	}
	call_end(c, r);
}

/* Runs the handler of a call whose parameters were checked, and ends the call unless it
 * answers later: 0, or -EINPROGRESS (call_finish() ends it). */
static int dispatch(struct call *c)
{
	int r;

	c->dispatching = true;
	r = c->m->exec(c);
	c->dispatching = false;
	if (r == -EINPROGRESS && !c->finished) {
		if (writes(c->m)) {
			c->in_flight = true;
			gate_writer_begin(c->d);
		}
		return r;
	}
	if (r == -EINPROGRESS)
		r = c->r;
	call_end_clean(c, r);
	return 0;
}

/* The gate opened: a write that waited runs (answered later: its reply goes back now). */
static void dispatch_later(struct daemon *d, void *data)
{
	(void)d;
	dispatch(data);
}

int methods_call(struct daemon *d, const char *method, json_t *params, call_reply_fn reply, void *target)
{
	struct call *c = g_new0(struct call, 1);
	int r = -ENOSYS;

	*c = (struct call){ .d = d, .method = method, .params = json_incref(params), .reply = reply, .target = target };
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++) {
		if (strcmp(methods[i].name, method) == 0) {
			c->m = &methods[i];
			c->method = c->m->name;
			break;
		}
	}
	if (!c->m) {
		r = at_error_set(&c->error, -ENOSYS, "unknown method \"%s\"", method);
	} else if ((r = check_params(c->m, params, &c->error)) == 0) {
		if (writes(c->m) && gate_closed(d, c->m->exclusive)) {
			gate_defer(d, c->m->exclusive, dispatch_later, c); /* an import is writing */
			return -EINPROGRESS;
		}
		return dispatch(c);
	}
	call_end_clean(c, r);
	return 0;
}
