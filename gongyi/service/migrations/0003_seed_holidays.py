"""Seed the working-day exceptions (public holidays, make-up working days) from
chinese-calendar, which covers 2004–2026; later years are added in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongyi.service.holidays import load

    load(apps.get_model("service", "WorkdayOverride"), first_year=2015)


def unseed(apps, schema_editor):
    apps.get_model("service", "WorkdayOverride").objects.filter(date__year__lte=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("service", "0002_append_only_triggers")]

    operations = [migrations.RunPython(seed, unseed)]
