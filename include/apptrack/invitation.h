/* SPDX-License-Identifier: GPL-3.0-or-later */
/* invitation.h - a calendar invitation (the text/calendar part of a mail, RFC 5545 and
 * RFC 5546 iTIP) read into a plain struct, with libical.
 *
 * The reader takes the part's bytes as mime_parse() kept them (mime.h: calendar) and
 * gives the method, the event's UID and SEQUENCE, its start and end in UTC with the TZID
 * honoured (a VTIMEZONE block of the invitation, else an Olson name, else a Windows zone
 * name as Outlook writes them: "Pacific Standard Time"), its summary, location, meeting
 * URL (Zoom, Teams, Meet, Webex...: X-GOOGLE-CONFERENCE, Teams' X-MICROSOFT-* lines,
 * LOCATION, URL, then the links of the DESCRIPTION) and organizer. A recurring event
 * (RRULE) gives its first occurrence that starts after a given time, and says that it
 * recurs. The work is bounded: INVITATION_MAX_BYTES of text, INVITATION_MAX_COMPONENTS
 * components, INVITATION_MAX_OCCURRENCES occurrences walked, no rule more frequent than
 * daily. Anything else is one clear error, never a partial result.
 */
#ifndef APPTRACK_INVITATION_H
#define APPTRACK_INVITATION_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INVITATION_MAX_BYTES ((size_t)256 << 10) /* = MIME_MAX_CALENDAR */
#define INVITATION_MAX_COMPONENTS 200           /* VEVENT, VTIMEZONE, VALARM, ... in all */
#define INVITATION_MAX_OCCURRENCES 10000        /* occurrences of a rule walked to find the next */
#define INVITATION_MAX_FIELD 1024               /* bytes kept of a summary, location, URL, organizer */
/* An event without DTEND or DURATION lasts this long (seconds). */
#define INVITATION_DEFAULT_DURATION 3600

enum invitation_method {
	INVITATION_REQUEST, /* METHOD:REQUEST, PUBLISH, or none: the event is on */
	INVITATION_CANCEL,  /* METHOD:CANCEL: the event with this UID is off */
	INVITATION_OTHER,   /* REPLY, COUNTER, REFRESH, ...: answers, not invitations */
};

struct invitation {
	enum invitation_method method;
	char *method_name; /* as written, upper case ("REQUEST"; "" when there was none) */
	char *uid;         /* never NULL */
	int64_t sequence;  /* SEQUENCE, 0 when missing */
	int64_t starts_at; /* UTC, Unix seconds; for a recurring event the next occurrence (0 for a CANCEL
			    * without DTSTART) */
	int64_t ends_at;   /* > starts_at (0 as starts_at) */
	char *summary;     /* or NULL */
	char *location;    /* LOCATION, or NULL */
	char *meeting_url; /* an http(s) URL of the online meeting, or NULL */
	char *organizer;   /* "Name <address>", "address" or "Name"; or NULL */
	bool recurring;    /* it has an RRULE */
	char *rule;        /* the RRULE as written by libical (FREQ=WEEKLY;COUNT=4), or NULL */
	char *recurs;      /* the rule for a timeline: "weekly", "every 2 weeks until 2027-01-05", ... or NULL */
	bool all_past;     /* recurring, and no occurrence starts after the time given: starts_at is the last one */
};

/* Reads the invitation in text (len bytes, UTF-8). A recurring event gives its first
 * occurrence starting after `after` (Unix seconds; mailapply gives the later of now and the mail's Date). -EINVAL with
 * one message naming the problem ("invitation: ...") for text that is not iCalendar, has
 * no VEVENT or no UID, a start that is missing or unreadable, a TZID that names no zone
 * known (in the invitation, Olson or Windows), an unusable rule; -E2BIG past the bounds
 * above. *ret: free with invitation_free(). */
int invitation_parse(const char *text, size_t len, int64_t after, struct invitation **ret, GError **error);
void invitation_free(struct invitation *inv);
typedef struct invitation invitation;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(invitation, invitation_free)

/* The Olson name of a Windows time zone name ("W. Europe Standard Time" -> "Europe/Berlin"),
 * or NULL. Static string. */
const char *invitation_windows_zone(const char *windows_name);

#endif
