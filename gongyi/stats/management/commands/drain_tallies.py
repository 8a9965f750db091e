from django.core.management.base import BaseCommand

from gongyi.stats import services


class Command(BaseCommand):
    help = "Add the service records committed since the last drain to the hour tallies."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.drain()} records drained.")
