import io
import random
import re

import pytest
import qrcode
import qrcode.util
from reportlab.pdfgen.canvas import Canvas

from cta_kit.domain.layouts import qr_level_constant
from cta_kit.pdf.qr import (
    QrTooSmall,
    _matrix_int,
    _transpose,
    check_module_size,
    draw_qr,
    encode,
    penalty,
    svg_path,
)

TO_ASCII = bytes.maketrans(b"\x00\x01", b"01")
ALPHABET = "abcdefghijkXYZ0123456789/:.?&=-_é€"


def payloads(count, seed=11):
    rng = random.Random(seed)
    lengths = (1, 5, 20, 32, 33, 60, 64, 65, 79, 80, 84, 100, 150, 300, 600)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.choice(lengths))) for _ in range(count)]


def reference(payload, level, mask=None):
    qr = qrcode.QRCode(error_correction=qr_level_constant(level), border=0, mask_pattern=mask)
    qr.add_data(payload)
    qr.make()
    return tuple(bytes(row).translate(TO_ASCII) for row in qr.modules)


@pytest.mark.parametrize("payload", payloads(150))
def test_same_matrix_as_qrcode_with_its_best_mask(payload):
    symbol = encode(payload)
    assert symbol.lines == reference(payload, symbol.level)


@pytest.mark.parametrize("mask", range(8))
def test_a_given_mask_builds_qrcodes_matrix_with_that_mask(mask):
    for payload in payloads(5, seed=mask):
        symbol = encode(payload, mask=mask)
        assert symbol.mask == mask
        assert symbol.lines == reference(payload, symbol.level, mask)


def test_penalty_equals_qrcode_lost_point_for_every_mask():
    for payload in payloads(40, seed=3):
        qr = qrcode.QRCode(border=0)
        qr.add_data(payload)
        qr.best_fit()
        for mask in range(8):
            qr.makeImpl(True, mask)
            n = qr.modules_count
            rows = _matrix_int(qr.modules)
            assert _transpose(rows, n) == _matrix_int(zip(*qr.modules))
            assert penalty(rows, _transpose(rows, n), n) == qrcode.util.lost_point(qr.modules)


def test_error_correction_level_from_payload_length():
    assert encode("x" * 20).level == "H"
    assert encode("x" * 50).level == "Q"
    assert encode("x" * 80).level == "M"


def test_rectangles_cover_exactly_the_dark_modules():
    for payload in payloads(30, seed=5):
        symbol = encode(payload)
        n = symbol.size
        grid = [[0] * n for _ in range(n)]
        for x, y, w, h in symbol.rectangles():
            for row in range(y, y + h):
                for col in range(x, x + w):
                    grid[row][col] += 1
        assert [bytes(b"01"[v] for v in row) for row in grid] == list(symbol.lines)
        runs = sum(len(re.findall(rb"1+", line)) for line in symbol.lines)
        assert len(symbol.rectangles()) < runs  # repeated runs merged downwards


def test_drawn_as_one_path_of_integer_row_runs_covering_exactly_the_dark_modules():
    symbol = encode("https://cards.example.com/r/KG65MF8F547/google")
    canvas = Canvas(io.BytesIO(), pageCompression=0)
    draw_qr(canvas, symbol, 10, 20, 22.5)
    code = canvas._code  # what this page's content stream will contain
    paths = [c for c in code if " re" in c]
    assert len(paths) == 1
    assert re.fullmatch(r"\d+ \d+ \d+ 1 re( \d+ \d+ \d+ 1 re)*", paths[0])
    n = symbol.size
    grid = [[0] * n for _ in range(n)]
    for x, y, w, _ in re.findall(r"(\d+) (\d+) (\d+) (1) re", paths[0]):
        for col in range(int(x), int(x) + int(w)):
            grid[n - 1 - int(y)][col] += 1
    assert [bytes(b"01"[v] for v in row) for row in grid] == list(symbol.lines)
    index = code.index(paths[0])
    assert code[index - 1].startswith("q ") and code[index + 1] == "f Q"  # filled once, non-zero rule


def test_svg_path_has_one_subpath_per_rectangle_offset_by_the_quiet_zone():
    symbol = encode("hello")
    d = svg_path(symbol)
    assert d.count("M") == len(symbol.rectangles())
    x, y, w, h = symbol.rectangles()[0]
    assert d.startswith(f"M{x + 4} {y + 4}h{w}v{h}h-{w}z")


def test_module_size_limits():
    symbol = encode("x" * 80)  # version 5 at M: 37 + 8 = 45 modules
    assert symbol.modules_with_quiet_zone == 45
    assert check_module_size(symbol, 22.5, "Google") is None  # 0.50 mm
    warning = check_module_size(symbol, 15, "Google")  # 0.33 mm
    assert "0.33 mm" in warning.render()
    with pytest.raises(QrTooSmall) as caught:
        check_module_size(symbol, 14.8, "Google")  # 0.329 mm
    assert caught.value.message.params["needed"] == 14.9
