/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_internal.h - what match.c (the TF-IDF index) takes from match_argsort.c (match.h
 * is the API).
 */
#ifndef APPTRACK_MATCH_INTERNAL_H
#define APPTRACK_MATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Sorts idx[0..num) (indices into key) by key ascending exactly as numpy's default
 * argsort (introsort, not stable) orders them. */
void match_argsort_numpy(const int64_t *key, size_t *idx, size_t num);

#endif
