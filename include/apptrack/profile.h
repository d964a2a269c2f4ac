/* SPDX-License-Identifier: GPL-3.0-or-later */
/* profile.h - the user's profile (resumes are resumes.h's).
 *
 * The profile is one row: name, email, phone, location, position, skills and links.
 * Skills are kept as the user typed them, tidied: split at commas, each trimmed with
 * inner runs of white space made one space, empty ones dropped, repeats dropped ignoring
 * case (the first spelling stays), joined with ", ". Links are a list of URLs.
 *
 * Every function runs in one transaction (nested in the caller's, see store_transaction());
 * a refusal changes nothing. Errors follow error.h; *ret_* are new references (release
 * with json_decref) or g_free'd strings, untouched on failure.
 *
 * Shapes (the same the control protocol uses, docs/protocol.md):
 *   resume summary  {"id","name","is_default" (bool),"created_at","updated_at",
 *                    "words","chars"}   (words and chars of the text)
 *   resume          the summary with "text"
 *   profile         {"name","email","phone","location","position","skills","updated_at"}
 *                   (strings, null when unset) and "links" (array of strings, [] when none)
 */
#ifndef APPTRACK_PROFILE_H
#define APPTRACK_PROFILE_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "apptrack/store.h"

/* Limits on what a client can store. */
#define PROFILE_MAX_FIELD 256            /* bytes: name, location, position */
#define PROFILE_MAX_EMAIL 254            /* bytes (RFC 5321 path limit) */
#define PROFILE_MAX_PHONE 64             /* bytes */
#define PROFILE_MAX_SKILL 100            /* bytes, one skill */
#define PROFILE_MAX_SKILLS 200           /* skills */
#define PROFILE_MAX_LINK 2048            /* bytes, one link */
#define PROFILE_MAX_LINKS 20             /* links */

/* The profile object (see above); every key present. */
int profile_get(store *s, json_t **ret_profile, GError **error);

/* Changes the fields given in fields (borrowed object; at least one): name, email,
 * phone, location, position, skills (a string, or an array of skills), links (an array
 * of strings, or a string of links apart by white space). A null or blank value clears
 * the field. Refused with -EINVAL naming the field: an unknown field, a wrong type, an
 * email that is not name@domain, a phone without digits, a link with spaces or
 * without a '.' or ':', a value over its limit (-E2BIG). *ret_profile (may be NULL) gets
 * the profile after the change. */
int profile_set(store *s, json_t *fields, json_t **ret_profile, GError **error);

/* The profile's skills as one line ("python, sql, kubernetes"); "" when none are set.
 * *ret_skills_text: g_free. */
int profile_skills(store *s, char **ret_skills_text, GError **error);

#endif
