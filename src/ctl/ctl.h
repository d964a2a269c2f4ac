/* ctl.h - apptrackctl's internal interface: the command context, calls to the daemon and
 * output helpers.
 *
 * Exit statuses (EXIT_* below) are the contract with scripts: 0 success, 1 an error the
 * daemon reported, 2 a usage error or an unreachable daemon. Every failure prints exactly
 * one "apptrackctl: ..." line on stderr (an import refusal adds its bad rows after it).
 */
#ifndef APPTRACKCTL_CTL_H
#define APPTRACKCTL_CTL_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "apptrack/client.h"

enum { CTL_OK = 0, CTL_REMOTE = 1, CTL_USAGE = 2 };

struct command;

struct ctl {
	bool json;                   /* --json: print results as JSON for scripts */
	const char *socket;          /* --socket PATH, or NULL for the default */
	client *client;              /* connected lazily by ctl_call() */
	const struct command *cmd;   /* the command running, for usage messages */
	const char *prefix;          /* "contacts " for subcommands, else "" */
};

struct command {
	const char *name;
	const char *args;    /* usage after the name */
	const char *summary; /* one line for `apptrackctl help` */
	int (*exec)(struct ctl *ctl, int argc, char **argv);
	const struct command *sub; /* subcommand table (NULL-name terminated), or NULL */
};

/* commands.c */
extern const struct command ctl_commands[];
const struct command *ctl_find(const struct command *table, const char *name);
void ctl_print_help(const struct command *table, const char *prefix);
/* Prints one command's usage line, summary and sub-commands; prefix names its parent
 * ("contacts ", or ""). */
void ctl_print_command(const struct command *cmd, const char *prefix);

/* Option parsing, shared by the command files. */
struct opt {
	const char *name;  /* without the leading "--" */
	bool takes_value;
	const char *field; /* request field it sets, or NULL when the command reads it itself */
};

/* Options of one command invocation. */
struct opts {
	GHashTable *values; /* name -> value ("" for flags) */
	GPtrArray *args;    /* positional arguments */
};

/* Parses argv[1..] against table (n entries) into o; an option given twice keeps its
 * last value. Returns CTL_OK, CTL_USAGE (message printed) or -1 when --help was shown.
 * Clear o with opts_clear() in every case. Values are borrowed from argv. */
int parse_opts(struct ctl *ctl, int argc, char **argv, const struct opt *table, size_t n, struct opts *o);
/* The value of option name ("" for a flag), or NULL when it was not given. */
const char *opt(struct opts *o, const char *name);
void opts_clear(struct opts *o);

/* cmd_profile.c: resumes and the user's profile */
/* The text of a plain-text, Markdown or PDF file (document_read_text) into *ret_text
 * (g_free); CTL_OK, or CTL_USAGE with the one error line printed. */
int ctl_read_document(struct ctl *ctl, const char *path, char **ret_text);
extern const struct command ctl_resume_commands[];
/* `resume` alone: the list. */
int ctl_cmd_resume(struct ctl *ctl, int argc, char **argv);
/* `profile`: show it, or with options change it. */
int ctl_cmd_profile(struct ctl *ctl, int argc, char **argv);

/* cmd_match.c: `match` */
int ctl_cmd_match(struct ctl *ctl, int argc, char **argv);

/* main.c */
/* Prints "apptrackctl: CMD: message" and the command's usage line; returns CTL_USAGE. */
int ctl_usage(struct ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints "apptrackctl: message"; returns status. */
int ctl_fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Calls method; params is stolen (may be NULL). On success *ret_result is a new
 * reference and CTL_OK is returned; otherwise the error is printed and CTL_REMOTE or
 * CTL_USAGE returned. ret_data (may be NULL) gets an error's data. */
int ctl_call(struct ctl *ctl, const char *method, json_t *params, json_t **ret_result, json_t **ret_data);

/* output.c */
void out_json(json_t *v);
/* Prints rows (array of objects) as a table with the given columns (NULL-terminated
 * header/key pairs). */
struct column {
	const char *header;
	const char *key;
	int max_width; /* cap when stdout is a terminal; 0: none */
	bool date_only; /* show only YYYY-MM-DD of a timestamp */
};
void out_table(json_t *rows, const struct column *cols, size_t n_cols);
/* A horizontal bar for value out of max, at most width cells. Free with g_free. */
char *out_bar(double value, double max, int width);
/* The display text of a JSON scalar ("-" for null/missing). Free with g_free. */
char *out_text(json_t *v);
void out_application(json_t *app);
void out_contact(json_t *contact);
int out_stats(const char *report, json_t *result);

#endif
