/* commands.c - apptrackctl's commands: one table entry and one function each.
 *
 * Each command parses its options with parse_opts() from a small option table, builds the
 * request's params, calls the daemon once through ctl_call() and prints the result for
 * people (tables, blocks, bars) or, with --json, as JSON for scripts.
 */
#include "ctl.h"

#include "apptrack/lessons.h"
#include "apptrack/paths.h"
#include "apptrack/pipeline.h"
#include "apptrack/protocol.h"
#include "apptrack/timeutil.h"
#include "apptrack/version.h"
#include "apptrack/webtext.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WATCH_FOREVER (-1)

/* struct opt and struct opts are in ctl.h: the other command files parse with them too */

void opts_clear(struct opts *o)
{
	if (o->values)
		g_hash_table_destroy(o->values);
	if (o->args)
		g_ptr_array_free(o->args, TRUE);
}

/* Parses argv[1..] against table. Returns CTL_OK, CTL_USAGE (message printed) or -1 when
 * --help was shown. */
int parse_opts(struct ctl *ctl, int argc, char **argv, const struct opt *table, size_t n, struct opts *o)
{
	bool only_args = false;

	o->values = g_hash_table_new(g_str_hash, g_str_equal);
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
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("usage: apptrackctl %s%s %s\n%s\n", ctl->prefix, ctl->cmd->name, ctl->cmd->args,
			       ctl->cmd->summary);
			return -1;
		}
		if (!g_str_has_prefix(a, "--"))
			return ctl_usage(ctl, "unknown option \"%s\"", a);
		g_autofree char *name = g_strdup(a + 2);
		char *eq = strchr(name, '=');
		if (eq)
			*eq = '\0';
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(table[k].name, name) == 0)
				break;
		if (k == n)
			return ctl_usage(ctl, "unknown option \"--%s\"", name);
		const char *value = "";
		if (table[k].takes_value) {
			if (eq)
				value = a + 2 + (eq - name) + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return ctl_usage(ctl, "--%s needs a value", name);
		} else if (eq) {
			return ctl_usage(ctl, "--%s takes no value", name);
		}
		g_hash_table_insert(o->values, (char *)table[k].name, (char *)value);
	}
	return CTL_OK;
}

const char *opt(struct opts *o, const char *name)
{
	return g_hash_table_lookup(o->values, name);
}

/* Parses a positive id argument. */
static int parse_id(struct ctl *ctl, const char *text, const char *what, json_int_t *ret)
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

static int parse_count(struct ctl *ctl, const char *name, const char *text, json_int_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || end == text || v < 0)
		return ctl_usage(ctl, "--%s \"%s\" is not a non-negative number", name, text);
	*ret = v;
	return CTL_OK;
}

static int check_date(struct ctl *ctl, const char *name, const char *text)
{
	if (time_parse_date(text, NULL, NULL) < 0)
		return ctl_usage(ctl, "--%s \"%s\" is not a date (use YYYY-MM-DD)", name, text);
	return CTL_OK;
}

/* A text file the request carries (--jd-file, import): no larger than a request line may
 * be, so a huge file is refused before it is read. */
static int read_file(struct ctl *ctl, const char *path, char **ret_text, gsize *ret_len)
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

/* Copies every option of table that names a request field into params. */
static int fields_from_opts(struct ctl *ctl, struct opts *o, const struct opt *table, size_t n, json_t *params)
{
	for (size_t k = 0; k < n; k++) {
		const char *v = opt(o, table[k].name);
		if (!v || !table[k].field)
			continue;
		if (strcmp(table[k].field, "applied_at") == 0 && *v && check_date(ctl, table[k].name, v) != CTL_OK)
			return CTL_USAGE;
		json_object_set_new(params, table[k].field, json_string(v));
	}
	const char *jd = opt(o, "jd-file"), *jd_url = opt(o, "jd-url");
	if (jd && jd_url)
		return ctl_usage(ctl, "--jd-file and --jd-url both give the job description: use one");
	if (jd) {
		g_autofree char *text = NULL;
		gsize len;
		int r = read_file(ctl, jd, &text, &len);
		if (r != CTL_OK)
			return r;
		json_object_set_new(params, "job_description", json_stringn(text, len));
	}
	if (jd_url) {
		/* fetched here, as the user, so the daemon never goes on the web; a failure is
		 * exit 2 like an unreadable --jd-file, and nothing is sent */
		g_autoptr(GError) error = NULL;
		g_autofree char *text = NULL, *final_url = NULL;
		if (webtext_fetch(jd_url, NULL, &text, &final_url, &error) < 0)
			return ctl_fail(CTL_USAGE, "%s%s: %s", ctl->prefix, ctl->cmd->name, error->message);
		json_object_set_new(params, "job_description", json_string(text));
		if (!opt(o, "url"))
			json_object_set_new(params, "url", json_string(final_url));
	}
	return CTL_OK;
}

/* ---- applications ---- */

static const struct opt app_opts[] = {
	{ "company", true, "company" },   { "position", true, "position" }, { "status", true, "status" },
	{ "source", true, "source" },     { "location", true, "location" }, { "salary", true, "salary" },
	{ "url", true, "url" },           { "jd-file", true, NULL },       { "applied-on", true, "applied_at" },
	{ "notes", true, "notes" },       { "jd-url", true, NULL },
};

static int cmd_add(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	int r = parse_opts(ctl, argc, argv, app_opts, G_N_ELEMENTS(app_opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	if (r == CTL_OK && !opt(&o, "company"))
		r = ctl_usage(ctl, "--company is required");
	if (r == CTL_OK && !opt(&o, "position"))
		r = ctl_usage(ctl, "--position is required");
	if (r == CTL_OK)
		r = fields_from_opts(ctl, &o, app_opts, G_N_ELEMENTS(app_opts), params);
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if ((r = ctl_call(ctl, "applications.add", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("%" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

static const struct opt list_opts[] = {
	{ "status", true, "status" }, { "source", true, "source" }, { "company", true, "company" },
	{ "search", true, "search" }, { "since", true, "since" },   { "until", true, "until" },
	{ "sort", true, "sort" },     { "limit", true, NULL },      { "offset", true, NULL },
};

static const struct column app_columns[] = {
	{ "ID", "id", 0, false },          { "COMPANY", "company", 24, false }, { "POSITION", "position", 28, false },
	{ "STATUS", "status", 0, false },  { "SOURCE", "source", 14, false },   { "APPLIED", "applied_at", 0, false },
	{ "UPDATED", "updated_at", 0, true },
};

static int cmd_list(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	json_int_t n = 0;
	int r = parse_opts(ctl, argc, argv, list_opts, G_N_ELEMENTS(list_opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	for (size_t k = 0; r == CTL_OK && k < G_N_ELEMENTS(list_opts); k++) {
		const char *v = opt(&o, list_opts[k].name);
		if (!v)
			continue;
		if (list_opts[k].field) {
			if ((!strcmp(list_opts[k].name, "since") || !strcmp(list_opts[k].name, "until")) &&
			    (r = check_date(ctl, list_opts[k].name, v)) != CTL_OK)
				break;
			json_object_set_new(params, list_opts[k].field, json_string(v));
		} else if ((r = parse_count(ctl, list_opts[k].name, v, &n)) == CTL_OK) {
			json_object_set_new(params, list_opts[k].name, json_integer(n));
		}
	}
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if ((r = ctl_call(ctl, "applications.list", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (json_array_size(result) == 0)
		printf("no applications\n");
	else
		out_table(result, app_columns, G_N_ELEMENTS(app_columns));
	json_decref(result);
	return CTL_OK;
}

/* Commands of the shape "NAME ID": show, rm. */
static int id_command(struct ctl *ctl, int argc, char **argv, const char *what, const char *method,
		      void (*print)(json_t *))
{
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[1]);
	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, what, &id);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, method, json_pack("{s:I}", "id", id), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (print)
		print(result);
	else
		printf("removed %s %" JSON_INTEGER_FORMAT "\n", what, id);
	json_decref(result);
	return CTL_OK;
}

static int cmd_show(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "application", "applications.show", out_application);
}

static int cmd_rm(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "application", "applications.remove", NULL);
}

static int cmd_edit(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, app_opts, G_N_ELEMENTS(app_opts), &o);

	if (r == CTL_OK && opt(&o, "status"))
		r = ctl_usage(ctl, "status is changed with: apptrackctl status ID STATUS");
	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "application", &id);
	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[1]);
	if (r == CTL_OK)
		r = fields_from_opts(ctl, &o, app_opts, G_N_ELEMENTS(app_opts), params);
	if (r == CTL_OK && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give at least one --FIELD VALUE");
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	json_object_set_new(params, "id", json_integer(id));
	if ((r = ctl_call(ctl, "applications.edit", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("updated application %" JSON_INTEGER_FORMAT "\n", id);
	json_decref(result);
	return CTL_OK;
}

static int cmd_status(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "note", true, "note" } };
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "application", &id);
	if (r == CTL_OK && o.args->len != 2)
		r = ctl_usage(ctl, o.args->len < 2 ? "missing the new status" : "too many arguments");
	json_t *params = r == CTL_OK ? json_pack("{s:I,s:s}", "id", id, "status", (char *)o.args->pdata[1]) : NULL;
	if (params && opt(&o, "note"))
		json_object_set_new(params, "note", json_string(opt(&o, "note")));
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "applications.status", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("application %" JSON_INTEGER_FORMAT " is now %s\n", id,
		       json_string_value(json_object_get(result, "status")));
	json_decref(result);
	return CTL_OK;
}

static int cmd_note(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "application", &id);
	if (r == CTL_OK && o.args->len < 2)
		r = ctl_usage(ctl, "missing the note's text");
	g_autofree char *text = NULL;
	if (r == CTL_OK) {
		g_ptr_array_add(o.args, NULL);
		text = g_strjoinv(" ", (char **)o.args->pdata + 1);
	}
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "applications.note", json_pack("{s:I,s:s}", "id", id, "text", text), &result, NULL)) !=
	    CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("noted on application %" JSON_INTEGER_FORMAT "\n", id);
	json_decref(result);
	return CTL_OK;
}

/* ---- reminders ---- */

static const struct column reminder_columns[] = {
	{ "ID", "id", 0, false },         { "DUE", "due_at", 0, false },       { "KIND", "kind", 0, false },
	{ "STATE", "state", 0, false },   { "APP", "application_id", 0, false }, { "COMPANY", "company", 24, false },
	{ "POSITION", "position", 28, false },
};

static int cmd_reminders(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "all", false, NULL } };
	struct opts o = { 0 };
	json_t *result = NULL;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unknown subcommand \"%s\" (use done or snooze)", (char *)o.args->pdata[0]);
	bool all = r == CTL_OK && opt(&o, "all");
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "reminders.list", json_pack("{s:b}", "all", all), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (json_array_size(result) == 0)
		printf("no reminders\n");
	else
		out_table(result, reminder_columns, G_N_ELEMENTS(reminder_columns));
	json_decref(result);
	return CTL_OK;
}

static void print_reminder(json_t *rem)
{
	printf("reminder %" JSON_INTEGER_FORMAT " is %s (due %s)\n", json_integer_value(json_object_get(rem, "id")),
	       json_string_value(json_object_get(rem, "state")), json_string_value(json_object_get(rem, "due_at")));
}

static int cmd_reminder_done(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "reminder", "reminders.done", print_reminder);
}

static int cmd_reminder_snooze(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t id = 0;
	int64_t seconds;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "reminder", &id);
	if (r == CTL_OK && o.args->len != 2)
		r = ctl_usage(ctl, o.args->len < 2 ? "missing the duration (e.g. 2d)" : "too many arguments");
	if (r == CTL_OK && (time_parse_duration(o.args->pdata[1], &seconds) < 0 || seconds <= 0))
		r = ctl_usage(ctl, "\"%s\" is not a duration (use a number with s, m, h, d or w, e.g. 2d)",
			      (char *)o.args->pdata[1]);
	json_t *params = r == CTL_OK ? json_pack("{s:I,s:s}", "id", id, "for", (char *)o.args->pdata[1]) : NULL;
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "reminders.snooze", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		print_reminder(result);
	json_decref(result);
	return CTL_OK;
}

/* ---- contacts ---- */

static const struct opt contact_opts[] = {
	{ "name", true, "name" },   { "position", true, "position" }, { "company", true, "company" },
	{ "email", true, "email" }, { "phone", true, "phone" },       { "link", true, "links" },
	{ "notes", true, "notes" },
};

static const struct column contact_columns[] = {
	{ "ID", "id", 0, false },         { "NAME", "name", 24, false }, { "POSITION", "position", 24, false },
	{ "COMPANY", "company", 24, false }, { "EMAIL", "email", 30, false },
};

/* contacts add and contacts edit ID */
static int contact_write(struct ctl *ctl, int argc, char **argv, bool editing)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, contact_opts, G_N_ELEMENTS(contact_opts), &o);

	if (r == CTL_OK && editing)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "contact", &id);
	if (r == CTL_OK && o.args->len > (editing ? 1u : 0u))
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[editing ? 1 : 0]);
	if (r == CTL_OK && !editing && !opt(&o, "name"))
		r = ctl_usage(ctl, "--name is required");
	if (r == CTL_OK)
		r = fields_from_opts(ctl, &o, contact_opts, G_N_ELEMENTS(contact_opts), params);
	if (r == CTL_OK && editing && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give at least one --FIELD VALUE");
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if (editing)
		json_object_set_new(params, "id", json_integer(id));
	if ((r = ctl_call(ctl, editing ? "contacts.edit" : "contacts.add", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (editing)
		printf("updated contact %" JSON_INTEGER_FORMAT "\n", id);
	else
		printf("%" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

static int cmd_contacts_add(struct ctl *ctl, int argc, char **argv)
{
	return contact_write(ctl, argc, argv, false);
}

static int cmd_contacts_edit(struct ctl *ctl, int argc, char **argv)
{
	return contact_write(ctl, argc, argv, true);
}

static int cmd_contacts_list(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "search", true, "search" } };
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	if (r == CTL_OK && opt(&o, "search"))
		json_object_set_new(params, "search", json_string(opt(&o, "search")));
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if ((r = ctl_call(ctl, "contacts.list", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (json_array_size(result) == 0)
		printf("no contacts\n");
	else
		out_table(result, contact_columns, G_N_ELEMENTS(contact_columns));
	json_decref(result);
	return CTL_OK;
}

static int cmd_contacts_show(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "contact", "contacts.show", out_contact);
}

static int cmd_contacts_rm(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "contact", "contacts.remove", NULL);
}

static int cmd_contacts_link(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "unlink", false, NULL } };
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t id = 0, app = 0;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "contact", &id);
	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len > 1 ? o.args->pdata[1] : NULL, "application", &app);
	if (r == CTL_OK && o.args->len > 2)
		r = ctl_usage(ctl, "too many arguments");
	bool unlink = r == CTL_OK && opt(&o, "unlink");
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "contacts.link", json_pack("{s:I,s:I,s:b}", "id", id, "application", app, "unlink", unlink),
			  &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("contact %" JSON_INTEGER_FORMAT " %s application %" JSON_INTEGER_FORMAT "\n", id,
		       unlink ? "unlinked from" : "linked to", app);
	json_decref(result);
	return CTL_OK;
}

/* ---- rules and lessons ---- */

#define RULES_TEST_MAX_FILES 1000
/* Company candidates shown per message to people (--json has them all). */
#define RULES_TEST_SHOWN_CANDIDATES 5

/* The files of args (paths), read as the methods that read mail take them: an array of
 * {"file", "raw" (base64)} into *ret_messages (new reference). CTL_OK, or CTL_USAGE with
 * the one error line printed. */
static int read_messages(struct ctl *ctl, GPtrArray *args, json_t **ret_messages)
{
	json_t *messages;

	if (args->len == 0)
		return ctl_usage(ctl, "give one or more .eml files");
	if (args->len > RULES_TEST_MAX_FILES)
		return ctl_usage(ctl, "at most %d files at a time", RULES_TEST_MAX_FILES);
	messages = json_array();
	for (guint i = 0; i < args->len; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *raw = NULL;
		gsize len;
		if (!g_file_get_contents(args->pdata[i], &raw, &len, &error)) {
			json_decref(messages);
			return ctl_fail(CTL_USAGE, "%s%s: cannot read %s", ctl->prefix, ctl->cmd->name, error->message);
		}
		g_autofree char *b64 = g_base64_encode((const guchar *)raw, len);
		json_array_append_new(messages, json_pack("{s:s,s:s}", "file", (char *)args->pdata[i], "raw", b64));
	}
	*ret_messages = messages;
	return CTL_OK;
}

/* "NAME SCORE (FROM)" of the first RULES_TEST_SHOWN_CANDIDATES candidates, "; " apart. g_free. */
static char *candidates_text(json_t *candidates)
{
	GString *text = g_string_new(NULL);
	json_t *c;
	size_t i;

	json_array_foreach(candidates, i, c) {
		if (i == RULES_TEST_SHOWN_CANDIDATES) {
			g_string_append_printf(text, "; and %zu more", json_array_size(candidates) - i);
			break;
		}
		g_string_append_printf(text, "%s%s %.2f (%s)", i ? "; " : "", json_string_value(json_object_get(c, "name")),
				       json_number_value(json_object_get(c, "score")),
				       json_string_value(json_object_get(c, "from")));
	}
	return g_string_free(text, FALSE);
}

/* A verdict ({"layer", "rule", "guess", ...}: a rules test result, or a review entry's
 * verdict) in words: "rejection, by rule lever-rejection (confidence 1.00)". NULL without
 * a guess. g_free. */
static char *verdict_text(json_t *v)
{
	json_t *guess = json_object_get(v, "guess");
	const char *kind = json_string_value(json_object_get(guess, "kind"));
	const char *layer = json_string_value(json_object_get(v, "layer"));
	const char *rule = json_string_value(json_object_get(v, "rule"));
	double confidence = json_number_value(json_object_get(guess, "confidence"));

	if (!kind)
		return NULL;
	if (layer && strcmp(layer, "rule") == 0)
		return g_strdup_printf("%s, by rule %s (confidence %.2f)", kind, rule ? rule : "?", confidence);
	return g_strdup_printf("%s, by the model (confidence %.2f)", kind, confidence);
}

/* The phrases of a verdict, ", " apart. g_free. */
static char *phrases_text(json_t *v)
{
	GString *text = g_string_new(NULL);
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(v, "phrases"), i, p)
		g_string_append_printf(text, "%s%s", i ? ", " : "", json_string_value(p));
	return g_string_free(text, FALSE);
}

/* text for one line of a terminal: control characters (mail is written by strangers:
 * an escape sequence, a line break) made spaces. g_free. */
static char *one_line(const char *text)
{
	char *line = g_strdup(text);

	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return line;
}

/* A labelled line of a block, when there is something to say. */
static void block_line(const char *label, const char *text)
{
	if (!text || !*text)
		return;
	g_autofree char *line = one_line(text);
	printf("  %-11s %s\n", label, line);
}

/* One message of `rules test` for people: what the daemon would do, the verdict and why. */
static void print_rules_test(json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *status = json_string_value(json_object_get(o, "status"));
	g_autofree char *acts = NULL, *verdict = verdict_text(o), *phrases = phrases_text(o);
	g_autofree char *candidates = candidates_text(json_object_get(o, "company_candidates"));

	printf("%s\n", json_string_value(json_object_get(o, "file")));
	block_line("error", json_string_value(json_object_get(o, "error")));
	if (json_is_true(json_object_get(o, "review")))
		acts = g_strdup("none: it would wait in the review queue");
	else if (status)
		acts = g_strdup_printf("%s (its application becomes %s)", kind, status);
	else if (g_strcmp0(kind, "noise") == 0)
		acts = g_strdup("noise: not job-search mail, ignored");
	else
		acts = g_strdup(kind);
	block_line("kind", acts);
	block_line("review", json_string_value(json_object_get(o, "review_reason")));
	block_line("verdict", verdict);
	block_line("company", json_string_value(json_object_get(o, "company")));
	block_line("position", json_string_value(json_object_get(o, "position")));
	block_line("phrases", phrases);
	block_line("candidates", candidates);
}

static int cmd_rules_test(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *messages = NULL, *result = NULL, *item;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);
	size_t i;

	if (r == CTL_OK)
		r = read_messages(ctl, o.args, &messages);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "rules.test", json_pack("{s:o}", "messages", messages), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		const char *problem = json_string_value(json_object_get(json_array_get(result, 0), "model_problem"));
		if (problem)
			printf("the mail model is not loaded (%s): the rules alone decide\n\n", problem);
		json_array_foreach(result, i, item) {
			if (i)
				putchar('\n');
			print_rules_test(item);
		}
	}
	json_decref(result);
	return CTL_OK;
}

/* The line that says a request's lessons are stored but not learned, when it is so. */
static void print_model_problem(json_t *result)
{
	const char *problem = json_string_value(json_object_get(result, "model_problem"));

	if (problem)
		printf("the mail model is not loaded (%s): the lessons are stored, and a model loaded later learns "
		       "them\n",
		       problem);
}

static int cmd_learn(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	struct opts o = { 0 };
	json_t *messages = NULL, *result = NULL, *item;
	enum mail_kind kind;
	size_t i;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len == 0)
		r = ctl_usage(ctl, "missing the kind (confirmation, rejection, interview, assessment, offer, recruiter or "
			      "noise)");
	if (r == CTL_OK && lessons_parse_kind(o.args->pdata[0], &kind, &error) < 0)
		r = ctl_usage(ctl, "%s", error->message);
	if (r == CTL_OK) {
		g_ptr_array_remove_index(o.args, 0);
		r = read_messages(ctl, o.args, &messages);
	}
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "mail.learn", json_pack("{s:s,s:o}", "kind", mail_kind_name(kind), "messages", messages),
			  &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		json_array_foreach(json_object_get(result, "messages"), i, item) {
			const char *file = json_string_value(json_object_get(item, "file"));
			const char *outcome = json_string_value(json_object_get(item, "outcome"));
			if (strcmp(outcome, "already") == 0)
				printf("%s: already learned as %s\n", file, mail_kind_name(kind));
			else if (strcmp(outcome, "relearned") == 0)
				printf("learned %s as %s (it was learned as %s)\n", file, mail_kind_name(kind),
				       json_string_value(json_object_get(item, "previous")));
			else
				printf("learned %s as %s\n", file, mail_kind_name(kind));
		}
		print_model_problem(result);
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_unlearn(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *messages = NULL, *result = NULL, *item;
	size_t i;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK)
		r = read_messages(ctl, o.args, &messages);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "mail.unlearn", json_pack("{s:o}", "messages", messages), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		json_array_foreach(json_object_get(result, "messages"), i, item) {
			const char *kind = json_string_value(json_object_get(item, "kind"));
			printf("unlearned %s%s%s%s\n", json_string_value(json_object_get(item, "file")),
			       kind ? " (it was learned as " : "", kind ? kind : "", kind ? ")" : "");
		}
		print_model_problem(result);
	}
	json_decref(result);
	return CTL_OK;
}

static int no_args(struct ctl *ctl, int argc, char **argv);

/* ---- review queue ---- */

static const struct column review_columns[] = {
	{ "ID", "id", 0, false },          { "DATE", "date", 0, true },          { "KIND", "kind", 0, false },
	{ "COMPANY", "company", 20, false }, { "SUBJECT", "subject", 40, false }, { "REASON", "reason", 40, false },
};

static int cmd_review_list(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "review.list", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (json_array_size(result) == 0)
		printf("the review queue is empty\n");
	else
		out_table(result, review_columns, G_N_ELEMENTS(review_columns));
	json_decref(result);
	return CTL_OK;
}

static void print_review(json_t *e)
{
	static const char *const keys[] = { "sender", "subject", "date", "kind", "company", "position", "rule", "reason" };
	json_t *verdict = json_object_get(e, "verdict");
	printf("Review entry %" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(e, "id")));
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *v = out_text(json_object_get(e, keys[i]));
		printf("%-10s %s\n", keys[i], v);
	}
	/* what the daemon saw when it queued the message, for the person deciding */
	if (json_is_object(verdict)) {
		g_autofree char *text = verdict_text(verdict), *phrases = phrases_text(verdict);
		g_autofree char *candidates = candidates_text(json_object_get(verdict, "company_candidates"));
		const char *const lines[][2] = { { "verdict", text }, { "phrases", phrases }, { "candidates", candidates } };
		for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
			g_autofree char *line = lines[i][1] ? one_line(lines[i][1]) : NULL;
			if (line && *line)
				printf("%-10s %s\n", lines[i][0], line);
		}
	}
	if (json_is_string(json_object_get(e, "text")))
		printf("\n%s\n", json_string_value(json_object_get(e, "text")));
	else if (json_is_string(json_object_get(e, "raw"))) /* not read: shown as it came */
		printf("\nnot read; the raw message begins:\n%s\n", json_string_value(json_object_get(e, "raw")));
}

static int cmd_review_show(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "review entry", "review.show", print_review);
}

static int cmd_review_drop(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "review entry", "review.drop", NULL);
}

static int cmd_review_apply(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "app", true, NULL }, { "kind", true, NULL } };
	g_autoptr(GError) error = NULL;
	struct opts o = { 0 };
	json_t *result = NULL, *params = NULL;
	json_int_t id = 0, app = 0;
	enum mail_kind kind = MAIL_NOISE;
	bool with_kind = false;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, "review entry", &id);
	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[1]);
	if (r == CTL_OK && opt(&o, "app"))
		r = parse_id(ctl, opt(&o, "app"), "application", &app);
	if (r == CTL_OK && (with_kind = opt(&o, "kind") != NULL) &&
	    lessons_parse_kind(opt(&o, "kind"), &kind, &error) < 0)
		r = ctl_usage(ctl, "--kind: %s", error->message);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	params = json_pack("{s:I}", "id", id);
	if (app)
		json_object_set_new(params, "application", json_integer(app));
	if (with_kind)
		json_object_set_new(params, "kind", json_string(mail_kind_name(kind)));
	if ((r = ctl_call(ctl, "review.apply", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		printf("review entry %" JSON_INTEGER_FORMAT ": %s (application %" JSON_INTEGER_FORMAT ")%s%s\n", id,
		       json_string_value(json_object_get(result, "outcome")), json_integer_value(json_object_get(result, "id")),
		       json_is_true(json_object_get(result, "learned")) ? "; learned as " : "",
		       json_is_true(json_object_get(result, "learned")) ? mail_kind_name(kind) : "");
		print_model_problem(result);
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_review_retry(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "review.retry", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("retried %" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT " applied, %" JSON_INTEGER_FORMAT
		       " still queued\n",
		       json_integer_value(json_object_get(result, "retried")),
		       json_integer_value(json_object_get(result, "applied")),
		       json_integer_value(json_object_get(result, "still_queued")));
	json_decref(result);
	return CTL_OK;
}

static const struct command review_commands[] = {
	{ "list", "", "List messages the rules matched but that could not be applied", cmd_review_list, NULL },
	{ "show", "ID", "Show a queued message: why it is queued, and its text", cmd_review_show, NULL },
	{ "apply", "ID [--app APP] [--kind KIND]",
	  "Apply a queued message, to application APP or by the current rules; as KIND, learned when not the guess",
	  cmd_review_apply, NULL },
	{ "drop", "ID", "Remove a message from the queue (it is not queued again)", cmd_review_drop, NULL },
	{ "retry", "", "Run the current rules again on every queued message", cmd_review_retry, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- interviews ---- */

static const struct opt interview_opts[] = {
	{ "at", true, "at" },     { "duration", true, "duration" }, { "type", true, "type" },
	{ "where", true, "where" }, { "notes", true, "notes" },
};

static const struct column interview_columns[] = {
	{ "ID", "id", 0, false },       { "STARTS", "starts_at", 0, false },   { "ENDS", "ends_at", 0, false },
	{ "TYPE", "type", 0, false },   { "COMPANY", "company", 24, false },   { "POSITION", "position", 30, false },
	{ "WHERE", "location", 30, false },
};

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

static int interview_write(struct ctl *ctl, int argc, char **argv, bool editing)
{
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	json_int_t id = 0;
	int r = parse_opts(ctl, argc, argv, interview_opts, G_N_ELEMENTS(interview_opts), &o);

	if (r == CTL_OK)
		r = parse_id(ctl, o.args->len ? o.args->pdata[0] : NULL, editing ? "interview" : "application", &id);
	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[1]);
	if (r == CTL_OK && !editing && !opt(&o, "at"))
		r = ctl_usage(ctl, "--at \"YYYY-MM-DD HH:MM\" is required");
	if (r == CTL_OK)
		r = fields_from_opts(ctl, &o, interview_opts, G_N_ELEMENTS(interview_opts), params);
	if (r == CTL_OK && opt(&o, "at"))
		r = user_time(ctl, "at", opt(&o, "at"), params, "at");
	if (r == CTL_OK && editing && json_object_size(params) == 0)
		r = ctl_usage(ctl, "nothing to change: give --at, --duration, --type, --where or --notes");
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	json_object_set_new(params, editing ? "id" : "application", json_integer(id));
	if ((r = ctl_call(ctl, editing ? "interviews.edit" : "interviews.add", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (editing)
		printf("updated interview %" JSON_INTEGER_FORMAT "\n", id);
	else
		printf("%" JSON_INTEGER_FORMAT "\n", json_integer_value(json_object_get(result, "id")));
	json_decref(result);
	return CTL_OK;
}

static int cmd_interview_add(struct ctl *ctl, int argc, char **argv)
{
	return interview_write(ctl, argc, argv, false);
}

static int cmd_interview_edit(struct ctl *ctl, int argc, char **argv)
{
	return interview_write(ctl, argc, argv, true);
}

static int cmd_interview_rm(struct ctl *ctl, int argc, char **argv)
{
	return id_command(ctl, argc, argv, "interview", "interviews.remove", NULL);
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

static int cmd_interview_list(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "from", true, NULL }, { "to", true, NULL }, { "type", true, NULL } };
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	if (r == CTL_OK && opt(&o, "from"))
		r = user_day(ctl, "from", opt(&o, "from"), 0, params);
	if (r == CTL_OK && opt(&o, "to")) /* inclusive: up to the end of that day */
		r = user_day(ctl, "to", opt(&o, "to"), 1, params);
	if (r == CTL_OK && opt(&o, "type"))
		json_object_set_new(params, "type", json_string(opt(&o, "type")));
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if ((r = ctl_call(ctl, "interviews.list", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else if (json_array_size(result) == 0)
		printf("no interviews\n");
	else
		interview_table(result);
	json_decref(result);
	return CTL_OK;
}

static const struct command interview_commands[] = {
	{ "add", "APP --at \"YYYY-MM-DD HH:MM\" [--duration 45m] [--type phone|video|onsite] [--where TEXT-or-URL] [--notes N]",
	  "Schedule an interview (local time unless a zone is given); moves the application to screen if behind",
	  cmd_interview_add, NULL },
	{ "list", "[--from DATE] [--to DATE] [--type T]", "List interviews by start time", cmd_interview_list, NULL },
	{ "edit", "ID [--at T] [--duration D] [--type T] [--where W] [--notes N]", "Change an interview",
	  cmd_interview_edit, NULL },
	{ "rm", "ID", "Remove an interview", cmd_interview_rm, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int cmd_upcoming(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "days", true, NULL } };
	struct opts o = { 0 };
	json_t *result = NULL;
	json_int_t days = 7;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	if (r == CTL_OK && opt(&o, "days"))
		r = parse_id(ctl, opt(&o, "days"), "number of days", &days);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "upcoming", json_pack("{s:I}", "days", days), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		json_t *interviews = json_object_get(result, "interviews"), *reminders = json_object_get(result, "reminders");
		printf("Interviews in the next %" JSON_INTEGER_FORMAT " days:\n", days);
		if (json_array_size(interviews))
			interview_table(interviews);
		else
			printf("  none\n");
		printf("\nReminders due:\n");
		if (json_array_size(reminders))
			out_table(reminders, reminder_columns, G_N_ELEMENTS(reminder_columns));
		else
			printf("  none\n");
		printf("\nIn progress: %" JSON_INTEGER_FORMAT " applications\n\nRecent applications:\n",
		       json_integer_value(json_object_get(result, "in_progress")));
		if (json_array_size(json_object_get(result, "recent")))
			out_table(json_object_get(result, "recent"), app_columns, G_N_ELEMENTS(app_columns));
		else
			printf("  none\n");
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_calendar(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "calendar", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else {
		const char *url = json_string_value(json_object_get(result, "url"));
		printf("url:  %s\nfile: %s\n", url ? url : "(not served: [calendar] listen is off or failed, see the log)",
		       json_string_value(json_object_get(result, "file")));
	}
	json_decref(result);
	return CTL_OK;
}

/* ---- mail ---- */

static const struct column mail_columns[] = {
	{ "ACCOUNT", "account", 0, false },   { "FOLDER", "folder", 0, false },  { "CONNECTED", "connected", 0, false },
	{ "LAST SYNC", "last_sync", 0, false }, { "MESSAGES", "messages", 0, false }, { "READ", "read", 0, false },
	{ "APPLIED", "applied", 0, false },   { "QUEUED", "queued", 0, false },  { "LAST ERROR", "last_error", 60, false },
};

/* One row per account and folder: the folder's counts beside the account's connection. */
static json_t *mail_rows(json_t *accounts)
{
	json_t *rows = json_array(), *a, *f;
	size_t i, j;

	json_array_foreach (accounts, i, a) {
		json_array_foreach (json_object_get(a, "folders"), j, f) {
			json_t *row = json_pack("{s:O,s:O,s:O,s:O}", "account", json_object_get(a, "account"), "folder",
						json_object_get(f, "name"), "connected", json_object_get(a, "connected"),
						"last_error", json_object_get(a, "last_error"));
			static const char *const keys[] = { "last_sync", "messages", "read", "applied", "queued" };
			for (size_t k = 0; k < G_N_ELEMENTS(keys); k++)
				if (json_object_get(f, keys[k]))
					json_object_set(row, keys[k], json_object_get(f, keys[k]));
			json_array_append_new(rows, row);
		}
	}
	return rows;
}

/* The mail model in one line: its file and what it learned from, or why it is not loaded. */
static void print_model(json_t *model)
{
	const char *problem = json_string_value(json_object_get(model, "problem"));
	json_int_t lessons = json_integer_value(json_object_get(model, "lessons"));

	if (problem)
		printf("model: not loaded, the rules alone decide (%s); %" JSON_INTEGER_FORMAT " lesson%s stored\n", problem,
		       lessons, lessons == 1 ? "" : "s");
	else
		printf("model: %s, trained on %" JSON_INTEGER_FORMAT " messages, and %" JSON_INTEGER_FORMAT " lesson%s of "
		       "yours\n",
		       json_string_value(json_object_get(model, "file")),
		       json_integer_value(json_object_get(model, "messages")), lessons, lessons == 1 ? "" : "s");
}

static int cmd_mail_status(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL, *model = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "mail.status", NULL, &result, NULL)) != CTL_OK)
		return r;
	/* scripts get the accounts as they always did; people see the model too */
	if (!ctl->json && (r = ctl_call(ctl, "mail.model", NULL, &model, NULL)) != CTL_OK) {
		json_decref(result);
		return r;
	}
	if (ctl->json) {
		out_json(result);
	} else {
		if (json_array_size(result) == 0) {
			printf("no mail account is configured (see apptrack.conf(5))\n");
		} else {
			json_t *rows = mail_rows(result);
			out_table(rows, mail_columns, G_N_ELEMENTS(mail_columns));
			json_decref(rows);
		}
		print_model(model);
	}
	json_decref(model);
	json_decref(result);
	return CTL_OK;
}

static int cmd_mail_model(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "mail.model", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		print_model(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_mail_sync(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "mail.sync", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("syncing every account now\n");
	json_decref(result);
	return CTL_OK;
}

static const struct command mail_commands[] = {
	{ "status", "", "Per account and folder: connected, last sync, last error, counts", cmd_mail_status, NULL },
	{ "sync", "", "Read every account's new mail now", cmd_mail_sync, NULL },
	{ "model", "", "The mail model: its file, the messages it was trained on, your lessons, or why it is not loaded",
	  cmd_mail_model, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct command rules_commands[] = {
	{ "test", "FILE.eml...",
	  "Classify raw messages as the daemon would, storing nothing: what it would do, the rule or the model that "
	  "decided, how sure, why, and the company candidates",
	  cmd_rules_test, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct command contacts_commands[] = {
	{ "add", "--name N [--position P] [--company C] [--email E] [--phone P] [--link URL] [--notes N]",
	  "Add a contact", cmd_contacts_add, NULL },
	{ "list", "[--search TEXT]", "List contacts, or those whose name, company or position matches",
	  cmd_contacts_list, NULL },
	{ "show", "ID", "Show a contact and the applications linked to it", cmd_contacts_show, NULL },
	{ "edit", "ID --FIELD VALUE...", "Change a contact's fields", cmd_contacts_edit, NULL },
	{ "rm", "ID", "Remove a contact", cmd_contacts_rm, NULL },
	{ "link", "ID APP [--unlink]", "Link a contact to an application (or unlink it)", cmd_contacts_link, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct command reminders_commands[] = {
	{ "done", "ID", "Mark a reminder done", cmd_reminder_done, NULL },
	{ "snooze", "ID DURATION", "Push a reminder back (e.g. 2d, 4h)", cmd_reminder_snooze, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- stats, import, export, backup, misc ---- */

static int cmd_stats(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "weeks", true, NULL }, { "limit", true, NULL } };
	struct opts o = { 0 };
	json_t *params = json_object(), *result = NULL;
	const char *report = "overview";
	json_int_t n = 0;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[1]);
	if (r == CTL_OK && o.args->len)
		report = o.args->pdata[0];
	for (size_t k = 0; r == CTL_OK && k < G_N_ELEMENTS(opts); k++)
		if (opt(&o, opts[k].name) && (r = parse_count(ctl, opts[k].name, opt(&o, opts[k].name), &n)) == CTL_OK)
			json_object_set_new(params, opts[k].name, json_integer(n));
	json_object_set_new(params, "report", json_string(report));
	g_autofree char *report_copy = g_strdup(report);
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(params);
		return r < 0 ? CTL_OK : r;
	}
	if ((r = ctl_call(ctl, "stats", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		out_stats(report_copy, result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_import(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "skip-bad", false, NULL } };
	struct opts o = { 0 };
	g_autofree char *text = NULL, *file = NULL;
	json_t *result = NULL, *data = NULL;
	gsize len = 0;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len != 1)
		r = ctl_usage(ctl, o.args->len ? "one file at a time" : "missing the CSV file");
	if (r == CTL_OK) {
		file = g_strdup(o.args->pdata[0]);
		r = read_file(ctl, file, &text, &len);
	}
	bool skip_bad = r == CTL_OK && opt(&o, "skip-bad");
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	json_t *params = json_pack("{s:s%,s:b}", "csv", text, len, "skip_bad", skip_bad);
	r = ctl_call(ctl, "import", params, &result, &data);
	if (r != CTL_OK) {
		size_t i;
		json_t *row;
		json_array_foreach(json_object_get(data, "rows"), i, row)
			fprintf(stderr, "%s:%" JSON_INTEGER_FORMAT ": %s\n", file, json_integer_value(json_object_get(row, "line")),
				json_string_value(json_object_get(row, "reason")));
		json_decref(data);
		return r;
	}
	if (ctl->json) {
		out_json(result);
	} else {
		size_t i;
		json_t *row;
		printf("imported %" JSON_INTEGER_FORMAT " applications\n", json_integer_value(json_object_get(result, "imported")));
		json_array_foreach(json_object_get(result, "skipped"), i, row)
			printf("skipped %s:%" JSON_INTEGER_FORMAT ": %s\n", file, json_integer_value(json_object_get(row, "line")),
			       json_string_value(json_object_get(row, "reason")));
		json_array_foreach(json_object_get(result, "ignored_columns"), i, row)
			printf("ignored column \"%s\"\n", json_string_value(row));
	}
	json_decref(result);
	return CTL_OK;
}

/* Writes text to path through a temporary file and rename, mode 0600. */
static int write_atomically(const char *path, const char *text, size_t len, GError **error)
{
	g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", path);
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s: %s", tmp, g_strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s", path, g_strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int cmd_export(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *result = NULL;
	g_autofree char *file = NULL;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len > 1)
		r = ctl_usage(ctl, "one file at a time");
	if (r == CTL_OK && o.args->len)
		file = g_strdup(o.args->pdata[0]);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "export", NULL, &result, NULL)) != CTL_OK)
		return r;
	json_t *csv = json_object_get(result, "csv");
	if (!file) {
		fwrite(json_string_value(csv), 1, json_string_length(csv), stdout);
	} else {
		g_autoptr(GError) error = NULL;
		if (write_atomically(file, json_string_value(csv), json_string_length(csv), &error) < 0) {
			json_decref(result);
			return ctl_fail(CTL_USAGE, "export: %s", error->message);
		}
		if (ctl->json)
			out_json(json_object_get(result, "count"));
		else
			fprintf(stderr, "exported %" JSON_INTEGER_FORMAT " applications to %s\n",
				json_integer_value(json_object_get(result, "count")), file);
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_backup(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *result = NULL;
	g_autofree char *path = NULL;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len != 1)
		r = ctl_usage(ctl, o.args->len ? "one file at a time" : "missing the backup file");
	if (r == CTL_OK)
		path = g_canonicalize_filename(o.args->pdata[0], NULL);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "backup", json_pack("{s:s}", "path", path), &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("backed up %" JSON_INTEGER_FORMAT " bytes to %s\n", json_integer_value(json_object_get(result, "bytes")),
		       path);
	json_decref(result);
	return CTL_OK;
}

static int no_args(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	opts_clear(&o);
	return r;
}

static int cmd_ping(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	gint64 start = g_get_monotonic_time();
	if ((r = ctl_call(ctl, "ping", NULL, &result, NULL)) != CTL_OK)
		return r;
	double ms = (double)(g_get_monotonic_time() - start) / 1000.0;
	if (ctl->json) {
		json_object_set_new(result, "round_trip_ms", json_real(ms));
		out_json(result);
	} else {
		printf("pong (%.3f ms)\n", ms);
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_version(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "version", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		json_t *v = json_pack("{s:s,s:O}", "client", APPTRACK_VERSION, "daemon", result);
		out_json(v);
		json_decref(v);
	} else {
		printf("apptrackctl %s\napptrackd %s (protocol %" JSON_INTEGER_FORMAT ", schema %" JSON_INTEGER_FORMAT ")\n",
		       APPTRACK_VERSION, json_string_value(json_object_get(result, "version")),
		       json_integer_value(json_object_get(result, "protocol")),
		       json_integer_value(json_object_get(result, "schema")));
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_watch(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	json_t *result = NULL, *event;
	int r = no_args(ctl, argc, argv);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "watch", NULL, &result, NULL)) != CTL_OK)
		return r;
	json_decref(result);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((r = client_next_event(ctl->client, WATCH_FOREVER, &event, &error)) > 0) {
		if (ctl->json) {
			char *line = json_dumps(event, JSON_COMPACT);
			printf("%s\n", line);
			free(line);
		} else {
			g_autofree char *id = out_text(json_object_get(event, "id"));
			printf("%s  %s  %s\n", json_string_value(json_object_get(event, "at")),
			       json_string_value(json_object_get(event, "event")), id);
		}
		json_decref(event);
	}
	return ctl_fail(CTL_USAGE, "watch: %s", error ? error->message : "stream ended");
}

static int cmd_help(struct ctl *ctl, int argc, char **argv)
{
	const struct command *cmd;
	(void)ctl;

	if (argc < 2) {
		printf("usage: apptrackctl [--json] [--socket PATH] COMMAND [ARGS...]\n\nCommands:\n");
		ctl_print_help(ctl_commands, "");
		return CTL_OK;
	}
	/* "help --help" is help about help */
	const char *name = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? "help" : argv[1];
	cmd = ctl_find(ctl_commands, name);
	if (!cmd)
		return ctl_fail(CTL_USAGE, "help: unknown command \"%s\"", name);
	ctl_print_command(cmd, "");
	return CTL_OK;
}

void ctl_print_command(const struct command *cmd, const char *prefix)
{
	printf("usage: apptrackctl %s%s %s\n%s\n", prefix, cmd->name, cmd->args, cmd->summary);
	if (cmd->sub) {
		g_autofree char *sub_prefix = g_strconcat(prefix, cmd->name, " ", NULL);
		ctl_print_help(cmd->sub, sub_prefix);
	}
}

const struct command ctl_commands[] = {
	{ "add",
	  "--company C --position P [--status S] [--source S] [--location L] [--salary S] [--url U] "
	  "[--jd-file F | --jd-url URL] [--applied-on YYYY-MM-DD] [--notes N]",
	  "Track a new application; prints its id", cmd_add, NULL },
	{ "list",
	  "[--status S] [--source S] [--company C] [--search TEXT] [--since DATE] [--until DATE] [--sort FIELD] "
	  "[--limit N] [--offset N]",
	  "List applications", cmd_list, NULL },
	{ "show", "ID", "Show an application with its timeline, reminders, interviews and contacts", cmd_show, NULL },
	{ "edit", "ID --FIELD VALUE...", "Change an application's fields (the options of add, but --status)", cmd_edit,
	  NULL },
	{ "status", "ID STATUS [--note N]", "Move an application to another status", cmd_status, NULL },
	{ "note", "ID TEXT...", "Add a note to an application's timeline", cmd_note, NULL },
	{ "rm", "ID", "Remove an application and its history", cmd_rm, NULL },
	{ "reminders", "[--all] | done ID | snooze ID DURATION", "List pending reminders, or act on one", cmd_reminders,
	  reminders_commands },
	{ "contacts", "add|list|show|edit|rm|link ...", "Manage contacts", NULL, contacts_commands },
	{ "resume", "add NAME FILE [--replace] | list | show NAME | rm NAME | default NAME",
	  "Your resumes (text, Markdown or PDF files); one is the default", ctl_cmd_resume, ctl_resume_commands },
	{ "profile", "[--name N] [--email E] [--phone P] [--location L] [--position P] [--skills \"A, B\"] [--link URL]...",
	  "Show your profile, or change the fields given", ctl_cmd_profile, NULL },
	{ "match", "[--resume NAME | --resume-file F] (APP_ID | --jd-file F | --all) [--mode pair|corpus] [--limit N]",
	  "Score a resume against job descriptions: keywords it has and lacks, and a suggestion", ctl_cmd_match, NULL },
	{ "stats", "[overview|pipeline|trends|sources|months|positions|locations] [--weeks N] [--limit N]",
	  "Pipeline statistics", cmd_stats, NULL },
	{ "interview", "add APP --at T ... | list | edit ID ... | rm ID", "Interviews: schedule, list, change, remove", NULL,
	  interview_commands },
	{ "upcoming", "[--days N]", "The next interviews, due reminders, in-progress count and recent applications",
	  cmd_upcoming, NULL },
	{ "calendar", "", "Where the iCalendar feed of interviews and reminders is: URL and file", cmd_calendar, NULL },
	{ "mail", "status | sync | model", "The mail accounts apptrackd watches, and its mail model", NULL,
	  mail_commands },
	{ "rules", "test FILE.eml...", "Check how the mail rules and the model classify messages", NULL, rules_commands },
	{ "learn", "KIND FILE.eml...",
	  "Teach the mail model that messages are of KIND: confirmation, rejection, interview, assessment, offer, "
	  "recruiter or noise",
	  cmd_learn, NULL },
	{ "unlearn", "FILE.eml...", "Take back what learn taught about messages", cmd_unlearn, NULL },
	{ "review", "list | show ID | apply ID [--app APP] [--kind KIND] | drop ID | retry",
	  "The queue of mail that could not be applied", NULL, review_commands },
	{ "import", "FILE.csv [--skip-bad]", "Import applications from a CSV file", cmd_import, NULL },
	{ "export", "[FILE.csv]", "Export applications as CSV (to standard output without FILE)", cmd_export, NULL },
	{ "backup", "FILE", "Write an online backup of the database to a new FILE", cmd_backup, NULL },
	{ "ping", "", "Check that apptrackd answers", cmd_ping, NULL },
	{ "version", "", "Show apptrackctl's and apptrackd's versions", cmd_version, NULL },
	{ "watch", "", "Print changes as they happen", cmd_watch, NULL },
	{ "help", "[COMMAND]", "Show help for all commands or one", cmd_help, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct command *ctl_find(const struct command *table, const char *name)
{
	for (const struct command *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void ctl_print_help(const struct command *table, const char *prefix)
{
	for (const struct command *c = table; c->name; c++) {
		g_autofree char *name = g_strconcat(prefix, c->name, NULL);
		printf("  %-18s %s\n", name, c->summary);
	}
}
