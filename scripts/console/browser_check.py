"""Drives the moderator console in headless Chromium (Selenium): enrolment with a TOTP second
factor, sign-in, the queue, taking the next case by keyboard, a note with markup shown as text,
deciding by keyboard, a form without its CSRF token refused, and no reporter id on any page.
Saves a screenshot of every page it visits into SHOTS.

Then: the creator's statement of reasons exists (API), the creator appeals (API), an appeals
moderator grants the appeal in the console, a privacy officer unseals a report with a reason and
the audit page lists the unseal, a moderator without the role is refused, and a session left idle
past its timeout (the server runs with a short one) is sent to sign in.

The subject's media is served from MEDIA_DIR on MEDIA_PORT, as a platform's CDN would: it must load
(the page's policy allows the media host), greyscale and blurred until the moderator reveals it.
Every page is checked with axe-core (WCAG 2.1 A and AA: labels, contrast, names, structure), and on
the queue and case pages every control must be reachable with the Tab key.

    browser_check.py BASE_URL ENROL_PATH API_KEY SHOTS APPEALS_ENROL_PATH OFFICER_ENROL_PATH MEDIA_DIR MEDIA_PORT IDLE_SECONDS ADMIN_ENROL_PATH
"""
import functools
import http.server
import importlib.resources
import threading
import base64
import json
import sys
import time
import urllib.error
import urllib.request

import pyotp
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

base, enrol_path, api_key, shots, appeals_enrol, officer_enrol, media_dir, media_port, idle_seconds, admin_enrol = sys.argv[1:11]
MEDIA_URL = f"http://127.0.0.1:{media_port}/q0003.jpg"
REPORTERS = ["console-check-reporter-5f1e", "console-check-reporter-a9c2", "console-check-reporter-03bd"]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def api(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else {}


# The platform's media host: a plain file server.
class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


media_server = http.server.ThreadingHTTPServer(("127.0.0.1", int(media_port)), functools.partial(QuietHandler, directory=media_dir))
threading.Thread(target=media_server.serve_forever, daemon=True).start()

# A subject with media, reported by three people, one note carrying markup.
api("PUT", "/v1/subjects/console-clip", {"kind": "video", "creator_id": "console-creator", "title": "Skate clip <b>bold?</b>",
                                         "reach": {"views": 50000, "live_viewers": 0}, "media": {"url": MEDIA_URL, "type": "image"}})
report_ids = []
for index, reporter in enumerate(REPORTERS):
    note = "<script>alert('x')</script> at 0:14" if index == 0 else None
    body = {"reporter_id": reporter, "subject_id": "console-clip", "reason": "child_safety"}
    if note:
        body["note"] = note
    report_ids.append(api("POST", "/v1/reports", body)["report_id"])

options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 10)
pages = {}


def sign_out():
    driver.find_element(By.CSS_SELECTOR, "header form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "name")))


def enrol_and_sign_in(path, name, password):
    """Enrols through a link (with the second factor when the form asks for it) and signs in."""
    driver.get(base + path)
    secret = driver.find_element(By.ID, "totp-secret").text.strip()
    totp = pyotp.TOTP(base64.b32encode(secret.encode()).decode().rstrip("="))
    required = driver.find_element(By.ID, "code").get_attribute("required") is not None
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "confirmation").send_keys(password)
    if required:
        driver.find_element(By.ID, "code").send_keys(totp.now())
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "Your password is set" in d.page_source or d.find_elements(By.CSS_SELECTOR, ".error"))
    check("Your password is set" in driver.page_source, f"{name} enrolled")
    driver.get(base + "/console/signin")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    if required:
        time.sleep(max(0.0, 30.5 - time.time() % 30))
        driver.find_element(By.ID, "code").send_keys(totp.now())
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "header .who")))


AXE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def accessible(name):
    """axe-core's WCAG 2.1 A and AA rules on the page as it stands; every violation is a failure."""
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(done, e => done({error: String(e)}));")
    if "error" in result:
        check(False, f"axe ran on the {name} page: {result['error']}")
        return
    for violation in result["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
        print(f"     {violation['id']}: {violation['help']} at {targets}")
    check(not result["violations"], f"axe: no WCAG 2.1 AA violation on the {name} page ({len(result['passes'])} rules passed)")


def reachable_by_keyboard(name):
    """Tabs through the page: every visible link, button and form control must take the focus."""
    controls = driver.execute_script(
        "return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]"
        ".filter(e => e.offsetParent !== null && !e.disabled);")
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    body = driver.find_element(By.TAG_NAME, "body")
    seen = []
    for _ in range(len(controls) + 40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        seen.append(driver.switch_to.active_element)
    missed = [c.get_attribute("outerHTML")[:80] for c in controls if c not in seen]
    # Radio buttons take the focus as a group: one of each name is enough.
    names = {}
    for c in controls:
        if c.get_attribute("type") == "radio":
            names.setdefault(c.get_attribute("name"), []).append(c)
    for group in names.values():
        if any(c in seen for c in group):
            missed = [m for m in missed if not any(m == c.get_attribute("outerHTML")[:80] for c in group)]
    for m in missed:
        print("     not reached:", m)
    check(controls and not missed, f"every control on the {name} page is reachable with Tab ({len(controls)} controls)")
    body.send_keys(Keys.ESCAPE)


def shot(name):
    driver.save_screenshot(f"{shots}/{name}.png")
    pages[name] = driver.page_source
    accessible(name)


try:
    # Enrolment: password and the second factor, confirmed by a code computed from the shown secret.
    driver.get(base + enrol_path)
    shot("enrol")
    secret = driver.find_element(By.ID, "totp-secret").text.strip()
    totp = pyotp.TOTP(base64.b32encode(secret.encode()).decode().rstrip("="))
    driver.find_element(By.ID, "password").send_keys("browser check password")
    driver.find_element(By.ID, "confirmation").send_keys("browser check password")
    driver.find_element(By.ID, "code").send_keys(totp.now())
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "Your password is set" in d.page_source or d.find_elements(By.CSS_SELECTOR, ".error"))
    check("Your password is set" in driver.page_source, "enrolment with a second factor")
    shot("enrolled")

    # Sign-in needs a later code than the one enrolment used.
    time.sleep(max(0.0, 30.5 - time.time() % 30))
    driver.get(base + "/console/signin")
    shot("signin")
    driver.find_element(By.ID, "name").send_keys("console-check")
    driver.find_element(By.ID, "password").send_keys("browser check password")
    driver.find_element(By.ID, "code").send_keys(totp.now())
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "queue-rows")))
    check(driver.current_url.rstrip("/").endswith("/console"), "signed in with the code: the queue")
    check("child_safety" in driver.page_source and "urgent" in driver.page_source, "the queue lists the urgent case")
    shot("queue")
    reachable_by_keyboard("queue")
    cookie = driver.get_cookie("vigil_console")
    check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "session cookie HttpOnly, SameSite=Strict")

    # A state-changing request without the CSRF token is refused.
    request = urllib.request.Request(base + "/console/next", method="POST", data=b"",
                                     headers={"Cookie": "vigil_console=" + cookie["value"], "Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request)
        check(False, "POST without the CSRF token refused")
    except urllib.error.HTTPError as error:
        check(error.code == 403, "POST without the CSRF token refused (403)")

    # Take the next case by keyboard.
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    wait.until(EC.presence_of_element_located((By.ID, "decision")))
    check("/console/cases/case_" in driver.current_url, "j takes the most urgent case")
    notes = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "td.note")]
    check(any("<script>alert('x')</script> at 0:14" in note for note in notes), "a note with markup shows as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main script")) == 0, "no script element from the note")
    media = driver.find_element(By.ID, "subject-media")
    wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0;", media))
    check(True, "the media loads from the platform's host (the page's policy allows it)")
    hidden_filter = driver.execute_script("return getComputedStyle(arguments[0]).filter;", media)
    check("grayscale(1)" in hidden_filter and "blur(16px)" in hidden_filter, f"the media is greyscale and blurred until revealed ({hidden_filter})")
    shot("case")
    reachable_by_keyboard("case")
    driver.find_element(By.TAG_NAME, "body").send_keys("m")
    shown_filter = driver.execute_script("return getComputedStyle(arguments[0]).filter;", media)
    check(shown_filter == "none", f"m reveals the media ({shown_filter})")
    driver.save_screenshot(f"{shots}/case-media-revealed.png")
    driver.find_element(By.TAG_NAME, "body").send_keys("m")
    check("blur" in driver.execute_script("return getComputedStyle(arguments[0]).filter;", media), "m blurs it again")
    driver.find_element(By.TAG_NAME, "body").send_keys("?")
    check(driver.find_element(By.ID, "shortcuts").is_displayed(), "? shows the shortcuts")
    shot("shortcuts")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)

    # Decide by keyboard: v, then Ctrl+Enter.
    driver.find_element(By.TAG_NAME, "body").send_keys("v")
    check(driver.find_element(By.ID, "o-violation").is_selected(), "v chooses violation")
    driver.find_element(By.ID, "note").send_keys("Seen at 0:14; matches the policy.")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    try:
        wait.until(lambda d: "done=" in d.current_url)
    except Exception:
        shot("decision-failed")
        print(driver.current_url, driver.find_element(By.TAG_NAME, "main").text[:500])
        raise
    check("done=case_" in driver.current_url, "Ctrl+Enter decides")
    shot("after-decision")

    # The moderator's own blur strength.
    driver.get(base + "/console/preferences")
    driver.find_element(By.ID, "blur-3").click()
    driver.find_element(By.CSS_SELECTOR, "form[action='/console/preferences'] button[type=submit]").click()
    wait.until(lambda d: "saved=1" in d.current_url)
    check(driver.find_element(By.ID, "blur-3").is_selected(), "the moderator chooses a strong blur")
    shot("preferences")

    # The dashboard draws its charts.
    driver.get(base + "/console/dashboard?period=24h")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.wide-chart rect")) > 0, "the dashboard draws the report chart")
    check("Confirmed removals: 1" in driver.page_source, "the dashboard counts the removal")
    shot("dashboard")

    # A moderator without the role is refused the unseal page.
    driver.get(base + "/console/unseal")
    check("Role not allowed" in driver.page_source, "a moderator may not open the unseal page")
    shot("unseal-refused")
    sign_out()

    # The creator's statement of reasons exists; the creator appeals.
    notices = api("GET", "/v1/creators/console-creator/notices")["notices"]
    decision_id = next((n["decision_id"] for n in notices if n.get("decision_id")), None)
    check(decision_id is not None, "the creator's statement of reasons exists (API)")
    appeal = api("POST", "/v1/appeals", {"decision_id": decision_id, "creator_id": "console-creator", "statement": "It is a <em>skate</em> clip."})
    appeal_id = appeal["appeal_id"]

    # An appeals moderator grants it in the console.
    enrol_and_sign_in(appeals_enrol, "console-appeals", "appeals moderator password")
    driver.get(base + "/console/appeals")
    check(appeal_id in driver.page_source, "the appeal is in the appeals queue")
    shot("appeals")
    driver.get(base + f"/console/appeals/{appeal_id}")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/claim'] button").click()
    wait.until(EC.presence_of_element_located((By.ID, "a-granted")))
    shot("appeal")
    driver.find_element(By.ID, "a-granted").click()
    driver.find_element(By.ID, "appeal-note").send_keys("Skateboarding is not a violation.")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/decision'] button").click()
    wait.until(lambda d: "This appeal is decided" in d.page_source)
    check(api("GET", "/v1/subjects/console-clip").get("state") == "visible", "the granted appeal reinstated the clip")
    shot("appeal-decided")
    sign_out()

    # The admin desk: moderators, keys, versions in force.
    enrol_and_sign_in(admin_enrol, "console-admin", "admin desk password")
    driver.get(base + "/console/admin")
    check("console-officer" in driver.page_source and "privacy_officer" in driver.page_source, "the admin desk lists the moderators")
    shot("admin")
    reachable_by_keyboard("admin")
    sign_out()

    # A privacy officer unseals one report, with a reason and a legal reference.
    enrol_and_sign_in(officer_enrol, "console-officer", "privacy officer password")
    driver.get(base + "/console/unseal")
    driver.find_element(By.ID, "report_id").send_keys(report_ids[1])
    driver.find_element(By.ID, "reason").send_keys("Court order in a harassment case")
    driver.find_element(By.ID, "legal_reference").send_keys("AG Köln 12 C 34/26")
    driver.find_element(By.CSS_SELECTOR, "form[action='/console/unseal'] button").click()
    wait.until(EC.presence_of_element_located((By.ID, "revealed-reporter")))
    check(driver.find_element(By.ID, "revealed-reporter").text == REPORTERS[1], "the unseal shows the reporter's id once")
    driver.save_screenshot(f"{shots}/unseal-revealed.png")
    driver.get(base + "/console/audit?type=reporter.unsealed")
    check("AG Köln 12 C 34/26" in driver.page_source and report_ids[1] in driver.page_source, "the audit page lists the unseal")
    shot("audit")
    driver.get(base + "/console/unseal")
    shot("unseal")

    # Left idle past the timeout, the session ends: the next page is the sign-in form.
    time.sleep(float(idle_seconds) + 2)
    driver.get(base + "/console/audit")
    check("/console/signin" in driver.current_url and driver.find_elements(By.ID, "name") and "Your session has ended" in driver.page_source,
          "a session idle past its timeout is sent to sign in, told why")
    shot("idle-signed-out")

    for name, html in pages.items():
        for reporter in REPORTERS:
            check(reporter not in html, f"no reporter id on the {name} page")
finally:
    driver.quit()
    media_server.shutdown()

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
