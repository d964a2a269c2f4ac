#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""crashwatch.py - stops apptrackd while it is reading a given message, for the tests.

usage: crashwatch.py PID MARKER_DIR MATCH SIGNAL [THREAD]

Watches the reading markers in MARKER_DIR (apptrackd's DATABASE-reading) and, as soon as
one names a message whose description contains MATCH, sends SIGNAL: to the thread of PID
named THREAD (tgkill, so that the signal lands in the thread that reads, as a fault in a
parser would), or to the whole process when no THREAD is given (as `kill -9` or the OOM
killer would). Prints the marker as it was. Polls every millisecond, for at most 60 s;
exit status 1 when no such marker appeared.
"""
import ctypes
import os
import signal
import sys
import time

DEADLINE_S = 60
POLL_S = 0.001


def thread_id(pid, name):
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() == name:
                    return int(tid)
        except OSError:
            pass
    return None


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    pid, markers, match = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    sig = getattr(signal, "SIG" + sys.argv[4])
    thread = sys.argv[5] if len(sys.argv) == 6 else None
    libc = ctypes.CDLL(None, use_errno=True)
    deadline = time.monotonic() + DEADLINE_S
    tid = None
    while time.monotonic() < deadline:
        if thread and tid is None:
            tid = thread_id(pid, thread)
        try:
            names = os.listdir(markers)
        except FileNotFoundError:
            names = []
        for name in names:
            try:
                with open(os.path.join(markers, name)) as f:
                    text = f.read()
            except OSError:
                continue
            if match not in text:
                continue
            if thread:
                if tid is None or libc.tgkill(pid, tid, sig) != 0:
                    sys.exit(f"crashwatch: no thread {thread} in process {pid}")
            else:
                os.kill(pid, sig)
            sys.stdout.write(text)
            return
        time.sleep(POLL_S)
    sys.exit(f"crashwatch: no marker named {match} within {DEADLINE_S} s")


if __name__ == "__main__":
    main()
