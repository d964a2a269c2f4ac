/* log.h - the daemon's tiny logging API (after OpenBSD's log.c).
 *
 * Lines go to stderr with a "<N>" priority prefix that journald understands
 * (sd-daemon(3)), or to syslog once log_to_syslog() was called (after daemonizing).
 * log_warn() appends ": strerror(errno)"; log_warnx() does not. All of them preserve
 * errno. Never pass a password or other secret to any of these.
 */
#ifndef APPTRACK_LOG_H
#define APPTRACK_LOG_H

#include <glib.h>
#include <stdbool.h>

enum log_level { LOG_LEVEL_ERR = 3, LOG_LEVEL_WARNING = 4, LOG_LEVEL_INFO = 6, LOG_LEVEL_DEBUG = 7 };

/* Messages above this level are dropped. Default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
/* Parses "error", "warning", "info", "debug"; returns -EINVAL for anything else. */
int log_level_parse(const char *text, enum log_level *ret_level);
/* Send further messages to syslog(3) under ident (stderr is gone after daemonizing). */
void log_to_syslog(const char *ident);

void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Priority "err"; does not exit. */
void log_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
