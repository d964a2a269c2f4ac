/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.c - the mail model: a logistic regression over the features of a message, the
 * model file, and the user's lessons (see model.h). The features themselves (strings such
 * as "s:offer" or "from:hiring-system") are model_features.c's.
 *
 * Each feature counts once per message (a set), and a message's features are scaled to
 * length 1, so that a long message weighs no more than a short one.
 *
 * The model is a multinomial (softmax) logistic regression with L2 regularisation: one
 * weight per feature and kind, and a bias per kind. Training (model_train, then
 * model_fit) minimises the weighted cross-entropy of the training messages by Nesterov's
 * accelerated gradient descent, a fixed number of full passes in a fixed order: the same
 * messages give the same weights, and the file written gives them to 6 significant
 * digits. Kinds are weighted against their frequency (DEFAULT_BALANCE), so that the many
 * messages of everyday mail do not drown the few offers.
 *
 * Lessons are a second set of weights, fitted on the lessons alone on top of the shipped
 * model's scores (which stay fixed): the shipped model is never changed, and a lesson
 * needs only to correct what the shipped model gets wrong. Each lesson weighs
 * MODEL_LESSON_WEIGHT; the lesson weights are fitted again, from nothing, at the first
 * classification after lessons were added or taken back (so that loading a few hundred
 * lessons costs one fit, and the thread that learns, the daemon's main one, never pays).
 */
#include "apptrack/model.h"

#include "apptrack/error.h"
#include "apptrack/paths.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_MAGIC "apptrack-model"
#define K MAIL_KIND_COUNT
#define DEFAULT_LAMBDA 1e-6       /* L2 regularisation of the shipped weights */
#define DEFAULT_BALANCE 1.0       /* kind weights: (N / (K n_kind)) ^ balance */
#define TRAIN_ITERATIONS 2000
#define LESSON_LAMBDA 1e-2        /* of the lesson weights: small, so that lessons win */
#define LESSON_ITERATIONS 200
#define MODEL_FILE_MAX ((size_t)64 << 20)

/* A message as the model learns from it: its known features, by index, and its kind. */
struct doc {
	guint *ids;
	guint n;
	enum mail_kind kind;
	double weight;
};

struct mailmodel {
	gint refs;
	GRWLock lock;
	GHashTable *index;   /* feature -> GUINT_TO_POINTER(its index + 1) */
	GPtrArray *names;    /* index -> feature (owned); shipped ones first */
	guint shipped_names; /* how many of names the shipped weights know */
	GArray *w;           /* double [names * K]: shipped weights (0 past shipped_names) */
	double bias[K];
	guint32 docs[K];     /* messages trained on, per kind */
	double lambda, balance;
	GPtrArray *training; /* struct training_doc *, until model_fit() */
	GPtrArray *lessons;  /* struct doc * */
	GArray *u;           /* double [names * K]: the lessons' weights (no bias of their own) */
	bool stale;          /* lessons changed since u was fitted: fit it before reading */
};

/* A training message before the vocabulary is known: its features' names. */
struct training_doc {
	char **features;
	enum mail_kind kind;
};

static void doc_free(gpointer p)
{
	struct doc *d = p;
	g_free(d->ids);
	g_free(d);
}

static void training_doc_free(gpointer p)
{
	struct training_doc *t = p;
	g_strfreev(t->features);
	g_free(t);
}

mailmodel *model_new(void)
{
	mailmodel *m = g_new0(mailmodel, 1);

	m->refs = 1;
	g_rw_lock_init(&m->lock);
	m->index = g_hash_table_new(g_str_hash, g_str_equal);
	m->names = g_ptr_array_new_with_free_func(g_free);
	m->w = g_array_new(FALSE, TRUE, sizeof(double));
	m->u = g_array_new(FALSE, TRUE, sizeof(double));
	m->lambda = DEFAULT_LAMBDA;
	m->balance = DEFAULT_BALANCE;
	m->training = g_ptr_array_new_with_free_func(training_doc_free);
	m->lessons = g_ptr_array_new_with_free_func(doc_free);
	return m;
}

mailmodel *model_ref(mailmodel *m)
{
	g_atomic_int_inc(&m->refs);
	return m;
}

void model_unref(mailmodel *m)
{
	if (!m || !g_atomic_int_dec_and_test(&m->refs))
		return;
	g_hash_table_unref(m->index);
	g_ptr_array_unref(m->names);
	g_array_unref(m->w);
	g_array_unref(m->u);
	g_ptr_array_unref(m->training);
	g_ptr_array_unref(m->lessons);
	g_rw_lock_clear(&m->lock);
	g_free(m);
}

/* ---- weights ---- */

/* The index of feature, adding it (with zero weights) when add is set; -1 when unknown. */
static gint64 feature_index(mailmodel *m, const char *feature, bool add)
{
	gpointer v = g_hash_table_lookup(m->index, feature);
	if (v)
		return (gint64)GPOINTER_TO_UINT(v) - 1;
	if (!add)
		return -1;
	char *name = g_strdup(feature);
	g_ptr_array_add(m->names, name);
	g_hash_table_insert(m->index, name, GUINT_TO_POINTER(m->names->len));
	g_array_set_size(m->w, m->names->len * K);
	g_array_set_size(m->u, m->names->len * K);
	return m->names->len - 1;
}

/* The known features of a message as a doc (ids in the order given). */
static struct doc *doc_of(mailmodel *m, GPtrArray *features, enum mail_kind kind, bool add)
{
	struct doc *d = g_new0(struct doc, 1);
	d->ids = g_new(guint, features->len + 1);
	d->kind = kind;
	d->weight = 1;
	for (guint i = 0; i < features->len; i++) {
		gint64 id = feature_index(m, features->pdata[i], add);
		if (id >= 0)
			d->ids[d->n++] = (guint)id;
	}
	return d;
}

/* Scores of doc d under weights w (and bias), plus base when not NULL; into score[K]. */
static void scores(const double *w, const double *bias, const struct doc *d, const double *base, double *score)
{
	double x = d->n ? 1 / sqrt((double)d->n) : 0;
	for (int k = 0; k < K; k++)
		score[k] = bias[k] + (base ? base[k] : 0);
	for (guint i = 0; i < d->n; i++) {
		const double *wf = w + (gsize)d->ids[i] * K;
		for (int k = 0; k < K; k++)
			score[k] += wf[k] * x;
	}
}

static void softmax(double *v)
{
	double top = v[0], sum = 0;
	for (int k = 1; k < K; k++)
		top = MAX(top, v[k]);
	for (int k = 0; k < K; k++)
		sum += (v[k] = exp(v[k] - top));
	for (int k = 0; k < K; k++)
		v[k] /= sum;
}

/* Fits weights w[n * K], and bias[K] unless fit_bias is false, to docs by Nesterov's
 * accelerated gradient on the weighted mean cross-entropy plus lambda/2 |w|^2, base[d * K]
 * (may be NULL) added to each doc's scores. Deterministic: full passes in the docs'
 * order. */
static void fit(double *w, double *bias, bool fit_bias, gsize n, GPtrArray *docs, const double *base, double lambda,
		int iterations)
{
	gsize size = n * K;
	g_autofree double *grad = g_new(double, size), *prev = g_new0(double, size), *y = g_new(double, size);
	double gbias[K], prev_bias[K], ybias[K], total = 0;

	for (guint i = 0; i < docs->len; i++)
		total += ((struct doc *)docs->pdata[i])->weight;
	if (total <= 0)
		return;
	memcpy(prev, w, size * sizeof *w);
	memcpy(prev_bias, bias, sizeof prev_bias);
	for (int t = 1; t <= iterations; t++) {
		/* the look-ahead point */
		double mom = (t - 1.0) / (t + 2.0);
		for (gsize i = 0; i < size; i++)
			y[i] = w[i] + mom * (w[i] - prev[i]);
		for (int k = 0; k < K; k++)
			ybias[k] = bias[k] + mom * (bias[k] - prev_bias[k]);
		for (gsize i = 0; i < size; i++)
			grad[i] = lambda * y[i];
		memset(gbias, 0, sizeof gbias);
		for (guint i = 0; i < docs->len; i++) {
			const struct doc *d = docs->pdata[i];
			double p[K], x = d->n ? 1 / sqrt((double)d->n) : 0;
			scores(y, ybias, d, base ? base + (gsize)i * K : NULL, p);
			softmax(p);
			for (int k = 0; k < K; k++) {
				double g = d->weight * (p[k] - (k == (int)d->kind)) / total;
				gbias[k] += g;
				for (guint f = 0; f < d->n; f++)
					grad[(gsize)d->ids[f] * K + k] += g * x;
			}
		}
		/* a step of 1: the features of a message have length 1, so the loss's
		 * gradient changes by at most about that much */
		memcpy(prev, w, size * sizeof *w);
		memcpy(prev_bias, bias, sizeof prev_bias);
		for (gsize i = 0; i < size; i++)
			w[i] = y[i] - grad[i] / (1 + lambda);
		for (int k = 0; k < K && fit_bias; k++)
			bias[k] = ybias[k] - gbias[k] / (1 + lambda);
	}
}

void model_train(mailmodel *m, GPtrArray *features, enum mail_kind kind)
{
	struct training_doc *t = g_new0(struct training_doc, 1);

	t->features = g_new0(char *, features->len + 1);
	for (guint i = 0; i < features->len; i++)
		t->features[i] = g_strdup(features->pdata[i]);
	t->kind = kind;
	g_rw_lock_writer_lock(&m->lock);
	g_ptr_array_add(m->training, t);
	g_rw_lock_writer_unlock(&m->lock);
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void model_fit(mailmodel *m, unsigned min_docs)
{
	g_autoptr(GHashTable) df = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) vocabulary = g_ptr_array_new();
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func(doc_free);
	unsigned per_kind[K] = { 0 };

	g_rw_lock_writer_lock(&m->lock);
	for (guint i = 0; i < m->training->len; i++) {
		struct training_doc *t = m->training->pdata[i];
		per_kind[t->kind]++;
		for (char **f = t->features; *f; f++)
			g_hash_table_insert(df, *f, GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(df, *f)) + 1));
	}
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, df);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (GPOINTER_TO_UINT(value) >= min_docs)
			g_ptr_array_add(vocabulary, key);
	g_ptr_array_sort(vocabulary, cmp_names);
	/* a model fitted again starts from nothing */
	g_hash_table_remove_all(m->index);
	g_ptr_array_set_size(m->names, 0);
	g_array_set_size(m->w, 0);
	g_array_set_size(m->u, 0);
	g_ptr_array_set_size(m->lessons, 0);
	for (guint i = 0; i < vocabulary->len; i++)
		feature_index(m, vocabulary->pdata[i], true);
	m->shipped_names = m->names->len;
	for (int k = 0; k < K; k++) {
		m->docs[k] = per_kind[k];
		m->bias[k] = 0;
	}
	for (guint i = 0; i < m->training->len; i++) {
		struct training_doc *t = m->training->pdata[i];
		g_autoptr(GPtrArray) features = g_ptr_array_new();
		for (char **f = t->features; *f; f++)
			g_ptr_array_add(features, *f);
		struct doc *d = doc_of(m, features, t->kind, false);
		d->weight = pow((double)m->training->len / (K * (double)per_kind[t->kind]), m->balance);
		g_ptr_array_add(docs, d);
	}
	fit((double *)(void *)m->w->data, m->bias, true, m->names->len, docs, NULL, m->lambda, TRAIN_ITERATIONS);
	g_ptr_array_set_size(m->training, 0);
	g_rw_lock_writer_unlock(&m->lock);
}

void model_set_params(mailmodel *m, double lambda, double balance)
{
	g_rw_lock_writer_lock(&m->lock);
	if (lambda > 0)
		m->lambda = lambda;
	if (balance >= 0)
		m->balance = balance;
	g_rw_lock_writer_unlock(&m->lock);
}

/* Fits the lesson weights again, from nothing, on every lesson, over the features the
 * lessons hold (numbered anew, so that the work grows with the lessons, not with the
 * model). Under the write lock. */
static void refit_lessons(mailmodel *m)
{
	double *u = (double *)(void *)m->u->data, no_bias[K] = { 0 };
	g_autoptr(GHashTable) compact = g_hash_table_new(NULL, NULL); /* id + 1 -> compact id + 1 */
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint)); /* compact id -> id */
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func(doc_free);

	memset(u, 0, m->names->len * K * sizeof *u);
	m->stale = false;
	if (!m->lessons->len)
		return;
	g_autofree double *base = g_new(double, (gsize)m->lessons->len * K);
	for (guint i = 0; i < m->lessons->len; i++) {
		const struct doc *d = m->lessons->pdata[i];
		struct doc *c = g_new0(struct doc, 1);
		scores((const double *)(const void *)m->w->data, m->bias, d, NULL, base + (gsize)i * K);
		*c = (struct doc){ .ids = g_new(guint, d->n + 1), .n = d->n, .kind = d->kind, .weight = d->weight };
		for (guint f = 0; f < d->n; f++) {
			gpointer at = g_hash_table_lookup(compact, GUINT_TO_POINTER(d->ids[f] + 1));
			if (!at) {
				g_array_append_val(ids, d->ids[f]);
				at = GUINT_TO_POINTER(ids->len);
				g_hash_table_insert(compact, GUINT_TO_POINTER(d->ids[f] + 1), at);
			}
			c->ids[f] = GPOINTER_TO_UINT(at) - 1;
		}
		g_ptr_array_add(docs, c);
	}
	g_autofree double *cu = g_new0(double, (gsize)ids->len * K);
	/* the lessons' weights are the features' alone: a bias would tilt every message
	 * towards the kinds the user happened to teach */
	fit(cu, no_bias, false, ids->len, docs, base, LESSON_LAMBDA, LESSON_ITERATIONS);
	for (guint i = 0; i < ids->len; i++)
		memcpy(u + (gsize)g_array_index(ids, guint, i) * K, cu + (gsize)i * K, K * sizeof *cu);
}

/* Takes the read lock, having fitted the lesson weights first when lessons changed since. */
static void read_lock_fresh(mailmodel *m)
{
	g_rw_lock_reader_lock(&m->lock);
	if (!m->stale)
		return;
	g_rw_lock_reader_unlock(&m->lock);
	g_rw_lock_writer_lock(&m->lock);
	if (m->stale)
		refit_lessons(m);
	g_rw_lock_writer_unlock(&m->lock);
	g_rw_lock_reader_lock(&m->lock);
}

void model_learn(mailmodel *m, GPtrArray *features, enum mail_kind kind)
{
	g_rw_lock_writer_lock(&m->lock);
	struct doc *d = doc_of(m, features, kind, true);
	d->weight = MODEL_LESSON_WEIGHT;
	g_ptr_array_add(m->lessons, d);
	m->stale = true;
	g_rw_lock_writer_unlock(&m->lock);
}

/* Whether a and b hold the same features. */
static bool same_doc(const struct doc *a, const struct doc *b)
{
	return a->kind == b->kind && a->n == b->n && memcmp(a->ids, b->ids, a->n * sizeof *a->ids) == 0;
}

void model_unlearn(mailmodel *m, GPtrArray *features, enum mail_kind kind)
{
	g_rw_lock_writer_lock(&m->lock);
	struct doc *d = doc_of(m, features, kind, false);
	for (guint i = m->lessons->len; i-- > 0;)
		if (same_doc(m->lessons->pdata[i], d)) {
			g_ptr_array_remove_index(m->lessons, i);
			m->stale = true;
			break;
		}
	doc_free(d);
	g_rw_lock_writer_unlock(&m->lock);
}

unsigned model_shipped_count(mailmodel *m)
{
	unsigned n = 0;
	g_rw_lock_reader_lock(&m->lock);
	for (int k = 0; k < K; k++)
		n += m->docs[k];
	g_rw_lock_reader_unlock(&m->lock);
	return n;
}

unsigned model_lesson_count(mailmodel *m)
{
	g_rw_lock_reader_lock(&m->lock);
	unsigned n = m->lessons->len;
	g_rw_lock_reader_unlock(&m->lock);
	return n;
}

/* ---- classification ---- */

void model_guess_clear(struct model_guess *g)
{
	for (int i = 0; i < MODEL_MAX_PHRASES; i++)
		g_free(g->phrases[i]);
	memset(g, 0, sizeof *g);
}

/* A feature as a person reads it. g_free. */
static char *phrase_text(const char *feature)
{
	static const struct { const char *prefix, *say; } names[] = {
		{ "s:", "subject: " }, { "from:", "sender: " }, { "domain:", "sender's domain: " },
		{ "has:", "has: " }, { "link:", "link: " }, { "rule:", "rule " },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_str_has_prefix(feature, names[i].prefix))
			return g_strconcat(names[i].say, feature + strlen(names[i].prefix), NULL);
	return g_strdup_printf("\"%s\"", feature);
}

struct weighed {
	const char *feature;
	double weight;
};

static gint cmp_weighed(gconstpointer a, gconstpointer b)
{
	const struct weighed *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->feature, y->feature);
}

int model_classify(mailmodel *m, GPtrArray *features, struct model_guess *ret_guess)
{
	struct model_guess g = { 0 };
	double score[K], no_bias[K] = { 0 };
	unsigned trained = 0;

	read_lock_fresh(m);
	for (int k = 0; k < K; k++)
		trained += m->docs[k];
	if (!trained && !m->lessons->len) {
		g_rw_lock_reader_unlock(&m->lock);
		return -ENODATA;
	}
	struct doc *d = doc_of(m, features, 0, false);
	const double *w = (const double *)(const void *)m->w->data, *u = (const double *)(const void *)m->u->data;
	double shipped[K];
	scores(w, m->bias, d, NULL, shipped);
	scores(u, no_bias, d, shipped, score);
	memcpy(g.p, score, sizeof score);
	softmax(g.p);
	int best = 0, second = -1;
	for (int k = 1; k < K; k++)
		if (g.p[k] > g.p[best])
			best = k;
	for (int k = 0; k < K; k++)
		if (k != best && (second < 0 || g.p[k] > g.p[second]))
			second = k;
	g.kind = (enum mail_kind)best;
	g.confidence = g.p[best];

	/* what weighed most for the guess against the runner-up */
	g_autoptr(GArray) weighed = g_array_new(FALSE, FALSE, sizeof(struct weighed));
	for (guint i = 0; i < d->n; i++) {
		gsize at = (gsize)d->ids[i] * K;
		double diff = (w[at + best] + u[at + best]) - (w[at + second] + u[at + second]);
		if (diff > 0) {
			struct weighed x = { m->names->pdata[d->ids[i]], diff };
			g_array_append_val(weighed, x);
		}
	}
	g_array_sort(weighed, cmp_weighed);
	for (guint i = 0; i < weighed->len && i < MODEL_MAX_PHRASES; i++)
		g.phrases[i] = phrase_text(g_array_index(weighed, struct weighed, i).feature);
	g_rw_lock_reader_unlock(&m->lock);
	doc_free(d);
	*ret_guess = g;
	return 0;
}

/* ---- the model file ---- */

/* Appends K numbers to out, to 6 significant digits, -0 written as 0. */
static void append_numbers(GString *out, const double *v)
{
	for (int k = 0; k < K; k++) {
		char num[32];
		g_ascii_formatd(num, sizeof num, "%.6g", v[k] == 0 ? 0 : v[k]);
		g_string_append_printf(out, "%s%s", k ? " " : "", strcmp(num, "-0") == 0 ? "0" : num);
	}
}

int model_save(mailmodel *m, const char *path, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	char num[G_ASCII_DTOSTR_BUF_SIZE];

	g_rw_lock_reader_lock(&m->lock);
	g_string_append_printf(out, MODEL_MAGIC " %d\n", MODEL_FORMAT);
	g_string_append(out, "# apptrack's mail model (model.h): logistic regression weights, made by `cmake --build "
			     "BUILD --target model`.\n# Do not edit by hand.\nkinds");
	for (int k = 0; k < K; k++)
		g_string_append_printf(out, " %s", mail_kind_name(k));
	g_string_append(out, "\ndocs");
	for (int k = 0; k < K; k++)
		g_string_append_printf(out, " %u", m->docs[k]);
	g_string_append_printf(out, "\nlambda %s\nbias ", g_ascii_formatd(num, sizeof num, "%.6g", m->lambda));
	append_numbers(out, m->bias);
	g_string_append_c(out, '\n');
	const double *w = (const double *)(const void *)m->w->data;
	for (guint i = 0; i < m->shipped_names; i++) {
		g_string_append_printf(out, "w\t%s\t", (const char *)m->names->pdata[i]);
		append_numbers(out, w + (gsize)i * K);
		g_string_append_c(out, '\n');
	}
	g_rw_lock_reader_unlock(&m->lock);
	if (!g_file_set_contents(path, out->str, (gssize)out->len, NULL))
		return at_error_set(error, -EIO, "%s: cannot write the model", path);
	return 0;
}

/* Reads n unsigned numbers separated by single spaces from s into v; false when s is not
 * exactly that. */
static bool parse_counts(const char *s, guint32 *v, int n)
{
	for (int k = 0; k < n; k++) {
		char *end = NULL;
		if (!g_ascii_isdigit(*s))
			return false;
		guint64 x = g_ascii_strtoull(s, &end, 10);
		if (x > G_MAXUINT32 || (k + 1 < n ? *end != ' ' : *end != '\0'))
			return false;
		v[k] = (guint32)x;
		s = end + (k + 1 < n);
	}
	return true;
}

/* Reads K finite numbers separated by single spaces, bounded by MODEL_MAX_WEIGHT. */
#define MODEL_MAX_WEIGHT 1e6
static bool parse_weights(const char *s, double *v)
{
	for (int k = 0; k < K; k++) {
		char *end = NULL;
		if (!*s || *s == ' ')
			return false;
		v[k] = g_ascii_strtod(s, &end);
		if (end == s || !isfinite(v[k]) || fabs(v[k]) > MODEL_MAX_WEIGHT || (k + 1 < K ? *end != ' ' : *end != '\0'))
			return false;
		s = end + (k + 1 < K);
	}
	return true;
}

/* Parses the text of a model file into m. "LINE: problem" on failure (g_free). */
static char *parse_model(mailmodel *m, char *text)
{
	unsigned line_no = 0;
	bool kinds = false, docs = false, bias = false;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line_no++;
		if (line_no == 1) {
			if (!g_str_has_prefix(line, MODEL_MAGIC " "))
				return g_strdup_printf("1: not an apptrack model (no \"" MODEL_MAGIC "\" line)");
			int format = atoi(line + strlen(MODEL_MAGIC " "));
			if (format != MODEL_FORMAT)
				return g_strdup_printf("1: model format %d; this apptrack reads format %d", format,
						       MODEL_FORMAT);
			continue;
		}
		if (*line == '#' || *line == '\0')
			continue;
		if (g_str_has_prefix(line, "w\t")) {
			char *tab = strchr(line + 2, '\t');
			double v[K];
			if (!kinds || !docs || !bias || !tab || tab == line + 2 || !parse_weights(tab + 1, v))
				return g_strdup_printf("%u: expected \"w<TAB>FEATURE<TAB>%d weights\" after kinds, docs and "
						       "bias", line_no, K);
			*tab = '\0';
			if (!g_utf8_validate(line + 2, -1, NULL) || feature_index(m, line + 2, false) >= 0)
				return g_strdup_printf("%u: feature given twice or not UTF-8", line_no);
			gint64 id = feature_index(m, line + 2, true);
			memcpy(&g_array_index(m->w, double, (gsize)id * K), v, sizeof v);
		} else if (g_str_has_prefix(line, "kinds ")) {
			g_autoptr(GString) want = g_string_new("kinds");
			for (int k = 0; k < K; k++)
				g_string_append_printf(want, " %s", mail_kind_name(k));
			if (strcmp(line, want->str) != 0)
				return g_strdup_printf("%u: the model's kinds are not this apptrack's (%s)", line_no, want->str);
			kinds = true;
		} else if (g_str_has_prefix(line, "docs ")) {
			if (!parse_counts(line + 5, m->docs, K))
				return g_strdup_printf("%u: expected \"docs\" and %d counts", line_no, K);
			docs = true;
		} else if (g_str_has_prefix(line, "bias ")) {
			if (!parse_weights(line + 5, m->bias))
				return g_strdup_printf("%u: expected \"bias\" and %d numbers", line_no, K);
			bias = true;
		} else if (g_str_has_prefix(line, "lambda ")) {
			char *end = NULL;
			m->lambda = g_ascii_strtod(line + 7, &end);
			if (end == line + 7 || *end || !isfinite(m->lambda) || m->lambda <= 0)
				return g_strdup_printf("%u: lambda must be a positive number", line_no);
		} else {
			return g_strdup_printf("%u: unknown line", line_no);
		}
	}
	if (line_no == 0)
		return g_strdup("1: empty file");
	if (!kinds || !docs || !bias)
		return g_strdup_printf("%u: the model has no %s line", line_no, !kinds ? "kinds" : !docs ? "docs" : "bias");
	m->shipped_names = m->names->len;
	return NULL;
}

int model_load(const char *path, mailmodel **ret_model, GError **error)
{
	g_autofree char *text = NULL;
	size_t len = 0;
	GError *read_error = NULL;
	int r = paths_read_bounded(path, MODEL_FILE_MAX, PATHS_READ_FILES, "the mail model", &text, &len, &read_error);

	if (r < 0) {
		at_error_set(error, r, "%s", read_error->message);
		g_error_free(read_error);
		return r;
	}
	if (memchr(text, '\0', len))
		return at_error_set(error, -EINVAL, "%s: not an apptrack model (binary data)", path);
	mailmodel *m = model_new();
	g_autofree char *problem = parse_model(m, text);
	if (problem) {
		model_unref(m);
		return at_error_set(error, -EINVAL, "%s:%s", path, problem);
	}
	*ret_model = m;
	return 0;
}
