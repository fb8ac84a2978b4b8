"""In Chromium: the certificate page prints on one landscape sheet of the paper chosen, and an
award's photo loads on the wall under the CSP."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recognition import services
from recognition.models import Nomination
from tests.e2e.test_recognition import sign_in
from tests.factories import AgentFactory, CoordinatorFactory, ManagerFactory, TeamFactory
from tests.recognition.factories import AwardCategoryFactory, NominationFactory, WeekFactory
from tests.support.pictures import picture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Landscape page sizes in PostScript points, as Chromium writes them in the PDF's MediaBox.
SIZES = {"a4": (841.92, 595.92), "letter": (792, 612)}


@pytest.fixture
def award(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    team = TeamFactory(name="Front Line Support")
    manager = ManagerFactory(email="morgan@example.com", first_name="Morgan", team=team)
    team.managers.add(manager)
    nominee = AgentFactory(email="zoe@example.com", first_name="Zoë", last_name="Ó Súilleabháin", team=team)
    award = NominationFactory(
        category=AwardCategoryFactory(week=WeekFactory(year=2026), name="Customer Hero"),
        nominee=nominee,
        status=Nomination.Status.APPROVED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        announced_at=timezone.now(),
    )
    services.award_photo_set(award=award, by=CoordinatorFactory(), photo=picture(size=(1200, 800)))
    return award


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_certificate_prints_on_one_landscape_sheet(page, award, paper, csp_violations):
    sign_in(page, "zoe@example.com")
    page.goto(f"/awards/{award.pk}/certificate/?paper={paper}")
    expect(page.locator(".certificate-nominee")).to_have_text("Zoë Ó Súilleabháin")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) == 1, "the certificate must fit on one sheet"
    width, height = (float(v) for v in boxes[0])
    expected = SIZES[paper]
    assert abs(width - expected[0]) < 2 and abs(height - expected[1]) < 2
    assert csp_violations == []


def test_award_photo_loads_on_the_wall(page, award, csp_violations):
    sign_in(page, "zoe@example.com")
    page.goto("/wall/?week=2026")
    photo = page.locator(".award-photo")
    expect(photo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", photo.element_handle()) == 1200
    assert csp_violations == []
