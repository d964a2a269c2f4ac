/* SPDX-License-Identifier: GPL-3.0-or-later */
/* invitation.c - a calendar invitation read with libical into struct invitation (see
 * invitation.h): the method, the event, its time zone, its recurrence, its meeting link
 * and organizer. The Windows zone names are invitation_zones.c's. Nothing here touches
 * the database.
 */
#include "apptrack/invitation.h"

#include "apptrack/error.h"

#include <libical/ical.h>
#include <string.h>

#define MAX_EXDATES 1000 /* EXDATE values honoured */

void invitation_free(struct invitation *inv)
{
	if (!inv)
		return;
	g_free(inv->method_name);
	g_free(inv->uid);
	g_free(inv->summary);
	g_free(inv->location);
	g_free(inv->meeting_url);
	g_free(inv->organizer);
	g_free(inv->rule);
	g_free(inv->recurs);
	g_free(inv);
}

/* s made valid UTF-8, whitespace-trimmed, cut to INVITATION_MAX_FIELD bytes on a character
 * boundary; NULL for NULL or empty. g_free. */
static char *field(const char *s)
{
	if (!s)
		return NULL;
	char *v = g_strstrip(g_utf8_make_valid(s, -1));
	if (strlen(v) > INVITATION_MAX_FIELD) {
		const char *end = g_utf8_find_prev_char(v, v + INVITATION_MAX_FIELD + 1);
		v[end ? end - v : 0] = '\0';
	}
	if (!*v)
		g_clear_pointer(&v, g_free);
	return v;
}

/* Components in c and below, counting up to limit + 1. */
static int count_components(icalcomponent *c, int limit)
{
	int n = 1;

	for (icalcomponent *sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub && n <= limit;
	     sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += count_components(sub, limit - n);
	return n;
}

/* ---- time ---- */

/* The zone a TZID names: the invitation's VTIMEZONE, else a zone libical knows (Olson),
 * else a Windows name's Olson zone. NULL when none. */
static icaltimezone *resolve_zone(icalcomponent *cal, const char *tzid)
{
	icaltimezone *z = icalcomponent_get_timezone(cal, tzid);
	const char *olson;

	if (z)
		return z;
	if ((z = icaltimezone_get_builtin_timezone(tzid)) || (z = icaltimezone_get_builtin_timezone_from_tzid(tzid)))
		return z;
	if ((olson = invitation_windows_zone(tzid)))
		return icaltimezone_get_builtin_timezone(olson);
	return NULL;
}

/* The zone of a DTSTART/DTEND/EXDATE property: *ret_zone is NULL for UTC, dates and floating
 * times. -EINVAL when its TZID names nothing known. */
static int property_zone(icalcomponent *cal, icalproperty *prop, const char *name, icaltimezone **ret_zone,
			 GError **error)
{
	icalparameter *param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	const char *tzid = param ? icalparameter_get_tzid(param) : NULL;

	*ret_zone = NULL;
	if (!tzid)
		return 0;
	if (!(*ret_zone = resolve_zone(cal, tzid))) {
		g_autofree char *shown = field(tzid);
		return at_error_set(error, -EINVAL,
				    "invitation: %s names time zone \"%s\", which is neither in the invitation nor a known "
				    "Olson or Windows zone",
				    name, shown ? shown : "");
	}
	return 0;
}

/* Unix seconds of t, a wall time in zone (NULL: UTC when t is, else the local zone: a
 * floating time or a date is the reader's own). */
static int64_t unix_time(struct icaltimetype t, icaltimezone *zone)
{
	if (icaltime_is_utc(t))
		return (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
	if (zone)
		return (int64_t)icaltime_as_timet_with_zone(t, zone);
	GDateTime *local = g_date_time_new_local(t.year, t.month, t.day, t.is_date ? 0 : t.hour,
						 t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second);
	if (!local)
		return 0;
	int64_t r = g_date_time_to_unix(local);
	g_date_time_unref(local);
	return r;
}

static bool usable_time(struct icaltimetype t)
{
	return !icaltime_is_null_time(t) && icaltime_is_valid_time(t) && t.year >= 1970 && t.year <= 9999 &&
	       t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31;
}

/* ---- recurrence ---- */

static const char *freq_word(icalrecurrencetype_frequency f, bool plural)
{
	switch (f) {
	case ICAL_DAILY_RECURRENCE:
		return plural ? "days" : "daily";
	case ICAL_WEEKLY_RECURRENCE:
		return plural ? "weeks" : "weekly";
	case ICAL_MONTHLY_RECURRENCE:
		return plural ? "months" : "monthly";
	default:
		return plural ? "years" : "yearly";
	}
}

/* "weekly", "every 2 weeks until 2027-01-05", "daily, 5 times". g_free. */
static char *recurs_text(const struct icalrecurrencetype *r)
{
	GString *s = g_string_new(NULL);

	if (r->interval > 1)
		g_string_printf(s, "every %d %s", r->interval, freq_word(r->freq, true));
	else
		g_string_assign(s, freq_word(r->freq, false));
	if (r->count > 0)
		g_string_append_printf(s, ", %d times", r->count);
	else if (!icaltime_is_null_time(r->until))
		g_string_append_printf(s, " until %04d-%02d-%02d", r->until.year, r->until.month, r->until.day);
	return g_string_free(s, FALSE);
}

/* The EXDATE times of ev, in Unix seconds (at most MAX_EXDATES). */
static int exdates(icalcomponent *cal, icalcomponent *ev, GArray *out, GError **error)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p && out->len < MAX_EXDATES;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		icaltimezone *zone;
		struct icaltimetype t = icalproperty_get_exdate(p);
		int r = property_zone(cal, p, "EXDATE", &zone, error);
		if (r < 0)
			return r;
		if (usable_time(t)) {
			int64_t u = unix_time(t, zone);
			g_array_append_val(out, u);
		}
	}
	return 0;
}

static bool excluded(GArray *ex, int64_t t)
{
	for (guint i = 0; i < ex->len; i++)
		if (g_array_index(ex, int64_t, i) == t)
			return true;
	return false;
}

/* Walks it to the first occurrence (EXDATEs left out) starting at or after `after`:
 * *ret_last is it, or the last one when none does (0: none at all). -E2BIG past
 * INVITATION_MAX_OCCURRENCES. */
static int walk(icalrecur_iterator *it, GArray *ex, icaltimezone *zone, int64_t after, int64_t *ret_last,
		GError **error)
{
	*ret_last = 0;
	for (int n = 0; n < INVITATION_MAX_OCCURRENCES; n++) {
		struct icaltimetype o = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(o))
			return 0;
		int64_t t = unix_time(o, zone);
		if (excluded(ex, t))
			continue;
		*ret_last = t;
		if (t >= after)
			return 0;
	}
	return at_error_set(error, -E2BIG, "invitation: the RRULE has more than %d occurrences before the first one ahead",
			    INVITATION_MAX_OCCURRENCES);
}

/* Moves inv's start (and end, keeping the duration) to the first occurrence of ev's RRULE
 * that starts at or after `after`; all_past and the last one when none does. */
static int next_occurrence(icalcomponent *cal, icalcomponent *ev, icalproperty *rrule, struct icaltimetype start,
			   icaltimezone *zone, int64_t after, struct invitation *inv, GError **error)
{
	struct icalrecurrencetype rule = icalproperty_get_rrule(rrule);
	int64_t duration = inv->ends_at - inv->starts_at, last = 0;
	g_autoptr(GArray) ex = g_array_new(FALSE, FALSE, sizeof(int64_t));
	icalrecur_iterator *it;
	int r = 0;

	if (rule.freq == ICAL_NO_RECURRENCE)
		return at_error_set(error, -EINVAL, "invitation: the RRULE cannot be read");
	if (rule.freq < ICAL_DAILY_RECURRENCE)
		return at_error_set(error, -EINVAL, "invitation: the RRULE repeats more often than daily (FREQ=%s)",
				    icalrecur_freq_to_string(rule.freq));
	if ((r = exdates(cal, ev, ex, error)) < 0)
		return r;
	inv->recurring = true;
	inv->rule = field(icalrecurrencetype_as_string(&rule));
	inv->recurs = recurs_text(&rule);
	if (zone)
		start = icaltime_set_timezone(&start, zone);
	if (!(it = icalrecur_iterator_new(rule, start)))
		return at_error_set(error, -EINVAL, "invitation: the RRULE cannot be followed from DTSTART");
	/* a rule without COUNT can start its walk near `after` rather than at DTSTART; when
	 * nothing follows there, the walk from DTSTART finds the last occurrence */
	if (rule.count == 0 && after - duration > inv->starts_at) {
		struct icaltimetype from = icaltime_from_timet_with_zone((time_t)(after - duration), start.is_date,
									 zone ? zone : icaltimezone_get_utc_timezone());
		if (icalrecur_iterator_set_start(it, from)) {
			r = walk(it, ex, zone, after, &last, error);
			if (r < 0 || last)
				goto found;
		}
		icalrecur_iterator_free(it);
		if (!(it = icalrecur_iterator_new(rule, start)))
			return at_error_set(error, -EINVAL, "invitation: the RRULE cannot be followed from DTSTART");
	}
	r = walk(it, ex, zone, after, &last, error);
found:
	icalrecur_iterator_free(it);
	if (r < 0)
		return r;
	if (!last) {
		/* every occurrence excluded, or the rule gives none: DTSTART alone stands */
		inv->all_past = inv->starts_at < after;
		return 0;
	}
	inv->all_past = last < after;
	inv->starts_at = last;
	inv->ends_at = last + duration;
	return 0;
}

/* ---- the event's time ---- */

static int event_time(icalcomponent *cal, icalcomponent *ev, int64_t after, struct invitation *inv, GError **error)
{
	icalproperty *dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalproperty *dtend = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	icalproperty *duration = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
	icalproperty *rrule = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	icaltimezone *zone = NULL, *end_zone = NULL;
	struct icaltimetype start;
	int r;

	if (!dtstart) {
		if (inv->method == INVITATION_CANCEL)
			return 0; /* the UID is all a cancellation needs */
		return at_error_set(error, -EINVAL, "invitation: the event has no DTSTART (or one that cannot be read)");
	}
	start = icalproperty_get_dtstart(dtstart);
	if (!usable_time(start))
		return at_error_set(error, -EINVAL, "invitation: the event's DTSTART cannot be read");
	if ((r = property_zone(cal, dtstart, "DTSTART", &zone, error)) < 0)
		return r;
	inv->starts_at = unix_time(start, zone);
	if (dtend) {
		struct icaltimetype end = icalproperty_get_dtend(dtend);
		if (!usable_time(end))
			return at_error_set(error, -EINVAL, "invitation: the event's DTEND cannot be read");
		if ((r = property_zone(cal, dtend, "DTEND", &end_zone, error)) < 0)
			return r;
		inv->ends_at = unix_time(end, end_zone);
	} else if (duration) {
		struct icaldurationtype d = icalproperty_get_duration(duration);
		if (icaldurationtype_is_bad_duration(d))
			return at_error_set(error, -EINVAL, "invitation: the event's DURATION cannot be read");
		inv->ends_at = inv->starts_at + icaldurationtype_as_int(d);
	} else {
		inv->ends_at = inv->starts_at + (start.is_date ? 86400 : INVITATION_DEFAULT_DURATION);
	}
	if (inv->ends_at <= inv->starts_at) {
		if (inv->ends_at < inv->starts_at)
			return at_error_set(error, -EINVAL, "invitation: the event ends before it starts");
		inv->ends_at = inv->starts_at + INVITATION_DEFAULT_DURATION;
	}
	if (inv->ends_at - inv->starts_at > 7 * 86400)
		return at_error_set(error, -EINVAL, "invitation: the event lasts more than 7 days");
	if (!rrule)
		return 0;
	return next_occurrence(cal, ev, rrule, start, zone, after, inv, error);
}

/* ---- who and where ---- */

static const char *const meeting_hosts[] = {
	"zoom.us",	      "zoomgov.com",	 "teams.microsoft.com", "teams.live.com", "meet.google.com",
	"webex.com",	      "whereby.com",	 "meet.jit.si",		"gotomeet.me",	  "gotomeeting.com",
	"chime.aws",	      "bluejeans.com",	 "meet.lync.com",
};

/* Is url an http(s) link to an online meeting service (the host or a subdomain of it)? */
static bool meeting_link(const char *url)
{
	g_autofree char *host = NULL;
	const char *p;

	if (g_ascii_strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (g_ascii_strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return false;
	host = g_ascii_strdown(p, (gssize)strcspn(p, "/?#:"));
	for (size_t i = 0; i < G_N_ELEMENTS(meeting_hosts); i++) {
		size_t hl = strlen(host), ml = strlen(meeting_hosts[i]);
		if (hl >= ml && strcmp(host + hl - ml, meeting_hosts[i]) == 0 && (hl == ml || host[hl - ml - 1] == '.'))
			return true;
	}
	return false;
}

/* The first http(s) URL in text that meeting_link() accepts (any = true: any http(s) URL).
 * g_free, or NULL. */
static char *find_link(const char *text, bool any)
{
	for (const char *p = text; p && (p = strstr(p, "http")); p++) {
		if (g_ascii_strncasecmp(p, "https://", 8) != 0 && g_ascii_strncasecmp(p, "http://", 7) != 0)
			continue;
		size_t n = strcspn(p, " \t\r\n<>\"'()[]{}|\\^`");
		while (n && strchr(".,;:!?", p[n - 1]))
			n--;
		g_autofree char *url = g_strndup(p, n);
		if (n <= INVITATION_MAX_FIELD && (any || meeting_link(url)))
			return g_steal_pointer(&url);
		p += n ? n - 1 : 0;
	}
	return NULL;
}

static const char *text_property(icalcomponent *ev, icalproperty_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(ev, kind);
	return p ? icalproperty_get_value_as_string(p) : NULL;
}

/* The value of the first X- property of ev named name, or NULL. */
static const char *x_property(icalcomponent *ev, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
		const char *n = icalproperty_get_x_name(p);
		if (n && g_ascii_strcasecmp(n, name) == 0)
			return icalproperty_get_x(p);
	}
	return NULL;
}

/* The meeting link: Google's and Teams' own properties, then a meeting link in LOCATION,
 * URL or DESCRIPTION, then any link in LOCATION. */
static char *meeting_url(icalcomponent *ev)
{
	const char *places[] = {
		x_property(ev, "X-GOOGLE-CONFERENCE"),
		x_property(ev, "X-MICROSOFT-SKYPETEAMSMEETINGURL"),
		x_property(ev, "X-MICROSOFT-ONLINEMEETINGCONFLINK"),
		icalcomponent_get_location(ev),
		text_property(ev, ICAL_URL_PROPERTY),
		icalcomponent_get_description(ev),
	};
	char *url;

	for (size_t i = 0; i < G_N_ELEMENTS(places); i++)
		if (places[i] && (url = find_link(places[i], i < 3)))
			return url;
	return find_link(icalcomponent_get_location(ev), true);
}

/* "CN <address>" of ORGANIZER. g_free, or NULL. */
static char *organizer(icalcomponent *ev)
{
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	icalparameter *cn = p ? icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER) : NULL;
	const char *value = p ? icalproperty_get_organizer(p) : NULL;
	g_autofree char *name = field(cn ? icalparameter_get_cn(cn) : NULL);
	g_autofree char *address = NULL;

	if (value && g_ascii_strncasecmp(value, "mailto:", 7) == 0)
		value += 7;
	address = field(value);
	if (name && address) {
		g_autofree char *both = g_strdup_printf("%s <%s>", name, address);
		return field(both); /* cut again: the two may be long */
	}
	return address ? g_steal_pointer(&address) : g_steal_pointer(&name);
}

/* ---- the whole ---- */

/* The calendar of root: root itself, or the first VCALENDAR under an XROOT. */
static icalcomponent *calendar_of(icalcomponent *root)
{
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
		return root;
	return icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
}

/* The event: the first VEVENT that is not one changed occurrence (RECURRENCE-ID), else
 * the first VEVENT. */
static icalcomponent *event_of(icalcomponent *cal)
{
	icalcomponent *first = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);

	for (icalcomponent *ev = first; ev; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (!icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY))
			return ev;
	return first;
}

static int read_invitation(icalcomponent *cal, int64_t after, struct invitation *inv, GError **error)
{
	icalproperty *method = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
	icalcomponent *ev = event_of(cal);
	const char *m = method ? icalproperty_get_value_as_string(method) : NULL;
	icalproperty *seq;

	inv->method_name = g_ascii_strup(m ? m : "", -1);
	if (!*inv->method_name || strcmp(inv->method_name, "REQUEST") == 0 || strcmp(inv->method_name, "PUBLISH") == 0)
		inv->method = INVITATION_REQUEST;
	else if (strcmp(inv->method_name, "CANCEL") == 0)
		inv->method = INVITATION_CANCEL;
	else
		inv->method = INVITATION_OTHER;
	if (!ev)
		return at_error_set(error, -EINVAL, "invitation: no event (VEVENT) in the calendar");
	if (!(inv->uid = field(icalcomponent_get_uid(ev))))
		return at_error_set(error, -EINVAL, "invitation: the event has no UID");
	if ((seq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY))) {
		inv->sequence = icalproperty_get_sequence(seq);
		if (inv->sequence < 0)
			return at_error_set(error, -EINVAL, "invitation: the event's SEQUENCE is negative");
	}
	inv->summary = field(icalcomponent_get_summary(ev));
	inv->location = field(icalcomponent_get_location(ev));
	inv->meeting_url = meeting_url(ev);
	inv->organizer = organizer(ev);
	return event_time(cal, ev, after, inv, error);
}

int invitation_parse(const char *text, size_t len, int64_t after, struct invitation **ret, GError **error)
{
	g_autoptr(invitation) inv = g_new0(struct invitation, 1);
	icalcomponent *root, *cal;
	int r;

	if (!text || len == 0)
		return at_error_set(error, -EINVAL, "invitation: the calendar part is empty");
	if (len > INVITATION_MAX_BYTES)
		return at_error_set(error, -E2BIG, "invitation: the calendar part has %zu bytes, more than %zu", len,
				    INVITATION_MAX_BYTES);
	g_autofree char *copy = g_utf8_make_valid(text, (gssize)len); /* stops nowhere: NULs become U+FFFD */
	if (!(root = icalparser_parse_string(copy)))
		return at_error_set(error, -EINVAL, "invitation: not iCalendar (no complete BEGIN:VCALENDAR ... END:VCALENDAR)");
	if (count_components(root, INVITATION_MAX_COMPONENTS) > INVITATION_MAX_COMPONENTS) {
		icalcomponent_free(root);
		return at_error_set(error, -E2BIG, "invitation: more than %d components", INVITATION_MAX_COMPONENTS);
	}
	if (!(cal = calendar_of(root)))
		r = at_error_set(error, -EINVAL, "invitation: not iCalendar (no VCALENDAR)");
	else
		r = read_invitation(cal, after, inv, error);
	icalcomponent_free(root);
	if (r < 0)
		return r;
	*ret = g_steal_pointer(&inv);
	return 0;
}
