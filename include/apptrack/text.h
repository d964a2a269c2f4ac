/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h - small text helpers shared by the programs. */
#ifndef APPTRACK_TEXT_H
#define APPTRACK_TEXT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether text has a control character (below 0x20, or DEL). */
bool text_has_control(const char *text);

/* Levenshtein distance between a and b (bytes), for "did you mean" suggestions. */
unsigned text_edit_distance(const char *a, const char *b);

/* The candidate closest to word within max_distance edits, for "did you mean"; NULL when
 * none is that close. Borrowed from candidates. */
const char *text_closest(const char *word, const char *const *candidates, size_t n, unsigned max_distance);

/* Company name folded for matching: lower-case letters and digits only, a leading "the"
 * and trailing legal suffixes (inc, llc, ltd, corp, corporation, co, gmbh, plc) dropped,
 * so "The Acme Co., Inc." and "ACME" agree. g_free. */
char *text_company_key(const char *company);

/* Appends "FILE:LINE: message" to errors, on a new line when errors is not empty: the
 * one format of configuration and rule-file problems. A newline or other control
 * character in the message is written as \n or \xNN, so that each problem is one line. */
void text_problem(GString *errors, const char *file, unsigned line, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Line numbers in INI text (GKeyFile reports none): the 1-based line of "[section]"
 * (key NULL) or of "key =" inside that section; 0 when not found. */
unsigned text_ini_line(const char *text, const char *section, const char *key);
/* The first line GKeyFile cannot take (not blank, comment, [group] or key=value); 1 when
 * none stands out. */
unsigned text_ini_bad_line(const char *text);

#endif
