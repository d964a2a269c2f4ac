/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rules.c - a set of rules, and loading rule files into it (see rules.h).
 *
 * Rules are GLib key files; each [rule NAME] group becomes a struct rule
 * (rules_internal.h), its patterns compiled with GRegex (PCRE) as they are read. A problem
 * in a file names FILE:LINE; the problems of a whole file are reported together.
 * Classifying mail with a loaded set is rules_classify.c's.
 */
#include "apptrack/rules.h"

#include "apptrack/error.h"
#include "apptrack/model.h"
#include "apptrack/paths.h"
#include "apptrack/text.h"
#include "rules_internal.h"

#include <string.h>

#define RULE_GROUP_PREFIX "rule "
#define REGEX_FLAGS (G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_DUPNAMES)

/* PCRE's JIT (G_REGEX_OPTIMIZE) makes classification several times faster; valgrind cannot
 * follow JIT code, so APPTRACK_REGEX_NO_JIT=1 turns it off for memory checks. */
static GRegexCompileFlags regex_flags(void)
{
	const char *no_jit = g_getenv("APPTRACK_REGEX_NO_JIT");
	return REGEX_FLAGS | (no_jit && *no_jit == '1' ? 0 : G_REGEX_OPTIMIZE);
}

/* mail_kind_name() is mail_kind.c's. */

static const char *const fallback_names[FALLBACK_COUNT] = { "display", "local", "domain" };
static const char *const pattern_keys[P_COUNT] = { "from", "subject", "body", "unless", "company", "position" };

static void rule_free(gpointer p)
{
	struct rule *rule = p;

	g_free(rule->name);
	g_free(rule->file);
	g_free(rule->source);
	g_free(rule->like);
	for (int i = 0; i < P_COUNT; i++)
		if (rule->re[i])
			g_regex_unref(rule->re[i]);
	g_free(rule);
}

rules *rules_new(void)
{
	rules *r = g_new0(rules, 1);
	r->list = g_ptr_array_new_with_free_func(rule_free);
	r->refs = 1;
	return r;
}

rules *rules_ref(rules *r)
{
	g_atomic_int_inc(&r->refs);
	return r;
}

void rules_free(rules *r)
{
	if (!r || !g_atomic_int_dec_and_test(&r->refs))
		return;
	g_ptr_array_free(r->list, TRUE);
	model_unref(r->model);
	g_free(r->model_problem);
	g_free(r);
}

void rules_set_model(rules *r, mailmodel *model, const char *problem)
{
	model_unref(r->model);
	r->model = model ? model_ref(model) : NULL;
	g_free(r->model_problem);
	r->model_problem = g_strdup(problem);
}

mailmodel *rules_model(rules *r)
{
	return r->model;
}

const char *rules_model_problem(rules *r)
{
	return r->model_problem;
}

void rules_set_all_decide(rules *r, bool all_decide)
{
	r->all_decide = all_decide;
}

unsigned rules_count(rules *r)
{
	return r->list->len;
}


/* Mail is wrapped at any column, so a space in a pattern matches any run of whitespace,
 * line breaks included: outside character classes, unescaped spaces become \s+. */
static char *flow_spaces(const char *pattern)
{
	GString *out = g_string_new(NULL);
	bool in_class = false;

	for (const char *p = pattern; *p; p++) {
		if (*p == '\\' && p[1]) {
			g_string_append_c(out, *p++);
			g_string_append_c(out, *p);
			continue;
		}
		if (*p == '[' && !in_class)
			in_class = true;
		else if (*p == ']' && in_class && p[-1] != '[' && !(p[-1] == '^' && p[-2] == '['))
			in_class = false;
		if (*p == ' ' && !in_class) {
			while (p[1] == ' ')
				p++;
			g_string_append(out, "\\s+");
			continue;
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static const char *const rule_keys[] = { "kind", "priority", "source", "company_fallback", "like", "from", "subject",
					 "body", "unless", "company", "position", "decides" };

static struct rule *parse_rule(GKeyFile *kf, const char *text, const char *path, const char *group,
			       const char *default_source, GString *errors)
{
	struct rule *rule = g_new0(struct rule, 1);
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	size_t before = errors->len;

	rule->name = g_strdup(group + strlen(RULE_GROUP_PREFIX));
	g_strstrip(rule->name);
	rule->file = g_strdup(path);
	rule->line = text_ini_line(text, group, NULL);
	rule->kind = MAIL_KIND_COUNT;
	rule->decides = true;
	rule->fallback[0] = FALLBACK_DISPLAY;
	rule->fallback[1] = FALLBACK_DOMAIN;
	rule->n_fallback = 2;
	if (!*rule->name)
		text_problem(errors, path, rule->line, "rule without a name: write [rule NAME]");

	for (size_t k = 0; keys && keys[k]; k++) {
		const char *key = keys[k];
		unsigned line = text_ini_line(text, group, key);
		g_autofree char *value = g_key_file_get_value(kf, group, key, NULL); /* raw: patterns keep their backslashes */
		bool known = false;

		for (size_t i = 0; i < G_N_ELEMENTS(rule_keys); i++)
			known = known || strcmp(key, rule_keys[i]) == 0;
		if (!known) {
			text_problem(errors, path, line, "unknown key \"%s\" in [%s]", key, group);
			continue;
		}
		if (!value) {
			text_problem(errors, path, line, "cannot read the value of %s", key);
			continue;
		}
		g_strstrip(value);
		if (strcmp(key, "kind") == 0) {
			enum mail_kind kind;
			if (mail_kind_parse(value, &kind, NULL) == 0)
				rule->kind = kind;
			if (rule->kind == MAIL_KIND_COUNT)
				text_problem(errors, path, line,
					"unknown kind \"%s\" (use confirmation, rejection, interview, assessment, offer, "
					"recruiter or noise)",
					value);
		} else if (strcmp(key, "priority") == 0) {
			char *end;
			long v = strtol(value, &end, 10);
			if (*end || end == value || v < -1000 || v > 1000)
				text_problem(errors, path, line, "priority \"%s\" is not a number from -1000 to 1000", value);
			rule->priority = (int)v;
		} else if (strcmp(key, "like") == 0) {
			g_free(rule->like);
			rule->like = g_strdup(value);
			rule->like_line = line;
		} else if (strcmp(key, "decides") == 0) {
			if (g_ascii_strcasecmp(value, "true") != 0 && g_ascii_strcasecmp(value, "false") != 0)
				text_problem(errors, path, line, "decides = %s: expected true or false", value);
			rule->decides = g_ascii_strcasecmp(value, "false") != 0;
		} else if (strcmp(key, "source") == 0) {
			g_free(rule->source);
			rule->source = g_strdup(value);
		} else if (strcmp(key, "company_fallback") == 0) {
			g_auto(GStrv) items = g_strsplit(value, ",", -1);
			rule->n_fallback = 0;
			for (size_t i = 0; items[i]; i++) {
				g_strstrip(items[i]);
				if (!*items[i] || g_ascii_strcasecmp(items[i], "none") == 0)
					continue;
				size_t f;
				for (f = 0; f < FALLBACK_COUNT; f++)
					if (g_ascii_strcasecmp(items[i], fallback_names[f]) == 0)
						break;
				if (f == FALLBACK_COUNT || rule->n_fallback >= FALLBACK_COUNT)
					text_problem(errors, path, line, "company_fallback: \"%s\" is not display, local, domain or none",
						items[i]);
				else
					rule->fallback[rule->n_fallback++] = (enum fallback)f;
			}
		} else {
			for (int p = 0; p < P_COUNT; p++) {
				if (strcmp(key, pattern_keys[p]) != 0)
					continue;
				g_autoptr(GError) rerr = NULL;
				g_autofree char *flowed = flow_spaces(value);
				if (rule->re[p]) /* a key given twice: GKeyFile lists it twice */
					g_regex_unref(rule->re[p]);
				rule->re[p] = g_regex_new(flowed, regex_flags(), 0, &rerr);
				if (!rule->re[p])
					text_problem(errors, path, line, "bad pattern for %s: %s", key, rerr->message);
			}
		}
	}
	if (rule->kind == MAIL_KIND_COUNT && errors->len == before)
		text_problem(errors, path, rule->line, "rule %s has no kind", rule->name);
	if (!rule->re[P_FROM] && !rule->re[P_SUBJECT] && !rule->re[P_BODY] && !rule->like && errors->len == before)
		text_problem(errors, path, rule->line, "rule %s matches everything: give from, subject or body", rule->name);
	if (!rule->source)
		rule->source = g_strdup(default_source);
	if (errors->len != before) {
		rule_free(rule);
		return NULL;
	}
	return rule;
}

static void add_rule(rules *r, struct rule *rule)
{
	for (guint i = 0; i < r->list->len; i++) {
		struct rule *old = r->list->pdata[i];
		if (strcmp(old->name, rule->name) == 0) { /* same name: the later file overrides */
			rule->order = old->order;
			rule_free(old);
			r->list->pdata[i] = rule;
			return;
		}
	}
	rule->order = r->next_order++;
	g_ptr_array_add(r->list, rule);
}

int rules_load_file(rules *r, const char *path, GError **error)
{
	g_autofree char *text = NULL, *base = g_path_get_basename(path);
	g_autoptr(GError) ioerr = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GString) errors = g_string_new(NULL);
	g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func(rule_free);
	gsize len;

	if (!g_file_get_contents(path, &text, &len, &ioerr))
		return at_error_set(error, ioerr->code == G_FILE_ERROR_NOENT ? -ENOENT : -EIO, "cannot read %s: %s", path,
				    ioerr->message);
	if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len))
		return at_error_set(error, -EINVAL, "%s:1: the file is not UTF-8 text", path);
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &ioerr))
		return at_error_set(error, -EINVAL, "%s:%u: syntax error: %s", path, text_ini_bad_line(text), ioerr->message);

	char *dot = strrchr(base, '.');
	if (dot)
		*dot = '\0';
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (size_t g = 0; groups[g]; g++) {
		if (!g_str_has_prefix(groups[g], RULE_GROUP_PREFIX)) {
			text_problem(errors, path, text_ini_line(text, groups[g], NULL),
				"unknown section [%s]: rules are written [rule NAME]", groups[g]);
			continue;
		}
		struct rule *rule = parse_rule(kf, text, path, groups[g], base, errors);
		if (rule)
			g_ptr_array_add(parsed, rule);
	}
	if (errors->len)
		return at_error_set(error, -EINVAL, "%s", errors->str);
	for (guint i = 0; i < parsed->len; i++)
		add_rule(r, parsed->pdata[i]);
	g_ptr_array_set_free_func(parsed, NULL); /* now owned by r */
	return 0;
}

int rules_load_dir(rules *r, const char *dir, GError **error)
{
	g_autoptr(GError) derr = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &derr);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!d)
		return g_error_matches(derr, G_FILE_ERROR, G_FILE_ERROR_NOENT)
			       ? 0
			       : at_error_set(error, -EIO, "cannot read rules directory %s: %s", dir, derr->message);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".rules"))
			g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
		int ret = rules_load_file(r, path, error);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int rules_load_standard(rules **ret_rules, GError **error)
{
	g_autofree char *shipped = paths_shipped_rules_dir();
	g_autofree char *user = paths_rules_dir();
	rules *r = rules_new();
	int ret;

	if ((ret = rules_load_dir(r, shipped, error)) < 0 || (ret = rules_load_dir(r, user, error)) < 0 ||
	    (ret = rules_check(r, error)) < 0) {
		rules_free(r);
		return ret;
	}
	g_autofree char *model_path = rules_model_path();
	g_autoptr(GError) model_error = NULL;
	g_autoptr(mailmodel) model = NULL;
	if (model_load(model_path, &model, &model_error) < 0)
		rules_set_model(r, NULL, model_error->message);
	else
		rules_set_model(r, model, NULL);
	*ret_rules = r;
	return 0;
}

char *rules_model_path(void)
{
	const char *env = g_getenv("APPTRACK_MODEL");
	g_autofree char *shipped = NULL;

	if (env && *env)
		return g_strdup(env);
	shipped = paths_shipped_rules_dir();
	return g_build_filename(shipped, MODEL_FILE, NULL);
}


static struct rule *find_rule(rules *r, const char *name)
{
	for (guint i = 0; name && i < r->list->len; i++) {
		struct rule *rule = r->list->pdata[i];
		if (strcmp(rule->name, name) == 0)
			return rule;
	}
	return NULL;
}

/* The rule's own pattern p, else the one of the rule it is `like` (one level). */
GRegex *rules_pattern(rules *r, struct rule *rule, enum pattern p)
{
	if (rule->re[p] || p == P_FROM || !rule->like)
		return rule->re[p];
	struct rule *base = find_rule(r, rule->like);
	return base ? base->re[p] : NULL;
}

int rules_check(rules *r, GError **error)
{
	g_autoptr(GString) errors = g_string_new(NULL);

	for (guint i = 0; i < r->list->len; i++) {
		struct rule *rule = r->list->pdata[i];
		struct rule *base = rule->like ? find_rule(r, rule->like) : NULL;
		if (rule->like && !base)
			text_problem(errors, rule->file, rule->like_line, "rule %s is like \"%s\", which no rule file defines",
				rule->name, rule->like);
		else if (base && base->like)
			text_problem(errors, rule->file, rule->like_line, "rule %s is like %s, which is itself like %s: use %s",
				rule->name, base->name, base->like, base->like);
	}
	return errors->len ? at_error_set(error, -EINVAL, "%s", errors->str) : 0;
}
