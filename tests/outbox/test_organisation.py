"""The organisation's identity: one row, edited by coordinators, shown by the header, the accent
stylesheet and every email."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry
from csweek.core.colours import accent_shades, contrast
from outbox import selectors, services
from outbox.models import Organisation

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#123456").save(buffer, format="PNG")
    return buffer.getvalue()


def test_organisation_identity_without_row_is_the_default():
    cache.clear()
    assert selectors.organisation_identity() == selectors.DEFAULT_IDENTITY


def test_organisation_update_changes_identity_after_commit(coordinator, django_capture_on_commit_callbacks):
    cache.clear()
    selectors.organisation_identity()  # cached: the update must replace it
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(by=coordinator, name="Acme Support", accent_colour="#0B5CAD")
    identity = selectors.organisation_identity()
    assert (identity.name, identity.accent_colour, identity.logo_version) == ("Acme Support", "#0b5cad", "")
    assert Organisation.objects.count() == 1
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.detail == {"accent_colour": ["#4f46e5", "#0b5cad"], "name": ["csweek", "Acme Support"]}


def test_organisation_update_by_agent_is_refused(agent):
    with pytest.raises(PermissionDenied):
        services.organisation_update(by=agent, name="Mine", accent_colour="#0b5cad")
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("blue", "Enter a colour as # and six hexadecimal digits, for example #4f46e5."),
        ("#ffff00", "This colour is too light to read on white (1.1:1, needs 4.5:1): choose a darker shade."),
    ],
)
def test_organisation_update_bad_colour_is_refused(coordinator, colour, message):
    with pytest.raises(ValidationError) as error:
        services.organisation_update(by=coordinator, name="Acme", accent_colour=colour)
    assert error.value.messages == [message]


def test_accent_shades_keep_text_readable():
    shades = accent_shades("#4F46E5")
    assert shades == {
        "accent": "#4f46e5",
        "accent-strong": "#3b34ac",
        "accent-soft": "#edecfc",
        "accent-contrast": "#ffffff",
    }
    assert contrast(shades["accent-strong"], shades["accent-soft"]) >= 4.5


def test_organisation_page_coordinator_saves_name_colour_and_logo(client, coordinator):
    cache.clear()
    client.force_login(coordinator)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("outbox:organisation_edit"),
        {"name": "Acme Support", "accent_colour": "#0b5cad", "logo": logo},
    )
    assert response.status_code == 302
    identity = selectors.organisation_identity()
    assert identity.name == "Acme Support"
    page = client.get(reverse("dashboard")).content.decode()
    assert f'src="{identity.logo_path}"' in page
    assert "<span>Acme Support</span>" in page
    logo_response = client.get(identity.logo_path)
    assert (logo_response.status_code, logo_response["Content-Type"], logo_response.content) == (
        200,
        "image/png",
        png_bytes(),
    )
    css = client.get(reverse("theme_css")).content.decode()
    assert "  --cs-accent: #0b5cad;\n" in css


def test_organisation_page_not_an_image_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(
        reverse("outbox:organisation_edit"),
        {"name": "Acme Support", "accent_colour": "#0b5cad", "logo": fake},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "logo": ["This file is not an image: choose a PNG, JPEG or WebP file."]
    }
    assert 'value="Acme Support"' in response.content.decode()
    assert Organisation.objects.count() == 0


def test_organisation_page_escapes_the_name(client, coordinator):
    cache.clear()
    services.organisation_update(by=coordinator, name="<script>x</script>", accent_colour="#0b5cad")
    cache.clear()
    client.force_login(coordinator)
    page = client.get(reverse("dashboard")).content.decode()
    assert "<span>&lt;script&gt;x&lt;/script&gt;</span>" in page


def test_favicon_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/img/favicon.svg")


def test_wall_names_the_organisation(client, coordinator, agent):
    cache.clear()
    services.organisation_update(by=coordinator, name="Acme Support", accent_colour="#0b5cad")
    cache.clear()
    client.force_login(agent)
    content = client.get(reverse("recognition:wall")).content.decode()
    assert '<p class="muted">Acme Support thanks the people who serve its customers.</p>' in content
