/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail_driver.h - what mail.c shares with its drivers (mail_imap.c, mail_maildir.c); private to
 * the daemon's mail code.
 *
 * As in isync, a driver is a struct of function pointers and a name, chosen by the account's
 * type. Everything a driver does runs on its account's worker thread:
 * mail.c's worker loop calls open() once per connection, then, round after round, sync() for
 * each folder and, between rounds, idle() (or sleeps poll_interval when the store cannot
 * idle), and close() when a call failed or the daemon stops. A driver reads messages into
 * batches (mail_batch_new(), mail_batch_add()) and gives each to the main thread with
 * mail_hand_over(); it never touches the database.
 *
 * struct worker's fields marked "lock" are shared with the main thread: read or write them
 * only with w->lock held. The others belong to the worker thread, or do not change once the
 * worker runs.
 */
#ifndef APPTRACKD_MAIL_DRIVER_H
#define APPTRACKD_MAIL_DRIVER_H

#include "daemon.h"

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define MAIL_BATCH_MAX 200 /* messages per transaction */

/* A folder of an account, as its worker follows it. */
struct folder {
	char *name;
	uint32_t uidvalidity;     /* lock; worker: of the folder's last EXAMINE */
	uint32_t fetched;         /* lock; highest UID handed over */
	uint32_t committed_validity, committed_uid; /* lock; as stored in mail_state */
	uint32_t messages;        /* lock; in the folder at the last EXAMINE */
	int64_t last_sync;        /* lock */
	unsigned read, applied, queued; /* lock */
};

/* One account's worker thread. */
struct worker {
	struct daemon *d;
	const struct mail_driver *driver;
	struct account *account; /* own copy: a reload may free the config's */
	rules *rules;            /* a reference to the rules of the worker's start */
	struct marker *marker;   /* names the message being read (reading.c) */
	GThread *thread;
	int wake[2];             /* pipe: a byte wakes the worker */
	GMutex lock;             /* guards the fields marked "lock" */
	GCond drained;           /* pending went down */
	bool stop, sync_now;     /* lock */
	bool connected, idle, failed; /* lock */
	int fd;                  /* lock; the server's socket while connected, else -1 */
	unsigned pending;        /* lock; batches handed over, not applied yet */
	int64_t last_sync, next_attempt; /* lock */
	char *last_error;        /* lock */
	unsigned read;           /* lock */
	struct folder *folders;
	size_t n_folders;
};

/* Messages of one folder, read by a worker, for the main thread to apply in one transaction. */
struct mail_batch {
	struct worker *w;
	size_t folder;
	uint32_t uidvalidity; /* drivers with UIDs: mail_state to store with the batch; else 0 */
	uint32_t last_uid;
	GPtrArray *items;     /* of struct mail_item * (mail.c) */
	size_t bytes;         /* of the items' raw messages */
};

/* An open connection to a mailbox (isync's store): a driver's own struct starts with this. */
struct mail_store {
	struct worker *w;
	bool can_idle; /* idle() waits for news; else the worker polls every poll_interval */
};

struct mail_driver {
	const char *name; /* the account's "type" in mail.status: "imap", "maildir" */
	bool uids;        /* messages have UIDs: each folder's mail_state (mailapply.h) is kept */
	/* For the log: where the account's mail comes from ("me@host:993", "Maildir ~/Mail"). g_free. */
	char *(*describe)(const struct account *a);
	/* Connects (and logs in). A remote driver calls mail_worker_online() once it can be
	 * interrupted. 0 with *ret_store, or a negative errno with *error. */
	int (*open)(struct worker *w, struct mail_store **ret_store, GError **error);
	/* Reads the folder's messages not read yet and hands them over. A problem that does not
	 * end the connection goes to problems (one line, "; " between); a negative errno with
	 * *error ends it. */
	int (*sync)(struct mail_store *s, size_t folder, GString *problems, GError **error);
	/* A batch could not be committed: everything after what was committed is read again.
	 * May be NULL (the folders' UIDs already went back). */
	void (*forget)(struct mail_store *s);
	/* With can_idle: waits for news (or poll_interval when other folders need a poll), or a
	 * wake-up. 0, or a negative errno with *error. */
	int (*idle)(struct mail_store *s, GError **error);
	/* Disconnects and frees. NULL is fine. */
	void (*close)(struct mail_store *s);
	/* Adds the driver's fields to an account's and a folder's mail.status objects (w->lock held). */
	void (*status)(const struct worker *w, json_t *account);
	void (*folder_status)(const struct folder *f, json_t *folder);
};

extern const struct mail_driver mail_imap_driver;    /* mail_imap.c */
extern const struct mail_driver mail_maildir_driver; /* mail_maildir.c */

/* ---- mail.c, for the drivers (worker thread) ---- */

struct mail_batch *mail_batch_new(struct worker *w, size_t folder);
void mail_batch_free(struct mail_batch *b);
/* Reads a message (what names it in the log) into the batch: raw is copied, or owned (raw
 * then NULL, len bytes and room for a NUL) is taken. uid is 0 without UIDs. */
void mail_batch_add(struct mail_batch *b, uint32_t uid, const char *raw, size_t len, char *owned,
		    const char *what);
/* Gives the batch (taken) to the main thread, waiting while too many wait. */
void mail_hand_over(struct mail_batch *b);
/* An ISO 8601 time for mail.status, or null for 0 (new reference). */
json_t *mail_time_json(int64_t t);
/* Whether mail_stop() asked the worker to end. */
bool mail_stopping(struct worker *w);
/* Empties the wake-up pipe (w->wake[0]), after idle() saw it readable. */
void mail_drain_wake(struct worker *w);
/* The connection is up: publishes its socket (so that mail_stop() can shut it down) and
 * the worker's state. Returns whether mail_stop() came meanwhile: then the driver's open()
 * returns 0 at once, and the worker ends. */
bool mail_worker_online(struct worker *w, int fd);

#endif
