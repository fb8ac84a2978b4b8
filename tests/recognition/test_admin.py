"""The admin back office for award categories, nominations and reactions."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.recognition.factories import NominationFactory, ReactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_nomination_changelist_filters_by_status_and_searches_the_story(admin_client):
    award = NominationFactory(approved=True, story="Rescued the Qorvanex account with a late-night fix.")
    NominationFactory()
    url = reverse("admin:recognition_nomination_changelist")
    assert list(admin_client.get(url, {"status__exact": "approved"}).context["cl"].result_list) == [award]
    assert list(admin_client.get(url, {"q": "Qorvanex"}).context["cl"].result_list) == [award]


def test_every_recognition_admin_page_opens(admin_client):
    reaction = ReactionFactory()
    nomination = reaction.nomination
    for name, args in [
        ("admin:recognition_awardcategory_changelist", []),
        ("admin:recognition_awardcategory_change", [nomination.category.pk]),
        ("admin:recognition_nomination_change", [nomination.pk]),
        ("admin:recognition_reaction_changelist", []),
        ("admin:recognition_reaction_change", [reaction.pk]),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_week_added_in_the_admin_gets_the_default_categories(admin_client):
    from events.models import Week

    response = admin_client.post(
        reverse("admin:events_week_add"),
        {
            "year": "2031",
            "theme": "",
            "description": "",
            "starts_on": "2031-10-06",
            "ends_on": "2031-10-12",
            "time_zone": "Europe/London",
            "status": "draft",
            "day_themes-TOTAL_FORMS": "0",
            "day_themes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    week = Week.objects.get(year=2031)
    assert list(week.award_categories.values_list("name", flat=True)) == [
        "Customer Hero",
        "Service with Respect Award",
        "Team Player",
        "Rising Star",
        "Above and Beyond",
    ]


def test_nomination_full_clean_refuses_a_category_of_another_week(db):
    from django.core.exceptions import ValidationError

    from recognition.models import Nomination
    from tests.recognition.factories import AwardCategoryFactory, NominationFactory, WeekFactory

    nomination = NominationFactory.build(
        category=AwardCategoryFactory(week=WeekFactory(year=2027)), week=WeekFactory(year=2028)
    )
    nomination.nominator.save()
    nomination.nominee.save()
    with pytest.raises(ValidationError) as caught:
        nomination.full_clean()
    assert caught.value.message_dict["category"] == ["Choose a category of this nomination's week."]
    assert Nomination.objects.count() == 0
