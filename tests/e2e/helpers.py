"""Moving around csweek's header in a browser: links sit in dropdown menus (<details>)."""

import re


def nav_click(page, label: str) -> None:
    """Follow a link of the main navigation, opening its group's dropdown first when it has one."""
    nav = page.get_by_role("navigation", name="Main", exact=True)
    name = re.compile(rf"^{re.escape(label)}$")
    link = nav.locator("a").filter(has_text=name)
    if not link.is_visible():
        nav.locator("details.menu").filter(has=page.locator("a").filter(has_text=name)).locator(
            "summary"
        ).click()
    link.click()


def sign_out(page) -> None:
    """Sign out from the account menu (desktop) or the phone menu."""
    account = page.locator(".site-nav details.nav-end")
    if account.is_visible():
        account.locator("summary").click()
        account.get_by_role("button", name="Sign out").click()
    else:
        phone = page.locator("details.phone-menu")
        phone.locator("summary").click()
        phone.get_by_role("button", name="Sign out").click()
