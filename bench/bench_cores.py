"""Does a big tracked print pay for more than one process? One process against two ways of splitting.

    .venv/bin/python bench/bench_cores.py [--cards 10000] [--rounds 3] [--processes 2]

Cards as in bench_print.py's tracked case (one link, so one QR code to encode, per card), on
business-card-10up-a4. Cases, alternating round by round in one run:

- one-process: render_cards as cta-kit calls it (the baseline);
- page-ranges: the batch cut into --processes runs of whole pages, each rendered by
  render_cards in its own process, the parts joined with qpdf (--deterministic-id);
- encode-pool: what cta-kit does for a big tracked batch (cta_kit/pdf/parallel.py): the QR
  codes encoded by a pool of processes started for the batch (its start-up is timed), the PDF
  drawn by this one (the output is byte for byte one-process's).

The page-ranges pool is started (forkserver) and warmed before timing; times are wall clock, ratios the medians of per-round ratios against one-process. The
load average printed with each round says how busy the machine was: on a machine shared with
other work, extra processes only compete with that work for the same cores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_print import LAYOUT, make_cards  # noqa: E402

from cta_kit.domain.layouts import load_layout  # noqa: E402
from cta_kit.pdf import qr  # noqa: E402
from cta_kit.pdf.parallel import encode_in_parallel  # noqa: E402
from cta_kit.pdf.render import DocumentInfo, render_cards  # noqa: E402

INFO = DocumentInfo("bench", "bench", "bench", datetime(2025, 1, 1, tzinfo=timezone.utc))
CASES = ("one-process", "page-ranges", "encode-pool")


def render_range(count: int, start: int, stop: int) -> bytes:
    return render_cards(load_layout(LAYOUT), make_cards("tracked", count)[start:stop], INFO)


def one_process(layout, cards, pool, processes: int) -> bytes:
    return render_cards(layout, cards, INFO)


def page_ranges(layout, cards, pool, processes: int) -> bytes:
    per_page = layout.cards_per_page
    pages = -(-len(cards) // per_page)
    cuts = [round(pages * i / processes) * per_page for i in range(processes + 1)]
    # Each process builds the same card records (not timed apart: shipping 10,000 records costs about as much)
    parts = list(pool.map(render_range, [len(cards)] * processes, cuts[:-1], cuts[1:]))
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for index, part in enumerate(parts):
            names.append(f"{folder}/{index}.pdf")
            Path(names[-1]).write_bytes(part)
        joined = f"{folder}/joined.pdf"
        subprocess.run(["qpdf", "--empty", "--deterministic-id", "--pages", *names, "--", joined], check=True)
        return Path(joined).read_bytes()


def encode_pool(layout, cards, pool, processes: int) -> bytes:
    """As cta-kit prints a big tracked batch: a pool started for the batch encodes, then one process draws."""
    symbols = encode_in_parallel((item.url for card in cards for item in card.qr_items), always=True)
    with qr.prepared(symbols):
        return render_cards(layout, cards, INFO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    layout = load_layout(LAYOUT)
    cards = make_cards("tracked", args.cards)
    render_cards(layout, cards[:10], INFO)
    runs = {case: [] for case in CASES}
    sizes = {}
    with ProcessPoolExecutor(args.processes, mp_context=multiprocessing.get_context("forkserver")) as pool:
        list(pool.map(render_range, [20] * args.processes, [0] * args.processes, [10] * args.processes))
        print(f"{args.cards} tracked cards, {args.processes} processes, {os.cpu_count()} cores")
        for round_number in range(1, args.rounds + 1):
            for case in CASES:
                start = time.perf_counter()
                pdf = globals()[case.replace("-", "_")](layout, cards, pool, args.processes)
                runs[case].append(time.perf_counter() - start)
                sizes[case] = len(pdf)
            times = "  ".join(f"{case} {runs[case][-1] * 1000 / args.cards:.2f}" for case in CASES)
            print(f"round {round_number}: ms/card {times}  (load average {os.getloadavg()[0]:.1f})", flush=True)
    for case in CASES:
        ratio = statistics.median(one / other for one, other in zip(runs["one-process"], runs[case]))
        print(
            f"{case:12} {statistics.median(runs[case]) * 1000 / args.cards:6.2f} ms/card  "
            f"{sizes[case] / args.cards / 1024:5.2f} KiB/card  {ratio:.2f}x one process's speed"
        )


if __name__ == "__main__":
    main()
