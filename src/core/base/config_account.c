/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_account.c - an [account NAME]'s keys checked together, once config.c has read them
 * through its settings table (IMAP or Maildir, one way to the password or token, tls = none
 * on loopback only, the port tls implies), and an account's memory. */
#include "config_internal.h"

#include "apptrack/text.h"

#include <string.h>

void config_account_check(struct account *a, const char *text, const char *file, const char *section, bool port_set,
			  bool tls_set, bool auth_set, GString *errors)
{
	unsigned sline = text_ini_line(text, section, NULL);

	if (a->maildir &&
	    (a->host || port_set || tls_set || auth_set || a->user || a->password || a->password_command || a->ca_file))
		text_problem(errors, file, sline, "[%s] gives both maildir and IMAP settings: use one or the other", section);
	else if (!a->maildir && !a->host)
		text_problem(errors, file, sline, "[%s] needs host (IMAP) or maildir", section);
	if (a->host) {
		if (!a->user)
			text_problem(errors, file, sline, "[%s] needs user", section);
		if (!a->password && !a->password_command)
			text_problem(errors, file, sline, a->auth != ACCOUNT_AUTH_LOGIN
				? "[%s] needs password_command: with OAuth2 (auth), a command that prints an access token"
				: "[%s] needs password_command (or password)", section);
		if (a->password && a->password_command)
			text_problem(errors, file, sline, "[%s] gives both password and password_command: keep one", section);
		else if (a->auth != ACCOUNT_AUTH_LOGIN && a->password)
			/* an access token lives about an hour: one written in the file would stop working */
			text_problem(errors, file, text_ini_line(text, section, "password"), "[%s]: OAuth2 (auth) takes its "
				     "access token from password_command (a token helper such as oama), not from password", section);
		if (a->tls == ACCOUNT_TLS_NONE && !config_is_loopback(a->host))
			text_problem(errors, file, text_ini_line(text, section, "tls"),
				"[%s]: tls = none is allowed only for a loopback host, not %s", section, a->host);
		if (!port_set)
			a->port = a->tls == ACCOUNT_TLS_IMPLICIT ? ACCOUNT_PORT_IMPLICIT : ACCOUNT_PORT_PLAIN;
	}
}

void account_free(struct account *a)
{
	if (!a)
		return;
	g_free(a->name);
	g_free(a->host);
	g_free(a->user);
	g_free(a->password_command);
	if (a->password) /* do not leave the secret in freed memory */
		memset(a->password, 0, strlen(a->password));
	g_free(a->password);
	g_strfreev(a->folders);
	g_free(a->maildir);
	g_free(a->ca_file);
	g_free(a);
}

struct account *account_dup(const struct account *a)
{
	struct account *c = g_memdup2(a, sizeof *a);

	c->name = g_strdup(a->name);
	c->host = g_strdup(a->host);
	c->user = g_strdup(a->user);
	c->password_command = g_strdup(a->password_command);
	c->password = g_strdup(a->password);
	c->folders = g_strdupv(a->folders);
	c->maildir = g_strdup(a->maildir);
	c->ca_file = g_strdup(a->ca_file);
	return c;
}
