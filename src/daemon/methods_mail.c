/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods_mail.c - the methods of the mail the daemon reads: rules.test, the review queue
 * (review.list, show, apply, drop, retry) and mail.status, mail.sync, mail.model
 * (docs/protocol.md). mail.learn and mail.unlearn are learning.c's.
 *
 * The methods that read a message hand it to the reader (reading.c), off the main loop,
 * and answer later: their handler returns -EINPROGRESS and the reader's done callback ends
 * the call with call_finish() on the main loop.
 */
#include "methods.h"

#include "apptrack/error.h"
#include "apptrack/lessons.h"
#include "apptrack/mailapply.h"

#include <string.h>

/* The status a message of this kind would give its application (NULL: none). */
static const char *kind_status(enum mail_kind kind)
{
	enum app_status status;
	return mailapply_kind_status(kind, &status) ? status_name(status) : NULL;
}

static json_t *json_string_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

/* ---- methods that read mail: the reading is the reader's (reading.c), off the main loop ---- */

int methods_messages(json_t *params, json_t **ret_messages, GError **error)
{
	json_t *messages = json_object_get(params, "messages"), *item;
	size_t i;

	if (!json_is_array(messages))
		return at_error_set(error, -EINVAL, "parameter \"messages\" must be an array");
	if (json_array_size(messages) > METHODS_MAX_MESSAGES)
		return at_error_set(error, -E2BIG, "at most %d messages at a time", METHODS_MAX_MESSAGES);
	json_array_foreach(messages, i, item) {
		if (!json_is_string(json_object_get(item, "file")) || !json_is_string(json_object_get(item, "raw")))
			return at_error_set(error, -EINVAL, "messages[%zu] needs \"file\" and \"raw\" (base64) strings", i);
	}
	*ret_messages = messages;
	return 0;
}

/* rules.test: classifies raw messages (base64) without storing anything. */
struct rules_test {
	struct call *call;
	struct mail_policy policy; /* the daemon's at the request: the reader must not read d */
	json_t *messages; /* the request's, read-only while the reader reads */
	json_t *results;  /* built by the reader */
	bool stopped;     /* the daemon stopped before every message was read */
};

/* Why the daemon would queue a message whose verdict it is sure enough of: it names no
 * company for a kind that needs one (g_free), or NULL. */
static char *verdict_incomplete(const struct rule_match *match)
{
	return kind_status(match->kind) && !match->company ? g_strdup("no company could be found in the message")
							    : NULL;
}

/* The fields of the verdict (mailapply_verdict_json()) on o, or their empty values when
 * there is none. */
static void set_verdict(json_t *o, const struct rule_match *match)
{
	if (!match) {
		json_object_set_new(o, "layer", json_null());
		json_object_set_new(o, "guess", json_null());
		json_object_set_new(o, "phrases", json_array());
		json_object_set_new(o, "company_candidates", json_array());
		return;
	}
	json_t *verdict = mailapply_verdict_json(match);
	json_object_update(o, verdict);
	json_decref(verdict);
}

static void rules_test_work(struct reader_job *job, void *data)
{
	struct rules_test *t = data;
	const char *model_problem = rules_model_problem(reader_rules(job));
	json_t *item;
	size_t i;

	json_array_foreach(t->messages, i, item) {
		const char *file = json_string_value(json_object_get(item, "file"));
		g_autofree char *what = g_strdup_printf("%s, given to rules test", file);
		const struct read_origin origin = { .what = what };
		struct read_result res;
		gsize len = 0;
		g_autofree guchar *raw = g_base64_decode(json_string_value(json_object_get(item, "raw")), &len);
		json_t *o = json_pack("{s:s}", "file", file);

		if (!reader_read(job, (const char *)raw, len, &origin, READ_CLASSIFY, &res)) {
			t->stopped = true;
			json_decref(o);
			return;
		}
		const struct rule_match *match = res.matched ? &res.match : NULL;
		const char *error = res.quarantined ? MAILAPPLY_QUARANTINE_REASON
				    : !res.message	  ? res.error->message
				    : res.message->refused ? res.message->refused
							   : NULL;
		/* what the daemon would do: act on the verdict, or queue the message (as it
		 * queues one it does not read whole). A verdict not sure enough is not acted on
		 * (kind "none"); one sure enough without a company keeps its kind, since the
		 * message was read right, and waits for the company. */
		g_autofree char *unsure = match ? mailapply_unsure(&t->policy, match, match->kind == MAIL_CONFIRMATION)
						: NULL;
		g_autofree char *review = res.message && res.message->refused
						  ? g_strdup_printf("not read: %s", res.message->refused)
					  : unsure ? g_strdup(unsure)
					  : match  ? verdict_incomplete(match)
						   : NULL;
		const struct rule_match *acted = unsure ? NULL : match;
		json_object_set_new(o, "kind", json_string(acted ? mail_kind_name(acted->kind) : "none"));
		json_object_set_new(o, "company", json_string_or_null(match ? match->company : NULL));
		json_object_set_new(o, "position", json_string_or_null(match ? match->position : NULL));
		json_object_set_new(o, "status", json_string_or_null(acted ? kind_status(acted->kind) : NULL));
		json_object_set_new(o, "rule", json_string_or_null(match ? match->rule : NULL));
		if (match)
			json_object_set_new(o, "source", json_string_or_null(match->source));
		set_verdict(o, match);
		json_object_set_new(o, "review", json_boolean(review != NULL));
		if (review)
			json_object_set_new(o, "review_reason", json_string(review));
		if (model_problem)
			json_object_set_new(o, "model_problem", json_string(model_problem));
		if (error)
			json_object_set_new(o, "error", json_string(error));
		json_array_append_new(t->results, o);
		read_result_clear(&res);
	}
}

static void rules_test_done(struct daemon *d, void *data)
{
	struct rules_test *t = data;
	(void)d;

	if (t->stopped) {
		call_finish(t->call, at_error_set(&t->call->error, -ECANCELED, "apptrackd is stopping"));
		json_decref(t->results);
	} else {
		t->call->result = t->results;
		call_finish(t->call, 0);
	}
	json_decref(t->messages);
	g_free(t);
}

int m_rules_test(struct call *c)
{
	json_t *messages = NULL;
	int r = methods_messages(c->params, &messages, &c->error);

	if (r < 0)
		return r;
	struct rules_test *t = g_new0(struct rules_test, 1);
	t->call = c;
	t->policy = c->d->policy;
	t->messages = json_incref(messages);
	t->results = json_array();
	reader_run(c->d, rules_test_work, rules_test_done, t);
	return -EINPROGRESS;
}

/* A review entry read by the reader, then finished on the main loop. */
struct review_read {
	struct call *call;
	int64_t id;
	int64_t app;        /* review.apply: the application given, or 0 */
	int kind;           /* review.apply: the kind given (enum mail_kind), or -1 */
	unsigned what;      /* what reading it does (enum read_what) */
	json_t *entry;
	char *raw;          /* NULL when the entry never had the message whole */
	size_t len;
	struct read_result res; /* res.message: NULL when it cannot be read (quarantined, never
				 * fetched whole, not a mail message) */
	void (*finish)(struct daemon *d, struct review_read *rr);
	struct review_retry *retry; /* review.retry: where it stands */
};

static void review_read_work(struct reader_job *job, void *data)
{
	struct review_read *rr = data;
	g_autofree char *what = g_strdup_printf("review entry %" G_GINT64_FORMAT, rr->id);
	const struct read_origin origin = {
		.mail = { json_string_value(json_object_get(rr->entry, "account")),
			  json_string_value(json_object_get(rr->entry, "mailbox")),
			  json_integer_value(json_object_get(rr->entry, "uid")) },
		.review_id = rr->id,
		.what = what,
	};

	reader_read(job, rr->raw, rr->len, &origin, rr->what, &rr->res);
}

static void review_read_done(struct daemon *d, void *data)
{
	struct review_read *rr = data;

	rr->finish(d, rr);
	read_result_clear(&rr->res);
	json_decref(rr->entry);
	g_free(rr->raw);
	g_free(rr);
}

/* Reads review entry id (doing what rr->what asks: classifying, features) off the main loop, then
 * calls finish on the main loop; an entry without its message is finished at once. rr is
 * filled in by the caller but for the entry and its message. */
static int review_read_start(struct daemon *d, struct review_read *rr, GError **error)
{
	int r = mailapply_review_get(d->store, rr->id, &rr->entry, &rr->raw, &rr->len, error);

	if (r < 0) {
		g_free(rr);
		return r;
	}
	if (rr->raw)
		reader_run(d, review_read_work, review_read_done, rr);
	else
		review_read_done(d, rr);
	return -EINPROGRESS;
}

int m_review_list(struct call *c)
{
	return mailapply_review_list(c->d->store, &c->result, &c->error);
}

static void review_show_finish(struct daemon *d, struct review_read *rr)
{
	(void)d;
	mailapply_review_describe(rr->entry, rr->res.message, rr->raw, rr->len);
	rr->call->result = json_incref(rr->entry);
	call_finish(rr->call, 0);
}

int m_review_show(struct call *c)
{
	int64_t id = 0;
	int r = param_id(c->params, "id", &id, &c->error);

	if (r < 0)
		return r;
	struct review_read *rr = g_new0(struct review_read, 1);
	*rr = (struct review_read){ .call = c, .id = id, .kind = -1, .what = READ_PARSE, .finish = review_show_finish };
	return review_read_start(c->d, rr, &c->error);
}

/* Applies the entry as read (app: to that application, else as the rules say now; as
 * rr->kind when given). */
static int review_apply_read(struct daemon *d, struct review_read *rr, enum apply_outcome *ret_outcome,
			     int64_t *ret_id, GError **error)
{
	return mailapply_review_apply(d->store, &d->policy, rr->id, rr->res.message,
				      rr->res.matched ? &rr->res.match : NULL, rr->kind, rr->app, ret_outcome, ret_id,
				      error);
}

/* The daemon's guess at a review entry: the kind the rules and the model give it now, else
 * the guess of the verdict it was queued with (else the kind it was queued as); -1 when
 * there is none. */
static int review_guess(const struct review_read *rr)
{
	json_t *guess = json_object_get(json_object_get(rr->entry, "verdict"), "guess");
	const char *name = json_string_value(json_object_get(guess, "kind"));
	enum mail_kind kind;

	if (rr->res.matched)
		return (int)rr->res.match.kind;
	if (!name)
		name = json_string_value(json_object_get(rr->entry, "kind"));
	return name && lessons_parse_kind(name, &kind, NULL) == 0 ? (int)kind : -1;
}

/* review.apply's transaction: the entry applied and, when the user's kind teaches, the
 * lesson stored, together. */
struct applying {
	struct daemon *d;
	struct review_read *rr;
	bool teach;                 /* the user's kind is not what the daemon guessed */
	int previous;               /* out: what lessons_add() says was stored before */
	enum apply_outcome outcome; /* out */
	int64_t got;                /* out */
};

static int review_apply_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct applying *a = arg;
	int r;

	(void)ret;
	if ((r = review_apply_read(a->d, a->rr, &a->outcome, &a->got, error)) < 0 || !a->teach)
		return r;
	return lessons_add(s, a->rr->res.key, (enum mail_kind)a->rr->kind, NULL, a->rr->raw, a->rr->len, &a->previous,
			   error);
}

static void review_apply_finish(struct daemon *d, struct review_read *rr)
{
	struct call *c = rr->call;
	/* the user's kind teaches when it is not what the daemon guessed, and the message reads */
	struct applying a = { .d = d, .rr = rr, .teach = rr->kind >= 0 && rr->res.features && review_guess(rr) != rr->kind,
			      .previous = -1 };
	int r = store_transaction(d->store, review_apply_tx, &a, NULL, &c->error);

	if (r == -EAGAIN) /* still not applicable: the user's input is what is missing */
		r = -EINVAL;
	if (r < 0) {
		call_finish(c, r);
		return;
	}
	c->id = a.got;
	json_t *result = json_pack("{s:s,s:I}", "outcome", apply_outcome_name(a.outcome), "id", (json_int_t)a.got);
	if (rr->kind >= 0)
		json_object_set_new(result, "learned", json_boolean(a.teach));
	if (a.teach) {
		learning_taught(d, rr->res.features, (enum mail_kind)rr->kind, a.previous);
		c->lessons_changed = true;
		if (!rules_model(d->rules))
			json_object_set_new(result, "model_problem",
					    json_string(rules_model_problem(d->rules) ? rules_model_problem(d->rules)
										      : "no model"));
	}
	c->result = result;
	call_finish(c, 0);
}

int m_review_apply(struct call *c)
{
	const char *kind_name = NULL;
	enum mail_kind kind = MAIL_NOISE;
	int64_t id = 0, app = 0;
	int r;

	if ((r = param_id(c->params, "id", &id, &c->error)) < 0)
		return r;
	if (json_object_get(c->params, "application") &&
	    (r = param_id(c->params, "application", &app, &c->error)) < 0)
		return r;
	if ((r = param_string(c->params, "kind", false, &kind_name, &c->error)) < 0 ||
	    (kind_name && (r = lessons_parse_kind(kind_name, &kind, &c->error)) < 0))
		return r;
	struct review_read *rr = g_new0(struct review_read, 1);
	/* with a kind, the features too: what a lesson about the message would teach */
	*rr = (struct review_read){ .call = c, .id = id, .app = app, .kind = kind_name ? (int)kind : -1,
				    .what = READ_CLASSIFY | (kind_name ? READ_FEATURES : 0),
				    .finish = review_apply_finish };
	return review_read_start(c->d, rr, &c->error);
}

int m_review_drop(struct call *c)
{
	int r;

	if ((r = param_id(c->params, "id", &c->id, &c->error)) < 0 ||
	    (r = mailapply_review_drop(c->d->store, c->id, &c->error)) < 0)
		return r;
	c->result = json_pack("{s:I}", "removed", (json_int_t)c->id);
	return 0;
}

/* review.retry: every entry, oldest first, each read and applied on its own (one that is
 * queued again must not undo the others), one after the other. */
struct review_retry {
	struct call *call;
	GArray *ids;
	guint next;
	size_t applied, still;
};

static void review_retry_next(struct daemon *d, struct review_retry *rt);

static void review_retry_finish(struct daemon *d, struct review_read *rr)
{
	struct review_retry *rt = rr->retry;
	g_autoptr(GError) error = NULL;
	enum apply_outcome outcome;
	int r = review_apply_read(d, rr, &outcome, NULL, &error);

	if (r == -EAGAIN || r == -EINVAL) {
		rt->still++;
	} else if (r < 0) {
		g_propagate_error(&rt->call->error, g_steal_pointer(&error));
		call_finish(rt->call, r);
		g_array_unref(rt->ids);
		g_free(rt);
		return;
	} else {
		rt->applied++;
	}
	review_retry_next(d, rt);
}

static void review_retry_next(struct daemon *d, struct review_retry *rt)
{
	while (rt->next < rt->ids->len) {
		struct review_read *rr = g_new0(struct review_read, 1);
		*rr = (struct review_read){ .call = rt->call, .id = g_array_index(rt->ids, int64_t, rt->next++),
					    .kind = -1, .what = READ_CLASSIFY, .finish = review_retry_finish, .retry = rt };
		int r = review_read_start(d, rr, &rt->call->error);
		if (r == -EINPROGRESS)
			return; /* review_retry_finish() goes on */
		if (r != -ENOENT) {
			call_finish(rt->call, r);
			g_array_unref(rt->ids);
			g_free(rt);
			return;
		}
		/* gone meanwhile (applied or dropped by another client): nothing to retry */
		g_clear_error(&rt->call->error);
	}
	json_t *report = json_pack("{s:I,s:I,s:I}", "retried", (json_int_t)rt->ids->len, "applied",
				   (json_int_t)rt->applied, "still_queued", (json_int_t)rt->still);
	rt->call->result = report;
	rt->call->report = json_incref(report);
	call_finish(rt->call, 0);
	g_array_unref(rt->ids);
	g_free(rt);
}

int m_review_retry(struct call *c)
{
	struct review_retry *rt = g_new0(struct review_retry, 1);
	int r = mailapply_review_ids(c->d->store, &rt->ids, &c->error);

	if (r < 0) {
		g_free(rt);
		return r;
	}
	rt->call = c;
	review_retry_next(c->d, rt);
	return -EINPROGRESS;
}

int m_mail_status(struct call *c)
{
	c->result = mail_status(c->d);
	return 0;
}

int m_mail_model(struct call *c)
{
	return learning_model_info(c->d, &c->result, &c->error);
}

int m_mail_sync(struct call *c)
{
	mail_sync(c->d);
	c->result = json_pack("{s:b}", "syncing", 1);
	return 0;
}
