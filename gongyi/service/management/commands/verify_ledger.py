"""`manage.py verify_ledger`: check every volunteer's hash chain of service records.

Streams the records in one query (volunteer, seq order) and recomputes every hash in Python.
Prints one line per record changed, deleted or re-ordered outside the platform and exits
with status 1 when there is any; 0 when every chain holds.
"""

import time

from django.core.management import BaseCommand, CommandError

from gongyi.service.ledger import Tally, verify


class Command(BaseCommand):
    help = "Verify the service-record hash chains; name any record changed outside the platform."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, chunk_size: int, **options):
        tally = Tally()
        started = time.perf_counter()
        problems = 0
        for problem in verify(chunk_size=chunk_size, tally=tally):
            problems += 1
            self.stdout.write(str(problem))
        took = time.perf_counter() - started
        rate = tally.records / took if took else 0
        summary = (
            f"{tally.records} records of {tally.volunteers} volunteers checked "
            f"in {took:.1f} s ({rate:,.0f} records/s)"
        )
        if problems:
            self.stdout.write(summary)
            raise CommandError(
                f"{problems} problem(s): records changed outside the platform", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"{summary}: every chain holds."))
