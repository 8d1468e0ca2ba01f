#!/usr/bin/env python3
"""Writes the SAML sign-in HAR fixtures: tests/fixtures/flow-har-saml-<case>/input.txt (a
Chrome-shaped HAR) and secrets.txt (the seeded secrets in it: signature values, attribute
values, the base64 Response as the form carried it, RelayState; none may appear in any output,
crate/tests/flow_har.rs and crate/tests/saml_har.rs check), and the SAML-tracer export
tests/fixtures/saml-tracer-sp-initiated/input.txt (see its README).

Okta-shaped messages (flows.md section 8): the AuthnRequest by HTTP-Redirect to
/app/{name}/{externalKey}/sso/saml, Okta's auto-post page, the Response (Issuer
http://www.okta.com/{externalKey}, signed Response and Assertion, bearer SubjectConfirmation,
Conditions five minutes either side of IssueInstant) posted to the app's ACS. Each case changes
the one thing its name says. Run from anywhere: python3 tests/saml/har.py; then
UPDATE_GOLDEN=1 cargo test -p okta-medic --test golden.
"""
import base64, html, json, os, sys, zlib
from urllib.parse import quote, urlencode

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import har_writer  # noqa: E402  (tests/har_writer.py: what the HAR fixture writers share)
from har_writer import APP, FIXTURES, OKTA, T0, http_date, iso  # noqa: E402

SSO = OKTA + "/app/dev-123456_exampleapp_1/exk1abcdEFGH5678x697/sso/saml"
ACS = APP + "/saml/acs"
SP = APP + "/saml/metadata"


class Har(har_writer.Har):
    """Times are epoch seconds; every request is a top-level navigation."""

    def __init__(self, case):
        super().__init__("SEKRETSAML", case.replace("-", ""))
        self.case = case

    def entry(self, t, method, url, status, resp_headers=(), text=None, mime="text/html", params=None,
              req_headers=()):
        self.entries.append(har_writer.entry(
            iso(t), method, url, status, time=90.0, wait=80,
            req_headers=[{"name": "sec-fetch-dest", "value": "document"},
                         {"name": "sec-fetch-mode", "value": "navigate"}, *req_headers],
            resp_headers=[{"name": "date", "value": http_date(t)}, *resp_headers],
            text=text, mime=mime, form=params, form_params=True))

    def okta(self, n):
        return [{"name": "x-okta-request-id", "value": f"aSamlReq{len(self.entries):02d}{n}"},
                {"name": "content-type", "value": "text/html;charset=utf-8"}]

    def authn_request(self, t, rid, status=302, text=None):
        xml = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{rid}" Version="2.0" '
               f'IssueInstant="{iso(t)}" Destination="{SSO}" AssertionConsumerServiceURL="{ACS}" '
               'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
               f'<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{SP}</saml:Issuer>'
               '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>'
               '</samlp:AuthnRequest>')
        raw = zlib.compress(xml.encode())[2:-4]  # raw DEFLATE (Bindings section 3.4.4.1)
        relay = self.secret("relay")
        url = SSO + "?" + urlencode({"SAMLRequest": base64.b64encode(raw).decode(), "RelayState": relay},
                                    quote_via=quote)
        headers = self.okta("authn")
        if status == 302:
            headers = headers + [{"name": "location", "value": OKTA + "/login/login.htm?fromURI=%2Fapp%2Fx%2Fsso%2Fsaml"}]
        self.entry(t, "GET", url, status, headers, text=text)
        return relay

    def sign_in(self, t):
        self.entry(t, "POST", OKTA + "/idp/idx/identify", 200,
                   self.okta("idx") + [{"name": "content-type", "value": "application/json"}],
                   text='{"version":"1.0.0","success":{"name":"success-redirect","href":"' + SSO + '"}}',
                   mime="application/ion+json")

    def response_xml(self, t, irt, audience=SP, dest=ACS):
        sig = lambda n: ('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
                         '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
                         f'</ds:SignedInfo><ds:SignatureValue>{self.secret("sig" + n)}</ds:SignatureValue></ds:Signature>')
        irt_attr = f' InResponseTo="{irt}"' if irt else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><saml2p:Response Destination="{dest}" ID="id77SamlResp{self.case.replace("-", "")}"'
            f'{irt_attr} IssueInstant="{iso(t)}" Version="2.0" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">'
            'http://www.okta.com/exk1abcdEFGH5678x697</saml2:Issuer>' + sig("r") +
            '<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>'
            f'<saml2:Assertion ID="id78Assertion" IssueInstant="{iso(t)}" Version="2.0" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">'
            '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.com/exk1abcdEFGH5678x697</saml2:Issuer>'
            + sig("a") +
            '<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml2:NameID>'
            '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml2:SubjectConfirmationData{irt_attr} NotOnOrAfter="{iso(t + 300)}" Recipient="{dest}"/>'
            '</saml2:SubjectConfirmation></saml2:Subject>'
            f'<saml2:Conditions NotBefore="{iso(t - 300)}" NotOnOrAfter="{iso(t + 300)}"><saml2:AudienceRestriction>'
            f'<saml2:Audience>{audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>'
            f'<saml2:AuthnStatement AuthnInstant="{iso(t - 1)}" SessionIndex="id79Session"><saml2:AuthnContext>'
            '<saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>'
            '</saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>'
            f'<saml2:Attribute Name="groups"><saml2:AttributeValue>{self.secret("attrgroups")}</saml2:AttributeValue></saml2:Attribute>'
            f'<saml2:Attribute Name="department"><saml2:AttributeValue>{self.secret("attrdept")}</saml2:AttributeValue></saml2:Attribute>'
            '</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>')

    def response(self, t, irt, relay, audience=SP, dest=ACS, posted_to=ACS, status=302):
        """Okta's auto-post page (its form carries the Response), then the browser's POST to the ACS."""
        b64 = base64.b64encode(self.response_xml(t, irt, audience, dest).encode()).decode()
        self.secrets.append(b64)
        self.secrets.append(b64[:60])
        page = (f'<html><body onload="document.forms[0].submit()"><form method="POST" action="{html.escape(dest)}">'
                f'<input type="hidden" name="SAMLResponse" value="{b64}"/>'
                + (f'<input type="hidden" name="RelayState" value="{relay}"/>' if relay else "")
                + '</form></body></html>')
        self.entry(t, "GET", SSO, 200, self.okta("post"), text=page)
        params = [("SAMLResponse", b64)] + ([("RelayState", relay)] if relay else [])
        resp = [{"name": "location", "value": APP + "/home"}] if status == 302 else []
        self.entry(t + 1, "POST", posted_to, status, resp, text="" if status == 302 else "<html>SAML login failed</html>",
                   params=params, req_headers=[{"name": "origin", "value": OKTA}])

    def write(self, about):
        super().write(f"flow-har-saml-{self.case}", about)


def sp_initiated():
    h = Har("sp-initiated")
    relay = h.authn_request(T0, "id-req-sp1")
    h.sign_in(T0 + 5)
    h.response(T0 + 6, "id-req-sp1", relay)
    h.write("SP-initiated SAML sign-in that works: AuthnRequest, Okta sign-in, Response posted to the ACS, 302 home.")


def idp_initiated():
    h = Har("idp-initiated")
    h.response(T0, None, None)
    h.write("IdP-initiated SAML sign-in from the Okta dashboard tile: no AuthnRequest, no InResponseTo.")


def audience_mismatch():
    h = Har("audience-mismatch")
    relay = h.authn_request(T0, "id-req-aud1")
    h.response(T0 + 4, "id-req-aud1", relay, audience="https://app.example.com/sp", status=403)
    h.write("The Okta app's Audience URI is not the entity id the SP sends as its Issuer: the app answers 403.")


def destination_mismatch():
    h = Har("destination-mismatch")
    relay = h.authn_request(T0, "id-req-dst1")
    h.response(T0 + 4, "id-req-dst1", relay, dest=APP + "/sso/saml", posted_to=ACS, status=403)
    h.write("The Okta app's Single sign-on URL is not the ACS the form posts to: Destination and Recipient differ.")


def in_response_to_mismatch():
    h = Har("in-response-to-mismatch")
    relay = h.authn_request(T0, "id-req-new2")
    h.response(T0 + 4, "id-req-old1", relay, status=403)
    h.write("The Response answers an AuthnRequest this tab never sent (an older sign-in's).")


def okta_error_page():
    h = Har("okta-error-page")
    page = ('<!DOCTYPE html><html><head><title>Example App - Not Assigned</title></head><body><div class="content">'
            '<h1>403</h1><h2>App Not Assigned</h2><p>Sorry, you cannot access Example App because you are not '
            'assigned this app in Okta.</p><p>If you&#39;re wondering why this is happening, please contact your '
            'administrator.</p></div></body></html>')
    h.authn_request(T0, "id-req-na1", status=403, text=page)
    h.write("The user isn't assigned to the Okta app: Okta answers the AuthnRequest with its 403 page.")


def tracer_export():
    """The sp-initiated sign-in as SAML-tracer's exportRequests writes it (profile 1, no filtering):
    JSON.stringify of each SAMLTrace.Request plus responseStatus/responseStatusText/responseHeaders,
    then {requests, timestamp}, indented two spaces (SAMLTraceIO.serialize)."""
    h = Har("tracer")
    relay = h.authn_request(T0, "id-req-tr1")
    h.response(T0 + 6, "id-req-tr1", relay)
    requests = []
    for i, e in enumerate(h.entries):
        r, s = e["request"], e["response"]
        req = {"method": r["method"], "url": r["url"], "requestId": f"request-{41 + i}-{r['method']}-"
               + base64.b64encode(r["url"][:24].encode()).decode().rstrip("="),
               "requestHeaders": r["headers"]}
        if r["method"] == "GET":
            from urllib.parse import urlsplit, parse_qsl
            req["get"] = [list(p) for p in parse_qsl(urlsplit(r["url"]).query)]
        if "postData" in r:
            req["postData"] = {p["name"]: [p["value"]] for p in r["postData"]["params"]}
            req["post"] = [[p["name"], p["value"]] for p in r["postData"]["params"]]
        names = [p[0] for p in req.get("get", []) + req.get("post", [])]
        if "SAMLRequest" in names or "SAMLResponse" in names:
            req["protocol"] = "SAML-P"
            if "SAMLResponse" in names:
                req["saml"] = base64.b64decode(dict(req["post"])["SAMLResponse"]).decode()
            else:
                b = base64.b64decode(dict(req["get"])["SAMLRequest"])
                req["saml"] = zlib.decompress(b, -15).decode()
        req["responseStatus"] = s["status"]
        req["responseStatusText"] = {200: "HTTP/1.1 200", 302: "HTTP/1.1 302"}.get(s["status"], "")
        req["responseHeaders"] = s["headers"]
        requests.append(req)
    d = os.path.join(FIXTURES, "saml-tracer-sp-initiated")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "input.txt"), "w") as f:
        f.write(json.dumps({"requests": requests, "timestamp": iso(T0 + 30, 123)}, indent=2) + "\n")
    har_writer.write_secrets(d, h.secrets)


for make in [sp_initiated, idp_initiated, audience_mismatch, destination_mismatch, in_response_to_mismatch,
             okta_error_page, tracer_export]:
    make()
