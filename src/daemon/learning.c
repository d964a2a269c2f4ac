/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learning.c - the user's lessons in the running daemon: the methods `mail.learn`,
 * `mail.unlearn` and `mail.model`, the model's side of a review entry applied as another
 * kind, and the stored lessons taught to every rules set the daemon loads.
 *
 * Mail is written by strangers, and the user's lessons are mail: they are parsed, and their
 * features computed, by the reader (reading.c) off the main loop. The main loop stores
 * them (lessons.h), all or nothing per request, and only once that committed teaches the
 * model of the rules in force (rules_model(d->rules); the model is thread-safe, so the
 * mail workers may classify meanwhile). Without a model the lessons are still stored, and
 * the reply says so: the next model loaded learns them.
 *
 * learning_start() runs where main.c puts a rules set in force (at start and after a
 * reload, before the mail workers start with it): it teaches the new model the stored
 * lessons, reading each under a marker of its own, so that a lesson that crashes the
 * reading is quarantined like any message at the next start and skipped from then on.
 */
#include "methods.h"

#include "apptrack/error.h"
#include "apptrack/lessons.h"
#include "apptrack/log.h"
#include "apptrack/model.h"

#include <string.h>

/* The marker slot of the lessons read at start and on reload (main thread). */
#define LESSONS_SLOT "lessons"

/* ---- the stored lessons, taught to a new rules set ---- */

struct feed {
	struct daemon *d;
	struct marker *marker;
};

/* lessons_feed()'s reader: read_message_with() under the lessons' marker. */
static GPtrArray *feed_read(const struct lesson *l, rules *r, void *data, GError **error)
{
	struct feed *f = data;
	g_autofree char *what = g_strdup_printf("the lesson %s", l->file ? l->file : l->key);
	const struct read_origin origin = { .what = what };
	GPtrArray *features = NULL;
	struct read_result res;

	read_message_with(f->marker, f->d->quarantined, r, READ_FEATURES, l->raw, l->len, &origin, &res);
	if (res.quarantined)
		at_error_set(error, -EINVAL, "%s", MAILAPPLY_QUARANTINE_REASON);
	else if (!res.message)
		g_propagate_error(error, g_steal_pointer(&res.error));
	else if (lessons_check_message(res.message, error) == 0)
		features = g_steal_pointer(&res.features);
	read_result_clear(&res);
	return features;
}

void learning_start(struct daemon *d, rules *r)
{
	g_autoptr(GError) error = NULL;
	struct feed f = { .d = d };
	unsigned fed = 0;

	if (!rules_model(r)) {
		log_error("mail model not loaded, reading mail with the rules alone: %s",
			  rules_model_problem(r) ? rules_model_problem(r) : "no model");
		return;
	}
	if (marker_open(d, LESSONS_SLOT, &f.marker, &error) < 0) {
		log_error("%s: the stored lessons are not learned until the next start or reload", error->message);
		return;
	}
	reading_thread_init(); /* the main thread reads them: a stack overflow is caught too */
	if (lessons_feed(d->store, r, feed_read, &f, &fed, &error) < 0)
		log_error("%s: the stored lessons are not learned until the next start or reload", error->message);
	else if (fed)
		log_info("the mail model learned %u stored lesson%s", fed, fed == 1 ? "" : "s");
	marker_close(f.marker);
}

/* ---- the model of the rules in force ---- */

void learning_taught(struct daemon *d, GPtrArray *features, enum mail_kind kind, int previous)
{
	struct mailmodel *model = rules_model(d->rules);

	if (!model || !features || previous == (int)kind)
		return;
	if (previous >= 0)
		model_unlearn(model, features, (enum mail_kind)previous);
	model_learn(model, features, kind);
}

json_t *learning_event(struct daemon *d)
{
	g_autoptr(GError) error = NULL;
	unsigned count = 0;

	if (lessons_count(d->store, &count, &error) < 0) {
		log_warnx("%s, ignoring it", error->message);
		return NULL;
	}
	return json_pack("{s:I}", "lessons", (json_int_t)count);
}

int learning_model_info(struct daemon *d, json_t **ret_info, GError **error)
{
	struct mailmodel *model = rules_model(d->rules);
	const char *problem = rules_model_problem(d->rules);
	g_autofree char *path = rules_model_path();
	unsigned lessons = 0;
	int r = lessons_count(d->store, &lessons, error);

	if (r < 0)
		return r;
	*ret_info = json_pack("{s:s?,s:o,s:I,s:o}", "file", path, "messages",
			      model ? json_integer(model_shipped_count(model)) : json_null(), "lessons",
			      (json_int_t)lessons, "problem",
			      model ? json_null() : json_string(problem ? problem : "no model"));
	return 0;
}

/* ---- mail.learn and mail.unlearn ---- */

/* One message of a request, as the reader read it. */
struct item {
	const char *file; /* borrowed from the request */
	char *raw;        /* decoded (mail.learn: kept to be stored) */
	size_t len;
	struct read_result res; /* key and features; the parsed message is not kept */
	char *problem;    /* why it cannot be a lesson, or NULL */
	int previous;     /* what the store said: the kind it was learned as before, or -1 */
	bool repeated;    /* its message came earlier in the request */
};

struct learning {
	struct call *call;
	bool unlearn;
	enum mail_kind kind; /* mail.learn */
	json_t *messages;    /* the request's, read-only while the reader reads */
	struct item *items;
	size_t n_items;
	bool stopped; /* the daemon stopped before every message was read */
};

static void learning_free(struct learning *t)
{
	for (size_t i = 0; i < t->n_items; i++) {
		g_free(t->items[i].raw);
		read_result_clear(&t->items[i].res);
		g_free(t->items[i].problem);
	}
	g_free(t->items);
	json_decref(t->messages);
	g_free(t);
}

static void learning_work(struct reader_job *job, void *data)
{
	struct learning *t = data;

	for (size_t i = 0; i < t->n_items; i++) {
		struct item *it = &t->items[i];
		json_t *m = json_array_get(t->messages, i);
		g_autofree char *what = g_strdup_printf("%s, given to %s", it->file, t->unlearn ? "unlearn" : "learn");
		const struct read_origin origin = { .what = what };
		g_autoptr(GError) why = NULL;
		gsize len = 0;

		it->raw = (char *)g_base64_decode(json_string_value(json_object_get(m, "raw")), &len);
		it->len = len;
		if (!reader_read(job, it->raw, it->len, &origin, READ_FEATURES, &it->res)) {
			t->stopped = true;
			return;
		}
		if (it->res.quarantined)
			it->problem = g_strdup(MAILAPPLY_QUARANTINE_REASON);
		else if (!it->res.message)
			it->problem = g_strdup(it->res.error->message);
		else if (lessons_check_message(it->res.message, &why) < 0)
			it->problem = g_strdup(why->message);
		/* the key and the features are what the main loop needs */
		g_clear_pointer(&it->res.message, mime_message_free);
		if (t->unlearn)
			g_clear_pointer(&it->raw, g_free);
	}
}

/* The transaction of learning_store(). */
static int learning_store_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct learning *t = arg;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal); /* key -> its item */
	int r;

	(void)ret;
	for (size_t i = 0; i < t->n_items; i++) {
		struct item *it = &t->items[i];
		const struct item *first = g_hash_table_lookup(seen, it->res.key);
		g_autoptr(GError) store_error = NULL;

		if (first) { /* the same message twice: what was done to it holds */
			it->repeated = true;
			it->previous = t->unlearn ? first->previous : (int)t->kind;
			continue;
		}
		g_hash_table_insert(seen, it->res.key, it);
		if (t->unlearn)
			r = lessons_remove(s, it->res.key, &it->previous, &store_error);
		else
			r = lessons_add(s, it->res.key, t->kind, it->file, it->raw, it->len, &it->previous, &store_error);
		if (r == -ENOENT)
			return at_error_set(error, r, "%s was never learned: nothing unlearned", it->file);
		if (r < 0)
			return at_error_set(error, r, "%s: %s: nothing %s", it->file, store_error->message,
					    t->unlearn ? "unlearned" : "learned");
	}
	return 0;
}

/* Stores (or removes) every lesson of the request in one transaction. */
static int learning_store(struct daemon *d, struct learning *t, GError **error)
{
	int r = store_transaction(d->store, learning_store_tx, t, NULL, error);
	return r < 0 ? r : 0;
}

/* The reply: per message what was done, and whether the model learned it. */
static json_t *learning_result(struct daemon *d, struct learning *t, unsigned changed)
{
	const char *problem = rules_model(d->rules) ? NULL : rules_model_problem(d->rules);
	json_t *messages = json_array(), *o;
	unsigned count = 0;

	for (size_t i = 0; i < t->n_items; i++) {
		const struct item *it = &t->items[i];
		if (t->unlearn) {
			o = json_pack("{s:s,s:s,s:s?}", "file", it->file, "outcome", "unlearned", "kind",
				      mail_kind_name((enum mail_kind)it->previous));
		} else if (it->repeated || it->previous == (int)t->kind) {
			o = json_pack("{s:s,s:s}", "file", it->file, "outcome", "already");
		} else if (it->previous >= 0) {
			o = json_pack("{s:s,s:s,s:s}", "file", it->file, "outcome", "relearned", "previous",
				      mail_kind_name((enum mail_kind)it->previous));
		} else {
			o = json_pack("{s:s,s:s}", "file", it->file, "outcome", "learned");
		}
		json_array_append_new(messages, o);
	}
	lessons_count(d->store, &count, NULL);
	o = json_pack("{s:I,s:I,s:o}", t->unlearn ? "unlearned" : "learned", (json_int_t)changed, "lessons",
		      (json_int_t)count, "messages", messages);
	if (!t->unlearn)
		json_object_set_new(o, "kind", json_string(mail_kind_name(t->kind)));
	if (!rules_model(d->rules))
		json_object_set_new(o, "model_problem", json_string(problem ? problem : "no model"));
	return o;
}

static void learning_done(struct daemon *d, void *data)
{
	struct learning *t = data;
	GError **error = &t->call->error;
	struct mailmodel *model = rules_model(d->rules);
	unsigned changed = 0;
	int r = 0;

	if (t->stopped)
		r = at_error_set(error, -ECANCELED, "apptrackd is stopping");
	/* all or nothing: one message that cannot be a lesson refuses the request */
	for (size_t i = 0; r == 0 && !t->unlearn && i < t->n_items; i++)
		if (t->items[i].problem)
			r = at_error_set(error, -EINVAL, "%s: %s: nothing learned", t->items[i].file, t->items[i].problem);
	if (r == 0)
		r = learning_store(d, t, error);
	if (r < 0) {
		call_finish(t->call, r);
		learning_free(t);
		return;
	}
	/* committed: now the model */
	for (size_t i = 0; i < t->n_items; i++) {
		const struct item *it = &t->items[i];
		if (it->repeated)
			continue;
		if (t->unlearn) {
			changed++;
			/* a message that cannot be read now was never learned by this model either */
			if (model && it->res.features && it->previous >= 0)
				model_unlearn(model, it->res.features, (enum mail_kind)it->previous);
		} else if (it->previous != (int)t->kind) {
			changed++;
			learning_taught(d, it->res.features, t->kind, it->previous);
		}
	}
	if (changed && t->unlearn)
		log_info("unlearned %u lesson%s", changed, changed == 1 ? "" : "s");
	else if (changed)
		log_info("learned %u message%s as %s", changed, changed == 1 ? "" : "s", mail_kind_name(t->kind));
	t->call->lessons_changed = changed > 0; /* "lessons.changed", the method's event */
	t->call->result = learning_result(d, t, changed);
	call_finish(t->call, 0);
	learning_free(t);
}

/* mail.learn and mail.unlearn: the messages are read by the reader, then stored. */
static int learning_run(struct call *call, bool unlearn)
{
	json_t *params = call->params;
	GError **error = &call->error;
	enum mail_kind kind = MAIL_NOISE;
	json_t *messages = NULL;
	int r;

	if (!unlearn) {
		json_t *v = json_object_get(params, "kind");
		if (!v)
			return at_error_set(error, -EINVAL, "missing parameter \"kind\"");
		if (!json_is_string(v))
			return at_error_set(error, -EINVAL, "parameter \"kind\" must be a string");
		if ((r = lessons_parse_kind(json_string_value(v), &kind, error)) < 0)
			return r;
	}
	if ((r = methods_messages(params, &messages, error)) < 0)
		return r;
	if (json_array_size(messages) == 0)
		return at_error_set(error, -EINVAL, "parameter \"messages\" must hold at least one message");
	struct learning *t = g_new0(struct learning, 1);
	t->call = call;
	t->unlearn = unlearn;
	t->kind = kind;
	t->messages = json_incref(messages);
	t->n_items = json_array_size(messages);
	t->items = g_new0(struct item, t->n_items);
	for (size_t i = 0; i < t->n_items; i++) {
		t->items[i].file = json_string_value(json_object_get(json_array_get(messages, i), "file"));
		t->items[i].previous = -1;
	}
	reader_run(call->d, learning_work, learning_done, t);
	return -EINPROGRESS;
}

int learning_learn(struct call *call)
{
	return learning_run(call, false);
}

int learning_unlearn(struct call *call)
{
	return learning_run(call, true);
}
