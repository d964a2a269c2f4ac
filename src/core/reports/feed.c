/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feed.c - the iCalendar feed and its cache of items; see feed.h. Reads interviews,
 * reminders and applications; owns no table. */
#include "apptrack/feed.h"

#include "apptrack/error.h"
#include "apptrack/reminders.h"
#include "apptrack/timeutil.h"
#include "apptrack/version.h"

#include <libical/ical.h>
#include <string.h>

#define REMINDER_MINUTES 15
#define DAY (24 * 3600)

/* One item's text, as made from its row. */
struct feed_item {
	gint64 key;       /* interview ID * 2, reminder ID * 2 + 1: the hash table's key */
	guint64 hash;     /* of the row and reminders_as: the item is made again when it changes */
	unsigned seen;    /* the build that last put it in the feed */
	int64_t modified; /* its updated_at */
	size_t len;
	char text[];      /* BEGIN:VEVENT ... END:VEVENT\r\n (or VTODO) */
};

struct feed {
	GHashTable *items;  /* key -> struct feed_item * (owned) */
	GPtrArray *order;   /* the last build's items, in the feed's order (borrowed from items) */
	unsigned build;     /* the current build, for seen */
	char *head;         /* BEGIN:VCALENDAR and its properties */
	size_t head_len;
};

/* A build in progress: what it reads with, and what it collects. */
struct build {
	struct feed *f;
	bool as_todo;
	int64_t now;
	GPtrArray *order;   /* of struct feed_item *, borrowed from f->items, in the feed's order */
	GHashTable *fresh;  /* key -> struct feed_item * made in this build (owned until committed) */
	int64_t modified;
	unsigned made;
};

static const char tail[] = "END:VCALENDAR\r\n";

static struct icaltimetype utc_at(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

static struct icaltimetype utc_time(const char *iso)
{
	int64_t t = 0;
	time_parse_iso(iso, &t);
	return utc_at(t);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* FNV-1a over every column of the row (NULL apart from ""), and whether it is a to-do. */
static guint64 row_hash(sqlite3_stmt *st, bool as_todo)
{
	guint64 h = 0xcbf29ce484222325ull ^ (guint64)as_todo;
	int n = sqlite3_column_count(st);

	for (int i = 0; i < n; i++) {
		const unsigned char *p = sqlite3_column_text(st, i);
		int len = sqlite3_column_bytes(st, i);
		h = (h ^ (p ? 0x1f : 0x1e)) * 0x100000001b3ull;
		for (int k = 0; k < len; k++)
			h = (h ^ p[k]) * 0x100000001b3ull;
	}
	return h;
}

/* A display alarm seconds before (negative) or after the start. */
static icalcomponent *display_alarm(int seconds, const char *text)
{
	struct icaltriggertype trigger = icaltriggertype_from_int(seconds);
	return icalcomponent_vanew(ICAL_VALARM_COMPONENT, icalproperty_new_action(ICAL_ACTION_DISPLAY),
				   icalproperty_new_trigger(trigger), icalproperty_new_description(text), (void *)0);
}

/* Common properties: UID, DTSTAMP, LAST-MODIFIED, SEQUENCE, SUMMARY. */
static void add_common(icalcomponent *c, const char *uid, const char *updated, int sequence, const char *summary)
{
	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(utc_time(updated)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(utc_time(updated)));
	icalcomponent_add_property(c, icalproperty_new_sequence(sequence));
	icalcomponent_add_property(c, icalproperty_new_summary(summary));
}

/* i.id, i.starts_at, i.ends_at, i.type, i.location, i.notes, i.sequence, i.updated_at, company, position */
static icalcomponent *interview_component(sqlite3_stmt *st)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	g_autofree char *uid = g_strdup_printf("interview-%lld@apptrack", (long long)sqlite3_column_int64(st, 0));
	g_autofree char *type = col(st, 3) ? g_strdup_printf(" (%s)", col(st, 3)) : g_strdup("");
	g_autofree char *summary = g_strdup_printf("Interview%s: %s – %s", type, col(st, 8), col(st, 9));

	add_common(ev, uid, col(st, 7), sqlite3_column_int(st, 6), summary);
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(col(st, 1))));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(col(st, 2))));
	if (col(st, 4)) {
		icalcomponent_add_property(ev, icalproperty_new_location(col(st, 4)));
		if (g_str_has_prefix(col(st, 4), "https://") || g_str_has_prefix(col(st, 4), "http://"))
			icalcomponent_add_property(ev, icalproperty_new_url(col(st, 4)));
	}
	if (col(st, 5))
		icalcomponent_add_property(ev, icalproperty_new_description(col(st, 5)));
	icalcomponent_add_component(ev, display_alarm(-86400, "Interview tomorrow"));
	icalcomponent_add_component(ev, display_alarm(-3600, "Interview in 1 hour"));
	return ev;
}

/* r.id, r.kind, r.due_at, r.note, r.updated_at, company, position, r.sequence */
static icalcomponent *reminder_component(sqlite3_stmt *st, bool as_todo)
{
	const char *title = reminder_title(col(st, 1));
	g_autofree char *uid = g_strdup_printf("reminder-%lld@apptrack", (long long)sqlite3_column_int64(st, 0));
	g_autofree char *summary = col(st, 5) ? g_strdup_printf("%s: %s – %s", title, col(st, 5), col(st, 6))
					      : g_strdup(title);
	int64_t due = 0;
	icalcomponent *c = as_todo ? icalcomponent_new_vtodo() : icalcomponent_new_vevent();

	time_parse_iso(col(st, 2), &due);
	add_common(c, uid, col(st, 4), sqlite3_column_int(st, 7), summary);
	icalcomponent_add_property(c, icalproperty_new_dtstart(utc_time(col(st, 2))));
	if (as_todo) {
		icalcomponent_add_property(c, icalproperty_new_due(utc_time(col(st, 2))));
		icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
	} else {
		icalcomponent_add_property(c, icalproperty_new_dtend(utc_at(due + REMINDER_MINUTES * 60)));
	}
	if (col(st, 3))
		icalcomponent_add_property(c, icalproperty_new_description(col(st, 3)));
	icalcomponent_add_component(c, display_alarm(0, summary));
	return c;
}

/* Adds the row's item to the feed: the cached one when its hash is unchanged, else one made
 * now (kept in b->fresh until the build succeeds). */
static void take_row(struct build *b, sqlite3_stmt *st, gint64 key, int updated_col, bool reminder)
{
	guint64 hash = row_hash(st, reminder && b->as_todo); /* interviews are the same either way */
	struct feed_item *it = g_hash_table_lookup(b->f->items, &key);

	if (!it || it->hash != hash) {
		icalcomponent *c = reminder ? reminder_component(st, b->as_todo) : interview_component(st);
		char *text = icalcomponent_as_ical_string_r(c);
		size_t len = strlen(text);
		it = g_malloc(sizeof *it + len + 1);
		it->key = key;
		it->hash = hash;
		it->len = len;
		it->modified = 0;
		time_parse_iso(col(st, updated_col), &it->modified);
		memcpy(it->text, text, len + 1);
		free(text);
		icalcomponent_free(c);
		g_hash_table_replace(b->fresh, &it->key, it);
		b->made++;
	}
	if (it->modified > b->modified)
		b->modified = it->modified;
	g_ptr_array_add(b->order, it);
}

/* ?1: the oldest time shown, ?2: now, ?3: FEED_HISTORY_MAX, ?4: how many ahead at most (-1: all). */
static void bind_bounds(sqlite3_stmt *st, int64_t now, int days, int ahead)
{
	char from[TIME_ISO_LEN], to[TIME_ISO_LEN];

	store_bind_text(st, 1, time_format_iso(now - (int64_t)days * DAY, from));
	store_bind_text(st, 2, time_format_iso(now, to));
	sqlite3_bind_int(st, 3, FEED_HISTORY_MAX);
	sqlite3_bind_int(st, 4, ahead);
}

/* The ids of the latest ?3 of the past (from ?1 to ?2) and of what is ahead (?4 of it at most,
 * -1: all), by time and id; the rows are joined to them after the choice, not before. */
#define PICK(table, at, where)                                                                           \
	"(SELECT * FROM (SELECT id FROM " table " WHERE " where at " >= ?1 AND " at " < ?2 ORDER BY " at  \
	" DESC, id DESC LIMIT ?3) UNION ALL SELECT * FROM (SELECT id FROM " table " WHERE " where at     \
	" >= ?2 ORDER BY " at ", id LIMIT ?4)) p "

static int read_interviews(store *s, struct build *b, GError **error)
{
	static const char sql[] =
		"SELECT i.id, i.starts_at, i.ends_at, i.type, i.location, i.notes, i.sequence, i.updated_at, a.company, "
		"a.position, a.updated_at FROM " PICK("interviews", "starts_at", "") "JOIN interviews i ON i.id = p.id "
		"JOIN applications a ON a.id = i.application_id ORDER BY i.starts_at, i.id";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error), rc;

	if (r < 0)
		return r;
	bind_bounds(st, b->now, FEED_PAST_DAYS, -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		take_row(b, st, sqlite3_column_int64(st, 0) * 2, 7, false);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading interviews for the feed");
}

static int read_reminders(store *s, struct build *b, GError **error)
{
	/* interviews carry their own alarms */
	static const char sql[] =
		"SELECT r.id, r.kind, r.due_at, r.note, r.updated_at, a.company, a.position, r.sequence, a.updated_at "
		"FROM " PICK("reminders", "due_at", "state IN ('pending', 'snoozed') AND kind != 'interview' AND ")
		"JOIN reminders r ON r.id = p.id LEFT JOIN applications a ON a.id = r.application_id "
		"ORDER BY r.due_at, r.id";
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error), rc;

	if (r < 0)
		return r;
	bind_bounds(st, b->now, FEED_OVERDUE_DAYS, FEED_REMINDERS_AHEAD);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		take_row(b, st, sqlite3_column_int64(st, 0) * 2 + 1, 4, true);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading reminders for the feed");
}

/* store_tx_fn: both reads in one snapshot. */
static int read_all(store *s, void *arg, json_t **ret, GError **error)
{
	struct build *b = arg;
	int r;
	(void)ret;

	if ((r = read_interviews(s, b, error)) < 0 || (r = read_reminders(s, b, error)) < 0)
		return r;
	return 0;
}

static gboolean unseen(gpointer key, gpointer value, gpointer data)
{
	const struct feed_item *it = value;
	(void)key;
	return it->seen != GPOINTER_TO_UINT(data);
}

struct feed *feed_new(void)
{
	struct feed *f = g_new0(struct feed, 1);
	icalcomponent *cal = icalcomponent_vanew(
		ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
		icalproperty_new_prodid("-//apptrack//apptrack " APPTRACK_VERSION "//EN"),
		icalproperty_new_calscale("GREGORIAN"), (void *)0);
	icalproperty *name = icalproperty_new_x("apptrack");

	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	/* libical ends a component with its END line: the items go before it */
	f->head_len = strlen(text);
	if (g_str_has_suffix(text, tail))
		f->head_len -= strlen(tail);
	f->head = g_strndup(text, f->head_len);
	free(text);
	f->items = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	return f;
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	if (f->order)
		g_ptr_array_unref(f->order);
	g_hash_table_destroy(f->items);
	g_free(f->head);
	g_free(f);
}

int feed_update(struct feed *f, store *s, bool reminders_as_todo, int64_t now, GBytes **ret_text,
		int64_t *ret_modified, struct feed_stats *ret_stats, GError **error)
{
	struct build b = {
		.f = f,
		.as_todo = reminders_as_todo,
		.now = now,
		.order = g_ptr_array_new(),
		.fresh = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free),
	};
	int r = store_transaction(s, read_all, &b, NULL, error);

	if (r < 0) {
		g_ptr_array_unref(b.order);
		g_hash_table_destroy(b.fresh);
		return r;
	}
	/* the build succeeded: the new items replace the old, the items not seen go */
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, b.fresh);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		struct feed_item *it = value;
		g_hash_table_iter_steal(&iter);
		g_hash_table_replace(f->items, &it->key, it);
	}
	g_hash_table_destroy(b.fresh);
	f->build++;
	size_t len = f->head_len + strlen(tail);
	for (guint i = 0; i < b.order->len; i++) {
		struct feed_item *it = b.order->pdata[i];
		it->seen = f->build;
		len += it->len;
	}
	g_hash_table_foreach_remove(f->items, unseen, GUINT_TO_POINTER(f->build));
	char *text = g_malloc(len + 1), *p = text;
	memcpy(p, f->head, f->head_len);
	p += f->head_len;
	for (guint i = 0; i < b.order->len; i++) {
		const struct feed_item *it = b.order->pdata[i];
		memcpy(p, it->text, it->len);
		p += it->len;
	}
	memcpy(p, tail, sizeof tail); /* with its NUL */
	if (ret_stats)
		*ret_stats = (struct feed_stats){ .items = b.order->len, .made = b.made, .bytes = len };
	if (f->order)
		g_ptr_array_unref(f->order);
	f->order = b.order;
	*ret_text = g_bytes_new_take(text, len);
	*ret_modified = b.modified;
	return 0;
}

struct feed_resource *feed_resource_new(char *name, char *text, size_t len)
{
	struct feed_resource *r = g_new0(struct feed_resource, 1);

	r->name = name;
	r->text = text;
	r->len = len;
	g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	g_strlcpy(r->hash, hash, sizeof r->hash);
	return r;
}

void feed_resource_free(gpointer p)
{
	struct feed_resource *r = p;

	if (!r)
		return;
	g_free(r->name);
	g_free(r->text);
	g_free(r);
}

/* The UID of the item with key (see struct feed_item). g_free. */
static char *item_uid(gint64 key)
{
	return g_strdup_printf("%s-%lld@apptrack", key % 2 ? "reminder" : "interview", (long long)(key / 2));
}

char *feed_resource_name(const char *uid)
{
	GString *name = g_string_new(NULL);

	for (const char *p = uid; *p; p++)
		g_string_append_c(name, g_ascii_isalnum(*p) || strchr("-_.", *p) ? *p : '_');
	g_string_append(name, ".ics");
	return g_string_free(name, FALSE);
}

bool feed_is_resource_name(const char *name)
{
	const char *rest = g_str_has_prefix(name, "interview-") ? name + strlen("interview-")
			   : g_str_has_prefix(name, "reminder-") ? name + strlen("reminder-")
								 : NULL;

	if (!rest || !g_ascii_isdigit(*rest))
		return false;
	while (g_ascii_isdigit(*rest))
		rest++;
	return strcmp(rest, "_apptrack.ics") == 0;
}

GPtrArray *feed_resources(struct feed *f, unsigned kinds)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(feed_resource_free);

	for (guint i = 0; f->order && i < f->order->len; i++) {
		const struct feed_item *it = f->order->pdata[i];
		if (!(kinds & (it->key % 2 ? FEED_REMINDERS : FEED_INTERVIEWS)))
			continue;
		g_autofree char *uid = item_uid(it->key);
		size_t len = f->head_len + it->len + strlen(tail);
		char *text = g_malloc(len + 1);
		memcpy(text, f->head, f->head_len);
		memcpy(text + f->head_len, it->text, it->len);
		memcpy(text + f->head_len + it->len, tail, sizeof tail);
		g_ptr_array_add(out, feed_resource_new(feed_resource_name(uid), text, len));
	}
	return out;
}

int feed_build(store *s, bool reminders_as_todo, int64_t now, char **ret_text, int64_t *ret_modified,
	       GError **error)
{
	struct feed *f = feed_new();
	GBytes *bytes = NULL;
	int r = feed_update(f, s, reminders_as_todo, now, &bytes, ret_modified, NULL, error);

	feed_free(f);
	if (r < 0)
		return r;
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	*ret_text = g_strndup(data, len);
	g_bytes_unref(bytes);
	return 0;
}
