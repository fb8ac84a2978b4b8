"""A person signs in through the real login page in Chromium and lands on the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, AgentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_through_login_page_shows_dashboard(page, team):
    AgentFactory(email="alex@example.com", first_name="Alex", team=team)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alex")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Profile")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Teams")


def test_login_page_usable_by_keyboard_at_phone_width(phone_page, team):
    AgentFactory(email="sam@example.com", first_name="Sam", team=team)
    page = phone_page
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
