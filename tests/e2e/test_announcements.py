"""A coordinator's journey: write an announcement, read the preview and the count, schedule it;
add a Slack webhook and see it masked. Each page fits 390 px and 1280 px and passes axe."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_design import ROLES, check_page, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force", stdout=io.StringIO())


@pytest.mark.parametrize("width", [390, 1280])
def test_coordinator_writes_previews_and_schedules_an_announcement(demo, new_page, width):
    page = new_page(viewport={"width": width, "height": 900}, is_mobile=width < 768)
    sign_in(page, ROLES["coordinator"])
    page.goto("/announcements/")
    page.get_by_role("button", name="New announcement").click()
    assert check_page(page, width)[1] == []
    page.get_by_label("Subject").fill("Ice cream on Friday")
    page.get_by_label("Message").fill("**Free** ice cream at 15:00, see the [schedule](/schedule/).")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ice cream on Friday")
    expect(page.locator(".recipients")).to_have_text(re.compile(r"This will email \d+ people"))
    expect(page.locator(".announcement-body strong")).to_have_text("Free")
    assert check_page(page, width)[1] == []
    page.get_by_label("Send at").fill(f"{datetime.date.today() + datetime.timedelta(days=30):%Y-%m-%d}T09:30")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Scheduled for")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the schedule")).to_be_visible()


def test_coordinator_adds_a_webhook_and_sees_it_masked(demo, new_page):
    page = new_page()
    sign_in(page, ROLES["coordinator"])
    page.goto("/integrations/add/")
    assert check_page(page, 1280)[1] == []
    page.get_by_label("Name").fill("Slack #front-line")
    page.get_by_label("Incoming webhook URL").fill("https://hooks.slack.com/services/T0/B0/TopSecret42")
    page.get_by_label("Announcements", exact=True).check()
    page.get_by_role("button", name="Save webhook").click()
    expect(page.get_by_role("cell", name="https://hooks.slack.com/••••et42")).to_be_visible()
    assert "TopSecret" not in page.content()
    assert check_page(page, 1280)[1] == []
