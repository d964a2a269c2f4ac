/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company_hosts.c - the sender's address and the links as places of the company reader
 * (company_internal.h): the registrable label of a host name (acme of careers.acme.co.uk),
 * a hiring system's tenant in a sub-domain, a mailbox or a link's path (acme.icims.com,
 * trellix@myworkday.com, boards.greenhouse.io/acme), and what the address says of the
 * sender for the other places (its own domain, whether it may be a person's).
 */
#include "apptrack/company.h"

#include "apptrack/text.h"
#include "company_internal.h"

#include <stdbool.h>
#include <string.h>

#define MAX_HOST_LABELS 16
#define MAX_SLUG 60      /* bytes of a hiring system's tenant name in a link */
#define MIN_ID_DIGITS 3  /* a word of a mailbox with this many digits... */
#define MIN_ID_LENGTH 8  /* ...and this long is a generated id */

/* Families of job boards with a domain per city or country (builtinboston, builtinnyc). */
static const char *const board_prefixes[] = {
	"builtin", "indeed", "linkedin", "glassdoor", "monster", "ziprecruiter", "stepstone",
};

/* Second-level labels under a country code: acme.co.uk, acme.com.au. */
static const char *const country_seconds[] = {
	"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv", "ltd", "plc", "sch", "nhs",
	"mil", "gob", "gouv", "nic", "biz", "info",
};

/* Tokens of a hiring system's local part that are not the employer. */
static const char *const local_noise[] = {
	"noreply", "no", "reply", "donotreply", "do", "not", "autoreply", "auto", "notification",
	"notifications", "notify", "mailer", "system", "admin", "support", "info", "jobs", "job", "careers",
	"career", "talent", "recruiting", "recruitment", "recruiter", "hr", "hiring", "team", "mail", "email",
	"alerts", "alert", "news", "candidate", "candidates", "applicant", "applicants", "apply", "workday",
	"ext", "external", "tm", "ta", "wd", "global", "us", "messages", "message", "service", "services",
	"people", "staffing", "smtp", "bounce", "bounces", "postmaster", "mailbox", "inbox", "hello",
	"contact", "office", "sender", "talentacquisition",
};

/* Endings glued to a mailbox name (baesystemstalent, acmecareers), longest first. */
static const char *const local_suffixes[] = {
	"talentacquisition", "notifications", "recruitment", "recruiting", "careers", "noreply", "hiring",
	"talent", "career", "jobs", "team", "hr",
};

/* Is s one of the n strings of list? */
static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- the sender's address ---- */

struct host {
	char *label;  /* the registrable label: acme of careers.acme.co.uk; NULL when none */
	char *tenant; /* a hiring system's tenant: acme of acme.icims.com or of a board's path */
	unsigned cls; /* K_* of the label */
};

/* Frees what h holds and empties it. */
static void host_clear(struct host *h)
{
	g_free(h->label);
	g_free(h->tenant);
	memset(h, 0, sizeof(*h));
}

/* Is the host label infrastructure (www, mail, wd5), or too short to name anyone? */
static bool label_infra(const char *label)
{
	g_autofree char *key = text_company_key(label);
	return (company_key_class(key) & K_INFRA) || (company_key_class(label) & K_INFRA) || strlen(key) < MIN_KEY;
}

/* A tenant name cleaned of "careers-" and "-jobs" around it, or NULL. g_free. */
static char *tenant_clean(const char *slug)
{
	static const char *const ends[] = { "careers", "career", "jobs", "job", "recruiting", "talent", "hr" };
	char *s = g_ascii_strdown(slug, -1);

	for (size_t i = 0; i < G_N_ELEMENTS(ends); i++) {
		size_t n = strlen(ends[i]), len = strlen(s);
		if (len > n + 1 && strncmp(s, ends[i], n) == 0 && (s[n] == '-' || s[n] == '_'))
			memmove(s, s + n + 1, len - n);
		len = strlen(s);
		if (len > n + 1 && strcmp(s + len - n, ends[i]) == 0 &&
		    (s[len - n - 1] == '-' || s[len - n - 1] == '_'))
			s[len - n - 1] = '\0';
	}
	if (label_infra(s) || strlen(s) > MAX_SLUG) {
		g_free(s);
		return NULL;
	}
	return s;
}

/* The path segment of a link that names a tenant (acme of boards.greenhouse.io/acme/jobs/1),
 * or NULL; of a LinkedIn link, only a company page's (linkedin.com/company/acme). g_free. */
static char *path_tenant(const char *path, bool company_page)
{
	static const char *const skip[] = {
		"embed", "job", "jobs", "j", "o", "v1", "v2", "api", "en", "en-us", "en-gb", "careers",
		"apply",
	};

	for (int hop = 0; path && hop < 3; hop++) {
		while (*path == '/')
			path++;
		size_t n = strcspn(path, "/?#");
		if (n == 0 || n > MAX_SLUG)
			return NULL;
		g_autofree char *seg = g_strndup(path, n);
		if (company_page) {
			if (hop == 0 && g_ascii_strcasecmp(seg, "company") != 0)
				return NULL;
		} else if (!in_list(seg, skip, G_N_ELEMENTS(skip))) {
			for (const char *c = seg; *c; c++)
				if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
					return NULL;
			return tenant_clean(seg);
		}
		if (company_page && hop == 1)
			return tenant_clean(seg);
		path += n;
		if (*path != '/')
			return NULL;
	}
	return NULL;
}

/* Reads a host name (any case) and, for a link, its path (NULL for a mail domain). */
static void host_parse(const char *host, size_t len, const char *path, struct host *ret)
{
	g_autofree char *low = g_ascii_strdown(host, (gssize)len);
	g_auto(GStrv) labels = NULL;
	guint n;

	memset(ret, 0, sizeof(*ret));
	while (*low && low[strlen(low) - 1] == '.')
		low[strlen(low) - 1] = '\0';
	labels = g_strsplit(low, ".", MAX_HOST_LABELS + 1);
	n = g_strv_length(labels);
	if (n < 2 || n > MAX_HOST_LABELS)
		return;
	guint reg = n - 2;
	if (n >= 3 && strlen(labels[n - 1]) == 2 &&
	    in_list(labels[n - 2], country_seconds, G_N_ELEMENTS(country_seconds))) {
		/* acme.co.uk; and a service of a government: teaching-vacancies.service.gov.uk */
		reg = n - 3;
		while (reg > 0 && label_infra(labels[reg]))
			reg--;
	}
	if (!*labels[reg] || (reg == 0 && n > 2 && label_infra(labels[reg])))
		return;
	ret->label = g_strdup(labels[reg]);
	g_autofree char *key = text_company_key(ret->label);
	ret->cls = company_key_class(key);
	for (size_t i = 0; i < G_N_ELEMENTS(board_prefixes); i++)
		if (g_str_has_prefix(key, board_prefixes[i]))
			ret->cls |= K_EXCLUDED;
	if ((ret->cls & K_PATH_TENANT) && path)
		ret->tenant = path_tenant(path, strcmp(key, "linkedin") == 0);
	/* a mail domain's sub-domain (acme.greenhouse-mail.io), a link's where the system
	 * puts its tenants there */
	if (!ret->tenant && (ret->cls & K_HIRING_SYSTEM) && (!path || (ret->cls & K_SUB_TENANT)))
		for (guint i = reg; !ret->tenant && i-- > 0;)
			if (!label_infra(labels[i]))
				ret->tenant = tenant_clean(labels[i]);
}

/* Is the word a generated id (fd44802f8d738a1a, a258e23f1d), not a name? */
static bool looks_like_id(const char *word)
{
	size_t digits = 0, n = strlen(word);
	for (size_t i = 0; i < n; i++)
		digits += g_ascii_isdigit(word[i]) != 0;
	return digits >= MIN_ID_DIGITS && n >= MIN_ID_LENGTH;
}

/* The mailbox name of a hiring system's address (trellix of trellix@myworkday.com,
 * baesystems of BAESystemsTalent@...), or NULL. g_free. */
static char *local_tenant(const char *local)
{
	g_auto(GStrv) parts = g_strsplit_set(local, "._-", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; parts[i]; i++)
		if (*parts[i] && !in_list(parts[i], local_noise, G_N_ELEMENTS(local_noise)) &&
		    !looks_like_id(parts[i]))
			g_string_append_printf(out, "%s%s", out->len ? "-" : "", parts[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(local_suffixes); i++) {
		size_t n = strlen(local_suffixes[i]);
		if (out->len >= n + MIN_CONTAINED_KEY &&
		    strcmp(out->str + out->len - n, local_suffixes[i]) == 0) {
			g_string_truncate(out, out->len - n);
			break;
		}
	}
	while (out->len && out->str[out->len - 1] == '-')
		g_string_truncate(out, out->len - 1);
	if (out->len < MIN_KEY || strspn(out->str, "0123456789-") == out->len) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* The sender's address: its domain, and a hiring system's tenant in the mailbox or the
 * sub-domain. Sets what the other places need to know of the sender. */
void company_from_sender(struct gather *g, const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	struct host h;

	g->sender_personal = true;
	if (!at)
		return;
	g->local = g_strndup(address, (gsize)(at - address));
	char *plus = strchr(g->local, '+');
	if (plus)
		*plus = '\0';
	for (char *c = g->local; *c; c++)
		*c = g_ascii_tolower(*c);
	host_parse(at + 1, strlen(at + 1), NULL, &h);
	if (!h.label) {
		host_clear(&h);
		return;
	}
	if (h.cls & K_HIRING_SYSTEM) {
		g->sender_personal = false;
		g_autofree char *tenant = local_tenant(g->local);
		if (tenant) {
			company_add_glued(g, tenant, PLACE_LOCAL);
			g->tenant_key = company_glued_key(tenant);
		}
		if (h.tenant) {
			company_add_glued(g, h.tenant, PLACE_DOMAIN);
			if (!g->tenant_key)
				g->tenant_key = company_glued_key(h.tenant);
		}
	} else if (!(h.cls & (K_EXCLUDED | K_MAILHOST | K_TOOL))) {
		company_add_glued(g, h.label, PLACE_DOMAIN);
		g->domain_key = company_glued_key(h.label);
	} else if ((h.cls & K_EXCLUDED) && !(h.cls & K_MAILHOST)) {
		g->sender_personal = false; /* a job board's mailbox */
	}
	host_clear(&h);
}

/* ---- links ---- */

/* The links' registrable domains (careers.trellix.com: trellix) and hiring systems'
 * tenants (boards.greenhouse.io/acme), except social sites, shorteners, trackers, tools. */
void company_from_links(struct gather *g, char *const *links)
{
	for (size_t i = 0; links && links[i]; i++) {
		const char *u = strstr(links[i], "://");
		if (!u)
			continue;
		u += 3;
		size_t n = strcspn(u, "/?#");
		const char *at = memchr(u, '@', n);
		if (at) {
			n -= (size_t)(at + 1 - u);
			u = at + 1;
		}
		size_t host_len = strcspn(u, ":/?#");
		if (host_len > n)
			host_len = n;
		struct host h;
		host_parse(u, host_len, u + n, &h);
		if (h.tenant)
			company_add_glued(g, h.tenant, PLACE_LINK);
		else if (h.label && !(h.cls & (K_EXCLUDED | K_NO_LINK | K_MAILHOST | K_TOOL |
					       K_HIRING_SYSTEM | K_PATH_TENANT)))
			company_add_glued(g, h.label, PLACE_LINK);
		host_clear(&h);
	}
}
