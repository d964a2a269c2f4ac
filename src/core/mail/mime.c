/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime.c - raw mail to struct mime_message, with libetpan (RFC 5322, MIME, RFC 2047,
 * charsets).
 *
 * First mime_scan_bounds() (mime_bounds.c) holds the message to the MIME_MAX_* bounds
 * (mime.h), so that libetpan never sees a message that would exhaust its stack or take
 * minutes. Then libetpan parses it; its header fields are read here, and the walk over the
 * MIME tree collects text/plain and text/html leaves in document order (attachments
 * skipped), each cut to MIME_MAX_PART_TEXT. mime_parts_text() (mime_text.c) makes the
 * readable text and the links of those parts. Everything handed out is UTF-8.
 */
#include "apptrack/mime.h"

#include "apptrack/error.h"
#include "mime_internal.h"

#include <libetpan/libetpan.h>
#include <string.h>

#define DEFAULT_CHARSET "iso-8859-1" /* for 8-bit headers and parts that name none */
/* Encoded bytes of a part decoded (part_text()): three times the decoded bytes kept, enough
 * even in quoted-printable, which takes at most three bytes a byte. */
#define MAX_HTML (4 * MIME_MAX_TEXT) /* HTML markup kept, for mail that has no plain text */
#define DECODER_PADDING 2            /* NULs after what libetpan's decoders are given */
#define MAX_ZONE 9959                /* +hhmm: the largest offset a Date may carry */

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
	g_free(m->calendar);
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

/* ---- body ---- */

struct parts {
	GString *plain;
	GString *html;
	bool calendar; /* a text/calendar or application/ics part was seen */
	char *calendar_text; /* the first one's text, within MIME_MAX_CALENDAR */
	bool calendar_refused; /* the first one was larger */
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

/* A text part's content as UTF-8, at most max bytes of it, decoding at most 3 * max
 * encoded bytes. g_free. */
static char *part_text(struct mailmime *mime, const struct mailmime_data *d, size_t max)
{
	const char *data = d->dt_data.dt_text.dt_data;
	size_t len = d->dt_data.dt_text.dt_length, idx = 0, dlen = 0, max_encoded = 3 * max;
	char *decoded = NULL;

	if (len > max_encoded) {
		/* decode whole lines only: a cut base64 quantum would decode to nothing */
		const char *nl = memrchr(data, '\n', max_encoded);
		len = nl ? (size_t)(nl - data) + 1 : max_encoded;
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
	utf8[mime_utf8_cut(utf8, strlen(utf8), max)] = '\0';
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
		if (is_calendar(mime->mm_content_type)) {
			if (!parts->calendar && d && d->dt_type == MAILMIME_DATA_TEXT) {
				/* one byte more than kept tells a part that is larger from one that fits */
				char *text = part_text(mime, d, MIME_MAX_CALENDAR + 1);
				if (strlen(text) > MIME_MAX_CALENDAR) {
					parts->calendar_refused = true;
					g_free(text);
				} else {
					parts->calendar_text = text;
				}
			}
			parts->calendar = true;
			return;
		}
		if (!d || d->dt_type != MAILMIME_DATA_TEXT || (!plain && !html) || is_attachment(mime))
			return;
		GString *dst = html ? parts->html : parts->plain;
		size_t max = html ? MAX_HTML : MIME_MAX_TEXT;
		if (dst->len + 1 >= max)
			return;
		g_autofree char *utf8 = part_text(mime, d, MIME_MAX_PART_TEXT);
		if (dst->len)
			g_string_append_c(dst, '\n');
		g_string_append_len(dst, utf8, (gssize)mime_utf8_cut(utf8, strlen(utf8), max - dst->len));
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
	if ((reason = mime_scan_bounds(raw, len, &header_end))) {
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
	parts.calendar_text = NULL;
	parts.calendar_refused = false;
	collect(mime, &parts, 0);
	mailmime_free(mime);
	m->has_calendar = parts.calendar;
	m->calendar = parts.calendar_text;
	m->calendar_len = m->calendar ? strlen(m->calendar) : 0;
	m->calendar_refused = parts.calendar_refused;

	m->text = mime_parts_text(parts.plain, parts.html, &m->links, &m->html_only);
	g_string_free(parts.plain, TRUE);
	g_string_free(parts.html, TRUE);
	if (!m->subject && !m->from_address && !m->from_name && !m->message_id && !m->date && !*m->text) {
		mime_message_free(m);
		return at_error_set(error, -EINVAL, "not a mail message: no header and no text");
	}
	*ret_message = m;
	return 0;
}
