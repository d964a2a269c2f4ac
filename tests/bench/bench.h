/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench.h - the benchmarks of apptrack-bench that live in their own files. */
#ifndef APPTRACK_BENCH_H
#define APPTRACK_BENCH_H

#include <glib.h>

/* Scores RESUME against JD n times; returns 0 when the per-pair target is met. */
int bench_match_pair(const char *resume_path, const char *jd_path, long n);
/* Ranks one resume against n generated job descriptions; 0 when the target is met. */
int bench_match_rank(long n);
/* match --all over n generated job descriptions: ranks and finds keywords; 0 when the target is met. */
int bench_match_all(long n);

/* apptrack-bench train OUT DIR...: writes the mail model trained on the labelled DIRs. */
int bench_train(const char *out, char **dirs, int n);
/* apptrack-bench mail-cv CORPUS [DIR...] [options]: cross-validation grouped by origin. */
int bench_mail_cv(int argc, char **argv);

#endif
