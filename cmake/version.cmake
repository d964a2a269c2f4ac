# SPDX-License-Identifier: GPL-3.0-or-later
# version.cmake - the one source of apptrack's version string: BASE_VERSION (project(VERSION) in
# CMakeLists.txt), plus what `git describe` says when SOURCE_DIR is a git checkout of its own
# (a .git directory or worktree file in SOURCE_DIR itself; a tarball unpacked inside some other
# repository is not described), unless DESCRIBE is OFF (a package build, debian/rules:
# -DAPPTRACK_GIT_DESCRIBE=OFF, since the package's version is the plain one). The form
# (docs/decisions.md, "One source of the version"):
#   0.1.0                          no .git (a tarball or package build), or a clean tree at tag v0.1.0
#   0.1.0+git.<N>.g<hash>          N commits since the newest v* tag (since the first commit
#                                  when there is none), <hash> the abbreviated commit
#   0.1.0+git.<N>.g<hash>.dirty    the same with uncommitted changes to tracked files
# Run at build time by the apptrack-version target, every build; each output is rewritten
# only when its text changes, so an unchanged version recompiles nothing:
#   cmake -DSOURCE_DIR=... -DBASE_VERSION=... [-DGIT=git] [-DDESCRIBE=OFF] [-DHEADER_IN=... -DHEADER=...]
#         [-DTEXT=version.txt] [-DMAN_DIR=docs/man -DMAN_OUT=build/man] -P version.cmake
# The man pages' .TH lines say "apptrack @APPTRACK_VERSION@" in the source; MAN_OUT gets the
# pages with it substituted, which is what is installed.
cmake_minimum_required(VERSION 3.18) # the policies of CMakeLists.txt: "@VAR@" in a literal is text
if(NOT SOURCE_DIR OR NOT BASE_VERSION)
	message(FATAL_ERROR "version.cmake: SOURCE_DIR and BASE_VERSION are required")
endif()
if(NOT GIT)
	set(GIT git)
endif()

# git_out(VAR ARGS...): git's output in VAR, or "" when git fails or is missing
function(git_out var)
	execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
			ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
	if(NOT rc STREQUAL "0")
		set(out "")
	endif()
	set(${var} "${out}" PARENT_SCOPE)
endfunction()

set(version "${BASE_VERSION}")
if(NOT DEFINED DESCRIBE)
	set(DESCRIBE ON)
endif()
if(DESCRIBE AND EXISTS "${SOURCE_DIR}/.git")
	git_out(described describe --tags --dirty --always --match "v[0-9]*")
	if(described)
		set(dirty "")
		if(described MATCHES "^(.*)-dirty$")
			set(described "${CMAKE_MATCH_1}")
			set(dirty ".dirty")
		endif()
		git_out(hash rev-parse --short HEAD)
		set(tag "")
		if(described MATCHES "^v(.+)-([0-9]+)-g[0-9a-f]+$")
			set(count "${CMAKE_MATCH_2}")
		elseif(described MATCHES "^v(.+)$")
			set(tag "${CMAKE_MATCH_1}")
			set(count 0)
		else() # no v* tag: describe --always gave the hash alone
			git_out(count rev-list --count HEAD)
		endif()
		if(count STREQUAL "0" AND NOT dirty AND tag STREQUAL BASE_VERSION)
			set(version "${BASE_VERSION}")
		elseif(hash AND count MATCHES "^[0-9]+$")
			set(version "${BASE_VERSION}+git.${count}.g${hash}${dirty}")
		endif()
	endif()
endif()

# write_if_changed(FILE TEXT): leaves FILE's time alone when it holds TEXT already
function(write_if_changed file text)
	if(EXISTS "${file}")
		file(READ "${file}" old)
		if(old STREQUAL text)
			return()
		endif()
	endif()
	file(WRITE "${file}.tmp" "${text}")
	file(RENAME "${file}.tmp" "${file}")
endfunction()

set(APPTRACK_VERSION "${version}")
set(APPTRACK_VERSION_BASE "${BASE_VERSION}")
if(HEADER)
	file(READ "${HEADER_IN}" header)
	string(CONFIGURE "${header}" header @ONLY)
	write_if_changed("${HEADER}" "${header}")
endif()
if(TEXT)
	write_if_changed("${TEXT}" "${version}\n")
endif()
if(MAN_DIR AND MAN_OUT)
	file(GLOB pages "${MAN_DIR}/*.[1-9]")
	file(MAKE_DIRECTORY "${MAN_OUT}")
	foreach(page IN LISTS pages)
		get_filename_component(name "${page}" NAME)
		file(READ "${page}" text)
		string(REPLACE "@APPTRACK_VERSION@" "${version}" text "${text}")
		write_if_changed("${MAN_OUT}/${name}" "${text}")
	endforeach()
endif()
