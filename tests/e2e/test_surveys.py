"""The survey journey in Chromium: an agent answers on a phone, a coordinator reads the results."""

import re

import pytest
from playwright.sync_api import expect

from tests.events.factories import WeekFactory
from tests.factories import CoordinatorFactory
from tests.surveys.conftest import answer, make_survey, team_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_agent_answers_pulse_on_phone_and_coordinator_reads_results(phone_page, new_page):
    coordinator = CoordinatorFactory(email="claire@example.com")
    survey = make_survey(by=coordinator, week=WeekFactory(year=2030))
    people = team_of("Front Line Support", 6)
    for person in people[1:]:
        answer(survey, person, number=4, text="Good team")
    page = phone_page

    sign_in(page, people[0].email)
    page.get_by_role("link", name="Answer the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service with Respect pulse")
    progress = page.locator("[data-survey-progress]")
    page.get_by_role("group", name=re.compile("Customers treat me")).get_by_label("Agree", exact=True).check()
    expect(progress).to_have_attribute("value", "1")
    page.get_by_label(re.compile("What would make work")).fill("More breaks")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need your attention")
    expect(page.get_by_label(re.compile("What would make work"))).to_have_value("More breaks")
    for name in ("My colleagues", "My manager", "I get the support"):
        page.get_by_role("group", name=re.compile(name)).get_by_label("Strongly agree").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    desk = new_page()
    sign_in(desk, "claire@example.com")
    desk.goto(f"/surveys/{survey.pk}/results/")
    expect(desk.get_by_text("6 people answered.")).to_be_visible()
    expect(desk.locator("canvas[data-chart][data-drawn='1']").first).to_be_attached()
    expect(desk.get_by_text("More breaks")).to_be_visible()
