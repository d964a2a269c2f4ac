/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_reminders.c - apptrackctl reminders: the pending list, and done and snooze on one.
 *
 * The daemon schedules the reminders (follow-ups after applying, before interviews);
 * these commands only list them and change their state.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/timeutil.h"

#include <stdint.h>

static const struct opt reminders_opts[] = { { "all", false, NULL, false }, { NULL, false, NULL, false } };

static int cmd_reminders(struct ctl *ctl, struct opts *o)
{
	return ctl_call_show(ctl, "reminders.list", json_pack("{s:b}", "all", opt(o, "all") != NULL),
			     ctl->out->reminders);
}

static int cmd_reminder_done(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "reminders.done", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->reminder(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_reminder_snooze(struct ctl *ctl, struct opts *o)
{
	const char *duration = o->args->pdata[1];
	json_t *result = NULL;
	int64_t seconds;
	int r;

	if (time_parse_duration(duration, &seconds) < 0 || seconds <= 0)
		return ctl_usage(ctl, "\"%s\" is not a duration (use a number with s, m, h, d or w, e.g. 2d)", duration);
	if ((r = ctl_call(ctl, "reminders.snooze", json_pack("{s:I,s:s}", "id", o->id[0], "for", duration), &result,
			  NULL)) != CTL_OK)
		return r;
	ctl->out->reminder(result);
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_reminder_done_entry = {
	.name = "done",
	.usage = "ID",
	.summary = "Mark a reminder done",
	.required = { { "reminder", NULL } },
	.max_args = 1,
	.exec = cmd_reminder_done,
};

static const struct command cmd_reminder_snooze_entry = {
	.name = "snooze",
	.usage = "ID DURATION",
	.summary = "Push a reminder back (e.g. 2d, 4h)",
	.required = { { "reminder", NULL }, { NULL, "missing the duration (e.g. 2d)" } },
	.max_args = 2,
	.too_many = "too many arguments",
	.exec = cmd_reminder_snooze,
};

static const struct command *const reminders_commands[] = {
	&cmd_reminder_done_entry,
	&cmd_reminder_snooze_entry,
	NULL,
};

const struct command cmd_reminders_entry = {
	.name = "reminders",
	.usage = "[--all] | done ID | snooze ID DURATION",
	.summary = "List pending reminders, or act on one",
	.opts = reminders_opts,
	.too_many = "unknown subcommand \"%s\" (use done or snooze)",
	.exec = cmd_reminders,
	.sub = reminders_commands,
};
