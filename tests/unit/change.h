/* SPDX-License-Identifier: GPL-3.0-or-later */
/* change.h - the change context (pipeline.h) the tests' calls make changes in: a store
 * with the default reminder delays, or with delays of their own, on the clock. */
#ifndef APPTRACK_TEST_CHANGE_H
#define APPTRACK_TEST_CHANGE_H

#include "apptrack/pipeline.h"

static inline const struct pipeline_delays *default_delays(void)
{
	static const struct pipeline_delays delays = PIPELINE_DELAYS_DEFAULT;
	return &delays;
}

#define PIPE_WITH(s, dl) (&(const struct pipeline){ .store = (s), .delays = (dl) })
#define PIPE(s) PIPE_WITH(s, default_delays())

#endif
