"""factory_boy factories for weeks, day themes, activities and sign-ups."""

import datetime
import zoneinfo

import factory

from events.models import Activity, DayTheme, Registration, Week, default_week_dates
from tests.factories import CoordinatorFactory


def local(week: Week, day_index: int, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware time on day `day_index` (0 = Monday) of `week`, in the week's own zone."""
    day = week.starts_on + datetime.timedelta(days=day_index)
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(week.time_zone)
    )


class WeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Week
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2030 + n)
    theme = "Mission Possible"
    time_zone = "Europe/London"
    status = Week.Status.PUBLISHED
    starts_on = factory.LazyAttribute(lambda week: default_week_dates(week.year)[0])
    ends_on = factory.LazyAttribute(lambda week: default_week_dates(week.year)[1])


class DayThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DayTheme

    week = factory.SubFactory(WeekFactory)
    date = factory.LazyAttribute(lambda theme: theme.week.starts_on)
    title = "Service with Respect Day"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    week = factory.SubFactory(WeekFactory)
    title = factory.Sequence(lambda n: f"Activity {n}")
    kind = Activity.Kind.TRAINING
    starts_at = factory.LazyAttribute(lambda a: local(a.week, 0, 10))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + datetime.timedelta(hours=1))
    format = Activity.Format.ONSITE
    room = "Room 1"
    host = factory.SubFactory(CoordinatorFactory)
    capacity = None
    signup_required = True

    @factory.post_generation
    def audience_teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_teams.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    status = Registration.Status.CONFIRMED
