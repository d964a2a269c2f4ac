/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.c - reading a record's fields against its field table (record.h). */
#include "record.h"

#include "apptrack/error.h"
#include "apptrack/pipeline.h"
#include "apptrack/timeutil.h"

#include <string.h>

void values_clear(struct values *vals)
{
	for (size_t i = 0; i < G_N_ELEMENTS(vals->v); i++)
		g_free(vals->v[i]);
}

/* text arrives trimmed and non-empty. */
static int normalize(const struct field *f, const char *text, char **ret, GError **error)
{
	char date[TIME_DATE_LEN], iso[TIME_ISO_LEN];
	enum app_status st;
	int64_t t;

	switch (f->kind) {
	case FIELD_TEXT:
		*ret = g_strdup(text);
		return 0;
	case FIELD_DATE:
		if (time_parse_date(text, date, NULL) < 0)
			return at_error_set(error, -EINVAL, "%s \"%s\" is not a date (use YYYY-MM-DD)", f->name, text);
		*ret = g_strdup(date);
		return 0;
	case FIELD_STATUS:
		if (status_parse(text, &st) < 0)
			return status_unknown(text, error);
		*ret = g_strdup(status_name(st));
		return 0;
	case FIELD_TIME:
		if (time_parse_iso(text, &t) < 0)
			return at_error_set(error, -EINVAL, "%s \"%s\" is not an ISO 8601 time", f->name, text);
		*ret = g_strdup(time_format_iso(t, iso));
		return 0;
	}
	return -EINVAL;
}

static int unknown_field(const struct record *rec, const char *key, GError **error)
{
	g_autoptr(GString) known = g_string_new(NULL);

	for (size_t i = 0; i < rec->n_fields; i++)
		if (!(rec->fields[i].flags & FIELD_IMPORT_ONLY))
			g_string_append_printf(known, "%s%s", known->len ? ", " : "", rec->fields[i].name);
	return at_error_set(error, -EINVAL, "unknown field \"%s\" (%s fields: %s)", key, rec->what, known->str);
}

int record_read(const struct record *rec, json_t *fields, bool editing, bool keep_times, struct values *vals,
		GError **error)
{
	const char *key;
	json_t *value;

	g_return_val_if_fail(rec->n_fields <= RECORD_FIELDS_MAX, -EINVAL);
	if (!json_is_object(fields))
		return at_error_set(error, -EINVAL, "%s fields must be an object", rec->what);
	json_object_foreach (fields, key, value) {
		size_t i;
		for (i = 0; i < rec->n_fields; i++)
			if (strcmp(rec->fields[i].name, key) == 0)
				break;
		if (i == rec->n_fields)
			return unknown_field(rec, key, error);
		const struct field *f = &rec->fields[i];
		if ((f->flags & FIELD_IMPORT_ONLY) && !keep_times)
			return at_error_set(error, -EINVAL, "field \"%s\" is set by apptrack and cannot be given", key);
		if (editing && (f->flags & FIELD_NO_EDIT)) {
			if (f->no_edit)
				return at_error_set(error, -EINVAL, "%s", f->no_edit);
			return at_error_set(error, -EINVAL, "field \"%s\" cannot be edited", key);
		}
		vals->present[i] = true;
		if (json_is_null(value))
			continue;
		if (!json_is_string(value))
			return at_error_set(error, -EINVAL, "field \"%s\" must be a string", key);
		if (json_string_length(value) > f->max)
			return at_error_set(error, -E2BIG, "field \"%s\" is longer than its limit of %zu bytes", key,
					    f->max);
		if (memchr(json_string_value(value), '\0', json_string_length(value)))
			return at_error_set(error, -EINVAL, "field \"%s\" contains a NUL byte", key);
		g_autofree char *trimmed = g_strstrip(g_strdup(json_string_value(value)));
		char *norm = NULL;
		/* an empty value means none: it clears the field in an edit */
		if (*trimmed) {
			int r = normalize(f, trimmed, &norm, error);
			if (r < 0)
				return r;
		}
		g_free(vals->v[i]);
		vals->v[i] = norm;
	}
	for (size_t i = 0; i < rec->n_fields; i++) {
		if (!(rec->fields[i].flags & FIELD_REQUIRED) || vals->v[i])
			continue;
		if (!editing || vals->present[i])
			return at_error_set(error, -EINVAL, "%s needs a %s", rec->what, rec->fields[i].name);
	}
	return 0;
}
