/* SPDX-License-Identifier: GPL-3.0-or-later */
/* importing.c - the import method off the main loop, and the write gate that keeps the
 * main thread's writes waiting while an import writes (docs/decisions.md, "Import off the
 * main loop").
 *
 * An import runs on a thread of its own ("import"), which opens a connection of its own to
 * the database file (store_open()), parses and validates the CSV and writes every row in
 * one transaction through the tracking modules (transfer_import_csv_until()): the
 * applications, their events and their reminders, as a typed `add` would. WAL lets the
 * main connection read its snapshot meanwhile, so pings and reads are answered at once.
 * The thread hands the outcome to the main loop, which answers the call; the dispatcher
 * then announces import.done. All or nothing as before: the transaction commits whole,
 * or rolls back on a bad row, on an error, or when the daemon stops (importing_stop()
 * cancels it between two rows).
 *
 * The gate: while the import's transaction may be open, a write on the main connection
 * would wait for SQLite's lock (the busy timeout) with the main loop stopped. So every
 * write of the main thread asks gate_closed() first and, when it is, queues itself with
 * gate_defer(): the methods that declare events (the dispatcher, methods.c), the mail
 * batches (mail.c) and the scheduler's raising and acting on reminders (scheduler.c).
 * When the import ends they run in the order they came. An import is exclusive: it waits
 * (queued like a write) while a writer call that answers later is in flight, since that
 * call writes when it ends; a second import waits for the first.
 */
#include "methods.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/transfer.h"

/* A write waiting for the gate. */
struct gate_entry {
	gate_fn fn;
	void *data;
	bool exclusive; /* an import: waits also for the writers in flight */
};

/* The import running: what its thread is given, and what it leaves. */
struct import_job {
	struct daemon *d;
	struct call *call;
	GThread *thread;
	/* the thread's input: csv is borrowed from call->params, which the call holds and
	 * nothing changes until the call ends */
	char *path;
	const char *csv;
	size_t len;
	bool skip_bad;
	struct pipeline_delays delays; /* a copy: a reload may change the daemon's meanwhile */
	gint cancel;                   /* set by importing_stop() */
	/* the thread's output, read by the main loop once the thread is done */
	int r;
	json_t *report;
	json_t *bad; /* the rows that refused the file */
	GError *error;
};

/* ---- the gate ---- */

bool gate_closed(struct daemon *d, bool exclusive)
{
	struct gate *g = &d->gate;

	return g->job || !g_queue_is_empty(&g->queue) || (exclusive && g->writers > 0 && !g->stopping);
}

void gate_defer(struct daemon *d, bool exclusive, gate_fn fn, void *data)
{
	struct gate_entry *e = g_new(struct gate_entry, 1);

	*e = (struct gate_entry){ .fn = fn, .data = data, .exclusive = exclusive };
	g_queue_push_tail(&d->gate.queue, e);
}

/* Runs what waits, oldest first, until an import runs again or the next import has to
 * wait for a writer in flight. */
static void gate_drain(struct daemon *d)
{
	struct gate *g = &d->gate;

	if (g->draining) /* a write that waited ended a call: the loop below goes on */
		return;
	g->draining = true;
	while (!g->job && !g_queue_is_empty(&g->queue)) {
		struct gate_entry *e = g_queue_peek_head(&g->queue);
		if (e->exclusive && g->writers > 0 && !g->stopping)
			break;
		g_queue_pop_head(&g->queue);
		e->fn(d, e->data);
		g_free(e);
	}
	g->draining = false;
}

void gate_writer_begin(struct daemon *d)
{
	d->gate.writers++;
}

void gate_writer_end(struct daemon *d)
{
	g_return_if_fail(d->gate.writers > 0);
	d->gate.writers--;
	gate_drain(d);
}

/* ---- the import ---- */

static gboolean import_done(gpointer data);

static gpointer import_thread(gpointer data)
{
	struct import_job *job = data;
	g_autoptr(store) s = NULL;
	int r = store_open(job->path, &s, &job->error);

	if (r == 0) {
		struct pipeline p = { .store = s, .delays = &job->delays };
		r = transfer_import_csv_until(&p, job->csv, job->len, job->skip_bad, &job->cancel, job->bad,
					      &job->report, &job->error);
	}
	job->r = r;
	g_clear_pointer(&s, store_close); /* before the main loop hears of it: the commit is whole */
	g_idle_add(import_done, job);
	return NULL;
}

/* Main loop: the thread is done; answer the call (the dispatcher announces import.done). */
static gboolean import_done(gpointer data)
{
	struct import_job *job = data;
	struct daemon *d = job->d;
	struct call *c = job->call;
	int r = job->r;

	g_thread_join(job->thread);
	d->gate.job = NULL;
	if (r == 0) {
		c->result = g_steal_pointer(&job->report);
		log_info("imported %" JSON_INTEGER_FORMAT " applications",
			 json_integer_value(json_object_get(c->result, "imported")));
		c->report = json_incref(c->result);
	} else {
		c->error = g_steal_pointer(&job->error);
		if (!c->error)
			at_error_set(&c->error, r, "the import failed");
		if (json_array_size(job->bad) > 0)
			c->data = json_pack("{s:O}", "rows", job->bad);
		if (r == -ECANCELED)
			log_warnx("apptrackd stopped during an import: it was rolled back, nothing imported");
	}
	json_decref(job->report);
	json_decref(job->bad);
	g_clear_error(&job->error);
	g_free(job->path);
	g_free(job);
	call_finish(c, r); /* then the writes that waited run (gate_writer_end()) */
	return G_SOURCE_REMOVE;
}

int importing_import(struct call *c)
{
	struct daemon *d = c->d;
	const char *csv = NULL;
	bool skip_bad = false;
	g_autoptr(GError) error = NULL;
	int r;

	if ((r = param_string(c->params, "csv", true, &csv, &c->error)) < 0 ||
	    (r = param_bool(c->params, "skip_bad", &skip_bad, &c->error)) < 0)
		return r;
	if (d->gate.stopping)
		return at_error_set(&c->error, -ESHUTDOWN, "apptrackd is stopping: nothing imported");
	g_return_val_if_fail(!d->gate.job, -EBUSY); /* the dispatcher lets one import run at a time */

	struct import_job *job = g_new0(struct import_job, 1);
	*job = (struct import_job){
		.d = d,
		.call = c,
		.path = g_strdup(store_path(d->store)),
		.csv = csv,
		.len = json_string_length(json_object_get(c->params, "csv")),
		.skip_bad = skip_bad,
		.delays = d->delays,
		.bad = json_array(),
	};
	d->gate.job = job;
	job->thread = g_thread_try_new("import", import_thread, job, &error);
	if (!job->thread) {
		d->gate.job = NULL;
		json_decref(job->bad);
		g_free(job->path);
		g_free(job);
		return at_error_set(&c->error, -EAGAIN, "cannot start the import: %s", error->message);
	}
	return -EINPROGRESS;
}

void importing_stop(struct daemon *d)
{
	struct gate *g = &d->gate;

	g->stopping = true;
	if (g->job) {
		g_atomic_int_set(&g->job->cancel, 1);
		log_info("stopping: cancelling the import under way");
		while (g->job) /* its thread ends at the next row; import_done() answers */
			g_main_context_iteration(NULL, TRUE);
	}
	gate_drain(d);
}
