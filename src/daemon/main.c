/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - apptrackd: options, start-up, the GLib main loop, signals, shutdown.
 *
 * Start-up order: options, configuration, (fork to the background unless --foreground),
 * database, what a crash while reading mail left (reading.c), the user's lessons to the
 * mail model (learning.c), control socket, signals, main loop. Shutdown runs it
 * backwards. Without --foreground the parent waits on a pipe until the child has opened
 * the database and the socket, so a failure is reported on the terminal and in the exit
 * status, not lost.
 * Under systemd (see service.c) the unit runs it with --foreground: readiness goes to
 * systemd through sd_notify, and log messages to the journal with their fields.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/model.h"
#include "apptrack/paths.h"
#include "apptrack/protocol.h"
#include "apptrack/timeutil.h"
#include "apptrack/version.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_CONFIG 1
#define STARTUP_MESSAGE_MAX 4096

static gboolean opt_foreground;
static gboolean opt_check_config;
static gboolean opt_version;
static char *opt_config;

static const GOptionEntry option_entries[] = {
	{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &opt_foreground, "Stay in the foreground and log to stderr", NULL },
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read configuration from FILE", "FILE" },
	{ "check-config", 'n', 0, G_OPTION_ARG_NONE, &opt_check_config, "Check the configuration and exit", NULL },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

void daemon_apply_config(struct daemon *d)
{
	log_set_level(d->config->log_level);
	d->delays.follow_up = d->config->follow_up;
	d->delays.interview_prep = d->config->interview_prep;
	d->delays.thank_you = d->config->thank_you;
	G_STATIC_ASSERT(CONFIG_INTERVIEW_ALARMS_MAX == PIPELINE_INTERVIEW_ALARMS_MAX);
	memcpy(d->delays.interview_before, d->config->interview_before, sizeof d->delays.interview_before);
	d->delays.n_interview_before = d->config->n_interview_before;
	d->policy = (struct mail_policy){ .delays = &d->delays, .review_below = d->config->review_below,
					  .create_at_least = d->config->create_at_least };
}

static gboolean on_quit_signal(gpointer data)
{
	struct daemon *d = data;

	log_info("stopping");
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

/* Loads the configuration and the rules again; on an error keeps the old ones. */
static void reload(struct daemon *d)
{
	g_autoptr(GError) error = NULL;
	struct config *config = NULL;

	if (config_load(d->config_arg, &config, &error) < 0) {
		log_error("configuration not reloaded, keeping the old one: %s", error->message);
		return;
	}
	rules *new_rules = NULL;
	if (rules_load_standard(&new_rules, &error) < 0) {
		log_error("configuration not reloaded, keeping the old one: %s", error->message);
		config_free(config);
		return;
	}
	learning_start(d, new_rules); /* a new model: the user's lessons, before it reads mail */
	rules_free(d->rules);
	d->rules = new_rules;
	if (g_strcmp0(config->database, d->config->database) != 0)
		log_warnx("database path changed to %s: that takes effect at the next start, ignoring",
			  config->database);
	if (g_strcmp0(config->calendar_listen, d->config->calendar_listen) != 0 ||
	    g_strcmp0(config->calendar_token, d->config->calendar_token) != 0)
		log_warnx("[calendar] listen or token changed: that takes effect at the next start, ignoring");
	if (g_strcmp0(config->web_address, d->config->web_address) != 0 ||
	    g_strcmp0(config->web_token, d->config->web_token) != 0 ||
	    !g_strv_equal((const char *const *)config->web_allowed_hosts, (const char *const *)d->config->web_allowed_hosts))
		log_warnx("[web] listen, token or allowed_hosts changed: that takes effect at the next start, ignoring");
	mail_stop(d); /* accounts may have changed: the workers start again with the new ones */
	config_free(d->config);
	d->config = config;
	daemon_apply_config(d);
	mail_start(d);
	caldav_reload(d); /* the vdir and CalDAV settings apply now, not at the next change */
	log_info("configuration reloaded");
}

static gboolean on_reload_signal(gpointer data)
{
	struct daemon *d = data;

	service_reloading(d, true);
	reload(d);
	service_reloading(d, false);
	return G_SOURCE_CONTINUE;
}

static int check_config(void)
{
	g_autoptr(GError) error = NULL;
	struct config *config = NULL;

	rules *r = NULL;
	int status = EXIT_SUCCESS;

	if (config_load(opt_config, &config, &error) < 0) {
		fprintf(stderr, "%s\n", error->message);
		status = EXIT_CONFIG;
		g_clear_error(&error);
	}
	if (rules_load_standard(&r, &error) < 0) {
		fprintf(stderr, "%s\n", error->message);
		status = EXIT_CONFIG;
	}
	/* a model that cannot be loaded is no error (the rules alone read mail), but it is said */
	if (r && rules_model_problem(r))
		fprintf(stderr, "%s: mail is read with the rules alone\n", rules_model_problem(r));
	if (status == EXIT_SUCCESS && rules_model(r))
		printf("%s: configuration OK, %u rules, mail model trained on %u messages\n",
		       config->path ? config->path : "(embedded defaults)", rules_count(r),
		       model_shipped_count(rules_model(r)));
	else if (status == EXIT_SUCCESS)
		printf("%s: configuration OK, %u rules, no mail model\n", config->path ? config->path : "(embedded defaults)",
		       rules_count(r));
	config_free(config);
	rules_free(r);
	return status;
}

/* Opens the database and the control socket. */
static int daemon_start(struct daemon *d, GError **error)
{
	g_autofree char *socket_path = NULL;
	g_autofree char *db_dir = g_path_get_dirname(d->config->database);
	int r;

	r = rules_load_standard(&d->rules, error);
	if (r < 0)
		return r;
	r = paths_mkdir(db_dir, 0700, FALSE, error);
	if (r < 0)
		return r;
	r = store_open(d->config->database, &d->store, error);
	if (r < 0)
		return r;
	d->pipeline = (struct pipeline){ .store = d->store, .delays = &d->delays };
	/* before any mail is read: what a crash while reading left is not read again */
	d->reading_dir = reading_dir(d->config->database);
	if ((r = reading_recover(d, error)) < 0 || (r = reader_start(d, error)) < 0)
		return r;
	/* the user's lessons, read like mail (a lesson quarantined above is skipped), before
	 * the model reads any */
	learning_start(d, d->rules);
	socket_path = paths_socket(error);
	if (!socket_path)
		return -ENOENT;
	r = control_listen(d, socket_path, &d->control, error);
	if (r < 0)
		return r;
	g_autoptr(GError) cal_error = NULL;
	if (calendar_start(d, &cal_error) < 0) /* the rest of the daemon works without the feed */
		log_error("%s", cal_error->message);
	g_autoptr(GError) web_error = NULL;
	if (web_start(d, &web_error) < 0) /* nor without the page */
		log_error("%s", web_error->message);
	scheduler_start(d);
	mail_start(d);
	log_info("apptrackd %s ready: database %s, control socket %s", APPTRACK_VERSION,
		 d->config->database, control_path(d->control));
	return 0;
}

static void daemon_stop(struct daemon *d)
{
	service_stop(d); /* STOPPING=1 first: the rest may take a moment */
	importing_stop(d); /* before the reader and mail: the writes that waited may use them */
	reader_stop(d);
	mail_stop(d);
	scheduler_stop(d);
	web_stop(d); /* after the import and the reader: the calls it waits for are answered */
	calendar_stop(d);
	control_free(d->control);
	d->control = NULL;
	store_close(d->store);
	d->store = NULL;
	rules_free(d->rules);
	d->rules = NULL;
	if (d->quarantined)
		g_hash_table_unref(d->quarantined);
	d->quarantined = NULL;
	g_clear_pointer(&d->reading_dir, g_free);
	config_free(d->config);
	d->config = NULL;
	changes_clear(d);
	if (d->loop)
		g_main_loop_unref(d->loop);
	d->loop = NULL;
}

/* Forks; the parent waits for the child's verdict on the pipe and exits with it. Returns
 * in the child with the pipe's write end in *ret_fd. */
static int daemonize(int *ret_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_warn("pipe");
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		log_warn("fork");
		return -errno;
	}
	if (pid > 0) {
		char buf[STARTUP_MESSAGE_MAX];
		ssize_t n;

		close(fds[1]);
		do
			n = read(fds[0], buf, sizeof(buf) - 1);
		while (n < 0 && errno == EINTR);
		if (n == 1 && buf[0] == '\0')
			_exit(EXIT_SUCCESS);
		if (n > 0) {
			buf[n] = '\0';
			fprintf(stderr, "apptrackd: %s\n", buf);
		} else {
			fprintf(stderr, "apptrackd: the daemon exited during start-up\n");
		}
		_exit(EXIT_FAILURE);
	}
	close(fds[0]);
	if (setsid() < 0)
		log_warn("setsid");
	*ret_fd = fds[1];
	return 0;
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

int main(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("- track job applications from your mailbox");
	g_autoptr(GError) error = NULL;
	struct daemon d = { 0 };
	guint sig_term, sig_int, sig_hup;
	int notify_fd = -1;
	int status = EXIT_SUCCESS;

	g_option_context_add_main_entries(ctx, option_entries, NULL);
	g_option_context_set_summary(ctx, "apptrackd watches your job applications: see apptrackd(8).");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "apptrackd: %s (try --help)\n", error->message);
		return 2;
	}
	if (argc > 1) {
		fprintf(stderr, "apptrackd: unexpected argument \"%s\" (try --help)\n", argv[1]);
		return 2;
	}
	if (opt_version) {
		printf("apptrackd %s (protocol %d)\n", APPTRACK_VERSION, PROTO_VERSION);
		return EXIT_SUCCESS;
	}
	if (opt_check_config) {
		status = check_config();
		g_free(opt_config);
		return status;
	}

	signal(SIGPIPE, SIG_IGN);
	log_to_journal("apptrackd");
	d.config_arg = opt_config;
	d.started_at = time_now();
	if (config_load(d.config_arg, &d.config, &error) < 0) {
		fprintf(stderr, "%s\n", error->message);
		g_free(opt_config);
		return EXIT_CONFIG;
	}
	daemon_apply_config(&d);

	if (!opt_foreground && daemonize(&notify_fd) < 0) {
		status = EXIT_FAILURE;
		goto out;
	}

	d.loop = g_main_loop_new(NULL, FALSE);
	if (daemon_start(&d, &error) < 0) {
		log_error("%s", error->message);
		if (notify_fd >= 0)
			(void)!write(notify_fd, error->message, strlen(error->message));
		status = EXIT_FAILURE;
		goto out;
	}
	if (notify_fd >= 0) {
		log_to_syslog("apptrackd");
		(void)!write(notify_fd, "", 1);
		close(notify_fd);
		notify_fd = -1;
		detach_stdio();
	}
	service_start(&d);

	sig_term = g_unix_signal_add(SIGTERM, on_quit_signal, &d);
	sig_int = g_unix_signal_add(SIGINT, on_quit_signal, &d);
	sig_hup = g_unix_signal_add(SIGHUP, on_reload_signal, &d);
	g_main_loop_run(d.loop);
	g_source_remove(sig_term);
	g_source_remove(sig_int);
	g_source_remove(sig_hup);
	log_info("stopped");

out:
	if (notify_fd >= 0)
		close(notify_fd);
	daemon_stop(&d);
	g_free(opt_config);
	return status;
}
