/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.c - apptrackctl's side of apptrack-reader, the helper that reads documents
 * (plain text, Markdown, PDF) and fetches job postings.
 *
 * apptrackctl itself links neither poppler nor libcurl, so that commands which read no
 * document load only GLib and jansson; the few that do run the helper (src/reader/main.c
 * states its interface) and take its output. The helper is looked for next to this
 * program (the build tree), then in the libexec directory relative to it (an installed
 * tree, wherever its prefix was moved), then in the libexec directory configured at build
 * time. Messages stay what they were: "apptrackctl: CMD: <the helper's one line>", exit 2.
 */
#include "ctl.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef APPTRACK_READER_NAME
#define APPTRACK_READER_NAME "apptrack-reader"
#endif

/* The helper's path (g_free), or NULL when none is found. */
static char *reader_path(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = self ? g_path_get_dirname(self) : NULL;
	char *path;

	if (dir) {
		path = g_build_filename(dir, APPTRACK_READER_NAME, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
			return path;
		g_free(path);
#ifdef APPTRACK_READER_RELATIVE
		path = g_build_filename(dir, APPTRACK_READER_RELATIVE, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
			return path;
		g_free(path);
#endif
	}
#ifdef APPTRACK_READER_INSTALLED
	if (g_file_test(APPTRACK_READER_INSTALLED, G_FILE_TEST_IS_EXECUTABLE))
		return g_strdup(APPTRACK_READER_INSTALLED);
#endif
	return NULL;
}

/* Runs the helper on what (document|url) and arg; on success *ret_out gets its stdout. */
static int run_reader(struct ctl *ctl, const char *what, const char *arg, char **ret_out, gsize *ret_len)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = reader_path(), *out = NULL;
	int status = 0;

	if (!path)
		return ctl_fail(CTL_USAGE, "%s%s: cannot find %s, the helper that reads documents (is apptrack fully installed?)",
				ctl->prefix, ctl->cmd->name, APPTRACK_READER_NAME);
	char *argv[] = { path, (char *)what, (char *)arg, NULL };
	fflush(stdout);
	/* stderr is shared: what poppler or curl print reaches the user as before */
	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
			  &out, NULL, &status, &error))
		return ctl_fail(CTL_USAGE, "%s%s: cannot run %s: %s", ctl->prefix, ctl->cmd->name, path, error->message);
	gsize len = strlen(out);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && len > 0) {
		g_strchomp(out);
		return ctl_fail(CTL_USAGE, "%s%s: %s", ctl->prefix, ctl->cmd->name, out);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ctl_fail(CTL_USAGE, "%s%s: %s failed on %s (%s %d)", ctl->prefix, ctl->cmd->name, APPTRACK_READER_NAME,
				arg, WIFEXITED(status) ? "exit status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	*ret_out = g_steal_pointer(&out);
	*ret_len = len;
	return CTL_OK;
}

int ctl_read_document(struct ctl *ctl, const char *path, char **ret_text)
{
	gsize len;

	return run_reader(ctl, "document", path, ret_text, &len);
}

int ctl_fetch_url(struct ctl *ctl, const char *url, char **ret_text, char **ret_final_url)
{
	g_autofree char *out = NULL;
	gsize len;
	int r = run_reader(ctl, "url", url, &out, &len);
	char *nl;

	if (r != CTL_OK)
		return r;
	if (!(nl = strchr(out, '\n')))
		return ctl_fail(CTL_USAGE, "%s%s: %s gave no URL for %s", ctl->prefix, ctl->cmd->name, APPTRACK_READER_NAME,
				url);
	*ret_final_url = g_strndup(out, (gsize)(nl - out));
	*ret_text = g_strdup(nl + 1);
	return CTL_OK;
}
