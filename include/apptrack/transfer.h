/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transfer.h - CSV import and export of applications.
 *
 * Import maps header names to fields with the column names other trackers and
 * spreadsheets use ("Company Name", "Job Title", "Date Applied", "Stage", ...; see
 * docs/csv.md). A file with any bad row is refused whole unless skip_bad is set: then the
 * good rows are imported and the bad ones reported. Either way the import is one
 * transaction: a crash in the middle leaves nothing half-written.
 *
 * Export writes every application with the columns of TRANSFER_COLUMNS; importing an
 * export gives the same applications back (ids are assigned anew).
 */
#ifndef APPTRACK_TRANSFER_H
#define APPTRACK_TRANSFER_H

#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "apptrack/pipeline.h"
#include "apptrack/store.h"

#define TRANSFER_MAX_ROWS 200000

/* Imports CSV text. *ret_report gets {"imported":N,"skipped":[{"line":L,"reason":R},...]}.
 * When bad rows refuse the file, returns -EINVAL with a message counting them, and
 * appends each {"line","reason"} to bad_rows (borrowed array; may be NULL). */
int transfer_import_csv(const struct pipeline *p, const char *text, size_t len, bool skip_bad, json_t *bad_rows,
			json_t **ret_report, GError **error);
/* transfer_import_csv() that stops between two rows once *cancel (read with
 * g_atomic_int_get(); NULL: never) is set by another thread: -ECANCELED, nothing written.
 * Safe on any thread whose pipeline's store is its own (store.h). */
int transfer_import_csv_until(const struct pipeline *p, const char *text, size_t len, bool skip_bad,
			      const gint *cancel, json_t *bad_rows, json_t **ret_report, GError **error);

/* Exports all applications, oldest first. *ret_csv: g_free. */
int transfer_export_csv(store *s, char **ret_csv, size_t *ret_count, GError **error);

#endif
