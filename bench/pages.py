#!/usr/bin/env python3
"""Print the pages the load test measures, one "name path" per line.

The paths are found from the running portal so that the script follows the
data: the first act of the register, the consultation generated with 1,000
comments (by title), the latest published appeals report, and a search.
"""
import json
import re
import sys
import urllib.request

base = sys.argv[1].rstrip("/")


def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return r.read().decode("utf-8")


def first(pattern, text, what):
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"pages.py: no {what} found")
    return m.group(1)


print("home /")
print("act /acts/" + first(r'href="/acts/(\d+)"', get("/acts"), "act"))
consultations = json.loads(get("/api/v1/consultations?per_page=100"))
items = consultations.get("items") or consultations.get("consultations") or consultations.get("results") or []
chosen = None
for c in items:
    if "1000" in c.get("title", "") or "нагрузоч" in c.get("title", "").lower():
        chosen = c
if chosen is None and items:
    chosen = items[0]
if chosen is None:
    sys.exit("pages.py: no consultation found")
print("consultation /consultations/%s" % chosen["id"])
print("appeals-report /appeals/reports/" + first(r'href="/appeals/reports/(\d+)"', get("/appeals/reports"), "appeals report"))
print("search /search?q=%D0%BE%D0%B1%D1%80%D0%B0%D1%89%D0%B5%D0%BD%D0%B8%D0%B5")
