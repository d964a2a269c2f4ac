/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resumes.c - named resumes, one of them the default.
 *
 * Resume texts arrive already extracted (document.c runs in the client); this module
 * validates, stores and hands them out, keeping the default rules of resumes.h. The
 * unique index resumes_one_default (schema v4) makes "at most one default" the
 * database's rule too, so a default is always cleared before another is set. The resumes
 * table is written here only.
 */
#include "apptrack/resumes.h"

#include "apptrack/error.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* "did you mean": names this close (in edits, ignoring case) are suggested */
#define RESUME_SUGGEST_DISTANCE 3
#define RESUME_COLUMNS "id, name, is_default, created_at, updated_at, body"

static const char *now_iso(char buf[TIME_ISO_LEN])
{
	return time_format_iso(time_now(), buf);
}

static bool all_digits(const char *text)
{
	if (!*text)
		return false;
	for (const char *p = text; *p; p++)
		if (!g_ascii_isdigit(*p))
			return false;
	return true;
}

/* ---- resumes ---- */

static size_t count_words(const char *text)
{
	size_t words = 0;
	bool in_word = false;

	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		bool space = g_unichar_isspace(g_utf8_get_char(p));
		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	return words;
}

/* The current row of a RESUME_COLUMNS query as a summary, with the text when asked. */
static json_t *resume_json(sqlite3_stmt *st, bool with_text)
{
	const char *text = (const char *)sqlite3_column_text(st, 5);
	const char *updated = (const char *)sqlite3_column_text(st, 4);
	json_t *o;

	if (!text)
		text = "";
	o = json_pack("{s:I,s:s,s:b,s:s,s:s,s:I,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
		      (const char *)sqlite3_column_text(st, 1), "is_default", sqlite3_column_int(st, 2) != 0,
		      "created_at", (const char *)sqlite3_column_text(st, 3), "updated_at",
		      updated ? updated : (const char *)sqlite3_column_text(st, 3), "words", (json_int_t)count_words(text),
		      "chars", (json_int_t)g_utf8_strlen(text, -1));
	if (o && with_text)
		json_object_set_new(o, "text", json_string(text));
	return o;
}

/* Every resume name, for suggestions. g_ptr_array of g_free'd strings. */
static int resume_names(store *s, GPtrArray **ret, GError **error)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	sqlite3_stmt *st;
	int rc, r = store_prepare(s, "SELECT name FROM resumes ORDER BY id", &st, error);

	if (r < 0) {
		g_ptr_array_free(names, TRUE);
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(names, g_strdup((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g_ptr_array_free(names, TRUE);
		return store_error(s, error, "reading resume names");
	}
	*ret = names;
	return 0;
}

static int no_such_resume(store *s, const char *name, GError **error)
{
	GPtrArray *names = NULL;
	int r = resume_names(s, &names, error);

	if (r < 0)
		return r;
	if (names->len == 0) {
		g_ptr_array_free(names, TRUE);
		return at_error_set(error, -ENOENT, "no resume named \"%s\": none is stored (add one with apptrackctl "
				    "resume add NAME FILE)", name);
	}
	/* closest ignoring case: "CV" finds "cv" */
	GPtrArray *folded = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add(folded, g_utf8_casefold(names->pdata[i], -1));
	g_autofree char *word = g_utf8_casefold(name, -1);
	const char *best = text_closest(word, (const char *const *)folded->pdata, folded->len, RESUME_SUGGEST_DISTANCE);
	if (best) {
		guint i;
		for (i = 0; folded->pdata[i] != best; i++)
			;
		r = at_error_set(error, -ENOENT, "no resume named \"%s\" (did you mean \"%s\"?)", name,
				 (const char *)names->pdata[i]);
	} else {
		r = at_error_set(error, -ENOENT, "no resume named \"%s\" (apptrackctl resume list shows them)", name);
	}
	g_ptr_array_free(folded, TRUE);
	g_ptr_array_free(names, TRUE);
	return r;
}

/* Steps st (a RESUME_COLUMNS query bound to one row) into *ret; 1 when found, 0 when
 * not, or -errno. */
static int resume_row(store *s, sqlite3_stmt *st, bool with_text, json_t **ret, GError **error)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		*ret = resume_json(st, with_text);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, error, "reading a resume");
}

/* The resume named name_or_id (a name, else a decimal id): 0 and *ret, or -ENOENT with
 * the suggestion. */
static int resume_find(store *s, const char *name_or_id, bool with_text, json_t **ret, GError **error)
{
	sqlite3_stmt *st;
	int r;

	if (!name_or_id || !*name_or_id)
		return at_error_set(error, -EINVAL, "give a resume name");
	if ((r = store_prepare(s, "SELECT " RESUME_COLUMNS " FROM resumes WHERE name = ?", &st, error)) < 0)
		return r;
	store_bind_text(st, 1, name_or_id);
	if ((r = resume_row(s, st, with_text, ret, error)) != 0)
		return r < 0 ? r : 0;
	if (all_digits(name_or_id)) {
		gint64 id = g_ascii_strtoll(name_or_id, NULL, 10);
		if ((r = store_prepare(s, "SELECT " RESUME_COLUMNS " FROM resumes WHERE id = ?", &st, error)) < 0)
			return r;
		sqlite3_bind_int64(st, 1, id);
		if ((r = resume_row(s, st, with_text, ret, error)) != 0)
			return r < 0 ? r : 0;
		return at_error_set(error, -ENOENT, "no resume with id %s (apptrackctl resume list shows them)",
				    name_or_id);
	}
	return no_such_resume(s, name_or_id, error);
}

static int64_t resume_id(json_t *resume)
{
	return json_integer_value(json_object_get(resume, "id"));
}

/* The name, trimmed, into *ret (g_free), or -EINVAL saying what is wrong. */
static int check_resume_name(const char *name, char **ret, GError **error)
{
	g_autofree char *trimmed = NULL;

	if (!name)
		return at_error_set(error, -EINVAL, "a resume needs a name");
	if (!g_utf8_validate(name, -1, NULL))
		return at_error_set(error, -EINVAL, "a resume name must be UTF-8 text");
	trimmed = g_strstrip(g_strdup(name));
	if (!*trimmed)
		return at_error_set(error, -EINVAL, "a resume needs a name");
	if (g_utf8_strlen(trimmed, -1) > RESUME_NAME_MAX)
		return at_error_set(error, -EINVAL, "resume name \"%s\" is longer than %d characters", trimmed,
				    RESUME_NAME_MAX);
	if (text_has_control(trimmed))
		return at_error_set(error, -EINVAL, "a resume name cannot hold control characters (tabs, line breaks)");
	if (strchr(trimmed, '/'))
		return at_error_set(error, -EINVAL, "resume name \"%s\" cannot hold a '/'", trimmed);
	if (all_digits(trimmed))
		return at_error_set(error, -EINVAL,
				    "resume name \"%s\" is only digits, which would read as an id: add a letter", trimmed);
	*ret = g_steal_pointer(&trimmed);
	return 0;
}

static int check_resume_text(const char *name, const char *text, GError **error)
{
	size_t len;

	if (!text)
		return at_error_set(error, -EINVAL, "resume \"%s\" needs a text", name);
	len = strlen(text);
	if (len > RESUME_MAX_TEXT)
		return at_error_set(error, -E2BIG, "the text of resume \"%s\" is longer than the limit of %d KiB", name,
				    RESUME_MAX_TEXT / 1024);
	if (!g_utf8_validate(text, (gssize)len, NULL))
		return at_error_set(error, -EINVAL, "the text of resume \"%s\" is not UTF-8", name);
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return 0;
	return at_error_set(error, -EINVAL, "the text of resume \"%s\" is empty", name);
}

static int count_rows(store *s, const char *sql, int64_t *ret, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st, error);

	if (r < 0)
		return r;
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = store_error(s, error, "counting rows");
		sqlite3_reset(st);
		return r;
	}
	*ret = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

struct add_args {
	const char *name; /* checked and trimmed */
	const char *text;
	bool replace;
};

static int add_tx(store *s, void *arg, json_t **ret, GError **error)
{
	const struct add_args *a = arg;
	json_t *old = NULL;
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int64_t count = 0, id;
	int r;

	if ((r = store_prepare(s, "SELECT " RESUME_COLUMNS " FROM resumes WHERE name = ?", &st, error)) < 0)
		return r;
	store_bind_text(st, 1, a->name);
	if ((r = resume_row(s, st, false, &old, error)) < 0)
		return r;
	now_iso(now);
	if (old) {
		id = resume_id(old);
		json_decref(old);
		if (!a->replace)
			return at_error_set(error, -EEXIST, "a resume named \"%s\" exists (use --replace)", a->name);
		if ((r = store_prepare(s, "UPDATE resumes SET body = ?, updated_at = ? WHERE id = ?", &st, error)) < 0)
			return r;
		store_bind_text(st, 1, a->text);
		store_bind_text(st, 2, now);
		sqlite3_bind_int64(st, 3, id);
		if ((r = store_step_done(s, st, "replacing a resume", error)) < 0)
			return r;
	} else {
		if ((r = count_rows(s, "SELECT count(*) FROM resumes", &count, error)) < 0)
			return r;
		if (count >= RESUME_MAX_COUNT)
			return at_error_set(error, -E2BIG, "%d resumes are stored, the limit: remove one first",
					    RESUME_MAX_COUNT);
		r = store_prepare(s,
				  "INSERT INTO resumes (name, body, is_default, created_at, updated_at) "
				  "VALUES (?, ?, NOT EXISTS (SELECT 1 FROM resumes WHERE is_default <> 0), ?, ?)",
				  &st, error);
		if (r < 0)
			return r;
		store_bind_text(st, 1, a->name);
		store_bind_text(st, 2, a->text);
		store_bind_text(st, 3, now);
		store_bind_text(st, 4, now);
		if ((r = store_step_done(s, st, "adding a resume", error)) < 0)
			return r;
		id = store_last_id(s);
	}
	if ((r = store_prepare(s, "SELECT " RESUME_COLUMNS " FROM resumes WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = resume_row(s, st, false, ret, error)) <= 0)
		return r < 0 ? r : at_error_set(error, -EIO, "database: resume %" G_GINT64_FORMAT " vanished", id);
	json_object_set_new(*ret, "replaced", json_boolean(old != NULL));
	return 0;
}

int resume_add(store *s, const char *name, const char *text, bool replace, json_t **ret_resume, GError **error)
{
	g_autofree char *clean = NULL;
	int r;

	if ((r = check_resume_name(name, &clean, error)) < 0 || (r = check_resume_text(clean, text, error)) < 0)
		return r;
	struct add_args a = { clean, text, replace };
	return store_transaction(s, add_tx, &a, ret_resume, error);
}

int resume_list(store *s, json_t **ret_array, GError **error)
{
	json_t *arr;
	sqlite3_stmt *st;
	int rc, r = store_prepare(s, "SELECT " RESUME_COLUMNS " FROM resumes ORDER BY created_at, id", &st, error);

	if (r < 0)
		return r;
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, resume_json(st, false));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return store_error(s, error, "listing resumes");
	}
	*ret_array = arr;
	return 0;
}

int resume_show(store *s, const char *name_or_id, json_t **ret_resume, GError **error)
{
	return resume_find(s, name_or_id, true, ret_resume, error);
}

/* Marks the newest resume the default when none is (after a removal). */
static int ensure_default(store *s, GError **error)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
			      "UPDATE resumes SET is_default = 1 WHERE NOT EXISTS (SELECT 1 FROM resumes WHERE is_default <> 0) "
			      "AND id = (SELECT id FROM resumes ORDER BY created_at DESC, id DESC LIMIT 1)",
			      &st, error);
	return r < 0 ? r : store_step_done(s, st, "choosing the default resume", error);
}

/* The id of the resume named (or numbered) arg; -ENOENT as resume_show(). With
 * ret_resume (may be NULL), the summary too. */
static int find_id(store *s, const char *arg, int64_t *ret_id, json_t **ret_resume, GError **error)
{
	json_t *resume = NULL;
	int r = resume_find(s, arg, false, &resume, error);

	if (r < 0)
		return r;
	*ret_id = resume_id(resume);
	if (ret_resume)
		*ret_resume = resume;
	else
		json_decref(resume);
	return 0;
}

static int remove_tx(store *s, void *arg, json_t **ret, GError **error)
{
	json_t *gone = NULL;
	sqlite3_stmt *st;
	int64_t id;
	int r, rc;

	if ((r = find_id(s, arg, &id, &gone, error)) < 0)
		return r;
	if ((r = store_prepare(s, "DELETE FROM resumes WHERE id = ?", &st, error)) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	if ((r = store_step_done(s, st, "removing a resume", error)) < 0 || (r = ensure_default(s, error)) < 0)
		goto out;
	if ((r = store_prepare(s, "SELECT name FROM resumes WHERE is_default <> 0", &st, error)) < 0)
		goto out;
	rc = sqlite3_step(st);
	*ret = json_pack("{s:O,s:O,s:O,s:s?}", "removed", json_object_get(gone, "id"), "name",
			 json_object_get(gone, "name"), "was_default", json_object_get(gone, "is_default"), "default",
			 rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = store_error(s, error, "reading the default resume");
out:
	json_decref(gone);
	return r;
}

int resume_remove(store *s, const char *name_or_id, json_t **ret_removed, GError **error)
{
	return store_transaction(s, remove_tx, (void *)name_or_id, ret_removed, error);
}

static int default_tx(store *s, void *arg, json_t **ret, GError **error)
{
	sqlite3_stmt *st;
	int64_t id;
	int r;
	(void)ret;

	if ((r = find_id(s, arg, &id, NULL, error)) < 0)
		return r;
	/* clear first: the unique index allows one marked row at any moment */
	if ((r = store_prepare(s, "UPDATE resumes SET is_default = 0 WHERE is_default <> 0 AND id <> ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = store_step_done(s, st, "clearing the default resume", error)) < 0)
		return r;
	if ((r = store_prepare(s, "UPDATE resumes SET is_default = 1 WHERE id = ?", &st, error)) < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "setting the default resume", error);
}

int resume_set_default(store *s, const char *name_or_id, GError **error)
{
	return store_transaction(s, default_tx, (void *)name_or_id, NULL, error);
}

int resume_text(store *s, const char *name_or_null, char **ret_name, char **ret_text, GError **error)
{
	json_t *resume = NULL;
	int r;

	if (name_or_null) {
		r = resume_find(s, name_or_null, true, &resume, error);
	} else {
		sqlite3_stmt *st;
		/* the default; the newest when, after raw SQL, none is marked */
		r = store_prepare(s,
				  "SELECT " RESUME_COLUMNS " FROM resumes ORDER BY is_default <> 0 DESC, created_at DESC, "
				  "id DESC LIMIT 1",
				  &st, error);
		if (r == 0 && (r = resume_row(s, st, true, &resume, error)) == 0)
			r = at_error_set(error, -ENOENT, "no resume stored: add one with apptrackctl resume add NAME FILE");
	}
	if (r < 0)
		return r;
	if (ret_name)
		*ret_name = g_strdup(json_string_value(json_object_get(resume, "name")));
	*ret_text = g_strdup(json_string_value(json_object_get(resume, "text")));
	json_decref(resume);
	return 0;
}

