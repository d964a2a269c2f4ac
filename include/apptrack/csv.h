/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.h - RFC 4180 comma-separated values: reading and writing, no I/O.
 *
 * reading accepts CRLF or LF line ends, quoted fields with "" escapes, commas and line
 * breaks inside quotes, a UTF-8 byte-order mark, and a missing final line end. Each row
 * remembers the physical line it starts on, for error messages.
 */
#ifndef APPTRACK_CSV_H
#define APPTRACK_CSV_H

#include <glib.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 256 /* per row */

struct csv_row {
	size_t line;     /* 1-based line where the row starts */
	size_t n_fields;
	char **fields;   /* NUL-terminated strings */
};

struct csv_table {
	GPtrArray *rows; /* of struct csv_row *; rows->pdata[0] is the header when present */
};

/* Parses text. Blank lines are skipped. Fails with -EINVAL and "line N: ..." for an
 * unterminated quote, a quote inside an unquoted field, text after a closing quote, a
 * NUL byte, or more than CSV_MAX_FIELDS fields. *ret_table: free with csv_table_free. */
int csv_parse(const char *text, size_t len, struct csv_table **ret_table, GError **error);
void csv_table_free(struct csv_table *table);
typedef struct csv_table csv_table;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(csv_table, csv_table_free)

/* Appends one field, quoted when it holds a comma, quote, CR or LF, starts or ends with a
 * space, or starts with a byte-order mark (which, first in a file, would be read as the
 * file's). NULL is written as an empty field. */
void csv_append_field(GString *out, const char *field);
/* Appends fields joined by commas and terminated with CRLF. */
void csv_append_row(GString *out, const char *const *fields, size_t n_fields);

#endif
