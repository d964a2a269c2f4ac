/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_invitation.c - calendar invitations: the reader (invitation.h) on invitations
 * shaped like those Google Calendar, Outlook/Teams and Calendly send (tests/data/
 * invitations), recurring and broken ones; then mail carrying them applied to a store
 * (mailapply.h): a new interview at the right UTC time, a higher SEQUENCE moves it, an
 * equal one and the same mail twice change nothing, a CANCEL removes it, a broken one
 * waits in the review queue and changes nothing else; one applied by hand from the queue
 * takes its interview along. */
#include "apptrack/applications.h"
#include "apptrack/interviews.h"
#include "apptrack/invitation.h"
#include "apptrack/mailapply.h"
#include "apptrack/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "fixture.h"

static char *data_file(const char *name, gsize *ret_len)
{
	const char *src = g_getenv("SOURCE_DIR");
	g_autofree char *path = g_build_filename(src ? src : "..", "tests", "data", "invitations", name, NULL);
	char *text = NULL;
	if (!g_file_get_contents(path, &text, ret_len, NULL))
		fail_msg("cannot read %s", path);
	return text;
}

static int64_t iso(const char *s)
{
	int64_t t = 0;
	assert_int_equal(time_parse_iso(s, &t), 0);
	return t;
}

static void assert_time(int64_t t, const char *want)
{
	char buf[TIME_ISO_LEN];
	assert_string_equal(time_format_iso(t, buf), want);
}

/* Parses data file name as of `after`; fails the test on an error. */
static struct invitation *parse(const char *name, const char *after)
{
	gsize len;
	g_autofree char *text = data_file(name, &len);
	struct invitation *inv = NULL;
	g_autoptr(GError) error = NULL;
	if (invitation_parse(text, len, iso(after), &inv, &error) < 0)
		fail_msg("%s: %s", name, error->message);
	return inv;
}

/* Parses data file name, expecting error r with a message containing want. */
static void parse_fails(const char *text, size_t len, int r, const char *want)
{
	struct invitation *inv = NULL;
	g_autoptr(GError) error = NULL;
	assert_int_equal(invitation_parse(text, len, iso("2026-12-02T00:00:00Z"), &inv, &error), r);
	assert_null(inv);
	assert_non_null(error);
	if (!strstr(error->message, want))
		fail_msg("error \"%s\" does not say \"%s\"", error->message, want);
	assert_non_null(strstr(error->message, "invitation: "));
}

static void parse_file_fails(const char *name, int r, const char *want)
{
	gsize len;
	g_autofree char *text = data_file(name, &len);
	parse_fails(text, len, r, want);
}

static void test_google(void **state)
{
	(void)state;
	g_autoptr(invitation) inv = parse("google_request.ics", "2026-12-01T14:05:00Z");
	assert_int_equal(inv->method, INVITATION_REQUEST);
	assert_string_equal(inv->method_name, "REQUEST");
	assert_string_equal(inv->uid, "7kukuqrfedlm2f9t0vr6q5ssvn@google.com");
	assert_int_equal(inv->sequence, 0);
	/* 15:00 in New York in December (EST, -05:00), from the VTIMEZONE block */
	assert_time(inv->starts_at, "2026-12-10T20:00:00Z");
	assert_time(inv->ends_at, "2026-12-10T21:00:00Z");
	assert_string_equal(inv->summary, "Interview with Algorithmia");
	assert_null(inv->location); /* Google writes an empty LOCATION */
	assert_string_equal(inv->meeting_url, "https://meet.google.com/abc-defg-hij");
	assert_string_equal(inv->organizer, "Jane Recruiter <jane.recruiter@algorithmia.com>");
	assert_false(inv->recurring);
	assert_null(inv->rule);
	assert_null(inv->recurs);

	g_autoptr(invitation) moved = parse("google_moved.ics", "2026-12-02T00:00:00Z");
	assert_int_equal(moved->sequence, 1);
	assert_time(moved->starts_at, "2026-12-11T15:00:00Z");

	g_autoptr(invitation) cancel = parse("google_cancel.ics", "2026-12-02T00:00:00Z");
	assert_int_equal(cancel->method, INVITATION_CANCEL);
	assert_int_equal(cancel->sequence, 2);
	assert_string_equal(cancel->uid, inv->uid);
}

static void test_google_weekly_berlin(void **state)
{
	(void)state;
	/* weekly on Tuesdays at 10:00 Berlin; 8 December is an EXDATE, so the next one after
	 * 2 December is 15 December, at 09:00 UTC (CET) */
	g_autoptr(invitation) inv = parse("google_weekly_berlin.ics", "2026-12-02T00:00:00Z");
	assert_true(inv->recurring);
	assert_false(inv->all_past);
	assert_time(inv->starts_at, "2026-12-15T09:00:00Z");
	assert_time(inv->ends_at, "2026-12-15T09:45:00Z");
	assert_non_null(strstr(inv->rule, "FREQ=WEEKLY"));
	assert_string_equal(inv->recurs, "weekly");
	assert_string_equal(inv->meeting_url, "https://meet.google.com/xyz-abcd-efg");

	/* in summer Berlin is at +02:00: 10:00 there is 08:00 UTC */
	g_autoptr(invitation) summer = parse("google_weekly_berlin.ics", "2026-07-01T00:00:00Z");
	assert_time(summer->starts_at, "2026-07-07T08:00:00Z");
	/* before DTSTART: DTSTART itself */
	g_autoptr(invitation) early = parse("google_weekly_berlin.ics", "2025-06-01T00:00:00Z");
	assert_time(early->starts_at, "2026-01-06T09:00:00Z");
	/* years later: found without walking every week since 2026 */
	g_autoptr(invitation) later = parse("google_weekly_berlin.ics", "2200-01-01T00:00:00Z");
	assert_false(later->all_past);
	assert_true(later->starts_at >= iso("2200-01-01T00:00:00Z"));
	assert_true(later->starts_at < iso("2200-01-08T00:00:00Z"));
}

static void test_outlook_teams(void **state)
{
	(void)state;
	/* "Pacific Standard Time", defined by Outlook's own VTIMEZONE */
	g_autoptr(invitation) inv = parse("outlook_teams.ics", "2026-12-01T17:30:00Z");
	assert_time(inv->starts_at, "2026-12-15T17:30:00Z");
	assert_time(inv->ends_at, "2026-12-15T18:30:00Z");
	assert_string_equal(inv->location, "Microsoft Teams Meeting");
	assert_non_null(inv->meeting_url);
	assert_true(g_str_has_prefix(inv->meeting_url, "https://teams.microsoft.com/l/meetup-join/"));
	assert_true(g_str_has_suffix(inv->meeting_url, "%7d")); /* the whole link, the > after it left out */
	assert_string_equal(inv->organizer, "Priya Natarajan <priya.natarajan@contoso.com>");
	assert_string_equal(inv->summary, "Contoso - Technical interview (Software Engineer)");
	/* the folded UID unfolded */
	assert_string_equal(inv->uid, "040000008200E00074C5B7101A82E00800000000F0A1B2C3D4E5DA0100000000000000001000000019E5A"
				      "3C6C1B4E243B2A0C9B2B1E3C4D5");

	/* a Windows zone name without its VTIMEZONE: the Olson zone it stands for */
	g_autoptr(invitation) bare = parse("outlook_windows_zone_only.ics", "2026-12-01T10:00:00Z");
	assert_time(bare->starts_at, "2026-12-16T13:00:00Z");
	assert_string_equal(bare->location, "Fabrikam Campus, Gebäude 4, Raum 2.17, München");
	assert_null(bare->meeting_url);
	assert_string_equal(invitation_windows_zone("pacific standard time"), "America/Los_Angeles");
	assert_string_equal(invitation_windows_zone("W. Europe Standard Time"), "Europe/Berlin");
	assert_null(invitation_windows_zone("Mars Standard Time"));
}

static void test_calendly(void **state)
{
	(void)state;
	g_autoptr(invitation) inv = parse("calendly.ics", "2026-12-01T12:00:00Z");
	assert_time(inv->starts_at, "2026-12-17T16:00:00Z");
	assert_time(inv->ends_at, "2026-12-17T16:30:00Z");
	assert_string_equal(inv->meeting_url, "https://us02web.zoom.us/j/81234567890?pwd=QWxhZGRpbjpvcGVuIHNlc2FtZQ");
	assert_string_equal(inv->organizer, "Sam Carter <sam.carter@northwind.io>");
}

static void test_recurring_count_until(void **state)
{
	(void)state;
	/* weekly from 24 November, 4 times: 24 Nov, 1, 8, 15 Dec */
	g_autoptr(invitation) inv = parse("weekly_count.ics", "2026-12-02T00:00:00Z");
	assert_time(inv->starts_at, "2026-12-08T15:00:00Z");
	assert_time(inv->ends_at, "2026-12-08T15:45:00Z"); /* DURATION:PT45M */
	assert_string_equal(inv->recurs, "weekly, 4 times");
	assert_false(inv->all_past);
	assert_string_equal(inv->organizer, "hr@example.com");

	g_autoptr(invitation) after = parse("weekly_count.ics", "2026-12-20T00:00:00Z");
	assert_true(after->all_past);
	assert_time(after->starts_at, "2026-12-15T15:00:00Z");

	/* every occurrence before the mail: the last one, said to be past */
	g_autoptr(invitation) past = parse("weekly_until_past.ics", "2026-12-02T00:00:00Z");
	assert_true(past->recurring);
	assert_true(past->all_past);
	assert_string_equal(past->recurs, "weekly until 2025-03-01");
	assert_time(past->starts_at, "2025-02-25T15:00:00Z");
}

static void test_broken(void **state)
{
	(void)state;
	parse_file_fails("broken_no_dtstart.ics", -EINVAL, "no DTSTART");
	parse_file_fails("broken_bad_tzid.ics", -EINVAL, "\"Mars/Olympus_Mons\"");
	parse_file_fails("broken_truncated.ics", -EINVAL, "not iCalendar");
	parse_file_fails("broken_hourly.ics", -EINVAL, "more often than daily");
	parse_fails("hello, world", 12, -EINVAL, "not iCalendar");
	parse_fails("", 0, -EINVAL, "empty");
	parse_fails("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", 43, -EINVAL, "no event");
	parse_fails("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 82,
		    -EINVAL, "no UID");
	static const char backwards[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\n"
					"DTEND:20261201T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	parse_fails(backwards, sizeof backwards - 1, -EINVAL, "ends before it starts");
	static const char bad_date[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:tomorrow\r\n"
				       "END:VEVENT\r\nEND:VCALENDAR\r\n";
	parse_fails(bad_date, sizeof bad_date - 1, -EINVAL, "DTSTART");

	/* bounds: size, components */
	gsize len;
	g_autofree char *google = data_file("google_request.ics", &len);
	g_autofree char *big = g_malloc(INVITATION_MAX_BYTES + 2);
	memset(big, 'x', INVITATION_MAX_BYTES + 1);
	parse_fails(big, INVITATION_MAX_BYTES + 1, -E2BIG, "more than");
	GString *many = g_string_new("BEGIN:VCALENDAR\r\n");
	for (int i = 0; i < INVITATION_MAX_COMPONENTS + 1; i++)
		g_string_append_printf(many, "BEGIN:VEVENT\r\nUID:%d\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\n", i);
	g_string_append(many, "END:VCALENDAR\r\n");
	parse_fails(many->str, many->len, -E2BIG, "components");
	g_string_free(many, TRUE);

	/* a NUL inside does not cut the text short into something else */
	g_autofree char *nul = g_memdup2(google, len);
	nul[200] = '\0';
	struct invitation *inv = NULL;
	g_autoptr(GError) error = NULL;
	int r = invitation_parse(nul, len, 0, &inv, &error);
	assert_true(r == 0 || r == -EINVAL);
	invitation_free(inv);
}

/* ---- mail carrying invitations, applied ---- */

static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
static const struct mail_policy policy = { .delays = &delays, .review_below = 0.6, .create_at_least = 0.8 };

/* A mail of id, subject and date with ics as an inline text/calendar part beside the text,
 * and again as an attachment (as Google sends it). g_free. */
static char *invite_mail(const char *id, const char *subject, const char *date, const char *ics_file)
{
	gsize len;
	g_autofree char *ics = ics_file ? data_file(ics_file, &len) : g_strdup("");
	g_autofree char *b64 = g_base64_encode((const guchar *)ics, strlen(ics));
	const char *method = strstr(ics, "METHOD:CANCEL") ? "CANCEL" : "REQUEST";
	return g_strdup_printf("From: Jane Recruiter <jane.recruiter@algorithmia.com>\r\n"
			       "To: candidate@example.org\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
			       "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
			       "--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
			       "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nYou have been invited.\r\n"
			       "--alt\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
			       "Content-Transfer-Encoding: 7bit\r\n\r\n%s\r\n--alt--\r\n"
			       "--outer\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n"
			       "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
			       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--outer--\r\n",
			       subject, date, id, method, ics, b64);
}

/* Applies raw as mail of kind about company Algorithmia (a deciding rule's verdict; kind
 * -1: matched nothing). */
static enum apply_outcome apply_raw(store *s, const char *raw, int kind, int64_t *ret_id)
{
	g_autoptr(mime_message) m = NULL;
	struct rule_match match = { .rule = "test", .kind = (enum mail_kind)(kind < 0 ? 0 : kind),
				    .company = (char *)"Algorithmia", .layer = LAYER_RULE, .confidence = 1 };
	struct mail_origin origin = { "test", "INBOX", 1 };
	enum apply_outcome outcome;
	g_autoptr(GError) error = NULL;
	int64_t id = 0;

	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	if (mailapply_message(s, &policy, m, kind < 0 ? NULL : &match, raw, strlen(raw), &origin, &outcome, &id,
			      &error) < 0)
		fail_msg("apply: %s", error->message);
	if (ret_id)
		*ret_id = id;
	return outcome;
}

static int64_t count(store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static json_t *interviews(store *s)
{
	json_t *list = NULL;
	assert_int_equal(interviews_list(s, 0, 0, NULL, &list, NULL), 0);
	return list;
}

static void test_mime_keeps_calendar(void **state)
{
	(void)state;
	g_autofree char *raw = invite_mail("a@x", "Invitation: Interview with Algorithmia", "Tue, 01 Dec 2026 14:05:12 +0000",
					   "google_request.ics");
	g_autoptr(mime_message) m = NULL;
	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	assert_true(m->has_calendar);
	assert_non_null(m->calendar);
	assert_int_equal(m->calendar_len, strlen(m->calendar));
	assert_true(g_str_has_prefix(m->calendar, "BEGIN:VCALENDAR"));
	assert_false(m->calendar_refused);
	assert_null(strstr(m->text, "VCALENDAR")); /* the readable text stays the text part's */

	/* a calendar part over MIME_MAX_CALENDAR is not kept, and says so */
	GString *big = g_string_new("From: a@b.c\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
				    "Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\n");
	while (big->len < MIME_MAX_CALENDAR + 1000)
		g_string_append(big, "X-PADDING:0123456789012345678901234567890123456789012345678901234567890123\r\n");
	g_string_append(big, "END:VCALENDAR\r\n");
	g_autoptr(mime_message) b = NULL;
	assert_int_equal(mime_parse(big->str, big->len, &b, NULL), 0);
	assert_true(b->has_calendar);
	assert_null(b->calendar);
	assert_true(b->calendar_refused);
	g_string_free(big, TRUE);
}

static void test_apply_invitations(void **state)
{
	(void)state;
	struct fixture *f = fixture_new("invitation");
	int64_t app = 0, id = 0;

	/* the confirmation, then the invitation: the interview at 20:00 UTC, linked */
	g_autofree char *confirm = g_strdup("From: Algorithmia <no-reply@algorithmia.com>\r\nSubject: Thanks for applying"
					    "\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <c@x>\r\n\r\nThanks.\r\n");
	assert_int_equal(apply_raw(f->s, confirm, MAIL_CONFIRMATION, &app), APPLY_CREATED);
	g_autofree char *invite = invite_mail("i1@x", "Invitation: Interview with Algorithmia",
					      "Tue, 01 Dec 2026 14:05:12 +0000", "google_request.ics");
	assert_int_equal(apply_raw(f->s, invite, MAIL_INTERVIEW, &id), APPLY_UPDATED);
	assert_int_equal(id, app);
	json_t *list = interviews(f->s);
	assert_int_equal(json_array_size(list), 1);
	json_t *iv = json_array_get(list, 0);
	assert_int_equal(json_integer_value(json_object_get(iv, "application_id")), app);
	assert_string_equal(str(iv, "starts_at"), "2026-12-10T20:00:00Z");
	assert_string_equal(str(iv, "ends_at"), "2026-12-10T21:00:00Z");
	assert_string_equal(str(iv, "type"), "video");
	assert_string_equal(str(iv, "location"), "https://meet.google.com/abc-defg-hij");
	assert_string_equal(str(iv, "meeting_url"), "https://meet.google.com/abc-defg-hij");
	assert_string_equal(str(iv, "organizer"), "Jane Recruiter <jane.recruiter@algorithmia.com>");
	json_decref(list);
	json_t *shown = NULL;
	assert_int_equal(applications_show(f->s, app, &shown, NULL), 0);
	assert_string_equal(str(shown, "status"), "screen");
	json_decref(shown);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events WHERE kind = 'interview' AND text LIKE "
				     "'interview 2026-12-10T20:00:00Z from invitation \"Interview with Algorithmia\" by Jane%'"),
			 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM reminders WHERE kind = 'interview'"), 2);

	/* the same mail again: nothing doubles */
	int64_t events = count(f->s, "SELECT count(*) FROM events");
	assert_int_equal(apply_raw(f->s, invite, MAIL_INTERVIEW, NULL), APPLY_DUPLICATE);
	/* the same invitation in another mail (equal SEQUENCE): the interview stays; the mail is
	 * on the timeline, as any mail of the application */
	g_autofree char *again = invite_mail("i2@x", "Invitation: Interview with Algorithmia",
					     "Tue, 01 Dec 2026 15:00:00 +0000", "google_request.ics");
	assert_int_equal(apply_raw(f->s, again, -1, NULL), APPLY_UNCHANGED);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 1);
	assert_int_equal(count(f->s, "SELECT sequence FROM interviews"), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events"), events + 1);

	/* a higher SEQUENCE moves it, whatever the mail reads as (here: nothing) */
	g_autofree char *moved = invite_mail("i3@x", "Updated invitation: Interview with Algorithmia",
					     "Wed, 02 Dec 2026 09:00:00 +0000", "google_moved.ics");
	assert_int_equal(apply_raw(f->s, moved, -1, &id), APPLY_UPDATED);
	assert_int_equal(id, app);
	list = interviews(f->s);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(str(json_array_get(list, 0), "starts_at"), "2026-12-11T15:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "sequence")), 1);
	json_decref(list);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events WHERE text LIKE "
				     "'interview 2026-12-10T20:00:00Z moved to 2026-12-11T15:00:00Z%'"),
			 1);
	/* the older version read late changes nothing */
	g_autofree char *late = invite_mail("i4@x", "Invitation: Interview with Algorithmia",
					    "Tue, 01 Dec 2026 14:05:13 +0000", "google_request.ics");
	assert_int_equal(apply_raw(f->s, late, MAIL_INTERVIEW, NULL), APPLY_UNCHANGED);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews WHERE starts_at = '2026-12-11T15:00:00Z'"), 1);

	/* a broken invitation: a review entry naming the problem, nothing else */
	events = count(f->s, "SELECT count(*) FROM events");
	g_autofree char *broken = invite_mail("b1@x", "Invitation: Interview with Algorithmia",
					      "Wed, 02 Dec 2026 10:00:00 +0000", "broken_bad_tzid.ics");
	assert_int_equal(apply_raw(f->s, broken, MAIL_INTERVIEW, &id), APPLY_REVIEW);
	assert_int_equal(count(f->s, "SELECT count(*) FROM review WHERE reason LIKE 'invitation: DTSTART names time zone "
				     "\"Mars/Olympus_Mons\"%'"),
			 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events"), events);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 1);

	/* a cancellation removes it, without moving the application */
	g_autofree char *cancel = invite_mail("x1@x", "Canceled event: Interview with Algorithmia",
					      "Thu, 03 Dec 2026 09:00:00 +0000", "google_cancel.ics");
	assert_int_equal(apply_raw(f->s, cancel, MAIL_REJECTION, &id), APPLY_UPDATED);
	assert_int_equal(id, app);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM reminders WHERE interview_id IS NOT NULL"), 0);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events WHERE text = "
				     "'interview 2026-12-11T15:00:00Z cancelled by invitation from Jane Recruiter "
				     "<jane.recruiter@algorithmia.com>'"),
			 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM applications WHERE status = 'screen'"), 1);
	/* the cancellation again (another copy): nothing left to cancel, nothing else happens */
	g_autofree char *cancel2 = invite_mail("x2@x", "Canceled event: Interview with Algorithmia",
					       "Thu, 03 Dec 2026 09:00:01 +0000", "google_cancel.ics");
	assert_int_equal(apply_raw(f->s, cancel2, -1, NULL), APPLY_IGNORED);
	fixture_free(f);
}

static void test_apply_recurring(void **state)
{
	(void)state;
	struct fixture *f = fixture_new("invitation");
	int64_t app = 0;

	g_autofree char *weekly = invite_mail("w1@x", "Interview with Algorithmia", "Wed, 02 Dec 2026 09:00:00 +0000",
					      "weekly_count.ics");
	assert_int_equal(apply_raw(f->s, weekly, MAIL_CONFIRMATION, &app), APPLY_CREATED);
	json_t *list = interviews(f->s);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(str(json_array_get(list, 0), "starts_at"), "2026-12-08T15:00:00Z");
	assert_string_equal(str(json_array_get(list, 0), "recurrence"), "FREQ=WEEKLY;COUNT=4");
	json_decref(list);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events WHERE text LIKE '%; recurs weekly, 4 times'"), 1);

	/* all past: no interview, and the timeline says why (the application is at screen already) */
	g_autofree char *past = invite_mail("w2@x", "Interview with Algorithmia", "Wed, 02 Dec 2026 10:00:00 +0000",
					    "weekly_until_past.ics");
	assert_int_equal(apply_raw(f->s, past, MAIL_INTERVIEW, NULL), APPLY_UNCHANGED);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 1);
	assert_int_equal(count(f->s, "SELECT count(*) FROM events WHERE text LIKE '%recurs weekly until 2025-03-01, but its "
				     "last occurrence (2025-02-25T15:00:00Z) is past: no interview added'"),
			 1);
	/* a mail that matched nothing adds no interview for a new UID */
	g_autofree char *stranger = invite_mail("s1@x", "Dinner", "Wed, 02 Dec 2026 11:00:00 +0000", "calendly.ics");
	assert_int_equal(apply_raw(f->s, stranger, -1, NULL), APPLY_IGNORED);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 1);
	fixture_free(f);
}

/* A queued invitation applied by hand to an application takes its interview along. */
static void test_review_apply_by_hand(void **state)
{
	(void)state;
	struct fixture *f = fixture_new("invitation");
	int64_t app = 0, review = 0, got = 0;
	enum apply_outcome outcome;
	g_autoptr(GError) error = NULL;

	g_autofree char *confirm = g_strdup("From: Algorithmia <no-reply@algorithmia.com>\r\nSubject: Thanks for applying"
					    "\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <c@x>\r\n\r\nThanks.\r\n");
	assert_int_equal(apply_raw(f->s, confirm, MAIL_CONFIRMATION, &app), APPLY_CREATED);
	/* an interview from a company with no application: queued */
	g_autofree char *raw = invite_mail("o1@x", "Technical interview", "Tue, 01 Dec 2026 17:30:12 +0000",
					   "outlook_teams.ics");
	g_autoptr(mime_message) m = NULL;
	assert_int_equal(mime_parse(raw, strlen(raw), &m, NULL), 0);
	struct rule_match match = { .rule = "test", .kind = MAIL_INTERVIEW, .company = (char *)"Contoso",
				    .layer = LAYER_RULE, .confidence = 1 };
	struct mail_origin origin = { "test", "INBOX", 2 };
	assert_int_equal(mailapply_message(f->s, &policy, m, &match, raw, strlen(raw), &origin, &outcome, &review, NULL),
			 0);
	assert_int_equal(outcome, APPLY_REVIEW);
	assert_int_equal(count(f->s, "SELECT count(*) FROM interviews"), 0);
	/* the user says it is Algorithmia's */
	if (mailapply_review_apply(f->s, &policy, review, m, &match, -1, app, &outcome, &got, &error) < 0)
		fail_msg("review apply: %s", error->message);
	assert_int_equal(got, app);
	assert_int_equal(outcome, APPLY_UPDATED);
	json_t *list = interviews(f->s);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(str(json_array_get(list, 0), "starts_at"), "2026-12-15T17:30:00Z");
	assert_string_equal(str(json_array_get(list, 0), "location"), "Microsoft Teams Meeting");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "application_id")), app);
	json_decref(list);
	assert_int_equal(count(f->s, "SELECT count(*) FROM review"), 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_google),
		cmocka_unit_test(test_google_weekly_berlin),
		cmocka_unit_test(test_outlook_teams),
		cmocka_unit_test(test_calendly),
		cmocka_unit_test(test_recurring_count_until),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_mime_keeps_calendar),
		cmocka_unit_test(test_apply_invitations),
		cmocka_unit_test(test_apply_recurring),
		cmocka_unit_test(test_review_apply_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
