/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mail_kind.c - the names of the kinds of mail (rules.h's enum mail_kind): naming a kind
 * and parsing a name.
 *
 * Apart from rules.c so that it needs GLib alone: apptrackctl parses `learn KIND` and
 * `review apply --kind` with it and links the small base library, not the mail modules.
 */
#include "apptrack/rules.h"

#include "apptrack/error.h"

static const char *const kind_names[MAIL_KIND_COUNT] = {
	"confirmation", "rejection", "interview", "assessment", "offer", "recruiter", "noise",
};

const char *mail_kind_name(enum mail_kind kind)
{
	return (unsigned)kind < MAIL_KIND_COUNT ? kind_names[kind] : NULL;
}

int mail_kind_parse(const char *name, enum mail_kind *ret_kind, GError **error)
{
	for (int k = 0; name && k < MAIL_KIND_COUNT; k++)
		if (g_ascii_strcasecmp(name, kind_names[k]) == 0) {
			*ret_kind = (enum mail_kind)k;
			return 0;
		}
	return at_error_set(error, -EINVAL,
			    "unknown kind \"%s\" (use confirmation, rejection, interview, assessment, offer, recruiter or "
			    "noise)",
			    name ? name : "");
}
