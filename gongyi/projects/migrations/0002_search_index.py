"""Keyword search over `Project.search_tokens`, one way per database.

PostgreSQL: a GIN index on `to_tsvector('simple', search_tokens)`; queries use the very same
expression so the planner picks the index. SQLite: an FTS5 table with the project id as rowid,
kept in step with the projects table by triggers (so bulk_create and raw updates stay in sync).
"""

from django.db import migrations

PG_FORWARD = (
    "CREATE INDEX IF NOT EXISTS project_search_gin ON projects_project "
    "USING GIN (to_tsvector('simple', search_tokens))"
)
PG_BACKWARD = "DROP INDEX IF EXISTS project_search_gin"

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS projects_search USING fts5("
    "search_tokens, content='projects_project', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS projects_search_ai AFTER INSERT ON projects_project BEGIN "
    "INSERT INTO projects_search(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS projects_search_ad AFTER DELETE ON projects_project BEGIN "
    "INSERT INTO projects_search(projects_search, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS projects_search_au AFTER UPDATE OF search_tokens "
    "ON projects_project BEGIN "
    "INSERT INTO projects_search(projects_search, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO projects_search(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "INSERT INTO projects_search(projects_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS projects_search_ai",
    "DROP TRIGGER IF EXISTS projects_search_ad",
    "DROP TRIGGER IF EXISTS projects_search_au",
    "DROP TABLE IF EXISTS projects_search",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [postgres], "sqlite": sqlite}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
