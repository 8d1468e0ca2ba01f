"""What the HAR fixture writers share (tests/flows/make.py, tests/saml/har.py, tests/secrets/make.py):
the Okta org and app the fixtures are about, the time they start at, the dates a HAR and Okta's
headers write, one Chrome-shaped HAR entry, and how a fixture folder is written (input.txt, the
HAR as DevTools exports it; secrets.txt, the seeded secrets in it, one a line, none of which may
appear in any output). The writers import it by path:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import har_writer
"""
import datetime
import email.utils
import json
import os
from urllib.parse import urlencode

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
OKTA = "https://dev-123456.okta.com"
APP = "https://app.example.com"
T0 = 1795773600  # 2026-11-27T10:00:00Z

# Chrome's DevTools writes this creator in every HAR it exports.
CREATOR = {"name": "WebInspector", "version": "537.36"}


def iso(s, ms=0):
    """A HAR's (and SAML's) time: `s` epoch seconds and `ms` milliseconds, UTC, milliseconds shown."""
    return datetime.datetime.fromtimestamp(s, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ms):03d}Z"


def iso_ms(ms):
    """`iso` of a time in epoch milliseconds."""
    return iso(ms // 1000, ms % 1000)


def http_date(s):
    """An HTTP `Date` header (RFC 9110 section 5.6.7) of `s` epoch seconds."""
    return email.utils.formatdate(s, usegmt=True)


def entry(started, method, url, status, *, time, wait, req_headers=(), resp_headers=(), text=None, mime,
          form=None, form_params=False):
    """One HAR entry as Chrome exports it (no cookies or query listed, sizes unknown): `started`
    (an `iso` string), `time` and the `wait` timing in milliseconds; `text` the response body;
    `form` a posted form (a dict or name/value pairs), listed in `params` too if `form_params`."""
    e = {
        "startedDateTime": started,
        "time": time,
        "request": {"method": method, "url": url, "httpVersion": "http/2.0",
                    "headers": list(req_headers), "queryString": [], "cookies": [],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                     "headers": list(resp_headers), "cookies": [],
                     "content": {"size": len(text or ""), "mimeType": mime},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0.1, "wait": wait, "receive": 1},
    }
    if text is not None:
        e["response"]["content"]["text"] = text
    if form is not None:
        body = urlencode(form)
        e["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": body}
        if form_params:
            e["request"]["postData"]["params"] = [{"name": n, "value": v} for n, v in form]
        e["request"]["bodySize"] = len(body)
    return e


def log(entries, comment=None, pages=()):
    """A HAR's `log`: `comment` says what the fixture is (left out when None)."""
    out = {"version": "1.2", "creator": dict(CREATOR)}
    if comment is not None:
        out["comment"] = comment
    out["pages"] = list(pages)
    out["entries"] = entries
    return out


def write_json(path, value):
    """`value` as the fixtures hold JSON: indented one space, non-ASCII kept, a closing newline."""
    with open(path, "w") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
        f.write("\n")


def write_secrets(folder, secrets):
    """secrets.txt: the seeded secrets, one a line."""
    with open(os.path.join(folder, "secrets.txt"), "w") as f:
        f.write("\n".join(secrets) + "\n")


class Har:
    """A fixture's HAR being written: its entries and the secrets seeded in them."""

    def __init__(self, marker, tail=""):
        self.marker = marker
        self.tail = tail
        self.entries = []
        self.secrets = []

    def secret(self, name):
        """A new seeded secret: the writer's marker, `name`, a serial number, its tail, `zq`."""
        v = f"{self.marker}{name}{len(self.secrets) + 1:02d}{self.tail}zq"
        self.secrets.append(v)
        return v

    def write(self, case, about):
        """tests/fixtures/`case`/: input.txt (the HAR, commented `about`) and secrets.txt."""
        d = os.path.join(FIXTURES, case)
        os.makedirs(d, exist_ok=True)
        write_json(os.path.join(d, "input.txt"), {"log": log(self.entries, about)})
        write_secrets(d, self.secrets)
