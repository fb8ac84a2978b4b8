"""The staff CSV import service: checks, preview without writes, atomic apply, invitations after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings

from csweek.core.versions import without_bumps
from people.forms import StaffImportConfirmForm, StaffImportUploadForm
from people.models import Invitation, Role, Team, User
from people.staff_import import ImportResult, staff_import_apply, staff_import_parse
from tests.factories import AgentFactory, ManagerFactory, TeamFactory

HEADER = "email,first_name,last_name,team,role,manager_email,time_zone"
Membership = User.groups.through
TeamManager = Team.managers.through


def csv_text(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def db_state() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
        TeamManager.objects.count(),
        Invitation.objects.count(),
    )


def role_of(email: str) -> list[str]:
    return sorted(User.objects.get(email=email).groups.values_list("name", flat=True))


def errors_of(plan) -> list[tuple[int, str, str]]:
    return [(error.line, error.email, error.reason) for error in plan.errors]


GOOD_FILE = csv_text(
    "ann@example.com,Ann,Lee,Support,Manager,,Europe/Paris",
    "bob@example.com,Bob,Ray,Support,Agent,ann@example.com,",
)


# --- Parsing: the preview writes nothing --------------------------------------------------------


@pytest.mark.django_db
def test_parse_valid_file_plans_creates_without_writing(coordinator):
    before = db_state()

    plan = staff_import_parse(GOOD_FILE)

    assert plan.is_valid is True
    assert [(row.line, row.email, row.action) for row in plan.rows] == [
        (2, "ann@example.com", "create"),
        (3, "bob@example.com", "create"),
    ]
    assert plan.new_teams == ["Support"]
    assert plan.rows[1].changes == [
        "Bob Ray",
        "team Support",
        "role Agent",
        "time zone UTC",
        "ann@example.com becomes a manager of Support",
    ]
    assert db_state() == before


@pytest.mark.django_db
def test_parse_bad_rows_report_line_and_reason(coordinator):
    content = csv_text(
        "not-an-email,Al,One,,,,",
        "tz@example.com,Tz,Two,,,,Mars/Olympus",
        "role@example.com,Ro,Le,,Boss,,",
        "orphan@example.com,Or,Phan,Support,,ghost@example.com,",
        "dup@example.com,Du,Pe,,,,",
        "DUP@example.com,Du,Pe,,,,",
    )
    before = db_state()

    plan = staff_import_parse(content)

    assert plan.is_valid is False
    assert errors_of(plan) == [
        (2, "not-an-email", "“not-an-email” is not a valid email address."),
        (3, "tz@example.com", "Unknown time zone “Mars/Olympus”: use an IANA name such as Europe/London."),
        (4, "role@example.com", "Unknown role “Boss”: use Coordinator, Manager or Agent."),
        (
            5,
            "orphan@example.com",
            "Manager not found: ghost@example.com is neither in the file nor in csweek.",
        ),
        (7, "DUP@example.com", "Duplicate row: dup@example.com is already on line 6."),
    ]
    assert [row.email for row in plan.rows] == ["dup@example.com"]
    assert db_state() == before


@pytest.mark.django_db
def test_parse_duplicate_of_refused_row_is_reported_too(coordinator):
    content = csv_text("dup@example.com,,,,,,Nowhere/Land", "dup@example.com,,,,,,")

    plan = staff_import_parse(content)

    assert [(error.line, error.reason) for error in plan.errors] == [
        (2, "Unknown time zone “Nowhere/Land”: use an IANA name such as Europe/London."),
        (3, "Duplicate row: dup@example.com is already on line 2."),
    ]


@pytest.mark.django_db
def test_parse_wrong_header_names_missing_columns(coordinator):
    plan = staff_import_parse("mail,first,last\nann@example.com,Ann,Lee\n")

    assert plan.is_valid is False
    assert plan.file_error == (
        "The first line must name the columns email, first_name, last_name, team, role, manager_email, "
        "time_zone; missing: email, first_name, last_name, team, role, manager_email, time_zone."
    )
    assert plan.rows == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        (HEADER + "\r\n\r\n", "The file has a header line but no people."),
    ],
)
def test_parse_empty_file_gives_file_error(coordinator, content, message):
    assert staff_import_parse(content).file_error == message


@pytest.mark.django_db
def test_parse_bom_semicolons_crlf_reads_every_cell(coordinator):
    lines = [HEADER.replace(",", ";"), 'ann@example.com;Ann;"Lee; Jr";Support;manager;;europe/paris']
    content = "\ufeff" + "\r\n".join(lines) + "\r\n"

    plan = staff_import_parse(content)

    assert plan.errors == []
    assert plan.file_error == ""
    row = plan.rows[0]
    assert (row.line, row.email, row.first_name, row.last_name, row.team, row.role, row.time_zone) == (
        2,
        "ann@example.com",
        "Ann",
        "Lee; Jr",
        "Support",
        Role.MANAGER,
        "Europe/Paris",
    )


@pytest.mark.django_db
def test_parse_quoted_comma_stays_in_one_cell(coordinator):
    content = csv_text('ann@example.com,Ann,"Lee, Jr","Support, EMEA",Agent,,UTC', newline="\r\n")

    plan = staff_import_parse(content)

    assert plan.errors == []
    assert (plan.rows[0].last_name, plan.rows[0].team) == ("Lee, Jr", "Support, EMEA")


@pytest.mark.django_db
def test_parse_unquoted_comma_is_refused_not_shifted(coordinator):
    plan = staff_import_parse(csv_text("ann@example.com,Ann,Lee, Jr,Support,Agent,,UTC"))

    assert errors_of(plan) == [
        (
            2,
            "ann@example.com",
            "The line has 1 more cell(s) than the header: "
            "put a value that contains a comma or semicolon in double quotes.",
        )
    ]


@pytest.mark.django_db
def test_parse_manager_created_in_same_file_is_valid(coordinator):
    plan = staff_import_parse(GOOD_FILE)

    assert plan.errors == []
    assert plan.rows[1].manager_email == "ann@example.com"


@pytest.mark.django_db
def test_parse_manager_who_is_an_agent_in_file_is_refused(coordinator):
    content = csv_text(
        "ann@example.com,Ann,Lee,Support,Agent,,",
        "bob@example.com,Bob,Ray,Support,Agent,ann@example.com,",
    )

    plan = staff_import_parse(content)

    assert errors_of(plan) == [
        (
            3,
            "bob@example.com",
            "ann@example.com cannot manage a team: their role is Agent. "
            "Give them the Manager role in the file.",
        )
    ]


@pytest.mark.django_db
def test_parse_manager_who_is_an_existing_agent_is_refused(coordinator, agent):
    plan = staff_import_parse(csv_text(f"bob@example.com,Bob,Ray,Support,,{agent.email},"))

    assert errors_of(plan) == [
        (
            2,
            "bob@example.com",
            "agent@example.com cannot manage a team: their role is Agent. "
            "Give them the Manager role in the file.",
        )
    ]


@pytest.mark.django_db
def test_parse_manager_on_a_refused_row_points_at_that_line(coordinator):
    content = csv_text(
        "ann@example.com,Ann,Lee,Support,Manager,,Mars/Olympus",
        "bob@example.com,Bob,Ray,Support,Agent,ann@example.com,",
    )

    plan = staff_import_parse(content)

    assert errors_of(plan)[1] == (
        3,
        "bob@example.com",
        "Manager ann@example.com is on line 2, which has a problem: fix that line first.",
    )


@pytest.mark.django_db
def test_parse_manager_without_team_is_refused(coordinator, manager):
    plan = staff_import_parse(csv_text(f"bob@example.com,Bob,Ray,,,{manager.email},"))

    assert errors_of(plan) == [
        (2, "bob@example.com", "A manager is given but no team to manage: fill in the team.")
    ]


@pytest.mark.django_db
def test_parse_own_coordinator_role_cannot_be_removed(coordinator):
    plan = staff_import_parse(csv_text("coord@example.com,,,,Agent,,"), by=coordinator)

    assert errors_of(plan) == [
        (2, "coord@example.com", "You cannot remove your own coordinator role; ask another coordinator.")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 500])
def test_parse_query_count_is_flat_with_rows(coordinator, django_assert_max_num_queries, rows):
    # Half the people (and every team and manager) already exist, so each lookup has work to do.
    lines = [
        f"person{i}@example.com,P{i},N{i},Team {i % 5},Agent,lead{i % 5}@example.com,UTC" for i in range(rows)
    ]
    leads = [f"lead{t}@example.com,Lead,{t},Team {t},Manager,,UTC" for t in range(5)]
    staff_import_apply(by=coordinator, content=csv_text(*leads, *lines[: rows // 2]))

    with django_assert_max_num_queries(4):
        plan = staff_import_parse(csv_text(*leads, *lines))

    assert (plan.count("unchanged"), plan.count("create"), plan.errors) == (
        5 + rows // 2,
        rows - rows // 2,
        [],
    )


# --- Applying: atomic, idempotent, invitations after commit -------------------------------------


@pytest.mark.django_db
def test_apply_creates_people_teams_roles_and_manager(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = staff_import_apply(by=coordinator, content=GOOD_FILE)

    assert (result.created, result.updated, result.unchanged, result.teams_created) == (2, 0, 0, 1)
    ann = User.objects.get(email="ann@example.com")
    bob = User.objects.get(email="bob@example.com")
    support = Team.objects.get(name="Support")
    assert (ann.first_name, ann.last_name, ann.team, ann.time_zone) == ("Ann", "Lee", support, "Europe/Paris")
    assert (bob.first_name, bob.last_name, bob.team, bob.time_zone) == ("Bob", "Ray", support, "UTC")
    assert (role_of("ann@example.com"), role_of("bob@example.com")) == (["Manager"], ["Agent"])
    assert list(support.managers.all()) == [ann]
    assert ann.has_usable_password() is False
    assert len(without_bumps(callbacks)) == 1
    assert sorted(message.to[0] for message in mailoutbox) == ["ann@example.com", "bob@example.com"]
    assert [len(message.to) for message in mailoutbox] == [1, 1]
    invitation = Invitation.objects.get(user=bob)
    assert invitation.token in next(m for m in mailoutbox if m.to == ["bob@example.com"]).body
    assert (invitation.invited_by, invitation.sent_at is not None) == (coordinator, True)


@pytest.mark.django_db
def test_apply_sends_nothing_before_commit(coordinator, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        staff_import_apply(by=coordinator, content=GOOD_FILE)

    assert (len(without_bumps(callbacks)), mailoutbox) == (1, [])
    assert list(Invitation.objects.values_list("sent_at", flat=True)) == [None, None]


@pytest.mark.django_db
def test_apply_same_file_twice_changes_nothing(coordinator, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        staff_import_apply(by=coordinator, content=GOOD_FILE)
    before = db_state()
    saved = list(User.objects.order_by("pk").values())
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = staff_import_apply(by=coordinator, content=GOOD_FILE)

    assert (result.created, result.updated, result.unchanged, result.teams_created) == (0, 0, 2, 0)
    assert db_state() == before
    assert list(User.objects.order_by("pk").values()) == saved
    assert (callbacks, mailoutbox) == ([], [])


@pytest.mark.django_db
def test_apply_existing_people_get_no_invitation(
    coordinator, agent, django_capture_on_commit_callbacks, mailoutbox
):
    content = csv_text("agent@example.com,Agnes,,,,,", "new@example.com,New,Person,,,,")

    with django_capture_on_commit_callbacks(execute=True):
        result = staff_import_apply(by=coordinator, content=content)

    assert (result.created, result.updated) == (1, 1)
    assert [message.to for message in mailoutbox] == [["new@example.com"]]
    assert list(Invitation.objects.values_list("user__email", flat=True)) == ["new@example.com"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Invitation, TeamManager], ids=["invitations", "team-managers"])
def test_apply_integrity_error_mid_apply_writes_nothing(
    coordinator, monkeypatch, django_capture_on_commit_callbacks, mailoutbox, model
):
    def fail(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    before = db_state()
    monkeypatch.setattr(model.objects, "bulk_create", fail)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as caught,
    ):
        staff_import_apply(by=coordinator, content=GOOD_FILE)

    assert caught.value.messages == [
        "Nothing was imported: some of these people or teams changed while the import ran. "
        "Upload the file again to see the new preview."
    ]
    assert db_state() == before
    assert list(User.objects.values_list("email", flat=True)) == ["coord@example.com"]
    assert (callbacks, mailoutbox) == ([], [])


@pytest.mark.django_db
def test_apply_file_with_errors_writes_nothing(coordinator, django_capture_on_commit_callbacks, mailoutbox):
    content = csv_text("ann@example.com,Ann,Lee,Support,Manager,,", "bad-email,,,,,,")
    before = db_state()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as caught,
    ):
        staff_import_apply(by=coordinator, content=content)

    assert caught.value.messages == [
        "Nothing was imported. 1 row(s) have problems; fix them and upload the file again."
    ]
    assert db_state() == before
    assert (callbacks, mailoutbox) == ([], [])


@pytest.mark.django_db
def test_apply_by_non_coordinator_is_refused(manager):
    before = db_state()

    with pytest.raises(PermissionDenied):
        staff_import_apply(by=manager, content=GOOD_FILE)

    assert db_state() == before


@pytest.mark.django_db
def test_apply_blank_cells_keep_existing_values(coordinator, agent):
    before = User.objects.get(pk=agent.pk)

    result = staff_import_apply(by=coordinator, content=csv_text("agent@example.com,,,,,,"))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.team, agent.time_zone) == (
        before.first_name,
        before.last_name,
        before.team,
        "Europe/London",
    )
    assert role_of(agent.email) == ["Agent"]


@pytest.mark.django_db
def test_apply_only_given_cells_change(coordinator, agent, other_team):
    first_name = agent.first_name

    result = staff_import_apply(
        by=coordinator, content=csv_text("agent@example.com,,Newname,billing,,,Asia/Tokyo")
    )

    assert (result.created, result.updated) == (0, 1)
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name, agent.team, agent.time_zone) == (
        first_name,
        "Newname",
        other_team,
        "Asia/Tokyo",
    )
    assert Team.objects.count() == 2


@pytest.mark.django_db
def test_apply_role_change_for_existing_person(coordinator, agent, team):
    plan = staff_import_parse(csv_text("agent@example.com,,,,Manager,,"))
    assert plan.rows[0].changes == ["role Agent → Manager"]

    result = staff_import_apply(by=coordinator, content=csv_text("agent@example.com,,,,Manager,,"))

    assert (result.created, result.updated) == (0, 1)
    assert role_of("agent@example.com") == ["Manager"]


@pytest.mark.django_db
def test_apply_existing_manager_becomes_manager_of_row_team(coordinator, manager, other_team):
    content = csv_text(f"new@example.com,New,Person,Billing,,{manager.email},")

    staff_import_apply(by=coordinator, content=content)

    assert list(other_team.managers.all()) == [manager]
    assert sorted(manager.managed_teams.values_list("name", flat=True)) == ["Billing", "Front Line"]
    assert User.objects.get(email="new@example.com").team == other_team


@pytest.mark.django_db
def test_apply_existing_email_in_other_case_updates_not_duplicates(coordinator):
    person = AgentFactory(email="Mixed.Case@Example.com", first_name="Old")

    result = staff_import_apply(by=coordinator, content=csv_text("mixed.case@example.com,New,,,,,"))

    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert (person.email, person.first_name) == ("Mixed.Case@Example.com", "New")
    assert User.objects.filter(email__iexact="mixed.case@example.com").count() == 1


@pytest.mark.django_db
def test_apply_team_name_matches_existing_team_ignoring_case(coordinator, team):
    result = staff_import_apply(by=coordinator, content=csv_text("new@example.com,,,FRONT LINE,,,"))

    assert result.teams_created == 0
    assert User.objects.get(email="new@example.com").team == team
    assert list(Team.objects.values_list("name", flat=True)) == ["Front Line"]


@pytest.mark.django_db
def test_apply_manager_role_change_keeps_one_role_group(coordinator):
    person = ManagerFactory(email="lead@example.com", team=TeamFactory(name="Ops"))

    staff_import_apply(by=coordinator, content=csv_text("lead@example.com,,,,coordinator,,"))

    assert role_of(person.email) == ["Coordinator"]


def test_import_result_summary_reads_well():
    assert ImportResult(created=1, updated=2, unchanged=0, teams_created=1).summary == (
        "Import done: 1 person created, 2 updated, 0 unchanged, 1 new team. The invitation is on its way."
    )
    assert ImportResult(created=0, updated=0, unchanged=3, teams_created=0).summary == (
        "Import done: 0 people created, 0 updated, 3 unchanged, 0 new teams."
    )


# --- Forms: decoding and the round trip of the previewed file -----------------------------------


def upload(data: bytes, name: str = "staff.csv") -> StaffImportUploadForm:
    return StaffImportUploadForm(data={}, files={"file": SimpleUploadedFile(name, data, "text/csv")})


def test_upload_form_non_utf8_file_gives_clear_error():
    form = upload(csv_text("zoe@example.com,Zoë,Müller,,,,").encode("latin-1"))

    assert form.is_valid() is False
    assert form.errors["file"] == [
        "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
    ]


def test_upload_form_utf16_without_bom_gives_clear_error():
    form = upload(csv_text("zoe@example.com,Zoe,Muller,,,,").encode("utf-16-le"))

    assert form.is_valid() is False
    assert form.errors["file"] == [
        "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
    ]


def test_upload_form_strips_utf8_bom():
    form = upload(b"\xef\xbb\xbf" + GOOD_FILE.encode())

    assert form.is_valid() is True
    assert form.cleaned_data["file"] == GOOD_FILE


def test_upload_form_size_limit_fits_the_confirm_round_trip():
    # Django's default 2.5 MB request body limit, less room for the rest of the form, in base64.
    assert StaffImportUploadForm.max_bytes() == (2_621_440 - 65_536) * 3 // 4


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=65_536 + 4096)
def test_upload_form_too_large_file_is_refused():
    form = upload(b"x" * 3073)

    assert form.is_valid() is False
    assert form.errors["file"] == ["The file is larger than 3 KB; split it into several imports."]


def test_confirm_form_round_trips_content_exactly():
    content = "\ufeff" + GOOD_FILE.replace("\n", "\r\n") + 'é;"x"'
    initial = StaffImportConfirmForm(content=content).initial["content"]

    form = StaffImportConfirmForm(data={"content": initial})

    assert form.is_valid() is True
    assert form.cleaned_data["content"] == content


def test_confirm_form_damaged_data_is_refused():
    form = StaffImportConfirmForm(data={"content": "not base64!"})

    assert form.is_valid() is False
    assert form.errors["content"] == ["The import data was damaged; upload the file again."]
