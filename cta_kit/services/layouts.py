"""The print layouts shipped in print_layouts/, loaded and validated once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..domain.i18n import Message, N_
from ..domain.layouts import Layout, load_layouts
from .errors import ServiceError

LAYOUTS_DIR = Path(__file__).resolve().parent.parent.parent / "print_layouts"


@cache
def available_layouts(directory: Path = LAYOUTS_DIR) -> dict[str, Layout]:
    return load_layouts(directory)


def layout_named(name: str, field: str = "layout") -> Layout:
    layouts = available_layouts()
    if name not in layouts:
        raise ServiceError(
            {field: Message(N_("There is no layout called “%(name)s”. Choose one of: %(names)s."),
                            {"name": name[:64], "names": ", ".join(layouts)})}
        )
    return layouts[name]
