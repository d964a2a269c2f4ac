/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http.c - what apptrackd's two HTTP servers share, the calendar feed (calendar.c) and the
 * web page (web.c): reading their [SECTION] listen value into the address libmicrohttpd
 * binds. */
#include "daemon.h"

#include "apptrack/error.h"

#include <netdb.h>
#include <string.h>

int http_listen_address(const char *listen, const char *from, const char *what, char **ret_host,
			struct addrinfo **ret_ai, GError **error)
{
	/* ADDRESS:PORT, the address possibly in brackets */
	const char *colon = strrchr(listen, ':');

	*ret_host = NULL;
	*ret_ai = NULL;
	if (!colon || colon == listen)
		return at_error_set(error, -EINVAL, "%s: bad address %s = %s: expected ADDRESS:PORT", what, from, listen);
	char *host = g_strndup(listen, (size_t)(colon - listen));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	int gai = getaddrinfo(host, colon + 1, &hints, ret_ai);
	if (gai != 0) {
		g_free(host);
		*ret_ai = NULL;
		return at_error_set(error, -EINVAL, "%s: %s = %s: %s", what, from, listen, gai_strerror(gai));
	}
	*ret_host = host;
	return 0;
}
