from django.core.management.base import BaseCommand

from gongyi.signups import services


class Command(BaseCommand):
    help = "Draw every lottery project whose recruitment window has closed (safe to run twice)."

    def handle(self, *args, **options):
        for draw in services.run_due_draws():
            self.stdout.write(f"{draw.project.number} seed={draw.seed}")
