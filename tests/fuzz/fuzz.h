/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h - what the libFuzzer harnesses share: a fixed environment, a private temporary
 * directory (under $TMPDIR, made on first use) that is removed at a normal exit, files
 * written into it, and a check that aborts, so that a broken promise of a header is
 * reported like a crash. A run that crashes leaves its directory behind.
 * Header-only: each harness is one program. */
#ifndef APPTRACK_FUZZ_H
#define APPTRACK_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* libFuzzer's entry points (it provides main). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                         \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

/* Where the XDG directories point: nowhere (like test_protocol.c's /nonexistent socket). */
#define FUZZ_NO_DIR "/nonexistent/apptrack-fuzz"

/* The clock of the harnesses, for reminders computed on import (2026-11-22T10:30:00Z). */
#define FUZZ_NOW "1795339800"

static char *fuzz_dir;

static inline int fuzz_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void fuzz_remove_dir(void)
{
	if (fuzz_dir)
		nftw(fuzz_dir, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
	g_clear_pointer(&fuzz_dir, g_free);
}

/* The harness's own directory, apptrack-fuzz-XXXXXX in $TMPDIR (or /tmp); everything a
 * harness writes goes there. */
static inline const char *fuzz_tmpdir(void)
{
	if (!fuzz_dir) {
		fuzz_dir = g_dir_make_tmp("apptrack-fuzz-XXXXXX", NULL);
		FUZZ_CHECK(fuzz_dir != NULL);
		atexit(fuzz_remove_dir);
	}
	return fuzz_dir;
}

/* A path in the harness's directory. g_free. */
static inline char *fuzz_path(const char *name)
{
	return g_build_filename(fuzz_tmpdir(), name, NULL);
}

/* For the harnesses that load a file: the one file each input is written to, name in the
 * harness's directory (made on the first call, freed at exit). */
static char *fuzz_input_path;

static inline void fuzz_input_free(void)
{
	g_clear_pointer(&fuzz_input_path, g_free);
}

static inline const char *fuzz_input(const char *name)
{
	if (!fuzz_input_path) {
		fuzz_input_path = fuzz_path(name);
		atexit(fuzz_input_free);
	}
	return fuzz_input_path;
}

/* A loader's promise: each line of its error names the file first ("FILE:LINE: ..."). */
static inline void fuzz_check_problems(const GError *error, const char *path)
{
	g_autofree char *prefix = g_strconcat(path, ":", NULL);
	g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);

	for (size_t i = 0; lines[i]; i++)
		if (!g_str_has_prefix(lines[i], prefix)) {
			fprintf(stderr, "problem without FILE:LINE: [%s]\n", lines[i]);
			abort();
		}
}

/* Sets the environment before anything reads it: UTC, a fixed clock, and XDG directories
 * that do not exist, so that no user file (rules.d, apptrack.conf) is read. Creates no
 * directory: fuzz_mime, fuzz_protocol and fuzz_document write nothing at all. */
static inline void fuzz_setup(void)
{
	g_setenv("TZ", "UTC", TRUE);
	g_setenv("APPTRACK_NOW", FUZZ_NOW, TRUE);
	g_setenv("XDG_CONFIG_HOME", FUZZ_NO_DIR "/config", TRUE);
	g_setenv("XDG_DATA_HOME", FUZZ_NO_DIR "/data", TRUE);
}

/* Replaces the file at path with size bytes of data, mode 0600. */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(fchmod(fd, 0600) == 0);
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		FUZZ_CHECK(n > 0);
		data += n;
		size -= (size_t)n;
	}
	FUZZ_CHECK(close(fd) == 0);
}

#endif
