"""factory_boy factories for recognition: weeks, categories open now, nominations, reactions."""

import datetime

import factory
from django.utils import timezone

from events.models import Week, default_week_dates
from recognition.models import AwardCategory, Nomination, Reaction
from recognition.services import categories_create_defaults
from tests.factories import AgentFactory


class WeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Week
        django_get_or_create = ("year",)
        skip_postgeneration_save = True

    year = 2026
    theme = "Service is a team sport"
    time_zone = "Europe/London"
    starts_on = factory.LazyAttribute(lambda w: default_week_dates(w.year)[0])
    ends_on = factory.LazyAttribute(lambda w: default_week_dates(w.year)[1])
    status = Week.Status.PUBLISHED

    @factory.post_generation
    def default_categories(self, create, extracted, **kwargs):
        """Tests name their own categories; with True, the week gets the defaults week_create gives."""
        if create and extracted:
            categories_create_defaults(week=self)


class AwardCategoryFactory(factory.django.DjangoModelFactory):
    """A category whose window is open now (real time), so services accept nominations without time travel."""

    class Meta:
        model = AwardCategory

    week = factory.SubFactory(WeekFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    description = "For great service."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    # Awards are held back until a day after the window closes (tests of the wall announce them).
    announce_at = factory.LazyAttribute(lambda c: c.closes_at + datetime.timedelta(days=1))


STORY = "Stayed late to fix a customer's billing problem and called them back the same evening."


class NominationFactory(factory.django.DjangoModelFactory):
    """A submitted nomination written straight to the table (tests of the rules use the services)."""

    class Meta:
        model = Nomination

    category = factory.SubFactory(AwardCategoryFactory)
    week = factory.SelfAttribute("category.week")
    nominator = factory.SubFactory(AgentFactory)
    nominee = factory.SubFactory(AgentFactory)
    story = STORY
    status = Nomination.Status.SUBMITTED

    class Params:
        approved = factory.Trait(
            status=Nomination.Status.APPROVED,
            reviewed_at=factory.LazyFunction(timezone.now),
        )
        announced = factory.Trait(
            status=Nomination.Status.APPROVED,
            reviewed_at=factory.LazyFunction(timezone.now),
            announced_at=factory.LazyFunction(timezone.now),
        )
        declined = factory.Trait(
            status=Nomination.Status.DECLINED,
            reviewed_at=factory.LazyFunction(timezone.now),
            review_comment="Not this time: the story is about the whole team.",
        )


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    nomination = factory.SubFactory(NominationFactory, announced=True)
    user = factory.SubFactory(AgentFactory)
    kind = Reaction.Kind.CLAP
