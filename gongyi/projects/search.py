"""Chinese keyword search: jieba tokens in, a database full-text match out.

Documents are indexed as the space-joined `cut_for_search` tokens (which include the short
words inside long ones: 智能手机 also gives 智能, 手机), so two-character words such as 老人
are whole tokens. A query is cut the same way and every word must match.
"""

import html

import nh3
import rjieba
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

MAX_QUERY_WORDS = 8


def _clean(token: str) -> str:
    # Letters and digits only: nothing left that FTS5 or tsquery syntax could read as an operator.
    return "".join(ch for ch in token if ch.isalnum()).lower()


def tokens_for_search(*texts: str) -> str:
    """The space-joined search tokens of the texts (HTML already stripped by the caller)."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in rjieba.cut_for_search(text or ""):
            token = _clean(token)
            if token:
                seen.setdefault(token)
    return " ".join(seen)


def html_to_text(markup: str) -> str:
    return html.unescape(nh3.clean(markup or "", tags=set()))


def query_words(q: str) -> list[str]:
    """The words every match must contain: the query cut precisely, duplicates dropped."""
    words: dict[str, None] = {}
    for token in rjieba.cut(q or ""):
        token = _clean(token)
        if token:
            words.setdefault(token)
    return list(words)[:MAX_QUERY_WORDS]


def keyword_filter(q: str) -> Q | RawSQL | None:
    """A filter on Project for the keyword, or None when the keyword holds no word at all."""
    words = query_words(q)
    if not words:
        return None
    if connection.vendor == "postgresql":
        # Cast, not to_tsquery(): the words are already segmented and must stay whole.
        tsquery = " & ".join(f"'{word}'" for word in words)
        return RawSQL(
            # search_vector: a stored, GIN-indexed column (migration 0004), PostgreSQL only.
            "projects_project.search_vector @@ %s::tsquery",
            [tsquery],
            output_field=BooleanField(),
        )
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"' for word in words)
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM projects_search WHERE projects_search MATCH %s", [match]
            )
        )
    # Any other database: slower, but still whole-token matching.
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=word)
    return condition


# The same statements as migration 0002 (kept there as history; these are the current ones).
SQLITE_TRIGGERS = ("projects_search_ai", "projects_search_ad", "projects_search_au")
SQLITE_INDEX_SQL = [
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


def ensure_sqlite_index(using: str = "default", **_signal_kwargs) -> bool:
    """Recreate SQLite's FTS table and triggers when missing; True when it had to.

    A SQLite migration that rebuilds the projects table (how Django alters most columns
    there) drops its triggers with it: this runs after every `migrate` and puts them back.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    names = ["projects_search", *SQLITE_TRIGGERS]
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        if cursor.fetchone()[0] == len(names):
            return False
        for sql in SQLITE_INDEX_SQL:
            cursor.execute(sql)
    return True
