#!/usr/bin/env python3
"""rawsock.py - speaks raw bytes to the control socket, for protocol-abuse tests.

usage: rawsock.py SOCKET MODE [ARG]
  lines FILE      send FILE's bytes, print every reply line until the daemon stops answering
  oversize N      send one line of N bytes ('x' * N, no newline at first) and print replies
  flood N         open N+1 connections at once and print how many were refused as busy
  silent          connect, read the greeting, send nothing, print the greeting
All waits are bounded (5 s per read).
"""
import json
import socket
import sys

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
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
