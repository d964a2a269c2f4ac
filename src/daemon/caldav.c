/* SPDX-License-Identifier: GPL-3.0-or-later */
/* caldav.c - the feed's other outputs: the [calendar] vdir, written by the builder thread,
 * and the [caldav] collection, kept equal to the feed by a worker thread of its own.
 *
 * After each build the builder writes the vdir (vdir.c) and hands the collection's
 * resources (feed_resources(), of the kinds [caldav] send names, reminders as [caldav]
 * reminders_as) to the main loop, which stores them in the outbox (caldav_outbox.c; through
 * the write gate, as every write of the main thread) and wakes the worker. The main loop
 * gives the worker one job at a time: the first after a start (or a new url) asks the server
 * what it holds (PROPFIND), so that nothing is doubled and edits there are overwritten;
 * the others carry up to CALDAV_BATCH pending changes. The worker runs password_command,
 * makes the requests (dav.c: PUT with If-None-Match: * or If-Match, DELETE with If-Match;
 * on 412 once more without a condition: the collection is apptrack's) and hands back what
 * the server did; the main loop records it in the outbox. A failed job stops its batch and
 * is tried again after a back-off, CALDAV_RETRY_FIRST seconds doubling to CALDAV_RETRY_MAX;
 * changes meanwhile wait in the outbox. The main loop never waits for the network, and a
 * stop does not wait for a slow server: its request is given up (dav_set_cancel()). A job
 * that comes back after a reload changed the url is dropped unrecorded.
 */
#include "daemon.h"

#include "apptrack/caldav_outbox.h"
#include "apptrack/dav.h"
#include "apptrack/error.h"
#include "apptrack/feed.h"
#include "apptrack/log.h"
#include "apptrack/secret.h"
#include "apptrack/timeutil.h"
#include "apptrack/vdir.h"

#include <string.h>

#define CALDAV_BATCH 200      /* changes per job */
#define CALDAV_RETRY_FIRST 5  /* seconds before the first retry */
#define CALDAV_RETRY_MAX 900  /* seconds between retries at most */

/* One round of work, made on the main loop, done by the worker. */
struct caldav_job {
	char *url;
	char *user;
	char *password;         /* [caldav] password, or NULL */
	char *password_command;
	bool learn;             /* PROPFIND only */
	GPtrArray *entries;     /* of struct outbox_entry * */
	/* the answers */
	GHashTable *server;     /* learn: name -> ETag */
	GPtrArray *results;     /* of struct outbox_result * */
	char *error;            /* the message of the failure that stopped it */
};

struct caldav {
	struct daemon *d;
	GThread *worker;
	GMutex lock;            /* guards job, done and done_source */
	GCond wake;
	struct caldav_job *job; /* handed to the worker, until it takes it */
	gint stopping;          /* atomic: also cuts the worker's requests short (dav_set_cancel) */
	struct done *done;      /* a finished job posted to the main loop, not taken yet */
	guint done_source;
	/* main loop */
	bool busy;              /* a job is out */
	char *learned_url;      /* the collection whose content is known since the start */
	guint retry;            /* the back-off's timer */
	unsigned backoff;       /* seconds, 0 after a success */
	int64_t retry_at;
	int64_t last_sync;      /* when the collection last was equal to the feed */
	char *last_error;
};

/* A finished job on its way to the main loop. */
struct done {
	struct daemon *d;
	struct caldav_job *job;
};

static void job_free(struct caldav_job *j)
{
	if (!j)
		return;
	g_free(j->url);
	g_free(j->user);
	secret_free(j->password);
	g_free(j->password_command);
	if (j->entries)
		g_ptr_array_unref(j->entries);
	if (j->server)
		g_hash_table_unref(j->server);
	if (j->results)
		g_ptr_array_unref(j->results);
	g_free(j->error);
	g_free(j);
}

/* ---- the builder's part ---- */

void calendar_outputs_set(struct calendar_outputs *o, const struct config *config)
{
	calendar_outputs_clear(o);
	o->vdir = g_strdup(config->calendar_vdir);
	o->caldav = config->caldav_url != NULL;
	o->caldav_todo = config->caldav_todo;
	o->caldav_send = config->caldav_send;
}

void calendar_outputs_clear(struct calendar_outputs *o)
{
	g_free(o->vdir);
	*o = (struct calendar_outputs){ 0 };
}

static void offer_now(struct daemon *d, GPtrArray *resources);
static void caldav_kick(struct caldav *cd);

static void offer_later(struct daemon *d, void *data)
{
	offer_now(d, data);
}

/* Main loop: the builder's resources into the outbox. */
static void offer_now(struct daemon *d, GPtrArray *resources)
{
	struct caldav *cd = d->caldav;
	const char *url = d->config->caldav_url;
	g_autoptr(GError) error = NULL;

	if (!cd || !url) {
		g_ptr_array_unref(resources);
		return;
	}
	if (gate_closed(d, false)) { /* an import is writing: after it */
		gate_defer(d, false, offer_later, resources);
		return;
	}
	if (outbox_offer(d->store, url, resources, &error) < 0) {
		log_warnx("CalDAV outbox not updated: %s", error->message);
		g_free(cd->last_error);
		cd->last_error = g_strdup(error->message);
	}
	g_ptr_array_unref(resources);
	caldav_kick(cd);
}

struct offer {
	struct daemon *d;
	GPtrArray *resources;
};

static gboolean on_offer(gpointer data)
{
	struct offer *o = data;

	offer_now(o->d, o->resources);
	g_free(o);
	return G_SOURCE_REMOVE;
}

void calendar_outputs_run(struct daemon *d, const struct calendar_outputs *o, store *reader, struct feed *f,
			  bool as_todo, struct feed **caldav_feed)
{
	g_autoptr(GError) error = NULL;

	if (o->vdir) {
		GPtrArray *all = feed_resources(f, FEED_INTERVIEWS | FEED_REMINDERS);
		struct vdir_stats st;
		if (vdir_sync(o->vdir, all, &st, &error) < 0)
			log_warnx("%s", error->message);
		else if (st.written || st.removed)
			log_debug("calendar vdir %s: %u written, %u removed, %u unchanged", o->vdir, st.written, st.removed,
				  st.kept);
		g_ptr_array_unref(all);
		g_clear_error(&error);
	}
	if (!o->caldav)
		return;
	struct feed *cf = f;
	if (o->caldav_todo != as_todo) {
		GBytes *text = NULL;
		int64_t modified;
		if (!*caldav_feed)
			*caldav_feed = feed_new();
		if (feed_update(*caldav_feed, reader, o->caldav_todo, time_now(), &text, &modified, NULL, &error) < 0) {
			log_warnx("CalDAV collection not updated: %s", error->message);
			return;
		}
		g_bytes_unref(text);
		cf = *caldav_feed;
	}
	struct offer *of = g_new0(struct offer, 1);
	of->d = d;
	of->resources = feed_resources(cf, o->caldav_send);
	g_idle_add(on_offer, of); /* the default context: thread-safe */
}

/* ---- the worker (its own thread) ---- */

static int get_password(struct caldav_job *j, char **ret, GError **error)
{
	g_autoptr(GError) e = NULL;
	int r = secret_get(j->password, j->password_command, ret, &e);

	return r < 0 ? at_error_set(error, r, "[caldav] %s", e->message) : 0;
}

/* One change; on 412 (edited or deleted on the server) once more without a condition. */
static int push_one(struct dav *dav, const struct outbox_entry *e, char **ret_etag, GError **error)
{
	int r;

	if (e->body) {
		r = dav_put(dav, e->name, e->body, strlen(e->body), e->etag ? e->etag : "", ret_etag, error);
		if (r == -EEXIST) {
			g_clear_error(error);
			r = dav_put(dav, e->name, e->body, strlen(e->body), NULL, ret_etag, error);
		}
		return r;
	}
	r = dav_delete(dav, e->name, e->etag, error);
	if (r == -EEXIST) {
		g_clear_error(error);
		r = dav_delete(dav, e->name, NULL, error);
	}
	return r;
}

static void run_job(struct caldav *cd, struct caldav_job *j)
{
	g_autoptr(GError) error = NULL;
	char *password = NULL;

	j->results = g_ptr_array_new_with_free_func(outbox_result_free);
	if (get_password(j, &password, &error) < 0) {
		j->error = g_strdup(error->message);
		return;
	}
	struct dav *dav = dav_new(j->url, j->user, password);
	secret_free(password);
	dav_set_cancel(dav, &cd->stopping);
	if (j->learn && dav_list(dav, &j->server, &error) < 0)
		j->error = g_strdup(error->message);
	for (guint i = 0; !j->learn && i < j->entries->len; i++) {
		const struct outbox_entry *e = j->entries->pdata[i];
		char *etag = NULL;
		if (push_one(dav, e, &etag, &error) < 0) {
			j->error = g_strdup(error->message);
			break;
		}
		struct outbox_result *res = g_new0(struct outbox_result, 1);
		res->name = g_strdup(e->name);
		res->hash = g_strdup(e->hash);
		res->etag = etag;
		g_ptr_array_add(j->results, res);
	}
	dav_free(dav);
}

static void job_done(struct daemon *d, struct caldav_job *j);

static gboolean on_done(gpointer data)
{
	struct done *dn = data;
	struct caldav *cd = dn->d->caldav;

	g_mutex_lock(&cd->lock);
	cd->done = NULL;
	cd->done_source = 0;
	g_mutex_unlock(&cd->lock);
	job_done(dn->d, dn->job);
	g_free(dn);
	return G_SOURCE_REMOVE;
}

static gpointer worker_main(gpointer data)
{
	struct caldav *cd = data;

	g_mutex_lock(&cd->lock);
	for (;;) {
		while (!cd->job && !g_atomic_int_get(&cd->stopping))
			g_cond_wait(&cd->wake, &cd->lock);
		if (g_atomic_int_get(&cd->stopping))
			break;
		struct caldav_job *j = g_steal_pointer(&cd->job);
		g_mutex_unlock(&cd->lock);
		run_job(cd, j);
		struct done *dn = g_new0(struct done, 1);
		dn->d = cd->d;
		dn->job = j;
		g_mutex_lock(&cd->lock);
		cd->done = dn; /* caldav_stop() takes it back if the main loop never runs it */
		cd->done_source = g_idle_add(on_done, dn);
	}
	g_mutex_unlock(&cd->lock);
	return NULL;
}

/* ---- the main loop's part ---- */

static gboolean on_retry(gpointer data)
{
	struct caldav *cd = data;

	cd->retry = 0;
	caldav_kick(cd);
	return G_SOURCE_REMOVE;
}

/* Gives the worker the next job, unless one is out, a retry waits or nothing is to do. */
static void caldav_kick(struct caldav *cd)
{
	const struct config *config = cd->d->config;
	g_autoptr(GError) error = NULL;
	GPtrArray *entries = NULL;

	if (cd->busy || cd->retry || !config->caldav_url)
		return;
	bool learn = g_strcmp0(cd->learned_url, config->caldav_url) != 0;
	if (!learn && outbox_pending(cd->d->store, config->caldav_url, CALDAV_BATCH, &entries, &error) < 0) {
		log_warnx("CalDAV outbox not read: %s", error->message);
		return;
	}
	if (!learn && !entries->len) {
		g_ptr_array_unref(entries);
		return;
	}
	struct caldav_job *j = g_new0(struct caldav_job, 1);
	j->url = g_strdup(config->caldav_url);
	j->user = g_strdup(config->caldav_user);
	j->password = g_strdup(config->caldav_password);
	j->password_command = g_strdup(config->caldav_password_command);
	j->learn = learn;
	j->entries = entries ? entries : g_ptr_array_new();
	cd->busy = true;
	g_mutex_lock(&cd->lock);
	cd->job = j;
	g_cond_signal(&cd->wake);
	g_mutex_unlock(&cd->lock);
}

static void done_later(struct daemon *d, void *data)
{
	job_done(d, data);
}

/* Main loop: records what the worker did, then the next job or the back-off. */
static void job_done(struct daemon *d, struct caldav_job *j)
{
	struct caldav *cd = d->caldav;
	g_autoptr(GError) error = NULL;

	if (!cd) { /* stopping */
		job_free(j);
		return;
	}
	if (gate_closed(d, false)) {
		gate_defer(d, false, done_later, j);
		return;
	}
	cd->busy = false;
	if (g_strcmp0(j->url, d->config->caldav_url) != 0) {
		/* a reload changed the url while the job was out: its answers are the old
		 * collection's, and must not be recorded against the new one */
		job_free(j);
		caldav_kick(cd);
		return;
	}
	int r = 0;
	if (j->server && (r = outbox_learn(d->store, j->url, j->server, &error)) >= 0) {
		g_free(cd->learned_url);
		cd->learned_url = g_strdup(j->url);
	}
	if (r >= 0 && j->results->len)
		r = outbox_apply(d->store, j->results, &error);
	if (r < 0 && !j->error)
		j->error = g_strdup(error->message);
	if (j->error) {
		if (g_strcmp0(cd->last_error, j->error) != 0)
			log_warnx("%s%s", g_str_has_prefix(j->error, "CalDAV") ? "" : "CalDAV: ", j->error);
		g_free(cd->last_error);
		cd->last_error = g_steal_pointer(&j->error);
		cd->backoff = cd->backoff ? MIN(cd->backoff * 2, CALDAV_RETRY_MAX) : CALDAV_RETRY_FIRST;
		cd->retry_at = time_now() + cd->backoff;
		cd->retry = g_timeout_add_seconds(cd->backoff, on_retry, cd);
		log_debug("CalDAV: next try in %u s", cd->backoff);
	} else {
		if (cd->last_error)
			log_info("CalDAV: %s reached again", j->url);
		g_clear_pointer(&cd->last_error, g_free);
		cd->backoff = 0;
		int64_t pending = 0;
		if (outbox_count(d->store, j->url, &pending, NULL) >= 0 && pending == 0)
			cd->last_sync = time_now();
		if (j->results->len)
			log_debug("CalDAV: %u change(s) pushed, %" G_GINT64_FORMAT " pending", j->results->len, pending);
	}
	job_free(j);
	caldav_kick(cd);
}

void caldav_start(struct daemon *d)
{
	struct caldav *cd = g_new0(struct caldav, 1);

	cd->d = d;
	g_mutex_init(&cd->lock);
	g_cond_init(&cd->wake);
	cd->worker = g_thread_new("caldav", worker_main, cd);
	d->caldav = cd;
	caldav_kick(cd); /* learn what the server holds, and push what waited since the last run */
}

void caldav_stop(struct daemon *d)
{
	struct caldav *cd = d->caldav;

	if (!cd)
		return;
	g_mutex_lock(&cd->lock);
	g_atomic_int_set(&cd->stopping, 1); /* a request under way gives up within a second */
	g_cond_signal(&cd->wake);
	g_mutex_unlock(&cd->lock);
	g_thread_join(cd->worker);
	d->caldav = NULL;
	job_free(cd->job);
	if (cd->done_source) { /* a job done but not recorded: the outbox still has its changes */
		g_source_remove(cd->done_source);
		job_free(cd->done->job);
		g_free(cd->done);
	}
	if (cd->retry)
		g_source_remove(cd->retry);
	g_mutex_clear(&cd->lock);
	g_cond_clear(&cd->wake);
	g_free(cd->learned_url);
	g_free(cd->last_error);
	g_free(cd);
}

void caldav_reload(struct daemon *d)
{
	struct caldav *cd = d->caldav;

	if (cd) {
		if (cd->retry)
			g_source_remove(cd->retry);
		cd->retry = 0;
		cd->backoff = 0;
		caldav_kick(cd);
	}
	calendar_changed(d);
}

json_t *caldav_info(struct daemon *d)
{
	const struct config *config = d->config;
	struct caldav *cd = d->caldav;
	char sync[TIME_ISO_LEN], next[TIME_ISO_LEN];
	int64_t pending = 0;
	g_autoptr(GError) error = NULL;

	if (!config->caldav_url)
		return json_null();
	if (outbox_count(d->store, config->caldav_url, &pending, &error) < 0)
		log_warnx("CalDAV outbox not read: %s", error->message);
	bool learned = cd && g_strcmp0(cd->learned_url, config->caldav_url) == 0;
	return json_pack("{s:s,s:s,s:I,s:b,s:o,s:o,s:o,s:s,s:s}", "url", config->caldav_url, "user",
			 config->caldav_user ? config->caldav_user : "", "pending", (json_int_t)pending, "learned", learned,
			 "last_sync", cd && cd->last_sync ? json_string(time_format_iso(cd->last_sync, sync)) : json_null(),
			 "last_error", cd && cd->last_error ? json_string(cd->last_error) : json_null(), "next_try",
			 cd && cd->retry ? json_string(time_format_iso(cd->retry_at, next)) : json_null(), "send",
			 config->caldav_send_text ? config->caldav_send_text : "both", "reminders_as",
			 config->caldav_todo ? "todo" : "event");
}
