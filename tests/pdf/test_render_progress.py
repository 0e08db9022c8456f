"""The renderer reports its progress page by page, and the report changes nothing in the PDF."""

from tests.pdf.conftest import sample_cards


def test_progress_is_reported_after_each_page(layouts, info):
    from cta_kit.pdf.render import render_cards

    layout = layouts["business-card-10up-a4"]
    cards = sample_cards(25, seed=7)
    reports = []
    with_progress = render_cards(layout, cards, info, progress=lambda done, total: reports.append((done, total)))
    assert reports == [(10, 25), (20, 25), (25, 25)]
    assert with_progress == render_cards(layout, cards, info)
