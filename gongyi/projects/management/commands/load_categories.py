"""`manage.py load_categories`: the national service taxonomy and beneficiary groups.

Idempotent: rows are matched by code and updated; nothing the city admin added is deleted.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from gongyi.projects.services import load_taxonomy

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "categories.json"


class Command(BaseCommand):
    help = "Load (or update) service categories and beneficiary groups from the data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help="JSON file to load")

    def handle(self, *args, **options):
        data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        counts = load_taxonomy(data)
        categories, groups = counts["categories"], counts["beneficiaries"]
        self.stdout.write(f"{categories} categories, {groups} beneficiary groups loaded.")
