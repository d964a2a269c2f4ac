#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""import_stall.py SOCKET CSV - imports CSV over one control connection while a thread
pings on another every 10 ms, and prints the import's time, the pings' longest stall while
the import ran, and the longest in the 3 s after its reply.

A ping's stall is its round trip; for a ping sent during the import it counts only up to
the import's reply (a ping that waited for the whole import stalled as long as the import
ran; one caught by the work after the reply is counted in the "after" figure)."""
import json
import socket
import sys
import threading
import time

SETTLE_S = 3.0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(600)
    s.connect(path)
    f = s.makefile("rb")
    f.readline()  # greeting
    return s, f


def pinger(path, stop, out):
    s, f = connect(path)
    n = 0
    while not stop.is_set():
        n += 1
        t0 = time.monotonic()
        s.sendall(json.dumps({"id": n, "method": "ping"}).encode() + b"\n")
        while json.loads(f.readline()).get("id") != n:
            pass
        out.append((t0, time.monotonic()))
        time.sleep(0.01)


def main():
    path, csv_path = sys.argv[1], sys.argv[2]
    csv = open(csv_path, encoding="utf-8").read()
    stop, pings = threading.Event(), []
    th = threading.Thread(target=pinger, args=(path, stop, pings))
    th.start()
    time.sleep(0.3)
    s, f = connect(path)
    t_start = time.monotonic()
    s.sendall(json.dumps({"id": "import", "method": "import", "params": {"csv": csv}}).encode() + b"\n")
    while True:
        reply = json.loads(f.readline())
        if reply.get("id") == "import":
            break
    t_end = time.monotonic()
    time.sleep(SETTLE_S)
    stop.set()
    th.join()
    if "error" in reply:
        print("import failed:", reply["error"])
        sys.exit(1)
    during = [min(t1, t_end) - t0 for t0, t1 in pings if t_start <= t0 < t_end]
    after = [t1 - t0 for t0, t1 in pings if t0 >= t_end or t1 > t_end]
    ms = lambda v: max(v) * 1000 if v else 0.0
    print(f"import {(t_end - t_start):.2f} s ({reply['result']['imported']} imported); "
          f"pings during: max {ms(during):.1f} ms ({len(during)} pings); "
          f"after the reply: max {ms(after):.1f} ms")


if __name__ == "__main__":
    main()
