/* imap.h - one IMAP connection (libetpan), owned by one mail worker thread.
 *
 * imap_open() connects (implicit TLS, STARTTLS or plain text on loopback), checks the
 * server's certificate against the system's trust store (plus the account's ca_file)
 * before anything is sent, runs password_command, and logs in. The password lives only
 * for the LOGIN command and is overwritten after it; no libetpan logger is installed, so
 * the protocol text (the password with it) is never logged.
 *
 * Errors are one line naming the step and the cause: "cannot connect to HOST:PORT: ...",
 * "TLS: the server's certificate is not trusted ...", "login refused by the server: ...",
 * "connection lost". A server's own words are included, cut to a short single line.
 * Return values are 0 or a negative errno: -ECONNREFUSED (cannot connect), -EACCES
 * (login refused), -EPROTO (TLS or protocol failure), -EIO (connection lost).
 */
#ifndef APPTRACKD_IMAP_H
#define APPTRACKD_IMAP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/config.h"

#define IMAP_TIMEOUT_S 60 /* a command the server does not answer within this fails */

struct imap_conn;

/* Connects and logs in to a's server. */
int imap_open(const struct account *a, struct imap_conn **ret_conn, GError **error);
/* Logs out when the connection still works, then frees. NULL is fine. */
void imap_close(struct imap_conn *c);
/* The connection's socket, so that another thread can shutdown() it to interrupt a
 * blocking command. -1 when there is none. */
int imap_fd(struct imap_conn *c);
/* Whether the server offers IDLE (RFC 2177). */
bool imap_can_idle(struct imap_conn *c);
/* Opens folder read-only (EXAMINE): nothing in the mailbox changes, not even \Seen. */
int imap_examine(struct imap_conn *c, const char *folder, uint32_t *ret_uidvalidity, uint32_t *ret_exists,
		 GError **error);
/* UIDs of the examined folder's messages above after_uid, or, when after_uid is 0, of
 * those that arrived on or after the day of since (a time_t). Ascending. */
int imap_search(struct imap_conn *c, uint32_t after_uid, int64_t since, GArray **ret_uids, GError **error);
/* Called for each fetched message; raw is NULL for a message over MIME_MAX_MESSAGE. */
typedef void (*imap_message_fn)(uint32_t uid, const char *raw, size_t len, void *data);
/* Fetches the messages with these UIDs (BODY.PEEK[], so nothing is marked read). */
int imap_fetch(struct imap_conn *c, const uint32_t *uids, guint n, imap_message_fn fn, void *data,
	       GError **error);
/* IDLE on the examined folder until the server reports something (returns 1), timeout_s
 * seconds pass (0), or wake_fd becomes readable (2); then ends the IDLE. */
int imap_idle(struct imap_conn *c, int wake_fd, int timeout_s, GError **error);

#endif
