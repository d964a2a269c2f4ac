/* SPDX-License-Identifier: GPL-3.0-or-later */
/* matching.h - `apptrackctl match`: a resume scored against stored or given job
 * descriptions, with keywords and a suggestion (match.h does the arithmetic).
 *
 * The resume is a stored one (by name, or the default) or a text the client sends; the
 * profile's skills are added to it as one more line, so they count as resume terms. Job
 * descriptions are the applications' (job_description) or a text the client sends.
 * Modes (docs/matching.md): "corpus" (the default) fits idf on every stored job
 * description plus the resume; "pair" fits on the resume and one job description alone.
 */
#ifndef APPTRACK_MATCHING_H
#define APPTRACK_MATCHING_H

#include "apptrack/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Most results of one `all` request unless limit says fewer. */
#define MATCHING_MAX_RESULTS 10000

struct matching_request {
	const char *resume_name; /* NULL: the default resume */
	const char *resume_text; /* instead of a stored resume; NULL: stored */
	int64_t application;     /* an application's job description; 0: none */
	const char *jd_text;     /* a job description's text instead */
	bool all;                /* every application with a job description, best first */
	bool pair;               /* pair mode instead of corpus */
	size_t limit;            /* with all: at most this many results; 0: MATCHING_MAX_RESULTS */
};

/* Runs req against the store. *ret: one result object, or an array of them (best first)
 * for all: {score (0-100), mode, resume, application {id, company, position} (when from
 * an application), matching_keywords, missing_keywords, suggestion}. New reference.
 * Errors: -EINVAL (no target, two targets, nothing to compare), -ENOENT (no such resume
 * or application, or no job description). */
int matching_run(store *s, const struct matching_request *req, json_t **ret, GError **error);

#endif
