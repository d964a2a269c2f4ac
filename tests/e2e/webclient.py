#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""webclient.py - plain HTTP requests to apptrackd's web page, for test_web.sh.

  webclient.py req METHOD URL [--host H] [--origin O] [--cookie V] [--bearer T] [--type T]
                              [--body TEXT | --body-file F | --body-size N] [--out DIR]
      one request with exactly those headers (http.client: nothing added but Host and
      Content-Length); prints the status; DIR/headers gets the headers (Name: value, one a
      line), DIR/body the body.
  webclient.py sse URL COOKIE FILE SECONDS
      opens GET /events and appends what arrives to FILE, for SECONDS at most.
  webclient.py streams URL COOKIE N
      opens N streams (each must start with ": connected"), then one more; prints
      "open N" and the extra one's status and error code; closes them all.
"""
import http.client
import json
import sys
import time
import urllib.parse


def connect(url, timeout=30):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    path = u.path + ("?" + u.query if u.query else "")
    return conn, u, path


def request(argv):
    method, url = argv[0], argv[1]
    opts = {}
    i = 2
    while i < len(argv):
        opts[argv[i].lstrip("-")] = argv[i + 1]
        i += 2
    conn, u, path = connect(url)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", opts.get("host", u.netloc))
    if "origin" in opts:
        conn.putheader("Origin", opts["origin"])
    if "cookie" in opts:
        conn.putheader("Cookie", "apptrack_session=" + opts["cookie"])
    if "bearer" in opts:
        conn.putheader("Authorization", "Bearer " + opts["bearer"])
    if "type" in opts:
        conn.putheader("Content-Type", opts["type"])
    body = None
    if "body" in opts:
        body = opts["body"].encode()
    elif "body-file" in opts:
        body = open(opts["body-file"], "rb").read()
    elif "body-size" in opts:
        body = b'{"x":"' + b"a" * int(opts["body-size"]) + b'"}'
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()
    try:
        if body is not None:
            conn.send(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before the body was read: the answer is still there
    r = conn.getresponse()
    data = r.read()
    out = opts.get("out")
    if out:
        with open(out + "/headers", "w") as f:
            for k, v in r.getheaders():
                f.write(f"{k}: {v}\n")
        with open(out + "/body", "wb") as f:
            f.write(data)
    print(r.status)


def open_stream(url, cookie, timeout=30):
    conn, u, path = connect(url, timeout)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", u.netloc)
    conn.putheader("Cookie", "apptrack_session=" + cookie)
    conn.endheaders()
    return conn, conn.getresponse()


def sse(url, cookie, file, seconds):
    deadline = time.monotonic() + float(seconds)
    conn, r = open_stream(url, cookie, timeout=float(seconds))
    with open(file, "a") as f:
        f.write(f"status {r.status} {r.getheader('Content-Type')}\n")
        f.flush()
        while time.monotonic() < deadline:
            try:
                line = r.readline()
            except OSError:
                break
            if not line:
                break
            f.write(line.decode())
            f.flush()


def streams(url, cookie, n):
    held = []
    for _ in range(int(n)):
        conn, r = open_stream(url, cookie)
        first = r.readline().decode()
        if r.status != 200 or first != ": connected\n":
            print("stream not open:", r.status, repr(first))
            return
        held.append(conn)
    print("open", len(held))
    conn, r = open_stream(url, cookie)
    body = r.read()
    code = json.loads(body)["error"]["code"] if r.status != 200 else "-"
    print(r.status, code)
    for c in held + [conn]:
        c.close()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "req":
        request(sys.argv[2:])
    elif cmd == "sse":
        sse(*sys.argv[2:6])
    elif cmd == "streams":
        streams(*sys.argv[2:5])
