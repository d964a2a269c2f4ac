#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""rawsock.py - speaks raw bytes to the control socket, for protocol-abuse tests.

usage: rawsock.py SOCKET MODE [ARG]
  lines FILE      send FILE's bytes, print every reply line until the daemon stops answering
  oversize N      send one line of N bytes ('x' * N, no newline at first) and print replies
  flood N         open N+1 connections at once and print how many were refused as busy
  silent          connect, read the greeting, send nothing, print the greeting
  race FILE       send FILE (one request, id "slow") on one connection, then a ping (id
                  "ping") on another; print the ids of the replies in the order they came
  unread N        write ping lines without reading a reply, until N bytes went out or
                  the daemon took nothing more for a second; print the bytes it took,
                  whether another connection's ping was answered meanwhile, then read
                  and print how many replies came, and how many complete requests went
  idle N WAIT     open N connections (the connection limit), print "busy" when one more
                  is refused, wait at most WAIT s for the daemon to close the N idle
                  ones and print how many it closed, then print "served" when a new
                  connection gets its greeting
All waits are bounded (5 s per read, or the WAIT given).
"""
import json
import select
import socket
import sys
import time

TIMEOUT = 5.0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(path)
    return s


def read_lines(s, want=None):
    buf = b""
    lines = []
    try:
        while want is None or len(lines) < want:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.append(line.decode("utf-8", "replace"))
    except (socket.timeout, ConnectionResetError):
        pass
    return lines


def race(path, request):
    slow, quick = connect(path), connect(path)
    read_lines(slow, 1)
    read_lines(quick, 1)
    slow.sendall(request)
    quick.sendall(b'{"id":"ping","method":"ping"}\n')
    order, bufs = [], {slow: b"", quick: b""}
    deadline = time.monotonic() + 60
    while len(order) < 2 and time.monotonic() < deadline:
        ready, _, _ = select.select([s for s in bufs if s not in order], [], [], 1.0)
        for s in ready:
            chunk = s.recv(1 << 20)
            bufs[s] += chunk
            if b"\n" in bufs[s] or not chunk:
                order.append(s)
    for s in order:
        line = bufs[s].split(b"\n", 1)[0]
        print(json.loads(line).get("id") if line else "(closed)")


def ping_once(path):
    s = connect(path)
    read_lines(s, 1)
    s.sendall(b'{"id":1,"method":"ping"}\n')
    reply = read_lines(s, 1)
    s.close()
    return bool(reply) and '"pong"' in reply[0]


def unread(path, limit):
    s = connect(path)
    read_lines(s, 1)
    s.setblocking(False)
    block = b"".join(b'{"id":%d,"method":"ping"}\n' % i for i in range(1000))
    sent = complete = offset = 0
    stalled_since = None
    while sent < limit:
        chunk = block[offset:][: limit - sent]
        try:
            n = s.send(chunk)
        except BlockingIOError:
            n = 0
        if n:
            sent += n
            complete += chunk[:n].count(b"\n")
            offset = (offset + n) % len(block)
            stalled_since = None
            continue
        if stalled_since is None:
            stalled_since = time.monotonic()
        elif time.monotonic() - stalled_since > 1.0:
            break
        time.sleep(0.01)
    print(sent)
    print("answered" if ping_once(path) else "not answered")
    s.setblocking(True)
    s.settimeout(TIMEOUT)
    replies = 0
    try:
        while replies < complete:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            replies += chunk.count(b"\n")
    except socket.timeout:
        pass
    print(replies)
    print(complete)


def idle(path, n, wait):
    socks = []
    for _ in range(n):
        s = connect(path)
        read_lines(s, 1)
        socks.append(s)
    extra = connect(path)
    first = read_lines(extra, 1)
    if first and "busy" in first[0]:
        print("busy")
    extra.close()
    closed, deadline = 0, time.monotonic() + wait
    for s in socks:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while s.recv(65536):
                pass
            closed += 1
        except (socket.timeout, ConnectionResetError):
            pass
    print(closed)
    s = connect(path)
    greeting = read_lines(s, 1)
    if greeting and '"protocol"' in greeting[0]:
        print("served")


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "lines":
        data = open(sys.argv[3], "rb").read()
        s = connect(path)
        greeting = read_lines(s, 1)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        for line in greeting + read_lines(s):
            print(line)
    elif mode == "oversize":
        n = int(sys.argv[3])
        s = connect(path)
        read_lines(s, 1)
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < n:
                s.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        for line in read_lines(s):
            print(line)
    elif mode == "flood":
        n = int(sys.argv[3])
        socks, busy = [], 0
        for _ in range(n + 1):
            s = connect(path)
            line = read_lines(s, 1)
            if line and "busy" in line[0]:
                busy += 1
            socks.append(s)
        print(busy)
        for s in socks:
            s.close()
    elif mode == "silent":
        s = connect(path)
        print(read_lines(s, 1)[0])
    elif mode == "race":
        race(path, open(sys.argv[3], "rb").read())
    elif mode == "unread":
        unread(path, int(sys.argv[3]))
    elif mode == "idle":
        idle(path, int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
