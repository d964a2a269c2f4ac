#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fakedav.py PORT LOG - a minimal CalDAV collection on 127.0.0.1:PORT for tests that need
a peer for apptrackd's [caldav] push but not a whole Radicale (test_valgrind.sh): PROPFIND
answers an empty multistatus, PUT stores the body in memory and answers 201 with an ETag,
DELETE 204. Each request's method and path is appended to LOG."""
import http.server
import sys

store = {}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def note(self):
        with open(sys.argv[2], "a") as log:
            log.write(f"{self.command} {self.path}\n")

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def answer(self, status, data=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PROPFIND(self):
        self.body()
        self.note()
        xml = b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>' + \
            self.path.encode() + b'</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>' + \
            b'</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>' + \
            b'</d:multistatus>'
        self.answer(207, xml, [("Content-Type", "application/xml")])

    def do_PUT(self):
        store[self.path] = self.body()
        self.note()
        self.answer(201, headers=[("ETag", f'"{len(store)}-{len(store[self.path])}"')])

    def do_DELETE(self):
        self.note()
        self.answer(204 if store.pop(self.path, None) is not None else 404)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
