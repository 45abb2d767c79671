"""The address page's fetch job (what the browser's Fetch button runs) on each chain's local server.

The page's job and the CLI share :func:`tracing.investigate.fetch_history`; this
checks the job's own answers: a multi-page history on each of the four chains,
its progress steps, then an incremental refresh that finds nothing new.
"""

import pytest
import test_esplora
import test_etherscan
import test_solana
import test_trongrid

from dashboard import background
from dashboard.components.fetching import progress_values, run_fetch
from tracing.sources.simulated.bitcoin import serve_esplora
from tracing.sources.simulated.ethereum import serve_etherscan
from tracing.sources.simulated.solana import serve_solana
from tracing.sources.simulated.tron import serve_trongrid
from tracing.store import Store

CHAINS = [
    ("tron", test_trongrid.ME, lambda s: serve_trongrid(s, test_trongrid.ME, test_trongrid.tokens(450), []), 450),
    ("ethereum", test_etherscan.ME, lambda s: serve_etherscan(s, {"txlist": test_etherscan.eth_rows(2500)}), 2500),
    ("bitcoin", test_esplora.ME, lambda s: serve_esplora(s, test_esplora.ME, test_esplora.payments(60)), 60),
    ("solana", test_solana.ME, lambda s: serve_solana(s, test_solana.ME, test_solana.history(120)), 120),
]


@pytest.mark.parametrize(("chain", "address", "serve", "count"), CHAINS, ids=[c[0] for c in CHAINS])
def test_the_page_job_fetches_each_chain_with_progress_then_refreshes(
    tmp_path, monkeypatch, stub, settings, chain, address, serve, count
):
    url = f"sqlite:///{tmp_path / 'job.db'}"
    Store(url).close()
    monkeypatch.setattr(background.JOBS, "database_url", url)
    monkeypatch.setattr(background.JOBS, "settings", settings)
    serve(stub)
    steps = []
    first = run_fetch({"chain": chain, "address": address}, progress=steps.append)
    assert first["ok"] and first["new"] == count and first["limit"] is None
    assert f"{count} new, 0 already stored" in first["message"]
    assert len(steps) > 1 and steps[-1].transfers == count  # a step per page: the bar moves
    value, most, label, _ = progress_values(steps[-1])
    assert 0 < value <= most and f"{count} transfers" in label
    again = run_fetch({"chain": chain, "address": address})
    assert again["ok"] and again["new"] == 0 and "newer transfers" in again["message"]
    store = Store(url)
    assert store.count_transfers() == count  # nothing stored twice
    store.close()
