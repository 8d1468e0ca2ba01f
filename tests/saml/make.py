#!/usr/bin/env python3
"""Writes the constructed SAML golden fixtures (tests/fixtures/saml-*/input.txt, now.txt).

Each is an Okta-shaped message (flows.md section 8: saml2p:Response with Issuer
http://www.okta.com/{externalKey}, signatures on Response and Assertion, a bearer
SubjectConfirmation, Conditions of five minutes either side of IssueInstant) changed in the
one way its name says. Attribute values and signature values are seeded secrets: no report
may carry them (crate/tests/saml.rs). The real Okta-issued fixtures are copied, byte for
byte, by hand; each has a README naming its source. Run from the repository root:
python3 tests/saml/make.py; then UPDATE_GOLDEN=1 cargo test -p okta-medic --test golden.
"""
import base64, os, urllib.parse, zlib

ROOT = os.path.join(os.path.dirname(__file__), "..", "fixtures")
NOW = 1750000000  # 2025-06-15T15:06:40Z
SIG = ('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
       '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
       '</ds:SignedInfo><ds:SignatureValue>SEEDEDSIGNATUREVALUEc2VjcmV0{n}</ds:SignatureValue>'
       '</ds:Signature>')


def response(status="Success", sub=None, message=None, signed=True, nb="2025-06-15T15:01:40.000Z",
             noa="2025-06-15T15:11:40.000Z", assertion=True):
    code = f'<saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{status}"'
    code += (f'><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{sub}"/></saml2p:StatusCode>'
             if sub else "/>")
    msg = f"<saml2p:StatusMessage>{message}</saml2p:StatusMessage>" if message else ""
    body = ""
    if assertion:
        body = (
            '<saml2:Assertion ID="id2" IssueInstant="2025-06-15T15:06:40.000Z" Version="2.0" '
            'xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">'
            '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.com/exk1abcdEFGH5678x697</saml2:Issuer>'
            + (SIG.format(n="2") if signed else "") +
            '<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml2:NameID>'
            '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml2:SubjectConfirmationData InResponseTo="id-req-1" NotOnOrAfter="{noa}" Recipient="https://app.example.com/saml/acs"/>'
            '</saml2:SubjectConfirmation></saml2:Subject>'
            f'<saml2:Conditions NotBefore="{nb}" NotOnOrAfter="{noa}"><saml2:AudienceRestriction>'
            '<saml2:Audience>https://app.example.com/saml/metadata</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>'
            '<saml2:AuthnStatement AuthnInstant="2025-06-15T15:06:39.000Z" SessionIndex="id-session-1"><saml2:AuthnContext>'
            '<saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>'
            '</saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>'
            '<saml2:Attribute Name="groups"><saml2:AttributeValue>SEEDED-ATTR-VALUE-admins</saml2:AttributeValue></saml2:Attribute>'
            '<saml2:Attribute Name="department"><saml2:AttributeValue>SEEDED-ATTR-VALUE-finance</saml2:AttributeValue></saml2:Attribute>'
            '</saml2:AttributeStatement></saml2:Assertion>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?><saml2p:Response Destination="https://app.example.com/saml/acs" '
        'ID="id1" InResponseTo="id-req-1" IssueInstant="2025-06-15T15:06:40.000Z" Version="2.0" '
        'xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" '
        'xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1abcdEFGH5678x697</saml2:Issuer>'
        + (SIG.format(n="1") if signed else "") +
        f'<saml2p:Status>{code}{msg}</saml2p:Status>{body}</saml2p:Response>')


def b64(xml, wrap=False):
    s = base64.b64encode(xml.encode()).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) if wrap else s


def deflated(xml):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(xml.encode()) + c.flush()).decode()


REQUEST = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
           'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="id-req-1" Version="2.0" '
           'IssueInstant="2025-06-15T15:06:30Z" Destination="https://dev-1.okta.com/app/dev-1_app_1/exk1abcdEFGH5678x697/sso/saml" '
           'ForceAuthn="true" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
           'AssertionConsumerServiceURL="https://app.example.com/saml/acs">'
           '<saml:Issuer>https://app.example.com/saml/metadata</saml:Issuer>'
           '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>'
           '</samlp:AuthnRequest>')

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10}">\n' for i in range(1, 10))
          + ']>\n<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol9;</samlp:Response>\n')

XXE = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Issuer '
       'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer></samlp:Response>\n')

FIXTURES = {
    # The whole form body the browser POSTs to the ACS, base64 wrapped as Okta's form holds it.
    "saml-response-form-post": ("SAMLResponse=" + urllib.parse.quote(b64(response()), safe="")
                                + "&RelayState=%2Fdashboard\n", NOW),
    "saml-response-expired": (b64(response(), wrap=True) + "\n", NOW + 3600),
    "saml-response-not-yet-valid": (b64(response()) + "\n", NOW - 900),
    "saml-response-status-error": (b64(response(status="Requester", sub="InvalidNameIDPolicy",
                                                 message="Name ID format mismatch", assertion=False)) + "\n", NOW),
    "saml-response-unsigned": (response(signed=False) + "\n", NOW),
    "saml-malformed-billion-laughs": (LAUGHS, NOW),
    "saml-malformed-external-entity": (XXE, NOW),
    # 10,000 nested elements: stopped at the reader's depth limit (100).
    "saml-malformed-deep-nesting": ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
                                    + "<a>" * 10000 + "</a>" * 10000 + "</samlp:Response>\n", NOW),
    # A 20 MB Response deflated to a few kilobytes (HTTP-Redirect): the inflate stops at 1 MiB.
    "saml-malformed-inflate-bomb": ("SAMLRequest=" + urllib.parse.quote(deflated(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><x>' + "a" * (20 * 1024 * 1024)
        + "</x></samlp:Response>"), safe="") + "\n", NOW),
    "saml-malformed-truncated": ("SAMLResponse=" + b64(response())[:600] + "\n", NOW),
    "saml-request-redirect": ("https://dev-1.okta.com/app/dev-1_app_1/exk1abcdEFGH5678x697/sso/saml?SAMLRequest="
                              + urllib.parse.quote(deflated(REQUEST), safe="") + "&RelayState=token-xyz\n", NOW),
}

for name, (text, now) in FIXTURES.items():
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "input.txt"), "w") as f:
        f.write(text)
    if now != NOW:
        with open(os.path.join(d, "now.txt"), "w") as f:
            f.write(f"{now}\n")
