/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ctl.h - apptrackctl's internal interface: the command context, command entries and
 * their options, calls to the daemon.
 *
 * A command is one `struct command` entry (tmux's cmd_entry is the model): its name, its
 * usage and summary, its options, the positional arguments it requires and allows, and
 * the handler. The dispatcher (commands.c) parses the options with the entry's table,
 * answers --help, refuses a wrong number of arguments, parses the required ids, and only
 * then calls the handler with the parsed options, which it clears afterwards. A handler
 * builds the request, calls the daemon once through ctl_call() and shows the result
 * through ctl->out (output.h), never asking itself whether --json was given.
 *
 * Exit statuses (CTL_* below) are the contract with scripts: 0 success, 1 an error the
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
struct output;

struct ctl {
	const struct output *out;    /* how results are shown: a table for people, or JSON (--json) */
	const char *socket;          /* --socket PATH, or NULL for the default */
	client *client;              /* connected lazily by ctl_call() */
	const struct command *cmd;   /* the command running, for usage messages */
	const char *prefix;          /* "contacts " for subcommands, else "" */
};

/* One option of a command. */
struct opt {
	const char *name;  /* without the leading "--"; NULL ends a table */
	bool takes_value;
	const char *field; /* request field it sets, or NULL when the command reads it itself */
	bool repeats;      /* every value is kept, in order (opt_all()); else the last one */
};

/* Most positional arguments a command requires. */
#define CMD_REQUIRED_MAX 2
/* max_args of a command that takes any number of positional arguments. */
#define ARGS_ANY (-1)

/* A positional argument a command requires. */
struct arg {
	const char *id;      /* what it is the id of ("application"): parsed as a positive id; NULL: text */
	const char *missing; /* the error when it is not given; NULL for an id: "missing <id> id" */
};

/* Options and arguments of one command invocation, parsed by the dispatcher. */
struct opts {
	GHashTable *values; /* name -> value ("" for flags), the last one given */
	GHashTable *lists;  /* name -> GPtrArray of every value, for options that repeat */
	GPtrArray *args;    /* positional arguments */
	json_int_t id[CMD_REQUIRED_MAX]; /* the required arguments that are ids, parsed */
};

enum {
	CMD_RAW_ARGS = 1 << 0, /* no option parsing, no --help: every argument is positional */
};

struct command {
	const char *name;
	const char *usage;   /* usage after the name, for --help and usage errors */
	const char *summary; /* one line for `apptrackctl help` */
	const struct opt *opts; /* its options, ending with a NULL name; NULL: none */
	/* the positional arguments it requires, in order (their number is its minimum) ... */
	struct arg required[CMD_REQUIRED_MAX];
	/* ... the most it takes (0 unless given, or ARGS_ANY), and the error for one more:
	 * a "%s" in it is the first extra argument; NULL: unexpected argument "%s" */
	int max_args;
	const char *too_many;
	unsigned flags; /* CMD_* */
	int (*exec)(struct ctl *ctl, struct opts *o); /* NULL for a group of sub-commands */
	const struct command *const *sub; /* sub-commands (NULL-terminated), or NULL */
};

/* commands.c: the top-level table, the dispatcher, help and the helpers of the handlers */
extern const struct command *const ctl_commands[];
const struct command *ctl_find(const struct command *const *table, const char *name);
/* Runs argv[0] from table; prefix names the parent command ("contacts "). */
int ctl_dispatch(struct ctl *ctl, const struct command *const *table, const char *prefix, int argc, char **argv);
void ctl_print_help(const struct command *const *table, const char *prefix);
/* Prints one command's usage line, summary and sub-commands; prefix names its parent
 * ("contacts ", or ""). */
void ctl_print_command(const struct command *cmd, const char *prefix);

/* The value of option name ("" for a flag), or NULL when it was not given. */
const char *opt(struct opts *o, const char *name);
/* Every value of a repeating option, in order, or NULL when it was not given. */
GPtrArray *opt_all(struct opts *o, const char *name);
/* Parses a positive id (what: "application"); a usage error names it. */
int ctl_parse_id(struct ctl *ctl, const char *text, const char *what, json_int_t *ret);
/* Parses a count given to --name, at least min (0 or 1). */
int ctl_parse_count(struct ctl *ctl, const char *name, const char *text, json_int_t min, json_int_t *ret);
/* Checks that --name's value is a date (YYYY-MM-DD). */
int ctl_check_date(struct ctl *ctl, const char *name, const char *text);
/* A text file the request carries (--jd-file, import): no larger than a request line may
 * be. CTL_OK, or CTL_USAGE with the one error line printed. */
int ctl_read_file(struct ctl *ctl, const char *path, char **ret_text, gsize *ret_len);
/* Calls method (params stolen) and shows its result with show, one of ctl->out's methods
 * that takes the result alone. When show is out_json (--json prints the result as it
 * came), the reply's text is printed re-indented, not parsed and dumped again: the same
 * bytes, for a fraction of the time on a listing of thousands of rows. */
int ctl_call_show(struct ctl *ctl, const char *method, json_t *params, void (*show)(json_t *result));
/* Copies every option of the command's table that names a request field into params,
 * with --jd-file or --jd-url read into job_description. */
int ctl_fields_from_opts(struct ctl *ctl, struct opts *o, json_t *params);

/* reader.c: documents and web pages, read by the helper apptrack-reader (which alone links
 * poppler and libcurl) */
/* The text of a plain-text, Markdown or PDF file (document_read_text) into *ret_text
 * (g_free); CTL_OK, or CTL_USAGE with the one error line printed. */
int ctl_read_document(struct ctl *ctl, const char *path, char **ret_text);
/* A job posting fetched from url as text (webtext_fetch): *ret_text and *ret_final_url, the
 * URL after redirects (both g_free); CTL_OK, or CTL_USAGE with the one error line printed. */
int ctl_fetch_url(struct ctl *ctl, const char *url, char **ret_text, char **ret_final_url);

/* main.c */
/* Prints "apptrackctl: CMD: message" and the command's usage line; returns CTL_USAGE. */
int ctl_usage(struct ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints "apptrackctl: message"; returns status. */
int ctl_fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Calls method; params is stolen (may be NULL). On success *ret_result is a new
 * reference and CTL_OK is returned; otherwise the error is printed and CTL_REMOTE or
 * CTL_USAGE returned. ret_data (may be NULL) gets an error's data. */
int ctl_call(struct ctl *ctl, const char *method, json_t *params, json_t **ret_result, json_t **ret_data);
/* Like ctl_call(), for a result printed as JSON: *ret_text (g_free) and *ret_len get it as
 * out_json() prints it (without the newline), re-indented from the reply's text when it
 * can be (client_call_text()). */
int ctl_call_text(struct ctl *ctl, const char *method, json_t *params, char **ret_text, size_t *ret_len);

#endif
