"""The link-health models now belong to the linkhealth app (see linkhealth/0001_initial).

Only Django's migration state changes: the tables stay, with every row in them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_editor_help_text_and_block_previews"),
        ("linkhealth", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="LinkUse"),
                migrations.DeleteModel(name="LinkCheck"),
                migrations.DeleteModel(name="LinkCheckRun"),
            ],
        ),
    ]
