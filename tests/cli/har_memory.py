#!/usr/bin/env python3
"""The CLI reads a 200 MB HAR in bounded memory.

Writes a synthetic 200 MB HAR (Okta and non-Okta entries, 429s and 401s with real Okta
bodies), runs the release CLI's `har --json` and `har --redact` on it, and checks the peak
resident memory of each run (getrusage of the child) and that the counts are exact.
Prints `N passed, N failed` and exits non-zero on failure. Run after ./build.sh.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "okta-medic")
TARGET_BYTES = 200 * 1024 * 1024
MAX_RSS_MB = 64

E47 = '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}'
E11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}'
PADDING = "x" * 1500  # a typical asset response's size in a HAR


def entry(i):
    kind = i % 4
    if kind == 0:
        url, status, body, mime = "https://dev-123456.okta.com/api/v1/users?limit=200", 429, E47, "application/json"
        headers = [["x-rate-limit-limit", "600"], ["x-rate-limit-remaining", "0"], ["x-rate-limit-reset", "1795773660"],
                   ["date", "Fri, 27 Nov 2026 10:00:02 GMT"], ["x-okta-request-id", f"req{i:023d}"]]
    elif kind == 1:
        url, status, body, mime = "https://dev-123456.okta.com/api/v1/users/me", 401, E11, "application/json"
        headers = [["x-okta-request-id", f"req{i:023d}"]]
    else:
        url, status, body, mime = f"https://cdn.example.com/asset{i}.js", 200, PADDING, "application/javascript"
        headers = []
    return {
        "startedDateTime": "2026-11-27T10:00:02.000Z",
        "request": {"method": "GET", "url": url, "headers": [{"name": "Accept", "value": "*/*"}], "cookies": [], "queryString": []},
        "response": {"status": status, "headers": [{"name": n, "value": v} for n, v in headers],
                     "content": {"size": len(body), "mimeType": mime, "text": body}},
    }


def write_har(path):
    count = 0
    with open(path, "w") as f:
        f.write('{"log":{"version":"1.2","creator":{"name":"synthetic","version":"1"},"entries":[')
        while f.tell() < TARGET_BYTES:
            if count:
                f.write(",")
            f.write(json.dumps(entry(count)))
            count += 1
        f.write("]}}")
    return count


def run(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: runs are ordered smallest first below.
    return out, max(peak_kb, before) / 1024


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.har")
        count = write_har(path)
        size_mb = os.path.getsize(path) / 1024 / 1024
        okta = sum(1 for i in range(count) if i % 4 in (0, 1))
        checks = []
        out, rss = run(["har", "--json", path])
        report = json.loads(out.stdout) if out.returncode == 0 else {}
        timeline = report.get("timeline", {})
        checks.append((f"har --json on {size_mb:.0f} MB ({count} entries): exit 0", out.returncode == 0))
        checks.append((f"exact counts: {timeline.get('entries')} entries, {timeline.get('oktaEntries')} to Okta",
                       timeline.get("entries") == count and timeline.get("oktaEntries") == okta))
        groups = {g["id"]: g for g in timeline.get("digest", {}).get("groups", [])}
        # One cause per 429: the E0000047 body is folded into rate_limit.exceeded.
        limited = groups.get("rate_limit.exceeded", {})
        checks.append((f"rate_limit.exceeded (E0000047 folded: {limited.get('finding', {}).get('folded')}) "
                       f"counted {limited.get('count')} times",
                       limited.get("count") == (count + 3) // 4
                       and limited.get("finding", {}).get("folded") == ["okta_error.E0000047"]
                       and "okta_error.E0000047" not in groups))
        checks.append((f"peak memory {rss:.1f} MB ≤ {MAX_RSS_MB} MB (analysis)", rss <= MAX_RSS_MB))
        out, rss = run(["har", "--redact", path])
        checks.append(("har --redact: exit 0", out.returncode == 0))
        checks.append((f"peak memory {rss:.1f} MB ≤ {MAX_RSS_MB} MB (redaction)", rss <= MAX_RSS_MB))
        for name, ok in checks:
            print(("ok   " if ok else "FAIL ") + name)
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
