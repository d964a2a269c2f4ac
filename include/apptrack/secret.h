/* SPDX-License-Identifier: GPL-3.0-or-later */
/* secret.h - getting a mail password from the user's password_command.
 *
 * The command runs through /bin/sh at every login, with no input; the first line of its
 * standard output is the password. Its output and the password never appear in a message,
 * a log line or the database: errors say only what went wrong with the command.
 */
#ifndef APPTRACK_SECRET_H
#define APPTRACK_SECRET_H

#include <glib.h>
#include <stdbool.h>

#define SECRET_TIMEOUT_MS 30000  /* a command that takes longer (a locked keyring) is killed */
#define SECRET_MAX_OUTPUT 4096   /* bytes read from the command */

/* Runs command; *ret_password (free with secret_free) gets the first line of its output.
 * timeout_ms <= 0 means SECRET_TIMEOUT_MS. Fails with -ETIMEDOUT, -ENOEXEC (the command
 * failed; the message gives its exit status and, when the command wrote any, that it
 * wrote to stderr), or -ENODATA (no password in the output). */
int secret_from_command(const char *command, int timeout_ms, char **ret_password, GError **error);
/* Overwrites and frees a password. NULL is fine. */
void secret_free(char *password);
/* The password of a setting that has either password (itself, or NULL) or command (a
 * password_command, run here): *ret_password (secret_free) is a copy, or the first line
 * the command printed; "" when there is neither. Errors name password_command. */
int secret_get(const char *password, const char *command, char **ret_password, GError **error);
/* Whether text equals the secret, in a time that tells nothing of how much of it matched
 * (only the secret's length sets it). */
bool secret_equal(const char *text, const char *secret);

#endif
