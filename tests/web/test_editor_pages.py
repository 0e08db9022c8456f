"""The editor and the pages around it: paper and kept print settings, findings by field, site names,
local print times, the owner-set public address, asking before removing a site, setup's problems."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import select

from cta_kit.extensions import db
from cta_kit.models import Campaign, CardBatch, InstanceSetting, Location, ReviewDestination, User
from cta_kit.services.printing import PrintOrder, manifest_csv, print_cards
from cta_kit.services.public_address import PUBLIC_ADDRESS_KEY, installing_business_id
from tests.conftest import add_destination_row, log_in, make_campaign
from tests.web.test_campaigns import campaign_form, setup_sites


def selected_layouts(page: str) -> tuple[str, str]:
    """The layout chosen in the preview's list and in the print form's."""
    preview = re.search(r'<select id="preview-layout">.*?</select>', page, re.S).group(0)
    printing = re.search(r'<select id="layout" name="layout">.*?</select>', page, re.S).group(0)
    return (
        re.search(r'<option value="([^"]+)" selected>', preview).group(1),
        re.search(r'<option selected value="([^"]+)">', printing).group(1),
    )


def edit_page(client, world, campaign) -> str:
    return client.get(f"/locations/{world.location.id}/campaigns/{campaign.id}").get_data(as_text=True)


# --- Paper and the kept print settings -----------------------------------------------------------


def test_a_french_location_is_offered_a4_and_an_american_one_letter(client, world):
    google, tripadvisor, _ = setup_sites(world)
    campaign = make_campaign(world.location, [google, tripadvisor])
    log_in(client, world.owner)
    assert selected_layouts(edit_page(client, world, campaign)) == ("business-card-10up-a4", "business-card-10up-a4")

    world.location.timezone = "America/New_York"
    db.session.commit()
    assert selected_layouts(edit_page(client, world, campaign)) == ("avery-5371-letter", "avery-5371-letter")


def test_the_layout_last_printed_at_the_location_is_offered_next_time(client, world):
    google, tripadvisor, _ = setup_sites(world)
    campaign = make_campaign(world.location, [google, tripadvisor])
    log_in(client, world.owner)
    printed = client.post(
        f"/locations/{world.location.id}/campaigns/{campaign.id}/print", data={"layout": "bill-insert-3up-a4", "count": "3"}
    )
    assert printed.status_code == 302 and "/print-jobs/" in printed.headers["Location"]
    assert client.get(printed.headers["Location"] + ".pdf").mimetype == "application/pdf"
    page = edit_page(client, world, campaign)
    assert selected_layouts(page) == ("bill-insert-3up-a4", "bill-insert-3up-a4")
    assert re.search(r'id="count"[^>]*value="3"', page)

    # On another device (a new session), the last batch of the location still says which layout.
    other_device = client.application.test_client()
    log_in(other_device, world.owner)
    assert selected_layouts(edit_page(other_device, world, campaign)) == ("bill-insert-3up-a4", "bill-insert-3up-a4")


def test_a_print_refused_for_its_count_keeps_the_layout_chosen(client, world):
    google, tripadvisor, _ = setup_sites(world)
    campaign = make_campaign(world.location, [google, tripadvisor])
    log_in(client, world.owner)
    refused = client.post(
        f"/locations/{world.location.id}/campaigns/{campaign.id}/print", data={"layout": "thermal-80mm", "count": "0"}
    )
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert selected_layouts(page) == ("thermal-80mm", "thermal-80mm")
    assert db.session.scalar(select(CardBatch.id)) is None


# --- Findings by field, QR notes in the owner's words ---------------------------------------------


def test_the_same_phrase_in_two_fields_reads_as_two_findings(client, world):
    google, tripadvisor, _ = setup_sites(world)
    log_in(client, world.owner)
    data = campaign_form(google, tripadvisor, headline="Laissez-nous 5 étoiles", body="Merci pour vos 5 étoiles !",
                         preview_layout="business-card-10up-a4")
    findings = client.post(f"/locations/{world.location.id}/campaigns/preview", data=data).get_json()["findings"]
    five_stars = [f for f in findings if "5 étoiles" in f["message"]]
    assert [f["field"] for f in five_stars] == ["Headline:", "Text:"]


def test_the_qr_note_names_the_site_in_the_owners_number_format(client, world):
    google, tripadvisor, _ = setup_sites(world)
    world.owner.language = "fr"
    db.session.commit()
    log_in(client, world.owner)
    data = {**campaign_form(google, tripadvisor), "preview_layout": "business-card-10up-a4"}
    findings = client.post(f"/locations/{world.location.id}/campaigns/preview", data=data).get_json()["findings"]
    notes = [f["message"] for f in findings if f["severity"] == "warning" and not f["source"]]
    assert notes, findings
    assert "Tripadvisor" in notes[0] and "qr2" not in notes[0]
    assert re.search(r"\d,\d\d mm", notes[0]) and not re.search(r"\d\.\d\d mm", notes[0])


# --- Site names, layout titles, local times -------------------------------------------------------


def test_the_campaign_form_lists_sites_by_name(client, world):
    google, tripadvisor, _ = setup_sites(world)
    first = add_destination_row(world.location, "other", "https://www.chez-nous.fr/avis", "chez-nous.fr/avis", 3)
    second = add_destination_row(world.location, "other", "https://avis.example.org/", "avis.example.org", 4)
    db.session.commit()
    log_in(client, world.owner)
    page = client.get(f"/locations/{world.location.id}/campaigns/new").get_data(as_text=True)
    assert f'<option value="{google.id}">Google</option>' in page
    assert f'<option value="{tripadvisor.id}">Tripadvisor</option>' in page
    # Two sites of the same name are told apart by their address.
    assert f'<option value="{first.id}">Other website · chez-nous.fr/avis</option>' in page
    assert f'<option value="{second.id}">Other website · avis.example.org</option>' in page
    assert ">search.google.com</option>" not in page


def test_the_batch_list_shows_the_locations_time_and_the_layouts_title(client, printed_world):
    world = printed_world
    batch = db.session.get(CardBatch, world.batch_id)
    batch.printed_at = datetime(2026, 11, 27, 18, 5, tzinfo=timezone.utc)  # 19:05 in Paris
    db.session.commit()
    log_in(client, world.owner)
    page = client.get(f"/locations/{world.location.id}/campaigns/{world.campaign_id}").get_data(as_text=True)
    batches = page[page.index('class="batches"'):]
    assert "Nov 27, 2026 7:05" in batches and "UTC" not in batches
    assert "Business cards, 10 on A4" in batches and "· business-card-10up-a4" not in batches


# --- The public address ---------------------------------------------------------------------------


def test_an_owner_sets_the_public_address_and_tracked_cards_use_it(app, client, world):
    app.config["PUBLIC_BASE_URL"] = None
    google, tripadvisor, _ = setup_sites(world)
    campaign = make_campaign(world.location, [google, tripadvisor], link_mode="tracked")
    log_in(client, world.owner)
    page = edit_page(client, world, campaign)
    assert 'id="tracked-needs-address"' in page and 'id="print-needs-address"' in page

    refused = client.post("/settings/", data={"public_address": "http://localhost:5000/app"})
    assert refused.status_code == 200 and "https://" in refused.get_data(as_text=True)
    refused = client.post("/settings/", data={"public_address": "https://192.168.1.10"})
    assert "only reachable" in refused.get_data(as_text=True)
    assert db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY) is None

    assert client.post("/settings/", data={"public_address": "https://Avis.Example.fr/"}).status_code == 302
    assert db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY).value == "https://avis.example.fr"
    page = edit_page(client, world, campaign)
    assert "tracked-needs-address" not in page and "print-needs-address" not in page

    batch_id = print_cards(PrintOrder(campaign.id, 2, "business-card-10up-a4")).batch_id
    rows = manifest_csv(batch_id).splitlines()[1:]
    assert rows and all(row.split(",")[1].startswith("https://avis.example.fr/r/") for row in rows)

    # Emptying the field removes it.
    assert client.post("/settings/", data={"public_address": ""}).status_code == 302
    assert db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY) is None


def test_only_the_installing_business_changes_the_address_every_business_prints(app, client, world):
    app.config["PUBLIC_BASE_URL"] = None
    db.session.add(InstanceSetting(key=PUBLIC_ADDRESS_KEY, value="https://avis.chez-nous.example"))
    db.session.commit()
    log_in(client, world.foreign_owner)
    page = client.get("/settings/").get_data(as_text=True)
    assert 'id="public-address-read-only"' in page and "https://avis.chez-nous.example" in page
    assert 'name="public_address"' not in page
    client.post("/settings/", data={"public_address": "https://elsewhere.example"})
    assert db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY).value == "https://avis.chez-nous.example"


def test_the_business_set_up_first_is_recorded_as_the_installs(app, client):
    client.post("/setup", data={
        "business_name": "Le Zinc", "owner_name": "Zoé", "login": "zoe@example.com", "timezone": "Europe/Paris",
        "language": "fr", "password": "a long enough password", "password_again": "a long enough password",
    })
    owner = db.session.scalar(select(User).where(User.login == "zoe@example.com"))
    assert owner is not None and installing_business_id() == owner.business_id


def test_the_configured_address_wins_and_the_page_says_so(app, client, world):
    db.session.add(InstanceSetting(key=PUBLIC_ADDRESS_KEY, value="https://from-the-app.example"))
    db.session.commit()
    log_in(client, world.owner)
    page = client.get("/settings/").get_data(as_text=True)
    assert "https://cards.example.com" in page and "CTA_KIT_PUBLIC_BASE_URL" in page and 'name="public_address"' not in page
    client.post("/settings/", data={"public_address": "https://other.example"})
    assert db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY).value == "https://from-the-app.example"
    google, tripadvisor, _ = setup_sites(world)
    campaign = make_campaign(world.location, [google, tripadvisor], link_mode="tracked")
    batch_id = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4")).batch_id
    assert manifest_csv(batch_id).splitlines()[1].split(",")[1].startswith("https://cards.example.com/r/")


# --- Removing a review site -----------------------------------------------------------------------


def test_removing_a_site_asks_first_and_names_the_campaigns_it_leaves(client, world):
    google, tripadvisor, _ = setup_sites(world)
    autumn = make_campaign(world.location, [google, tripadvisor], name="Autumn")
    make_campaign(world.location, [google], name="Winter")
    make_campaign(world.location, [tripadvisor], name="Spring")
    google_id = google.id
    log_in(client, world.owner)
    detail = client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    confirm_url = f"/locations/{world.location.id}/destinations/{google_id}/delete"
    assert f'href="{confirm_url}"' in detail

    page = client.get(confirm_url).get_data(as_text=True)
    left = page[page.index('id="campaigns-left"'):page.index("</ul>", page.index('id="campaigns-left"'))]
    assert "Autumn" in left and "Winter" in left and "Spring" not in left
    assert "no review site left" in left  # Winter featured Google alone
    assert db.session.get(ReviewDestination, google_id) is not None  # asking removed nothing

    removed = client.post(confirm_url, data={})
    assert removed.status_code == 302
    flashed = client.get(removed.headers["Location"]).get_data(as_text=True)
    assert "It no longer appears on: Autumn, Winter." in flashed
    assert db.session.get(ReviewDestination, google_id) is None
    assert [d.platform for d in db.session.get(Campaign, autumn.id).destinations] == ["tripadvisor"]


def test_removing_a_site_no_campaign_shows_says_so(client, world):
    _, _, yelp = setup_sites(world)
    url = f"/locations/{world.location.id}/destinations/{yelp.id}/delete"
    log_in(client, world.owner)
    page = client.get(url).get_data(as_text=True)
    assert "No campaign shows this site on its cards." in page
    flashed = client.post(url, data={}, follow_redirects=True)
    assert "Review site removed." in flashed.get_data(as_text=True) and "no longer appears" not in flashed.get_data(as_text=True)


# --- Setup ----------------------------------------------------------------------------------------


def test_setup_shows_every_password_problem_at_once(client):
    response = client.post(
        "/setup",
        data={"business_name": "Café Éloïse", "owner_name": "Éloïse", "login": "not-an-email@", "password": "short",
              "password_again": "shorter", "language": "en", "timezone": "Europe/Paris"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use at least 10 characters." in body
    assert "The two passwords differ." in body
    assert "Enter a valid email address" in body
    assert db.session.scalar(select(Location.id)) is None


def test_other_website_is_named_in_french_on_the_site_form_and_the_campaign_form(client, world):
    google, tripadvisor, _ = setup_sites(world)
    other = add_destination_row(world.location, "other", "https://www.chez-nous.fr/avis", "chez-nous.fr/avis", 3)
    world.owner.language = "fr"
    db.session.commit()
    log_in(client, world.owner)
    site_form = client.get(f"/locations/{world.location.id}/destinations/new").get_data(as_text=True)
    assert '<option value="other">Autre site web</option>' in site_form  # the list of sites
    assert "<dt>Autre site web</dt>" in site_form  # what each site accepts
    assert "Other website" not in site_form
    campaign_page = client.get(f"/locations/{world.location.id}/campaigns/new").get_data(as_text=True)
    assert f'<option value="{other.id}">Autre site web</option>' in campaign_page
