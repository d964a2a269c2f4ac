/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json_text.c - JSON text re-indented as jansson prints it, without building the value
 * (see json_text.h).
 *
 * One recursive pass over the text: containers and the whitespace between tokens are
 * written as jansson's dumper writes them with JSON_INDENT(n) ("[", newline and indent
 * before each element, "," between, ": " after a key, "[]" and "{}" when empty); tokens
 * jansson would print unchanged are copied (a string without a backslash, whose UTF-8 is
 * checked when it holds a non-ASCII byte; an integer of at most 18 digits without a
 * leading zero; true, false, null); a string with escapes is decoded and written again
 * with jansson's escapes; other tokens (reals, -0, long integers) are loaded and dumped by
 * jansson itself.
 */
#include "apptrack/json_text.h"

#include "apptrack/protocol.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct scan {
	const char *p, *end;
	GString *out; /* NULL: check the value and skip it */
	int indent;
};

struct span {
	const char *s;
	size_t n;
};

static void skip_ws(struct scan *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\t' || *t->p == '\n' || *t->p == '\r'))
		t->p++;
}

static void newline(struct scan *t, int level)
{
	static const char spaces[] = "\n                                                                ";
	int n = level * t->indent;

	g_string_append_len(t->out, spaces, MIN(n, (int)sizeof(spaces) - 2) + 1);
	for (n -= (int)sizeof(spaces) - 2; n > 0; n--)
		g_string_append_c(t->out, ' ');
}

/* The token [s, s + n) through jansson: loaded (false when it would refuse it) and, when
 * writing, dumped. */
static bool through_jansson(struct scan *t, const char *s, size_t n)
{
	json_error_t err;
	json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	char *dump;

	if (!v)
		return false;
	if (t->out) {
		dump = json_dumps(v, JSON_ENCODE_ANY | JSON_INDENT(t->indent));
		if (!dump) {
			json_decref(v);
			return false;
		}
		g_string_append(t->out, dump);
		free(dump);
	}
	json_decref(v);
	return true;
}

/* A string token at t->p; *ret gets its text with the quotes, *ret_escaped whether it
 * holds a backslash. False on a raw control byte, invalid UTF-8 or no closing quote. */
static bool string_token(struct scan *t, struct span *ret, bool *ret_escaped)
{
	const char *s = t->p++;
	bool escaped = false, high = false;

	for (; t->p < t->end; t->p++) {
		unsigned char c = (unsigned char)*t->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c >= 0x80)
			high = true;
		if (c == '\\') {
			escaped = true;
			if (++t->p == t->end)
				return false;
		}
	}
	if (t->p == t->end)
		return false;
	t->p++;
	if (high && !g_utf8_validate_len(s + 1, (gsize)(t->p - s - 2), NULL))
		return false;
	ret->s = s;
	ret->n = (size_t)(t->p - s);
	*ret_escaped = escaped;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int d = g_ascii_xdigit_value(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string with escapes, [s, s + n) with its quotes, written as jansson writes the string
 * it decodes: '"', '\\' and control characters escaped (\b \f \n \r \t, else \u00XX
 * in capitals), everything else as UTF-8. False where jansson's loader would refuse it. */
static bool escaped_string(struct scan *t, const char *s, size_t n)
{
	const char *p = s + 1, *end = s + n - 1, *run = p;

	if (t->out)
		g_string_append_c(t->out, '"');
	while (p < end) {
		if (*p != '\\') {
			p++;
			continue;
		}
		if (t->out)
			g_string_append_len(t->out, run, p - run);
		if (p + 1 >= end)
			return false;
		char c = p[1], named = 0;
		gunichar u;
		p += 2;
		switch (c) {
		case '"': case '\\': case '/': u = (gunichar)c; break;
		case 'b': u = '\b'; break;
		case 'f': u = '\f'; break;
		case 'n': u = '\n'; break;
		case 'r': u = '\r'; break;
		case 't': u = '\t'; break;
		case 'u': {
			int v = end - p >= 4 ? hex4(p) : -1, lo;
			if (v <= 0 || (v >= 0xDC00 && v <= 0xDFFF))
				return false;
			p += 4;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || (lo = hex4(p + 2)) < 0xDC00 || lo > 0xDFFF)
					return false;
				p += 6;
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
			}
			u = (gunichar)v;
			break;
		}
		default:
			return false;
		}
		run = p;
		if (!t->out)
			continue;
		switch (u) {
		case '"': named = '"'; break;
		case '\\': named = '\\'; break;
		case '\b': named = 'b'; break;
		case '\f': named = 'f'; break;
		case '\n': named = 'n'; break;
		case '\r': named = 'r'; break;
		case '\t': named = 't'; break;
		default: break;
		}
		if (named) {
			g_string_append_c(t->out, '\\');
			g_string_append_c(t->out, named);
		} else if (u < 0x20) {
			g_string_append_printf(t->out, "\\u%04X", (unsigned)u);
		} else {
			g_string_append_unichar(t->out, u);
		}
	}
	if (t->out) {
		g_string_append_len(t->out, run, p - run);
		g_string_append_c(t->out, '"');
	}
	return true;
}

static bool scalar(struct scan *t)
{
	const char *s = t->p;
	struct span str;
	bool escaped;

	if (*s == '"') {
		if (!string_token(t, &str, &escaped))
			return false;
		if (escaped)
			return escaped_string(t, str.s, str.n);
		if (t->out)
			g_string_append_len(t->out, str.s, (gssize)str.n);
		return true;
	}
	if (*s == '-' || (*s >= '0' && *s <= '9')) {
		bool plain = true;
		const char *d = *s == '-' ? s + 1 : s;
		while (t->p < t->end && *t->p && strchr("+-.0123456789eE", *t->p))
			t->p++;
		for (const char *q = d; q < t->p; q++)
			plain = plain && *q >= '0' && *q <= '9';
		/* jansson prints such an integer as it came; -0, 007, reals, huge ones it decides */
		plain = plain && t->p > d && t->p - d <= 18 && (*d != '0' || t->p - d == 1) && !(*d == '0' && d > s);
		if (!plain)
			return through_jansson(t, s, (size_t)(t->p - s));
		if (t->out)
			g_string_append_len(t->out, s, t->p - s);
		return true;
	}
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(t->end - s) >= n && memcmp(s, words[i], n) == 0) {
			t->p += n;
			if (t->p < t->end && g_ascii_isalnum(*t->p))
				return false;
			if (t->out)
				g_string_append_len(t->out, s, (gssize)n);
			return true;
		}
	}
	return false;
}

/* The value at t->p (whitespace skipped before it); level is its indentation, depth the
 * containers it is in. */
static bool value(struct scan *t, int level, int depth)
{
	skip_ws(t);
	if (t->p == t->end)
		return false;
	if (*t->p != '[' && *t->p != '{')
		return scalar(t);
	if (depth + 1 > PROTO_MAX_DEPTH)
		return false;
	char open = *t->p++, close = open == '[' ? ']' : '}';
	struct span keys[JSON_TEXT_MAX_KEYS];
	size_t nkeys = 0;

	skip_ws(t);
	if (t->p < t->end && *t->p == close) {
		t->p++;
		if (t->out) {
			g_string_append_c(t->out, open);
			g_string_append_c(t->out, close);
		}
		return true;
	}
	if (t->out)
		g_string_append_c(t->out, open);
	for (;;) {
		if (t->out)
			newline(t, level + 1);
		if (open == '{') {
			struct span key;
			bool escaped;
			skip_ws(t);
			if (t->p == t->end || *t->p != '"' || !string_token(t, &key, &escaped) || escaped ||
			    nkeys == JSON_TEXT_MAX_KEYS)
				return false;
			for (size_t i = 0; i < nkeys; i++)
				if (keys[i].n == key.n && memcmp(keys[i].s, key.s, key.n) == 0)
					return false;
			keys[nkeys++] = key;
			skip_ws(t);
			if (t->p == t->end || *t->p++ != ':')
				return false;
			if (t->out) {
				g_string_append_len(t->out, key.s, (gssize)key.n);
				g_string_append(t->out, ": ");
			}
		}
		if (!value(t, level + 1, depth + 1))
			return false;
		skip_ws(t);
		if (t->p == t->end)
			return false;
		if (*t->p == ',') {
			t->p++;
			if (t->out)
				g_string_append_c(t->out, ',');
			continue;
		}
		if (*t->p++ != close)
			return false;
		if (t->out) {
			newline(t, level);
			g_string_append_c(t->out, close);
		}
		return true;
	}
}

bool json_text_reindent(const char *text, size_t len, int indent, GString *out)
{
	struct scan t = { .p = text, .end = text + len, .out = out, .indent = indent };
	gsize was = out->len;

	if (indent >= 1 && indent <= 31 && value(&t, 0, 0)) {
		skip_ws(&t);
		if (t.p == t.end)
			return true;
	}
	g_string_truncate(out, was);
	return false;
}

bool json_text_reply_result(const char *line, size_t len, int64_t id, int indent, GString *out)
{
	struct scan t = { .p = line, .end = line + len, .out = NULL, .indent = indent };
	struct span keys[JSON_TEXT_MAX_KEYS];
	size_t nkeys = 0;
	gsize was = out->len;
	bool id_ok = false, result = false, other = false;

	if (indent < 1 || indent > 31)
		return false;
	skip_ws(&t);
	if (t.p == t.end || *t.p++ != '{')
		goto decline;
	for (;;) {
		struct span key;
		bool escaped;
		skip_ws(&t);
		if (t.p == t.end || *t.p != '"' || !string_token(&t, &key, &escaped) || escaped || nkeys == JSON_TEXT_MAX_KEYS)
			goto decline;
		for (size_t i = 0; i < nkeys; i++)
			if (keys[i].n == key.n && memcmp(keys[i].s, key.s, key.n) == 0)
				goto decline;
		keys[nkeys++] = key;
		skip_ws(&t);
		if (t.p == t.end || *t.p++ != ':')
			goto decline;
		skip_ws(&t);
		if (key.n == 8 && memcmp(key.s, "\"result\"", 8) == 0) {
			t.out = out;
			result = value(&t, 0, 1);
			t.out = NULL;
			if (!result)
				goto decline;
		} else if (key.n == 4 && memcmp(key.s, "\"id\"", 4) == 0) {
			char *end;
			const char *s = t.p;
			if (!value(&t, 0, 1))
				goto decline;
			g_autofree char *text = g_strndup(s, (gsize)(t.p - s));
			errno = 0;
			long long v = strtoll(text, &end, 10);
			id_ok = !errno && *end == '\0' && end != text && v == id && !strpbrk(text, ".eE");
		} else {
			if (!value(&t, 0, 1))
				goto decline;
			/* an event or an error is the ordinary path's to read */
			other = other || (key.n == 7 && memcmp(key.s, "\"error\"", 7) == 0) ||
				(key.n == 7 && memcmp(key.s, "\"event\"", 7) == 0);
		}
		skip_ws(&t);
		if (t.p == t.end)
			goto decline;
		if (*t.p == ',') {
			t.p++;
			continue;
		}
		if (*t.p++ != '}')
			goto decline;
		break;
	}
	skip_ws(&t);
	if (t.p == t.end && id_ok && result && !other)
		return true;
decline:
	g_string_truncate(out, was);
	return false;
}
