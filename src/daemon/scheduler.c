/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scheduler.c - due reminders become desktop notifications (libnotify).
 *
 * One GLib timer on the main loop, for the earliest open reminder not raised yet
 * (reminders.fired_at IS NULL); it is recomputed after every change (the change bus,
 * daemon_changed(), calls scheduler_changed()) and never sleeps longer than SCHEDULER_MAX_SLEEP_S, so a
 * suspended laptop or a changed clock is caught up with. When it fires, a run raises every
 * open reminder due by then once and stamps fired_at: reminders that came due while the
 * daemon was down are raised at start. Interview reminders are rows of kind `interview`
 * (scheduled by the pipeline before each interview).
 *
 * A run never holds the main loop: it raises SCHEDULER_SLICE reminders per callback, each
 * slice stamped in one transaction and logged as one line, and continues from an idle
 * source, so the socket is served between slices. A reminder is shown on its own unless it
 * is overdue by more than SCHEDULER_OVERDUE_S (downtime, imported history) or
 * SCHEDULER_POPUPS reminders were shown on their own in the last SCHEDULER_BURST_S; those
 * are counted into one summary notification ("14 reminders are overdue"), updated in place
 * while it is open. A summary of one is shown as that reminder instead.
 *
 * Where the notification server supports actions, a notification offers "Done" (the
 * default action, what a click or `dunstctl action` does) and "Snooze 1 day". Without a
 * session bus or a notification server the daemon logs that once and carries on; the
 * reminders are still stamped, and shown by `apptrackctl reminders` and `upcoming`.
 */
#include "daemon.h"

#include "apptrack/error.h"
#include "apptrack/log.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"

#include <libnotify/notify.h>
#include <string.h>

#define SCHEDULER_MAX_SLEEP_S 3600
#define SNOOZE_S 86400
#define SCHEDULER_SLICE 200        /* reminders raised per main-loop callback, in one transaction */
#define SCHEDULER_OVERDUE_S 86400  /* overdue by more than this: into the summary */
#define SCHEDULER_POPUPS 3         /* reminders shown on their own per SCHEDULER_BURST_S ... */
#define SCHEDULER_BURST_S 60       /* ... the rest of a burst goes into the summary */
#define SCHEDULER_SUMMARY_LINES 4  /* reminders named in the summary's body */
#define SCHEDULER_RETRY_S 60       /* after a run failed (the database), the next waits this long */

/* A run under way: what was due when it started, raised a slice per callback. */
struct run {
	guint source;       /* idle source of the next slice; 0 when no run is under way */
	bool gated;         /* the run waits for an import to end (the write gate, importing.c) */
	int64_t now;        /* when it started */
	size_t summarized;  /* how many it counted into the summary */
	json_t *only;       /* the one reminder it summarized, while it is the only one */
};

/* The summary notification, while it is open. */
struct summary {
	NotifyNotification *n;
	size_t count, overdue;
	GPtrArray *lines; /* the first SCHEDULER_SUMMARY_LINES reminders, as "Title: body" */
};

struct scheduler {
	struct daemon *d;
	guint timer;
	guint recompute; /* idle source of a pending recompute */
	bool notify_ok;    /* notify_init() worked */
	bool warned;       /* "no notifications" logged */
	bool actions;      /* the server supports actions */
	int64_t next_due;  /* the next reminder's due time, 0 when none is pending */
	GHashTable *shown; /* reminder id -> NotifyNotification, until closed */
	struct run run;
	struct summary summary;
	int64_t popped[SCHEDULER_POPUPS]; /* when the last reminders were shown on their own, a ring */
	size_t popped_next;
	bool failed; /* the last run failed: do not retry at once */
};

static void arm(struct scheduler *sc);

/* A notification's action that waits for an import (the write gate, importing.c). */
struct act_later {
	struct scheduler *sc;
	int64_t id;
	bool done;
};

static void act(struct scheduler *sc, int64_t id, bool done);

static void act_later(struct daemon *d, void *data)
{
	struct act_later *a = data;
	(void)d;
	act(a->sc, a->id, a->done);
	g_free(a);
}

static void act(struct scheduler *sc, int64_t id, bool done)
{
	struct daemon *d = sc->d;
	g_autoptr(GError) error = NULL;
	json_t *rem = NULL;

	if (gate_closed(d, false)) { /* an import is writing: after it */
		struct act_later *a = g_new(struct act_later, 1);
		*a = (struct act_later){ sc, id, done };
		gate_defer(d, false, act_later, a);
		return;
	}
	int r = done ? reminders_done(&d->pipeline, id, &rem, &error)
		     : reminders_snooze(&d->pipeline, id, SNOOZE_S, &rem, &error);

	if (r < 0) {
		log_warnx("reminder %" G_GINT64_FORMAT ": %s", id, error->message);
		return;
	}
	json_decref(rem);
	log_info("reminder %" G_GINT64_FORMAT " %s from its notification", id, done ? "done" : "snoozed for a day");
	json_t *fields = json_pack("{s:I}", "id", (json_int_t)id);
	daemon_changed(d, "reminder.changed", fields);
	json_decref(fields);
}

static void on_action(NotifyNotification *n, char *action, gpointer data)
{
	struct scheduler *sc = data;
	int64_t id = GPOINTER_TO_SIZE(g_object_get_data(G_OBJECT(n), "reminder"));
	act(sc, id, strcmp(action, "snooze") != 0);
	notify_notification_close(n, NULL);
}

static void on_closed(NotifyNotification *n, gpointer data)
{
	struct scheduler *sc = data;
	int64_t id = GPOINTER_TO_SIZE(g_object_get_data(G_OBJECT(n), "reminder"));
	g_hash_table_remove(sc->shown, &id);
}

/* "Prepare for the interview", and "Acme – Engineer\nnote" in *ret_body. */
static const char *describe(json_t *rem, char **ret_body)
{
	const char *company = json_string_value(json_object_get(rem, "company"));
	const char *position = json_string_value(json_object_get(rem, "position"));
	const char *note = json_string_value(json_object_get(rem, "note"));

	*ret_body = g_strdup_printf("%s%s%s%s%s", company ? company : "", position ? " – " : "",
				    position ? position : "", note ? "\n" : "", note ? note : "");
	return reminder_title(json_string_value(json_object_get(rem, "kind")));
}

/* Shows n; false (and said once) when the server is not there. */
static bool show(struct scheduler *sc, NotifyNotification *n)
{
	g_autoptr(GError) error = NULL;

	if (notify_notification_show(n, &error))
		return true;
	if (!sc->warned)
		log_warnx("desktop notifications are not available (%s); reminders are still listed by "
			  "apptrackctl reminders",
			  error->message);
	sc->warned = true;
	return false;
}

/* Shows reminder rem on its own, with Done and Snooze where the server has actions. */
static void raise_one(struct scheduler *sc, json_t *rem)
{
	int64_t id = json_integer_value(json_object_get(rem, "id"));
	g_autofree char *body = NULL;
	const char *title = describe(rem, &body);

	if (!sc->notify_ok)
		return;
	NotifyNotification *n = notify_notification_new(title, body, "appointment-soon");
	g_object_set_data(G_OBJECT(n), "reminder", GSIZE_TO_POINTER((gsize)id));
	notify_notification_set_app_name(n, "apptrack");
	if (sc->actions) {
		notify_notification_add_action(n, "default", "Done", on_action, sc, NULL);
		notify_notification_add_action(n, "snooze", "Snooze 1 day", on_action, sc, NULL);
		notify_notification_set_timeout(n, NOTIFY_EXPIRES_NEVER);
	}
	g_signal_connect(n, "closed", G_CALLBACK(on_closed), sc);
	if (!show(sc, n)) {
		g_object_unref(n);
		return;
	}
	int64_t *key = g_new(int64_t, 1);
	*key = id;
	g_hash_table_replace(sc->shown, key, n);
}

static void summary_clear(struct summary *sm)
{
	g_clear_object(&sm->n);
	if (sm->lines)
		g_ptr_array_set_size(sm->lines, 0);
	sm->count = sm->overdue = 0;
}

static void on_summary_closed(NotifyNotification *n, gpointer data)
{
	struct scheduler *sc = data;
	if (sc->summary.n == n)
		summary_clear(&sc->summary);
}

/* Counts rem into the summary (shown when the run ends). */
static void summarize(struct scheduler *sc, json_t *rem, bool overdue)
{
	struct summary *sm = &sc->summary;

	sm->count++;
	sm->overdue += overdue;
	if (sm->lines->len < SCHEDULER_SUMMARY_LINES) {
		g_autofree char *body = NULL;
		const char *title = describe(rem, &body);
		char *nl = strchr(body, '\n');
		if (nl)
			*nl = '\0'; /* the note stays out of a summary */
		g_ptr_array_add(sm->lines, g_strdup_printf("%s: %s", title, body));
	}
}

/* Shows the summary, or updates the one still open, with its count. */
static void summary_show(struct scheduler *sc)
{
	struct summary *sm = &sc->summary;
	g_autofree char *title = g_strdup_printf(sm->count == 1 ? "%zu reminder is %s" : "%zu reminders are %s",
						 sm->count, sm->overdue ? "overdue" : "due");
	GString *body = g_string_new(NULL);

	for (guint i = 0; i < sm->lines->len; i++)
		g_string_append_printf(body, "%s\n", (const char *)sm->lines->pdata[i]);
	if (sm->count > sm->lines->len)
		g_string_append_printf(body, "and %zu more; ", sm->count - sm->lines->len);
	g_string_append(body, "apptrackctl reminders lists them");
	if (sm->n) {
		notify_notification_update(sm->n, title, body->str, "appointment-soon");
	} else {
		sm->n = notify_notification_new(title, body->str, "appointment-soon");
		notify_notification_set_app_name(sm->n, "apptrack");
		notify_notification_set_timeout(sm->n, NOTIFY_EXPIRES_NEVER); /* until the user has seen it */
		g_signal_connect(sm->n, "closed", G_CALLBACK(on_summary_closed), sc);
	}
	if (!show(sc, sm->n))
		summary_clear(sm);
	g_string_free(body, TRUE);
}

/* Whether another reminder may be shown on its own now (at most SCHEDULER_POPUPS in
 * SCHEDULER_BURST_S); if so, it counts. */
static bool may_pop(struct scheduler *sc, int64_t now)
{
	int64_t *oldest = &sc->popped[sc->popped_next];

	if (*oldest && now - *oldest < SCHEDULER_BURST_S)
		return false;
	*oldest = now;
	sc->popped_next = (sc->popped_next + 1) % SCHEDULER_POPUPS;
	return true;
}

static void run_end(struct scheduler *sc)
{
	struct run *run = &sc->run;

	if (run->only && sc->summary.count == 1) { /* a summary of one: the reminder itself */
		raise_one(sc, run->only);
		summary_clear(&sc->summary);
	} else if (run->summarized) {
		if (sc->notify_ok)
			summary_show(sc);
		else
			summary_clear(&sc->summary);
	}
	json_decref(run->only);
	*run = (struct run){ 0 };
	arm(sc);
}

/* Raises the next slice of the run: stamps it in one transaction, then shows each
 * reminder or counts it into the summary, and logs one line. */
static void on_gate_open(struct daemon *d, void *data);

static gboolean on_slice(gpointer data)
{
	struct scheduler *sc = data;
	struct run *run = &sc->run;
	g_autoptr(GError) error = NULL;
	json_t *due = NULL, *rem;
	int64_t *ids = NULL;
	size_t i, n, popped = 0;

	if (gate_closed(sc->d, false)) { /* an import is writing: the run waits for it */
		run->source = 0;
		run->gated = true;
		gate_defer(sc->d, false, on_gate_open, sc);
		return G_SOURCE_REMOVE;
	}
	if (reminders_unraised(sc->d->store, run->now, SCHEDULER_SLICE, &due, &error) < 0) {
		log_warnx("reminders: %s", error->message);
		sc->failed = true;
		goto end;
	}
	n = json_array_size(due);
	ids = g_new(int64_t, MAX(n, 1));
	json_array_foreach (due, i, rem)
		ids[i] = json_integer_value(json_object_get(rem, "id"));
	if (reminders_raised(sc->d->store, ids, n, run->now, &error) < 0) {
		log_warnx("reminders: %s", error->message);
		sc->failed = true;
		goto end;
	}
	json_array_foreach (due, i, rem) {
		int64_t at = 0;
		time_parse_iso(json_string_value(json_object_get(rem, "due_at")), &at);
		bool overdue = at && run->now - at > SCHEDULER_OVERDUE_S;
		if (!overdue && may_pop(sc, run->now)) {
			raise_one(sc, rem);
			popped++;
			continue;
		}
		if (sc->summary.count == 0 && !run->only)
			run->only = json_incref(rem);
		else
			g_clear_pointer(&run->only, json_decref);
		summarize(sc, rem, overdue);
		run->summarized++;
	}
	if (n == 1) {
		g_autofree char *body = NULL;
		rem = json_array_get(due, 0);
		const char *title = describe(rem, &body);
		log_with(LOG_LEVEL_INFO,
			 &(struct log_fields){ .application_id = json_integer_value(json_object_get(rem, "application_id")) },
			 "reminder %" G_GINT64_FORMAT " due: %s: %s", ids[0], title, body);
	} else if (n > 1) {
		log_info("%zu reminders due, %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", raised: %zu shown, %zu in "
			 "the summary",
			 n, ids[0], ids[n - 1], popped, n - popped);
	}
	if (n == SCHEDULER_SLICE) { /* maybe more: after the main loop has had its turn */
		g_free(ids);
		json_decref(due);
		return G_SOURCE_CONTINUE;
	}
end:
	g_free(ids);
	json_decref(due);
	run_end(sc);
	return G_SOURCE_REMOVE;
}

/* The write gate opened (importing.c): go on with the run that waited for an import. */
static void on_gate_open(struct daemon *d, void *data)
{
	struct scheduler *sc = data;

	(void)d;
	sc->run.gated = false;
	sc->run.source = g_idle_add(on_slice, sc);
}

static gboolean on_timer(gpointer data)
{
	struct scheduler *sc = data;

	sc->timer = 0;
	sc->run = (struct run){ .now = time_now() };
	sc->run.source = g_idle_add(on_slice, sc);
	return G_SOURCE_REMOVE;
}

/* Sets the timer for the next reminder to raise (a run under way sets it when it ends). */
static void arm(struct scheduler *sc)
{
	g_autoptr(GError) error = NULL;
	int64_t next = 0, wait = SCHEDULER_MAX_SLEEP_S;

	if (sc->run.source || sc->run.gated)
		return;
	sc->next_due = 0;
	if (sc->timer)
		g_source_remove(sc->timer);
	sc->timer = 0;
	if (reminders_next_due(sc->d->store, &next, &error) < 0) {
		log_warnx("reminders: %s", error->message);
	} else if (next) {
		wait = CLAMP(next - time_now(), 0, SCHEDULER_MAX_SLEEP_S);
		sc->next_due = next;
	}
	if (sc->failed) /* not at once again, nor in a loop */
		wait = MAX(wait, SCHEDULER_RETRY_S);
	sc->failed = false;
	sc->timer = wait ? g_timeout_add_seconds((guint)wait, on_timer, sc) : g_idle_add(on_timer, sc);
}

static gboolean on_recompute(gpointer data)
{
	struct scheduler *sc = data;
	sc->recompute = 0;
	arm(sc);
	return G_SOURCE_REMOVE;
}

void scheduler_changed(struct daemon *d)
{
	struct scheduler *sc = d ? d->scheduler : NULL;
	if (sc && !sc->recompute)
		sc->recompute = g_idle_add(on_recompute, sc);
}

void scheduler_start(struct daemon *d)
{
	struct scheduler *sc = g_new0(struct scheduler, 1);

	sc->d = d;
	sc->shown = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_object_unref);
	sc->summary.lines = g_ptr_array_new_with_free_func(g_free);
	d->scheduler = sc;
	/* without a session bus libnotify only prints GLib warnings: look first */
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	if (!bus) {
		log_info("desktop notifications are not available (no session bus: %s); reminders are still "
			  "listed by apptrackctl reminders",
			  error->message);
		sc->warned = true;
	} else {
		g_autoptr(GVariant) owned = g_dbus_connection_call_sync(
			bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
			g_variant_new("(s)", "org.freedesktop.Notifications"), G_VARIANT_TYPE("(b)"),
			G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
		gboolean has = FALSE;
		if (owned)
			g_variant_get(owned, "(b)", &has);
		sc->notify_ok = notify_init("apptrack");
		if (sc->notify_ok && has) {
			GList *caps = notify_get_server_caps();
			sc->actions = g_list_find_custom(caps, "actions", (GCompareFunc)strcmp) != NULL;
			g_list_free_full(caps, g_free);
		} else {
			/* one may start later (the daemon can start before the desktop): try when raising */
			log_info("no notification server on the session bus yet");
		}
	}
	arm(sc);
}

int64_t scheduler_next_due(struct daemon *d)
{
	return d->scheduler ? d->scheduler->next_due : 0;
}

void scheduler_stop(struct daemon *d)
{
	struct scheduler *sc = d->scheduler;

	if (!sc)
		return;
	if (sc->timer)
		g_source_remove(sc->timer);
	if (sc->recompute)
		g_source_remove(sc->recompute);
	if (sc->run.source)
		g_source_remove(sc->run.source);
	json_decref(sc->run.only);
	if (sc->summary.n)
		g_signal_handlers_disconnect_by_data(sc->summary.n, sc);
	summary_clear(&sc->summary);
	g_ptr_array_unref(sc->summary.lines);
	g_hash_table_destroy(sc->shown);
	if (sc->notify_ok)
		notify_uninit();
	g_free(sc);
	d->scheduler = NULL;
}
