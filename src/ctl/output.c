/* SPDX-License-Identifier: GPL-3.0-or-later */
/* output.c - the table output backend, how apptrackctl shows results to people: tables
 * fitted to their content (and to the terminal when there is one), detail blocks, and
 * small bar charts; the building blocks, the printers of applications, reminders,
 * contacts, interviews, stats and the daemon's answers, and output_table itself, which
 * takes the printers of mail from output_mail.c and those of resumes, the profile and
 * matches from output_profile.c. Scripts get output_json (output_json.c) instead.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/timeutil.h"
#include "apptrack/version.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BAR_WIDTH 30
#define BAR_CELL "█"

char *out_text(json_t *v)
{
	if (!v || json_is_null(v))
		return g_strdup("-");
	if (json_is_string(v))
		return g_strdup(json_string_value(v));
	if (json_is_integer(v))
		return g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return g_strdup_printf("%.2f", json_real_value(v));
	if (json_is_boolean(v))
		return g_strdup(json_is_true(v) ? "yes" : "no");
	return json_dumps(v, JSON_COMPACT);
}

/* Display text for a table cell: one line, capped at width characters with "…". */
static char *cell(json_t *v, const struct column *col, int cap)
{
	g_autofree char *text = out_text(v);
	char *p;

	if (col->date_only && strlen(text) > 10 && text[4] == '-' && text[10] == 'T')
		text[10] = '\0';
	for (p = text; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (!g_utf8_validate(text, -1, NULL))
		return g_strdup("?");
	glong n = g_utf8_strlen(text, -1);
	if (cap > 1 && n > cap) {
		g_autofree char *head = g_utf8_substring(text, 0, cap - 1);
		return g_strconcat(head, "…", NULL);
	}
	return g_strdup(text);
}

static void print_padded(const char *s, int width, bool last)
{
	fputs(s, stdout);
	if (last)
		return;
	for (glong n = g_utf8_strlen(s, -1); n < width + 2; n++)
		fputc(' ', stdout);
}

void out_table(json_t *rows, const struct column *cols, size_t n_cols)
{
	bool tty = isatty(STDOUT_FILENO);
	size_t n_rows = json_array_size(rows);
	g_autofree int *width = g_new0(int, n_cols);
	char ***cells = g_new0(char **, n_rows);

	for (size_t c = 0; c < n_cols; c++)
		width[c] = (int)g_utf8_strlen(cols[c].header, -1);
	for (size_t r = 0; r < n_rows; r++) {
		cells[r] = g_new0(char *, n_cols);
		for (size_t c = 0; c < n_cols; c++) {
			cells[r][c] = cell(json_object_get(json_array_get(rows, r), cols[c].key), &cols[c],
					   tty ? cols[c].max_width : 0);
			width[c] = MAX(width[c], (int)g_utf8_strlen(cells[r][c], -1));
		}
	}
	for (size_t c = 0; c < n_cols; c++)
		print_padded(cols[c].header, width[c], c + 1 == n_cols);
	fputc('\n', stdout);
	for (size_t r = 0; r < n_rows; r++) {
		for (size_t c = 0; c < n_cols; c++) {
			print_padded(cells[r][c], width[c], c + 1 == n_cols);
			g_free(cells[r][c]);
		}
		fputc('\n', stdout);
		g_free(cells[r]);
	}
	g_free(cells);
}

char *out_bar(double value, double max, int width)
{
	GString *s = g_string_new(NULL);
	int n = max > 0 ? (int)lround(value / max * width) : 0;

	if (value > 0 && n == 0)
		n = 1;
	for (int i = 0; i < n; i++)
		g_string_append(s, BAR_CELL);
	return g_string_free(s, FALSE);
}

static void field_line(const char *label, json_t *v)
{
	if (!v || json_is_null(v))
		return;
	g_autofree char *text = out_text(v);
	printf("%-12s %s\n", label, text);
}

static void table_application(json_t *app)
{
	static const struct {
		const char *label;
		const char *key;
	} fields[] = {
		{ "Company:", "company" },   { "Position:", "position" }, { "Status:", "status" },
		{ "Source:", "source" },     { "Location:", "location" }, { "Salary:", "salary" },
		{ "URL:", "url" },           { "Applied:", "applied_at" }, { "Created:", "created_at" },
		{ "Updated:", "updated_at" }, { "Notes:", "notes" },
	};
	size_t i;
	json_t *v;

	printf("Application %" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(app, "id")));
	for (i = 0; i < G_N_ELEMENTS(fields); i++)
		field_line(fields[i].label, json_object_get(app, fields[i].key));
	v = json_object_get(app, "job_description");
	if (json_is_string(v))
		printf("Job description: %zu characters\n", json_string_length(v));

	printf("\nTimeline\n");
	json_array_foreach(json_object_get(app, "events"), i, v) {
		const char *kind = json_string_value(json_object_get(v, "kind"));
		const char *text = json_string_value(json_object_get(v, "text"));
		printf("  %s  %-13s", json_string_value(json_object_get(v, "at")), kind);
		if (g_strcmp0(kind, "status_change") == 0)
			printf(" %s -> %s", json_string_value(json_object_get(v, "from_status")),
			       json_string_value(json_object_get(v, "to_status")));
		else if (g_strcmp0(kind, "created") == 0)
			printf(" as %s", json_string_value(json_object_get(v, "to_status")));
		if (text)
			printf("%s%s", g_strcmp0(kind, "status_change") == 0 ? ": " : " ", text);
		fputc('\n', stdout);
		/* the mail that made it (an email event's text is already the subject) */
		const char *from = json_string_value(json_object_get(v, "mail_from"));
		const char *subject = json_string_value(json_object_get(v, "mail_subject"));
		if (from && g_strcmp0(kind, "email") == 0)
			printf("      from %s\n", from);
		else if (from || subject)
			printf("      by mail from %s: %s\n", from ? from : "(unknown sender)",
			       subject ? subject : "(no subject)");
	}
	if (json_array_size(json_object_get(app, "reminders"))) {
		printf("\nReminders\n");
		json_array_foreach(json_object_get(app, "reminders"), i, v)
			printf("  #%-4" JSON_INTEGER_FORMAT " %-15s %s  %s\n", json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "kind")), json_string_value(json_object_get(v, "due_at")),
			       json_string_value(json_object_get(v, "state")));
	}
	if (json_array_size(json_object_get(app, "interviews"))) {
		printf("\nInterviews\n");
		json_array_foreach(json_object_get(app, "interviews"), i, v) {
			g_autofree char *type = out_text(json_object_get(v, "type"));
			g_autofree char *where = out_text(json_object_get(v, "location"));
			printf("  %s  %s  %s\n", json_string_value(json_object_get(v, "starts_at")), type, where);
			/* what an invitation told (interviews.c): each on its own line when known */
			static const char *const extra[][2] = { { "meeting_url", "meeting" },
								{ "organizer", "organizer" },
								{ "recurrence", "recurs" } };
			for (size_t k = 0; k < G_N_ELEMENTS(extra); k++) {
				const char *text = json_string_value(json_object_get(v, extra[k][0]));
				if (text && *text && !(k == 0 && g_strcmp0(text, json_string_value(json_object_get(v, "location"))) == 0))
					printf("      %-9s %s\n", extra[k][1], text);
			}
		}
	}
	if (json_array_size(json_object_get(app, "contacts"))) {
		printf("\nContacts\n");
		json_array_foreach(json_object_get(app, "contacts"), i, v) {
			g_autofree char *pos = out_text(json_object_get(v, "position"));
			g_autofree char *email = out_text(json_object_get(v, "email"));
			printf("  #%-4" JSON_INTEGER_FORMAT " %s (%s) %s\n", json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "name")), pos, email);
		}
	}
}

static void table_contact(json_t *contact)
{
	static const char *const keys[] = { "name", "position", "company", "email", "phone", "links", "notes" };
	size_t i;
	json_t *v;

	printf("Contact %" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(contact, "id")));
	for (i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *label = g_strdup_printf("%c%s:", g_ascii_toupper(keys[i][0]), keys[i] + 1);
		field_line(label, json_object_get(contact, keys[i]));
	}
	if (json_array_size(json_object_get(contact, "applications"))) {
		printf("\nApplications\n");
		json_array_foreach(json_object_get(contact, "applications"), i, v)
			printf("  #%-4" JSON_INTEGER_FORMAT " %s, %s (%s)\n", json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "company")),
			       json_string_value(json_object_get(v, "position")),
			       json_string_value(json_object_get(v, "status")));
	}
}

static char *percent(json_t *rate)
{
	return json_is_number(rate) ? g_strdup_printf("%.1f%%", json_number_value(rate) * 100) : g_strdup("-");
}

/* Rows of label, count and bar, scaled to the largest count. */
static void bars(json_t *rows, const char *label_key, const char *count_key, const char *extra_key)
{
	double max = 0;
	size_t i;
	json_t *row;
	int label_w = 0;

	json_array_foreach(rows, i, row) {
		max = MAX(max, json_number_value(json_object_get(row, count_key)));
		label_w = MAX(label_w, (int)g_utf8_strlen(json_string_value(json_object_get(row, label_key)), -1));
	}
	json_array_foreach(rows, i, row) {
		double n = json_number_value(json_object_get(row, count_key));
		g_autofree char *bar = out_bar(n, max, BAR_WIDTH);
		const char *label = json_string_value(json_object_get(row, label_key));
		printf("  %s", label);
		for (glong k = g_utf8_strlen(label, -1); k < label_w; k++)
			fputc(' ', stdout);
		printf("  %5.0f  %s", n, bar);
		if (extra_key) {
			g_autofree char *p = percent(json_object_get(row, extra_key));
			printf(" %s", p);
		}
		fputc('\n', stdout);
	}
}

static void stats_overview(json_t *r)
{
	g_autofree char *resp = percent(json_object_get(r, "response_rate"));
	g_autofree char *inter = percent(json_object_get(r, "interview_rate"));
	g_autofree char *offer = percent(json_object_get(r, "offer_rate"));
	g_autofree char *median = out_text(json_object_get(r, "median_days_to_response"));
	json_t *by = json_object_get(r, "by_status"), *rows = json_array();
	const char *key;
	json_t *v;

	printf("Applications   %" JSON_INTEGER_FORMAT " (%" JSON_INTEGER_FORMAT " sent, %" JSON_INTEGER_FORMAT
	       " in progress)\n",
	       json_integer_value(json_object_get(r, "total")), json_integer_value(json_object_get(r, "counted")),
	       json_integer_value(json_object_get(r, "active")));
	printf("Response rate  %s (%" JSON_INTEGER_FORMAT ")\n", resp, json_integer_value(json_object_get(r, "responses")));
	printf("Interview rate %s (%" JSON_INTEGER_FORMAT ")\n", inter, json_integer_value(json_object_get(r, "interviews")));
	printf("Offer rate     %s (%" JSON_INTEGER_FORMAT ")\n", offer, json_integer_value(json_object_get(r, "offers")));
	printf("Median days to first response  %s\n\nBy status\n", median);
	json_object_foreach(by, key, v)
		json_array_append_new(rows, json_pack("{s:s,s:O}", "status", key, "count", v));
	bars(rows, "status", "count", NULL);
	json_decref(rows);
}

static void stats_pipeline(json_t *r)
{
	size_t i;
	json_t *row;

	printf("Funnel (reached each stage)\n");
	bars(json_object_get(r, "funnel"), "stage", "count", "share");
	printf("\nTime in stage (days)\n  %-11s %6s %8s %8s\n", "STAGE", "COUNT", "MEDIAN", "MEAN");
	json_array_foreach(json_object_get(r, "time_in_stage"), i, row) {
		g_autofree char *median = out_text(json_object_get(row, "median_days"));
		g_autofree char *mean = out_text(json_object_get(row, "mean_days"));
		printf("  %-11s %6" JSON_INTEGER_FORMAT " %8s %8s\n", json_string_value(json_object_get(row, "stage")),
		       json_integer_value(json_object_get(row, "count")), median, mean);
	}
}

static void stats_groups(json_t *rows, const char *title)
{
	static const struct column cols[] = {
		{ "KEY", "key", 30, false },       { "APPS", "applications", 0, false },
		{ "RESPONSES", "responses", 0, false }, { "INTERVIEWS", "interviews", 0, false },
		{ "OFFERS", "offers", 0, false },
	};
	printf("%s\n", title);
	bars(rows, "key", "applications", "response_rate");
	printf("\n");
	out_table(rows, cols, G_N_ELEMENTS(cols));
}

static void table_stats(const char *report, json_t *r)
{
	if (!report || strcmp(report, "overview") == 0)
		stats_overview(r);
	else if (strcmp(report, "pipeline") == 0)
		stats_pipeline(r);
	else if (strcmp(report, "trends") == 0) {
		printf("Applications per week\n");
		bars(json_object_get(r, "weeks"), "week", "applied", NULL);
	} else if (strcmp(report, "months") == 0) {
		printf("Applications per month\n");
		bars(json_object_get(r, "months"), "month", "applied", NULL);
	} else if (strcmp(report, "sources") == 0)
		stats_groups(json_object_get(r, "sources"), "Applications by source (bar: count, then response rate)");
	else if (strcmp(report, "positions") == 0)
		stats_groups(json_object_get(r, "positions"), "Applications by position (bar: count, then response rate)");
	else if (strcmp(report, "locations") == 0)
		stats_groups(json_object_get(r, "locations"), "Applications by location (bar: count, then response rate)");
	else
		out_json(r);
}

/* ---- one-line answers ---- */

static void G_GNUC_PRINTF(2, 3) table_done(json_t *result, const char *fmt, ...)
{
	va_list ap;

	(void)result;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* ---- lists ---- */

static const struct column app_columns[] = {
	{ "ID", "id", 0, false },          { "COMPANY", "company", 24, false }, { "POSITION", "position", 28, false },
	{ "STATUS", "status", 0, false },  { "SOURCE", "source", 14, false },   { "APPLIED", "applied_at", 0, false },
	{ "UPDATED", "updated_at", 0, true },
};

static const struct column reminder_columns[] = {
	{ "ID", "id", 0, false },         { "DUE", "due_at", 0, false },       { "KIND", "kind", 0, false },
	{ "STATE", "state", 0, false },   { "APP", "application_id", 0, false }, { "COMPANY", "company", 24, false },
	{ "POSITION", "position", 28, false },
};

static const struct column contact_columns[] = {
	{ "ID", "id", 0, false },         { "NAME", "name", 24, false }, { "POSITION", "position", 24, false },
	{ "COMPANY", "company", 24, false }, { "EMAIL", "email", 30, false },
};

static const struct column interview_columns[] = {
	{ "ID", "id", 0, false },       { "STARTS", "starts_at", 0, false },   { "ENDS", "ends_at", 0, false },
	{ "TYPE", "type", 0, false },   { "COMPANY", "company", 24, false },   { "POSITION", "position", 30, false },
	{ "WHERE", "location", 30, false },
};

static void table_applications(json_t *rows)
{
	if (json_array_size(rows) == 0)
		printf("no applications\n");
	else
		out_table(rows, app_columns, G_N_ELEMENTS(app_columns));
}

static void table_reminders(json_t *rows)
{
	if (json_array_size(rows) == 0)
		printf("no reminders\n");
	else
		out_table(rows, reminder_columns, G_N_ELEMENTS(reminder_columns));
}

static void table_reminder(json_t *rem)
{
	printf("reminder %" JSON_INTEGER_FORMAT " is %s (due %s)\n", json_integer_value(json_object_get(rem, "id")),
	       json_string_value(json_object_get(rem, "state")), json_string_value(json_object_get(rem, "due_at")));
}

static void table_contacts(json_t *rows)
{
	if (json_array_size(rows) == 0)
		printf("no contacts\n");
	else
		out_table(rows, contact_columns, G_N_ELEMENTS(contact_columns));
}

/* Interview rows for people: starts_at and ends_at in local time ("YYYY-MM-DD HH:MM"), as
 * they were typed. The JSON output keeps the UTC times. */
static json_t *local_times(json_t *rows)
{
	json_t *copy = json_deep_copy(rows), *row;
	size_t i;

	json_array_foreach (copy, i, row) {
		static const char *const keys[] = { "starts_at", "ends_at" };
		for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
			int64_t t;
			if (time_parse_iso(json_string_value(json_object_get(row, keys[k])), &t) < 0)
				continue;
			g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(t);
			g_autofree char *text = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : NULL;
			if (text)
				json_object_set_new(row, keys[k], json_string(text));
		}
	}
	return copy;
}

static void interview_table(json_t *rows)
{
	json_t *local = local_times(rows);
	out_table(local, interview_columns, G_N_ELEMENTS(interview_columns));
	json_decref(local);
}

static void table_interviews(json_t *rows)
{
	if (json_array_size(rows) == 0)
		printf("no interviews\n");
	else
		interview_table(rows);
}

static void table_upcoming(json_t *result, json_int_t days)
{
	json_t *interviews = json_object_get(result, "interviews"), *reminders = json_object_get(result, "reminders");

	json_int_t more_interviews = json_integer_value(json_object_get(result, "more_interviews"));
	json_int_t more_reminders = json_integer_value(json_object_get(result, "more_reminders"));

	printf("Interviews in the next %" JSON_INTEGER_FORMAT " days:\n", days);
	if (json_array_size(interviews))
		interview_table(interviews);
	else
		printf("  none\n");
	if (more_interviews)
		printf("  ... and %" JSON_INTEGER_FORMAT " more (apptrackctl interview list)\n", more_interviews);
	printf("\nReminders due:\n");
	if (json_array_size(reminders))
		out_table(reminders, reminder_columns, G_N_ELEMENTS(reminder_columns));
	else
		printf("  none\n");
	if (more_reminders)
		printf("  ... and %" JSON_INTEGER_FORMAT " more (apptrackctl reminders)\n", more_reminders);
	printf("\nIn progress: %" JSON_INTEGER_FORMAT " applications\n\nRecent applications:\n",
	       json_integer_value(json_object_get(result, "in_progress")));
	if (json_array_size(json_object_get(result, "recent")))
		out_table(json_object_get(result, "recent"), app_columns, G_N_ELEMENTS(app_columns));
	else
		printf("  none\n");
}

static void table_web(json_t *result)
{
	printf("%s\n", json_string_value(json_object_get(result, "url")));
}

static void table_calendar(json_t *result)
{
	const char *url = json_string_value(json_object_get(result, "url"));

	const char *vdir = json_string_value(json_object_get(result, "vdir"));
	json_t *dav = json_object_get(result, "caldav");

	printf("url:  %s\nfile: %s\nvdir: %s\n", url ? url : "(not served: [calendar] listen is off or failed, see the log)",
	       json_string_value(json_object_get(result, "file")), vdir ? vdir : "(off)");
	if (!json_is_object(dav)) {
		printf("caldav: (off)\n");
		return;
	}
	const char *sync = json_string_value(json_object_get(dav, "last_sync"));
	const char *err = json_string_value(json_object_get(dav, "last_error"));
	const char *next = json_string_value(json_object_get(dav, "next_try"));
	printf("caldav: %s (user %s, send %s, reminders as %s)\n  pending:   %" JSON_INTEGER_FORMAT
	       "\n  last sync: %s\n  last error: %s\n",
	       json_string_value(json_object_get(dav, "url")), json_string_value(json_object_get(dav, "user")),
	       json_string_value(json_object_get(dav, "send")), json_string_value(json_object_get(dav, "reminders_as")),
	       json_integer_value(json_object_get(dav, "pending")), sync ? sync : "never (since the daemon started)",
	       err ? err : "none");
	if (next)
		printf("  next try:  %s\n", next);
}

/* ---- import, export, the daemon ---- */

static void table_imported(json_t *result, const char *file)
{
	size_t i;
	json_t *row;

	printf("imported %" JSON_INTEGER_FORMAT " applications\n", json_integer_value(json_object_get(result, "imported")));
	json_array_foreach(json_object_get(result, "skipped"), i, row)
		printf("skipped %s:%" JSON_INTEGER_FORMAT ": %s\n", file, json_integer_value(json_object_get(row, "line")),
		       json_string_value(json_object_get(row, "reason")));
	json_array_foreach(json_object_get(result, "ignored_columns"), i, row)
		printf("ignored column \"%s\"\n", json_string_value(row));
}

/* on stderr: stdout may be a pipe the user expects the CSV on */
static void table_exported(json_t *result, const char *file)
{
	fprintf(stderr, "exported %" JSON_INTEGER_FORMAT " applications to %s\n",
		json_integer_value(json_object_get(result, "count")), file);
}

static void table_ping(json_t *result, double ms)
{
	(void)result;
	printf("pong (%.3f ms)\n", ms);
}

static void table_version(json_t *daemon)
{
	json_t *supported = json_object_get(daemon, "schema_supported"); /* an older apptrackd does not say */

	printf("apptrackctl %s\napptrackd   %s (protocol %" JSON_INTEGER_FORMAT ")\ndatabase    schema %" JSON_INTEGER_FORMAT,
	       APPTRACK_VERSION, json_string_value(json_object_get(daemon, "version")),
	       json_integer_value(json_object_get(daemon, "protocol")), json_integer_value(json_object_get(daemon, "schema")));
	if (json_is_integer(supported))
		printf(" (apptrackd's schema %" JSON_INTEGER_FORMAT ")", json_integer_value(supported));
	putchar('\n');
}

static void table_event(json_t *event)
{
	g_autofree char *id = out_text(json_object_get(event, "id"));

	printf("%s  %s  %s\n", json_string_value(json_object_get(event, "at")),
	       json_string_value(json_object_get(event, "event")), id);
}

const struct output output_table = {
	.done = table_done,
	.applications = table_applications,
	.application = table_application,
	.stats = table_stats,
	.reminders = table_reminders,
	.reminder = table_reminder,
	.contacts = table_contacts,
	.contact = table_contact,
	.interviews = table_interviews,
	.upcoming = table_upcoming,
	.calendar = table_calendar,
	.web = table_web,
	.mail_status = table_mail_status,
	.mail_model = table_mail_model,
	.rules_test = table_rules_test,
	.learned = table_learned,
	.unlearned = table_unlearned,
	.reviews = table_reviews,
	.review = table_review,
	.review_applied = table_review_applied,
	.resumes = table_resumes,
	.resume_added = table_resume_added,
	.resume_text = table_resume_text,
	.resume_removed = table_resume_removed,
	.profile = table_profile,
	.match = table_match,
	.imported = table_imported,
	.exported = table_exported,
	.ping = table_ping,
	.version = table_version,
	.event = table_event,
};
