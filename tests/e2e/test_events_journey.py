"""The week in Chromium: a coordinator plans and publishes it, an agent signs up."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import nav_click
from tests.factories import PASSWORD, AgentFactory, CoordinatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_coordinator_plans_and_publishes_agent_signs_up(page, new_page, team):
    CoordinatorFactory(email="claire@example.com", first_name="Claire", time_zone="Europe/London")
    AgentFactory(email="alex@example.com", first_name="Alex", team=team, time_zone="America/New_York")

    sign_in(page, "claire@example.com")
    nav_click(page, "Weeks")
    page.get_by_label("Yearly theme").fill("Mission Possible")
    page.get_by_label("Organisation time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create the week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mission Possible")
    plan_url = page.url
    year = re.search(r"/weeks/(\d{4})/", plan_url).group(1)

    # The theme of Monday, changed inline (htmx: the page does not reload).
    page.get_by_role("link", name="Change theme of Monday").click()
    page.get_by_label("Theme", exact=True).fill("Kindness Counts")
    page.get_by_role("button", name="Save theme").click()
    monday = page.locator("section.plan-day").first
    expect(monday).to_contain_text("Kindness Counts")
    assert page.url == plan_url

    # An activity on Tuesday, added inline.
    page.get_by_role("button", name="Add an activity on Tuesday").click()
    page.get_by_label("Title").fill("Escape room challenge")
    page.get_by_label("Kind").select_option(label="Team-building")
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("11:30")
    page.get_by_label("Room or address").fill("Floor 3, Atrium")
    page.get_by_label("Capacity").fill("8")
    page.get_by_role("button", name="Save activity").click()
    tuesday = page.locator("section.plan-day").nth(1)
    expect(tuesday).to_contain_text("Escape room challenge")
    expect(tuesday).to_contain_text("10:00–11:30")

    page.get_by_role("button", name="Publish the week").click()
    expect(page.get_by_text("Published", exact=True)).to_be_visible()

    # The agent, in New York, sees it five hours earlier and signs up.
    agent_page = new_page()  # its own browser context: the agent's own session
    sign_in(agent_page, "alex@example.com")
    nav_click(agent_page, "Schedule")
    expect(agent_page.get_by_role("heading", level=1)).to_contain_text(f"Customer Service Week {year}")
    expect(agent_page.get_by_text("Kindness Counts")).to_be_visible()
    card = agent_page.locator("article.activity-card", has_text="Escape room challenge")
    expect(card).to_contain_text("05:00")
    # The zone is named once, above the schedule, not on every card.
    expect(agent_page.locator("main")).to_contain_text("Times are shown in your time zone, America/New_York")
    expect(card).to_contain_text("8 seats left")
    card.get_by_role("button", name="Sign up for Escape room challenge").click()
    mine = agent_page.locator("section.my-activities")
    expect(mine).to_contain_text("Escape room challenge")
    expect(mine).to_contain_text("signed up")
    expect(agent_page.locator("article.activity-card", has_text="Escape room challenge")).to_contain_text(
        "7 seats left"
    )
