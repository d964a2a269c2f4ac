/* imap.c - one IMAP connection with libetpan; see imap.h. */
#include "imap.h"

#include "apptrack/error.h"
#include "apptrack/mime.h"
#include "apptrack/secret.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#define SERVER_TEXT_MAX 160 /* how much of a server's reply an error quotes */

struct imap_conn {
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

static int get_password(const struct account *a, char **ret_password, GError **error)
{
	g_autoptr(GError) e = NULL;

	if (!a->password_command) {
		*ret_password = g_strdup(a->password ? a->password : "");
		return 0;
	}
	int r = secret_from_command(a->password_command, 0, ret_password, &e);
	if (r < 0)
		return at_error_set(error, r, "%s%s", g_str_has_prefix(e->message, "password_command") ? "" :
			"password_command: ", e->message);
	return 0;
}

int imap_open(const struct account *a, struct imap_conn **ret_conn, GError **error)
{
	struct imap_conn *c = g_new0(struct imap_conn, 1);
	char *password = NULL;
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
	if ((r = get_password(a, &password, error)) < 0)
		goto failed;
	r = mailimap_login(c->imap, a->user, password);
	secret_free(password);
	if (r != MAILIMAP_NO_ERROR) {
		r = fail(c, r, "login", error);
		goto failed;
	}
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

void imap_close(struct imap_conn *c)
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

int imap_fd(struct imap_conn *c)
{
	if (!c || !c->imap || !c->imap->imap_stream)
		return -1;
	return mailstream_low_get_fd(mailstream_get_low(c->imap->imap_stream));
}

bool imap_can_idle(struct imap_conn *c)
{
	return mailimap_has_idle(c->imap) != 0;
}

int imap_examine(struct imap_conn *c, const char *folder, uint32_t *ret_uidvalidity, uint32_t *ret_exists,
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

int imap_search(struct imap_conn *c, uint32_t after_uid, int64_t since, GArray **ret_uids, GError **error)
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

int imap_fetch(struct imap_conn *c, const uint32_t *uids, guint n, imap_message_fn fn, void *data,
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

int imap_idle(struct imap_conn *c, int wake_fd, int timeout_s, GError **error)
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
