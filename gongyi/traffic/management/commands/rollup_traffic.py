"""`manage.py rollup_traffic`: roll up yesterday's and today's traffic and prune old rows.

Writes each day's page views and peak of concurrent visitors (`TrafficDay`) from the minute
and visitor rows that the app processes have written. Safe to run twice; the hourly loop runs
it. `--day YYYY-MM-DD` rolls up one other day instead.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from gongyi.traffic import selectors, services


class Command(BaseCommand):
    help = "Roll up yesterday's and today's traffic (page views, peak concurrent visitors)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="Roll up this day (YYYY-MM-DD) instead.")

    def handle(self, *args, **options):
        if options.get("day"):
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as error:
                raise CommandError(f"--day must be YYYY-MM-DD, not {options['day']!r}") from error
            rows = [services.rollup(day=day)]
        else:
            rows = services.rollup_recent()
        for row in rows:
            peak = row.peak_minute and row.peak_minute.astimezone(selectors.SHANGHAI)
            minute = f" at {peak:%H:%M}" if peak else ""
            self.stdout.write(
                f"{row.day}: {row.visits} page views, peak {row.peak_concurrent} concurrent"
                f" visitors{minute}."
            )
