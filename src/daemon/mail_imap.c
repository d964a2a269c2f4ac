/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail_imap.c - the IMAP driver (mail_driver.h): one IMAP connection with libetpan, owned by
 * one mail worker thread, and how the worker follows the account's folders over it.
 *
 * open() connects (implicit TLS, STARTTLS or plain text on loopback), checks the server's
 * certificate against the system's trust store (plus the account's ca_file) before anything
 * is sent, runs password_command, and signs in: LOGIN with a password, or, with auth =
 * xoauth2 or oauthbearer, AUTHENTICATE XOAUTH2 (libetpan's) or OAUTHBEARER (RFC 7628, here
 * over libetpan's command stream) with the access token password_command prints, once the
 * server's CAPABILITY offers the mechanism. A refused token is not the end: open() runs
 * password_command once more on a new connection (a token helper hands out a fresh token
 * when the old one expired) before the worker backs off. The password or token lives only
 * for the command and is overwritten after it; no libetpan logger is installed, so the
 * protocol text (the secret with it) is never logged.
 *
 * sync() EXAMINEs a folder (read-only: nothing in the mailbox changes, not even \Seen),
 * searches the UIDs above the last one read (on the first run: the messages of the `since`
 * window), and fetches them with BODY.PEEK[] in batches of MAIL_BATCH_MAX; each batch
 * carries the folder's UIDVALIDITY and last UID, which the main thread stores with it. A
 * new UIDVALIDITY reads the folder again from the start. idle() is IDLE (RFC 2177) on the
 * first folder where the server offers it, re-issued every IDLE_REISSUE_S, and after
 * poll_interval when there are other folders to poll.
 *
 * Errors are one line naming the step and the cause: "cannot connect to HOST:PORT: ...",
 * "TLS: the server's certificate is not trusted ...", "login refused by the server: ...",
 * "connection lost", "the server ... does not offer AUTH=XOAUTH2", "OAuth2 token refused ...".
 * A server's own words are included, cut to a short single line. Return values are 0 or a
 * negative errno: -ECONNREFUSED (cannot connect), -EACCES (login refused), -EKEYREJECTED
 * (OAuth2 token refused), -ENOTSUP (the mechanism is not offered), -EPROTO (TLS or protocol failure),
 * -EIO (connection lost). Any of them ends the connection; the worker (mail.c) connects
 * again later.
 */
#include "mail_driver.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/mime.h"
#include "apptrack/secret.h"
#include "apptrack/timeutil.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#define SERVER_TEXT_MAX 160 /* how much of a server's reply an error quotes */
#define IMAP_TIMEOUT_S 60   /* a command the server does not answer within this fails */
#define IDLE_REISSUE_S (24 * 60) /* RFC 2177: servers may drop an IDLE after 29 minutes */

struct imap_conn {
	struct mail_store base;
	mailimap *imap;
	char *where; /* "host:port", for messages */
	bool logged_in;
};

/* The server's last reply text, on one short line without control characters. */
static char *server_text(struct imap_conn *c)
{
	const char *text = c->imap ? c->imap->imap_response : NULL;
	GString *s = g_string_new(NULL);

	for (const char *p = text; p && *p && s->len < SERVER_TEXT_MAX; p++)
		g_string_append_c(s, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
	g_strstrip(s->str);
	return g_string_free(s, FALSE);
}

/* Maps a libetpan error of step what to an errno and a message. */
static int fail(struct imap_conn *c, int r, const char *what, GError **error)
{
	g_autofree char *text = server_text(c);

	switch (r) {
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
		return at_error_set(error, -ECONNREFUSED, "cannot connect to %s (refused, unreachable or timed out)",
				c->where);
	case MAILIMAP_ERROR_STREAM:
		return at_error_set(error, -EIO, "%s: connection to %s lost", what, c->where);
	case MAILIMAP_ERROR_SSL:
		return at_error_set(error, -EPROTO, "TLS handshake with %s failed (is it a TLS port? see tls in apptrack.conf(5))",
				c->where);
	case MAILIMAP_ERROR_LOGIN:
		return at_error_set(error, -EACCES, "login to %s refused by the server%s%s", c->where, *text ? ": " : "",
				text);
	case MAILIMAP_ERROR_PARSE:
		return at_error_set(error, -EPROTO, "%s: %s sent a reply that is not IMAP", what, c->where);
	case MAILIMAP_ERROR_MEMORY:
		return at_error_set(error, -ENOMEM, "%s: out of memory", what);
	default:
		return at_error_set(error, -EPROTO, "%s: refused by %s%s%s", what, c->where, *text ? ": " : "", text);
	}
}

static void set_server_name(struct mailstream_ssl_context *ctx, void *data)
{
	mailstream_ssl_set_server_name(ctx, data);
}

/* Checks the server's certificate chain: trusted by the system (or ca_file), valid now,
 * issued for host. */
static int verify_certificate(struct imap_conn *c, const struct account *a, GError **error)
{
	carray *chain = mailstream_get_certificate_chain(c->imap->imap_stream);
	unsigned n = chain ? carray_count(chain) : 0, status = 0, loaded = 0;
	gnutls_x509_crt_t *certs = g_new0(gnutls_x509_crt_t, n ? n : 1);
	gnutls_x509_trust_list_t trust = NULL;
	gnutls_typed_vdata_st checks[] = {
		{ .type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)a->host },
		{ .type = GNUTLS_DT_KEY_PURPOSE_OID, .data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER },
	};
	int r = 0;

	if (n == 0) {
		r = at_error_set(error, -EPROTO, "TLS: %s sent no certificate", c->where);
		goto out;
	}
	for (loaded = 0; loaded < n; loaded++) {
		MMAPString *der = carray_get(chain, loaded);
		gnutls_datum_t datum = { (unsigned char *)der->str, (unsigned)der->len };
		if (gnutls_x509_crt_init(&certs[loaded]) < 0)
			break;
		if (gnutls_x509_crt_import(certs[loaded], &datum, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(certs[loaded]);
			break;
		}
	}
	if (loaded < n) {
		r = at_error_set(error, -EPROTO, "TLS: cannot read the certificate %s sent", c->where);
		goto out;
	}
	if (gnutls_x509_trust_list_init(&trust, 0) < 0) {
		r = at_error_set(error, -ENOMEM, "TLS: cannot set up certificate checks");
		goto out;
	}
	gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
	if (a->ca_file &&
	    gnutls_x509_trust_list_add_trust_file(trust, a->ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0) <= 0) {
		r = at_error_set(error, -EINVAL, "TLS: ca_file %s holds no PEM certificate", a->ca_file);
		goto out;
	}
	if (gnutls_x509_trust_list_verify_crt2(trust, certs, n, checks, G_N_ELEMENTS(checks), 0, &status, NULL) < 0)
		status = GNUTLS_CERT_INVALID;
	if (status) {
		gnutls_datum_t why = { 0 };
		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
		if (why.data)
			g_strstrip((char *)why.data);
		r = at_error_set(error, -EPROTO,
			     "TLS: the certificate of %s is not trusted (%s); if the server uses its own "
			     "certificate authority, name its certificate with ca_file",
			     c->where, why.data ? (char *)why.data : "rejected");
		gnutls_free(why.data);
	}
out:
	for (unsigned i = 0; i < loaded; i++)
		gnutls_x509_crt_deinit(certs[i]);
	g_free(certs);
	if (trust)
		gnutls_x509_trust_list_deinit(trust, 1);
	if (chain)
		mailstream_certificate_chain_free(chain);
	return r;
}


/* The server's current capabilities (asked again: after STARTTLS the earlier ones do not count). */
static int imap_capabilities(struct imap_conn *c, GError **error)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(c->imap, &caps);

	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "CAPABILITY", error);
	mailimap_capability_data_free(caps);
	return 0;
}

/* The SASL mechanisms the server offers, "AUTH=PLAIN AUTH=LOGIN", or "none". g_free. */
static char *offered_mechanisms(struct imap_conn *c)
{
	struct mailimap_connection_info *info = c->imap->imap_connection_info;
	GString *s = g_string_new(NULL);

	for (clistiter *it = info && info->imap_capability ? clist_begin(info->imap_capability->cap_list) : NULL; it;
	     it = clist_next(it)) {
		struct mailimap_capability *cap = clist_content(it);
		if (cap->cap_type == MAILIMAP_CAPABILITY_AUTH_TYPE && cap->cap_data.cap_auth_type && s->len < SERVER_TEXT_MAX)
			g_string_append_printf(s, "%sAUTH=%s", s->len ? " " : "", cap->cap_data.cap_auth_type);
	}
	if (!s->len)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

/* Writes text to the server's stream (sent at the next flush). */
static int send_text(struct imap_conn *c, const char *text)
{
	return mailstream_write(c->imap->imap_stream, text, strlen(text)) < 0 ? MAILIMAP_ERROR_STREAM : MAILIMAP_NO_ERROR;
}

/* AUTHENTICATE OAUTHBEARER (RFC 7628), which libetpan has no call for, over its command
 * stream: the initial response carries the user (a saslname: "," and "=" escaped), host,
 * port and token. A refusal comes as a continuation with a JSON error, which takes the
 * dummy response %x01 before the tagged NO. MAILIMAP_ERROR_LOGIN when refused. */
static int imap_oauthbearer(struct imap_conn *c, const struct account *a, const char *token)
{
	g_autoptr(GString) user = g_string_new(NULL);
	struct mailimap_response *response = NULL;
	int r, state;

	for (const char *p = a->user; *p; p++) {
		if (*p == ',' || *p == '=')
			g_string_append(user, *p == ',' ? "=2C" : "=3D");
		else
			g_string_append_c(user, *p);
	}
	char *gs2 = g_strdup_printf("n,a=%s,\001host=%s\001port=%u\001auth=Bearer %s\001\001", user->str, a->host,
				    a->port, token);
	char *b64 = g_base64_encode((const guchar *)gs2, strlen(gs2));
	secret_free(gs2);
	r = mailimap_send_current_tag(c->imap);
	if (r == MAILIMAP_NO_ERROR && (r = send_text(c, "AUTHENTICATE OAUTHBEARER ")) == MAILIMAP_NO_ERROR &&
	    (r = send_text(c, b64)) == MAILIMAP_NO_ERROR)
		r = send_text(c, "\r\n");
	secret_free(b64);
	if (r != MAILIMAP_NO_ERROR || mailstream_flush(c->imap->imap_stream) < 0)
		return MAILIMAP_ERROR_STREAM;
	const char *line = mailimap_read_line(c->imap);
	if (line && line[0] == '+') { /* the server's error, base64 JSON: answered with the dummy response */
		if (send_text(c, "AQ==\r\n") != MAILIMAP_NO_ERROR || mailstream_flush(c->imap->imap_stream) < 0)
			return MAILIMAP_ERROR_STREAM;
		line = mailimap_read_line(c->imap);
	}
	if (!line)
		return MAILIMAP_ERROR_STREAM;
	if ((r = mailimap_parse_response(c->imap, &response)) != MAILIMAP_NO_ERROR)
		return r;
	state = response->rsp_resp_done->rsp_type == MAILIMAP_RESP_DONE_TYPE_TAGGED
			? response->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type
			: MAILIMAP_RESP_COND_STATE_BAD;
	mailimap_response_free(response);
	if (state != MAILIMAP_RESP_COND_STATE_OK)
		return MAILIMAP_ERROR_LOGIN;
	c->imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
	return MAILIMAP_NO_ERROR;
}

/* Signs in: LOGIN with the password, or AUTHENTICATE XOAUTH2 or OAUTHBEARER with the access
 * token, from password_command (run here, at every connection). renewed: the token of an
 * earlier connection was refused just before, and this one is password_command's next. */
static int imap_authenticate(struct imap_conn *c, const struct account *a, bool renewed, GError **error)
{
	bool oauth = a->auth != ACCOUNT_AUTH_LOGIN;
	const char *mechanism = a->auth == ACCOUNT_AUTH_OAUTHBEARER ? "OAUTHBEARER" : "XOAUTH2";
	char *secret = NULL;
	int r;

	if (oauth) {
		/* a server that cannot take a token is said so before the token helper runs */
		if ((r = imap_capabilities(c, error)) < 0)
			return r;
		if (!mailimap_has_authentication(c->imap, mechanism)) {
			g_autofree char *offered = offered_mechanisms(c);
			return at_error_set(error, -ENOTSUP,
					    "the server %s does not offer AUTH=%s (it offers %s), so it cannot take an "
					    "OAuth2 token that way: check host and auth in apptrack.conf(5)",
					    c->where, mechanism, offered);
		}
	}
	if ((r = secret_get(a->password, a->password_command, &secret, error)) < 0)
		return r;
	if (a->auth == ACCOUNT_AUTH_OAUTHBEARER)
		r = imap_oauthbearer(c, a, secret);
	else if (oauth)
		r = mailimap_oauth2_authenticate(c->imap, a->user, secret);
	else
		r = mailimap_login(c->imap, a->user, secret);
	secret_free(secret);
	if (r == MAILIMAP_ERROR_LOGIN && oauth) {
		g_autofree char *text = server_text(c);
		return at_error_set(error, -EKEYREJECTED, "OAuth2 token refused by %s%s%s%s", c->where,
				    renewed ? ", also the new one password_command printed after the first refusal "
					      "(sign in with the token helper again?)" : "",
				    *text ? ": " : "", text);
	}
	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "login", error);
	return 0;
}

static void imap_close(struct imap_conn *c);

/* Connects and signs in to a's server (renewed: see imap_authenticate()). */
static int imap_open(const struct account *a, bool renewed, struct imap_conn **ret_conn, GError **error)
{
	struct imap_conn *c = g_new0(struct imap_conn, 1);
	int r;

	*ret_conn = NULL;
	c->where = g_strdup_printf("%s:%u", a->host, a->port);
	c->imap = mailimap_new(0, NULL);
	if (!c->imap) {
		imap_close(c);
		return at_error_set(error, -ENOMEM, "out of memory");
	}
	mailimap_set_timeout(c->imap, IMAP_TIMEOUT_S);
	if (a->tls == ACCOUNT_TLS_IMPLICIT)
		r = mailimap_ssl_connect_with_callback(c->imap, a->host, (uint16_t)a->port, set_server_name, a->host);
	else
		r = mailimap_socket_connect(c->imap, a->host, (uint16_t)a->port);
	if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		r = fail(c, r == MAILIMAP_ERROR_STREAM ? MAILIMAP_ERROR_CONNECTION_REFUSED : r, "connect", error);
		goto failed;
	}
	if (a->tls == ACCOUNT_TLS_STARTTLS) {
		r = mailimap_socket_starttls_with_callback(c->imap, set_server_name, a->host);
		if (r != MAILIMAP_NO_ERROR) {
			r = at_error_set(error, -EPROTO, "STARTTLS with %s failed (does the server offer it?)", c->where);
			goto failed;
		}
	}
	if (a->tls != ACCOUNT_TLS_NONE && (r = verify_certificate(c, a, error)) < 0)
		goto failed;
	if ((r = imap_authenticate(c, a, renewed, error)) < 0)
		goto failed;
	c->logged_in = true;
	if (!c->imap->imap_connection_info || !c->imap->imap_connection_info->imap_capability) {
		struct mailimap_capability_data *caps = NULL;
		if ((r = mailimap_capability(c->imap, &caps)) != MAILIMAP_NO_ERROR) {
			r = fail(c, r, "CAPABILITY", error);
			goto failed;
		}
		mailimap_capability_data_free(caps);
	}
	*ret_conn = c;
	return 0;
failed:
	imap_close(c);
	return r;
}

/* Logs out when the connection still works, then frees. NULL is fine. */
static void imap_close(struct imap_conn *c)
{
	if (!c)
		return;
	if (c->imap) {
		if (c->logged_in && c->imap->imap_stream)
			mailimap_logout(c->imap);
		mailimap_free(c->imap);
	}
	g_free(c->where);
	g_free(c);
}

/* The connection's socket, so that another thread can shutdown() it to interrupt a
 * blocking command. -1 when there is none. */
static int imap_fd(struct imap_conn *c)
{
	if (!c || !c->imap || !c->imap->imap_stream)
		return -1;
	return mailstream_low_get_fd(mailstream_get_low(c->imap->imap_stream));
}

/* Opens folder read-only (EXAMINE): nothing in the mailbox changes, not even \Seen. */
static int imap_examine(struct imap_conn *c, const char *folder, uint32_t *ret_uidvalidity, uint32_t *ret_exists,
			GError **error)
{
	int r = mailimap_examine(c->imap, folder);

	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("opening folder %s", folder);
		return fail(c, r, what, error);
	}
	*ret_uidvalidity = c->imap->imap_selection_info ? c->imap->imap_selection_info->sel_uidvalidity : 0;
	*ret_exists = c->imap->imap_selection_info ? c->imap->imap_selection_info->sel_exists : 0;
	return 0;
}

static gint compare_uid(gconstpointer a, gconstpointer b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* UIDs of the examined folder's messages above after_uid, or, when after_uid is 0, of
 * those that arrived on or after the day of since (a time_t). Ascending. */
static int imap_search(struct imap_conn *c, uint32_t after_uid, int64_t since, GArray **ret_uids, GError **error)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	int r;

	*ret_uids = NULL;
	if (after_uid) {
		/* after_uid+1:* always names the newest message, even an older one: filtered below */
		key = mailimap_search_key_new_uid(mailimap_set_new_interval(after_uid + 1, 0));
	} else {
		time_t t = (time_t)since;
		struct tm tm;
		gmtime_r(&t, &tm);
		key = mailimap_search_key_new_since(mailimap_date_new(tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900));
	}
	r = mailimap_uid_search(c->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "UID SEARCH", error);
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
		uint32_t uid = *(uint32_t *)clist_content(it);
		if (uid > after_uid)
			g_array_append_val(uids, uid);
	}
	mailimap_search_result_free(result);
	g_array_sort(uids, compare_uid);
	*ret_uids = uids;
	return 0;
}

/* Called for each fetched message; raw is NULL for a message over MIME_MAX_MESSAGE. */
typedef void (*imap_message_fn)(uint32_t uid, const char *raw, size_t len, void *data);

/* Fetches the messages with these UIDs (BODY.PEEK[], so nothing is marked read). */
static int imap_fetch(struct imap_conn *c, const uint32_t *uids, guint n, imap_message_fn fn, void *data,
		      GError **error)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	struct mailimap_fetch_type *type = mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	int r;

	for (guint i = 0; i < n; i++)
		mailimap_set_add_single(set, uids[i]);
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
	mailimap_fetch_type_new_fetch_att_list_add(
		type, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(NULL), 0,
									(uint32_t)MIME_MAX_MESSAGE));
	r = mailimap_uid_fetch(c->imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "UID FETCH", error);
	for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);
		uint32_t uid = 0, size = 0;
		const char *body = NULL;
		size_t len = 0;
		for (clistiter *j = clist_begin(att->att_list); j; j = clist_next(j)) {
			struct mailimap_msg_att_item *item = clist_content(j);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			struct mailimap_msg_att_static *st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID) {
				uid = st->att_data.att_uid;
			} else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE) {
				size = st->att_data.att_rfc822_size;
			} else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section) {
				body = st->att_data.att_body_section->sec_body_part;
				len = st->att_data.att_body_section->sec_length;
			}
		}
		if (uid)
			fn(uid, size > MIME_MAX_MESSAGE || !body ? NULL : body, body ? len : 0, data);
	}
	mailimap_fetch_list_free(result);
	return 0;
}

/* IDLE on the examined folder until the server reports something (returns 1), timeout_s
 * seconds pass (0), or wake_fd becomes readable (2); then ends the IDLE. */
static int imap_idle(struct imap_conn *c, int wake_fd, int timeout_s, GError **error)
{
	int r = mailimap_idle(c->imap), got;

	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "IDLE", error);
	if (c->imap->imap_stream->read_buffer_len > 0) {
		got = 1; /* the server's news came with its go-ahead */
	} else {
		struct pollfd fds[2] = { { .fd = mailimap_idle_get_fd(c->imap), .events = POLLIN },
					 { .fd = wake_fd, .events = POLLIN } };
		int n = poll(fds, 2, timeout_s * 1000);
		got = n <= 0 ? 0 : fds[1].revents ? 2 : 1;
	}
	r = mailimap_idle_done(c->imap);
	if (r != MAILIMAP_NO_ERROR)
		return fail(c, r, "ending IDLE", error);
	return got;
}

/* ---- the driver ---- */

static void on_fetched(uint32_t uid, const char *raw, size_t len, void *data)
{
	struct mail_batch *b = data;

	if (!raw) {
		log_info("account %s: message UID %u is over %zu MiB, skipping it", b->w->account->name, uid,
			 MIME_MAX_MESSAGE >> 20);
		return;
	}
	g_autofree char *what = g_strdup_printf("%s UID %u", b->w->folders[b->folder].name, uid);
	mail_batch_add(b, uid, raw, len, NULL, what);
}

static int imap_driver_open(struct worker *w, struct mail_store **ret_store, GError **error)
{
	struct imap_conn *c = NULL;
	g_autoptr(GError) refused = NULL;
	int r = imap_open(w->account, false, &c, &refused);

	*ret_store = NULL;
	if (r == -EKEYREJECTED && !mail_stopping(w)) {
		/* an expired token: the helper is asked once more, at once, before any back-off */
		log_info("account %s: %s; running password_command again for a new token", w->account->name,
			 refused->message);
		r = imap_open(w->account, true, &c, error);
	} else if (r < 0) {
		g_propagate_error(error, g_steal_pointer(&refused));
	}
	if (r < 0)
		return r;
	c->base.w = w;
	c->base.can_idle = mailimap_has_idle(c->imap) != 0;
	*ret_store = &c->base;
	if (mail_worker_online(w, imap_fd(c)))
		return 0;
	log_debug("account %s: logged in to %s:%u%s", w->account->name, w->account->host, w->account->port,
		  c->base.can_idle ? " (IDLE)" : "");
	return 0;
}

/* Reads folder f's new messages. */
static int imap_driver_sync(struct mail_store *s, size_t f, GString *problems, GError **error)
{
	struct imap_conn *c = (struct imap_conn *)s;
	struct worker *w = s->w;
	struct folder *fo = &w->folders[f];
	uint32_t validity, messages, after, committed;
	g_autoptr(GArray) uids = NULL;
	int r = imap_examine(c, fo->name, &validity, &messages, error);

	(void)problems;
	if (r < 0)
		return r;
	{
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
		if (fo->uidvalidity != validity) {
			if (fo->uidvalidity)
				log_info("account %s: folder %s was renumbered (UIDVALIDITY %u, was %u): reading it again, "
					 "skipping messages already applied",
					 w->account->name, fo->name, validity, fo->uidvalidity);
			fo->uidvalidity = validity;
			fo->fetched = 0;
		}
		fo->messages = messages;
		after = fo->fetched;
		committed = fo->committed_validity;
	}

	if ((r = imap_search(c, after, time_now() - w->account->since, &uids, error)) < 0)
		return r;
	if (uids->len == 0 && committed != validity) {
		/* nothing to read, but remember the new numbering */
		struct mail_batch *b = mail_batch_new(w, f);
		b->uidvalidity = validity;
		b->last_uid = after;
		mail_hand_over(b);
	}
	for (guint off = 0; off < uids->len && !mail_stopping(w); off += MAIL_BATCH_MAX) {
		guint n = MIN(uids->len - off, MAIL_BATCH_MAX);
		const uint32_t *chunk = &g_array_index(uids, uint32_t, off);
		struct mail_batch *b = mail_batch_new(w, f);
		if ((r = imap_fetch(c, chunk, n, on_fetched, b, error)) < 0) {
			mail_batch_free(b);
			return r;
		}
		b->uidvalidity = validity;
		b->last_uid = chunk[n - 1];
		{
			g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
			fo->fetched = b->last_uid;
			fo->read += b->items->len;
			w->read += b->items->len;
		}
		mail_hand_over(b);
	}
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	fo->last_sync = time_now();
	return 0;
}

/* IDLE watches one folder: the first; the others are polled. */
static int imap_driver_idle(struct mail_store *s, GError **error)
{
	struct imap_conn *c = (struct imap_conn *)s;
	struct worker *w = s->w;
	uint32_t validity, messages;
	int64_t timeout = w->n_folders > 1 ? MIN(w->account->poll_interval, IDLE_REISSUE_S) : IDLE_REISSUE_S;
	int r;

	if (w->n_folders > 1 && (r = imap_examine(c, w->folders[0].name, &validity, &messages, error)) < 0)
		return r;
	if ((r = imap_idle(c, w->wake[0], (int)timeout, error)) < 0)
		return r;
	mail_drain_wake(w);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&w->lock);
	w->sync_now = false;
	w->idle = false;
	return 0;
}

static void imap_driver_close(struct mail_store *s)
{
	imap_close((struct imap_conn *)s);
}

static char *imap_describe(const struct account *a)
{
	return g_strdup_printf("%s@%s:%u", a->user, a->host, a->port);
}

static void imap_status(const struct worker *w, json_t *account)
{
	const struct account *a = w->account;
	g_autofree char *server = g_strdup_printf("%s:%u", a->host, a->port);

	json_object_set_new(account, "server", json_string(server));
	json_object_set_new(account, "user", json_string(a->user));
	static const char *const methods[] = { "login", "xoauth2", "oauthbearer" }; /* enum account_auth */
	json_object_set_new(account, "auth", json_string(methods[a->auth]));
	json_object_set_new(account, "idle", json_boolean(w->idle));
	json_object_set_new(account, "next_attempt", mail_time_json(w->next_attempt));
}

static void imap_folder_status(const struct folder *f, json_t *folder)
{
	json_object_set_new(folder, "messages", json_integer(f->messages));
	json_object_set_new(folder, "uidvalidity", json_integer(f->committed_validity));
	json_object_set_new(folder, "last_uid", json_integer(f->committed_uid));
}

const struct mail_driver mail_imap_driver = {
	.name = "imap",
	.uids = true,
	.describe = imap_describe,
	.open = imap_driver_open,
	.sync = imap_driver_sync,
	.idle = imap_driver_idle,
	.close = imap_driver_close,
	.status = imap_status,
	.folder_status = imap_folder_status,
};
