/* mime.c - raw mail to struct mime_message, with libetpan (RFC 5322, MIME, RFC 2047,
 * charsets) and libxml2 (HTML to text).
 *
 * First a scan of the message's lines, linear in its size, holds it to the MIME_MAX_*
 * bounds (mime.h): it follows the multipart boundaries and enclosed messages as libetpan
 * will, counting depth, parts and header fields. libetpan's parser recurses once per
 * nesting level and rescans each level's body for its boundary, so an unbounded message
 * would exhaust the stack or take minutes. As a second guard that does not depend on
 * reading the structure as libetpan does, every Content-Type field anywhere that names a
 * multipart or message type counts against MIME_MAX_CONTAINERS: libetpan needs one such
 * declaration for each level it descends.
 *
 * Then the walk over the MIME tree collects text/plain and text/html leaves in document
 * order (attachments skipped), each cut to MIME_MAX_PART_TEXT; plain text wins when there
 * is any, otherwise the HTML parts are turned into text. The HTML is parsed once either
 * way, for its links (the hrefs of <a> and <area>); the plain text is scanned for the
 * URLs written in it. Everything handed out is UTF-8.
 */
#include "apptrack/mime.h"

#include "apptrack/error.h"

#include <libetpan/libetpan.h>
#include <libxml/HTMLparser.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#define DEFAULT_CHARSET "iso-8859-1" /* for 8-bit headers and parts that name none */
/* Encoded bytes of a part decoded: enough for MIME_MAX_PART_TEXT bytes even in
 * quoted-printable, which takes at most three bytes a byte. */
#define MAX_PART_ENCODED (3 * MIME_MAX_PART_TEXT)
#define MAX_HTML (4 * MIME_MAX_TEXT) /* HTML markup kept, for mail that has no plain text */
#define DECODER_PADDING 2            /* NULs after what libetpan's decoders are given */
#define MAX_ZONE 9959                /* +hhmm: the largest offset a Date may carry */
#define CONTENT_TYPE "content-type"
#define CONTAINER_LOOKAHEAD 1024 /* bytes of a Content-Type value searched for its type */

void mime_message_free(struct mime_message *m)
{
	if (!m)
		return;
	g_free(m->message_id);
	g_free(m->in_reply_to);
	g_strfreev(m->references);
	g_free(m->from_name);
	g_free(m->from_address);
	g_free(m->subject);
	g_free(m->text);
	g_strfreev(m->links);
	g_free(m->refused);
	g_free(m);
}

/* UTF-8 for bytes in charset (NULL: guess). Never fails: undecodable bytes become U+FFFD. */
static char *to_utf8(const char *data, size_t len, const char *charset)
{
	char *out = NULL;

	if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0 && g_ascii_strcasecmp(charset, "us-ascii") != 0 &&
	    charconv("utf-8", charset, data, len, &out) == MAIL_CHARCONV_NO_ERROR && out) {
		char *valid = g_utf8_make_valid(out, -1);
		free(out);
		return valid;
	}
	if (g_utf8_validate(data, (gssize)len, NULL))
		return g_strndup(data, len);
	if (!charset || g_ascii_strcasecmp(charset, "utf-8") == 0 || g_ascii_strcasecmp(charset, "us-ascii") == 0) {
		/* unlabelled or mislabelled 8-bit text is most often Windows-1252 */
		g_autofree char *conv = g_convert(data, (gssize)len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
		if (conv)
			return g_utf8_make_valid(conv, -1);
	}
	return g_utf8_make_valid(data, (gssize)len);
}

/* A header value with RFC 2047 encoded words decoded, whitespace-trimmed. */
static char *decode_header(const char *raw)
{
	char *decoded = NULL;
	size_t idx = 0;

	if (!raw)
		return NULL;
	if (mailmime_encoded_phrase_parse(DEFAULT_CHARSET, raw, strlen(raw), &idx, "utf-8", &decoded) ==
		    MAILIMF_NO_ERROR &&
	    decoded) {
		char *valid = g_utf8_make_valid(decoded, -1);
		free(decoded);
		return g_strstrip(valid);
	}
	return g_strstrip(to_utf8(raw, strlen(raw), DEFAULT_CHARSET));
}

/* A message id without <>, made valid UTF-8 (ids are ASCII, but the raw header is the
 * sender's to write). */
static char *strip_angles(const char *id)
{
	if (!id)
		return NULL;
	char *s = g_strstrip(g_utf8_make_valid(id, -1));
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	return s;
}

static int64_t date_time_unix(const struct mailimf_date_time *dt)
{
	GDateTime *utc;
	int64_t t;

	if (!dt || dt->dt_month < 1 || dt->dt_month > 12 || dt->dt_day < 1 || dt->dt_day > 31 ||
	    dt->dt_zone < -MAX_ZONE || dt->dt_zone > MAX_ZONE)
		return 0;
	utc = g_date_time_new_utc(dt->dt_year, dt->dt_month, dt->dt_day, dt->dt_hour, dt->dt_min, dt->dt_sec);
	if (!utc)
		return 0;
	/* dt_zone is +hhmm as a number: +0130 is 130 */
	int zone = dt->dt_zone, sign = zone < 0 ? -1 : 1;
	zone *= sign;
	t = g_date_time_to_unix(utc) - sign * ((zone / 100) * 3600 + (zone % 100) * 60);
	g_date_time_unref(utc);
	return t;
}

static void read_fields(struct mailimf_fields *fields, struct mime_message *m)
{
	clistiter *it;

	if (!fields)
		return;
	for (it = clist_begin(fields->fld_list); it; it = clist_next(it)) {
		struct mailimf_field *f = clist_content(it);
		switch (f->fld_type) {
		case MAILIMF_FIELD_FROM: {
			clist *list = f->fld_data.fld_from->frm_mb_list->mb_list;
			struct mailimf_mailbox *mb = clist_isempty(list) ? NULL : clist_content(clist_begin(list));
			if (mb && !m->from_address) {
				/* an address wins over an earlier From that had none */
				g_free(m->from_name);
				m->from_name = mb->mb_display_name ? decode_header(mb->mb_display_name) : NULL;
				g_autofree char *address = g_utf8_make_valid(mb->mb_addr_spec, -1);
				m->from_address = g_ascii_strdown(address, -1);
			}
			break;
		}
		case MAILIMF_FIELD_SUBJECT:
			if (!m->subject)
				m->subject = decode_header(f->fld_data.fld_subject->sbj_value);
			break;
		case MAILIMF_FIELD_ORIG_DATE:
			if (!m->date)
				m->date = date_time_unix(f->fld_data.fld_orig_date->dt_date_time);
			break;
		case MAILIMF_FIELD_MESSAGE_ID:
			if (!m->message_id)
				m->message_id = strip_angles(f->fld_data.fld_message_id->mid_value);
			break;
		case MAILIMF_FIELD_IN_REPLY_TO: {
			clist *ids = f->fld_data.fld_in_reply_to->mid_list;
			if (!m->in_reply_to && !clist_isempty(ids))
				m->in_reply_to = strip_angles(clist_content(clist_begin(ids)));
			break;
		}
		case MAILIMF_FIELD_REFERENCES: {
			GPtrArray *refs = g_ptr_array_new();
			for (clistiter *r = clist_begin(f->fld_data.fld_references->mid_list); r; r = clist_next(r))
				g_ptr_array_add(refs, strip_angles(clist_content(r)));
			g_ptr_array_add(refs, NULL);
			g_strfreev(m->references);
			m->references = (char **)g_ptr_array_free(refs, FALSE);
			break;
		}
		case MAILIMF_FIELD_OPTIONAL_FIELD: {
			/* a From that is not an address ("From: Team Amentum") stays unparsed */
			struct mailimf_optional_field *o = f->fld_data.fld_optional_field;
			if (!m->from_name && !m->from_address && g_ascii_strcasecmp(o->fld_name, "From") == 0)
				m->from_name = decode_header(o->fld_value);
			break;
		}
		default:
			break;
		}
	}
}

/* At most max bytes of s, cut before a UTF-8 character that would not fit. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* ---- bounds, before libetpan ---- */

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
static char *scan_bounds(const char *raw, size_t len, size_t *ret_header_end)
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

/* ---- HTML ---- */

static bool is_named(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (g_ascii_strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

static bool is_block(const char *name)
{
	static const char *const blocks[] = { "p",  "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5",
					      "h6", "table", "ul", "ol", "blockquote", "hr", "td", "th", "title" };
	return is_named(name, blocks, G_N_ELEMENTS(blocks));
}

/* Elements never read, and those of a web page that are site chrome, not content. */
static const char *const html_skipped[] = { "script", "style", "head" };
static const char *const page_chrome[] = { "nav", "aside", "footer", "noscript", "template", "svg", "select", "button" };

static void html_walk(xmlNode *node, GString *out, unsigned flags)
{
	for (; node; node = node->next) {
		if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
			const char *p = (const char *)node->content;
			for (; p && *p; p++) {
				bool space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
				if (space) {
					if (out->len && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
						g_string_append_c(out, ' ');
				} else {
					g_string_append_c(out, *p);
				}
			}
		} else if (node->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)node->name;
			if (is_named(name, html_skipped, G_N_ELEMENTS(html_skipped)) ||
			    ((flags & MIME_HTML_PAGE) && is_named(name, page_chrome, G_N_ELEMENTS(page_chrome))))
				continue;
			bool block = is_block(name);
			if (block && out->len && out->str[out->len - 1] != '\n')
				g_string_append_c(out, '\n');
			html_walk(node->children, out, flags);
			if (block && out->len && out->str[out->len - 1] != '\n')
				g_string_append_c(out, '\n');
		}
		if (out->len > MIME_MAX_TEXT)
			return;
	}
}

char *mime_html_to_text(const char *html, size_t len)
{
	return mime_html_to_text_with(html, len, MIME_HTML_MAIL);
}

/* html parsed leniently, or NULL. xmlFreeDoc. */
static htmlDocPtr html_read(const char *html, size_t len)
{
	if (len > INT_MAX)
		len = INT_MAX;
	return htmlReadMemory(html, (int)len, NULL, "UTF-8",
			      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

/* The readable text of a parsed document (NULL: none). g_free. */
static char *html_doc_text(htmlDocPtr doc, unsigned flags)
{
	GString *out = g_string_new(NULL);

	if (doc)
		html_walk(xmlDocGetRootElement(doc), out, flags);
	/* trim spaces at line ends and drop runs of blank lines */
	g_auto(GStrv) lines = g_strsplit(out->str, "\n", -1);
	GString *clean = g_string_new(NULL);
	for (size_t i = 0; lines[i]; i++) {
		g_strstrip(lines[i]);
		if (*lines[i])
			g_string_append_printf(clean, "%s\n", lines[i]);
	}
	g_string_free(out, TRUE);
	char *text = g_utf8_make_valid(clean->str, -1);
	g_string_free(clean, TRUE);
	text[utf8_cut(text, strlen(text), MIME_MAX_TEXT)] = '\0';
	return text;
}

char *mime_html_to_text_with(const char *html, size_t len, unsigned flags)
{
	htmlDocPtr doc = html_read(html, len);
	char *text = html_doc_text(doc, flags);

	if (doc)
		xmlFreeDoc(doc);
	return text;
}

/* ---- links ---- */

struct links {
	GPtrArray *list;  /* char *, NULL-terminated at the end */
	GHashTable *seen; /* borrowed from list */
};

/* Has l taken MIME_MAX_LINKS links? */
static bool links_full(const struct links *l)
{
	return l->list->len >= MIME_MAX_LINKS;
}

/* Do the len bytes at s start with http:// or https:// (any case) and hold more? */
static bool is_web_url(const char *s, size_t len)
{
	return (len > strlen("http://") && g_ascii_strncasecmp(s, "http://", strlen("http://")) == 0) ||
	       (len > strlen("https://") && g_ascii_strncasecmp(s, "https://", strlen("https://")) == 0);
}

/* Adds the URL of len bytes at url: trimmed, tabs and line breaks dropped (as browsers
 * do), kept when it is http or https, within MIME_MAX_LINK and not seen yet. */
static void links_add(struct links *l, const char *url, size_t len)
{
	while (len && g_ascii_isspace(*url)) {
		url++;
		len--;
	}
	while (len && g_ascii_isspace(url[len - 1]))
		len--;
	if (links_full(l) || len > MIME_MAX_LINK || !is_web_url(url, len))
		return;
	g_autoptr(GString) clean = g_string_sized_new(len);
	for (size_t i = 0; i < len; i++)
		if (url[i] != '\t' && url[i] != '\r' && url[i] != '\n')
			g_string_append_c(clean, url[i]);
	char *link = g_utf8_make_valid(clean->str, (gssize)clean->len);
	if (g_hash_table_contains(l->seen, link)) {
		g_free(link);
		return;
	}
	g_ptr_array_add(l->list, link);
	g_hash_table_add(l->seen, link);
}

/* The hrefs of a parsed document's <a> and <area> elements, in document order. The walk
 * climbs back through parent pointers: no recursion, whatever the nesting. */
static void html_links(htmlDocPtr doc, struct links *l)
{
	xmlNode *n = doc ? doc->children : NULL;

	while (n && !links_full(l)) {
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    (g_ascii_strcasecmp((const char *)n->name, "a") == 0 ||
		     g_ascii_strcasecmp((const char *)n->name, "area") == 0)) {
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
			if (href)
				links_add(l, (const char *)href, strlen((const char *)href));
			xmlFree(href);
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next && n->parent && n->parent != (xmlNode *)doc)
			n = n->parent;
		n = n ? n->next : NULL;
	}
}

/* Ends a URL written in text: white space, a control character, a byte past ASCII, or a
 * character that cannot be part of one unescaped. */
static bool ends_url(unsigned char c)
{
	return c <= ' ' || c >= 127 || strchr("<>\"'`{}|\\^", c);
}

/* The http and https URLs written in text, without the punctuation that ends a sentence
 * or closes a parenthesis around them. */
static void text_links(const char *text, struct links *l)
{
	for (const char *p = text; *p && !links_full(l);) {
		if ((*p != 'h' && *p != 'H') || !is_web_url(p, strlen("https://") + 1)) {
			p++;
			continue;
		}
		size_t n = 0;
		while (p[n] && !ends_url((unsigned char)p[n]))
			n++;
		size_t keep = n;
		while (keep && strchr(".,;:!?*]", p[keep - 1]))
			keep--;
		if (keep && p[keep - 1] == ')' && !memchr(p, '(', keep))
			keep--;
		links_add(l, p, keep);
		p += n;
	}
}

/* ---- body ---- */

struct parts {
	GString *plain;
	GString *html;
	bool calendar; /* a text/calendar or application/ics part was seen */
};

static bool is_text(struct mailmime_content *ct, const char *subtype)
{
	return ct && ct->ct_type && ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	       ct->ct_type->tp_data.tp_discrete_type->dt_type == MAILMIME_DISCRETE_TYPE_TEXT && ct->ct_subtype &&
	       g_ascii_strcasecmp(ct->ct_subtype, subtype) == 0;
}

/* Is the part an invitation: text/calendar, or application/ics? */
static bool is_calendar(struct mailmime_content *ct)
{
	if (is_text(ct, "calendar"))
		return true;
	return ct && ct->ct_type && ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	       ct->ct_type->tp_data.tp_discrete_type->dt_type == MAILMIME_DISCRETE_TYPE_APPLICATION && ct->ct_subtype &&
	       g_ascii_strcasecmp(ct->ct_subtype, "ics") == 0;
}

static bool is_attachment(struct mailmime *mime)
{
	if (!mime->mm_mime_fields)
		return false;
	for (clistiter *it = clist_begin(mime->mm_mime_fields->fld_list); it; it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);
		if (f->fld_type == MAILMIME_FIELD_DISPOSITION && f->fld_data.fld_disposition &&
		    f->fld_data.fld_disposition->dsp_type &&
		    f->fld_data.fld_disposition->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return true;
	}
	return false;
}

/* A text part's content as UTF-8, at most MIME_MAX_PART_TEXT bytes of it. g_free. */
static char *part_text(struct mailmime *mime, const struct mailmime_data *d)
{
	const char *data = d->dt_data.dt_text.dt_data;
	size_t len = d->dt_data.dt_text.dt_length, idx = 0, dlen = 0;
	char *decoded = NULL;

	if (len > MAX_PART_ENCODED) {
		/* decode whole lines only: a cut base64 quantum would decode to nothing */
		const char *nl = memrchr(data, '\n', MAX_PART_ENCODED);
		len = nl ? (size_t)(nl - data) + 1 : MAX_PART_ENCODED;
	}
	if (d->dt_encoded) {
		/* libetpan's quoted-printable decoder reads the two characters after an "=" even
		 * past the end it is given (a part ending "=D"): give it a copy followed by NULs */
		g_autofree char *padded = g_malloc0(len + DECODER_PADDING);
		memcpy(padded, data, len);
		if (mailmime_part_parse(padded, len, &idx, d->dt_encoding, &decoded, &dlen) == MAILIMF_NO_ERROR) {
			data = decoded;
			len = dlen;
		}
	}
	const char *charset = mime->mm_content_type ? mailmime_content_charset_get(mime->mm_content_type) : NULL;
	char *utf8 = to_utf8(data, len, charset);
	if (decoded)
		mmap_string_unref(decoded);
	utf8[utf8_cut(utf8, strlen(utf8), MIME_MAX_PART_TEXT)] = '\0';
	return utf8;
}

static void collect(struct mailmime *mime, struct parts *parts, int depth)
{
	/* the top-level message, MIME_MAX_DEPTH containers, a leaf: the scan has held the
	 * message to that already */
	if (!mime || depth > MIME_MAX_DEPTH + 1)
		return;
	switch (mime->mm_type) {
	case MAILMIME_SINGLE: {
		struct mailmime_data *d = mime->mm_data.mm_single;
		bool plain = is_text(mime->mm_content_type, "plain") || !mime->mm_content_type;
		bool html = is_text(mime->mm_content_type, "html");
		if (is_calendar(mime->mm_content_type))
			parts->calendar = true;
		if (!d || d->dt_type != MAILMIME_DATA_TEXT || (!plain && !html) || is_attachment(mime))
			return;
		GString *dst = html ? parts->html : parts->plain;
		size_t max = html ? MAX_HTML : MIME_MAX_TEXT;
		if (dst->len + 1 >= max)
			return;
		g_autofree char *utf8 = part_text(mime, d);
		if (dst->len)
			g_string_append_c(dst, '\n');
		g_string_append_len(dst, utf8, (gssize)utf8_cut(utf8, strlen(utf8), max - dst->len));
		break;
	}
	case MAILMIME_MULTIPLE:
		for (clistiter *it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list); it; it = clist_next(it))
			collect(clist_content(it), parts, depth + 1);
		break;
	case MAILMIME_MESSAGE:
		collect(mime->mm_data.mm_message.mm_msg_mime, parts, depth + 1);
		break;
	default:
		break;
	}
}

/* A message past a bound: its top-level header, when that was within bounds, and why. */
static struct mime_message *refused_message(const char *raw, size_t header_end, char *reason)
{
	struct mime_message *m = g_new0(struct mime_message, 1);
	struct mailimf_fields *fields = NULL;
	size_t idx = 0;

	if (header_end && mailimf_fields_parse(raw, header_end, &idx, &fields) == MAILIMF_NO_ERROR && fields) {
		read_fields(fields, m);
		mailimf_fields_free(fields);
	}
	if (!m->references)
		m->references = g_new0(char *, 1);
	m->text = g_strdup("");
	m->links = g_new0(char *, 1);
	m->refused = reason;
	return m;
}

int mime_parse(const char *raw, size_t len, struct mime_message **ret_message, GError **error)
{
	struct mailmime *mime = NULL;
	struct mime_message *m;
	struct parts parts;
	size_t idx = 0, header_end = 0;
	char *reason;

	if (len == 0 || !raw)
		return at_error_set(error, -EINVAL, "empty message");
	if (len > MIME_MAX_MESSAGE)
		return at_error_set(error, -E2BIG, "message of %zu bytes is larger than %zu", len, (size_t)MIME_MAX_MESSAGE);
	if ((reason = scan_bounds(raw, len, &header_end))) {
		*ret_message = refused_message(raw, header_end, reason);
		return 0;
	}
	if (mailmime_parse(raw, len, &idx, &mime) != MAILIMF_NO_ERROR || !mime)
		return at_error_set(error, -EINVAL, "not a mail message: its header cannot be parsed");

	m = g_new0(struct mime_message, 1);
	if (mime->mm_type == MAILMIME_MESSAGE)
		read_fields(mime->mm_data.mm_message.mm_fields, m);
	if (!m->references)
		m->references = g_new0(char *, 1);
	parts.plain = g_string_new(NULL);
	parts.html = g_string_new(NULL);
	parts.calendar = false;
	collect(mime, &parts, 0);
	mailmime_free(mime);
	m->has_calendar = parts.calendar;

	struct links links = { .list = g_ptr_array_new(), .seen = g_hash_table_new(g_str_hash, g_str_equal) };
	htmlDocPtr doc = parts.html->len ? html_read(parts.html->str, parts.html->len) : NULL;
	html_links(doc, &links);
	if (parts.plain->len && g_strstrip(parts.plain->str)[0]) {
		m->text = g_strdup(parts.plain->str);
		text_links(m->text, &links);
	} else if (parts.html->len) {
		m->text = html_doc_text(doc, MIME_HTML_MAIL);
		m->html_only = true;
	} else {
		m->text = g_strdup("");
	}
	if (doc)
		xmlFreeDoc(doc);
	g_ptr_array_add(links.list, NULL);
	m->links = (char **)g_ptr_array_free(links.list, FALSE);
	g_hash_table_destroy(links.seen);
	g_string_free(parts.plain, TRUE);
	g_string_free(parts.html, TRUE);
	if (!m->subject && !m->from_address && !m->from_name && !m->message_id && !m->date && !*m->text) {
		mime_message_free(m);
		return at_error_set(error, -EINVAL, "not a mail message: no header and no text");
	}
	*ret_message = m;
	return 0;
}
