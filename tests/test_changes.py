"""Editions: `curriculum changes OLD [NEW]` and the "What's new" page.

Two editions are made in a temporary git repository: the real content tagged ``v2027.1``
(once for the module; a test that changes it works on a copy), and a second edition with
every kind of change (items added, removed and changed, for lessons, forms, sessions and
chapters, and the program's year plan).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.builders.changes import between, differences
from conftest import real_project, require_tool

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

NEW_BOUNDARIES_HANDOUT = """\
Your limits matter. When you say what works for you, friends learn how to treat you well.
You decide what you share, how long you stay, and what you spend.

Try this: say your limit in one short sentence, say thanks, and offer another idea.

1. **Notice how you feel.** A tight chest or a wish to leave can tell you a limit is near.
2. **Choose your words.** Keep it short and kind. Try: "I can stay for one hour."
3. **Say it early.** It is easier to set a limit before you feel worn out.
4. **Offer another idea.** Try: "I can't lend money, but I can help you look for help."
5. **Thank them.** A thank you keeps the friendship warm.

A limit is not a wall. It tells people how to be close to you in a way that feels good. You
can change a limit when your needs change. Other people have limits too, and you can ask
about them.

If someone keeps pushing, you can say it again, take a break, or leave. You do not need to
explain. Your coach and the group can help you practise the words.
"""

EXTRA_SESSION = """\
id: outing-session
title: Outing session
summary: The group meets at a place in the community that members chose together.
minutes: 90
peer_sharing:
  - title: Meet and check in
    minutes: 60
    grouping: small groups
    what_happens: Members meet at the place they chose, check in and share how their week went.
skill_block:
  - title: Plan the next step
    minutes: 30
    grouping: whole
    what_happens: Each member names one thing they enjoyed and one step for next week.
"""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user settings."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=True)
    return done.stdout


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    if tag:
        git(repo, "tag", tag)


def edit_yaml(path: Path, change) -> None:
    """Load a content file, change its data, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def tagged(tmp_path_factory) -> Path:
    """The real project in a git repository, tagged ``v2027.1``, with an extra session
    agenda that the next edition removes. Tests only read it (``repo`` is a copy)."""
    require_tool("git", "git")
    project = real_project(tmp_path_factory.mktemp("tagged") / "project", locales=False)
    (project / "content" / "sessions" / "outing-session.yml").write_text(EXTRA_SESSION)
    git(project, "init", "-q")
    commit(project, "Edition 2027.1", tag="v2027.1")
    return project


@pytest.fixture
def repo(tagged: Path, tmp_path: Path) -> Path:
    """A copy of ``tagged``, its history included, for a test that changes it."""
    return Path(shutil.copytree(tagged, tmp_path / "project", symlinks=True))


def next_edition(root: Path) -> None:
    """Every kind of change, made as an editor would make it, and the edition bumped."""
    content = root / "content"

    def program(data):
        data["edition"], data["edition_date"] = "2027.2", "2027-07-05"
        for cadence, plan in data["year_plans"].items():
            data["year_plans"][cadence] = [s for s in plan if s["lesson"] != "affirmations"]

    edit_yaml(content / "program.yml", program)
    # lessons: two changed, one added, one removed
    edit_yaml(content / "lessons" / "boundaries.yml",
              lambda data: data["handout"].update(body=NEW_BOUNDARIES_HANDOUT))

    def grounding(data):
        data["activities"].append({**data["activities"][0], "title": "Grounding object"})
        data["timing"][0]["minutes"] += 2
        data["timing"][1]["minutes"] -= 2

    edit_yaml(content / "lessons" / "grounding.yml", grounding)
    (content / "lessons" / "affirmations.yml").unlink()
    shutil.copy(content / "lessons" / "self-care.yml", content / "lessons" / "self-care-plus.yml")
    edit_yaml(content / "lessons" / "self-care-plus.yml",
              lambda data: data.update(id="self-care-plus", title="Self-care, step by step"))
    # forms: one changed (a field added), one added, one removed
    edit_yaml(content / "forms" / "enrollment-agreement.yml",
              lambda data: data["sections"][0]["fields"].append(
                  {"id": "photo-consent", "label": "May we take group photos with you in them?",
                   "type": "checkbox"}))
    shutil.copy(content / "forms" / "receipt-log.yml", content / "forms" / "bus-log.yml")
    edit_yaml(content / "forms" / "bus-log.yml",
              lambda data: data.update(id="bus-log", title="Bus pass log"))
    (content / "forms" / "coach-bio.yml").unlink()
    # sessions: one changed, one added, one removed
    edit_yaml(content / "sessions" / "standard-session.yml",
              lambda data: data.update(summary="Members share for an hour, then learn a skill."))
    shutil.copy(content / "sessions" / "standard-session.yml",
                content / "sessions" / "short-session.yml")
    edit_yaml(content / "sessions" / "short-session.yml",
              lambda data: data.update(id="short-session", title="Short session"))
    (content / "sessions" / "outing-session.yml").unlink()
    # chapters: one changed, one added, one removed
    edit_yaml(content / "chapters" / "welcome.yml",
              lambda data: data.update(summary="A short hello from your coaches."))
    shutil.copy(content / "chapters" / "feedback.yml", content / "chapters" / "thanks.yml")
    edit_yaml(content / "chapters" / "thanks.yml",
              lambda data: data.update(id="thanks", title="Thank you"))
    (content / "chapters" / "feedback.yml").unlink()


EXPECTED = {
    ("lesson", "boundaries", "changed"), ("lesson", "grounding", "changed"),
    ("lesson", "self-care-plus", "added"),
    ("lesson", "affirmations", "removed"),
    ("form", "enrollment-agreement", "changed"), ("form", "bus-log", "added"),
    ("form", "coach-bio", "removed"),
    ("session", "standard-session", "changed"), ("session", "short-session", "added"),
    ("session", "outing-session", "removed"),
    ("chapter", "welcome", "changed"), ("chapter", "thanks", "added"),
    ("chapter", "feedback", "removed"),
    ("program", "program", "changed"),
}


def test_every_kind_of_change_is_listed_exactly_once(repo: Path) -> None:
    next_edition(repo)
    report = between(repo, "v2027.1")
    found = [(item.kind, item.ident, item.action) for item in report.items]
    assert sorted(found) == sorted(EXPECTED)
    assert (report.old.edition, report.new.edition) == ("2027.1", "2027.2")
    details = {item.ident: item.details for item in report.items}
    assert details["boundaries"] == ("`handout.body` rewritten", "timing unchanged")
    assert details["grounding"] == (
        "segment “%s”: `minutes` changed from %d to %d" % _first_segment(repo),
        "segment “%s”: `minutes` changed from %d to %d" % _second_segment(repo),
        "activity “Grounding object” added")
    assert details["enrollment-agreement"] == ("field `photo-consent` added",)
    assert details["standard-session"] == ("`summary` rewritten",)
    assert details["welcome"] == ("`summary` rewritten",)
    # the plan lost its affirmations sessions; the edition itself is not a change
    program = details["program"]
    assert program and all("year_plans" in line or "session" in line for line in program)
    assert not any("edition" in line for line in program)


def _segments(root: Path) -> list[dict]:
    return yaml.safe_load((root / "content" / "lessons" / "grounding.yml").read_text())["timing"]


def _first_segment(root: Path) -> tuple[str, int, int]:
    segment = _segments(root)[0]
    return segment["title"], segment["minutes"] - 2, segment["minutes"]


def _second_segment(root: Path) -> tuple[str, int, int]:
    segment = _segments(root)[1]
    return segment["title"], segment["minutes"] + 2, segment["minutes"]


def test_reprint_lists_the_pdfs_whose_pages_changed(repo: Path) -> None:
    next_edition(repo)
    report = between(repo, "v2027.1")
    reprint = {item.ident: [r.target for r in item.reprint] for item in report.items}
    handbooks = ["participant-handbook.pdf", "participant-handbook-large-print.pdf"]
    # the handout is printed in the handbooks, with its lesson plan in the coach manual (as
    # the site's lesson plan shows it), and on its own
    assert reprint["boundaries"] == [*handbooks, "coach-manual.pdf", "handouts/boundaries.pdf"]
    # activities and timing are coach material: the manual and the grounding agendas change,
    # and nothing a member holds
    assert "handouts/grounding.pdf" not in report.reprint_targets
    grounding = reprint["grounding"]
    assert grounding[0] == "coach-manual.pdf"
    assert grounding[1:] and all(target.startswith("agendas/") for target in grounding[1:])
    assert "forms/enrollment-agreement.pdf" in reprint["enrollment-agreement"]
    assert "forms/bus-log.pdf" in reprint["bus-log"]
    # a coach form is not in the participant handbook
    assert reprint["coach-bio"] == ["coach-manual.pdf"]
    assert reprint["welcome"] == handbooks
    withdrawn = {r.target for r in report.withdrawn}
    assert {"handouts/affirmations.pdf", "forms/coach-bio.pdf"} <= withdrawn
    assert "handouts/self-care-plus.pdf" in reprint["self-care-plus"]
    assert "forms/receipt-log.pdf" not in report.reprint_targets


def test_the_command_prints_the_report_and_writes_a_page(repo: Path, cli) -> None:
    next_edition(repo)
    result = cli(repo, "changes", "v2027.1", "--write", "whats-new.md")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Changes from edition 2027.1 (2027-01-04) to 2027.2 (2027-07-05)")
    assert "  changed  Personal boundaries (boundaries): `handout.body` rewritten; " \
           "timing unchanged" in out
    assert "  added    Bus pass log (bus-log)" in out
    assert "  removed  Affirmations" in out
    assert "reprint: participant-handbook.pdf, participant-handbook-large-print.pdf, " \
           "coach-manual.pdf, handouts/boundaries.pdf\n" in out
    assert out.count("Personal boundaries (boundaries)") == 1
    assert "Both are numbered" not in out
    page = (repo / "whats-new.md").read_text()
    assert "# What's new in edition 2027.2" in page
    assert "field `photo-consent` added" in page
    assert "`handouts/boundaries.pdf`" in page


def test_two_folders_compare_like_two_revisions(repo: Path, tmp_path: Path, cli) -> None:
    old = tmp_path / "old"
    shutil.copytree(repo, old, ignore=shutil.ignore_patterns(".git"))
    next_edition(repo)
    commit(repo, "Edition 2027.2", tag="v2027.2")
    by_tags = cli(repo, "changes", "v2027.1", "v2027.2")
    by_folders = cli(repo, "changes", str(old), ".")
    assert by_tags.exit_code == by_folders.exit_code == 0
    assert by_tags.output == by_folders.output


def test_the_same_edition_has_no_changes(tagged: Path, cli) -> None:
    result = cli(tagged, "changes", "v2027.1")
    assert result.exit_code == 0
    assert result.output.splitlines()[2] == "No content changed; nothing to reprint."


def test_an_edition_number_not_raised_is_pointed_out(repo: Path, cli) -> None:
    edit_yaml(repo / "content" / "chapters" / "welcome.yml",
              lambda data: data.update(summary="A short hello from your coaches."))
    result = cli(repo, "changes", "v2027.1")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "Both are numbered 2027.1: raise `edition` and `edition_date` in "
        "content/program.yml before you publish.")


def test_an_agency_setting_change_is_named(repo: Path) -> None:
    edit_yaml(repo / "content" / "agency.yml",
              lambda data: data["warmline"].update(hours="Every day, 8 am to 10 pm"))
    report = between(repo, "v2027.1")
    assert [(i.kind, i.details) for i in report.items] == [
        ("agency", ("`warmline.hours` changed from “%s” to “Every day, 8 am to 10 pm”"
                    % _old_hours(repo),))]
    assert report.reprint  # the warm line is printed in the handbooks


def _old_hours(repo: Path) -> str:
    old = git(repo, "show", "v2027.1:content/agency.yml")
    return yaml.safe_load(old)["warmline"]["hours"]


def test_an_unknown_revision_is_a_usage_error(tagged: Path, cli) -> None:
    result = cli(tagged, "changes", "v1999.1")
    assert result.exit_code == 2
    assert "'v1999.1' is neither a folder nor a git revision" in result.output


def test_problems_in_the_old_edition_name_it(repo: Path, cli) -> None:
    lesson = repo / "content" / "lessons" / "boundaries.yml"
    good = lesson.read_text()
    lesson.write_text(good.replace("sequence:", "sequence: ninety\nold_sequence:", 1))
    commit(repo, "broken", tag="broken")
    lesson.write_text(good)
    result = cli(repo, "changes", "broken")
    assert result.exit_code == 1
    assert "broken:content/lessons/boundaries.yml:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("old", "new", "expected"), [
    ({"objectives": ["a", "b"]}, {"objectives": ["a", "c", "d"]},
     ["`objectives` changed: 1 added, 1 rewritten"]),
    ({"objectives": ["a", "b"]}, {"objectives": ["b", "a"]}, ["`objectives` changed: "
                                                             "1 added, 1 removed"]),
    ({"plan": [{"lesson": "x"}, {"lesson": "y"}]}, {"plan": [{"lesson": "x"}]},
     ["plan 2 removed"]),
    ({"plan": [{"lesson": "x"}]}, {"plan": [{"lesson": "z"}]},
     ["plan 1: `lesson` changed from “x” to “z”"]),
    ({"timing": [{"title": "A", "minutes": 5}, {"title": "B", "minutes": 5}]},
     {"timing": [{"title": "B", "minutes": 5}, {"title": "A", "minutes": 5}]},
     ["`timing` reordered"]),
    ({"url": None}, {"url": "https://example.org"}, ["`url` added"]),
])
def test_differences_in_words(old, new, expected) -> None:
    assert differences(old, new) == expected


def test_the_build_adds_whats_new(repo: Path) -> None:
    from generator.pipeline import build

    next_edition(repo)
    edit_yaml(repo / "content" / "program.yml",
              lambda data: data.update(previous_edition="v2027.1"))
    build(repo)
    site = repo / "site"
    page = (site / "whats-new.html").read_text()
    assert "What's new in edition 2027.2" in page
    assert "photo-consent" in page
    assert 'href="coaches/lessons/boundaries.html"' in page
    home = (site / "index.html").read_text()
    assert 'href="whats-new.html"' in home
    downloads = (site / "downloads.html").read_text()
    report = between(repo, "v2027.1")
    rows = downloads.split("<tr>")[1:]
    marked = {row.split('href="downloads/')[1].split('"')[0] for row in rows
              if "· <strong>New or changed</strong>" in row}
    assert marked == report.reprint_targets
    assert "published Monday, July 5, 2027" in " ".join(downloads.split())


def previous_edition_line(project: Path) -> int:
    """The line of ``previous_edition`` in the project's program.yml."""
    return next(number for number, text in enumerate(
        (project / "content" / "program.yml").read_text().splitlines(), 1)
        if text.startswith("previous_edition:"))


def test_an_unknown_previous_edition_is_reported_at_its_line(repo: Path) -> None:
    from generator.core.errors import ContentError
    from generator.pipeline import build

    edit_yaml(repo / "content" / "program.yml",
              lambda data: data.update(previous_edition="v1999.1"))
    line = previous_edition_line(repo)
    with pytest.raises(ContentError) as caught:
        build(repo)
    assert [str(p) for p in caught.value.problems] == [
        f"content/program.yml:{line}: previous_edition: 'v1999.1' is neither a folder nor a "
        f"git revision (tag, branch or commit) of this repository"]
    assert not (repo / "site").exists()
