/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match_argsort.c - numpy's default argsort, step for step, for the TF-IDF index of
 * match.c: scikit-learn's max_features keeps the features numpy's (unstable) sort leaves
 * first among ties, so the same algorithm keeps the same ones (match_internal.h).
 */
#include "match_internal.h"

#include <stddef.h>
#include <stdint.h>

#define SMALL_PARTITION 15 /* numpy's SMALL_QUICKSORT */
#define PARTITION_STACK 128

static void swap_idx(size_t *a, size_t *b)
{
	size_t t = *a;
	*a = *b;
	*b = t;
}

/* Heap sort of idx[0..n) by key, numpy's aheapsort (1-based indexing). */
static void argsort_heap(const int64_t *key, size_t *idx, size_t n)
{
	size_t *a = idx - 1, i, j, l, tmp;

	for (l = n >> 1; l > 0; --l) {
		tmp = a[l];
		for (i = l, j = l << 1; j <= n;) {
			if (j < n && key[a[j]] < key[a[j + 1]])
				j++;
			if (!(key[tmp] < key[a[j]]))
				break;
			a[i] = a[j];
			i = j;
			j += j;
		}
		a[i] = tmp;
	}
	for (; n > 1;) {
		tmp = a[n];
		a[n] = a[1];
		n--;
		for (i = 1, j = 2; j <= n;) {
			if (j < n && key[a[j]] < key[a[j + 1]])
				j++;
			if (!(key[tmp] < key[a[j]]))
				break;
			a[i] = a[j];
			i = j;
			j += j;
		}
		a[i] = tmp;
	}
}

/* numpy's default argsort (introsort: median-of-three quicksort, insertion sort below 16
 * elements, heap sort past 2 * log2(n) levels), step for step: it is not stable, and which
 * of the tied features scikit-learn keeps at the max_features cut is whatever it leaves
 * first, so the same algorithm is needed to keep the same ones. */
void match_argsort_numpy(const int64_t *key, size_t *idx, size_t num)
{
	size_t *pl = idx, *pr = idx + num - 1;
	size_t *stack[PARTITION_STACK], **sp = stack;
	int depth_stack[PARTITION_STACK], *dp = depth_stack;
	int depth = 0;

	for (size_t n = num; n > 1; n >>= 1)
		depth++;
	depth *= 2;
	for (;;) {
		if (depth < 0) {
			argsort_heap(key, pl, (size_t)(pr - pl) + 1);
			goto pop;
		}
		while (pr - pl > SMALL_PARTITION) {
			size_t *pm = pl + ((pr - pl) >> 1), *pi, *pj;
			if (key[*pm] < key[*pl])
				swap_idx(pm, pl);
			if (key[*pr] < key[*pm])
				swap_idx(pr, pm);
			if (key[*pm] < key[*pl])
				swap_idx(pm, pl);
			int64_t vp = key[*pm];
			pi = pl;
			pj = pr - 1;
			swap_idx(pm, pj);
			for (;;) {
				do
					++pi;
				while (key[*pi] < vp);
				do
					--pj;
				while (vp < key[*pj]);
				if (pi >= pj)
					break;
				swap_idx(pi, pj);
			}
			swap_idx(pi, pr - 1);
			if (pi - pl < pr - pi) {
				*sp++ = pi + 1;
				*sp++ = pr;
				pr = pi - 1;
			} else {
				*sp++ = pl;
				*sp++ = pi - 1;
				pl = pi + 1;
			}
			*dp++ = --depth;
		}
		for (size_t *pi = pl + 1; pi <= pr; ++pi) {
			size_t vi = *pi, *pj = pi, *pk = pi - 1;
			int64_t vp = key[vi];
			while (pj > pl && vp < key[*pk])
				*pj-- = *pk--;
			*pj = vi;
		}
pop:
		if (sp == stack)
			break;
		pr = *(--sp);
		pl = *(--sp);
		depth = *(--dp);
	}
}
