/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mailapply_invite.c - what the calendar invitation of a mail (mime.h: calendar) does to
 * the interviews, as mailapply.c applies the mail: the invitation is read here
 * (invitation.h), and the interview set, moved or cancelled through interviews.c. No SQL:
 * the tables are their owners'.
 *
 * An invitation whose UID is known goes to its interview whatever the mail's kind says
 * (an update or a cancellation often reads like nothing in particular); a new one is
 * linked to the application that the mail itself is applied to (mailapply.c).
 */
#include "apptrack/error.h"
#include "apptrack/interviews.h"
#include "apptrack/timeutil.h"
#include "mailapply_internal.h"

char *mailapply_invite_read(const struct mime_message *m, struct invitation **ret_inv)
{
	g_autoptr(GError) error = NULL;

	*ret_inv = NULL;
	if (m->calendar_refused)
		return g_strdup_printf("invitation: the calendar part is larger than %zu KiB",
				       (size_t)MIME_MAX_CALENDAR >> 10);
	if (!m->calendar)
		return NULL;
	/* a recurring invitation: its first occurrence still ahead (mail read late, or again,
	 * is about the series as it stands now), and never one before the mail was sent */
	if (invitation_parse(m->calendar, m->calendar_len, MAX(m->date, time_now()), ret_inv, &error) < 0)
		return g_strdup(error->message);
	if ((*ret_inv)->method == INVITATION_OTHER) /* a REPLY, a COUNTER...: not an invitation */
		g_clear_pointer(ret_inv, invitation_free);
	return NULL;
}

int mailapply_invite_known(const struct pipeline *p, const struct invitation *inv, enum apply_outcome *ret_outcome,
			   int64_t *ret_app_id, GError **error)
{
	enum interview_invite_change change;
	int64_t id, app_id, seq;
	int r;

	*ret_app_id = 0;
	if ((r = interviews_by_invite(p->store, inv->uid, &id, &app_id, &seq, error)) < 0 || !id)
		return r;
	if (inv->method == INVITATION_CANCEL)
		r = interviews_cancel_invite(p, inv, &change, NULL, &app_id, error);
	else
		r = interviews_from_invite(p, app_id, inv, &change, NULL, &app_id, error);
	if (r < 0)
		return r;
	*ret_app_id = app_id;
	*ret_outcome = change == INVITE_UNCHANGED ? APPLY_UNCHANGED : APPLY_UPDATED;
	return 0;
}

int mailapply_invite_apply(const struct pipeline *p, int64_t app_id, const struct invitation *inv,
			   enum apply_outcome *ret_outcome, GError **error)
{
	enum interview_invite_change change;
	char last[TIME_ISO_LEN];

	if (!inv || inv->method != INVITATION_REQUEST)
		return 0;
	if (inv->all_past) {
		/* nothing ahead to attend: the timeline says why no interview came of it */
		g_autofree char *text = g_strdup_printf("invitation \"%s\" recurs %s, but its last occurrence (%s) is "
							"past: no interview added",
							inv->summary ? inv->summary : inv->uid, inv->recurs,
							time_format_iso(inv->starts_at, last));
		return pipeline_event(p, app_id, "interview", NULL, NULL, text, NULL, error);
	}
	int r = interviews_from_invite(p, app_id, inv, &change, NULL, NULL, error);
	if (r < 0)
		return r;
	if (change != INVITE_UNCHANGED && *ret_outcome == APPLY_UNCHANGED)
		*ret_outcome = APPLY_UPDATED;
	return 0;
}
