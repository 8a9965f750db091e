"""Seed the badges (the city admin edits them afterwards). Matched by code: re-running, or a
badge the admin already changed, is left as it is."""

from django.db import migrations

BADGES = [
    # code, name, English name, description, English description, kind, params
    ("first_step", "启航", "First step", "完成第一次志愿服务。",
     "Complete your first volunteer service.", "services", {"count": 1}),
    ("ten_services", "十次服务", "Ten services", "累计完成 10 次志愿服务。",
     "Complete 10 volunteer services.", "services", {"count": 10}),
    ("hours_100", "百时志愿", "A hundred hours", "累计志愿服务时长达到 100 小时。",
     "Reach 100 confirmed hours of service.", "hours", {"hours": 100}),
    ("five_districts", "足迹五区", "Five districts", "在 5 个不同的区服务过。",
     "Serve in five different districts.", "districts", {"count": 5}),
    ("elderly_ten", "敬老之星", "Friend of the elderly", "为老年人服务 10 次。",
     "Serve the elderly ten times.", "group_services", {"count": 10, "group": ""}),
    ("reliable_year", "守信之星", "A reliable year", "连续一年服务，没有一次缺席。",
     "Serve for a whole year without a single no-show.", "reliable_year", {"days": 365}),
    ("streak_12", "月月公益", "Every month for a year", "连续 12 个月每月都参加志愿服务。",
     "Serve every month for 12 months in a row.", "streak", {"months": 12}),
    ("keen_learner", "学习达人", "Keen learner", "参加 3 次培训。",
     "Take part in three trainings.", "training", {"count": 3}),
]


def seed(apps, schema_editor):
    Badge = apps.get_model("growth", "Badge")
    for order, (code, name, name_en, text, text_en, kind, params) in enumerate(BADGES):
        Badge.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                name_en=name_en,
                description=text,
                description_en=text_en,
                kind=kind,
                params=params,
                sort_order=order * 10,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("growth", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
