/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feed_resources.h - resources made by hand, as feed_resources() (feed.h) hands them out,
 * for the tests of what consumes them (the CalDAV outbox, the vdir). */
#ifndef APPTRACK_TEST_FEED_RESOURCES_H
#define APPTRACK_TEST_FEED_RESOURCES_H

#include "apptrack/feed.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

/* A feed of name, text pairs, NULL-terminated: a GPtrArray of struct feed_resource *. */
static GPtrArray *feed_of(const char *name, ...)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(feed_resource_free);
	va_list ap;

	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *)) {
		const char *text = va_arg(ap, const char *);
		g_ptr_array_add(out, feed_resource_new(g_strdup(n), g_strdup(text), strlen(text)));
	}
	va_end(ap);
	return out;
}

#endif
