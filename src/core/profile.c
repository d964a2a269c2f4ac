/* profile.c - named resumes (one of them the default) and the user's profile row.
 *
 * Resume texts arrive already extracted (document.c runs in the client); this module
 * validates, stores and hands them out, keeping the default rules of profile.h. The
 * unique index resumes_one_default (schema v4) makes "at most one default" the
 * database's rule too, so a default is always cleared before another is set.
 *
 * Profile fields are a table (name, kind, limit) that drives validation, the UPDATE's
 * column list and the messages, so each field is named in one place.
 */
#include "apptrack/profile.h"

#include "apptrack/error.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <string.h>

/* "did you mean": names this close (in edits, ignoring case) are suggested */
#define RESUME_SUGGEST_DISTANCE 3
#define RESUME_COLUMNS "id, name, is_default, created_at, updated_at, body"
#define PROFILE_ROW_ID 1

/* ---- transactions ---- */

/* Runs fn(s, arg, &result, error) in a transaction; *ret (may be NULL) gets the result
 * only once the commit succeeded, as ret_* parameters promise. */
typedef int (*tx_fn)(store *s, const void *arg, json_t **ret, GError **error);

static int in_transaction(store *s, tx_fn fn, const void *arg, json_t **ret, GError **error)
{
	json_t *result = NULL;
	int r = store_begin(s, error);

	if (r < 0)
		return r;
	if ((r = fn(s, arg, &result, error)) < 0) {
		store_rollback(s);
		json_decref(result);
		return r;
	}
	if ((r = store_commit(s, error)) < 0) {
		json_decref(result);
		return r;
	}
	if (ret)
		*ret = result;
	else
		json_decref(result);
	return 0;
}

static const char *now_iso(char buf[TIME_ISO_LEN])
{
	return time_format_iso(time_now(), buf);
}

static bool has_control(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
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
	if (has_control(trimmed))
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

static int add_tx(store *s, const void *arg, json_t **ret, GError **error)
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
		id = sqlite3_last_insert_rowid(store_db(s));
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
	return in_transaction(s, add_tx, &a, ret_resume, error);
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

static int remove_tx(store *s, const void *arg, json_t **ret, GError **error)
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
	return in_transaction(s, remove_tx, name_or_id, ret_removed, error);
}

static int default_tx(store *s, const void *arg, json_t **ret, GError **error)
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
	return in_transaction(s, default_tx, name_or_id, NULL, error);
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

/* ---- profile ---- */

enum profile_kind { P_TEXT, P_EMAIL, P_PHONE, P_SKILLS, P_LINKS };

static const struct profile_field {
	const char *name;
	enum profile_kind kind;
	size_t max; /* bytes of the value (P_SKILLS, P_LINKS: of one item) */
} profile_fields[] = {
	{ "name", P_TEXT, PROFILE_MAX_FIELD },      { "email", P_EMAIL, PROFILE_MAX_EMAIL },
	{ "phone", P_PHONE, PROFILE_MAX_PHONE },    { "location", P_TEXT, PROFILE_MAX_FIELD },
	{ "position", P_TEXT, PROFILE_MAX_FIELD }, { "skills", P_SKILLS, PROFILE_MAX_SKILL },
	{ "links", P_LINKS, PROFILE_MAX_LINK },
};
#define PROFILE_N_FIELDS G_N_ELEMENTS(profile_fields)

static int unknown_profile_field(const char *key, GError **error)
{
	const char *names[PROFILE_N_FIELDS + 1];
	const char *best;

	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		names[i] = profile_fields[i].name;
	names[PROFILE_N_FIELDS] = NULL;
	g_autofree char *known = g_strjoinv(", ", (char **)names);
	best = text_closest(key, names, PROFILE_N_FIELDS, RESUME_SUGGEST_DISTANCE);
	if (best)
		return at_error_set(error, -EINVAL, "unknown profile field \"%s\" (did you mean \"%s\"? fields: %s)", key,
				    best, known);
	return at_error_set(error, -EINVAL, "unknown profile field \"%s\" (fields: %s)", key, known);
}

/* A one-line value: trimmed, not over max bytes, no control characters. *ret NULL when
 * blank. */
static int one_line(const char *field, const char *value, size_t max, char **ret, GError **error)
{
	g_autofree char *v = g_strstrip(g_strdup(value));

	if (strlen(v) > max)
		return at_error_set(error, -E2BIG, "profile %s is longer than its limit of %zu bytes", field, max);
	if (has_control(v))
		return at_error_set(error, -EINVAL, "profile %s must be one line of text", field);
	*ret = *v ? g_steal_pointer(&v) : NULL;
	return 0;
}

/* name@domain.tld: one '@', no white space, a dot inside the domain. */
static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@'), *domain;

	if (!at || at == e || strchr(at + 1, '@') || strpbrk(e, " \t<>,;\"()[]\\"))
		return false;
	domain = at + 1;
	return strchr(domain, '.') && domain[0] != '.' && domain[strlen(domain) - 1] != '.' && !strstr(domain, "..");
}

static bool link_ok(const char *l)
{
	return (strchr(l, '.') || strchr(l, ':')) && !strpbrk(l, " \t\r\n\"<>");
}

/* Collapses runs of white space to one space; trims. g_free. */
static char *squeeze(const char *text)
{
	GString *out = g_string_new(NULL);
	bool space = false;

	for (const char *p = text; *p; p++) {
		if (g_ascii_isspace(*p)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* Skills from a string (comma- or line-separated) or an array: the profile.h rules. */
static int normalize_skills(json_t *value, char **ret, GError **error)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	size_t i;
	json_t *v;

	if (json_is_string(value)) {
		g_auto(GStrv) parts = g_strsplit_set(json_string_value(value), ",\n", -1);
		for (char **p = parts; *p; p++)
			g_ptr_array_add(items, g_strdup(*p));
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, v) {
			if (!json_is_string(v))
				return at_error_set(error, -EINVAL, "profile skills must be strings");
			g_ptr_array_add(items, g_strdup(json_string_value(v)));
		}
	} else {
		return at_error_set(error, -EINVAL, "profile skills must be a comma-separated string or an array of strings");
	}
	size_t n = 0;
	for (guint k = 0; k < items->len; k++) {
		g_autofree char *skill = squeeze(items->pdata[k]);
		if (!*skill)
			continue;
		if (strlen(skill) > PROFILE_MAX_SKILL)
			return at_error_set(error, -E2BIG, "skill \"%.40s...\" is longer than the limit of %d bytes", skill,
					    PROFILE_MAX_SKILL);
		if (has_control(skill))
			return at_error_set(error, -EINVAL, "profile skills cannot hold control characters");
		char *key = g_utf8_casefold(skill, -1);
		if (g_hash_table_contains(seen, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_add(seen, key);
		if (++n > PROFILE_MAX_SKILLS)
			return at_error_set(error, -E2BIG, "more than %d skills: keep the ones that matter",
					    PROFILE_MAX_SKILLS);
		g_string_append_printf(out, "%s%s", out->len ? ", " : "", skill);
	}
	*ret = out->len ? g_strdup(out->str) : NULL;
	return 0;
}

/* Links from an array of strings or a string of links apart by white space; stored as
 * a JSON array. */
static int normalize_links(json_t *value, char **ret, GError **error)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	json_t *arr;
	size_t i;
	json_t *v;

	if (json_is_string(value)) {
		g_auto(GStrv) parts = g_strsplit_set(json_string_value(value), " \t\r\n", -1);
		for (char **p = parts; *p; p++)
			if (**p)
				g_ptr_array_add(items, g_strdup(*p));
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, v) {
			if (!json_is_string(v))
				return at_error_set(error, -EINVAL, "profile links must be strings");
			char *l = g_strstrip(g_strdup(json_string_value(v)));
			if (*l)
				g_ptr_array_add(items, l);
			else
				g_free(l);
		}
	} else {
		return at_error_set(error, -EINVAL, "profile links must be an array of strings or a string");
	}
	arr = json_array();
	for (guint k = 0; k < items->len; k++) {
		const char *l = items->pdata[k];
		bool dup = false;
		json_array_foreach(arr, i, v)
			dup = dup || strcmp(json_string_value(v), l) == 0;
		if (dup)
			continue;
		if (strlen(l) > PROFILE_MAX_LINK) {
			json_decref(arr);
			return at_error_set(error, -E2BIG, "link \"%.40s...\" is longer than the limit of %d bytes", l,
					    PROFILE_MAX_LINK);
		}
		if (!link_ok(l) || has_control(l)) {
			json_decref(arr);
			return at_error_set(error, -EINVAL, "link \"%s\" does not look like a URL (like https://example.com/me)",
					    l);
		}
		if (json_array_size(arr) >= PROFILE_MAX_LINKS) {
			json_decref(arr);
			return at_error_set(error, -E2BIG, "more than %d links", PROFILE_MAX_LINKS);
		}
		json_array_append_new(arr, json_string(l));
	}
	*ret = json_array_size(arr) ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return 0;
}

/* The value for field f from JSON: *ret the text to store, NULL to clear. */
static int profile_value(const struct profile_field *f, json_t *value, char **ret, GError **error)
{
	char *v = NULL;
	int r;

	*ret = NULL;
	if (json_is_null(value))
		return 0;
	if (f->kind == P_SKILLS)
		return normalize_skills(value, ret, error);
	if (f->kind == P_LINKS) {
		/* jansson's dump is malloc'd; the caller g_frees */
		char *dumped = NULL;
		if ((r = normalize_links(value, &dumped, error)) < 0)
			return r;
		*ret = dumped ? g_strdup(dumped) : NULL;
		free(dumped);
		return 0;
	}
	if (!json_is_string(value))
		return at_error_set(error, -EINVAL, "profile %s must be a string", f->name);
	if (memchr(json_string_value(value), '\0', json_string_length(value)))
		return at_error_set(error, -EINVAL, "profile %s contains a NUL byte", f->name);
	if ((r = one_line(f->name, json_string_value(value), f->max, &v, error)) < 0)
		return r;
	if (v && f->kind == P_EMAIL && !email_ok(v)) {
		r = at_error_set(error, -EINVAL, "email \"%s\" does not look like an address (like name@example.com)", v);
		g_free(v);
		return r;
	}
	if (v && f->kind == P_PHONE && !strpbrk(v, "0123456789")) {
		r = at_error_set(error, -EINVAL, "phone \"%s\" has no digits", v);
		g_free(v);
		return r;
	}
	*ret = v;
	return 0;
}

/* Links as stored: a JSON array, or (written by hand) links apart by white space. */
static json_t *links_json(const char *stored)
{
	json_t *arr = stored ? json_loads(stored, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (json_is_array(arr))
		return arr;
	json_decref(arr);
	arr = json_array();
	if (stored) {
		g_auto(GStrv) parts = g_strsplit_set(stored, " \t\r\n", -1);
		for (char **p = parts; *p; p++)
			if (**p)
				json_array_append_new(arr, json_string(*p));
	}
	return arr;
}

int profile_get(store *s, json_t **ret_profile, GError **error)
{
	sqlite3_stmt *st;
	json_t *o;
	int rc, r = store_prepare(s,
				  "SELECT name, email, phone, location, position, skills, updated_at, links FROM profile "
				  "WHERE id = " G_STRINGIFY(PROFILE_ROW_ID),
				  &st, error);

	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = store_error(s, error, "reading the profile");
		sqlite3_reset(st);
		return r;
	}
	o = json_object();
	/* the first seven columns: strings, or null (none at all without the row) */
	for (int i = 0; i < 7; i++) {
		const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, i) : NULL;
		json_object_set_new(o, sqlite3_column_name(st, i), v ? json_string(v) : json_null());
	}
	json_object_set_new(o, "links", links_json(rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 7) : NULL));
	sqlite3_reset(st);
	*ret_profile = o;
	return 0;
}

struct set_args {
	char *values[PROFILE_N_FIELDS];
	bool present[PROFILE_N_FIELDS];
};

static int set_tx(store *s, const void *arg, json_t **ret, GError **error)
{
	const struct set_args *a = arg;
	g_autoptr(GString) sql = g_string_new("UPDATE profile SET updated_at = ?");
	char now[TIME_ISO_LEN];
	sqlite3_stmt *st;
	int r, n = 2;

	/* the row exists from the migration on; a hand-edited database may have lost it */
	if ((r = store_prepare(s, "INSERT OR IGNORE INTO profile (id) VALUES (" G_STRINGIFY(PROFILE_ROW_ID) ")", &st, error)) < 0 ||
	    (r = store_step_done(s, st, "creating the profile", error)) < 0)
		return r;
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		if (a->present[i])
			g_string_append_printf(sql, ", %s = ?", profile_fields[i].name);
	g_string_append(sql, " WHERE id = " G_STRINGIFY(PROFILE_ROW_ID));
	if ((r = store_prepare(s, sql->str, &st, error)) < 0)
		return r;
	store_bind_text(st, 1, now_iso(now));
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		if (a->present[i])
			store_bind_text(st, n++, a->values[i]);
	if ((r = store_step_done(s, st, "changing the profile", error)) < 0)
		return r;
	return profile_get(s, ret, error);
}

int profile_set(store *s, json_t *fields, json_t **ret_profile, GError **error)
{
	struct set_args a = { 0 };
	const char *key;
	json_t *value;
	int r = 0;

	if (!json_is_object(fields))
		return at_error_set(error, -EINVAL, "profile fields must be an object");
	if (json_object_size(fields) == 0)
		return at_error_set(error, -EINVAL, "nothing to change: give at least one profile field");
	json_object_foreach(fields, key, value) {
		size_t i;
		for (i = 0; i < PROFILE_N_FIELDS; i++)
			if (strcmp(profile_fields[i].name, key) == 0)
				break;
		if (i == PROFILE_N_FIELDS) {
			r = unknown_profile_field(key, error);
			goto out;
		}
		g_free(a.values[i]);
		a.values[i] = NULL;
		if ((r = profile_value(&profile_fields[i], value, &a.values[i], error)) < 0)
			goto out;
		a.present[i] = true;
	}
	r = in_transaction(s, set_tx, &a, ret_profile, error);
out:
	for (size_t i = 0; i < PROFILE_N_FIELDS; i++)
		g_free(a.values[i]);
	return r;
}

int profile_skills(store *s, char **ret_skills_text, GError **error)
{
	sqlite3_stmt *st;
	int rc, r = store_prepare(s, "SELECT skills FROM profile WHERE id = " G_STRINGIFY(PROFILE_ROW_ID), &st, error);

	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = store_error(s, error, "reading the profile's skills");
		sqlite3_reset(st);
		return r;
	}
	const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	*ret_skills_text = g_strdup(v ? v : "");
	sqlite3_reset(st);
	return 0;
}
