#!/usr/bin/env python3
"""billing: books each invoice it issues in the ledger ($LEDGER_URL), retrying until the ledger takes it."""
import os
import time
import urllib.error
import urllib.request

LEDGER_URL = os.environ["LEDGER_URL"].rstrip("/")
INTERVAL = float(os.environ.get("BILLING_INTERVAL", "5"))
invoice = int(time.time()) % 100000 * 10
pending = []
print(f"billing: booking invoices in {LEDGER_URL}", flush=True)
while True:
    invoice += 1
    pending.append(f"invoice={invoice} amount={invoice % 977}.00")
    while pending:
        request = urllib.request.Request(
            f"{LEDGER_URL}/entries", data=pending[0].encode(), headers={"X-Client": "billing"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
            pending.pop(0)
        except urllib.error.HTTPError as error:
            print(f"billing: ledger answered {error.code} {error.reason}; {len(pending)} invoice(s) waiting", flush=True)
            break
        except (urllib.error.URLError, OSError) as error:
            print(f"billing: ledger unreachable ({error}); {len(pending)} invoice(s) waiting", flush=True)
            break
    time.sleep(INTERVAL)
