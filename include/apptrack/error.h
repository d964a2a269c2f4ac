/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.h - the one error convention of apptrack.
 *
 * Every fallible function returns 0 on success or a negative errno value, and when it
 * fails it also sets a GError (domain AT_ERROR, code = the positive errno) whose message
 * is the one line a user sees: it names the thing and, where there is one, the fix.
 * Output parameters are named ret_* and are left untouched on failure.
 *
 * The errno values used, and what the control protocol calls them:
 *   -EINVAL  invalid_params   bad value, missing or unknown field
 *   -ENOENT  not_found        the id or file names nothing
 *   -EEXIST  conflict         clashes with stored state
 *   -E2BIG   too_large        over a size or count limit
 *   -EBADMSG invalid_request  malformed protocol input
 *   -ENOSYS  unknown_method
 *   -EBUSY   busy             too many connections
 *   anything else: internal (database or I/O failure; detail logged once)
 */
#ifndef APPTRACK_ERROR_H
#define APPTRACK_ERROR_H

#include <errno.h>
#include <glib.h>

#define AT_ERROR (at_error_quark())
GQuark at_error_quark(void);

/* Sets *error (if error is non-NULL and not yet set) to a printf-formatted message with
 * code -r, and returns r (which must be negative). */
int at_error_set(GError **error, int r, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Protocol error code for a negative errno ("not_found", "internal", ...). Static string. */
const char *at_error_code(int r);

/* Negative errno for a protocol error code; -EIO for codes it does not know. */
int at_error_from_code(const char *code);

#endif
