/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - apptrackctl: global options, the output backend, errors and exit statuses,
 * and calls to the daemon.
 *
 * Global options may come anywhere before the command; --json is also accepted after it,
 * since scripts tend to append it. --json chooses the output backend (output.h) once,
 * here. The command table and the dispatcher live in commands.c.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/error.h"
#include "apptrack/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ctl_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("apptrackctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int ctl_usage(struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "apptrackctl: %s%s: ", ctl->prefix, ctl->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: apptrackctl %s%s %s\n", ctl->prefix, ctl->cmd->name, ctl->cmd->usage);
	return CTL_USAGE;
}

int ctl_call(struct ctl *ctl, const char *method, json_t *params, json_t **ret_result, json_t **ret_data)
{
	g_autoptr(GError) error = NULL;
	int r;

	if (!ctl->client && client_connect(ctl->socket, &ctl->client, &error) < 0) {
		json_decref(params);
		return ctl_fail(CTL_USAGE, "%s", error->message);
	}
	r = client_call(ctl->client, method, params, ret_result, ret_data, &error);
	json_decref(params);
	if (r < 0)
		return ctl_fail(error->domain == AT_REMOTE_ERROR ? CTL_REMOTE : CTL_USAGE, "%s", error->message);
	return CTL_OK;
}

int ctl_call_text(struct ctl *ctl, const char *method, json_t *params, char **ret_text, size_t *ret_len)
{
	g_autoptr(GError) error = NULL;
	int r;

	if (!ctl->client && client_connect(ctl->socket, &ctl->client, &error) < 0) {
		json_decref(params);
		return ctl_fail(CTL_USAGE, "%s", error->message);
	}
	r = client_call_text(ctl->client, method, params, OUT_JSON_INDENT, ret_text, ret_len, NULL, &error);
	json_decref(params);
	if (r < 0)
		return ctl_fail(error->domain == AT_REMOTE_ERROR ? CTL_REMOTE : CTL_USAGE, "%s", error->message);
	return CTL_OK;
}

static void print_usage(FILE *out)
{
	fprintf(out, "usage: apptrackctl [--json] [--socket PATH] COMMAND [ARGS...]\n"
		     "       apptrackctl help [COMMAND]\n\n"
		     "Global options:\n"
		     "  --json          print results as JSON, for scripts\n"
		     "  --socket PATH   apptrackd's control socket (default $APPTRACK_SOCKET,\n"
		     "                  else $XDG_RUNTIME_DIR/apptrack/control.sock)\n"
		     "  -h, --help      show this help\n"
		     "  -V, --version   show the version\n\n"
		     "Commands:\n");
	ctl_print_help(ctl_commands, "");
}

int main(int argc, char **argv)
{
	struct ctl ctl = { .out = &output_table, .prefix = "" };
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	int status;
	bool in_command = false;

	/* global options before the command; --json anywhere before a bare "--" */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0 && in_command) {
			for (; i < argc; i++)
				g_ptr_array_add(args, argv[i]);
			break;
		}
		if (strcmp(a, "--json") == 0) {
			ctl.out = &output_json;
			continue;
		}
		if (!in_command) {
			if (strcmp(a, "--socket") == 0) {
				if (i + 1 >= argc)
					return ctl_fail(CTL_USAGE, "--socket needs a path");
				ctl.socket = argv[++i];
				continue;
			}
			if (g_str_has_prefix(a, "--socket=")) {
				ctl.socket = a + strlen("--socket=");
				continue;
			}
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				print_usage(stdout);
				return CTL_OK;
			}
			if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
				printf("apptrackctl %s\n", APPTRACK_VERSION);
				return CTL_OK;
			}
			if (a[0] == '-')
				return ctl_fail(CTL_USAGE, "unknown option \"%s\" (try: apptrackctl --help)", a);
			in_command = true;
		}
		g_ptr_array_add(args, (char *)a);
	}
	if (args->len == 0) {
		print_usage(stderr);
		return CTL_USAGE;
	}
	g_ptr_array_add(args, NULL);
	status = ctl_dispatch(&ctl, ctl_commands, "", (int)args->len - 1, (char **)args->pdata);
	client_free(ctl.client);
	return status;
}
