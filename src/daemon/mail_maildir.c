/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail_maildir.c - the Maildir driver (mail_driver.h): a local Maildir, as kept by mbsync or
 * offlineimap.
 *
 * Each round scans every folder's new/ and cur/ for files not read yet in this run (a file
 * is known by the unique part of its name, before the flags after ':') and within `since`,
 * and hands them over in batches of MAIL_BATCH_MAX. Nothing is ever written to the Maildir.
 * There are no UIDs: after a restart, or after a batch could not be committed, everything
 * in the window is read again, and Message-IDs (mailapply.c) skip what was applied. A file
 * that cannot be read yet (being delivered) is read at the next scan. A folder that cannot
 * be opened is a problem of the round, not a failure: the next round tries again.
 */
#include "mail_driver.h"

#include "apptrack/mime.h"
#include "apptrack/timeutil.h"

#include <string.h>
#include <sys/stat.h>

struct maildir_store {
	struct mail_store base;
	GHashTable *done; /* the unique part of the names of the files already read */
};

/* Maildir++: INBOX is the root, other folders are ".Name" beside it. */
static char *folder_path(const char *root, const char *folder)
{
	if (g_ascii_strcasecmp(folder, "INBOX") == 0)
		return g_strdup(root);
	g_autofree char *dotted = g_strconcat(".", folder, NULL);
	return g_build_filename(root, dotted, NULL);
}

static int maildir_open(struct worker *w, struct mail_store **ret_store, GError **error)
{
	struct maildir_store *s = g_new0(struct maildir_store, 1);

	(void)error;
	s->base.w = w;
	s->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	*ret_store = &s->base;
	return 0;
}

/* Reads the files of folder f not read yet. */
static int maildir_sync(struct mail_store *ms, size_t f, GString *problems, GError **error)
{
	struct maildir_store *s = (struct maildir_store *)ms;
	struct worker *w = ms->w;
	g_autofree char *base = folder_path(w->account->maildir, w->folders[f].name);
	static const char *const subdirs[] = { "new", "cur" };
	int64_t oldest = time_now() - w->account->since;
	struct mail_batch *b = mail_batch_new(w, f);
	unsigned read = 0;

	(void)error;
	for (size_t i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree char *dir = g_build_filename(base, subdirs[i], NULL);
		g_autoptr(GError) derr = NULL;
		g_autoptr(GDir) dh = g_dir_open(dir, 0, &derr);
		const char *name;
		if (!dh) {
			g_string_append_printf(problems, "%s%s", problems->len ? "; " : "", derr->message);
			continue;
		}
		while ((name = g_dir_read_name(dh))) {
			/* the unique part of a Maildir name: flags after ':' change */
			g_autofree char *unique = g_strndup(name, strcspn(name, ":"));
			g_autofree char *path = g_build_filename(dir, name, NULL);
			char *raw = NULL;
			size_t len = 0;
			struct stat st;
			if (name[0] == '.' || g_hash_table_contains(s->done, unique))
				continue;
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_mtime < oldest ||
			    (size_t)st.st_size > MIME_MAX_MESSAGE)
				continue;
			if (!g_file_get_contents(path, &raw, &len, NULL))
				continue; /* delivered half-way: read at the next scan */
			g_autofree char *what = g_strdup_printf("Maildir file %s in %s", name, w->folders[f].name);
			mail_batch_add(b, 0, NULL, len, raw, what);
			g_hash_table_add(s->done, g_steal_pointer(&unique));
			read++;
			if (b->items->len >= MAIL_BATCH_MAX) {
				mail_hand_over(b);
				b = mail_batch_new(w, f);
			}
		}
	}
	if (b->items->len)
		mail_hand_over(b);
	else
		mail_batch_free(b);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	w->read += read;
	w->folders[f].read += read;
	w->folders[f].last_sync = time_now();
	return 0;
}

/* Reads everything again: Message-IDs skip what was applied. */
static void maildir_forget(struct mail_store *ms)
{
	g_hash_table_remove_all(((struct maildir_store *)ms)->done);
}

static void maildir_close(struct mail_store *ms)
{
	struct maildir_store *s = (struct maildir_store *)ms;

	if (!s)
		return;
	g_hash_table_destroy(s->done);
	g_free(s);
}

static char *maildir_describe(const struct account *a)
{
	return g_strdup_printf("Maildir %s", a->maildir);
}

static void maildir_status(const struct worker *w, json_t *account)
{
	json_object_set_new(account, "path", json_string(w->account->maildir));
}

static void maildir_folder_status(const struct folder *f, json_t *folder)
{
	(void)f;
	(void)folder;
}

const struct mail_driver mail_maildir_driver = {
	.name = "maildir",
	.describe = maildir_describe,
	.open = maildir_open,
	.sync = maildir_sync,
	.forget = maildir_forget,
	.close = maildir_close,
	.status = maildir_status,
	.folder_status = maildir_folder_status,
};
