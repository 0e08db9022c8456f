"""QR sizing (FIELD-NOTES section 4): the loader checks QR boxes with it, the PDF draws with it."""

from __future__ import annotations

import qrcode.constants
import qrcode.util

# Rasterised with pdftoppm and decoded with zxing-cpp: 0.33 mm modules decode at 203 dpi, the
# usual thermal printer, and above; 0.5 mm modules decode from 150 dpi, a draft-mode inkjet.
MIN_QR_MODULE_MM = 0.33
COMFORTABLE_QR_MODULE_MM = 0.5
QR_QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 asks for four
DEFAULT_QR_PAYLOAD_CHARS = 80

_EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_error_correction(payload_length: int) -> str:
    """More correction where it is cheap, as pretix does (H up to 32 characters).

    pretix drops to L above 128 characters; we stop at M (15% recovery) because cards live
    in wallets and on wet tables, and a longer link is better shortened than made fragile.
    """
    if payload_length <= 32:
        return "H"
    if payload_length <= 64:
        return "Q"
    return "M"


def qr_level_constant(level: str) -> int:
    return _EC_LEVELS[level]


def qr_modules_with_quiet_zone(payload_length: int) -> int:
    """Side of the smallest symbol holding this many bytes, quiet zone included.

    Byte mode is the worst case; the encoder may do better with alphanumeric runs.
    """
    limits = qrcode.util.BIT_LIMIT_TABLE[_EC_LEVELS[qr_error_correction(payload_length)]]
    for version in range(1, 41):
        needed = 4 + (8 if version < 10 else 16) + 8 * payload_length
        if needed <= limits[version]:
            return 4 * version + 17 + 2 * QR_QUIET_ZONE_MODULES
    raise ValueError(f"{payload_length} characters do not fit in a QR code")

