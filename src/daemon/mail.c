/* mail.c - one worker thread per mail account, and the hand-off to the main loop.
 *
 * Workers only read and parse: a Maildir worker scans the folders' new/ and cur/ for
 * files it has not read yet (within the account's `since` window), parses them with
 * mime.c, and hands the batch to the main thread with g_main_context_invoke(). The main
 * thread, which owns the database and the rules, classifies and applies the whole batch
 * in one transaction (mailapply.c remembers every Message-ID, so a rescan after a restart
 * applies nothing twice). Workers sleep for poll_interval between scans, or until
 * mail_sync() wakes them; mail_stop() wakes and joins them.
 *
 * IMAP accounts are checked but not watched yet: their status says so.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/mailapply.h"
#include "apptrack/timeutil.h"

#include <string.h>
#include <sys/stat.h>

#define MAIL_BATCH_MAX 200 /* messages per transaction */

struct mail_item {
	char *folder;
	char *raw;
	size_t len;
	struct mime_message *message; /* NULL when it did not parse */
};

struct worker {
	struct daemon *d;
	char *name;
	char *maildir;
	char **folders;
	int64_t since;
	int64_t poll_interval;
	GThread *thread;
	GMutex lock; /* guards everything below */
	GCond wake;
	bool stop;
	bool sync_now;
	int64_t last_sync;
	char *last_error;
	unsigned read, applied, queued; /* counters for mail status */
	GHashTable *done; /* worker thread only: file names already read */
};

struct batch {
	struct worker *w;
	GPtrArray *items; /* of struct mail_item * */
};

static void item_free(gpointer p)
{
	struct mail_item *it = p;
	g_free(it->folder);
	g_free(it->raw);
	mime_message_free(it->message);
	g_free(it);
}

static void batch_free(gpointer p)
{
	struct batch *b = p;
	g_ptr_array_free(b->items, TRUE);
	g_free(b);
}

/* Main thread: classify and apply a batch in one transaction. */
static gboolean apply_batch(gpointer data)
{
	struct batch *b = data;
	struct worker *w = b->w;
	struct daemon *d = w->d;
	g_autoptr(GError) error = NULL;
	unsigned applied = 0, queued = 0;
	int r = store_begin(d->store, &error);

	for (guint i = 0; r == 0 && i < b->items->len; i++) {
		struct mail_item *it = b->items->pdata[i];
		struct mail_origin origin = { w->name, it->folder, 0 };
		struct rule_match match = { 0 };
		enum apply_outcome outcome;
		if (!it->message)
			continue;
		int matched = rules_classify(d->rules, it->message, &match);
		r = mailapply_message(d->store, &d->delays, it->message, matched ? &match : NULL, it->raw, it->len,
				      &origin, &outcome, NULL, &error);
		rule_match_clear(&match);
		applied += outcome == APPLY_CREATED || outcome == APPLY_UPDATED || outcome == APPLY_UNCHANGED ||
			   outcome == APPLY_CONTACT;
		queued += outcome == APPLY_REVIEW;
	}
	if (r == 0)
		r = store_commit(d->store, &error);
	else
		store_rollback(d->store);
	g_mutex_lock(&w->lock);
	if (r < 0) {
		g_free(w->last_error);
		w->last_error = g_strdup(error->message);
	} else {
		w->applied += applied;
		w->queued += queued;
	}
	g_mutex_unlock(&w->lock);
	if (r < 0)
		log_warnx("account %s: applying mail failed, it will be read again at the next start: %s", w->name,
			  error->message);
	else if (applied || queued)
		control_broadcast(d->control, "mail.applied", NULL);
	return G_SOURCE_REMOVE;
}

static void hand_over(struct worker *w, GPtrArray *items)
{
	struct batch *b = g_new0(struct batch, 1);
	b->w = w;
	b->items = items;
	g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, apply_batch, b, batch_free);
}

/* Maildir++: INBOX is the root, other folders are ".Name" beside it. */
static char *folder_path(const char *root, const char *folder)
{
	if (g_ascii_strcasecmp(folder, "INBOX") == 0)
		return g_strdup(root);
	g_autofree char *dotted = g_strconcat(".", folder, NULL);
	return g_build_filename(root, dotted, NULL);
}

/* Worker thread: reads the files not read yet. */
static void scan(struct worker *w)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(item_free);
	g_autoptr(GString) errors = g_string_new(NULL);
	int64_t oldest = time_now() - w->since;
	unsigned read = 0;

	for (size_t f = 0; w->folders[f]; f++) {
		g_autofree char *base = folder_path(w->maildir, w->folders[f]);
		static const char *const subdirs[] = { "new", "cur" };
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
				struct stat st;
				if (name[0] == '.' || g_hash_table_contains(w->done, unique))
					continue;
				if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_mtime < oldest ||
				    (size_t)st.st_size > MIME_MAX_MESSAGE)
					continue;
				struct mail_item *it = g_new0(struct mail_item, 1);
				if (!g_file_get_contents(path, &it->raw, &it->len, NULL)) {
					item_free(it);
					continue; /* delivered half-way: read at the next scan */
				}
				it->folder = g_strdup(w->folders[f]);
				if (mime_parse(it->raw, it->len, &it->message, NULL) < 0)
					log_debug("account %s: %s is not a mail message, ignoring", w->name, name);
				g_hash_table_add(w->done, g_steal_pointer(&unique));
				g_ptr_array_add(items, it);
				read++;
				if (items->len >= MAIL_BATCH_MAX) {
					hand_over(w, items);
					items = g_ptr_array_new_with_free_func(item_free);
				}
			}
		}
	}
	if (items->len)
		hand_over(w, items);
	else
		g_ptr_array_free(items, TRUE);
	g_mutex_lock(&w->lock);
	w->read += read;
	w->last_sync = time_now();
	g_free(w->last_error);
	w->last_error = errors->len ? g_strdup(errors->str) : NULL;
	g_mutex_unlock(&w->lock);
}

static gpointer worker_main(gpointer data)
{
	struct worker *w = data;

	g_mutex_lock(&w->lock);
	while (!w->stop) {
		g_mutex_unlock(&w->lock);
		scan(w);
		g_mutex_lock(&w->lock);
		gint64 until = g_get_monotonic_time() + w->poll_interval * G_TIME_SPAN_SECOND;
		while (!w->stop && !w->sync_now)
			if (!g_cond_wait_until(&w->wake, &w->lock, until))
				break;
		w->sync_now = false;
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

struct mail {
	GPtrArray *workers; /* of struct worker * */
	GPtrArray *imap;    /* names of IMAP accounts (not watched yet) */
};

static struct mail *mail_state(struct daemon *d)
{
	return d->mail;
}

void mail_start(struct daemon *d)
{
	struct mail *m = g_new0(struct mail, 1);

	m->workers = g_ptr_array_new();
	m->imap = g_ptr_array_new_with_free_func(g_free);
	d->mail = m;
	for (guint i = 0; i < d->config->accounts->len; i++) {
		struct account *a = d->config->accounts->pdata[i];
		if (!a->maildir) {
			log_warnx("account %s: watching IMAP is not in this version yet (Maildir accounts are), ignoring",
				  a->name);
			g_ptr_array_add(m->imap, g_strdup(a->name));
			continue;
		}
		struct worker *w = g_new0(struct worker, 1);
		w->d = d;
		w->name = g_strdup(a->name);
		w->maildir = g_strdup(a->maildir);
		w->folders = g_strdupv(a->folders);
		w->since = a->since;
		w->poll_interval = a->poll_interval;
		w->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_mutex_init(&w->lock);
		g_cond_init(&w->wake);
		w->thread = g_thread_new(w->name, worker_main, w);
		g_ptr_array_add(m->workers, w);
		log_info("account %s: watching Maildir %s", w->name, w->maildir);
	}
}

void mail_stop(struct daemon *d)
{
	struct mail *m = mail_state(d);

	if (!m)
		return;
	for (guint i = 0; i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		g_mutex_lock(&w->lock);
		w->stop = true;
		g_cond_signal(&w->wake);
		g_mutex_unlock(&w->lock);
		g_thread_join(w->thread);
	}
	/* batches handed over but not yet applied: apply them before the store closes */
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	for (guint i = 0; i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		g_hash_table_destroy(w->done);
		g_mutex_clear(&w->lock);
		g_cond_clear(&w->wake);
		g_free(w->name);
		g_free(w->maildir);
		g_strfreev(w->folders);
		g_free(w->last_error);
		g_free(w);
	}
	g_ptr_array_free(m->workers, TRUE);
	g_ptr_array_free(m->imap, TRUE);
	g_free(m);
	d->mail = NULL;
}

void mail_sync(struct daemon *d)
{
	struct mail *m = mail_state(d);

	for (guint i = 0; m && i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		g_mutex_lock(&w->lock);
		w->sync_now = true;
		g_cond_signal(&w->wake);
		g_mutex_unlock(&w->lock);
	}
}

json_t *mail_status(struct daemon *d)
{
	struct mail *m = mail_state(d);
	json_t *list = json_array();
	char iso[TIME_ISO_LEN];

	for (guint i = 0; m && i < m->workers->len; i++) {
		struct worker *w = m->workers->pdata[i];
		g_mutex_lock(&w->lock);
		json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:I,s:I,s:I}", "account", w->name, "type", "maildir", "path",
				      w->maildir, "connected", w->last_error == NULL && w->last_sync != 0, "read",
				      (json_int_t)w->read, "applied", (json_int_t)w->applied, "queued",
				      (json_int_t)w->queued);
		json_object_set_new(o, "folders", json_array());
		for (size_t f = 0; w->folders[f]; f++)
			json_array_append_new(json_object_get(o, "folders"), json_string(w->folders[f]));
		json_object_set_new(o, "last_sync",
				    w->last_sync ? json_string(time_format_iso(w->last_sync, iso)) : json_null());
		json_object_set_new(o, "last_error", w->last_error ? json_string(w->last_error) : json_null());
		g_mutex_unlock(&w->lock);
		json_array_append_new(list, o);
	}
	for (guint i = 0; m && i < m->imap->len; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:b,s:s}", "account", (char *)m->imap->pdata[i], "type",
						      "imap", "connected", 0, "last_error",
						      "watching IMAP is not in this version yet"));
	return list;
}
