/* mime.c - raw mail to struct mime_message, with libetpan (RFC 5322, MIME, RFC 2047,
 * charsets) and libxml2 (HTML to text).
 *
 * The walk over the MIME tree collects text/plain and text/html leaves in document order
 * (attachments skipped); plain text wins when there is any, otherwise the HTML parts are
 * turned into text. Everything handed out is UTF-8.
 */
#include "apptrack/mime.h"

#include "apptrack/error.h"

#include <libetpan/libetpan.h>
#include <libxml/HTMLparser.h>
#include <limits.h>
#include <string.h>

#define DEFAULT_CHARSET "iso-8859-1" /* for 8-bit headers and parts that name none */

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

static char *strip_angles(const char *id)
{
	if (!id)
		return NULL;
	char *s = g_strstrip(g_strdup(id));
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

	if (!dt || dt->dt_month < 1 || dt->dt_month > 12 || dt->dt_day < 1 || dt->dt_day > 31)
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
				m->from_name = mb->mb_display_name ? decode_header(mb->mb_display_name) : NULL;
				m->from_address = g_ascii_strdown(mb->mb_addr_spec, -1);
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

char *mime_html_to_text_with(const char *html, size_t len, unsigned flags)
{
	GString *out = g_string_new(NULL);
	htmlDocPtr doc;

	if (len > INT_MAX)
		len = INT_MAX;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (doc) {
		html_walk(xmlDocGetRootElement(doc), out, flags);
		xmlFreeDoc(doc);
	}
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
	return text;
}

/* ---- body ---- */

struct parts {
	GString *plain;
	GString *html;
};

static bool is_text(struct mailmime_content *ct, const char *subtype)
{
	return ct && ct->ct_type && ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	       ct->ct_type->tp_data.tp_discrete_type->dt_type == MAILMIME_DISCRETE_TYPE_TEXT && ct->ct_subtype &&
	       g_ascii_strcasecmp(ct->ct_subtype, subtype) == 0;
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

static void collect(struct mailmime *mime, struct parts *parts, int depth)
{
	if (!mime || depth > 32) /* nesting bound against hostile input */
		return;
	switch (mime->mm_type) {
	case MAILMIME_SINGLE: {
		struct mailmime_data *d = mime->mm_data.mm_single;
		bool plain = is_text(mime->mm_content_type, "plain") || !mime->mm_content_type;
		bool html = is_text(mime->mm_content_type, "html");
		if (!d || d->dt_type != MAILMIME_DATA_TEXT || (!plain && !html) || is_attachment(mime))
			return;
		char *decoded = NULL;
		size_t idx = 0, dlen = 0;
		const char *data = d->dt_data.dt_text.dt_data;
		size_t len = d->dt_data.dt_text.dt_length;
		bool must_free = false;
		if (d->dt_encoded && mailmime_part_parse(data, len, &idx, d->dt_encoding, &decoded, &dlen) == MAILIMF_NO_ERROR) {
			data = decoded;
			len = dlen;
			must_free = true;
		}
		const char *charset = mime->mm_content_type ? mailmime_content_charset_get(mime->mm_content_type) : NULL;
		g_autofree char *utf8 = to_utf8(data, len, charset);
		if (must_free)
			mmap_string_unref(decoded);
		GString *dst = html ? parts->html : parts->plain;
		if (dst->len < MIME_MAX_TEXT) {
			if (dst->len)
				g_string_append_c(dst, '\n');
			g_string_append(dst, utf8);
		}
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

int mime_parse(const char *raw, size_t len, struct mime_message **ret_message, GError **error)
{
	struct mailmime *mime = NULL;
	struct mime_message *m;
	struct parts parts;
	size_t idx = 0;

	if (len == 0 || !raw)
		return at_error_set(error, -EINVAL, "empty message");
	if (len > MIME_MAX_MESSAGE)
		return at_error_set(error, -E2BIG, "message of %zu bytes is larger than %zu", len, (size_t)MIME_MAX_MESSAGE);
	if (mailmime_parse(raw, len, &idx, &mime) != MAILIMF_NO_ERROR || !mime)
		return at_error_set(error, -EINVAL, "not a mail message: its header cannot be parsed");

	m = g_new0(struct mime_message, 1);
	if (mime->mm_type == MAILMIME_MESSAGE)
		read_fields(mime->mm_data.mm_message.mm_fields, m);
	if (!m->references)
		m->references = g_new0(char *, 1);
	parts.plain = g_string_new(NULL);
	parts.html = g_string_new(NULL);
	collect(mime, &parts, 0);
	mailmime_free(mime);
	if (parts.plain->len && g_strstrip(parts.plain->str)[0]) {
		m->text = g_strdup(parts.plain->str);
	} else if (parts.html->len) {
		m->text = mime_html_to_text(parts.html->str, parts.html->len);
		m->html_only = true;
	} else {
		m->text = g_strdup("");
	}
	g_string_free(parts.plain, TRUE);
	g_string_free(parts.html, TRUE);
	if (!m->subject && !m->from_address && !m->from_name && !m->message_id && !m->date && !*m->text) {
		mime_message_free(m);
		return at_error_set(error, -EINVAL, "not a mail message: no header and no text");
	}
	*ret_message = m;
	return 0;
}
