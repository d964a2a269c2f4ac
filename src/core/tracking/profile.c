/* SPDX-License-Identifier: GPL-3.0-or-later */
/* profile.c - the user's profile row.
 *
 * Profile fields are a table (name, kind, limit) that drives validation, the UPDATE's
 * column list and the messages, so each field is named in one place. The profile table
 * is written here only.
 */
#include "apptrack/profile.h"

#include "apptrack/error.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* "did you mean": names this close (in edits, ignoring case) are suggested */
#define PROFILE_SUGGEST_DISTANCE 3
#define PROFILE_ROW_ID 1

static const char *now_iso(char buf[TIME_ISO_LEN])
{
	return time_format_iso(time_now(), buf);
}

/* ---- profile ---- */

enum profile_kind { P_TEXT, P_EMAIL, P_PHONE, P_SKILLS, P_LINKS };

static const struct profile_field {
	const char *name;
	enum profile_kind kind;
	size_t max; /* bytes of the value (P_SKILLS, P_LINKS: of one item) */
} profile_fields[] = {
	{ "name", P_TEXT, PROFILE_MAX_FIELD },      { "email", P_EMAIL, PROFILE_MAX_EMAIL },
	{ "phone", P_PHONE, PROFILE_MAX_PHONE },    { "location", P_TEXT, PROFILE_MAX_FIELD },
	{ "position", P_TEXT, PROFILE_MAX_FIELD }, { "skills", P_SKILLS, PROFILE_MAX_SKILL },
	{ "links", P_LINKS, PROFILE_MAX_LINK },
};
#define PROFILE_N_FIELDS G_N_ELEMENTS(profile_fields)

static int unknown_profile_field(const char *key, GError **error)
{
	const char *names[PROFILE_N_FIELDS + 1];
	const char *best;

	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		names[i] = profile_fields[i].name;
	names[PROFILE_N_FIELDS] = NULL;
	g_autofree char *known = g_strjoinv(", ", (char **)names);
	best = text_closest(key, names, PROFILE_N_FIELDS, PROFILE_SUGGEST_DISTANCE);
	if (best)
		return at_error_set(error, -EINVAL, "unknown profile field \"%s\" (did you mean \"%s\"? fields: %s)", key,
				    best, known);
	return at_error_set(error, -EINVAL, "unknown profile field \"%s\" (fields: %s)", key, known);
}

/* A one-line value: trimmed, not over max bytes, no control characters. *ret NULL when
 * blank. */
static int one_line(const char *field, const char *value, size_t max, char **ret, GError **error)
{
	g_autofree char *v = g_strstrip(g_strdup(value));

	if (strlen(v) > max)
		return at_error_set(error, -E2BIG, "profile %s is longer than its limit of %zu bytes", field, max);
	if (text_has_control(v))
		return at_error_set(error, -EINVAL, "profile %s must be one line of text", field);
	*ret = *v ? g_steal_pointer(&v) : NULL;
	return 0;
}

/* name@domain.tld: one '@', no white space, a dot inside the domain. */
static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@'), *domain;

	if (!at || at == e || strchr(at + 1, '@') || strpbrk(e, " \t<>,;\"()[]\\"))
		return false;
	domain = at + 1;
	return strchr(domain, '.') && domain[0] != '.' && domain[strlen(domain) - 1] != '.' && !strstr(domain, "..");
}

static bool link_ok(const char *l)
{
	return (strchr(l, '.') || strchr(l, ':')) && !strpbrk(l, " \t\r\n\"<>");
}

/* Collapses runs of white space to one space; trims. g_free. */
static char *squeeze(const char *text)
{
	GString *out = g_string_new(NULL);
	bool space = false;

	for (const char *p = text; *p; p++) {
		if (g_ascii_isspace(*p)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* Skills from a string (comma- or line-separated) or an array: the profile.h rules. */
static int normalize_skills(json_t *value, char **ret, GError **error)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	size_t i;
	json_t *v;

	if (json_is_string(value)) {
		g_auto(GStrv) parts = g_strsplit_set(json_string_value(value), ",\n", -1);
		for (char **p = parts; *p; p++)
			g_ptr_array_add(items, g_strdup(*p));
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, v) {
			if (!json_is_string(v))
				return at_error_set(error, -EINVAL, "profile skills must be strings");
			g_ptr_array_add(items, g_strdup(json_string_value(v)));
		}
	} else {
		return at_error_set(error, -EINVAL, "profile skills must be a comma-separated string or an array of strings");
	}
	size_t n = 0;
	for (guint k = 0; k < items->len; k++) {
		g_autofree char *skill = squeeze(items->pdata[k]);
		if (!*skill)
			continue;
		if (strlen(skill) > PROFILE_MAX_SKILL)
			return at_error_set(error, -E2BIG, "skill \"%.40s...\" is longer than the limit of %d bytes", skill,
					    PROFILE_MAX_SKILL);
		if (text_has_control(skill))
			return at_error_set(error, -EINVAL, "profile skills cannot hold control characters");
		char *key = g_utf8_casefold(skill, -1);
		if (g_hash_table_contains(seen, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_add(seen, key);
		if (++n > PROFILE_MAX_SKILLS)
			return at_error_set(error, -E2BIG, "more than %d skills: keep the ones that matter",
					    PROFILE_MAX_SKILLS);
		g_string_append_printf(out, "%s%s", out->len ? ", " : "", skill);
	}
	*ret = out->len ? g_strdup(out->str) : NULL;
	return 0;
}

/* Links from an array of strings or a string of links apart by white space; stored as
 * a JSON array. */
static int normalize_links(json_t *value, char **ret, GError **error)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	json_t *arr;
	size_t i;
	json_t *v;

	if (json_is_string(value)) {
		g_auto(GStrv) parts = g_strsplit_set(json_string_value(value), " \t\r\n", -1);
		for (char **p = parts; *p; p++)
			if (**p)
				g_ptr_array_add(items, g_strdup(*p));
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, v) {
			if (!json_is_string(v))
				return at_error_set(error, -EINVAL, "profile links must be strings");
			char *l = g_strstrip(g_strdup(json_string_value(v)));
			if (*l)
				g_ptr_array_add(items, l);
			else
				g_free(l);
		}
	} else {
		return at_error_set(error, -EINVAL, "profile links must be an array of strings or a string");
	}
	arr = json_array();
	for (guint k = 0; k < items->len; k++) {
		const char *l = items->pdata[k];
		bool dup = false;
		json_array_foreach(arr, i, v)
			dup = dup || strcmp(json_string_value(v), l) == 0;
		if (dup)
			continue;
		if (strlen(l) > PROFILE_MAX_LINK) {
			json_decref(arr);
			return at_error_set(error, -E2BIG, "link \"%.40s...\" is longer than the limit of %d bytes", l,
					    PROFILE_MAX_LINK);
		}
		if (!link_ok(l) || text_has_control(l)) {
			json_decref(arr);
			return at_error_set(error, -EINVAL, "link \"%s\" does not look like a URL (like https://example.com/me)",
					    l);
		}
		if (json_array_size(arr) >= PROFILE_MAX_LINKS) {
			json_decref(arr);
			return at_error_set(error, -E2BIG, "more than %d links", PROFILE_MAX_LINKS);
		}
		json_array_append_new(arr, json_string(l));
	}
	*ret = json_array_size(arr) ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return 0;
}

/* The value for field f from JSON: *ret the text to store, NULL to clear. */
static int profile_value(const struct profile_field *f, json_t *value, char **ret, GError **error)
{
	char *v = NULL;
	int r;

	*ret = NULL;
	if (json_is_null(value))
		return 0;
	if (f->kind == P_SKILLS)
		return normalize_skills(value, ret, error);
	if (f->kind == P_LINKS) {
		/* jansson's dump is malloc'd; the caller g_frees */
		char *dumped = NULL;
		if ((r = normalize_links(value, &dumped, error)) < 0)
			return r;
		*ret = dumped ? g_strdup(dumped) : NULL;
		free(dumped);
		return 0;
	}
	if (!json_is_string(value))
		return at_error_set(error, -EINVAL, "profile %s must be a string", f->name);
	if (memchr(json_string_value(value), '\0', json_string_length(value)))
		return at_error_set(error, -EINVAL, "profile %s contains a NUL byte", f->name);
	if ((r = one_line(f->name, json_string_value(value), f->max, &v, error)) < 0)
		return r;
	if (v && f->kind == P_EMAIL && !email_ok(v)) {
		r = at_error_set(error, -EINVAL, "email \"%s\" does not look like an address (like name@example.com)", v);
		g_free(v);
		return r;
	}
	if (v && f->kind == P_PHONE && !strpbrk(v, "0123456789")) {
		r = at_error_set(error, -EINVAL, "phone \"%s\" has no digits", v);
		g_free(v);
		return r;
	}
	*ret = v;
	return 0;
}

/* Links as stored: a JSON array, or (written by hand) links apart by white space. */
static json_t *links_json(const char *stored)
{
	json_t *arr = stored ? json_loads(stored, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (json_is_array(arr))
		return arr;
	json_decref(arr);
	arr = json_array();
	if (stored) {
		g_auto(GStrv) parts = g_strsplit_set(stored, " \t\r\n", -1);
		for (char **p = parts; *p; p++)
			if (**p)
				json_array_append_new(arr, json_string(*p));
	}
	return arr;
}

int profile_get(store *s, json_t **ret_profile, GError **error)
{
	sqlite3_stmt *st;
	json_t *o;
	int rc, r = store_prepare(s,
				  "SELECT name, email, phone, location, position, skills, updated_at, links FROM profile "
				  "WHERE id = " G_STRINGIFY(PROFILE_ROW_ID),
				  &st, error);

	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = store_error(s, error, "reading the profile");
		sqlite3_reset(st);
		return r;
	}
	o = json_object();
	/* the first seven columns: strings, or null (none at all without the row) */
	for (int i = 0; i < 7; i++) {
		const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, i) : NULL;
		json_object_set_new(o, sqlite3_column_name(st, i), v ? json_string(v) : json_null());
	}
	json_object_set_new(o, "links", links_json(rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 7) : NULL));
	sqlite3_reset(st);
	*ret_profile = o;
	return 0;
}

struct set_args {
	char *values[PROFILE_N_FIELDS];
	bool present[PROFILE_N_FIELDS];
};

static int set_tx(store *s, void *arg, json_t **ret, GError **error)
{
	const struct set_args *a = arg;
	g_autoptr(GString) sql = g_string_new("UPDATE profile SET updated_at = ?");
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 2;

	/* the row exists from the migration on; a hand-edited database may have lost it */
	if ((r = store_prepare(s, "INSERT OR IGNORE INTO profile (id) VALUES (" G_STRINGIFY(PROFILE_ROW_ID) ")", &st, error)) < 0 ||
	    (r = store_step_done(s, st, "creating the profile", error)) < 0)
		return r;
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		if (a->present[i])
			g_string_append_printf(sql, ", %s = ?", profile_fields[i].name);
	g_string_append(sql, " WHERE id = " G_STRINGIFY(PROFILE_ROW_ID));
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, now_iso(now));
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		if (a->present[i])
			store_bind_text(st, n++, a->values[i]);
	if ((r = store_step_done(s, st, "changing the profile", error)) < 0)
		return r;
	return profile_get(s, ret, error);
}

int profile_set(store *s, json_t *fields, json_t **ret_profile, GError **error)
{
	struct set_args a = { 0 };
	const char *key;
	json_t *value;
	int r = 0;

	if (!json_is_object(fields))
		return at_error_set(error, -EINVAL, "profile fields must be an object");
	if (json_object_size(fields) == 0)
		return at_error_set(error, -EINVAL, "nothing to change: give at least one profile field");
	json_object_foreach(fields, key, value) {
		size_t i;
		for (i = 0; i < PROFILE_N_FIELDS; i++)
			if (strcmp(profile_fields[i].name, key) == 0)
				break;
		if (i == PROFILE_N_FIELDS) {
			r = unknown_profile_field(key, error);
			goto out;
		}
		g_free(a.values[i]);
		a.values[i] = NULL;
		if ((r = profile_value(&profile_fields[i], value, &a.values[i], error)) < 0)
			goto out;
		a.present[i] = true;
	}
	r = store_transaction(s, set_tx, &a, ret_profile, error);
out:
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		g_free(a.values[i]);
	return r;
}

int profile_skills(store *s, char **ret_skills_text, GError **error)
{
	sqlite3_stmt *st;
	int rc, r = store_prepare(s, "SELECT skills FROM profile WHERE id = " G_STRINGIFY(PROFILE_ROW_ID), &st, error);

	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = store_error(s, error, "reading the profile's skills");
		sqlite3_reset(st);
		return r;
	}
	const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	*ret_skills_text = g_strdup(v ? v : "");
	sqlite3_reset(st);
	return 0;
}
