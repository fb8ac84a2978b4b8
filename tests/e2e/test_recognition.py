"""The kudos journey in Chromium: an agent nominates a colleague, their manager approves, the award
is held back until a coordinator announces it, the wall reacts."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import nav_click
from tests.e2e.helpers import sign_out as header_sign_out
from tests.factories import PASSWORD, AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory
from tests.recognition.factories import AwardCategoryFactory, WeekFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STORY = "Jamie stayed on the phone for an hour to rebuild a customer's lost order, then followed up by email."


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def sign_out(page) -> None:
    header_sign_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_nominate_approve_and_react_on_the_wall(page):
    team = TeamFactory(name="Front Line Support")
    manager = ManagerFactory(email="morgan@example.com", first_name="Morgan", team=team)
    team.managers.add(manager)
    AgentFactory(email="alex@example.com", first_name="Alex", last_name="Morgan", team=team)
    AgentFactory(email="jamie@example.com", first_name="Jamie", last_name="Chen", team=team)
    AwardCategoryFactory(week=WeekFactory(year=2026), name="Customer Hero")
    CoordinatorFactory(email="claire@example.com")

    # The agent nominates a colleague found by name (htmx search), previews, then sends.
    sign_in(page, "alex@example.com")
    nav_click(page, "Nominate")
    page.get_by_label("Search by name").press_sequentially("Jam")
    page.get_by_role("radio", name=re.compile("Jamie Chen")).check()
    page.get_by_label("Award category").select_option(label="Customer Hero (2026)")
    page.get_by_label("Their story").fill(STORY)
    page.get_by_label("What the customer said (optional)").fill("Jamie saved my business today.")
    page.get_by_label("Reference (optional)").fill("TICKET-2026")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your nomination")
    expect(page.get_by_text("Jamie saved my business today.")).to_be_visible()
    page.get_by_role("button", name="Send nomination").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your nomination of Jamie Chen for Customer Hero is sent"
    )
    expect(page.get_by_role("cell", name="Waiting for review")).to_be_visible()
    sign_out(page)

    # Their manager approves it from the review queue.
    sign_in(page, "morgan@example.com")
    nav_click(page, "Review")
    expect(page.get_by_role("heading", name=re.compile("Jamie Chen · Customer Hero"))).to_be_visible()
    page.get_by_label("Comment (optional)", exact=True).fill("Exactly what Customer Service Week is about.")
    page.get_by_role("button", name="Approve Jamie Chen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Jamie Chen's nomination for Customer Hero is approved."
    )

    # Held back until its category's announcement: the manager sees it coming, nobody reacts yet.
    nav_click(page, "Wall")
    page.get_by_label("Week").select_option("2026")
    page.get_by_role("button", name="Show").click()
    held_back = page.locator("article.award", has_text="Jamie Chen")
    expect(held_back).to_contain_text("To be announced on")
    expect(held_back.get_by_role("button", name=re.compile("Clap"))).to_have_count(0)
    sign_out(page)

    # A coordinator announces the category now, after being told how many people it emails.
    sign_in(page, "claire@example.com")
    nav_click(page, "Award categories")
    expect(page.get_by_role("heading", level=1)).to_have_text("Award categories of 2026")
    page.get_by_role("link", name=re.compile("Announce now")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"This will email \d+ people\."))
    page.get_by_role("button", name=re.compile("Yes, announce")).click()
    expect(page.get_by_role("status")).to_contain_text("1 award announced.")
    sign_out(page)

    # The award is on the wall for everyone, and a reaction toggles in place.
    sign_in(page, "alex@example.com")
    nav_click(page, "Wall")
    page.get_by_label("Week").select_option("2026")
    page.get_by_role("button", name="Show").click()
    award = page.locator("article.award", has_text="Jamie Chen")
    expect(award).to_contain_text(STORY)
    expect(award).to_contain_text("Nominated by Alex Morgan")
    clap = award.get_by_role("button", name=re.compile("Clap"))
    expect(clap).to_have_attribute("aria-pressed", "false")
    expect(clap).to_contain_text("0")
    url_before = page.url
    clap.click()
    clap = page.locator("article.award", has_text="Jamie Chen").get_by_role("button", name=re.compile("Clap"))
    expect(clap).to_have_attribute("aria-pressed", "true")
    expect(clap).to_contain_text("1")
    assert page.url == url_before  # swapped by htmx, no page load
    clap.click()
    clap = page.locator("article.award", has_text="Jamie Chen").get_by_role("button", name=re.compile("Clap"))
    expect(clap).to_have_attribute("aria-pressed", "false")
    expect(clap).to_contain_text("0")
