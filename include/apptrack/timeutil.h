/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeutil.h - the few date and time conversions apptrack needs.
 *
 * Times are Unix seconds (int64_t) in memory and ISO 8601 UTC text in the database and
 * on the wire ("2026-11-22T15:04:05Z"); calendar dates are "YYYY-MM-DD".
 */
#ifndef APPTRACK_TIMEUTIL_H
#define APPTRACK_TIMEUTIL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define TIME_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */
#define TIME_DATE_LEN 11 /* "YYYY-MM-DD" plus NUL */

/* Current time: $APPTRACK_NOW (Unix seconds or ISO 8601, for tests and demos) if set
 * and valid, else the clock. */
int64_t time_now(void);
/* Formats t as ISO 8601 UTC into buf. Returns buf. */
char *time_format_iso(int64_t t, char buf[TIME_ISO_LEN]);
/* Formats the local calendar date of t into buf. Returns buf. */
char *time_format_date(int64_t t, char buf[TIME_DATE_LEN]);
/* Parses an ISO 8601 timestamp (with Z or offset; "YYYY-MM-DD HH:MM[:SS]" is taken as
 * local time). 0 or -EINVAL. */
int time_parse_iso(const char *text, int64_t *ret_t);
/* Parses "YYYY-MM-DD" (also "YYYY/MM/DD"), validating the day. Writes the canonical
 * form into ret_date when non-NULL and the local midnight into ret_t when non-NULL.
 * 0 or -EINVAL. */
int time_parse_date(const char *text, char ret_date[TIME_DATE_LEN], int64_t *ret_t);
/* Parses a duration: a positive integer with unit s, m, h, d or w ("7d", "90m"); a bare
 * number means seconds; "0" is allowed. 0 or -EINVAL. */
int time_parse_duration(const char *text, int64_t *ret_seconds);
/* The duration as time_parse_duration() reads it, in its largest whole unit: "1d", "90m",
 * "45s". g_free. */
char *time_format_duration(int64_t seconds);
/* Days from the date "YYYY-MM-DD" a to b (b - a). Both must be valid dates. */
int64_t time_days_between(const char *date_a, const char *date_b);

#endif
