/* text.h - small text helpers shared by the programs. */
#ifndef APPTRACK_TEXT_H
#define APPTRACK_TEXT_H

/* Levenshtein distance between a and b (bytes), for "did you mean" suggestions. */
unsigned text_edit_distance(const char *a, const char *b);

#endif
