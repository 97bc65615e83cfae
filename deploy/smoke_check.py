"""The HTTP half of deploy/smoke.sh: pages, a registration and a background job via nginx.

Usage: python deploy/smoke_check.py http://127.0.0.1:PORT  (standard library only)
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
EVENT = "encuentro-regional-cocreacion-local"
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def call(path, data=None, headers=None, method=None):
    request = urllib.request.Request(BASE + path, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check(label, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + label + ("" if condition else f": {detail}"))
    if not condition:
        sys.exit(1)


def csrf() -> str:
    return next(c.value for c in jar if c.name == "csrftoken")


def form_token(body: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()


status, headers, body = call("/health/")
check(
    "GET /health/ 200 JSON", status == 200 and set(json.loads(body).values()) == {"OK"}, body[:300]
)

status, headers, body = call("/")
check("GET / 200 through nginx", status == 200 and headers.get("Server", "").startswith("nginx"))
check("Content-Security-Policy", "script-src 'self'" in headers.get("Content-Security-Policy", ""))
css = re.search(rb'href="(/static/cocrea/cocrea[^"]*\.css)"', body).group(1).decode()
status, headers, _ = call(css)
check(
    f"GET {css} from nginx, cached",
    status == 200 and "immutable" in headers.get("Cache-Control", ""),
    (status, headers),
)
status, _, _ = call("/media/anything")
check("GET /media/… refused by nginx", status == 404)

person = {
    "name": "Prueba de humo",
    "email": f"humo-{int(time.time())}@example.org",
    "organization": "Smoke",
    "sector": "academia",
    "entity_code": "17",
    "accept_privacy_notice": True,
}
status, _, body = call(
    f"/api/v1/events/{EVENT}/registrations",
    data=json.dumps(person).encode(),
    headers={"Content-Type": "application/json"},
)
check("POST registration 201", status == 201, body[:300])

status, _, body = call("/admin/login/")
data = urllib.parse.urlencode(
    {
        "username": "admin",
        "password": "cocrea-demo",
        "csrfmiddlewaretoken": form_token(body),
        "next": "/admin/",
    }
).encode()
status, headers, body = call(
    "/admin/login/", data=data, headers={"Referer": BASE + "/admin/login/"}
)
check("admin log-in", status == 302, body[:300])

status, _, body = call("/admin/plans/milestone/exportar/")
entity = re.search(rb'<option value="(\d+)"', body).group(1).decode()
data = urllib.parse.urlencode({"entity": entity, "csrfmiddlewaretoken": form_token(body)}).encode()
status, headers, _ = call("/admin/plans/milestone/exportar/", data=data)
check("start a background export", status == 302, status)
job = headers["Location"]
deadline = time.monotonic() + 90
while True:
    status, _, body = call(job, headers={"HX-Request": "true"})
    if b"Terminado" in body or b"Fallido" in body or time.monotonic() > deadline:
        break
    time.sleep(0.5)
check("the worker finished the job", b"Terminado" in body, body[:300])
status, _, body = call(job + "descargar/")
check("download its CSV", status == 200 and body.startswith(b"id,"), body[:100])
print("smoke: all checks passed")
