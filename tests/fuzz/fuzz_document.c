/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_document.c - libFuzzer harness: document_text_from_data(), the text of a resume or
 * job description. The first input byte picks the name the document is given (byte % 3:
 * resume.pdf, resume.md, resume.txt), which decides Markdown; the rest is the document
 * (a PDF whatever its name when it starts with "%PDF-").
 *
 * Checks document.h's promises: a result is non-empty UTF-8 within DOCUMENT_MAX_TEXT,
 * with "\n" line ends, no control character but tab, no trailing blanks, no two blank
 * lines in a row, one final newline; a failure is -EINVAL or -E2BIG with a message that
 * names the document and leaves the output untouched. */
#include "apptrack/document.h"

#include "fuzz.h"

#include <string.h>

static const char *const names[] = { "resume.pdf", "resume.md", "resume.txt" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	return 0;
}

static void check_text(const char *text)
{
	size_t n = strlen(text);

	FUZZ_CHECK(n > 0 && n <= DOCUMENT_MAX_TEXT && g_utf8_validate(text, (gssize)n, NULL));
	FUZZ_CHECK(text[n - 1] == '\n' && text[0] != '\n');
	FUZZ_CHECK(strstr(text, "\n\n\n") == NULL);
	FUZZ_CHECK(strstr(text, " \n") == NULL && strstr(text, "\t\n") == NULL);
	for (const char *p = text; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 ? *p != 0x7f : (*p == '\n' || *p == '\t'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char untouched[] = "untouched";
	char *text = (char *)untouched;
	GError *error = NULL;
	const char *name;
	int r;

	if (size == 0)
		return 0;
	name = names[data[0] % G_N_ELEMENTS(names)];
	r = document_text_from_data(name, (const char *)data + 1, size - 1, &text, &error);
	if (r < 0) {
		FUZZ_CHECK((r == -EINVAL || r == -E2BIG) && error != NULL && text == untouched);
		FUZZ_CHECK(strstr(error->message, name) != NULL);
		g_error_free(error);
		return 0;
	}
	FUZZ_CHECK(r == 0 && error == NULL && text != untouched);
	check_text(text);
	g_free(text);
	return 0;
}
