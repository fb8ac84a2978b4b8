"""The survey journey in Chromium: an agent answers on a phone, a coordinator reads the results."""

import re

import pytest
from playwright.sync_api import expect

from tests.events.factories import WeekFactory
from tests.factories import CoordinatorFactory
from tests.surveys.conftest import answer, close, make_survey, team_of

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

    close(survey)
    desk = new_page()
    sign_in(desk, "claire@example.com")
    desk.goto(f"/surveys/{survey.pk}/results/")
    expect(desk.get_by_text("6 people answered.")).to_be_visible()
    expect(desk.locator("canvas[data-chart][data-drawn='1']").first).to_be_attached()
    expect(desk.get_by_text("More breaks")).to_be_visible()


def test_coordinator_filters_results_by_team_and_role_on_phone(phone_page):
    """The filter form (no JavaScript needed) picks one team × role cell; the page stays
    axe-clean and fits a phone, with the team × role table scrolling inside its own box."""
    from tests.e2e.test_design import AXE, RUN_AXE
    from tests.factories import ManagerFactory, TeamFactory

    coordinator = CoordinatorFactory(email="claire@example.com")
    survey = make_survey(by=coordinator, week=WeekFactory(year=2030))
    for person in team_of("Front Line Support", 7):
        answer(survey, person, number=5, text="Fine")
    front = TeamFactory._meta.model.objects.get(name="Front Line Support")
    for _ in range(5):
        answer(survey, ManagerFactory(team=front), number=3, text="Busy")
    for person in team_of("Billing", 6):
        answer(survey, person, number=4)
    close(survey)
    page = phone_page
    sign_in(page, "claire@example.com")
    page.goto(f"/surveys/{survey.pk}/results/")
    page.get_by_label("Team").select_option("Front Line Support")
    page.get_by_label("Role").select_option("Agent")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", level=2, name="Front Line Support × Agent")).to_be_visible()
    expect(page.get_by_text("7 people answered.")).to_be_visible()
    expect(
        page.get_by_text("Comments are shown only for everyone and for a team, never by role.")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.add_script_tag(url=AXE)
    assert page.evaluate(RUN_AXE) == []
