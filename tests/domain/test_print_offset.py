"""The print offset's rule: within 10 mm, to a tenth of a millimetre, and for sheets only."""

import math

import pytest

from cta_kit.domain.print_offset import NO_OFFSET, PrintOffset, checked_print_offset, offset_for_layout


@pytest.mark.parametrize(
    "x, y, expected",
    [
        (None, None, PrintOffset(0.0, 0.0)),
        (1.5, -2.0, PrintOffset(1.5, -2.0)),
        (-10.0, 10.0, PrintOffset(-10.0, 10.0)),
        (0.26, -0.04, PrintOffset(0.3, 0.0)),  # tenths of a millimetre; never "-0"
    ],
)
def test_offsets_within_ten_millimetres_are_kept_to_a_tenth(x, y, expected):
    offset, errors = checked_print_offset(x, y)
    assert errors == {} and offset == expected
    assert math.copysign(1, offset.y_mm) == math.copysign(1, expected.y_mm)


@pytest.mark.parametrize("x, y, fields", [(10.5, 0, ["print_offset_x"]), (0, -11, ["print_offset_y"]),
                                          (math.nan, math.inf, ["print_offset_x", "print_offset_y"])])
def test_offsets_beyond_ten_millimetres_are_refused_field_by_field(x, y, fields):
    offset, errors = checked_print_offset(x, y)
    assert offset is None and sorted(errors) == fields
    assert "between -10.0 and 10.0 mm" in errors[fields[0]].render()


def test_receipt_rolls_are_never_moved():
    offset = PrintOffset(2.0, 1.0)
    assert offset_for_layout(offset, is_roll=False) == offset
    assert offset_for_layout(offset, is_roll=True) == NO_OFFSET
