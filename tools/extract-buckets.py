#!/usr/bin/env python3
"""Regenerates the rate-limit bucket data the core embeds (crate/data/buckets.tsv and
crate/data/buckets.limits.tsv) from the reference notes, okta.md §3.3.

- buckets.tsv: Okta's generated method+path → bucket map (the Terraform provider's
  rate_limit_lines.go, as tabulated in okta.md). Rows the notes list one by one become `exact`
  entries; rows summarised as "many: /api/v1/users* (138)" become `family` entries (a path
  prefix, any method). Every bucket name is also a `prefix` entry, the "longest prefix match"
  Okta applies after exact matches; this is how the limit-table buckets that the generated
  map lacks (/idp/idx, /login/…, /app/…/sso/saml) still name their bucket.
- buckets.limits.tsv: the last published per-minute limits per plan, plus who the limit is
  counted for (org, per client, per user, per username) and the endpoints without limits.

Usage: python3 tools/extract-buckets.py [path/to/okta.md] [out-dir]
Defaults: ../shared/reference/okta.md (next to the repository) and crate/data.
Fails loudly when a table changes shape or a member count differs from okta.md's own count.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference", "okta.md")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "crate", "data")

METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}

# okta.md §3.1 "Endpoints without rate limits": key sets and discovery documents.
UNLIMITED = {
    "/oauth2/v1/keys",
    "/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server",
    "/oauth2/{authorizationServerId}/v1/keys",
    "/oauth2/{authorizationServerId}/.well-known/openid-configuration",
    "/oauth2/{authorizationServerId}/.well-known/oauth-authorization-server",
}

# okta.md §3.3 "Other limits": who else a bucket is counted for.
#  client:   60/min and 5 concurrent per client_id + IP + device on /authorize, /login/login.htm
#            and the Identity Engine entry points (client-based rate limiting).
#  user:     authenticated end users (40 per user per 10 s per endpoint; /api/v1/users/me) and
#            Identity Engine (20 per user per 5 s, 10 per state token per 5 s).
#  username: 4 per second per username on /api/v1/authn and the token endpoint.
EXTRA_SCOPE = {
    "/oauth2/v1/authorize": "client",
    "/oauth2/{authorizationServerId}/v1/authorize": "client",
    "/login/login.htm": "client",
    "/idp/idx": "client+user",
    "/idp/idx/identify": "client+user",
    "/idp/idx/introspect": "client+user",
    "/api/v1/users/me": "user",
    "/api/v1/authn": "username",
    "/oauth2/v1/token": "username",
    "/oauth2/{authorizationServerId}/v1/token": "username",
}

# Names in the limits table that differ from the generated map's bucket names.
ALIASES = {"/api/v1/users/{idOrLogin}": "/api/v1/users/{id:.+}"}


def section(lines, prefix):
    start = None
    for i, line in enumerate(lines):
        if start is None and line.startswith("### " + prefix):
            start = i + 1
        elif start is not None and line.startswith("#"):
            return lines[start:i]
    if start is None:
        sys.exit(f"no section starting with {prefix!r}")
    return lines[start:]


def tables(lines):
    """Markdown tables in `lines`: lists of cell rows, header and rule dropped."""
    found, rows = [], None
    for line in lines + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip()[1:-1].split(" | ")]
            if rows is None:
                rows = []
            elif set(line.replace("|", "").strip()) <= set("-: "):
                continue
            else:
                rows.append(cells)
        elif rows is not None:
            found.append(rows)
            rows = None
    return found


def ticked(cell):
    m = re.match(r"^`([^`]+)`", cell)
    return m.group(1) if m else None


def path_map(rows):
    exact, family = [], []
    for cells in rows:
        if len(cells) != 3:
            sys.exit(f"bucket row with {len(cells)} cells: {cells}")
        bucket, count, members = ticked(cells[0]), int(cells[1]), cells[2]
        if bucket is None:
            sys.exit(f"bucket name not in backticks: {cells[0]}")
        if members.startswith("many: "):
            total = 0
            for part in members[len("many: "):].split("; "):
                m = re.fullmatch(r"(/\S+)\* \((\d+)\)", part.strip())
                if not m:
                    sys.exit(f"unreadable family {part!r} in {bucket}")
                family.append((m.group(1), bucket, int(m.group(2))))
                total += int(m.group(2))
        else:
            total = 0
            for part in members.split("; "):
                method, _, path = part.strip().partition(" ")
                if method not in METHODS or not path.startswith("/"):
                    sys.exit(f"unreadable member {part!r} in {bucket}")
                exact.append((method, path, bucket))
                total += 1
        if total != count:
            sys.exit(f"{bucket}: okta.md says {count} entries, found {total}")
    return exact, family


def plan(cell):
    cell = cell.replace(",", "")
    if cell == "N/A":
        return "-"
    if not cell.isdigit():
        sys.exit(f"unreadable limit {cell!r}")
    return cell


def limits(rows):
    out = {}
    for cells in rows:
        if len(cells) != 5:
            sys.exit(f"limit row with {len(cells)} cells: {cells}")
        name = ticked(cells[0])
        if name is None:
            continue  # "Identity Engine App intent" names no path
        name = ALIASES.get(name, name)
        out[name] = [plan(c) for c in cells[1:]]
    return out


def family_pattern(name):
    """`/app/{app}/{key}/sso/saml` → `/app/*/*/sso/saml`; `office365{appType}` → `office365*`."""
    return "/".join(re.sub(r"\{[^}]*\}$", "*", seg) for seg in name.split("/"))


def main():
    with open(SRC, encoding="utf-8") as f:
        lines = f.read().splitlines()
    found = tables(section(lines, "3.3 "))
    if len(found) < 3:
        sys.exit(f"§3.3: expected the bucket, limit and other-limit tables, found {len(found)}")
    exact, family = path_map(found[0])
    published = limits(found[1])
    if len(exact) + sum(n for _, _, n in family) != 982:
        sys.exit("§3.3 says the generated map has 982 lines; the table no longer adds up")

    buckets = {b for _, _, b in exact} | {b for _, b, _ in family} | set(published)
    prefixes = {}
    for name in sorted(buckets):
        pattern = family_pattern(name)
        if name != "/" and pattern not in prefixes:
            prefixes[pattern] = name

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "buckets.tsv"), "w", encoding="utf-8") as f:
        f.write("# Okta's method+path → rate-limit bucket map, okta.md §3.3 (the Terraform provider's\n")
        f.write("# generated rate_limit_lines.go). ID = any Okta id; `*` = any segment, `x*` = starts with x.\n")
        f.write("# exact: method+path; family: a path prefix the map lists (any method); prefix: a bucket's\n")
        f.write("# own name as a path prefix. Lookup: exact, then the longest family, then the longest prefix.\n")
        f.write("# Generated by tools/extract-buckets.py; do not edit by hand.\n")
        f.write("# kind\tmethod\tpath\tbucket\tentries\n")
        for method, path, bucket in sorted(exact, key=lambda e: (e[1], e[0])):
            f.write(f"exact\t{method}\t{path}\t{bucket}\t1\n")
        for prefix, bucket, n in sorted(family):
            f.write(f"family\t*\t{prefix}\t{bucket}\t{n}\n")
        for pattern, bucket in sorted(prefixes.items()):
            f.write(f"prefix\t*\t{pattern}\t{bucket}\t0\n")

    with open(os.path.join(OUT, "buckets.limits.tsv"), "w", encoding="utf-8") as f:
        f.write("# Published per-minute limits per plan (okta.md §3.3, last published 2025-12) and who\n")
        f.write("# else the bucket is counted for. `-` = not published / not applicable.\n")
        f.write("# Generated by tools/extract-buckets.py; do not edit by hand.\n")
        f.write("# bucket\tintegrator_free\tone_app\tenterprise\tworkforce\tscope\n")
        for name in sorted(buckets):
            if name in UNLIMITED:
                row, scope = ["-"] * 4, "none"
            else:
                row = published.get(name, ["-"] * 4)
                scope = "org+" + EXTRA_SCOPE[name] if name in EXTRA_SCOPE else "org"
            f.write("\t".join([name, *row, scope]) + "\n")
    missing = (set(EXTRA_SCOPE) | UNLIMITED) - buckets
    if missing:
        sys.exit(f"scope/unlimited names that are no bucket: {sorted(missing)}")
    print(f"{len(exact)} exact entries, {len(family)} families, {len(prefixes)} prefixes, {len(buckets)} buckets, "
          f"{len(published)} published limit rows")


if __name__ == "__main__":
    main()
