/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeutil.c - conversions between Unix seconds, ISO 8601 text, dates and durations. */
#include "apptrack/timeutil.h"

#include "apptrack/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t time_now(void)
{
	const char *fake = g_getenv("APPTRACK_NOW");
	int64_t t;

	if (fake && *fake) {
		char *end;
		long long v = strtoll(fake, &end, 10);
		if (*end == '\0' && end != fake)
			return v;
		if (time_parse_iso(fake, &t) == 0)
			return t;
	}
	return (int64_t)time(NULL);
}

char *time_format_iso(int64_t t, char buf[TIME_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, TIME_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *time_format_date(int64_t t, char buf[TIME_DATE_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, TIME_DATE_LEN, "%Y-%m-%d", &tm);
	return buf;
}

/* The local time zone, loaded once: creating it reads tzdata, far too slow per call. */
static GTimeZone *local_zone(void)
{
	static GTimeZone *zone;

	if (g_once_init_enter(&zone))
		g_once_init_leave(&zone, g_time_zone_new_local());
	return zone;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int time_parse_iso(const char *text, int64_t *ret_t)
{
	if (!text || !*text)
		return -EINVAL;
	/* fast path for the canonical form the database holds: "YYYY-MM-DDTHH:MM:SSZ" */
	int fy, fmo, fd, fh, fmi, fs, fn = 0;
	if (strlen(text) == TIME_ISO_LEN - 1 &&
	    sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &fy, &fmo, &fd, &fh, &fmi, &fs, &fn) == 6 &&
	    fn == TIME_ISO_LEN - 1 && fy >= 1 && fmo >= 1 && fmo <= 12 && fd >= 1 &&
	    fd <= g_date_get_days_in_month((GDateMonth)fmo, (GDateYear)fy) && fh >= 0 && fh < 24 && fmi >= 0 &&
	    fmi < 60 && fs >= 0 && fs < 60) {
		*ret_t = days_from_civil(fy, fmo, fd) * 86400 + fh * 3600 + fmi * 60 + fs;
		return 0;
	}
	g_autoptr(GDateTime) dt = NULL;
	GTimeZone *local = local_zone();

	dt = g_date_time_new_from_iso8601(text, local);
	if (!dt) {
		/* "YYYY-MM-DD HH:MM[:SS]" (a space, no zone): local time */
		int y, mo, d, h, mi, s = 0, n = 0, n2 = 0;
		if (sscanf(text, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
			if (text[n] == ':' && sscanf(text + n, ":%2d%n", &s, &n2) == 1)
				n += n2;
			if (text[n] == '\0' && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h < 24 &&
			    mi >= 0 && mi < 60 && s >= 0 && s < 60 &&
			    d <= g_date_get_days_in_month((GDateMonth)mo, (GDateYear)y))
				dt = g_date_time_new(local, y, mo, d, h, mi, s);
		}
	}
	if (!dt)
		return -EINVAL;
	*ret_t = g_date_time_to_unix(dt);
	return 0;
}

int time_parse_date(const char *text, char ret_date[TIME_DATE_LEN], int64_t *ret_t)
{
	int y, m, d, n = 0;
	char sep1, sep2;

	if (!text || sscanf(text, "%4d%c%2d%c%2d%n", &y, &sep1, &m, &sep2, &d, &n) != 5 ||
	    text[n] != '\0' || sep1 != sep2 || (sep1 != '-' && sep1 != '/') || n != 10)
		return -EINVAL;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > g_date_get_days_in_month((GDateMonth)m, (GDateYear)y))
		return -EINVAL;
	if (ret_date)
		snprintf(ret_date, TIME_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	if (ret_t) {
		g_autoptr(GDateTime) dt = g_date_time_new(local_zone(), y, m, d, 0, 0, 0);
		if (!dt)
			return -EINVAL;
		*ret_t = g_date_time_to_unix(dt);
	}
	return 0;
}

int time_parse_duration(const char *text, int64_t *ret_seconds)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 } };
	char *end;

	if (!text || !g_ascii_isdigit(text[0]))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || v > (unsigned long long)(100LL * 365 * 86400))
		return -EINVAL;
	if (*end == '\0') {
		*ret_seconds = (int64_t)v;
		return 0;
	}
	if (end[1] != '\0')
		return -EINVAL;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_ascii_tolower(*end) == units[i].unit) {
			if ((int64_t)v > INT64_MAX / units[i].seconds / 1000)
				return -EINVAL;
			*ret_seconds = (int64_t)v * units[i].seconds;
			return 0;
		}
	}
	return -EINVAL;
}

int64_t time_days_between(const char *date_a, const char *date_b)
{
	int ya, ma, da, yb, mb, db;

	if (!date_a || !date_b || sscanf(date_a, "%d-%d-%d", &ya, &ma, &da) != 3 ||
	    sscanf(date_b, "%d-%d-%d", &yb, &mb, &db) != 3)
		return 0;
	GDate a, b;
	g_date_clear(&a, 1);
	g_date_clear(&b, 1);
	g_date_set_dmy(&a, (GDateDay)da, (GDateMonth)ma, (GDateYear)ya);
	g_date_set_dmy(&b, (GDateDay)db, (GDateMonth)mb, (GDateYear)yb);
	return g_date_days_between(&a, &b);
}

char *time_format_duration(int64_t seconds)
{
	static const struct {
		int64_t size;
		const char *unit;
	} units[] = { { 7 * 86400, "w" }, { 86400, "d" }, { 3600, "h" }, { 60, "m" } };

	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (seconds >= units[i].size && seconds % units[i].size == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "%s", seconds / units[i].size, units[i].unit);
	return g_strdup_printf("%" G_GINT64_FORMAT "s", seconds);
}
