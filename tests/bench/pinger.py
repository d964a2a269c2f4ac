#!/usr/bin/env python3
"""pinger.py SOCKET SECONDS [INTERVAL_MS] - pings apptrackd over one control connection
every INTERVAL_MS (default 10) for SECONDS, or until SIGTERM, and prints the round trips
in milliseconds: count, median, p99 and max. Used by poison.sh, on an idle daemon (the
reference) and while it reads hostile mail."""
import json
import signal
import socket
import statistics
import sys
import time

stop = False


def on_term(signum, frame):
    global stop
    stop = True


def main():
    path, seconds = sys.argv[1], float(sys.argv[2])
    interval = (float(sys.argv[3]) if len(sys.argv) > 3 else 10.0) / 1000
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    f = s.makefile("rb")
    f.readline()  # greeting
    signal.signal(signal.SIGTERM, on_term)
    rtts, n, end = [], 0, time.monotonic() + seconds
    while time.monotonic() < end and not stop:
        n += 1
        t0 = time.monotonic()
        s.sendall(json.dumps({"id": n, "method": "ping"}).encode() + b"\n")
        while True:
            reply = json.loads(f.readline())
            if reply.get("id") == n:
                break
        rtts.append((time.monotonic() - t0) * 1000)
        time.sleep(interval)
    rtts.sort()
    p99 = rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))]
    print(f"{len(rtts)} pings: median {statistics.median(rtts):.2f} ms, p99 {p99:.2f} ms, max {rtts[-1]:.2f} ms")


if __name__ == "__main__":
    main()
