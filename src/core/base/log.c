/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.c - stderr with sd-daemon "<N>" priority prefixes, the journal's native protocol
 * under systemd (sd_journal_sendv, for the structured fields), or syslog after
 * daemonizing. */
#include "apptrack/log.h"

#include "apptrack/error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#define LOG_JOURNAL_FIELDS_MAX 6

static enum log_level log_max = LOG_LEVEL_INFO;
static enum { SINK_STDERR, SINK_SYSLOG, SINK_JOURNAL } log_sink = SINK_STDERR;
static char *log_ident;
static _Thread_local const char *log_account;

void log_set_level(enum log_level level)
{
	log_max = level;
}

int log_level_parse(const char *text, enum log_level *ret_level)
{
	static const struct {
		const char *name;
		enum log_level level;
	} levels[] = { { "error", LOG_LEVEL_ERR }, { "warning", LOG_LEVEL_WARNING },
		       { "info", LOG_LEVEL_INFO }, { "debug", LOG_LEVEL_DEBUG } };

	for (size_t i = 0; text && i < G_N_ELEMENTS(levels); i++) {
		if (g_ascii_strcasecmp(text, levels[i].name) == 0) {
			*ret_level = levels[i].level;
			return 0;
		}
	}
	return -EINVAL;
}

void log_to_syslog(const char *ident)
{
	if (log_sink == SINK_JOURNAL)
		return;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_sink = SINK_SYSLOG;
}

bool log_to_journal(const char *ident)
{
	const char *stream = getenv("JOURNAL_STREAM");
	uintmax_t dev, ino;
	struct stat st;
	char end;

	/* systemd.exec(5): "device:inode" of the stream stdout/stderr were connected to */
	if (!stream || sscanf(stream, "%ju:%ju%c", &dev, &ino, &end) != 2 || fstat(STDERR_FILENO, &st) < 0 ||
	    (uintmax_t)st.st_dev != dev || (uintmax_t)st.st_ino != ino)
		return false;
	g_free(log_ident);
	log_ident = g_strdup(ident);
	log_sink = SINK_JOURNAL;
	return true;
}

void log_thread_account(const char *account)
{
	log_account = account;
}

/* Returns 0, or a negative errno when the journal did not take it. */
static int journal_send(enum log_level level, const struct log_fields *fields, int err, const char *msg,
			const char *suffix)
{
	char *parts[LOG_JOURNAL_FIELDS_MAX];
	struct iovec iov[LOG_JOURNAL_FIELDS_MAX];
	const char *account = fields && fields->account ? fields->account : log_account;
	int n = 0, r;

	parts[n++] = g_strdup_printf("MESSAGE=%s%s%s", msg, suffix ? ": " : "", suffix ? suffix : "");
	parts[n++] = g_strdup_printf("PRIORITY=%d", (int)level);
	parts[n++] = g_strdup_printf("SYSLOG_IDENTIFIER=%s", log_ident);
	if (suffix)
		parts[n++] = g_strdup_printf("ERRNO=%d", err);
	if (account)
		parts[n++] = g_strdup_printf("APPTRACK_ACCOUNT=%s", account);
	if (fields && fields->application_id > 0)
		parts[n++] = g_strdup_printf("APPTRACK_APPLICATION_ID=%" PRId64, fields->application_id);
	for (int i = 0; i < n; i++)
		iov[i] = (struct iovec){ .iov_base = parts[i], .iov_len = strlen(parts[i]) };
	r = sd_journal_sendv(iov, n);
	for (int i = 0; i < n; i++)
		g_free(parts[i]);
	return r;
}

static void log_emit(enum log_level level, const struct log_fields *fields, bool with_errno, const char *fmt,
		     va_list ap) G_GNUC_PRINTF(4, 0);
static void log_emit(enum log_level level, const struct log_fields *fields, bool with_errno, const char *fmt,
		     va_list ap)
{
	int saved_errno = errno;
	const char *suffix = with_errno ? g_strerror(saved_errno) : NULL;

	if (level > log_max) {
		errno = saved_errno;
		return;
	}
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	if (log_sink == SINK_SYSLOG) {
		syslog((int)level, "%s%s%s", msg, suffix ? ": " : "", suffix ? suffix : "");
	} else if (log_sink != SINK_JOURNAL || journal_send(level, fields, saved_errno, msg, suffix) < 0) {
		/* one write per line keeps concurrent lines whole */
		g_autofree char *line = g_strdup_printf("<%d>%s%s%s\n", (int)level, msg,
						       suffix ? ": " : "", suffix ? suffix : "");
		fputs(line, stderr);
		fflush(stderr);
	}
	errno = saved_errno;
}

#define LOG_FN(name, level, with_errno)                                                  \
	void name(const char *fmt, ...)                                                  \
	{                                                                                \
		va_list ap;                                                              \
		va_start(ap, fmt);                                                       \
		log_emit(level, NULL, with_errno, fmt, ap);                              \
		va_end(ap);                                                              \
	}

LOG_FN(log_warn, LOG_LEVEL_WARNING, true)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, false)
LOG_FN(log_info, LOG_LEVEL_INFO, false)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, false)
LOG_FN(log_error, LOG_LEVEL_ERR, false)

void log_with(enum log_level level, const struct log_fields *fields, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(level, fields, false, fmt, ap);
	va_end(ap);
}
