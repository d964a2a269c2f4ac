/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_web.c - the checks across the [web] keys: where the web page is served (
 * APPTRACK_WEB_LISTEN, else [web] listen, through config.c's one listen parser), that an
 * address other than loopback comes with both token and allowed_hosts (the page is the
 * one client that other people's pages can reach: see apptrackd(8), "Web page"), and that
 * allowed_hosts names hosts, not URLs. config.c reads the keys through its settings table. */
#include "config_internal.h"

#include "apptrack/text.h"

#include <string.h>

#define WEB_LISTEN_KEY "[web] listen"

/* A host name or address literal, maybe with :PORT: no scheme, path, user or blank. */
static bool host_ok(const char *h)
{
	return *h && !strpbrk(h, "/@ \t?#") && h[strlen(h) - 1] != ':';
}

void config_web_check(struct config *c, const char *file, const char *text, GString *errors)
{
	const char *env = g_getenv(CONFIG_WEB_LISTEN_ENV);
	bool from_env = env && *env;

	c->web_address = g_strdup(c->web_listen);
	c->web_address_from = WEB_LISTEN_KEY;
	if (from_env) {
		const char *bad = config_listen_parse(env, &c->web_address);
		if (bad) {
			config_problem(errors, NULL, 0, "%s=%s: bad value for [web] listen: %s", CONFIG_WEB_LISTEN_ENV, env,
				       bad);
			return;
		}
		c->web_address_from = CONFIG_WEB_LISTEN_ENV;
	}
	for (size_t i = 0; c->web_allowed_hosts && c->web_allowed_hosts[i]; i++)
		if (!host_ok(c->web_allowed_hosts[i]))
			config_key_problem(errors, file, text, "web", "allowed_hosts",
				"bad value \"%s\" in [web] allowed_hosts: expected a host name or address, maybe with :PORT, "
				"like tracker.lan or 192.168.1.5:7318",
				c->web_allowed_hosts[i]);
	const char *listen = c->web_address;
	bool hosts = c->web_allowed_hosts && c->web_allowed_hosts[0];
	if (!listen || config_is_loopback_listen(listen) || (c->web_token && hosts))
		return;
	const char *missing = !c->web_token && !hosts ? "token and allowed_hosts" : !c->web_token ? "token" : "allowed_hosts";
	if (from_env)
		config_problem(errors, NULL, 0,
			"%s=%s (overriding [web] listen) is not a loopback address: set [web] %s too, so that only "
			"you, by the names you choose, can use the page",
			CONFIG_WEB_LISTEN_ENV, listen, missing);
	else
		config_key_problem(errors, file, text, "web", "listen",
			"[web] listen = %s is not a loopback address: set %s too, so that only you, by the names you "
			"choose, can use the page",
			listen, missing);
}

void config_web_free(struct config *c)
{
	if (c->web_token) /* do not leave the secret in freed memory */
		memset(c->web_token, 0, strlen(c->web_token));
	g_free(c->web_token);
	g_free(c->web_listen);
	g_free(c->web_address);
	g_strfreev(c->web_allowed_hosts);
}
