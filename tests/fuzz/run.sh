#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - what the fuzz tests of ctest run (tests/fuzz/CMakeLists.txt).
#
# usage: run.sh replay|run FUZZER SCRATCH [-libfuzzer-option ...] DIR...
#   replay  runs every input of the DIRs once (-runs=0), crash inputs included
#   run     a fuzzing run from the DIRs' inputs, with the options given (-seed, -runs, ...);
#           new inputs go to SCRATCH/corpus, never into the DIRs
# SCRATCH (in the build tree) is emptied first; it holds the new inputs, any crash
# artifact, and the harness's temporary directory. DIRs that do not exist are skipped.
set -euo pipefail

mode=$1 fuzzer=$2 scratch=$3
shift 3
rm -rf "$scratch"
mkdir -p "$scratch/corpus" "$scratch/artifacts" "$scratch/tmp"

opts=() dirs=()
for arg; do
	case $arg in
	-*) opts+=("$arg") ;;
	*) if [ -d "$arg" ]; then dirs+=("$arg"); fi ;;
	esac
done

export TMPDIR=$scratch/tmp
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

case $mode in
replay)
	set -x
	exec "$fuzzer" -runs=0 "${opts[@]}" -artifact_prefix="$scratch/artifacts/" "${dirs[@]}"
	;;
run)
	set -x
	exec "$fuzzer" "${opts[@]}" -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" \
		"$scratch/corpus" "${dirs[@]}"
	;;
*)
	echo "run.sh: unknown mode $mode (replay or run)" >&2
	exit 2
	;;
esac
