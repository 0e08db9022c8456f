"""Reading PDFs back as a person's tools would: poppler's rasteriser and zxing-cpp's decoder."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def decoded_qr_codes_per_page(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """Every QR code's text, page by page, from the PDF rasterised by pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "page")], check=True)
        pages = sorted(Path(tmp).glob("page-*.png"))
        return [
            sorted(result.text for result in zxingcpp.read_barcodes(Image.open(page), formats=zxingcpp.BarcodeFormat.QRCode))
            for page in pages
        ]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def qpdf_check(pdf: bytes) -> subprocess.CompletedProcess:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(["qpdf", "--check", handle.name], capture_output=True, text=True)


def word_positions(pdf: bytes, page: int = 1) -> list[tuple[str, float, float]]:
    """(word, left, top) of every word on a page as poppler lays it out, in pt from the page's top-left."""
    import html
    import re

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), handle.name, "-"],
                                capture_output=True, text=True, check=True)
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')
    return [(html.unescape(text), float(left), float(top)) for left, top, text in pattern.findall(result.stdout)]
