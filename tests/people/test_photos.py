"""Profile photos: only pictures are kept, re-encoded without EXIF, cropped to 256 px; served to
signed-in people only; initials otherwise."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from csweek.core import images
from people import avatars, services
from people.models import User
from tests.factories import AgentFactory
from tests.support.pictures import picture

PROFILE_URL = reverse("people:profile")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _profile_post(agent, **extra):
    data = {
        "first_name": "Zoë",
        "last_name": "Ó Súilleabháin",
        "display_name": "",
        "time_zone": "Europe/Dublin",
    }
    data.update(extra)
    return data


def test_avatar_encode_crops_the_centre_to_256_and_drops_exif():
    data = images.avatar_encode(picture(size=(800, 400), exif=True))
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (256, 256)
    assert dict(image.getexif()) == {}
    assert b"PhoneMaker" not in data
    # The centre of a red | blue picture: red on the left edge, blue on the right edge.
    red, _, blue = image.convert("RGB").getpixel((5, 128))
    assert red > 200 and blue < 60
    red, _, blue = image.convert("RGB").getpixel((250, 128))
    assert blue > 200 and red < 60


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_avatar_encode_accepts_other_formats_as_jpeg(fmt):
    data = images.avatar_encode(picture(fmt=fmt, size=(300, 300)))
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_avatar_encode_flattens_transparency_on_white():
    data = images.avatar_encode(picture(fmt="PNG", size=(100, 100), mode="RGBA"))
    assert Image.open(io.BytesIO(data)).mode == "RGB"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty: choose a photo."),
        (b"%PDF-1.4 not a picture at all", images.NOT_A_PICTURE),
        (picture()[:200], images.NOT_A_PICTURE),  # a truncated JPEG
        (b"GIF89a" + b"\x00" * 40, images.NOT_A_PICTURE),
    ],
)
def test_avatar_encode_refuses_what_is_not_a_picture(data, message):
    with pytest.raises(ValidationError) as caught:
        images.avatar_encode(data)
    assert caught.value.messages == [message]


def test_avatar_encode_refuses_more_than_5_mb():
    with pytest.raises(ValidationError) as caught:
        images.avatar_encode(b"\xff" * (images.MAX_UPLOAD_BYTES + 1))
    assert caught.value.messages == ["The photo is 5.0 MB; the limit is 5 MB. Choose a smaller one."]


def test_avatar_encode_refuses_a_decompression_bomb(monkeypatch):
    # A small file describing more pixels than allowed is refused before it is decoded.
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ValidationError) as caught:
        images.avatar_encode(picture(fmt="PNG", size=(200, 100)))
    assert caught.value.messages == [
        "This picture is 200×100 pixels, more than csweek accepts; choose a smaller one."
    ]


def test_avatar_encode_honours_pillows_own_bomb_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)
    with pytest.raises(ValidationError) as caught:
        images.avatar_encode(picture(fmt="PNG", size=(60, 60)))
    assert caught.value.code == "too_many_pixels"


def test_profile_upload_saves_a_256_jpeg_and_shows_it(client, agent, media_root):
    client.force_login(agent)
    upload = SimpleUploadedFile("me.png", picture(fmt="PNG", exif=False), content_type="image/png")
    response = client.post(PROFILE_URL, _profile_post(agent, photo=upload))
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.photo.startswith("avatars/") and agent.photo.endswith(".jpg")
    with default_storage.open(agent.photo) as handle:
        assert Image.open(handle).size == (256, 256)
    page = client.get(PROFILE_URL).content.decode()
    assert avatars.photo_url(agent) in page


def test_profile_bad_file_is_refused_and_keeps_what_was_typed(client, agent, media_root):
    client.force_login(agent)
    upload = SimpleUploadedFile("me.jpg", b"this is not a jpeg", content_type="image/jpeg")
    response = client.post(PROFILE_URL, _profile_post(agent, photo=upload, display_name="Zoë the Great"))
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [images.NOT_A_PICTURE]
    html = response.content.decode()
    assert 'value="Zoë the Great"' in html
    agent.refresh_from_db()
    assert agent.photo == ""
    assert agent.display_name != "Zoë the Great"
    assert list(media_root.rglob("*.jpg")) == []


def test_profile_replacing_and_removing_deletes_the_old_files(
    client, agent, media_root, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_set(user=agent, photo=picture())
    first = agent.photo
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROFILE_URL, _profile_post(agent, photo=SimpleUploadedFile("b.jpg", picture())))
    agent.refresh_from_db()
    assert agent.photo != first
    assert not default_storage.exists(first)
    assert default_storage.exists(agent.photo)
    second = agent.photo
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROFILE_URL, _profile_post(agent, photo_remove="on"))
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.photo == ""
    assert not default_storage.exists(second)


def test_photo_is_served_to_signed_in_people_only(client, agent, other_agent):
    services.profile_photo_set(user=agent, photo=picture())
    url = avatars.photo_url(agent)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(other_agent)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (256, 256)


def test_photo_wrong_or_old_token_is_404(client, agent, other_agent):
    services.profile_photo_set(user=agent, photo=picture())
    old_url = avatars.photo_url(agent)
    services.profile_photo_set(user=agent, photo=picture(fmt="PNG"))
    client.force_login(other_agent)
    assert client.get(old_url).status_code == 404
    guessed = reverse("people:photo", kwargs={"pk": agent.pk, "token": "A" * 32})
    assert client.get(guessed).status_code == 404
    assert (
        client.get(reverse("people:photo", kwargs={"pk": other_agent.pk, "token": "x" * 32})).status_code
        == 404
    )


def test_photo_through_nginx_answers_with_x_accel_redirect(client, settings, agent):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    services.profile_photo_set(user=agent, photo=picture())
    client.force_login(agent)
    response = client.get(avatars.photo_url(agent))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{agent.photo}"
    assert response.content == b""


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_initials_colours_have_at_least_4_5_contrast_with_white():
    for colour in avatars.AVATAR_COLOURS:
        assert (1.05) / (_luminance(colour) + 0.05) >= 4.5, colour


def test_initials_colours_match_the_stylesheet():
    css = Path("static/css/design.css").read_text(encoding="utf-8")
    for index, colour in enumerate(avatars.AVATAR_COLOURS):
        assert f".avatar-c{index} {{ background: {colour}; }}" in css


@pytest.mark.parametrize(
    ("first", "last", "display", "expected"),
    [
        ("Zoë", "Ó Súilleabháin", "", "ZS"),
        ("Łukasz", "", "", "Ł"),
        ("", "", "", "N"),
        ("Ana", "Lima", "Ana from Billing", "AB"),
    ],
)
def test_initials_from_the_name_shown(first, last, display, expected, db):
    person = AgentFactory(email="nobody@example.com", first_name=first, last_name=last, display_name=display)
    assert avatars.initials(person) == expected


def test_initials_colour_is_the_same_for_the_same_person(db):
    person = AgentFactory()
    assert avatars.colour_index(person) == avatars.colour_index(person)
    indexes = {avatars.colour_index(AgentFactory()) for _ in range(30)}
    assert len(indexes) > 3


def test_person_without_photo_shows_initials_on_the_people_list(client, coordinator, agent):
    agent.first_name, agent.last_name = "Zoë", "Ó Súilleabháin"
    agent.save()
    client.force_login(coordinator)
    html = client.get(reverse("people:person_list")).content.decode()
    assert (
        f'<span class="avatar avatar-sm avatar-c{avatars.colour_index(agent)}" aria-hidden="true">ZS</span>'
        in html
    )


@pytest.mark.parametrize("size", [(4000, 3000), (1000, 6000), (300, 200)])
def test_large_jpegs_are_scaled_from_a_reduced_decode_without_losing_size(size):
    avatar = Image.open(io.BytesIO(images.avatar_encode(picture(size=size))))
    assert avatar.size == (256, 256)
    award = Image.open(io.BytesIO(images.award_photo_encode(picture(size=size))))
    long_side = max(size)
    expected = tuple(round(v * min(1, 1600 / long_side)) for v in size)
    assert abs(award.size[0] - expected[0]) <= 1 and abs(award.size[1] - expected[1]) <= 1
    assert max(award.size) == min(1600, long_side)


@pytest.mark.parametrize("size", [3, 300])
def test_people_list_with_photos_keeps_its_query_count(client, coordinator, team, size):
    from tests.people.test_people_views import PEOPLE_LIST_QUERIES

    stored = services.profile_photo_set(user=coordinator, photo=picture()).photo
    AgentFactory.create_batch(size, team=team)
    User.objects.filter(team=team).update(photo=stored)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:person_list"))
    shown = min(size + 1, 50)
    assert response.content.decode().count('<img class="avatar avatar-sm"') == shown
    assert len(queries) == PEOPLE_LIST_QUERIES
