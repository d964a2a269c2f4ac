/* feed.c - the iCalendar feed; see feed.h. */
#include "apptrack/feed.h"

#include "apptrack/error.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"
#include "apptrack/version.h"

#include <libical/ical.h>
#include <string.h>

#define REMINDER_MINUTES 15

static struct icaltimetype utc_time(const char *iso)
{
	int64_t t = 0;
	time_parse_iso(iso, &t);
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* A display alarm seconds before (negative) or after the start. */
static icalcomponent *display_alarm(int seconds, const char *text)
{
	struct icaltriggertype trigger = icaltriggertype_from_int(seconds);
	return icalcomponent_vanew(ICAL_VALARM_COMPONENT, icalproperty_new_action(ICAL_ACTION_DISPLAY),
				   icalproperty_new_trigger(trigger), icalproperty_new_description(text), (void *)0);
}

/* Common properties: UID, DTSTAMP, LAST-MODIFIED, SEQUENCE, SUMMARY. */
static void add_common(icalcomponent *c, const char *uid, const char *updated, int sequence, const char *summary)
{
	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(utc_time(updated)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(utc_time(updated)));
	icalcomponent_add_property(c, icalproperty_new_sequence(sequence));
	icalcomponent_add_property(c, icalproperty_new_summary(summary));
}

static void track_modified(const char *iso, int64_t *modified)
{
	int64_t t;
	if (iso && time_parse_iso(iso, &t) == 0 && t > *modified)
		*modified = t;
}

static int add_interviews(store *s, icalcomponent *cal, int64_t *modified, GError **error)
{
	static const char sql[] = "SELECT i.id, i.starts_at, i.ends_at, i.type, i.location, i.notes, i.sequence, "
				  "i.updated_at, a.company, a.position FROM interviews i JOIN applications a ON "
				  "a.id = i.application_id ORDER BY i.starts_at, i.id";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error), rc;

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		icalcomponent *ev = icalcomponent_new_vevent();
		g_autofree char *uid = g_strdup_printf("interview-%lld@apptrack", (long long)sqlite3_column_int64(st, 0));
		g_autofree char *type = col(st, 3) ? g_strdup_printf(" (%s)", col(st, 3)) : g_strdup("");
		g_autofree char *summary = g_strdup_printf("Interview%s: %s – %s", type, col(st, 8), col(st, 9));
		add_common(ev, uid, col(st, 7), sqlite3_column_int(st, 6), summary);
		icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(col(st, 1))));
		icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(col(st, 2))));
		if (col(st, 4)) {
			icalcomponent_add_property(ev, icalproperty_new_location(col(st, 4)));
			if (g_str_has_prefix(col(st, 4), "https://") || g_str_has_prefix(col(st, 4), "http://"))
				icalcomponent_add_property(ev, icalproperty_new_url(col(st, 4)));
		}
		if (col(st, 5))
			icalcomponent_add_property(ev, icalproperty_new_description(col(st, 5)));
		icalcomponent_add_component(ev, display_alarm(-86400, "Interview tomorrow"));
		icalcomponent_add_component(ev, display_alarm(-3600, "Interview in 1 hour"));
		icalcomponent_add_component(cal, ev);
		track_modified(col(st, 7), modified);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading interviews for the feed");
}

static int add_reminders(store *s, icalcomponent *cal, bool as_todo, int64_t *modified, GError **error)
{
	static const char sql[] = "SELECT r.id, r.kind, r.due_at, r.note, r.updated_at, a.company, a.position, r.sequence "
				  "FROM reminders r LEFT JOIN applications a ON a.id = r.application_id "
				  "WHERE r.state IN ('pending', 'snoozed') AND r.kind != 'interview' "
				  "ORDER BY r.due_at, r.id"; /* interviews carry their own alarms */
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error), rc;

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *title = reminder_title(col(st, 1));
		g_autofree char *uid = g_strdup_printf("reminder-%lld@apptrack", (long long)sqlite3_column_int64(st, 0));
		g_autofree char *summary = col(st, 5) ? g_strdup_printf("%s: %s – %s", title, col(st, 5), col(st, 6))
						      : g_strdup(title);
		int64_t due = 0;
		time_parse_iso(col(st, 2), &due);
		icalcomponent *c = as_todo ? icalcomponent_new_vtodo() : icalcomponent_new_vevent();
		add_common(c, uid, col(st, 4), sqlite3_column_int(st, 7), summary);
		icalcomponent_add_property(c, icalproperty_new_dtstart(utc_time(col(st, 2))));
		if (as_todo) {
			icalcomponent_add_property(c, icalproperty_new_due(utc_time(col(st, 2))));
			icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
		} else {
			icalcomponent_add_property(
				c, icalproperty_new_dtend(icaltime_from_timet_with_zone(
					   (time_t)(due + REMINDER_MINUTES * 60), 0, icaltimezone_get_utc_timezone())));
		}
		if (col(st, 3))
			icalcomponent_add_property(c, icalproperty_new_description(col(st, 3)));
		icalcomponent_add_component(c, display_alarm(0, summary));
		icalcomponent_add_component(cal, c);
		track_modified(col(st, 4), modified);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading reminders for the feed");
}

int feed_build(store *s, bool reminders_as_todo, char **ret_text, int64_t *ret_modified, GError **error)
{
	icalcomponent *cal = icalcomponent_vanew(
		ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
		icalproperty_new_prodid("-//apptrack//apptrack " APPTRACK_VERSION "//EN"),
		icalproperty_new_calscale("GREGORIAN"), (void *)0);
	icalproperty *name = icalproperty_new_x("apptrack");
	int64_t modified = 0;
	int r;

	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	if ((r = add_interviews(s, cal, &modified, error)) < 0 ||
	    (r = add_reminders(s, cal, reminders_as_todo, &modified, error)) < 0) {
		icalcomponent_free(cal);
		return r;
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	*ret_text = g_strdup(text);
	free(text);
	icalcomponent_free(cal);
	*ret_modified = modified;
	return 0;
}
