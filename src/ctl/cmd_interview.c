/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_interview.c - apptrackctl interview (add, list, edit, rm), upcoming and calendar:
 * the interviews scheduled for applications, what comes next, and the iCalendar feed.
 *
 * Times are typed in local time ("YYYY-MM-DD HH:MM", TZ honoured) or ISO 8601 with a
 * zone, and sent to the daemon as UTC.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/timeutil.h"

#include <stdint.h>
#include <string.h>

static const struct opt interview_opts[] = {
	{ "at", true, "at", false },       { "duration", true, "duration", false }, { "type", true, "type", false },
	{ "where", true, "where", false }, { "notes", true, "notes", false },       { NULL, false, NULL, false },
};

/* A time as the user gives it: "YYYY-MM-DD HH:MM" in local time (TZ honoured), or ISO 8601
 * with Z or an offset. Written as UTC ISO for the daemon. */
static int user_time(struct ctl *ctl, const char *option, const char *text, json_t *params, const char *key)
{
	char iso[TIME_ISO_LEN];
	int64_t t;

	if (time_parse_iso(text, &t) < 0)
		return ctl_usage(ctl, "bad time \"%s\" for --%s: use \"YYYY-MM-DD HH:MM\" (local time) or ISO 8601 "
				 "with a zone, like 2026-12-01T14:30:00+01:00",
				 text, option);
	json_object_set_new(params, key, json_string(time_format_iso(t, iso)));
	return CTL_OK;
}

/* interview add APP and interview edit ID */
static int interview_write(struct ctl *ctl, struct opts *o, bool editing)
{
	json_t *params = json_object(), *result = NULL;
	int r = CTL_OK;

	if (!editing && !opt(o, "at"))
		r = ctl_usage(ctl, "--at \"YYYY-MM-DD HH:MM\" is required");
	if (r == CTL_OK)
		r = ctl_fields_from_opts(ctl, o, params);
	if (r == CTL_OK && opt(o, "at"))
		r = user_time(ctl, "at", opt(o, "at"), params, "at");
	if (r == CTL_OK && editing && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give --at, --duration, --type, --where or --notes");
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	json_object_set_new(params, editing ? "id" : "application", json_integer(o->id[0]));
	if ((r = ctl_call(ctl, editing ? "interviews.edit" : "interviews.add", params, &result, NULL)) != CTL_OK)
		return r;
	if (editing)
		ctl->out->done(result, "updated interview %" JSON_INTEGER_FORMAT, o->id[0]);
	else
		ctl->out->done(result, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

static int cmd_interview_add(struct ctl *ctl, struct opts *o)
{
	return interview_write(ctl, o, false);
}

static int cmd_interview_edit(struct ctl *ctl, struct opts *o)
{
	return interview_write(ctl, o, true);
}

static int cmd_interview_rm(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "interviews.remove", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "removed interview %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

/* A day as the user gives it (YYYY-MM-DD, local), as the UTC time of its start, plus
 * add_days. */
static int user_day(struct ctl *ctl, const char *option, const char *text, int add_days, json_t *params)
{
	g_autofree char *midnight = g_strconcat(text, " 00:00", NULL);
	char iso[TIME_ISO_LEN];
	int64_t t;

	if (strlen(text) != 10 || time_parse_iso(midnight, &t) < 0)
		return ctl_usage(ctl, "bad date \"%s\" for --%s: use YYYY-MM-DD", text, option);
	json_object_set_new(params, option, json_string(time_format_iso(t + add_days * 86400, iso)));
	return CTL_OK;
}

static const struct opt interview_list_opts[] = {
	{ "from", true, NULL, false }, { "to", true, NULL, false }, { "type", true, NULL, false },
	{ NULL, false, NULL, false },
};

static int cmd_interview_list(struct ctl *ctl, struct opts *o)
{
	json_t *params = json_object(), *result = NULL;
	int r = CTL_OK;

	if (opt(o, "from"))
		r = user_day(ctl, "from", opt(o, "from"), 0, params);
	if (r == CTL_OK && opt(o, "to")) /* inclusive: up to the end of that day */
		r = user_day(ctl, "to", opt(o, "to"), 1, params);
	if (r == CTL_OK && opt(o, "type"))
		json_object_set_new(params, "type", json_string(opt(o, "type")));
	if (r != CTL_OK) {
		json_decref(params);
		return r;
	}
	if ((r = ctl_call(ctl, "interviews.list", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->interviews(result);
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_interview_add_entry = {
	.name = "add",
	.usage = "APP --at \"YYYY-MM-DD HH:MM\" [--duration 45m] [--type phone|video|onsite] [--where TEXT-or-URL] "
		 "[--notes N]",
	.summary = "Schedule an interview (local time unless a zone is given); moves the application to screen if behind",
	.opts = interview_opts,
	.required = { { "application", NULL } },
	.max_args = 1,
	.exec = cmd_interview_add,
};

static const struct command cmd_interview_list_entry = {
	.name = "list",
	.usage = "[--from DATE] [--to DATE] [--type T]",
	.summary = "List interviews by start time",
	.opts = interview_list_opts,
	.exec = cmd_interview_list,
};

static const struct command cmd_interview_edit_entry = {
	.name = "edit",
	.usage = "ID [--at T] [--duration D] [--type T] [--where W] [--notes N]",
	.summary = "Change an interview",
	.opts = interview_opts,
	.required = { { "interview", NULL } },
	.max_args = 1,
	.exec = cmd_interview_edit,
};

static const struct command cmd_interview_rm_entry = {
	.name = "rm",
	.usage = "ID",
	.summary = "Remove an interview",
	.required = { { "interview", NULL } },
	.max_args = 1,
	.exec = cmd_interview_rm,
};

static const struct command *const interview_commands[] = {
	&cmd_interview_add_entry, &cmd_interview_list_entry, &cmd_interview_edit_entry, &cmd_interview_rm_entry, NULL,
};

const struct command cmd_interview_entry = {
	.name = "interview",
	.usage = "add APP --at T ... | list | edit ID ... | rm ID",
	.summary = "Interviews: schedule, list, change, remove",
	.sub = interview_commands,
};

/* ---- upcoming, calendar ---- */

static const struct opt upcoming_opts[] = {
	{ "days", true, NULL, false }, { "limit", true, NULL, false }, { NULL, false, NULL, false }
};

static int cmd_upcoming(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL, *params;
	json_int_t days = 7, limit = 0;
	int r;

	if ((opt(o, "days") && (r = ctl_parse_count(ctl, "days", opt(o, "days"), 1, &days)) != CTL_OK) ||
	    (opt(o, "limit") && (r = ctl_parse_count(ctl, "limit", opt(o, "limit"), 1, &limit)) != CTL_OK))
		return r;
	params = json_pack("{s:I}", "days", days);
	if (limit) /* else the daemon's default */
		json_object_set_new(params, "limit", json_integer(limit));
	if ((r = ctl_call(ctl, "upcoming", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->upcoming(result, days);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_upcoming_entry = {
	.name = "upcoming",
	.usage = "[--days N] [--limit N]",
	.summary = "The next interviews, due reminders, in-progress count and recent applications",
	.opts = upcoming_opts,
	.exec = cmd_upcoming,
};

static int cmd_calendar(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "calendar", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->calendar(result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_calendar_entry = {
	.name = "calendar",
	.usage = "",
	.summary = "Where the iCalendar feed of interviews and reminders is: URL and file",
	.exec = cmd_calendar,
};
