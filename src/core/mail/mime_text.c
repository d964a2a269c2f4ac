/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mime_text.c - the readable text and the links of a message's text parts, with libxml2
 * (mime_parts_text(), mime_internal.h), and HTML turned into text (mime_html_to_text*()).
 *
 * Plain text wins when there is any, otherwise the HTML parts are turned into text. The
 * HTML is parsed once either way, for its links (the hrefs of <a> and <area>); the plain
 * text is scanned for the URLs written in it. Everything handed out is UTF-8.
 */
#include "apptrack/mime.h"

#include "mime_internal.h"

#include <libxml/HTMLparser.h>
#include <limits.h>
#include <string.h>

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
	text[mime_utf8_cut(text, strlen(text), MIME_MAX_TEXT)] = '\0';
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

/* ---- the text of a message ---- */

char *mime_parts_text(GString *plain, GString *html, char ***ret_links, bool *ret_html_only)
{
	struct links links = { .list = g_ptr_array_new(), .seen = g_hash_table_new(g_str_hash, g_str_equal) };
	htmlDocPtr doc = html->len ? html_read(html->str, html->len) : NULL;
	char *text;

	html_links(doc, &links);
	if (plain->len && g_strstrip(plain->str)[0]) {
		text = g_strdup(plain->str);
		text_links(text, &links);
	} else if (html->len) {
		text = html_doc_text(doc, MIME_HTML_MAIL);
		*ret_html_only = true;
	} else {
		text = g_strdup("");
	}
	if (doc)
		xmlFreeDoc(doc);
	g_ptr_array_add(links.list, NULL);
	*ret_links = (char **)g_ptr_array_free(links.list, FALSE);
	g_hash_table_destroy(links.seen);
	return text;
}
