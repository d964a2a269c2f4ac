/* text.c - small text helpers shared by the programs (see text.h). */
#include "apptrack/text.h"

#include <glib.h>
#include <string.h>

unsigned text_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	g_autofree unsigned *row = g_new(unsigned, lb + 1);

	/* one row of the dynamic-programming table at a time */
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}
