/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_model.c - libFuzzer harness: the mail model file (model.h). The input is written to
 * apptrack.model in the harness's temporary directory and loaded with model_load(); what
 * loads classifies a fixed message, learns it and takes the lesson back.
 *
 * Checks model.h's promises: a refused file gives no model and an error that names the
 * file and a line; a loaded one gives a guess whose probabilities add up to 1, and saving
 * it and loading it again gives the same bytes. */
#include "apptrack/model.h"

#include "fuzz.h"

#include <math.h>
#include <string.h>

static const char *path, *again;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	path = fuzz_input("apptrack.model");
	again = fuzz_input("again.model");
	return 0;
}

static void use(mailmodel *model)
{
	static const struct mime_message m = {
		.from_name = "Acme Recruiting", .from_address = "no-reply@acme.myworkday.com",
		.subject = "Thank you for applying to Acme",
		.text = "We regret to inform you that we will not move forward.\nUnsubscribe here\n",
	};
	static char *no_links[] = { NULL };
	struct mime_message msg = m;
	struct model_guess g;

	msg.links = no_links;
	GPtrArray *features = model_features(&msg, NULL);
	if (model_classify(model, features, &g) == 0) {
		double sum = 0;
		for (int k = 0; k < MAIL_KIND_COUNT; k++) {
			FUZZ_CHECK(g.p[k] >= 0 && g.p[k] <= 1);
			sum += g.p[k];
		}
		FUZZ_CHECK(fabs(sum - 1) < 1e-6 && g.confidence == g.p[g.kind]);
		for (int i = 0; g.phrases[i]; i++)
			FUZZ_CHECK(g_utf8_validate(g.phrases[i], -1, NULL));
		model_guess_clear(&g);
	}
	model_learn(model, features, MAIL_OFFER);
	FUZZ_CHECK(model_lesson_count(model) == 1);
	model_unlearn(model, features, MAIL_OFFER);
	FUZZ_CHECK(model_lesson_count(model) == 0);
	g_ptr_array_unref(features);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mailmodel *model = NULL, *back = NULL;
	GError *error = NULL;

	fuzz_write(path, data, size);
	if (model_load(path, &model, &error) < 0) {
		FUZZ_CHECK(error != NULL && model == NULL);
		FUZZ_CHECK(strstr(error->message, path) != NULL);
		g_error_free(error);
		return 0;
	}
	use(model);
	/* what loads saves and loads again to the same bytes */
	FUZZ_CHECK(model_save(model, again, NULL) == 0);
	FUZZ_CHECK(model_load(again, &back, NULL) == 0);
	g_autofree char *a = NULL, *b = NULL;
	FUZZ_CHECK(model_save(back, path, NULL) == 0);
	FUZZ_CHECK(g_file_get_contents(again, &a, NULL, NULL) && g_file_get_contents(path, &b, NULL, NULL));
	FUZZ_CHECK(strcmp(a, b) == 0);
	model_unref(back);
	model_unref(model);
	return 0;
}
