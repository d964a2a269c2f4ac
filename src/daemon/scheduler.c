/* scheduler.c - due reminders become desktop notifications (libnotify).
 *
 * One GLib timer on the main loop, for the earliest open reminder not raised yet
 * (reminders.fired_at IS NULL); it is recomputed after every change (the change bus,
 * daemon_changed(), calls scheduler_changed()) and never sleeps longer than SCHEDULER_MAX_SLEEP_S, so a
 * suspended laptop or a changed clock is caught up with. When it fires, every open
 * reminder due by now is raised once and stamped fired_at: reminders that came due while
 * the daemon was down are raised at start. Interview reminders are rows of kind
 * `interview` (scheduled by the pipeline before each interview).
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

struct scheduler {
	struct daemon *d;
	guint timer;
	guint recompute; /* idle source of a pending recompute */
	bool notify_ok;    /* notify_init() worked */
	bool warned;       /* "no notifications" logged */
	bool actions;      /* the server supports actions */
	int64_t next_due;  /* the next reminder's due time, 0 when none is pending */
	GHashTable *shown; /* reminder id -> NotifyNotification, until closed */
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

static void raise_one(struct scheduler *sc, json_t *rem)
{
	int64_t id = json_integer_value(json_object_get(rem, "id"));
	const char *kind = json_string_value(json_object_get(rem, "kind"));
	const char *company = json_string_value(json_object_get(rem, "company"));
	const char *position = json_string_value(json_object_get(rem, "position"));
	const char *note = json_string_value(json_object_get(rem, "note"));
	const char *title = reminder_title(kind);
	g_autoptr(GError) error = NULL;

	g_autofree char *body = g_strdup_printf("%s%s%s%s%s", company ? company : "", position ? " – " : "",
						position ? position : "", note ? "\n" : "", note ? note : "");
	int64_t app_id = json_integer_value(json_object_get(rem, "application_id"));
	log_with(LOG_LEVEL_INFO, &(struct log_fields){ .application_id = app_id },
		 "reminder %" G_GINT64_FORMAT " due: %s: %s", id, title, body);
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
	if (!notify_notification_show(n, &error)) {
		if (!sc->warned)
			log_warnx("desktop notifications are not available (%s); reminders are still listed by "
				  "apptrackctl reminders",
				  error->message);
		sc->warned = true;
		g_object_unref(n);
		return;
	}
	int64_t *key = g_new(int64_t, 1);
	*key = id;
	g_hash_table_replace(sc->shown, key, n);
}

/* Raises every open reminder due by now that was not raised yet. */
static void raise_due(struct scheduler *sc)
{
	store *s = sc->d->store;
	g_autoptr(GError) error = NULL;
	int64_t now = time_now();
	json_t *due = NULL, *rem;
	size_t i;

	if (reminders_unraised(s, now, &due, &error) < 0) {
		log_warnx("reminders: %s", error->message);
		return;
	}
	json_array_foreach (due, i, rem) {
		if (reminders_raised(s, json_integer_value(json_object_get(rem, "id")), now, &error) < 0)
			break;
		raise_one(sc, rem);
	}
	if (error)
		log_warnx("reminders: %s", error->message);
	json_decref(due);
}

/* The write gate opened (importing.c): raise what came due while an import wrote. */
static void on_timer_later(struct daemon *d, void *data)
{
	(void)d;
	raise_due(data);
	arm(data);
}

static gboolean on_timer(gpointer data)
{
	struct scheduler *sc = data;
	sc->timer = 0;
	if (gate_closed(sc->d, false)) { /* an import is writing: raise after it */
		gate_defer(sc->d, false, on_timer_later, sc);
		return G_SOURCE_REMOVE;
	}
	raise_due(sc);
	arm(sc);
	return G_SOURCE_REMOVE;
}

/* Sets the timer for the next reminder to raise. */
static void arm(struct scheduler *sc)
{
	g_autoptr(GError) error = NULL;
	int64_t next = 0, wait = SCHEDULER_MAX_SLEEP_S;

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
	g_hash_table_destroy(sc->shown);
	if (sc->notify_ok)
		notify_uninit();
	g_free(sc);
	d->scheduler = NULL;
}
