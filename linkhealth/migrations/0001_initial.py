"""The link-health models move from the blog app to this one, keeping their tables.

The tables were created by blog/0002_link_health and keep their names (Meta.db_table), so this
migration only tells Django's migration state that the models live here now; blog/0004 removes
them from the blog app's state. Their content types (and so their permissions) move with them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["linkcheck", "linkcheckrun", "linkuse"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="blog", model__in=MODELS).update(app_label="linkhealth")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="linkhealth", model__in=MODELS).update(app_label="blog")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("blog", "0002_link_health"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="LinkCheck",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("url", models.URLField(max_length=2000, unique=True)),
                        (
                            "host",
                            models.CharField(
                                db_index=True, help_text="The URL's host name.", max_length=255
                            ),
                        ),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("unchecked", "Not checked yet"),
                                    ("ok", "OK"),
                                    ("redirect", "Redirected"),
                                    ("client_error", "Client error (4xx)"),
                                    ("server_error", "Server error (5xx)"),
                                    ("timeout", "Timed out"),
                                    ("dns", "Host not found"),
                                    ("connection", "Connection failed"),
                                    ("redirect_loop", "Too many redirects"),
                                ],
                                db_index=True,
                                default="unchecked",
                                max_length=20,
                            ),
                        ),
                        (
                            "status_code",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="The HTTP status of the last response, if any.",
                                null=True,
                            ),
                        ),
                        (
                            "final_url",
                            models.URLField(
                                blank=True,
                                help_text="Where the redirects ended, when there were any.",
                                max_length=2000,
                            ),
                        ),
                        (
                            "redirects",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="Each redirect followed: status and location.",
                            ),
                        ),
                        (
                            "method",
                            models.CharField(
                                blank=True, help_text="HEAD, or GET when HEAD failed.", max_length=4
                            ),
                        ),
                        (
                            "error",
                            models.TextField(
                                blank=True, help_text="Why the check failed, in words."
                            ),
                        ),
                        (
                            "response_ms",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="Time to the final response, in milliseconds.",
                                null=True,
                            ),
                        ),
                        ("checked_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                    ],
                    options={
                        "db_table": "blog_linkcheck",
                        "verbose_name": "link check",
                        "ordering": ["url"],
                    },
                ),
                migrations.CreateModel(
                    name="LinkCheckRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("trigger", models.CharField(help_text="command or admin", max_length=20)),
                        ("checked", models.PositiveIntegerField(default=0)),
                        ("broken", models.PositiveIntegerField(default=0)),
                        (
                            "counts",
                            models.JSONField(
                                blank=True, default=dict, help_text="URLs per outcome."
                            ),
                        ),
                    ],
                    options={
                        "db_table": "blog_linkcheckrun",
                        "ordering": ["-started_at"],
                        "get_latest_by": "started_at",
                    },
                ),
                migrations.CreateModel(
                    name="LinkUse",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "anchor",
                            models.CharField(
                                blank=True, help_text="The section's #fragment.", max_length=120
                            ),
                        ),
                        (
                            "section",
                            models.CharField(
                                blank=True, help_text="The section's heading.", max_length=255
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                help_text="Entry, further reading, Markdown, …", max_length=40
                            ),
                        ),
                        (
                            "text",
                            models.CharField(
                                blank=True, help_text="The link's title or text.", max_length=255
                            ),
                        ),
                        (
                            "link",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="uses",
                                to="linkhealth.linkcheck",
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "blog_linkuse",
                        "ordering": ["page_id", "id"],
                        "indexes": [models.Index(fields=["page"], name="linkuse_page_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
