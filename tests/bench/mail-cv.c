/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail-cv.c - training the shipped mail model, and measuring mail understanding honestly.
 *
 * `apptrack-bench train OUT DIR...` reads labelled mail (each DIR holds messages and a
 * labels.tsv in the format of ../shared/corpus/README.md), computes each message's features
 * with the rules in rules/ (those that do not decide are features), and writes the model
 * (model.h) to OUT. The same input gives the same bytes. The training set is read
 * strictly: a label that is not a kind, a missing file or a short line fails with FILE:LINE.
 *
 * `apptrack-bench mail-cv CORPUS [DIR...]` is k-fold cross-validation grouped by origin:
 * the origin of a message is the repository (owner/name) or the web host that its
 * `source` names (for the project's own messages, the group its source names), and all
 * messages of one origin fall in the same fold, so that no fold is tested on the origin it
 * was trained on. For each fold a model is trained on the other folds (and on every
 * message of the DIRs that is not in the fold), and each held-out message is read as
 * apptrackd would read it: rules first, then the model, then the policy of [mail]
 * review_below and create_at_least. It prints, per set, kind accuracy (the kind acted on
 * equals the label; for noise, being ignored is right), company accuracy, the share left
 * for review, the confusion matrix, and the applications that would be created from
 * noise or recruiter mail.
 */
#include "bench.h"

#include "apptrack/config.h"
#include "apptrack/error.h"
#include "apptrack/mailapply.h"
#include "apptrack/mime.h"
#include "apptrack/model.h"
#include "apptrack/paths.h"
#include "apptrack/rules.h"
#include "apptrack/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_COLUMNS 10
#define MIN_FEATURE_DOCS 2
#define DEFAULT_FOLDS 5

struct labelled {
	char *file;    /* path */
	char *name;    /* file name */
	char *set;     /* the directory's name: "mail", "jobs", "everyday" */
	enum mail_kind kind;
	char **companies; /* keys of the company and its aliases; empty when none */
	char *origin;
	int fold;
	struct mime_message *m;
	GPtrArray *features;
};

static void labelled_free(gpointer p)
{
	struct labelled *l = p;
	g_free(l->file);
	g_free(l->name);
	g_free(l->set);
	g_strfreev(l->companies);
	g_free(l->origin);
	mime_message_free(l->m);
	if (l->features)
		g_ptr_array_unref(l->features);
	g_free(l);
}

/* The origin a `source` column names: owner/name of a repository, the host of a web
 * page, the code-index id of an unresolved repository, or the project's own group. */
static char *origin_of(const char *source)
{
	g_autoptr(GRegex) url = g_regex_new("^https?://(?:www\\.)?([^/]+)(?:/([^/]+)/([^/]+))?", 0, 0, NULL);
	g_autoptr(GRegex) repo = g_regex_new("^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@", 0, 0, NULL);
	g_autoptr(GRegex) index = g_regex_new("code-index file id ([0-9]+)", 0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;

	if (g_str_has_prefix(source, "apptrack/training:")) {
		const char *group = source + strlen("apptrack/training:");
		return g_strconcat("training:", group, NULL);
	}
	if (g_regex_match(url, source, 0, &mi)) {
		g_autofree char *host = g_match_info_fetch(mi, 1);
		g_autofree char *owner = g_match_info_fetch(mi, 2), *name = g_match_info_fetch(mi, 3);
		if (strcmp(host, "github.com") == 0 && owner && *owner && name && *name)
			return g_strdup_printf("%s/%s", owner, name);
		return g_steal_pointer(&host);
	}
	g_clear_pointer(&mi, g_match_info_free);
	if (g_regex_match(repo, source, 0, &mi))
		return g_match_info_fetch(mi, 1);
	g_clear_pointer(&mi, g_match_info_free);
	if (g_regex_match(index, source, 0, &mi)) {
		g_autofree char *id = g_match_info_fetch(mi, 1);
		return g_strdup_printf("code-index:%s", id);
	}
	return g_strdup(source);
}

static int kind_parse(const char *name)
{
	for (int k = 0; k < MAIL_KIND_COUNT; k++)
		if (strcmp(name, mail_kind_name(k)) == 0)
			return k;
	return -1;
}

/* Reads dir/labels.tsv and the messages it names into list. Strict: every problem is
 * "FILE:LINE: ..." and fails the whole directory. */
static int read_labelled(const char *dir, rules *r, GPtrArray *list, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "labels.tsv", NULL);
	g_autofree char *text = NULL, *set = g_path_get_basename(dir);
	g_autoptr(GString) problems = g_string_new(NULL);
	g_autoptr(GError) read_error = NULL;
	g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func(labelled_free);
	gsize len;

	if (!g_file_get_contents(path, &text, &len, &read_error))
		return at_error_set(error, -ENOENT, "%s", read_error->message);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (unsigned n = 1; lines[n]; n++) {
		char *line = lines[n];
		size_t len_line = strlen(line);
		if (len_line && line[len_line - 1] == '\r') /* only the line end: an empty last column stays */
			line[len_line - 1] = '\0';
		if (!*line)
			continue;
		g_auto(GStrv) cols = g_strsplit(line, "\t", -1);
		if (g_strv_length(cols) != LABEL_COLUMNS) {
			text_problem(problems, path, n + 1, "%u columns; a label line has %d", g_strv_length(cols),
				     LABEL_COLUMNS);
			continue;
		}
		int kind = kind_parse(cols[1]);
		if (kind < 0) {
			text_problem(problems, path, n + 1, "\"%s\" is not a kind (confirmation, rejection, interview, "
				     "assessment, offer, recruiter or noise)", cols[1]);
			continue;
		}
		struct labelled *l = g_new0(struct labelled, 1);
		l->name = g_strdup(cols[0]);
		l->file = g_build_filename(dir, cols[0], NULL);
		l->set = g_strdup(set);
		l->kind = (enum mail_kind)kind;
		l->origin = origin_of(cols[8]);
		g_ptr_array_add(read, l);
		g_autoptr(GPtrArray) keys = g_ptr_array_new();
		g_auto(GStrv) aliases = g_strsplit(cols[3], "|", -1);
		for (int i = -1; i < 0 || aliases[i]; i++) {
			char *key = text_company_key(i < 0 ? cols[2] : aliases[i]);
			if (key && *key)
				g_ptr_array_add(keys, key);
			else
				g_free(key);
		}
		g_ptr_array_add(keys, NULL);
		l->companies = (char **)g_ptr_array_steal(keys, NULL);

		g_autofree char *raw = NULL;
		gsize raw_len;
		g_autoptr(GError) parse_error = NULL;
		if (!g_file_get_contents(l->file, &raw, &raw_len, NULL))
			text_problem(problems, path, n + 1, "%s cannot be read", cols[0]);
		else if (mime_parse(raw, raw_len, &l->m, &parse_error) < 0)
			text_problem(problems, path, n + 1, "%s is not a mail message: %s", cols[0], parse_error->message);
		else
			l->features = rules_features(r, l->m);
	}
	if (problems->len)
		return at_error_set(error, -EINVAL, "%s", problems->str);
	for (guint i = 0; i < read->len; i++)
		g_ptr_array_add(list, read->pdata[i]);
	g_ptr_array_set_free_func(read, NULL);
	return 0;
}

/* The shipped rules of the source tree, alone: a user's rules.d has no say in training
 * or measuring. */
static int source_rules(rules **ret, GError **error)
{
	g_autofree char *dir = paths_shipped_rules_dir();
	rules *r = rules_new();
	int ret_code;

	if ((ret_code = rules_load_dir(r, dir, error)) < 0 || (ret_code = rules_check(r, error)) < 0) {
		rules_free(r);
		return ret_code;
	}
	*ret = r;
	return 0;
}

static int read_all(char **dirs, int n, rules *r, GPtrArray *list)
{
	for (int i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		if (read_labelled(dirs[i], r, list, &error) < 0) {
			fprintf(stderr, "apptrack-bench: %s\n", error->message);
			return -1;
		}
	}
	return 0;
}

int bench_train(const char *out, char **dirs, int n)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(labelled_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(rules) r = NULL;
	g_autoptr(mailmodel) model = model_new();

	if (source_rules(&r, &error) < 0) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	if (read_all(dirs, n, r, list) < 0)
		return 2;
	for (guint i = 0; i < list->len; i++) {
		struct labelled *l = list->pdata[i];
		model_train(model, l->features, l->kind);
	}
	model_fit(model, MIN_FEATURE_DOCS);
	if (model_save(model, out, &error) < 0) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	printf("%s: trained on %u messages\n", out, list->len);
	return 0;
}

/* ---- cross-validation ---- */

struct origin_size {
	const char *origin;
	unsigned n;
};

static gint cmp_origin_size(gconstpointer a, gconstpointer b)
{
	const struct origin_size *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->origin, y->origin);
}

/* Puts each origin in a fold: the largest origins first, each into the fold with the
 * fewest messages so far (ties: the lowest fold). Deterministic. */
static unsigned assign_folds(GPtrArray *list, int folds)
{
	g_autoptr(GHashTable) sizes = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(struct origin_size));
	g_autoptr(GHashTable) fold_of = g_hash_table_new(g_str_hash, g_str_equal);
	unsigned load[64] = { 0 };

	for (guint i = 0; i < list->len; i++) {
		struct labelled *l = list->pdata[i];
		g_hash_table_insert(sizes, l->origin, GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(sizes, l->origin)) + 1));
	}
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, sizes);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		struct origin_size o = { key, GPOINTER_TO_UINT(value) };
		g_array_append_val(order, o);
	}
	g_array_sort(order, cmp_origin_size);
	for (guint i = 0; i < order->len; i++) {
		struct origin_size *o = &g_array_index(order, struct origin_size, i);
		int best = 0;
		for (int f = 1; f < folds; f++)
			if (load[f] < load[best])
				best = f;
		load[best] += o->n;
		g_hash_table_insert(fold_of, (gpointer)o->origin, GINT_TO_POINTER(best));
	}
	for (guint i = 0; i < list->len; i++) {
		struct labelled *l = list->pdata[i];
		l->fold = GPOINTER_TO_INT(g_hash_table_lookup(fold_of, l->origin));
	}
	return order->len;
}

/* The kind apptrackd would act on, as `rules test` gives it: -1 when the verdict is not
 * sure enough and the message would wait for review. (A message sure enough that names
 * no company waits too, but its kind was read right: that is the company's measure.) */
static int acted_kind(const struct mail_policy *policy, const struct rule_match *match)
{
	g_autofree char *unsure = mailapply_unsure(policy, match, match->kind == MAIL_CONFIRMATION);
	return unsure ? -1 : (int)match->kind;
}

#define COL_REVIEW MAIL_KIND_COUNT /* the confusion matrix's column of messages left for review */
#define COL_NONE (MAIL_KIND_COUNT + 1) /* and of messages nothing read (no rule, no model) */

struct tally {
	unsigned n, kind_right, guess_right, review, company_n, company_right, false_apps, wrong_acted;
	unsigned confusion[MAIL_KIND_COUNT][MAIL_KIND_COUNT + 2];
	unsigned by_layer[2];
};

static void print_tally(const char *set, const struct tally *t, bool matrix)
{
	if (!t->n)
		return;
	printf("\n== %s: %u messages ==\n", set, t->n);
	printf("kind right (acted on, or ignored noise)  %5.1f %%  (%u/%u)\n", 100.0 * t->kind_right / t->n,
	       t->kind_right, t->n);
	printf("best guess right                         %5.1f %%\n", 100.0 * t->guess_right / t->n);
	printf("left for review                          %5.1f %%  (%u)\n", 100.0 * t->review / t->n, t->review);
	printf("acted on a wrong kind                    %5.1f %%  (%u)\n", 100.0 * t->wrong_acted / t->n,
	       t->wrong_acted);
	if (t->company_n)
		printf("company right                            %5.1f %%  (%u/%u with a labelled company)\n",
		       100.0 * t->company_right / t->company_n, t->company_right, t->company_n);
	printf("applications from noise or recruiter mail  %u\n", t->false_apps);
	printf("decided by a rule: %u, by the model: %u\n", t->by_layer[LAYER_RULE], t->by_layer[LAYER_MODEL]);
	/* one line for scripts (tests/e2e/test_model.sh holds the floors) */
	printf("summary %s n=%u kind=%.1f company=%.1f review=%.1f wrong=%u false_apps=%u\n", set, t->n,
	       100.0 * t->kind_right / t->n, t->company_n ? 100.0 * t->company_right / t->company_n : 100.0,
	       100.0 * t->review / t->n, t->wrong_acted, t->false_apps);
	if (!matrix)
		return;
	printf("\nconfusion (rows: label; columns: what was acted on)\n%-13s", "");
	for (int c = 0; c < MAIL_KIND_COUNT; c++)
		printf(" %6.6s", mail_kind_name(c));
	printf(" %6s %6s\n", "review", "none");
	for (int k = 0; k < MAIL_KIND_COUNT; k++) {
		printf("%-13s", mail_kind_name(k));
		for (int c = 0; c < MAIL_KIND_COUNT + 2; c++)
			printf(" %6u", t->confusion[k][c]);
		printf("\n");
	}
}

struct cv_options {
	int folds;
	bool all_decide;
	bool no_model;
	bool list;
	struct mail_policy policy;
};

static void tally_one(struct tally *t, const struct labelled *l, int matched, const struct rule_match *match,
		      const struct mail_policy *policy, bool list)
{
	int acted = matched ? acted_kind(policy, match) : COL_NONE;
	int col = acted < 0 ? COL_REVIEW : acted;
	bool ignored = col == COL_NONE || col == MAIL_NOISE;
	bool right = col == (int)l->kind || (l->kind == MAIL_NOISE && ignored);
	bool company_right = false;

	t->n++;
	t->kind_right += right;
	t->guess_right += matched && match->kind == l->kind;
	t->review += col == COL_REVIEW;
	t->wrong_acted += !right && col != COL_REVIEW && !(ignored && l->kind == MAIL_NOISE) && col != COL_NONE;
	t->confusion[l->kind][col]++;
	if (matched)
		t->by_layer[match->layer]++;
	if ((l->kind == MAIL_NOISE || l->kind == MAIL_RECRUITER) && col == MAIL_CONFIRMATION)
		t->false_apps++;
	if (l->companies[0]) {
		g_autofree char *key = matched && match->company ? text_company_key(match->company) : NULL;
		t->company_n++;
		for (size_t i = 0; key && l->companies[i]; i++)
			company_right |= strcmp(key, l->companies[i]) == 0;
		t->company_right += company_right;
	}
	if (list && (!right || (l->companies[0] && !company_right)))
		printf("%-60.60s %-12s -> %-12s %s %.2f  company %s%s\n", l->name, mail_kind_name(l->kind),
		       col == COL_REVIEW ? "review" : col == COL_NONE ? "none" : mail_kind_name(col),
		       matched ? (match->layer == LAYER_RULE ? (match->rule ? match->rule : "rule") : "model") : "-",
		       matched ? match->confidence : 0.0, matched && match->company ? match->company : "(none)",
		       l->companies[0] && !company_right ? " (wrong)" : "");
}

int bench_mail_cv(int argc, char **argv)
{
	struct cv_options o = { .folds = DEFAULT_FOLDS };
	const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(labelled_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(rules) r = NULL;
	double lambda = 0, balance = -1;

	o.policy = (struct mail_policy){ &delays, g_ascii_strtod(CONFIG_REVIEW_BELOW_DEFAULT, NULL),
					 g_ascii_strtod(CONFIG_CREATE_AT_LEAST_DEFAULT, NULL) };
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--folds") == 0 && i + 1 < argc)
			o.folds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rules-decide") == 0)
			o.all_decide = true;
		else if (strcmp(argv[i], "--no-model") == 0)
			o.no_model = true;
		else if (strcmp(argv[i], "--list") == 0)
			o.list = true;
		else if (strcmp(argv[i], "--review-below") == 0 && i + 1 < argc)
			o.policy.review_below = g_ascii_strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--create-at-least") == 0 && i + 1 < argc)
			o.policy.create_at_least = g_ascii_strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--lambda") == 0 && i + 1 < argc)
			lambda = g_ascii_strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--balance") == 0 && i + 1 < argc)
			balance = g_ascii_strtod(argv[++i], NULL);
		else if (argv[i][0] == '-') {
			fprintf(stderr, "apptrack-bench mail-cv: unknown option %s\n", argv[i]);
			return 2;
		} else
			g_ptr_array_add(dirs, argv[i]);
	}
	if (!dirs->len || o.folds < 2 || o.folds > 64) {
		fprintf(stderr, "usage: apptrack-bench mail-cv CORPUS [TRAINING_DIR...] [--folds K] [--rules-decide] "
				"[--no-model] [--list] [--review-below X] [--create-at-least Y] [--lambda L] [--balance B]\n");
		return 2;
	}
	if (source_rules(&r, &error) < 0) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	rules_set_all_decide(r, o.all_decide);
	if (read_all((char **)dirs->pdata, (int)dirs->len, r, list) < 0)
		return 2;
	unsigned origins = assign_folds(list, o.folds);
	g_autofree char *first_set = g_path_get_basename(dirs->pdata[0]);

	/* one tally per set, in the order the directories were given */
	g_autoptr(GPtrArray) sets = g_ptr_array_new();
	for (guint i = 0; i < dirs->len; i++)
		g_ptr_array_add(sets, g_path_get_basename(dirs->pdata[i]));
	g_autofree struct tally *tallies = g_new0(struct tally, dirs->len);

	printf("mail-cv: %u messages, %u origins, %d folds grouped by origin; review_below %.2f, create_at_least %.2f%s%s\n",
	       list->len, origins, o.folds, o.policy.review_below, o.policy.create_at_least,
	       o.all_decide ? ", every rule decides" : "", o.no_model ? ", no model" : "");
	if (o.list)
		printf("\nmisses (file, label -> acted on, layer, confidence, company):\n");
	for (int f = 0; f < o.folds; f++) {
		g_autoptr(mailmodel) model = model_new();
		for (guint i = 0; i < list->len; i++) {
			struct labelled *l = list->pdata[i];
			if (l->fold != f)
				model_train(model, l->features, l->kind);
		}
		model_set_params(model, lambda, balance);
		model_fit(model, MIN_FEATURE_DOCS);
		rules_set_model(r, o.no_model ? NULL : model, NULL);
		for (guint i = 0; i < list->len; i++) {
			struct labelled *l = list->pdata[i];
			if (l->fold != f)
				continue;
			struct rule_match match = { 0 };
			int matched = rules_classify(r, l->m, &match);
			guint set;
			for (set = 0; set < sets->len && strcmp(sets->pdata[set], l->set) != 0; set++)
				;
			tally_one(&tallies[set], l, matched, &match, &o.policy, o.list);
			rule_match_clear(&match);
		}
	}
	rules_set_model(r, NULL, NULL);
	for (guint i = 0; i < sets->len; i++) {
		print_tally(sets->pdata[i], &tallies[i], i == 0);
		g_free(sets->pdata[i]);
	}
	(void)first_set;
	return 0;
}
