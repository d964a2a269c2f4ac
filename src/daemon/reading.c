/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reading.c - reading mail (parsing and classifying it) off the main loop, with a record
 * of the message being read that survives a crash.
 *
 * Mail is written by strangers, and the bounds of mime.h cannot promise that libetpan,
 * libxml2 or a rule's regular expression never fail on some message. So every raw
 * message apptrackd reads goes through read_message(): while a message is being read, a
 * marker file (one per reading thread, in the directory beside the database that
 * reading_dir() names) holds its SHA-256 and where it came from. A clean read empties the
 * marker. A fault in the reading thread (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT: a
 * stack overflow too, as the handler runs on a stack of its own) adds "crashed" to it
 * before the process dies as it would have. At the next start reading_recover() turns a
 * crashed marker into a quarantined message (mailapply_quarantine(): a review entry that
 * says why), and read_message() never parses a quarantined message again, whether it
 * comes back in a rescan, a refetch of the same IMAP batch, or a review command. A marker
 * left without "crashed" means the process was stopped from outside (SIGKILL, the OOM
 * killer, a power cut) while it read: not the message's doing, so it is read again. The
 * marker is written without fsync: it must survive the process, not the machine.
 *
 * The mail workers (mail.c) read in their own threads. The control methods that read
 * mail (rules test, learn and unlearn, review show/apply/retry) hand their reading to the
 * reader, one thread of its own, through reader_run(), and answer when it is done. The
 * user's stored lessons are read at start and on reload by the main thread, before the
 * mail workers start, under a marker of their own (learning.c).
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/mailapply.h"
#include "apptrack/paths.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER_GROUP "reading"
#define MARKER_CRASHED "crashed=true\n" /* a line of MARKER_GROUP, the last group */
#define MARKER_MAX ((size_t)16 << 10) /* a marker is a few lines */
#define READER_SLOT "control"
#define SIGNAL_STACK_SIZE ((size_t)64 << 10)

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
static struct sigaction previous_actions[G_N_ELEMENTS(fatal_signals)];
/* The marker of the message this thread is reading: its file and length, or -1. */
static __thread int reading_fd = -1;
static __thread size_t reading_len;

struct marker {
	int fd;
	char *path;
};

char *reading_dir(const char *database)
{
	return g_strconcat(database, "-reading", NULL);
}

int marker_open(struct daemon *d, const char *slot, struct marker **ret_marker, GError **error)
{
	g_autofree char *name = g_uri_escape_string(slot, NULL, FALSE);
	struct marker *mk;
	int r;

	if ((r = paths_mkdir(d->reading_dir, 0700, TRUE, error)) < 0)
		return r;
	mk = g_new0(struct marker, 1);
	mk->path = g_build_filename(d->reading_dir, name, NULL);
	mk->fd = open(mk->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (mk->fd < 0) {
		r = -errno;
		at_error_set(error, r, "cannot create %s: %s", mk->path, g_strerror(-r));
		g_free(mk->path);
		g_free(mk);
		return r;
	}
	*ret_marker = mk;
	return 0;
}

void marker_close(struct marker *mk)
{
	if (!mk)
		return;
	close(mk->fd);
	if (unlink(mk->path) < 0 && errno != ENOENT)
		log_warn("cannot remove %s", mk->path);
	g_free(mk->path);
	g_free(mk);
}

/* The marker names key, from origin, until marker_clear(). */
static void marker_set(struct marker *mk, const char *key, const struct read_origin *o)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	gsize len = 0;

	g_key_file_set_string(kf, MARKER_GROUP, "key", key);
	if (o->mail.account)
		g_key_file_set_string(kf, MARKER_GROUP, "account", o->mail.account);
	if (o->mail.mailbox)
		g_key_file_set_string(kf, MARKER_GROUP, "mailbox", o->mail.mailbox);
	if (o->mail.uid)
		g_key_file_set_int64(kf, MARKER_GROUP, "uid", o->mail.uid);
	if (o->review_id)
		g_key_file_set_int64(kf, MARKER_GROUP, "review", o->review_id);
	g_key_file_set_string(kf, MARKER_GROUP, "what", o->what);
	g_autofree char *text = g_key_file_to_data(kf, &len, NULL);
	/* emptied first: a record cut short by a crash is then no record, never half of two */
	if (ftruncate(mk->fd, 0) < 0 || pwrite(mk->fd, text, len, 0) != (ssize_t)len) {
		log_warn("cannot write %s: a crash while reading %s would not be caught", mk->path, o->what);
		return;
	}
	reading_len = len;
	reading_fd = mk->fd;
}

static void marker_clear(struct marker *mk)
{
	reading_fd = -1;
	if (ftruncate(mk->fd, 0) < 0)
		log_warn("cannot empty %s", mk->path);
}

/* A fault: the message being read did it. Mark that, then die as without this handler
 * (the handler before it is put back: a fault happens again on return, a signal sent is
 * sent again). A signal sent to the whole process with kill() (systemd's watchdog sends
 * SIGABRT so) is not the message's doing and marks nothing; a fault, or abort() and raise()
 * in the thread itself, is. Only async-signal-safe calls. */
static void on_fatal_signal(int sig, siginfo_t *info, void *context)
{
	(void)context;
	if (reading_fd >= 0 && info->si_code != SI_USER)
		(void)!pwrite(reading_fd, MARKER_CRASHED, strlen(MARKER_CRASHED), (off_t)reading_len);
	for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
		if (fatal_signals[i] == sig)
			sigaction(sig, &previous_actions[i], NULL);
	if (info->si_code <= 0) /* sent by kill(), raise() or abort(), not a fault */
		raise(sig);
}

static void reading_catch_faults(void)
{
	struct sigaction sa = { .sa_sigaction = on_fatal_signal, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
		sigaction(fatal_signals[i], &sa, &previous_actions[i]);
}

static void signal_stack_free(gpointer stack)
{
	const stack_t off = { .ss_flags = SS_DISABLE };

	sigaltstack(&off, NULL);
	g_free(stack);
}

/* The thread's stack for the fault handler, freed when the thread ends. */
static GPrivate signal_stack = G_PRIVATE_INIT(signal_stack_free);

void reading_thread_init(void)
{
	if (g_private_get(&signal_stack))
		return;
	stack_t ss = { .ss_sp = g_malloc(SIGNAL_STACK_SIZE), .ss_size = SIGNAL_STACK_SIZE };
	if (sigaltstack(&ss, NULL) < 0) {
		log_warn("sigaltstack: a stack overflow while reading mail would not be caught");
		g_free(ss.ss_sp);
		return;
	}
	g_private_set(&signal_stack, ss.ss_sp);
}

void read_result_clear(struct read_result *res)
{
	g_free(res->key);
	mime_message_free(res->message);
	g_clear_error(&res->error);
	rule_match_clear(&res->match);
	if (res->features)
		g_ptr_array_unref(res->features);
	*res = (struct read_result){ 0 };
}

void read_message_with(struct marker *mk, GHashTable *quarantined, rules *r, unsigned what, const char *raw,
		       size_t len, const struct read_origin *origin, struct read_result *ret)
{
	*ret = (struct read_result){ .key = mailapply_raw_key(raw, len) };
	if (quarantined && g_hash_table_contains(quarantined, ret->key)) {
		ret->quarantined = true;
		return;
	}
	marker_set(mk, ret->key, origin);
	if (mime_parse(raw, len, &ret->message, &ret->error) == 0 && r && !ret->message->refused) {
		if (what & READ_CLASSIFY)
			ret->matched = rules_classify(r, ret->message, &ret->match) == 1;
		if (what & READ_FEATURES)
			ret->features = rules_features(r, ret->message);
	}
	marker_clear(mk);
}

void read_message(struct marker *mk, GHashTable *quarantined, rules *r, const char *raw, size_t len,
		  const struct read_origin *origin, struct read_result *ret)
{
	read_message_with(mk, quarantined, r, READ_CLASSIFY, raw, len, origin, ret);
}

/* One marker left by a crash: quarantine what it names. Only a failure to store that
 * fails: a file that is no marker is logged and ignored. */
static int recover_one(struct daemon *d, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) read_error = NULL;
	g_autofree char *text = NULL, *key = NULL, *account = NULL, *mailbox = NULL, *what = NULL;
	size_t len = 0;
	int r;

	if (paths_read_bounded(path, MARKER_MAX, PATHS_READ_FILES, "a reading marker", &text, &len, &read_error) < 0) {
		log_warnx("%s, ignoring it", read_error->message);
		return 0;
	}
	if (len == 0) /* nothing was being read */
		return 0;
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, NULL) ||
	    !(key = g_key_file_get_string(kf, MARKER_GROUP, "key", NULL)) || !g_str_has_prefix(key, "sha256:")) {
		log_warnx("%s is not a reading marker, ignoring it", path);
		return 0;
	}
	account = g_key_file_get_string(kf, MARKER_GROUP, "account", NULL);
	mailbox = g_key_file_get_string(kf, MARKER_GROUP, "mailbox", NULL);
	what = g_key_file_get_string(kf, MARKER_GROUP, "what", NULL);
	g_autofree char *which = account ? g_strdup_printf("account %s: %s", account, what ? what : "a message")
					 : g_strdup(what ? what : "a message");
	if (!g_key_file_get_boolean(kf, MARKER_GROUP, "crashed", NULL)) {
		log_with(LOG_LEVEL_INFO, &(struct log_fields){ .account = account },
			 "apptrackd was stopped from outside while it read %s: reading it again", which);
		return 0;
	}
	struct mail_origin origin = { account, mailbox, g_key_file_get_int64(kf, MARKER_GROUP, "uid", NULL) };
	int64_t review_id = g_key_file_get_int64(kf, MARKER_GROUP, "review", NULL);
	if ((r = mailapply_quarantine(d->store, key, &origin, review_id, error)) < 0)
		return r;
	log_with(LOG_LEVEL_WARNING, &(struct log_fields){ .account = account },
		 "%s stopped apptrackd while it was being read: it waits in the review queue and is not read again",
		 which);
	return 0;
}

int reading_recover(struct daemon *d, GError **error)
{
	g_autoptr(GDir) dir = g_dir_open(d->reading_dir, 0, NULL);
	const char *name;
	int r;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(d->reading_dir, name, NULL);
		if ((r = recover_one(d, path, error)) < 0)
			return r;
		if (unlink(path) < 0 && errno != ENOENT)
			log_warn("cannot remove %s", path);
	}
	if (d->quarantined)
		g_hash_table_unref(d->quarantined);
	d->quarantined = NULL;
	if ((r = mailapply_quarantined(d->store, &d->quarantined, error)) < 0)
		return r;
	reading_catch_faults();
	return 0;
}

/* ---- the reader: reading for the control methods ---- */

struct reader {
	GThreadPool *pool;
	struct marker *marker;
	gint cancelled;
};

struct reader_job {
	struct daemon *d;
	rules *rules; /* a reference: a reload may replace d->rules meanwhile */
	reader_work_fn work;
	reader_done_fn done;
	void *data;
};

static gboolean reader_job_done(gpointer data)
{
	struct reader_job *job = data;

	job->done(job->d, job->data);
	return G_SOURCE_REMOVE;
}

static void reader_job_free(gpointer data)
{
	struct reader_job *job = data;

	rules_free(job->rules);
	g_free(job);
}

static void reader_thread(gpointer data, gpointer user_data)
{
	struct reader_job *job = data;
	(void)user_data;

	reading_thread_init();
	job->work(job, job->data);
	g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, reader_job_done, job, reader_job_free);
}

int reader_start(struct daemon *d, GError **error)
{
	struct reader *rd = g_new0(struct reader, 1);
	int r = marker_open(d, READER_SLOT, &rd->marker, error);

	if (r < 0) {
		g_free(rd);
		return r;
	}
	/* one thread: one marker, and requests answered in the order they came */
	rd->pool = g_thread_pool_new(reader_thread, NULL, 1, FALSE, NULL);
	d->reader = rd;
	return 0;
}

void reader_stop(struct daemon *d)
{
	struct reader *rd = d->reader;

	if (!rd)
		return;
	g_atomic_int_set(&rd->cancelled, 1); /* the jobs still queued finish at once */
	g_thread_pool_free(rd->pool, FALSE, TRUE);
	/* their answers wait on the main loop: give them while the connections are open */
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	marker_close(rd->marker);
	g_free(rd);
	d->reader = NULL;
}

void reader_run(struct daemon *d, reader_work_fn work, reader_done_fn done, void *data)
{
	struct reader_job *job = g_new0(struct reader_job, 1);

	job->d = d;
	job->rules = rules_ref(d->rules);
	job->work = work;
	job->done = done;
	job->data = data;
	g_thread_pool_push(d->reader->pool, job, NULL);
}

bool reader_read(struct reader_job *job, const char *raw, size_t len, const struct read_origin *origin,
		 unsigned what, struct read_result *ret)
{
	struct reader *rd = job->d->reader;

	if (g_atomic_int_get(&rd->cancelled)) {
		*ret = (struct read_result){ 0 };
		return false;
	}
	read_message_with(rd->marker, job->d->quarantined, what ? job->rules : NULL, what, raw, len, origin, ret);
	return true;
}

rules *reader_rules(struct reader_job *job)
{
	return job->rules;
}
