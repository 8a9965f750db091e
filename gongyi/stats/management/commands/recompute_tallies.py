from django.core.management.base import BaseCommand

from gongyi.stats import services


class Command(BaseCommand):
    help = "Rebuild every hour tally from the service records (then drain what is queued)."

    def handle(self, *args, **options):
        services.recompute()
        drained = services.drain()
        self.stdout.write(f"Tallies rebuilt; {drained} queued records drained.")
