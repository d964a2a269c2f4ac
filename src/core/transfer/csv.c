/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.c - RFC 4180 reading and writing (the project's own CSV code; see csv.h).
 *
 * The reader is a state machine over the bytes. It counts physical lines as it goes,
 * including the line breaks inside quoted fields, so that every row and every error can
 * name the line a person would look at in an editor. CR LF, a lone LF and a lone CR each
 * end one line.
 */
#include "apptrack/csv.h"

#include "apptrack/error.h"

#include <stdbool.h>
#include <string.h>

#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3

enum parse_state {
	FIELD_START,  /* at the start of a field: a quote here opens a quoted field */
	UNQUOTED,     /* inside an unquoted field */
	QUOTED,       /* inside a quoted field */
	AFTER_QUOTE,  /* a quote inside a quoted field: "" escape or the closing quote */
};

struct parser {
	struct csv_table *table;
	GPtrArray *fields; /* of char *: the row being read */
	GString *field;    /* the field being read */
	size_t line;       /* current physical line */
	size_t row_line;   /* line the current row started on */
	size_t quote_line; /* line the open quoted field started on */
	bool row_empty;    /* nothing at all read on this row yet: a blank line */
};

static void row_free(gpointer p)
{
	struct csv_row *row = p;

	for (size_t i = 0; i < row->n_fields; i++)
		g_free(row->fields[i]);
	g_free(row->fields);
	g_free(row);
}

void csv_table_free(struct csv_table *table)
{
	if (!table)
		return;
	g_ptr_array_free(table->rows, TRUE);
	g_free(table);
}

static int end_field(struct parser *p, GError **error)
{
	if (p->fields->len >= CSV_MAX_FIELDS)
		return at_error_set(error, -EINVAL, "line %zu: more than %d fields", p->line, CSV_MAX_FIELDS);
	g_ptr_array_add(p->fields, g_strndup(p->field->str, p->field->len));
	g_string_truncate(p->field, 0);
	return 0;
}

static int end_row(struct parser *p, GError **error)
{
	struct csv_row *row;
	int r;

	if (p->row_empty) /* a blank line is no row, not a row with one empty field */
		return 0;
	if ((r = end_field(p, error)) < 0)
		return r;
	row = g_new0(struct csv_row, 1);
	row->line = p->row_line;
	row->n_fields = p->fields->len;
	row->fields = (char **)g_ptr_array_steal(p->fields, NULL);
	g_ptr_array_add(p->table->rows, row);
	return 0;
}

/* At a line break outside quotes (text[*i] is CR or LF): ends the row and the line. */
static int end_line(struct parser *p, const char *text, size_t len, size_t *i, GError **error)
{
	int r;

	if (text[*i] == '\r' && *i + 1 < len && text[*i + 1] == '\n')
		(*i)++;
	if ((r = end_row(p, error)) < 0)
		return r;
	p->line++;
	p->row_line = p->line;
	p->row_empty = true;
	return 0;
}

int csv_parse(const char *text, size_t len, struct csv_table **ret_table, GError **error)
{
	struct parser p = {
		.table = g_new0(struct csv_table, 1),
		.fields = g_ptr_array_new_with_free_func(g_free),
		.field = g_string_new(NULL),
		.line = 1,
		.row_line = 1,
		.row_empty = true,
	};
	enum parse_state state = FIELD_START;
	size_t i = 0;
	int r = 0;

	p.table->rows = g_ptr_array_new_with_free_func(row_free);
	if (len >= UTF8_BOM_LEN && memcmp(text, UTF8_BOM, UTF8_BOM_LEN) == 0)
		i = UTF8_BOM_LEN;
	for (; i < len; i++) {
		char c = text[i];

		if (c == '\0') {
			r = at_error_set(error, -EINVAL, "line %zu: NUL byte", p.line);
			goto out;
		}
		switch (state) {
		case FIELD_START:
			if (c == '"') {
				state = QUOTED;
				p.quote_line = p.line;
				p.row_empty = false;
				break;
			}
			/* anything else starts (or ends) an unquoted field */
			G_GNUC_FALLTHROUGH;
		case UNQUOTED:
			if (c == '"') {
				r = at_error_set(error, -EINVAL, "line %zu: quote inside unquoted field", p.line);
				goto out;
			} else if (c == ',') {
				p.row_empty = false;
				if ((r = end_field(&p, error)) < 0)
					goto out;
				state = FIELD_START;
			} else if (c == '\r' || c == '\n') {
				if ((r = end_line(&p, text, len, &i, error)) < 0)
					goto out;
				state = FIELD_START;
			} else {
				p.row_empty = false;
				g_string_append_c(p.field, c);
				state = UNQUOTED;
			}
			break;
		case QUOTED:
			if (c == '"') {
				state = AFTER_QUOTE;
				break;
			}
			/* a line break inside quotes is data, but still a line in the file */
			if (c == '\n' || (c == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
				p.line++;
			g_string_append_c(p.field, c);
			break;
		case AFTER_QUOTE:
			if (c == '"') {
				g_string_append_c(p.field, '"');
				state = QUOTED;
			} else if (c == ',') {
				if ((r = end_field(&p, error)) < 0)
					goto out;
				state = FIELD_START;
			} else if (c == '\r' || c == '\n') {
				if ((r = end_line(&p, text, len, &i, error)) < 0)
					goto out;
				state = FIELD_START;
			} else {
				r = at_error_set(error, -EINVAL, "line %zu: text after closing quote", p.line);
				goto out;
			}
			break;
		}
	}
	if (state == QUOTED) {
		r = at_error_set(error, -EINVAL, "line %zu: unterminated quoted field (started here)", p.quote_line);
		goto out;
	}
	r = end_row(&p, error); /* no line break after the last row */
out:
	g_ptr_array_free(p.fields, TRUE);
	g_string_free(p.field, TRUE);
	if (r < 0) {
		csv_table_free(p.table);
		return r;
	}
	*ret_table = p.table;
	return 0;
}

static bool needs_quotes(const char *field, size_t n)
{
	/* spaces at either end are quoted because many readers trim unquoted ones; a leading
	 * byte-order mark, because at the start of a file the reader would take it for one */
	return n > 0 && (strpbrk(field, ",\"\r\n") || field[0] == ' ' || field[n - 1] == ' ' ||
			 (n >= UTF8_BOM_LEN && memcmp(field, UTF8_BOM, UTF8_BOM_LEN) == 0));
}

void csv_append_field(GString *out, const char *field)
{
	size_t n;

	if (!field)
		return;
	n = strlen(field);
	if (!needs_quotes(field, n)) {
		g_string_append_len(out, field, (gssize)n);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *q = field; *q; q++) {
		if (*q == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *q);
	}
	g_string_append_c(out, '"');
}

void csv_append_row(GString *out, const char *const *fields, size_t n_fields)
{
	/* a row of one empty field would read back as a blank line, which is no row */
	if (n_fields == 1 && (!fields[0] || !fields[0][0])) {
		g_string_append(out, "\"\"\r\n");
		return;
	}
	for (size_t i = 0; i < n_fields; i++) {
		if (i)
			g_string_append_c(out, ',');
		csv_append_field(out, fields[i]);
	}
	g_string_append(out, "\r\n");
}
