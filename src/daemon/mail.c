/* mail.c - one worker thread per mail account, and the hand-off to the main loop.
 *
 * Workers read, parse and classify (reading.c, which also keeps the record of the message
 * being read that a crash leaves behind); they never touch the database. An IMAP worker
 * (imap.c) logs in, and for each folder EXAMINEs it, searches the UIDs above the last one
 * it read (on the first run: the messages of the `since` window), fetches them in batches
 * of MAIL_BATCH_MAX, and then waits: IDLE on the first folder where the server offers it
 * (re-issued every IDLE_REISSUE_S, and after poll_interval when there are other folders to
 * poll), else poll_interval. Any failure closes the connection and the worker reconnects
 * after a delay that doubles from BACKOFF_MIN_S to BACKOFF_MAX_S, each with +-50% jitter,
 * and goes back to BACKOFF_MIN_S once a sync succeeds. A Maildir worker scans the folders'
 * new/ and cur/ for files it has not read yet.
 *
 * The main thread, which owns the database, applies each batch in one transaction (a batch
 * of more than MAIL_BATCH_MAX_BYTES is handed over in parts, so that none holds the main
 * loop long); for IMAP the folder's mail_state (UIDVALIDITY, last UID) advances in that
 * same transaction, so a crash loses nothing and applies nothing twice (mailapply.c also
 * remembers every Message-ID, which is what makes a rescan after a UIDVALIDITY change, or
 * of a Maildir after a restart, harmless). At most MAIL_PENDING_MAX batches per worker
 * wait for the main thread. When a batch cannot be committed, the worker's later batches
 * are dropped and it starts again from what was committed.
 *
 * mail_sync() and mail_stop() wake a worker through its pipe; mail_stop() also shuts its
 * socket down so that a command in progress ends at once, then joins it.
 */
#include "daemon.h"
#include "imap.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/mailapply.h"
#include "apptrack/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAIL_BATCH_MAX 200   /* messages per transaction */
/* Raw bytes per transaction (a larger message alone): a batch's review entries keep their
 * raw messages, and writing them must not hold the main loop long. */
#define MAIL_BATCH_MAX_BYTES ((size_t)4 << 20)
#define MAIL_PENDING_MAX 4   /* batches a worker may have waiting for the main thread */
#define IDLE_REISSUE_S (24 * 60) /* RFC 2177: servers may drop an IDLE after 29 minutes */
#define BACKOFF_MIN_S 1
#define BACKOFF_MAX_S 300

struct mail_item {
	char *raw;
	size_t len;
	uint32_t uid; /* 0 for Maildir */
	struct read_result read; /* parsed and classified by the worker */
};

struct folder {
	char *name;
	uint32_t uidvalidity;     /* worker: of the folder's last EXAMINE */
	uint32_t fetched;         /* highest UID handed over */
	uint32_t committed_validity, committed_uid; /* as stored in mail_state */
	uint32_t messages;        /* in the folder at the last EXAMINE */
	int64_t last_sync;
	unsigned read, applied, queued;
};

struct worker {
	struct daemon *d;
	struct account *account; /* own copy: a reload may free the config's */
	rules *rules;            /* a reference to the rules of the worker's start */
	struct marker *marker;   /* names the message being read (reading.c) */
	GThread *thread;
	int wake[2];             /* pipe: a byte wakes the worker */
	GMutex lock;             /* guards everything below */
	GCond drained;           /* pending went down */
	bool stop, sync_now;
	bool connected, idle, failed;
	int fd;                  /* IMAP socket while connected, else -1 */
	unsigned pending;        /* batches handed over, not applied yet */
	int64_t last_sync, next_attempt;
	char *last_error;
	unsigned read;
	struct folder *folders;
	size_t n_folders;
	GHashTable *done; /* Maildir, worker thread only: file names already read */
};

struct batch {
	struct worker *w;
	size_t folder;
	uint32_t uidvalidity; /* IMAP: mail_state to store with the batch; 0 for Maildir */
	uint32_t last_uid;
	GPtrArray *items; /* of struct mail_item * */
	size_t bytes;     /* of the items' raw messages */
};

static void item_free(gpointer p)
{
	struct mail_item *it = p;
	g_free(it->raw);
	read_result_clear(&it->read);
	g_free(it);
}

static struct batch *batch_new(struct worker *w, size_t folder)
{
	struct batch *b = g_new0(struct batch, 1);
	b->w = w;
	b->folder = folder;
	b->items = g_ptr_array_new_with_free_func(item_free);
	return b;
}

static void batch_free(gpointer p)
{
	struct batch *b = p;
	g_ptr_array_free(b->items, TRUE);
	g_free(b);
}

/* Worker thread: reads a message (what names it in the log) into the batch. */
static void add_item(struct batch *b, uint32_t uid, const char *raw, size_t len, char *owned, const char *what)
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
	g_mutex_lock(&w->lock);
	g_free(w->last_error);
	w->last_error = g_strdup(message);
	g_mutex_unlock(&w->lock);
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

/* Main thread: classify and apply a batch, and advance mail_state, in one transaction. */
static gboolean apply_batch(gpointer data)
{
	struct batch *b = data;
	struct worker *w = b->w;
	struct daemon *d = w->d;
	struct folder *f = &w->folders[b->folder];
	g_autoptr(GError) error = NULL;
	unsigned applied = 0, queued = 0;
	bool skip;
	int r;

	g_mutex_lock(&w->lock);
	skip = w->failed; /* an earlier batch failed: the worker reads everything after it again */
	g_mutex_unlock(&w->lock);
	r = skip ? -ECANCELED : store_begin(d->store, &error);
	g_ptr_array_sort(b->items, by_date); /* GLib's sort is stable */
	for (guint i = 0; r == 0 && i < b->items->len; i++) {
		struct mail_item *it = b->items->pdata[i];
		struct mail_origin origin = { w->account->name, f->name, it->uid };
		enum apply_outcome outcome = APPLY_IGNORED;
		int64_t id = 0;
		if (it->read.quarantined) {
			r = mailapply_quarantine_met(d->store, it->read.key, it->raw, it->len, &error);
			continue;
		}
		if (!it->read.message)
			continue;
		r = mailapply_message(d->store, &d->policy, it->read.message, it->read.matched ? &it->read.match : NULL,
				      it->raw, it->len, &origin, &outcome, &id, &error);
		if (r == 0 && (outcome == APPLY_CREATED || outcome == APPLY_UPDATED))
			log_with(LOG_LEVEL_INFO, &(struct log_fields){ .account = w->account->name, .application_id = id },
				 "account %s: application %" G_GINT64_FORMAT " %s from a message in %s", w->account->name,
				 id, apply_outcome_name(outcome), f->name);
		applied += outcome == APPLY_CREATED || outcome == APPLY_UPDATED || outcome == APPLY_UNCHANGED ||
			   outcome == APPLY_CONTACT;
		queued += outcome == APPLY_REVIEW;
	}
	if (r == 0 && b->uidvalidity)
		r = mailapply_state_advance(d->store, w->account->name, f->name, b->uidvalidity, b->last_uid, &error);
	if (r == 0)
		r = store_commit(d->store, &error);
	else if (!skip)
		store_rollback(d->store);

	g_mutex_lock(&w->lock);
	w->pending--;
	g_cond_broadcast(&w->drained);
	if (r == 0) {
		f->applied += applied;
		f->queued += queued;
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
	g_mutex_unlock(&w->lock);
	if (r < 0 && !skip)
		log_with(LOG_LEVEL_WARNING, &(struct log_fields){ .account = w->account->name },
			 "account %s: applying mail failed, it will be read again: %s", w->account->name, error->message);
	else if (applied || queued)
		daemon_changed(d, "mail.applied", NULL);
	return G_SOURCE_REMOVE;
}

/* Worker thread: gives a batch to the main thread, first waiting while too many wait. */
static void hand_over_one(struct batch *b)
{
	struct worker *w = b->w;

	g_mutex_lock(&w->lock);
	while (w->pending >= MAIL_PENDING_MAX && !w->stop)
		g_cond_wait(&w->drained, &w->lock);
	w->pending++;
	g_mutex_unlock(&w->lock);
	g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, apply_batch, b, batch_free);
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
static void hand_over(struct batch *b)
{
	if (b->uidvalidity)
		g_ptr_array_sort(b->items, by_uid);
	while (b->items->len > 1 && b->bytes > MAIL_BATCH_MAX_BYTES) {
		struct batch *part = batch_new(b->w, b->folder);
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

static bool stopping(struct worker *w)
{
	g_mutex_lock(&w->lock);
	bool stop = w->stop;
	g_mutex_unlock(&w->lock);
	return stop;
}

static void drain_wake(struct worker *w)
{
	char buf[64];
	while (read(w->wake[0], buf, sizeof buf) > 0)
		;
}

/* Sleeps up to timeout_ms, or until mail_sync() or mail_stop(). */
static void wait_wake(struct worker *w, int64_t timeout_ms)
{
	struct pollfd p = { .fd = w->wake[0], .events = POLLIN };

	if (!stopping(w) && poll(&p, 1, (int)MIN(timeout_ms, (int64_t)G_MAXINT)) > 0)
		drain_wake(w);
	g_mutex_lock(&w->lock);
	w->sync_now = false;
	g_mutex_unlock(&w->lock);
}

/* Start of a round: once the batches in flight are applied, forget what a failed batch
 * would have covered. Returns whether it did. */
static bool recover(struct worker *w)
{
	bool failed;

	g_mutex_lock(&w->lock);
	while (w->pending && !w->stop)
		g_cond_wait(&w->drained, &w->lock);
	failed = w->failed;
	if (failed) {
		for (size_t i = 0; i < w->n_folders; i++) {
			w->folders[i].fetched = w->folders[i].committed_uid;
			w->folders[i].uidvalidity = w->folders[i].committed_validity;
		}
		w->failed = false;
	}
	g_mutex_unlock(&w->lock);
	return failed;
}

/* ---- Maildir ---- */

/* Maildir++: INBOX is the root, other folders are ".Name" beside it. */
static char *folder_path(const char *root, const char *folder)
{
	if (g_ascii_strcasecmp(folder, "INBOX") == 0)
		return g_strdup(root);
	g_autofree char *dotted = g_strconcat(".", folder, NULL);
	return g_build_filename(root, dotted, NULL);
}

/* Reads the files of folder f not read yet. */
static void scan_folder(struct worker *w, size_t f, GString *errors)
{
	g_autofree char *base = folder_path(w->account->maildir, w->folders[f].name);
	static const char *const subdirs[] = { "new", "cur" };
	int64_t oldest = time_now() - w->account->since;
	struct batch *b = batch_new(w, f);
	unsigned read = 0;

	for (size_t s = 0; s < G_N_ELEMENTS(subdirs); s++) {
		g_autofree char *dir = g_build_filename(base, subdirs[s], NULL);
		g_autoptr(GError) derr = NULL;
		g_autoptr(GDir) dh = g_dir_open(dir, 0, &derr);
		const char *name;
		if (!dh) {
			g_string_append_printf(errors, "%s%s", errors->len ? "; " : "", derr->message);
			continue;
		}
		while ((name = g_dir_read_name(dh))) {
			/* the unique part of a Maildir name: flags after ':' change */
			g_autofree char *unique = g_strndup(name, strcspn(name, ":"));
			g_autofree char *path = g_build_filename(dir, name, NULL);
			char *raw = NULL;
			size_t len = 0;
			struct stat st;
			if (name[0] == '.' || g_hash_table_contains(w->done, unique))
				continue;
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_mtime < oldest ||
			    (size_t)st.st_size > MIME_MAX_MESSAGE)
				continue;
			if (!g_file_get_contents(path, &raw, &len, NULL))
				continue; /* delivered half-way: read at the next scan */
			g_autofree char *what = g_strdup_printf("Maildir file %s in %s", name, w->folders[f].name);
			add_item(b, 0, NULL, len, raw, what);
			g_hash_table_add(w->done, g_steal_pointer(&unique));
			read++;
			if (b->items->len >= MAIL_BATCH_MAX) {
				hand_over(b);
				b = batch_new(w, f);
			}
		}
	}
	if (b->items->len)
		hand_over(b);
	else
		batch_free(b);
	g_mutex_lock(&w->lock);
	w->read += read;
	w->folders[f].read += read;
	w->folders[f].last_sync = time_now();
	g_mutex_unlock(&w->lock);
}

static void maildir_main(struct worker *w)
{
	while (!stopping(w)) {
		g_autoptr(GString) errors = g_string_new(NULL);
		if (recover(w))
			g_hash_table_remove_all(w->done); /* read everything again: Message-IDs skip the applied */
		for (size_t f = 0; f < w->n_folders && !stopping(w); f++)
			scan_folder(w, f, errors);
		g_mutex_lock(&w->lock);
		w->last_sync = time_now();
		w->connected = errors->len == 0;
		g_free(w->last_error);
		w->last_error = errors->len ? g_strdup(errors->str) : NULL;
		g_mutex_unlock(&w->lock);
		state_changed(w);
		wait_wake(w, w->account->poll_interval * 1000);
	}
}

/* ---- IMAP ---- */

static void on_fetched(uint32_t uid, const char *raw, size_t len, void *data)
{
	struct batch *b = data;

	if (!raw) {
		log_info("account %s: message UID %u is over %zu MiB, skipping it", b->w->account->name, uid,
			 MIME_MAX_MESSAGE >> 20);
		return;
	}
	g_autofree char *what = g_strdup_printf("%s UID %u", b->w->folders[b->folder].name, uid);
	add_item(b, uid, raw, len, NULL, what);
}

/* Reads folder f's new messages. */
static int sync_folder(struct worker *w, struct imap_conn *c, size_t f, GError **error)
{
	struct folder *fo = &w->folders[f];
	uint32_t validity, messages, after, committed;
	g_autoptr(GArray) uids = NULL;
	int r = imap_examine(c, fo->name, &validity, &messages, error);

	if (r < 0)
		return r;
	g_mutex_lock(&w->lock);
	if (fo->uidvalidity != validity) {
		if (fo->uidvalidity)
			log_info("account %s: folder %s was renumbered (UIDVALIDITY %u, was %u): reading it again, "
				 "skipping messages already applied",
				 w->account->name, fo->name, validity, fo->uidvalidity);
		fo->uidvalidity = validity;
		fo->fetched = 0;
	}
	fo->messages = messages;
	after = fo->fetched;
	committed = fo->committed_validity;
	g_mutex_unlock(&w->lock);

	if ((r = imap_search(c, after, time_now() - w->account->since, &uids, error)) < 0)
		return r;
	if (uids->len == 0 && committed != validity) {
		/* nothing to read, but remember the new numbering */
		struct batch *b = batch_new(w, f);
		b->uidvalidity = validity;
		b->last_uid = after;
		hand_over(b);
	}
	for (guint off = 0; off < uids->len && !stopping(w); off += MAIL_BATCH_MAX) {
		guint n = MIN(uids->len - off, MAIL_BATCH_MAX);
		const uint32_t *chunk = &g_array_index(uids, uint32_t, off);
		struct batch *b = batch_new(w, f);
		if ((r = imap_fetch(c, chunk, n, on_fetched, b, error)) < 0) {
			batch_free(b);
			return r;
		}
		b->uidvalidity = validity;
		b->last_uid = chunk[n - 1];
		g_mutex_lock(&w->lock);
		fo->fetched = b->last_uid;
		fo->read += b->items->len;
		w->read += b->items->len;
		g_mutex_unlock(&w->lock);
		hand_over(b);
	}
	g_mutex_lock(&w->lock);
	fo->last_sync = time_now();
	g_mutex_unlock(&w->lock);
	return 0;
}

/* One connection: sync, wait, sync... until a failure or mail_stop(). *ret_synced says
 * whether at least one sync went through. */
static int imap_session(struct worker *w, bool *ret_synced, GError **error)
{
	struct imap_conn *c = NULL;
	int r = imap_open(w->account, &c, error);

	*ret_synced = false;
	if (r < 0)
		return r;
	bool can_idle = imap_can_idle(c);
	g_mutex_lock(&w->lock);
	w->fd = imap_fd(c);
	w->connected = true;
	w->next_attempt = 0;
	w->idle = false;
	bool stop = w->stop;
	g_mutex_unlock(&w->lock);
	if (stop) /* mail_stop() came while connecting: it could not shut this socket down */
		goto out;
	log_debug("account %s: logged in to %s:%u%s", w->account->name, w->account->host, w->account->port,
		  can_idle ? " (IDLE)" : "");
	while (!stopping(w)) {
		recover(w);
		for (size_t f = 0; f < w->n_folders && r == 0 && !stopping(w); f++)
			r = sync_folder(w, c, f, error);
		if (r < 0)
			break;
		*ret_synced = true;
		g_mutex_lock(&w->lock);
		w->last_sync = time_now();
		g_clear_pointer(&w->last_error, g_free);
		w->idle = can_idle;
		g_mutex_unlock(&w->lock);
		state_changed(w);
		if (!can_idle) {
			wait_wake(w, w->account->poll_interval * 1000);
			continue;
		}
		/* IDLE watches one folder: the first; the others are polled */
		uint32_t validity, messages;
		int64_t timeout = w->n_folders > 1 ? MIN(w->account->poll_interval, IDLE_REISSUE_S) : IDLE_REISSUE_S;
		if (w->n_folders > 1 && (r = imap_examine(c, w->folders[0].name, &validity, &messages, error)) < 0)
			break;
		r = imap_idle(c, w->wake[0], (int)timeout, error);
		if (r < 0)
			break;
		r = 0;
		drain_wake(w);
		g_mutex_lock(&w->lock);
		w->sync_now = false;
		w->idle = false;
		g_mutex_unlock(&w->lock);
	}
out:
	g_mutex_lock(&w->lock);
	w->fd = -1;
	w->connected = false;
	w->idle = false;
	g_mutex_unlock(&w->lock);
	imap_close(c);
	return r;
}

static void imap_main(struct worker *w)
{
	int64_t backoff = 0;
	g_autofree char *logged = NULL;

	while (!stopping(w)) {
		g_autoptr(GError) error = NULL;
		bool synced;
		if (imap_session(w, &synced, &error) == 0 || stopping(w))
			continue;
		backoff = synced || !backoff ? BACKOFF_MIN_S : MIN(backoff * 2, BACKOFF_MAX_S);
		/* +-50% jitter, so that many clients do not come back at the same instant */
		int64_t delay_ms = backoff * 500 + g_random_int_range(0, (gint32)(backoff * 1000));
		set_error(w, error->message);
		g_mutex_lock(&w->lock);
		w->next_attempt = time_now() + (delay_ms + 999) / 1000;
		g_mutex_unlock(&w->lock);
		/* the same failure again and again is logged once */
		if (g_strcmp0(logged, error->message) != 0)
			log_warnx("account %s: %s; trying again in %" G_GINT64_FORMAT " s, and then less and less often",
				  w->account->name, error->message, (delay_ms + 999) / 1000);
		g_free(logged);
		logged = g_strdup(error->message);
		wait_wake(w, delay_ms);
	}
}

static gpointer worker_main(gpointer data)
{
	struct worker *w = data;

	log_thread_account(w->account->name); /* journald: everything this thread logs */
	reading_thread_init();
	if (w->account->maildir)
		maildir_main(w);
	else
		imap_main(w);
	log_thread_account(NULL);
	return NULL;
}

/* ---- the main thread's side ---- */

struct mail {
	GPtrArray *workers; /* of struct worker * */
};

static struct worker *worker_new(struct daemon *d, const struct account *a, GError **error)
{
	struct worker *w = g_new0(struct worker, 1);

	if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		at_error_set(error, -errno, "cannot create a pipe: %s", g_strerror(errno));
		g_free(w);
		return NULL;
	}
	g_mutex_init(&w->lock);
	g_cond_init(&w->drained);
	w->d = d;
	w->account = account_dup(a);
	w->fd = -1;
	w->n_folders = g_strv_length(a->folders);
	w->folders = g_new0(struct folder, w->n_folders);
	for (size_t i = 0; i < w->n_folders; i++) {
		struct folder *f = &w->folders[i];
		f->name = g_strdup(a->folders[i]);
		if (!a->maildir &&
		    mailapply_state_get(d->store, a->name, f->name, &f->committed_validity, &f->committed_uid, error) < 0) {
			w->n_folders = i + 1;
			return w; /* the caller frees it */
		}
		f->uidvalidity = f->committed_validity;
		f->fetched = f->committed_uid;
	}
	g_autofree char *slot = g_strconcat("mail-", a->name, NULL);
	if (marker_open(d, slot, &w->marker, error) < 0)
		return w; /* the caller frees it */
	w->rules = rules_ref(d->rules);
	w->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return w;
}

static void worker_free(struct worker *w)
{
	if (w->done)
		g_hash_table_destroy(w->done);
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
		struct worker *w = worker_new(d, a, &error);
		if (!w || !w->done) {
			log_with(LOG_LEVEL_ERR, &(struct log_fields){ .account = a->name }, "account %s: not watched: %s",
				 a->name, error->message);
			if (w)
				worker_free(w);
			continue;
		}
		w->thread = g_thread_new(a->name, worker_main, w);
		g_ptr_array_add(m->workers, w);
		const struct log_fields fields = { .account = a->name };
		if (a->maildir)
			log_with(LOG_LEVEL_INFO, &fields, "account %s: watching Maildir %s", a->name, a->maildir);
		else
			log_with(LOG_LEVEL_INFO, &fields, "account %s: watching %s@%s:%u", a->name, a->user, a->host,
				 a->port);
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
		g_mutex_lock(&w->lock);
		w->stop = true;
		g_cond_broadcast(&w->drained);
		if (w->fd >= 0)
			shutdown(w->fd, SHUT_RDWR); /* ends a command waiting for the server */
		g_mutex_unlock(&w->lock);
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
		g_mutex_lock(&w->lock);
		w->sync_now = true;
		g_mutex_unlock(&w->lock);
		wake(w);
	}
}

static json_t *time_or_null(int64_t t)
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
		g_mutex_lock(&w->lock);
		for (size_t f = 0; f < w->n_folders; f++) {
			const struct folder *fo = &w->folders[f];
			json_t *o = json_pack("{s:s,s:o,s:I,s:I,s:I}", "name", fo->name, "last_sync",
					      time_or_null(fo->last_sync), "read", (json_int_t)fo->read, "applied",
					      (json_int_t)fo->applied, "queued", (json_int_t)fo->queued);
			if (!a->maildir) {
				json_object_set_new(o, "messages", json_integer(fo->messages));
				json_object_set_new(o, "uidvalidity", json_integer(fo->committed_validity));
				json_object_set_new(o, "last_uid", json_integer(fo->committed_uid));
			}
			json_array_append_new(folders, o);
			applied += fo->applied;
			queued += fo->queued;
		}
		json_t *o = json_pack("{s:s,s:s,s:b,s:o,s:o,s:I,s:I,s:I,s:o}", "account", a->name, "type",
				      a->maildir ? "maildir" : "imap", "connected", w->connected, "last_sync",
				      time_or_null(w->last_sync), "last_error",
				      w->last_error ? json_string(w->last_error) : json_null(), "read",
				      (json_int_t)w->read, "applied", (json_int_t)applied, "queued", (json_int_t)queued,
				      "folders", folders);
		if (a->maildir) {
			json_object_set_new(o, "path", json_string(a->maildir));
		} else {
			g_autofree char *server = g_strdup_printf("%s:%u", a->host, a->port);
			json_object_set_new(o, "server", json_string(server));
			json_object_set_new(o, "user", json_string(a->user));
			json_object_set_new(o, "idle", json_boolean(w->idle));
			json_object_set_new(o, "next_attempt", time_or_null(w->next_attempt));
		}
		g_mutex_unlock(&w->lock);
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
		g_mutex_lock(&w->lock);
		if (w->last_error)
			ret->failing++;
		else if (w->connected)
			ret->idle++;
		else
			ret->starting++;
		g_mutex_unlock(&w->lock);
		ret->total++;
	}
}
