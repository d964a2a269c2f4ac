/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail.c - one worker thread per mail account, the hand-off to the main loop, and the status.
 *
 * Workers read, parse and classify (reading.c, which also keeps the record of the message
 * being read that a crash leaves behind); they never touch the database. A driver, chosen
 * by the account's type (mail_driver.h), does what is particular to the mailbox: IMAP
 * (mail_imap.c) or Maildir (mail_maildir.c). The worker loop here opens the driver's store,
 * then round after round syncs every folder (the driver reads what is new in batches of at
 * most MAIL_BATCH_MAX and hands them over), and waits: the driver's idle() when the store
 * can idle, else poll_interval. A failure closes the store and the worker opens it again
 * after a delay that doubles from BACKOFF_MIN_S to BACKOFF_MAX_S, each with +-50% jitter,
 * and goes back to BACKOFF_MIN_S once a sync succeeds (only IMAP fails so: a Maildir's
 * problems are reported and the next scan tries again).
 *
 * The main thread, which owns the database, applies each batch in one transaction (a batch
 * of more than MAIL_BATCH_MAX_BYTES is handed over in parts, so that none holds the main
 * loop long); for IMAP the folder's mail_state (UIDVALIDITY, last UID) advances in that
 * same transaction, so a crash loses nothing and applies nothing twice (mailapply.c also
 * remembers every Message-ID, which is what makes a rescan after a UIDVALIDITY change, or
 * of a Maildir after a restart, harmless). At most MAIL_PENDING_MAX batches per worker
 * wait for the main thread. When a batch cannot be committed, the worker's later batches
 * are dropped and it starts again from what was committed. While an import writes, a
 * batch waits for it in the write gate (importing.c), still counted as waiting.
 *
 * mail_sync() and mail_stop() wake a worker through its pipe; mail_stop() also shuts its
 * socket down so that a command in progress ends at once, then joins it.
 */
#include "mail_driver.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/mailapply.h"
#include "apptrack/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Raw bytes per transaction (a larger message alone): a batch's review entries keep their
 * raw messages, and writing them must not hold the main loop long. */
#define MAIL_BATCH_MAX_BYTES ((size_t)4 << 20)
#define MAIL_PENDING_MAX 4   /* batches a worker may have waiting for the main thread */
#define BACKOFF_MIN_S 1
#define BACKOFF_MAX_S 300

struct mail_item {
	char *raw;
	size_t len;
	uint32_t uid; /* 0 for Maildir */
	struct read_result read; /* parsed and classified by the worker */
};

static void item_free(gpointer p)
{
	struct mail_item *it = p;
	g_free(it->raw);
	read_result_clear(&it->read);
	g_free(it);
}

struct mail_batch *mail_batch_new(struct worker *w, size_t folder)
{
	struct mail_batch *b = g_new0(struct mail_batch, 1);
	b->w = w;
	b->folder = folder;
	b->items = g_ptr_array_new_with_free_func(item_free);
	return b;
}

void mail_batch_free(struct mail_batch *b)
{
	g_ptr_array_free(b->items, TRUE);
	g_free(b);
}

static void batch_destroy(gpointer p)
{
	mail_batch_free(p);
}

void mail_batch_add(struct mail_batch *b, uint32_t uid, const char *raw, size_t len, char *owned, const char *what)
{
	struct worker *w = b->w;
	struct mail_item *it = g_new0(struct mail_item, 1);
	const struct read_origin origin = { { w->account->name, w->folders[b->folder].name, uid }, 0, what };

	it->uid = uid;
	it->raw = owned ? owned : g_memdup2(raw, len + 1);
	it->raw[len] = '\0';
	it->len = len;
	b->bytes += len;
	read_message(w->marker, w->d->quarantined, w->rules, it->raw, it->len, &origin, &it->read);
	if (it->read.quarantined)
		log_debug("account %s: %s is quarantined, not reading it", w->account->name, what);
	else if (!it->read.message)
		log_debug("account %s: %s is not a mail message, ignoring", w->account->name, what);
	g_ptr_array_add(b->items, it);
}

static gboolean on_state_changed(gpointer data)
{
	service_changed(data);
	return G_SOURCE_REMOVE;
}

/* Worker thread: the account's state may read differently now (systemd's status line). */
static void state_changed(struct worker *w)
{
	g_idle_add(on_state_changed, w->d);
}

static void set_error(struct worker *w, const char *message)
{
	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		g_free(w->last_error);
		w->last_error = g_strdup(message);
	}
	state_changed(w);
}

/* Oldest first by the Date header (messages without one first; equal dates keep their
 * order: the sort is stable), so that a confirmation is applied before the later
 * mail about it even when a folder holds them out of order. */
static gint by_date(gconstpointer a, gconstpointer b)
{
	const struct mail_item *x = *(struct mail_item *const *)a, *y = *(struct mail_item *const *)b;
	int64_t dx = x->read.message ? x->read.message->date : 0, dy = y->read.message ? y->read.message->date : 0;
	return dx < dy ? -1 : dx > dy;
}

/* A batch being applied, and what became of its messages. */
struct applying {
	struct mail_batch *b;
	unsigned applied, queued;
};

/* The transaction of a batch: its messages by date, then the folder's mail_state. */
static int apply_batch_tx(store *s, void *arg, json_t **ret, GError **error)
{
	struct applying *a = arg;
	struct worker *w = a->b->w;
	struct daemon *d = w->d;
	struct folder *f = &w->folders[a->b->folder];
	int r;

	(void)ret;
	g_ptr_array_sort(a->b->items, by_date); /* GLib's sort is stable */
	for (guint i = 0; i < a->b->items->len; i++) {
		struct mail_item *it = a->b->items->pdata[i];
		struct mail_origin origin = { w->account->name, f->name, it->uid };
		enum apply_outcome outcome = APPLY_IGNORED;
		int64_t id = 0;
		if (it->read.quarantined) {
			if ((r = mailapply_quarantine_met(s, it->read.key, it->raw, it->len, error)) < 0)
				return r;
			continue;
		}
		if (!it->read.message)
			continue;
		r = mailapply_message(s, &d->policy, it->read.message, it->read.matched ? &it->read.match : NULL, it->raw,
				      it->len, &origin, &outcome, &id, error);
		if (r < 0)
			return r;
		if (outcome == APPLY_CREATED || outcome == APPLY_UPDATED)
			log_with(LOG_LEVEL_INFO, &(struct log_fields){ .account = w->account->name, .application_id = id },
				 "account %s: application %" G_GINT64_FORMAT " %s from a message in %s", w->account->name,
				 id, apply_outcome_name(outcome), f->name);
		a->applied += outcome == APPLY_CREATED || outcome == APPLY_UPDATED || outcome == APPLY_UNCHANGED ||
			      outcome == APPLY_CONTACT;
		a->queued += outcome == APPLY_REVIEW;
	}
	if (!a->b->uidvalidity)
		return 0;
	return mailapply_state_advance(s, w->account->name, f->name, a->b->uidvalidity, a->b->last_uid, error);
}

static void apply_batch_now(struct mail_batch *b);

/* The write gate opened (importing.c): the batch that waited for an import is applied. */
static void apply_batch_later(struct daemon *d, void *data)
{
	(void)d;
	apply_batch_now(data);
	mail_batch_free(data);
}

/* Main thread: applies a batch handed over, or, while an import writes, has it wait for
 * the import in the write gate (the batch moves there; this source frees an empty one).
 * The worker's pending count covers it meanwhile, so the worker waits too. */
static gboolean apply_batch(gpointer data)
{
	struct mail_batch *b = data;

	if (gate_closed(b->w->d, false)) {
		struct mail_batch *later = g_memdup2(b, sizeof(*b));
		b->items = g_ptr_array_new();
		gate_defer(b->w->d, false, apply_batch_later, later);
		return G_SOURCE_REMOVE;
	}
	apply_batch_now(b);
	return G_SOURCE_REMOVE;
}

/* Main thread: classify and apply a batch, and advance mail_state, in one transaction. */
static void apply_batch_now(struct mail_batch *b)
{
	struct worker *w = b->w;
	struct daemon *d = w->d;
	struct folder *f = &w->folders[b->folder];
	g_autoptr(GError) error = NULL;
	struct applying a = { .b = b };
	bool skip;
	int r;

	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		skip = w->failed; /* an earlier batch failed: the worker reads everything after it again */
	}
	r = skip ? -ECANCELED : store_transaction(d->store, apply_batch_tx, &a, NULL, &error);

	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		w->pending--;
		g_cond_broadcast(&w->drained);
		if (r == 0) {
			f->applied += a.applied;
			f->queued += a.queued;
			if (b->uidvalidity) {
				if (f->committed_validity != b->uidvalidity || b->last_uid > f->committed_uid)
					f->committed_uid = b->last_uid;
				f->committed_validity = b->uidvalidity;
			}
		} else if (!skip) {
			w->failed = true;
			g_free(w->last_error);
			w->last_error = g_strdup_printf("applying mail failed: %s", error->message);
		}
	}
	if (r < 0 && !skip)
		log_with(LOG_LEVEL_WARNING, &(struct log_fields){ .account = w->account->name },
			 "account %s: applying mail failed, it will be read again: %s", w->account->name, error->message);
	else if (a.applied || a.queued)
		daemon_changed(d, "mail.applied", NULL);
}

/* Worker thread: gives a batch to the main thread, first waiting while too many wait. */
static void hand_over_one(struct mail_batch *b)
{
	struct worker *w = b->w;

	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		while (w->pending >= MAIL_PENDING_MAX && !w->stop)
			g_cond_wait(&w->drained, &w->lock);
		w->pending++;
	}
	g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, apply_batch, b, batch_destroy);
}

static gint by_uid(gconstpointer a, gconstpointer b)
{
	const struct mail_item *x = *(struct mail_item *const *)a, *y = *(struct mail_item *const *)b;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Worker thread: gives a batch to the main thread in parts of at most MAIL_BATCH_MAX_BYTES
 * (a larger message alone). An IMAP batch is cut in UID order: each part advances
 * mail_state to its own last UID, the last part to the batch's, so what a part commits
 * covers every UID below it. */
void mail_hand_over(struct mail_batch *b)
{
	if (b->uidvalidity)
		g_ptr_array_sort(b->items, by_uid);
	while (b->items->len > 1 && b->bytes > MAIL_BATCH_MAX_BYTES) {
		struct mail_batch *part = mail_batch_new(b->w, b->folder);
		part->uidvalidity = b->uidvalidity;
		do {
			struct mail_item *it = g_ptr_array_steal_index(b->items, 0);
			b->bytes -= it->len;
			part->bytes += it->len;
			part->last_uid = it->uid;
			g_ptr_array_add(part->items, it);
		} while (b->items->len > 1 &&
			 part->bytes + ((struct mail_item *)b->items->pdata[0])->len <= MAIL_BATCH_MAX_BYTES);
		hand_over_one(part);
	}
	hand_over_one(b);
}

bool mail_stopping(struct worker *w)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	return w->stop;
}

void mail_drain_wake(struct worker *w)
{
	char buf[64];
	while (read(w->wake[0], buf, sizeof buf) > 0)
		;
}

/* Sleeps up to timeout_ms, or until mail_sync() or mail_stop(). */
static void wait_wake(struct worker *w, int64_t timeout_ms)
{
	struct pollfd p = { .fd = w->wake[0], .events = POLLIN };

	if (!mail_stopping(w) && poll(&p, 1, (int)MIN(timeout_ms, (int64_t)G_MAXINT)) > 0)
		mail_drain_wake(w);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	w->sync_now = false;
}

/* Start of a round: once the batches in flight are applied, forget what a failed batch
 * would have covered. Returns whether it did. */
static bool recover(struct worker *w)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);

	while (w->pending && !w->stop)
		g_cond_wait(&w->drained, &w->lock);
	if (!w->failed)
		return false;
	for (size_t i = 0; i < w->n_folders; i++) {
		w->folders[i].fetched = w->folders[i].committed_uid;
		w->folders[i].uidvalidity = w->folders[i].committed_validity;
	}
	w->failed = false;
	return true;
}

/* ---- the worker loop ---- */

bool mail_worker_online(struct worker *w, int fd)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);

	w->fd = fd;
	w->connected = true;
	w->next_attempt = 0;
	w->idle = false;
	return w->stop; /* mail_stop() came while connecting: it could not shut this socket down */
}

/* One opening of the store: sync, wait, sync... until a failure or mail_stop().
 * *ret_synced says whether at least one sync went through. */
static int session(struct worker *w, bool *ret_synced, GError **error)
{
	const struct mail_driver *drv = w->driver;
	struct mail_store *s = NULL;
	int r = drv->open(w, &s, error);

	*ret_synced = false;
	if (r < 0)
		return r;
	while (!mail_stopping(w)) {
		g_autoptr(GString) problems = g_string_new(NULL);
		if (recover(w) && drv->forget)
			drv->forget(s);
		for (size_t f = 0; f < w->n_folders && r == 0 && !mail_stopping(w); f++)
			r = drv->sync(s, f, problems, error);
		if (r < 0)
			break;
		*ret_synced = true;
		{
			g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
			w->last_sync = time_now();
			w->connected = problems->len == 0;
			g_free(w->last_error);
			w->last_error = problems->len ? g_strdup(problems->str) : NULL;
			w->idle = s->can_idle;
		}
		state_changed(w);
		if (!s->can_idle) {
			wait_wake(w, w->account->poll_interval * 1000);
			continue;
		}
		if ((r = drv->idle(s, error)) < 0)
			break;
	}
	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		w->fd = -1;
		w->connected = false;
		w->idle = false;
	}
	drv->close(s);
	return r;
}

static gpointer worker_main(gpointer data)
{
	struct worker *w = data;
	int64_t backoff = 0;
	g_autofree char *logged = NULL;

	log_thread_account(w->account->name); /* journald: everything this thread logs */
	reading_thread_init();
	while (!mail_stopping(w)) {
		g_autoptr(GError) error = NULL;
		bool synced;
		if (session(w, &synced, &error) == 0 || mail_stopping(w))
			continue;
		backoff = synced || !backoff ? BACKOFF_MIN_S : MIN(backoff * 2, BACKOFF_MAX_S);
		/* +-50% jitter, so that many clients do not come back at the same instant */
		int64_t delay_ms = backoff * 500 + g_random_int_range(0, (gint32)(backoff * 1000));
		set_error(w, error->message);
		{
			g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
			w->next_attempt = time_now() + (delay_ms + 999) / 1000;
		}
		/* the same failure again and again is logged once */
		if (g_strcmp0(logged, error->message) != 0)
			log_warnx("account %s: %s; trying again in %" G_GINT64_FORMAT " s, and then less and less often",
				  w->account->name, error->message, (delay_ms + 999) / 1000);
		g_free(logged);
		logged = g_strdup(error->message);
		wait_wake(w, delay_ms);
	}
	log_thread_account(NULL);
	return NULL;
}

/* ---- the main thread's side ---- */

struct mail {
	GPtrArray *workers; /* of struct worker * */
};

/* The driver for an account's type. */
static const struct mail_driver *driver_for(const struct account *a)
{
	return a->maildir ? &mail_maildir_driver : &mail_imap_driver;
}

static void worker_free(struct worker *w);

static int worker_new(struct daemon *d, const struct account *a, struct worker **ret_worker, GError **error)
{
	struct worker *w = g_new0(struct worker, 1);
	int r;

	*ret_worker = NULL;
	if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = at_error_set(error, -errno, "cannot create a pipe: %s", g_strerror(errno));
		g_free(w);
		return r;
	}
	g_mutex_init(&w->lock);
	g_cond_init(&w->drained);
	w->d = d;
	w->driver = driver_for(a);
	w->account = account_dup(a);
	w->fd = -1;
	w->n_folders = g_strv_length(a->folders);
	w->folders = g_new0(struct folder, w->n_folders);
	for (size_t i = 0; i < w->n_folders; i++) {
		struct folder *f = &w->folders[i];
		f->name = g_strdup(a->folders[i]);
		if (w->driver->uids &&
		    (r = mailapply_state_get(d->store, a->name, f->name, &f->committed_validity, &f->committed_uid,
					     error)) < 0) {
			w->n_folders = i + 1;
			worker_free(w);
			return r;
		}
		f->uidvalidity = f->committed_validity;
		f->fetched = f->committed_uid;
	}
	g_autofree char *slot = g_strconcat("mail-", a->name, NULL);
	if ((r = marker_open(d, slot, &w->marker, error)) < 0) {
		worker_free(w);
		return r;
	}
	w->rules = rules_ref(d->rules);
	*ret_worker = w;
	return 0;
}

static void worker_free(struct worker *w)
{
	marker_close(w->marker);
	rules_free(w->rules);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->drained);
	close(w->wake[0]);
	close(w->wake[1]);
	for (size_t i = 0; i < w->n_folders; i++)
		g_free(w->folders[i].name);
	g_free(w->folders);
	account_free(w->account);
	g_free(w->last_error);
	g_free(w);
}

void mail_start(struct daemon *d)
{
	struct mail *m = g_new0(struct mail, 1);

	m->workers = g_ptr_array_new();
	d->mail = m;
	for (guint i = 0; i < d->config->accounts->len; i++) {
		struct account *a = d->config->accounts->pdata[i];
		g_autoptr(GError) error = NULL;
		struct worker *w;
		if (worker_new(d, a, &w, &error) < 0) {
			log_with(LOG_LEVEL_ERR, &(struct log_fields){ .account = a->name }, "account %s: not watched: %s",
				 a->name, error->message);
			continue;
		}
		w->thread = g_thread_new(a->name, worker_main, w);
		g_ptr_array_add(m->workers, w);
		g_autofree char *where = w->driver->describe(a);
		log_with(LOG_LEVEL_INFO, &(struct log_fields){ .account = a->name }, "account %s: watching %s", a->name,
			 where);
	}
}

static void wake(struct worker *w)
{
	ssize_t n = write(w->wake[1], "", 1); /* a full pipe is already a wake-up */
	(void)n;
}

void mail_stop(struct daemon *d)
{
	struct mail *m = d->mail;

	if (!m)
		return;
	for (guint i = 0; i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		{
			g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
			w->stop = true;
			g_cond_broadcast(&w->drained);
			if (w->fd >= 0)
				shutdown(w->fd, SHUT_RDWR); /* ends a command waiting for the server */
		}
		wake(w);
	}
	for (guint i = 0; i < m->workers->len; i++)
		g_thread_join(((struct worker *)m->workers->pdata[i])->thread);
	/* batches handed over but not yet applied: apply them before the store closes */
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	for (guint i = 0; i < m->workers->len; i++)
		worker_free(m->workers->pdata[i]);
	g_ptr_array_free(m->workers, TRUE);
	g_free(m);
	d->mail = NULL;
}

void mail_sync(struct daemon *d)
{
	struct mail *m = d->mail;

	for (guint i = 0; m && i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		{
			g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
			w->sync_now = true;
		}
		wake(w);
	}
}

json_t *mail_time_json(int64_t t)
{
	char iso[TIME_ISO_LEN];
	return t ? json_string(time_format_iso(t, iso)) : json_null();
}

json_t *mail_status(struct daemon *d)
{
	struct mail *m = d->mail;
	json_t *list = json_array();

	for (guint i = 0; m && i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		const struct account *a = w->account;
		json_t *folders = json_array();
		unsigned applied = 0, queued = 0;
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		for (size_t f = 0; f < w->n_folders; f++) {
			const struct folder *fo = &w->folders[f];
			json_t *o = json_pack("{s:s,s:o,s:I,s:I,s:I}", "name", fo->name, "last_sync",
					      mail_time_json(fo->last_sync), "read", (json_int_t)fo->read, "applied",
					      (json_int_t)fo->applied, "queued", (json_int_t)fo->queued);
			w->driver->folder_status(fo, o);
			json_array_append_new(folders, o);
			applied += fo->applied;
			queued += fo->queued;
		}
		json_t *o = json_pack("{s:s,s:s,s:b,s:o,s:o,s:I,s:I,s:I,s:o}", "account", a->name, "type",
				      w->driver->name, "connected", w->connected, "last_sync",
				      mail_time_json(w->last_sync), "last_error",
				      w->last_error ? json_string(w->last_error) : json_null(), "read",
				      (json_int_t)w->read, "applied", (json_int_t)applied, "queued", (json_int_t)queued,
				      "folders", folders);
		w->driver->status(w, o);
		json_array_append_new(list, o);
	}
	return list;
}

void mail_counts(struct daemon *d, struct mail_counts *ret)
{
	struct mail *m = d->mail;

	*ret = (struct mail_counts){ 0 };
	for (guint i = 0; m && i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		if (w->last_error)
			ret->failing++;
		else if (w->connected)
			ret->idle++;
		else
			ret->starting++;
		ret->total++;
	}
}
