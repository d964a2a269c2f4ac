/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protocol.c - encoding and decoding of control-protocol lines (docs/protocol.md).
 *
 * No I/O here: the daemon's control server and the client library feed lines in and
 * write lines out. jansson does the JSON; this file adds the protocol's rules (object
 * shape, id and method types, nesting depth) and the line framing buffer.
 */
#include "apptrack/protocol.h"

#include "apptrack/error.h"
#include "apptrack/timeutil.h"
#include "apptrack/version.h"

#include <string.h>

#define LINEBUF_MIN_CAP 4096

/* Depth of the deepest array or object in v (a scalar is 0). Stops counting past limit. */
static int json_depth(json_t *v, int limit)
{
	int max = 0;

	if (limit < 0)
		return 1;
	if (json_is_object(v)) {
		const char *key;
		json_t *child;
		json_object_foreach(v, key, child) {
			int d = json_depth(child, limit - 1);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *child;
		json_array_foreach(v, i, child) {
			int d = json_depth(child, limit - 1);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

static bool method_name_ok(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > PROTO_MAX_METHOD)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(g_ascii_islower(m[i]) || g_ascii_isdigit(m[i]) || m[i] == '.' || m[i] == '_'))
			return false;
	return true;
}

/* Parses text as one JSON value with the protocol's checks on size and depth. */
static int parse_json(const char *line, size_t len, const char *what, json_t **ret, GError **error)
{
	json_error_t jerr;
	json_t *v;

	if (memchr(line, '\0', len))
		return at_error_set(error, -EBADMSG, "%s contains a NUL byte", what);
	v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return at_error_set(error, -EBADMSG, "%s is not valid JSON: %s at column %d", what, jerr.text,
				    jerr.column);
	if (json_depth(v, PROTO_MAX_DEPTH) > PROTO_MAX_DEPTH) {
		json_decref(v);
		return at_error_set(error, -EBADMSG, "%s is nested deeper than %d levels", what, PROTO_MAX_DEPTH);
	}
	*ret = v;
	return 0;
}

int proto_request_parse(const char *line, size_t len, struct proto_request *req, GError **error)
{
	json_t *root, *id, *method, *params;
	int r;

	memset(req, 0, sizeof(*req));
	r = parse_json(line, len, "request", &root, error);
	if (r < 0)
		return r;
	if (!json_is_object(root)) {
		json_decref(root);
		return at_error_set(error, -EBADMSG, "request must be a JSON object");
	}
	id = json_object_get(root, "id");
	if (id && (json_is_integer(id) || json_is_string(id)))
		req->id = json_incref(id);
	else if (id && !json_is_null(id)) {
		r = at_error_set(error, -EBADMSG, "\"id\" must be an integer or a string");
		goto out;
	}
	method = json_object_get(root, "method");
	if (!method) {
		r = at_error_set(error, -EBADMSG, "request has no \"method\"");
		goto out;
	}
	if (!json_is_string(method)) {
		r = at_error_set(error, -EBADMSG, "\"method\" must be a string");
		goto out;
	}
	if (!method_name_ok(json_string_value(method))) {
		r = at_error_set(error, -EBADMSG, "\"method\" must be 1 to %d characters of a-z, 0-9, '.' and '_'",
				 PROTO_MAX_METHOD);
		goto out;
	}
	req->method = g_strdup(json_string_value(method));
	params = json_object_get(root, "params");
	if (params && !json_is_object(params) && !json_is_null(params)) {
		r = at_error_set(error, -EBADMSG, "\"params\" must be an object");
		goto out;
	}
	req->params = params && json_is_object(params) ? json_incref(params) : json_object();
	{
		const char *key;
		json_t *value;
		json_object_foreach(root, key, value) {
			if (strcmp(key, "id") && strcmp(key, "method") && strcmp(key, "params")) {
				r = at_error_set(error, -EBADMSG, "unknown request member \"%s\"", key);
				goto out;
			}
		}
	}
	r = 0;
out:
	json_decref(root);
	return r;
}

void proto_request_clear(struct proto_request *req)
{
	json_decref(req->id);
	json_decref(req->params);
	g_free(req->method);
	memset(req, 0, sizeof(*req));
}

/* Dumps v compactly and appends the newline. jansson escapes control characters, so
 * the line never holds a raw newline. */
static char *dump_line(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	char *line;

	if (!s) /* only on out-of-memory or invalid UTF-8 stored by mistake */
		return g_strdup("{\"id\":null,\"error\":{\"code\":\"internal\",\"message\":\"reply could not be encoded\"}}\n");
	line = g_strconcat(s, "\n", NULL);
	free(s);
	return line;
}

char *proto_greeting(void)
{
	json_t *v = json_pack("{s:s,s:i}", "apptrack", APPTRACK_VERSION, "protocol", PROTO_VERSION);
	char *line = dump_line(v);
	json_decref(v);
	return line;
}

char *proto_reply_result(json_t *id, json_t *result)
{
	json_t *v = json_object();
	char *line;

	json_object_set_new(v, "id", id ? json_incref(id) : json_null());
	json_object_set_new(v, "result", result ? json_incref(result) : json_null());
	line = dump_line(v);
	json_decref(v);
	return line;
}

char *proto_reply_raw(json_t *id, const char *result_json)
{
	char *id_text = json_dumps(id ? id : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
	char *line = g_strconcat("{\"id\":", id_text ? id_text : "null", ",\"result\":", result_json, "}\n", NULL);
	free(id_text);
	return line;
}

json_t *proto_error_object(int r, const char *message, json_t *data)
{
	json_t *err = json_object();

	json_object_set_new(err, "code", json_string(at_error_code(r)));
	/* messages may quote client bytes that are not UTF-8: never fail to encode */
	json_t *msg = json_string(message ? message : "");
	if (!msg) {
		g_autofree char *valid = g_utf8_make_valid(message, -1);
		msg = json_string(valid);
	}
	json_object_set_new(err, "message", msg);
	if (data)
		json_object_set(err, "data", data);
	return err;
}

char *proto_reply_error(json_t *id, int r, const char *message, json_t *data)
{
	json_t *v = json_object();
	char *line;

	json_object_set_new(v, "id", id ? json_incref(id) : json_null());
	json_object_set_new(v, "error", proto_error_object(r, message, data));
	line = dump_line(v);
	json_decref(v);
	return line;
}

char *proto_event(const char *name, json_t *fields)
{
	char at[TIME_ISO_LEN];
	json_t *v = fields ? json_copy(fields) : json_object();
	char *line;

	json_object_set_new(v, "event", json_string(name));
	json_object_set_new(v, "at", json_string(time_format_iso(time_now(), at)));
	line = dump_line(v);
	json_decref(v);
	return line;
}

int proto_reply_parse(const char *line, size_t len, json_t **ret_reply, GError **error)
{
	json_t *v;
	int r = parse_json(line, len, "reply", &v, error);

	if (r < 0)
		return r;
	if (!json_is_object(v)) {
		json_decref(v);
		return at_error_set(error, -EBADMSG, "reply is not a JSON object");
	}
	if (!json_object_get(v, "event")) {
		json_t *err = json_object_get(v, "error");
		bool has_result = json_object_get(v, "result") != NULL;
		if (has_result == (err != NULL) ||
		    (err && (!json_is_object(err) || !json_is_string(json_object_get(err, "code")) ||
			     !json_is_string(json_object_get(err, "message"))))) {
			json_decref(v);
			return at_error_set(error, -EBADMSG, "reply has neither a result nor a well-formed error");
		}
	}
	*ret_reply = v;
	return 0;
}

int proto_greeting_parse(const char *line, size_t len, int *ret_protocol, char **ret_version, GError **error)
{
	json_t *v, *proto, *version;
	int r = parse_json(line, len, "greeting", &v, error);

	if (r < 0)
		return r;
	proto = json_object_get(v, "protocol");
	version = json_object_get(v, "apptrack");
	if (!json_is_object(v) || !json_is_integer(proto) || !json_is_string(version)) {
		json_decref(v);
		return at_error_set(error, -EBADMSG, "the peer's greeting is not apptrack's: is this apptrackd's socket?");
	}
	*ret_protocol = (int)json_integer_value(proto);
	*ret_version = g_strdup(json_string_value(version));
	json_decref(v);
	return 0;
}

void linebuf_init(struct linebuf *lb, size_t max)
{
	memset(lb, 0, sizeof(*lb));
	lb->max = max;
}

void linebuf_clear(struct linebuf *lb)
{
	g_free(lb->data);
	memset(lb, 0, sizeof(*lb));
}

int linebuf_append(struct linebuf *lb, const char *data, size_t n)
{
	const char *nl;
	size_t pending;

	if (n == 0)
		return 0;
	/* only the unterminated tail counts against the limit */
	nl = memrchr(data, '\n', n);
	pending = nl ? (size_t)(data + n - (nl + 1)) : lb->pending + n;
	if (pending > lb->max)
		return -E2BIG;
	if (lb->start > 0 && lb->len + n + 1 > lb->cap) {
		/* drop consumed bytes before growing */
		memmove(lb->data, lb->data + lb->start, lb->len - lb->start);
		lb->len -= lb->start;
		lb->scanned -= lb->start;
		lb->start = 0;
	}
	if (lb->len + n + 1 > lb->cap) {
		size_t cap = lb->cap ? lb->cap : LINEBUF_MIN_CAP;
		while (cap < lb->len + n + 1)
			cap *= 2;
		lb->data = g_realloc(lb->data, cap);
		lb->cap = cap;
	}
	memcpy(lb->data + lb->len, data, n);
	lb->len += n;
	lb->pending = pending;
	return 0;
}

int linebuf_next(struct linebuf *lb, char **ret_line, size_t *ret_len)
{
	char *nl;
	size_t n;

	if (lb->scanned < lb->start)
		lb->scanned = lb->start;
	if (lb->scanned >= lb->len)
		return 0;
	nl = memchr(lb->data + lb->scanned, '\n', lb->len - lb->scanned);
	if (!nl) {
		lb->scanned = lb->len;
		return 0;
	}
	n = (size_t)(nl - (lb->data + lb->start));
	char *line = g_malloc(n + 1); /* not g_strndup: a NUL byte must reach the parser */
	memcpy(line, lb->data + lb->start, n);
	line[n] = '\0';
	*ret_line = line;
	*ret_len = n;
	lb->start += n + 1;
	lb->scanned = lb->start;
	if (lb->start == lb->len) {
		lb->start = lb->len = lb->scanned = 0;
	}
	return 1;
}
