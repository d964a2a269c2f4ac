/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output_json.c - the JSON output backend (--json): the daemon's result as it came,
 * indented, for scripts; a few commands add what only the client knows (ping's round
 * trip, version's own version) and watch prints one compact event per line.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/version.h"

#include <stdio.h>
#include <stdlib.h>

void out_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(OUT_JSON_INDENT) | JSON_ENCODE_ANY);
	fputc('\n', stdout);
}

static void json_done(json_t *result, const char *fmt, ...)
{
	(void)fmt;
	out_json(result);
}

static void json_stats(const char *report, json_t *result)
{
	(void)report;
	out_json(result);
}

static void json_upcoming(json_t *result, json_int_t days)
{
	(void)days;
	out_json(result);
}

/* scripts get the accounts as they always did */
static void json_mail_status(json_t *accounts, json_t *model)
{
	(void)model;
	out_json(accounts);
}

static void json_with_kind(json_t *result, const char *kind)
{
	(void)kind;
	out_json(result);
}

static void json_review_applied(json_t *result, json_int_t id, const char *kind)
{
	(void)id;
	(void)kind;
	out_json(result);
}

static void json_match(json_t *result, bool all)
{
	(void)all;
	out_json(result);
}

static void json_imported(json_t *result, const char *file)
{
	(void)file;
	out_json(result);
}

/* the CSV went to the file: the count alone */
static void json_exported(json_t *result, const char *file)
{
	(void)file;
	out_json(json_object_get(result, "count"));
}

static void json_ping(json_t *result, double ms)
{
	json_object_set_new(result, "round_trip_ms", json_real(ms));
	out_json(result);
}

static void json_version(json_t *daemon)
{
	json_t *v = json_pack("{s:s,s:O}", "client", APPTRACK_VERSION, "daemon", daemon);

	out_json(v);
	json_decref(v);
}

static void json_event(json_t *event)
{
	char *line = json_dumps(event, JSON_COMPACT);

	printf("%s\n", line);
	free(line);
}

const struct output output_json = {
	.done = json_done,
	.applications = out_json,
	.application = out_json,
	.stats = json_stats,
	.reminders = out_json,
	.reminder = out_json,
	.contacts = out_json,
	.contact = out_json,
	.interviews = out_json,
	.upcoming = json_upcoming,
	.calendar = out_json,
	.web = out_json,
	.mail_status = json_mail_status,
	.mail_model = out_json,
	.rules_test = out_json,
	.learned = json_with_kind,
	.unlearned = out_json,
	.reviews = out_json,
	.review = out_json,
	.review_applied = json_review_applied,
	.resumes = out_json,
	.resume_added = out_json,
	.resume_text = out_json,
	.resume_removed = out_json,
	.profile = out_json,
	.match = json_match,
	.imported = json_imported,
	.exported = json_exported,
	.ping = json_ping,
	.version = json_version,
	.event = json_event,
};
