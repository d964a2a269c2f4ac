/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resumes.h - the user's named resumes.
 *
 * Resumes are named texts (the client extracts them from PDF, Markdown or text files
 * with document.h; these functions only ever see text). One of them is the default, the
 * one the matcher scores when no name is given:
 *  - the first resume added becomes the default;
 *  - resume_set_default() moves it;
 *  - removing the default makes the newest remaining resume (by created_at) the default;
 *  - replacing a resume's text keeps its default mark and created_at.
 * A resume is named by its name (exact, case-sensitive) or by its id in decimal; names
 * are therefore never all digits.
 *
 * Every function runs in one transaction (nested in the caller's, see store_transaction());
 * a refusal changes nothing. Errors follow error.h; *ret_* are new references (release
 * with json_decref) or g_free'd strings, untouched on failure.
 *
 * Shapes (the same the control protocol uses, docs/protocol.md):
 *   resume summary  {"id","name","is_default" (bool),"created_at","updated_at",
 *                    "words","chars"}   (words and chars of the text)
 *   resume          the summary with "text"
 */
#ifndef APPTRACK_RESUMES_H
#define APPTRACK_RESUMES_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "apptrack/document.h"
#include "apptrack/store.h"

/* Limits on what a client can store. */
#define RESUME_NAME_MAX 64               /* characters */
#define RESUME_MAX_TEXT DOCUMENT_MAX_TEXT /* bytes */
#define RESUME_MAX_COUNT 100

/* Stores text as the resume name. name: 1 to RESUME_NAME_MAX characters after trimming,
 * no control characters, no '/', not all digits. text: not blank, at most
 * RESUME_MAX_TEXT bytes. An existing name is refused with -EEXIST ("a resume named X
 * exists (use --replace)") unless replace, which swaps its text in place. The first
 * resume stored becomes the default. *ret_resume (may be NULL) gets the summary with
 * "replaced" (bool) added. */
int resume_add(store *s, const char *name, const char *text, bool replace, json_t **ret_resume, GError **error);

/* Array of resume summaries, oldest first (no text). */
int resume_list(store *s, json_t **ret_array, GError **error);

/* The resume named (or numbered) name_or_id, with its text. -ENOENT "no resume named X"
 * (with the closest name as a suggestion) when there is none. */
int resume_show(store *s, const char *name_or_id, json_t **ret_resume, GError **error);

/* Removes a resume; when it was the default, the newest remaining one becomes it.
 * *ret_removed (may be NULL): {"removed":ID,"name":NAME,"was_default":BOOL,"default":NAME
 * or null}, the default after the removal; new reference. -ENOENT as resume_show(). */
int resume_remove(store *s, const char *name_or_id, json_t **ret_removed, GError **error);

/* Makes the resume the default (the others lose the mark). -ENOENT as resume_show(). */
int resume_set_default(store *s, const char *name_or_id, GError **error);

/* The text of the resume named (or numbered) name_or_null, or of the default resume
 * when NULL. *ret_name (may be NULL) gets its name, *ret_text its text (both g_free).
 * -ENOENT "no resume stored: add one with apptrackctl resume add NAME FILE" when none
 * is stored, or as resume_show() for an unknown name. */
int resume_text(store *s, const char *name_or_null, char **ret_name, char **ret_text, GError **error);

#endif
