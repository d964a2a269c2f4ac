/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_invitation.c - libFuzzer harness: a calendar invitation through invitation_parse(),
 * as mail's text/calendar parts reach it (invitation.h). The first 4 input bytes pick the
 * time the recurrence is read from (the mail's Date: 1970 to 2106); the rest is the part.
 * Checks invitation.h's promises: a failure is -EINVAL or -E2BIG with one "invitation: "
 * message and no result; a result has a UID, a method, UTF-8 text fields of at most
 * INVITATION_MAX_FIELD bytes, an http(s) meeting link, a start before its end (but for a
 * cancellation without a time), and a rule exactly when it recurs. */
#include "apptrack/invitation.h"

#include "fuzz.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_setup();
	return 0;
}

static void check_field(const char *what, const char *s)
{
	if (!s)
		return;
	if (!g_utf8_validate(s, -1, NULL) || strlen(s) > INVITATION_MAX_FIELD || !*s) {
		fprintf(stderr, "fuzz_invitation: %s is not UTF-8 of 1 to %d bytes\n", what, INVITATION_MAX_FIELD);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct invitation *inv = NULL;
	GError *error = NULL;
	uint32_t after = 0;
	int r;

	if (size < 4)
		return 0;
	memcpy(&after, data, 4);
	r = invitation_parse((const char *)data + 4, size - 4, after, &inv, &error);
	if (r < 0) {
		FUZZ_CHECK((r == -EINVAL || r == -E2BIG) && error && !inv);
		FUZZ_CHECK(g_str_has_prefix(error->message, "invitation: ") && !strchr(error->message, '\n'));
		FUZZ_CHECK(g_utf8_validate(error->message, -1, NULL));
		g_error_free(error);
		return 0;
	}
	FUZZ_CHECK(r == 0 && !error && inv);
	FUZZ_CHECK(inv->method == INVITATION_REQUEST || inv->method == INVITATION_CANCEL ||
		   inv->method == INVITATION_OTHER);
	FUZZ_CHECK(inv->uid && inv->method_name && inv->sequence >= 0);
	check_field("uid", inv->uid);
	check_field("summary", inv->summary);
	check_field("location", inv->location);
	check_field("meeting_url", inv->meeting_url);
	check_field("organizer", inv->organizer);
	check_field("rule", inv->rule);
	FUZZ_CHECK(!inv->meeting_url || g_str_has_prefix(inv->meeting_url, "http"));
	if (inv->starts_at || inv->method != INVITATION_CANCEL)
		FUZZ_CHECK(inv->ends_at > inv->starts_at && inv->ends_at - inv->starts_at <= 7 * 86400);
	FUZZ_CHECK(inv->recurring == (inv->recurs != NULL));
	FUZZ_CHECK(!inv->all_past || inv->recurring);
	invitation_free(inv);
	return 0;
}
