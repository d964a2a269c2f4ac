/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_daemon.c - apptrackctl ping, version, watch and web: the daemon itself, whether it
 * answers, which version it is, the changes it announces as they happen, and a login link
 * to the web page it serves.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/version.h"

#include <stdio.h>

#define WATCH_FOREVER (-1)

static int cmd_ping(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	gint64 start = g_get_monotonic_time();
	int r = ctl_call(ctl, "ping", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->ping(result, (double)(g_get_monotonic_time() - start) / 1000.0);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_ping_entry = {
	.name = "ping",
	.usage = "",
	.summary = "Check that apptrackd answers",
	.exec = cmd_ping,
};

static int cmd_version(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "version", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->version(result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_version_entry = {
	.name = "version",
	.usage = "",
	.summary = "Show apptrackctl's and apptrackd's versions",
	.exec = cmd_version,
};

static int cmd_watch(struct ctl *ctl, struct opts *o)
{
	g_autoptr(GError) error = NULL;
	json_t *result = NULL, *event;
	int r = ctl_call(ctl, "watch", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	json_decref(result);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((r = client_next_event(ctl->client, WATCH_FOREVER, &event, &error)) > 0) {
		ctl->out->event(event);
		json_decref(event);
	}
	return ctl_fail(CTL_USAGE, "watch: %s", error ? error->message : "stream ended");
}

const struct command cmd_watch_entry = {
	.name = "watch",
	.usage = "",
	.summary = "Print changes as they happen",
	.exec = cmd_watch,
};

static const struct opt web_opts[] = { { "open", false, NULL, false }, { NULL, false, NULL, false } };

static int cmd_web(struct ctl *ctl, struct opts *o)
{
	g_autoptr(GError) error = NULL;
	json_t *result = NULL;
	int r = ctl_call(ctl, "web.login", NULL, &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->web(result);
	if (opt(o, "open")) {
		const char *argv[] = { "xdg-open", json_string_value(json_object_get(result, "url")), NULL };
		if (!g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
				   NULL, &error))
			r = ctl_fail(CTL_USAGE, "web: cannot run xdg-open: %s (open the link above yourself)", error->message);
	}
	json_decref(result);
	return r;
}

const struct command cmd_web_entry = {
	.name = "web",
	.usage = "[--open]",
	.summary = "A login link to the web page (single-use, good for two minutes); --open opens it",
	.opts = web_opts,
	.exec = cmd_web,
};
