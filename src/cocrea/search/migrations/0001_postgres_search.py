"""PostgreSQL's side of the search: `unaccent` and `pg_trgm`, an immutable unaccent for
indexes, the `cocrea_es` text search configuration (unaccent, then the Spanish stemmer),
and GIN indexes for every source (full text on its fields, trigrams on its title).

The index expressions are those `cocrea.search.engine` queries with (`vector_sql`,
`title_sql`); `tests/search` checks that every registered source has both. Nothing
happens on SQLite, where the search takes a simpler path.
"""

from django.db import migrations

# table -> searched columns (the first one is the title), as the sources declare them.
SOURCES = {
    "territory_entity": ["common_name", "name"],
    "plans_actionplan": ["title"],
    "plans_commitment": ["title", "problem", "objective", "description"],
    "participation_process": ["title", "description"],
    "participation_proposal": ["title", "body"],
    "participation_workingtable": ["title", "agenda"],
    "events_event": ["title", "description"],
}

SETUP = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION cocrea_unaccent(text) RETURNS text
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cocrea_es') THEN
        CREATE TEXT SEARCH CONFIGURATION cocrea_es (COPY = spanish);
        ALTER TEXT SEARCH CONFIGURATION cocrea_es
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
    END IF;
END $$;
"""


def _vector(cols):
    parts = " || ' ' || ".join(f"coalesce(\"{c}\", '')" for c in cols)
    return f"to_tsvector('cocrea_es'::regconfig, {parts})"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SETUP)
    for table, cols in SOURCES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "search_{table}_fts" ON "{table}" USING GIN ({_vector(cols)})'
        )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "search_{table}_trgm" ON "{table}" '
            f'USING GIN (cocrea_unaccent(lower("{cols[0]}")) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SOURCES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "search_{table}_fts"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "search_{table}_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0002_municipalities"),
        ("plans", "0004_municipal_level"),
        ("participation", "0004_municipal_level"),
        ("events", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
