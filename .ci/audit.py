"""Audit the installed, pinned dependencies for known vulnerabilities with pip-audit.

Exit status: 1 when any installed package has a known vulnerability; 0 otherwise. When the
vulnerability database cannot be reached (pip-audit then skips every package), the audit did
not happen: that is printed loudly, and it fails only with AUDIT_REQUIRED=1, so that CI on a
machine without access to the database still runs everything else.
"""

import json
import os
import subprocess
import sys

BANNER = "=" * 72


def run_pip_audit():
    """pip-audit's JSON report on this virtualenv (which `make` installed from the pins)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format=json", "--progress-spinner=off"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(result.stdout), result.stderr
    except json.JSONDecodeError:
        return None, result.stderr or result.stdout


def summarise(report, required=False):
    """(exit status, lines to print) for a pip-audit JSON report (None: pip-audit failed)."""
    if report is None:
        lines = [BANNER, "DEPENDENCY AUDIT NOT PERFORMED: pip-audit gave no report.", BANNER]
        return (2 if required else 0), lines
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        lines = [f"Known vulnerabilities in {len(vulnerable)} pinned package(s):"]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(f"  {dep['name']} {dep.get('version', '?')}: {vuln['id']} ({fixes})")
        lines.append("Upgrade the pin in pyproject.toml [dependency-groups] and run make test.")
        return 1, lines
    if dependencies and audited == 0:
        lines = [
            BANNER,
            "DEPENDENCY AUDIT NOT PERFORMED: the vulnerability database could not be reached,",
            f"so none of the {len(dependencies)} installed packages was checked.",
            f"First reason given: {skipped[0]['skip_reason']}",
            "Run `make audit` where PyPI's JSON API (with vulnerability data) is reachable;",
            "AUDIT_REQUIRED=1 makes this a failure.",
            BANNER,
        ]
        return (2 if required else 0), lines
    lines = [f"No known vulnerabilities in {audited} audited packages."]
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        lines.append(f"Not checked ({len(skipped)}): {names}")
    return 0, lines


def main():
    report, errors = run_pip_audit()
    status, lines = summarise(report, required=os.environ.get("AUDIT_REQUIRED") == "1")
    if report is None and errors:
        lines.insert(1, errors.strip()[-2000:])
    print("\n".join(lines))  # noqa: T201 - a command-line report
    return status


if __name__ == "__main__":
    sys.exit(main())
