/* SPDX-License-Identifier: GPL-3.0-or-later */
/* contacts.c - the contacts and application_contacts tables. */
#include "apptrack/contacts.h"

#include "apptrack/applications.h"
#include "apptrack/error.h"
#include "apptrack/timeutil.h"
#include "record.h"

#include <string.h>

enum { C_NAME, C_POSITION, C_COMPANY, C_EMAIL, C_PHONE, C_LINKS, C_NOTES, C_N };
static const struct field contact_fields[C_N] = {
	[C_NAME] = { "name", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, FIELD_REQUIRED, NULL },
	[C_POSITION] = { "position", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[C_COMPANY] = { "company", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[C_EMAIL] = { "email", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[C_PHONE] = { "phone", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD, 0, NULL },
	[C_LINKS] = { "links", FIELD_TEXT, PIPELINE_MAX_SHORT_FIELD * 4, 0, NULL },
	[C_NOTES] = { "notes", FIELD_TEXT, PIPELINE_MAX_NOTES, 0, NULL },
};
static const struct record contact_record = { "contacts", "contact", contact_fields, C_N };

#define CONTACT_COLUMNS "id, name, position, company, email, phone, links, notes, created_at, updated_at"

static int contact_exists(store *s, int64_t id, GError **error)
{
	json_t *c = NULL;
	int r = store_one_row(s, "SELECT id FROM contacts WHERE id = ?", id, "contact", &c, error);
	json_decref(c);
	return r;
}

int contacts_add(const struct pipeline *p, json_t *fields, json_t **ret_contact, GError **error)
{
	store *s = p->store;
	static const char sql[] = "INSERT INTO contacts (name, position, company, email, phone, links, notes, "
				  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct values vals = { 0 };
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r;

	if ((r = record_read(&contact_record, fields, false, false, &vals, error)) < 0 ||
	    (r = store_prepare(s, sql, &st, error)) < 0)
		goto out;
	for (int i = 0; i < C_N; i++)
		store_bind_text(st, i + 1, vals.v[i]);
	store_bind_text(st, C_N + 1, time_format_iso(pipeline_time(p), now));
	store_bind_text(st, C_N + 2, now);
	if ((r = store_step_done(s, st, "adding a contact", error)) < 0)
		goto out;
	r = contacts_show(s, store_last_id(s), ret_contact, error);
out:
	values_clear(&vals);
	return r;
}

int contacts_list(store *s, const char *search, json_t **ret_list, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if (!search || !*search) {
		r = store_prepare(s, "SELECT " CONTACT_COLUMNS " FROM contacts ORDER BY name COLLATE NOCASE, id", &st, error);
		return r < 0 ? r : store_rows_json(s, st, false, ret_list, error);
	}
	g_autofree char *like = store_like_contains(search);
	r = store_prepare(s,
			  "SELECT " CONTACT_COLUMNS " FROM contacts WHERE name LIKE ?1 ESCAPE '\\' "
			  "OR company LIKE ?1 ESCAPE '\\' OR position LIKE ?1 ESCAPE '\\' ORDER BY name COLLATE NOCASE, id",
			  &st, error);
	if (r < 0)
		return r;
	store_bind_text(st, 1, like);
	return store_rows_json(s, st, false, ret_list, error);
}

int contacts_show(store *s, int64_t id, json_t **ret_contact, GError **error)
{
	json_t *c = NULL, *apps = NULL;
	int r = store_one_row(s, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?", id, "contact", &c, error);

	if (r < 0)
		return r;
	r = store_id_rows(s,
		    "SELECT a.id, a.company, a.position, a.status FROM applications a "
		    "JOIN application_contacts ac ON ac.application_id = a.id WHERE ac.contact_id = ? ORDER BY a.id",
		    id, false, &apps, error);
	if (r < 0) {
		json_decref(c);
		return r;
	}
	json_object_set_new(c, "applications", apps);
	*ret_contact = c;
	return 0;
}

int contacts_edit(const struct pipeline *p, int64_t id, json_t *fields, json_t **ret_contact, GError **error)
{
	store *s = p->store;
	struct values vals = { 0 };
	g_autoptr(GString) sql = g_string_new("UPDATE contacts SET updated_at = ?");
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 2;

	if ((r = record_read(&contact_record, fields, true, false, &vals, error)) < 0 ||
	    (r = contact_exists(s, id, error)) < 0)
		goto out;
	for (int i = 0; i < C_N; i++)
		if (vals.present[i])
			g_string_append_printf(sql, ", %s = ?", contact_fields[i].name);
	g_string_append(sql, " WHERE id = ?");
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		goto out;
	store_bind_text(st, 1, time_format_iso(pipeline_time(p), now));
	for (int i = 0; i < C_N; i++)
		if (vals.present[i])
			store_bind_text(st, n++, vals.v[i]);
	sqlite3_bind_int64(st, n, id);
	if ((r = store_step_done(s, st, "editing a contact", error)) < 0)
		goto out;
	r = contacts_show(s, id, ret_contact, error);
out:
	values_clear(&vals);
	return r;
}

int contacts_remove(const struct pipeline *p, int64_t id, GError **error)
{
	store *s = p->store;
	sqlite3_stmt *st;
	int r;

	if ((r = contact_exists(s, id, error)) < 0 ||
	    (r = store_prepare(s, "DELETE FROM contacts WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "removing a contact", error);
}

int contacts_link(const struct pipeline *p, int64_t contact_id, int64_t app_id, bool unlink, GError **error)
{
	store *s = p->store;
	sqlite3_stmt *st;
	int r;

	if ((r = contact_exists(s, contact_id, error)) < 0 || (r = applications_exists(s, app_id, NULL, NULL, error)) < 0)
		return r;
	r = store_prepare(s,
			  unlink ? "DELETE FROM application_contacts WHERE application_id = ? AND contact_id = ?"
				 : "INSERT OR IGNORE INTO application_contacts (application_id, contact_id) VALUES (?, ?)",
			  &st, error);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_int64(st, 2, contact_id);
	return store_step_done(s, st, "linking a contact", error);
}


int contacts_from_mail(const struct pipeline *p, const char *name, const char *address, const char *company,
		       const char *position, const char *notes, int64_t *ret_id, GError **error)
{
	store *s = p->store;
	sqlite3_stmt *st;
	char now[TIME_ISO_LEN];
	int r;

	/* when the contact was made or last told something: now, not the mail's date */
	time_format_iso(time_now(), now);
	if (address) {
		if ((r = store_prepare(s, "SELECT id FROM contacts WHERE lower(email) = ?", &st, error)) < 0)
			return r;
		store_bind_text(st, 1, address);
		int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (id) {
			if ((r = store_prepare(s,
					       "UPDATE contacts SET company = COALESCE(company, ?), "
					       "position = COALESCE(position, ?), updated_at = ? WHERE id = ?",
					       &st, error)) < 0)
				return r;
			store_bind_text(st, 1, company);
			store_bind_text(st, 2, position);
			store_bind_text(st, 3, now);
			sqlite3_bind_int64(st, 4, id);
			*ret_id = id;
			return store_step_done(s, st, "updating a contact", error);
		}
	}
	if ((r = store_prepare(s,
			       "INSERT INTO contacts (name, company, email, notes, created_at, updated_at) "
			       "VALUES (?, ?, ?, ?, ?, ?)",
			       &st, error)) < 0)
		return r;
	store_bind_text(st, 1, name && *name ? name : (address ? address : "unknown"));
	store_bind_text(st, 2, company);
	store_bind_text(st, 3, address);
	store_bind_text(st, 4, notes);
	store_bind_text(st, 5, now);
	store_bind_text(st, 6, now);
	if ((r = store_step_done(s, st, "adding a contact", error)) < 0)
		return r;
	*ret_id = store_last_id(s);
	return 0;
}
