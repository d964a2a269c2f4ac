/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analytics.h - pipeline reports: totals, rates, funnel, time in stage, trends, groups.
 *
 * Two steps: analytics_load() reads what the reports need from the store into a plain
 * struct an_data (applications and the status history from the event log);
 * analytics_report() computes one report from it, with no database access, so reports are
 * testable on a hand-made data set.
 *
 * Definitions (docs/analytics.md):
 *  - counted: applications that reached `applied` (ever held applied or a later status);
 *    `saved` ones are only in the totals.
 *  - response: reached screen..accepted or rejected. response_rate = responses / counted.
 *  - interview: reached screen, technical, onsite, final, offer or accepted.
 *  - offer: reached offer or accepted.
 *  - "reached X": held X or any later pipeline status at some time (the history of
 *    status entries), so skipped stages still count in the funnel.
 *  - days to first response: from the applied date (local midnight) to the first entry
 *    into a response status.
 *  - time in stage: for every status entry followed by another, the days between them.
 *  Rates are fractions in [0,1]; a rate or median over nothing is null.
 */
#ifndef APPTRACK_ANALYTICS_H
#define APPTRACK_ANALYTICS_H

#include <glib.h>
#include <jansson.h>
#include <stdint.h>

#include "apptrack/pipeline.h"
#include "apptrack/store.h"

struct an_app {
	int64_t id;
	enum app_status status;  /* current */
	char *source;            /* may be NULL or "" */
	char *position;
	char *location;          /* may be NULL or "" */
	char *applied_at;        /* "YYYY-MM-DD" or NULL */
	int64_t created_at;
};

/* One entry into a status: the `created` event (initial status) and every status_change. */
struct an_entry {
	int64_t app_id;
	int64_t at;
	enum app_status status;
};

struct an_data {
	struct an_app *apps;
	size_t n_apps;
	struct an_entry *entries; /* sorted by app_id, then at, then event id */
	size_t n_entries;
	int64_t now;
};

/* Reads applications and their status history. *ret_data: free with analytics_data_free. */
int analytics_load(store *s, struct an_data **ret_data, GError **error);
/* Frees apps (and their strings) and entries too. NULL is fine. */
void analytics_data_free(struct an_data *data);

/* Report names: overview (also for NULL), pipeline, trends, sources, months, positions,
 * locations. params (borrowed, may be NULL): "weeks" (1..520, default 12) for trends,
 * "limit" (default 20) for positions and locations. Result shapes:
 *  overview:  {total, active, by_status:{status:n...}, counted, responses, interviews,
 *              offers, response_rate, interview_rate, offer_rate, median_days_to_response}
 *  pipeline:  {funnel:[{stage,count,share}], time_in_stage:[{stage,count,median_days,
 *              mean_days}]}  (stages applied..accepted, in order)
 *  trends:    {weeks:[{week:"2026-W47",start:"2026-11-16",applied,responses}]} oldest first
 *  sources / positions / locations:
 *             {<name>:[{key, applications, responses, response_rate, interviews,
 *              interview_rate, offers, offer_rate}]}, most applications first
 *  months:    {months:[{month:"2026-11",applied,responses,interviews,offers}]} oldest first
 */
int analytics_report(const struct an_data *data, const char *report, json_t *params,
		     json_t **ret_report, GError **error);

#endif
