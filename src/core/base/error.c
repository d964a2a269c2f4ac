/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.c - the error convention of error.h: negative errno plus a GError message. */
#include "apptrack/error.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK(apptrack-error-quark, at_error)

int at_error_set(GError **error, int r, const char *fmt, ...)
{
	g_assert(r < 0);
	if (error && !*error) {
		va_list ap;
		va_start(ap, fmt);
		g_autofree char *msg = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		g_set_error_literal(error, AT_ERROR, -r, msg);
	}
	return r;
}

static const struct {
	int err;
	const char *code;
} error_codes[] = {
	{ EINVAL, "invalid_params" },   { ENOENT, "not_found" }, { EEXIST, "conflict" },
	{ E2BIG, "too_large" },         { EBADMSG, "invalid_request" },
	{ ENOSYS, "unknown_method" },   { EBUSY, "busy" },       { ETIMEDOUT, "timeout" },
};

const char *at_error_code(int r)
{
	for (size_t i = 0; i < G_N_ELEMENTS(error_codes); i++)
		if (error_codes[i].err == -r)
			return error_codes[i].code;
	return "internal";
}

int at_error_from_code(const char *code)
{
	for (size_t i = 0; code && i < G_N_ELEMENTS(error_codes); i++)
		if (strcmp(error_codes[i].code, code) == 0)
			return -error_codes[i].err;
	return -EIO;
}
