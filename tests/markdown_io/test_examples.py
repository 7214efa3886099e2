"""The seed's code examples are checked: they compile, import what exists, configure settings in
the documented shape, and the runnable ones run against the test database."""

from pathlib import Path

import pytest

from markdown_io.examples import Example, check_example, examples_in, run_example, seed_examples

SEED = Path(__file__).resolve().parents[2] / "markdown_io" / "seed"
EXAMPLES = list(seed_examples(SEED))
RUNNABLE = [example for example in EXAMPLES if example.runnable]


def python(source, filename=""):
    return Example(origin="post.md:1", language="python", filename=filename, source=source)


def problems_in(source, language="python", filename=""):
    example = Example(origin="post.md:1", language=language, filename=filename, source=source)
    return check_example(example)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.origin for example in EXAMPLES])
def test_seed_example_passes_its_checks(example):
    assert check_example(example) == []


def test_the_seed_has_python_settings_template_shell_and_runnable_examples():
    languages = {example.language for example in EXAMPLES}

    assert {"python", "django", "bash"} <= languages
    assert RUNNABLE


@pytest.mark.django_db
@pytest.mark.parametrize("example", RUNNABLE, ids=[example.origin for example in RUNNABLE])
def test_runnable_seed_example_runs_against_the_test_database(example):
    run_example(example)


def test_a_wrong_import_in_a_post_fails_the_check():
    text = "Words.\n\n```python\nfrom django.db.models import Cont\n```\n"

    [example] = examples_in(text, "post.md")

    assert check_example(example) == ["`from django.db.models import Cont`: no such name"]


def test_a_missing_module_fails_the_check():
    assert problems_in("import django.core.cachez") == [
        "`import django.core.cachez` fails: No module named 'django.core.cachez'"
    ]


def test_a_package_neither_installed_nor_known_fails_the_check():
    problems = problems_in("from celeryy import shared_task")

    assert problems == ["`celeryy` is neither installed nor listed in KNOWN_ELSEWHERE"]


def test_a_known_package_that_is_not_installed_passes():
    assert problems_in("from celery import shared_task\nimport sentry_sdk") == []


def test_a_misspelt_setting_name_fails_the_check():
    problems = problems_in('CACHE = {"default": {"BACKEND": "x.y"}}')

    assert problems == ["line 1: `CACHE` is not a setting; did you mean `CACHES`?"]


def test_a_misspelt_key_in_caches_fails_the_check():
    source = (
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",'
        ' "LOCATON": "redis://"}}'
    )

    assert problems_in(source) == ["`CACHES['default']` has an unknown key `LOCATON`"]


def test_key_function_inside_options_fails_the_check():
    source = (
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",'
        ' "OPTIONS": {"KEY_FUNCTION": "shop.keys.make_key"}}}'
    )

    assert "holds `KEY_FUNCTION`, which belongs beside OPTIONS" in problems_in(source)[0]


def test_a_backend_class_that_does_not_exist_fails_the_check():
    source = 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCach"}}'

    assert problems_in(source) == [
        "`django.core.cache.backends.redis.RedisCach`: `django.core.cache.backends.redis`"
        " has no `RedisCach`"
    ]


def test_storages_without_a_default_fails_the_check():
    source = (
        'STORAGES = {"staticfiles":'
        ' {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}'
    )

    assert problems_in(source) == ["`STORAGES` replaces the default: it needs a `default` entry"]


def test_whitenoise_middleware_after_another_middleware_fails_the_check():
    source = """MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
]"""

    assert problems_in(source) == ["WhiteNoiseMiddleware must come right after SecurityMiddleware"]


def test_logging_without_version_fails_the_check():
    assert problems_in('LOGGING = {"handlers": {}}') == ["`LOGGING` needs `'version': 1`"]


def test_values_computed_at_run_time_are_not_guessed():
    source = 'DATABASES = {"default": env.db("DATABASE_URL")}\nSTATIC_ROOT = BASE_DIR / "static"'

    assert problems_in(source) == []


def test_a_misspelt_gunicorn_setting_fails_the_check():
    problems = problems_in('workers = 3\nworkers_class = "gthread"', filename="gunicorn.conf.py")

    assert problems == ["line 2: `workers_class` is not a gunicorn setting"]


def test_python_that_does_not_compile_fails_the_check():
    assert problems_in("def broken(:\n    pass")[0].startswith("does not compile")


def test_a_template_that_does_not_compile_fails_the_check():
    problems = problems_in("{% cache 60 card %}no end tag", language="django")

    assert problems and problems[0].startswith("template does not compile")


def test_an_unknown_management_command_fails_the_check():
    problems = problems_in("python manage.py migrat --noinput", language="bash")

    assert problems == ["`manage.py migrat` is not a management command here"]


def test_shell_that_does_not_parse_fails_the_check():
    assert problems_in('if true; then echo "no fi"', language="bash")[0].startswith("bash cannot")


@pytest.mark.django_db
def test_a_failing_runnable_example_raises():
    example = python(
        "from django.contrib.auth.models import User\nassert User.objects.count() == 99"
    )

    with pytest.raises(AssertionError):
        run_example(example)


def test_the_runnable_marker_is_read_from_the_fence():
    text = "```python runnable orders/admin.py\nx = 1\n```\n"

    [example] = examples_in(text, "post.md")

    assert (example.runnable, example.filename) == (True, "orders/admin.py")
