/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mailapply.c - classified mail applied to a real store: confirmations create,
 * later mail advances (never backwards), threads and company names find applications,
 * recruiters become contacts, what cannot be applied is queued for review, nothing is
 * applied twice. Messages come from ../shared/corpus/mail and from the test itself. */
#include "apptrack/applications.h"
#include "apptrack/mailapply.h"
#include "change.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
static const struct mail_policy policy = { .delays = &delays, .review_below = 0.6, .create_at_least = 0.8 };

struct fixture {
	char *dir;
	store *s;
	rules *r;
};

static int setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	const char *src = g_getenv("SOURCE_DIR");
	g_autofree char *rules_dir = g_build_filename(src ? src : "..", "rules", NULL);
	f->dir = g_dir_make_tmp("apptrack-mailapply-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(f->dir, "t.db", NULL);
	assert_int_equal(store_open(path, &f->s, NULL), 0);
	f->r = rules_new();
	assert_int_equal(rules_load_dir(f->r, rules_dir, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	store_close(f->s);
	rules_free(f->r);
	assert_int_equal(system(cmd), 0);
	g_free(f->dir);
	g_free(f);
	return 0;
}

/* Classifies and applies raw mail; returns the outcome, *ret_id the id concerned. */
static enum apply_outcome feed_raw(struct fixture *f, const char *raw, size_t len, int64_t *ret_id)
{
	struct mime_message *m = NULL;
	struct rule_match match = { 0 };
	struct mail_origin origin = { "test", "INBOX", 1 };
	enum apply_outcome outcome;
	GError *error = NULL;
	int64_t id = 0;

	assert_int_equal(mime_parse(raw, len, &m, NULL), 0);
	int matched = rules_classify(f->r, m, &match);
	if (mailapply_message(f->s, &policy, m, matched ? &match : NULL, raw, len, &origin, &outcome, &id, &error) < 0)
		fail_msg("apply: %s", error->message);
	rule_match_clear(&match);
	mime_message_free(m);
	if (ret_id)
		*ret_id = id;
	return outcome;
}

static enum apply_outcome feed(struct fixture *f, const char *corpus_file, int64_t *ret_id)
{
	const char *shared = g_getenv("SHARED_DIR");
	g_autofree char *path = g_build_filename(shared ? shared : "../shared", "corpus", "mail", corpus_file, NULL);
	g_autofree char *raw = NULL;
	gsize len;
	if (!g_file_get_contents(path, &raw, &len, NULL))
		fail_msg("cannot read %s", path);
	return feed_raw(f, raw, len, ret_id);
}

static json_t *show(struct fixture *f, int64_t id)
{
	json_t *app = NULL;
	assert_int_equal(applications_show(f->s, id, &app, NULL), 0);
	return app;
}

static const char *field(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t count(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->s), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_confirmation_then_rejection(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0, id2 = 0;

	assert_int_equal(feed(f, "lever_algorithmia_confirmation_inferred.eml", &id), APPLY_CREATED);
	json_t *app = show(f, id);
	assert_string_equal(field(app, "company"), "Algorithmia");
	assert_string_equal(field(app, "status"), "applied");
	assert_string_equal(field(app, "source"), "lever");
	assert_string_equal(field(app, "applied_at"), "2019-01-08"); /* the mail's date */
	json_decref(app);

	assert_int_equal(feed(f, "lever_algorithmia_rejection_inferred.eml", &id2), APPLY_UPDATED);
	assert_int_equal(id2, id);
	app = show(f, id);
	assert_string_equal(field(app, "status"), "rejected");
	/* created, email, status_change, email */
	json_t *events = json_object_get(app, "events");
	assert_int_equal(json_array_size(events), 4);
	json_t *last = json_array_get(events, 3);
	assert_string_equal(field(last, "kind"), "email");
	assert_string_equal(field(last, "text"), "Algorithmia application feedback");
	assert_string_equal(field(last, "message_id"), "coderaulic-rejected-2-1@reconstructed.invalid");
	/* stamped with the mail's date, not the clock */
	assert_true(g_str_has_prefix(field(last, "at"), "2019-01-23"));
	/* every event a mail made names it: the creation, and the status change with its email */
	static const struct {
		const char *kind, *subject;
	} made[] = { { "created", "Thank you for applying to Algorithmia" },
		     { "email", "Thank you for applying to Algorithmia" },
		     { "status_change", "Algorithmia application feedback" },
		     { "email", "Algorithmia application feedback" } };
	for (size_t i = 0; i < G_N_ELEMENTS(made); i++) {
		json_t *e = json_array_get(events, i);
		assert_string_equal(field(e, "kind"), made[i].kind);
		assert_string_equal(field(e, "mail_from"), "Algorithmia <no-reply@hire.lever.co>");
		assert_string_equal(field(e, "mail_subject"), made[i].subject);
	}
	json_decref(app);
	/* a change of the user's names no mail */
	json_t *edit = json_pack("{s:s}", "notes", "called them");
	assert_int_equal(applications_edit(PIPE_WITH(f->s, &delays), id, edit, NULL), 0);
	json_decref(edit);
	app = show(f, id);
	last = json_array_get(json_object_get(app, "events"), 4);
	assert_string_equal(field(last, "kind"), "edit");
	assert_null(json_object_get(last, "mail_from"));
	assert_null(json_object_get(last, "mail_subject"));
	json_decref(app);

	/* the same messages again: nothing doubles */
	assert_int_equal(feed(f, "lever_algorithmia_rejection_inferred.eml", NULL), APPLY_DUPLICATE);
	assert_int_equal(feed(f, "lever_algorithmia_confirmation_inferred.eml", NULL), APPLY_DUPLICATE);
	assert_int_equal(count(f, "SELECT count(*) FROM applications"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE kind = 'email'"), 2);
}

static void test_never_backwards(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;

	assert_int_equal(feed(f, "indeed_apply_apptio_confirmation_2019.eml", &id), APPLY_CREATED);
	assert_int_equal(feed(f, "coderaulic_apptio_phone_interview_confirmation.eml", NULL), APPLY_UPDATED);
	json_t *app = show(f, id);
	assert_string_equal(field(app, "status"), "screen");
	assert_string_equal(field(app, "position"), "Software Development Engineer I");
	json_decref(app);
	/* a person moves it to onsite; another confirmation or interview mail does not undo that */
	assert_int_equal(applications_set_status(PIPE_WITH(f->s, &delays), id, "onsite", NULL, 0, NULL, NULL), 0);
	const char *again = "From: Coordinator <coordinator@apptio.example>\r\n"
			    "Subject: Apptio Phone Interview reminder\r\nMessage-ID: <again@apptio.example>\r\n"
			    "Date: Mon, 11 Mar 2019 10:00:00 +0000\r\n\r\nYour interview has been scheduled.\r\n";
	assert_int_equal(feed_raw(f, again, strlen(again), NULL), APPLY_UNCHANGED);
	app = show(f, id);
	assert_string_equal(field(app, "status"), "onsite");
	json_decref(app);
}

static void test_thread_finds_application(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0, got = 0;
	const char *first = "From: Jobs <jobs@acme.example>\r\nSubject: Thanks for applying to Acme\r\n"
			    "Message-ID: <first@acme.example>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\n\r\n"
			    "We have received your application for the Platform Engineer position.\r\n";
	/* a reply from a person whose message names no company the rules can find */
	const char *reply = "From: Pat Doe <pat@gmail.com>\r\nSubject: Re: next steps\r\n"
			    "Message-ID: <reply@gmail.com>\r\nIn-Reply-To: <first@acme.example>\r\n"
			    "Date: Tue, 3 Nov 2026 09:00:00 +0000\r\n\r\n"
			    "Could you share your availability for a call this week?\r\n";
	(void)state;

	assert_int_equal(feed_raw(f, first, strlen(first), &id), APPLY_CREATED);
	assert_int_equal(feed_raw(f, reply, strlen(reply), &got), APPLY_UPDATED);
	assert_int_equal(got, id);
	json_t *app = show(f, id);
	assert_string_equal(field(app, "status"), "screen");
	json_decref(app);
}

static void test_company_and_position_matching(void **state)
{
	struct fixture *f = *state;
	int64_t a = 0, b = 0, got = 0;
	json_t *fields = json_pack("{s:s,s:s}", "company", "ExampleCo, Inc.", "position", "Datacenter Operations Manager");
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &a, NULL), 0);
	json_decref(fields);
	fields = json_pack("{s:s,s:s}", "company", "exampleco", "position", "Senior Deployment Engineer");
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &b, NULL), 0);
	json_decref(fields);

	/* two open ExampleCo applications: the position decides */
	assert_int_equal(feed(f, "findajob_greenhouse_rejection_fixture.eml", &got), APPLY_UPDATED);
	assert_int_equal(got, a);
	assert_int_equal(feed(f, "findajob_ashby_rejection_fixture.eml", &got), APPLY_UPDATED);
	assert_int_equal(got, b);
	json_t *app = show(f, b);
	assert_string_equal(field(app, "status"), "rejected");
	json_decref(app);
}

static void test_review_queue(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;

	/* an assessment for a company nobody applied to: review, with the reason and the raw mail */
	assert_int_equal(feed(f, "hackerrank_quantcast_code_challenge_invite.eml", &id), APPLY_REVIEW);
	assert_true(id > 0);
	assert_int_equal(count(f, "SELECT count(*) FROM review WHERE reason = 'no application for this company' "
				  "AND company = 'Quantcast' AND kind = 'assessment' AND length(raw) > 100"),
			 1);
	/* two open applications, no position to choose by */
	json_t *fields = json_pack("{s:s,s:s}", "company", "Peraton", "position", "Analyst");
	int64_t x;
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &x, NULL), 0);
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &x, NULL), 0);
	json_decref(fields);
	assert_int_equal(feed(f, "icims_peraton_rejection.eml", NULL), APPLY_REVIEW);
	assert_int_equal(count(f, "SELECT count(*) FROM review WHERE reason LIKE 'several%'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM applications WHERE status = 'rejected'"), 0);
	/* queued messages are remembered: a rescan does not queue them twice */
	assert_int_equal(feed(f, "icims_peraton_rejection.eml", NULL), APPLY_DUPLICATE);
	assert_int_equal(count(f, "SELECT count(*) FROM review"), 2);
}

static void test_recruiter_and_noise(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0, again = 0;

	assert_int_equal(feed(f, "coderaulic_revature_recruiter_outreach.eml", &id), APPLY_CONTACT);
	assert_int_equal(count(f, "SELECT count(*) FROM contacts WHERE company = 'Revature' AND "
				  "email = 'recruiter@revature.example'"),
			 1);
	const char *more = "From: Recruiter <recruiter@revature.example>\r\nSubject: Following up\r\n"
			   "Message-ID: <more@revature.example>\r\n\r\nI came across your resume again.\r\n";
	assert_int_equal(feed_raw(f, more, strlen(more), &again), APPLY_CONTACT);
	assert_int_equal(again, id); /* the same contact, by address */
	assert_int_equal(feed(f, "linkedin_job_alert_digest_1_noise.eml", NULL), APPLY_IGNORED);
	assert_int_equal(feed(f, "newsletter_thebatch_noise.eml", NULL), APPLY_IGNORED);
	const char *lunch = "From: friend@example.org\r\nSubject: lunch\r\n\r\nPizza?\r\n"; /* no Message-ID */
	assert_int_equal(feed_raw(f, lunch, strlen(lunch), NULL), APPLY_IGNORED);
	assert_int_equal(feed_raw(f, lunch, strlen(lunch), NULL), APPLY_DUPLICATE); /* by content hash */
	assert_int_equal(count(f, "SELECT count(*) FROM applications"), 0);
}

/* Applies a verdict made by hand (the model's, at a confidence) to a small message. */
static enum apply_outcome feed_verdict(struct fixture *f, const char *id, enum mail_kind kind, double confidence,
				       const char *company, int64_t *ret_id)
{
	g_autofree char *raw = g_strdup_printf("From: Jobs <jobs@%s.example>\r\nSubject: About your application\r\n"
					       "Message-ID: <%s@test>\r\n\r\nHello.\r\n",
					       company, id);
	struct mime_message *m = NULL;
	struct rule_match match = { .kind = kind, .layer = LAYER_MODEL, .confidence = confidence,
				    .company = g_strdup(company) };
	enum apply_outcome outcome;
	GError *error = NULL;

	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	match.phrases = g_new0(char *, 2);
	match.phrases[0] = g_strdup("\"hello\"");
	if (mailapply_message(f->s, &policy, m, &match, raw, strlen(raw), NULL, &outcome, ret_id, &error) < 0)
		fail_msg("apply: %s", error->message);
	rule_match_clear(&match);
	mime_message_free(m);
	return outcome;
}

/* [mail] review_below and create_at_least (policy: 0.6 and 0.8): an unsure verdict changes
 * nothing and is queued with what the daemon saw; creating needs more than advancing. */
static void test_confidence(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;

	/* below review_below: queued, whatever the kind, with the verdict kept */
	assert_int_equal(feed_verdict(f, "a", MAIL_REJECTION, 0.55, "Acme", &id), APPLY_REVIEW);
	assert_int_equal(count(f, "SELECT count(*) FROM review WHERE reason LIKE 'not sure what this is: most like a "
				  "rejection (confidence 0.55%' AND json_extract(verdict, '$.guess.kind') = 'rejection' "
				  "AND json_extract(verdict, '$.guess.confidence') = 0.55 AND json_extract(verdict, "
				  "'$.layer') = 'model' AND json_extract(verdict, '$.phrases[0]') = '\"hello\"'"),
			 1);
	/* review.list and review.show hand the verdict out as an object: guess, confidence, candidates */
	json_t *list = NULL, *entry = NULL;
	g_autofree char *raw = NULL;
	size_t len = 0;
	assert_int_equal(mailapply_review_list(f->s, &list, NULL), 0);
	assert_int_equal(mailapply_review_get(f->s, id, &entry, &raw, &len, NULL), 0);
	json_t *verdicts[] = { json_object_get(json_array_get(list, 0), "verdict"), json_object_get(entry, "verdict") };
	for (size_t i = 0; i < G_N_ELEMENTS(verdicts); i++) {
		assert_string_equal(field(json_object_get(verdicts[i], "guess"), "kind"), "rejection");
		assert_true(json_real_value(json_object_get(json_object_get(verdicts[i], "guess"), "confidence")) == 0.55);
		assert_true(json_is_array(json_object_get(verdicts[i], "company_candidates")));
	}
	json_decref(list);
	json_decref(entry);
	/* a confirmation sure enough to act on but not to create: queued */
	assert_int_equal(feed_verdict(f, "b", MAIL_CONFIRMATION, 0.7, "Acme", NULL), APPLY_REVIEW);
	assert_int_equal(count(f, "SELECT count(*) FROM review WHERE reason LIKE 'not sure enough to create%'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM applications"), 0);
	/* sure enough to create */
	assert_int_equal(feed_verdict(f, "c", MAIL_CONFIRMATION, 0.85, "Acme", &id), APPLY_CREATED);
	/* advancing an application that exists needs only review_below */
	assert_int_equal(feed_verdict(f, "d", MAIL_INTERVIEW, 0.65, "Acme", NULL), APPLY_UPDATED);
	assert_int_equal(count(f, "SELECT count(*) FROM applications WHERE status = 'screen'"), 1);
	/* a sure noise or recruiter verdict never creates an application */
	assert_int_equal(feed_verdict(f, "e", MAIL_NOISE, 0.99, "Beta", NULL), APPLY_IGNORED);
	assert_int_equal(feed_verdict(f, "f", MAIL_RECRUITER, 0.99, "Beta", NULL), APPLY_CONTACT);
	assert_int_equal(count(f, "SELECT count(*) FROM applications"), 1);
	/* the unsure entry, applied by the user as a rejection of Acme's application: no
	 * confidence is asked for then */
	enum apply_outcome outcome;
	int64_t queued = 0;
	assert_int_equal(count(f, "SELECT count(*) FROM review"), 2);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->s), "SELECT id FROM review WHERE reason LIKE 'not sure what%'",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	queued = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(mailapply_review_apply(f->s, &policy, queued, NULL, NULL, MAIL_REJECTION, id, &outcome, NULL,
						NULL),
			 0);
	assert_int_equal(outcome, APPLY_UPDATED);
	assert_int_equal(count(f, "SELECT count(*) FROM applications WHERE status = 'rejected'"), 1);
}

static void test_whole_corpus(void **state)
{
	struct fixture *f = *state;
	const char *shared = g_getenv("SHARED_DIR");
	g_autofree char *dir = g_build_filename(shared ? shared : "../shared", "corpus", "mail", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	int n = 0;

	assert_non_null(d);
	while ((name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".eml"))
			continue;
		feed(f, name, NULL);
		n++;
	}
	/* every message remembered once; integrity kept */
	assert_int_equal(count(f, "SELECT count(*) FROM messages"), n);
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE application_id NOT IN (SELECT id FROM applications)"), 0);
	assert_true(count(f, "SELECT count(*) FROM applications") >= 8);
	assert_int_equal(count(f, "SELECT count(*) FROM applications WHERE company = 'TikTok' AND source = 'linkedin'"), 1);
}

/* The review commands as the daemon runs them: the entry read (parsed, classified), then
 * applied. */
static int review_apply(struct fixture *f, int64_t id, int64_t app, enum apply_outcome *ret_outcome, int64_t *ret_id,
			GError **error)
{
	g_autofree char *raw = NULL;
	struct mime_message *m = NULL;
	struct rule_match match = { 0 };
	json_t *entry = NULL;
	size_t len = 0;
	int matched = 0, r = mailapply_review_get(f->s, id, &entry, &raw, &len, error);

	if (r < 0)
		return r;
	json_decref(entry);
	if (raw && mime_parse(raw, len, &m, NULL) == 0)
		matched = rules_classify(f->r, m, &match);
	r = mailapply_review_apply(f->s, &policy, id, m, matched ? &match : NULL, -1, app, ret_outcome, ret_id, error);
	rule_match_clear(&match);
	mime_message_free(m);
	return r;
}

/* review retry: every entry applied on its own; counts what was applied and what stays. */
static void review_retry(struct fixture *f, size_t *ret_applied, size_t *ret_still)
{
	GArray *ids = NULL;
	enum apply_outcome outcome;

	*ret_applied = *ret_still = 0;
	assert_int_equal(mailapply_review_ids(f->s, &ids, NULL), 0);
	for (guint i = 0; i < ids->len; i++) {
		GError *error = NULL;
		int r = review_apply(f, g_array_index(ids, int64_t, i), 0, &outcome, NULL, &error);
		if (r == -EAGAIN)
			++*ret_still;
		else if (r == 0)
			++*ret_applied;
		else
			fail_msg("retry: %s", error->message);
		g_clear_error(&error);
	}
	g_array_unref(ids);
}

static void test_review_commands(void **state)
{
	struct fixture *f = *state;
	enum apply_outcome outcome;
	int64_t rid = 0, app = 0, got = 0;
	json_t *list = NULL, *entry = NULL;
	g_autofree char *raw = NULL;
	struct mime_message *m = NULL;
	size_t len = 0, applied = 0, still = 0;
	GError *error = NULL;

	assert_int_equal(feed(f, "hackerrank_quantcast_code_challenge_invite.eml", &rid), APPLY_REVIEW);
	assert_int_equal(mailapply_review_list(f->s, &list, NULL), 0);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(field(json_array_get(list, 0), "reason"), "no application for this company");
	json_decref(list);
	assert_int_equal(mailapply_review_get(f->s, rid, &entry, &raw, &len, NULL), 0);
	assert_int_equal(mime_parse(raw, len, &m, NULL), 0);
	mailapply_review_describe(entry, m, raw, len);
	assert_non_null(strstr(field(entry, "text"), "Code Challenge"));
	mime_message_free(m);
	json_decref(entry);
	/* a message that cannot be read is shown raw */
	g_clear_pointer(&raw, g_free);
	assert_int_equal(mailapply_review_get(f->s, rid, &entry, &raw, &len, NULL), 0);
	mailapply_review_describe(entry, NULL, raw, len);
	assert_null(json_object_get(entry, "text"));
	assert_non_null(strstr(field(entry, "raw"), "Subject:"));
	json_decref(entry);

	/* retry while still nothing to apply it to: stays queued */
	review_retry(f, &applied, &still);
	assert_int_equal(applied, 0);
	assert_int_equal(still, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM review"), 1);
	assert_int_equal(mailapply_review_list(f->s, &list, NULL), 0);
	rid = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	assert_int_equal(review_apply(f, rid, 0, &outcome, &got, &error), -EAGAIN);
	assert_non_null(strstr(error->message, "--app"));
	g_clear_error(&error);
	assert_int_equal(count(f, "SELECT count(*) FROM review"), 1); /* the failed apply changed nothing */

	/* once the application exists, retry applies it */
	json_t *fields = json_pack("{s:s,s:s}", "company", "Quantcast", "position", "Software Engineer");
	assert_int_equal(applications_add(PIPE_WITH(f->s, &delays), fields, 0, &app, NULL), 0);
	json_decref(fields);
	review_retry(f, &applied, &still);
	assert_int_equal(applied, 1);
	assert_int_equal(still, 0);
	json_t *shown = show(f, app);
	assert_string_equal(field(shown, "status"), "assessment");
	json_decref(shown);
	assert_int_equal(count(f, "SELECT count(*) FROM review"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM messages WHERE application_id IS NOT NULL"), 1);

	/* apply to a chosen application, and drop */
	assert_int_equal(feed(f, "icims_simventions_rejection.eml", &rid), APPLY_REVIEW);
	assert_int_equal(review_apply(f, rid, app, &outcome, &got, NULL), 0);
	assert_int_equal(got, app);
	shown = show(f, app);
	assert_string_equal(field(shown, "status"), "rejected");
	/* the events of a mail applied by hand name it too */
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE kind IN ('status_change', 'email') "
				  "AND mail_from = 'Tara Pettyjohn <simventions+email+7b7-0d958e4166@talent.icims.com>' "
				  "AND mail_subject = 'Thank You from Simventions, Inc'"),
			 2);
	json_decref(shown);
	assert_int_equal(feed(f, "icims_millennium_interview_request.eml", &rid), APPLY_REVIEW);
	assert_int_equal(mailapply_review_drop(f->s, rid, NULL), 0);
	assert_int_equal(mailapply_review_drop(f->s, rid, &error), -ENOENT);
	g_clear_error(&error);
	assert_int_equal(feed(f, "icims_millennium_interview_request.eml", NULL), APPLY_DUPLICATE); /* not queued again */
	assert_int_equal(review_apply(f, 999, 0, &outcome, &got, &error), -ENOENT);
	g_clear_error(&error);
}

/* The one mapping of mail kinds to statuses (rules test shows it, mail applies it). */
static void test_kind_status(void **state)
{
	static const struct {
		enum mail_kind kind;
		const char *status; /* NULL: moves none */
	} cases[] = {
		{ MAIL_CONFIRMATION, "applied" }, { MAIL_INTERVIEW, "screen" }, { MAIL_ASSESSMENT, "assessment" },
		{ MAIL_REJECTION, "rejected" },   { MAIL_OFFER, "offer" },      { MAIL_RECRUITER, NULL },
		{ MAIL_NOISE, NULL },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		enum app_status st = APP_STATUS_COUNT;
		bool moves = mailapply_kind_status(cases[i].kind, &st);
		assert_int_equal(moves, cases[i].status != NULL);
		if (moves)
			assert_string_equal(status_name(st), cases[i].status);
	}
	assert_false(mailapply_kind_status(MAIL_KIND_COUNT, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_status),
		cmocka_unit_test_setup_teardown(test_confirmation_then_rejection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_backwards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_finds_application, setup, teardown),
		cmocka_unit_test_setup_teardown(test_company_and_position_matching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recruiter_and_noise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_corpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_commands, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
