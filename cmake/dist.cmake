# SPDX-License-Identifier: GPL-3.0-or-later
# dist.cmake - the source tarball: `cmake --build BUILD --target dist` runs
#   cmake -DSOURCE_DIR=... -DVERSION=0.1.0 -DOUT_DIR=BUILD [-DGIT=git] -P dist.cmake
# and writes OUT_DIR/apptrack-VERSION.tar.gz: `git archive` of the commit checked out (HEAD),
# every file under the directory apptrack-VERSION/, but what .gitattributes marks
# export-ignore. VERSION is the project version alone: a build of the tarball has no .git and
# says it (cmake/version.cmake). The tarball is reproducible: git archive takes each file's
# time from the commit and records the commit's id in the tar header (`git get-tar-commit-id`
# reads it back), and gzip -n leaves out the name and time, so the same commit gives the
# same bytes. Uncommitted changes are not in it; the script says so when there are some.
cmake_minimum_required(VERSION 3.18)
if(NOT SOURCE_DIR OR NOT VERSION OR NOT OUT_DIR)
	message(FATAL_ERROR "dist.cmake: SOURCE_DIR, VERSION and OUT_DIR are required")
endif()
if(NOT GIT)
	set(GIT git)
endif()
if(NOT EXISTS "${SOURCE_DIR}/.git")
	message(FATAL_ERROR "dist: ${SOURCE_DIR} is not a git checkout; the tarball is made from a commit")
endif()
find_program(GZIP gzip REQUIRED)

execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --verify --quiet "HEAD^{commit}"
	RESULT_VARIABLE rc OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc STREQUAL "0")
	message(FATAL_ERROR "dist: ${SOURCE_DIR} has no commit yet")
endif()
execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
	OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE)
if(changes)
	message(WARNING "dist: uncommitted changes are not in the tarball (it is made from ${commit})")
endif()

set(name "apptrack-${VERSION}")
set(tarball "${OUT_DIR}/${name}.tar.gz")
file(MAKE_DIRECTORY "${OUT_DIR}")
# written beside the result and renamed over it, so that a failure leaves no half tarball
execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" archive --format=tar "--prefix=${name}/" "${commit}"
	COMMAND "${GZIP}" -n -9
	OUTPUT_FILE "${tarball}.tmp" RESULTS_VARIABLE results)
if(NOT results STREQUAL "0;0")
	file(REMOVE "${tarball}.tmp")
	message(FATAL_ERROR "dist: git archive | gzip failed (${results})")
endif()
file(RENAME "${tarball}.tmp" "${tarball}")
file(SHA256 "${tarball}" sum)
message(STATUS "dist: ${tarball} (commit ${commit}, sha256 ${sum})")
