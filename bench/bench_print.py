"""Printing speed: cta-kit's vector cards against the tutorial way and a lower bound, in one run.

    make bench
    .venv/bin/python bench/bench_print.py [--cards 1000 10000] [--rounds 3] [--baseline-cards 1000]

Cards on business-card-10up-a4, each with its own redemption code, in the two link modes:

- direct: the demo campaign's two review links (Google and Tripadvisor), the same on every card;
- tracked: one link per card (~80 characters, through cta-kit's redirect), so one QR code to
  encode per card.

Cases, each against a named reference measured in the same run:

- png-direct, png-tracked: the baseline, what most tutorials do: qrcode -> PIL image -> PNG ->
  ReportLab drawImage for every code, with the same text, fonts and positions;
- direct, tracked: cta-kit's renderer;
- floor-tracked: cta-kit's renderer with every QR code encoded with one fixed mask (no mask
  choice), a lower bound for honest encoding; cta-kit keeps the best mask, as ISO/IEC 18004 asks.

Every case of every round runs in its own subprocess (peak memory, ru_maxrss, is that case's
alone), and the cases alternate round by round, so a machine busy in one round slows every case
of it rather than one case (every other round runs them in reverse order); ratios are the
medians of the per-round ratios, by wall clock and by CPU time (steadier on a shared machine).
Times cover rendering only (building the card records is excluded), after a 10-card warm-up,
as a running server would be. The baseline renders at most --baseline-cards cards per round (its time per
card does not depend on the batch size, and 10,000 cards take minutes); 0 lifts the cap.
After timing, every QR code of the first page is decoded with zxing-cpp and compared with the
links the page should carry. Both renderers write with ReportLab's ASCII85 wrapping off.
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
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYOUT = ROOT / "print_layouts" / "business-card-10up-a4.toml"
CASES = ("png-direct", "direct", "png-tracked", "floor-tracked", "tracked")
TEXT = {
    "headline": "Your opinion counts",
    "body": "Where do you leave your reviews? Tell us honestly, good or bad: scan the code.",
    "offer": "Free coffee on your next visit",
    "business": "Bistro \u0141\u00f3d\u017a",
    "validity": "Valid until 30 June",
}


def make_cards(mode: str, count: int):
    from cta_kit.domain.codes import format_code, new_code
    from cta_kit.domain.destinations import normalise_destination
    from cta_kit.pdf.render import CardContent, QrItem
    from cta_kit.services.demo import DEMO_DESTINATIONS

    demo = [
        QrItem(found.url, d.label, found.display_url)
        for d in DEMO_DESTINATIONS
        if d.platform in ("google", "tripadvisor")
        for found in [normalise_destination(d.platform, d.entered)]
    ]
    rng = random.Random(count)
    cards = []
    for i in range(count):
        code = new_code(rng)
        if mode == "direct":
            items = tuple(demo)
        else:
            url = f"https://cards.example.com/r/{code}/google?via=printed-card&n={i:06d}&x=abcd"
            items = (QrItem(url, "Google", f"cards.example.com/r/{code}/google"),)
        cards.append(CardContent({**TEXT, "code": format_code(code)}, items))
    return cards


def render_vector(layout, cards, info) -> bytes:
    from cta_kit.pdf.render import render_cards

    return render_cards(layout, cards, info)


def use_fixed_mask() -> None:
    """The floor: the renderer unchanged, each code encoded with mask 0 instead of its best mask."""
    from cta_kit.pdf import qr

    encode = qr.encode
    qr.encode = lambda payload: encode(payload, mask=0)


def render_raster(layout, cards, info) -> bytes:
    """The tutorial way: a PNG per QR code, placed with drawImage."""
    import qrcode
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from cta_kit.domain.layouts import QrElement
    from cta_kit.pdf.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    page_w, page_h = layout.page_size_mm
    panel = layout.panels[0]
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
            positions = layout.qr_positions(panel, len(card.qr_items))
            for element in panel.elements:
                if not isinstance(element, QrElement) or element.slot not in positions:
                    continue
                item = card.qr_items[element.slot - 1]
                qx, qy = positions[element.slot]
                image = qrcode.make(item.url, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
                png = io.BytesIO()
                image.save(png, format="PNG")
                png.seek(0)
                size = element.size * mm
                canvas.drawImage(ImageReader(png), left + qx * mm, top - qy * mm - size, size, size)
                middle = left + (qx + element.size / 2) * mm
                canvas.setFont(BOLD, 5.5)
                canvas.drawCentredString(middle, top - qy * mm - size - 2 * mm, item.label)
                canvas.setFont(REGULAR, 5.5)
                canvas.drawCentredString(middle, top - qy * mm - size - 4 * mm, item.short_url)
            canvas.setFont(BOLD, 10)
            canvas.drawCentredString(centre, top - 49.5 * mm, "Code " + v["code"])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def first_page_decodes(pdf: bytes, cards, per_page: int) -> bool:
    """Every QR code of page 1, rasterised at 150 dpi, reads back as the links it should carry."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cards.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(path), f"{folder}/p"], check=True)
        image = Image.open(next(Path(folder).glob("p-*.png")))
        found = sorted(b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    return found == sorted(item.url for card in cards[:per_page] for item in card.qr_items)


def worker(case: str, count: int) -> None:
    from reportlab import rl_config

    from cta_kit.domain.layouts import load_layout
    from cta_kit.pdf.render import DocumentInfo

    rl_config.useA85 = 0
    layout = load_layout(LAYOUT)
    cards = make_cards(case.rsplit("-", 1)[-1], count)
    info = DocumentInfo("bench", "bench", "bench", datetime(2025, 1, 1, tzinfo=timezone.utc))
    if case.startswith("floor-"):
        use_fixed_mask()
    render = render_raster if case.startswith("png-") else render_vector
    render(layout, make_cards(case.rsplit("-", 1)[-1], 10), info)  # warm caches (fonts, per-version QR tables)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), cpu_seconds()
    pdf = render(layout, cards, info)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    decodes = first_page_decodes(pdf, cards, layout.cards_per_page)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": len(pdf), "rss_before_kib": rss_before, "rss_peak_kib": rss_peak, "decodes": decodes}))


def cpu_seconds() -> float:
    """CPU time of this process and of the processes it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_once(case: str, count: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", case, str(count)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


RATIOS = (  # (what, case, reference): how many times faster per card the case is than its reference
    ("direct vs PNG baseline", "direct", "png-direct"),
    ("tracked vs PNG baseline", "tracked", "png-tracked"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each runs every case once")
    parser.add_argument("--baseline-cards", type=int, default=1000, help="most cards per PNG baseline run; 0: no cap")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return

    def cards_for(case: str, count: int) -> int:
        capped = case.startswith("png-") and args.baseline_cards
        return min(count, args.baseline_cards) if capped else count

    print(f"layout {LAYOUT.stem}; {args.rounds} rounds, cases alternating within each round")
    runs: dict[tuple[str, int], list[dict]] = {(case, count): [] for case in CASES for count in args.cards}
    for round_number in range(1, args.rounds + 1):
        started = time.perf_counter()
        order = CASES if round_number % 2 else CASES[::-1]  # no case always runs first, or last
        for count in args.cards:
            for case in order:
                runs[case, count].append(run_once(case, cards_for(case, count)))
        print(f"round {round_number} done in {time.perf_counter() - started:.0f} s", flush=True)

    print()
    print(f"{'case':14} {'cards':>6} {'rendered':>8} {'ms/card':>8} {'CPU ms/card':>12} {'KiB/card':>9} {'peak RSS MiB':>13} {'decodes':>8}")
    for count in args.cards:
        for case in CASES:
            done, rendered = runs[case, count], cards_for(case, count)
            print(
                f"{case:14} {count:>6} {rendered:>8} {statistics.median(r['seconds'] for r in done) * 1000 / rendered:>8.3f} "
                f"{statistics.median(r['cpu'] for r in done) * 1000 / rendered:>12.3f} "
                f"{done[0]['bytes'] / rendered / 1024:>9.2f} {max(r['rss_peak_kib'] for r in done) / 1024:>13.1f} "
                f"{'yes' if all(r['decodes'] for r in done) else 'NO':>8}"
            )

    def median_ratio(numerator: str, denominator: str, count: int, clock: str) -> float:
        """The median over rounds of numerator's time per card / denominator's, on the same round."""
        per_card = {case: [r[clock] / cards_for(case, count) for r in runs[case, count]] for case in (numerator, denominator)}
        return statistics.median(a / b for a, b in zip(per_card[numerator], per_card[denominator]))

    print("\nratios: median over rounds, wall clock (CPU time in brackets)")
    for count in args.cards:
        for what, case, reference in RATIOS:
            wall, cpu = (median_ratio(reference, case, count, clock) for clock in ("seconds", "cpu"))
            print(f"{count} cards, {what}: {wall:.1f}x faster per card ({cpu:.1f}x)")
        wall, cpu = (median_ratio("tracked", "floor-tracked", count, clock) for clock in ("seconds", "cpu"))
        print(f"{count} cards, tracked / fixed-mask floor: {wall:.3f} ({cpu:.3f}) of its time per card (target <= 1.15)")
    decoded = all(r["decodes"] for done in runs.values() for r in done)
    print("every QR code of each case's first page decodes" if decoded else "SOME QR CODES DID NOT DECODE")
    if not decoded:
        sys.exit(1)


if __name__ == "__main__":
    main()
