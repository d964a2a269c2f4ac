#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hostile_mail.py - writes mail built to hurt a MIME parser, for the tests and benchmarks.

  hostile_mail.py deep LEVELS [SUBJECT]   multiparts nested LEVELS deep
  hostile_mail.py wide PARTS              one multipart with PARTS parts
  hostile_mail.py headers FIELDS          a header block of FIELDS fields
  hostile_mail.py bigpart MIB             one text/plain part of MIB MiB
  hostile_mail.py messages LEVELS [SUBJ]  message/rfc822 parts nested LEVELS deep
  hostile_mail.py slow MIB [SUBJECT]      within every bound, but slow to read: 32 nested
                                          multiparts with MIB MiB of text spread over them

The message goes to standard output, with CRLF line ends and a Message-ID of its own.
"""
import hashlib
import sys


def head(subject, extra=""):
    return (
        "From: Mallory <mallory@example.org>\r\n"
        "To: you@example.org\r\n"
        f"Subject: {subject}\r\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
        f"Message-ID: <hostile-{hashlib.sha1((subject + extra).encode()).hexdigest()[:16]}@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        f"{extra}"
    )


def deep(levels, subject):
    out = [head(subject, 'Content-Type: multipart/mixed; boundary="b0"\r\n'), "\r\n"]
    for i in range(1, levels):
        out.append(f'--b{i - 1}\r\nContent-Type: multipart/mixed; boundary="b{i}"\r\n\r\n')
    out.append(f"--b{levels - 1}\r\nContent-Type: text/plain\r\n\r\nThank you for applying.\r\n")
    for i in reversed(range(levels)):
        out.append(f"--b{i}--\r\n")
    return "".join(out)


def wide(parts):
    out = [head(f"wide {parts}", 'Content-Type: multipart/mixed; boundary="w"\r\n'), "\r\n"]
    for i in range(parts):
        out.append(f"--w\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n")
    out.append("--w--\r\n")
    return "".join(out)


def headers(fields):
    extra = "".join(f"X-Filler-{i}: {i}\r\n" for i in range(fields))
    return head(f"headers {fields}", extra) + "\r\nbody\r\n"


def bigpart(mib):
    line = "x" * 76 + "\r\n"
    body = line * (mib * (1 << 20) // len(line))
    return head(f"bigpart {mib}", "Content-Type: text/plain\r\n") + "\r\n" + body


def messages(levels, subject):
    out = [head(subject, "Content-Type: message/rfc822\r\n"), "\r\n"]
    for _ in range(levels - 1):
        out.append("Subject: inner\r\nContent-Type: message/rfc822\r\n\r\n")
    out.append("Subject: innermost\r\n\r\ntext\r\n")
    return "".join(out)


def slow(mib, subject):
    levels = 32
    filler = ("y" * 76 + "\r\n") * (mib * (1 << 20) // 78 // levels)
    out = [head(subject, 'Content-Type: multipart/mixed; boundary="s0"\r\n'), "\r\n"]
    for i in range(1, levels):
        out.append(filler)
        out.append(f'--s{i - 1}\r\nContent-Type: multipart/mixed; boundary="s{i}"\r\n\r\n')
    out.append(f"--s{levels - 1}\r\nContent-Type: text/plain\r\n\r\n{subject}\r\n")
    for i in reversed(range(levels)):
        out.append(f"--s{i}--\r\n")
    return "".join(out)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "deep":
        text = deep(n, sys.argv[3] if len(sys.argv) > 3 else f"deep {n}")
    elif kind == "slow":
        text = slow(n, sys.argv[3] if len(sys.argv) > 3 else f"slow {n}")
    elif kind == "messages":
        text = messages(n, sys.argv[3] if len(sys.argv) > 3 else f"messages {n}")
    elif kind in ("wide", "headers", "bigpart"):
        text = globals()[kind](n)
    else:
        sys.exit(__doc__)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
