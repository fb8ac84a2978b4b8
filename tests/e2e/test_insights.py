"""The reports page in Chromium: the charts are drawn (under the CSP) and each has its table."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp import sign_in
from tests.events.factories import WeekFactory
from tests.factories import AgentFactory, CoordinatorFactory
from tests.insights.conftest import populate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reports_page_draws_a_chart_beside_its_table(page, team, other_team):
    coordinator = CoordinatorFactory(email="claire@example.com")
    manager = AgentFactory(team=team)
    populate(
        WeekFactory(year=2029), host=coordinator, team=team, other_team=other_team, reviewer=manager, n=2
    )
    populate(
        WeekFactory(year=2030), host=coordinator, team=team, other_team=other_team, reviewer=manager, n=4
    )
    sign_in(page, coordinator.email)

    page.goto("/reports/2030/")

    canvas = page.locator('canvas[data-chart="chart-participation-teams"]')
    expect(canvas).to_have_attribute("data-drawn", "1")
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=\"chart-participation-teams\"]')).data.labels"
    ) == ["Billing", "Front Line"]
    table = page.locator("#participation-teams-table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("rowheader", name="Front Line")).to_be_visible()
    assert page.locator("canvas[data-drawn='1']").count() == 5


def open_the_2030_report(page, team, other_team) -> None:
    """A coordinator's report on a week with two teams' sign-ups and nominations."""
    coordinator = CoordinatorFactory(email="claire@example.com")
    populate(
        WeekFactory(year=2030), host=coordinator, team=team, other_team=other_team, reviewer=coordinator, n=2
    )
    sign_in(page, coordinator.email)
    page.goto("/reports/2030/")


def test_reports_page_fits_a_phone(phone_page, team, other_team):
    open_the_2030_report(phone_page, team, other_team)
    expect(phone_page.locator("canvas[data-drawn='1']").first).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_reports_page_prints_its_figures_without_the_menu_or_the_downloads(page, team, other_team):
    open_the_2030_report(page, team, other_team)
    canvas = page.locator('canvas[data-chart="chart-participation-teams"]')
    expect(canvas).to_have_attribute("data-drawn", "1")
    downloads = page.get_by_role("link", name="CSV").first
    expect(downloads).to_be_visible()
    expect(page.locator("header nav").first).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator("header nav").first).to_be_hidden()
    expect(downloads).to_be_hidden()
    expect(page.locator("#participation-teams-table")).to_be_visible()
    expect(canvas).to_be_visible()
    # A chart keeps to a printed page's share: 14rem high, not the screen's size.
    assert page.evaluate("getComputedStyle(document.querySelector('.chart-box')).height") == page.evaluate(
        "14 * parseFloat(getComputedStyle(document.documentElement).fontSize) + 'px'"
    )
