"""The dependency audit (.ci/audit.py) fails on a vulnerable pin and never passes silently when it
could not check anything. (pip-audit's reports are built here in its JSON shape; the real run is
`make audit`, a CI step.)"""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"
spec = importlib.util.spec_from_file_location("ci_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_a_vulnerable_pin_fails_the_audit_and_names_the_fix():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [
                {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": []}
            ]},
            {"name": "wagtail", "version": "8.0.1", "vulns": []},
        ],
        "fixes": [],
    }  # fmt: skip

    status, lines = audit.summarise(report)

    assert status == 1
    assert "  django 5.2.0: PYSEC-2025-1 (5.2.1)" in lines


def test_a_clean_report_passes():
    report = {"dependencies": [{"name": "wagtail", "version": "8.0.1", "vulns": []}]}

    status, lines = audit.summarise(report)

    assert status == 0
    assert lines == ["No known vulnerabilities in 1 audited packages."]


def test_an_unreachable_database_is_reported_loudly_not_passed_silently():
    reason = "Dependency not found on PyPI and could not be audited: django (5.2.19)"
    report = {"dependencies": [{"name": "django", "skip_reason": reason}], "fixes": []}

    status, lines = audit.summarise(report)
    required_status, _ = audit.summarise(report, required=True)

    assert status == 0 and required_status == 2
    text = "\n".join(lines)
    assert "DEPENDENCY AUDIT NOT PERFORMED" in text
    assert "none of the 1 installed packages was checked" in text
    assert "No known vulnerabilities" not in text


def test_pip_audit_failing_outright_is_not_a_pass_when_required():
    status, lines = audit.summarise(None, required=True)

    assert status == 2
    assert "NOT PERFORMED" in lines[1]
