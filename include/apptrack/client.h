/* SPDX-License-Identifier: GPL-3.0-or-later */
/* client.h - a synchronous control-protocol client (apptrackctl, tests, benchmarks).
 *
 * Lifecycle: client_connect() opens the socket and checks the daemon's greeting;
 * client_call() sends one request and waits for its reply; client_free() closes (NULL is
 * fine). Errors the daemon reports come back with domain AT_REMOTE_ERROR (code = errno
 * mapped from the protocol code); anything else (unreachable, protocol mismatch, broken
 * connection) has domain AT_ERROR.
 */
#ifndef APPTRACK_CLIENT_H
#define APPTRACK_CLIENT_H

#include <glib.h>
#include <jansson.h>

#define AT_REMOTE_ERROR (at_remote_error_quark())
GQuark at_remote_error_quark(void);

typedef struct client client;

/* Connects to path (NULL: paths_socket()). The message of a failure says what to do
 * ("is apptrackd running?"). */
int client_connect(const char *path, client **ret_client, GError **error);
/* Like client_connect() on an already connected socket (taken over: closed by
 * client_free, or on failure). For tests over socketpair(). */
int client_from_fd(int fd, client **ret_client, GError **error);
void client_free(client *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(client, client_free)

/* Daemon version from the greeting, borrowed. */
const char *client_daemon_version(client *c);

/* Calls method with params (borrowed; NULL for none). *ret_result gets a new reference.
 * On a daemon-reported error returns its negative errno, sets *error (AT_REMOTE_ERROR)
 * and, when ret_data is non-NULL, the error's data (new reference or NULL). */
int client_call(client *c, const char *method, json_t *params, json_t **ret_result,
		json_t **ret_data, GError **error);

/* Like client_call(), for a caller that prints the result as JSON text: *ret_text (g_free)
 * and *ret_len get the result as json_dumps(result, JSON_INDENT(indent) | JSON_ENCODE_ANY)
 * prints it, indent 1 to 31. A plain reply is re-indented from its text without building
 * objects (json_text.h), which for a large listing costs a fraction of parsing and dumping;
 * any other is parsed, so errors are those of client_call(). */
int client_call_text(client *c, const char *method, json_t *params, int indent, char **ret_text, size_t *ret_len,
		     json_t **ret_data, GError **error);

/* After a successful `watch` call: waits up to timeout_ms (-1 forever) for the next
 * event line. 1 with *ret_event, 0 on time-out, negative on error or end of stream. */
int client_next_event(client *c, int timeout_ms, json_t **ret_event, GError **error);

#endif
