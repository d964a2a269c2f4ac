/* feed.h - the iCalendar feed (RFC 5545) of interviews and open reminders, built with libical.
 *
 * Interviews are VEVENTs (UID interview-ID@apptrack, DTSTART/DTEND in UTC, SUMMARY with the
 * company and position, LOCATION, URL when the place is a link, DESCRIPTION from the notes,
 * SEQUENCE from the interview's change counter, DTSTAMP/LAST-MODIFIED its last change) with
 * two display alarms, 1 day and 1 hour before. Pending and snoozed reminders are VEVENTs of
 * 15 minutes at their due time with an alarm at the start, or VTODOs with DUE and the same
 * alarm (UID reminder-ID@apptrack). libical does the escaping and the line folding.
 */
#ifndef APPTRACK_FEED_H
#define APPTRACK_FEED_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/store.h"

/* Builds the feed. *ret_text (g_free) gets the calendar text, *ret_modified the latest
 * change of anything in it (0 when empty). */
int feed_build(store *s, bool reminders_as_todo, char **ret_text, int64_t *ret_modified, GError **error);

#endif
