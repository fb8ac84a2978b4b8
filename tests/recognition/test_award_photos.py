"""Award photos: coordinators add, replace and remove them; they are seen by whoever may see the
award (everyone once it is announced), and the wall's query count stays the same with photos."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEntry
from csweek.core import images
from people.models import User
from people.services import profile_photo_set
from recognition import services
from recognition.models import Nomination
from tests.recognition.factories import AwardCategoryFactory, NominationFactory
from tests.recognition.test_queries import WALL_QUERIES, bulk_nominations, bulk_people
from tests.support.pictures import picture


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def award(week, nominee, manager, agent):
    return NominationFactory(
        category=AwardCategoryFactory(week=week, name="Customer Hero"),
        nominator=agent,
        nominee=nominee,
        status=Nomination.Status.APPROVED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        announced_at=timezone.now(),
    )


def _photo_url(award):
    award.refresh_from_db()
    return reverse("recognition:award_photo", args=[award.pk, award.photo_token])


def test_coordinator_adds_a_photo_kept_at_most_1600_px_without_exif(client, coordinator, award):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "ceremony.jpg", picture(size=(4000, 3000), exif=True), content_type="image/jpeg"
    )
    response = client.post(reverse("recognition:award_photo_edit", args=[award.pk]), {"photo": upload})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.photo.startswith("awards/")
    with default_storage.open(award.photo) as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert image.size == (1600, 1200)
    assert dict(image.getexif()) == {}
    assert b"PhoneMaker" not in data
    entry = AuditEntry.objects.get(action="award.photo_set")
    assert (entry.actor_id, entry.object_id, entry.detail) == (
        coordinator.pk,
        str(award.pk),
        {"replaced": False},
    )


def test_bad_file_is_refused_with_a_message(client, coordinator, award):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(reverse("recognition:award_photo_edit", args=[award.pk]), {"photo": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [images.NOT_A_PICTURE]
    award.refresh_from_db()
    assert award.photo == ""


def test_no_file_is_refused_with_a_message(client, coordinator, award):
    client.force_login(coordinator)
    response = client.post(reverse("recognition:award_photo_edit", args=[award.pk]), {})
    assert response.context["form"].errors["photo"] == ["Choose a photo to upload."]


@pytest.mark.parametrize("role", ["agent", "nominee", "manager"])
def test_only_coordinators_manage_photos(client, award, role, request):
    client.force_login(request.getfixturevalue(role))
    upload = SimpleUploadedFile("p.jpg", picture(), content_type="image/jpeg")
    assert (
        client.post(reverse("recognition:award_photo_edit", args=[award.pk]), {"photo": upload}).status_code
        == 403
    )
    assert client.post(reverse("recognition:award_photo_remove", args=[award.pk])).status_code == 403


def test_remove_deletes_the_file_and_is_audited(
    client, coordinator, award, django_capture_on_commit_callbacks
):
    services.award_photo_set(award=award, by=coordinator, photo=picture())
    name = award.photo
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("recognition:award_photo_remove", args=[award.pk]))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.photo == ""
    assert not default_storage.exists(name)
    assert AuditEntry.objects.filter(action="award.photo_removed", object_id=str(award.pk)).count() == 1


def test_announced_award_photo_is_seen_by_everyone_signed_in(client, coordinator, award, other_agent):
    services.award_photo_set(award=award, by=coordinator, photo=picture())
    url = _photo_url(award)
    assert client.get(url).status_code == 302
    client.force_login(other_agent)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert url in client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()


def test_photo_of_an_award_not_announced_follows_the_embargo(
    client, coordinator, award, nominee, manager, other_agent, other_manager
):
    services.award_photo_set(award=award, by=coordinator, photo=picture())
    award.announced_at = None
    award.save()
    url = _photo_url(award)
    for person, status in (
        (nominee, 404),
        (other_agent, 404),
        (other_manager, 404),
        (manager, 200),
        (coordinator, 200),
    ):
        client.force_login(person)
        assert client.get(url).status_code == status, person.email
    client.force_login(other_agent)
    assert url not in client.get(reverse("recognition:wall"), {"week": 2026}).content.decode()


def test_photo_on_s3_redirects_to_a_signed_url(
    client, settings, coordinator, award, other_agent, monkeypatch
):
    services.award_photo_set(award=award, by=coordinator, photo=picture())
    settings.MEDIA_STORAGE = "s3"
    monkeypatch.setattr(
        default_storage, "url", lambda name: f"https://bucket.example/{name}?X-Amz-Expires=300"
    )
    client.force_login(other_agent)
    response = client.get(_photo_url(award))
    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.example/{award.photo}?X-Amz-Expires=300"
    # The browser keeps the redirect for less time than the signed URL works.
    settings.MEDIA_SIGNED_URL_SECONDS = 300
    assert client.get(_photo_url(award))["Cache-Control"] == "private, max-age=150"


def test_s3_settings_are_built_from_the_environment(monkeypatch):
    import importlib

    import csweek.settings as real_settings

    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "csweek-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.net")
    monkeypatch.setenv("AWS_QUERYSTRING_EXPIRE", "120")
    try:
        reloaded = importlib.reload(real_settings)
        default = reloaded.STORAGES["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == "csweek-media"
        assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
        assert default["OPTIONS"]["querystring_expire"] == 120
        assert default["OPTIONS"]["querystring_auth"] is True
        # The photos' <img> is redirected to the bucket: the page's policy lets it load from there.
        img_src = reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
        assert "https://s3.example.net" in img_src
        assert "https://csweek-media.s3.example.net" in img_src
    finally:
        monkeypatch.undo()
        importlib.reload(real_settings)


def test_csp_allows_images_from_self_only(client, agent):
    client.force_login(agent)
    policy = client.get(reverse("recognition:wall"))["Content-Security-Policy"]
    img_src = next(part.strip() for part in policy.split(";") if part.strip().startswith("img-src"))
    assert img_src == "img-src 'self' data:"


@pytest.mark.parametrize("size", [3, 300])
@pytest.mark.parametrize("viewer", ["agent", "coordinator"])
def test_wall_with_photos_and_avatars_keeps_its_query_count(client, team, request, viewer, size, week):
    category = AwardCategoryFactory(week=week, name="Customer Hero", award_limit=None)
    nominees = bulk_people(6, team=team, prefix="nominee")
    stored = profile_photo_set(user=nominees[0], photo=picture()).photo
    User.objects.filter(pk__in=[n.pk for n in nominees]).update(photo=stored)
    awards = bulk_nominations(
        size,
        category=category,
        status=Nomination.Status.APPROVED,
        nominators=bulk_people(size // 6 + 1, prefix="fan"),
        nominees=nominees,
    )
    Nomination.objects.filter(pk__in=[a.pk for a in awards]).update(
        photo="awards/" + "p" * 32 + ".jpg", announced_at=timezone.now()
    )
    client.force_login(request.getfixturevalue(viewer))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("recognition:wall"), {"week": 2026})
    html = response.content.decode()
    assert html.count('class="award-photo"') == min(size, 20)
    assert html.count('class="avatar avatar-md"') == min(size, 20)
    assert len(queries) == WALL_QUERIES
