"""People's demo data: teams, the named demo people and any number of extra agents."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage

from csweek.core.demo_pictures import portrait
from people.models import Role, Team, User
from people.services import profile_photo_set, roles_ensure

TEAMS = {
    "Front Line Support": ["manager@example.com"],
    "Billing and Accounts": ["priya.nair@example.com"],
    "Technical Support": ["marcus.webb@example.com"],
    "Customer Success": ["sofia.alvarez@example.com"],
}

# email, first, last, team, role, time zone
PEOPLE = [
    ("coordinator@example.com", "Claire", "Osei", None, Role.COORDINATOR, "Europe/London"),
    ("manager@example.com", "Morgan", "Reyes", "Front Line Support", Role.MANAGER, "America/New_York"),
    ("priya.nair@example.com", "Priya", "Nair", "Billing and Accounts", Role.MANAGER, "Asia/Kolkata"),
    ("marcus.webb@example.com", "Marcus", "Webb", "Technical Support", Role.MANAGER, "Europe/London"),
    (
        "sofia.alvarez@example.com",
        "Sofía",
        "Álvarez",
        "Customer Success",
        Role.MANAGER,
        "America/Los_Angeles",
    ),
    ("agent@example.com", "Alex", "Morgan", "Front Line Support", Role.AGENT, "America/New_York"),
    ("jamie.chen@example.com", "Jamie", "Chen", "Front Line Support", Role.AGENT, "America/Chicago"),
    ("fatima.khan@example.com", "Fatima", "Khan", "Front Line Support", Role.AGENT, "Europe/London"),
    ("liam.oconnor@example.com", "Liam", "O'Connor", "Front Line Support", Role.AGENT, "Europe/Dublin"),
    ("aisha.bello@example.com", "Aisha", "Bello", "Billing and Accounts", Role.AGENT, "Africa/Lagos"),
    ("ravi.sharma@example.com", "Ravi", "Sharma", "Billing and Accounts", Role.AGENT, "Asia/Kolkata"),
    ("emma.schulz@example.com", "Emma", "Schulz", "Billing and Accounts", Role.AGENT, "Europe/Berlin"),
    ("noah.williams@example.com", "Noah", "Williams", "Technical Support", Role.AGENT, "Australia/Sydney"),
    ("yuki.tanaka@example.com", "Yuki", "Tanaka", "Technical Support", Role.AGENT, "Asia/Tokyo"),
    ("diego.santos@example.com", "Diego", "Santos", "Technical Support", Role.AGENT, "America/Sao_Paulo"),
    ("grace.mensah@example.com", "Grace", "Mensah", "Customer Success", Role.AGENT, "Europe/London"),
    ("oliver.brown@example.com", "Oliver", "Brown", "Customer Success", Role.AGENT, "America/Los_Angeles"),
    ("mei.lin@example.com", "Mei", "Lin", "Customer Success", Role.AGENT, "Asia/Singapore"),
]

SCALE_FIRST = ["Sam", "Ana", "Tom", "Lena", "Kofi", "Maya", "Ivan", "Zoe", "Omar", "Ines", "Ben", "Nia"]
SCALE_LAST = ["Hart", "Silva", "Novak", "Ito", "Adeyemi", "Rossi", "Berg", "Kaur", "Lopez", "Walsh"]
SCALE_ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "America/Los_Angeles", "Europe/Berlin"]


def seed(*, scale: int = 0, stdout=None) -> int:
    """Teams, the named demo people and `scale` extra agents; returns how many people were created."""
    roles_ensure()
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    teams = {}
    for name in TEAMS:
        teams[name], _ = Team.objects.get_or_create(name=name)

    rows = list(PEOPLE)
    team_names = list(TEAMS)
    for i in range(1, scale + 1):
        rows.append(
            (
                f"agent{i:05d}@example.com",
                SCALE_FIRST[i % len(SCALE_FIRST)],
                f"{SCALE_LAST[i % len(SCALE_LAST)]} {i}",
                team_names[i % len(team_names)],
                Role.AGENT,
                SCALE_ZONES[i % len(SCALE_ZONES)],
            )
        )

    # Every demo address ends the same way; one filter, whatever --scale is (no huge IN list).
    existing = set(User.objects.filter(email__iendswith="@example.com").values_list("email", flat=True))
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: --scale must stay fast
    new_users = [
        User(
            email=email,
            first_name=first,
            last_name=last,
            team=teams[team] if team else None,
            time_zone=tz,
            password=password,
            is_staff=role == Role.COORDINATOR,
        )
        for email, first, last, team, role, tz in rows
        if email not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=1000)
    role_of = {row[0]: row[4] for row in rows}
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=groups[role_of[user.email]].pk) for user in new_users],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in new_users],
        batch_size=1000,
    )
    managers = {
        user.email: user for user in User.objects.filter(email__in=[m for ms in TEAMS.values() for m in ms])
    }
    for name, manager_emails in TEAMS.items():
        teams[name].managers.add(*[managers[email] for email in manager_emails])
    _photos()
    return len(new_users)


# Some of the named people have a profile photo; the others (and every --scale agent) show initials.
WITH_PHOTO = [
    "agent@example.com",
    "manager@example.com",
    "fatima.khan@example.com",
    "aisha.bello@example.com",
    "yuki.tanaka@example.com",
    "grace.mensah@example.com",
]


def _photos() -> None:
    """Give WITH_PHOTO their drawn portrait, unless they have a photo whose file is still there."""
    for number, person in enumerate(User.objects.filter(email__in=WITH_PHOTO).order_by("email")):
        if person.photo and default_storage.exists(person.photo):
            continue
        profile_photo_set(user=person, photo=portrait(number))
