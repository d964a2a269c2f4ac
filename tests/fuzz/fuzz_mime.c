/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_mime.c - libFuzzer harness: a raw message through mime_parse(), then classified
 * with the shipped rules and model (the source tree's rules/, no user rules), as the mail
 * workers do: the model's features and the company's evidence (company.h) read what the
 * fuzzer wrote. Checks mime.h's promises: every string valid UTF-8, text, references and
 * links never NULL, a failure with an error and no message; and rules.h's: a verdict
 * names its rule exactly when a rule decided, with a confidence from 0 to 1. */
#include "apptrack/company.h"
#include "apptrack/mime.h"
#include "apptrack/model.h"
#include "apptrack/rules.h"

#include "fuzz.h"

#include <string.h>

static rules *shipped;

static void free_shipped(void)
{
	g_clear_pointer(&shipped, rules_free);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	GError *error = NULL;

	(void)argc, (void)argv;
	fuzz_setup();
	if (!g_getenv("APPTRACK_RULES_DIR"))
		g_setenv("APPTRACK_RULES_DIR", FUZZ_RULES_DIR, TRUE);
	if (rules_load_standard(&shipped, &error) < 0) {
		fprintf(stderr, "fuzz_mime: shipped rules: %s\n", error->message);
		abort();
	}
	FUZZ_CHECK(rules_count(shipped) > 0);
	if (!rules_model(shipped)) {
		fprintf(stderr, "fuzz_mime: %s\n", rules_model_problem(shipped));
		abort();
	}
	atexit(free_shipped);
	return 0;
}

static void check_utf8(const char *what, const char *s)
{
	if (s && !g_utf8_validate(s, -1, NULL)) {
		fprintf(stderr, "fuzz_mime: %s is not UTF-8\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_message *m = NULL;
	struct rule_match match = { 0 };
	GError *error = NULL;

	if (mime_parse((const char *)data, size, &m, &error) < 0) {
		FUZZ_CHECK(error != NULL && m == NULL);
		g_error_free(error);
		return 0;
	}
	FUZZ_CHECK(error == NULL && m != NULL);
	FUZZ_CHECK(m->text != NULL && m->references != NULL && m->links != NULL);
	check_utf8("message_id", m->message_id);
	check_utf8("in_reply_to", m->in_reply_to);
	check_utf8("from_name", m->from_name);
	check_utf8("from_address", m->from_address);
	check_utf8("subject", m->subject);
	check_utf8("text", m->text);
	for (char **ref = m->references; *ref; ref++)
		check_utf8("references", *ref);
	size_t links = 0;
	for (char **link = m->links; *link; link++, links++) {
		check_utf8("links", *link);
		FUZZ_CHECK(strlen(*link) <= MIME_MAX_LINK);
	}
	FUZZ_CHECK(links <= MIME_MAX_LINKS);

	if (rules_classify(shipped, m, &match) == 1) {
		FUZZ_CHECK((match.rule != NULL) == (match.layer == LAYER_RULE) && mail_kind_name(match.kind) != NULL);
		FUZZ_CHECK(match.confidence >= 0 && match.confidence <= 1);
		check_utf8("company", match.company);
		check_utf8("position", match.position);
		for (size_t i = 0; match.phrases && match.phrases[i]; i++)
			check_utf8("phrases", match.phrases[i]);
		for (guint i = 0; match.candidates && i < match.candidates->len; i++) {
			const struct company_candidate *c = match.candidates->pdata[i];
			check_utf8("candidate", c->name);
			FUZZ_CHECK(c->name && *c->name && c->from && c->score > 0);
		}
	}
	rule_match_clear(&match);
	mime_message_free(m);
	return 0;
}
