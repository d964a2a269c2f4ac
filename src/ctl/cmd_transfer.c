/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_transfer.c - apptrackctl import, export and backup: applications in and out as CSV,
 * and an online copy of the database.
 *
 * The client reads and writes the user's files itself (import's CSV, export's FILE); the
 * daemon writes the backup, to the absolute path the client gives.
 */
#include "ctl.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static const struct opt import_opts[] = { { "skip-bad", false, NULL, false }, { NULL, false, NULL, false } };

static int cmd_import(struct ctl *ctl, struct opts *o)
{
	const char *file = o->args->pdata[0];
	g_autofree char *text = NULL;
	json_t *result = NULL, *data = NULL, *row;
	gsize len = 0;
	size_t i;
	int r;

	if ((r = ctl_read_file(ctl, file, &text, &len)) != CTL_OK)
		return r;
	r = ctl_call(ctl, "import", json_pack("{s:s%,s:b}", "csv", text, len, "skip_bad", opt(o, "skip-bad") != NULL),
		     &result, &data);
	if (r != CTL_OK) {
		/* the refusal's one line is printed; its bad rows follow, for the user to fix */
		json_array_foreach(json_object_get(data, "rows"), i, row)
			fprintf(stderr, "%s:%" JSON_INTEGER_FORMAT ": %s\n", file, json_integer_value(json_object_get(row, "line")),
				json_string_value(json_object_get(row, "reason")));
		json_decref(data);
		return r;
	}
	ctl->out->imported(result, file);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_import_entry = {
	.name = "import",
	.usage = "FILE.csv [--skip-bad]",
	.summary = "Import applications from a CSV file",
	.opts = import_opts,
	.required = { { NULL, "missing the CSV file" } },
	.max_args = 1,
	.too_many = "one file at a time",
	.exec = cmd_import,
};

/* Writes text to path through a temporary file and rename, mode 0600. */
static int write_atomically(const char *path, const char *text, size_t len, GError **error)
{
	g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", path);
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s: %s", tmp, g_strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s", path, g_strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int cmd_export(struct ctl *ctl, struct opts *o)
{
	const char *file = o->args->len ? o->args->pdata[0] : NULL;
	json_t *result = NULL, *csv;
	int r;

	if ((r = ctl_call(ctl, "export", NULL, &result, NULL)) != CTL_OK)
		return r;
	csv = json_object_get(result, "csv");
	if (!file) {
		/* the CSV itself, for people and scripts alike */
		fwrite(json_string_value(csv), 1, json_string_length(csv), stdout);
	} else {
		g_autoptr(GError) error = NULL;
		if (write_atomically(file, json_string_value(csv), json_string_length(csv), &error) < 0) {
			json_decref(result);
			return ctl_fail(CTL_USAGE, "export: %s", error->message);
		}
		ctl->out->exported(result, file);
	}
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_export_entry = {
	.name = "export",
	.usage = "[FILE.csv]",
	.summary = "Export applications as CSV (to standard output without FILE)",
	.max_args = 1,
	.too_many = "one file at a time",
	.exec = cmd_export,
};

static int cmd_backup(struct ctl *ctl, struct opts *o)
{
	g_autofree char *path = g_canonicalize_filename(o->args->pdata[0], NULL);
	json_t *result = NULL;
	int r;

	if ((r = ctl_call(ctl, "backup", json_pack("{s:s}", "path", path), &result, NULL)) != CTL_OK)
		return r;
	ctl->out->done(result, "backed up %" JSON_INTEGER_FORMAT " bytes to %s",
		       json_integer_value(json_object_get(result, "bytes")), path);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE",
	.summary = "Write an online backup of the database to a new FILE",
	.required = { { NULL, "missing the backup file" } },
	.max_args = 1,
	.too_many = "one file at a time",
	.exec = cmd_backup,
};
