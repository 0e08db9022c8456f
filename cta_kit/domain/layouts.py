"""Print layouts as data: TOML files in mm, every dimension checked when loaded.

A layout says where cards sit on a sheet (or a thermal roll) and where each element sits on a
card. Nothing here draws: `cta_kit.pdf` renders a loaded `Layout`, and the editor's preview
uses the same elements and the same variable registry. See print_layouts/README.md.

This module is the one place callers import from; the work is split by concern:

- `layout_model`: the dataclasses, the variable registry and `Template`
- `qr_sizing`: module sizes, quiet zone and error correction of the QR codes
- `layout_loading`: `load_layout` and `load_layouts`, parsing each file
- `layout_checks`: checks of a parsed layout as a whole (panels, slots, bleed, margins)
- `layout_toml`: typed access to TOML tables and the loader's messages
"""

from cta_kit.domain.layout_loading import PAPER_SIZES_MM, load_layout, load_layouts
from cta_kit.domain.layout_model import (
    CARD_VARIABLES,
    LINE_HEIGHT,
    PT_MM,
    QR_VARIABLES,
    STANDING_WITHHELD,
    VARIABLES,
    Element,
    Layout,
    LayoutError,
    LineElement,
    LogoElement,
    Panel,
    QrElement,
    Template,
    TextElement,
    TextStyle,
    Variable,
)
from cta_kit.domain.layout_toml import EPSILON, mm_up
from cta_kit.domain.qr_sizing import (
    COMFORTABLE_QR_MODULE_MM,
    DEFAULT_QR_PAYLOAD_CHARS,
    MIN_QR_MODULE_MM,
    QR_QUIET_ZONE_MODULES,
    qr_error_correction,
    qr_level_constant,
    qr_modules_with_quiet_zone,
)

__all__ = [
    "CARD_VARIABLES",
    "COMFORTABLE_QR_MODULE_MM",
    "DEFAULT_QR_PAYLOAD_CHARS",
    "EPSILON",
    "LINE_HEIGHT",
    "MIN_QR_MODULE_MM",
    "PAPER_SIZES_MM",
    "PT_MM",
    "QR_QUIET_ZONE_MODULES",
    "QR_VARIABLES",
    "STANDING_WITHHELD",
    "VARIABLES",
    "Element",
    "Layout",
    "LayoutError",
    "LineElement",
    "LogoElement",
    "Panel",
    "QrElement",
    "Template",
    "TextElement",
    "TextStyle",
    "Variable",
    "load_layout",
    "load_layouts",
    "mm_up",
    "qr_error_correction",
    "qr_level_constant",
    "qr_modules_with_quiet_zone",
]
