"""`manage.py flag_overdue_hours`: flag hours not confirmed within 10 working days (daily)."""

from django.core.management import BaseCommand

from gongyi.service.services import flag_overdue_hours


class Command(BaseCommand):
    help = (
        "Flag shifts and declarations whose hours were not confirmed within 10 working days "
        "and tell the organisation's admins and its district admin. Safe to run twice."
    )

    def handle(self, *args, **options):
        flagged = flag_overdue_hours()
        self.stdout.write(f"{flagged} newly flagged as overdue.")
