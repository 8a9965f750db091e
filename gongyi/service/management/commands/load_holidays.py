"""`manage.py load_holidays`: working-day exceptions from chinese-calendar (to 2026)."""

from django.core.management import BaseCommand

from gongyi.service.holidays import load
from gongyi.service.models import WorkdayOverride


class Command(BaseCommand):
    help = (
        "Load public holidays and make-up working days from chinese-calendar into the "
        "working-day table. Dates already present are kept unless --update is given; years "
        "after 2026 are entered by the city admin in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, default=2015, help="first year to load")
        parser.add_argument(
            "--update", action="store_true", help="overwrite dates that differ from the package"
        )

    def handle(self, *args, from_year: int, update: bool, **options):
        created, updated = load(WorkdayOverride, first_year=from_year, update=update)
        self.stdout.write(f"{created} dates added, {updated} updated.")
