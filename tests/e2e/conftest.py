"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by tests are safe.
    # Set only while browser tests run (not at import), and removed afterwards.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser(_allow_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Runs in every document before its own scripts (init scripts are not subject to the page's CSP).
# The binding resolves once Python holds the report, then the page counts it, so a test can wait.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    const where = `${event.sourceFile || document.location.href}:${event.lineNumber}`;
    const report = `${event.violatedDirective} blocked ${event.blockedURI} at ${where}`;
    window.__reportCspViolation(report).then(() => {
        window.__cspViolationsReported = (window.__cspViolationsReported || 0) + 1;
    });
});
"""


def _note_csp_console(message, seen: list[str]) -> None:
    if "Content Security Policy" in message.text:
        seen.append(message.text)


@pytest.fixture
def csp_violations():
    """Every Content-Security-Policy violation the browser saw in this test; any fails it at teardown."""
    seen: list[str] = []
    yield seen
    if seen:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(seen)))


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """Open a page in a fresh browser context (its own cookies) whose CSP violations are collected."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        # The people of the tests are in London: a British browser shows 24-hour times.
        options.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        context.set_default_timeout(15_000)
        context.expose_function("__reportCspViolation", lambda report: csp_violations.append(report))
        context.add_init_script(CSP_LISTENER)
        # Chromium also logs each violation to the console ("... violates the following Content
        # Security Policy directive ..."): a second witness should the event not fire.
        context.on("console", lambda message: _note_csp_console(message, csp_violations))
        page = context.new_page()
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
