"""Every page each role reaches from the navigation, at 390 px and 1280 px: no sideways scrolling, a
header of at most 64 px on a phone, and no axe-core violations. The pages are found from the menu,
so pages added later are checked too. With CSWEEK_SCREENSHOTS set to a folder (`make screenshots`)
it also saves a PNG of every page at both widths and a summary of the measurements."""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = {
    "coordinator": "coordinator@example.com",
    "manager": "manager@example.com",
    "agent": "agent@example.com",
}
WIDTHS = (1280, 390)
PHONE_HEADER_MAX_PX = 64
# Django's admin keeps its own look; it is not part of csweek's design.
NOT_OURS = re.compile(r"^/admin/")
AXE = "/static/vendor/axe.min.js"

MEASURE = """() => {
    const header = document.querySelector(".site-header");
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        headerHeight: header ? Math.round(header.getBoundingClientRect().height) : 0,
        height: document.documentElement.scrollHeight,
    };
}"""
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.help}` +
        ` e.g. ${v.nodes[0].target.join(" ")}`);
}"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--force", stdout=io.StringIO())


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def navigation_pages(page) -> list[tuple[str, str]]:
    """(label, path) of every link in the header's menus, in menu order."""
    links = page.locator(".site-nav a[href], .site-nav .menu-panel a[href]").evaluate_all(
        "links => links.map((a) => [a.textContent.trim(), a.getAttribute('href')])"
    )
    seen: dict[str, str] = {}
    for label, href in links:
        if href.startswith("/") and not NOT_OURS.match(href):
            seen.setdefault(href, label)
    return [(label, href) for href, label in seen.items()]


def check_page(page, width: int) -> tuple[dict, list[str]]:
    measure = page.evaluate(MEASURE)
    problems = []
    if measure["scrollWidth"] > measure["innerWidth"]:
        problems.append(f"{measure['scrollWidth']} px wide at {width} px")
    if width < 768 and measure["headerHeight"] > PHONE_HEADER_MAX_PX:
        problems.append(f"header {measure['headerHeight']} px tall at {width} px")
    page.add_script_tag(url=AXE)
    problems += page.evaluate(RUN_AXE)
    return measure, problems


def _screenshot_dir() -> Path | None:
    folder = os.environ.get("CSWEEK_SCREENSHOTS")
    return Path(folder) if folder else None


@pytest.mark.parametrize("role", list(ROLES))
def test_navigation_pages_fit_the_screen_and_pass_axe(demo, new_page, role):
    folder = _screenshot_dir()
    failures: list[str] = []
    report: list[str] = []
    pages: list[tuple[str, str]] = []
    for width in WIDTHS:
        page = new_page(viewport={"width": width, "height": 900}, is_mobile=width < 768)
        sign_in(page, ROLES[role])
        if not pages:
            pages = navigation_pages(page)
        for label, path in pages:
            response = page.goto(path)
            assert response is not None
            assert response.status == 200, f"{role} {path}: {response.status}"
            measure, problems = check_page(page, width)
            report.append(
                f"{role:<12} {width:>5} {path:<28} width {measure['scrollWidth']:>5} px  "
                f"header {measure['headerHeight']:>3} px  height {measure['height']:>6} px  "
                f"axe {len([p for p in problems if ' × ' in p])}"
            )
            failures += [f"{role} {width} px {path}: {problem}" for problem in problems]
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
                page.screenshot(path=str(folder / f"{role}-{slug}-{width}.png"), full_page=True)
    assert len(pages) >= 4, f"{role} reaches too few pages from the menu: {pages}"
    if folder is not None:
        with (folder / "report.txt").open("a") as summary:
            summary.write("\n".join(report) + "\n")
    assert failures == []


def test_phone_menu_opens_without_javascript(demo, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 800}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, ROLES["agent"])
        menu = page.locator("details.phone-menu")
        expect(menu.get_by_role("link", name="My nominations")).to_be_hidden()
        menu.locator("summary").click()
        menu.get_by_role("link", name="My nominations").click()
        expect(page).to_have_url(re.compile(r"/nominations/mine/$"))
    finally:
        context.close()
