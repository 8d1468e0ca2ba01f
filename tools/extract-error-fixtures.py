#!/usr/bin/env python3
"""Writes the sample payloads of okta.md §8.1, §8.2, §8.3 and §8.5 (Okta API errors, OAuth
errors, WWW-Authenticate challenges, Identity Engine responses) byte for byte into
tests/fixtures/error-sample-*/input.txt, one golden case per code block. Expectations are
then produced with `UPDATE_GOLDEN=1 cargo test --test golden` and reviewed like code.

Usage: python3 tools/extract-error-fixtures.py [path/to/okta.md]
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference", "okta.md")
OUT = os.path.join(ROOT, "tests", "fixtures")

# Heading (as in okta.md) → fixture name. A heading with several blocks gets -1, -2 … suffixes.
NAMES = {
    "429 E0000047 (rate limit)": "okta-429-e0000047-ajs",
    "401 E0000011 (invalid token)": "okta-401-e0000011-ajs",
    "404 E0000007 with runtime {0}": "okta-404-e0000007-session",
    "403 E0000014 with errorCauses": "okta-403-e0000014-old-password",
    "403 E0000080 (historic \"does meet\" typo)": "okta-403-e0000080-does-meet",
    "403 E0000068 (bad passcode)": "okta-403-e0000068-passcode",
    "403 E0000079 (authn state)": "okta-403-e0000079-authn-state",
    "500 E0000009": "okta-500-e0000009",
    "401 E0000004": "okta-401-e0000004-ajs",
    "401 E0000004 with HTTP status line (Classic Authn)": "okta-401-e0000004-authn-http",
    "429 E0000047 with rate-limit headers (Classic Authn)": "okta-429-e0000047-authn-http",
    "400 E0000001 — app sign-in not allowed": "okta-400-e0000001-sign-in-not-allowed",
    "E0000001 with field-level errorCauses": "okta-e0000001-login-exists",
    "E0000001 from policy simulation": "okta-e0000001-policy-simulation",
    "E0000001 with structured errorCauses (reason/location/locationType/domain)": "okta-e0000001-structured-causes",
    "System Log API E0000001 (UUID errorId, no errorLink)": "syslog-e0000001-until",
    "System Log API E0000053 (filter syntax)": "syslog-e0000053-filter",
    "System Log API E0000053 (since too old)": "syslog-e0000053-since",
    "System Log API E0000031": "syslog-e0000031",
    "System Log API E0000009 (timeout)": "syslog-e0000009-timeout",
    "System Log API E0000047 (minimal body)": "syslog-e0000047-minimal",
    "/token invalid_client (401)": "oauth-401-invalid-client-http",
    "/token use_dpop_nonce with dpop-nonce header": "oauth-400-use-dpop-nonce-http",
    "unauthorized_client (Configured grant types filled in)": "oauth-unauthorized-client",
    "access_denied — feature not enabled": "oauth-access-denied-feature",
    "invalid_grant — PKCE": "oauth-invalid-grant-pkce",
    "invalid_request — activation token": "oauth-invalid-request-activation-token",
    "/authorize error delivered in redirect": "redirect-invalid-scope-fragment",
    "error-userinfo-invalid-token": "www-auth-userinfo-invalid-token-ajs",
    "error-userinfo-insufficient-scope": "www-auth-userinfo-insufficient-scope-ajs",
    "/userinfo 401 and 403 (two separate doc blocks, shown together)": "www-auth-userinfo-docs",
    "429 tooManyRequests": "idx-429-too-many-requests",
    "idx.session.expired": "idx-session-expired",
    "errors.E0000150 (SMS limit)": "idx-e0000150-sms-limit",
    "bare E0000020 key": "idx-bare-e0000020",
    "security.access_denied": "idx-security-access-denied",
    "E0000010 (read-only/safe mode)": "idx-e0000010-safe-mode",
    "plain API error JSON from an IDX endpoint": "idx-plain-e0000047",
    "Field-level messages (subtree `remediation.value[0].value[0].form.value[0]`, re-serialised)": "idx-field-level-messages",
    "errors.E0000004 inside a full IDX response (top-level keys only, re-serialised; remediation omitted)": "idx-e0000004-full-response",
}
# The §8.3 heading above also holds the Management API missing-scope header as a second block.
SECOND = {"www-auth-userinfo-docs": ["www-auth-userinfo-docs", "www-auth-mgmt-missing-scope"]}

SECTIONS = ("### 8.1 ", "### 8.2 ", "### 8.3 ", "### 8.5 ")


def blocks(lines):
    """(heading, [block text]) for every #### heading inside the wanted §8 subsections."""
    out, heading, inside, wanted, buf = {}, None, False, False, []
    for line in lines:
        if line.startswith("### "):
            wanted = line.startswith(SECTIONS)
            heading = None
            continue
        if not wanted:
            continue
        if line.startswith("#### "):
            heading = line[5:].strip()
            out.setdefault(heading, [])
            continue
        if heading is None:
            continue
        if line.startswith("```"):
            if inside:
                out[heading].append("\n".join(buf) + "\n")
                buf, inside = [], False
            else:
                inside = True
            continue
        if inside:
            buf.append(line)
    return out


def main():
    with open(SRC, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = blocks(lines)
    missing = [h for h in NAMES if h not in found]
    unnamed = [h for h in found if h not in NAMES]
    if missing or unnamed:
        sys.exit(f"headings changed: missing {missing}, unnamed {unnamed}")
    n = 0
    for heading, texts in found.items():
        base = NAMES[heading]
        names = SECOND.get(base, [base] if len(texts) == 1 else [f"{base}-{i + 1}" for i in range(len(texts))])
        if len(names) != len(texts):
            sys.exit(f"{heading}: {len(texts)} blocks for {names}")
        for name, text in zip(names, texts):
            d = os.path.join(OUT, f"error-sample-{name}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "input.txt"), "w", encoding="utf-8", newline="") as f:
                f.write(text)
            n += 1
    print(f"{n} sample fixtures written")


if __name__ == "__main__":
    main()
