/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_rules.c - libFuzzer harness: rule files. The input is written to fuzz.rules in the
 * harness's temporary directory and loaded with rules_load_file(), then rules_check();
 * what loaded classifies a few fixed messages, so that `like`, captures and the company
 * fallbacks run on rules the fuzzer wrote.
 *
 * Checks rules.h's promises: a refused file adds nothing, and every problem is reported
 * as "FILE:LINE: message". */
#include "apptrack/rules.h"

#include "fuzz.h"

#include <string.h>

static const char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	path = fuzz_input("fuzz.rules");
	return 0;
}

static void classify(rules *r)
{
	static const struct mime_message messages[] = {
		{ .from_name = "Acme Recruiting via Greenhouse", .from_address = "no-reply@greenhouse.io",
		  .subject = "Thank you for applying to Acme \u2013 Backend Engineer",
		  .text = "Hi,\nThank you for your application for the Backend Engineer position at Acme Inc.\n"
			  "Unfortunately we have decided to move forward with other candidates.\n" },
		{ .from_name = NULL, .from_address = "sailpoint@myworkday.com", .subject = "Interview invitation",
		  .text = "We would like to invite you to an interview. Please schedule a time: https://x.example/\n" },
		{ .from_name = "Zürich AG", .from_address = "jobs@careers.zuerich.co.uk", .subject = "",
		  .text = "" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(messages); i++) {
		struct rule_match match = { 0 };
		if (rules_classify(r, &messages[i], &match) == 1) {
			FUZZ_CHECK(match.rule != NULL && match.source != NULL && mail_kind_name(match.kind) != NULL);
			FUZZ_CHECK(!match.company || g_utf8_validate(match.company, -1, NULL));
			FUZZ_CHECK(!match.position || g_utf8_validate(match.position, -1, NULL));
		}
		rule_match_clear(&match);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rules *r = rules_new();
	GError *error = NULL;

	fuzz_write(path, data, size);
	if (rules_load_file(r, path, &error) < 0) {
		FUZZ_CHECK(error != NULL && rules_count(r) == 0);
		fuzz_check_problems(error, path);
		g_error_free(error);
		rules_free(r);
		return 0;
	}
	FUZZ_CHECK(error == NULL);
	if (rules_check(r, &error) < 0) {
		FUZZ_CHECK(error != NULL);
		fuzz_check_problems(error, path);
		g_clear_error(&error);
	}
	classify(r);
	rules_free(r);
	return 0;
}
