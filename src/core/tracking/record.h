/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record.h - the field tables of the records clients edit (applications, contacts): one
 * table per record names each field once, with its kind, limit and flags, and drives
 * validation, SQL column lists and the JSON shape. Private to src/core.
 */
#ifndef APPTRACK_RECORD_H
#define APPTRACK_RECORD_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum field_kind { FIELD_TEXT, FIELD_DATE, FIELD_STATUS, FIELD_TIME };
enum {
	FIELD_REQUIRED = 1 << 0,
	FIELD_IMPORT_ONLY = 1 << 1, /* only when times are kept (PIPELINE_KEEP_TIMES) */
	FIELD_NO_EDIT = 1 << 2,
};

struct field {
	const char *name;
	enum field_kind kind;
	size_t max;
	unsigned flags;
	const char *no_edit; /* FIELD_NO_EDIT: what to say instead of "cannot be edited", or NULL */
};

struct record {
	const char *table;
	const char *what; /* "application", for messages */
	const struct field *fields;
	size_t n_fields;
};

#define RECORD_FIELDS_MAX 16

/* Values read from a fields object: v[i] is field i's normalized text (owned) or NULL;
 * present[i] tells whether the object named field i at all. */
struct values {
	char *v[RECORD_FIELDS_MAX];
	bool present[RECORD_FIELDS_MAX];
};

void values_clear(struct values *vals);

/* Reads fields (an object) against rec into vals: unknown fields, wrong types, values over
 * their limit or of the wrong form are refused naming the field (-EINVAL, -E2BIG). A blank
 * value means none (it clears the field in an edit). editing: required fields may be left
 * out, FIELD_NO_EDIT ones are refused; keep_times: FIELD_IMPORT_ONLY ones are accepted. */
int record_read(const struct record *rec, json_t *fields, bool editing, bool keep_times, struct values *vals,
		GError **error);

#endif
