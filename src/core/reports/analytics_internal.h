/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analytics_internal.h - what analytics_load.c (reading the store) and analytics.c (the
 * reports) share: the reading of dates (analytics.h is the API).
 */
#ifndef APPTRACK_ANALYTICS_INTERNAL_H
#define APPTRACK_ANALYTICS_INTERNAL_H

#include <glib.h>

#define SECONDS_PER_DAY 86400
#define NO_DAY 0 /* GDate Julian days start at 1 */

/* The value of n decimal digits at p, or -1 when one is not a digit. */
static inline int digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* The GDate Julian day of a date, or NO_DAY when there is no such date. */
static inline guint32 julian_of_dmy(int d, int m, int y)
{
	GDate g;

	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NO_DAY;
	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return g_date_get_julian(&g);
}

#endif
