#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""pinger.py SOCKET SECONDS [INTERVAL_MS] - pings apptrackd over one control connection
every INTERVAL_MS (default 10) for SECONDS, or until SIGTERM, and prints the round trips
in milliseconds: count, median, p99 and max. Used by poison.sh, on an idle daemon (the
reference) and while it reads hostile mail; by scale.sh (scale.py) during an import, after it and
beside `add`. A round trip waits as long as the daemon does: PINGER_TIMEOUT (seconds, default
30) bounds one, and a SIGTERM ends the run after the ping under way is answered. With
PINGER_TRACE=FILE, each ping is also written to FILE as a line "SENT RTT": when it was sent
(time.monotonic(), seconds) and its round trip (ms), so that a run can be cut into phases."""
import json
import os
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
    s.settimeout(float(os.environ.get("PINGER_TIMEOUT", "30")))
    s.connect(path)
    f = s.makefile("rb")
    f.readline()  # greeting
    signal.signal(signal.SIGTERM, on_term)
    rtts, sends, n, end = [], [], 0, time.monotonic() + seconds
    while time.monotonic() < end and not stop:
        n += 1
        t0 = time.monotonic()
        sends.append(t0)
        s.sendall(json.dumps({"id": n, "method": "ping"}).encode() + b"\n")
        while True:
            reply = json.loads(f.readline())
            if reply.get("id") == n:
                break
        rtts.append((time.monotonic() - t0) * 1000)
        time.sleep(interval)
    trace = os.environ.get("PINGER_TRACE")
    if trace:
        with open(trace, "w") as t:
            t.writelines(f"{sent:.6f} {rtt:.3f}\n" for sent, rtt in zip(sends, rtts))
    rtts.sort()
    if not rtts:
        print("0 pings")
        return
    p99 = rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))]
    print(f"{len(rtts)} pings: median {statistics.median(rtts):.2f} ms, p99 {p99:.2f} ms, max {rtts[-1]:.2f} ms")


if __name__ == "__main__":
    main()
