"""`manage.py demo`: fill an empty database with the demo city. Safe to run twice."""

from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils import timezone

from gongyi.demo.builder import DEMO_PASSWORD, LOGINS, DemoBuilder, already_loaded
from gongyi.sites.demo import print_demo_sites


class Command(BaseCommand):
    help = "Load regions and demo data for Shanghai and Chengdu, then print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=2000, help="how many volunteers")
        parser.add_argument("--projects", type=int, default=300, help="how many projects")
        parser.add_argument(
            "--fill-places",
            action="store_true",
            help="set shifts' taken counts without signup rows (for benchmarks)",
        )

    def handle(self, *args, volunteers: int, projects: int, fill_places: bool, **options):
        call_command("load_regions", verbosity=0)
        call_command("load_categories", verbosity=0)
        if already_loaded():
            self.stdout.write("Demo data is already loaded; nothing to do.")
        else:
            builder = DemoBuilder(
                volunteers=volunteers,
                projects=projects,
                fill_places=fill_places,
                today=timezone.localdate(),
            )
            with transaction.atomic():
                builder.build()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            self.print_calendar_links(getattr(builder, "calendar_links", {}))
        print_demo_sites(self.stdout)
        self.print_logins()

    def print_calendar_links(self, links: dict[str, str]) -> None:
        """The private feed is shown once, when it is issued: print it with the saved searches."""
        if links:
            self.stdout.write("\nCalendar feeds of the demo volunteer 13900000007:")
            for name, path in links.items():
                self.stdout.write(f"  {name}: http://127.0.0.1:8000{path}")

    def print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in LOGINS:
            self.stdout.write(f"  {login.phone}  {login.name:<8}  {login.role}")
        self.stdout.write("  Volunteers 15000000000 … also log in with the same password.")
