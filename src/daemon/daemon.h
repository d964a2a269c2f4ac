/* daemon.h - apptrackd's shared state, owned by the main thread.
 *
 * main.c creates one struct daemon, fills it in start-up order (config, store, control
 * socket) and tears it down in reverse. Everything that changes stored data runs on the
 * main thread through methods_call(); nothing here is touched from another thread.
 */
#ifndef APPTRACKD_DAEMON_H
#define APPTRACKD_DAEMON_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "apptrack/config.h"
#include "apptrack/mailapply.h"
#include "apptrack/pipeline.h"
#include "apptrack/rules.h"
#include "apptrack/store.h"

struct calendar;
struct scheduler;
struct control;
struct mail;
struct reader;
struct service;

struct daemon {
	GMainLoop *loop;
	char *config_arg;          /* --config FILE, or NULL for the default location */
	struct config *config;     /* current configuration; replaced on SIGHUP */
	struct pipeline_delays delays;
	struct mail_policy policy; /* how sure mail must be read to act on it; .delays is &delays */
	store *store;
	struct pipeline pipeline;  /* the change context of methods: store, &delays, the clock */
	rules *rules;              /* mail rules; replaced on SIGHUP */
	struct control *control;
	struct mail *mail;         /* mail workers, see mail.c */
	struct calendar *calendar; /* the calendar feed, see calendar.c */
	struct scheduler *scheduler; /* due reminders, see scheduler.c */
	struct service *service;   /* systemd readiness, status, watchdog, see service.c */
	struct reader *reader;     /* reads mail for the control methods, see reading.c */
	char *reading_dir;         /* the markers of messages being read, see reading.c */
	GHashTable *quarantined;   /* keys of quarantined messages; read-only once started */
	int64_t started_at;
};

/* Applies config to the running daemon (log level, reminder delays). */
void daemon_apply_config(struct daemon *d);

/* ---- methods.c: the control protocol's method table ---- */

/* A request being answered (control.c owns it). */
struct call;

/* Runs method with params (borrowed, an object). On success either *ret_result gets a
 * new reference or, for methods whose result is built as JSON text (large lists),
 * *ret_raw gets that text (g_free); on failure returns a negative errno, sets *error and may set *ret_data
 * (structured detail for the error reply, new reference). -ENOSYS for unknown methods.
 * A method that reads mail answers later: it returns -EINPROGRESS, having taken call,
 * and calls call_finish() on the main loop when it is done. Changes are announced to
 * watchers through control_broadcast(). */
int methods_call(struct daemon *d, const char *method, json_t *params, struct call *call, json_t **ret_result,
		 char **ret_raw, json_t **ret_data, GError **error);
/* The "messages" parameter of a method that reads mail the client gives: an array of at
 * most METHODS_MAX_MESSAGES {"file": NAME, "raw": BASE64} objects. *ret_messages is
 * borrowed from params. */
#define METHODS_MAX_MESSAGES 1000
int methods_messages(json_t *params, json_t **ret_messages, GError **error);

/* ---- control.c: the control socket ---- */

/* Binds the control socket at path: creates its directory (0700) if missing, refuses to
 * start when a live apptrackd answers there, replaces a stale socket, creates the socket
 * with mode 0600, and serves connections on the default main context. */
int control_listen(struct daemon *d, const char *path, struct control **ret_control,
		   GError **error);
/* Closes every connection, removes the socket file unless systemd passed the socket
 * (service_listen_fd()), which then also skips the checks above. NULL is fine. */
void control_free(struct control *c);
/* The socket's path. */
const char *control_path(struct control *c);
/* Sends {"event":name,...fields,"at":...} to every connection that asked to `watch`.
 * fields is borrowed and may be NULL. */
void control_broadcast(struct control *c, const char *name, json_t *fields);
/* Number of open connections (for status reporting and tests). */
unsigned control_connections(struct control *c);
/* Answers a call that methods_call() left in progress, on the main loop: with result (a
 * new reference, taken) when r is 0, else with error and data (new reference, taken, may
 * be NULL). The connection may have gone meanwhile: then the answer is dropped. Frees
 * call. */
void call_finish(struct call *call, int r, json_t *result, json_t *data, const GError *error);

/* ---- mail.c: mail account workers (their drivers: mail_driver.h) ---- */

/* Starts a worker thread per mail account of the config (IMAP or Maildir). */
void mail_start(struct daemon *d);
/* Stops and joins the workers, applies batches still pending. NULL state is fine. */
void mail_stop(struct daemon *d);
/* Wakes every worker to scan now. */
void mail_sync(struct daemon *d);
/* Array of per-account status objects (new reference). */
json_t *mail_status(struct daemon *d);
/* How many accounts wait for mail, are starting (not connected or scanned yet), or fail (last error set). */
struct mail_counts {
	unsigned total, idle, starting, failing;
};
void mail_counts(struct daemon *d, struct mail_counts *ret);

/* ---- scheduler.c: due reminders as desktop notifications ---- */

/* Arms the timer for the next reminder (raising overdue ones at once). */
void scheduler_start(struct daemon *d);
void scheduler_stop(struct daemon *d);
/* Reminders may have changed: recompute the timer soon. */
void scheduler_changed(struct daemon *d);
/* When the next reminder is due (epoch seconds), 0 when none is pending. */
int64_t scheduler_next_due(struct daemon *d);

/* ---- calendar.c: the iCalendar feed ---- */

/* Builds the feed, writes [calendar] file and, unless listen is off, serves it over HTTP.
 * Fails when the address cannot be used; the file is still kept up to date then. */
int calendar_start(struct daemon *d, GError **error);
void calendar_stop(struct daemon *d);
/* Something changed: rebuild the feed soon (once per main-loop turn). */
void calendar_changed(struct daemon *d);
/* {"url": URL or null, "file": PATH, "reminders_as"} (new reference). */
json_t *calendar_info(struct daemon *d);

/* ---- reading.c: reading mail off the main loop, and what a crash while reading leaves ---- */

/* Where a message being read comes from, as its marker records it. */
struct read_origin {
	struct mail_origin mail; /* all NULL and 0 for messages that are not in a mailbox */
	int64_t review_id;       /* a review entry being read, else 0 */
	const char *what;        /* for the log: "INBOX UID 7", "Maildir file NAME in INBOX" */
};

/* What reading a message does besides parsing it (flags). Neither is done for a message
 * that is not read whole (`refused`, mime.h). */
enum read_what {
	READ_PARSE = 0,
	READ_CLASSIFY = 1 << 0, /* rules_classify(): matched, match */
	READ_FEATURES = 1 << 1, /* rules_features(): what a lesson about it teaches the model */
};

/* A message as read. */
struct read_result {
	char *key;                    /* "sha256:" and the raw message's SHA-256 */
	bool quarantined;             /* it once stopped apptrackd: not parsed, nothing below is set */
	struct mime_message *message; /* NULL when quarantined or not a mail message */
	GError *error;                /* why it is not a mail message */
	bool matched;                 /* a rule matched: match is filled in */
	struct rule_match match;
	GPtrArray *features;          /* READ_FEATURES: rules_features(), else NULL */
};
void read_result_clear(struct read_result *res);

/* The marker of one reading thread. */
struct marker;
/* The directory of the markers of the database at path. g_free. */
char *reading_dir(const char *database);
/* Creates the marker slot (a file in d->reading_dir, made empty). Main thread. */
int marker_open(struct daemon *d, const char *slot, struct marker **ret_marker, GError **error);
/* Removes it. NULL is fine. */
void marker_close(struct marker *mk);
/* Reads raw: unless quarantined names it, parses it and, with rules (NULL: not), classifies
 * it, with mk naming it meanwhile. Any thread; *ret: clear with read_result_clear(). */
void read_message(struct marker *mk, GHashTable *quarantined, rules *r, const char *raw, size_t len,
		  const struct read_origin *origin, struct read_result *ret);
/* read_message() doing what what asks (enum read_what) with r. */
void read_message_with(struct marker *mk, GHashTable *quarantined, rules *r, unsigned what, const char *raw,
		       size_t len, const struct read_origin *origin, struct read_result *ret);
/* At start, before any marker is opened: quarantines what the markers left by a crash
 * name, fills d->quarantined, and sets up the handler that marks a crash while reading. */
int reading_recover(struct daemon *d, GError **error);
/* In a thread that reads mail, before it reads: the fault handler's stack of its own. */
void reading_thread_init(void);

/* The reader: one thread that reads mail for the control methods. */
struct reader_job;
typedef void (*reader_work_fn)(struct reader_job *job, void *data);
typedef void (*reader_done_fn)(struct daemon *d, void *data);
int reader_start(struct daemon *d, GError **error);
/* Lets the jobs queued finish at once (reader_read() refuses), waits for them and gives
 * their answers. NULL state is fine. */
void reader_stop(struct daemon *d);
/* Runs work(job, data) on the reader thread, with the rules of now, then done(d, data) on
 * the main loop. */
void reader_run(struct daemon *d, reader_work_fn work, reader_done_fn done, void *data);
/* In work: read_message_with() with the reader's marker and the job's rules, doing what
 * what asks (enum read_what). false (and nothing read) once the daemon is stopping. */
bool reader_read(struct reader_job *job, const char *raw, size_t len, const struct read_origin *origin,
		 unsigned what, struct read_result *ret);
/* In work: the rules the job reads with (borrowed for the job's life). */
rules *reader_rules(struct reader_job *job);

/* ---- learning.c: the user's lessons to the mail model ---- */

/* Before rules r is put in force (at start, on reload): logs why r has no model, or
 * teaches its model every stored lesson (logging those it cannot read). Main thread. */
void learning_start(struct daemon *d, rules *r);
/* mail.learn {"kind", "messages"} and mail.unlearn {"messages"} (docs/protocol.md): read by
 * the reader, then stored all or nothing; answered later (-EINPROGRESS) or refused now. */
int learning_learn(struct daemon *d, json_t *params, struct call *call, GError **error);
int learning_unlearn(struct daemon *d, json_t *params, struct call *call, GError **error);
/* Once the transaction that stored the lesson that a message is of kind committed
 * (previous: what lessons_add() said): teaches the model of the rules in force, if there is
 * one, the message's features (NULL: nothing to teach). */
void learning_taught(struct daemon *d, GPtrArray *features, enum mail_kind kind, int previous);
/* The lessons changed: announces "lessons.changed" with their number. */
void learning_changed(struct daemon *d);
/* mail.model: {"file", "messages" (shipped, null without a model), "lessons" (stored),
 * "problem" (null, or why there is no model)}; *ret_info: new reference. */
int learning_model_info(struct daemon *d, json_t **ret_info, GError **error);

/* ---- service.c: running under systemd ---- */

/* The socket passed by socket activation (LISTEN_FDS, taken out of the environment): 1 and
 * *ret_fd (non-blocking, close-on-exec) when there is one, 0 when there is none, negative
 * when what was passed is not one listening Unix stream socket. */
int service_listen_fd(int *ret_fd, GError **error);
/* Tells systemd the daemon is ready (READY=1 and the status line) and starts the
 * watchdog pings (WATCHDOG_USEC) and the status refresh, all on the main loop. */
void service_start(struct daemon *d);
/* Sends RELOADING=1 (reloading true) or READY=1 again (false) around a SIGHUP reload. */
void service_reloading(struct daemon *d, bool reloading);
/* Something changed: send the status line again if it reads differently (soon, once). */
void service_changed(struct daemon *d);
/* Sends STOPPING=1 and stops the timers. NULL state is fine. */
void service_stop(struct daemon *d);

#endif
