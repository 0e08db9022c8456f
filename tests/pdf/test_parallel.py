"""A big tracked batch's QR codes encoded by a pool of processes: the same symbols, the same PDF."""

from __future__ import annotations

from datetime import datetime, timezone

from cta_kit.domain.layouts import load_layout
from cta_kit.pdf import parallel
from cta_kit.pdf.qr import encode, prepared
from cta_kit.pdf.render import CardContent, DocumentInfo, QrItem, render_cards
from tests.pdf.test_render_output import LAYOUT_DIR

LINKS = [f"https://cards.example.com/r/ABCDE{index:05d}X/1" for index in range(40)]
INFO = DocumentInfo("Cards", "Chez Nous", "Cards", datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_the_pool_encodes_each_distinct_link_as_one_process_would():
    symbols = parallel.encode_in_parallel(LINKS + LINKS[:5], always=True)
    assert list(symbols) == LINKS
    assert all(symbols[link] == encode(link) for link in LINKS)


def test_small_batches_stay_in_one_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small batch")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    assert parallel.encode_in_parallel(LINKS) == {}


def test_a_pool_only_where_it_pays(monkeypatch):
    big = parallel.PARALLEL_FROM_LINKS
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.4, 0.4, 0.4))
    assert parallel.worth_a_pool(big, 2) and parallel.worth_a_pool(big, 8)
    assert not parallel.worth_a_pool(big - 1, 2) and not parallel.worth_a_pool(big, 1)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.6, 1.6, 1.6))
    assert not parallel.worth_a_pool(big, 2)  # the other core is busy
    assert parallel.worth_a_pool(big, 4)


def test_a_pool_that_cannot_start_costs_speed_not_the_print(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no /dev/shm")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", broken)
    assert parallel.encode_in_parallel(LINKS, always=True) == {}


def test_codes_encoded_beforehand_make_the_same_pdf():
    layout = load_layout(LAYOUT_DIR / "business-card-10up-a4.toml")
    cards = [
        CardContent(variables={"code": f"ABCDE-{index:05d}-X", "headline": "Merci !"}, qr_items=(QrItem(url=link, label="Google", short_url="g.page/x"),))
        for index, link in enumerate(LINKS[:12])
    ]
    alone = render_cards(layout, cards, INFO)
    symbols = {link: encode(link) for link in LINKS}
    with prepared(symbols):
        assert render_cards(layout, cards, INFO) == alone


def test_encode_answers_from_the_prepared_symbols_inside_the_block_only():
    stand_in = encode(LINKS[1])
    with prepared({LINKS[0]: stand_in}):
        assert encode(LINKS[0]) is stand_in
    assert encode(LINKS[0]).payload == LINKS[0]
