/* SPDX-License-Identifier: GPL-3.0-or-later */
/* client.c - a synchronous control-protocol client for apptrackctl, tests and benchmarks.
 *
 * One request at a time: client_call() writes the request line and reads lines until the
 * reply with the same id arrives, skipping event lines. Reads are large and the line
 * buffer grows geometrically, so multi-megabyte replies cost one copy, and a ping round
 * trip is two syscalls each way. client_call_text() hands a result over as indented JSON
 * text, re-indented from the reply without building objects (json_text.h) when it can.
 */
#include "apptrack/client.h"

#include "apptrack/error.h"
#include "apptrack/json_text.h"
#include "apptrack/paths.h"
#include "apptrack/protocol.h"

#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CLIENT_GREETING_TIMEOUT_MS 5000
#define CLIENT_READ_CHUNK (256 * 1024)
#define CLIENT_MAX_REPLY (PROTO_MAX_LINE * 4)

G_DEFINE_QUARK(apptrack-remote-error-quark, at_remote_error)

struct client {
	int fd;
	char *path;
	char *daemon_version;
	int64_t next_id;
	struct linebuf in;
};

void client_free(client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	linebuf_clear(&c->in);
	g_free(c->path);
	g_free(c->daemon_version);
	g_free(c);
}

/* Reads until a complete line is buffered. timeout_ms < 0 waits forever. 1 with the
 * line, 0 on time-out, negative with *error on end of stream or failure. */
static int read_line(client *c, int timeout_ms, char **ret_line, size_t *ret_len, GError **error)
{
	static char buf[CLIENT_READ_CHUNK];

	for (;;) {
		if (linebuf_next(&c->in, ret_line, ret_len) == 1)
			return 1;
		if (timeout_ms >= 0) {
			struct pollfd p = { .fd = c->fd, .events = POLLIN };
			int n = poll(&p, 1, timeout_ms);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return at_error_set(error, -errno, "poll: %s", g_strerror(errno));
			if (n == 0)
				return 0;
		}
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			return at_error_set(error, r, "reading from apptrackd: %s", g_strerror(-r));
		}
		if (n == 0)
			return at_error_set(error, -ECONNRESET, "apptrackd closed the connection");
		if (linebuf_append(&c->in, buf, (size_t)n) < 0)
			return at_error_set(error, -E2BIG, "reply from apptrackd is longer than %zu bytes",
					    (size_t)CLIENT_MAX_REPLY);
	}
}

static int read_greeting(client *c, GError **error)
{
	g_autofree char *line = NULL;
	size_t len;
	int protocol, r;

	r = read_line(c, CLIENT_GREETING_TIMEOUT_MS, &line, &len, error);
	if (r == 0)
		return at_error_set(error, -ETIMEDOUT, "apptrackd at %s sent no greeting within %d s",
				    c->path, CLIENT_GREETING_TIMEOUT_MS / 1000);
	if (r < 0)
		return r;
	{
		/* a busy daemon answers the connection with an error line instead */
		json_t *reply = NULL;
		if (proto_reply_parse(line, len, &reply, NULL) == 0) {
			json_t *err = json_object_get(reply, "error");
			if (err) {
				r = at_error_set(error, at_error_from_code(json_string_value(json_object_get(err, "code"))),
						 "apptrackd refused the connection: %s",
						 json_string_value(json_object_get(err, "message")));
				json_decref(reply);
				return r;
			}
			json_decref(reply);
		}
	}
	r = proto_greeting_parse(line, len, &protocol, &c->daemon_version, error);
	if (r < 0)
		return r;
	if (protocol != PROTO_VERSION)
		return at_error_set(error, -EPROTO, "apptrackd speaks protocol %d, this apptrackctl speaks %d: use matching versions",
				    protocol, PROTO_VERSION);
	return 0;
}

int client_from_fd(int fd, client **ret_client, GError **error)
{
	client *c = g_new0(client, 1);
	int r;

	c->fd = fd;
	c->path = g_strdup("(socket)");
	c->next_id = 1;
	linebuf_init(&c->in, CLIENT_MAX_REPLY);
	r = read_greeting(c, error);
	if (r < 0) {
		client_free(c);
		return r;
	}
	*ret_client = c;
	return 0;
}

int client_connect(const char *path, client **ret_client, GError **error)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	g_autofree char *default_path = NULL;
	client *c;
	int fd, r;

	if (!path) {
		default_path = paths_socket(error);
		if (!default_path)
			return -ENOENT;
		path = default_path;
	}
	if (strlen(path) >= sizeof(sun.sun_path))
		return at_error_set(error, -ENAMETOOLONG, "socket path %s is too long (at most %zu bytes)", path,
				    sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return at_error_set(error, -errno, "socket: %s", g_strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		r = -errno;
		close(fd);
		return at_error_set(error, r, "cannot connect to apptrackd at %s: %s (is apptrackd running?)", path,
				    g_strerror(-r));
	}
	/* requests carry notes and salaries: tell them only to a daemon of our own */
	struct ucred cred;
	socklen_t cred_len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) < 0) {
		r = -errno;
		close(fd);
		return at_error_set(error, r, "cannot tell who serves %s: %s", path, g_strerror(-r));
	}
	if (cred.uid != getuid()) {
		close(fd);
		return at_error_set(error, -EPERM,
				    "%s is served by a process of uid %u, not by your own apptrackd (uid %u): "
				    "refusing to talk to it",
				    path, (unsigned)cred.uid, (unsigned)getuid());
	}
	r = client_from_fd(fd, &c, error);
	if (r < 0)
		return r;
	g_free(c->path);
	c->path = g_strdup(path);
	*ret_client = c;
	return 0;
}

const char *client_daemon_version(client *c)
{
	return c->daemon_version;
}

static int write_all(int fd, const char *data, size_t len, GError **error)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			return at_error_set(error, r, "writing to apptrackd: %s", g_strerror(-r));
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes the request; *ret_id gets its id. */
static int send_request(client *c, const char *method, json_t *params, int64_t *ret_id, GError **error)
{
	json_t *req = json_object();
	int64_t id = c->next_id++;
	char *dump;
	int r;

	json_object_set_new(req, "id", json_integer(id));
	json_object_set_new(req, "method", json_string(method));
	if (params)
		json_object_set(req, "params", params);
	dump = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!dump)
		return at_error_set(error, -EINVAL, "request for %s cannot be encoded (invalid UTF-8?)", method);
	size_t len = strlen(dump);
	if (len > PROTO_MAX_LINE) {
		free(dump);
		return at_error_set(error, -E2BIG, "request is %zu bytes, more than the %zu apptrackd accepts", len,
				    (size_t)PROTO_MAX_LINE);
	}
	dump = realloc(dump, len + 2);
	dump[len] = '\n';
	dump[len + 1] = '\0';
	r = write_all(c->fd, dump, len + 1, error);
	free(dump);
	*ret_id = id;
	return r;
}

/* Reads lines until the reply to request id. With text (client_call_text()), a plain
 * result is re-indented into it from the line; any other line is parsed. */
static int wait_reply(client *c, int64_t id, int indent, GString *text, json_t **ret_result, json_t **ret_data,
		      GError **error)
{
	for (;;) {
		g_autofree char *line = NULL;
		json_t *reply = NULL, *err;
		size_t n;
		int r;

		r = read_line(c, -1, &line, &n, error);
		if (r < 0)
			return r;
		if (text && json_text_reply_result(line, n, id, indent, text))
			return 0;
		r = proto_reply_parse(line, n, &reply, error);
		if (r < 0)
			return r;
		if (json_object_get(reply, "event") || !json_is_integer(json_object_get(reply, "id")) ||
		    json_integer_value(json_object_get(reply, "id")) != id) {
			err = json_object_get(reply, "error");
			if (err && json_is_null(json_object_get(reply, "id"))) {
				/* the daemon could not read our request (e.g. too large) */
				r = at_error_from_code(json_string_value(json_object_get(err, "code")));
				g_set_error_literal(error, AT_REMOTE_ERROR, -r,
						    json_string_value(json_object_get(err, "message")));
				json_decref(reply);
				return r;
			}
			json_decref(reply);
			continue;
		}
		err = json_object_get(reply, "error");
		if (err) {
			r = at_error_from_code(json_string_value(json_object_get(err, "code")));
			g_set_error_literal(error, AT_REMOTE_ERROR, -r, json_string_value(json_object_get(err, "message")));
			if (ret_data) {
				json_t *data = json_object_get(err, "data");
				*ret_data = data ? json_incref(data) : NULL;
			}
			json_decref(reply);
			return r;
		}
		if (text) {
			char *dump = json_dumps(json_object_get(reply, "result"), JSON_INDENT(indent) | JSON_ENCODE_ANY);
			json_decref(reply);
			if (!dump)
				return at_error_set(error, -ENOMEM, "cannot print the reply of apptrackd");
			g_string_append(text, dump);
			free(dump);
			return 0;
		}
		*ret_result = json_incref(json_object_get(reply, "result"));
		json_decref(reply);
		return 0;
	}
}

int client_call(client *c, const char *method, json_t *params, json_t **ret_result, json_t **ret_data,
		GError **error)
{
	int64_t id;
	int r = send_request(c, method, params, &id, error);

	return r < 0 ? r : wait_reply(c, id, 0, NULL, ret_result, ret_data, error);
}

int client_call_text(client *c, const char *method, json_t *params, int indent, char **ret_text, size_t *ret_len,
		     json_t **ret_data, GError **error)
{
	g_autoptr(GString) text = NULL;
	int64_t id;
	int r = send_request(c, method, params, &id, error);

	if (r < 0)
		return r;
	text = g_string_new(NULL);
	r = wait_reply(c, id, indent, text, NULL, ret_data, error);
	if (r < 0)
		return r;
	*ret_len = text->len;
	*ret_text = g_string_free(g_steal_pointer(&text), FALSE);
	return 0;
}

int client_next_event(client *c, int timeout_ms, json_t **ret_event, GError **error)
{
	for (;;) {
		g_autofree char *line = NULL;
		json_t *v = NULL;
		size_t n;
		int r = read_line(c, timeout_ms, &line, &n, error);
		if (r <= 0)
			return r;
		r = proto_reply_parse(line, n, &v, error);
		if (r < 0)
			return r;
		if (json_object_get(v, "event")) {
			*ret_event = v;
			return 1;
		}
		json_decref(v);
	}
}
