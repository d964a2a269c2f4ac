/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_caldav.c - the checks across the [caldav] keys, and [calendar] vdir's memory: a
 * url the daemon may talk to (https, or http for a loopback host, as IMAP's tls = none; no
 * user or password in it), a user and one way to the password, send and reminders_as.
 * config.c reads the keys through its settings table; this file checks them together. */
#include "config_internal.h"

#include "apptrack/text.h"

#include <string.h>

/* NULL when url is one the daemon may push to, else the problem (g_free). */
static char *url_problem(const char *url)
{
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	const char *scheme = uri ? g_uri_get_scheme(uri) : NULL;

	if (!uri || !g_uri_get_host(uri) || !*g_uri_get_host(uri) ||
	    (g_ascii_strcasecmp(scheme, "https") != 0 && g_ascii_strcasecmp(scheme, "http") != 0))
		return g_strdup_printf("[caldav] url = %s is not an http(s) URL of a calendar collection", url);
	if (g_uri_get_userinfo(uri))
		return g_strdup("[caldav] url has a user name or password in it: give user and password_command instead");
	if (g_ascii_strcasecmp(scheme, "http") == 0 && !config_is_loopback(g_uri_get_host(uri)))
		return g_strdup_printf("[caldav] url = %s: http is allowed only for a loopback host; use https, so that "
				       "the password and the calendar do not cross the network in the clear",
				       url);
	return NULL;
}

void config_caldav_check(struct config *c, const char *file, const char *text, GString *errors)
{
	const char *send = c->caldav_send_text ? c->caldav_send_text : "both";
	const char *as = c->caldav_reminders_as_text;

	c->caldav_send = strcmp(send, "interviews") == 0	? CALDAV_SEND_INTERVIEWS
			 : strcmp(send, "reminders") == 0 ? CALDAV_SEND_REMINDERS
			 : strcmp(send, "both") == 0	? CALDAV_SEND_INTERVIEWS | CALDAV_SEND_REMINDERS
							: 0;
	if (!c->caldav_send)
		config_key_problem(errors, file, text, "caldav", "send",
				   "bad value \"%s\" for send in [caldav]: expected interviews, reminders or both", send);
	if (as && strcmp(as, "event") != 0 && strcmp(as, "todo") != 0)
		config_key_problem(errors, file, text, "caldav", "reminders_as",
				   "bad value \"%s\" for reminders_as in [caldav]: expected event or todo", as);
	c->caldav_todo = as ? strcmp(as, "todo") == 0 : c->reminders_as_todo;
	if (!c->caldav_url) {
		if (c->caldav_user || c->caldav_password || c->caldav_password_command)
			config_key_problem(errors, file, text, "caldav", NULL, "[caldav] needs url (the calendar collection to push to)");
		return;
	}
	g_autofree char *bad = url_problem(c->caldav_url);
	if (bad)
		config_key_problem(errors, file, text, "caldav", "url", "%s", bad);
	if (!c->caldav_user)
		config_key_problem(errors, file, text, "caldav", NULL, "[caldav] needs user");
	if (!c->caldav_password && !c->caldav_password_command)
		config_key_problem(errors, file, text, "caldav", NULL, "[caldav] needs password_command (or password)");
	if (c->caldav_password && c->caldav_password_command)
		config_key_problem(errors, file, text, "caldav", "password",
				   "[caldav] gives both password and password_command: keep one");
}

void config_caldav_free(struct config *c)
{
	if (c->caldav_password) /* do not leave the secret in freed memory */
		memset(c->caldav_password, 0, strlen(c->caldav_password));
	g_free(c->caldav_password);
	g_free(c->caldav_url);
	g_free(c->caldav_user);
	g_free(c->caldav_password_command);
	g_free(c->caldav_send_text);
	g_free(c->caldav_reminders_as_text);
	g_free(c->calendar_vdir);
}
