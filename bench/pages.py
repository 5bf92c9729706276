#!/usr/bin/env python3
"""Print the pages the load test measures, one "name path" per line.

The paths are found from the running portal so that the script follows the
data: the act of the roadmap (order No. 118), the consultation generated with 1,000
comments (by title), the landing page of appeals with its counter, the
latest published appeals report, and a search.
"""
import json
import re
import sys
import urllib.parse
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
# The roadmap's own act (order No. 118 of 07.03.2018, with explanations in
# every format) is the same page at every scale; the first act of the
# register stands in when the demo lacks it.
acts = json.loads(get("/api/v1/acts?kind=order&year=2018&per_page=100")).get("acts") or []
act = next((a for a in acts if a.get("number") == "118"), None)
print("act /acts/%s" % act["id"] if act else "act /acts/" + first(r'href="/acts/(\d+)"', get("/acts"), "act"))
consultations = json.loads(get("/api/v1/consultations?per_page=100"))
items = consultations.get("items") or consultations.get("consultations") or consultations.get("results") or []
chosen = None
for c in items:
    if "1000 комментариев" in c.get("title", ""):
        chosen = c
        break
if chosen is None and items:
    chosen = items[0]
if chosen is None:
    sys.exit("pages.py: no consultation found")
print("consultation /consultations/%s" % chosen["id"])
# The landing page of appeals shows the public counter of the year's
# appeals (about 790,000 of them at scale 100), read from monthly tallies.
print("appeals /appeals")
print("appeals-report /appeals/reports/" + first(r'href="/appeals/reports/(\d+)"', get("/appeals/reports"), "appeals report"))
# «благоустройство»: a word that the demo and about a fifteenth of the
# generated acts contain, so that the count and the ranking grow with scale.
print("search /search?q=" + urllib.parse.quote("благоустройство"))
