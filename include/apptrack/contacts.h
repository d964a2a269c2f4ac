/* SPDX-License-Identifier: GPL-3.0-or-later */
/* contacts.h - contacts (recruiters, referrers, interviewers) and their links to
 * applications.
 *
 * The contacts and application_contacts tables are written here only, including the
 * contacts that recruiters' mail creates (mailapply.h). Contact objects: id, name,
 * position, company, email, phone, links, notes, created_at, updated_at.
 */
#ifndef APPTRACK_CONTACTS_H
#define APPTRACK_CONTACTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/pipeline.h"

int contacts_add(const struct pipeline *p, json_t *fields, json_t **ret_contact, GError **error);
/* search (may be NULL) matches name, company and position, case-insensitively. */
int contacts_list(store *s, const char *search, json_t **ret_list, GError **error);
/* Contact with an `applications` array of linked application summaries. */
int contacts_show(store *s, int64_t id, json_t **ret_contact, GError **error);
int contacts_edit(const struct pipeline *p, int64_t id, json_t *fields, json_t **ret_contact, GError **error);
int contacts_remove(const struct pipeline *p, int64_t id, GError **error);
/* Links (or with unlink, unlinks) contact and application. Linking twice is fine. */
int contacts_link(const struct pipeline *p, int64_t contact_id, int64_t app_id, bool unlink, GError **error);

/* The sender of a recruiter's mail: the contact with e-mail address (compared in lower
 * case) gains company and position where it has none; without one (or without an
 * address), a new contact is made from name (or the address, or "unknown"), company,
 * address and notes. *ret_id gets the contact. */
int contacts_from_mail(const struct pipeline *p, const char *name, const char *address, const char *company,
		       const char *position, const char *notes, int64_t *ret_id, GError **error);

#endif
