/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json_text.h - JSON text re-indented as jansson prints it, without building the value.
 *
 * apptrackctl --json prints a result as json_dumps(result, JSON_INDENT(2)) would. For a
 * listing of thousands of rows, parsing the daemon's compact reply into objects and
 * dumping them again costs many times what the daemon spent answering; these functions
 * write the same bytes straight from the text. They are exact, or they decline: anything
 * they are not sure to print as jansson would (an escape in a string, a real number, an
 * integer of 19 digits or more) goes through jansson token by token, and anything jansson
 * would refuse (invalid JSON or UTF-8, a NUL, a duplicate key, nesting over
 * PROTO_MAX_DEPTH, an object of more than JSON_TEXT_MAX_KEYS members) makes them decline,
 * so that the caller parses the text the ordinary way and meets the same error as before.
 */
#ifndef APPTRACK_JSON_TEXT_H
#define APPTRACK_JSON_TEXT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Members of one object the duplicate check follows; a larger object declines. */
#define JSON_TEXT_MAX_KEYS 64

/* Appends to out the value that is all of text[0..len) (whitespace around it allowed),
 * as json_dumps(value, JSON_INDENT(indent) | JSON_ENCODE_ANY) prints it, indent 1 to 31.
 * true; or false with out as it was. */
bool json_text_reindent(const char *text, size_t len, int indent, GString *out);

/* For a reply line of the control protocol: when it is {"id": id, "result": ...} (members
 * in any order, nothing else but what a reply may hold), appends the result to out as
 * json_text_reindent() does and returns true; false, with out as it was, for anything
 * else (an event, an error, another id, a line to decline), which the caller parses. */
bool json_text_reply_result(const char *line, size_t len, int64_t id, int indent, GString *out);

#endif
