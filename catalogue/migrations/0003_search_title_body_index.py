"""A full-text index the catalogue's search uses.

Wagtail's database search backend on PostgreSQL (modelsearch) matches a search against
`title || body` of its index entries; the GIN indexes it creates cover `title` and `body`
apart, so no index served that expression and every search read the whole table. This one
matches the expression exactly (and gives the planner statistics on it). PostgreSQL only:
SQLite searches through its own FTS5 table.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
INDEX = "catalogue_search_title_body_gin"


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (both ways)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_organisationdirectorypage"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        PostgreSQLOnly(
            sql=[
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ((title || body))",
                # Statistics on the expression: without them the planner guesses a search
                # matches 0.5% of the entries, whatever the words.
                f"ANALYZE {TABLE}",
            ],
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
