"""The demo's photos and certificates: last year's announced awards have certificates and some have
photos, some people have profile photos, and seeding again changes none of them."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from people.demo import WITH_PHOTO
from people.models import User
from recognition.demo import AWARD_PHOTOS
from recognition.models import Nomination
from tests.recognition.test_demo import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _photos() -> tuple[list, list]:
    return (
        sorted(User.objects.exclude(photo="").values_list("email", "photo")),
        sorted(Nomination.objects.exclude(photo="").values_list("pk", "photo")),
    )


def test_demo_gives_photos_to_some_people_and_last_years_awards(media_root):
    seed("--scale", "12")
    people, awards = _photos()
    assert [email for email, _ in people] == sorted(WITH_PHOTO)
    assert len(awards) == AWARD_PHOTOS
    for _, name in people + awards:
        assert default_storage.exists(name)
    photographed = Nomination.objects.filter(pk__in=[pk for pk, _ in awards])
    assert {(n.week.year, n.status, n.announced_at is not None) for n in photographed} == {
        (2025, "approved", True)
    }
    assert not User.objects.filter(email__startswith="agent0").exclude(photo="").exists()


def test_demo_twice_keeps_the_same_photos(media_root):
    seed()
    before = _photos()
    files = sorted(p.name for p in media_root.rglob("*.jpg"))
    seed()
    assert _photos() == before
    assert sorted(p.name for p in media_root.rglob("*.jpg")) == files


def test_demo_puts_back_photos_whose_files_are_gone(media_root):
    seed()
    for path in media_root.rglob("*.jpg"):
        path.unlink()
    seed()
    people, awards = _photos()
    assert all(default_storage.exists(name) for _, name in people + awards)


def test_demo_last_years_awards_have_certificates_for_their_nominees(client):
    seed()
    award = Nomination.objects.filter(week__year=2025, status="approved", announced_at__isnull=False).first()
    client.force_login(award.nominee)
    page = client.get(reverse("recognition:certificate", args=[award.pk]))
    assert page.status_code == 200
    assert award.nominee.name in page.content.decode()
    pdf = client.get(reverse("recognition:certificate_pdf", args=[award.pk]))
    assert pdf.content.startswith(b"%PDF-")
