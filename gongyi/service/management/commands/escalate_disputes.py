"""`manage.py escalate_disputes`: disputes unresolved after 5 working days go to the district."""

from django.core.management import BaseCommand

from gongyi.service.services import escalate_disputes


class Command(BaseCommand):
    help = (
        "Send every dispute still unresolved 5 working days after it was opened to the "
        "district admin. Safe to run twice."
    )

    def handle(self, *args, **options):
        escalated = escalate_disputes()
        self.stdout.write(f"{escalated} disputes escalated to the district admin.")
