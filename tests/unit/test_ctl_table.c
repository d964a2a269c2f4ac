/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ctl_table.c - apptrackctl's command table and dispatcher, without a daemon: every
 * entry's usage names the options its table parses, and the dispatcher turns a command
 * line into the request it sends or into the one usage error it prints; and what `show`
 * prints of the mail that made a timeline event.
 *
 * Linked with src/ctl/ but main.c: ctl_call(), ctl_call_text(), ctl_usage() and ctl_fail()
 * are replaced here by stubs that record the request or the error.
 */
#include "ctl.h"
#include "output.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What the last command line did: the method it called with its params (compact, keys
 * sorted), or the error it printed. */
static char *called, *error_text;

int ctl_call(struct ctl *ctl, const char *method, json_t *params, json_t **ret_result, json_t **ret_data)
{
	char *text = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	(void)ctl;
	(void)ret_result;
	(void)ret_data;
	g_free(called);
	called = g_strdup_printf("%s %s", method, text ? text : "null");
	free(text);
	json_decref(params);
	return CTL_REMOTE; /* as if the daemon refused: the handler prints nothing */
}

int ctl_call_text(struct ctl *ctl, const char *method, json_t *params, char **ret_text, size_t *ret_len)
{
	(void)ret_text;
	(void)ret_len;
	return ctl_call(ctl, method, params, NULL, NULL);
}

int ctl_usage(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_free(error_text);
	error_text = g_strdup_printf("%s%s: %s", ctl->prefix, ctl->cmd->name, msg);
	return CTL_USAGE;
}

int ctl_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_free(error_text);
	error_text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return status;
}

/* Runs a command line (shell words); returns its exit status. */
static int run(const char *line)
{
	struct ctl ctl = { .out = &output_json, .prefix = "" };
	g_auto(GStrv) argv = NULL;
	int argc;

	g_clear_pointer(&called, g_free);
	g_clear_pointer(&error_text, g_free);
	if (!g_shell_parse_argv(line, &argc, &argv, NULL))
		fail_msg("bad test line %s", line);
	return ctl_dispatch(&ctl, ctl_commands, "", argc, argv);
}

/* The options a usage text names: every "--word". */
static GHashTable *usage_options(const char *usage)
{
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (const char *p = strstr(usage, "--"); p; p = strstr(p + 2, "--")) {
		size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		if (n)
			g_hash_table_add(names, g_strndup(p + 2, n));
	}
	return names;
}

static void check_entry(const struct command *cmd, const char *prefix)
{
	g_autoptr(GHashTable) named = usage_options(cmd->usage);
	g_autofree char *name = g_strconcat(prefix, cmd->name, NULL);
	size_t required = 0;

	if (!cmd->summary || !*cmd->summary || !cmd->usage || (!cmd->exec && !cmd->sub))
		fail_msg("%s: an entry needs a usage, a summary and a handler or sub-commands", name);
	while (required < CMD_REQUIRED_MAX && (cmd->required[required].id || cmd->required[required].missing))
		required++;
	if (cmd->max_args != ARGS_ANY && (size_t)cmd->max_args < required)
		fail_msg("%s: requires %zu arguments but takes at most %d", name, required, cmd->max_args);
	/* "ID --FIELD VALUE..." stands for the options of another command */
	if (strstr(cmd->usage, "--FIELD"))
		return;
	for (const struct opt *o = cmd->opts; o && o->name; o++)
		if (!g_hash_table_contains(named, o->name))
			fail_msg("%s: its usage does not name --%s", name, o->name);
	if (cmd->sub) /* a group's usage names its sub-commands' options too */
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, named);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const struct opt *o;
		for (o = cmd->opts; o && o->name && strcmp(o->name, key) != 0; o++)
			;
		if (!o || !o->name)
			fail_msg("%s: its usage names --%s, which it does not take", name, (char *)key);
	}
}

static void test_usage_names_the_options(void **state)
{
	(void)state;
	for (const struct command *const *c = ctl_commands; *c; c++) {
		check_entry(*c, "");
		g_autofree char *prefix = g_strconcat((*c)->name, " ", NULL);
		for (const struct command *const *s = (*c)->sub; s && *s; s++)
			check_entry(*s, prefix);
	}
}

static void test_requests(void **state)
{
	static const struct {
		const char *line;
		const char *request;
	} cases[] = {
		{ "add --company A --position P --applied-on 2026-01-02 --notes=n",
		  "applications.add {\"applied_at\":\"2026-01-02\",\"company\":\"A\",\"notes\":\"n\",\"position\":\"P\"}" },
		{ "list --limit 5 --since 2026-01-01 --status applied",
		  "applications.list {\"limit\":5,\"since\":\"2026-01-01\",\"status\":\"applied\"}" },
		{ "show 12", "applications.show {\"id\":12}" },
		{ "edit 3 --location Berlin", "applications.edit {\"id\":3,\"location\":\"Berlin\"}" },
		{ "status 3 applied --note 'a call'", "applications.status {\"id\":3,\"note\":\"a call\",\"status\":\"applied\"}" },
		{ "note 7 hello  world", "applications.note {\"id\":7,\"text\":\"hello world\"}" },
		{ "note 7 -- --not-an-option", "applications.note {\"id\":7,\"text\":\"--not-an-option\"}" },
		{ "rm 2", "applications.remove {\"id\":2}" },
		{ "stats pipeline --weeks 4", "stats {\"report\":\"pipeline\",\"weeks\":4}" },
		{ "stats", "stats {\"report\":\"overview\"}" },
		{ "reminders", "reminders.list {\"all\":false}" },
		{ "reminders --all", "reminders.list {\"all\":true}" },
		{ "reminders done 4", "reminders.done {\"id\":4}" },
		{ "reminders snooze 4 2d", "reminders.snooze {\"for\":\"2d\",\"id\":4}" },
		{ "contacts add --name Ann --link http://x", "contacts.add {\"links\":\"http://x\",\"name\":\"Ann\"}" },
		{ "contacts link 4 5 --unlink", "contacts.link {\"application\":5,\"id\":4,\"unlink\":true}" },
		{ "contacts list --search ann", "contacts.list {\"search\":\"ann\"}" },
		{ "interview add 2 --at 2026-12-01T14:30:00Z --type video",
		  "interviews.add {\"application\":2,\"at\":\"2026-12-01T14:30:00Z\",\"type\":\"video\"}" },
		{ "interview rm 9", "interviews.remove {\"id\":9}" },
		{ "upcoming --days 3", "upcoming {\"days\":3}" },
		{ "upcoming --limit 5", "upcoming {\"days\":7,\"limit\":5}" },
		{ "calendar", "calendar null" },
		{ "resume", "resumes.list null" },
		{ "resume list", "resumes.list null" },
		{ "resume default cv", "resumes.default {\"name\":\"cv\"}" },
		{ "profile", "profile.get null" },
		{ "profile --link a --name --link --link=b", "profile.set {\"links\":[\"a\",\"b\"],\"name\":\"--link\"}" },
		{ "profile --link ''", "profile.set {\"links\":[]}" },
		{ "match 3 --mode corpus", "match {\"application\":3,\"mode\":\"corpus\"}" },
		{ "match --all --limit 2", "match {\"all\":true,\"limit\":2}" },
		{ "mail sync", "mail.sync null" },
		{ "review apply 6 --app 2 --kind rejection", "review.apply {\"application\":2,\"id\":6,\"kind\":\"rejection\"}" },
		{ "review retry", "review.retry null" },
		{ "ping", "ping null" },
		{ "version", "version null" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		int r = run(cases[i].line);
		if (!called || strcmp(called, cases[i].request) != 0)
			fail_msg("%s: sent %s, want %s (error: %s)", cases[i].line, called ? called : "nothing",
				 cases[i].request, error_text ? error_text : "none");
		assert_int_equal(r, CTL_REMOTE);
	}
}

static void test_usage_errors(void **state)
{
	static const struct {
		const char *line;
		const char *error;
	} cases[] = {
		{ "show", "show: missing application id" },
		{ "show 1 2", "show: unexpected argument \"2\"" },
		{ "show 0", "show: \"0\" is not an application id" },
		{ "add x", "add: unexpected argument \"x\"" },
		{ "add --company A", "add: --position is required" },
		{ "add --bogus", "add: unknown option \"--bogus\"" },
		{ "add -x", "add: unknown option \"-x\"" },
		{ "add --company", "add: --company needs a value" },
		{ "add --company A --position P --applied-on soon",
		  "add: --applied-on \"soon\" is not a date (use YYYY-MM-DD)" },
		{ "list --limit many", "list: --limit \"many\" is not a non-negative number" },
		{ "reminders --all=1", "reminders: --all takes no value" },
		{ "reminders later", "reminders: unknown subcommand \"later\" (use done or snooze)" },
		{ "reminders snooze 1", "reminders snooze: missing the duration (e.g. 2d)" },
		{ "reminders snooze 1 2d 3", "reminders snooze: too many arguments" },
		{ "reminders snooze 1 soon",
		  "reminders snooze: \"soon\" is not a duration (use a number with s, m, h, d or w, e.g. 2d)" },
		{ "status 1", "status: missing the new status" },
		{ "status 1 a b", "status: too many arguments" },
		{ "note 1", "note: missing the note's text" },
		{ "edit 1", "edit: nothing to change: give at least one --FIELD VALUE" },
		{ "edit 1 --status x", "edit: status is changed with: apptrackctl status ID STATUS" },
		{ "contacts link 1", "contacts link: missing application id" },
		{ "contacts link 1 2 3", "contacts link: too many arguments" },
		{ "contacts add", "contacts add: --name is required" },
		{ "interview add 1", "interview add: --at \"YYYY-MM-DD HH:MM\" is required" },
		{ "interview list --from soon", "interview list: bad date \"soon\" for --from: use YYYY-MM-DD" },
		{ "review apply abc", "review apply: \"abc\" is not a review entry id" },
		{ "review apply 1 --kind bogus", NULL },
		{ "resume nope", "resume: unknown subcommand \"nope\" (use add, list, show, rm or default)" },
		{ "resume add cv", "resume add: give a name and a file" },
		{ "resume add cv a b", "resume add: unexpected argument \"b\"" },
		{ "resume show", "resume show: missing the resume name" },
		{ "profile x", "profile: unexpected argument \"x\" (options are --FIELD VALUE)" },
		{ "profile --link", "profile: --link needs a value" },
		{ "match", "match: what to match: APP_ID, --jd-file F or --all" },
		{ "match 1 2", "match: give one of APP_ID, --jd-file or --all" },
		{ "match 1 --all", "match: give one of APP_ID, --jd-file or --all" },
		{ "match --all --mode x", "match: --mode must be pair or corpus, not \"x\"" },
		{ "learn", "learn: missing the kind (confirmation, rejection, interview, assessment, offer, recruiter or noise)" },
		{ "learn rejection", "learn: give one or more .eml files" },
		{ "unlearn", "unlearn: give one or more .eml files" },
		{ "rules test", "rules test: give one or more .eml files" },
		{ "rules", "rules: which one? (test FILE.eml...)" },
		{ "import", "import: missing the CSV file" },
		{ "import a b", "import: one file at a time" },
		{ "export a b", "export: one file at a time" },
		{ "backup", "backup: missing the backup file" },
		{ "ping now", "ping: unexpected argument \"now\"" },
		{ "stats a b", "stats: unexpected argument \"b\"" },
		{ "upcoming --days 0", "upcoming: --days \"0\" is not a positive number" },
		{ "upcoming --limit x", "upcoming: --limit \"x\" is not a positive number" },
		{ "lst", "unknown command \"lst\" (did you mean \"list\"?)" },
		{ "contacts lst", "unknown command \"contacts lst\" (did you mean \"contacts list\"?)" },
		{ "help nosuch", "help: unknown command \"nosuch\"" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		int r = run(cases[i].line);
		if (called)
			fail_msg("%s: sent %s, want a usage error", cases[i].line, called);
		if (!error_text || (cases[i].error && strcmp(error_text, cases[i].error) != 0))
			fail_msg("%s: said %s, want %s", cases[i].line, error_text ? error_text : "nothing",
				 cases[i].error ? cases[i].error : "an error");
		assert_int_equal(r, CTL_USAGE);
	}
}

/* --help answers before anything is checked or sent; a group lists its sub-commands */
static void test_help(void **state)
{
	static const char *const lines[] = {
		"show --help", "status -h", "add --company A --help", "contacts --help", "contacts link --help",
		"resume --help", "reminders --help", "help", "help --help", "help contacts",
	};
	(void)state;
	fflush(stdout);
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		int r = run(lines[i]);
		if (r != CTL_OK || called || error_text) {
			fclose(stdout);
			stdout = saved;
			fail_msg("%s: status %d, sent %s, said %s", lines[i], r, called ? called : "nothing",
				 error_text ? error_text : "nothing");
		}
	}
	fclose(stdout);
	stdout = saved;
}

/* `show`'s timeline names the mail behind an event: the sender under an email event (its
 * text is the subject already), sender and subject under the changes it made. */
static void test_show_mail_timeline(void **state)
{
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	int fd = g_file_open_tmp("apptrack-show-XXXXXX", &path, NULL), saved = dup(STDOUT_FILENO);
	json_t *app = json_loads(
		"{\"id\":3,\"company\":\"Acme\",\"position\":\"Dev\",\"status\":\"rejected\",\"events\":["
		"{\"id\":1,\"at\":\"2026-01-01T00:00:00Z\",\"kind\":\"created\",\"to_status\":\"applied\"},"
		"{\"id\":2,\"at\":\"2026-01-02T00:00:00Z\",\"kind\":\"status_change\",\"from_status\":\"applied\","
		"\"to_status\":\"rejected\",\"mail_from\":\"Jobs <jobs@acme.example>\",\"mail_subject\":\"Your application\"},"
		"{\"id\":3,\"at\":\"2026-01-02T00:00:00Z\",\"kind\":\"email\",\"text\":\"Your application\","
		"\"mail_from\":\"Jobs <jobs@acme.example>\",\"mail_subject\":\"Your application\"}]}",
		0, NULL);
	(void)state;

	assert_true(fd >= 0 && saved >= 0 && app);
	fflush(stdout);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	output_table.application(app);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	close(fd);
	json_decref(app);
	assert_true(g_file_get_contents(path, &text, NULL, NULL));
	unlink(path);
	assert_non_null(strstr(text, "status_change applied -> rejected\n"
				     "      by mail from Jobs <jobs@acme.example>: Your application\n"));
	assert_non_null(strstr(text, "email         Your application\n      from Jobs <jobs@acme.example>\n"));
	/* the created event came from no mail: nothing under it */
	assert_non_null(strstr(text, "created       as applied\n  2026-01-02"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_names_the_options),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_show_mail_timeline),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	g_free(called);
	g_free(error_text);
	return r;
}
