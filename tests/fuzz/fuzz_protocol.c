/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_protocol.c - libFuzzer harness: the control protocol's parsers. The whole input
 * is one request line for proto_request_parse() (and a reply and a greeting for the
 * client-side parsers); then it is fed to a struct linebuf in chunks of sizes taken
 * from the input itself, with a line limit taken from its first byte, and every line
 * handed out is parsed as a request, as the daemon's control server does.
 *
 * Checks: a parsed request has a method and an object of params; the reply encoded for
 * it (result or error, with its id) is one line that proto_reply_parse() accepts; the
 * line buffer hands out exactly the input's lines, in order, and refuses with -E2BIG
 * exactly when the unterminated tail outgrows its limit. */
#include "apptrack/protocol.h"

#include "fuzz.h"

#include <string.h>

#define CHUNK_MASK 0x3f      /* chunks of 1 to 64 bytes */
#define LIMIT_STEP 8         /* line limit: 8 to 2048 bytes, by the first byte */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	return 0;
}

/* An encoded reply: one '\n'-terminated line that the client side reads back. */
static void check_reply(const char *line)
{
	size_t n = strlen(line);
	json_t *v = NULL;
	GError *error = NULL;

	FUZZ_CHECK(n > 0 && line[n - 1] == '\n' && memchr(line, '\n', n - 1) == NULL);
	if (proto_reply_parse(line, n - 1, &v, &error) < 0) {
		fprintf(stderr, "reply not read back: %s: %s", error->message, line);
		abort();
	}
	json_decref(v);
}

static void parse_request(const char *line, size_t len)
{
	struct proto_request req;
	GError *error = NULL;
	int r = proto_request_parse(line, len, &req, &error);

	if (r == 0) {
		FUZZ_CHECK(error == NULL && req.method != NULL && json_is_object(req.params));
		FUZZ_CHECK(!req.id || json_is_integer(req.id) || json_is_string(req.id));
		g_autofree char *reply = proto_reply_result(req.id, req.params);
		check_reply(reply);
	} else {
		FUZZ_CHECK(r == -EBADMSG && error != NULL);
		g_autofree char *reply = proto_reply_error(req.id, r, error->message, NULL);
		check_reply(reply);
		g_error_free(error);
	}
	proto_request_clear(&req);
}

static void parse_client_side(const char *line, size_t len)
{
	json_t *v = NULL;
	char *version = NULL;
	int protocol = 0;

	if (proto_reply_parse(line, len, &v, NULL) == 0)
		json_decref(v);
	if (proto_greeting_parse(line, len, &protocol, &version, NULL) == 0)
		g_free(version);
}

/* Bytes after the last '\n' of data[0, end). */
static size_t tail_after_newline(const uint8_t *data, size_t end)
{
	size_t i = end;
	while (i > 0 && data[i - 1] != '\n')
		i--;
	return end - i;
}

static void feed_linebuf(const uint8_t *data, size_t size)
{
	struct linebuf lb;
	size_t fed = 0, taken = 0; /* bytes appended; bytes handed out as lines (with '\n') */
	size_t max = size ? (size_t)data[0] * LIMIT_STEP + LIMIT_STEP : LIMIT_STEP;

	linebuf_init(&lb, max);
	while (fed < size) {
		size_t n = MIN((size_t)(data[fed] & CHUNK_MASK) + 1, size - fed);
		int r = linebuf_append(&lb, (const char *)data + fed, n);
		bool too_long = tail_after_newline(data, fed + n) > max;

		FUZZ_CHECK(r == 0 || r == -E2BIG);
		FUZZ_CHECK((r == -E2BIG) == too_long);
		if (r < 0)
			break; /* the daemon drops such a connection */
		fed += n;
		char *line;
		size_t len;
		while (linebuf_next(&lb, &line, &len) == 1) {
			FUZZ_CHECK(taken + len < fed && data[taken + len] == '\n');
			FUZZ_CHECK(memcmp(line, data + taken, len) == 0 && line[len] == '\0');
			parse_request(line, len);
			g_free(line);
			taken += len + 1;
		}
		/* every complete line was handed out */
		FUZZ_CHECK(memchr(data + taken, '\n', fed - taken) == NULL);
	}
	linebuf_clear(&lb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_request((const char *)data, size);
	parse_client_side((const char *)data, size);
	feed_linebuf(data, size);
	return 0;
}
