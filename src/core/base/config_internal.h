/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_internal.h - what config.c shares with config_account.c, config_caldav.c and
 * config_web.c, its checks across an account's, [caldav]'s and [web]'s keys. */
#ifndef APPTRACK_CONFIG_INTERNAL_H
#define APPTRACK_CONFIG_INTERNAL_H

#include "apptrack/config.h"
#include "apptrack/text.h"

/* Appends one problem: "FILE:LINE: message", or only the message for a problem that does
 * not come from a file (file NULL: the environment). */
void config_problem(GString *errors, const char *file, unsigned line, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* The same for a key of section: the line is the key's in text (file's text). */
#define config_key_problem(errors, file, text, section, key, ...) \
	config_problem((errors), (file), (file) ? text_ini_line((text), (section), (key)) : 0, __VA_ARGS__)
/* "localhost", or an address literal in 127.0.0.0/8 or ::1 (brackets allowed). */
bool config_is_loopback(const char *host);
/* ADDRESS:PORT, or off (NULL) into *ret_listen (replacing it): the one check of a listen
 * value, for the keys and the environment variables. On failure returns what was expected (static). */
const char *config_listen_parse(const char *value, char **ret_listen);
/* ADDRESS:PORT with a loopback ADDRESS. */
bool config_is_loopback_listen(const char *listen);
/* Checks account a's keys together (section: its group; port_set, tls_set, auth_set: whether
 * the file gave those keys) and gives it the port its tls implies; problems go to errors. */
void config_account_check(struct account *a, const char *text, const char *file, const char *section, bool port_set,
			  bool tls_set, bool auth_set, GString *errors);
/* Checks the [caldav] keys together (file, text: where they were read, or NULL) and computes
 * caldav_send and caldav_todo; problems go to errors as "FILE:LINE: message". */
void config_caldav_check(struct config *config, const char *file, const char *text, GString *errors);
/* Frees the [caldav] and [calendar] vdir fields, the password overwritten first. */
void config_caldav_free(struct config *config);

/* Sets web_address from CONFIG_WEB_LISTEN_ENV or [web] listen and checks the [web] keys
 * together (file, text: where they were read, or NULL); problems go to errors. */
void config_web_check(struct config *config, const char *file, const char *text, GString *errors);
/* Frees the [web] fields. */
void config_web_free(struct config *config);

#endif
