/* SPDX-License-Identifier: GPL-3.0-or-later */
/* document.c - the text of a resume (or any document the user gives): PDF through
 * poppler-glib, Markdown through a small converter of its own, plain text checked.
 *
 * The kind comes from the content first (the "%PDF-" magic), then the name (.md,
 * .markdown); anything else must be UTF-8 text. Every result goes through tidy(), so
 * callers get one shape whatever the source: "\n" line ends, no control characters but
 * tab, no trailing blanks, at most one blank line in a row, one final newline.
 */
#include "apptrack/document.h"

#include "apptrack/error.h"
#include "apptrack/paths.h"

#include <poppler.h>
#include <stdbool.h>
#include <string.h>

#define PDF_MAGIC "%PDF-"
#define PDF_MAGIC_LEN (sizeof(PDF_MAGIC) - 1)
#define DEFAULT_NAME "document"
#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN (sizeof(UTF8_BOM) - 1)
#define MIB (1024 * 1024)
#define KIB 1024
/* ATX headings have at most six marks; a fence is three or more backticks or tildes;
 * indentation past three spaces makes neither. */
#define MD_MAX_HEADING 6
#define MD_MIN_FENCE 3
#define MD_MAX_INDENT 3

static const char *display_name(const char *name)
{
	return name && *name ? name : DEFAULT_NAME;
}

/* ---- tidy: the one output shape ---- */

static void append_trimmed_line(GString *out, const char *line, size_t len, bool *pending_blank)
{
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0) {
		/* a blank line is written only when text follows it, so that runs collapse and
		 * none leads or trails */
		*pending_blank = out->len > 0;
		return;
	}
	if (*pending_blank)
		g_string_append_c(out, '\n');
	*pending_blank = false;
	g_string_append_len(out, line, (gssize)len);
	g_string_append_c(out, '\n');
}

/* text (len bytes, valid UTF-8) in the shape document.h promises. g_free. */
static char *tidy(const char *text, size_t len)
{
	GString *line = g_string_new(NULL);
	GString *out = g_string_sized_new(len + 1);
	bool pending_blank = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
			continue; /* CRLF: the LF ends the line */
		if (c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			append_trimmed_line(out, line->str, line->len, &pending_blank);
			g_string_truncate(line, 0);
			continue;
		}
		if (c < 0x20 && c != '\t')
			continue;
		if (c == 0x7f)
			continue;
		g_string_append_c(line, (char)c);
	}
	append_trimmed_line(out, line->str, line->len, &pending_blank);
	g_string_free(line, TRUE);
	return g_string_free(out, FALSE);
}

/* ---- Markdown ---- */

static bool md_word_char(char c)
{
	/* bytes of multi-byte UTF-8 sequences count as letters */
	return g_ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

/* The index of the bracket closing the one at s[open] (open, close: "[]" or "()"),
 * counting nesting and skipping backslash escapes; n when there is none. */
static size_t md_match(const char *s, size_t n, size_t open, char open_c, char close_c)
{
	int depth = 0;

	for (size_t i = open; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == open_c)
			depth++;
		else if (s[i] == close_c && --depth == 0)
			return i;
	}
	return n;
}

/* A link or image at s[i] == '[': [text](url), [text][ref] or [text][]. On success the
 * text is s[i + 1 .. *ret_close) and the link ends before *ret_end. */
static bool md_link_at(const char *s, size_t n, size_t i, size_t *ret_close, size_t *ret_end)
{
	size_t close = md_match(s, n, i, '[', ']'), end;

	if (close >= n || close + 1 >= n)
		return false;
	if (s[close + 1] == '(')
		end = md_match(s, n, close + 1, '(', ')');
	else if (s[close + 1] == '[')
		end = md_match(s, n, close + 1, '[', ']');
	else
		return false;
	if (end >= n)
		return false;
	*ret_close = close;
	*ret_end = end + 1;
	return true;
}

static size_t md_run(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && s[j] == s[i])
		j++;
	return j - i;
}

/* Code span opening with run backticks at s[i]: appends its content verbatim and
 * returns the index after it, or 0 when it is not closed (the backticks are literal). */
static size_t md_code_span(GString *out, const char *s, size_t n, size_t i, size_t run)
{
	for (size_t j = i + run; j < n; j++) {
		if (s[j] != '`')
			continue;
		size_t close = md_run(s, n, j);
		if (close == run) {
			size_t from = i + run, to = j;
			if (to - from >= 2 && s[from] == ' ' && s[to - 1] == ' ')
				from++, to--;
			g_string_append_len(out, s + from, (gssize)(to - from));
			return j + close;
		}
		j += close - 1;
	}
	return 0;
}

/* <...> at s[i]: an autolink keeps its address, an HTML tag goes. Returns the index
 * after it, or 0 when it is neither (a literal "<"). */
static size_t md_angle(GString *out, const char *s, size_t n, size_t i)
{
	bool tag = i + 1 < n && (g_ascii_isalpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!');
	size_t j;

	for (j = i + 1; j < n && s[j] != '>' && s[j] != '<' && s[j] != ' '; j++)
		;
	if (j < n && s[j] == '>' && j > i + 1) {
		g_autofree char *inner = g_strndup(s + i + 1, j - i - 1);
		if (strstr(inner, "://") || strchr(inner, '@')) {
			g_string_append(out, g_str_has_prefix(inner, "mailto:") ? inner + strlen("mailto:") : inner);
			return j + 1;
		}
	}
	if (!tag)
		return 0;
	for (j = i + 1; j < n && s[j] != '>' && s[j] != '<'; j++) /* attributes and all */
		;
	return j < n && s[j] == '>' ? j + 1 : 0;
}

static void md_inline(GString *out, const char *s, size_t n)
{
	size_t i = 0, close, end, next;

	while (i < n) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && g_ascii_ispunct(s[i + 1])) {
			g_string_append_c(out, s[i + 1]);
			i += 2;
			continue;
		}
		if (c == '`') {
			size_t run = md_run(s, n, i);
			if ((next = md_code_span(out, s, n, i, run)) == 0) {
				g_string_append_len(out, s + i, (gssize)run);
				next = i + run;
			}
			i = next;
			continue;
		}
		if (c == '!' && i + 1 < n && s[i + 1] == '[' && md_link_at(s, n, i + 1, &close, &end)) {
			i = end; /* images go, alt text and all */
			continue;
		}
		if (c == '[' && md_link_at(s, n, i, &close, &end)) {
			md_inline(out, s + i + 1, close - i - 1);
			i = end;
			continue;
		}
		if (c == '<' && (next = md_angle(out, s, n, i)) != 0) {
			i = next;
			continue;
		}
		if (c == '*' || c == '_' || c == '~') {
			size_t run = md_run(s, n, i);
			bool before_space = i == 0 || g_ascii_isspace(s[i - 1]);
			bool after_space = i + run >= n || g_ascii_isspace(s[i + run]);
			bool intraword = i > 0 && md_word_char(s[i - 1]) && i + run < n && md_word_char(s[i + run]);
			/* a marker touches text on one side at least; "2 * 3", "snake_case" and a
			 * single "~" are text */
			bool literal = (before_space && after_space) || (c == '_' && intraword) || (c == '~' && run < 2);
			if (literal)
				g_string_append_len(out, s + i, (gssize)run);
			i += run;
			continue;
		}
		g_string_append_c(out, c);
		i++;
	}
}

static size_t md_indent(const char *line)
{
	size_t k = 0;
	while (line[k] == ' ')
		k++;
	return k;
}

/* A code fence: three or more backticks or tildes after at most three spaces. */
static bool md_fence(const char *line, char *ret_c, size_t *ret_len)
{
	const char *p = line + md_indent(line);
	size_t run;

	if (p - line > MD_MAX_INDENT || (*p != '`' && *p != '~'))
		return false;
	run = md_run(p, strlen(p), 0);
	if (run < MD_MIN_FENCE)
		return false;
	*ret_c = *p;
	*ret_len = run;
	return true;
}

/* A line made only of c (at least min of them) and spaces/tabs: thematic breaks (---, ***,
 * ___) and setext underlines (===). */
static bool md_rule(const char *p, char c, size_t min)
{
	size_t count = 0;

	for (; *p; p++) {
		if (*p == c)
			count++;
		else if (*p != ' ' && *p != '\t')
			return false;
	}
	return count >= min;
}

/* The rule under a table header: pipes, dashes, colons and spaces, with a dash and a pipe. */
static bool md_table_rule(const char *p)
{
	return strchr(p, '|') && strchr(p, '-') && strspn(p, "|:- \t") == strlen(p);
}

/* [ref]: url */
static bool md_reference(const char *p)
{
	const char *close;

	if (*p != '[' || !(close = strchr(p, ']')) || close == p + 1 || close[1] != ':')
		return false;
	return true;
}

/* One line outside code: block structure off the front, then the inline markup. */
static void md_line(GString *out, char *line)
{
	char *p = g_strchug(line);
	size_t len;

	if (md_reference(p) || md_rule(p, '=', 1) || md_table_rule(p))
		return; /* link definitions, setext underlines, table rules: nothing to read */
	if (md_rule(p, '-', 3) || md_rule(p, '*', 3) || md_rule(p, '_', 3)) {
		g_string_append_c(out, '\n'); /* a thematic break parts like a blank line */
		return;
	}
	while (*p == '>') /* block quotes, nested too */
		p = g_strchug(p + 1);
	if (*p == '#') {
		size_t marks = strspn(p, "#");
		if (marks <= MD_MAX_HEADING && (p[marks] == ' ' || p[marks] == '\t' || p[marks] == '\0')) {
			p = g_strchomp(g_strchug(p + marks));
			/* a closing sequence: " ##" at the end */
			len = strlen(p);
			while (len > 0 && p[len - 1] == '#')
				len--;
			if (len == 0 || p[len - 1] == ' ' || p[len - 1] == '\t')
				p[len] = '\0';
		}
	} else if ((*p == '-' || *p == '*' || *p == '+') && (p[1] == ' ' || p[1] == '\t')) {
		p = g_strchug(p + 1);
		if ((g_str_has_prefix(p, "[ ]") || g_str_has_prefix(p, "[x]") || g_str_has_prefix(p, "[X]")) &&
		    (p[3] == ' ' || p[3] == '\0'))
			p = g_strchug(p + 3); /* task-list box */
	}
	if (*p == '|') { /* a table row: cells apart by two spaces */
		g_auto(GStrv) cells = g_strsplit(p, "|", -1);
		for (char **cell = cells; *cell; cell++) {
			g_strstrip(*cell);
			if (!**cell)
				continue;
			if (cell != cells && out->len && out->str[out->len - 1] != '\n')
				g_string_append(out, "  ");
			md_inline(out, *cell, strlen(*cell));
		}
		g_string_append_c(out, '\n');
		return;
	}
	md_inline(out, p, strlen(p));
	g_string_append_c(out, '\n');
}

char *document_markdown_to_text(const char *md, size_t len)
{
	g_autofree char *copy = g_strndup(md, len);
	g_auto(GStrv) lines = g_strsplit(copy, "\n", -1);
	GString *out = g_string_sized_new(len + 1);
	bool in_fence = false;
	char fence_c = 0, c;
	size_t fence_len = 0, run;

	for (char **l = lines; *l; l++) {
		size_t n = strlen(*l);
		if (n && (*l)[n - 1] == '\r')
			(*l)[n - 1] = '\0';
		if (in_fence) {
			/* the closing fence: the same character, at least as many, nothing after */
			if (md_fence(*l, &c, &run) && c == fence_c && run >= fence_len &&
			    !*g_strchomp(*l + md_indent(*l) + run)) {
				in_fence = false;
				continue;
			}
			g_string_append(out, *l);
			g_string_append_c(out, '\n');
			continue;
		}
		if (md_fence(*l, &fence_c, &fence_len)) {
			in_fence = true; /* the info string ("python") goes with the fence */
			continue;
		}
		md_line(out, *l);
	}
	return g_string_free(out, FALSE);
}

/* ---- PDF ---- */

static int pdf_text(const char *name, const char *data, size_t len, char **ret_text, GError **error)
{
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len); /* data outlives the document */
	g_autoptr(GError) perr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &perr);
	GString *out = NULL;
	int n, r = 0;

	if (!doc) {
		if (g_error_matches(perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			return at_error_set(error, -EINVAL,
					    "%s is an encrypted PDF: save a copy without a password and give that", name);
		/* poppler's own messages ("PDF document is damaged") add nothing to this */
		return at_error_set(error, -EINVAL, "%s is a damaged PDF: export it again, or give the resume as text",
				    name);
	}
	n = poppler_document_get_n_pages(doc);
	if (n > DOCUMENT_MAX_PDF_PAGES) {
		r = at_error_set(error, -E2BIG, "%s has %d pages, over the limit of %d for a document", name, n,
				 DOCUMENT_MAX_PDF_PAGES);
		goto out;
	}
	if (n <= 0) {
		r = at_error_set(error, -EINVAL, "%s is a damaged PDF (no pages): export it again, or give the resume as text",
				 name);
		goto out;
	}
	out = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		if (!page) {
			r = at_error_set(error, -EINVAL, "%s is a damaged PDF (page %d cannot be read)", name, i + 1);
			goto out;
		}
		g_autofree char *text = poppler_page_get_text(page);
		g_object_unref(page);
		if (!text)
			continue;
		if (out->len)
			g_string_append(out, "\n\n"); /* pages apart by a blank line */
		g_string_append(out, text);
		/* a raw text far over the limit cannot tidy down under it */
		if (out->len > 2 * (size_t)DOCUMENT_MAX_TEXT) {
			r = at_error_set(error, -E2BIG, "the text of %s is longer than the limit of %d KiB", name,
					 DOCUMENT_MAX_TEXT / KIB);
			goto out;
		}
	}
	if (!g_utf8_validate_len(out->str, out->len, NULL)) {
		char *valid = g_utf8_make_valid(out->str, (gssize)out->len);
		g_string_assign(out, valid);
		g_free(valid);
	}
	*ret_text = g_string_free(out, FALSE);
	out = NULL;
out:
	if (out)
		g_string_free(out, TRUE);
	g_object_unref(doc);
	return r;
}

/* ---- entry points ---- */

static bool is_markdown(const char *name)
{
	g_autofree char *lower = name ? g_ascii_strdown(name, -1) : NULL;
	return lower && (g_str_has_suffix(lower, ".md") || g_str_has_suffix(lower, ".markdown"));
}

int document_text_from_data(const char *name, const char *data, size_t len, char **ret_text, GError **error)
{
	g_autofree char *raw = NULL;
	char *text;
	bool pdf;
	int r;

	name = display_name(name);
	if (len > DOCUMENT_MAX_FILE_SIZE)
		return at_error_set(error, -E2BIG, "%s is larger than the limit of %d MiB for a document", name,
				    DOCUMENT_MAX_FILE_SIZE / MIB);
	if (len == 0)
		return at_error_set(error, -EINVAL, "%s is empty", name);
	pdf = len >= PDF_MAGIC_LEN && memcmp(data, PDF_MAGIC, PDF_MAGIC_LEN) == 0;
	if (pdf) {
		if ((r = pdf_text(name, data, len, &raw, error)) < 0)
			return r;
		text = tidy(raw, strlen(raw));
	} else {
		if (memchr(data, '\0', len) || !g_utf8_validate_len(data, len, NULL))
			return at_error_set(error, -EINVAL,
					    "%s is not UTF-8 text: save it as UTF-8 (or as PDF or Markdown) and try again",
					    name);
		if (len >= UTF8_BOM_LEN && memcmp(data, UTF8_BOM, UTF8_BOM_LEN) == 0)
			data += UTF8_BOM_LEN, len -= UTF8_BOM_LEN;
		if (is_markdown(name)) {
			raw = document_markdown_to_text(data, len);
			text = tidy(raw, strlen(raw));
		} else {
			text = tidy(data, len);
		}
	}
	if (!*text) {
		g_free(text);
		if (pdf)
			return at_error_set(error, -EINVAL,
					    "%s has no text layer (a scanned image?): export it with text, or give the "
					    "resume as a text file",
					    name);
		return at_error_set(error, -EINVAL, "%s has no text", name);
	}
	if (strlen(text) > DOCUMENT_MAX_TEXT) {
		g_free(text);
		return at_error_set(error, -E2BIG, "the text of %s is longer than the limit of %d KiB", name,
				    DOCUMENT_MAX_TEXT / KIB);
	}
	*ret_text = text;
	return 0;
}

int document_read_text(const char *path, char **ret_text, GError **error)
{
	g_autofree char *data = NULL;
	size_t len = 0;
	int r = paths_read_bounded(path, DOCUMENT_MAX_FILE_SIZE, PATHS_READ_FILES, "a document", &data, &len, error);

	return r < 0 ? r : document_text_from_data(path, data, len, ret_text, error);
}
