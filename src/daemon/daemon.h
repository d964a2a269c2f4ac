/* SPDX-License-Identifier: GPL-3.0-or-later */
/* daemon.h - apptrackd's shared state, owned by the main thread.
 *
 * main.c creates one struct daemon, fills it in start-up order (config, store, control
 * socket) and tears it down in reverse. Everything that changes stored data runs on the
 * main thread - the methods (methods_call()), the mail batches (mail.c) and the reminders
 * acted on from a notification (scheduler.c) - and every change is announced on the
 * change bus (daemon_changed()). The one exception is an import (importing.c): its
 * thread writes on a connection of its own, and while it does the write gate keeps every
 * other write waiting, in order. Nothing here is touched from another thread but what
 * mail.c, reading.c, calendar.c and importing.c say their threads share. The map of it all
 * is in docs/decisions.md, "Architecture".
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
struct web;
struct caldav;
struct feed;
struct scheduler;
struct control;
struct mail;
struct reader;
struct service;
struct import_job;

/* The write gate (importing.c): while an import writes on its own connection, the writes
 * of the main thread wait here, in the order they came. Main thread only. */
struct gate {
	GQueue queue;           /* struct gate_entry *: writes waiting, oldest first */
	unsigned writers;       /* writer calls answered later (-EINPROGRESS) and not yet ended */
	struct import_job *job; /* the import running on its thread, or NULL */
	bool draining;          /* gate_writer_end() is running the queue */
	bool stopping;          /* importing_stop() ran: imports are refused */
};

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
	struct web *web;           /* the web page, see web.c */
	struct caldav *caldav;     /* the CalDAV worker, see caldav.c */
	struct scheduler *scheduler; /* due reminders, see scheduler.c */
	struct service *service;   /* systemd readiness, status, watchdog, see service.c */
	struct reader *reader;     /* reads mail for the control methods, see reading.c */
	char *reading_dir;         /* the markers of messages being read, see reading.c */
	GHashTable *quarantined;   /* keys of quarantined messages; read-only once started */
	int64_t started_at;
	GArray *listeners;         /* listeners on the change bus besides the parts, see changes.c */
	struct gate gate;          /* writes waiting for an import, see importing.c */
};

/* Applies config to the running daemon (log level, reminder delays). */
void daemon_apply_config(struct daemon *d);

/* ---- changes.c: the change bus ---- */

/* Something stored changed: event names what ("application.changed", docs/protocol.md),
 * fields (borrowed, may be NULL) what the event carries. Tells the calendar feed, the
 * reminder timer and systemd's status line to look again, every listener added with
 * changes_listen(), then the `watch` subscribers (control_send_event()). Parts that are
 * not started are skipped. Main thread. */
void daemon_changed(struct daemon *d, const char *event, json_t *fields);
/* A listener on the bus besides the daemon's parts (a unit test's, for one). */
typedef void (*changes_fn)(struct daemon *d, const char *event, json_t *fields, void *data);
void changes_listen(struct daemon *d, changes_fn fn, void *data);
/* Removes every listener. */
void changes_clear(struct daemon *d);

/* ---- methods.c: the control protocol's method table ---- */

struct call;
/* How a method's answer goes back to whoever asked (control.c, a unit test): called once
 * per call, with r (0 or a negative errno) and the call, whose result, raw, data, error
 * and watch the transport reads; call is freed when it returns. */
typedef void (*call_reply_fn)(struct call *call, int r, void *target);

/* One call of a method: the handler's only parameter. The dispatcher (methods_call())
 * makes it and announces the method's events (its table entry) once it succeeds, with
 * the ids and report the handler left here; the transport gets it back through reply. */
struct call {
	struct daemon *d;
	const char *method;  /* its name */
	json_t *params;      /* the request's parameters, an object (held until the call ends) */
	/* left by the handler */
	json_t *result;      /* success: the result */
	char *raw;           /* success, instead of result: the result as JSON text (g_free) */
	json_t *data;        /* failure: structured detail for the error reply, or NULL */
	GError *error;       /* failure: why (at_error_set(&call->error, ...)) */
	int64_t id;          /* the record the method's events name ("id") */
	int64_t application; /* the application an interview's events also name */
	json_t *report;      /* the fields of an event that carries a report (import, review.retry) */
	bool lessons_changed; /* the lessons changed: "lessons.changed" is due */
	bool watch;          /* `watch`: the connection only receives events from now on */
	/* the transport's */
	call_reply_fn reply;
	void *target;
	/* the dispatcher's */
	const struct method *m;
	bool dispatching; /* in the handler: call_finish() leaves the answer to the dispatcher */
	bool finished;
	bool in_flight;   /* a writer answering later: counted in d->gate.writers until it ends */
	int r;
};

/* Runs method with params (borrowed, an object) and answers through reply(call, r,
 * target): before returning (0), or later on the main loop (-EINPROGRESS): a method that
 * reads mail or imports, and a method that writes (one whose table entry declares events)
 * while the write gate is closed (importing.c), which runs it once the import is over.
 * An unknown method is answered -ENOSYS, an unknown parameter -EINVAL. */
int methods_call(struct daemon *d, const char *method, json_t *params, call_reply_fn reply, void *target);
/* A method that answers later (its handler returned -EINPROGRESS) ends the call with r
 * (0: call->result set; else call->error, maybe call->data): the events are announced on
 * success, the transport answers, the call is freed. Main loop. */
void call_finish(struct call *call, int r);
/* The name of the i-th method of the table, NULL past the end (for tests). */
const char *methods_name(size_t i);
/* The "messages" parameter of a method that reads mail the client gives: an array of at
 * most METHODS_MAX_MESSAGES {"file": NAME, "raw": BASE64} objects. *ret_messages is
 * borrowed from params. */
#define METHODS_MAX_MESSAGES 1000
int methods_messages(json_t *params, json_t **ret_messages, GError **error);

/* ---- http.c: what the calendar feed's and the web page's servers share ---- */

struct addrinfo;
/* Reads listen ("ADDRESS:PORT", the address maybe in brackets; from: the setting or variable
 * it came from, what: the server, both for messages) into *ret_ai (freeaddrinfo) and the bare
 * address *ret_host (g_free). -EINVAL with one message. */
int http_listen_address(const char *listen, const char *from, const char *what, char **ret_host,
			struct addrinfo **ret_ai, GError **error);

/* ---- control.c: the control socket ---- */

/* Binds the control socket at path: creates its directory (0700) if missing, refuses to
 * start when a live apptrackd answers there, replaces a stale socket, creates the socket
 * with mode 0600, and serves connections on the default main context: each request is
 * answered by methods_call(). */
int control_listen(struct daemon *d, const char *path, struct control **ret_control,
		   GError **error);
/* Closes every connection, removes the socket file unless systemd passed the socket
 * (service_listen_fd()), which then also skips the checks above. NULL is fine. */
void control_free(struct control *c);
/* The socket's path. */
const char *control_path(struct control *c);
/* Sends {"event":name,...fields,"at":...} to every connection that asked to `watch`
 * (and nothing else: daemon_changed() is the bus). fields is borrowed and may be NULL;
 * NULL c is fine. */
void control_send_event(struct control *c, const char *name, json_t *fields);
/* Number of open connections (for status reporting and tests). */
unsigned control_connections(struct control *c);

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

/* Starts the feed's builder thread (the first build runs beside the rest of the start),
 * which writes [calendar] file, and, unless listen is off, serves the feed over HTTP.
 * Fails when the address cannot be used; the file is still kept up to date then. */
int calendar_start(struct daemon *d, GError **error);
void calendar_stop(struct daemon *d);
/* Something changed: wakes the builder (changes while it builds make one more build). */
void calendar_changed(struct daemon *d);
/* {"url": URL or null, "file": PATH, "reminders_as", "vdir": PATH or null, "caldav":
 * caldav_info()} (new reference). */
json_t *calendar_info(struct daemon *d);

/* ---- web.c: the web page (web_api.c, web_events.c; web.h) ---- */

/* Serves the page on [web] listen (or APPTRACK_WEB_LISTEN) unless it is off: its own
 * libmicrohttpd thread, the method calls of POST /api/METHOD on the main loop. Fails when
 * the address cannot be used (the rest of the daemon works without it). */
int web_start(struct daemon *d, GError **error);
/* Ends the event streams, answers the calls not yet run, stops the thread. After
 * importing_stop() and reader_stop(), whose calls it may be waiting for. NULL state is fine. */
void web_stop(struct daemon *d);
/* An event of the change bus, to every GET /events stream. Main thread. */
void web_changed(struct daemon *d, const char *event, json_t *fields);
/* web.login: a new single-use login link, http://HOST:PORT/login?key=KEY (g_free). Main thread. */
int web_login_url(struct daemon *d, char **ret_url, GError **error);

/* ---- caldav.c: the feed's other outputs, the vdir and the CalDAV collection ---- */

/* What the builder makes besides the feed, copied from the configuration on the main loop. */
struct calendar_outputs {
	char *vdir;          /* [calendar] vdir, or NULL */
	bool caldav;         /* [caldav] url is set */
	bool caldav_todo;    /* [caldav] reminders_as */
	unsigned caldav_send; /* [caldav] send: FEED_INTERVIEWS | FEED_REMINDERS */
};
void calendar_outputs_set(struct calendar_outputs *o, const struct config *config);
void calendar_outputs_clear(struct calendar_outputs *o);
/* Builder thread, after a build of f (with reminders as to-dos when as_todo) that succeeded,
 * with the reader it used: writes the vdir, and offers the CalDAV collection's resources to
 * the main loop, which stores them in the outbox and wakes the CalDAV worker. *caldav_feed is
 * the builder's cache for a [caldav] reminders_as other than the feed's (feed_free() it). */
void calendar_outputs_run(struct daemon *d, const struct calendar_outputs *o, store *reader, struct feed *f,
			  bool as_todo, struct feed **caldav_feed);
/* Starts the CalDAV worker thread (idle while [caldav] url is not set); calendar_start's. */
void caldav_start(struct daemon *d);
/* Stops it, after the builder: a request under way is given up within a second (its change
 * is not lost: the outbox keeps it), and so is a finished job the main loop has not
 * recorded yet. NULL state is fine. */
void caldav_stop(struct daemon *d);
/* After a reload: a retry waiting out its back-off runs now (the new settings may be the
 * fix), and the feed is built again with the new outputs. Main thread. */
void caldav_reload(struct daemon *d);
/* {"url", "user", "pending", "last_sync", "last_error", "next_try", "send", "reminders_as"},
 * or null without [caldav] url (new reference). Main thread. */
json_t *caldav_info(struct daemon *d);

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
 * the reader, then stored all or nothing; answered later (-EINPROGRESS) or refused now.
 * Method handlers (methods.c's table). */
int learning_learn(struct call *call);
int learning_unlearn(struct call *call);
/* Once the transaction that stored the lesson that a message is of kind committed
 * (previous: what lessons_add() said): teaches the model of the rules in force, if there is
 * one, the message's features (NULL: nothing to teach). */
void learning_taught(struct daemon *d, GPtrArray *features, enum mail_kind kind, int previous);
/* The fields of "lessons.changed": {"lessons": how many are stored now} (new reference),
 * or NULL when they cannot be counted (logged). */
json_t *learning_event(struct daemon *d);
/* mail.model: {"file", "messages" (shipped, null without a model), "lessons" (stored),
 * "problem" (null, or why there is no model)}; *ret_info: new reference. */
int learning_model_info(struct daemon *d, json_t **ret_info, GError **error);

/* ---- importing.c: the import off the main loop, and the write gate ---- */

/* import {"csv", "skip_bad"} (docs/protocol.md): parsed, validated and written in one
 * transaction by a thread of its own, on a connection of its own; answered later
 * (-EINPROGRESS) with the report that import.done carries. The method table marks it
 * exclusive: it starts only when no write is in flight, and writes wait for it. */
int importing_import(struct call *call);
/* Cancels the import running (its transaction rolls back: nothing imported, the call is
 * answered so), waits for its thread, refuses imports from now on and runs the writes
 * that waited. Before reader_stop() and mail_stop(): what waited may use them. */
void importing_stop(struct daemon *d);

/* Something that writes on the main connection, waiting for the gate. */
typedef void (*gate_fn)(struct daemon *d, void *data);
/* Whether a write on the main thread must wait now: an import is running, or writes wait
 * already (they keep their order). exclusive (an import): also while a writer call is in
 * flight (d->gate.writers), since its end writes. */
bool gate_closed(struct daemon *d, bool exclusive);
/* Queues fn(d, data) to run on the main loop once the gate opens, after what waits
 * already; fn owns data then. The caller asked gate_closed() first. */
void gate_defer(struct daemon *d, bool exclusive, gate_fn fn, void *data);
/* The dispatcher's: a writer call answers later / has ended (then what waits may run). */
void gate_writer_begin(struct daemon *d);
void gate_writer_end(struct daemon *d);

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
