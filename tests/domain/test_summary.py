"""The monthly summary against an independent computation over the same generated rows.

The expected figures are computed here the plain way: every row's local month read with
``astimezone``, sums and medians in Decimal, rounded half up. The domain places rows by bisecting
UTC month boundaries and keeps exact fractions; the two must agree on every figure.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, available_timezones

import pytest

from cta_kit.domain.summary import (
    NO_REVIEWS,
    UNSAID,
    InvalidMonthError,
    LocationRows,
    ManualCount,
    MatchRow,
    Month,
    PreferenceRow,
    PrintRow,
    ReviewRow,
    UnknownTimeZoneError,
    combine_summaries,
    figures_by_month,
    month_of,
    month_range_utc,
    months_ending,
    parse_month,
    summarise,
    summary_from_figures,
)
from cta_kit.domain.summary.charts import summary_charts
from cta_kit.domain.summary.labels import SummaryLabels
from cta_kit.domain.summary.spreadsheet import BOM, summary_csv
from tests.summary_rows import PLATFORMS, generated_rows

UTC = timezone.utc
ZONES = ("Europe/Paris", "America/New_York")
# Months with a change of clocks in one zone or both, a year end, and ordinary months.
MONTHS = ("2025-03", "2025-10", "2025-11", "2026-01", "2026-03", "2026-06", "2026-10", "2026-11")


def cents(value: Decimal, places: str = "0.01") -> float:
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def local_month(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m")


def expected_figures(rows: LocationRows, month: str) -> dict:
    """Every figure of `month`, computed directly from the rows."""
    zone = rows.timezone

    def here(instant: datetime) -> bool:
        return local_month(instant, zone) == month

    reviews = [review for review in rows.reviews if here(review.posted_at)]
    manual = [count for count in rows.manual_counts if str(count.month) == month]
    preferences = Counter(preference.platform for preference in rows.preferences if here(preference.logged_at))
    matches = [match for match in rows.matches if here(match.review_posted_at)]
    scans = [scan for scan in rows.scans if here(scan.scanned_at)]

    def site(platforms) -> dict:
        mine = [review for review in reviews if review.platform in platforms]
        counted = [count for count in manual if count.platform in platforms]
        rated = [review.rating for review in mine if review.rating is not None]
        weighted = [(Decimal(str(count.average)) * count.count, count.count) for count in counted if count.average is not None]
        rated_count = len(rated) + sum(n for _, n in weighted)
        total = sum(Decimal(rating) for rating in rated) + sum((value for value, _ in weighted), Decimal(0))
        replies = [
            max(0.0, (review.replied_at - review.posted_at).total_seconds()) for review in mine if review.replied_at
        ]
        return {
            "reviews": len(mine) + sum(count.count for count in counted),
            "average_rating": cents(total / rated_count) if rated_count else None,
            "ratings": {str(star): sum(1 for rating in rated if rating == star) for star in range(1, 6)},
            "unrated": len(mine) - len(rated) + sum(count.count for count in counted),
            "replied": len(replies),
            "reply_share": cents(Decimal(len(replies)) / len(mine), "0.001") if mine else None,
            "median_reply_hours": cents(Decimal(str(statistics.median(replies))) / 3600, "0.1") if replies else None,
            "scans": sum(1 for scan in scans if scan.platform in platforms),
            "preferences": sum(preferences[key] for key in platforms),
            "reviews_attributed": sum(1 for match in matches if match.platform in platforms and match.status == "confirmed"),
            "reviews_attributed_suggested": sum(
                1 for match in matches if match.platform in platforms and match.status == "suggested"
            ),
        }

    seen = {review.platform for review in rows.reviews} | {count.platform for count in rows.manual_counts}
    all_platforms = seen | {key for key in preferences if key not in (NO_REVIEWS, UNSAID)} | set(PLATFORMS)
    totals = site(all_platforms)
    totals["preferences"] = sum(preferences.values())
    totals.update(
        cards_printed=sum(batch.cards for batch in rows.prints if here(batch.printed_at) and not batch.till_slip),
        till_slips=sum(batch.cards for batch in rows.prints if here(batch.printed_at) and batch.till_slip),
        redemptions=sum(1 for redemption in rows.redemptions if here(redemption.redeemed_at)),
    )
    return {"totals": totals, "platforms": {key: site({key}) for key in all_platforms}, "preferences": preferences}


def previous_label(month: str) -> str:
    year, number = map(int, month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


@pytest.fixture(scope="module", params=ZONES)
def rows(request) -> LocationRows:
    return generated_rows(request.param, seed=len(request.param))


@pytest.mark.parametrize("month", MONTHS)
def test_every_figure_equals_the_independent_computation(rows, month):
    data = summarise(rows, parse_month(month)).to_json()
    expected = expected_figures(rows, month)
    before = expected_figures(rows, previous_label(month))
    assert data["month"] == month and data["timezone"] == rows.timezone and data["location_id"] == 1
    assert data["previous_month"] == previous_label(month)
    for key, value in expected["totals"].items():
        assert data["totals"][key] == value, key
    for site in data["platforms"]:
        for key, value in expected["platforms"][site["platform"]].items():
            assert site[key] == value, (site["platform"], key)
        assert site["change"]["reviews"] == site["reviews"] - before["platforms"][site["platform"]]["reviews"]
    assert {site["platform"] for site in data["platforms"]} == set(expected["platforms"])
    assert [site["platform"] for site in data["platforms"]][:3] == list(PLATFORMS)  # the location's order first
    assert data["preferences"] == {**{k: v for k, v in expected["preferences"].items() if k not in (NO_REVIEWS, UNSAID)},
                                   NO_REVIEWS: expected["preferences"][NO_REVIEWS], UNSAID: expected["preferences"][UNSAID]}
    for key in ("reviews", "cards_printed", "till_slips", "scans", "preferences", "redemptions", "reviews_attributed"):
        assert data["change"][key] == expected["totals"][key] - before["totals"][key], key
    if expected["totals"]["average_rating"] is not None and before["totals"]["average_rating"] is not None:
        change = Decimal(str(expected["totals"]["average_rating"])) - Decimal(str(before["totals"]["average_rating"]))
        assert data["change"]["average_rating"] == float(change)


def test_the_generated_rows_do_cross_month_ends_and_clock_changes(rows):
    """Without rows near the edges, the test above would prove little."""
    zone = ZoneInfo(rows.timezone)
    near_month_end = near_clock_change = 0
    for review in rows.reviews:
        local = review.posted_at.astimezone(zone)
        if local.day == 1 and local.hour < 2 or (local + timedelta(hours=2)).day == 1 and local.day != 1:
            near_month_end += 1
        if (review.posted_at - timedelta(hours=3)).astimezone(zone).utcoffset() != local.utcoffset():
            near_clock_change += 1
    assert near_month_end > 100 and near_clock_change > 50


def test_the_trend_equals_the_independent_computation(rows):
    data = summarise(rows, Month(2026, 3)).to_json()
    months = [str(month) for month in months_ending(Month(2026, 3), 12)]
    assert [point["month"] for point in data["trend"]] == months
    for point in data["trend"]:
        expected = expected_figures(rows, point["month"])
        assert point["total_reviews"] == expected["totals"]["reviews"]
        assert point["average_rating"] == expected["totals"]["average_rating"]
        for platform, count in point["reviews"].items():
            assert count == expected["platforms"][platform]["reviews"]
            assert point["average_rating_by_platform"][platform] == expected["platforms"][platform]["average_rating"]


def test_all_my_locations_add_each_locations_own_months():
    paris = generated_rows("Europe/Paris", seed=3, count=600, location_id=1)
    new_york = generated_rows("America/New_York", seed=4, count=600, location_id=2)
    month = Month(2025, 11)
    combined = combine_summaries([summarise(paris, month), summarise(new_york, month)]).to_json()
    assert combined["location_id"] is None and combined["location_ids"] == [1, 2] and combined["timezone"] is None
    # Each row in its own location's month: the union of both locations' rows, month by month.
    one, two = expected_figures(paris, "2025-11"), expected_figures(new_york, "2025-11")
    for key in ("reviews", "unrated", "replied", "scans", "preferences", "cards_printed", "till_slips", "redemptions"):
        assert combined["totals"][key] == one["totals"][key] + two["totals"][key], key
    ratings = [
        review.rating
        for rows in (paris, new_york)
        for review in rows.reviews
        if review.rating and local_month(review.posted_at, rows.timezone) == "2025-11"
    ]
    manual = [count for rows in (paris, new_york) for count in rows.manual_counts if str(count.month) == "2025-11"]
    total = Decimal(sum(ratings)) + sum((Decimal(str(c.average)) * c.count for c in manual if c.average), Decimal(0))
    rated = len(ratings) + sum(c.count for c in manual if c.average)
    assert combined["totals"]["average_rating"] == cents(total / rated)
    delays = [
        max(0.0, (review.replied_at - review.posted_at).total_seconds())
        for rows in (paris, new_york)
        for review in rows.reviews
        if review.replied_at and local_month(review.posted_at, rows.timezone) == "2025-11"
    ]
    assert combined["totals"]["median_reply_hours"] == cents(Decimal(str(statistics.median(delays))) / 3600, "0.1")


def test_figures_counted_elsewhere_give_the_same_summary(rows):
    """A service that counts with grouped queries feeds summary_from_figures; the result is the same."""
    month = Month(2026, 10)
    figures = figures_by_month(rows, Month(2025, 11), month)
    assert summary_from_figures(1, rows.timezone, month, figures, rows.platforms).to_json() == summarise(rows, month).to_json()
    # A month the service found nothing for may be left out: it counts zero.
    quiet = LocationRows(1, rows.timezone, rows.platforms, reviews=[r for r in rows.reviews if month_of(r.posted_at, rows.timezone) != Month(2026, 5)])
    sparse = {key: value for key, value in figures_by_month(quiet, Month(2025, 11), month).items() if key != Month(2026, 5)}
    assert summary_from_figures(1, rows.timezone, month, sparse, rows.platforms).to_json() == summarise(quiet, month).to_json()


# Month boundaries


def test_a_review_at_half_past_midnight_on_the_first_belongs_to_the_new_month():
    paris = ZoneInfo("Europe/Paris")
    early = datetime(2026, 11, 1, 0, 30, tzinfo=paris)
    assert early.astimezone(UTC) == datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    rows = LocationRows(1, "Europe/Paris", ("google",), reviews=[ReviewRow("google", 1, early.astimezone(UTC), 2)])
    assert summarise(rows, Month(2026, 11)).to_json()["totals"]["reviews"] == 1
    assert summarise(rows, Month(2026, 10)).to_json()["totals"]["reviews"] == 0


@pytest.mark.parametrize(
    "zone, month, start, end",
    [
        # Paris: summer time (UTC+2) ends on 25 October 2026, so October is 31 days and 1 hour long.
        ("Europe/Paris", "2026-10", datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC)),
        ("Europe/Paris", "2026-03", datetime(2026, 2, 28, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC)),
        ("America/New_York", "2026-03", datetime(2026, 3, 1, 5, tzinfo=UTC), datetime(2026, 4, 1, 4, tzinfo=UTC)),
        ("America/New_York", "2026-11", datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 12, 1, 5, tzinfo=UTC)),
        ("America/New_York", "2026-12", datetime(2026, 12, 1, 5, tzinfo=UTC), datetime(2027, 1, 1, 5, tzinfo=UTC)),
        ("UTC", "2024-02", datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)),
    ],
)
def test_month_ranges_in_utc(zone, month, start, end):
    assert month_range_utc(parse_month(month), zone) == (start, end)


def test_every_zone_starts_each_month_at_its_own_first_midnight():
    """Including zones whose clocks change at midnight and zones a half or quarter hour off UTC."""
    months = months_ending(Month(2027, 12), 48)
    for name in sorted(available_timezones()):
        for month in months:
            start, end = month_range_utc(month, name)
            assert month_of(start, name) == month, (name, month)
            assert month_of(start - timedelta(microseconds=1), name) == month.previous(), (name, month)
            assert month_of(end - timedelta(microseconds=1), name) == month, (name, month)


def test_months_ending_previous_and_next_cross_years():
    assert months_ending(Month(2026, 2), 3) == (Month(2025, 12), Month(2026, 1), Month(2026, 2))
    assert len(months_ending(Month(2026, 10))) == 12 and months_ending(Month(2026, 10))[0] == Month(2025, 11)
    assert Month(2026, 1).previous() == Month(2025, 12) and Month(2025, 12).next() == Month(2026, 1)


@pytest.mark.parametrize("text, month", [("2026-10", Month(2026, 10)), (" 2026-3 ", Month(2026, 3)), ("1999-12", Month(1999, 12))])
def test_months_are_read(text, month):
    assert parse_month(text) == month
    assert parse_month(str(month)) == month and len(str(month)) == 7


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026/10", "10-2026", "", "octobre", "202610", "2026-10-01", "0000-01"])
def test_a_month_that_is_not_one_is_refused_with_a_message(text):
    with pytest.raises(InvalidMonthError) as refused:
        parse_month(text)
    assert refused.value.code == "invalid_month"
    assert "2026-10" in refused.value.message.render() and text in refused.value.message.render()


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "Europe/Paris\x00"])
def test_an_unknown_time_zone_is_refused_with_a_message(name):
    with pytest.raises(UnknownTimeZoneError):
        month_range_utc(Month(2026, 10), name)


# What hand counts and low ratings look like


def test_hand_counts_are_unrated_and_weighted_by_their_count():
    october = Month(2026, 10)
    posted = datetime(2026, 10, 10, 12, tzinfo=UTC)
    rows = LocationRows(
        1,
        "Europe/Paris",
        ("google", "thefork"),
        reviews=[ReviewRow("google", 1, posted, 5), ReviewRow("thefork", 2, posted, 1)],
        manual_counts=[ManualCount("thefork", october, 7, 4.4), ManualCount("thefork", october, 3)],
    )
    data = summarise(rows, october).to_json()
    fork = next(site for site in data["platforms"] if site["platform"] == "thefork")
    # (1 + 7 x 4.4) / 8 = 31.8 / 8 = 3.975; the 3 reviews without an average count, but not in it.
    assert fork["reviews"] == 11 and fork["manual_reviews"] == 10
    assert fork["average_rating"] == 3.98
    assert fork["ratings"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0} and fork["unrated"] == 10
    assert fork["reply_share"] == 0.0  # of the one review known individually
    assert data["totals"]["average_rating"] == 4.09  # (5 + 1 + 30.8) / 9 = 4.0888...
    assert data["totals"]["ratings"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1} and data["totals"]["unrated"] == 10


def test_low_ratings_are_shown_in_every_output():
    rows = LocationRows(
        1, "Europe/Paris", ("google",),
        reviews=[ReviewRow("google", 1, datetime(2026, 10, day, 12, tzinfo=UTC), 1) for day in (3, 4, 5)],
    )
    summary = summarise(rows, Month(2026, 10))
    data = summary.to_json()
    assert data["platforms"][0]["ratings"]["1"] == 3 and data["totals"]["average_rating"] == 1.0
    assert summary_charts(summary)[1].series[0].values[-1] == 1.0
    assert "\r\nGoogle;3;3;1;" in summary_csv(summary)


def test_the_json_has_at_least_the_documented_shape_for_an_empty_month():
    data = summarise(LocationRows(1, "Europe/Paris", ("google",)), Month(2026, 10)).to_json()
    documented = {
        "location_id": 1,
        "month": "2026-10",
        "timezone": "Europe/Paris",
        "totals": {
            "reviews": 0, "average_rating": None, "cards_printed": 0, "scans": 0, "preferences": 0,
            "redemptions": 0, "reviews_attributed": 0,
        },
        "platforms": [
            {
                "platform": "google", "reviews": 0, "average_rating": None,
                "ratings": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "unrated": 0, "scans": 0,
                "preferences": 0, "reviews_attributed": 0,
            }
        ],
    }
    for key, value in documented.items():
        if isinstance(value, dict):
            assert {k: data[key][k] for k in value} == value
        elif isinstance(value, list):
            assert [{k: item[k] for k in value[0]} for item in data[key]] == value
        else:
            assert data[key] == value
    assert len(data["trend"]) == 12


def test_a_reply_stamped_before_its_review_took_no_time():
    posted = datetime(2026, 10, 10, 12, tzinfo=UTC)
    rows = LocationRows(
        1, "UTC", ("google",),
        reviews=[
            ReviewRow("google", 1, posted, 4, posted - timedelta(minutes=5)),
            ReviewRow("google", 1, posted, 4, posted + timedelta(hours=3)),
            ReviewRow("google", 1, posted, 4),
        ],
    )
    site = summarise(rows, Month(2026, 10)).to_json()["platforms"][0]
    assert site["replied"] == 2 and site["reply_share"] == 0.667 and site["median_reply_hours"] == 1.5


def test_till_slips_and_preferences_nobody_reviews_are_their_own_figures():
    at = datetime(2026, 10, 10, 12, tzinfo=UTC)
    rows = LocationRows(
        1, "UTC", ("google",),
        prints=[PrintRow(at, 10), PrintRow(at, 1, till_slip=True), PrintRow(at, 1, till_slip=True)],
        preferences=[PreferenceRow(NO_REVIEWS, at), PreferenceRow(UNSAID, at), PreferenceRow("yelp", at)],
        matches=[MatchRow("google", at, "confirmed"), MatchRow("google", at, "suggested"), MatchRow("google", at, "suggested")],
    )
    data = summarise(rows, Month(2026, 10)).to_json()
    assert data["totals"]["cards_printed"] == 10 and data["totals"]["till_slips"] == 2
    assert data["preferences"] == {"yelp": 1, NO_REVIEWS: 1, UNSAID: 1} and data["totals"]["preferences"] == 3
    assert data["totals"]["reviews_attributed"] == 1 and data["totals"]["reviews_attributed_suggested"] == 2
    assert [site["platform"] for site in data["platforms"]] == ["google", "yelp"]


def test_records_refuse_what_cannot_be():
    with pytest.raises(ValueError):
        ReviewRow("google", 1, datetime(2026, 10, 1), 4)  # naive
    with pytest.raises(ValueError):
        ReviewRow("google", 1, datetime(2026, 10, 1, tzinfo=UTC), 6)
    with pytest.raises(ValueError):
        ManualCount("thefork", Month(2026, 10), 3, 5.5)
    with pytest.raises(ValueError):
        MatchRow("google", datetime(2026, 10, 1, tzinfo=UTC), "rejected")


# CSV


def csv_rows(text: str, separator: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline=""), delimiter=separator))


HOSTILE = {"google": "=HYPERLINK(\"http://x\")", "tripadvisor": "+33 1 23", "facebook": "-2+3", "thefork": "@SUM(A1)"}


@pytest.mark.parametrize("separator, decimal", [(";", ","), (",", ".")])
def test_csv_numbers_stay_numbers_and_text_never_runs(separator, decimal):
    rows = generated_rows("Europe/Paris", seed=9, count=400)
    summary = summarise(rows, Month(2026, 3))
    data = summary.to_json()
    names = {**HOSTILE, "other": "\tTab", "yelp": "\rReturn"}
    text = summary_csv(summary, separator, names=names)
    assert "\r\n" in text and text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    cells = csv_rows(text, separator)
    for row in cells:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            if cell.startswith("-"):
                float(cell.replace(",", "."))  # a negative number, never text
    heading = next(index for index, row in enumerate(cells) if row and row[0] == "Review site")
    for site, row in zip(data["platforms"], cells[heading + 1 :]):
        assert row[0] == "'" + names[site["platform"]]  # shown, but as text
        assert int(row[1]) == site["reviews"] and int(row[2]) == site["change"]["reviews"]
        average = site["average_rating"]
        assert row[3] == ("" if average is None else format(Decimal(str(average)).normalize(), "f").replace(".", decimal))
        assert [int(cell) for cell in row[5:10]] == [site["ratings"][str(star)] for star in range(1, 6)]
        share = site["reply_share"]  # a fraction, which a spreadsheet formats as a percentage
        assert row[11] == ("" if share is None else format(Decimal(str(share)).normalize(), "f").replace(".", decimal))
    totals = cells[heading + 1 + len(data["platforms"])]
    assert totals[0] == "All sites" and int(totals[1]) == data["totals"]["reviews"]
    change = data["change"]["reviews"]
    assert int(totals[2]) == change


def test_csv_writes_a_fall_as_a_negative_number():
    rows = LocationRows(
        1, "UTC", ("google",),
        reviews=[ReviewRow("google", 1, datetime(2026, 9, day, tzinfo=UTC), 4) for day in (1, 2, 3, 4)]
        + [ReviewRow("google", 1, datetime(2026, 10, 1, tzinfo=UTC), 2)],
    )
    text = summary_csv(summarise(rows, Month(2026, 10)), ",")
    assert "\r\nGoogle,1,-3,2,-2,0,1,0,0,0," in text and "'-3" not in text


def test_csv_refuses_an_unknown_separator():
    with pytest.raises(ValueError):
        summary_csv(summarise(LocationRows(1, "UTC"), Month(2026, 10)), "\t")


def test_csv_headings_follow_the_labels_given():
    labels = SummaryLabels().translated(lambda text: {"Review site": "Site d'avis", "Reviews": "Avis"}.get(text, text))
    text = summary_csv(summarise(LocationRows(1, "UTC", ("google",)), Month(2026, 10)), ";", labels)
    assert "\r\nSite d'avis;Avis;" in text


def test_chart_tables_hold_the_summarys_numbers():
    rows = generated_rows("America/New_York", seed=5, count=500)
    summary = summarise(rows, Month(2025, 11))
    data = summary.to_json()
    trend, rating, mix, funnel = summary_charts(summary)
    headings, table = trend.table()
    assert headings[0] == "Month" and len(table) == 12
    for point, row in zip(data["trend"], table):
        assert row[0] == point["month"]
        assert list(row[1:]) == [point["reviews"][platform] for platform in point["reviews"]]
    assert [row[1] for row in rating.table()[1]] == [point["average_rating"] for point in data["trend"]]
    assert sum(row[1] for row in mix.table()[1]) == data["totals"]["preferences"]
    assert [row[1] for row in funnel.table()[1]] == [
        data["totals"][key]
        for key in ("cards_printed", "till_slips", "scans", "preferences", "redemptions", "reviews_attributed",
                    "reviews_attributed_suggested")
    ]


def test_the_terminal_table_has_the_figures_aligned_and_no_control_characters():
    from cta_kit.domain.summary.text_table import summary_text

    rows = generated_rows("Europe/Paris", seed=2, count=300)
    summary = summarise(rows, Month(2026, 3))
    text = summary_text(summary, names={"google": "Goo\x1b[31mgle"})
    assert "\x1b" not in text
    lines = text.splitlines()
    heading = next(index for index, line in enumerate(lines) if line.startswith("Review site"))
    for site, line in zip(summary.to_json()["platforms"], lines[heading + 1 :]):
        figures = line.split()
        assert int(figures[1]) == site["reviews"] and int(figures[2]) == site["change"]["reviews"]
    assert len({len(line) for line in lines[heading + 1 : heading + 6]}) == 1  # right-aligned columns
