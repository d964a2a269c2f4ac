/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime_bounds.c - the scan that holds a raw message to the MIME_MAX_* bounds (mime.h)
 * before libetpan reads it (mime_scan_bounds(), mime_internal.h).
 *
 * The scan reads the message's lines once, linear in its size: it follows the multipart
 * boundaries and enclosed messages as libetpan will, counting depth, parts and header
 * fields. libetpan's parser recurses once per nesting level and rescans each level's body
 * for its boundary, so an unbounded message would exhaust the stack or take minutes. As a
 * second guard that does not depend on reading the structure as libetpan does, every
 * Content-Type field anywhere that names a multipart or message type counts against
 * MIME_MAX_CONTAINERS: libetpan needs one such declaration for each level it descends.
 * Only libetpan's parser of a single Content-Type value is used here.
 */
#include "apptrack/mime.h"

#include "mime_internal.h"

#include <libetpan/libetpan.h>
#include <stdarg.h>
#include <string.h>

#define CONTENT_TYPE "content-type"
#define CONTAINER_LOOKAHEAD 1024 /* bytes of a Content-Type value searched for its type */

/* An open multipart (boundary set), or an enclosed message (boundary NULL: it ends with
 * the part that holds it). */
struct frame {
	char *boundary;
	size_t boundary_len;
	bool digest; /* multipart/digest: a part is a message unless it says otherwise */
};

struct scan {
	struct frame stack[MIME_MAX_DEPTH];
	size_t depth;
	unsigned parts, containers;
	/* the header block being read */
	bool in_header;
	bool default_message; /* its entity is message/rfc822 unless it says otherwise */
	unsigned fields;
	size_t header_bytes;
	GString *content_type; /* its first Content-Type value, unfolded */
	bool in_content_type;  /* the field being read is that one */
	size_t top_header_end; /* just past the top-level header block; 0 until it has ended */
	char *reason;          /* the first bound passed, or NULL */
};

/* A header field's first line: a name of printable ASCII, blanks, then a colon. Sets
 * *ret_name_len (blanks dropped) and *ret_value (just past the colon). */
static bool field_line(const char *line, size_t n, size_t *ret_name_len, size_t *ret_value)
{
	size_t i = 0, end;

	while (i < n && line[i] > ' ' && line[i] < 127 && line[i] != ':')
		i++;
	end = i;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (end == 0 || i >= n || line[i] != ':')
		return false;
	*ret_name_len = end;
	*ret_value = i + 1;
	return true;
}

static bool is_content_type(const char *line, size_t name_len)
{
	return name_len == strlen(CONTENT_TYPE) && g_ascii_strncasecmp(line, CONTENT_TYPE, name_len) == 0;
}

/* The guard that does not follow the structure: does the Content-Type value starting at
 * raw[off] (with its continuation lines) name a multipart or message type? */
static bool names_container(const char *raw, size_t len, size_t off)
{
	char value[CONTAINER_LOOKAHEAD + 1];
	size_t n = 0;

	for (; off < len && n < CONTAINER_LOOKAHEAD; off++) {
		if (raw[off] == '\n' && !(off + 1 < len && (raw[off + 1] == ' ' || raw[off + 1] == '\t')))
			break;
		value[n++] = g_ascii_tolower(raw[off]);
	}
	value[n] = '\0';
	return strstr(value, "multipart") || strstr(value, "message");
}

static void scan_refuse(struct scan *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void scan_refuse(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	if (s->reason)
		return;
	va_start(ap, fmt);
	s->reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

static void scan_push(struct scan *s, const char *boundary, bool digest)
{
	if (s->depth == MIME_MAX_DEPTH) {
		scan_refuse(s, "nested deeper than %d multipart or message levels", MIME_MAX_DEPTH);
		return;
	}
	s->stack[s->depth++] = (struct frame){ .boundary = g_strdup(boundary),
					       .boundary_len = boundary ? strlen(boundary) : 0,
					       .digest = digest };
}

static void scan_pop_to(struct scan *s, size_t depth)
{
	while (s->depth > depth)
		g_free(s->stack[--s->depth].boundary);
}

static void scan_header_start(struct scan *s, bool default_message)
{
	s->in_header = true;
	s->default_message = default_message;
	s->fields = 0;
	s->header_bytes = 0;
	s->in_content_type = false;
	g_string_truncate(s->content_type, 0);
}

/* The header block ended (blank: at its blank line; else at a line that is not a header
 * field, which then belongs to the body): go into the body it announced. */
static void scan_header_end(struct scan *s, bool blank)
{
	struct mailmime_content *ct = NULL;
	bool had_type = s->content_type->len > 0, multipart = false, message = false, digest = false;
	const char *boundary = NULL;
	size_t idx = 0;

	s->in_header = false;
	if (had_type && mailmime_content_parse(s->content_type->str, s->content_type->len, &idx, &ct) == MAILIMF_NO_ERROR &&
	    ct && ct->ct_type && ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		int type = ct->ct_type->tp_data.tp_composite_type->ct_type;
		multipart = type == MAILMIME_COMPOSITE_TYPE_MULTIPART;
		message = type == MAILMIME_COMPOSITE_TYPE_MESSAGE;
		digest = multipart && ct->ct_subtype && g_ascii_strcasecmp(ct->ct_subtype, "digest") == 0;
		boundary = multipart ? mailmime_content_param_get(ct, "boundary") : NULL;
	}
	/* an empty header cut short by body text announces nothing, not even a digest's message */
	message = message || (!had_type && s->default_message && (blank || s->fields));
	if (multipart && boundary && *boundary) {
		scan_push(s, boundary, digest);
	} else if (message) {
		scan_push(s, NULL, false);
		if (!s->reason)
			scan_header_start(s, false);
	}
	if (ct)
		mailmime_content_free(ct);
}

/* A body line: it may open or close a part of any multipart still open. */
static void scan_body_line(struct scan *s, const char *line, size_t n)
{
	if (n < 2 || line[0] != '-' || line[1] != '-')
		return;
	for (size_t i = s->depth; i-- > 0;) {
		const struct frame *f = &s->stack[i];
		if (!f->boundary || n - 2 < f->boundary_len || memcmp(line + 2, f->boundary, f->boundary_len) != 0)
			continue;
		size_t rest = n - 2 - f->boundary_len;
		bool close = rest >= 2 && line[2 + f->boundary_len] == '-' && line[3 + f->boundary_len] == '-';
		bool digest = f->digest;
		scan_pop_to(s, close ? i : i + 1);
		if (close)
			return;
		if (++s->parts > MIME_MAX_PARTS)
			scan_refuse(s, "more than %d body parts", MIME_MAX_PARTS);
		scan_header_start(s, digest);
		return;
	}
}

/* A header line (not blank). Returns false when the line is not part of the header. */
static bool scan_header_line(struct scan *s, const char *line, size_t n, size_t full)
{
	size_t name_len, value;

	if (line[0] == ' ' || line[0] == '\t') {
		if (s->in_content_type)
			g_string_append_len(s->content_type, line, (gssize)n);
	} else if (field_line(line, n, &name_len, &value)) {
		s->in_content_type = is_content_type(line, name_len) && s->content_type->len == 0;
		if (s->in_content_type)
			g_string_append_len(s->content_type, line + value, (gssize)(n - value));
		if (++s->fields > MIME_MAX_HEADER_FIELDS)
			scan_refuse(s, "a header of more than %d fields", MIME_MAX_HEADER_FIELDS);
	} else {
		return false;
	}
	s->header_bytes += full;
	if (s->header_bytes > MIME_MAX_HEADER_BYTES)
		scan_refuse(s, "a header larger than %zu KiB", MIME_MAX_HEADER_BYTES >> 10);
	return true;
}

/* Holds raw to the bounds. Returns NULL, or why it is past one (g_free); *ret_header_end
 * is just past the top-level header block when that block was read within bounds, else 0. */
char *mime_scan_bounds(const char *raw, size_t len, size_t *ret_header_end)
{
	struct scan s = { .content_type = g_string_new(NULL) };
	size_t off = 0;

	scan_header_start(&s, false);
	while (off < len && !s.reason) {
		const char *line = raw + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t full = nl ? (size_t)(nl - line) + 1 : len - off;
		size_t n = nl ? (size_t)(nl - line) : full, name_len, value;
		if (n && line[n - 1] == '\r')
			n--;
		if (field_line(line, n, &name_len, &value) && is_content_type(line, name_len) &&
		    names_container(raw, len, off + value) && ++s.containers > MIME_MAX_CONTAINERS)
			scan_refuse(&s, "more than %d multipart or message parts", MIME_MAX_CONTAINERS);
		off += full;
		if (s.in_header && n == 0) {
			scan_header_end(&s, true);
			if (!s.top_header_end)
				s.top_header_end = off;
			continue;
		}
		if (s.in_header && scan_header_line(&s, line, n, full))
			continue;
		if (s.in_header) {
			scan_header_end(&s, false);
			if (!s.top_header_end)
				s.top_header_end = off - full;
			/* an enclosed message: its header starts with this line, or is empty */
			if (s.in_header && !scan_header_line(&s, line, n, full))
				scan_header_end(&s, false);
		}
		if (!s.in_header)
			scan_body_line(&s, line, n);
	}
	scan_pop_to(&s, 0);
	g_string_free(s.content_type, TRUE);
	/* a message that is all header: its header is the whole of it */
	*ret_header_end = s.top_header_end ? s.top_header_end : (s.in_header && !s.reason ? len : 0);
	return s.reason;
}
