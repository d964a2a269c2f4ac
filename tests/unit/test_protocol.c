/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_protocol.c - the wire codec with malformed, truncated, deeply nested and oversized
 * input; the line buffer; and the client library over socketpair() against a small
 * server thread. */
#include "apptrack/client.h"
#include "apptrack/error.h"
#include "apptrack/protocol.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void test_request_parse(void **state)
{
	static const struct {
		const char *line;
		int r;
		const char *method;
		const char *needle; /* in the error message */
	} cases[] = {
		{ "{\"id\":1,\"method\":\"ping\"}", 0, "ping", NULL },
		{ "{\"id\":\"abc\",\"method\":\"applications.list\",\"params\":{\"limit\":5}}", 0, "applications.list", NULL },
		{ "{\"method\":\"ping\",\"params\":null}", 0, "ping", NULL },
		{ "{\"id\":2,\"method\":\"ping\",\"params\":{\"s\":\"caf\\u00e9 \\ud83d\\ude00\"}}", 0, "ping", NULL },
		{ "", -EBADMSG, NULL, "not valid JSON" },
		{ "not json", -EBADMSG, NULL, "not valid JSON" },
		{ "{\"id\":1,\"method\":\"ping\"", -EBADMSG, NULL, "not valid JSON" },
		{ "[1,2]", -EBADMSG, NULL, "JSON object" },
		{ "42", -EBADMSG, NULL, "not valid JSON" },
		{ "{\"id\":1}", -EBADMSG, NULL, "method" },
		{ "{\"id\":1,\"method\":7}", -EBADMSG, NULL, "must be a string" },
		{ "{\"id\":1,\"method\":\"\"}", -EBADMSG, NULL, "method" },
		{ "{\"id\":1,\"method\":\"Ping!\"}", -EBADMSG, NULL, "method" },
		{ "{\"id\":1.5,\"method\":\"ping\"}", -EBADMSG, NULL, "id" },
		{ "{\"id\":[1],\"method\":\"ping\"}", -EBADMSG, NULL, "id" },
		{ "{\"id\":1,\"method\":\"ping\",\"params\":[]}", -EBADMSG, NULL, "params" },
		{ "{\"id\":1,\"method\":\"ping\",\"extra\":1}", -EBADMSG, NULL, "extra" },
		{ "{\"id\":1,\"id\":2,\"method\":\"ping\"}", -EBADMSG, NULL, "duplicate" },
		{ "{\"id\":1,\"method\":\"ping\",\"params\":{\"s\":\"\\u0000\"}}", -EBADMSG, NULL, "not valid JSON" },
		{ "{\"id\":1,\"method\":\"ping\",\"params\":{\"s\":\"\xff\"}}", -EBADMSG, NULL, "not valid JSON" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct proto_request req;
		GError *error = NULL;
		int r = proto_request_parse(cases[i].line, strlen(cases[i].line), &req, &error);
		if (r != cases[i].r)
			fail_msg("case %zu (%s): %d %s", i, cases[i].line, r, error ? error->message : "");
		if (r == 0) {
			assert_string_equal(req.method, cases[i].method);
			assert_true(json_is_object(req.params));
		} else if (!strstr(error->message, cases[i].needle)) {
			fail_msg("case %zu: message [%s] lacks [%s]", i, error->message, cases[i].needle);
		}
		g_clear_error(&error);
		proto_request_clear(&req);
	}
}

static void test_id_kept_for_errors(void **state)
{
	struct proto_request req;
	const char *line = "{\"id\":41,\"method\":7}";
	(void)state;

	assert_int_equal(proto_request_parse(line, strlen(line), &req, NULL), -EBADMSG);
	assert_int_equal(json_integer_value(req.id), 41);
	g_autofree char *reply = proto_reply_error(req.id, -EBADMSG, "bad", NULL);
	assert_string_equal(reply, "{\"id\":41,\"error\":{\"code\":\"invalid_request\",\"message\":\"bad\"}}\n");
	proto_request_clear(&req);
}

static char *nested(int depth)
{
	GString *s = g_string_new("{\"id\":1,\"method\":\"ping\",\"params\":{\"a\":");
	for (int i = 0; i < depth; i++)
		g_string_append_c(s, '[');
	for (int i = 0; i < depth; i++)
		g_string_append_c(s, ']');
	g_string_append(s, "}}");
	return g_string_free(s, FALSE);
}

static void test_depth(void **state)
{
	struct proto_request req;
	GError *error = NULL;
	(void)state;

	/* the request object and params take two levels */
	g_autofree char *ok = nested(PROTO_MAX_DEPTH - 2);
	assert_int_equal(proto_request_parse(ok, strlen(ok), &req, NULL), 0);
	proto_request_clear(&req);
	g_autofree char *deep = nested(PROTO_MAX_DEPTH - 1);
	assert_int_equal(proto_request_parse(deep, strlen(deep), &req, &error), -EBADMSG);
	assert_non_null(strstr(error->message, "nested"));
	g_clear_error(&error);
	proto_request_clear(&req);
	g_autofree char *very = nested(5000);
	assert_int_equal(proto_request_parse(very, strlen(very), &req, &error), -EBADMSG);
	g_clear_error(&error);
	proto_request_clear(&req);
}

static void test_encoders(void **state)
{
	json_t *id = json_string("x"), *result = json_pack("{s:s}", "text", "a\nb");
	(void)state;

	g_autofree char *greeting = proto_greeting();
	int protocol = 0;
	g_autofree char *version = NULL;
	assert_int_equal(proto_greeting_parse(greeting, strlen(greeting) - 1, &protocol, &version, NULL), 0);
	assert_int_equal(protocol, PROTO_VERSION);
	assert_non_null(version);
	g_autofree char *reply = proto_reply_result(id, result);
	assert_string_equal(reply, "{\"id\":\"x\",\"result\":{\"text\":\"a\\nb\"}}\n");
	assert_null(strchr(reply, '\n') + 1 == reply + strlen(reply) ? NULL : "newline inside");
	g_autofree char *err = proto_reply_error(NULL, -ENOENT, "no \xff such", NULL);
	json_t *parsed = NULL;
	assert_int_equal(proto_reply_parse(err, strlen(err) - 1, &parsed, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(parsed, "error"), "code")), "not_found");
	json_decref(parsed);
	g_autofree char *event = proto_event("application.added", NULL);
	assert_non_null(strstr(event, "\"event\":\"application.added\""));
	assert_non_null(strstr(event, "\"at\":"));
	/* replies must have exactly one of result and error */
	GError *error = NULL;
	assert_int_equal(proto_reply_parse("{\"id\":1}", 8, &parsed, &error), -EBADMSG);
	g_clear_error(&error);
	assert_int_equal(proto_greeting_parse("{\"hello\":1}", 11, &protocol, &version, &error), -EBADMSG);
	g_clear_error(&error);
	json_decref(id);
	json_decref(result);
}

static void test_linebuf(void **state)
{
	struct linebuf lb;
	char *line;
	size_t len;
	(void)state;

	linebuf_init(&lb, 10);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	/* a line split across appends */
	assert_int_equal(linebuf_append(&lb, "ab", 2), 0);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	assert_int_equal(linebuf_append(&lb, "c\nde", 4), 0);
	assert_int_equal(linebuf_next(&lb, &line, &len), 1);
	assert_string_equal(line, "abc");
	assert_int_equal(len, 3);
	g_free(line);
	/* many lines in one append, including an empty one and a NUL byte */
	assert_int_equal(linebuf_append(&lb, "f\n\nx\0y\nz", 8), 0);
	assert_int_equal(linebuf_next(&lb, &line, &len), 1);
	assert_string_equal(line, "def");
	g_free(line);
	assert_int_equal(linebuf_next(&lb, &line, &len), 1);
	assert_int_equal(len, 0);
	g_free(line);
	assert_int_equal(linebuf_next(&lb, &line, &len), 1);
	assert_int_equal(len, 3); /* the NUL is kept for the parser to refuse */
	g_free(line);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	/* the pending line "z" may grow to 10 bytes, not 11 */
	assert_int_equal(linebuf_append(&lb, "123456789", 9), 0);
	assert_int_equal(linebuf_append(&lb, "0", 1), -E2BIG);
	linebuf_clear(&lb);

	/* many small appends of long content stay correct */
	linebuf_init(&lb, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(linebuf_append(&lb, "0123456789", 10), 0);
	assert_int_equal(linebuf_append(&lb, "\n", 1), 0);
	assert_int_equal(linebuf_next(&lb, &line, &len), 1);
	assert_int_equal(len, 10000);
	g_free(line);
	linebuf_clear(&lb);
}

/* ---- client over socketpair ---- */

struct server {
	int fd;
	const char *greeting;
	const char *const *replies; /* sent, in order, one per request line read */
};

static gpointer serve(gpointer data)
{
	struct server *srv = data;
	struct linebuf lb;
	char buf[4096], *line;
	size_t len;

	linebuf_init(&lb, PROTO_MAX_LINE);
	(void)!write(srv->fd, srv->greeting, strlen(srv->greeting));
	for (size_t i = 0; srv->replies && srv->replies[i];) {
		ssize_t n = read(srv->fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		linebuf_append(&lb, buf, (size_t)n);
		while (srv->replies[i] && linebuf_next(&lb, &line, &len) == 1) {
			g_free(line);
			(void)!write(srv->fd, srv->replies[i], strlen(srv->replies[i]));
			i++;
		}
	}
	linebuf_clear(&lb);
	close(srv->fd);
	return NULL;
}

static int start(struct server *srv, GThread **ret_thread, client **ret_client, GError **error)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	srv->fd = sv[1];
	*ret_thread = g_thread_new("server", serve, srv);
	return client_from_fd(sv[0], ret_client, error);
}

static void test_client_calls(void **state)
{
	static const char *const replies[] = {
		"{\"event\":\"application.added\",\"id\":3}\n{\"id\":1,\"result\":{\"pong\":true}}\n",
		"{\"id\":2,\"error\":{\"code\":\"not_found\",\"message\":\"no application with id 9\",\"data\":{\"x\":1}}}\n",
		NULL,
	};
	struct server srv = { .greeting = "{\"apptrack\":\"9.9.9\",\"protocol\":1}\n", .replies = replies };
	GThread *thread;
	client *c = NULL;
	GError *error = NULL;
	json_t *result = NULL, *data = NULL;
	(void)state;

	assert_int_equal(start(&srv, &thread, &c, NULL), 0);
	assert_string_equal(client_daemon_version(c), "9.9.9");
	/* the event line before the reply is skipped */
	assert_int_equal(client_call(c, "ping", NULL, &result, NULL, NULL), 0);
	assert_true(json_is_true(json_object_get(result, "pong")));
	json_decref(result);
	json_t *params = json_pack("{s:i}", "id", 9);
	assert_int_equal(client_call(c, "applications.show", params, &result, &data, &error), -ENOENT);
	json_decref(params);
	assert_true(error->domain == AT_REMOTE_ERROR);
	assert_string_equal(error->message, "no application with id 9");
	assert_int_equal(json_integer_value(json_object_get(data, "x")), 1);
	json_decref(data);
	g_clear_error(&error);
	/* the server has hung up */
	assert_true(client_call(c, "ping", NULL, &result, NULL, &error) < 0);
	assert_true(error->domain == AT_ERROR);
	assert_non_null(strstr(error->message, "apptrackd")); /* "closed the connection" or a write error */
	g_clear_error(&error);
	client_free(c);
	g_thread_join(thread);
}

static void test_client_refusals(void **state)
{
	static const struct {
		const char *greeting;
		const char *needle;
	} cases[] = {
		{ "{\"apptrack\":\"2.0.0\",\"protocol\":2}\n", "protocol 2" },
		{ "{\"id\":null,\"error\":{\"code\":\"busy\",\"message\":\"too many connections\"}}\n", "too many" },
		{ "HTTP/1.1 400 Bad Request\n", "not valid JSON" },
		{ "", "closed" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct server srv = { .greeting = cases[i].greeting };
		GThread *thread;
		client *c = NULL;
		GError *error = NULL;
		assert_true(start(&srv, &thread, &c, &error) < 0);
		assert_null(c);
		if (!strstr(error->message, cases[i].needle))
			fail_msg("case %zu: %s", i, error->message);
		g_clear_error(&error);
		g_thread_join(thread);
	}
	GError *error = NULL;
	client *c = NULL;
	assert_int_equal(client_connect("/nonexistent/apptrack.sock", &c, &error), -ENOENT);
	assert_non_null(strstr(error->message, "is apptrackd running?"));
	g_clear_error(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_parse), cmocka_unit_test(test_id_kept_for_errors),
		cmocka_unit_test(test_depth),         cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_linebuf),       cmocka_unit_test(test_client_calls),
		cmocka_unit_test(test_client_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
