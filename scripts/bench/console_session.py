"""Enrols the benchmark moderator through its console link, signs in, and prints the session cookie's value."""
import http.client
import sys
import urllib.parse

host, port, enrol_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
password = "benchmark console password"
conn = http.client.HTTPConnection(host, port)
form = {"Content-Type": "application/x-www-form-urlencoded"}
conn.request("POST", enrol_path, body=urllib.parse.urlencode({"password": password, "confirmation": password}), headers=form)
r = conn.getresponse(); r.read()
if r.status != 200:
    sys.exit(f"enrolment failed: {r.status}")
conn.request("POST", "/console/signin", body=urllib.parse.urlencode({"name": "bench", "password": password}), headers=form)
r = conn.getresponse(); r.read()
cookie = r.getheader("Set-Cookie") or ""
if r.status != 303 or not cookie.startswith("vigil_console="):
    sys.exit(f"sign-in failed: {r.status}")
print(cookie.split(";")[0].split("=", 1)[1])
