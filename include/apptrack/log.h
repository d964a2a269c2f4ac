/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.h - the daemon's tiny logging API (after OpenBSD's log.c).
 *
 * Lines go to stderr with a "<N>" priority prefix that journald understands
 * (sd-daemon(3)); to the journal itself, with structured fields, once log_to_journal()
 * found stderr connected to it; or to syslog once log_to_syslog() was called (after
 * daemonizing). log_warn() appends ": strerror(errno)" (and ERRNO= in the journal);
 * log_warnx() does not. All of them preserve errno. Never pass a password or other
 * secret to any of these.
 */
#ifndef APPTRACK_LOG_H
#define APPTRACK_LOG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum log_level { LOG_LEVEL_ERR = 3, LOG_LEVEL_WARNING = 4, LOG_LEVEL_INFO = 6, LOG_LEVEL_DEBUG = 7 };

/* Journal fields of a message: APPTRACK_ACCOUNT= and APPTRACK_APPLICATION_ID=. Either may
 * be unset (NULL, 0); the account defaults to the thread's (log_thread_account()). */
struct log_fields {
	const char *account;
	int64_t application_id;
};

/* Messages above this level are dropped. Default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
/* Parses "error", "warning", "info", "debug"; returns -EINVAL for anything else. */
int log_level_parse(const char *text, enum log_level *ret_level);
/* Send further messages to syslog(3) under ident (stderr is gone after daemonizing).
 * Does nothing once messages go to the journal. */
void log_to_syslog(const char *ident);
/* When $JOURNAL_STREAM names stderr (systemd connected it to the journal), send further
 * messages to the journal natively under SYSLOG_IDENTIFIER=ident, with their fields.
 * Returns whether it does. */
bool log_to_journal(const char *ident);
/* Tags every further message of the calling thread with this account (borrowed: it must
 * outlive the tagging; NULL ends it). */
void log_thread_account(const char *account);

void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Priority "err"; does not exit. */
void log_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* At level, with journal fields (fields may be NULL). */
void log_with(enum log_level level, const struct log_fields *fields, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif
