"""Certificates: who may open them (object by object), what they say, and a PDF in which every name
prints and no line runs off the page."""

import datetime
import warnings

import pytest
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from outbox.services import organisation_update
from recognition import certificates
from recognition.certificates import Certificate, certificate_pdf, fitted, fitted_lines, story_line
from recognition.models import Nomination
from tests.factories import AgentFactory, ManagerFactory
from tests.recognition.factories import AwardCategoryFactory, NominationFactory
from tests.support.pictures import picture

LONG_STORY = (
    "Zoë stayed on the line for two hours with a customer whose heating had failed in the middle of "
    "a cold night, found an engineer who could come at once and called back in the morning to check."
)


@pytest.fixture
def award(week, nominee, manager, agent):
    category = AwardCategoryFactory(week=week, name="Customer Hero")
    return NominationFactory(
        category=category,
        nominator=agent,
        nominee=nominee,
        story="Fixed it for the customer overnight. Then more.",
        status=Nomination.Status.APPROVED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        announced_at=datetime.datetime(2026, 10, 8, 23, 30, tzinfo=datetime.UTC),
    )


def _urls(award):
    return [
        reverse("recognition:certificate", args=[award.pk]),
        reverse("recognition:certificate_pdf", args=[award.pk]),
    ]


def test_story_line_is_the_first_sentence_when_short():
    assert story_line("Fixed it. Then more.") == "Fixed it."


def test_story_line_is_cut_on_a_word_with_an_ellipsis():
    line = story_line(LONG_STORY)
    assert len(line) <= 160
    assert line.endswith("…")
    assert line[:-1] == LONG_STORY[: len(line) - 1]
    assert LONG_STORY[len(line) - 1] == " "


def test_story_line_joins_lines():
    assert story_line("Answered\n\n  every call!  Always.") == "Answered every call!"


@pytest.mark.parametrize("role", ["nominee", "manager", "coordinator"])
def test_announced_certificate_opens_for_nominee_manager_and_coordinator(client, award, role, request):
    client.force_login(request.getfixturevalue(role))
    page = client.get(_urls(award)[0])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nia Okafor" in html
    assert "Customer Hero" in html
    assert "“Fixed it for the customer overnight.”" in html
    # Announced at 23:30 UTC on the 8th: the 9th in the week's zone (Europe/London, BST).
    assert "9 October 2026" in html
    assert award.reviewed_by.name in html
    pdf = client.get(_urls(award)[1])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="certificate-2026-{award.pk}-a4.pdf"'
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", ["agent", "other_agent", "other_manager"])
def test_certificate_is_404_for_anyone_else(client, award, role, request):
    """The nominator (`agent`), a colleague elsewhere and another team's manager."""
    client.force_login(request.getfixturevalue(role))
    for url in _urls(award):
        assert client.get(url).status_code == 404


def test_certificate_anonymous_goes_to_sign_in(client, award):
    for url in _urls(award):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_certificate_before_the_announcement_only_for_managers_and_coordinators(
    client, award, nominee, manager, coordinator
):
    award.announced_at = None
    award.save()
    client.force_login(nominee)
    assert [client.get(url).status_code for url in _urls(award)] == [404, 404]
    client.force_login(manager)
    page = client.get(_urls(award)[0])
    assert page.status_code == 200
    assert "This award is not announced yet" in page.content.decode()
    assert "To be announced" in page.content.decode()
    client.force_login(coordinator)
    assert [client.get(url).status_code for url in _urls(award)] == [200, 200]


def test_certificate_of_a_nomination_not_approved_is_404_for_everyone(
    client, nominee, agent, category, coordinator
):
    submitted = NominationFactory(category=category, nominator=agent, nominee=nominee)
    client.force_login(coordinator)
    assert [client.get(url).status_code for url in _urls(submitted)] == [404, 404]


def test_certificate_paper_choice_sets_the_page_css_and_pdf_size(client, award, nominee):
    client.force_login(nominee)
    html = client.get(_urls(award)[0], {"paper": "letter"}).content.decode()
    assert "css/certificate-letter.css" in html
    assert "css/certificate-a4.css" not in html
    html = client.get(_urls(award)[0], {"paper": "../../etc"}).content.decode()
    assert "css/certificate-a4.css" in html
    pdf = client.get(_urls(award)[1], {"paper": "letter"})
    assert pdf["Content-Disposition"].endswith('-letter.pdf"')
    assert b"/MediaBox [0 0 792.00 612.00]" in pdf.content
    pdf = client.get(_urls(award)[1])
    assert b"/MediaBox [0 0 841.89 595.28]" in pdf.content


def test_certificate_page_escapes_names_and_story(client, award, nominee):
    nominee.display_name = "<script>alert(1)</script>"
    nominee.save()
    award.story = "<b>Bold</b> move that saved the account for the customer."
    award.save()
    client.force_login(nominee)
    html = client.get(_urls(award)[0]).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_certificate_shows_the_organisation_name_and_logo(
    client, award, nominee, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(
            by=coordinator,
            name="Acme Ltd",
            accent_colour="#1d4ed8",
            logo=(picture(fmt="PNG", size=(200, 60)), "image/png"),
        )
    client.force_login(nominee)
    html = client.get(_urls(award)[0]).content.decode()
    assert "Acme Ltd" in html
    assert 'class="certificate-logo"' in html
    pdf = client.get(_urls(award)[1])
    assert pdf.status_code == 200
    assert b"/Subtype /Image" in pdf.content


def _certificate(**overrides) -> Certificate:
    values = {
        "pk": 1,
        "organisation": "Acme Ltd",
        "accent_colour": "#4f46e5",
        "logo_path": "",
        "category": "Customer Hero",
        "nominee": "Zoë Ó Súilleabháin",
        "story_line": story_line(LONG_STORY),
        "announced_on": "9 October 2026",
        "approver": "Łukasz Wiśniewski",
        "year": 2026,
        "announced": True,
    }
    values.update(overrides)
    return Certificate(**values)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_prints_every_character_of_the_names(paper):
    # fpdf2 warns about each glyph its font lacks: none may be missing.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = certificate_pdf(
            _certificate(nominee="Zoë Ó Súilleabháin · Łukasz Żółć · Ærøskøbing"), paper=paper
        )
    assert data.startswith(b"%PDF-")
    assert b"DejaVuSerif" in data


def _pdf() -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.add_font(certificates.FONT, "", str(certificates.FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font(certificates.FONT, "B", str(certificates.FONT_DIR / "DejaVuSerif-Bold.ttf"))
    return pdf


def test_fitted_shrinks_a_long_name_until_it_fits():
    pdf = _pdf()
    name = "Maria Fernanda de los Ángeles Ó Súilleabháin-Wiśniewska"
    text, size = fitted(pdf, name, style="B", width=220, largest=34, smallest=14)
    assert text == name
    assert 14 <= size < 34
    pdf.set_font(certificates.FONT, "B", size)
    assert pdf.get_string_width(text) <= 220
    pdf.set_font(certificates.FONT, "B", size + 1)
    assert pdf.get_string_width(text) > 220


def test_fitted_cuts_what_cannot_fit_even_at_the_smallest_size():
    pdf = _pdf()
    name = "Łukasz " * 40
    text, size = fitted(pdf, name.strip(), style="B", width=100, largest=34, smallest=14)
    assert size == 14
    assert text.endswith("…")
    pdf.set_font(certificates.FONT, "B", 14)
    assert pdf.get_string_width(text) <= 100


def test_fitted_lines_puts_a_long_name_on_two_lines_before_making_it_small():
    pdf = _pdf()
    name = "Maria Fernanda de los Ángeles Ó Súilleabháin-Wiśniewska von Łukaszewicz-Żółkiewska"
    lines, size = fitted_lines(pdf, name, style="B", width=250, largest=34, smallest=16, max_lines=2)
    assert " ".join(lines) == name
    assert len(lines) == 2
    assert size >= 20  # one line would need 14 pt or less
    pdf.set_font(certificates.FONT, "B", size)
    assert all(pdf.get_string_width(line) <= 250 for line in lines)


def test_fitted_lines_cuts_only_what_two_lines_cannot_hold():
    pdf = _pdf()
    lines, size = fitted_lines(
        pdf, "Łukasz " * 60, style="B", width=250, largest=34, smallest=16, max_lines=2
    )
    assert size == 16
    assert len(lines) == 2
    assert lines[1].endswith("…")
    pdf.set_font(certificates.FONT, "B", 16)
    assert all(pdf.get_string_width(line) <= 250 for line in lines)


def test_pdf_with_the_longest_names_still_renders(db):
    data = certificate_pdf(
        _certificate(
            nominee="W" * 150, category="Category " * 11, organisation="Org " * 50, approver="A" * 150
        )
    )
    assert data.startswith(b"%PDF-")
    assert b"/Count 1" in data  # one page: nothing spilled over


def test_certificate_links_on_the_wall_only_for_those_allowed(client, award, nominee, other_agent, manager):
    url = reverse("recognition:certificate", args=[award.pk])
    wall = reverse("recognition:wall")
    client.force_login(nominee)
    assert url in client.get(wall, {"week": 2026}).content.decode()
    client.force_login(manager)
    assert url in client.get(wall, {"week": 2026}).content.decode()
    client.force_login(other_agent)
    assert url not in client.get(wall, {"week": 2026}).content.decode()


def test_certificate_link_on_received_nominations_after_the_announcement(client, award, nominee):
    url = reverse("recognition:certificate", args=[award.pk])
    client.force_login(nominee)
    assert url in client.get(reverse("recognition:mine")).content.decode()
    award.announced_at = None
    award.save()
    assert url not in client.get(reverse("recognition:mine")).content.decode()


def test_certificate_manager_of_two_teams_sees_links_without_a_query_per_award(
    client, week, team, other_team
):
    boss = ManagerFactory(team=team)
    team.managers.add(boss)
    other_team.managers.add(boss)
    category = AwardCategoryFactory(week=week)
    awards = [
        NominationFactory(
            category=category,
            nominee=AgentFactory(team=t),
            status=Nomination.Status.APPROVED,
            reviewed_at=timezone.now(),
        )
        for t in (team, other_team, None)
    ]
    client.force_login(boss)
    html = client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()
    shown = [reverse("recognition:certificate", args=[a.pk]) in html for a in awards]
    assert shown == [True, True, False]
