/* SPDX-License-Identifier: GPL-3.0-or-later */
/* changes.c - the daemon's change bus: whatever changes stored data says so here.
 *
 * daemon_changed() is the one place a change is announced, by the method dispatcher
 * (methods.c, the events of a method's table entry), the mail workers' batches (mail.c),
 * the reminders raised or acted on from a notification (scheduler.c) and the lessons
 * (learning.c). It tells the parts that follow the stored data to look again - the
 * calendar feed, the reminder timer and systemd's status line, each of which coalesces
 * the calls of one main-loop turn into one rebuild - then the listeners added with
 * changes_listen() (unit tests), then the `watch` subscribers of the control socket and the
 * event streams of the web page (web_events.c).
 * A part that is not started (NULL in struct daemon) is skipped, so the bus works in a
 * unit test with nothing but a store. Main thread only.
 */
#include "daemon.h"

struct listener {
	changes_fn fn;
	void *data;
};

void daemon_changed(struct daemon *d, const char *event, json_t *fields)
{
	calendar_changed(d);
	scheduler_changed(d);
	service_changed(d); /* after the two above: its status line reads the next reminder */
	for (guint i = 0; d->listeners && i < d->listeners->len; i++) {
		const struct listener *l = &g_array_index(d->listeners, struct listener, i);
		l->fn(d, event, fields, l->data);
	}
	control_send_event(d->control, event, fields);
	web_changed(d, event, fields);
}

void changes_listen(struct daemon *d, changes_fn fn, void *data)
{
	const struct listener l = { fn, data };

	if (!d->listeners)
		d->listeners = g_array_new(FALSE, FALSE, sizeof(struct listener));
	g_array_append_val(d->listeners, l);
}

void changes_clear(struct daemon *d)
{
	g_clear_pointer(&d->listeners, g_array_unref);
}
