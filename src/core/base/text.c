/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c - small text helpers shared by the programs (see text.h). */
#include "apptrack/text.h"

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

bool text_has_control(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

unsigned text_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	g_autofree unsigned *row = g_new(unsigned, lb + 1);

	/* one row of the dynamic-programming table at a time */
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

unsigned text_ini_line(const char *text, const char *section, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean in_section = FALSE;

	for (unsigned i = 0; lines[i]; i++) {
		g_autofree char *l = g_strstrip(g_strdup(lines[i]));
		if (l[0] == '[') {
			char *end = strrchr(l, ']');
			if (end)
				*end = '\0';
			in_section = strcmp(l + 1, section) == 0;
			if (in_section && !key)
				return i + 1;
			continue;
		}
		if (in_section && key) {
			size_t n = strlen(key);
			if (strncmp(l, key, n) == 0 && (l[n] == '=' || l[n] == ' ' || l[n] == '\t'))
				return i + 1;
		}
	}
	return 0;
}

unsigned text_ini_bad_line(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (unsigned i = 0; lines[i]; i++) {
		g_autofree char *l = g_strstrip(g_strdup(lines[i]));
		if (l[0] == '\0' || l[0] == '#' || l[0] == ';')
			continue;
		if (l[0] == '[' ? l[strlen(l) - 1] != ']' : strchr(l, '=') == NULL || l[0] == '=')
			return i + 1;
	}
	return 1;
}

const char *text_closest(const char *word, const char *const *candidates, size_t n, unsigned max_distance)
{
	const char *best = NULL;
	unsigned best_d = max_distance + 1;

	for (size_t i = 0; i < n; i++) {
		unsigned d = text_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

char *text_company_key(const char *company)
{
	static const char *const suffixes[] = { "inc", "llc", "ltd", "corp", "corporation", "co", "gmbh", "plc" };
	g_autofree char *folded = g_utf8_casefold(company ? company : "", -1);
	GString *key = g_string_new(NULL);
	g_autoptr(GString) word = g_string_new(NULL);
	g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);

	for (const char *p = folded;; p++) {
		if (*p && g_ascii_isalnum(*p)) {
			g_string_append_c(word, *p);
			continue;
		}
		if (*p && (*p == '.' || *p == '\'')) /* "U.S." stays one word */
			continue;
		if (word->len)
			g_ptr_array_add(words, g_strdup(word->str));
		g_string_truncate(word, 0);
		if (!*p)
			break;
	}
	guint start = words->len > 1 && strcmp(words->pdata[0], "the") == 0 ? 1 : 0;
	guint end = words->len;
	while (end > start + 1) {
		bool suffix = false;
		for (size_t k = 0; k < G_N_ELEMENTS(suffixes); k++)
			suffix = suffix || strcmp(words->pdata[end - 1], suffixes[k]) == 0;
		if (!suffix)
			break;
		end--;
	}
	for (guint i = start; i < end; i++)
		g_string_append(key, words->pdata[i]);
	return g_string_free(key, FALSE);
}

void text_problem(GString *errors, const char *file, unsigned line, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (errors->len)
		g_string_append_c(errors, '\n');
	g_string_append_printf(errors, "%s:%u: ", file, line);
	/* one problem, one line: a value quoted in the message may hold a newline (GKeyFile
	 * reads "\n" in a value as one) or another control character */
	for (const char *p = msg; *p; p++) {
		if (*p == '\n')
			g_string_append(errors, "\\n");
		else if ((unsigned char)*p < ' ' && *p != '\t')
			g_string_append_printf(errors, "\\x%02x", (unsigned char)*p);
		else
			g_string_append_c(errors, *p);
	}
}
