/* config_internal.h - what config.c shares with config_caldav.c, its [caldav] checks. */
#ifndef APPTRACK_CONFIG_INTERNAL_H
#define APPTRACK_CONFIG_INTERNAL_H

#include "apptrack/config.h"

/* "localhost", or an address literal in 127.0.0.0/8 or ::1 (brackets allowed). */
bool config_is_loopback(const char *host);
/* Checks the [caldav] keys together (file, text: where they were read, or NULL) and computes
 * caldav_send and caldav_todo; problems go to errors as "FILE:LINE: message". */
void config_caldav_check(struct config *config, const char *file, const char *text, GString *errors);
/* Frees the [caldav] and [calendar] vdir fields, the password overwritten first. */
void config_caldav_free(struct config *config);

#endif
