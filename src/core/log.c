/* log.c - stderr with sd-daemon "<N>" priority prefixes, or syslog after daemonizing. */
#include "apptrack/log.h"

#include "apptrack/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

static enum log_level log_max = LOG_LEVEL_INFO;
static bool log_syslog;

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
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

static void log_emit(enum log_level level, const char *suffix, const char *fmt, va_list ap)
{
	int saved_errno = errno;

	if (level > log_max) {
		errno = saved_errno;
		return;
	}
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	if (log_syslog) {
		syslog((int)level, "%s%s%s", msg, suffix ? ": " : "", suffix ? suffix : "");
	} else {
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
		const char *suffix = (with_errno) ? g_strerror(errno) : NULL;            \
		va_list ap;                                                              \
		va_start(ap, fmt);                                                       \
		log_emit(level, suffix, fmt, ap);                                        \
		va_end(ap);                                                              \
	}

LOG_FN(log_warn, LOG_LEVEL_WARNING, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_FN(log_error, LOG_LEVEL_ERR, 0)
