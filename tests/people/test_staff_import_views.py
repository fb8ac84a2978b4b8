"""The staff import pages: who may use them, upload → preview (no writes) → confirm, escaping."""

import base64

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Invitation, Team, User

URL = reverse("people:staff_import")
HEADER = "email,first_name,last_name,team,role,manager_email,time_zone"
GOOD_FILE = (
    f"{HEADER}\r\n"
    "ann@example.com,Ann,Lee,Support,Manager,,Europe/Paris\r\n"
    "bob@example.com,Bob,Ray,Support,Agent,ann@example.com,\r\n"
)
BAD_FILE = (
    f"{HEADER}\n"
    "ann@example.com,Ann,Lee,Support,Manager,,Europe/Paris\n"
    "bob@example,Bob,Ray,Support,Agent,,\n"
    "cat@example.com,Cat,Fox,Support,Chief,,\n"
)


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Team.objects.count(), Invitation.objects.count()


def csv_file(data: str | bytes, name: str = "staff.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data, "text/csv")


def confirm_data(content: str) -> dict:
    return {"confirm": "1", "content": base64.b64encode(content.encode()).decode()}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


# --- Who may use the import -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_import_anonymous_redirects_to_login(client, method):
    response = getattr(client, method)(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "manager"])
def test_staff_import_non_coordinator_is_forbidden(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_file(GOOD_FILE)}).status_code == 403


@pytest.mark.django_db
def test_staff_import_confirm_by_manager_is_forbidden_and_writes_nothing(client, manager):
    client.force_login(manager)
    before = counts()

    response = client.post(URL, confirm_data(GOOD_FILE))

    assert response.status_code == 403
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_coordinator_sees_upload_form(coordinator_client):
    response = coordinator_client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "people/import_upload.html"
    assert 'type="file"' in response.content.decode()


# --- Upload → preview → confirm ---------------------------------------------------------------


@pytest.mark.django_db
def test_staff_import_upload_shows_preview_and_writes_nothing(coordinator_client):
    before = counts()

    response = coordinator_client.post(URL, {"file": csv_file(GOOD_FILE)})

    assert response.status_code == 200
    assert response.templates[0].name == "people/import_preview.html"
    plan = response.context["plan"]
    assert [(row.line, row.email, row.action) for row in plan.rows] == [
        (2, "ann@example.com", "create"),
        (3, "bob@example.com", "create"),
    ]
    html = response.content.decode()
    assert "ann@example.com becomes a manager of Support" in html
    assert 'name="confirm"' in html
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_preview_shows_line_numbers_and_reasons(coordinator_client):
    before = counts()

    response = coordinator_client.post(URL, {"file": csv_file(BAD_FILE)})

    assert response.status_code == 200
    assert [(e.line, e.reason) for e in response.context["plan"].errors] == [
        (3, "“bob@example” is not a valid email address."),
        (4, "Unknown role “Chief”: use Coordinator, Manager or Agent."),
    ]
    html = response.content.decode()
    assert "<td>3</td>" in html
    assert "<td>“bob@example” is not a valid email address.</td>" in html
    assert "<td>4</td>" in html
    assert "<td>Unknown role “Chief”: use Coordinator, Manager or Agent.</td>" in html
    assert 'name="confirm"' not in html
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_confirm_creates_people_and_redirects(
    coordinator_client, django_capture_on_commit_callbacks, mailoutbox
):
    preview = coordinator_client.post(URL, {"file": csv_file(GOOD_FILE)})
    posted = {"confirm": "1", "content": preview.context["confirm_form"]["content"].value()}

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(URL, posted)

    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list")
    assert messages_of(response) == [
        "Import done: 2 people created, 0 updated, 0 unchanged, 1 new team. Invitations are on their way."
    ]
    assert sorted(User.objects.exclude(email="coord@example.com").values_list("email", flat=True)) == [
        "ann@example.com",
        "bob@example.com",
    ]
    assert list(Team.objects.get(name="Support").managers.values_list("email", flat=True)) == [
        "ann@example.com"
    ]
    assert sorted(message.to[0] for message in mailoutbox) == ["ann@example.com", "bob@example.com"]


@pytest.mark.django_db
def test_staff_import_confirm_same_file_again_sends_nothing(
    coordinator_client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(URL, confirm_data(GOOD_FILE))
    before = counts()
    mailoutbox.clear()

    preview = coordinator_client.post(URL, {"file": csv_file(GOOD_FILE)})
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(URL, confirm_data(GOOD_FILE))

    assert "Everyone in this file is already up to date" in preview.content.decode()
    assert 'name="confirm"' not in preview.content.decode()
    assert messages_of(response) == ["Import done: 0 people created, 0 updated, 2 unchanged, 0 new teams."]
    assert counts() == before
    assert mailoutbox == []


@pytest.mark.django_db
def test_staff_import_confirm_refused_when_file_has_errors(
    coordinator_client, django_capture_on_commit_callbacks, mailoutbox
):
    before = counts()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(URL, confirm_data(BAD_FILE))

    assert response.status_code == 200
    assert response.templates[0].name == "people/import_preview.html"
    assert messages_of(response) == [
        "Nothing was imported. 2 row(s) have problems; fix them and upload the file again."
    ]
    assert 'name="confirm"' not in response.content.decode()
    assert counts() == before
    assert (callbacks, mailoutbox) == ([], [])


@pytest.mark.django_db
def test_staff_import_confirm_damaged_data_redirects_with_error(coordinator_client):
    before = counts()

    response = coordinator_client.post(URL, {"confirm": "1", "content": "%%%"})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert messages_of(response) == ["The import data was damaged; upload the file again."]
    assert counts() == before


# --- File problems shown on the upload form ---------------------------------------------------


@pytest.mark.django_db
def test_staff_import_upload_non_utf8_shows_form_error(coordinator_client):
    data = f"{HEADER}\nzoe@example.com,Zoë,Müller,,,,\n".encode("cp1252")

    response = coordinator_client.post(URL, {"file": csv_file(data)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
    ]
    assert response.templates[0].name == "people/import_upload.html"


@pytest.mark.django_db
def test_staff_import_upload_wrong_header_shows_form_error(coordinator_client):
    data = "e-mail;name\nann@example.com;Ann\n"

    response = coordinator_client.post(URL, {"file": csv_file(data)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The first line must name the columns email, first_name, last_name, team, role, manager_email, "
        "time_zone; missing: email, first_name, last_name, team, role, manager_email, time_zone."
    ]
    assert counts() == (1, 0, 0)


@pytest.mark.django_db
def test_staff_import_upload_excel_export_with_bom_semicolons_crlf(coordinator_client):
    data = (
        b"\xef\xbb\xbf"
        + (
            "email;first_name;last_name;team;role;manager_email;time_zone\r\n"
            'zoe@example.com;Zoë;"Müller; Sr";Support;agent;;Europe/Berlin\r\n'
        ).encode()
    )

    response = coordinator_client.post(URL, {"file": csv_file(data)})

    assert response.status_code == 200
    row = response.context["plan"].rows[0]
    assert (row.email, row.first_name, row.last_name, row.role, row.time_zone) == (
        "zoe@example.com",
        "Zoë",
        "Müller; Sr",
        "Agent",
        "Europe/Berlin",
    )
    assert response.context["plan"].errors == []


# --- Escaping ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_import_preview_escapes_user_text(coordinator_client):
    data = (
        f"{HEADER}\n"
        "x@example.com,<script>alert(1)</script>,<b>bold</b>,<i>Team</i>,,,\n"
        "<img src=x onerror=alert(2)>,,,,,,\n"
    )

    response = coordinator_client.post(URL, {"file": csv_file(data)})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "New teams: &lt;i&gt;Team&lt;/i&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


@pytest.mark.django_db
def test_staff_import_5000_rows_go_through_preview_and_confirm(coordinator_client):
    # The confirm form carries the file back in the request body: it must fit Django's body limit.
    rows = [f'p{i}@example.com,First {i},"Last, {i}",Team {i % 20},Agent,,UTC' for i in range(5000)]
    content = "\r\n".join([HEADER, *rows]) + "\r\n"

    preview = coordinator_client.post(URL, {"file": csv_file(content)})
    posted = {"confirm": "1", "content": preview.context["confirm_form"]["content"].value()}
    response = coordinator_client.post(URL, posted)

    assert response.status_code == 302
    assert messages_of(response) == [
        "Import done: 5000 people created, 0 updated, 0 unchanged, 20 new teams. "
        "Invitations are on their way."
    ]
    assert counts() == (5001, 20, 5000)
