/* methods.c - the control protocol's methods (docs/protocol.md), one table entry each.
 *
 * Each handler reads its parameters, calls the core (pipeline, transfer, analytics,
 * store) and returns the result object. Parameters a method takes are listed in its
 * table entry, so an unknown or misspelt parameter is refused here with one message;
 * methods whose parameters are the application or contact fields themselves list none and
 * leave validation to the core, which knows the fields. The methods of the user's lessons
 * to the mail model (mail.learn, mail.unlearn, mail.model) are learning.c's.
 */
#include "daemon.h"

#include "apptrack/analytics.h"
#include "apptrack/applications.h"
#include "apptrack/contacts.h"
#include "apptrack/error.h"
#include "apptrack/interviews.h"
#include "apptrack/lessons.h"
#include "apptrack/log.h"
#include "apptrack/mailapply.h"
#include "apptrack/matching.h"
#include "apptrack/profile.h"
#include "apptrack/protocol.h"
#include "apptrack/reminders.h"
#include "apptrack/resumes.h"
#include "apptrack/timeutil.h"
#include "apptrack/transfer.h"
#include "apptrack/version.h"

#include <string.h>

#define METHOD_MAX_PARAMS 8

typedef int (*method_fn)(struct daemon *d, json_t *params, json_t **ret_result, json_t **ret_data,
			 GError **error);

/* For results built as JSON text by the core. */
typedef int (*method_raw_fn)(struct daemon *d, json_t *params, char **ret_raw, GError **error);

/* For methods that read mail: they take call and answer it later with call_finish()
 * (returning -EINPROGRESS), or fail at once. */
typedef int (*method_async_fn)(struct daemon *d, json_t *params, struct call *call, GError **error);

struct method {
	const char *name;
	method_fn exec;
	method_raw_fn exec_raw;     /* instead of exec */
	method_async_fn exec_async; /* instead of exec */
	/* parameters accepted; the list is closed by NULL. fields_too: also any other key
	 * (the record's fields, validated by the core). */
	const char *params[METHOD_MAX_PARAMS];
	bool fields_too;
};

/* ---- parameter helpers ---- */

static int param_id(json_t *params, const char *key, int64_t *ret_id, GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v)
		return at_error_set(error, -EINVAL, "missing parameter \"%s\"", key);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a positive integer", key);
	*ret_id = json_integer_value(v);
	return 0;
}

/* Optional string: *ret is NULL when absent. */
static int param_string(json_t *params, const char *key, bool required, const char **ret,
			GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v || json_is_null(v)) {
		if (required)
			return at_error_set(error, -EINVAL, "missing parameter \"%s\"", key);
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be a string", key);
	*ret = json_string_value(v);
	return 0;
}

static int param_bool(json_t *params, const char *key, bool *ret, GError **error)
{
	json_t *v = json_object_get(params, key);

	if (!v) {
		*ret = false;
		return 0;
	}
	if (!json_is_boolean(v))
		return at_error_set(error, -EINVAL, "parameter \"%s\" must be true or false", key);
	*ret = json_is_true(v);
	return 0;
}

/* A copy of params without the keys the method itself consumed (id, ...). */
static json_t *fields_without(json_t *params, const char *key)
{
	json_t *fields = json_copy(params);
	json_object_del(fields, key);
	return fields;
}

static void announce(struct daemon *d, const char *event, const char *key, int64_t id)
{
	json_t *fields = key ? json_pack("{s:I}", key, (json_int_t)id) : NULL;
	control_broadcast(d->control, event, fields);
	json_decref(fields);
}

/* ---- methods ---- */

static int m_ping(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)d, (void)params, (void)ret_data, (void)error;
	*ret = json_pack("{s:b}", "pong", 1);
	return 0;
}

static int m_version(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data, (void)error;
	*ret = json_pack("{s:s,s:i,s:i}", "version", APPTRACK_VERSION, "protocol", PROTO_VERSION, "schema",
			 store_schema_version(d->store));
	return 0;
}

static int m_app_add(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;
	(void)ret_data;

	r = applications_add(&d->pipeline, params, 0, &id, error);
	if (r < 0)
		return r;
	r = applications_get(d->store, id, ret, error);
	if (r == 0)
		announce(d, "application.added", "id", id);
	return r;
}

static int m_app_list(struct daemon *d, json_t *params, char **ret_raw, GError **error)
{
	return applications_list_text(d->store, params, ret_raw, error);
}

static int m_app_show(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	(void)ret_data;

	int r = param_id(params, "id", &id, error);
	return r < 0 ? r : applications_show(d->store, id, ret, error);
}

static int m_app_edit(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;
	(void)ret_data;

	r = param_id(params, "id", &id, error);
	if (r < 0)
		return r;
	json_t *fields = fields_without(params, "id");
	if (json_object_size(fields) == 0)
		r = at_error_set(error, -EINVAL, "nothing to change: give at least one field");
	else
		r = applications_edit(&d->pipeline, id, fields, error);
	json_decref(fields);
	if (r < 0)
		return r;
	r = applications_get(d->store, id, ret, error);
	if (r == 0)
		announce(d, "application.changed", "id", id);
	return r;
}

static int m_app_status(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *status = NULL, *note = NULL;
	int64_t id = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0 ||
	    (r = param_string(params, "status", true, &status, error)) < 0 ||
	    (r = param_string(params, "note", false, &note, error)) < 0)
		return r;
	r = applications_set_status(&d->pipeline, id, status, note, 0, NULL, error);
	if (r < 0)
		return r;
	r = applications_get(d->store, id, ret, error);
	if (r == 0)
		announce(d, "application.changed", "id", id);
	return r;
}

static int m_app_note(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *text = NULL;
	int64_t id = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0 ||
	    (r = param_string(params, "text", true, &text, error)) < 0)
		return r;
	r = applications_note(&d->pipeline, id, text, ret, error);
	if (r == 0)
		announce(d, "application.changed", "id", id);
	return r;
}

/* The shape every removal shares: id in, {"removed":id} out, one event. */
static int remove_by_id(struct daemon *d, json_t *params, json_t **ret,
			int (*remove)(const struct pipeline *, int64_t, GError **), const char *event, GError **error)
{
	int64_t id = 0;
	int r;

	if ((r = param_id(params, "id", &id, error)) < 0 || (r = remove(&d->pipeline, id, error)) < 0)
		return r;
	*ret = json_pack("{s:I}", "removed", (json_int_t)id);
	announce(d, event, "id", id);
	return 0;
}

static int m_app_remove(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)ret_data;
	return remove_by_id(d, params, ret, applications_remove, "application.removed", error);
}

static int m_rem_list(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	bool all = false;
	int r;
	(void)ret_data;

	r = param_bool(params, "all", &all, error);
	return r < 0 ? r : reminders_list(d->store, all, ret, error);
}

static int m_rem_done(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0 ||
	    (r = reminders_done(&d->pipeline, id, ret, error)) < 0)
		return r;
	announce(d, "reminder.changed", "id", id);
	return 0;
}

static int m_rem_snooze(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *text = NULL;
	int64_t id = 0, seconds = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0 ||
	    (r = param_string(params, "for", true, &text, error)) < 0)
		return r;
	if (time_parse_duration(text, &seconds) < 0 || seconds <= 0)
		return at_error_set(error, -EINVAL, "bad duration \"%s\": use a number with s, m, h, d or w, e.g. 2d",
				    text);
	if ((r = reminders_snooze(&d->pipeline, id, seconds, ret, error)) < 0)
		return r;
	announce(d, "reminder.changed", "id", id);
	return 0;
}

static int m_contact_add(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)ret_data;
	int r = contacts_add(&d->pipeline, params, ret, error);
	if (r == 0)
		announce(d, "contact.changed", "id", json_integer_value(json_object_get(*ret, "id")));
	return r;
}

static int m_contact_list(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *search = NULL;
	(void)ret_data;

	int r = param_string(params, "search", false, &search, error);
	return r < 0 ? r : contacts_list(d->store, search, ret, error);
}

static int m_contact_show(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	(void)ret_data;

	int r = param_id(params, "id", &id, error);
	return r < 0 ? r : contacts_show(d->store, id, ret, error);
}

static int m_contact_edit(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0)
		return r;
	json_t *fields = fields_without(params, "id");
	if (json_object_size(fields) == 0)
		r = at_error_set(error, -EINVAL, "nothing to change: give at least one field");
	else
		r = contacts_edit(&d->pipeline, id, fields, ret, error);
	json_decref(fields);
	if (r == 0)
		announce(d, "contact.changed", "id", id);
	return r;
}

static int m_contact_remove(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)ret_data;
	return remove_by_id(d, params, ret, contacts_remove, "contact.changed", error);
}

static int m_contact_link(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0, app = 0;
	bool unlink = false;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0 ||
	    (r = param_id(params, "application", &app, error)) < 0 ||
	    (r = param_bool(params, "unlink", &unlink, error)) < 0 ||
	    (r = contacts_link(&d->pipeline, id, app, unlink, error)) < 0)
		return r;
	announce(d, "contact.changed", "id", id);
	return contacts_show(d->store, id, ret, error);
}

static int m_stats(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	struct an_data *data = NULL;
	const char *report = NULL;
	int r;
	(void)ret_data;

	if ((r = param_string(params, "report", false, &report, error)) < 0)
		return r;
	if ((r = analytics_load(d->store, &data, error)) < 0)
		return r;
	json_t *rest = fields_without(params, "report");
	r = analytics_report(data, report, rest, ret, error);
	json_decref(rest);
	analytics_data_free(data);
	return r;
}

static int m_import(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *csv = NULL;
	bool skip_bad = false;
	int r;

	if ((r = param_string(params, "csv", true, &csv, error)) < 0 ||
	    (r = param_bool(params, "skip_bad", &skip_bad, error)) < 0)
		return r;
	json_t *bad = json_array();
	r = transfer_import_csv(&d->pipeline, csv, json_string_length(json_object_get(params, "csv")),
				skip_bad, bad, ret, error);
	if (r < 0 && json_array_size(bad) > 0)
		*ret_data = json_pack("{s:o}", "rows", bad);
	else
		json_decref(bad);
	if (r == 0) {
		log_info("imported %" JSON_INTEGER_FORMAT " applications",
			 json_integer_value(json_object_get(*ret, "imported")));
		control_broadcast(d->control, "import.done", *ret);
	}
	return r;
}

static int m_export(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	g_autofree char *csv = NULL;
	size_t count;
	(void)params, (void)ret_data;

	int r = transfer_export_csv(d->store, &csv, &count, error);
	if (r < 0)
		return r;
	*ret = json_pack("{s:s,s:I}", "csv", csv, "count", (json_int_t)count);
	return *ret ? 0 : at_error_set(error, -EIO, "export is not valid UTF-8");
}

static int m_backup(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *path = NULL;
	int64_t bytes = 0;
	int r;
	(void)ret_data;

	if ((r = param_string(params, "path", true, &path, error)) < 0)
		return r;
	if (!g_path_is_absolute(path))
		return at_error_set(error, -EINVAL, "backup path \"%s\" must be absolute", path);
	if ((r = store_backup(d->store, path, &bytes, error)) < 0)
		return r;
	log_info("database backed up to %s", path);
	*ret = json_pack("{s:s,s:I}", "path", path, "bytes", (json_int_t)bytes);
	return 0;
}

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
	g_autoptr(GError) error = NULL;
	(void)d;

	if (t->stopped) {
		at_error_set(&error, -ECANCELED, "apptrackd is stopping");
		call_finish(t->call, -ECANCELED, NULL, NULL, error);
		json_decref(t->results);
	} else {
		call_finish(t->call, 0, t->results, NULL, NULL);
	}
	json_decref(t->messages);
	g_free(t);
}

static int m_rules_test(struct daemon *d, json_t *params, struct call *call, GError **error)
{
	json_t *messages = NULL;
	int r = methods_messages(params, &messages, error);

	if (r < 0)
		return r;
	struct rules_test *t = g_new0(struct rules_test, 1);
	t->call = call;
	t->policy = d->policy;
	t->messages = json_incref(messages);
	t->results = json_array();
	reader_run(d, rules_test_work, rules_test_done, t);
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

static int m_review_list(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data;
	return mailapply_review_list(d->store, ret, error);
}

static void review_show_finish(struct daemon *d, struct review_read *rr)
{
	(void)d;
	mailapply_review_describe(rr->entry, rr->res.message, rr->raw, rr->len);
	call_finish(rr->call, 0, json_incref(rr->entry), NULL, NULL);
}

static int m_review_show(struct daemon *d, json_t *params, struct call *call, GError **error)
{
	int64_t id = 0;
	int r = param_id(params, "id", &id, error);

	if (r < 0)
		return r;
	struct review_read *rr = g_new0(struct review_read, 1);
	*rr = (struct review_read){ .call = call, .id = id, .kind = -1, .what = READ_PARSE, .finish = review_show_finish };
	return review_read_start(d, rr, error);
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

static void review_apply_finish(struct daemon *d, struct review_read *rr)
{
	g_autoptr(GError) error = NULL;
	enum apply_outcome outcome;
	int64_t got = 0;
	/* the user's kind teaches when it is not what the daemon guessed, and the message reads */
	bool teach = rr->kind >= 0 && rr->res.features && review_guess(rr) != rr->kind;
	int previous = -1;
	int r = store_begin(d->store, &error);

	if (r == 0) {
		r = review_apply_read(d, rr, &outcome, &got, &error);
		if (r == 0 && teach)
			r = lessons_add(d->store, rr->res.key, (enum mail_kind)rr->kind, NULL, rr->raw, rr->len,
				       &previous, &error);
		if (r < 0)
			store_rollback(d->store);
		else
			r = store_commit(d->store, &error);
	}
	if (r == -EAGAIN) /* still not applicable: the user's input is what is missing */
		r = -EINVAL;
	if (r < 0) {
		call_finish(rr->call, r, NULL, NULL, error);
		return;
	}
	announce(d, "application.changed", "id", got);
	json_t *result = json_pack("{s:s,s:I}", "outcome", apply_outcome_name(outcome), "id", (json_int_t)got);
	if (rr->kind >= 0)
		json_object_set_new(result, "learned", json_boolean(teach));
	if (teach) {
		learning_taught(d, rr->res.features, (enum mail_kind)rr->kind, previous);
		learning_changed(d);
		if (!rules_model(d->rules))
			json_object_set_new(result, "model_problem",
					    json_string(rules_model_problem(d->rules) ? rules_model_problem(d->rules)
										      : "no model"));
	}
	call_finish(rr->call, 0, result, NULL, NULL);
}

static int m_review_apply(struct daemon *d, json_t *params, struct call *call, GError **error)
{
	const char *kind_name = NULL;
	enum mail_kind kind = MAIL_NOISE;
	int64_t id = 0, app = 0;
	int r;

	if ((r = param_id(params, "id", &id, error)) < 0)
		return r;
	if (json_object_get(params, "application") && (r = param_id(params, "application", &app, error)) < 0)
		return r;
	if ((r = param_string(params, "kind", false, &kind_name, error)) < 0 ||
	    (kind_name && (r = lessons_parse_kind(kind_name, &kind, error)) < 0))
		return r;
	struct review_read *rr = g_new0(struct review_read, 1);
	/* with a kind, the features too: what a lesson about the message would teach */
	*rr = (struct review_read){ .call = call, .id = id, .app = app, .kind = kind_name ? (int)kind : -1,
				    .what = READ_CLASSIFY | (kind_name ? READ_FEATURES : 0),
				    .finish = review_apply_finish };
	return review_read_start(d, rr, error);
}

static int m_review_drop(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;

	(void)ret_data;
	if ((r = param_id(params, "id", &id, error)) < 0 || (r = mailapply_review_drop(d->store, id, error)) < 0)
		return r;
	*ret = json_pack("{s:I}", "removed", (json_int_t)id);
	announce(d, "review.changed", "id", id);
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
		call_finish(rt->call, r, NULL, NULL, error);
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
		g_autoptr(GError) error = NULL;
		struct review_read *rr = g_new0(struct review_read, 1);
		*rr = (struct review_read){ .call = rt->call, .id = g_array_index(rt->ids, int64_t, rt->next++),
					    .kind = -1, .what = READ_CLASSIFY, .finish = review_retry_finish, .retry = rt };
		int r = review_read_start(d, rr, &error);
		if (r == -EINPROGRESS)
			return; /* review_retry_finish() goes on */
		if (r != -ENOENT) {
			call_finish(rt->call, r, NULL, NULL, error);
			g_array_unref(rt->ids);
			g_free(rt);
			return;
		}
		/* gone meanwhile (applied or dropped by another client): nothing to retry */
	}
	json_t *report = json_pack("{s:I,s:I,s:I}", "retried", (json_int_t)rt->ids->len, "applied",
				   (json_int_t)rt->applied, "still_queued", (json_int_t)rt->still);
	control_broadcast(d->control, "review.changed", report);
	call_finish(rt->call, 0, report, NULL, NULL);
	g_array_unref(rt->ids);
	g_free(rt);
}

static int m_review_retry(struct daemon *d, json_t *params, struct call *call, GError **error)
{
	struct review_retry *rt = g_new0(struct review_retry, 1);
	int r = mailapply_review_ids(d->store, &rt->ids, error);
	(void)params;

	if (r < 0) {
		g_free(rt);
		return r;
	}
	rt->call = call;
	review_retry_next(d, rt);
	return -EINPROGRESS;
}

static int m_mail_status(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data, (void)error;
	*ret = mail_status(d);
	return 0;
}

static int m_mail_model(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data;
	return learning_model_info(d, ret, error);
}

static int m_mail_sync(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data, (void)error;
	mail_sync(d);
	*ret = json_pack("{s:b}", "syncing", 1);
	return 0;
}

/* ---- interviews ---- */

static int m_interview_add(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)ret_data;
	int r = interviews_add(&d->pipeline, params, ret, error);
	if (r == 0) {
		announce(d, "interview.changed", "id", json_integer_value(json_object_get(*ret, "id")));
		announce(d, "application.changed", "id", json_integer_value(json_object_get(*ret, "application_id")));
	}
	return r;
}

static int m_interview_edit(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0;
	int r;
	(void)ret_data;

	if ((r = param_id(params, "id", &id, error)) < 0)
		return r;
	json_t *fields = fields_without(params, "id");
	r = interviews_edit(&d->pipeline, id, fields, ret, error);
	json_decref(fields);
	if (r == 0)
		announce(d, "interview.changed", "id", id);
	return r;
}

static int m_interview_remove(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	int64_t id = 0, app_id = 0;
	int r;

	(void)ret_data;
	if ((r = param_id(params, "id", &id, error)) < 0 || (r = interviews_remove(&d->pipeline, id, &app_id, error)) < 0)
		return r;
	*ret = json_pack("{s:I}", "removed", (json_int_t)id);
	announce(d, "interview.changed", "id", id);
	announce(d, "application.changed", "id", app_id);
	return 0;
}

/* An optional ISO 8601 time parameter; 0 when absent. */
static int param_time(json_t *params, const char *key, int64_t *ret_t, GError **error)
{
	const char *text = NULL;
	int r = param_string(params, key, false, &text, error);

	*ret_t = 0;
	if (r < 0 || !text)
		return r;
	if (time_parse_iso(text, ret_t) < 0)
		return at_error_set(error, -EINVAL, "bad time \"%s\" for %s: expected ISO 8601, like 2026-12-01T00:00:00Z",
				    text, key);
	return 0;
}

static int m_interview_list(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *type = NULL;
	int64_t from, to;
	int r;
	(void)ret_data;

	if ((r = param_time(params, "from", &from, error)) < 0 || (r = param_time(params, "to", &to, error)) < 0 ||
	    (r = param_string(params, "type", false, &type, error)) < 0)
		return r;
	return interviews_list(d->store, from, to, type, ret, error);
}

static int m_upcoming(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	json_t *days = json_object_get(params, "days");
	(void)ret_data;

	if (days && (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 3660))
		return at_error_set(error, -EINVAL, "parameter \"days\" must be a number from 1 to 3660");
	return interviews_upcoming(d->store, time_now(), days ? (int)json_integer_value(days) : 7, ret, error);
}

static int m_calendar(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data, (void)error;
	*ret = calendar_info(d);
	return 0;
}

/* ---- resumes and the profile (profile.h) ---- */

/* The resume a request names: "name" as a string (a name, or an id in decimal) or a
 * positive number (an id). *ret: g_free. */
static int param_resume(json_t *params, char **ret, GError **error)
{
	json_t *v = json_object_get(params, "name");

	if (!v || json_is_null(v))
		return at_error_set(error, -EINVAL, "missing parameter \"name\"");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*ret = g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return at_error_set(error, -EINVAL, "parameter \"name\" must be a resume name or id");
	*ret = g_strdup(json_string_value(v));
	return 0;
}

static int m_resume_add(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	const char *name = NULL, *text = NULL;
	bool replace = false;
	int r;
	(void)ret_data;

	if ((r = param_string(params, "name", true, &name, error)) < 0 ||
	    (r = param_string(params, "text", true, &text, error)) < 0 ||
	    (r = param_bool(params, "replace", &replace, error)) < 0 ||
	    (r = resume_add(d->store, name, text, replace, ret, error)) < 0)
		return r;
	announce(d, "resume.changed", "id", json_integer_value(json_object_get(*ret, "id")));
	return 0;
}

static int m_resume_list(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data;
	return resume_list(d->store, ret, error);
}

static int m_resume_show(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	g_autofree char *name = NULL;
	(void)ret_data;

	int r = param_resume(params, &name, error);
	return r < 0 ? r : resume_show(d->store, name, ret, error);
}

/* {"removed":ID,"name":NAME,"was_default":BOOL,"default":NAME or null}: the default
 * after the removal, so the client can say where it moved. */
static int m_resume_remove(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	g_autofree char *name = NULL;
	int r;
	(void)ret_data;

	if ((r = param_resume(params, &name, error)) < 0 || (r = resume_remove(d->store, name, ret, error)) < 0)
		return r;
	announce(d, "resume.changed", "id", json_integer_value(json_object_get(*ret, "removed")));
	return 0;
}

static int m_resume_default(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	g_autofree char *name = NULL;
	int r;
	(void)ret_data;

	if ((r = param_resume(params, &name, error)) < 0 || (r = resume_set_default(d->store, name, error)) < 0 ||
	    (r = resume_show(d->store, name, ret, error)) < 0)
		return r;
	json_object_del(*ret, "text");
	announce(d, "resume.changed", "id", json_integer_value(json_object_get(*ret, "id")));
	return 0;
}

static int m_profile_get(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)params, (void)ret_data;
	return profile_get(d->store, ret, error);
}

static int m_profile_set(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	(void)ret_data;
	int r = profile_set(d->store, params, ret, error);
	if (r == 0)
		announce(d, "profile.changed", NULL, 0);
	return r;
}

/* ---- matching (matching.h) ---- */

static int m_match(struct daemon *d, json_t *params, json_t **ret, json_t **ret_data, GError **error)
{
	struct matching_request req = { 0 };
	const char *mode = NULL;
	json_t *app = json_object_get(params, "application"), *limit = json_object_get(params, "limit");
	int r;
	(void)ret_data;

	if ((r = param_string(params, "resume", false, &req.resume_name, error)) < 0 ||
	    (r = param_string(params, "resume_text", false, &req.resume_text, error)) < 0 ||
	    (r = param_string(params, "jd_text", false, &req.jd_text, error)) < 0 ||
	    (r = param_string(params, "mode", false, &mode, error)) < 0 ||
	    (r = param_bool(params, "all", &req.all, error)) < 0)
		return r;
	if (app && (r = param_id(params, "application", &req.application, error)) < 0)
		return r;
	if (limit) {
		if (!json_is_integer(limit) || json_integer_value(limit) <= 0)
			return at_error_set(error, -EINVAL, "parameter \"limit\" must be a positive integer");
		req.limit = (size_t)json_integer_value(limit);
	}
	if (req.resume_name && req.resume_text)
		return at_error_set(error, -EINVAL, "give \"resume\" or \"resume_text\", not both");
	if (mode && strcmp(mode, "pair") != 0 && strcmp(mode, "corpus") != 0)
		return at_error_set(error, -EINVAL, "unknown mode \"%s\": use pair or corpus", mode);
	req.pair = mode && strcmp(mode, "pair") == 0;
	return matching_run(d->store, &req, ret, error);
}

static const struct method methods[] = {
	{ .name = "ping", .exec = m_ping },
	{ .name = "version", .exec = m_version },
	{ .name = "applications.add", .exec = m_app_add, .fields_too = true },
	{ .name = "applications.list", .exec_raw = m_app_list, .fields_too = true },
	{ .name = "applications.show", .exec = m_app_show, .params = { "id" } },
	{ .name = "applications.edit", .exec = m_app_edit, .params = { "id" }, .fields_too = true },
	{ .name = "applications.status", .exec = m_app_status, .params = { "id", "status", "note" } },
	{ .name = "applications.note", .exec = m_app_note, .params = { "id", "text" } },
	{ .name = "applications.remove", .exec = m_app_remove, .params = { "id" } },
	{ .name = "reminders.list", .exec = m_rem_list, .params = { "all" } },
	{ .name = "reminders.done", .exec = m_rem_done, .params = { "id" } },
	{ .name = "reminders.snooze", .exec = m_rem_snooze, .params = { "id", "for" } },
	{ .name = "contacts.add", .exec = m_contact_add, .fields_too = true },
	{ .name = "contacts.list", .exec = m_contact_list, .params = { "search" } },
	{ .name = "contacts.show", .exec = m_contact_show, .params = { "id" } },
	{ .name = "contacts.edit", .exec = m_contact_edit, .params = { "id" }, .fields_too = true },
	{ .name = "contacts.remove", .exec = m_contact_remove, .params = { "id" } },
	{ .name = "contacts.link", .exec = m_contact_link, .params = { "id", "application", "unlink" } },
	{ .name = "stats", .exec = m_stats, .params = { "report", "weeks", "limit" } },
	{ .name = "import", .exec = m_import, .params = { "csv", "skip_bad" } },
	{ .name = "export", .exec = m_export },
	{ .name = "backup", .exec = m_backup, .params = { "path" } },
	{ .name = "rules.test", .exec_async = m_rules_test, .params = { "messages" } },
	{ .name = "mail.status", .exec = m_mail_status },
	{ .name = "mail.sync", .exec = m_mail_sync },
	{ .name = "mail.model", .exec = m_mail_model },
	{ .name = "mail.learn", .exec_async = learning_learn, .params = { "kind", "messages" } },
	{ .name = "mail.unlearn", .exec_async = learning_unlearn, .params = { "messages" } },
	{ .name = "review.list", .exec = m_review_list },
	{ .name = "review.show", .exec_async = m_review_show, .params = { "id" } },
	{ .name = "review.apply", .exec_async = m_review_apply, .params = { "id", "application", "kind" } },
	{ .name = "review.drop", .exec = m_review_drop, .params = { "id" } },
	{ .name = "review.retry", .exec_async = m_review_retry },
	{ .name = "interviews.add", .exec = m_interview_add, .fields_too = true },
	{ .name = "interviews.list", .exec = m_interview_list, .params = { "from", "to", "type" } },
	{ .name = "interviews.edit", .exec = m_interview_edit, .params = { "id" }, .fields_too = true },
	{ .name = "interviews.remove", .exec = m_interview_remove, .params = { "id" } },
	{ .name = "upcoming", .exec = m_upcoming, .params = { "days" } },
	{ .name = "match", .exec = m_match, .params = { "resume", "resume_text", "application", "jd_text", "all", "mode", "limit" } },
	{ .name = "calendar", .exec = m_calendar },
	{ .name = "resumes.add", .exec = m_resume_add, .params = { "name", "text", "replace" } },
	{ .name = "resumes.list", .exec = m_resume_list },
	{ .name = "resumes.show", .exec = m_resume_show, .params = { "name" } },
	{ .name = "resumes.remove", .exec = m_resume_remove, .params = { "name" } },
	{ .name = "resumes.default", .exec = m_resume_default, .params = { "name" } },
	{ .name = "profile.get", .exec = m_profile_get },
	/* the profile fields themselves, checked by profile_set() with a suggestion */
	{ .name = "profile.set", .exec = m_profile_set, .fields_too = true },
};

static int check_params(const struct method *m, json_t *params, GError **error)
{
	const char *key;
	json_t *value;

	if (m->fields_too)
		return 0;
	json_object_foreach(params, key, value) {
		bool known = false;
		for (size_t i = 0; i < METHOD_MAX_PARAMS && m->params[i]; i++)
			known = known || strcmp(m->params[i], key) == 0;
		if (!known)
			return at_error_set(error, -EINVAL, "%s: unknown parameter \"%s\"", m->name, key);
	}
	return 0;
}

int methods_call(struct daemon *d, const char *method, json_t *params, struct call *call, json_t **ret_result,
		 char **ret_raw, json_t **ret_data, GError **error)
{
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++) {
		const struct method *m = &methods[i];
		if (strcmp(m->name, method) != 0)
			continue;
		int r = check_params(m, params, error);
		if (r < 0)
			return r;
		if (m->exec_raw)
			return m->exec_raw(d, params, ret_raw, error);
		if (m->exec_async)
			return m->exec_async(d, params, call, error);
		json_t *result = NULL;
		r = m->exec(d, params, &result, ret_data, error);
		if (r < 0) {
			json_decref(result);
			return r;
		}
		*ret_result = result;
		return 0;
	}
	return at_error_set(error, -ENOSYS, "unknown method \"%s\"", method);
}
