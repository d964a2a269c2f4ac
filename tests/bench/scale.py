#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""scale.py - the scale benchmark behind scale.sh (issue 15): a real apptrackd in temporary XDG
directories holding N generated applications, timed as a user with a long history meets it.

    scale.py BUILD_DIR [SIZE...] [--sizes "1000 10000"] [--runs K] [--no-match] [--match-apps N] [--keep]

For each size: import (wall time, and the longest the socket did not answer meanwhile, from a
pinger.py pinging every 10 ms on its own connection), the longest stall in the 10 s after the
import (a stall that began then is followed to its end), `add` (median of 10, each started on an
idle daemon, then 10 back to back, with the longest stall beside them), `--json list --limit
100000` (the whole command, and the daemon's side: request written to reply line read),
`stats`, `upcoming`, restart (start to the first answer on the socket, VmRSS 3 s later), and
`apptrackctl ping` as a process beside `sqlite3 DB 'select 1'` and `true`. Then `match --all`
over a separate set of applications with job descriptions. Prints one Markdown table (rows:
what; columns: sizes; with --runs, the median of the runs and their range).

Only commands and methods that exist at commit be3c818 are used, so that an old build and a new
one can be measured side by side. The calendar feed listens nowhere (APPTRACK_CALENDAR_LISTEN=off)
but its file is written, as with the default configuration. Desktop notifications go to no
session bus (DBUS_SESSION_BUS_ADDRESS points nowhere) unless --notify is given."""
import argparse
import csv
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_MATCH = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "match"))


def log(msg):
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# --- generated applications -------------------------------------------------------------------

SYLLABLES = ["ac", "al", "an", "ar", "bel", "bri", "cor", "dyn", "el", "en", "fa", "gen", "hel", "ix", "jo",
             "ka", "lum", "mar", "nex", "no", "or", "pa", "quan", "ra", "sol", "ta", "tri", "ul", "va", "ver",
             "wa", "xo", "yo", "zen"]
SUFFIXES = ["", "", " Labs", " Inc", " GmbH", " Systems", " Health", " AI", " Software", " Group", " Bank"]
ROLES = ["Software Engineer", "Backend Engineer", "Frontend Engineer", "Full Stack Developer", "Data Engineer",
         "Data Scientist", "Machine Learning Engineer", "Site Reliability Engineer", "DevOps Engineer",
         "Platform Engineer", "Mobile Developer", "iOS Engineer", "Android Engineer", "QA Engineer",
         "Security Engineer", "Embedded Engineer", "Product Manager", "Engineering Manager", "Solutions Architect",
         "Developer Advocate"]
LEVELS = ["", "", "Junior ", "Senior ", "Senior ", "Staff ", "Lead ", "Principal "]
SOURCES = ["linkedin", "linkedin", "indeed", "referral", "company site", "greenhouse", "lever", "wellfound",
           "recruiter"]
CITIES = ["Berlin", "London", "Remote", "Remote", "New York, NY", "San Francisco, CA", "Amsterdam", "Paris",
          "Toronto", "Austin, TX", "Seattle, WA", "Dublin", "Zurich", "Lisbon", "Munich", "Boston, MA"]
NOTES = ["", "", "", "applied through the careers page", "recruiter reached out", "referred by a former colleague",
         "take-home due in a week", "salary range in the posting", "asked for a portfolio",
         "follow up after the holidays"]
# By age of the application: (days up to, [(status, weight)]). Old applications have mostly
# ended; recent ones are in flight, interview stages included.
STATUS_BY_AGE = [
    (14, [("applied", 70), ("saved", 4), ("screen", 8), ("assessment", 6), ("technical", 4), ("onsite", 2),
          ("rejected", 6)]),
    (60, [("applied", 35), ("screen", 10), ("assessment", 6), ("technical", 8), ("onsite", 6), ("final", 3),
          ("offer", 1), ("rejected", 23), ("ghosted", 8)]),
    # an interview stage here is one the user never moved on: it happens, and its reminders are due
    (10 ** 6, [("applied", 10), ("screen", 5), ("assessment", 3), ("technical", 5), ("onsite", 4), ("final", 2),
               ("offer", 1), ("accepted", 0.3), ("rejected", 43), ("ghosted", 24), ("withdrawn", 3)]),
]


def company_name(rng):
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return name.capitalize() + rng.choice(SUFFIXES)


def pick_status(rng, age):
    for limit, table in STATUS_BY_AGE:
        if age <= limit:
            return rng.choices([s for s, _ in table], [w for _, w in table])[0]
    raise AssertionError


def write_applications(path, n, seed, jds=None):
    """N applications, applied over the last ~18 months, statuses by age; with jds (a list of
    texts), each gets a job description made from one of them."""
    rng = random.Random(seed)
    today = datetime.date.today()
    companies = [company_name(rng) for _ in range(max(20, n // 8))]
    fields = ["company", "position", "status", "source", "location", "salary", "url", "applied_at", "notes"]
    if jds:
        fields.append("job_description")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(fields)
        for i in range(n):
            age = int(rng.triangular(0, 548, 0))  # more of them recent, as a search goes
            status = pick_status(rng, age)
            company = rng.choice(companies)
            position = rng.choice(LEVELS) + rng.choice(ROLES)
            salary = f"${rng.randrange(70, 200, 5)}k-{rng.randrange(200, 260, 5)}k" if rng.random() < 0.3 else ""
            url = f"https://jobs.example.com/{i}" if rng.random() < 0.5 else ""
            applied = "" if status == "saved" else (today - datetime.timedelta(days=age)).isoformat()
            note = rng.choice(NOTES)
            row = [company, position, status, rng.choice(SOURCES), rng.choice(CITIES), salary, url, applied, note]
            if jds:
                row.append(vary_jd(rng, jds[i % len(jds)], company, i))
            w.writerow(row)


SKILLS = ["Python", "Go", "Rust", "Kubernetes", "Terraform", "PostgreSQL", "Kafka", "React", "TypeScript", "AWS",
          "GCP", "Spark", "Airflow", "GraphQL", "gRPC", "Redis", "Docker", "Linux", "CI/CD", "Java", "Spring Boot",
          "microservices", "machine learning", "data pipelines", "observability", "stakeholder management"]


def vary_jd(rng, text, company, i):
    """One of the corpus's job descriptions with variations: lines dropped and moved, the
    company named, a paragraph of other skills added."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    kept = [ln for ln in lines if rng.random() > 0.12]
    for _ in range(3):
        a, b = rng.randrange(len(kept)), rng.randrange(len(kept))
        kept[a], kept[b] = kept[b], kept[a]
    extra = ", ".join(rng.sample(SKILLS, 6))
    return (f"{company} is hiring (ref {i}).\n" + "\n".join(kept) +
            f"\nNice to have: experience with {extra}.\n")


# --- the daemon and its socket ----------------------------------------------------------------

class Daemon:
    def __init__(self, build, root, notify):
        self.build, self.root = build, root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("APPTRACK_")}
        for d in ("config", "data", "run"):
            os.makedirs(os.path.join(root, d), mode=0o700, exist_ok=True)
            os.chmod(os.path.join(root, d), 0o700)
        self.env.update(XDG_CONFIG_HOME=os.path.join(root, "config"), XDG_DATA_HOME=os.path.join(root, "data"),
                        XDG_RUNTIME_DIR=os.path.join(root, "run"), APPTRACK_CALENDAR_LISTEN="off")
        if not notify:
            self.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(root, "no-bus")
        self.sock = os.path.join(root, "run", "apptrack", "control.sock")
        self.db = os.path.join(root, "data", "apptrack", "apptrack.db")
        self.feed = os.path.join(root, "data", "apptrack", "calendar.ics")
        self.proc = None
        self.logf = open(os.path.join(root, "daemon.log"), "ab")

    def start(self):
        """Starts apptrackd; returns milliseconds from the start to its first answer."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([os.path.join(self.build, "apptrackd"), "--foreground"], env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"apptrackd exited with {self.proc.returncode}: see {self.root}/daemon.log")
            try:
                self.ping()
                return (time.perf_counter() - t0) * 1000
            except OSError:
                time.sleep(0.002)
            if time.perf_counter() - t0 > 300:
                raise SystemExit("apptrackd did not answer within 300 s")

    def stop(self):
        if not self.proc:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def status(self, key):
        """VmRSS, VmHWM, ... of the daemon, in MB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def connect(self, timeout=900):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(self.sock)
        f = s.makefile("rb")
        f.readline()  # greeting
        return s, f

    def call_raw(self, method, params=None, timeout=900):
        """(milliseconds from the request written to the reply line read, reply bytes)."""
        s, f = self.connect(timeout)
        try:
            req = {"id": 1, "method": method}
            if params is not None:
                req["params"] = params
            data = json.dumps(req).encode() + b"\n"
            t0 = time.perf_counter()
            s.sendall(data)
            line = f.readline()  # a new connection: the first line is the reply
            ms = (time.perf_counter() - t0) * 1000
            if not line.endswith(b"\n"):
                raise OSError("connection closed")
            if b'"error"' in line[:200]:
                raise SystemExit(f"{method}: {line[:300]!r}")
            return ms, len(line)
        finally:
            f.close()
            s.close()

    def sql_count(self, query):
        """A number read from the database with sqlite3 (NaN when the schema has changed)."""
        p = subprocess.run(["sqlite3", self.db, query], env=self.env, capture_output=True, text=True)
        try:
            return int(p.stdout.strip())
        except ValueError:
            return float("nan")

    def ping(self, timeout=2):
        return self.call_raw("ping", timeout=timeout)[0]

    def wait_idle(self):
        """Until a ping is answered at once (the daemon's deferred work is done)."""
        t0 = time.perf_counter()
        while self.call_raw("ping")[0] > 20 and time.perf_counter() - t0 < 600:
            time.sleep(0.05)

    def ctl(self, *args, out=subprocess.DEVNULL):
        """(milliseconds of the whole apptrackctl command, its stdout or None)."""
        return run_timed([os.path.join(self.build, "apptrackctl"), *args], self.env, out)


def run_timed(argv, env, out=subprocess.DEVNULL):
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - t0) * 1000
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.decode(errors='replace')[:500]}")
    return ms, p.stdout


class Pinger:
    """pinger.py on its own connection, every 10 ms, until stopped; its trace gives the longest
    the socket did not answer within a span of time."""
    def __init__(self, daemon):
        self.trace = os.path.join(daemon.root, "pinger.trace")
        env = dict(os.environ, PINGER_TIMEOUT="900", PINGER_TRACE=self.trace)
        self.p = subprocess.Popen([sys.executable, os.path.join(HERE, "pinger.py"), daemon.sock, "100000", "10"],
                                  env=env, stdout=subprocess.DEVNULL)
        time.sleep(0.3)  # connected and pinging
        self.pings = None

    def stop(self):
        """Ends the run once the ping under way is answered."""
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(timeout=1000)
        with open(self.trace) as f:
            self.pings = [(float(a), float(b)) for a, b in (line.split() for line in f)]
        return self

    def stall(self, t0=0.0, t1=float("inf")):
        """{"max": the longest the socket did not answer between monotonic times t0 and t1, in
        ms (a ping's wait cut to the span), "n": pings that overlap the span}."""
        worst, n = float("nan"), 0
        for sent, rtt in self.pings:
            a, b = max(sent, t0), min(sent + rtt / 1000, t1)
            if b >= a:
                n += 1
                worst = max((b - a) * 1000, worst) if worst == worst else (b - a) * 1000
        return {"max": worst, "n": n}


# --- one size -----------------------------------------------------------------------------------

def fmt_ms(ms):
    if ms != ms:
        return "—"
    if ms >= 10000:
        return f"{ms / 1000:.1f} s"
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_bytes(n):
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KiB"
    return f"{n} B"


def measure_size(build, n, tmp, notify):
    root = os.path.join(tmp, f"n{n}")
    os.makedirs(root)
    csv_path = os.path.join(root, "apps.csv")
    write_applications(csv_path, n, seed=n)  # the same applications in every run and build
    d = Daemon(build, root, notify)
    r = {}
    try:
        d.start()
        d.wait_idle()
        log(f"{n}: importing {fmt_bytes(os.path.getsize(csv_path))} of CSV")
        p = Pinger(d)
        t0 = time.monotonic()
        r["import"], _ = d.ctl("import", csv_path)
        t1 = time.monotonic()
        log(f"{n}: import {fmt_ms(r['import'])}; pinging 10 s after it")
        time.sleep(10)
        p.stop()
        r["import_ping"], r["after_ping"] = p.stall(t0, t1)["max"], p.stall(t1)["max"]
        d.wait_idle()
        r["hwm"] = d.status("VmHWM")
        r["feed"] = os.path.getsize(d.feed) if os.path.exists(d.feed) else 0
        r["raised"] = d.sql_count("select count(*) from reminders where fired_at is not null")

        log(f"{n}: add x10 on an idle daemon, then x10 back to back")
        p = Pinger(d)
        adds = []
        for k in range(10):
            d.wait_idle()
            ms, _ = d.ctl("add", "--company", f"Bench Add {k}", "--position", "Engineer", "--source", "referral")
            adds.append(ms)
        d.wait_idle()
        t0 = time.monotonic()
        for k in range(10):
            d.ctl("add", "--company", f"Bench Burst {k}", "--position", "Engineer", "--source", "referral")
        r["add_burst"] = (time.monotonic() - t0) * 1000 / 10
        time.sleep(0.5)
        d.wait_idle()
        r["add"], r["add_ping"] = median(adds), p.stop().stall()["max"]

        log(f"{n}: list, stats, upcoming")
        r["list"] = median([d.ctl("--json", "list", "--limit", "100000")[0] for _ in range(3)])
        raw = [d.call_raw("applications.list", {"limit": 100000}) for _ in range(3)]
        r["list_daemon"], r["list_bytes"] = median([x[0] for x in raw]), raw[0][1]
        r["stats"] = median([d.ctl("stats")[0] for _ in range(5)])
        r["upcoming"] = median([d.ctl("upcoming")[0] for _ in range(5)])
        r["upcoming_bytes"] = len(d.ctl("--json", "upcoming", out=subprocess.PIPE)[1])

        log(f"{n}: restart x3")
        starts, rss = [], []
        for _ in range(3):
            d.stop()
            starts.append(d.start())
            time.sleep(3)
            d.wait_idle()
            rss.append(d.status("VmRSS"))
        r["start"], r["rss"] = median(starts), median(rss)

        log(f"{n}: ping, sqlite3, true x20")
        r["ping"] = median([d.ctl("ping")[0] for _ in range(20)])
        r["sqlite"] = median([run_timed(["sqlite3", d.db, "select 1"], d.env)[0] for _ in range(20)])
        r["true"] = median([run_timed(["true"], d.env)[0] for _ in range(20)])
    finally:
        d.stop()
    return r


def measure_match(build, n, tmp, notify):
    root = os.path.join(tmp, "match")
    os.makedirs(root)
    jds = [open(os.path.join(SHARED_MATCH, f), encoding="utf-8").read()
           for f in sorted(os.listdir(SHARED_MATCH)) if f.startswith("jd_")]
    csv_path = os.path.join(root, "apps.csv")
    write_applications(csv_path, n, seed=4242, jds=jds)
    d = Daemon(build, root, notify)
    try:
        d.start()
        d.ctl("import", csv_path)
        d.ctl("resume", "add", "john", os.path.join(SHARED_MATCH, "resume_john_doe.txt"))
        d.wait_idle()
        d.call_raw("match", {"all": True})  # warm
        whole = median([d.ctl("match", "--all")[0] for _ in range(3)])
        daemon = median([d.call_raw("match", {"all": True})[0] for _ in range(5)])
    finally:
        d.stop()
    return {"whole": whole, "daemon": daemon}


ROWS = [
    ("`import` (whole command)", "import", fmt_ms),
    ("slowest ping during the import", "import_ping", fmt_ms),
    ("slowest ping after it (10 s, a stall followed to its end)", "after_ping", fmt_ms),
    ("daemon peak memory (VmHWM) by then", "hwm", lambda v: f"{v:.0f} MB"),
    ("calendar feed file", "feed", fmt_bytes),
    ("reminders raised by then (the import's due ones)", "raised", lambda v: f"{v:,.0f}"),
    ("`add` (whole command, median of 10, each on an idle daemon)", "add", fmt_ms),
    ("10 `add`s back to back, per add", "add_burst", fmt_ms),
    ("slowest ping beside those 20 adds", "add_ping", fmt_ms),
    ("`--json list --limit 100000` (whole command)", "list", fmt_ms),
    ("the same, daemon side: request written to reply read", "list_daemon", fmt_ms),
    ("the same, reply size", "list_bytes", fmt_bytes),
    ("`stats` (whole command)", "stats", fmt_ms),
    ("`upcoming` (whole command)", "upcoming", fmt_ms),
    ("`upcoming --json` size", "upcoming_bytes", fmt_bytes),
    ("apptrackd start to first answer (median of 3)", "start", fmt_ms),
    ("VmRSS idle, 3 s after start", "rss", lambda v: f"{v:.0f} MB"),
    ("`apptrackctl ping` (whole process, median of 20)", "ping", fmt_ms),
    ("`sqlite3 DB 'select 1'` (reference)", "sqlite", fmt_ms),
    ("`true` (reference)", "true", fmt_ms),
]


def cell(runs, key, fmt):
    """The median of the runs, and their range when there are several."""
    vals = sorted(r[key] for r in runs if r[key] == r[key])
    if not vals:
        return "—"
    if len(vals) == 1:
        return fmt(vals[0])
    lo, mid, hi = fmt(vals[0]), fmt(statistics.median(vals)), fmt(vals[-1])
    return mid if lo == hi else f"{mid} ({lo}–{hi})"


def table(sizes, res, match, match_n):
    lines = ["| what | " + " | ".join(f"{n:,}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for what, key, fmt in ROWS:
        lines.append(f"| {what} | " + " | ".join(cell(res[n], key, fmt) for n in sizes) + " |")
    if match:
        lines.append(f"| `match --all`, {match_n:,} applications with job descriptions: whole command "
                     f"| {cell(match, 'whole', fmt_ms)} |" + " |" * (len(sizes) - 1))
        lines.append(f"| the same, daemon side | {cell(match, 'daemon', fmt_ms)} |" + " |" * (len(sizes) - 1))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build")
    ap.add_argument("sizes", nargs="*", type=int)
    ap.add_argument("--sizes", dest="sizes_opt", help="sizes separated by spaces or commas")
    ap.add_argument("--runs", type=int, default=1, help="repeat the sizes; cells give the median and the range")
    ap.add_argument("--match-apps", type=int, default=1000)
    ap.add_argument("--no-match", action="store_true")
    ap.add_argument("--notify", action="store_true", help="let the daemon reach the session bus")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    sizes = a.sizes or [1000, 10000, 100000]
    if a.sizes_opt:
        sizes = [int(x) for x in re.split(r"[ ,]+", a.sizes_opt.strip())]
    build = os.path.abspath(a.build)
    for exe in ("apptrackd", "apptrackctl"):
        if not os.access(os.path.join(build, exe), os.X_OK):
            raise SystemExit(f"{build}/{exe}: not found (build first)")
    if not shutil.which("sqlite3"):
        raise SystemExit("needs sqlite3")
    tmp = tempfile.mkdtemp(prefix="apptrack-scale.")
    try:
        version = subprocess.run([os.path.join(build, "apptrackd"), "--version"], capture_output=True,
                                 text=True).stdout.strip()
        res, match = {n: [] for n in sizes}, []
        for run in range(a.runs):
            if a.runs > 1:
                log(f"run {run + 1} of {a.runs}")
            for n in sizes:
                res[n].append(measure_size(build, n, os.path.join(tmp, f"run{run}"), a.notify))
            if not a.no_match and a.match_apps > 0:
                if os.path.isdir(SHARED_MATCH):
                    log(f"match --all over {a.match_apps} applications")
                    match.append(measure_match(build, a.match_apps, os.path.join(tmp, f"run{run}"), a.notify))
                else:
                    log(f"{SHARED_MATCH}: not found, match --all left out")
            if not a.keep:
                shutil.rmtree(os.path.join(tmp, f"run{run}"), ignore_errors=True)
        print(f"\n{version}, {build}, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}\n")
        print(table(sizes, res, match, a.match_apps))
    finally:
        if a.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
