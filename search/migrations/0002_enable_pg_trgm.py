# pg_trgm powered "did you mean" on PostgreSQL until search.results.Vocabulary replaced it with a
# trigram index in Python (no table scan per query). Kept: databases migrated since have the
# extension, and it is harmless. Django's CreateExtension does nothing on SQLite.
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_zero_result_queries"),
    ]

    operations = [TrigramExtension()]
