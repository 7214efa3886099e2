# pg_trgm powers "did you mean" on PostgreSQL. Django's CreateExtension does nothing on other
# databases, so this migration is a no-op on SQLite.
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_zero_result_queries"),
    ]

    operations = [TrigramExtension()]
