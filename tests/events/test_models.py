"""The week's dates: the first full week of October, Monday to Friday, for every year."""

import datetime

import pytest
from django.db import IntegrityError

from events.models import ThemeTemplate, Week, default_week_dates

KNOWN = {
    2023: (datetime.date(2023, 10, 2), datetime.date(2023, 10, 6)),
    2024: (datetime.date(2024, 10, 7), datetime.date(2024, 10, 11)),
    2025: (datetime.date(2025, 10, 6), datetime.date(2025, 10, 10)),
    2026: (datetime.date(2026, 10, 5), datetime.date(2026, 10, 9)),
    2027: (datetime.date(2027, 10, 4), datetime.date(2027, 10, 8)),
}


@pytest.mark.parametrize("year", sorted(KNOWN))
def test_default_week_dates_known_years(year):
    assert default_week_dates(year) == KNOWN[year]


@pytest.mark.parametrize("year", range(2020, 2036))
def test_default_week_dates_first_monday_on_or_after_first_october(year):
    monday, friday = default_week_dates(year)
    assert monday.weekday() == 0
    assert friday - monday == datetime.timedelta(days=4)
    assert monday.month == 10
    # The first Monday on or after 1 October: never more than six days in.
    assert 1 <= monday.day <= 7
    assert all((datetime.date(year, 10, d).weekday() != 0) for d in range(1, monday.day))


def test_week_check_constraint_refuses_other_spans(db):
    with pytest.raises(IntegrityError):
        Week.objects.create(
            year=2031, starts_on=datetime.date(2031, 10, 6), ends_on=datetime.date(2031, 10, 12)
        )


def test_theme_library_seeded_by_migration(db):
    assert list(ThemeTemplate.objects.values_list("title", flat=True)) == [
        "The Changing World of Work",
        "Service with Respect Day",
        "Essential Customer Service Skills and Capabilities",
        "Effective Strategy and Focused Leadership",
        "Know Your Customer",
        "Recognition Day",
        "The Human-Tech Interface",
    ]
    defaults = dict(
        ThemeTemplate.objects.filter(default_weekday__isnull=False).values_list("default_weekday", "title")
    )
    assert defaults == {
        0: "The Changing World of Work",
        1: "Service with Respect Day",
        2: "Essential Customer Service Skills and Capabilities",
        3: "Know Your Customer",
        4: "Recognition Day",
    }
