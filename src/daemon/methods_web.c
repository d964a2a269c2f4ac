/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods_web.c - web.login: a single-use login link to the web page (web.c keeps the
 * keys; apptrackctl web prints or opens the link). No events: nothing stored changes. */
#include "methods.h"

int m_web_login(struct call *c)
{
	g_autofree char *url = NULL;
	int r = web_login_url(c->d, &url, &c->error);

	if (r < 0)
		return r;
	c->result = json_pack("{s:s}", "url", url);
	return 0;
}
