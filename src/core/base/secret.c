/* SPDX-License-Identifier: GPL-3.0-or-later */
/* secret.c - running password_command (see secret.h). */
#include "apptrack/secret.h"

#include "apptrack/error.h"

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void secret_free(char *password)
{
	if (!password)
		return;
	memset(password, 0, strlen(password));
	g_free(password);
}

int secret_get(const char *password, const char *command, char **ret_password, GError **error)
{
	g_autoptr(GError) e = NULL;

	if (!command) {
		*ret_password = g_strdup(password ? password : "");
		return 0;
	}
	int r = secret_from_command(command, 0, ret_password, &e);
	if (r < 0)
		return at_error_set(error, r, "%s%s", g_str_has_prefix(e->message, "password_command") ? "" :
				    "password_command: ", e->message);
	return 0;
}

bool secret_equal(const char *text, const char *secret)
{
	size_t n = strlen(text), m = strlen(secret);
	unsigned char diff = n != m;

	for (size_t i = 0; i < m; i++)
		diff |= (unsigned char)(secret[i] ^ (i < n ? text[i] : '\0'));
	return diff == 0;
}

int secret_from_command(const char *command, int timeout_ms, char **ret_password, GError **error)
{
	const char *argv[] = { "/bin/sh", "-c", command, NULL };
	g_autoptr(GError) spawn_error = NULL;
	char buf[SECRET_MAX_OUTPUT + 1];
	size_t len = 0;
	int out_fd = -1, err_fd = -1, status = 0, r = 0;
	bool wrote_stderr = false, timed_out = false;
	GPid pid;

	if (!command || !*command)
		return at_error_set(error, -EINVAL, "password_command is empty");
	if (timeout_ms <= 0)
		timeout_ms = SECRET_TIMEOUT_MS;
	if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
				      &out_fd, &err_fd, &spawn_error))
		return at_error_set(error, -ENOEXEC, "password_command could not be started: %s", spawn_error->message);

	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	struct pollfd fds[2] = { { .fd = out_fd, .events = POLLIN }, { .fd = err_fd, .events = POLLIN } };
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		if (left <= 0) {
			timed_out = true;
			break;
		}
		int n = poll(fds, 2, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char junk[256];
			ssize_t got = i == 0 ? read(fds[i].fd, buf + len, SECRET_MAX_OUTPUT - len)
					     : read(fds[i].fd, junk, sizeof(junk));
			if (got > 0 && i == 0)
				len += (size_t)got;
			if (got > 0 && i == 1)
				wrote_stderr = true;
			if (got <= 0 || (i == 0 && len >= SECRET_MAX_OUTPUT)) {
				close(fds[i].fd);
				fds[i].fd = -1;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(pid);
	buf[len] = '\0';

	if (timed_out)
		r = at_error_set(error, -ETIMEDOUT, "password_command did not finish within %d s, killed it",
				 timeout_ms / 1000);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = at_error_set(error, -ENOEXEC, "password_command failed (%s %d)%s",
				 WIFEXITED(status) ? "exit status" : "signal",
				 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				 wrote_stderr ? "; it wrote to stderr, run it by hand to see why" : "");
	else {
		size_t line = strcspn(buf, "\r\n");
		if (line == 0)
			r = at_error_set(error, -ENODATA, "password_command printed no password on its first line");
		else
			*ret_password = g_strndup(buf, line);
	}
	memset(buf, 0, sizeof(buf));
	return r;
}
