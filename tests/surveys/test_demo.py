"""The surveys demo: last year's pulse with results to show and one team below the threshold."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from people.models import User
from surveys import selectors
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def seed() -> None:
    with override_settings(DEBUG=True), time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", stdout=StringIO())


def test_demo_pulse_last_year_shows_results_and_hides_small_team():
    seed()
    seed()  # idempotent
    last = Survey.objects.get(week__year=2025)
    this = Survey.objects.get(week__year=2026)
    assert this.previous == last
    assert Response.objects.filter(survey=last).count() == 32
    coordinator = User.objects.get(email="coordinator@example.com")
    results = selectors.results_for(survey=last, viewer=coordinator)
    assert results.slice.hidden is False
    assert [(s.label, s.hidden) for s in results.slices_team] == [
        ("Billing and Accounts", False),
        ("Customer Success", True),
        ("Front Line Support", False),
        ("Technical Support", True),
    ]
    # The team × role table: Front Line Support's two managers are hidden, and so is every figure
    # that would give them by subtraction (their team's agents, the other managers' cell).
    cells = {
        (total.label, role): (cell.respondents, cell.hidden)
        for total, row in results.table_rows
        for role, cell in zip(results.table_roles, row, strict=True)
    }
    assert cells[("Front Line Support", "Manager")] == (2, True)
    assert cells[("Front Line Support", "Agent")][1] is True
    assert cells[("Billing and Accounts", "Manager")][1] is True
    assert [(s.label, s.respondents, s.hidden) for s in results.slices_role] == [
        ("Agent", 25, False),
        ("Manager", 7, False),
    ]
    now = selectors.results_for(survey=this, viewer=coordinator)
    assert now.questions[0].previous_favourable is not None
