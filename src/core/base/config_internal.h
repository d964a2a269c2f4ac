/* config_internal.h - what config.c shares with config_account.c and config_caldav.c, its
 * checks across an account's and [caldav]'s keys. */
#ifndef APPTRACK_CONFIG_INTERNAL_H
#define APPTRACK_CONFIG_INTERNAL_H

#include "apptrack/config.h"

/* "localhost", or an address literal in 127.0.0.0/8 or ::1 (brackets allowed). */
bool config_is_loopback(const char *host);
/* Checks account a's keys together (section: its group; port_set, tls_set, auth_set: whether
 * the file gave those keys) and gives it the port its tls implies; problems go to errors. */
void config_account_check(struct account *a, const char *text, const char *file, const char *section, bool port_set,
			  bool tls_set, bool auth_set, GString *errors);
/* Checks the [caldav] keys together (file, text: where they were read, or NULL) and computes
 * caldav_send and caldav_todo; problems go to errors as "FILE:LINE: message". */
void config_caldav_check(struct config *config, const char *file, const char *text, GString *errors);
/* Frees the [caldav] and [calendar] vdir fields, the password overwritten first. */
void config_caldav_free(struct config *config);

#endif
