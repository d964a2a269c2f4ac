/* SPDX-License-Identifier: GPL-3.0-or-later */
/* matching.c - `match` requests: resume and job descriptions from the store or the
 * client, scored with match.c, keywords and a suggestion per result (matching.h). */
#include "apptrack/matching.h"

#include "apptrack/error.h"
#include "apptrack/match.h"
#include "apptrack/applications.h"
#include "apptrack/profile.h"
#include "apptrack/resumes.h"

#include <math.h>
#include <string.h>

#define SCORE_DECIMALS 1e6 /* scores are reported to 6 decimals, as the reference */

/* One job description to score. */
struct target {
	int64_t id; /* 0: the client's text */
	char *company, *position, *text;
	size_t doc; /* its document in the corpus index */
};

static void target_clear(gpointer p)
{
	struct target *t = p;
	g_free(t->company);
	g_free(t->position);
	g_free(t->text);
}

/* The applications with a job description, id order: all of them, or only application
 * only (when > 0). */
static int load_targets(store *s, int64_t only, GArray *targets, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
			      "SELECT id, company, position, job_description FROM applications "
			      "WHERE job_description IS NOT NULL AND trim(job_description) <> '' AND (?1 = 0 OR id = ?1) "
			      "ORDER BY id",
			      &st, error);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, only);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct target t = { .id = sqlite3_column_int64(st, 0),
				    .company = g_strdup((const char *)sqlite3_column_text(st, 1)),
				    .position = g_strdup((const char *)sqlite3_column_text(st, 2)),
				    .text = g_strdup((const char *)sqlite3_column_text(st, 3)) };
		g_array_append_val(targets, t);
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? 0 : store_error(s, error, "reading job descriptions");
}

/* The resume text with the profile's skills, and its name ("(file)" for a sent text). */
static int load_resume(store *s, const struct matching_request *req, char **ret_name, char **ret_text, GError **error)
{
	g_autofree char *name = NULL, *text = NULL, *skills = NULL;
	int r;

	if (req->resume_text) {
		name = g_strdup("(file)");
		text = g_strdup(req->resume_text);
	} else if ((r = resume_text(s, req->resume_name, &name, &text, error)) < 0) {
		return r;
	}
	if ((r = profile_skills(s, &skills, error)) < 0)
		return r;
	*ret_name = g_steal_pointer(&name);
	*ret_text = *skills ? g_strconcat(text, "\n", skills, "\n", NULL) : g_steal_pointer(&text);
	return 0;
}

static json_t *string_array(const GPtrArray *a)
{
	json_t *j = json_array();

	for (guint i = 0; i < a->len; i++)
		json_array_append_new(j, json_string(a->pdata[i]));
	return j;
}

static json_t *result_json(match_index *m, const struct target *t, size_t doc, double cosine, const char *resume_name,
			   const match_resume *resume, bool pair)
{
	struct match_keywords k = { 0 };
	json_t *o = json_object();

	match_keywords_find(m, doc, t->text, resume, &k);
	json_object_set_new(o, "score", json_real(round(cosine * 100.0 * SCORE_DECIMALS) / SCORE_DECIMALS));
	json_object_set_new(o, "mode", json_string(pair ? "pair" : "corpus"));
	json_object_set_new(o, "resume", json_string(resume_name));
	if (t->id)
		json_object_set_new(o, "application",
				    json_pack("{sI ss ss}", "id", (json_int_t)t->id, "company", t->company, "position",
					      t->position));
	json_object_set_new(o, "matching_keywords", string_array(k.matching));
	json_object_set_new(o, "missing_keywords", string_array(k.missing));
	json_object_set_new(o, "suggestion", json_string(k.suggestion));
	match_keywords_clear(&k);
	return o;
}

static int score_cmp(const void *x, const void *y)
{
	double a = json_real_value(json_object_get(*(json_t *const *)x, "score"));
	double b = json_real_value(json_object_get(*(json_t *const *)y, "score"));

	return (a < b) - (a > b);
}

int matching_run(store *s, const struct matching_request *req, json_t **ret, GError **error)
{
	int targets_given = (req->application > 0) + (req->jd_text != NULL) + req->all;
	g_autoptr(GArray) targets = g_array_new(FALSE, TRUE, sizeof(struct target));
	g_autofree char *resume_name = NULL, *resume = NULL;
	match_index *m = NULL;
	match_resume *terms = NULL;
	json_t *results = NULL;
	struct target *one = NULL; /* the single target, when not all */
	int r;

	g_array_set_clear_func(targets, target_clear);
	if (targets_given != 1)
		return at_error_set(error, -EINVAL,
				    targets_given ? "give one of an application, a job description text or all"
						  : "nothing to match: give an application, a job description text or all");
	if ((r = load_resume(s, req, &resume_name, &resume, error)) < 0)
		return r;
	/* the pair mode needs no other job description than the one scored */
	if (!(req->pair && req->jd_text) &&
	    (r = load_targets(s, req->pair ? req->application : 0, targets, error)) < 0)
		return r;

	if (req->application > 0) {
		for (guint i = 0; i < targets->len; i++)
			if (g_array_index(targets, struct target, i).id == req->application)
				one = &g_array_index(targets, struct target, i);
		if (!one) {
			json_t *app = NULL;
			if ((r = applications_get(s, req->application, &app, error)) < 0)
				return r; /* no such application */
			json_decref(app);
			return at_error_set(error, -ENOENT,
					    "application %" G_GINT64_FORMAT " has no job description: add one with "
					    "apptrackctl edit %" G_GINT64_FORMAT " --jd-file FILE",
					    req->application, req->application);
		}
	} else if (req->jd_text) {
		struct target t = { .text = g_strdup(req->jd_text) };
		g_array_append_val(targets, t);
		one = &g_array_index(targets, struct target, targets->len - 1);
	} else if (targets->len == 0) {
		return at_error_set(error, -ENOENT,
				    "no application has a job description: add one with apptrackctl edit ID --jd-file FILE "
				    "or --jd-url URL");
	}

	m = match_index_new();
	terms = match_resume_new(resume);
	results = json_array();
	if (req->pair) {
		/* each pair fitted alone */
		for (guint i = 0; i < targets->len; i++) {
			struct target *t = &g_array_index(targets, struct target, i);
			if (one && t != one)
				continue;
			double score = 0;
			GError *pe = NULL;
			r = match_pair(m, resume, strlen(resume), t->text, strlen(t->text), &score, &pe);
			if (r < 0 && one) {
				g_propagate_error(error, pe);
				goto fail;
			}
			g_clear_error(&pe);
			json_array_append_new(results,
					      result_json(m, t, 1, r < 0 ? 0.0 : score / 100.0, resume_name, terms, true));
		}
	} else {
		size_t q = match_index_add(m, resume, strlen(resume));
		for (guint i = 0; i < targets->len; i++) {
			struct target *t = &g_array_index(targets, struct target, i);
			t->doc = match_index_add(m, t->text, strlen(t->text));
		}
		if (match_index_fit(m, 0) == 0) {
			r = at_error_set(error, -EINVAL,
					 "nothing to compare: the resume and the job descriptions have no words other "
					 "than stop words");
			goto fail;
		}
		g_autofree double *scores = g_new(double, match_index_documents(m));
		match_index_rank(m, q, scores);
		for (guint i = 0; i < targets->len; i++) {
			struct target *t = &g_array_index(targets, struct target, i);
			if (one && t != one)
				continue;
			json_array_append_new(results, result_json(m, t, t->doc, scores[t->doc], resume_name, terms, false));
		}
	}

	if (one) {
		*ret = json_incref(json_array_get(results, 0));
		json_decref(results);
	} else {
		size_t n = json_array_size(results), limit = req->limit ? req->limit : MATCHING_MAX_RESULTS;
		json_t **items = g_new(json_t *, n);
		for (size_t i = 0; i < n; i++)
			items[i] = json_incref(json_array_get(results, i));
		qsort(items, n, sizeof *items, score_cmp);
		json_array_clear(results);
		for (size_t i = 0; i < n; i++) {
			if (i < limit)
				json_array_append(results, items[i]);
			json_decref(items[i]);
		}
		g_free(items);
		*ret = results;
	}
	match_resume_free(terms);
	match_index_free(m);
	return 0;
fail:
	json_decref(results);
	match_resume_free(terms);
	match_index_free(m);
	return r;
}
