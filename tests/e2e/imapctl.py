#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""imapctl.py - a small IMAP client for the end-to-end tests and the benchmark.

Standard library only. Used by tests/e2e/dovecot.sh (which wraps it as `imapctl`) against
the private Dovecot server, but works against any IMAP server.

usage: imapctl.py [--host H] --port P --user U --password PW [--ssl] COMMAND ...
  append FILE...            APPEND each file to INBOX; bytes kept exactly, except that bare
                            LF / CR line ends become CRLF as IMAP requires
  append-generated N        APPEND N generated "Thank you for applying to CompanyNNNNN"
                            confirmations (unique Message-IDs, Dates in the last 3 days);
                            --start K numbers the companies from K (default 1)
  count                     print the number of messages in INBOX
  uidvalidity               print INBOX's UIDVALIDITY
--ssl speaks implicit TLS (no certificate check: the test server's cert is self-signed).

Bulk appends use MULTIAPPEND (RFC 3502) with LITERAL+ (RFC 7888) non-synchronising
literals: one APPEND command carries up to --batch messages (default 500) and is
streamed without waiting for continuation requests, so 10,000 messages take about a
second against a local Dovecot. Without those capabilities it falls back to one
imaplib APPEND per message. Every socket operation times out (--timeout, default 30 s).
Exit status: 0 on success, 1 with a message on stderr on any failure, 2 on bad usage.
"""
import argparse
import datetime
import email.utils
import imaplib
import os
import re
import socket
import ssl
import sys
import time

LINE_END = re.compile(rb"\r\n|\r|\n")


class Failure(Exception):
    pass


def to_crlf(data):
    return LINE_END.sub(b"\r\n", data)


def connect(args):
    try:
        if args.ssl:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            m = imaplib.IMAP4_SSL(args.host, args.port, ssl_context=ctx, timeout=args.timeout)
        else:
            m = imaplib.IMAP4(args.host, args.port, timeout=args.timeout)
    except (OSError, imaplib.IMAP4.error) as e:
        raise Failure("cannot connect to %s:%d: %s" % (args.host, args.port, e))
    try:
        typ, data = m.login(args.user, args.password)
    except imaplib.IMAP4.error as e:
        raise Failure("login as %s failed: %s" % (args.user, e))
    # the capabilities after login (Dovecot sends them in the LOGIN reply)
    try:
        typ, data = m.capability()
        m.capabilities = tuple(data[0].decode().upper().split())
    except imaplib.IMAP4.error as e:
        raise Failure("CAPABILITY failed: %s" % e)
    return m


def status(m, item):
    try:
        typ, data = m.status("INBOX", "(%s)" % item)
    except imaplib.IMAP4.error as e:
        raise Failure("STATUS INBOX failed: %s" % e)
    found = re.search(rb"\b" + item.encode() + rb" (\d+)", data[0] or b"")
    if typ != "OK" or not found:
        raise Failure("STATUS INBOX: unexpected reply %r" % (data,))
    return int(found.group(1))


def multiappend(m, messages, batch):
    """messages: list of (internaldate or None, bytes with CRLF line ends)."""
    caps = set(m.capabilities)
    if "MULTIAPPEND" not in caps or "LITERAL+" not in caps:
        for date, msg in messages:
            try:
                typ, data = m.append("INBOX", None, date, msg)
            except imaplib.IMAP4.error as e:
                raise Failure("APPEND failed: %s" % e)
            if typ != "OK":
                raise Failure("APPEND failed: %r" % (data,))
        return
    for first in range(0, len(messages), batch):
        tag = ("MA%05d" % (first // batch)).encode()
        parts = [tag, b" APPEND INBOX"]
        for date, msg in messages[first:first + batch]:
            if date:
                parts.append(b" " + date.encode())
            parts.append(b" {%d+}\r\n" % len(msg))
            parts.append(msg)
        parts.append(b"\r\n")
        try:
            m.send(b"".join(parts))
            while True:
                line = m.readline()
                if not line:
                    raise Failure("connection closed during APPEND")
                if line.startswith(tag + b" "):
                    break
        except OSError as e:
            raise Failure("APPEND failed: %s" % e)
        if not line.startswith(tag + b" OK"):
            raise Failure("APPEND failed: %s" % line.decode(errors="replace").strip())


def generated(start, n):
    now = time.time()
    run = "%x.%x" % (int(now * 1000), os.getpid())
    for i in range(start, start + n):
        company = "Company%05d" % i
        domain = company.lower() + "domain.example"
        # spread over the last three days, newest first, whole seconds
        ts = int(now) - 60 - (i * 7919) % (3 * 86400)
        when = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
        msg = (
            "Return-Path: <no-reply@%(d)s>\n"
            "From: %(c)s Recruiting <no-reply@%(d)s>\n"
            "To: Alice Example <alice@example.org>\n"
            "Subject: Thank you for applying to %(c)s\n"
            "Date: %(date)s\n"
            "Message-ID: <application-%(i)05d.%(run)s@%(d)s>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 7bit\n"
            "\n"
            "Hi Alice,\n"
            "\n"
            "Thank you for applying for the Software Engineer position at %(c)s.\n"
            "We have received your application and our recruiting team will review\n"
            "it carefully. If your qualifications match our needs, we will contact\n"
            "you about next steps.\n"
            "\n"
            "Best regards,\n"
            "%(c)s Recruiting\n"
        ) % {"c": company, "d": domain, "i": i, "run": run,
             "date": email.utils.format_datetime(when)}
        yield imaplib.Time2Internaldate(ts), to_crlf(msg.encode())


def main():
    p = argparse.ArgumentParser(description="small IMAP client for the e2e tests")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--ssl", action="store_true", help="implicit TLS, certificate not checked")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--batch", type=int, default=500, help="messages per MULTIAPPEND")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("append")
    a.add_argument("files", nargs="+")
    g = sub.add_parser("append-generated")
    g.add_argument("n", type=int)
    g.add_argument("--start", type=int, default=1)
    sub.add_parser("count")
    sub.add_parser("uidvalidity")
    args = p.parse_args()

    try:
        if args.command == "append":
            messages = []
            for path in args.files:
                try:
                    with open(path, "rb") as f:
                        messages.append((None, to_crlf(f.read())))
                except OSError as e:
                    raise Failure("cannot read %s: %s" % (path, e))
        elif args.command == "append-generated":
            if args.n < 0 or args.start < 0 or args.start + args.n > 100000:
                raise Failure("append-generated: N and --start must keep numbers in 0..99999")
            messages = list(generated(args.start, args.n))
        m = connect(args)
        try:
            if args.command in ("append", "append-generated"):
                multiappend(m, messages, max(1, args.batch))
            elif args.command == "count":
                print(status(m, "MESSAGES"))
            elif args.command == "uidvalidity":
                print(status(m, "UIDVALIDITY"))
        finally:
            try:
                m.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
    except Failure as e:
        print("imapctl: %s" % e, file=sys.stderr)
        return 1
    except (OSError, imaplib.IMAP4.error) as e:
        print("imapctl: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
