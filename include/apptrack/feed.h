/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feed.h - the iCalendar feed (RFC 5545) of interviews and open reminders, built with libical,
 * and the cache that rebuilds only the items that changed.
 *
 * Interviews are VEVENTs (UID interview-ID@apptrack, DTSTART/DTEND in UTC, SUMMARY with the
 * company and position, LOCATION, URL when the place is a link, DESCRIPTION from the notes,
 * SEQUENCE from the interview's change counter, DTSTAMP/LAST-MODIFIED its last change) with
 * two display alarms, 1 day and 1 hour before. Pending and snoozed reminders are VEVENTs of
 * 15 minutes at their due time with an alarm at the start, or VTODOs with DUE and the same
 * alarm (UID reminder-ID@apptrack). libical does the escaping and the line folding.
 *
 * What is in it (apptrack.conf(5), [calendar]): every interview ahead and those that started
 * within FEED_PAST_DAYS; the FEED_REMINDERS_AHEAD open reminders due next and those overdue
 * by at most FEED_OVERDUE_DAYS; of the past ones, of each kind, at most the FEED_HISTORY_MAX
 * latest (items at the same time are counted by id).
 * Interviews first, by start, then reminders, by due time.
 *
 * The cache (struct feed) keeps each item's text with a hash of every column it was made
 * from - the item's SEQUENCE and updated_at, the application's company, position and
 * updated_at among them - and the reminders_as setting; an item is made again only when
 * that hash changes. Items no longer in the feed are dropped, so the cache holds what the
 * feed shows and no more. A struct feed is used by one thread at a time.
 *
 * The same items, each a VCALENDAR of its own (the feed's head, the one VEVENT or VTODO,
 * END:VCALENDAR; times are UTC, so no VTIMEZONE), are the resources of the vdir and of the
 * CalDAV collection (feed_resources()): the three outputs are made of one text per item and
 * cannot drift apart. A resource is named by its UID with every byte but ASCII letters,
 * digits, '-', '_' and '.' made '_', and ".ics" added: interview-12@apptrack is
 * interview-12_apptrack.ics.
 */
#ifndef APPTRACK_FEED_H
#define APPTRACK_FEED_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "apptrack/store.h"

#define FEED_PAST_DAYS 90         /* interviews that started this many days ago at most */
#define FEED_OVERDUE_DAYS 14      /* open reminders overdue by this many days at most */
#define FEED_HISTORY_MAX 500      /* of the past interviews, and of the overdue reminders: the latest */
#define FEED_REMINDERS_AHEAD 1000 /* open reminders due from now on: the soonest */

struct feed;

/* What one feed_update() did. */
struct feed_stats {
	unsigned items; /* in the feed */
	unsigned made;  /* of them, made anew (not in the cache, or changed) */
	size_t bytes;   /* the feed's length */
};

/* The kinds of items, for feed_resources() (the bits of [caldav] send, config.h). */
#define FEED_INTERVIEWS 1u
#define FEED_REMINDERS 2u

/* One item as a calendar resource of its own. */
struct feed_resource {
	char *name;    /* feed_resource_name() of its UID */
	char *text;    /* BEGIN:VCALENDAR ... END:VCALENDAR\r\n */
	size_t len;
	char hash[65]; /* SHA-256 of text, in hex: the item changed when it changed */
};

/* A resource of name and text (both taken, g_malloc'd; text len bytes plus a NUL), its hash
 * computed. feed_resource_free() frees it (a GDestroyNotify; NULL is fine). */
struct feed_resource *feed_resource_new(char *name, char *text, size_t len);
void feed_resource_free(gpointer r);

struct feed *feed_new(void);
void feed_free(struct feed *f);

/* Reads s in one read transaction and builds the feed as of now (Unix seconds), reusing the
 * cached text of every unchanged item. *ret_text (g_bytes_unref) gets the calendar text,
 * *ret_modified the latest change of anything in it (0 when empty), *ret_stats (may be
 * NULL) what it did. On failure the cache is as before. */
int feed_update(struct feed *f, store *s, bool reminders_as_todo, int64_t now, GBytes **ret_text,
		 int64_t *ret_modified, struct feed_stats *ret_stats, GError **error);

/* The items of the last successful feed_update(), in the feed's order, of the kinds asked
 * (FEED_INTERVIEWS | FEED_REMINDERS): a new GPtrArray of struct feed_resource *, which frees
 * them. Empty before the first update. */
GPtrArray *feed_resources(struct feed *f, unsigned kinds);
/* The resource (file) name of a UID, see above. g_free. */
char *feed_resource_name(const char *uid);
/* Whether name is one feed_resource_name() gives for apptrack's items: the vdir and the
 * CalDAV collection remove only such resources. */
bool feed_is_resource_name(const char *name);

/* One build without a cache: feed_update() on a new struct feed. *ret_text: g_free. */
int feed_build(store *s, bool reminders_as_todo, int64_t now, char **ret_text, int64_t *ret_modified,
	       GError **error);

#endif
