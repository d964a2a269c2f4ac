/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.c - apptrackctl's command table and dispatcher: finds the command, parses its
 * options with the entry's table, answers --help, refuses a wrong number of arguments,
 * parses the ids it requires, runs the handler and clears the options; and `help`.
 *
 * The commands themselves live in one file per family (cmd_app.c, cmd_reminders.c,
 * cmd_contacts.c, cmd_interview.c, cmd_mail.c, cmd_transfer.c, cmd_daemon.c,
 * cmd_match.c, cmd_profile.c), each exporting its entries, which the table below lists
 * in the order `apptrackctl help` shows them; the helpers they share to read options
 * into a request are at the end of this file.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/paths.h"
#include "apptrack/protocol.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_DISTANCE 2

/* the entries, one line per file: cmd_app.c, cmd_reminders.c, cmd_contacts.c, cmd_profile.c,
 * cmd_match.c, cmd_interview.c, cmd_mail.c, cmd_transfer.c, cmd_daemon.c */
extern const struct command cmd_add_entry, cmd_list_entry, cmd_show_entry, cmd_edit_entry, cmd_status_entry,
	cmd_note_entry, cmd_rm_entry, cmd_stats_entry;
extern const struct command cmd_reminders_entry;
extern const struct command cmd_contacts_entry;
extern const struct command cmd_resume_entry, cmd_profile_entry;
extern const struct command cmd_match_entry;
extern const struct command cmd_interview_entry, cmd_upcoming_entry, cmd_calendar_entry;
extern const struct command cmd_mail_entry, cmd_rules_entry, cmd_learn_entry, cmd_unlearn_entry, cmd_review_entry;
extern const struct command cmd_import_entry, cmd_export_entry, cmd_backup_entry;
extern const struct command cmd_ping_entry, cmd_version_entry, cmd_watch_entry, cmd_web_entry;
static const struct command cmd_help_entry;

const struct command *const ctl_commands[] = {
	&cmd_add_entry,       &cmd_list_entry,     &cmd_show_entry,     &cmd_edit_entry,      &cmd_status_entry,
	&cmd_note_entry,      &cmd_rm_entry,       &cmd_reminders_entry, &cmd_contacts_entry, &cmd_resume_entry,
	&cmd_profile_entry,   &cmd_match_entry,    &cmd_stats_entry,    &cmd_interview_entry, &cmd_upcoming_entry,
	&cmd_calendar_entry,  &cmd_mail_entry,     &cmd_rules_entry,    &cmd_learn_entry,     &cmd_unlearn_entry,
	&cmd_review_entry,    &cmd_import_entry,   &cmd_export_entry,   &cmd_backup_entry,    &cmd_ping_entry,
	&cmd_version_entry,   &cmd_watch_entry,    &cmd_web_entry,      &cmd_help_entry,      NULL,
};

/* parse_opts() when --help was asked for */
#define CTL_HELP (-1)

static void opts_clear(struct opts *o)
{
	if (o->values)
		g_hash_table_destroy(o->values);
	if (o->lists)
		g_hash_table_destroy(o->lists);
	if (o->args)
		g_ptr_array_free(o->args, TRUE);
}

/* Parses argv[1..] against the command's option table into o; an option given twice
 * keeps its last value (every value when it repeats). Returns CTL_OK, CTL_USAGE (message
 * printed) or CTL_HELP. Values are borrowed from argv. */
static int parse_opts(struct ctl *ctl, int argc, char **argv, struct opts *o)
{
	const struct opt *table = ctl->cmd->opts;
	bool only_args = false;

	o->values = g_hash_table_new(g_str_hash, g_str_equal);
	o->lists = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	o->args = g_ptr_array_new();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			g_ptr_array_add(o->args, (char *)a);
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return CTL_HELP;
		if (!g_str_has_prefix(a, "--"))
			return ctl_usage(ctl, "unknown option \"%s\"", a);
		g_autofree char *name = g_strdup(a + 2);
		char *eq = strchr(name, '=');
		if (eq)
			*eq = '\0';
		const struct opt *k;
		for (k = table; k && k->name; k++)
			if (strcmp(k->name, name) == 0)
				break;
		if (!k || !k->name)
			return ctl_usage(ctl, "unknown option \"--%s\"", name);
		const char *value = "";
		if (k->takes_value) {
			if (eq)
				value = a + 2 + (eq - name) + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return ctl_usage(ctl, "--%s needs a value", name);
		} else if (eq) {
			return ctl_usage(ctl, "--%s takes no value", name);
		}
		g_hash_table_insert(o->values, (char *)k->name, (char *)value);
		if (k->repeats) {
			GPtrArray *all = g_hash_table_lookup(o->lists, k->name);
			if (!all) {
				all = g_ptr_array_new();
				g_hash_table_insert(o->lists, (char *)k->name, all);
			}
			g_ptr_array_add(all, (char *)value);
		}
	}
	return CTL_OK;
}

const char *opt(struct opts *o, const char *name)
{
	return g_hash_table_lookup(o->values, name);
}

GPtrArray *opt_all(struct opts *o, const char *name)
{
	return g_hash_table_lookup(o->lists, name);
}

/* The required arguments (each present, ids parsed into o->id), then no more than the
 * command takes. */
static int check_args(struct ctl *ctl, struct opts *o)
{
	const struct command *cmd = ctl->cmd;
	guint n = 0;

	for (; n < CMD_REQUIRED_MAX && (cmd->required[n].id || cmd->required[n].missing); n++) {
		const struct arg *a = &cmd->required[n];
		if (n >= o->args->len && a->missing)
			return ctl_usage(ctl, "%s", a->missing);
		if (a->id && ctl_parse_id(ctl, n < o->args->len ? o->args->pdata[n] : NULL, a->id, &o->id[n]) != CTL_OK)
			return CTL_USAGE;
	}
	if (cmd->max_args == ARGS_ANY || o->args->len <= (guint)cmd->max_args)
		return CTL_OK;
	const char *fmt = cmd->too_many ? cmd->too_many : "unexpected argument \"%s\"";
	const char *at = strstr(fmt, "%s");
	if (!at)
		return ctl_usage(ctl, "%s", fmt);
	return ctl_usage(ctl, "%.*s%s%s", (int)(at - fmt), fmt, (char *)o->args->pdata[cmd->max_args], at + 2);
}

/* Runs ctl->cmd with argv (argv[0] its name). */
static int run(struct ctl *ctl, int argc, char **argv)
{
	const struct command *cmd = ctl->cmd;
	struct opts o = { 0 };
	int r;

	if (cmd->flags & CMD_RAW_ARGS) {
		o.args = g_ptr_array_new();
		for (int i = 1; i < argc; i++)
			g_ptr_array_add(o.args, argv[i]);
		r = CTL_OK;
	} else {
		r = parse_opts(ctl, argc, argv, &o);
	}
	if (r == CTL_HELP) {
		printf("usage: apptrackctl %s%s %s\n%s\n", ctl->prefix, cmd->name, cmd->usage, cmd->summary);
		r = CTL_OK;
	} else if (r == CTL_OK && (r = check_args(ctl, &o)) == CTL_OK) {
		r = cmd->exec(ctl, &o);
	}
	opts_clear(&o);
	return r;
}

int ctl_dispatch(struct ctl *ctl, const struct command *const *table, const char *prefix, int argc, char **argv)
{
	const struct command *cmd = ctl_find(table, argv[0]);

	if (!cmd) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		for (const struct command *const *c = table; *c; c++)
			g_ptr_array_add(names, (char *)(*c)->name);
		const char *best = text_closest(argv[0], (const char *const *)names->pdata, names->len, SUGGEST_MAX_DISTANCE);
		if (best)
			return ctl_fail(CTL_USAGE, "unknown command \"%s%s\" (did you mean \"%s%s\"?)", prefix, argv[0],
					prefix, best);
		return ctl_fail(CTL_USAGE, "unknown command \"%s%s\" (try: apptrackctl help)", prefix, argv[0]);
	}
	ctl->cmd = cmd;
	ctl->prefix = prefix;
	if (cmd->sub && argc >= 2 && ctl_find(cmd->sub, argv[1])) {
		g_autofree char *sub_prefix = g_strconcat(prefix, cmd->name, " ", NULL);
		return ctl_dispatch(ctl, cmd->sub, sub_prefix, argc - 1, argv + 1);
	}
	if (cmd->sub && !cmd->exec) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			ctl_print_command(cmd, prefix); /* a group: its sub-commands */
			return CTL_OK;
		}
		if (argc < 2)
			return ctl_usage(ctl, "which one? (%s)", cmd->usage);
		g_autofree char *sub_prefix = g_strconcat(prefix, cmd->name, " ", NULL);
		return ctl_dispatch(ctl, cmd->sub, sub_prefix, argc - 1, argv + 1);
	}
	return run(ctl, argc, argv);
}

/* ---- help ---- */

static int cmd_help(struct ctl *ctl, struct opts *o)
{
	const struct command *cmd;
	(void)ctl;

	if (o->args->len == 0) {
		printf("usage: apptrackctl [--json] [--socket PATH] COMMAND [ARGS...]\n\nCommands:\n");
		ctl_print_help(ctl_commands, "");
		return CTL_OK;
	}
	/* "help --help" is help about help */
	const char *name = o->args->pdata[0];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	cmd = ctl_find(ctl_commands, name);
	if (!cmd)
		return ctl_fail(CTL_USAGE, "help: unknown command \"%s\"", name);
	ctl_print_command(cmd, "");
	return CTL_OK;
}

static const struct command cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "Show help for all commands or one",
	.max_args = ARGS_ANY,
	.flags = CMD_RAW_ARGS,
	.exec = cmd_help,
};

void ctl_print_command(const struct command *cmd, const char *prefix)
{
	printf("usage: apptrackctl %s%s %s\n%s\n", prefix, cmd->name, cmd->usage, cmd->summary);
	if (cmd->sub) {
		g_autofree char *sub_prefix = g_strconcat(prefix, cmd->name, " ", NULL);
		ctl_print_help(cmd->sub, sub_prefix);
	}
}

const struct command *ctl_find(const struct command *const *table, const char *name)
{
	for (const struct command *const *c = table; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

void ctl_print_help(const struct command *const *table, const char *prefix)
{
	for (const struct command *const *c = table; *c; c++) {
		g_autofree char *name = g_strconcat(prefix, (*c)->name, NULL);
		printf("  %-18s %s\n", name, (*c)->summary);
	}
}

/* ---- what the handlers share: option values into a request ---- */

int ctl_parse_id(struct ctl *ctl, const char *text, const char *what, json_int_t *ret)
{
	char *end;
	long long v;

	if (!text)
		return ctl_usage(ctl, "missing %s id", what);
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || end == text || v <= 0)
		return ctl_usage(ctl, "\"%s\" is not %s %s id", text, strchr("aeiou", what[0]) ? "an" : "a", what);
	*ret = v;
	return CTL_OK;
}

int ctl_parse_count(struct ctl *ctl, const char *name, const char *text, json_int_t min, json_int_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || end == text || v < min)
		return ctl_usage(ctl, "--%s \"%s\" is not a %s number", name, text, min > 0 ? "positive" : "non-negative");
	*ret = v;
	return CTL_OK;
}

int ctl_check_date(struct ctl *ctl, const char *name, const char *text)
{
	if (time_parse_date(text, NULL, NULL) < 0)
		return ctl_usage(ctl, "--%s \"%s\" is not a date (use YYYY-MM-DD)", name, text);
	return CTL_OK;
}

/* A huge file is refused before it is read. */
int ctl_read_file(struct ctl *ctl, const char *path, char **ret_text, gsize *ret_len)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	size_t len = 0;

	if (paths_read_bounded(path, PROTO_MAX_LINE, PATHS_READ_STREAMS, "one request", &text, &len, &error) < 0)
		return ctl_fail(CTL_USAGE, "%s%s: %s", ctl->prefix, ctl->cmd->name, error->message);
	if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len))
		return ctl_fail(CTL_USAGE, "%s%s: %s is not UTF-8 text", ctl->prefix, ctl->cmd->name, path);
	*ret_text = g_steal_pointer(&text);
	*ret_len = len;
	return CTL_OK;
}

int ctl_call_show(struct ctl *ctl, const char *method, json_t *params, void (*show)(json_t *result))
{
	json_t *result = NULL;
	int r;

	if (show == out_json) {
		g_autofree char *text = NULL;
		size_t len;
		if ((r = ctl_call_text(ctl, method, params, &text, &len)) != CTL_OK)
			return r;
		fwrite(text, 1, len, stdout);
		fputc('\n', stdout);
		return CTL_OK;
	}
	if ((r = ctl_call(ctl, method, params, &result, NULL)) != CTL_OK)
		return r;
	show(result);
	json_decref(result);
	return CTL_OK;
}

int ctl_fields_from_opts(struct ctl *ctl, struct opts *o, json_t *params)
{
	for (const struct opt *k = ctl->cmd->opts; k && k->name; k++) {
		const char *v = opt(o, k->name);
		if (!v || !k->field)
			continue;
		if (strcmp(k->field, "applied_at") == 0 && *v && ctl_check_date(ctl, k->name, v) != CTL_OK)
			return CTL_USAGE;
		json_object_set_new(params, k->field, json_string(v));
	}
	const char *jd = opt(o, "jd-file"), *jd_url = opt(o, "jd-url");
	if (jd && jd_url)
		return ctl_usage(ctl, "--jd-file and --jd-url both give the job description: use one");
	if (jd) {
		g_autofree char *text = NULL;
		gsize len;
		int r = ctl_read_file(ctl, jd, &text, &len);
		if (r != CTL_OK)
			return r;
		json_object_set_new(params, "job_description", json_stringn(text, len));
	}
	if (jd_url) {
		/* fetched here, as the user, so the daemon never goes on the web; a failure is
		 * exit 2 like an unreadable --jd-file, and nothing is sent */
		g_autofree char *text = NULL, *final_url = NULL;
		int r = ctl_fetch_url(ctl, jd_url, &text, &final_url);
		if (r != CTL_OK)
			return r;
		json_object_set_new(params, "job_description", json_string(text));
		if (!opt(o, "url"))
			json_object_set_new(params, "url", json_string(final_url));
	}
	return CTL_OK;
}
