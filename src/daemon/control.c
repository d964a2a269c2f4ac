/* SPDX-License-Identifier: GPL-3.0-or-later */
/* control.c - the control socket: newline-delimited JSON over a Unix stream socket.
 *
 * Transport only: it accepts connections, frames and parses request lines, hands each
 * request to methods_call() (methods.c) and writes the reply; control_send_event() writes
 * the events of the change bus (changes.c) to the connections that asked to `watch`.
 *
 * Modelled on OpenSMTPD's control.c: connect first to detect a live instance before
 * unlinking a socket, set the umask before bind(), check the peer's uid, cap the number
 * of connections, stop accepting for a moment when file descriptors run out, and bound
 * every buffer a client controls.
 *
 * Requests on one connection are answered one at a time, in order: the next request is
 * taken only once the reply to the last one is written out, so at most one reply is
 * queued per connection, however large (a 100k-row listing goes through). A request line
 * over CONTROL_PARSE_INLINE_MAX is parsed by a thread of its own (JSON of 20 MiB takes a
 * fifth of a second), and a method that reads mail answers later (conn_answer(), once
 * the reader is done): meanwhile the connection waits, and the main loop serves everybody else.
 * While a request is being answered, a connection reads at most CONTROL_MAX_READ_AHEAD
 * bytes ahead and then stops reading until the answer is out, so a client that writes
 * requests and never reads its replies meets back-pressure instead of making the daemon
 * buffer without bound. A connection that neither sends nor takes a byte for
 * CONTROL_IDLE_TIMEOUT_S, with no request being answered, is closed; `watch`
 * subscribers are idle by design and exempt.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/paths.h"
#include "apptrack/protocol.h"

#include <glib-unix.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CONTROL_BACKLOG 16
#define CONTROL_READ_CHUNK (64 * 1024)
#define CONTROL_ACCEPT_PAUSE_MS 1000
/* A watcher that lets this much output pile up is dropped rather than buffered for. */
#define CONTROL_MAX_WATCH_BACKLOG ((size_t)16 << 20)
/* After refusing an oversized line the connection keeps reading (and discarding) so the
 * client can still read the error instead of a reset, but for no longer than this. */
#define CONTROL_DRAIN_MS 2000
/* Request lines longer than this are parsed off the main loop. */
#define CONTROL_PARSE_INLINE_MAX ((size_t)256 << 10)
/* Input read ahead of the request being answered; beyond it the socket is left unread. */
#define CONTROL_MAX_READ_AHEAD ((size_t)1 << 20)
/* A connection with nothing going on either way for this long is closed
 * ($APPTRACK_IDLE_TIMEOUT overrides it, for tests). */
#define CONTROL_IDLE_TIMEOUT_S 60
#define CONTROL_IDLE_TIMEOUT_MAX_S (24 * 3600)

struct conn {
	struct control *control;
	int fd;
	guint in_source;  /* 0 while the socket is left unread (read-ahead full) */
	guint out_source;
	struct linebuf in;
	GString *out;
	size_t out_off;
	struct request *request; /* the request being answered later, see conn_answer() */
	struct parse *parse; /* the request line being parsed off the main loop */
	bool watching;
	bool closing;  /* close once the output is flushed */
	bool draining; /* refused an oversized line: discard input until EOF */
	guint drain_timeout;
	guint idle_timeout;
	int64_t last_active; /* monotonic, microseconds: the last byte read or written */
};

/* A request handed to methods_call(): the connection it came on (NULL once that is gone),
 * its id, and its reply line when it is answered at once. */
struct request {
	struct conn *conn;
	json_t *id;
	bool later; /* methods_call() returned: the answer is sent when it comes */
	char *line;
};

/* A long request line parsed by the parser thread: the connection (NULL once gone), the
 * line, and what parsing it gave. */
struct parse {
	struct conn *conn;
	char *line;
	size_t len;
	int r;
	struct proto_request req;
	GError *error;
};

struct control {
	struct daemon *daemon;
	char *path;
	int fd;
	guint accept_source;
	guint pause_source;
	bool passed; /* by socket activation: systemd owns the socket file */
	GThreadPool *parser; /* one thread: parses long request lines */
	unsigned idle_timeout_s;
	GList *conns;
	unsigned n_conns;
};

static void conn_free(struct conn *conn)
{
	struct control *c = conn->control;

	if (conn->in_source)
		g_source_remove(conn->in_source);
	if (conn->out_source)
		g_source_remove(conn->out_source);
	if (conn->drain_timeout)
		g_source_remove(conn->drain_timeout);
	if (conn->idle_timeout)
		g_source_remove(conn->idle_timeout);
	if (conn->request) /* its answer, when it comes, has nowhere to go */
		conn->request->conn = NULL;
	if (conn->parse)
		conn->parse->conn = NULL;
	close(conn->fd);
	linebuf_clear(&conn->in);
	g_string_free(conn->out, TRUE);
	c->conns = g_list_remove(c->conns, conn);
	c->n_conns--;
	g_free(conn);
}

static gboolean conn_on_writable(gint fd, GIOCondition cond, gpointer data);
static gboolean conn_on_readable(gint fd, GIOCondition cond, gpointer data);
static void conn_process(struct conn *conn);

/* Writes as much pending output as the socket takes. Returns false when the connection
 * was freed. */
static bool conn_flush(struct conn *conn)
{
	while (conn->out_off < conn->out->len) {
		ssize_t n = send(conn->fd, conn->out->str + conn->out_off,
				 conn->out->len - conn->out_off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!conn->out_source)
				conn->out_source = g_unix_fd_add(conn->fd, G_IO_OUT, conn_on_writable, conn);
			return true;
		}
		if (n <= 0) {
			log_debug("control: client went away while writing");
			conn_free(conn);
			return false;
		}
		conn->out_off += (size_t)n;
		conn->last_active = g_get_monotonic_time();
	}
	g_string_truncate(conn->out, 0);
	conn->out_off = 0;
	if (conn->out_source) {
		g_source_remove(conn->out_source);
		conn->out_source = 0;
	}
	if (conn->closing && conn->draining) {
		shutdown(conn->fd, SHUT_WR); /* the error is out; the read side drains */
	} else if (conn->closing) {
		conn_free(conn);
		return false;
	}
	return true;
}

static gboolean conn_drain_expired(gpointer data)
{
	struct conn *conn = data;

	conn->drain_timeout = 0;
	conn_free(conn);
	return G_SOURCE_REMOVE;
}

static gboolean conn_on_writable(gint fd, GIOCondition cond, gpointer data)
{
	struct conn *conn = data;
	(void)fd;
	(void)cond;

	conn->out_source = 0; /* returning G_SOURCE_REMOVE below */
	if (conn_flush(conn) && conn->out->len == 0)
		conn_process(conn);
	return G_SOURCE_REMOVE;
}

/* Queues a line (taking ownership) and tries to send it right away. */
static bool conn_send(struct conn *conn, char *line)
{
	g_string_append(conn->out, line);
	g_free(line);
	return conn_flush(conn);
}

static void request_free(struct request *rq)
{
	json_decref(rq->id);
	g_free(rq->line);
	g_free(rq);
}

/* The reply line to a request answered now or later (conn_answer()). */
static char *reply_line(json_t *id, int r, json_t *result, const char *raw, json_t *data, const GError *error,
			const char *method)
{
	if (r < 0) {
		if (strcmp(at_error_code(r), "internal") == 0)
			log_warnx("control: %s failed: %s", method, error ? error->message : "?");
		return proto_reply_error(id, r, error ? error->message : "internal error", data);
	}
	return raw ? proto_reply_raw(id, raw) : proto_reply_result(id, result);
}

/* methods_call()'s reply: the answer to rq, given before methods_call() returns (kept in
 * rq->line for conn_dispatch()) or later (sent, unless the connection is gone). */
static void conn_answer(struct call *call, int r, void *target)
{
	struct request *rq = target;
	struct conn *conn = rq->conn;
	char *line = conn ? reply_line(rq->id, r, call->result, call->raw, call->data, call->error, call->method)
			  : NULL;

	if (conn && r == 0 && call->watch)
		conn->watching = true;
	if (!rq->later) {
		rq->line = line;
		return;
	}
	request_free(rq);
	if (!conn)
		return;
	conn->request = NULL;
	conn->last_active = g_get_monotonic_time();
	if (conn_send(conn, line) && conn->out->len == 0)
		conn_process(conn);
}

/* Answers a parsed request (r < 0: it could not be parsed, error says why): the reply, or
 * NULL when the method answers later. Clears req. */
static char *conn_dispatch(struct conn *conn, struct proto_request *req, int r, const GError *parse_error)
{
	struct daemon *d = conn->control->daemon;
	char *reply;

	if (r < 0) {
		reply = proto_reply_error(req->id, r, parse_error->message, NULL);
		proto_request_clear(req);
		return reply;
	}
	struct request *rq = g_new0(struct request, 1);
	*rq = (struct request){ .conn = conn, .id = json_incref(req->id) };
	r = methods_call(d, req->method, req->params, conn_answer, rq);
	proto_request_clear(req);
	if (r == -EINPROGRESS) {
		rq->later = true;
		conn->request = rq;
		return NULL;
	}
	reply = g_steal_pointer(&rq->line);
	request_free(rq);
	return reply;
}

/* Parser thread: parses a long line, then hands it back to the main loop. */
static gboolean conn_parsed(gpointer data);
static void parser_thread(gpointer data, gpointer user_data)
{
	struct parse *p = data;
	(void)user_data;

	p->r = proto_request_parse(p->line, p->len, &p->req, &p->error);
	g_clear_pointer(&p->line, g_free);
	g_main_context_invoke(NULL, conn_parsed, p);
}

/* A request is being answered: input waits in the buffer meanwhile. */
static bool conn_busy(const struct conn *conn)
{
	return conn->out->len > 0 || conn->request || conn->parse;
}

static void conn_read_again(struct conn *conn)
{
	if (!conn->in_source && !conn->closing)
		conn->in_source = g_unix_fd_add(conn->fd, G_IO_IN, conn_on_readable, conn);
}

/* Answers buffered requests until one reply has to wait (for the socket, or for a
 * method that answers later). */
static void conn_process(struct conn *conn)
{
	char *line;
	size_t len;

	while (!conn->closing && !conn_busy(conn) && linebuf_next(&conn->in, &line, &len) == 1) {
		if (len > CONTROL_PARSE_INLINE_MAX) {
			conn->parse = g_new0(struct parse, 1);
			*conn->parse = (struct parse){ .conn = conn, .line = line, .len = len };
			g_thread_pool_push(conn->control->parser, conn->parse, NULL);
			return; /* conn_parsed() goes on */
		}
		struct proto_request req;
		g_autoptr(GError) error = NULL;
		int r = proto_request_parse(line, len, &req, &error);
		g_free(line);
		char *reply = conn_dispatch(conn, &req, r, error);
		if (reply && !conn_send(conn, reply))
			return;
	}
	if (!conn_busy(conn))
		conn_read_again(conn);
}

/* Main loop: a long line is parsed; answer it, unless its connection is gone. */
static gboolean conn_parsed(gpointer data)
{
	struct parse *p = data;
	struct conn *conn = p->conn;
	char *reply = NULL;

	if (conn) {
		conn->parse = NULL;
		conn->last_active = g_get_monotonic_time();
		reply = conn_dispatch(conn, &p->req, p->r, p->error);
	} else {
		proto_request_clear(&p->req);
	}
	g_clear_error(&p->error);
	g_free(p);
	if (conn && (!reply || conn_send(conn, reply)) && conn->out->len == 0)
		conn_process(conn);
	return G_SOURCE_REMOVE;
}

static gboolean conn_on_readable(gint fd, GIOCondition cond, gpointer data)
{
	struct conn *conn = data;
	char buf[CONTROL_READ_CHUNK];
	ssize_t n;
	(void)cond;

	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		conn->in_source = 0;
		conn_free(conn);
		return G_SOURCE_REMOVE;
	}
	conn->last_active = g_get_monotonic_time();
	if (conn->watching || conn->draining) /* no further requests */
		return G_SOURCE_CONTINUE;
	if (linebuf_append(&conn->in, buf, (size_t)n) < 0) {
		g_autofree char *msg = g_strdup_printf("request line longer than %zu bytes",
						       (size_t)PROTO_MAX_LINE);
		log_warnx("control: %s, closing the connection", msg);
		linebuf_clear(&conn->in);
		conn->closing = conn->draining = true;
		conn->drain_timeout = g_timeout_add(CONTROL_DRAIN_MS, conn_drain_expired, conn);
		conn_send(conn, proto_reply_error(NULL, -E2BIG, msg, NULL));
		return G_SOURCE_CONTINUE;
	}
	if (!conn_busy(conn)) {
		conn_process(conn);
	} else if (conn->in.len - conn->in.start >= CONTROL_MAX_READ_AHEAD) {
		conn->in_source = 0; /* conn_process() reads again once the answer is out */
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/* Closes a connection that has had nothing going on for CONTROL_IDLE_TIMEOUT_S; else
 * looks again when that much time will have passed since it was last active. */
static gboolean conn_on_idle_timer(gpointer data)
{
	struct conn *conn = data;
	unsigned timeout_s = conn->control->idle_timeout_s;
	int64_t limit = (int64_t)timeout_s * G_USEC_PER_SEC;
	int64_t idle = g_get_monotonic_time() - conn->last_active;

	conn->idle_timeout = 0;
	if (conn->watching) /* idle by design */
		return G_SOURCE_REMOVE;
	bool answering = conn->request || conn->parse; /* not idle: the daemon is at work for it */
	if (answering || idle < limit) {
		int64_t rest = answering ? limit : limit - idle;
		conn->idle_timeout = g_timeout_add_seconds((guint)((rest + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC),
							   conn_on_idle_timer, conn);
		return G_SOURCE_REMOVE;
	}
	log_debug("control: closing a connection idle for %u s", timeout_s);
	if (conn->out->len == 0) { /* a line of its own, never inside an unfinished reply */
		g_autofree char *msg = g_strdup_printf("idle for %u s: closing the connection", timeout_s);
		g_autofree char *line = proto_reply_error(NULL, -ETIMEDOUT, msg, NULL);
		(void)!send(conn->fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	conn_free(conn);
	return G_SOURCE_REMOVE;
}

static bool peer_is_us(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_warn("control: SO_PEERCRED");
		return false;
	}
	return cred.uid == getuid();
}

static gboolean control_on_accept(gint fd, GIOCondition cond, gpointer data);

static gboolean control_resume(gpointer data)
{
	struct control *c = data;

	c->pause_source = 0;
	c->accept_source = g_unix_fd_add(c->fd, G_IO_IN, control_on_accept, c);
	return G_SOURCE_REMOVE;
}

static gboolean control_on_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct control *c = data;
	(void)cond;

	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			/* out of descriptors: stop accepting for a moment instead of spinning */
			log_warn("control: accept, pausing for %d ms", CONTROL_ACCEPT_PAUSE_MS);
			c->accept_source = 0;
			c->pause_source = g_timeout_add(CONTROL_ACCEPT_PAUSE_MS, control_resume, c);
			return G_SOURCE_REMOVE;
		}
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			log_warn("control: accept");
		return G_SOURCE_CONTINUE;
	}
	if (!peer_is_us(cfd)) {
		log_warnx("control: refused a connection from another user");
		close(cfd);
		return G_SOURCE_CONTINUE;
	}
	if (c->n_conns >= PROTO_MAX_CONNECTIONS) {
		g_autofree char *line = proto_reply_error(NULL, -EBUSY, "too many connections, try again later", NULL);
		(void)!send(cfd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
		log_warnx("control: %u connections open, refusing another", c->n_conns);
		close(cfd);
		return G_SOURCE_CONTINUE;
	}

	struct conn *conn = g_new0(struct conn, 1);
	conn->control = c;
	conn->fd = cfd;
	conn->out = g_string_new(NULL);
	linebuf_init(&conn->in, PROTO_MAX_LINE);
	c->conns = g_list_prepend(c->conns, conn);
	c->n_conns++;
	conn->in_source = g_unix_fd_add(cfd, G_IO_IN, conn_on_readable, conn);
	conn->last_active = g_get_monotonic_time();
	conn->idle_timeout = g_timeout_add_seconds(c->idle_timeout_s, conn_on_idle_timer, conn);
	conn_send(conn, proto_greeting());
	return G_SOURCE_CONTINUE;
}

/* 1 when something accepts connections at path, 0 when nothing does (stale or absent). */
static int socket_is_live(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int live;

	if (fd < 0)
		return -errno;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return live;
}

static struct control *control_new(struct daemon *d, const char *path, int fd)
{
	struct control *c = g_new0(struct control, 1);
	const char *idle = g_getenv("APPTRACK_IDLE_TIMEOUT");
	guint64 idle_s = CONTROL_IDLE_TIMEOUT_S;

	if (idle && !g_ascii_string_to_unsigned(idle, 10, 1, CONTROL_IDLE_TIMEOUT_MAX_S, &idle_s, NULL)) {
		log_warnx("APPTRACK_IDLE_TIMEOUT=%s is not a number of seconds from 1 to %d, ignoring", idle,
			  CONTROL_IDLE_TIMEOUT_MAX_S);
		idle_s = CONTROL_IDLE_TIMEOUT_S;
	}
	c->idle_timeout_s = (unsigned)idle_s;
	c->daemon = d;
	c->parser = g_thread_pool_new(parser_thread, NULL, 1, FALSE, NULL);
	c->path = g_strdup(path);
	c->fd = fd;
	c->accept_source = g_unix_fd_add(fd, G_IO_IN, control_on_accept, c);
	return c;
}

/* Serves the socket systemd passed. Its path is what apptrackd.socket says; when that is
 * not where apptrackctl looks (APPTRACK_SOCKET), say so rather than serve unseen. */
static void control_adopt(struct daemon *d, const char *path, int fd, struct control **ret_control)
{
	struct sockaddr_un sun = { 0 };
	socklen_t len = sizeof(sun);
	g_autofree char *bound = NULL;

	if (getsockname(fd, (struct sockaddr *)&sun, &len) == 0 && len > offsetof(struct sockaddr_un, sun_path) &&
	    sun.sun_path[0])
		bound = g_strndup(sun.sun_path, len - offsetof(struct sockaddr_un, sun_path));
	if (bound && strcmp(bound, path) != 0)
		log_warnx("the control socket systemd passed is %s, but apptrackctl connects to %s: "
			  "make ListenStream= and APPTRACK_SOCKET agree",
			  bound, path);
	*ret_control = control_new(d, bound ? bound : path, fd);
	(*ret_control)->passed = true;
	log_debug("control: serving the socket passed by systemd (%s)", (*ret_control)->path);
}

int control_listen(struct daemon *d, const char *path, struct control **ret_control, GError **error)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;
	int fd, r;
	mode_t old_umask;

	r = service_listen_fd(&fd, error);
	if (r < 0)
		return r;
	if (r > 0) {
		control_adopt(d, path, fd, ret_control);
		return 0;
	}

	if (strlen(path) >= sizeof(sun.sun_path))
		return at_error_set(error, -ENAMETOOLONG, "control socket path %s is too long (at most %zu bytes)",
				    path, sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, path, strlen(path) + 1);

	if (stat(dir, &st) < 0) {
		r = paths_mkdir(dir, 0700, TRUE, error);
		if (r < 0)
			return r;
	}
	/* another user who can write the directory could put a socket of their own in its place */
	if (stat(dir, &st) < 0) {
		r = -errno;
		return at_error_set(error, r, "cannot use %s: %s", dir, g_strerror(-r));
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return at_error_set(error, -EPERM,
				    "the control socket's directory %s is %s: another user could put a socket of "
				    "their own there; use a directory only you can write (chmod 700), or set "
				    "APPTRACK_SOCKET",
				    dir,
				    !S_ISDIR(st.st_mode)     ? "not a directory"
				    : st.st_uid != getuid() ? "owned by another user"
							    : "writable by others");

	r = socket_is_live(&sun);
	if (r > 0)
		return at_error_set(error, -EADDRINUSE,
				    "another apptrackd is already running (it answered on %s)", path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return at_error_set(error, -EEXIST, "%s exists and is not a socket: remove it or set APPTRACK_SOCKET",
					    path);
		log_info("replacing stale control socket %s", path);
		if (unlink(path) < 0 && errno != ENOENT) {
			r = -errno;
			return at_error_set(error, r, "cannot remove stale socket %s: %s", path, g_strerror(-r));
		}
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		return at_error_set(error, r, "socket: %s", g_strerror(-r));
	}
	old_umask = umask(0177);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_umask);
	if (r < 0 || chmod(path, 0600) < 0 || listen(fd, CONTROL_BACKLOG) < 0) {
		r = -errno;
		close(fd);
		return at_error_set(error, r, "cannot listen on %s: %s", path, g_strerror(-r));
	}

	*ret_control = control_new(d, path, fd);
	return 0;
}

void control_free(struct control *c)
{
	if (!c)
		return;
	while (c->conns)
		conn_free(c->conns->data);
	/* a line still being parsed: its answer, with no connection left, only frees it */
	g_thread_pool_free(c->parser, FALSE, TRUE);
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	if (c->accept_source)
		g_source_remove(c->accept_source);
	if (c->pause_source)
		g_source_remove(c->pause_source);
	close(c->fd);
	if (!c->passed && unlink(c->path) < 0 && errno != ENOENT)
		log_warn("cannot remove %s", c->path);
	g_free(c->path);
	g_free(c);
}

void control_send_event(struct control *c, const char *name, json_t *fields)
{
	g_autofree char *line = NULL;

	if (!c)
		return;
	GList *next;

	for (GList *l = c->conns; l; l = next) {
		struct conn *conn = l->data;
		next = l->next; /* conn_send may free conn */
		if (!conn->watching)
			continue;
		if (conn->out->len - conn->out_off > CONTROL_MAX_WATCH_BACKLOG) {
			log_warnx("control: a watcher is not reading, dropping it");
			conn_free(conn);
			continue;
		}
		if (!line)
			line = proto_event(name, fields);
		conn_send(conn, g_strdup(line));
	}
}

const char *control_path(struct control *c)
{
	return c->path;
}

unsigned control_connections(struct control *c)
{
	return c ? c->n_conns : 0;
}
