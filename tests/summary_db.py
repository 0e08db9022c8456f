"""Generated summary records stored in the database as the app stores them, and the same records
back as plain rows for an independent computation.

The app's tables shape what can be stored: a batch of one card is a till slip, a scan is of a printed
card's QR code, a review counts as attributed once however many cards were matched to it. So the
generated rows are made consistent with that first, then inserted; the rows returned are exactly
what went in.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from sqlalchemy import insert

from cta_kit.domain.summary import CONFIRMED, SUGGESTED, LocationRows, MatchRow, PrintRow, RedemptionRow
from cta_kit.extensions import db
from cta_kit.models import (
    BatchDestination,
    Campaign,
    Card,
    CardBatch,
    Location,
    Preference,
    Review,
    ReviewDestination,
    ReviewMatch,
    ReviewMonthCount,
    Scan,
)
from tests.summary_rows import generated_rows


def stored_rows(location: Location, seed: int, count: int = 1500) -> LocationRows:
    """Generate a location's records in its zone, store them, and return them as plain rows."""
    rng = random.Random(seed * 7919)
    rows = generated_rows(location.timezone, seed=seed, count=count, location_id=location.id)
    for position, platform in enumerate(rows.platforms):
        db.session.add(ReviewDestination(location=location, platform=platform, entered=f"https://{platform}.example/x",
                                         url=f"https://{platform}.example/x", display_url=f"{platform}.example",
                                         position=position))
    campaign = Campaign(location=location, name="Cards", language="fr", headline="Votre avis", body="Merci",
                        starts_on=date(2024, 1, 1))
    db.session.add(campaign)
    db.session.flush()

    # A batch of one card is a slip printed at the till: that is how the tables tell them apart.
    prints = [PrintRow(batch.printed_at, batch.cards, batch.cards == 1) for batch in rows.prints]
    card_ids: list[int] = []
    printed_for_scans = None
    for number, batch in enumerate(prints):
        stored = CardBatch(campaign_id=campaign.id, location_id=location.id, layout="x", link_mode="tracked",
                           card_count=batch.cards, content="{}", printed_at=batch.printed_at)
        db.session.add(stored)
        db.session.flush()
        result = db.session.execute(insert(Card).returning(Card.id), [
            dict(code=f"L{location.id}B{number}C{position}", batch_id=stored.id, campaign_id=campaign.id,
                 location_id=location.id, position=position, printed_at=batch.printed_at)
            for position in range(batch.cards)
        ])
        card_ids += list(result.scalars())
        if printed_for_scans is None:
            printed_for_scans = stored
    codes = {}
    for position, platform in enumerate(rows.platforms, start=1):
        code = BatchDestination(batch_id=printed_for_scans.id, position=position, platform=platform, label=platform,
                                url=f"https://{platform}.example/x", display_url=platform)
        db.session.add(code)
        codes[platform] = code
    db.session.flush()

    redeemed = rng.sample(card_ids, len(rows.redemptions))
    for card_id, redemption in zip(redeemed, rows.redemptions):
        db.session.execute(Card.__table__.update().where(Card.id == card_id).values(redeemed_at=redemption.redeemed_at))
    db.session.execute(insert(Scan), [
        dict(card_id=card_ids[0], batch_destination_id=codes[scan.platform].id, location_id=location.id,
             scanned_at=scan.scanned_at, device_class="phone")
        for scan in rows.scans
    ])
    preferences = [
        dict(location_id=location.id, created_at=preference.logged_at, platform=preference.platform,
             client_key=f"{location.id}-{index}")
        for index, preference in enumerate(rows.preferences)
    ]
    # Taps undone at the till count nowhere.
    undone = [dict(location_id=location.id, created_at=preference.logged_at, platform=preference.platform,
                   client_key=f"{location.id}-undone-{index}", undone_at=preference.logged_at)
              for index, preference in enumerate(rows.preferences[:50])]
    db.session.execute(insert(Preference), preferences + undone)
    review_ids = list(db.session.execute(insert(Review).returning(Review.id), [
        dict(location_id=location.id, platform=review.platform, fingerprint=f"f{index}", rating=review.rating,
             posted_at=review.posted_at, replied_at=review.replied_at, source="csv",
             reply_text="Merci" if review.replied_at else "")
        for index, review in enumerate(rows.reviews)
    ]).scalars())
    db.session.execute(insert(ReviewMonthCount), [
        dict(location_id=location.id, platform=item.platform, month=str(item.month), review_count=item.count,
             average_rating=item.average)
        for item in rows.manual_counts
    ])

    # Matches: some reviews get one card, some two (one confirmed wins), some only a rejected one.
    matches, attributed = [], []
    for slot in rng.sample(range(len(review_ids)), len(rows.reviews) // 4):
        statuses = rng.choice(((CONFIRMED,), (SUGGESTED,), (SUGGESTED, CONFIRMED), (SUGGESTED, SUGGESTED), ("rejected",)))
        for status, card_id in zip(statuses, rng.sample(card_ids, len(statuses))):
            matches.append(dict(review_id=review_ids[slot], card_id=card_id, location_id=location.id, status=status))
        kept = [status for status in statuses if status != "rejected"]
        if kept:
            review = rows.reviews[slot]
            attributed.append(MatchRow(review.platform, review.posted_at, CONFIRMED if CONFIRMED in kept else SUGGESTED))
    db.session.execute(insert(ReviewMatch), matches)
    db.session.commit()
    return replace(
        rows,
        prints=prints,
        redemptions=[RedemptionRow(redemption.redeemed_at) for redemption in rows.redemptions],
        matches=attributed,
    )
