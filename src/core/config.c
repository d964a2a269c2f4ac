/* config.c - apptrack.conf: one settings table drives parsing, defaults and help text.
 *
 * GKeyFile does the INI parsing. It reports no line numbers, so a small locator scans
 * the raw text for the group header and the key's line, only to name FILE:LINE in
 * messages. Every problem in a file is reported, not just the first.
 */
#include "apptrack/config.h"

#include "apptrack/error.h"
#include "apptrack/paths.h"
#include "apptrack/text.h"
#include "apptrack/timeutil.h"

#include <stddef.h>
#include <string.h>

#define SUGGEST_MAX_DISTANCE 2

enum setting_type { SETTING_PATH, SETTING_DURATION, SETTING_LOG_LEVEL };

struct setting {
	const char *section;
	const char *key;
	enum setting_type type;
	const char *default_text; /* NULL: computed (see setting_default) */
	const char *description;
	size_t offset;
};

static const struct setting settings[] = {
	{ "general", "database", SETTING_PATH, NULL,
	  "SQLite database file (default $XDG_DATA_HOME/apptrack/apptrack.db)", offsetof(struct config, database) },
	{ "general", "log_level", SETTING_LOG_LEVEL, "info", "Least important messages logged: error, warning, info or debug",
	  offsetof(struct config, log_level) },
	{ "reminders", "follow_up", SETTING_DURATION, "7d", "Follow up this long after applying",
	  offsetof(struct config, follow_up) },
	{ "reminders", "interview_prep", SETTING_DURATION, "0",
	  "Interview-prep reminder this long after entering an interview stage", offsetof(struct config, interview_prep) },
	{ "reminders", "thank_you", SETTING_DURATION, "1d", "Thank-you reminder this long after entering an interview stage",
	  offsetof(struct config, thank_you) },
};

static char *setting_default(const struct setting *s)
{
	if (s->default_text)
		return g_strdup(s->default_text);
	/* only [general] database is computed */
	g_autofree char *dir = paths_data_dir();
	return g_build_filename(dir, "apptrack.db", NULL);
}

static const struct setting *find_setting(const char *section, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (strcmp(settings[i].section, section) == 0 && strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static bool section_known(const char *section)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++)
		if (strcmp(settings[i].section, section) == 0)
			return true;
	return false;
}

/* Parses value into the config field of s. On failure returns a description of what
 * was expected (static). */
static const char *setting_apply(const struct setting *s, const char *value, const char *base_dir,
				 struct config *config)
{
	void *field = (char *)config + s->offset;

	switch (s->type) {
	case SETTING_PATH: {
		char *path;
		if (value[0] == '\0')
			return "expected a file path";
		if (g_str_has_prefix(value, "~/"))
			path = g_build_filename(g_get_home_dir(), value + 2, NULL);
		else if (g_path_is_absolute(value) || !base_dir)
			path = g_strdup(value);
		else
			path = g_build_filename(base_dir, value, NULL);
		g_free(*(char **)field);
		*(char **)field = path;
		return NULL;
	}
	case SETTING_DURATION:
		return time_parse_duration(value, (int64_t *)field) < 0
			       ? "expected a duration like 7d, 12h, 30m or 0"
			       : NULL;
	case SETTING_LOG_LEVEL:
		return log_level_parse(value, (enum log_level *)field) < 0
			       ? "expected error, warning, info or debug"
			       : NULL;
	}
	return "unsupported setting type";
}

static void config_defaults(struct config *config)
{
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		g_autofree char *def = setting_default(&settings[i]);
		const char *bad = setting_apply(&settings[i], def, NULL, config);
		g_assert(!bad);
	}
}

void config_free(struct config *config)
{
	if (!config)
		return;
	g_free(config->path);
	g_free(config->database);
	g_free(config);
}

static void problem(GString *errors, const char *file, unsigned line, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void problem(GString *errors, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (errors->len)
		g_string_append_c(errors, '\n');
	g_string_append_printf(errors, "%s:%u: ", file, line);
	va_start(ap, fmt);
	g_string_append_vprintf(errors, fmt, ap);
	va_end(ap);
}

static const char *suggest_key(const char *section, const char *key)
{
	const char *best = NULL;
	unsigned best_d = SUGGEST_MAX_DISTANCE + 1;

	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		if (strcmp(settings[i].section, section) != 0)
			continue;
		unsigned d = text_edit_distance(key, settings[i].key);
		if (d < best_d) {
			best_d = d;
			best = settings[i].key;
		}
	}
	return best;
}

static void check_file(GKeyFile *kf, const char *text, const char *file, const char *base_dir,
		       struct config *config, GString *errors)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

	for (size_t g = 0; groups[g]; g++) {
		const char *section = groups[g];
		if (!section_known(section)) {
			problem(errors, file, text_ini_line(text, section, NULL), "unknown section [%s]", section);
			continue;
		}
		g_auto(GStrv) keys = g_key_file_get_keys(kf, section, NULL, NULL);
		for (size_t k = 0; keys && keys[k]; k++) {
			const char *key = keys[k];
			const struct setting *s = find_setting(section, key);
			unsigned line = text_ini_line(text, section, key);
			if (!s) {
				const char *hint = suggest_key(section, key);
				if (hint)
					problem(errors, file, line, "unknown key \"%s\" in [%s] (did you mean \"%s\"?)", key,
						section, hint);
				else
					problem(errors, file, line, "unknown key \"%s\" in [%s]", key, section);
				continue;
			}
			g_autofree char *value = g_key_file_get_string(kf, section, key, NULL);
			if (!value) {
				problem(errors, file, line, "cannot read the value of %s in [%s]", key, section);
				continue;
			}
			g_strstrip(value);
			const char *bad = setting_apply(s, value, base_dir, config);
			if (bad)
				problem(errors, file, line, "bad value \"%s\" for %s in [%s]: %s", value, key, section, bad);
		}
	}
}

int config_load(const char *path, struct config **ret_config, GError **error)
{
	g_autofree char *default_path = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) ioerr = NULL;
	g_autoptr(GKeyFile) kf = NULL;
	g_autoptr(GString) errors = g_string_new(NULL);
	struct config *config = g_new0(struct config, 1);
	gsize len;

	config_defaults(config);
	if (!path) {
		default_path = paths_config_file();
		if (!g_file_test(default_path, G_FILE_TEST_EXISTS)) {
			*ret_config = config; /* embedded defaults */
			return 0;
		}
		path = default_path;
	}
	if (!g_file_get_contents(path, &text, &len, &ioerr)) {
		int r = ioerr->code == G_FILE_ERROR_NOENT ? -ENOENT : -EIO;
		config_free(config);
		return at_error_set(error, r, "cannot read %s: %s", path, ioerr->message);
	}
	if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len)) {
		config_free(config);
		return at_error_set(error, -EINVAL, "%s:1: the file is not UTF-8 text", path);
	}
	kf = g_key_file_new();
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &ioerr)) {
		config_free(config);
		return at_error_set(error, -EINVAL, "%s:%u: syntax error: %s", path, text_ini_bad_line(text),
				    ioerr->message);
	}
	g_autofree char *base_dir = g_path_get_dirname(path);
	check_file(kf, text, path, base_dir, config, errors);
	if (errors->len) {
		config_free(config);
		return at_error_set(error, -EINVAL, "%s", errors->str);
	}
	config->path = g_strdup(path);
	*ret_config = config;
	return 0;
}

void config_print_defaults(FILE *out)
{
	const char *section = NULL;

	fprintf(out, "# apptrack.conf - see apptrack.conf(5). Every setting is shown with its default.\n");
	for (size_t i = 0; i < G_N_ELEMENTS(settings); i++) {
		const struct setting *s = &settings[i];
		g_autofree char *def = setting_default(s);
		if (!section || strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "\n[%s]\n", section);
		}
		fprintf(out, "# %s\n#%s = %s\n", s->description, s->key, def);
	}
}
