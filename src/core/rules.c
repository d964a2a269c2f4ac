/* rules.c - loading rule files and classifying mail with them (see rules.h).
 *
 * Rules are GLib key files; GRegex (PCRE) does the matching. Classification runs the
 * gates of the rules that decide, keeps the best match (priority, then order), and only
 * then extracts company and position from the winner: captures from its patterns first,
 * then its extraction patterns. When no deciding rule matches, the rules that do not
 * decide (`decides = false`: the generic wording) become features of the model, which
 * decides. The company is the best of the candidates that company.h gathers, the rules'
 * captures among them; the fallbacks a rule names serve when there is none.
 */
#include "apptrack/rules.h"

#include "apptrack/company.h"
#include "apptrack/error.h"
#include "apptrack/model.h"
#include "apptrack/paths.h"
#include "apptrack/text.h"

#include <string.h>

#define RULE_GROUP_PREFIX "rule "
#define RULE_MAX_CAPTURE 200 /* longer captures are not names */
#define REGEX_FLAGS (G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_DUPNAMES)

/* PCRE's JIT (G_REGEX_OPTIMIZE) makes classification several times faster; valgrind cannot
 * follow JIT code, so APPTRACK_REGEX_NO_JIT=1 turns it off for memory checks. */
static GRegexCompileFlags regex_flags(void)
{
	const char *no_jit = g_getenv("APPTRACK_REGEX_NO_JIT");
	return REGEX_FLAGS | (no_jit && *no_jit == '1' ? 0 : G_REGEX_OPTIMIZE);
}

static const char *const kind_names[MAIL_KIND_COUNT] = {
	"confirmation", "rejection", "interview", "assessment", "offer", "recruiter", "noise",
};

const char *mail_kind_name(enum mail_kind kind)
{
	return (unsigned)kind < MAIL_KIND_COUNT ? kind_names[kind] : NULL;
}

enum fallback { FALLBACK_DISPLAY, FALLBACK_LOCAL, FALLBACK_DOMAIN, FALLBACK_COUNT };
static const char *const fallback_names[FALLBACK_COUNT] = { "display", "local", "domain" };

enum pattern { P_FROM, P_SUBJECT, P_BODY, P_UNLESS, P_COMPANY, P_POSITION, P_COUNT };
static const char *const pattern_keys[P_COUNT] = { "from", "subject", "body", "unless", "company", "position" };

struct rule {
	char *name;
	char *file;
	unsigned line;
	unsigned order;
	enum mail_kind kind;
	int priority;
	char *source;
	char *like; /* rule whose subject, body, unless and extraction patterns this one borrows */
	unsigned like_line;
	GRegex *re[P_COUNT];
	enum fallback fallback[FALLBACK_COUNT];
	size_t n_fallback;
	bool decides; /* false: only a feature of the model, when there is one */
};

struct rules {
	GPtrArray *list; /* of struct rule * */
	unsigned next_order;
	gint refs;
	mailmodel *model;    /* or NULL */
	char *model_problem; /* why there is no model, or NULL */
	bool all_decide;     /* rules_set_all_decide() */
};

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
			for (int i = 0; i < MAIL_KIND_COUNT; i++)
				if (g_ascii_strcasecmp(value, kind_names[i]) == 0)
					rule->kind = (enum mail_kind)i;
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

/* ---- classification ---- */

void rule_match_clear(struct rule_match *match)
{
	g_free(match->company);
	g_free(match->position);
	g_strfreev(match->phrases);
	if (match->candidates)
		g_ptr_array_unref(match->candidates);
	memset(match, 0, sizeof(*match));
}

/* Trimmed of spaces and punctuation around it; NULL when empty or implausibly long. */
static char *clean_capture(const char *s)
{
	if (!s)
		return NULL;
	g_autofree char *t = g_strstrip(g_strdup(s));
	size_t n = strlen(t);
	/* ASCII marks a byte at a time; the en dash as its three bytes, never byte by byte
	 * (its bytes end letters such as À and Ó too) */
	for (;;) {
		if (n && t[n - 1] != '\0' && strchr(".,;:!-|\"'", t[n - 1]))
			t[--n] = '\0';
		else if (n >= 3 && memcmp(t + n - 3, "\u2013", 3) == 0)
			t[n -= 3] = '\0';
		else
			break;
	}
	g_strstrip(t);
	if (!*t || g_utf8_strlen(t, -1) > RULE_MAX_CAPTURE)
		return NULL;
	/* collapse inner whitespace runs */
	GString *out = g_string_new(NULL);
	for (const char *p = t; *p; p++) {
		if (g_ascii_isspace(*p)) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* Sets *field from the named group of the match when not set yet. */
static void take_named(GMatchInfo *mi, const char *group, char **field)
{
	if (*field)
		return;
	g_autofree char *v = g_match_info_fetch_named(mi, group);
	*field = clean_capture(v);
}

static bool gate(GRegex *re, const char *text, struct rule_match *captures)
{
	GMatchInfo *mi = NULL;
	bool ok;

	if (!re)
		return true;
	ok = g_regex_match(re, text ? text : "", 0, &mi);
	if (ok && captures) {
		take_named(mi, "company", &captures->company);
		take_named(mi, "position", &captures->position);
	}
	g_match_info_free(mi);
	return ok;
}

/* Words of ATS sender names that are not part of the employer's name. */
static const char *const display_noise[] = {
	"recruiting", "recruitment", "recruiter", "recruiters", "hiring", "team",   "talent",   "acquisition",
	"careers",    "career",      "jobs",      "hr",         "notification", "notifications", "workday",
	"donotreply", "noreply",     "no-reply",  "do-not-reply", "the",    "coordinator", "people",
};

static char *company_from_display(const char *display)
{
	if (!display)
		return NULL;
	/* "ExampleCo via SmartRecruiters", "The Batch @ DeepLearning.AI": the employer comes first */
	g_autofree char *head = g_strdup(display);
	char *cut = strstr(head, " via ");
	if (cut)
		*cut = '\0';
	for (char *p = head; *p; p++)
		if (*p == '_')
			*p = ' ';
	g_auto(GStrv) words = g_strsplit(head, " ", -1);
	GString *out = g_string_new(NULL);
	for (size_t i = 0; words[i]; i++) {
		bool skip = !*words[i];
		for (size_t k = 0; !skip && k < G_N_ELEMENTS(display_noise); k++)
			skip = g_ascii_strcasecmp(words[i], display_noise[k]) == 0;
		if (!skip)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", words[i]);
	}
	char *c = clean_capture(out->str);
	g_string_free(out, TRUE);
	return c;
}

static char *capitalized(const char *word)
{
	if (!word || !*word)
		return NULL;
	char *s = g_strdup(word);
	s[0] = g_ascii_toupper(s[0]);
	return s;
}

/* A host label or mailbox that names no employer: a mail provider's or sending service's
 * (example and invalidemail among them), a hiring system's, a job board's or an assessment
 * site's, by company.h's lists. */
static bool generic_domain(const char *label)
{
	return company_host_kind(label) != HOST_OTHER;
}

static char *company_from_address(const char *address, enum fallback how)
{
	const char *at = address ? strrchr(address, '@') : NULL;

	if (!at)
		return NULL;
	if (how == FALLBACK_LOCAL) {
		g_autofree char *local = g_strndup(address, (gsize)(at - address));
		char *plus = strchr(local, '+');
		if (plus)
			*plus = '\0';
		return generic_domain(local) || strlen(local) < 2 ? NULL : capitalized(local);
	}
	/* the label before the public suffix: careers.acme.com -> acme */
	g_auto(GStrv) labels = g_strsplit(at + 1, ".", -1);
	guint n = g_strv_length(labels);
	if (n < 2)
		return NULL;
	const char *label = labels[n - 2];
	if (n >= 3 && strlen(labels[n - 1]) == 2 && strlen(label) <= 3) /* acme.co.uk */
		label = labels[n - 3];
	return generic_domain(label) ? NULL : capitalized(label);
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
static GRegex *pattern(rules *r, struct rule *rule, enum pattern p)
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

/* What one message offers the rules: the sender as "Name <address>", the subject. */
typedef struct reading Reading;
struct reading {
	const struct mime_message *m;
	char *from; /* owned: reading_clear() */
	const char *subject;
};

static void reading_init(struct reading *rd, const struct mime_message *m)
{
	rd->m = m;
	rd->from = g_strdup_printf("%s <%s>", m->from_name ? m->from_name : "", m->from_address ? m->from_address : "");
	rd->subject = m->subject ? m->subject : "";
}

static void reading_clear(struct reading *rd)
{
	g_free(rd->from);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Reading, reading_clear)

static bool rule_matches(rules *r, struct rule *rule, const struct reading *rd)
{
	GRegex *unless = pattern(r, rule, P_UNLESS);

	if (!gate(rule->re[P_FROM], rd->from, NULL) || !gate(pattern(r, rule, P_SUBJECT), rd->subject, NULL) ||
	    !gate(pattern(r, rule, P_BODY), rd->m->text, NULL))
		return false;
	return !unless || (!gate(unless, rd->subject, NULL) && !gate(unless, rd->m->text, NULL));
}

/* Company and position as rule captures them: from its gates, then from its extraction
 * patterns, subject first. */
static void extract(rules *r, struct rule *rule, const struct reading *rd, struct rule_match *match)
{
	gate(rule->re[P_FROM], rd->from, match);
	gate(pattern(r, rule, P_SUBJECT), rd->subject, match);
	gate(pattern(r, rule, P_BODY), rd->m->text, match);
	for (int p = P_COMPANY; p <= P_POSITION; p++) {
		GRegex *re = pattern(r, rule, (enum pattern)p);
		if (!re)
			continue;
		if (!gate(re, rd->subject, match) || (p == P_COMPANY ? !match->company : !match->position))
			gate(re, rd->m->text, match);
	}
}

static bool decides(rules *r, struct rule *rule)
{
	return rule->decides || r->all_decide;
}

/* Whether a beats b: higher priority, then earlier. */
static bool better(struct rule *a, struct rule *b)
{
	return !b || a->priority > b->priority || (a->priority == b->priority && a->order < b->order);
}

/* The best deciding rule that matches, or NULL; the rules that do not decide and match
 * are added to others (best first) when others is not NULL. */
static struct rule *match_rules(rules *r, const struct reading *rd, GPtrArray *others)
{
	struct rule *best = NULL;

	for (guint i = 0; i < r->list->len; i++) {
		struct rule *rule = r->list->pdata[i];
		if (decides(r, rule) ? !better(rule, best) : !others)
			continue;
		if (!rule_matches(r, rule, rd))
			continue;
		if (decides(r, rule))
			best = rule;
		else
			g_ptr_array_add(others, rule);
	}
	if (others) {
		/* best first: a simple insertion sort, there are a handful */
		for (guint i = 1; i < others->len; i++)
			for (guint k = i; k > 0 && better(others->pdata[k], others->pdata[k - 1]); k--) {
				gpointer t = others->pdata[k];
				others->pdata[k] = others->pdata[k - 1];
				others->pdata[k - 1] = t;
			}
	}
	return best;
}

/* The names of rules, NULL-terminated (borrowed strings; g_free the array). */
static const char **rule_names(GPtrArray *list)
{
	const char **names = g_new0(const char *, list->len + 1);
	for (guint i = 0; i < list->len; i++)
		names[i] = ((struct rule *)list->pdata[i])->name;
	return names;
}

GPtrArray *rules_features(rules *r, const struct mime_message *m)
{
	g_auto(Reading) rd;
	reading_init(&rd, m);
	g_autoptr(GPtrArray) others = g_ptr_array_new();

	match_rules(r, &rd, others);
	g_autofree const char **names = rule_names(others);
	return model_features(m, names);
}

int rules_classify(rules *r, const struct mime_message *m, struct rule_match *ret_match)
{
	g_auto(Reading) rd;
	reading_init(&rd, m);
	g_autoptr(GPtrArray) others = g_ptr_array_new();
	struct rule *best = match_rules(r, &rd, others), *fallbacks = best;
	struct rule_match match = { .layer = LAYER_RULE, .confidence = 1 };
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);

	if (best) {
		match.rule = best->name;
		match.source = best->source;
		match.kind = best->kind;
		extract(r, best, &rd, &match);
	} else if (r->model) {
		g_autofree const char **names = rule_names(others);
		g_autoptr(GPtrArray) features = model_features(m, names);
		struct model_guess guess;
		if (model_classify(r->model, features, &guess) == 0) {
			match.layer = LAYER_MODEL;
			match.kind = guess.kind;
			match.confidence = guess.confidence;
			match.phrases = g_new0(char *, MODEL_MAX_PHRASES + 1);
			for (int i = 0; i < MODEL_MAX_PHRASES && guess.phrases[i]; i++)
				match.phrases[i] = g_steal_pointer(&guess.phrases[i]);
			model_guess_clear(&guess);
			/* what the wording rules of the same kind capture is evidence */
			for (guint i = 0; i < others->len; i++) {
				struct rule *o = others->pdata[i];
				if (o->kind != match.kind)
					continue;
				struct rule_match c = { 0 };
				extract(r, o, &rd, &c);
				if (c.company)
					g_ptr_array_add(captures, g_steal_pointer(&c.company));
				if (!match.position)
					match.position = g_steal_pointer(&c.position);
				rule_match_clear(&c);
			}
		} else if (others->len) {
			best = others->pdata[0]; /* a model never trained: the rules alone */
		}
	} else if (others->len) {
		best = others->pdata[0];
	}
	if (best && !match.rule) { /* a rule that does not decide, deciding for want of a model */
		match.rule = best->name;
		match.source = best->source;
		match.kind = best->kind;
		extract(r, best, &rd, &match);
		fallbacks = best;
	}
	if (!best && match.layer == LAYER_RULE)
		return 0;

	if (match.company)
		g_ptr_array_insert(captures, 0, g_steal_pointer(&match.company));
	g_ptr_array_add(captures, NULL);
	match.candidates = company_candidates(m, (const char *const *)captures->pdata);
	match.company = g_strdup(company_best(match.candidates));
	/* the fallbacks a deciding rule names; the model's verdicts take the best candidate
	 * however weak (a sender's own domain alone), never a display name that the evidence
	 * ruled out as a person's */
	for (size_t i = 0; !match.company && fallbacks && i < fallbacks->n_fallback; i++)
		match.company = fallbacks->fallback[i] == FALLBACK_DISPLAY
					? company_from_display(m->from_name)
					: company_from_address(m->from_address, fallbacks->fallback[i]);
	if (!match.company && match.layer == LAYER_MODEL && match.candidates->len)
		match.company = g_strdup(((const struct company_candidate *)match.candidates->pdata[0])->name);
	*ret_match = match;
	return 1;
}

char *rules_company_key(const char *company)
{
	return text_company_key(company);
}
