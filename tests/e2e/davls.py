#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""davls.py URL USER PASSWORD - lists a CalDAV collection as the server holds it: one line
per resource, "NAME DTSTART SUMMARY", sorted, read back with PROPFIND Depth 1 and GET (the
test's view of the server, independent of apptrackd's code)."""
import base64, re, sys, urllib.parse, urllib.request
import xml.etree.ElementTree as ET

url, user, password = sys.argv[1:4]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
req = urllib.request.Request(url, method="PROPFIND", headers={"Depth": "1", "Authorization": auth},
                             data=b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>')
tree = ET.fromstring(urllib.request.urlopen(req, timeout=10).read())
lines = []
for resp in tree.findall("{DAV:}response"):
    href = resp.find("{DAV:}href").text
    if href.endswith("/"):
        continue
    full = urllib.parse.urljoin(url, href)
    body = urllib.request.urlopen(urllib.request.Request(full, headers={"Authorization": auth}), timeout=10).read().decode()
    start = re.search(r"^DTSTART[^:]*:(\S+)", body, re.M)
    summary = re.search(r"^SUMMARY:(.*)$", body, re.M)
    lines.append(f"{href.rsplit('/', 1)[1]} {start.group(1) if start else '-'} {summary.group(1).strip() if summary else '-'}")
print("\n".join(sorted(lines)))
