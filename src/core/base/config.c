/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config.c - apptrack.conf: one settings table drives parsing, defaults and help text.
 *
 * The table holds every key with its type (which says how a value is parsed and checked),
 * its default and its description. The keys of [account NAME] sections are rows of the
 * table too, under the section "account": read_group() reads every section, an account's
 * into its struct account, the others' into struct config. The checks across an account's
 * keys are config_account.c's, across [caldav]'s config_caldav.c's.
 *
 * GKeyFile does the INI parsing. It reports no line numbers, so a small locator scans
 * the raw text for the group header and the key's line, only to name FILE:LINE in
 * messages. Every problem in a file is reported, not just the first.
 *
 * APPTRACK_CALENDAR_LISTEN replaces [calendar] listen after the file is read, through the
 * same parser (config_listen_parse) and the same cross-check (check_calendar), so that no
 * override can serve the feed where the file could not. APPTRACK_WEB_LISTEN does the same
 * for [web] listen (config_web.c, which checks the [web] keys together).
 */
#include "apptrack/config.h"
#include "config_internal.h"

#include "apptrack/error.h"
#include "apptrack/paths.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>
#include <string.h>

#define SUGGEST_MAX_DISTANCE 2
#define LISTEN_KEY "[calendar] listen" /* config->calendar_address_from for the file's key */
#define ACCOUNT_PREFIX "account "
#define ACCOUNT_SECTION "account" /* the table's section of the keys of every [account NAME] */

enum setting_type {
	SETTING_PATH, SETTING_DURATION, SETTING_LOG_LEVEL, SETTING_LISTEN, SETTING_STRING,
	SETTING_TOKEN, /* a string that is a secret: never echoed in messages */
	SETTING_REMINDERS_AS, SETTING_DURATIONS,
	SETTING_CONFIDENCE, /* a number from 0 to 1 */
	SETTING_PORT,       /* 1 to 65535 (unsigned) */
	SETTING_TLS,        /* enum account_tls */
	SETTING_AUTH,       /* enum account_auth */
	SETTING_SECRET,     /* a password: taken as written (not stripped), never echoed; the file must be private */
	SETTING_FOLDERS,    /* comma-separated names (a NULL-terminated char **) */
	SETTING_INTERVAL,   /* a duration above 0 */
	SETTING_CA_FILE,    /* a path to a file readable when the configuration is loaded */
	SETTING_PATH_OFF,   /* a path, or off (NULL) */
};

struct setting {
	const char *section;      /* ACCOUNT_SECTION: a key of every [account NAME] */
	const char *key;
	enum setting_type type;
	const char *default_text; /* NULL: computed (see setting_default), or none for account keys */
	const char *description;
	size_t offset;            /* of the field in struct config, or in struct account for account keys */
};

static const struct setting settings[] = {
	{ "general", "database", SETTING_PATH, NULL,
	  "SQLite database file (default $XDG_DATA_HOME/apptrack/apptrack.db)", offsetof(struct config, database) },
	{ "general", "log_level", SETTING_LOG_LEVEL, "info", "Least important messages logged: error, warning, info or debug",
	  offsetof(struct config, log_level) },
	{ "reminders", "follow_up", SETTING_DURATION, "7d", "Follow up this long after applying",
	  offsetof(struct config, follow_up) },
	{ "reminders", "interview_prep", SETTING_DURATION, "0",
	  "Interview-prep reminder this long after entering an interview stage", offsetof(struct config, interview_prep) },
	{ "reminders", "thank_you", SETTING_DURATION, "1d", "Thank-you reminder this long after entering an interview stage",
	  offsetof(struct config, thank_you) },
	{ "reminders", "interview_before", SETTING_DURATIONS, "1d, 1h",
	  "Reminders this long before each interview (comma-separated, at most 4), or off",
	  offsetof(struct config, interview_before) },
	{ "calendar", "listen", SETTING_LISTEN, "127.0.0.1:7317",
	  "Address and port of the calendar feed (http://ADDRESS:PORT/calendar.ics), or off; an address other than "
	  "loopback needs token",
	  offsetof(struct config, calendar_listen) },
	{ "calendar", "token", SETTING_TOKEN, "",
	  "Secret the feed's URL must carry (/TOKEN/calendar.ics), at least " G_STRINGIFY(CONFIG_CALENDAR_TOKEN_MIN)
	  " characters; required when listen is not loopback",
	  offsetof(struct config, calendar_token) },
	{ "calendar", "file", SETTING_PATH, NULL,
	  "The feed is also written here (default $XDG_DATA_HOME/apptrack/calendar.ics)",
	  offsetof(struct config, calendar_file) },
	{ "calendar", "reminders_as", SETTING_REMINDERS_AS, "event", "Reminders in the feed as event (with an alarm) or todo",
	  offsetof(struct config, reminders_as_todo) },
	{ "calendar", "vdir", SETTING_PATH_OFF, "off",
	  "A folder kept with one .ics file per item of the feed (for khal, vdirsyncer), or off",
	  offsetof(struct config, calendar_vdir) },
	/* [web]: config_web.c checks the keys together */
	{ "web", "listen", SETTING_LISTEN, "127.0.0.1:7318",
	  "Address and port of the web page (http://ADDRESS:PORT/), or off; an address other than loopback needs "
	  "token and allowed_hosts", offsetof(struct config, web_listen) },
	{ "web", "token", SETTING_TOKEN, "",
	  "Secret for scripts (Authorization: Bearer TOKEN) and for /login?key=TOKEN, at least "
	  G_STRINGIFY(CONFIG_CALENDAR_TOKEN_MIN) " characters; needed to listen on an address other than loopback",
	  offsetof(struct config, web_token) },
	{ "web", "allowed_hosts", SETTING_FOLDERS, "",
	  "Host names (or NAME:PORT) the page may be reached by besides the listen address, comma-separated",
	  offsetof(struct config, web_allowed_hosts) },
	/* [caldav]: config_caldav.c checks the keys together */
	{ "caldav", "url", SETTING_STRING, "", "CalDAV calendar collection kept equal to the feed (https, or http on "
	  "loopback), or empty", offsetof(struct config, caldav_url) },
	{ "caldav", "user", SETTING_STRING, "", "User name on the CalDAV server", offsetof(struct config, caldav_user) },
	{ "caldav", "password_command", SETTING_STRING, "", "Run before each sync; the first line of its output is the "
	  "password", offsetof(struct config, caldav_password_command) },
	{ "caldav", "password", SETTING_SECRET, "",
	  "Or the password itself, only in a file nobody else can read (chmod 600); not with password_command",
	  offsetof(struct config, caldav_password) },
	{ "caldav", "send", SETTING_STRING, "both", "What is pushed: interviews, reminders or both", offsetof(struct config, caldav_send_text) },
	{ "caldav", "reminders_as", SETTING_STRING, "", "Reminders pushed as event or todo (default: as [calendar])",
	  offsetof(struct config, caldav_reminders_as_text) },
	{ "mail", "review_below", SETTING_CONFIDENCE, CONFIG_REVIEW_BELOW_DEFAULT,
	  "A verdict on job-search mail less sure than this (0 to 1) changes nothing and waits in the review queue",
	  offsetof(struct config, review_below) },
	{ "mail", "create_at_least", SETTING_CONFIDENCE, CONFIG_CREATE_AT_LEAST_DEFAULT,
	  "Creating an application from mail needs a verdict at least this sure (0 to 1, not below review_below)",
	  offsetof(struct config, create_at_least) },
	/* [account NAME]: an IMAP server (host) or a Maildir (maildir); check_account() checks
	 * the keys together and computes port's default */
	{ ACCOUNT_SECTION, "host", SETTING_STRING, NULL, "The IMAP server (required, or maildir)",
	  offsetof(struct account, host) },
	{ ACCOUNT_SECTION, "port", SETTING_PORT, NULL, "Port: 993 with tls = implicit, 143 otherwise",
	  offsetof(struct account, port) },
	{ ACCOUNT_SECTION, "tls", SETTING_TLS, "implicit", "implicit, starttls, or none (loopback hosts only)",
	  offsetof(struct account, tls) },
	{ ACCOUNT_SECTION, "auth", SETTING_AUTH, "login",
	  "login (a password), or xoauth2 or oauthbearer (an OAuth2 access token printed by password_command)",
	  offsetof(struct account, auth) },
	{ ACCOUNT_SECTION, "user", SETTING_STRING, NULL, "The login name (required for IMAP)",
	  offsetof(struct account, user) },
	{ ACCOUNT_SECTION, "password_command", SETTING_STRING, NULL,
	  "Run at every login; the first line of its output is the password", offsetof(struct account, password_command) },
	{ ACCOUNT_SECTION, "password", SETTING_SECRET, NULL,
	  "Or the password itself, only in a file nobody else can read (chmod 600); not with password_command",
	  offsetof(struct account, password) },
	{ ACCOUNT_SECTION, "folders", SETTING_FOLDERS, "INBOX", "Comma-separated folders to watch; IDLE watches the first",
	  offsetof(struct account, folders) },
	{ ACCOUNT_SECTION, "since", SETTING_INTERVAL, "90d", "How far back the first sync looks",
	  offsetof(struct account, since) },
	{ ACCOUNT_SECTION, "poll_interval", SETTING_INTERVAL, "5m", "How often to poll folders that IDLE does not watch",
	  offsetof(struct account, poll_interval) },
	{ ACCOUNT_SECTION, "maildir", SETTING_PATH, NULL,
	  "A Maildir root instead of an IMAP server; INBOX is the root itself, folder F is its .F subdirectory",
	  offsetof(struct account, maildir) },
	{ ACCOUNT_SECTION, "ca_file", SETTING_CA_FILE, NULL,
	  "PEM certificates to trust besides the system's (a server with its own authority)",
	  offsetof(struct account, ca_file) },
};

static bool is_account_setting(const struct setting *s)
{
	return strcmp(s->section, ACCOUNT_SECTION) == 0;
}

/* NULL for an account key without a default. */
static char *setting_default(const struct setting *s)
{
	if (s->default_text)
		return g_strdup(s->default_text);
	if (is_account_setting(s))
		return NULL;
	/* [general] database and [calendar] file are computed */
	g_autofree char *dir = paths_data_dir();
	return g_build_filename(dir, strcmp(s->key, "file") == 0 ? "calendar.ics" : "apptrack.db", NULL);
}

static const struct setting *find_setting(const char *section, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (strcmp(settings[i].section, section) == 0 && strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

/* Whether section is one of the table's, [account NAME] aside. */
static bool section_known(const char *section)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (!is_account_setting(&settings[i]) && strcmp(settings[i].section, section) == 0)
			return true;
	return false;
}

/* ADDRESS:PORT, or off (NULL) into *ret_listen: the one check of a listen value, for the
 * key and for CONFIG_CALENDAR_LISTEN_ENV. On failure returns what was expected (static). */
const char *config_listen_parse(const char *value, char **ret_listen)
{
	const char *colon = strrchr(value, ':');
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : 0;

	if (strcmp(value, "off") != 0 && (!colon || colon == value || *end || port < 1 || port > 65535))
		return "expected ADDRESS:PORT, like 127.0.0.1:7317, or off";
	g_free(*ret_listen);
	*ret_listen = strcmp(value, "off") == 0 ? NULL : g_strdup(value);
	return NULL;
}

/* Parses value into the field of s in target (the struct config, or the struct account of
 * an account key). On failure returns a description of what was expected (static). */
static const char *setting_apply(const struct setting *s, const char *value, const char *base_dir, void *target)
{
	void *field = (char *)target + s->offset;

	switch (s->type) {
	case SETTING_PATH:
	case SETTING_PATH_OFF:
	case SETTING_CA_FILE: {
		char *path = NULL;
		bool off = s->type == SETTING_PATH_OFF && strcmp(value, "off") == 0; /* NULL */
		if (value[0] == '\0')
			return "expected a file path";
		if (!off && g_str_has_prefix(value, "~/"))
			path = g_build_filename(g_get_home_dir(), value + 2, NULL);
		else if (!off && (g_path_is_absolute(value) || !base_dir))
			path = g_strdup(value);
		else if (!off)
			path = g_build_filename(base_dir, value, NULL);
		g_free(*(char **)field);
		*(char **)field = path;
		return NULL;
	}
	case SETTING_DURATION:
		return time_parse_duration(value, (int64_t *)field) < 0
			       ? "expected a duration like 7d, 12h, 30m or 0"
			       : NULL;
	case SETTING_LOG_LEVEL:
		return log_level_parse(value, (enum log_level *)field) < 0
			       ? "expected error, warning, info or debug"
			       : NULL;
	case SETTING_LISTEN:
		return config_listen_parse(value, (char **)field);
	case SETTING_TOKEN:
		/* the feed answers a few wrong tokens a minute per address (calendar.c): a short
		 * token would still be found */
		if (*value && g_utf8_strlen(value, -1) < CONFIG_CALENDAR_TOKEN_MIN)
			return "expected at least " G_STRINGIFY(CONFIG_CALENDAR_TOKEN_MIN) " characters";
		/* fall through */
	case SETTING_STRING:
		g_free(*(char **)field);
		*(char **)field = *value ? g_strdup(value) : NULL;
		return NULL;
	case SETTING_DURATIONS: {
		int64_t *list = field;
		size_t *n = &((struct config *)target)->n_interview_before;
		g_auto(GStrv) parts = g_strsplit(value, ",", -1);
		*n = 0;
		if (strcmp(value, "off") == 0)
			return NULL;
		for (size_t i = 0; parts[i]; i++) {
			int64_t v;
			if (*n == CONFIG_INTERVIEW_ALARMS_MAX || time_parse_duration(g_strstrip(parts[i]), &v) < 0 || v <= 0)
				return "expected up to 4 durations like 1d, 1h, or off";
			list[(*n)++] = v;
		}
		return NULL;
	}
	case SETTING_CONFIDENCE: {
		char *end = NULL;
		double v = g_ascii_strtod(value, &end);
		if (end == value || *end || !(v >= 0 && v <= 1))
			return "expected a number from 0 to 1, like 0.7";
		*(double *)field = v;
		return NULL;
	}
	case SETTING_REMINDERS_AS:
		if (strcmp(value, "event") != 0 && strcmp(value, "todo") != 0)
			return "expected event or todo";
		*(bool *)field = strcmp(value, "todo") == 0;
		return NULL;
	case SETTING_PORT: {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || v < 1 || v > 65535)
			return "expected 1 to 65535";
		*(unsigned *)field = (unsigned)v;
		return NULL;
	}
	case SETTING_TLS: {
		static const char *const modes[] = { "implicit", "starttls", "none" };
		for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
			if (g_ascii_strcasecmp(value, modes[m]) == 0) {
				*(enum account_tls *)field = (enum account_tls)m;
				return NULL;
			}
		}
		return "expected implicit, starttls or none";
	}
	case SETTING_AUTH: {
		static const char *const methods[] = { "login", "xoauth2", "oauthbearer" }; /* enum account_auth */
		for (size_t m = 0; m < G_N_ELEMENTS(methods); m++)
			if (g_ascii_strcasecmp(value, methods[m]) == 0) {
				*(enum account_auth *)field = (enum account_auth)m;
				return NULL;
			}
		return "expected login, xoauth2 or oauthbearer";
	}
	case SETTING_SECRET: {
		char **password = field;
		if (*password) /* do not leave the secret in freed memory */
			memset(*password, 0, strlen(*password));
		g_free(*password);
		*password = *value ? g_strdup(value) : NULL; /* account keys are never empty (read_group) */
		return NULL;
	}

	case SETTING_FOLDERS: {
		g_auto(GStrv) parts = g_strsplit(value, ",", -1);
		GPtrArray *folders = g_ptr_array_new();
		for (size_t i = 0; parts[i]; i++) {
			g_strstrip(parts[i]);
			if (*parts[i])
				g_ptr_array_add(folders, g_strdup(parts[i]));
		}
		g_ptr_array_add(folders, NULL);
		g_strfreev(*(char ***)field);
		*(char ***)field = (char **)g_ptr_array_free(folders, FALSE);
		return NULL;
	}
	case SETTING_INTERVAL:
		return time_parse_duration(value, (int64_t *)field) < 0 || *(int64_t *)field <= 0
			       ? "expected a duration like 90d or 5m"
			       : NULL;
	}
	return "unsupported setting type";
}

/* The table's defaults: of the account keys into an account (target), else of the others
 * into a config. */
static void apply_defaults(bool account, void *target)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		if (is_account_setting(&settings[i]) != account)
			continue;
		g_autofree char *def = setting_default(&settings[i]);
		if (!def)
			continue;
		const char *bad = setting_apply(&settings[i], def, NULL, target);
		g_assert(!bad);
	}
}

void config_free(struct config *config)
{
	if (!config)
		return;
	if (config->accounts)
		g_ptr_array_free(config->accounts, TRUE);
	g_free(config->path);
	g_free(config->database);
	g_free(config->calendar_listen);
	g_free(config->calendar_address);
	g_free(config->calendar_token);
	g_free(config->calendar_file);
	config_caldav_free(config);
	config_web_free(config);
	g_free(config);
}

static const char *suggest_key(const char *section, const char *key)
{
	const char *keys[G_N_ELEMENTS(settings)];
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (strcmp(settings[i].section, section) == 0)
			keys[n++] = settings[i].key;
	return text_closest(key, keys, n, SUGGEST_MAX_DISTANCE);
}

/* "localhost", or an address literal in 127.0.0.0/8 or ::1 (brackets allowed). Not a
 * name that merely starts with "127.": 127.example.com is somebody else's machine. */
bool config_is_loopback(const char *host)
{
	size_t len = strlen(host);
	g_autofree char *bare = len > 2 && host[0] == '[' && host[len - 1] == ']' ? g_strndup(host + 1, len - 2)
										  : g_strdup(host);
	struct in_addr v4;
	struct in6_addr v6;

	if (inet_pton(AF_INET, bare, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, bare, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
	return g_ascii_strcasecmp(bare, "localhost") == 0;
}

/* ADDRESS:PORT with a loopback ADDRESS. */
bool config_is_loopback_listen(const char *listen)
{
	const char *colon = strrchr(listen, ':');
	g_autofree char *host = colon ? g_strndup(listen, (size_t)(colon - listen)) : NULL;

	return host && config_is_loopback(host);
}

/* Whether a file others can read: a password in it would not be secret. */
static bool readable_by_others(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && (st.st_mode & 077) != 0;
}
/* What the file says beyond a value of s just read into target, at FILE:LINE of group: NULL,
 * or the problem (g_free). */
static char *setting_check(const struct setting *s, const void *target, const char *file, const char *group)
{
	const void *field = (const char *)target + s->offset;

	switch (s->type) {
	case SETTING_SECRET:
		if (*(char *const *)field && readable_by_others(file))
			return g_strdup_printf("[%s] has a password but %s is readable by other users: chmod 600 it, or use "
					       "password_command",
					       group, file);
		return NULL;
	case SETTING_CA_FILE: {
		const char *path = *(char *const *)field;
		if (access(path, R_OK) != 0)
			return g_strdup_printf("%s in [%s]: cannot read %s: %s", s->key, group, path, g_strerror(errno));
		return NULL;
	}
	default:
		return NULL;
	}
}

/* Reads the keys of group, which are the table's keys of section (ACCOUNT_SECTION for an
 * [account NAME]), into target: the struct account, or the struct config. given[i] is set
 * when settings[i] was given a value, even a bad one. */
static void read_group(GKeyFile *kf, const char *text, const char *file, const char *base_dir, const char *group,
		       const char *section, void *target, bool *given, GString *errors)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	bool account = strcmp(section, ACCOUNT_SECTION) == 0;

	for (size_t k = 0; keys && keys[k]; k++) {
		const char *key = keys[k];
		const struct setting *s = find_setting(section, key);
		unsigned line = text_ini_line(text, group, key);
		/* a key given twice is listed twice, both times with the later value: read once */
		bool again = false;
		for (size_t j = 0; j < k && !again; j++)
			again = strcmp(keys[j], key) == 0;
		if (again)
			continue;
		if (!s) {
			const char *hint = suggest_key(section, key);
			if (hint)
				text_problem(errors, file, line, "unknown key \"%s\" in [%s] (did you mean \"%s\"?)", key, group,
					     hint);
			else
				text_problem(errors, file, line, "unknown key \"%s\" in [%s]", key, group);
			continue;
		}
		g_autofree char *value = g_key_file_get_string(kf, group, key, NULL);
		if (!value) {
			text_problem(errors, file, line, "cannot read the value of %s in [%s]", key, group);
			continue;
		}
		if (s->type != SETTING_SECRET)
			g_strstrip(value);
		if (account && !*value) {
			text_problem(errors, file, line, "%s in [%s] is empty", key, group);
			continue;
		}
		given[s - settings] = true;
		const char *bad = setting_apply(s, value, base_dir, target);
		if (bad && (s->type == SETTING_TOKEN || s->type == SETTING_SECRET)) /* a secret, even a bad one: never echoed */
			text_problem(errors, file, line, "bad value for %s in [%s] (not shown: it is secret): %s", key, group,
				     bad);
		else if (bad)
			text_problem(errors, file, line, "bad value \"%s\" for %s in [%s]: %s", value, key, group, bad);
		g_autofree char *problem = bad ? NULL : setting_check(s, target, file, group);
		if (problem)
			text_problem(errors, file, line, "%s", problem);
	}
}

/* Whether the account key was given a value (read_group()'s given). */
static bool account_key_given(const bool *given, const char *key)
{
	return given[find_setting(ACCOUNT_SECTION, key) - settings];
}

/* Reads [account NAME] (section) and checks its keys together. */
static void check_account(GKeyFile *kf, const char *text, const char *file, const char *base_dir,
			  const char *section, struct config *config, GString *errors)
{
	struct account *a = g_new0(struct account, 1);
	unsigned sline = text_ini_line(text, section, NULL);
	size_t before = errors->len;
	bool given[G_N_ELEMENTS(settings)] = { false };

	a->name = g_strstrip(g_strdup(section + strlen(ACCOUNT_PREFIX)));
	apply_defaults(true, a);
	if (!*a->name || strpbrk(a->name, "/\\\n"))
		text_problem(errors, file, sline, "[%s]: an account needs a name without slashes, like [account work]", section);
	for (guint i = 0; i < config->accounts->len; i++)
		if (strcmp(((struct account *)config->accounts->pdata[i])->name, a->name) == 0)
			text_problem(errors, file, sline, "account \"%s\" is defined twice", a->name);

	read_group(kf, text, file, base_dir, section, ACCOUNT_SECTION, a, given, errors);

	bool port_set = account_key_given(given, "port"), tls_set = account_key_given(given, "tls");
	bool auth_set = account_key_given(given, "auth");
	config_account_check(a, text, file, section, port_set, tls_set, auth_set, errors);
	if (errors->len != before)
		account_free(a);
	else
		g_ptr_array_add(config->accounts, a);
}

static void check_file(GKeyFile *kf, const char *text, const char *file, const char *base_dir,
		       struct config *config, GString *errors)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	bool given[G_N_ELEMENTS(settings)] = { false };

	for (size_t g = 0; groups[g]; g++) {
		const char *section = groups[g];
		if (g_str_has_prefix(section, ACCOUNT_PREFIX))
			check_account(kf, text, file, base_dir, section, config, errors);
		else if (!section_known(section))
			text_problem(errors, file, text_ini_line(text, section, NULL), "unknown section [%s]", section);
		else
			read_group(kf, text, file, base_dir, section, section, config, given, errors);
	}
}

void config_problem(GString *errors, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (file) {
		text_problem(errors, file, line, "%s", message);
		return;
	}
	if (errors->len)
		g_string_append_c(errors, '\n');
	g_string_append(errors, message);
}

/* Reads and checks the file into config; problems with values go to errors. -errno with
 * *error when the file cannot be read or parsed at all. *ret_text gets its text (g_free). */
static int load_file(const char *path, struct config *config, GString *errors, char **ret_text, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) ioerr = NULL;
	g_autoptr(GKeyFile) kf = NULL;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, &ioerr))
		return at_error_set(error, ioerr->code == G_FILE_ERROR_NOENT ? -ENOENT : -EIO, "cannot read %s: %s", path,
				    ioerr->message);
	if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len))
		return at_error_set(error, -EINVAL, "%s:1: the file is not UTF-8 text", path);
	kf = g_key_file_new();
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &ioerr))
		return at_error_set(error, -EINVAL, "%s:%u: syntax error: %s", path, text_ini_bad_line(text),
				    ioerr->message);
	g_autofree char *base_dir = g_path_get_dirname(path);
	check_file(kf, text, path, base_dir, config, errors);
	*ret_text = g_steal_pointer(&text);
	return 0;
}

/* Sets where the feed is served: CONFIG_CALENDAR_LISTEN_ENV when set, else [calendar]
 * listen. false when the variable's value is bad (reported). */
static bool set_calendar_address(struct config *config, GString *errors)
{
	const char *env = g_getenv(CONFIG_CALENDAR_LISTEN_ENV);

	config->calendar_address = g_strdup(config->calendar_listen);
	config->calendar_address_from = LISTEN_KEY;
	if (!env || !*env)
		return true;
	const char *bad = config_listen_parse(env, &config->calendar_address);
	if (bad) {
		config_problem(errors, NULL, 0, "%s=%s: bad value for [calendar] listen: %s", CONFIG_CALENDAR_LISTEN_ENV,
			       env, bad);
		return false;
	}
	config->calendar_address_from = CONFIG_CALENDAR_LISTEN_ENV;
	return true;
}

/* The rule across [calendar] keys, on the address that will be served, whether it comes
 * from the file (file, its text) or the environment: only loopback without a token. */
static void check_calendar(const struct config *config, const char *file, const char *text, GString *errors)
{
	const char *listen = config->calendar_address;

	if (!listen || config->calendar_token || config_is_loopback_listen(listen))
		return;
	if (strcmp(config->calendar_address_from, CONFIG_CALENDAR_LISTEN_ENV) == 0)
		config_problem(errors, NULL, 0,
			       "%s=%s (overriding [calendar] listen) is not a loopback address: set token too, so that "
			       "only those given the URL can read the feed",
			       CONFIG_CALENDAR_LISTEN_ENV, listen);
	else
		config_problem(errors, file, file ? text_ini_line(text, "calendar", "listen") : 0,
			       "[calendar] listen = %s is not a loopback address: set token too, so that only those "
			       "given the URL can read the feed",
			       listen);
}

int config_load(const char *path, struct config **ret_config, GError **error)
{
	g_autofree char *default_path = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GString) errors = g_string_new(NULL);
	struct config *config = g_new0(struct config, 1);
	int r;

	config->accounts = g_ptr_array_new_with_free_func((GDestroyNotify)account_free);
	apply_defaults(false, config);
	if (!path) {
		default_path = paths_config_file();
		if (g_file_test(default_path, G_FILE_TEST_EXISTS))
			path = default_path;
		/* else the embedded defaults */
	}
	if (path && (r = load_file(path, config, errors, &text, error)) < 0) {
		config_free(config);
		return r;
	}
	if (set_calendar_address(config, errors))
		check_calendar(config, path, text, errors);
	config_caldav_check(config, path, text, errors);
	config_web_check(config, path, text, errors);
	if (config->create_at_least < config->review_below)
		config_problem(errors, path, path ? text_ini_line(text, "mail", "create_at_least") : 0,
			       "[mail] create_at_least = %g is below review_below = %g: creating an application must "
			       "need at least what advancing one does",
			       config->create_at_least, config->review_below);
	if (errors->len) {
		config_free(config);
		return at_error_set(error, -EINVAL, "%s", errors->str);
	}
	config->path = g_strdup(path);
	*ret_config = config;
	return 0;
}

void config_print_defaults(FILE *out)
{
	const char *section = NULL;

	fprintf(out, "# apptrack.conf - see apptrack.conf(5). Every setting is shown with its default.\n");
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		const struct setting *s = &settings[i];
		if (is_account_setting(s)) /* accounts are not settings with defaults to uncomment */
			continue;
		g_autofree char *def = setting_default(s);
		if (!section || strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "\n[%s]\n", section);
		}
		fprintf(out, "# %s\n#%s = %s\n", s->description, s->key, def);
	}
}
