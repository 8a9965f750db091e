"""`manage.py recompute_growth`: rebuild every volunteer's growth from their records.

Points, levels, stars and badge awards are derived data (invariant 5); this rebuilds all of
them from scratch, quietly (no notices). Safe to run at any time and to run twice.
"""

from django.core.management.base import BaseCommand

from gongyi.growth import services


class Command(BaseCommand):
    help = "Recompute every volunteer's points, level, stars and badges from their records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--volunteer", type=int, help="Only this volunteer (by id), with notices."
        )

    def handle(self, *args, **options):
        if options.get("volunteer"):
            summary = services.refresh_volunteer(volunteer_id=options["volunteer"])
            if summary is None:
                self.stderr.write("No such volunteer.")
                return
            self.stdout.write(f"1 volunteer recomputed: {summary.points} points.")
            return
        count = services.recompute_all()
        self.stdout.write(f"{count} volunteers recomputed.")
