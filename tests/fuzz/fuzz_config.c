/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_config.c - libFuzzer harness: apptrack.conf. The input is written to
 * apptrack.conf (mode 0600: a password in a file others can read is refused) in the
 * harness's temporary directory and loaded with config_load().
 *
 * Checks config.h's promises: a failure sets an error whose lines each name
 * "FILE:LINE:"; a loaded config has its accounts (each with a name and folders, IMAP or
 * Maildir) and at most CONFIG_INTERVIEW_ALARMS_MAX interview alarms. */
#include "apptrack/config.h"

#include "fuzz.h"

#include <string.h>

static const char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	path = fuzz_input("apptrack.conf");
	return 0;
}

static void check_config(const struct config *c)
{
	FUZZ_CHECK(c->accounts != NULL && c->path != NULL && strcmp(c->path, path) == 0);
	FUZZ_CHECK(c->database != NULL && c->calendar_file != NULL);
	FUZZ_CHECK(c->n_interview_before <= CONFIG_INTERVIEW_ALARMS_MAX);
	for (guint i = 0; i < c->accounts->len; i++) {
		const struct account *a = c->accounts->pdata[i];
		FUZZ_CHECK(a->name != NULL && *a->name && a->folders != NULL);
		FUZZ_CHECK((a->host != NULL) != (a->maildir != NULL));
		FUZZ_CHECK(!a->host || (a->user && (a->password || a->password_command) && a->port >= 1 && a->port <= 65535));
		FUZZ_CHECK(a->since > 0 && a->poll_interval > 0);
		struct account *copy = account_dup(a);
		account_free(copy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c = NULL;
	GError *error = NULL;

	fuzz_write(path, data, size);
	if (config_load(path, &c, &error) < 0) {
		FUZZ_CHECK(error != NULL && c == NULL);
		fuzz_check_problems(error, path);
		g_error_free(error);
		return 0;
	}
	FUZZ_CHECK(error == NULL && c != NULL);
	check_config(c);
	config_free(c);
	return 0;
}
