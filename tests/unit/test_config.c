/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_config.c - apptrack.conf: defaults, values, FILE:LINE errors (several at once),
 * relative paths, unreadable files, that the printed defaults load back cleanly, the
 * calendar token's minimum length and the APPTRACK_CALENDAR_LISTEN override. */
#include "apptrack/config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = g_dir_make_tmp("apptrack-config-XXXXXX", NULL);
	g_autofree char *cfg = g_build_filename(dir, "xdg-config", NULL);
	g_autofree char *data = g_build_filename(dir, "xdg-data", NULL);
	g_setenv("XDG_CONFIG_HOME", cfg, TRUE);
	g_setenv("XDG_DATA_HOME", data, TRUE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(dir);
	return 0;
}

static char *write_conf(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void test_defaults(void **state)
{
	struct config *c = NULL;
	(void)state;

	/* no default file: embedded defaults (GLib caches the XDG dirs, so compare loosely) */
	assert_int_equal(config_load(NULL, &c, NULL), 0);
	assert_null(c->path);
	assert_true(g_str_has_suffix(c->database, "/apptrack/apptrack.db"));
	assert_int_equal(c->follow_up, 7 * 86400);
	assert_int_equal(c->interview_prep, 0);
	assert_int_equal(c->thank_you, 86400);
	assert_int_equal(c->log_level, LOG_LEVEL_INFO);
	config_free(c);
}

static void test_values(void **state)
{
	g_autofree char *path = write_conf("ok.conf", "# comment\n[general]\ndatabase = db/my.db\nlog_level = debug\n\n"
						      "[reminders]\nfollow_up = 3d\nthank_you = 12h\ninterview_prep=30m\n");
	g_autofree char *want_db = g_build_filename(dir, "db", "my.db", NULL);
	struct config *c = NULL;
	(void)state;

	assert_int_equal(config_load(path, &c, NULL), 0);
	assert_string_equal(c->path, path);
	assert_string_equal(c->database, want_db); /* relative to the file */
	assert_int_equal(c->log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(c->follow_up, 3 * 86400);
	assert_int_equal(c->thank_you, 12 * 3600);
	assert_int_equal(c->interview_prep, 1800);
	config_free(c);

	g_autofree char *home = write_conf("home.conf", "[general]\ndatabase = ~/x.db\n");
	assert_int_equal(config_load(home, &c, NULL), 0);
	g_autofree char *want_home = g_build_filename(g_get_home_dir(), "x.db", NULL);
	assert_string_equal(c->database, want_home);
	config_free(c);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text;
		const char *messages; /* every line expected, in order */
	} cases[] = {
		{ "[reminders]\nfolow_up = 3d\n", ":2: unknown key \"folow_up\" in [reminders] (did you mean \"follow_up\"?)" },
		{ "[generl]\nx = 1\n", ":1: unknown section [generl]" },
		{ "\n\n[reminders]\nfollow_up = 7 days\n", ":4: bad value \"7 days\" for follow_up in [reminders]" },
		{ "[general]\nlog_level = loud\n", ":2: bad value \"loud\" for log_level in [general]" },
		{ "[general]\nthis line is wrong\n", ":2: syntax error" },
		{ "key = value\n", ":1: syntax error" },
		{ "[general]\nlog_level = loud\n[reminders]\nthank_you = x\nzzz = 1\n",
		  ":2: bad value \"loud\"|:4: bad value \"x\"|:5: unknown key \"zzz\" in [reminders]" },
		/* GKeyFile reads \n in a value as a newline: quoted in the error, it stays one line
		 * (found by fuzz_config) */
		{ "[reminders]\ninterview_before = 1d\\nx\001y\n", ":2: bad value \"1d\\nx\\x01y\" for interview_before" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = write_conf("bad.conf", cases[i].text);
		struct config *c = NULL;
		GError *error = NULL;
		assert_int_equal(config_load(path, &c, &error), -EINVAL);
		assert_null(c);
		g_auto(GStrv) want = g_strsplit(cases[i].messages, "|", -1);
		g_auto(GStrv) got = g_strsplit(error->message, "\n", -1);
		if (g_strv_length(want) != g_strv_length(got))
			fail_msg("case %zu: [%s]", i, error->message);
		for (size_t k = 0; want[k]; k++) {
			g_autofree char *prefixed = g_strconcat(path, want[k], NULL);
			if (!g_str_has_prefix(got[k], prefixed))
				fail_msg("case %zu: [%s] does not start with [%s]", i, got[k], prefixed);
		}
		g_clear_error(&error);
	}
}

static void test_unreadable(void **state)
{
	g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
	struct config *c = NULL;
	GError *error = NULL;
	(void)state;

	assert_int_equal(config_load(missing, &c, &error), -ENOENT);
	assert_non_null(strstr(error->message, "missing.conf"));
	g_clear_error(&error);
	assert_int_equal(config_load(dir, &c, &error), -EIO); /* a directory */
	g_clear_error(&error);
	g_autofree char *binary = g_build_filename(dir, "bin.conf", NULL);
	assert_true(g_file_set_contents(binary, "[general]\n\xff\xfe\n", -1, NULL));
	assert_int_equal(config_load(binary, &c, &error), -EINVAL);
	assert_non_null(strstr(error->message, "UTF-8"));
	g_clear_error(&error);
}

static void test_print_defaults_loads(void **state)
{
	g_autofree char *path = g_build_filename(dir, "defaults.conf", NULL);
	struct config *c = NULL;
	g_autofree char *text = NULL;
	FILE *f = fopen(path, "w");
	(void)state;

	assert_non_null(f);
	config_print_defaults(f);
	fclose(f);
	assert_true(g_file_get_contents(path, &text, NULL, NULL));
	static const char *const keys[] = { "database", "log_level", "follow_up", "interview_prep", "thank_you" };
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autofree char *needle = g_strdup_printf("#%s = ", keys[i]);
		if (!strstr(text, needle))
			fail_msg("%s missing from the printed defaults", keys[i]);
	}
	assert_int_equal(config_load(path, &c, NULL), 0);
	assert_int_equal(c->follow_up, 7 * 86400);
	config_free(c);
	/* uncommented, the defaults are valid values too */
	g_autofree char *active = NULL;
	{
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		GString *s = g_string_new(NULL);
		for (size_t i = 0; lines[i]; i++)
			g_string_append_printf(s, "%s\n", lines[i][0] == '#' && strstr(lines[i], " = ") ? lines[i] + 1 : lines[i]);
		active = g_string_free(s, FALSE);
	}
	g_autofree char *active_path = write_conf("active.conf", active);
	assert_int_equal(config_load(active_path, &c, NULL), 0);
	assert_int_equal(c->thank_you, 86400);
	config_free(c);
}

static void test_accounts(void **state)
{
	g_autofree char *path = write_conf("acc.conf",
					   "[account work]\nhost = imap.example.com\nuser = me@example.com\n"
					   "password_command = pass show mail/work\nfolders = INBOX, Jobs ,\nsince = 30d\n"
					   "poll_interval = 2m\n\n[account local]\nmaildir = Mail/jobs\n\n"
					   "[account test]\nhost = 127.0.0.1\nport = 10143\ntls = none\nuser = u\n"
					   "password_command = echo x\nca_file = /etc/passwd\n");
	g_autofree char *want_maildir = g_build_filename(dir, "Mail", "jobs", NULL);
	struct config *c = NULL;
	(void)state;

	if (config_load(path, &c, NULL) < 0)
		fail_msg("accounts did not load");
	assert_int_equal(c->accounts->len, 3);
	struct account *a = c->accounts->pdata[0];
	assert_string_equal(a->name, "work");
	assert_int_equal(a->port, ACCOUNT_PORT_IMPLICIT);
	assert_int_equal(a->tls, ACCOUNT_TLS_IMPLICIT);
	assert_int_equal(g_strv_length(a->folders), 2);
	assert_string_equal(a->folders[1], "Jobs");
	assert_int_equal(a->since, 30 * 86400);
	assert_int_equal(a->poll_interval, 120);
	a = c->accounts->pdata[1];
	assert_null(a->host);
	assert_string_equal(a->maildir, want_maildir);
	assert_string_equal(a->folders[0], "INBOX");
	assert_int_equal(a->since, ACCOUNT_DEFAULT_SINCE);
	a = c->accounts->pdata[2];
	assert_int_equal(a->port, 10143);
	assert_int_equal(a->tls, ACCOUNT_TLS_NONE);
	assert_string_equal(a->ca_file, "/etc/passwd");
	assert_string_equal(a->folders[0], "INBOX");
	assert_int_equal(a->poll_interval, ACCOUNT_DEFAULT_POLL);
	/* a worker's copy outlives the config */
	struct account *copy = account_dup(c->accounts->pdata[0]);
	config_free(c);
	assert_string_equal(copy->name, "work");
	assert_string_equal(copy->folders[1], "Jobs");
	assert_string_equal(copy->password_command, "pass show mail/work");
	assert_null(copy->ca_file);
	account_free(copy);
}

/* A key given twice in an account: the later value counts, and the earlier leaks nothing
 * (found by tests/fuzz/fuzz_config; LeakSanitizer fails this test without the fix). */
static void test_account_key_twice(void **state)
{
	g_autofree char *path = write_conf("twice.conf", "[account a]\nhost = first.example\nhost = 127.0.0.1\n"
							  "user = u\nuser = v\npassword_command = p\npassword_command = q\n");
	struct config *c = NULL;
	(void)state;

	if (config_load(path, &c, NULL) < 0)
		fail_msg("an account with a key given twice did not load");
	struct account *a = c->accounts->pdata[0];
	assert_string_equal(a->host, "127.0.0.1");
	assert_string_equal(a->user, "v");
	assert_string_equal(a->password_command, "q");
	config_free(c);
}

/* The table's defaults of an account's keys, and port's, which follows tls (any case). */
static void test_account_defaults(void **state)
{
	g_autofree char *path = write_conf("defaults-acc.conf", "[account s]\nhost = imap.example.com\ntls = StartTLS\n"
								 "user = u\npassword_command = x\n");
	struct config *c = NULL;
	(void)state;

	if (config_load(path, &c, NULL) < 0)
		fail_msg("an account with its defaults did not load");
	struct account *a = c->accounts->pdata[0];
	assert_int_equal(a->tls, ACCOUNT_TLS_STARTTLS);
	assert_int_equal(a->port, ACCOUNT_PORT_PLAIN);
	assert_int_equal(g_strv_length(a->folders), 1);
	assert_string_equal(a->folders[0], "INBOX");
	assert_int_equal(a->since, ACCOUNT_DEFAULT_SINCE);
	assert_int_equal(a->poll_interval, ACCOUNT_DEFAULT_POLL);
	assert_null(a->maildir);
	assert_null(a->ca_file);
	assert_null(a->password);
	assert_int_equal(a->auth, ACCOUNT_AUTH_LOGIN);
	config_free(c);
}

/* auth = xoauth2 (any case) with a token helper; a worker's copy keeps it. */
static void test_account_xoauth2(void **state)
{
	g_autofree char *path = write_conf("oauth.conf", "[account o]\nhost = outlook.office365.com\nauth = XOAUTH2\n"
							  "user = me@outlook.com\npassword_command = oama access me@outlook.com\n");
	struct config *c = NULL;
	GError *error = NULL;
	(void)state;

	if (config_load(path, &c, &error) < 0)
		fail_msg("an xoauth2 account did not load: %s", error->message);
	struct account *copy = account_dup(c->accounts->pdata[0]);
	config_free(c);
	assert_int_equal(copy->auth, ACCOUNT_AUTH_XOAUTH2);
	assert_int_equal(copy->port, ACCOUNT_PORT_IMPLICIT);
	assert_string_equal(copy->password_command, "oama access me@outlook.com");
	account_free(copy);
}

static void test_account_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "[account a]\nhost = imap.example.com\ntls = none\nuser = u\npassword_command = x\n",
		  ":3: [account a]: tls = none is allowed only for a loopback host" },
		/* a name that starts like a loopback address is not one */
		{ "[account a]\nhost = 127.example.com\ntls = none\nuser = u\npassword_command = x\n",
		  ":3: [account a]: tls = none is allowed only for a loopback host, not 127.example.com" },
		{ "[account a]\nhost = localhost.example.com\ntls = none\nuser = u\npassword_command = x\n",
		  ":3: [account a]: tls = none is allowed only for a loopback host" },
		{ "[account a]\nhost = h\npassword_command = x\n", ":1: [account a] needs user" },
		{ "[account a]\nhost = h\nuser = u\n", ":1: [account a] needs password_command" },
		{ "[account a]\nmaildir = /m\nhost = h\n", ":1: [account a] gives both maildir and IMAP" },
		{ "[account a]\nuser = u\n", ":1: [account a] needs host (IMAP) or maildir" },
		{ "[account a]\nhots = h\n", ":2: unknown key \"hots\" in [account a] (did you mean \"host\"?)" },
		{ "[account a]\nmaildir = /m\nsince = forever\n", ":3: bad value \"forever\" for since" },
		{ "[account a]\nhost = h\nport = 99999\nuser = u\npassword_command = x\n", ":3: bad value \"99999\" for port" },
		{ "[account a]\nhost = h\ntls = ssl\nuser = u\npassword_command = x\n", ":3: bad value \"ssl\" for tls" },
		{ "[account a]\nhost = h\nauth = oauth\nuser = u\npassword_command = x\n",
		  ":3: bad value \"oauth\" for auth in [account a]: expected login, xoauth2 or oauthbearer" },
		/* an access token written in the file would expire within the hour */
		{ "[account a]\nhost = h\nauth = xoauth2\nuser = u\npassword = tok\n",
		  ":5: [account a]: OAuth2 (auth) takes its access token from password_command" },
		{ "[account a]\nhost = h\nauth = xoauth2\nuser = u\n",
		  ":1: [account a] needs password_command: with OAuth2 (auth), a command that prints an access token" },
		{ "[account a]\nhost = h\nauth = oauthbearer\nuser = u\npassword = tok\n",
		  ":5: [account a]: OAuth2 (auth) takes its access token" },
		{ "[account a]\nmaildir = /m\nauth = xoauth2\n", ":1: [account a] gives both maildir and IMAP" },
		{ "[account a]\nmaildir = /m\n[account a ]\nmaildir = /n\n", ":3: account \"a\" is defined twice" },
		{ "[account ]\nmaildir = /m\n", ":1: [account ]: an account needs a name" },
		{ "[account a]\nhost = h\nuser = u\npassword_command = x\nca_file = /nonexistent/ca.pem\n",
		  ":5: ca_file in [account a]: cannot read /nonexistent/ca.pem" },
		{ "[account a]\nmaildir = /m\nca_file = /etc/passwd\n", ":1: [account a] gives both maildir and IMAP" },
		{ "[account a]\nmaildir = /m\nfolders =\n", ":3: folders in [account a] is empty" },
		{ "[account a]\nmaildir = /m\npoll_interval = 0\n", ":3: bad value \"0\" for poll_interval in [account a]: "
		  "expected a duration like 90d or 5m" },
		/* the account keys are no keys of a section of their own */
		{ "[account]\nmaildir = /m\n", ":1: unknown section [account]" },
		{ "[general]\nhost = h\n", ":2: unknown key \"host\" in [general]" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = write_conf("bad.conf", cases[i].text);
		g_autofree char *want = g_strconcat(path, cases[i].message, NULL);
		struct config *c = NULL;
		GError *error = NULL;
		assert_int_equal(config_load(path, &c, &error), -EINVAL);
		if (!strstr(error->message, want))
			fail_msg("case %zu: [%s] lacks [%s]", i, error->message, want);
		g_clear_error(&error);
	}
}

/* Only loopback addresses may serve the feed without a token: address literals are
 * parsed, so a host name that starts with "127." is not taken for one. */
static void test_calendar_loopback(void **state)
{
	static const struct {
		const char *listen;
		bool ok;
	} cases[] = {
		{ "127.0.0.1:7317", true },      { "127.8.9.10:80", true },     { "localhost:7317", true },
		{ "[::1]:7317", true },           { "::1:7317", true },          { "[::ffff:127.0.0.1]:80", true },
		{ "127.example.com:80", false },  { "0.0.0.0:7317", false },     { "192.168.1.2:7317", false },
		{ "localhost.example.com:1", false }, { "[::]:7317", false },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("[calendar]\nlisten = %s\n", cases[i].listen);
		g_autofree char *path = write_conf("cal.conf", text);
		struct config *c = NULL;
		GError *error = NULL;
		int r = config_load(path, &c, &error);
		if (cases[i].ok && r < 0)
			fail_msg("%s refused: %s", cases[i].listen, error->message);
		if (!cases[i].ok && (r != -EINVAL || !strstr(error->message, "is not a loopback address: set token")))
			fail_msg("%s accepted without a token", cases[i].listen);
		g_clear_error(&error);
		config_free(c);
	}
}

static void test_password_file_mode(void **state)
{
	static const char secret[] = "hunter2-very-secret";
	g_autofree char *text = g_strdup_printf("[account a]\nhost = h\nuser = u\npassword = %s\n", secret);
	g_autofree char *path = write_conf("pw.conf", text);
	struct config *c = NULL;
	GError *error = NULL;
	(void)state;

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(config_load(path, &c, &error), -EINVAL);
	assert_non_null(strstr(error->message, "readable by other users"));
	assert_null(strstr(error->message, secret)); /* the password never appears */
	g_clear_error(&error);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(config_load(path, &c, NULL), 0);
	assert_string_equal(((struct account *)c->accounts->pdata[0])->password, secret);
	config_free(c);
	/* a bad value next to the password does not echo the password either */
	g_autofree char *text2 = g_strdup_printf("[account a]\nhost = h\nuser = u\npassword = %s\nport = x\n", secret);
	g_autofree char *path2 = write_conf("pw2.conf", text2);
	assert_int_equal(chmod(path2, 0600), 0);
	assert_int_equal(config_load(path2, &c, &error), -EINVAL);
	assert_null(strstr(error->message, secret));
	g_clear_error(&error);
}

/* A token shorter than the minimum is refused with FILE:LINE, the key and the minimum,
 * and its text is never echoed: it is a secret. */
static void test_calendar_token(void **state)
{
	static const struct {
		const char *text;
		const char *message; /* NULL: loads */
		const char *secret;  /* must not appear in the message */
	} cases[] = {
		{ "[calendar]\ntoken = a\n",
		  ":2: bad value for token in [calendar] (not shown: it is secret): expected at least 16 characters", "= a" },
		{ "[calendar]\n\ntoken = tok3n-fifteen-c\n", ":3: bad value for token in [calendar]", "tok3n-fifteen-c" },
		{ "[calendar]\ntoken = tok3n-sixteen-ch\n", NULL, NULL },
		{ "[calendar]\nlisten = 0.0.0.0:7317\ntoken = tok3n-sixteen-ch\n", NULL, NULL },
		{ "[calendar]\ntoken =\n", NULL, NULL }, /* no token */
		/* a short token does not count as one for a non-loopback address either */
		{ "[calendar]\nlisten = 0.0.0.0:7317\ntoken = sh0rt\n", ":3: bad value for token in [calendar]", "sh0rt" },
		{ "[calendar]\nlisten = 0.0.0.0:7317\ntoken = sh0rt\n", ":2: [calendar] listen = 0.0.0.0:7317 is not a loopback", "sh0rt" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = write_conf("token.conf", cases[i].text);
		struct config *c = NULL;
		GError *error = NULL;
		int r = config_load(path, &c, &error);
		if (!cases[i].message) {
			if (r < 0)
				fail_msg("case %zu refused: %s", i, error->message);
			config_free(c);
			continue;
		}
		g_autofree char *want = g_strconcat(path, cases[i].message, NULL);
		if (r != -EINVAL || !strstr(error->message, want))
			fail_msg("case %zu: [%s] lacks [%s]", i, r < 0 ? error->message : "(loaded)", want);
		if (strstr(error->message, cases[i].secret))
			fail_msg("case %zu: [%s] echoes the token", i, error->message);
		assert_null(c);
		g_clear_error(&error);
	}
}

/* APPTRACK_CALENDAR_LISTEN overrides [calendar] listen and is checked like it: its form,
 * and no address other than loopback without a token; errors name the variable. */
static void test_calendar_listen_env(void **state)
{
	static const struct {
		const char *env;
		const char *text;    /* configuration file, or NULL for the embedded defaults */
		const char *message; /* the whole error, or NULL: loads */
		const char *listen;  /* then the address served, or NULL for off */
	} cases[] = {
		{ "0.0.0.0:7317", NULL,
		  "APPTRACK_CALENDAR_LISTEN=0.0.0.0:7317 (overriding [calendar] listen) is not a loopback address: set token "
		  "too, so that only those given the URL can read the feed",
		  NULL },
		{ "[::]:7317", "[calendar]\nlisten = 127.0.0.1:1\n",
		  "APPTRACK_CALENDAR_LISTEN=[::]:7317 (overriding [calendar] listen) is not a loopback address: set token "
		  "too, so that only those given the URL can read the feed",
		  NULL },
		{ "nowhere", NULL,
		  "APPTRACK_CALENDAR_LISTEN=nowhere: bad value for [calendar] listen: expected ADDRESS:PORT, like "
		  "127.0.0.1:7317, or off",
		  NULL },
		{ "127.0.0.1:0", "[calendar]\nlisten = off\n",
		  "APPTRACK_CALENDAR_LISTEN=127.0.0.1:0: bad value for [calendar] listen: expected ADDRESS:PORT, like "
		  "127.0.0.1:7317, or off",
		  NULL },
		{ "off", NULL, NULL, NULL },
		{ "127.0.0.1:9", NULL, NULL, "127.0.0.1:9" },
		{ "", NULL, NULL, "127.0.0.1:7317" }, /* empty: not set */
		{ "0.0.0.0:7317", "[calendar]\ntoken = 0123456789abcdef\n", NULL, "0.0.0.0:7317" },
		/* what is checked is the address served */
		{ "127.0.0.1:9", "[calendar]\nlisten = 0.0.0.0:1\n", NULL, "127.0.0.1:9" },
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = cases[i].text ? write_conf("env.conf", cases[i].text) : NULL;
		struct config *c = NULL;
		GError *error = NULL;
		g_setenv("APPTRACK_CALENDAR_LISTEN", cases[i].env, TRUE);
		int r = config_load(path, &c, &error);
		if (!cases[i].message) {
			if (r < 0)
				fail_msg("case %zu refused: %s", i, error->message);
			if (g_strcmp0(c->calendar_address, cases[i].listen) != 0)
				fail_msg("case %zu: served at %s, not %s", i, c->calendar_address, cases[i].listen);
			config_free(c);
			continue;
		}
		if (r != -EINVAL || strcmp(error->message, cases[i].message) != 0)
			fail_msg("case %zu: [%s], not [%s]", i, r < 0 ? error->message : "(loaded)", cases[i].message);
		assert_null(c);
		g_clear_error(&error);
	}
}

static int unset_listen_env(void **state)
{
	(void)state;
	g_unsetenv("APPTRACK_CALENDAR_LISTEN");
	return 0;
}

int main(void)
{
	/* the files' own [calendar] and [web] listen are under test, not the caller's overrides
	 * (tests/e2e/lib.sh exports both as off, and a user's shell may too) */
	g_unsetenv("APPTRACK_CALENDAR_LISTEN");
	g_unsetenv("APPTRACK_WEB_LISTEN");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),     cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),       cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_print_defaults_loads), cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_account_errors), cmocka_unit_test(test_password_file_mode),
		cmocka_unit_test(test_account_key_twice), cmocka_unit_test(test_account_defaults),
		cmocka_unit_test(test_account_xoauth2),
		cmocka_unit_test(test_calendar_loopback), cmocka_unit_test(test_calendar_token),
		cmocka_unit_test_teardown(test_calendar_listen_env, unset_listen_env),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
