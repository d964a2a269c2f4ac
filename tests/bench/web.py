#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""web.py - the web page's benchmark behind web.sh (issue 17, point 5): what the board and the list
cost at 10,000 applications.

    web.py [--before BUILD] BUILD [--sizes "10000"] [--runs K] [--browser] [--no-api] [--keep]

(a) The API: for each build (BEFORE, e.g. HEAD before issue 17 built in /tmp, and BUILD), a real
apptrackd in temporary XDG directories imports scale.py's generated applications (the same rows for
every build), and the methods the pages call are timed over the control socket, request written to
reply line read, the median of K calls after one warm-up: `applications.list` with `limit` 50 (the
list page), the board (`applications.board` with 20 cards per column, as the page asks; a build without it shows
—), and `applications.list` of every row (what the summaries' new fields cost at scale).

(b) With --browser, "from request to a rendered page" in headless chromium (selenium, chromedriver),
BUILD only: apptrackd listens on APPTRACK_WEB_LISTEN (a free port on 127.0.0.1), `apptrackctl web`
gives the login link, the browser follows it once (the session cookie), then loads /#/board and
/#/list K times each, every time as a new document from about:blank. The time is the page's own
mark: the page sets document.documentElement.dataset.rendered (or document.body.dataset.rendered)
to performance.now() when a route has finished rendering, which counts from the navigation's start;
the navigation timing's responseEnd is printed beside it. A page that never sets the mark within
10 s is reported as not measured, with the reason.

Prints one Markdown table per part on stdout, progress on stderr. Needs python3 and sqlite3; the
browser part needs python3-selenium, chromium and chromium-driver (Debian's python3 at
/usr/bin/python3 has selenium; web.sh uses it)."""
import argparse
import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scale  # noqa: E402  (the generator and the daemon in temporary directories)

RENDER_TIMEOUT_S = 10
ROUTES = ("#/board", "#/list")


def log(msg):
    print(f"[web {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def has_method(d, method):
    """Whether the daemon knows method (an old build answers unknown_method)."""
    s, f = d.connect(30)
    try:
        s.sendall(b'{"id":1,"method":"' + method.encode() + b'","params":{"limit":0}}\n')
        return b"unknown_method" not in f.readline()
    finally:
        f.close()
        s.close()


def timed(d, method, params, runs):
    """(median ms, reply bytes) of runs calls after one warm-up."""
    d.call_raw(method, params)
    times, size = [], 0
    for _ in range(runs):
        ms, size = d.call_raw(method, params)
        times.append(ms)
    return scale.median(times), size


def start_daemon(build, root, n, web_port=None):
    os.makedirs(root)
    csv_path = os.path.join(root, "apps.csv")
    scale.write_applications(csv_path, n, seed=n)  # the rows scale.py generates for this size
    d = scale.Daemon(build, root, notify=False)
    d.env["APPTRACK_WEB_LISTEN"] = f"127.0.0.1:{web_port}" if web_port else "off"
    d.start()
    d.wait_idle()
    log(f"{build}: importing {n} applications")
    ms, _ = d.ctl("import", csv_path)
    log(f"{build}: import {scale.fmt_ms(ms)}; waiting for the daemon to be idle")
    time.sleep(2)
    d.wait_idle()
    return d


def measure_api(label, build, n, tmp, runs):
    d = start_daemon(build, os.path.join(tmp, f"api-{label}-{n}"), n)
    r = {}
    try:
        r["list50"] = timed(d, "applications.list", {"limit": 50}, runs)
        r["board"] = timed(d, "applications.board", {"limit": 20}, runs) if has_method(d, "applications.board") \
            else (float("nan"), 0)
        r["listall"] = timed(d, "applications.list", {"limit": 100000}, max(3, runs // 3))
    finally:
        d.stop()
    return r


def api_table(sizes, builds, res):
    rows = [("`applications.list` `limit` 50 (the list page)", "list50"),
            ("`applications.board` `limit` 20 (the board page)", "board"),
            ("`applications.list` of every row", "listall")]
    head = "| what | " + " | ".join(f"{label}, {n:,}" for n in sizes for label, _ in builds) + " |"
    out = [head, "|---|" + "---|" * (len(sizes) * len(builds))]
    for title, key in rows:
        cells = []
        for n in sizes:
            for label, _ in builds:
                ms, size = res[(label, n)][key]
                cells.append(f"{scale.fmt_ms(ms)} ({scale.fmt_bytes(size)})" if ms == ms else "—")
        out.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(out)


# --- (b) the browser ------------------------------------------------------------------------------

MARK_JS = ("var d = document.documentElement.dataset.rendered || (document.body && document.body.dataset.rendered);"
           "var t = performance.getEntriesByType('navigation')[0];"
           "return d ? [Number(d), t ? t.responseEnd : null, t ? t.domContentLoadedEventEnd : null] : null;")


def browser(tmpdir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", f"--user-data-dir={tmpdir}", "--disable-extensions",
                "--no-first-run", "--disable-background-networking"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=opts)


def measure_browser(build, n, tmp, runs):
    port = free_port()
    root = os.path.join(tmp, f"browser-{n}")
    d = start_daemon(build, root, n, web_port=port)
    res = {}
    drv = None
    try:
        try:
            _, out = d.ctl("web", out=subprocess.PIPE)
        except SystemExit as e:  # run_timed()'s way of saying the command failed
            return {"error": f"`apptrackctl web` failed: {e}"}
        url = (out or b"").decode().strip()
        m = re.search(r"https?://\S+", url)
        if not m:
            return {"error": f"`apptrackctl web` gave no URL ({url!r}): is the web server built and listening?"}
        url = m.group(0)
        base = url.split("/login")[0]
        drv = browser(os.path.join(root, "chromium"))
        drv.set_page_load_timeout(RENDER_TIMEOUT_S)
        drv.get(url)  # the login link: sets the session cookie, 303 to the board
        for route in ROUTES:
            marks = []
            for i in range(runs + 1):  # the first is a warm-up (the browser's cache, the daemon's pages)
                drv.get("about:blank")
                t0 = time.perf_counter()
                drv.get(f"{base}/{route}")
                got = None
                while time.perf_counter() - t0 < RENDER_TIMEOUT_S:
                    got = drv.execute_script(MARK_JS)
                    if got:
                        break
                    time.sleep(0.005)
                if not got:
                    try:
                        errors = [e.get("message") for e in drv.get_log("browser")][:3]
                    except Exception:  # a driver without the log
                        errors = []
                    return {"error": f"{route}: no rendered mark within {RENDER_TIMEOUT_S} s "
                                     f"(document.documentElement.dataset.rendered); console: {errors}"}
                # a page that rendered an error (the alert shown, nothing in main) is no
                # rendered page: a broken script once measured fast here
                broken = drv.execute_script(
                    "var a = document.getElementById('alert'), m = document.getElementById('main');"
                    "return a && !a.hidden ? a.textContent : (m && m.querySelector('.card, tr, li') ? null : 'nothing shown');")
                if broken:
                    return {"error": f"{route}: rendered, but broken: {broken[:200]}"}
                if i:
                    marks.append(got)
            res[route] = {"rendered": scale.median([m[0] for m in marks]),
                          "response": scale.median([m[1] for m in marks if m[1] is not None]),
                          "dcl": scale.median([m[2] for m in marks if m[2] is not None]),
                          "min": min(m[0] for m in marks), "max": max(m[0] for m in marks)}
        return res
    except Exception as e:  # selenium's, or the page's: reported, not raised
        return {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
    finally:
        if drv:
            drv.quit()
        d.stop()


def browser_table(n, res):
    if "error" in res:
        return f"not measured at {n:,}: {res['error']}"
    out = [f"| route at {n:,} applications | navigation start to rendered (median) | range | "
           "responseEnd | DOMContentLoaded |", "|---|---|---|---|---|"]
    for route in ROUTES:
        r = res[route]
        out.append(f"| `{route}` | {scale.fmt_ms(r['rendered'])} | {scale.fmt_ms(r['min'])}–{scale.fmt_ms(r['max'])}"
                   f" | {scale.fmt_ms(r['response'])} | {scale.fmt_ms(r['dcl'])} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build")
    ap.add_argument("--before", help="a build to measure beside BUILD (the API part only)")
    ap.add_argument("--sizes", default="10000", help="sizes separated by spaces or commas")
    ap.add_argument("--runs", type=int, default=15, help="calls (page loads) per measurement; the median")
    ap.add_argument("--browser", action="store_true", help="also measure the pages in headless chromium")
    ap.add_argument("--no-api", action="store_true", help="leave the API part out")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    sizes = [int(x) for x in re.split(r"[ ,]+", a.sizes.strip())]
    builds = ([("before", os.path.abspath(a.before))] if a.before else []) + [("after", os.path.abspath(a.build))]
    for _, build in builds:
        for exe in ("apptrackd", "apptrackctl"):
            if not os.access(os.path.join(build, exe), os.X_OK):
                raise SystemExit(f"{build}/{exe}: not found (build first)")
    if not shutil.which("sqlite3"):
        raise SystemExit("needs sqlite3")
    tmp = tempfile.mkdtemp(prefix="apptrack-web.")
    try:
        print(f"\n{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
              f"load {os.getloadavg()[0]:.1f}; " + ", ".join(f"{label}: {b}" for label, b in builds) + "\n")
        if not a.no_api:
            res = {}
            for n in sizes:
                for label, build in builds:
                    res[(label, n)] = measure_api(label, build, n, tmp, a.runs)
            print(api_table(sizes, builds, res) + "\n")
        if a.browser:
            for n in sizes:
                print(browser_table(n, measure_browser(builds[-1][1], n, tmp, a.runs)) + "\n")
    finally:
        if a.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
