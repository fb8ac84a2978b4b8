"""Create a believable demo organisation; running it again changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from csweek.core import versions
from events import demo as events_demo
from insights import demo as insights_demo
from people import demo as people_demo
from recognition import demo as recognition_demo
from surveys import demo as surveys_demo


class Command(BaseCommand):
    help = "Create the demo organisation (idempotent). Refuses to run with DJANGO_DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Add N more agents spread over the teams.")
        parser.add_argument("--force", action="store_true", help="Run even when DJANGO_DEBUG is off.")

    def handle(self, *args, scale: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DJANGO_DEBUG on. "
                "Pass --force to run it anyway."
            )
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        with transaction.atomic():
            # Each app adds its own demo data, lower layers first: weeks need people, awards need weeks.
            created = people_demo.seed(scale=scale)
            events_demo.seed(scale=scale)
            recognition_demo.seed(scale=scale)
            surveys_demo.seed(scale=scale)
            insights_demo.seed(scale=scale)
            # The demo data is written in bulk, which sends no signal: figures cached before are stale.
            versions.bump(*versions.ALL)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        self.stdout.write(
            f"Sign in at /accounts/login/ with any of these (password for all: {settings.DEMO_PASSWORD}):"
        )
        for email, label in [
            ("coordinator@example.com", "coordinator"),
            ("manager@example.com", "manager of Front Line Support"),
            ("agent@example.com", "agent in Front Line Support"),
        ]:
            self.stdout.write(f"  {email:<28} {label}")
