from django.core.management.base import BaseCommand

from gongyi.dashboard import services


class Command(BaseCommand):
    help = "Recompute the dashboard snapshot of every city and district (run it every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.refresh_all()} dashboards refreshed.")
