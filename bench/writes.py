#!/usr/bin/env python3
"""Register appeals through the API at a steady rate until stopped.

    python3 bench/writes.py BASE TOKEN RATE COUNTFILE

The background writes of `bench/run.sh --writes N`: an operator's
registrations, which no anonymous page measured depends on except the
appeals counters. On SIGTERM it writes how many were registered (and the
seconds it ran) to COUNTFILE.
"""
import json
import signal
import sys
import time
import urllib.request

base, token, rate, countfile = sys.argv[1].rstrip("/"), sys.argv[2], float(sys.argv[3]), sys.argv[4]
today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 5 * 3600))
body = json.dumps({
    "channel": "written", "received_at": today, "type": "statement",
    "author": {"last_name": "Нагрузкин", "first_name": "Тест", "email": "load@example.ru",
               "postal_address": "624090, г. Верхняя Пышма, ул. Ленина, 1"},
    "text": "Обращение для нагрузочного теста.",
}).encode()
done, failed, start = 0, 0, time.monotonic()


def finish(*_):
    with open(countfile, "w") as f:
        f.write(f"{done} {failed} {time.monotonic() - start:.1f}\n")
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
step = 1 / rate
nxt = time.monotonic()
while True:
    req = urllib.request.Request(base + "/api/v1/appeals", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            if r.status == 201:
                done += 1
            else:
                failed += 1
    except Exception:
        failed += 1
    nxt += step
    time.sleep(max(0, nxt - time.monotonic()))
