"""The program outcomes report: figures from known counts, pooling, small-number suppression
(checked cell by cell and by working the hidden counts out as a reader could), the command,
the tagged PDF and its charts, and bad input reported at its lines."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from conftest import PROJECT, ROOTS, sample
from generator.core.errors import ContentError, Problem
from generator.core.parse import parse
from generator.core.models import POM_INDICATORS, Outcomes
from generator.core.outcomes import (ANSWERS, Cell, Figures, figures, half_up, per_year, percent,
                                points, rate_change, read, statement_key)
from generator.core.project import Project
from generator.core.content import load_catalog
from generator.builders.report import INTERNAL, PUBLIC, render, write_report
from generator.core.schema import write_schemas

OUTCOMES = ROOTS / "outcomes"
POOLED_FILES = ["hillside", "riverside", "parkside"]


def _read(*names: str) -> list[Outcomes]:
    return read([OUTCOMES / f"{name}.yml" for name in names], str)


def _readme_example() -> str:
    """The outcomes file the README shows."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Outcomes report", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL)[1]


def _rows(found: Figures, heading: str):
    table = next(table for table in found.outcomes if table.heading == heading)
    return {row.number: row for row in table.rows}


# --- the figures --------------------------------------------------------------------------


def test_rounding_is_half_up_from_unrounded_shares():
    assert percent(5, 8) == 63 and percent(1, 8) == 13 and percent(2, 3) == 67
    assert points((2, 8), (5, 8)) == 38  # 25% to 62.5%
    assert points((8, 8), (4, 5)) == -20
    assert points((5, 8), (4, 6)) == 4  # 62.5% to 66.7%: the rounded shares differ by 4
    assert half_up(Fraction(-75, 2)) == -38 and half_up(Fraction(1, 2)) == 1
    assert per_year(15, 24) == Decimal("7.5") and per_year(1, 19) == Decimal("0.6")
    assert rate_change((15, 24), (1, 19)) == -92
    assert rate_change((0, 24), (1, 19)) is None
    assert Cell(Decimal(-92), "change").text == "92% fewer"
    assert Cell(Decimal(38), "points").text == "+38"
    assert Cell(Decimal(-20), "points").text == "−20"


def test_the_readme_example_gives_the_issue_figures(tmp_path):
    found = figures(read([_write_example(tmp_path)], str))
    row = _rows(found, "Lakeside group, 2027")[20]
    assert (row.initial.percent.text, row.final.percent.text, row.change.text) == (
        "0%", "63%", "+63")
    assert (row.final.present.value, row.final.interviewed.value) == (5, 8)
    statement = found.surveys[0].rows[0]
    assert [cell.value for cell in statement.tallies] == [15, 2, 0, 0, 0]
    assert statement.top.text == "88%" and found.surveys[0].respondents.value == 17
    stays = found.stays[0]
    assert (stays.before.rate.text, stays.during.rate.text, stays.change.text) == (
        "7.5", "0.6", "92% fewer")
    assert not found.public and not any(cell.suppressed for _, cell, _ in _cells(found))


def test_the_programs_own_results_come_out_as_published():
    """The pilot's counts give the percentages of the program's results table; indicator
    18's change is 4 points from the unrounded shares (the table shows 5)."""
    found = figures(_read("pilot"))
    rows = _rows(found, "Pilot group, published results")
    published = {1: (25, 75, 50), 2: (25, 63, 38), 5: (63, 88, 25), 6: (50, 75, 25),
                 11: (13, 88, 75), 14: (25, 63, 38), 15: (25, 63, 38), 17: (100, 80, -20),
                 18: (63, 67, 4), 19: (0, 75, 75), 20: (0, 63, 63), 21: (75, 88, 13)}
    assert {number: (row.initial.percent.value, row.final.percent.value, row.change.value)
            for number, row in rows.items()} == published
    assert {number: row.statement for number, row in rows.items()} == POM_INDICATORS
    survey = found.surveys[0]
    assert survey.round == "end" and len(survey.rows) == 11
    assert [row.top.value for row in survey.rows] == [88, 88, 100, 88, 88, 100, 100, 88, 100,
                                                      100, 94]
    assert found.themes[0][1][0].startswith("Members say they now start conversations")


def test_several_files_pool_into_one_report():
    found = figures(_read(*POOLED_FILES))
    assert [table.heading for table in found.outcomes] == [
        "All groups pooled", "Hillside group, 2027", "Riverside group, 2027 (Riverside Peer "
        "Services)", "Parkside group, 2027"]
    pooled = _rows(found, "All groups pooled")
    assert set(pooled) == {1, 20, 21}  # 17 only Parkside reported
    assert found.not_pooled == ["17 People choose personal goals"]
    one = pooled[1]
    assert (one.initial.present.value, one.initial.interviewed.value, one.initial.percent.value,
            one.final.present.value, one.final.interviewed.value, one.final.percent.value,
            one.change.value) == (12, 36, 33, 24, 36, 67, 33)
    friends = pooled[20]  # 1 of 34 (2.9%) to 18 of 33 (54.5%): 51.6 points
    assert (friends.initial.percent.value, friends.final.percent.value,
            friends.change.value) == (3, 55, 52)
    assert (pooled[21].initial.percent.value, pooled[21].final.percent.value) == (96, 100)
    survey = found.surveys[0]
    assert survey.pooled and survey.respondents.value == 33
    meets, safe = survey.rows  # matched whatever the case and final full stop
    assert [cell.value for cell in meets.tallies] == [29, 3, 1, 0, 0] and meets.top.value == 88
    assert [cell.value for cell in safe.tallies] == [31, 1, 0, 0, 1] and safe.top.value == 97
    stays = found.stays[-1]  # 15 stays in 72 group-months, 1 in 33
    assert stays.pooled and (stays.before.count.value, stays.before.months) == (15, 72)
    assert (stays.before.rate.text, stays.during.rate.text, stays.change.text) == (
        "2.5", "0.4", "85% fewer")
    visits = found.visits[-1]  # Parkside reported no visits: pooled over two groups
    assert (visits.before.count.value, visits.before.months, visits.during.count.value,
            visits.during.months) == (21, 48, 5, 22)
    assert (visits.before.rate.text, visits.during.rate.text, visits.change.text) == (
        "5.3", "2.7", "48% fewer")
    assert [row.heading for row in found.visits] == [
        "Hillside group, 2027", "Riverside group, 2027 (Riverside Peer Services)",
        "All groups pooled"]


# --- small numbers ------------------------------------------------------------------------


def _cells(found: Figures):
    """Every figure of the report with where it is: (place, cell, the counts behind it)."""
    for table in found.outcomes:
        for row in table.rows:
            for name, share in (("initial", row.initial), ("final", row.final)):
                yield (table.heading, row.number, name, "present"), share.present, ()
                yield (table.heading, row.number, name, "interviewed"), share.interviewed, ()
                yield ((table.heading, row.number, name, "percent"), share.percent,
                       (share.present, share.interviewed))
            yield ((table.heading, row.number, "change"), row.change,
                   (row.initial.present, row.initial.interviewed, row.final.present,
                    row.final.interviewed))
    for table in found.surveys:
        yield (table.heading, "respondents"), table.respondents, ()
        for row in table.rows:
            for answer, tally in zip((*ANSWERS, "does_not_apply"), row.tallies):
                yield (table.heading, row.statement, answer), tally, ()
            yield (table.heading, row.statement, "top"), row.top, row.tallies[:4]
    for name, rows in (("stays", found.stays), ("visits", found.visits)):
        for row in rows:
            for period, use in (("before", row.before), ("during", row.during)):
                yield (name, row.heading, period, "count"), use.count, ()
                yield (name, row.heading, period, "rate"), use.rate, (use.count,)
            yield (name, row.heading, "change"), row.change, (row.before.count,
                                                               row.during.count)


def _hidden_cells_are_right(found: Figures) -> None:
    """Every count from 1 to 10 is hidden, 0 never is on its own account, and a figure is
    hidden exactly when a count it is worked out from is hidden."""
    for place, cell, inputs in _cells(found):
        if cell.kind == "count" and 1 <= cell.value <= 10:
            assert cell.suppressed, place
        if inputs:
            assert cell.suppressed == any(count.suppressed for count in inputs), place
        assert (cell.text in ("fewer than 11*", "hidden")) == cell.suppressed, place


def test_public_single_group_hides_every_small_cell_cell_by_cell(tmp_path):
    files = read([_write_example(tmp_path)], str)
    statement = "My coach is willing and able to meet me where I choose"
    found = figures(files, public=True, survey_form=frozenset({statement_key(statement)}))
    hidden = {place for place, cell, _ in _cells(found) if cell.suppressed}
    group = "Group 1"  # a public report never prints the cohort's own name
    assert hidden == {
        (group, 20, "initial", "interviewed"), (group, 20, "initial", "percent"),
        (group, 20, "final", "present"), (group, 20, "final", "interviewed"),
        (group, 20, "final", "percent"), (group, 20, "change"),
        # 2 "somewhat agree" is small; 17 respondents less the 15 shown would reveal it
        (group, statement, "somewhat_agree"), (group, "respondents"), (group, statement, "top"),
        ("stays", group, "during", "count"), ("stays", group, "during", "rate"),
        ("stays", group, "change")}
    shown = {place: cell.text for place, cell, _ in _cells(found) if not cell.suppressed}
    assert shown[(group, 20, "initial", "present")] == "0"  # zero is shown
    assert shown[(group, statement, "definitely_agree")] == "15"
    assert shown[("stays", group, "before", "rate")] == "7.5"
    _hidden_cells_are_right(found)
    assert _leaks(files, found) == []
    assert found.still_hidden == [f"Personal outcomes: 20 {POM_INDICATORS[20]}",
                                  f"Survey: {statement}", "Hospital stays"]


def test_public_pooled_report_hides_small_cells_and_pooling_unlocks_figures():
    files = _read(*POOLED_FILES)
    found = figures(files, public=True)
    _hidden_cells_are_right(found)
    assert _leaks(files, found) == []
    pooled = _rows(found, "All groups pooled")
    assert [cell.text for cell in (pooled[1].initial.percent, pooled[1].final.percent,
                                   pooled[1].change)] == ["33%", "67%", "+33"]
    for group in ("Group 1", "Group 3"):  # hillside and parkside, unnamed in public
        assert _rows(found, group)[1].initial.percent.suppressed
    assert found.unlocked == [f"Personal outcomes: 1 {POM_INDICATORS[1]}"]
    # 23 of 24 is not small, but leaves 1 without the outcome: hidden so that 1 stays hidden
    assert pooled[21].initial.present.suppressed and pooled[21].initial.present.value == 23
    assert not pooled[21].final.present.suppressed  # 23 of 23 leaves 0
    # 3 and 1 of "somewhat agree/disagree" add up to 4: the pooled respondents would show it
    assert found.surveys[0].respondents.suppressed
    assert found.stays[-1].before.rate.text == "2.5" and found.stays[-1].during.rate.suppressed


def test_internal_report_hides_nothing():
    found = figures(_read(*POOLED_FILES))
    assert not any(cell.suppressed for _, cell, _ in _cells(found))
    assert found.unlocked == [] and found.still_hidden == []


def _leaks(files: list[Outcomes], found: Figures) -> list[str]:
    """What a reader could work out exactly from the shown counts by adding and subtracting,
    though it should stay hidden: a hidden count, a small remainder (people without the
    outcome), or hidden cells adding up to 1 to 10. A reader may rightly take it that no one
    skipped a survey statement where no one did."""
    atoms: dict[tuple, int] = {}
    index = {group.name: number for number, group in enumerate(found.groups)}
    for c, file in enumerate(files):
        for row in file.outcome_interviews:
            for name in ("initial", "final"):
                share = getattr(row, name)
                atoms[("P", c, row.indicator, name)] = share.present
                atoms[("N", c, row.indicator, name)] = share.interviewed - share.present
        if file.satisfaction_survey:
            atoms[("R", c)] = file.satisfaction_survey.respondents
            for row in file.satisfaction_survey.statements:
                key = statement_key(row.statement)
                for answer in (*ANSWERS, "does_not_apply"):
                    atoms[("T", c, key, answer)] = getattr(row, answer)
        for section, attribute, unit in (("stays", "hospital_stays", "stays"),
                                         ("visits", "emergency_visits", "visits")):
            if getattr(file, attribute):
                for period in ("before", "during"):
                    atoms[(section, c, period)] = getattr(getattr(getattr(file, attribute),
                                                                  period), unit)

    def of(heading: str, pooled: bool, prefix: tuple) -> list[int]:
        return [c for c in range(len(files))
                if any(atom[0] == prefix[0] and atom[1] == c and atom[2:2 + len(prefix) - 1]
                       == prefix[1:] for atom in atoms)] if pooled else [index[heading]]

    def vector(*parts: tuple) -> dict[tuple, Fraction]:
        found_vector: dict[tuple, Fraction] = {}
        for atom in parts:
            found_vector[atom] = found_vector.get(atom, Fraction(0)) + 1
        return found_vector

    cells: list[tuple[str, dict, Cell, tuple, bool]] = []  # where, vector, cell, column, pooled
    remainders: list[tuple[str, dict, int]] = []  # people without an outcome
    for table in found.outcomes:
        for row in table.rows:
            for name, share in (("initial", row.initial), ("final", row.final)):
                groups = of(table.heading, table.pooled, ("P", row.number, name))
                present = [("P", c, row.number, name) for c in groups]
                absent = [("N", c, row.number, name) for c in groups]
                column = ("pom", row.number, name)
                cells.append((f"{table.heading} {row.number} {name} present", vector(*present),
                              share.present, (*column, "present"), table.pooled))
                cells.append((f"{table.heading} {row.number} {name} interviewed",
                              vector(*present, *absent), share.interviewed,
                              (*column, "interviewed"), table.pooled))
                remainders.append((f"{table.heading} {row.number} {name}: without it",
                                   vector(*absent), sum(atoms[atom] for atom in absent)))
    for table in found.surveys:
        groups = of(table.heading, table.pooled, ("R",))
        cells.append((f"{table.heading} respondents", vector(*[("R", c) for c in groups]),
                      table.respondents, ("respondents",), table.pooled))
        for row in table.rows:
            key = statement_key(row.statement)
            for answer, tally in zip((*ANSWERS, "does_not_apply"), row.tallies):
                cells.append((f"{table.heading} {row.statement} {answer}",
                              vector(*[("T", c, key, answer) for c in groups]), tally,
                              ("survey", key, answer), table.pooled))
    for section, rows in (("stays", found.stays), ("visits", found.visits)):
        for row in rows:
            groups = of(row.heading, row.pooled, (section,))
            for period, use in (("before", row.before), ("during", row.during)):
                cells.append((f"{section} {row.heading} {period}",
                              vector(*[(section, c, period) for c in groups]), use.count,
                              (section, period), row.pooled))
    known = [(vec, cell.value) for _, vec, cell, _, _ in cells if not cell.suppressed]
    for c, file in enumerate(files):  # respondents = the tallies, where no one skipped
        if file.satisfaction_survey:
            for row in file.satisfaction_survey.statements:
                key = statement_key(row.statement)
                if file.satisfaction_survey.respondents != sum(
                        getattr(row, answer) for answer in (*ANSWERS, "does_not_apply")):
                    continue
                known.append(({("R", c): Fraction(1), **{("T", c, key, answer): Fraction(-1)
                                                         for answer in (*ANSWERS,
                                                                        "does_not_apply")}},
                              0))
    basis = _basis(known)
    leaks = [where for where, vec, cell, _, _ in cells
             if cell.suppressed and _worked_out(basis, vec, cell.value)]
    leaks += [f"{where}: {value}" for where, vec, value in remainders
              if 1 <= value <= 10 and _worked_out(basis, vec, value)]
    by_column: dict[tuple, list[tuple[Cell, bool]]] = {}
    for _, _, cell, column, pooled in cells:
        by_column.setdefault(column, []).append((cell, pooled))
    for column, members in by_column.items():  # the pooled count less the shown groups'
        for total in [cell for cell, pooled in members if pooled and not cell.suppressed]:
            left = total.value - sum(cell.value for cell, pooled in members
                                     if not pooled and not cell.suppressed)
            if 1 <= left <= 10:
                leaks.append(f"{column}: hidden counts add up to {left}")
    for table in found.surveys:  # the respondents less the shown answers of a statement
        for row in table.rows if not table.respondents.suppressed else []:
            left = table.respondents.value - sum(tally.value for tally in row.tallies
                                                 if not tally.suppressed)
            if 1 <= left <= 10:
                leaks.append(f"{table.heading} {row.statement}: {left} hidden or skipped")
    return leaks


def _reduce(basis: list[tuple[tuple, dict, Fraction]], vec: dict,
            value: Fraction = Fraction(0)) -> tuple[dict, Fraction]:
    """``vec`` less what the basis holds of it, and the value worked out so far (with
    ``vec``'s own value on the other side)."""
    vec = {key: Fraction(number) for key, number in vec.items() if number}
    for pivot, row, known in basis:
        factor = vec.get(pivot)
        if factor:
            for key, number in row.items():
                vec[key] = vec.get(key, Fraction(0)) - factor * number
            vec = {key: number for key, number in vec.items() if number}
            value -= factor * known
    return vec, value


def _basis(vectors: list[tuple[dict, int]]) -> list[tuple[tuple, dict, Fraction]]:
    """Row-reduced known sums (each a vector and its value), each with its pivot."""
    basis: list[tuple[tuple, dict, Fraction]] = []
    for vec, value in vectors:
        left, rest = _reduce(basis, vec, Fraction(value))
        if left:
            pivot = min(left, key=repr)
            basis.append((pivot, {key: number / left[pivot] for key, number in left.items()},
                          rest / left[pivot]))
    return basis


def _worked_out(basis, vec: dict, value: int) -> bool:
    """Whether a reader gets exactly ``value`` for ``vec`` from the known sums."""
    left, rest = _reduce(basis, vec)
    return not left and -rest == value


@st.composite
def _groups(draw) -> list[Outcomes]:
    files = []
    for number in range(draw(st.integers(1, 3))):
        def share():
            interviewed = draw(st.integers(1, 24))
            return {"present": draw(st.integers(0, interviewed)), "interviewed": interviewed}
        statements = []
        respondents = draw(st.integers(1, 24))
        for text in draw(st.lists(st.sampled_from(["A", "B"]), unique=True, min_size=1)):
            left, tallies = respondents, {}
            for answer in (*ANSWERS, "does_not_apply"):
                tallies[answer] = draw(st.integers(0, left))
                left -= tallies[answer]
            statements.append({"statement": f"Statement {text}", **tallies})
        data = {"cohort": f"Group {number}", "period": {"start": "2027-01-01",
                                                        "end": "2027-12-31"},
                "outcome_interviews": [{"indicator": indicator, "initial": share(),
                                        "final": share()}
                                       for indicator in draw(st.lists(st.sampled_from([1, 20]),
                                                                      unique=True))]}
        if draw(st.booleans()):
            data["satisfaction_survey"] = {"respondents": respondents, "statements": statements}
        if draw(st.booleans()):
            data["hospital_stays"] = {"before": {"stays": draw(st.integers(0, 24)), "months": 24},
                                      "during": {"stays": draw(st.integers(0, 24)), "months": 11}}
        files.append(Outcomes.model_validate(data))
    return files


@settings(max_examples=150, deadline=None)
@given(_groups())
def test_nothing_hidden_can_be_worked_out(files):
    found = figures(files, public=True)
    _hidden_cells_are_right(found)
    assert _leaks(files, found) == []


# --- reading the files --------------------------------------------------------------------


def _write_example(folder: Path) -> Path:
    path = folder / "lakeside.yml"
    path.write_text(_readme_example(), encoding="utf-8")
    return path


INVALID = """\
invalid.yml:3: period.end: the period ends (2027-01-26) before it starts (2027-02-03)
invalid.yml:7: outcome_interviews[0].final.present: 9 people present but 8 interviewed; present counts people among those interviewed, so it cannot be more
invalid.yml:8: outcome_interviews[1].indicator: indicator 3 is not one the program reports; its results name 1, 2, 5, 6, 11, 14, 15, 17, 18, 19, 20, 21 (the 13th is to be confirmed with Mental Health America)
invalid.yml:9: outcome_interviews[1].initial.interviewed: should be a whole number, written without quotes, e.g. 5 (found 'eight')
invalid.yml:11: outcome_interviews[2].indicator: indicator 20 is already counted on line 5; write each indicator once
invalid.yml:17: satisfaction_survey.statements[0]: the answers add up to 18 (15 + 2 + 1 + 0), more than the 17 respondents; each survey checks at most one answer per statement
invalid.yml:22: satisfaction_survey.statements[0].names: 'names' could hold a person's details; an outcomes file holds counts for the whole group, never names, codes, dates of birth or notes about a member: remove it
invalid.yml:26: hospital_stays.member_code: 'member_code' could hold a person's details; an outcomes file holds counts for the whole group, never names, codes, dates of birth or notes about a member: remove it
invalid.yml:28: journal_themes[0]: holds a phone number ('555-123-4567'); an outcomes file describes the group in counts, never a person: remove it
9 problems found; no report was written.
"""


def test_bad_input_is_listed_at_its_lines_without_a_traceback(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    shutil.copy(OUTCOMES / "invalid.yml", project / "invalid.yml")
    result = cli(project, "report", "invalid.yml")
    assert result.exit_code == 1
    assert result.stderr == INVALID
    assert not (project / "reports").exists()


@pytest.mark.parametrize("text, message", [
    ("", "example.yml:1: file: the file is empty; an outcomes file is a mapping of fields"),
    ("- 1\n", "example.yml:1: file: an outcomes file must be a mapping of fields"),
    ("cohort: [a\n", "example.yml:1: syntax: the '[' on this line is never closed"),
    ("cohort: Group\nperiod: {start: 2027-01-01, end: 2027-13-01}\n",
     "example.yml:2: period.end: should be a real date"),
    ("cohort: Group\nperiod: {start: 2027-01-01, end: 2027-02-01}\ndob: 1970-01-01\n",
     "example.yml:3: dob: 'dob' could hold a person's details"),
    ("cohort: Group\nperiod: {start: 2027-01-01, end: 2027-02-01}\nmembers:\n  - Ann\n",
     "example.yml:3: members: 'members' could hold a person's details"),
    ("cohort: jo@example.org\nperiod: {start: 2027-01-01, end: 2027-02-01}\n",
     "example.yml:1: cohort: holds an e-mail address"),
    ("cohort: Group\nperid: {start: 2027-01-01, end: 2027-02-01}\n",
     "example.yml:2: perid: unknown field 'perid'; did you mean 'period'?"),
])
def test_each_mistake_has_its_message(tmp_path, text, message):
    path = tmp_path / "example.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        read([path], lambda shown: shown.name)
    assert message in str(raised.value), str(raised.value)


def test_the_same_group_twice_is_refused(tmp_path):
    copy = tmp_path / "again.yml"
    shutil.copy(OUTCOMES / "hillside.yml", copy)
    with pytest.raises(ContentError) as raised:
        read([OUTCOMES / "hillside.yml", copy], lambda path: path.name)
    assert str(raised.value) == ("again.yml:2: cohort: 'Hillside group, 2027' is also the cohort "
                                 "of hillside.yml; give each group one file, so that no one is "
                                 "counted twice")


def test_the_schema_describes_every_field_and_accepts_the_samples(tmp_path):
    write_schemas(tmp_path)
    schema = json.loads((tmp_path / "schemas" / "outcomes.schema.json").read_text())
    for definition in [schema, *schema["$defs"].values()]:
        for name, prop in definition.get("properties", {}).items():
            target = schema["$defs"].get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
            assert prop.get("description") or target.get("description"), name
    validator = Draft202012Validator(schema)
    for path in sorted(OUTCOMES.glob("*.yml")):
        problems: list[Problem] = []
        doc = parse(path, path.name, "outcomes", problems)
        errors = list(validator.iter_errors(doc.data))
        assert bool(errors) == (path.name == "invalid.yml"), (path.name, errors)


# --- the report ---------------------------------------------------------------------------


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, todo = [], [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return found


def test_the_readme_example_makes_both_files_tagged_with_chart_alternatives(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    (project / "lakeside.yml").write_text(_readme_example(), encoding="utf-8")
    result = cli(project, "report", "lakeside.yml")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote reports/outcomes.html\nwrote reports/outcomes.pdf\n"
    html = (project / "reports" / "outcomes.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)">',
                      html)
    assert len(alts) == 3 and all(re.fullmatch(r"[^.]+\. \S.+\.", alt) for alt in alts)
    assert "Hospital stays went from 7.5 a year before the program to 0.6 a year during it " \
           "(92% fewer)." in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from a network
    assert INTERNAL in html and "Sample Agency" in html
    with pikepdf.open(project / "reports" / "outcomes.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "en"
        assert 'pdfuaid:part="1"' in str(pdf.Root.Metadata.read_bytes()) or \
            "<pdfuaid:part>1</pdfuaid:part>" in pdf.Root.Metadata.read_bytes().decode()
        figures_ = [node for node in _structure(pdf) if node.S == "/Figure"]
        assert sorted(str(node.Alt) for node in figures_) == sorted(
            alt.replace("&#39;", "'").replace("&amp;", "&") for alt in alts)
        tables = [node for node in _structure(pdf) if node.S == "/Table"]
        assert len(tables) == 3
    text = PdfReader(project / "reports" / "outcomes.pdf").pages[0].extract_text()
    assert INTERNAL in text and "Program outcomes report" in text


def test_public_pooled_report_marks_and_hides(tmp_path):
    project = Project(sample(tmp_path, "valid-minimal"))
    out = tmp_path / "public"
    written = write_report(project, [OUTCOMES / f"{name}.yml" for name in POOLED_FILES], out,
                           public=True)
    assert written == [out / "outcomes.html", out / "outcomes.pdf"]
    html = written[0].read_text(encoding="utf-8")
    assert PUBLIC in html and INTERNAL not in html
    assert "fewer than 11*" in html and "Shown here only because the groups are pooled" in html
    cells = re.findall(r'<td class="num( hidden)?">([^<]*)</td>', html)
    for hidden, text in cells:  # no shown cell holds a count from 1 to 10 (months aside)
        if not hidden and re.fullmatch(r"\d+", text):
            assert not 1 <= int(text) <= 10, text
    # only the outcomes chart has figures to draw: every statement and the pooled stays
    # during the program have a hidden count
    assert html.count("No chart: every figure it would draw is hidden") == 2
    with pikepdf.open(written[1]) as pdf:
        alts = [str(node.Alt) for node in _structure(pdf) if node.S == "/Figure"]
    assert alts == ["Personal outcomes, All groups pooled: share of people with each outcome "
                    "present, first and closing interview. The outcome “People are connected "
                    "to natural support networks” was present for 33% of the people "
                    "interviewed at the first interview and 67% at closing (2 more are hidden: "
                    "small numbers)."]


def test_usage_errors(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    assert cli(project, "report").exit_code == 2
    assert cli(project, "report", "missing.yml").exit_code == 2


def test_the_agency_settings_come_from_the_overlay_and_the_paper_from_them(tmp_path):
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text(encoding="utf-8") + "paper_size: A4\n", encoding="utf-8")
    overlay = tmp_path / "overlay"
    (overlay / "content").mkdir(parents=True)
    (overlay / "content" / "agency.yml").write_text(
        agency.read_text(encoding="utf-8").replace("Sample Agency", "Lakeside Peer Services"),
        encoding="utf-8")
    found = figures(_read("hillside"))
    html, charts = render(Project(project, overlay), load_catalog(Project(project, overlay)),
                          found)
    assert "Lakeside Peer Services" in html and "Sample Agency" not in html
    assert "size: A4;" in html and len(charts) == 3
