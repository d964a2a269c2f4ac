/* cmd_profile.c - apptrackctl resume ... and apptrackctl profile: the user's resumes and
 * profile, for the matcher to score against job descriptions.
 *
 * `resume add` reads the file here, as the user, with document_read_text() (plain text,
 * Markdown or PDF, told apart by content) and sends only the text, so the daemon never
 * opens user paths. A file that cannot be read or has no usable text is a usage error
 * (exit 2), and nothing is sent.
 */
#include "ctl.h"

#include "apptrack/document.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_MARK "*"

/* Prints a resume or profile block line: label, then the value or "-". */
static void block_line(const char *label, json_t *v)
{
	g_autofree char *text = out_text(v);
	printf("%-10s %s\n", label, text);
}

/* A command's single NAME argument into *ret (borrowed from argv). */
static int one_name(struct ctl *ctl, struct opts *o, const char **ret)
{
	if (o->args->len == 0)
		return ctl_usage(ctl, "missing the resume name");
	if (o->args->len > 1)
		return ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o->args->pdata[1]);
	*ret = o->args->pdata[0];
	return CTL_OK;
}

/* ---- resume ---- */

int ctl_read_document(struct ctl *ctl, const char *path, char **ret_text)
{
	g_autoptr(GError) error = NULL;

	if (document_read_text(path, ret_text, &error) < 0)
		return ctl_fail(CTL_USAGE, "%s%s: %s", ctl->prefix, ctl->cmd->name, error->message);
	return CTL_OK;
}

static int cmd_resume_add(struct ctl *ctl, int argc, char **argv)
{
	static const struct opt opts[] = { { "replace", false, NULL } };
	g_autofree char *name = NULL, *text = NULL;
	struct opts o = { 0 };
	json_t *result = NULL;
	int r = parse_opts(ctl, argc, argv, opts, G_N_ELEMENTS(opts), &o);

	if (r == CTL_OK && o.args->len != 2)
		r = ctl_usage(ctl, o.args->len < 2 ? "give a name and a file" : "unexpected argument \"%s\"",
			      o.args->len > 2 ? (char *)o.args->pdata[2] : "");
	bool replace = r == CTL_OK && opt(&o, "replace");
	if (r == CTL_OK) {
		name = g_strdup(o.args->pdata[0]);
		r = ctl_read_document(ctl, o.args->pdata[1], &text);
	}
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	json_t *params = json_pack("{s:s,s:s,s:b}", "name", name, "text", text, "replace", replace);
	if ((r = ctl_call(ctl, "resumes.add", params, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		printf("%s resume \"%s\" (%" JSON_INTEGER_FORMAT " words)%s\n",
		       json_is_true(json_object_get(result, "replaced")) ? "replaced" : "added",
		       json_string_value(json_object_get(result, "name")), json_integer_value(json_object_get(result, "words")),
		       json_is_true(json_object_get(result, "is_default")) ? ", the default" : "");
	json_decref(result);
	return CTL_OK;
}

static const struct column resume_columns[] = {
	{ "ID", "id", 0, false },          { "NAME", "name", 32, false },        { "DEFAULT", "mark", 0, false },
	{ "WORDS", "words", 0, false },    { "CREATED", "created_at", 0, true }, { "UPDATED", "updated_at", 0, true },
};

static int cmd_resume_list(struct ctl *ctl, int argc, char **argv)
{
	struct opts o = { 0 };
	json_t *result = NULL, *v;
	size_t i;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\"", (char *)o.args->pdata[0]);
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if ((r = ctl_call(ctl, "resumes.list", NULL, &result, NULL)) != CTL_OK)
		return r;
	if (ctl->json) {
		out_json(result);
	} else if (json_array_size(result) == 0) {
		printf("no resumes stored (add one with: apptrackctl resume add NAME FILE)\n");
	} else {
		json_array_foreach(result, i, v)
			json_object_set_new(v, "mark", json_string(json_is_true(json_object_get(v, "is_default")) ? DEFAULT_MARK : ""));
		out_table(result, resume_columns, G_N_ELEMENTS(resume_columns));
	}
	json_decref(result);
	return CTL_OK;
}

/* `resume` alone lists; anything else there is a subcommand that does not exist. */
int ctl_cmd_resume(struct ctl *ctl, int argc, char **argv)
{
	if (argc > 1 && argv[1][0] != '-')
		return ctl_usage(ctl, "unknown subcommand \"%s\" (use add, list, show, rm or default)", argv[1]);
	return cmd_resume_list(ctl, argc, argv);
}

/* Commands of the shape "NAME": show, rm, default. */
static int name_command(struct ctl *ctl, int argc, char **argv, const char *method, json_t **ret_result)
{
	struct opts o = { 0 };
	const char *name = NULL;
	int r = parse_opts(ctl, argc, argv, NULL, 0, &o);

	if (r == CTL_OK)
		r = one_name(ctl, &o, &name);
	json_t *params = r == CTL_OK ? json_pack("{s:s}", "name", name) : NULL;
	opts_clear(&o);
	if (r != CTL_OK)
		return r < 0 ? -1 : r;
	return ctl_call(ctl, method, params, ret_result, NULL);
}

static int cmd_resume_show(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = name_command(ctl, argc, argv, "resumes.show", &result);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if (ctl->json) {
		out_json(result);
	} else {
		/* the text alone, so that it can be piped or redirected to a file */
		const char *text = json_string_value(json_object_get(result, "text"));
		if (text && *text) {
			fputs(text, stdout);
			if (text[strlen(text) - 1] != '\n')
				fputc('\n', stdout);
		}
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_resume_rm(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = name_command(ctl, argc, argv, "resumes.remove", &result);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if (ctl->json) {
		out_json(result);
	} else {
		const char *now_default = json_string_value(json_object_get(result, "default"));
		printf("removed resume \"%s\"", json_string_value(json_object_get(result, "name")));
		if (json_is_true(json_object_get(result, "was_default")) && now_default)
			printf("; \"%s\" is now the default", now_default);
		else if (json_is_true(json_object_get(result, "was_default")))
			printf("; no resume is left");
		fputc('\n', stdout);
	}
	json_decref(result);
	return CTL_OK;
}

static int cmd_resume_default(struct ctl *ctl, int argc, char **argv)
{
	json_t *result = NULL;
	int r = name_command(ctl, argc, argv, "resumes.default", &result);

	if (r != CTL_OK)
		return r < 0 ? CTL_OK : r;
	if (ctl->json)
		out_json(result);
	else
		printf("\"%s\" is now the default resume\n", json_string_value(json_object_get(result, "name")));
	json_decref(result);
	return CTL_OK;
}

const struct command ctl_resume_commands[] = {
	{ "add", "NAME FILE [--replace]",
	  "Store the text of FILE (text, Markdown or PDF) as resume NAME; --replace swaps an existing one's text",
	  cmd_resume_add, NULL },
	{ "list", "", "List the stored resumes; the default is marked *", cmd_resume_list, NULL },
	{ "show", "NAME", "Print a resume's text", cmd_resume_show, NULL },
	{ "rm", "NAME", "Remove a resume (removing the default makes the newest other one the default)", cmd_resume_rm,
	  NULL },
	{ "default", "NAME", "Make a resume the default, the one matching uses", cmd_resume_default, NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- profile ---- */

static const struct opt profile_opts[] = {
	{ "name", true, "name" },         { "email", true, "email" },       { "phone", true, "phone" },
	{ "location", true, "location" }, { "position", true, "position" }, { "skills", true, "skills" },
};

static bool takes_value(const char *arg)
{
	if (!g_str_has_prefix(arg, "--") || strchr(arg, '='))
		return false;
	for (size_t k = 0; k < G_N_ELEMENTS(profile_opts); k++)
		if (strcmp(arg + 2, profile_opts[k].name) == 0)
			return true;
	return false;
}

/* --link may be given many times, and parse_opts() keeps one value per option: the links
 * are taken out of argv first, into links, reading "--link URL", "--link=URL", other
 * options' values and a bare "--" as parse_opts() does. The rest goes to rest
 * (NULL-terminated). */
static int take_links(struct ctl *ctl, int argc, char **argv, GPtrArray *rest, GPtrArray *links)
{
	bool only_args = false;

	g_ptr_array_add(rest, argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_args && strcmp(a, "--link") == 0) {
			if (i + 1 >= argc)
				return ctl_usage(ctl, "--link needs a value");
			g_ptr_array_add(links, argv[++i]);
			continue;
		}
		if (!only_args && g_str_has_prefix(a, "--link=")) {
			g_ptr_array_add(links, (char *)a + strlen("--link="));
			continue;
		}
		g_ptr_array_add(rest, argv[i]);
		if (only_args)
			continue;
		if (strcmp(a, "--") == 0)
			only_args = true;
		else if (takes_value(a) && i + 1 < argc) /* "--name --link" names someone "--link" */
			g_ptr_array_add(rest, argv[++i]);
	}
	g_ptr_array_add(rest, NULL);
	return CTL_OK;
}

static void print_profile(json_t *p)
{
	static const struct {
		const char *label;
		const char *key;
	} fields[] = {
		{ "Name:", "name" },         { "Email:", "email" },   { "Phone:", "phone" }, { "Location:", "location" },
		{ "Position:", "position" }, { "Skills:", "skills" },
	};
	json_t *links = json_object_get(p, "links"), *v;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(fields); i++)
		block_line(fields[i].label, json_object_get(p, fields[i].key));
	if (json_array_size(links) == 0)
		block_line("Links:", NULL);
	json_array_foreach(links, i, v)
		block_line(i == 0 ? "Links:" : "", v);
	if (json_is_null(json_object_get(p, "updated_at")))
		printf("\nnothing set yet: apptrackctl profile --name N --email E --skills \"A, B\" ...\n");
	else
		block_line("Updated:", json_object_get(p, "updated_at"));
}

int ctl_cmd_profile(struct ctl *ctl, int argc, char **argv)
{
	g_autoptr(GPtrArray) rest = g_ptr_array_new();
	g_autoptr(GPtrArray) links = g_ptr_array_new();
	struct opts o = { 0 };
	json_t *fields = json_object(), *result = NULL;
	int r = take_links(ctl, argc, argv, rest, links);

	if (r == CTL_OK)
		r = parse_opts(ctl, (int)rest->len - 1, (char **)rest->pdata, profile_opts, G_N_ELEMENTS(profile_opts), &o);
	if (r == CTL_OK && o.args->len)
		r = ctl_usage(ctl, "unexpected argument \"%s\" (options are --FIELD VALUE)", (char *)o.args->pdata[0]);
	for (size_t k = 0; r == CTL_OK && k < G_N_ELEMENTS(profile_opts); k++)
		if (opt(&o, profile_opts[k].name))
			json_object_set_new(fields, profile_opts[k].field, json_string(opt(&o, profile_opts[k].name)));
	if (r == CTL_OK && links->len) {
		/* every --link is one link; --link "" alone clears them */
		json_t *arr = json_array();
		for (guint i = 0; i < links->len; i++)
			if (*(const char *)links->pdata[i])
				json_array_append_new(arr, json_string(links->pdata[i]));
		json_object_set_new(fields, "links", arr);
	}
	opts_clear(&o);
	if (r != CTL_OK) {
		json_decref(fields);
		return r < 0 ? CTL_OK : r;
	}
	if (json_object_size(fields) == 0) {
		json_decref(fields);
		r = ctl_call(ctl, "profile.get", NULL, &result, NULL);
	} else {
		r = ctl_call(ctl, "profile.set", fields, &result, NULL);
	}
	if (r != CTL_OK)
		return r;
	if (ctl->json)
		out_json(result);
	else
		print_profile(result);
	json_decref(result);
	return CTL_OK;
}
