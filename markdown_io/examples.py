"""Checks for the code examples in Markdown posts, so a wrong import or a misspelt setting
name in a post fails the test suite instead of reaching readers.

Every fenced block is checked by its language:
- python: it compiles; each absolute import resolves against the installed packages (a package
  that is not installed must be listed in KNOWN_ELSEWHERE); upper-case names that look like a
  misspelt Django setting are errors; settings it assigns have the documented shape (CACHES,
  DATABASES, STORAGES, TASKS, LOGGING, MIDDLEWARE); a gunicorn config file (named
  gunicorn.conf.py) only assigns gunicorn settings.
- django: the template compiles with the project's template engine.
- bash: the script parses (`bash -n`) and every `manage.py <command>` exists.
Blocks whose fence says `runnable` (```` ```python runnable ````) are also executed by the test
suite against the test database; `run_example` does that.
"""

import ast
import difflib
import importlib
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib.util import find_spec

# Packages the posts import that this project does not install, and the example project's own
# apps (orders, customers...). Anything else must be installed, or the check fails.
KNOWN_ELSEWHERE = frozenset(
    {
        # third-party packages the posts discuss but this site does not use
        "celery",
        "csp",  # django-csp
        "environ",  # django-environ
        "factory",  # factory_boy
        "pythonjsonlogger",  # python-json-logger
        "sentry_sdk",
        "django_tasks_db",
        # the apps of the example shop the posts are written around
        "accounts",
        "articles",
        "billing",
        "catalog",
        "config",
        "customers",
        "imports",
        "orders",
        "outbox",
        "payments",
        "pricing",
        "reports",
        "shop",
        "users",
    }
)

# Management commands of packages in KNOWN_ELSEWHERE (or not installed here) that posts run.
KNOWN_COMMANDS = frozenset({"spectacular", "db_worker", "rqworker", "celery"})

# Settings read by the packages and examples the posts configure, beside Django's own.
EXTRA_SETTINGS = frozenset(
    {
        "BASE_DIR",
        "SENTRY_DSN",
        "SENTRY_ENVIRONMENT",
        "SENTRY_RELEASE",
        "REST_FRAMEWORK",
        "NINJA_PAGINATION_PER_PAGE",
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_REPORT_ONLY",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "CELERY_TASK_ACKS_LATE",
        "CELERY_TASK_TIME_LIMIT",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        "TASKS",
        "WHITENOISE_MAX_AGE",
    }
)

# The keys each entry of these settings may have, from Django's settings reference.
CACHE_KEYS = {"BACKEND", "LOCATION", "TIMEOUT", "OPTIONS", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}
DATABASE_KEYS = {
    "ENGINE",
    "NAME",
    "USER",
    "PASSWORD",
    "HOST",
    "PORT",
    "OPTIONS",
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "ATOMIC_REQUESTS",
    "AUTOCOMMIT",
    "DISABLE_SERVER_SIDE_CURSORS",
    "TIME_ZONE",
    "TEST",
}
STORAGE_KEYS = {"BACKEND", "OPTIONS"}
TASK_KEYS = {"BACKEND", "QUEUES", "OPTIONS"}
LOGGING_KEYS = {
    "version",
    "formatters",
    "filters",
    "handlers",
    "loggers",
    "root",
    "incremental",
    "disable_existing_loggers",
}
SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
RUNNABLE = "runnable"


@dataclass
class Example:
    """One fenced code block of a post: where it is, its language, file name and code."""

    origin: str  # "path:line" of the opening fence
    language: str
    filename: str
    source: str
    runnable: bool = False
    problems: list = field(default_factory=list)


class Opaque:
    """A value the checker cannot know without running the code (a call, a name...)."""

    def __repr__(self):
        return "<expression>"


OPAQUE = Opaque()


def literal(node):
    """The Python value of a literal expression; OPAQUE for the parts that are not literal."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Dict):
        return {
            literal(key) if key is not None else OPAQUE: literal(value)
            for key, value in zip(node.keys, node.values, strict=True)
        }
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [literal(item) for item in node.elts]
    return OPAQUE


def is_module(dotted):
    """Whether a dotted name is an importable module (False when a parent is a plain module)."""
    try:
        return find_spec(dotted) is not None
    except ImportError:
        return False


def django_settings():
    from django.conf import global_settings

    return {name for name in dir(global_settings) if name.isupper()}


def gunicorn_settings():
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:  # gunicorn is a run dependency; without it there is nothing to compare
        return None
    return {setting.name for setting in KNOWN_SETTINGS} | {
        # server hooks are settings too, spelt as functions in the file
        "on_starting",
        "on_reload",
        "when_ready",
        "pre_fork",
        "post_fork",
        "post_worker_init",
        "worker_int",
        "worker_abort",
        "pre_exec",
        "pre_request",
        "post_request",
        "child_exit",
        "worker_exit",
        "nworkers_changed",
        "on_exit",
        "ssl_context",
    }


# Python -----------------------------------------------------------------------------------------


def check_imports(tree):
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                problems += _check_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found = _check_module(node.module)
            problems += found
            if found or node.module.split(".")[0] in KNOWN_ELSEWHERE:
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if alias.name == "*" or hasattr(module, alias.name):
                    continue
                if not is_module(f"{node.module}.{alias.name}"):
                    problems.append(f"`from {node.module} import {alias.name}`: no such name")
    return problems


def _check_module(dotted):
    top = dotted.split(".")[0]
    if top in KNOWN_ELSEWHERE:
        return []
    if find_spec(top) is None:
        return [f"`{dotted}` is neither installed nor listed in KNOWN_ELSEWHERE"]
    try:
        importlib.import_module(dotted)
    except ImportError as error:
        return [f"`import {dotted}` fails: {error}"]
    return []


def assignments(tree):
    """(name, value node, line) for every top-level `NAME = value` and `NAME += value`."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value, node.lineno
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                yield node.target.id, node.value, node.lineno


def check_setting_names(tree, known):
    problems = []
    for name, _value, line in assignments(tree):
        if not name.isupper() or name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            problems.append(f"line {line}: `{name}` is not a setting; did you mean `{close[0]}`?")
    return problems


def _entries(name, value, allowed, required, problems):
    if not isinstance(value, dict):
        if value is not OPAQUE:
            problems.append(f"`{name}` must be a dict of aliases")
        return
    for alias, entry in value.items():
        if not isinstance(entry, dict):
            continue
        for key in entry:
            if isinstance(key, str) and key not in allowed:
                problems.append(f"`{name}[{alias!r}]` has an unknown key `{key}`")
        for key in required:
            if key not in entry:
                problems.append(f"`{name}[{alias!r}]` has no `{key}`")
        options = entry.get("OPTIONS")
        if isinstance(options, dict):
            for key in options:
                if isinstance(key, str) and key in allowed and key != "OPTIONS":
                    problems.append(
                        f"`{name}[{alias!r}]['OPTIONS']` holds `{key}`, which belongs "
                        "beside OPTIONS, not inside it"
                    )
        for key in ("BACKEND", "ENGINE"):
            if isinstance(entry.get(key), str):
                problems += _check_dotted_path(entry[key])


def _check_dotted_path(path):
    module_name, _, attribute = path.rpartition(".")
    if not module_name or module_name.split(".")[0] in KNOWN_ELSEWHERE:
        return []
    if find_spec(module_name.split(".")[0]) is None:
        return [f"`{path}`: `{module_name.split('.')[0]}` is not installed nor known"]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        try:  # a database ENGINE names a package, not a class
            importlib.import_module(path)
            return []
        except ImportError as error:
            return [f"`{path}` cannot be imported: {error}"]
    if not hasattr(module, attribute) and not is_module(path):
        return [f"`{path}`: `{module_name}` has no `{attribute}`"]
    return []


def check_setting_shapes(tree):
    problems = []
    for name, node, _line in assignments(tree):
        value = literal(node)
        if name == "CACHES":
            _entries(name, value, CACHE_KEYS, ("BACKEND",), problems)
        elif name == "DATABASES":
            _entries(name, value, DATABASE_KEYS, (), problems)
        elif name == "STORAGES":
            _entries(name, value, STORAGE_KEYS, ("BACKEND",), problems)
            if isinstance(value, dict) and "staticfiles" in value and "default" not in value:
                problems.append("`STORAGES` replaces the default: it needs a `default` entry")
        elif name == "TASKS":
            _entries(name, value, TASK_KEYS, ("BACKEND",), problems)
        elif name == "LOGGING" and isinstance(value, dict):
            if value.get("version") != 1:
                problems.append("`LOGGING` needs `'version': 1`")
            problems += [
                f"`LOGGING` has an unknown key `{k}`" for k in value if k not in LOGGING_KEYS
            ]
        elif name == "MIDDLEWARE" and isinstance(value, list):
            paths = [item for item in value if isinstance(item, str)]
            for path in paths:
                problems += _check_dotted_path(path)
            if WHITENOISE_MIDDLEWARE in paths and SECURITY_MIDDLEWARE in paths:
                if paths.index(WHITENOISE_MIDDLEWARE) != paths.index(SECURITY_MIDDLEWARE) + 1:
                    problems.append("WhiteNoiseMiddleware must come right after SecurityMiddleware")
    return problems


def check_gunicorn_config(tree):
    known = gunicorn_settings()
    if known is None:
        return []
    problems = []
    for name, _value, line in assignments(tree):
        if not name.startswith("_") and name not in known and name.islower():
            problems.append(f"line {line}: `{name}` is not a gunicorn setting")
    return problems


def check_python(example):
    try:
        tree = ast.parse(example.source, filename=example.origin)
        compile(tree, example.origin, "exec")
    except SyntaxError as error:
        return [f"does not compile: {error.msg} (line {error.lineno})"]
    problems = check_imports(tree)
    problems += check_setting_names(tree, django_settings() | EXTRA_SETTINGS)
    problems += check_setting_shapes(tree)
    if example.filename.rsplit("/", 1)[-1] in {"gunicorn.conf.py", "gunicorn_conf.py"} or (
        example.source.lstrip().startswith("# gunicorn.conf.py")
    ):
        problems += check_gunicorn_config(tree)
    return problems


# Templates and shell ---------------------------------------------------------------------------


def check_template(example):
    from django.template import TemplateSyntaxError, engines

    try:
        engines["django"].from_string(example.source)
    except TemplateSyntaxError as error:
        return [f"template does not compile: {error}"]
    return []


def check_bash(example):
    from django.core.management import get_commands

    problems = []
    bash = shutil.which("bash")
    if bash:
        result = subprocess.run(  # noqa: S603 - the fixed shell binary, code on stdin, no shell
            [bash, "-n"], input=example.source, capture_output=True, text=True, check=False
        )
        if result.returncode:
            problems.append(f"bash cannot parse it: {result.stderr.strip()}")
    commands = get_commands()
    for line in example.source.splitlines():
        words = line.split("#", 1)[0].split()
        if "manage.py" in words and words.index("manage.py") + 1 < len(words):
            command = words[words.index("manage.py") + 1]
            if not command.startswith("-") and command not in {*commands, *KNOWN_COMMANDS}:
                problems.append(f"`manage.py {command}` is not a management command here")
    return problems


CHECKS = {"python": check_python, "django": check_template, "bash": check_bash}


def check_example(example):
    """The problems found in one example (an empty list when it is fine)."""
    check = CHECKS.get(example.language)
    return check(example) if check else []


def run_example(example):
    """Execute a runnable example in a fresh namespace; its exceptions propagate."""
    code = compile(example.source, example.origin, "exec")
    exec(code, {"__name__": "example"})  # noqa: S102 - the seed's own reviewed examples


# The seed content -------------------------------------------------------------------------------


def examples_in(text, path):
    """Every fenced code block in a Markdown text (or a TOML file holding Markdown strings)."""
    from markdown_io.posts import FENCE_RE, code_value

    for match in FENCE_RE.finditer(text):
        value = code_value(match.group(1), match.group(2), match.group(3))
        line = text.count("\n", 0, match.start()) + 1
        yield Example(
            origin=f"{path}:{line}",
            language=value["language"],
            filename=value["filename"],
            source=value["source"],
            runnable=value["runnable"],
        )


def seed_examples(seed_dir):
    """The code examples of the seed content: every post, then site.toml's Markdown."""
    paths = [*sorted(seed_dir.glob("posts/*.md")), seed_dir / "site.toml"]
    for path in paths:
        relative = path.relative_to(seed_dir.parent.parent)
        yield from examples_in(path.read_text(encoding="utf-8"), relative)
