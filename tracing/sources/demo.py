"""The bundled demo world: a seeded, deterministic case to investigate without any API key.

The story (TRON, USDT-TRC20), told in the README with the addresses to type:

* the **victim** withdraws 260,000 USDT from Demo Exchange and lives a quiet life;
* the **thief** takes 250,000 USDT from the victim, sends 8,000 to a Garantex
  address (really on the OFAC SDN list), splits 230,000 into five parts that run
  through three **mules** each (the same amount forwarded within minutes, one USDT
  kept for fees) into five **Demo Exchange deposit addresses**, and sends 12,000
  down a **peel chain** that sheds small amounts to cash-out wallets at each hop;
* days before, the thief collected scam proceeds in a **burst** of small
  transfers, and was paid by a Task Force Rusich address (OFAC-listed);
* two hundred **ordinary wallets** trade heavy-tailed amounts with each other
  and with the exchange; Ethereum, Bitcoin and Solana wallets do the same, with
  one Ethereum wallet paying the Lazarus Group and one Bitcoin wallet paying a
  listed narcotics trafficker.

Addresses are derived from names (``demo_address``), amounts and times come from
one seeded generator, so every run builds the same world, in milliseconds.
"""

import hashlib
import itertools
from dataclasses import dataclass

import numpy as np

from tracing.encodings import b58check_encode, b58encode, bech32_encode, keccak256
from tracing.labels import OFAC_LIST, Label, LabelIndex
from tracing.model import Chain, TransferTable
from tracing.model.transfer import Asset

__all__ = ["DEMO_FACTS", "KEY_ACTORS", "SOURCE", "DemoWorld", "build_demo", "demo_address", "labels_to_store"]

SOURCE = "demo"
SEED = 20250301
START = 1_740_787_200  # 2025-03-01 00:00:00 UTC
DAY = 86_400
THEFT_TIME = START + 150 * DAY + 10 * 3600  # 2025-07-29 10:00 UTC

USDT = Asset("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6)
TRX = Asset("TRX", "native", 6)
ETH = Asset("ETH", "native", 18)
USDC = Asset("USDC", "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", 6)
BTC = Asset("BTC", "native", 8)
SOL = Asset("SOL", "native", 9)

# Real entries of the OFAC SDN list (../shared/data/ofac), written here as facts.
OFAC_FACTS = (
    (Chain.TRON, "TX5GV4DyfxNB3rPkzZJhmqZ1efVmL4rEqG", "Task Force Rusich", "RUSSIA-EO14024; listed 2022-09-15"),
    (
        Chain.TRON,
        "TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD",
        "GARANTEX EUROPE OU",
        "CYBER4; RUSSIA-EO14024; listed 2022-04-05",
    ),
    (Chain.TRON, "TMStbg5fgb4uTV7fK1gEYF9hKAzP3siPsG", "WANG, Jiantong", "ILLICIT-DRUGS-EO14059; listed 2023-10-03"),
    (Chain.ETHEREUM, "0x098b716b8aaf21512996dc57eb0615e2383e2f96", "Lazarus Group", "DPRK3; listed 2019-09-13"),
    (Chain.BITCOIN, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", "YAN, Xiaobing", "SDNTK; listed 2019-08-21"),
)
RUSICH, GARANTEX, WANG = (fact[1] for fact in OFAC_FACTS[:3])
LAZARUS, YAN = OFAC_FACTS[3][1], OFAC_FACTS[4][1]

DEMO_FACTS = "OFAC SDN (demo facts)"
"""The list the demo's OFAC facts are stored under when the OFAC list in use lacks them."""

MULE_CHAINS, MULES_PER_CHAIN, PEEL_HOPS = 5, 3, 5
BLOCK_SECONDS = {Chain.TRON: 3, Chain.ETHEREUM: 12, Chain.BITCOIN: 600, Chain.SOLANA: 1}
GENESIS = {Chain.TRON: 69_000_000, Chain.ETHEREUM: 21_900_000, Chain.BITCOIN: 885_000, Chain.SOLANA: 325_000_000}


def demo_address(chain: Chain, name: str) -> str:
    """The demo world's address for a name: valid for its chain and the same on every run.

    >>> demo_address(Chain.TRON, "thief")[:1], len(demo_address(Chain.ETHEREUM, "thief"))
    ('T', 42)
    """
    digest = hashlib.sha256(f"demo:{chain.value}:{name}".encode()).digest()
    if chain is Chain.TRON:
        return b58check_encode(b"\x41" + digest[:20])
    if chain is Chain.ETHEREUM:
        return "0x" + keccak256(digest).hex()[-40:]
    if chain is Chain.BITCOIN:
        return bech32_encode("bc", 0, digest[:20])
    return b58encode(digest)


@dataclass(frozen=True)
class DemoWorld:
    """The demo's transfer tables (one per chain), its labels and the cast's addresses."""

    tables: dict[Chain, TransferTable]
    labels: list[Label]
    cast: dict[str, str]

    def __len__(self) -> int:
        return sum(len(t) for t in self.tables.values())

    @property
    def theft_tx(self) -> str:
        """Hash of the theft: the victim's 250,000 USDT to the thief (where a forward trace starts)."""
        tron = self.tables[Chain.TRON]
        rows = np.flatnonzero((tron.sender == self.cast["victim"]) & (tron.receiver == self.cast["thief"]))
        return str(tron.tx_hash[rows[0]])


class _Ledger:
    """Collects one chain's transfers as columns before they become a table."""

    def __init__(self, chain: Chain):
        self.chain = chain
        self.parts: list[dict] = []

    def add(self, senders, receivers, times, amounts, asset: Asset) -> None:
        """Append transfers; ``amounts`` are exact base-unit integers."""
        n = len(senders)
        self.parts.append(
            {
                "sender": np.asarray(senders, dtype=str),
                "receiver": np.asarray(receivers, dtype=str),
                "timestamp": np.asarray(times, dtype=np.int64),
                "amount": [int(a) for a in amounts],
                "asset": [asset] * n,
            }
        )

    def table(self) -> TransferTable:
        """The collected transfers with deterministic hashes and blocks, in time order."""
        sender = np.concatenate([p["sender"] for p in self.parts])
        receiver = np.concatenate([p["receiver"] for p in self.parts])
        timestamp = np.concatenate([p["timestamp"] for p in self.parts])
        amount = [a for p in self.parts for a in p["amount"]]
        asset = [a for p in self.parts for a in p["asset"]]
        prefix = "0x" if self.chain is Chain.ETHEREUM else ""
        tx_hash = [
            prefix + hashlib.sha256(f"demo:{self.chain.value}:{i}".encode()).hexdigest() for i in range(len(sender))
        ]
        block = GENESIS[self.chain] + (timestamp - START) // BLOCK_SECONDS[self.chain]
        return TransferTable.from_columns(
            self.chain,
            tx_hash=tx_hash,
            index=[0] * len(sender),
            block=block,
            timestamp=timestamp,
            sender=sender,
            receiver=receiver,
            asset=asset,
            amount=amount,
        ).sorted()


def _units(values: np.ndarray, asset: Asset, digits: int = 2) -> list[int]:
    """Token amounts rounded to ``digits`` decimals, as exact base units."""
    cents = np.round(np.asarray(values, dtype=np.float64) * 10**digits).astype(np.int64)
    return [int(c) * 10 ** (asset.decimals - digits) for c in cents]


def _ordinary(
    ledger: _Ledger,
    rng: np.random.Generator,
    wallets: list[str],
    hubs: list[str],
    n: int,
    asset: Asset,
    median: float,
    days: int = 180,
) -> None:
    """``n`` heavy-tailed transfers among ``wallets`` and between them and the ``hubs`` (exchanges)."""
    pool = np.array(wallets + hubs)
    weights = np.r_[np.full(len(wallets), 1.0), np.full(len(hubs), 0.15 * len(wallets) / max(len(hubs), 1))]
    weights /= weights.sum()
    src = rng.choice(len(pool), n, p=weights)
    dst = rng.choice(len(pool), n, p=weights)
    dst = np.where(dst == src, (dst + 1) % len(wallets), dst)  # nobody pays themselves
    times = START + np.sort(rng.integers(0, days * DAY, n))
    values = np.maximum(median * rng.lognormal(0.0, 1.3, n), 10.0**-2)
    ledger.add(pool[src], pool[dst], times, _units(values, asset), asset)


def _tron_story(ledger: _Ledger, rng: np.random.Generator, cast: dict[str, str]) -> None:
    """The theft, the mule chains, the peel chain, the bursts and the listed counterparties."""
    victim, thief, hot = cast["victim"], cast["thief"], cast["exchange_hot_wallet"]
    t = THEFT_TIME
    one = 10**USDT.decimals
    # The victim's savings arrive from the exchange, then the theft.
    ledger.add([hot], [victim], [t - 10 * DAY], [260_000 * one], USDT)
    ledger.add([victim], [thief], [t], [250_000 * one], USDT)
    # The thief pays a Garantex address, then splits the rest into five mule chains.
    ledger.add([thief], [GARANTEX], [t + 15 * 60], [8_000 * one], USDT)
    parts = [46_000] * MULE_CHAINS
    for k in range(MULE_CHAINS):
        hops = [thief] + [cast[f"mule_{k + 1}_{h + 1}"] for h in range(MULES_PER_CHAIN)] + [cast[f"deposit_{k + 1}"]]
        when = t + 20 * 60 + 90 * k
        amount = parts[k] * one
        for a, b in itertools.pairwise(hops):
            ledger.add([a], [b], [when], [amount], USDT)
            when += int(rng.integers(3 * 60, 12 * 60))
            amount -= one  # one USDT kept at each hop, as if for fees
    # Deposits are swept to the hot wallet hours later, in one batch.
    deposits = [cast[f"deposit_{k + 1}"] for k in range(MULE_CHAINS)]
    sweep = [(parts[k] - MULES_PER_CHAIN) * one for k in range(MULE_CHAINS)]
    ledger.add(deposits, [hot] * MULE_CHAINS, [t + 9 * 3600] * MULE_CHAINS, sweep, USDT)
    # The peel chain: each hop sheds a part to a cash-out wallet and passes the rest on.
    remaining, when = 12_000 * one, t + 40 * 60
    holder = thief
    for h in range(PEEL_HOPS):
        nxt, cash = cast[f"peel_{h + 1}"], cast[f"cashout_{h + 1}"]
        ledger.add([holder], [nxt], [when], [remaining], USDT)
        shed = int(remaining * rng.uniform(0.12, 0.25)) // one * one
        when += int(rng.integers(20 * 60, 90 * 60))
        ledger.add([nxt], [cash], [when], [shed], USDT)
        remaining -= shed
        holder = nxt
        when += int(rng.integers(5 * 60, 30 * 60))
    # Weeks before: a Task Force Rusich payment and a burst of small scam proceeds.
    ledger.add([RUSICH], [thief], [t - 20 * DAY], [5_000 * one], USDT)
    burst = 40
    payers = rng.choice([cast[f"wallet_{i}"] for i in range(200)], burst, replace=False)
    times = t - 6 * DAY + np.cumsum(rng.integers(60, 600, burst))
    ledger.add(payers, [thief] * burst, times, _units(rng.uniform(50, 400, burst), USDT), USDT)
    out_times = t - 5 * DAY + np.cumsum(rng.integers(60, 900, 25))
    ledger.add([thief] * 25, rng.choice(payers, 25), out_times, _units(rng.uniform(20, 150, 25), USDT), USDT)
    # An ordinary wallet that once bought from a listed trafficker (indirect exposure for its peers).
    ledger.add([cast["wallet_7"]], [WANG], [START + 40 * DAY], [1_250 * one], USDT)
    # The thief pays for energy in TRX (a second asset on the same address).
    ledger.add([thief] * 3, [hot] * 3, t + np.array([-3, 1, 2]) * DAY, [150 * one, 220 * one, 90 * one], TRX)


def _cast() -> dict[str, str]:
    """Every named TRON actor of the story, with its address."""
    names = ["victim", "thief", "exchange_hot_wallet"]
    names += [f"mule_{k + 1}_{h + 1}" for k in range(MULE_CHAINS) for h in range(MULES_PER_CHAIN)]
    names += [f"deposit_{k + 1}" for k in range(MULE_CHAINS)]
    names += [f"peel_{h + 1}" for h in range(PEEL_HOPS)] + [f"cashout_{h + 1}" for h in range(PEEL_HOPS)]
    names += [f"wallet_{i}" for i in range(200)]
    return {name: demo_address(Chain.TRON, name) for name in names}


def _labels(cast: dict[str, str], other_hubs: dict[Chain, str]) -> list[Label]:
    """Exchange labels for the demo's exchange and the real OFAC facts."""
    exchange = [Label(Chain.TRON, cast["exchange_hot_wallet"], "Demo Exchange", "exchange", SOURCE, "hot wallet")]
    exchange += [
        Label(Chain.TRON, cast[f"deposit_{k + 1}"], "Demo Exchange", "exchange", SOURCE, "deposit address")
        for k in range(MULE_CHAINS)
    ]
    exchange += [Label(c, a, "Demo Exchange", "exchange", SOURCE, "hot wallet") for c, a in other_hubs.items()]
    listed = [Label(c, a, name, "sanctioned", DEMO_FACTS, detail) for c, a, name, detail in OFAC_FACTS]
    return exchange + listed


def build_demo(seed: int = SEED) -> DemoWorld:
    """Build the demo world (see the module docstring); the same ``seed`` gives the same world."""
    rng = np.random.default_rng(seed)
    cast = _cast()
    tron = _Ledger(Chain.TRON)
    wallets = [cast[f"wallet_{i}"] for i in range(200)]
    _ordinary(tron, rng, wallets, [cast["exchange_hot_wallet"]], 5000, USDT, median=180.0)
    _ordinary(tron, rng, wallets, [cast["exchange_hot_wallet"]], 800, TRX, median=60.0)
    n_victim = 30  # the victim's everyday payments, in and out
    peers, outgoing = rng.choice(wallets, n_victim), np.arange(n_victim) % 2 == 0
    tron.add(
        np.where(outgoing, cast["victim"], peers),
        np.where(outgoing, peers, cast["victim"]),
        START + np.sort(rng.integers(0, 140 * DAY, n_victim)),
        _units(120 * rng.lognormal(0, 1.0, n_victim), USDT),
        USDT,
    )
    _tron_story(tron, rng, cast)
    tables = {Chain.TRON: tron.table()}
    hubs = {}
    for chain, coins, median in (
        (Chain.ETHEREUM, (ETH, USDC), (1.5, 900.0)),
        (Chain.BITCOIN, (BTC,), (0.05,)),
        (Chain.SOLANA, (SOL,), (12.0,)),
    ):
        ledger = _Ledger(chain)
        names = [f"wallet_{i}" for i in range(40)]
        addresses = [demo_address(chain, n) for n in names]
        hubs[chain] = demo_address(chain, "exchange_hot_wallet")
        for coin, mid in zip(coins, median):
            _ordinary(ledger, rng, addresses, [hubs[chain]], 600, coin, median=mid)
        cast.update({f"{chain.value}_{n}": a for n, a in zip(names, addresses)})
        if chain is Chain.ETHEREUM:
            ledger.add([addresses[3]], [LAZARUS], [START + 33 * DAY], [1500 * 10**18], ETH)  # 1.5e21 wei > 2**64
        if chain is Chain.BITCOIN:
            ledger.add([addresses[5]], [YAN], [START + 61 * DAY], [35_000_000], BTC)
        tables[chain] = ledger.table()
    return DemoWorld(tables, _labels(cast, hubs), cast)


KEY_ACTORS = (
    ("victim", "robbed of 250,000 USDT on 2025-07-29 10:00 UTC"),
    ("thief", "mule chains, a peel chain, a Garantex payment, a burst of scam proceeds"),
    ("mule_1_1", "first of three mules forwarding 46,000 USDT to a Demo Exchange deposit address"),
    ("deposit_1", "Demo Exchange deposit address at the end of mule chain 1"),
    ("peel_1", "first hop of the peel chain"),
    ("exchange_hot_wallet", "Demo Exchange's hot wallet"),
    ("wallet_7", "an ordinary wallet that once paid a listed trafficker"),
)


def labels_to_store(labels: list[Label], index: LabelIndex) -> list[Label]:
    """The demo's ``labels`` without the OFAC facts the OFAC list in ``index`` already holds (the list wins):
    each listed counterparty is named once."""
    return [
        lb
        for lb in labels
        if lb.source != DEMO_FACTS or not any(x.source == OFAC_LIST for x in index.sanctioned(lb.chain, lb.address))
    ]


def load_demo(store, *, replace: bool = True) -> int:
    """Write the demo world into ``store`` (replacing an older copy); return transfers stored.

    Its OFAC facts are stored only where the OFAC list in use (the shipped
    snapshot or a newer stored issue) lacks them.
    """
    world = build_demo()
    if replace:
        store.delete_source(SOURCE)
        store.delete_source(DEMO_FACTS)
    for table in world.tables.values():
        store.add_transfers(table, SOURCE)
    store.add_labels(labels_to_store(world.labels, store.label_index()))
    return len(world)


def ensure_demo(store) -> bool:
    """Load the demo world into an empty store (first run); return whether it was loaded."""
    if store.count_transfers():
        return False
    load_demo(store, replace=False)
    return True
