/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model_features.c - the features of a message for the mail model (model_features(),
 * model.h): the text a person reads, cut into words and word pairs, and what the message
 * says of its sender and carries.
 *
 * Features are strings with a prefix that says where they come from: "s:" the subject,
 * none the body, "from:" the sender, "domain:" the sender's domain, "has:" and "link:"
 * what the message carries, "rule:" a rule that matched without deciding. Word pairs are
 * joined by a space. The body is read without quoted replies, signatures and footers, its
 * links and addresses left out, common given names read as one placeholder (MODEL_NAME).
 * Each feature counts once per message (a set); weighing them is model.c's.
 */
#include "apptrack/model.h"

#include "apptrack/company.h"

#include <string.h>

#define FEATURE_TEXT_MAX ((size_t)16 << 10) /* bytes of cleaned body text read for features */
#define FEATURE_TOKENS_MAX 2000             /* words of the body read */
#define FEATURE_WORD_MAX 40                 /* longer "words" are not words (ids, base64) */
#define MODEL_NAME "<name>"                 /* what a person's given name reads as */

/* Unigrams too common to say anything; pairs keep them ("regret to", "not moving"). */
static const char *const stop_words[] = {
	"a",    "an",   "and",  "are",  "as",   "at",   "be",   "been", "but",  "by",   "for",  "from", "has",
	"have", "i",    "if",   "in",   "is",   "it",   "its",  "me",   "my",   "of",   "on",   "or",   "our",
	"so",   "that", "the",  "this", "to",   "us",   "was",  "we",   "were", "will", "with", "you",  "your",
};

static bool stop_word(const char *w)
{
	for (size_t i = 0; i < G_N_ELEMENTS(stop_words); i++)
		if (strcmp(w, stop_words[i]) == 0)
			return true;
	return false;
}

/* Footer lines: what every bulk sender appends, whatever the message says. */
static const char *const footer_marks[] = {
	"unsubscribe",	"privacy",	  "do not reply",  "do-not-reply", "donotreply",     "no-reply",
	"noreply",	"this email was", "this message was", "this e-mail", "copyright",     "\xc2\xa9",
	"all rights reserved", "email preferences", "manage your", "view in browser", "view this email",
	"confidential", "intended recipient", "you are receiving", "you received this", "opt out",
};

/* Lines that start the quoted message of a reply, or a forwarded one. */
static bool quote_start(const char *line)
{
	size_t len = strlen(line);

	if (g_str_has_prefix(line, "-----Original Message") || g_str_has_prefix(line, "-------- Original") ||
	    g_str_has_prefix(line, "---------- Forwarded") || g_str_has_prefix(line, "Begin forwarded message"))
		return true;
	/* "On Tue, 3 Mar 2025 at 10:00, Dana <dana@...> wrote:", and its translations */
	static const char *const wrote[] = { " wrote:", " schrieb:", " a \xc3\xa9" "crit :", " a \xc3\xa9" "crit:",
					     " escribi\xc3\xb3:", " schreef:", " escreveu:" };
	for (size_t i = 0; i < G_N_ELEMENTS(wrote); i++) {
		size_t n = strlen(wrote[i]);
		if (len >= n && strcmp(line + len - n, wrote[i]) == 0)
			return true;
	}
	return false;
}

/* The body as a person reads it: no quoted reply, no signature, no footer lines; at
 * most FEATURE_TEXT_MAX bytes. g_free. */
static char *clean_body(const char *text)
{
	GString *out = g_string_new(NULL);
	const char *p = text;

	while (*p && out->len < FEATURE_TEXT_MAX) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		g_autofree char *line = g_strndup(p, MIN(n, (size_t)4096));
		p = nl ? nl + 1 : p + n;
		g_strchomp(line);
		const char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (quote_start(t) || strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0)
			break;
		if (*t == '>')
			continue;
		g_autofree char *lower = g_ascii_strdown(t, -1);
		bool footer = false;
		for (size_t i = 0; !footer && i < G_N_ELEMENTS(footer_marks); i++)
			footer = strstr(lower, footer_marks[i]) != NULL;
		if (footer)
			continue;
		g_string_append(out, t);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* Appends the words of text (lower-cased; numbers as "#") to words. */
/* Addresses and links in running text: their words are hosts and ids, not wording (the
 * links are features of their own). */
static gpointer address_regex_new(gpointer unused)
{
	(void)unused;
	return g_regex_new("(?:https?://|www\\.)\\S+|\\S+@\\S+", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
}

/* Appends the words of text (lower-cased; numbers as "#", common given names as
 * MODEL_NAME, addresses and links left out) to words, at most max. */
static void split_words(const char *text, GPtrArray *words, unsigned max)
{
	static GOnce address_once = G_ONCE_INIT;
	GRegex *addresses = g_once(&address_once, address_regex_new, NULL);
	g_autofree char *plain = g_regex_replace_literal(addresses, text, -1, 0, " ", 0, NULL);
	g_autofree char *lower = g_utf8_strdown(plain ? plain : text, -1);
	GString *w = g_string_new(NULL);
	bool digits = false;

	for (const char *p = lower;; p = g_utf8_next_char(p)) {
		gunichar c = *p ? g_utf8_get_char(p) : 0;
		if (c == 0x2019)
			c = '\'';
		if (c && (g_unichar_isalnum(c) || (c == '\'' && w->len))) {
			if (g_unichar_isdigit(c))
				digits = true;
			if (c != '\'')
				g_string_append_unichar(w, c);
			continue;
		}
		if (w->len && words->len < max) {
			if (digits)
				g_ptr_array_add(words, g_strdup("#"));
			else if (company_given_name(w->str))
				/* whom a message greets or who signs it says nothing of what it is
				 * (and every message of a training set may greet the same person) */
				g_ptr_array_add(words, g_strdup(MODEL_NAME));
			else if (w->len <= FEATURE_WORD_MAX)
				g_ptr_array_add(words, g_strdup(w->str));
		}
		g_string_truncate(w, 0);
		digits = false;
		if (!c)
			break;
	}
	g_string_free(w, TRUE);
}

static void add(GHashTable *set, char *feature)
{
	g_hash_table_add(set, feature);
}

/* Unigrams (not stop words) and pairs of words, each with prefix. */
static void add_words(GHashTable *set, GPtrArray *words, const char *prefix)
{
	for (guint i = 0; i < words->len; i++) {
		const char *w = words->pdata[i];
		if (!stop_word(w) && strcmp(w, "#") != 0 && strcmp(w, MODEL_NAME) != 0)
			add(set, g_strconcat(prefix, w, NULL));
		if (i + 1 < words->len)
			add(set, g_strconcat(prefix, w, " ", (const char *)words->pdata[i + 1], NULL));
	}
}

/* Labels that say nothing of a sender: a mail server's, and the names reserved for
 * examples (RFC 2606), which only made-up mail uses. */
static const char *const reserved_labels[] = { "www", "mail", "email", "example", "test", "invalid", "localhost" };

static bool reserved_label(const char *label)
{
	for (size_t i = 0; i < G_N_ELEMENTS(reserved_labels); i++)
		if (g_ascii_strcasecmp(label, reserved_labels[i]) == 0)
			return true;
	return false;
}

/* What a host name is, by the first of its labels company.h knows (a hiring system before
 * a job board, an assessment site, a mail provider). */
static enum host_kind host_kind(const char *host)
{
	g_auto(GStrv) labels = g_strsplit(host, ".", -1);
	enum host_kind kind = HOST_OTHER;

	for (size_t i = 0; labels[i]; i++) {
		enum host_kind k = reserved_label(labels[i]) ? HOST_OTHER : company_host_kind(labels[i]);
		if (k != HOST_OTHER && (kind == HOST_OTHER || k < kind))
			kind = k;
	}
	return kind;
}

/* The host of an http(s) URL, lower-cased. g_free; NULL when it has none. */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/?#:");
	return n ? g_ascii_strdown(p, (gssize)n) : NULL;
}

static void add_sender(GHashTable *set, const struct mime_message *msg)
{
	const char *address = msg->from_address;
	const char *at = address ? strrchr(address, '@') : NULL;

	if (!at) {
		add(set, g_strdup("from:nobody"));
		return;
	}
	const char *host = at + 1;
	g_autofree char *local = g_strndup(address, (gsize)(at - address));
	/* the sender family: every label of the host but the last (acme, icims in
	 * acme.icims.com), so that lessons about one sender reach its other mail */
	g_auto(GStrv) labels = g_strsplit(host, ".", -1);
	for (size_t i = 0; labels[i] && labels[i + 1]; i++)
		if (strlen(labels[i]) > 2 && !reserved_label(labels[i]))
			add(set, g_strconcat("domain:", labels[i], NULL));
	static const char *const sender_kinds[] = {
		[HOST_OTHER] = "from:own-domain", [HOST_HIRING_SYSTEM] = "from:hiring-system",
		[HOST_JOB_BOARD] = "from:job-board", [HOST_ASSESSMENT] = "from:assessment-site",
		[HOST_MAIL_PROVIDER] = "from:mail-provider",
	};
	add(set, g_strdup(sender_kinds[host_kind(host)]));
	if (strstr(local, "noreply") || strstr(local, "no-reply") || strstr(local, "donotreply") ||
	    strstr(local, "do-not-reply") || strstr(local, "notification"))
		add(set, g_strdup("from:no-reply"));
	static const char *const roles[] = { "careers", "career", "jobs", "recruiting", "recruitment", "talent",
					     "hr", "hiring", "people", "recruiter", "applications", "apply" };
	for (size_t i = 0; i < G_N_ELEMENTS(roles); i++)
		if (strstr(local, roles[i])) {
			add(set, g_strdup("from:hiring-mailbox"));
			break;
		}
	/* the sender's words: "Acme Recruiting", "Dana via LinkedIn" */
	if (msg->from_name) {
		g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
		split_words(msg->from_name, words, 8);
		for (guint i = 0; i < words->len; i++)
			add(set, g_strconcat("from:", (const char *)words->pdata[i], NULL));
	}
}

static void add_links(GHashTable *set, const struct mime_message *msg)
{
	for (size_t i = 0; msg->links && msg->links[i] && i < 100; i++) {
		g_autofree char *host = url_host(msg->links[i]);
		if (!host)
			continue;
		static const char *const link_kinds[] = {
			[HOST_HIRING_SYSTEM] = "link:hiring-system", [HOST_JOB_BOARD] = "link:job-board",
			[HOST_ASSESSMENT] = "link:assessment-site",
		};
		enum host_kind kind = host_kind(host);
		if ((size_t)kind < G_N_ELEMENTS(link_kinds) && link_kinds[kind])
			add(set, g_strdup(link_kinds[kind]));
		if (strstr(host, "calendly") || strstr(host, "zoom.us") || strstr(host, "teams.microsoft") ||
		    strstr(host, "meet.google") || strstr(host, "goodtime"))
			add(set, g_strdup("link:meeting"));
	}
}

static gint cmp_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *model_features(const struct mime_message *msg, const char *const *rule_features)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) subject = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) body = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *clean = clean_body(msg->text ? msg->text : "");

	split_words(msg->subject ? msg->subject : "", subject, 64);
	split_words(clean, body, FEATURE_TOKENS_MAX);
	add_words(set, subject, "s:");
	/* the subject's words are the body's too: what it says counts twice */
	add_words(set, subject, "");
	add_words(set, body, "");
	add_sender(set, msg);
	add_links(set, msg);
	if (msg->has_calendar)
		add(set, g_strdup("has:calendar"));
	if (msg->html_only)
		add(set, g_strdup("has:html-only"));
	if (!*clean)
		add(set, g_strdup("has:no-text"));
	for (size_t i = 0; rule_features && rule_features[i]; i++)
		add(set, g_strconcat("rule:", rule_features[i], NULL));

	GPtrArray *features = g_ptr_array_new_full(g_hash_table_size(set), g_free);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		g_hash_table_iter_steal(&it);
		g_ptr_array_add(features, key);
	}
	g_ptr_array_sort(features, cmp_strings);
	return features;
}
