#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""web_browser.py - drives apptrack's web page in headless chromium (selenium) for
test_web_browser.sh: the board, moves by drag and drop and by keyboard, a note, a review
entry applied, a live update, keyboard-only use of the board, accessible names, console
errors, screenshots. Prints "ok - ..." / "FAIL: ..." lines; exits 1 when a check failed.

Usage: web_browser.py LOGIN_URL SCREENSHOT_DIR  (APPTRACKCTL names apptrackctl)
"""
import json
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

LOGIN, SHOTS = sys.argv[1], sys.argv[2]
CTL = os.environ["APPTRACKCTL"]
failures = 0


def ok(what, cond, detail=""):
    global failures
    if cond:
        print(f"ok - {what}", flush=True)
    else:
        failures += 1
        print(f"FAIL: {what} {detail}", flush=True)


def ctl(*args):
    return subprocess.run([CTL, *args], capture_output=True, text=True, timeout=20)


def show(app_id):
    return json.loads(ctl("--json", "show", str(app_id)).stdout)


def wait(cond, timeout=8):
    # a live update may replace an element between finding it and reading it: try again
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=[StaleElementReferenceException]).until(cond)


def rendered():
    """Waits for the current route to finish rendering; returns the marker."""
    return wait(lambda d: d.execute_script(
        "const e = document.documentElement.dataset; return !e.pending && e.rendered"))


def go(hash_):
    driver.execute_script("""delete document.documentElement.dataset.rendered;
        if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = arguments[0];""", hash_)
    rendered()


def card(app_id):
    return driver.find_element(By.CSS_SELECTOR, f'.card[data-id="{app_id}"]')


def card_status(app_id):
    return driver.execute_script(
        "const c = document.querySelector(`.card[data-id='${arguments[0]}']`); return c && c.dataset.status", str(app_id))


def press(*keys):
    """Sends keys to the focused element; a live update may have replaced it just before."""
    for _ in range(5):
        try:
            driver.switch_to.active_element.send_keys(*keys)
            return
        except StaleElementReferenceException:
            time.sleep(0.05)
    raise StaleElementReferenceException("the focused element kept changing")


def focused(attr):
    return driver.execute_script("return document.activeElement && document.activeElement.getAttribute(arguments[0])", attr)


def expect_update():
    """Before a change: the next wait_updated() waits for the refresh its event brings."""
    global updates_before
    updates_before = int(driver.execute_script("return document.documentElement.dataset.updates || '0'"))


def wait_updated():
    """Waits until the event of a change has been taken in (the view refreshed) and no other waits."""
    wait(lambda d: int(d.execute_script("return document.documentElement.dataset.updates || '0'")) > updates_before
         and not d.execute_script("return document.documentElement.dataset.pending"))


def check_page(route):
    """Accessible names of the controls shown, one h1 and headings in order, landmarks."""
    go(route)
    unnamed = []
    for el in driver.find_elements(By.CSS_SELECTOR, "button, input, select, textarea, a[href], summary, [tabindex='0']"):
        # what a closed <details> or a closed dialog holds is not shown, nor named
        if driver.execute_script("return !!arguments[0].closest('details:not([open]) > :not(summary), dialog:not([open])')", el):
            continue
        if not (el.accessible_name or "").strip():
            unnamed.append(el.get_attribute("outerHTML")[:100])
    ok(f"{route}: every control has an accessible name", not unnamed, "; ".join(unnamed[:5]))
    levels = driver.execute_script(
        "return [...document.querySelectorAll('main h1, main h2, main h3')].map(h => +h.tagName[1])")
    ok(f"{route}: one h1, headings in order", levels and levels[0] == 1 and levels.count(1) == 1 and
       all(b - a <= 1 for a, b in zip(levels, levels[1:])), str(levels))
    ok(f"{route}: landmarks", driver.execute_script(
        "return !!document.querySelector('header') && !!document.querySelector('nav') && !!document.querySelector('main')"))


def confirm_move():
    dialog = wait(EC.visibility_of_element_located((By.ID, "move-dialog")))
    return dialog


opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
          "--no-first-run", "--disable-extensions", "--disable-background-networking"):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver") if hasattr(webdriver, "ChromeService") \
    else webdriver.chrome.service.Service("/usr/bin/chromedriver")
driver = webdriver.Chrome(service=service, options=opts)
driver.set_page_load_timeout(15)
driver.set_script_timeout(10)
driver.implicitly_wait(0)
t0 = time.monotonic()
try:
    os.makedirs(SHOTS, exist_ok=True)
    driver.set_window_size(1280, 900)

    # --- the board with the imported applications
    driver.get(LOGIN)
    rendered()
    ok("the login link leads to the board", driver.current_url.endswith("/") or "#/board" in driver.current_url, driver.current_url)
    cards = driver.find_elements(By.CSS_SELECTOR, ".card")
    ok("the board shows the imported applications", len(cards) >= 30, f"{len(cards)} cards")
    ok("a card shows its company and position", "Acme" in card(1).text and "Backend Engineer" in card(1).text, card(1).text)
    ok("a card shows days in stage", "in stage" in card(1).text, card(1).text)
    ok("a card shows its next reminder (Initech's interview)", "due" in card(3).text, card(3).text)
    ok("one column per status", len(driver.find_elements(By.CSS_SELECTOR, ".column")) == 12)
    more = driver.find_elements(By.CSS_SELECTOR, '.column[data-status="applied"] .more')
    ok("the applied column links to the rest in the list", more and "more" in more[0].text and
       "#/list?status=applied" in more[0].get_attribute("href"))
    driver.save_screenshot(os.path.join(SHOTS, "board-1280.png"))
    driver.set_window_size(390, 844)
    time.sleep(0.2)
    driver.save_screenshot(os.path.join(SHOTS, "board-390.png"))
    driver.set_window_size(1280, 900)

    expect_update()
    # --- drag and drop: Acme (1, screen) to technical. Chromium's WebDriver does not drive
    # HTML5 drag and drop, so the test sends the events a drag sends, with one DataTransfer.
    driver.execute_script("""
        const src = arguments[0], dst = arguments[1], dt = new DataTransfer();
        const fire = (el, type) => el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
        fire(src, 'dragstart'); fire(dst, 'dragenter'); fire(dst, 'dragover'); fire(dst, 'drop'); fire(src, 'dragend');
    """, card(1), driver.find_element(By.CSS_SELECTOR, '.column[data-status="technical"] .cards'))
    confirm_move()
    ok("the drop asks for the move with the target status chosen",
       Select(driver.find_element(By.ID, "move-status")).first_selected_option.get_attribute("value") == "technical")
    driver.find_element(By.ID, "move-note").send_keys("moved by dragging")
    driver.find_element(By.CSS_SELECTOR, '#move-form button[value="move"]').click()
    wait(lambda d: card_status(1) == "technical")
    wait_updated()
    a = show(1)
    ok("drag and drop: apptrackctl show says technical", a["status"] == "technical", a["status"])
    ok("drag and drop: the note is on the timeline", any(e.get("text") == "moved by dragging" for e in a["events"]),
       json.dumps(a["events"][-2:]))

    # --- keyboard alone: Tab reaches the cards, arrows move between them, m moves one
    go("#/board")
    driver.find_element(By.TAG_NAME, "body").click()
    driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = False
    for _ in range(40):
        press(Keys.TAB)
        if "card" in (focused("class") or "").split():
            reached = True
            break
    ok("Tab reaches the cards", reached)
    if reached:
        first = focused("data-id")
        press(Keys.ARROW_DOWN)
        ok("Arrow Down goes to the next card", focused("data-id") not in (None, first))
        # to the card of Globex (2), saved, with the keys alone: left to the first column, then down
        for _ in range(12):
            press(Keys.ARROW_LEFT)
        for _ in range(60):
            if focused("data-id") == "2":
                break
            press(Keys.ARROW_DOWN)
        ok("the arrow keys reach a card in another column", focused("data-id") == "2")
        expect_update()
        press("m")
        confirm_move()
        ok("m opens the move dialog with the status select focused", focused("id") == "move-status")
        press("app")  # the select's type-ahead
        ok("typing picks the status", Select(driver.find_element(By.ID, "move-status")).first_selected_option
           .get_attribute("value") == "applied")
        press(Keys.TAB)
        press("moved with the keyboard", Keys.TAB, Keys.ENTER)
        wait(lambda d: card_status(2) == "applied")
        wait_updated()
        ok("keyboard move: apptrackctl show says applied", show(2)["status"] == "applied")
        ok("the moved card keeps the focus", focused("data-id") == "2")
        expect_update()
        press(Keys.SHIFT, Keys.ARROW_RIGHT)
        confirm_move()
        press(Keys.TAB, Keys.ENTER)
        wait(lambda d: card_status(2) == "screen")
        wait_updated()
        ok("Shift+Arrow Right moves a card one column", show(2)["status"] == "screen")

    # --- live update: a change made with apptrackctl shows up without a reload
    go("#/board")
    driver.execute_script("window.__noReload = 1")
    r = ctl("status", "3", "offer")
    ok("apptrackctl status runs", r.returncode == 0, r.stderr)
    try:
        wait(lambda d: card_status(3) == "offer", 8)
        live = True
    except TimeoutException:
        live = False
    ok("a change made with apptrackctl appears on the open board", live)
    ok("... without a reload", driver.execute_script("return window.__noReload") == 1)

    # --- a note on the application page
    go("#/app/1")
    ok("the application page shows the company", "Acme" in driver.find_element(By.TAG_NAME, "h1").text)
    note = driver.find_element(By.CSS_SELECTOR, "#note-form textarea")
    note.send_keys("called back, next round on Monday")
    driver.find_element(By.CSS_SELECTOR, "#note-form button").click()
    wait(lambda d: "called back, next round" in d.find_element(By.CSS_SELECTOR, ".timeline").text)
    ok("the note is in apptrackctl show", any(e.get("text") == "called back, next round on Monday" for e in show(1)["events"]))
    ctl("note", "1", "written in the terminal")
    try:
        wait(lambda d: "written in the terminal" in d.find_element(By.CSS_SELECTOR, ".timeline").text)
        live = True
    except TimeoutException:
        live = False
    ok("a note added with apptrackctl appears on the open application page", live)

    # (before the review entry is applied: its mail, dated 2019, would make a stage last years)
    go("#/stats")
    ok("the statistics page draws SVG charts", len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4)
    ok("the funnel has a bar per stage", len(driver.find_elements(By.CSS_SELECTOR, "#st-funnel + svg rect")) >= 8)
    driver.save_screenshot(os.path.join(SHOTS, "stats-1280.png"))
    driver.set_window_size(390, 844)
    go("#/stats")  # the charts are drawn for the width they have
    driver.save_screenshot(os.path.join(SHOTS, "stats-390.png"))

    driver.set_window_size(1280, 900)

    # --- the review queue: apply the Quantcast entry to the Quantcast application
    check_page("#/review")
    entry = driver.find_element(By.CSS_SELECTOR, ".review-entry")
    ok("the review entry shows the message beside its reason", "Quantcast" in entry.text and
       driver.find_element(By.CSS_SELECTOR, ".reason").text != "")
    ok("the review entry shows the confidence", driver.find_elements(By.CSS_SELECTOR, ".verdict meter"))
    search = driver.find_element(By.CSS_SELECTOR, ".review-actions input[type=search]")
    search.clear()
    search.send_keys("Quantcast")
    wait(lambda d: "Quantcast" in Select(d.find_element(By.CSS_SELECTOR, ".review-actions select")).first_selected_option.text)
    before = len(show(101)["events"])
    driver.find_element(By.CSS_SELECTOR, ".review-actions button.primary").click()
    try:
        wait(lambda d: "The queue is empty" in d.find_element(By.ID, "main").text)
    except TimeoutException:
        print("# the page says: " + driver.find_element(By.ID, "alert").text)
    q = show(101)
    ok("review apply: the application got the mail's change", len(q["events"]) > before and q["status"] == "assessment",
       f'{q["status"]} {len(q["events"])}')
    ok("review apply: the queue is empty", json.loads(ctl("--json", "review", "list").stdout) == [])

    # --- an interview added on the upcoming page
    go("#/upcoming")
    form = driver.find_element(By.CSS_SELECTOR, "form.interview-form")
    driver.find_element(By.CSS_SELECTOR, "details.add > summary").click()
    pick = form.find_element(By.CSS_SELECTOR, "input[type=search]")
    pick.send_keys("Initech")
    wait(lambda d: "Initech" in Select(form.find_element(By.CSS_SELECTOR, "select")).first_selected_option.text)
    driver.execute_script("""const at = arguments[0].querySelector('input[name=at]');
        const d = new Date(Date.now() + 5 * 86400e3); d.setHours(14, 30, 0, 0);
        const p = (n) => String(n).padStart(2, '0');
        at.value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T14:30`;""", form)
    form.find_element(By.CSS_SELECTOR, "input[name=where]").send_keys("Room 4")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(lambda d: "Room 4" in d.find_element(By.ID, "main").text)
    ivs = [i for i in show(3)["interviews"] if i.get("location") == "Room 4"]
    ok("an interview added on the upcoming page is in apptrackctl show", len(ivs) == 1, json.dumps(show(3)["interviews"]))

    # --- every page: accessible names, headings in order, screenshots of the statistics
    for route in ("#/board", "#/list", "#/app/1", "#/review", "#/stats", "#/upcoming"):
        check_page(route)
    # --- no console errors (the API answered 2xx all along)
    logs = [l for l in driver.get_log("browser") if l["level"] == "SEVERE"]
    ok("no console errors", not logs, json.dumps(logs[:3]))

    # --- an error of the API is shown in the alert area (after the console check: a 404 is logged)
    go("#/app/999999")
    alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]")
    ok("an API error is shown in the alert area", alert.is_displayed() and "999999" in alert.text, alert.text)
finally:
    driver.quit()
print(f"# browser part: {time.monotonic() - t0:.1f} s", flush=True)
sys.exit(1 if failures else 0)
