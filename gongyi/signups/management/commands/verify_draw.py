from django.core.management.base import BaseCommand, CommandError

from gongyi.signups import services
from gongyi.signups.models import LotteryDraw


class Command(BaseCommand):
    help = (
        "Re-run a project's lottery draw from its published seed and compare with the stored order."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="the project number, e.g. P310101202611230001")

    def handle(self, *args, number: str, **options):
        draw = LotteryDraw.objects.filter(project__number=number).first()
        if draw is None:
            raise CommandError(f"No draw for project {number}.")
        self.stdout.write(f"project {number} seed {draw.seed}")
        results = services.verify_draw(draw)
        for shift_id, same in results.items():
            order = draw.summary["shifts"][shift_id]["order"]
            self.stdout.write(f"shift {shift_id}: {'OK' if same else 'MISMATCH'} {order}")
        if not all(results.values()):
            raise CommandError("The recomputed order differs from the stored one.")
        self.stdout.write("All shifts: the recomputed order equals the stored one.")
