"""A NUL byte anywhere in a request is a 400 with our page, never a 500 from PostgreSQL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# Each was a 500 on PostgreSQL, which refuses NUL in text.
NUL_URLS = [
    "/calendar/%00.ics",
    "/invite/%00/",
    "/nominations/people/?person_q=%00",
    "/nominations/new/?person_q=%00",
    "/wall/?category=%00",
    "/nominations/review/?category=%00",
    "/people/?q=%00",
]


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_in_url_is_400(coordinator_client, url):
    response = coordinator_client.get(url)

    assert response.status_code == 400
    assert [t.name for t in response.templates][:1] == ["400.html"]
    assert "We could not read that request" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_query_key_is_400_when_anonymous(client):
    response = client.get("/accounts/login/?next%00=/")

    assert response.status_code == 400


def test_nul_in_urlencoded_field_is_400(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("people:profile"), {"first_name": "Ada\x00", "last_name": "L", "time_zone": "UTC"}
    )

    assert response.status_code == 400
    coordinator.refresh_from_db()
    assert coordinator.first_name != "Ada\x00"


def test_nul_in_multipart_field_is_400(coordinator_client):
    response = coordinator_client.post(
        reverse("recognition:nomination_new"),
        {"person_q": "a\x00b", "file": SimpleUploadedFile("evidence.txt", b"fine")},
    )

    assert response.status_code == 400


def test_nul_in_file_contents_passes_through(coordinator_client):
    # UTF-16 files are full of NULs: the import explains the encoding instead of a bare 400.
    upload = SimpleUploadedFile("staff.csv", "email\n".encode("utf-16-le"))

    response = coordinator_client.post(reverse("people:staff_import"), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
    ]


def test_nul_in_session_cookie_is_400(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00"

    response = client.get(reverse("account_login"))

    assert response.status_code == 400


def test_request_without_nul_passes_through(coordinator_client):
    response = coordinator_client.get("/people/?q=ada")

    assert response.status_code == 200
