#!/usr/bin/env python3
"""Writes the sign-in flow HAR fixtures: tests/fixtures/flow-har-<case>/input.txt (a
Chrome-shaped HAR) and secrets.txt (the secret values in it, one a line: codes, verifiers,
refresh tokens, states, cookie values, none of which may appear in expected.json or in any
output; crate/tests/flow_har.rs checks).

Built from flows.md's exact strings (Okta's /token errors, okta-auth-js's parameters) and
okta.md's headers (X-Okta-Request-Id, X-Rate-Limit-*). PKCE challenges are computed here
(RFC 7636 S256). The fixtures are committed; run this again only to change them.
"""
import base64
import hashlib
import json
import os
import sys
from urllib.parse import urlencode, quote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import har_writer  # noqa: E402  (tests/har_writer.py: what the HAR fixture writers share)
from har_writer import APP, OKTA, T0, http_date, iso_ms  # noqa: E402

CALLBACK = APP + "/login/callback"
CLIENT = "0oa1b2c3d4e5f6g7h8i9"


def challenge(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class Har(har_writer.Har):
    """Times are epoch milliseconds."""

    def __init__(self):
        super().__init__("SEKRETFLOW")
        self.n = 0

    def okta_headers(self, at, extra=()):
        self.n += 1
        return [
            {"name": "date", "value": http_date(at / 1000)},
            {"name": "content-type", "value": "application/json"},
            {"name": "x-okta-request-id", "value": f"aFlowReq{self.n:02d}Xyz"},
            {"name": "cache-control", "value": "no-cache, no-store"},
            {"name": "pragma", "value": "no-cache"},
            *extra,
        ]

    def entry(self, at, method, url, status, req_headers=(), resp_headers=(), text=None,
              mime="application/json", post=None, initiator=None):
        e = har_writer.entry(iso_ms(at), method, url, status, time=80.0, wait=70, req_headers=req_headers,
                             resp_headers=resp_headers, text=text, mime=mime, form=post)
        if initiator:
            e["_initiator"] = {"type": "script", "url": initiator}
        self.entries.append(e)

    def authorize(self, at, state, verifier=None, status=302, location=None, server="/oauth2/default",
                  prompt=None, mode="query", host=OKTA, req_headers=(), text=None, mime=None):
        q = {"client_id": CLIENT, "redirect_uri": CALLBACK, "response_type": "code",
             "response_mode": mode, "scope": "openid profile email offline_access", "state": state,
             "nonce": self.secret("nonce")}
        if verifier:
            q["code_challenge"] = challenge(verifier)
            q["code_challenge_method"] = "S256"
        if prompt:
            q["prompt"] = prompt
        url = f"{host}{server}/v1/authorize?" + urlencode(q, quote_via=quote)
        resp = [{"name": "date", "value": http_date(at / 1000)},
                {"name": "x-okta-request-id", "value": f"aFlowAuthz{len(self.entries):02d}"}]
        if location:
            resp.append({"name": "location", "value": location})
            resp.append({"name": "referrer-policy", "value": "no-referrer"})
        if mime:
            resp.append({"name": "content-type", "value": mime})
        self.entry(at, "GET", url, status, req_headers=[
            {"name": "sec-fetch-dest", "value": "document"},
            {"name": "sec-fetch-mode", "value": "navigate"}, *req_headers], resp_headers=resp,
            text=text, mime=mime or "text/html")

    def callback(self, at, query):
        self.entry(at, "GET", CALLBACK + "?" + query, 200,
                   req_headers=[{"name": "sec-fetch-dest", "value": "document"}],
                   resp_headers=[{"name": "content-type", "value": "text/html"}],
                   text="<html><body>Signing in…</body></html>", mime="text/html")

    def token(self, at, form, status, body, host=OKTA, server="/oauth2/default"):
        self.entry(at, "POST", f"{host}{server}/v1/token", status,
                   req_headers=[{"name": "origin", "value": APP},
                                {"name": "content-type", "value": "application/x-www-form-urlencoded"},
                                {"name": "accept", "value": "application/json"}],
                   resp_headers=self.okta_headers(at, [
                       {"name": "x-rate-limit-limit", "value": "2000"},
                       {"name": "x-rate-limit-remaining", "value": "1990"},
                       {"name": "x-rate-limit-reset", "value": str(at // 1000 + 60)},
                       {"name": "access-control-allow-origin", "value": APP}]),
                   text=json.dumps(body, separators=(",", ":")), post=form, initiator=APP + "/")

    def tokens_ok(self, refresh=None):
        body = {"token_type": "Bearer", "expires_in": 3600, "access_token": self.secret("at"),
                "scope": "openid profile email offline_access", "id_token": self.secret("idt")}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def write(self, case, about, prefix="flow-har"):
        super().write(f"{prefix}-{case}", about)


def code_flow(h, t, verifier, state, code):
    h.authorize(t, state, verifier, location=f"{CALLBACK}?code={code}&state={state}")
    h.callback(t + 900, f"code={code}&state={state}")


def signed_in():
    """A HAR whose sign-in reached the app's callback at T0 (PKCE; its verifier, state and code
    seeded in that order): (the Har, the verifier, the code)."""
    h = Har()
    v, state, code = h.secret("verifier0123456789abcdefghijklmnopqrstuv"), h.secret("state"), h.secret("code")
    code_flow(h, T0 * 1000, v, state, code)
    return h, v, code


def code_grant(code, verifier=None):
    """The /token form of an authorization code grant, in okta-auth-js's order."""
    form = {"client_id": CLIENT, "redirect_uri": CALLBACK, "grant_type": "authorization_code"}
    if verifier is not None:
        form["code_verifier"] = verifier
    form["code"] = code
    return form


def pkce_mismatch():
    h, _, code = signed_in()
    other = h.secret("otherverifier0123456789abcdefghijklmnopq")
    h.token(T0 * 1000 + 1500, code_grant(code, other), 400,
            {"error": "invalid_grant", "error_description": "PKCE verification failed."})
    h.write("pkce-mismatch", "A verifier from another sign-in sent to /token: PKCE verification failed.")


def pkce_verifier_missing():
    h, _, code = signed_in()
    h.token(T0 * 1000 + 1500, code_grant(code), 400,
            {"error": "invalid_request", "error_description": "PKCE code verifier is required by the application."})
    h.write("pkce-verifier-missing", "/token without code_verifier after an /authorize with a code_challenge.")


def state_mismatch():
    h = Har()
    v, state = h.secret("verifier0123456789abcdefghijklmnopqrstuv"), h.secret("state")
    # The sign-in page (no redirect yet), then a callback carrying an older sign-in's state.
    h.authorize(T0 * 1000, state, v, status=200, mime="text/html", text="<html>Okta sign-in</html>")
    stale, code = h.secret("stalestate"), h.secret("code")
    h.callback(T0 * 1000 + 20000, f"code={code}&state={stale}")
    h.write("state-mismatch", "The callback carries a state no waiting /authorize sent.")


def code_reused():
    h, v, code = signed_in()
    form = code_grant(code, v)
    h.token(T0 * 1000 + 1500, form, 200, h.tokens_ok())
    h.token(T0 * 1000 + 1800, form, 400,
            {"error": "invalid_grant", "error_description": "The authorization code is invalid or has expired."})
    h.write("code-reused", "The callback handler ran twice: one code redeemed twice.")


def host_mismatch():
    h, v, code = signed_in()
    h.token(T0 * 1000 + 1500, code_grant(code, v), 400,
            {"error": "invalid_grant", "error_description": "The authorization code is invalid or has expired."},
            host="https://login.example.com")
    h.write("host-mismatch", "/authorize on the okta.com domain, /token on the custom domain.")


def issuer_mismatch():
    h, v, code = signed_in()
    h.token(T0 * 1000 + 1500, code_grant(code, v), 400,
            {"error": "invalid_grant", "error_description": "The grant was issued for another authorization server."},
            server="/oauth2")
    h.write("issuer-mismatch", "/authorize at the default custom server, /token at the org server.")


def callback_error():
    h = Har()
    state = h.secret("state")
    # The recording starts at the app's callback: Okta's redirect is not in it.
    h.callback(T0 * 1000, "error=access_denied&error_description="
               + quote("User is not assigned to the client application.") + f"&state={state}")
    h.write("callback-error", "A HAR that starts at the app's callback carrying error=access_denied.")


def silent_renew_no_session():
    h = Har()
    state = h.secret("state")
    h.authorize(T0 * 1000, state, h.secret("verifier0123456789abcdefghijklmnopqrstuv"), prompt="none", mode="fragment",
                location=f"{CALLBACK}#error=login_required&error_description="
                + quote("The client specified not to prompt, but the user is not logged in.") + f"&state={state}")
    h.write("silent-renew-no-session", "prompt=none answered login_required in the redirect's fragment.")


def third_party_cookies_blocked():
    h = Har()
    sid, dt = h.secret("sid"), h.secret("dt")
    state1, v1, code1 = h.secret("state"), h.secret("verifier0123456789abcdefghijklmnopqrstuv"), h.secret("code")
    # The top-level sign-in sent Okta's session cookie.
    h.authorize(T0 * 1000, state1, v1, location=f"{CALLBACK}?code={code1}&state={state1}",
                req_headers=[{"name": "cookie", "value": f"sid={sid}; DT={dt}"}])
    h.callback(T0 * 1000 + 800, f"code={code1}&state={state1}")
    # An hour later the hidden iframe's renewal sends none: the browser blocks third-party cookies.
    state2 = h.secret("state")
    page = ("<html><head><script>window.parent.postMessage({error:'login_required',"
            "error_description:'The client specified not to prompt, but the user is not logged in.',"
            f"state:'{state2}'}}, '{APP}');</script></head></html>")
    h.authorize(T0 * 1000 + 3_300_000, state2, h.secret("verifier0123456789abcdefghijklmnopqrstuv"), status=200,
                prompt="none", mode="okta_post_message", text=page, mime="text/html",
                req_headers=[{"name": "sec-fetch-dest", "value": "iframe"},
                             {"name": "referer", "value": APP + "/"}])
    # The generic request-dest header of authorize() says document; the iframe's comes second.
    last = h.entries[-1]["request"]["headers"]
    h.entries[-1]["request"]["headers"] = [x for x in last if x["value"] != "document"]
    h.write("third-party-cookies-blocked", "Silent renewal in a third-party iframe without Okta's sid.")


def refresh_token_reused():
    h = Har()
    rt, rt2 = h.secret("refresh"), h.secret("refresh")
    form = {"client_id": CLIENT, "grant_type": "refresh_token", "scope": "openid profile email offline_access",
            "refresh_token": rt}
    h.token(T0 * 1000, form, 200, h.tokens_ok(rt2))
    h.token(T0 * 1000 + 45000, form, 400,
            {"error": "invalid_grant", "error_description": "The refresh token is invalid or expired."})
    h.write("refresh-token-reused", "A rotated refresh token sent again 45 s later (past the 30 s grace).")


def renew_loop():
    h = Har()
    rt = h.secret("refresh")
    for i in range(10):
        nxt = h.secret("refresh")
        form = {"client_id": CLIENT, "grant_type": "refresh_token", "scope": "openid offline_access",
                "refresh_token": rt}
        h.token(T0 * 1000 + i * 2500, form, 200, h.tokens_ok(nxt))
        rt = nxt
    h.write("renew-loop", "Ten refreshes within 25 s, each with the rotated token.")


def redirect_uri_not_registered():
    h = Har()
    state = h.secret("state")
    # Okta's error page, not a redirect (RFC 6749 §4.1.2.1; flows.md §2.2's layout and text).
    unregistered = APP + "/unregistered-callback"
    page = ("<!DOCTYPE html><html><head><title>Bad Request</title></head><body>"
            "<h1>400</h1><h2>Bad Request</h2><p>Your request resulted in an error.</p>"
            "<p>Identity Provider: Unknown</p><p>Error Code: invalid_request</p>"
            "<p>Description: The 'redirect_uri' parameter must be a Login redirect URI in the client "
            f"app settings: https://dev-123456-admin.okta.com/admin/app/oidc_client/instance/{CLIENT}#tab-general</p>"
            "</body></html>")
    h.authorize(T0 * 1000, state, h.secret("verifier0123456789abcdefghijklmnopqrstuv"), status=400,
                text=page, mime="text/html")
    last = h.entries[-1]["request"]
    last["url"] = last["url"].replace(quote(CALLBACK, safe=""), quote(unregistered, safe=""))
    h.write("redirect-uri-not-registered",
            "/authorize refused with Okta's 400 page: the redirect_uri is not a Sign-in redirect URI of the app.")


def endpoint_not_cors_enabled():
    h = Har()
    sid = h.secret("sid")
    # A page's cookie call to an operation Okta's API doesn't mark CORS-enabled (flows.md §1.1):
    # Okta answers it without Access-Control-Allow-Origin, and Chromium fails it (its HAR's _error).
    at = T0 * 1000
    h.entry(at, "GET", OKTA + "/api/v1/groups?q=Engineering", 200,
            req_headers=[{"name": "accept", "value": "application/json"},
                         {"name": "origin", "value": APP},
                         {"name": "cookie", "value": f"sid={sid}"},
                         {"name": "sec-fetch-mode", "value": "cors"},
                         {"name": "sec-fetch-site", "value": "cross-site"}],
            resp_headers=h.okta_headers(at, [{"name": "vary", "value": "Accept-Encoding"}]),
            initiator=APP + "/")
    h.entries[-1]["_resourceType"] = "fetch"
    h.entries[-1]["_error"] = "net::ERR_FAILED"
    h.write("endpoint-not-cors-enabled",
            "GET /api/v1/groups with Okta's session cookie from a page: the endpoint has no CORS.",
            prefix="cors-har")


for make in [pkce_mismatch, pkce_verifier_missing, state_mismatch, code_reused, host_mismatch, issuer_mismatch,
             callback_error, silent_renew_no_session, third_party_cookies_blocked, refresh_token_reused, renew_loop,
             redirect_uri_not_registered, endpoint_not_cors_enabled]:
    make()
