/* csv.c - RFC 4180 reading and writing.
 *
 * The reader is a small state machine over the bytes: it accepts CR LF or LF line ends,
 * quoted fields with "" escapes and embedded line breaks, a UTF-8 byte-order mark and a
 * missing final line end; it counts physical lines so every error and every row can name
 * the line a person would look at.
 */
#include "apptrack/csv.h"

#include "apptrack/error.h"

#include <stdbool.h>
#include <string.h>

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

/* The row being read. */
struct builder {
	GPtrArray *fields; /* of char * */
	GString *field;
	size_t line;
};

static int end_field(struct builder *b, size_t line, GError **error)
{
	if (b->fields->len >= CSV_MAX_FIELDS)
		return at_error_set(error, -EINVAL, "line %zu: more than %d fields", line, CSV_MAX_FIELDS);
	g_ptr_array_add(b->fields, g_strndup(b->field->str, b->field->len));
	g_string_truncate(b->field, 0);
	return 0;
}

static void end_row(struct builder *b, struct csv_table *t)
{
	/* a line with nothing on it is blank, not a row with one empty field */
	bool blank = b->fields->len == 1 && ((char *)b->fields->pdata[0])[0] == '\0';

	if (!blank) {
		struct csv_row *row = g_new0(struct csv_row, 1);
		row->line = b->line;
		row->n_fields = b->fields->len;
		row->fields = (char **)g_ptr_array_steal(b->fields, NULL);
		g_ptr_array_add(t->rows, row);
	}
	g_ptr_array_set_size(b->fields, 0);
}

int csv_parse(const char *text, size_t len, struct csv_table **ret_table, GError **error)
{
	enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = FIELD_START;
	struct csv_table *t = g_new0(struct csv_table, 1);
	struct builder b = { g_ptr_array_new_with_free_func(g_free), g_string_new(NULL), 1 };
	size_t line = 1, quote_line = 0, i = 0;
	int r = 0;

	t->rows = g_ptr_array_new_with_free_func(row_free);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		char c = text[i];
		if (c == '\0') {
			r = at_error_set(error, -EINVAL, "line %zu: NUL byte", line);
			goto out;
		}
		switch (state) {
		case FIELD_START:
		case UNQUOTED:
			if (c == '"' && state == FIELD_START) {
				state = QUOTED;
				quote_line = line;
			} else if (c == '"') {
				r = at_error_set(error, -EINVAL, "line %zu: quote inside an unquoted field", line);
				goto out;
			} else if (c == ',') {
				if ((r = end_field(&b, line, error)) < 0)
					goto out;
				state = FIELD_START;
			} else if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
					i++;
				if ((r = end_field(&b, line, error)) < 0)
					goto out;
				end_row(&b, t);
				line++;
				b.line = line;
				state = FIELD_START;
			} else {
				g_string_append_c(b.field, c);
				state = UNQUOTED;
			}
			break;
		case QUOTED:
			if (c == '"') {
				state = QUOTE_IN_QUOTED;
			} else {
				if (c == '\n' || (c == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
					line++;
				g_string_append_c(b.field, c);
			}
			break;
		case QUOTE_IN_QUOTED:
			if (c == '"') {
				g_string_append_c(b.field, '"');
				state = QUOTED;
			} else if (c == ',' || c == '\r' || c == '\n') {
				state = UNQUOTED; /* the field ended; handle the separator again */
				i--;
			} else {
				r = at_error_set(error, -EINVAL, "line %zu: text after a closing quote", line);
				goto out;
			}
			break;
		}
	}
	if (state == QUOTED) {
		r = at_error_set(error, -EINVAL, "line %zu: unterminated quoted field (it starts here)", quote_line);
		goto out;
	}
	if (state != FIELD_START || b.fields->len > 0) {
		if ((r = end_field(&b, line, error)) < 0)
			goto out;
		end_row(&b, t);
	}
out:
	g_ptr_array_free(b.fields, TRUE);
	g_string_free(b.field, TRUE);
	if (r < 0) {
		csv_table_free(t);
		return r;
	}
	*ret_table = t;
	return 0;
}

void csv_append_field(GString *out, const char *field)
{
	if (!field)
		return;
	size_t n = strlen(field);
	bool quote = n > 0 && (strpbrk(field, ",\"\r\n") || field[0] == ' ' || field[n - 1] == ' ');

	if (!quote) {
		g_string_append_len(out, field, (gssize)n);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

void csv_append_row(GString *out, const char *const *fields, size_t n_fields)
{
	for (size_t i = 0; i < n_fields; i++) {
		if (i)
			g_string_append_c(out, ',');
		csv_append_field(out, fields[i]);
	}
	g_string_append(out, "\r\n");
}
