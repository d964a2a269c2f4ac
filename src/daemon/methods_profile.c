/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods_profile.c - the methods of what the user tells about themselves: resumes
 * (resumes.add, list, show, remove, default), the profile (profile.get, profile.set) and
 * `match`, which reads them against job descriptions (docs/protocol.md; profile.h,
 * matching.h).
 */
#include "methods.h"

#include "apptrack/error.h"
#include "apptrack/matching.h"
#include "apptrack/profile.h"
#include "apptrack/resumes.h"

#include <string.h>

/* ---- resumes ---- */

/* The resume a request names: "name" as a string (a name, or an id in decimal) or a
 * positive number (an id). *ret: g_free. */
static int param_resume(json_t *params, char **ret, GError **error)
{
	json_t *v = json_object_get(params, "name");

	if (!v || json_is_null(v))
		return at_error_set(error, -EINVAL, "missing parameter \"name\"");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*ret = g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return at_error_set(error, -EINVAL, "parameter \"name\" must be a resume name or id");
	*ret = g_strdup(json_string_value(v));
	return 0;
}

int m_resume_add(struct call *c)
{
	const char *name = NULL, *text = NULL;
	bool replace = false;
	int r;

	if ((r = param_string(c->params, "name", true, &name, &c->error)) < 0 ||
	    (r = param_string(c->params, "text", true, &text, &c->error)) < 0 ||
	    (r = param_bool(c->params, "replace", &replace, &c->error)) < 0 ||
	    (r = resume_add(c->d->store, name, text, replace, &c->result, &c->error)) < 0)
		return r;
	c->id = json_integer_value(json_object_get(c->result, "id"));
	return 0;
}

int m_resume_list(struct call *c)
{
	return resume_list(c->d->store, &c->result, &c->error);
}

int m_resume_show(struct call *c)
{
	g_autofree char *name = NULL;
	int r = param_resume(c->params, &name, &c->error);

	return r < 0 ? r : resume_show(c->d->store, name, &c->result, &c->error);
}

/* {"removed":ID,"name":NAME,"was_default":BOOL,"default":NAME or null}: the default
 * after the removal, so the client can say where it moved. */
int m_resume_remove(struct call *c)
{
	g_autofree char *name = NULL;
	int r;

	if ((r = param_resume(c->params, &name, &c->error)) < 0 ||
	    (r = resume_remove(c->d->store, name, &c->result, &c->error)) < 0)
		return r;
	c->id = json_integer_value(json_object_get(c->result, "removed"));
	return 0;
}

int m_resume_default(struct call *c)
{
	g_autofree char *name = NULL;
	int r;

	if ((r = param_resume(c->params, &name, &c->error)) < 0 ||
	    (r = resume_set_default(c->d->store, name, &c->error)) < 0 ||
	    (r = resume_show(c->d->store, name, &c->result, &c->error)) < 0)
		return r;
	json_object_del(c->result, "text");
	c->id = json_integer_value(json_object_get(c->result, "id"));
	return 0;
}

/* ---- the profile ---- */

int m_profile_get(struct call *c)
{
	return profile_get(c->d->store, &c->result, &c->error);
}

int m_profile_set(struct call *c)
{
	return profile_set(c->d->store, c->params, &c->result, &c->error);
}

/* ---- matching ---- */

int m_match(struct call *c)
{
	struct matching_request req = { 0 };
	const char *mode = NULL;
	json_t *params = c->params;
	json_t *app = json_object_get(params, "application"), *limit = json_object_get(params, "limit");
	GError **error = &c->error;
	int r;

	if ((r = param_string(params, "resume", false, &req.resume_name, error)) < 0 ||
	    (r = param_string(params, "resume_text", false, &req.resume_text, error)) < 0 ||
	    (r = param_string(params, "jd_text", false, &req.jd_text, error)) < 0 ||
	    (r = param_string(params, "mode", false, &mode, error)) < 0 ||
	    (r = param_bool(params, "all", &req.all, error)) < 0)
		return r;
	if (app && (r = param_id(params, "application", &req.application, error)) < 0)
		return r;
	if (limit) {
		if (!json_is_integer(limit) || json_integer_value(limit) <= 0)
			return at_error_set(error, -EINVAL, "parameter \"limit\" must be a positive integer");
		req.limit = (size_t)json_integer_value(limit);
	}
	if (req.resume_name && req.resume_text)
		return at_error_set(error, -EINVAL, "give \"resume\" or \"resume_text\", not both");
	if (mode && strcmp(mode, "pair") != 0 && strcmp(mode, "corpus") != 0)
		return at_error_set(error, -EINVAL, "unknown mode \"%s\": use pair or corpus", mode);
	req.pair = mode && strcmp(mode, "pair") == 0;
	return matching_run(c->d->store, &req, &c->result, error);
}
