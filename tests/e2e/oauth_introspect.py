#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""oauth_introspect.py - a tiny OAuth2 token introspection endpoint (RFC 7662) for
test_imap_oauth.sh: Dovecot's oauth2 passdb POSTs token=... here and is told whether the
token is active and whose it is.

    oauth_introspect.py PORT_FILE TOKENS_FILE REQUEST_LOG

Listens on 127.0.0.1 on a free port, which it writes to PORT_FILE once it serves.
TOKENS_FILE holds one "TOKEN USERNAME" per line and is read again at every request, so the
test revokes a token by rewriting it. Each request appends "TOKEN active|inactive" to
REQUEST_LOG. It serves until killed.
"""
import http.server
import json
import os
import sys
import urllib.parse

PORT_FILE, TOKENS_FILE, REQUEST_LOG = sys.argv[1:4]


def valid_tokens():
    tokens = {}
    try:
        with open(TOKENS_FILE) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    tokens[parts[0]] = parts[1]
    except FileNotFoundError:
        pass
    return tokens


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, token):
        user = valid_tokens().get(token) if token else None
        body = {"active": True, "username": user} if user else {"active": False}
        with open(REQUEST_LOG, "a") as log:
            log.write("%s %s\n" % (token or "-", "active" if user else "inactive"))
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), 65536)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode(errors="replace"))
        token = form.get("token", [None])[0]
        if not token:  # a bearer token in the header (introspection_mode = auth)
            auth = self.headers.get("Authorization") or ""
            token = auth[7:] if auth.startswith("Bearer ") else None
        self.answer(token)

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.answer(query.get("token", [None])[0])

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
tmp = PORT_FILE + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(tmp, PORT_FILE)
server.serve_forever()
