"""QR codes as vector paths: `qrcode` builds the module matrix, we draw it.

Speed. Most of the encoder's time goes to choosing the mask: `qrcode` builds the whole matrix
eight times and scores each with a pure-Python penalty. Measured on 80-character card links:
~9-11 ms per code with qrcode's best mask, ~1.6-2 ms with a fixed mask. A fixed mask is not
free, though: over 1,000 card links, mask 0 was the best one for 7% of them, and its ISO/IEC
18004 penalty was 162 points above the best at the median (355 at the 95th percentile; one
finder-like pattern costs 40), i.e. more blocks and false finder patterns for scanners to trip
on. So we keep the best mask and choose it faster: qrcode places the data once (mask 0);
every other candidate differs only by an XOR on the data modules, and the four penalty rules
are counted with shifts and ANDs on the whole matrix held as one integer. The symbol is
byte-for-byte what `qrcode.make()` builds (tests/pdf/test_qr.py compares them), at ~7% more
than a fixed mask.

Drawing. One path per code, each horizontal run of dark modules one rectangle, in a coordinate
system scaled to one module, so that every operator is four small integers, written as one
string straight into the content stream: ReportLab's path.rect() formats floats and took 2 ms
per code; merging runs repeated on the rows below into taller rectangles made the operators
15% shorter (about the same once compressed) but doubled the time (0.28 against 0.14 ms a code). A raster image would be larger,
slower, and blurred by the printer's rescaling. The SVG preview keeps the merged rectangles.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

import qrcode
import qrcode.util
from reportlab.lib.units import mm
from reportlab.lib.rl_accel import fp_str

from cta_kit.domain.errors import DomainError
from cta_kit.domain.i18n import N_, Message
from cta_kit.domain.layouts import (
    COMFORTABLE_QR_MODULE_MM,
    MIN_QR_MODULE_MM,
    QR_QUIET_ZONE_MODULES,
    mm_up,
    qr_error_correction,
    qr_level_constant,
)


class QrTooSmall(DomainError):
    pass


class QrLegibilityWarning(UserWarning):
    """Modules between 0.33 and 0.5 mm: fine on a 203 dpi thermal printer, risky below."""

    def __init__(self, message: Message):
        super().__init__(message.render())
        self.message = message


@dataclass(frozen=True)
class QrSymbol:
    payload: str
    level: str
    mask: int
    lines: tuple[bytes, ...]  # one b"0101..." per row, top row first, no quiet zone

    @property
    def size(self) -> int:
        return len(self.lines)

    @property
    def modules_with_quiet_zone(self) -> int:
        return self.size + 2 * QR_QUIET_ZONE_MODULES

    def rectangles(self) -> list[tuple[int, int, int, int]]:
        """(x, y, width, height) in modules from the symbol's top-left, y downwards.

        Each run of dark modules in a row is a rectangle; a run repeated exactly on the rows
        below grows taller instead of starting another (finder patterns, timing columns).
        """
        done, open_ = [], {}
        for y, line in enumerate(self.lines + (b"",)):
            still = {}
            for match in _DARK_RUN.finditer(line):
                span = match.span()
                still[span] = open_.pop(span, y)
            done.extend((a, top, b - a, y - top) for (a, b), top in open_.items())
            open_ = still
        return done


_DARK_RUN = re.compile(rb"1+")
_TO_ASCII = bytes.maketrans(b"\x00\x01", b"01")


# --- Mask selection ------------------------------------------------------------------------------
#
# A matrix is one integer: row r, column c is bit (n-1-r)*n + (n-1-c). Each penalty rule is then
# a few shifts and ANDs over the whole matrix, with masks keeping runs inside their row.


def _matrix_int(rows) -> int:
    return int(b"".join(bytes(row).translate(_TO_ASCII) for row in rows), 2)


def _cells_int(n: int, cells) -> int:
    return _matrix_int([[(r, c) in cells for c in range(n)] for r in range(n)])


def _cells_set_by(version: int, setup) -> set[tuple[int, int]]:
    """The cells one of qrcode's setup_* methods writes, found by running it on an empty matrix."""
    probe = qrcode.QRCode(version=version, border=0)
    probe.modules_count = n = 4 * version + 17
    probe.modules = [[None] * n for _ in range(n)]
    setup(probe)
    return {(r, c) for r in range(n) for c in range(n) if probe.modules[r][c] is not None}


@lru_cache(maxsize=None)
def _areas(version: int) -> tuple[int, int]:
    """(format cells, cells qrcode leaves light while it scores masks): format info, the dark
    module and, from version 7, version info."""
    n = 4 * version + 17
    format_cells = _cells_set_by(version, lambda q: q.setup_type_info(False, 0))
    scored_light = set(format_cells)
    if version >= 7:
        scored_light |= _cells_set_by(version, lambda q: q.setup_type_number(False))
    return _cells_int(n, format_cells), _cells_int(n, scored_light)


@lru_cache(maxsize=None)
def _format_bits(version: int, level: int, mask: int) -> int:
    """Format information for this level and mask, as qrcode writes it."""
    qr = qrcode.QRCode(version=version, error_correction=level, border=0, mask_pattern=mask)
    qr.add_data("")
    qr.make(fit=False)
    return _matrix_int(qr.modules) & _areas(version)[0]


@lru_cache(maxsize=None)
def _mask_ints(version: int, mask: int) -> tuple[int, int]:
    """The modules a mask flips (its pattern on data modules), by rows and by columns."""
    n = 4 * version + 17
    is_data = _data_positions(version)
    flips = qrcode.util.mask_func(mask)
    matrix = [[is_data[r][c] and bool(flips(r, c)) for c in range(n)] for r in range(n)]
    return _matrix_int(matrix), _matrix_int(zip(*matrix))


@lru_cache(maxsize=None)
def _data_positions(version: int) -> tuple[tuple[bool, ...], ...]:
    """Modules left free after function patterns, format and version information."""
    probe = _PositionProbe(version=version, border=0)
    probe.add_data("")
    probe.makeImpl(True, 0)
    return probe.free


class _PositionProbe(qrcode.QRCode):
    def map_data(self, data, mask_pattern):
        # qrcode fills exactly the modules still None when it maps the data.
        self.free = tuple(tuple(m is None for m in row) for row in self.modules)
        super().map_data(data, mask_pattern)


def _transpose(matrix: int, n: int) -> int:
    bits = format(matrix, f"0{n * n}b")
    return int("".join(bits[c::n] for c in range(n)), 2)


@lru_cache(maxsize=None)
def _bounds(n: int) -> tuple[int, int, int]:
    """Bits that may start a pair, an 11-module window, and a 2x2 block, within one row."""
    pair = window = 0
    for i in range(n * n):
        if i % n != n - 1:
            pair |= 1 << i
        if i % n <= n - 11:
            window |= 1 << i
    return pair, window, pair & ((1 << (n * n - n)) - 1)


_N3_CORE = (1, 0, 1, 1, 1, 0, 1)  # dark:light:dark:light:dark = 1:1:3:1:1


def _n1(matrix: int, pair: int) -> int:
    """Runs of five or more same-coloured modules score 3 + (length - 5)."""
    same = ~(matrix ^ (matrix >> 1)) & pair  # bit i: module i equals module i+1, same row
    windows = same & (same >> 1) & (same >> 2) & (same >> 3)  # a run of 5+ covers i..i+4
    return windows.bit_count() + 2 * (windows & ~(windows >> 1)).bit_count()


def _n3(matrix: int, window: int) -> int:
    """1:1:3:1:1 patterns with four light modules before or after them score 40 each."""
    light = ~matrix
    core = -1
    for k, dark in enumerate(_N3_CORE):
        core &= (matrix if dark else light) >> (6 - k)  # bit i: the core occupies i..i+6
    light4 = light & (light >> 1) & (light >> 2) & (light >> 3)  # bit i: i..i+3 are light
    # Bits are numbered right to left: "core then four light" means the light run is lower.
    return 40 * ((core >> 4 & light4 & window).bit_count() + (core & light4 >> 7 & window).bit_count())


def penalty(rows: int, cols: int, n: int) -> int:
    """qrcode.util.lost_point on a matrix given as integers (same rules, same score)."""
    pair, window, block = _bounds(n)
    vertical = ~(rows ^ (rows >> n))  # bit i: module i equals the one above it
    same = ~(rows ^ (rows >> 1))
    blocks = vertical & (vertical >> 1) & same & block
    dark = rows.bit_count() / (n * n)
    return (
        _n1(rows, pair)
        + _n1(cols, pair)
        + _n3(rows, window)
        + _n3(cols, window)
        + 3 * blocks.bit_count()
        + int(abs(dark * 100 - 50) / 5) * 10  # as qrcode computes it, floats and all
    )


def best_mask(unmasked: int, version: int) -> int:
    """The mask qrcode's best_mask_pattern() picks, scored on the matrix as qrcode scores it."""
    n = 4 * version + 17
    rows = unmasked & ~_areas(version)[1]
    cols = _transpose(rows, n)
    scores = []
    for mask in range(8):
        mask_rows, mask_cols = _mask_ints(version, mask)
        scores.append((penalty(rows ^ mask_rows, cols ^ mask_cols, n), mask))
    return min(scores)[1]


_PREPARED: ContextVar[Mapping[str, QrSymbol]] = ContextVar("prepared_qr_symbols", default={})


@contextmanager
def prepared(symbols: Mapping[str, QrSymbol]) -> Iterator[None]:
    """Inside the block, `encode` answers from `symbols` first: codes encoded beforehand, on other cores."""
    token = _PREPARED.set(symbols)
    try:
        yield
    finally:
        _PREPARED.reset(token)


def encode(payload: str, mask: int | None = None) -> QrSymbol:
    if mask is None and (symbol := _PREPARED.get().get(payload)) is not None:
        return symbol
    return _encoded(payload, mask)


@lru_cache(maxsize=256)
def _encoded(payload: str, mask: int | None = None) -> QrSymbol:
    """The matrix qrcode.make() would build, with its best mask, in a fraction of the time.

    qrcode builds the matrix once, with mask 0. Changing the mask only flips data modules and
    rewrites the format information, so the eight candidates and the final symbol are XORs.
    A given `mask` skips the choice: only the benchmark's lower bound uses it.
    Cached, since a batch of cards with direct links repeats the same few links.
    """
    level = qr_error_correction(len(payload.encode("utf-8")))
    ec = qr_level_constant(level)
    qr = qrcode.QRCode(error_correction=ec, border=0, mask_pattern=0)
    qr.add_data(payload)
    qr.best_fit()  # make(fit=True) would fit twice: reading .version fits too
    qr.make(fit=False)
    version, n = qr.version, qr.modules_count
    unmasked = _matrix_int(qr.modules) ^ _mask_ints(version, 0)[0]
    if mask is None:
        mask = best_mask(unmasked, version)
    final = (unmasked ^ _mask_ints(version, mask)[0]) & ~_areas(version)[0] | _format_bits(version, ec, mask)
    bits = format(final, f"0{n * n}b").encode("ascii")
    return QrSymbol(payload, level, mask, tuple(bits[i : i + n] for i in range(0, n * n, n)))


# --- Size checks and drawing ---------------------------------------------------------------------


def module_size_mm(symbol: QrSymbol, box_mm: float) -> float:
    return box_mm / symbol.modules_with_quiet_zone


def check_module_size(symbol: QrSymbol, box_mm: float, site: str) -> Message | None:
    """Raise below the smallest legible module; return a warning below the comfortable one.

    ``site`` names the code for the owner (the review site's name); sizes stay numbers, for the
    reader's language to write them.
    """
    module = module_size_mm(symbol, box_mm)
    params = {
        "site": site,
        "size": round(box_mm, 1),
        "module": round(module, 2),
        "modules": symbol.modules_with_quiet_zone,
        "chars": len(symbol.payload),
    }
    if module + 1e-9 < MIN_QR_MODULE_MM:
        raise QrTooSmall(
            Message(
                N_(
                    "The QR code for %(site)s is %(size)s mm for %(modules)s modules (a %(chars)s-character "
                    "link): modules of %(module)s mm are too small to scan; at least %(needed)s mm is needed."
                ),
                params | {"needed": float(mm_up(MIN_QR_MODULE_MM * symbol.modules_with_quiet_zone))},
            )
        )
    if module + 1e-9 < COMFORTABLE_QR_MODULE_MM:
        return Message(
            N_(
                "The QR code for %(site)s has modules of %(module)s mm: print at 203 dpi or more, "
                "or use a shorter link."
            ),
            params,
        )
    return None


def warn_once(messages: list[Message]) -> None:
    if messages:
        warnings.warn(QrLegibilityWarning(messages[0]), stacklevel=3)


def draw_qr(canvas, symbol: QrSymbol, x: float, y: float, box_mm: float) -> None:
    """Draw in a box whose bottom-left is (x, y) pt; the quiet zone is inside the box.

    Filled with the non-zero rule, in a saved graphics state, like canvas.drawPath, but
    written as one string: the canvas's own state is left as it was.
    """
    module = box_mm * mm / symbol.modules_with_quiet_zone
    quiet = QR_QUIET_ZONE_MODULES * module
    canvas.addLiteral(f"q 1 0 0 1 {fp_str(x + quiet, y + quiet)} cm {fp_str(module)} 0 0 {fp_str(module)} 0 0 cm")
    canvas.addLiteral(row_runs(symbol))
    canvas.addLiteral("f Q")


def row_runs(symbol: QrSymbol) -> str:
    """Every horizontal run of dark modules as "x y width 1 re", y upwards from the bottom row."""
    ops = []
    add = ops.append
    top = symbol.size - 1
    for y, line in enumerate(symbol.lines):
        row = f" {top - y} "
        for match in _DARK_RUN.finditer(line):
            start, end = match.span()
            add(f"{start}{row}{end - start} 1 re")
    return " ".join(ops)


def svg_path(symbol: QrSymbol) -> str:
    """The same rectangles as an SVG path in module units, quiet zone included."""
    q = QR_QUIET_ZONE_MODULES
    return "".join(f"M{rx + q} {ry + q}h{w}v{h}h-{w}z" for rx, ry, w, h in symbol.rectangles())
