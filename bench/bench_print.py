"""Printing speed: cta-kit's vector cards against the tutorial way, in the same run.

    .venv/bin/python bench/bench_print.py [--cards 1000 10000] [--repeat 3]

Unique cards (one code, one QR of ~80 characters each, as in FIELD-NOTES section 4) on
business-card-10up-a4. The baseline is what most tutorials do: qrcode -> PIL image -> PNG ->
ReportLab drawImage, with the same text and the same fonts. Each case runs in its own
subprocess, so peak memory (ru_maxrss) belongs to that case alone; times are medians over
--repeat runs and cover rendering only (building the card records is excluded).
Both cases run with ReportLab's ASCII85 stream wrapping off, as cta-kit's renderer sets it,
so the baseline is not slowed by the pure-Python ASCII85 encoder.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYOUT = ROOT / "print_layouts" / "business-card-10up-a4.toml"
METHODS = ("raster", "vector")


def make_cards(count: int):
    from cta_kit.domain.codes import format_code, new_code
    from cta_kit.pdf.render import CardContent, QrItem

    rng = random.Random(count)
    cards = []
    for i in range(count):
        code = new_code(rng)
        url = f"https://cards.example.com/r/{code}/google?via=printed-card&n={i:06d}&x=abcd"
        cards.append(
            CardContent(
                {
                    "headline": "Your opinion counts",
                    "body": "Where do you leave your reviews? Tell us honestly, good or bad: scan the code.",
                    "offer": "Free coffee on your next visit",
                    "code": format_code(code),
                    "business": "Bistro \u0141\u00f3d\u017a",
                    "validity": "Valid until 30 June",
                },
                (QrItem(url, "Google", f"cta.example/r/{code[:5]}"),),
            )
        )
    return cards


def render_vector(layout, cards, info) -> bytes:
    from cta_kit.pdf.render import render_cards

    return render_cards(layout, cards, info)


def render_raster(layout, cards, info) -> bytes:
    """The tutorial way: a PNG per QR code, placed with drawImage."""
    import qrcode
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from cta_kit.pdf.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    page_w, page_h = layout.page_size_mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w * mm, page_h * mm), invariant=1, pageCompression=1)
    canvas.setTitle(info.title)
    per_page = layout.cards_per_page
    for first in range(0, len(cards), per_page):
        for (x, y), card in zip(layout.card_origins_mm(), cards[first : first + per_page]):
            left, top = x * mm, (page_h - y) * mm
            centre = left + layout.card_width_mm * mm / 2
            v = card.variables
            canvas.setFont(BOLD, 11)
            canvas.drawCentredString(centre, top - 7 * mm, v["headline"])
            canvas.setFont(REGULAR, 7)
            canvas.drawCentredString(centre, top - 11 * mm, v["body"][:60])
            canvas.drawCentredString(centre, top - 14 * mm, v["body"][60:])
            canvas.setFont(BOLD, 7)
            canvas.drawCentredString(centre, top - 17 * mm, v["offer"])
            item = card.qr_items[0]
            image = qrcode.make(item.url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
            png = io.BytesIO()
            image.save(png, format="PNG")
            png.seek(0)
            canvas.drawImage(ImageReader(png), centre - 11.25 * mm, top - 40.5 * mm, 22.5 * mm, 22.5 * mm)
            canvas.setFont(BOLD, 5.5)
            canvas.drawCentredString(centre, top - 42.5 * mm, item.label)
            canvas.setFont(REGULAR, 5.5)
            canvas.drawCentredString(centre, top - 44.5 * mm, item.short_url)
            canvas.setFont(BOLD, 10)
            canvas.drawCentredString(centre, top - 49.5 * mm, "Code " + v["code"])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def worker(method: str, count: int) -> None:
    from reportlab import rl_config

    from cta_kit.domain.layouts import load_layout
    from cta_kit.pdf.render import DocumentInfo

    rl_config.useA85 = 0
    layout = load_layout(LAYOUT)
    cards = make_cards(count)
    info = DocumentInfo("bench", "bench", "bench", datetime(2025, 1, 1, tzinfo=timezone.utc))
    render = render_vector if method == "vector" else render_raster
    render(layout, cards[:10], info)  # warm caches (fonts, per-version QR tables), as a server would be
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    pdf = render(layout, cards, info)
    seconds = time.perf_counter() - start
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "bytes": len(pdf), "rss_before_kib": rss_before, "rss_peak_kib": rss_peak}))


def run_case(method: str, count: int, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--worker", method, str(count)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "method": method,
        "cards": count,
        "ms_per_card": seconds * 1000 / count,
        "bytes_per_card": runs[0]["bytes"] / count,
        "peak_rss_mib": max(r["rss_peak_kib"] for r in runs) / 1024,
        "rss_growth_mib": max(r["rss_peak_kib"] - r["rss_before_kib"] for r in runs) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the median time is reported")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return

    print(f"layout {LAYOUT.stem}, 1 QR of ~80 characters per card, median of {args.repeat} runs")
    print(f"{'method':8} {'cards':>6} {'ms/card':>8} {'KiB/card':>9} {'peak RSS MiB':>13} {'growth MiB':>11}")
    results = {}
    for count in args.cards:
        for method in METHODS:
            r = results[method, count] = run_case(method, count, args.repeat if count <= 2000 else 1)
            print(
                f"{method:8} {count:>6} {r['ms_per_card']:>8.2f} {r['bytes_per_card'] / 1024:>9.2f} "
                f"{r['peak_rss_mib']:>13.1f} {r['rss_growth_mib']:>11.1f}",
                flush=True,
            )
    for count in args.cards:
        raster, vector = results["raster", count], results["vector", count]
        print(
            f"{count} cards: vector is {raster['ms_per_card'] / vector['ms_per_card']:.1f}x faster "
            f"and its file {raster['bytes_per_card'] / vector['bytes_per_card']:.1f}x smaller than the baseline"
        )
    low, high = min(args.cards), max(args.cards)
    if low != high:
        for method in METHODS:
            growth = results[method, high]["ms_per_card"] / results[method, low]["ms_per_card"]
            verdict = "linear" if growth < 1.2 else "NOT linear"
            print(f"{method}: ms/card at {high} / at {low} = {growth:.2f} ({verdict})")


if __name__ == "__main__":
    main()
