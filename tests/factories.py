"""factory_boy factories for the whole suite."""

import factory
from django.contrib.auth.models import Group

from outbox.selectors import email_opt_outs
from outbox.services import email_preferences_set
from people.models import Role, Team, User

PASSWORD = "correct-horse-battery-staple"


def role_setter(default: str):
    """A post-generation step giving the user one role group; `role=` on the call overrides it."""

    def set_role(user, create, extracted, **kwargs):
        if not create:
            return
        group, _ = Group.objects.get_or_create(name=extracted or default)
        user.groups.add(group)
        user.__dict__.pop("roles", None)

    return factory.PostGeneration(set_role)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    role = role_setter(Role.AGENT)

    @factory.post_generation
    def opted_out(self, create, extracted, **kwargs):
        """The email preferences the person switched off, e.g. opted_out=["email_reminders"]."""
        if create and extracted:
            opt_out(self, *extracted)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the user a verified primary address, as allauth expects for mandatory verification."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class AgentFactory(UserFactory):
    role = role_setter(Role.AGENT)


class ManagerFactory(UserFactory):
    role = role_setter(Role.MANAGER)


class CoordinatorFactory(UserFactory):
    role = role_setter(Role.COORDINATOR)


def opt_out(user: User, *preferences: str) -> User:
    """Switch `preferences` off for `user`, as the profile page or an unsubscribe link does."""
    email_preferences_set(user=user, choices=dict.fromkeys(preferences, False))
    return user


def wants(user: User, preference: str) -> bool:
    """Whether `user` keeps the emails of `preference` on."""
    return preference not in email_opt_outs(user=user)
