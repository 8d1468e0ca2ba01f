#!/usr/bin/env python3
"""Regenerates the error and scope catalogues the core embeds (crate/data/*.tsv) from the
reference notes (okta.md). Only facts are copied: codes, statuses, Okta's verbatim texts
(they are matching keys), i18n keys and the scope table. Our explanations are written by hand
in crate/data/*_advice.tsv and are not touched here.

Usage: python3 tools/extract-error-catalogues.py [path/to/okta.md] [out-dir]
Defaults: ../shared/reference/okta.md (next to the repository) and crate/data.
The script fails loudly when a table changes shape or a count differs from okta.md's own
statement, so a reference update can't silently drop rows.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference", "okta.md")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "crate", "data")


def sections(lines):
    """Maps each heading text to the lines under it (up to the next heading of any level)."""
    out, current = {}, None
    for line in lines:
        m = re.match(r"^#{2,4} (.*)$", line)
        if m:
            current = m.group(1).strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def tables(lines):
    """Splits a section's lines into markdown tables: lists of rows, header and rule dropped."""
    found, rows, header_seen = [], None, False
    for line in lines + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            cells = [c.strip().strip("|").strip() for c in cells]
            if rows is None:
                rows, header_seen = [], False
                continue  # header
            if not header_seen and set(line.replace("|", "").strip()) <= set("-: "):
                header_seen = True
                continue
            rows.append(cells)
        elif rows is not None:
            found.append(rows)
            rows = None
    return found


def find(secs, prefix):
    keys = [k for k in secs if k.startswith(prefix)]
    if len(keys) != 1:
        sys.exit(f"expected one section starting with {prefix!r}, found {keys}")
    return secs[keys[0]]


def unquote(cell):
    return cell.strip().strip("`").strip()


def clean(cell):
    if "\t" in cell or "\n" in cell:
        sys.exit(f"tab or newline in a cell: {cell!r}")
    return cell.strip()


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(f"# {h}\n")
        for r in rows:
            f.write("\t".join(clean(c) for c in r) + "\n")
    print(f"{name}: {len(rows)} rows")


def status_code(cell):
    m = re.match(r"^(\d{3})\b", cell)
    return m.group(1) if m else "-"


def okta_errors(secs):
    current = tables(find(secs, "1.3 "))
    if len(current) != 1:
        sys.exit("1.3: expected one table")
    rows = []
    for c in current[0]:
        if len(c) != 5:
            sys.exit(f"1.3: bad row {c}")
        code, http, title, summary, notes = c
        rows.append([code, status_code(http), "current", title, summary, notes or "-"])
    if len(rows) != 251:
        sys.exit(f"1.3: expected 251 codes, found {len(rows)}")
    removed_tables = tables(find(secs, "1.4 "))
    removed, changes = removed_tables[0], removed_tables[1]
    texts = []
    for c in removed:
        code, http, title, summary, first = c
        rows.append([code, status_code(http), "removed", title, summary, f"Dropped from Okta's catalogue; first seen {first}."])
    for c in changes:
        code, date, before, after = c
        for cell in (before, after):
            # The first quoted text of a cell is the summary; later ones cite files, and
            # short ones are fragments (E0000174's mojibake apostrophe).
            quoted = re.findall(r"`([^`]+)`", cell)
            if quoted and len(quoted[0]) >= 20:
                texts.append([code, "historic", quoted[0]])
    widget_tables = tables(find(secs, "1.5 "))
    for c in widget_tables[0]:
        code, text = c
        rows.append([code, "-", "widget", "Sign-In Widget message", unquote(text), "Known only from the Sign-In Widget's translations; HTTP status unknown."])
    for c in widget_tables[1]:
        code, text = c
        texts.append([code, "widget", unquote(text)])
    codes = [r[0] for r in rows]
    if len(set(codes)) != 259:
        sys.exit(f"expected 259 distinct codes, found {len(set(codes))}")
    rows.sort(key=lambda r: r[0])
    # Historic texts equal to the current summary add nothing.
    current_text = {r[0]: r[4] for r in rows}
    texts = [t for t in texts if current_text.get(t[0]) != t[2]]
    seen, unique = set(), []
    for t in texts:
        if (t[0], t[2]) not in seen:
            seen.add((t[0], t[2]))
            unique.append(t)
    unique.sort(key=lambda t: (t[0], t[2]))
    # What the analysis decides on (the service worker's module links it) apart from the
    # prose only the words read (the UI module's): the same codes, in the same order.
    write(
        "okta_errors.tsv",
        [
            "Okta API error codes: code<TAB>HTTP status (- = unknown)<TAB>origin<TAB>errorSummary template ({n} = runtime text).",
            "origin: current = error-codes.json release 2026.08.1; removed = dropped from it; widget = Sign-In Widget translations only.",
            "Generated by tools/extract-error-catalogues.py from okta.md §1.3-1.5; do not edit by hand. Read by crate/src/okta_error/catalogue.rs.",
        ],
        [[r[0], r[1], r[2], r[4]] for r in rows],
    )
    write(
        "okta_error_titles.tsv",
        [
            "Okta's words for its error codes: code<TAB>Okta's title<TAB>notes (- = none); the codes of okta_errors.tsv, in its order.",
            "Generated by tools/extract-error-catalogues.py from okta.md §1.3-1.5; do not edit by hand. Read by crate/src/explain/okta_error/advice.rs.",
        ],
        [[r[0], r[3], r[5]] for r in rows],
    )
    write(
        "okta_error_texts.tsv",
        [
            "Other texts Okta has sent for a code: code<TAB>origin (historic | widget)<TAB>text.",
            "Generated by tools/extract-error-catalogues.py from okta.md §1.4-1.5; do not edit by hand.",
        ],
        unique,
    )


def oauth_errors(secs):
    ts = tables(find(secs, "2.3 "))
    current = [t for t in ts if t and len(t[0]) == 4]
    if len(current) != 2:
        sys.exit(f"2.3: expected the catalogue and the dropped table, found {len(current)}")
    rows = []
    for origin, table in zip(("current", "dropped"), current):
        for c in table:
            error, http, cause, desc = c
            rows.append([unquote(error), status_code(http), cause, origin, desc])
    n = sum(1 for r in rows if r[3] == "current")
    if n != 476:
        sys.exit(f"2.3: expected 476 entries, found {n}")
    rows.sort(key=lambda r: (r[0], r[2], r[3]))
    write(
        "oauth_errors.tsv",
        [
            "OAuth 2.0 / OIDC errors: error<TAB>HTTP status<TAB>Okta's internal code<TAB>origin (current | dropped)<TAB>error_description template ({n} = runtime text).",
            "Generated by tools/extract-error-catalogues.py from okta.md §2.3 (OC release 2026.08.1); do not edit by hand. Read by crate/src/oauth_error/catalogue.rs.",
        ],
        rows,
    )


def idx_messages(secs):
    ts = tables(find(secs, "4.3 "))
    rows = []
    for c in ts[0]:
        cls, key, message, fixture = c
        truncated = "prefix" if message.endswith("…") else "exact"
        rows.append([unquote(key), cls if cls != "None" else "-", truncated, message.rstrip("…") or "-"])
    if len(rows) != 118:
        sys.exit(f"4.3: expected 118 triples, found {len(rows)}")
    seen, unique = set(), []
    for r in rows:
        if (r[0], r[3]) not in seen:
            seen.add((r[0], r[3]))
            unique.append(r)
    unique.sort(key=lambda r: (r[0], r[3]))
    write(
        "idx_messages.tsv",
        [
            "Identity Engine message keys: i18n key<TAB>class (- = none)<TAB>match (exact | prefix: text truncated at 160 chars)<TAB>message (- = empty).",
            "Generated by tools/extract-error-catalogues.py from okta.md §4.3; do not edit by hand. Read by crate/src/idx.rs.",
        ],
        unique,
    )


def scopes(secs):
    appendix = find(secs, "Appendix A")
    ts = tables(appendix)
    rows = []
    for c in ts[0]:
        method, path, scope = c
        scope = scope.strip()
        rows.append([method, unquote(path), "-" if scope in ("—", "") else scope])
    if len(rows) != 727:
        sys.exit(f"Appendix A: expected 727 operations, found {len(rows)}")
    rows.sort(key=lambda r: (r[1], r[0]))
    write(
        "scopes.tsv",
        [
            "Okta management operations: method<TAB>path template<TAB>required OAuth scopes (space-separated, all required; - = none).",
            "Every operation also accepts an SSWS API token. A *.manage scope also satisfies the matching *.read.",
            "Generated by tools/extract-error-catalogues.py from okta.md Appendix A (MGMT-OAS 5.1.0); do not edit by hand. Read by crate/src/endpoint.rs.",
        ],
        rows,
    )
    fam = tables(find(secs, "6.2 "))
    families = []
    for c in fam[0]:
        families.append([unquote(c[0]), c[1]])
    if len(families) < 50:
        sys.exit("6.2: too few families")
    write(
        "api_families.tsv",
        [
            "Okta API path families: path prefix<TAB>number of operations (MGMT-OAS 5.1.0).",
            "Generated by tools/extract-error-catalogues.py from okta.md §6.2; do not edit by hand. Read by crate/src/endpoint.rs.",
        ],
        families,
    )


def main():
    with open(SRC, encoding="utf-8") as f:
        lines = f.read().split("\n")
    secs = sections(lines)
    os.makedirs(OUT, exist_ok=True)
    okta_errors(secs)
    oauth_errors(secs)
    idx_messages(secs)
    scopes(secs)


if __name__ == "__main__":
    main()
