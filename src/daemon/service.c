/* SPDX-License-Identifier: GPL-3.0-or-later */
/* service.c - apptrackd under systemd: readiness and a status line (sd_notify), the
 * watchdog, and the control socket passed by socket activation (sd_listen_fds).
 *
 * Outside systemd all of it is idle: sd_notify() does nothing without $NOTIFY_SOCKET, the
 * watchdog is off without $WATCHDOG_USEC, and without $LISTEN_FDS control.c binds its
 * socket itself. The watchdog is pinged from a main-loop timer, so a main loop that hangs
 * stops the pings and systemd restarts the daemon.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/applications.h"
#include "apptrack/timeutil.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>

/* The status line follows changes at once and the clock ("in 3 h") this often. */
#define SERVICE_STATUS_REFRESH_S 30

struct service {
	struct daemon *d;
	guint watchdog;  /* timer pinging the watchdog */
	guint refresh;   /* timer refreshing the status line */
	guint changed;   /* idle source of a pending refresh */
	char *status;    /* the last status line sent */
};

int service_listen_fd(int *ret_fd, GError **error)
{
	int n = sd_listen_fds(1), fd = SD_LISTEN_FDS_START, r;

	if (n < 0)
		return at_error_set(error, n, "socket activation: LISTEN_FDS is not usable: %s", g_strerror(-n));
	if (n == 0)
		return 0;
	if (n > 1) {
		for (int i = 0; i < n; i++)
			close(SD_LISTEN_FDS_START + i);
		return at_error_set(error, -EINVAL,
				    "socket activation passed %d sockets; apptrackd takes one, its control socket "
				    "(one ListenStream= in apptrackd.socket)",
				    n);
	}
	r = sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0);
	if (r <= 0) {
		close(fd);
		return at_error_set(error, r < 0 ? r : -ENOTSOCK,
				    "socket activation: file descriptor %d is not a listening Unix stream socket "
				    "(apptrackd.socket needs ListenStream=PATH)",
				    fd);
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		r = -errno;
		close(fd);
		return at_error_set(error, r, "socket activation: %s", g_strerror(-r));
	}
	*ret_fd = fd;
	return 1;
}

/* "25 min", "3 h", "2 d": a wait of that many seconds, rounded up to its unit. */
static char *format_wait(int64_t seconds)
{
	if (seconds < 3600)
		return g_strdup_printf("%" PRId64 " min", MAX((seconds + 59) / 60, 1));
	if (seconds < 2 * 86400)
		return g_strdup_printf("%" PRId64 " h", (seconds + 3599) / 3600);
	return g_strdup_printf("%" PRId64 " d", (seconds + 86399) / 86400);
}

static void append_count(GString *s, bool *first, unsigned n, const char *what)
{
	if (!n)
		return;
	g_string_append_printf(s, "%s%u %s", *first ? "" : ", ", n, what);
	*first = false;
}

/* "2 accounts idle, 41 applications, next reminder in 3 h" (g_free). */
static char *service_status_line(struct daemon *d)
{
	GString *s = g_string_new(NULL);
	struct mail_counts mc;
	int64_t apps = 0, next = scheduler_next_due(d);

	mail_counts(d, &mc);
	if (mc.total == 0) {
		g_string_append(s, "no mail accounts");
	} else if (mc.idle == mc.total || mc.starting == mc.total || mc.failing == mc.total) {
		g_string_append_printf(s, "%u account%s %s", mc.total, mc.total == 1 ? "" : "s",
				       mc.idle ? "idle" : mc.starting ? "starting" : "failing");
	} else {
		bool first = true;
		g_string_append_printf(s, "%u accounts: ", mc.total);
		append_count(s, &first, mc.idle, "idle");
		append_count(s, &first, mc.starting, "starting");
		append_count(s, &first, mc.failing, "failing");
	}
	if (applications_count(d->store, &apps, NULL) == 0)
		g_string_append_printf(s, ", %" PRId64 " application%s", apps, apps == 1 ? "" : "s");
	if (next > 0) {
		int64_t wait = next - time_now();
		g_autofree char *in = wait > 0 ? format_wait(wait) : NULL;
		g_string_append_printf(s, ", next reminder %s%s", in ? "in " : "due now", in ? in : "");
	} else {
		g_string_append(s, ", no reminders pending");
	}
	return g_string_free(s, FALSE);
}

/* Sends STATUS= when the line reads differently from the last one sent. */
static void send_status(struct service *sv)
{
	g_autofree char *line = service_status_line(sv->d);

	if (g_strcmp0(line, sv->status) == 0)
		return;
	sd_notifyf(0, "STATUS=%s", line);
	g_free(sv->status);
	sv->status = g_steal_pointer(&line);
}

static gboolean on_watchdog(gpointer data)
{
	(void)data;
	sd_notify(0, "WATCHDOG=1");
	return G_SOURCE_CONTINUE;
}

static gboolean on_refresh(gpointer data)
{
	send_status(data);
	return G_SOURCE_CONTINUE;
}

static gboolean on_changed(gpointer data)
{
	struct service *sv = data;

	sv->changed = 0;
	send_status(sv);
	return G_SOURCE_REMOVE;
}

void service_start(struct daemon *d)
{
	struct service *sv = g_new0(struct service, 1);
	uint64_t usec = 0;

	sv->d = d;
	d->service = sv;
	sv->status = service_status_line(d);
	sd_notifyf(0, "READY=1\nSTATUS=%s", sv->status);
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		/* ping at half the interval, as sd_watchdog_enabled(3) suggests */
		guint ms = (guint)CLAMP(usec / 2000, 1, G_MAXUINT);
		sv->watchdog = g_timeout_add_full(G_PRIORITY_HIGH, ms, on_watchdog, sv, NULL);
		sd_notify(0, "WATCHDOG=1");
		log_debug("watchdog: pinging every %u ms", ms);
	}
	sv->refresh = g_timeout_add_seconds(SERVICE_STATUS_REFRESH_S, on_refresh, sv);
}

void service_reloading(struct daemon *d, bool reloading)
{
	if (!d->service)
		return;
	if (reloading) {
		sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
		g_clear_pointer(&d->service->status, g_free);
	} else {
		sd_notify(0, "READY=1");
		send_status(d->service);
	}
}

void service_changed(struct daemon *d)
{
	struct service *sv = d ? d->service : NULL;

	/* after the scheduler's own idle recompute (G_PRIORITY_DEFAULT_IDLE), which the
	 * "next reminder" part reads */
	if (sv && !sv->changed)
		sv->changed = g_idle_add_full(G_PRIORITY_LOW, on_changed, sv, NULL);
}

void service_stop(struct daemon *d)
{
	struct service *sv = d->service;

	if (!sv)
		return;
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	if (sv->watchdog)
		g_source_remove(sv->watchdog);
	if (sv->refresh)
		g_source_remove(sv->refresh);
	if (sv->changed)
		g_source_remove(sv->changed);
	g_free(sv->status);
	g_free(sv);
	d->service = NULL;
}
