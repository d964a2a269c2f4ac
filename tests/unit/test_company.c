/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_company.c - the employer a message names: each place that names it (rule,
 * display, local, domain, subject, body, link), each thing ruled out (hiring systems, job
 * boards, tools, generic words, people), agreement and containment, the bounds on hostile
 * mail, and the accuracy on the labelled corpus in ../shared/corpus/mail. */
#include "apptrack/company.h"
#include "apptrack/text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

static struct mime_message *parse(const char *raw)
{
	struct mime_message *m = NULL;
	GError *error = NULL;
	if (mime_parse(raw, strlen(raw), &m, &error) < 0)
		fail_msg("parse: %s", error->message);
	return m;
}

/* The candidates as "name score from; ..." for failure messages. g_free. */
static char *describe(GPtrArray *c)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < c->len && i < 6; i++) {
		const struct company_candidate *cc = c->pdata[i];
		g_string_append_printf(out, "%s%s %.2f %s", i ? "; " : "", cc->name, cc->score, cc->from);
	}
	return g_string_free(out, FALSE);
}

/* The candidate whose name has the key of name, or NULL. */
static const struct company_candidate *find(GPtrArray *c, const char *name)
{
	g_autofree char *key = text_company_key(name);
	for (guint i = 0; i < c->len; i++) {
		const struct company_candidate *cc = c->pdata[i];
		g_autofree char *k = text_company_key(cc->name);
		if (strcmp(k, key) == 0)
			return cc;
	}
	return NULL;
}

#define MAIL(from, subject, body)                                                                            \
	"From: " from "\r\nTo: Alex Doe <alex@example.org>\r\nSubject: " subject                             \
	"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" body "\r\n"
#define HTML(from, subject, body)                                                                            \
	"From: " from "\r\nSubject: " subject "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" body "\r" \
													"\n"

static const struct {
	const char *what;
	const char *raw;
	const char *want;   /* company_best(), exactly; NULL: none */
	const char *places; /* places that must be among the best candidate's */
	const char *absent; /* a name no candidate may have, or NULL */
} cases[] = {
	/* display */
	{ "display, hiring word dropped",
	 MAIL("Airbnb Recruiting <no-reply@greenhouse.io>", "Your application", "Hello Alex."), "Airbnb",
	 "display", "Recruiting" },
	{ "display, talent team",
	 MAIL("Acme Talent Team <jobs@greenhouse-mail.io>", "Next steps", "Hi Alex,\nthanks."), "Acme",
	 "display", NULL },
	{ "display via a hiring system",
	 MAIL("ExampleCo via SmartRecruiters <notification@smartrecruiters.com>", "Hello", "Hi."),
	 "ExampleCo", "display", "SmartRecruiters" },
	{ "display of a person at a company",
	 MAIL("Jordan at Tern <jordan@tern.example>", "Interview invitation: Software Engineer",
	      "Hi Alex,\nwe would love to talk.\nJordan"),
	 "Tern", "display,domain", "Jordan" },
	{ "a person's display name is no company",
	 MAIL("Dana Whitcomb <dwhitcomb@lakesidehydraulics.example>",
	      "RE: Senior executive assistant position",
	      "Thank you for your interest in employment with Lakeside Hydraulics. We wish you "
	      "well.\n\nThank you, Dana Whitcomb"),
	 "Lakeside Hydraulics", "domain,body", "Dana Whitcomb" },
	{ "a recruiter's given name",
	 MAIL("Megan Oduya <megan.oduya@gmail.com>", "Quick question", "Are you open to new roles?"), NULL,
	 NULL, "Megan Oduya" },
	/* local part of a hiring system's address */
	{ "mailbox at Workday",
	 MAIL("trellix@myworkday.com", "Application Received", "Thank you for applying."), "Trellix", "local",
	 NULL },
	{ "mailbox with a suffix",
	 MAIL("BAESystemsTalent@trm.brassring.com", "Thank you",
	      "Thank you for your interest in BAE Systems. Your application is under review."),
	 "BAE Systems", "local,body", NULL },
	{ "mailbox with a legal form",
	 MAIL("ARESCorporation.hr@adp.com", "Application received",
	      "Dear Alex, ARES Corporation has received your application."),
	 "ARES Corporation", "local", NULL },
	/* domain */
	{ "hiring system's sub-domain",
	 MAIL("Notifications <noreply@acme.icims.com>", "Your application",
	      "Thank you for applying to Acme."),
	 "Acme", "domain,body", "Notifications" },
	{ "squashed domain written in words",
	 MAIL("Recruiting Coordinator <coordinator@zillowgroup.example>",
	      "Technical Phone Interview Confirmation with Zillow Group", "Your interview is confirmed."),
	 "Zillow Group", "domain,subject", "Interview Confirmation" },
	{ "a mail provider's domain names nothing",
	 MAIL("Sam Kowal <skowal@gmail.com>", "Hi", "Coffee next week?"), NULL, NULL, "Gmail" },
	{ "a domain alone is not enough", MAIL("jobs@brightwave-solar.example", "Hello", "Hello there."), NULL,
	 NULL, NULL },
	{ "a domain and a link agree",
	 MAIL("jobs@brightwave-solar.example", "Hello",
	      "Read more at https://careers.brightwave-solar.example/open-roles today."),
	 "Brightwave Solar", "domain,link", NULL },
	/* subject */
	{ "subject: at",
	 MAIL("noreply@hire.lever.co", "Thank you for your application at Globex!", "We will be in touch."),
	 "Globex", "subject", NULL },
	{ "subject: to",
	 MAIL("LinkedIn <jobs-noreply@linkedin.com>", "Alex, your application was sent to TikTok",
	      "Your application was sent to TikTok."),
	 "TikTok", "subject", "LinkedIn" },
	{ "subject: head", MAIL("no-reply@ashbyhq.com", "Initech - Interview", "Please pick a time."),
	 "Initech", "subject", NULL },
	{ "subject: with", MAIL("no-reply@ashbyhq.com", "Your interview with Hooli", "Please pick a time."),
	 "Hooli", "subject", NULL },
	{ "subject: tag",
	 MAIL("careers@ab-co.example", "[Bluepeak Analytics] An Update on Your Application", "Hello."),
	 "Bluepeak Analytics", "subject", NULL },
	{ "subject: head then hiring words",
	 MAIL("Peraton <peraton+autoreply@talent.icims.com>", "Peraton Application Update", "Thank you."),
	 "Peraton", "display,local,subject", "Application Update" },
	{ "subject: a plain word at the head is no name",
	 MAIL("Pat Lee <pat@gmail.com>", "Framing could be fun", "Let me know."), NULL, NULL, "Framing" },
	/* body */
	{ "body: equal opportunity employer",
	 MAIL("jobs@workable.com", "Application received",
	      "We received your application.\n\nNorthwind Traders is an equal opportunity employer."),
	 "Northwind Traders", "body", NULL },
	{ "body: join",
	 MAIL("no-reply@ashbyhq.com", "Thanks",
	      "Thank you for your interest in joining Vandelay Industries!"),
	 "Vandelay Industries", "body", NULL },
	{ "body: the X team", MAIL("hello@gmail.com", "Thanks", "Best wishes from the Stark Robotics team."),
	 "Stark Robotics", "body", NULL },
	{ "body: talent acquisition sign-off",
	 MAIL("noreply@taleo.net", "Your application",
	      "We will review your profile.\n\nSincerely,\nAmentum Talent Acquisition"),
	 "Amentum", "body", "Talent Acquisition" },
	{ "body: signature company line",
	 MAIL("Carla Jimenez <cjimenez@mf-logistics.example>", "Logistics Coordinator position",
	      "We have decided to move forward with another candidate.\n\nBest regards,\nCarla "
	      "Jimenez\nTalent Acquisition Partner\n"
	      "Meridian Freight\n+1 555 0100"),
	 "Meridian Freight", "body", "Carla Jimenez" },
	{ "body: position at, hostile words around",
	 MAIL("Nina <nina@search-partners.example>", "Opportunity",
	      "I am recruiting for a Senior Engineer position at Oscorp Industries, based in NYC. Monday or "
	      "Friday?"),
	 "Oscorp Industries", "body", "Monday" },
	/* link */
	{ "link with agreement",
	 MAIL("Jane Roe <jane.roe@outlook.com>", "Following up",
	      "Thanks for applying to Trellix. Details: https://careers.trellix.com/jobs/123 and "
	      "https://bit.ly/abc"),
	 "Trellix", "body,link", "Bit" },
	{ "a job board's tenant path",
	 HTML("Greenhouse <no-reply@greenhouse.io>", "Thank you for applying",
	      "<p>Thank you for applying to Wayne Enterprises.</p><a "
	      "href=\"https://boards.greenhouse.io/wayneenterprises/jobs/1\">job</a>"
	      "<a href=\"https://www.linkedin.com/in/someone\">me</a>"),
	 "Wayne Enterprises", "body,link", "Greenhouse" },
	/* rules out */
	{ "a job board's notice names nothing",
	 MAIL("Indeed Apply <indeedapply@indeed.com>", "Indeed Application: Software Engineer",
	      "Your application has been submitted. Good luck!"),
	 NULL, NULL, "Indeed" },
	{ "meeting tools are no employers",
	 MAIL("Calendly <notifications@calendly.com>", "New Event: Interview",
	      "Join with Microsoft Teams or Google Meet on Tuesday, March 3 at "
	      "10:00.\nhttps://teams.microsoft.com/l/meetup/1 "
	      "https://zoom.us/j/123"),
	 NULL, NULL, "Microsoft Teams" },
	{ "a tool's own mail names no employer",
	 MAIL("Zoom <no-reply@zoom.us>", "Zoom Meeting Invitation",
	      "Join Zoom Meeting\nhttps://zoom.us/j/123"),
	 NULL, NULL, "Zoom" },
	{ "a tool's maker hiring",
	 MAIL("Google Staffing <staffing-noreply@google.com>", "Thank you for applying to Google",
	      "We received your application."),
	 "Google", "display,subject", NULL },
	{ "generic words are no employers",
	 MAIL("Hiring Team <careers@talent.example>", "Interview Confirmation",
	      "Dear Candidate,\nThank you for your interest. Unfortunately, we have decided not to "
	      "proceed.\n\nRegards,\nRecruiting Team"),
	 NULL, NULL, "Hiring Team" },
	/* agreement, containment and the name shown */
	{ "a typo in one place loses to agreement",
	 MAIL("Acme Careers <careers@acme.example>", "Thank you for applying to Acmee",
	      "Thank you for your interest in Acme."),
	 "Acme", "display,domain,body", NULL },
	{ "the fuller name the mail writes",
	 MAIL("Jordan at Tern <jordan@tern.example>", "Offer from Tern Robotics",
	      "We are thrilled to offer you a role at Tern Robotics."),
	 "Tern Robotics", "display,domain,subject,body", NULL },
	{ "and for &",
	 MAIL("Scott Tannen <scott@bollandbranch.example>", "Job Opportunity",
	      "LinkedIn sent me your profile for an opening we have at Boll & Branch."),
	 "Boll & Branch", "domain,body", NULL },
	{ "a domain that extends a written name",
	 MAIL("Colton Ray <colton.ray@ecstech.example>", "ECS - Your application", "Thanks,\nColton"), "ECS",
	 "domain,subject", "Colton Ray" },
};

static void test_places_and_exclusions(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct mime_message *m = parse(cases[i].raw);
		GPtrArray *c = company_candidates(m, NULL);
		const char *best = company_best(c);
		g_autofree char *all = describe(c);
		if (g_strcmp0(best, cases[i].want) != 0)
			fail_msg("%s: best [%s], want [%s]; candidates: %s", cases[i].what,
				 best ? best : "(none)", cases[i].want ? cases[i].want : "(none)", all);
		if (cases[i].places) {
			const struct company_candidate *cc = c->pdata[0];
			g_auto(GStrv) want = g_strsplit(cases[i].places, ",", -1);
			g_auto(GStrv) from = g_strsplit(cc->from, ",", -1);
			for (size_t k = 0; want[k]; k++)
				if (!g_strv_contains((const char *const *)from, want[k]))
					fail_msg("%s: %s not from %s (%s)", cases[i].what, cc->name, want[k],
						 cc->from);
		}
		if (cases[i].absent &&find(c, cases[i].absent ))
			fail_msg("%s: [%s] is a candidate: %s", cases[i].what, cases[i].absent, all);
		g_ptr_array_unref(c);
		mime_message_free(m);
	}
}

/* The rules' captures are one place among the others: they weigh the most, are held to
 * the same exclusions, and a capture cut short gives way to the fuller name. */
static void test_rule_captures(void **state)
{
	(void)state;
	struct mime_message *m = parse(MAIL("no-reply@hire.lever.co", "Thanks", "We got your application."));
	const char *const acme[] = { "Acme Inc.", NULL };
	GPtrArray *c = company_candidates(m, acme);
	assert_string_equal(company_best(c), "Acme Inc");
	assert_string_equal(((struct company_candidate *)c->pdata[0])->from, "rule");
	g_ptr_array_unref(c);

	const char *const generic[] = { "Interview Confirmation", "Workday", "Dear", NULL };
	c = company_candidates(m, generic);
	assert_null(company_best(c));
	assert_int_equal(c->len, 0);
	g_ptr_array_unref(c);
	mime_message_free(m);

	m = parse(MAIL("Core Corporation Careers <careers@talentcore.example>",
		       "Your application to Talent Core Corporation",
		       "Thank you for applying to Talent Core Corporation."));
	const char *const cut[] = { "Core Corporation", NULL };
	c = company_candidates(m, cut);
	g_autofree char *all = describe(c);
	if (g_strcmp0(company_best(c), "Talent Core Corporation") != 0)
		fail_msg("cut capture: %s", all);
	assert_non_null(strstr(((struct company_candidate *)c->pdata[0])->from, "rule"));
	g_ptr_array_unref(c);
	mime_message_free(m);

	/* a message built by hand: links and text may be missing */
	struct mime_message bare = { .subject = "Welcome to Initrode", .from_address = "hr@initrode.example" };
	c = company_candidates(&bare, NULL);
	assert_string_equal(company_best(c), "Initrode");
	g_ptr_array_unref(c);
	assert_null(company_best(NULL));
}

/* Scores add up over places, best first, and the places are named in their fixed order. */
static void test_scores(void **state)
{
	(void)state;
	struct mime_message *m =
		parse(MAIL("Globex Recruiting <jobs@globex.example>", "Thank you for applying to Globex",
			   "Thank you for your interest in Globex. Globex is an equal opportunity employer.\n"
			   "https://careers.globex.example/"));
	GPtrArray *c = company_candidates(m, NULL);
	const struct company_candidate *best = c->pdata[0];
	assert_string_equal(best->name, "Globex");
	assert_string_equal(best->from, "display,domain,subject,body,link");
	assert_true(best->score >= 1.2 + 0.8 + 1.2 + 1.0 + 0.6);
	for (guint i = 1; i < c->len; i++)
		assert_true(((struct company_candidate *)c->pdata[i])->score <=
			    ((struct company_candidate *)c->pdata[i - 1])->score);
	g_ptr_array_unref(c);
	mime_message_free(m);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

#define HOSTILE_KINDS 6

/* Appends a piece of hostile text of kind f. */
static void hostile_text(GString *body, int f, unsigned i)
{
	switch (f) {
	case 0:
		g_string_append_printf(body, "Acme%u Corp%u Labs Inc ", i, i);
		break;
	case 1:
		g_string_append_printf(body, "Thanks for your interest in Acme%u. Join Globex%u! ", i, i);
		break;
	case 2:
		g_string_append_printf(body, "Best regards,\nAlex %u\nInitech%u Ltd\n", i, i);
		break;
	case 3:
		g_string_append_printf(body, "A & B %u & %u of ", i, i);
		break;
	case 4:
		g_string_append(body, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				      "AAAAAAAAAAAAAAAA");
		break;
	default:
		g_string_append_printf(body, "\xe2\x80\x99%u\xc2\xa0%u\xff ", i, i);
		break;
	}
}

/* Mail written by strangers: long lines, thousands of capitalised words and of phrases
 * that name employers, many links. The work stays bounded and linear. */
static void test_hostile(void **state)
{
	(void)state;
	for (int f = 0; f < HOSTILE_KINDS; f++) {
		GString *body = g_string_new(NULL);
		for (unsigned i = 0; body->len < (1u << 20); i++)
			hostile_text(body, f, i);
		char *links[MIME_MAX_LINKS + 1];
		for (unsigned i = 0; i < MIME_MAX_LINKS; i++)
			links[i] = g_strdup_printf("https://careers%u.acme%u.co.uk/jobs/%u?x=%s", i, i, i,
						   i % 2 ? "y" : "");
		links[MIME_MAX_LINKS] = NULL;
		g_autofree char *text = g_utf8_make_valid(body->str, (gssize)body->len);
		struct mime_message m = { .from_name = "Acme Recruiting", .from_address = "jobs@acme.example",
					  .subject = "Interview at Acme", .text = text, .links = links };
		double start = now_ms();
		GPtrArray *c = company_candidates(&m, NULL);
		double ms = now_ms() - start;
		assert_true(c->len <= 200);
		for (guint i = 0; i < c->len; i++) {
			const struct company_candidate *cc = c->pdata[i];
			assert_true(g_utf8_validate(cc->name, -1, NULL));
		}
		/* generous: sanitizers and loaded machines; the corpus runs in well under 1 ms */
		if (ms > 250)
			fail_msg("hostile text %d took %.1f ms", f, ms);
		g_ptr_array_unref(c);
		for (unsigned i = 0; i < MIME_MAX_LINKS; i++)
			g_free(links[i]);
		g_string_free(body, TRUE);
	}
}

/* The labelled corpus: company_best() against the labelled company or one of its
 * aliases, by key. A floor, to catch regressions; the misses are printed. */
static void test_corpus(void **state)
{
	const char *shared = g_getenv("SHARED_DIR");
	g_autofree char *dir = g_build_filename(shared ? shared : "../shared", "corpus", "mail", NULL);
	g_autofree char *labels_path = g_build_filename(dir, "labels.tsv", NULL);
	g_autofree char *labels = NULL;
	int n = 0, hits = 0;
	double slowest = 0;
	(void)state;

	if (!g_file_get_contents(labels_path, &labels, NULL, NULL))
		fail_msg("corpus not found at %s (set SHARED_DIR)", dir);
	g_auto(GStrv) lines = g_strsplit(labels, "\n", -1);
	for (size_t i = 1; lines[i]; i++) {
		g_auto(GStrv) col = g_strsplit(lines[i], "\t", -1);
		if (g_strv_length(col) < 4 || !*col[2])
			continue;
		g_autofree char *path = g_build_filename(dir, col[0], NULL);
		g_autofree char *raw = NULL;
		struct mime_message *m = NULL;
		gsize len;
		assert_true(g_file_get_contents(path, &raw, &len, NULL));
		assert_int_equal(mime_parse(raw, len, &m, NULL), 0);
		double start = now_ms();
		GPtrArray *c = company_candidates(m, NULL);
		slowest = MAX(slowest, now_ms() - start);
		const char *best = company_best(c);
		g_autofree char *got = text_company_key(best ? best : "");
		g_autofree char *want = text_company_key(col[2]);
		bool hit = best && strcmp(got, want) == 0;
		g_auto(GStrv) aliases = g_strsplit(col[3], "|", -1);
		for (size_t k = 0; best && !hit && aliases[k]; k++) {
			g_autofree char *alias = text_company_key(aliases[k]);
			hit = *alias && strcmp(got, alias) == 0;
		}
		n++;
		hits += hit;
		if (!hit)
			print_message("miss: %s: want [%s], got [%s]\n", col[0], col[2],
				      best ? best : "(none)");
		g_ptr_array_unref(c);
		mime_message_free(m);
	}
	print_message("company: %d of %d (%.1f%%), slowest %.2f ms\n", hits, n, 100.0 * hits / n, slowest);
	assert_true(n >= 70);
	assert_true(hits * 100 >= n * 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_places_and_exclusions),
		cmocka_unit_test(test_rule_captures),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
