#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sql_owners.py - checks that every table is written by its owner only (docs/decisions.md,
"Architecture"), that the other modules of src/core only read the tables listed for them,
that src/daemon and src/ctl hold no SQL at all, and that every transaction is
store_transaction()'s.

Usage: sql_owners.py SRC_DIR. Prints one line per violation and exits 1 when there is
any, 0 otherwise. The SQL looked at is the text of the C string literals of each file,
adjacent literals joined, so a statement split over several lines is read whole.
"""
import os
import re
import sys

# Each table and the files that may write it. store.c's migrations create and convert
# every table, and its FTS triggers keep applications_fts in step: it is the schema's
# owner and is not checked here.
# Paths are relative to SRC_DIR.
OWNERS = {
    "applications": {"core/tracking/applications.c"},
    "events": {"core/tracking/pipeline.c"},
    "reminders": {"core/tracking/reminders.c"},
    "interviews": {"core/tracking/interviews.c"},
    "contacts": {"core/tracking/contacts.c"},
    "application_contacts": {"core/tracking/contacts.c"},
    "resumes": {"core/tracking/resumes.c"},
    "profile": {"core/tracking/profile.c"},
    "messages": {"core/mail/mailapply.c", "core/mail/mailapply_review.c"},
    "review": {"core/mail/mailapply.c", "core/mail/mailapply_review.c"},
    "mail_state": {"core/mail/mailapply.c"},
    "lessons": {"core/mail/lessons.c"},
    "caldav_outbox": {"core/reports/caldav_outbox.c"},
}
SCHEMA = {"core/tracking/store.c"}
# Modules that own no table but may read (SELECT) through store.c's helpers.
READERS = {"core/reports/analytics_load.c", "core/reports/feed.c", "core/matching/matching.c",
           "core/transfer/transfer.c"}
# Directories whose code may hold no SQL: the programs, which call the core.
NO_SQL_DIRS = ("daemon", "ctl", "reader")

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
# SQL keywords are written in capitals in this code (and word lists are not).
WRITE = re.compile(r"\b(?:(?:INSERT(?:\s+OR\s+\w+)?|REPLACE)\s+INTO\s+(\w+)|DELETE\s+FROM\s+(\w+)|"
                   r"UPDATE(?:\s+OR\s+\w+)?\s+(\w+)\s+SET)\b")
ANY_SQL = re.compile(r"\b(?:SELECT\s+.+?\s+FROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|PRAGMA\s+\w+|"
                     r"CREATE\s+(?:TABLE|INDEX|TRIGGER))\b", re.S)
RAW_DB = re.compile(r"\b(?:store_db|store_prepare|sqlite3_\w+)\s*\(")
HAND_TX = re.compile(r"\bstore_(?:begin|commit|rollback)\s*\(")


def sql_text(path):
    with open(path, encoding="utf-8") as f:
        code = COMMENT.sub(" ", f.read())
    return " ".join(LITERAL.findall(code)), code


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    problems = []
    for sub in sorted(os.listdir(src)):
        d = os.path.join(src, sub)
        if not os.path.isdir(d):
            continue
        for dirpath, _, files in os.walk(d):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, src)
                text, code = sql_text(path)
                if rel not in SCHEMA:
                    m = HAND_TX.search(code)
                    if m:
                        problems.append(f"{rel}: {m.group(0).strip()} by hand (use store_transaction())")
                if sub in NO_SQL_DIRS:
                    if ANY_SQL.search(text):
                        problems.append(f"{rel}: SQL in src/{sub} (ask the core module that owns the table)")
                    m = RAW_DB.search(code)
                    if m:
                        problems.append(f"{rel}: {m.group(0).strip()} in src/{sub} (the database is the core's)")
                    continue
                if rel in SCHEMA:
                    continue
                if "store_db(" in code:
                    problems.append(f"{rel}: store_db() outside store.c (it is for the tests)")
                for m in WRITE.finditer(text):
                    table = m.group(1) or m.group(2) or m.group(3)
                    owners = OWNERS.get(table)
                    if owners is None:
                        problems.append(f"{rel}: writes table {table}, which has no owner listed")
                    elif rel not in owners:
                        problems.append(f"{rel}: writes table {table}, owned by {', '.join(sorted(owners))}")
                owns = any(rel in o for o in OWNERS.values())
                if ANY_SQL.search(text) and not owns and rel not in READERS:
                    problems.append(f"{rel}: reads the database but is neither an owner nor a listed reader")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
