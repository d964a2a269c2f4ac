/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config.h - apptrack.conf (GKeyFile INI), driven by one settings table.
 *
 * Lifecycle: config_load() builds a struct config from a file (or the embedded defaults
 * when the file does not exist and was not named explicitly); config_free() releases it.
 * SIGHUP builds a new one and swaps it in only when it loads cleanly.
 *
 * Errors are reported as "FILE:LINE: message", one per problem; config_load() fails when
 * there is any, and joins them with newlines in the GError message.
 */
#ifndef APPTRACK_CONFIG_H
#define APPTRACK_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "apptrack/log.h"

/* [caldav] send */
#define CALDAV_SEND_INTERVIEWS 1u
#define CALDAV_SEND_REMINDERS 2u

enum account_tls { ACCOUNT_TLS_IMPLICIT, ACCOUNT_TLS_STARTTLS, ACCOUNT_TLS_NONE };
/* How an IMAP account signs in: LOGIN with a password, or SASL XOAUTH2 or OAUTHBEARER (RFC
 * 7628) with an OAuth2 access token that password_command prints (a token helper: oama,
 * pizauth, mutt_oauth2.py). */
enum account_auth { ACCOUNT_AUTH_LOGIN, ACCOUNT_AUTH_XOAUTH2, ACCOUNT_AUTH_OAUTHBEARER };

#define CONFIG_INTERVIEW_ALARMS_MAX 4

/* The defaults of [account NAME] since and poll_interval, as config.c's settings table
 * gives them ("90d", "5m"), in seconds. */
#define ACCOUNT_DEFAULT_SINCE (90 * 86400)
#define ACCOUNT_DEFAULT_POLL (5 * 60)
/* port's default, which depends on tls */
#define ACCOUNT_PORT_IMPLICIT 993
#define ACCOUNT_PORT_PLAIN 143

/* The environment variable that overrides [calendar] listen (like APPTRACK_SOCKET: for tests
 * and odd setups). config_load() applies it and checks it exactly as it checks the key. */
#define CONFIG_CALENDAR_LISTEN_ENV "APPTRACK_CALENDAR_LISTEN"
/* The environment variable that overrides [web] listen, checked as the key is. */
#define CONFIG_WEB_LISTEN_ENV "APPTRACK_WEB_LISTEN"
/* Characters a [calendar] token needs at least: short enough to type, too long to guess
 * at the feed's rate limit (calendar.c). */
#define CONFIG_CALENDAR_TOKEN_MIN 16
/* [mail] review_below and create_at_least by default: chosen by cross-validation
 * (docs/decisions.md "Mail model"). */
#define CONFIG_REVIEW_BELOW_DEFAULT "0.4"
#define CONFIG_CREATE_AT_LEAST_DEFAULT "0.8"

/* One [account NAME] section: an IMAP server, or a local Maildir. Its keys are rows of the
 * settings table (config.c), under the section "account". */
struct account {
	char *name;
	char *host;             /* IMAP; NULL for a Maildir account */
	unsigned port;          /* default 993 for implicit TLS, else 143 */
	enum account_tls tls;   /* default implicit; none only for loopback hosts */
	enum account_auth auth; /* default login; xoauth2 and oauthbearer need password_command */
	char *user;
	char *password_command; /* run at every login (xoauth2: the access token); first line of its output */
	char *password;         /* only from a file nobody else can read; never logged */
	char **folders;         /* NULL-terminated, default { "INBOX" } */
	int64_t since;          /* seconds: initial window, default 90 days */
	int64_t poll_interval;  /* seconds, default 5 minutes */
	char *maildir;          /* Maildir root instead of host/port */
	char *ca_file;          /* PEM certificates trusted besides the system's, or NULL */
};

/* A deep copy (for a mail worker, which outlives a reloaded config); free with account_free. */
struct account *account_dup(const struct account *a);
void account_free(struct account *a);

struct config {
	GPtrArray *accounts;  /* of struct account *, in file order; never NULL */
	char *path;           /* file it came from, or NULL for the embedded defaults */
	char *database;       /* [general] database: path of the SQLite file */
	enum log_level log_level; /* [general] log_level */
	int64_t follow_up;    /* [reminders] follow_up: seconds after applying */
	int64_t interview_prep; /* [reminders] interview_prep: seconds after entering an interview stage */
	int64_t thank_you;    /* [reminders] thank_you: seconds after entering an interview stage */
	int64_t interview_before[CONFIG_INTERVIEW_ALARMS_MAX]; /* [reminders] interview_before */
	size_t n_interview_before;
	char *calendar_listen; /* [calendar] listen as the file gives it: "ADDRESS:PORT", NULL for off */
	char *calendar_address; /* where the feed is served: CONFIG_CALENDAR_LISTEN_ENV when set, else
				 * calendar_listen; NULL for off */
	const char *calendar_address_from; /* static: "[calendar] listen" or CONFIG_CALENDAR_LISTEN_ENV, for messages */
	char *calendar_token;  /* [calendar] token (at least CONFIG_CALENDAR_TOKEN_MIN characters), or NULL */
	char *calendar_file;   /* [calendar] file */
	bool reminders_as_todo; /* [calendar] reminders_as = todo */
	char *calendar_vdir;    /* [calendar] vdir: a folder of one .ics file per item, or NULL (off) */
	/* [web] (config_web.c): the web page apptrackd serves (web.c) */
	char *web_listen;       /* [web] listen as the file gives it: "ADDRESS:PORT", NULL for off */
	char *web_address;      /* where the page is served: CONFIG_WEB_LISTEN_ENV when set, else web_listen; NULL: off */
	const char *web_address_from; /* static: "[web] listen" or CONFIG_WEB_LISTEN_ENV, for messages */
	char *web_token;        /* [web] token (at least CONFIG_CALENDAR_TOKEN_MIN characters), or NULL */
	char **web_allowed_hosts; /* [web] allowed_hosts: NULL-terminated, maybe empty */
	/* [caldav] (config_caldav.c): the collection the daemon keeps equal to the feed */
	char *caldav_url;       /* https, or http for a loopback host; NULL: no CalDAV */
	char *caldav_user;
	char *caldav_password_command; /* run before each sync; first line of its output */
	char *caldav_password;  /* only from a file nobody else can read; never logged */
	char *caldav_send_text; /* as written: interviews, reminders or both */
	char *caldav_reminders_as_text; /* as written: event, todo, or NULL: as [calendar] */
	unsigned caldav_send;   /* CALDAV_SEND_* bits, from caldav_send_text */
	bool caldav_todo;       /* reminders pushed as VTODO: caldav_reminders_as_text, else reminders_as_todo */
	double review_below;    /* [mail] review_below: less sure verdicts wait in the review queue */
	double create_at_least; /* [mail] create_at_least: creating an application needs this */
};

/* Loads path, or the default config file when path is NULL. A missing default file
 * gives the embedded defaults; a missing explicit file is an error. A non-empty
 * CONFIG_CALENDAR_LISTEN_ENV then gives calendar_address instead of [calendar] listen,
 * checked as the key is (its errors name the variable instead of FILE:LINE). On success *ret_config is set (free
 * with config_free). 0 or -errno with *error. */
int config_load(const char *path, struct config **ret_config, GError **error);
void config_free(struct config *config);

/* Writes every setting, its default and its description, as an example apptrack.conf. */
void config_print_defaults(FILE *out);

#endif
