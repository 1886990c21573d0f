"""Program outcomes from aggregate counts: read the count files, work out the figures, and
hide small numbers for a public report.

An outcomes file holds counts for one group, never people. Files are read like content
(``path:line`` problems, all at once), and several files pool into one set of figures.
Percentages are worked out from exact fractions and rounded half up to whole numbers, as
the program's own reports are (5 of 8 is 63%).
"""

from __future__ import annotations

import copy
import itertools
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from generator.core.errors import ContentError, Loc, Problem, field_name
from generator.core.load import refuse_deceptive, validate
from generator.core.parse import Document, parse
from generator.core.models import POM_INDICATORS, Outcomes

SMALL = 10
"""Counts from 1 to this are hidden in a public report (the CMS cell-size rule: fewer
than 11)."""
ANSWERS = ("definitely_agree", "somewhat_agree", "somewhat_disagree", "definitely_disagree")
"""The survey's four answers, from the top one down; "Does not apply" comes after them."""
PERSONAL_KEYS = {"name", "names", "first_name", "last_name", "full_name", "member",
                 "members", "member_code", "member_codes", "member_id", "participant",
                 "participants", "person", "people", "id", "ids", "code", "codes", "dob",
                 "date_of_birth", "birth_date", "birthday", "age", "gender", "sex", "race",
                 "ethnicity", "address", "phone", "email", "diagnosis", "notes", "note",
                 "comment", "comments", "quote", "quotes", "story", "initials"}
"""Keys that would hold something about a person; an outcomes file holds counts only."""


# --- reading the files -------------------------------------------------------------------


def read(paths: list[Path], shown: Callable[[Path], str]) -> list[Outcomes]:
    """The outcomes files, validated; raises ContentError listing every problem in them."""
    problems: list[Problem] = []
    found: list[Outcomes] = []
    seen: dict[str, str] = {}
    for path in paths:
        read_problems: list[Problem] = []
        doc = parse(path, shown(path), "outcomes", read_problems)
        problems += [Problem(p.path, p.line, p.field, p.message.replace(
            "a outcomes file", "an outcomes file"), p.excerpt) for p in read_problems]
        if doc is None:
            continue
        doc = _without_personal_keys(doc, problems)
        refuse_deceptive(doc, problems)
        _check_counts(doc, problems)
        item = validate(doc, problems)
        if item is None:
            continue
        model: Outcomes = item.model  # type: ignore[assignment]
        name = f"{model.cohort} ({model.agency})" if model.agency else model.cohort
        if name.casefold() in seen:
            problems.append(Problem(doc.path, doc.line(("cohort",)), "cohort",
                                    f"'{name}' is also the cohort of {seen[name.casefold()]}; "
                                    "give each group one file, so that no one is counted "
                                    "twice"))
        seen.setdefault(name.casefold(), doc.path)
        found.append(model)
    if problems:
        raise ContentError(problems)
    return found


def _without_personal_keys(doc: Document, problems: list[Problem]) -> Document:
    """The document without any key that could hold a person's details, each reported."""
    data = copy.deepcopy(doc.data)

    def prune(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for key in list(value):
                if str(key).casefold().replace("-", "_") in PERSONAL_KEYS:
                    problems.append(Problem(
                        doc.path, doc.line((*loc, key)), field_name((*loc, key)),
                        f"'{key}' could hold a person's details; an outcomes file holds "
                        "counts for the whole group, never names, codes, dates of birth or "
                        "notes about a member: remove it"))
                    del value[key]
                else:
                    prune(value[key], (*loc, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                prune(item, (*loc, index))

    prune(data, ())
    return Document(doc.path, doc.kind, data, doc.lines)


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_counts(doc: Document, problems: list[Problem]) -> None:
    """Counts that cannot be, at their lines; wrong types are left to the model."""

    def report(loc: Loc, message: str) -> None:
        problems.append(Problem(doc.path, doc.line(loc), field_name(loc), message))

    data = doc.data
    interviews = data.get("outcome_interviews")
    first_line: dict[int, int] = {}
    for index, row in enumerate(interviews if isinstance(interviews, list) else []):
        if not isinstance(row, dict):
            continue
        number = _number(row.get("indicator"))
        if number is not None and number in first_line:
            report(("outcome_interviews", index, "indicator"),
                   f"indicator {number} is already counted on line {first_line[number]}; "
                   "write each indicator once")
        elif number is not None:
            first_line[number] = doc.line(("outcome_interviews", index, "indicator"))
        for round_ in ("initial", "final"):
            counts = row.get(round_)
            if not isinstance(counts, dict):
                continue
            present, interviewed = (_number(counts.get(key))
                                    for key in ("present", "interviewed"))
            if present is not None and interviewed is not None and present > interviewed:
                report(("outcome_interviews", index, round_, "present"),
                       f"{present} people present but {interviewed} interviewed; present "
                       "counts people among those interviewed, so it cannot be more")
    survey = data.get("satisfaction_survey")
    survey = survey if isinstance(survey, dict) else {}
    respondents = _number(survey.get("respondents"))
    statements = survey.get("statements")
    first_seen: dict[str, int] = {}
    for index, row in enumerate(statements if isinstance(statements, list) else []):
        if not isinstance(row, dict):
            continue
        key = statement_key(row.get("statement"))
        if key and key in first_seen:
            report(("satisfaction_survey", "statements", index, "statement"),
                   f"this statement is already tallied on line {first_seen[key]}; "
                   "write each statement once")
        elif key:
            first_seen[key] = doc.line(("satisfaction_survey", "statements", index))
        tallies = [_number(row.get(answer)) for answer in (*ANSWERS, "does_not_apply")]
        total = sum(tally for tally in tallies if tally is not None)
        if respondents is not None and total > respondents:
            added = " + ".join(str(tally) for tally in tallies if tally is not None)
            report(("satisfaction_survey", "statements", index),
                   f"the answers add up to {total} ({added}), more than the {respondents} "
                   "respondents; each survey checks at most one answer per statement")
    period = data.get("period")
    if isinstance(period, dict):
        start, end = (_date(period.get(key)) for key in ("start", "end"))
        if start and end and end < start:
            report(("period", "end"), f"the period ends ({end}) before it starts ({start})")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def statement_key(text: Any) -> str:
    """A survey statement as files are matched on: case, spaces and a final full stop
    aside."""
    return " ".join(str(text).split()).rstrip(".").casefold() if isinstance(text, str) else ""


# --- the figures ---------------------------------------------------------------------------


def half_up(value: Fraction, places: int = 0) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (as Decimal's
    ROUND_HALF_UP and spreadsheets' ROUND do): 62.5 is 63, -37.5 is -38."""
    scaled = abs(value) * 10 ** places
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(whole if value >= 0 else -whole).scaleb(-places)


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` as a whole-number percentage: 5 of 8 is 63."""
    return half_up(Fraction(100 * part, whole))


def points(before: tuple[int, int], after: tuple[int, int]) -> Decimal:
    """The change in percentage points between two shares, worked out from the unrounded
    shares: 2 of 8 (25%) to 5 of 8 (62.5%) is 38 points."""
    return half_up(Fraction(100 * after[0], after[1]) - Fraction(100 * before[0], before[1]))


def per_year(count: int, months: int) -> Decimal:
    """A count over ``months`` as a rate per 12 months, to one decimal: 15 in 24 is 7.5."""
    return half_up(Fraction(12 * count, months), 1)


def rate_change(before: tuple[int, int], during: tuple[int, int]) -> Decimal | None:
    """The change in percent from the rate before to the rate during, from the unrounded
    rates (15 in 24 months to 1 in 19 is -92); none when there was nothing before."""
    if before[0] == 0:
        return None
    old, new = Fraction(before[0], before[1]), Fraction(during[0], during[1])
    return half_up((new - old) / old * 100)


Kind = Literal["count", "percent", "points", "rate", "change"]


@dataclass(frozen=True)
class Cell:
    """One figure of the report and whether a public report hides it."""

    value: int | Decimal | None
    """The figure; none where there is nothing to work out (a change from no stays)."""
    kind: Kind = "count"
    """What it is: a count, a percentage, a change in points, a rate per 12 months or a
    change in percent."""
    suppressed: bool = False
    """Whether it is hidden: a count from 1 to 10, or a figure one could be worked out from."""

    @property
    def text(self) -> str:
        if self.suppressed:
            return "fewer than 11*" if self.kind == "count" else "hidden"
        value = self.value
        if value is None:
            return "none before" if self.kind == "change" else "–"
        if self.kind == "percent":
            return f"{value}%"
        if self.kind == "points":
            return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")
        if self.kind == "change":
            return (f"{-value}% fewer" if value < 0 else f"{value}% more" if value > 0
                    else "no change")
        return str(value)


def derived(value: int | Decimal | None, kind: Kind, *inputs: Cell) -> Cell:
    """A figure worked out from counts: hidden when any count it comes from is hidden."""
    return Cell(value, kind, any(cell.suppressed for cell in inputs))


# --- hiding small numbers ------------------------------------------------------------------


Key = tuple[Any, ...]
"""Names one count of the report, e.g. ("pom", 20, "final", 0, "present")."""
POOLED = "pooled"
"""The row of a block that adds up the cohorts' rows."""


@dataclass
class Block:
    """Counts that add up: one row per cohort, and a pooled row (if any) that sums them.

    With a ``total`` column, the other columns are parts of it, and what they leave over is a
    remainder that is never shown (people without the outcome; people who skipped the
    statement) but can be worked out when the total and every part are shown.
    """

    rows: dict[Any, dict[str, Key]]
    """Each row's counts by column; the row ``POOLED`` sums the others."""
    total: str | None = None
    """The column that counts everyone in the row, if any."""
    remainder: Literal["counted", "skipped"] = "counted"
    """What the remainder is: "counted" (people without the outcome, as likely as with it)
    or "skipped" (people who skipped a statement, usually none: a reader may take it as 0,
    so a total is shown only when no part or at least two parts are hidden)."""


def suppress(values: dict[Key, int], blocks: list[Block]) -> set[Key]:
    """The counts a public report hides: every count from 1 to 10, and then, until none is
    left, a further count wherever addition or subtraction would reveal a hidden one or
    leave a remainder from 1 to 10 (complementary suppression)."""
    small = {key for key, value in values.items() if 1 <= value <= SMALL}
    hidden = set(small)

    def next_to_hide() -> Key | None:
        simple = next((key for block in blocks for key in _to_hide(block, values, hidden)),
                      None)
        return simple if simple is not None else _worked_out(values, blocks, hidden)

    while (more := next_to_hide()) is not None:
        hidden.add(more)
    # A count hidden early to protect another may no longer be needed once later ones were
    # hidden: show it again wherever the rules still hold without it, largest first.
    for key in sorted(hidden - small, key=lambda key: -values[key]):
        hidden.discard(key)
        if next_to_hide() is not None:
            hidden.add(key)
    return hidden


def _worked_out(values: dict[Key, int], blocks: list[Block], hidden: set[Key]) -> Key | None:
    """A shown count to hide because a reader could work out a hidden count, or a remainder
    from 1 to 10, exactly from the shown ones by any chain of additions and subtractions;
    None when no one can.

    Every block gives equations (a row's total is its parts and its remainder; a pooled
    count is the sum of the groups'), taking it, where true, that no one skipped a
    statement. A hidden count is worked out when the equations, with the shown counts put
    in, pin it down on their own (Gaussian elimination over exact fractions).
    """
    equations: list[dict[Key, int]] = []
    remainders: dict[Key, int] = {}
    for number, block in enumerate(blocks):
        for row, cells in block.rows.items():
            if block.total is None:
                continue
            parts = [key for column, key in cells.items() if column != block.total]
            left = values[cells[block.total]] - sum(values[key] for key in parts)
            equation = {cells[block.total]: 1, **{key: -1 for key in parts}}
            if block.remainder == "counted":
                remainders[("remainder", number, row)] = left
                equation[("remainder", number, row)] = -1
            elif left:  # some skipped: no reader can tell how many
                continue
            equations.append(equation)
        pooled = block.rows.get(POOLED)
        for column, key in (pooled or {}).items():
            equations.append({key: 1, **{cells[column]: -1 for row, cells in block.rows.items()
                                         if row != POOLED}})
    unknown = hidden | set(remainders)
    reduced = _reduced([{key: Fraction(factor) for key, factor in equation.items()
                         if key in unknown} for equation in equations])
    for row in reduced:
        if len(row) != 1:
            continue
        (key,) = row
        value = remainders[key] if key in remainders else values[key]
        if not value or key in remainders and value > SMALL:
            continue  # a 0 may be shown, and so may a large remainder
        # hide the smallest shown count of an equation the worked-out one is reached by
        reached, todo, shown = {key}, [key], []
        while todo and not shown:
            current = todo.pop()
            for equation in equations:
                if current in equation:
                    shown += [other for other in equation if other not in unknown]
                    todo += [other for other in equation
                             if other in unknown and other not in reached]
                    reached.update(equation)
        nonzero = [other for other in shown if values[other] > 0]
        if shown:
            return min(nonzero or shown, key=lambda other: values[other])
    return None


def _reduced(rows: list[dict[Key, Fraction]]) -> list[dict[Key, Fraction]]:
    """The rows in reduced row echelon form (each pivot in no other row), zero rows left out."""
    basis: list[tuple[Key, dict[Key, Fraction]]] = []
    for row in rows:
        row = dict(row)
        for pivot, other in basis:
            factor = row.get(pivot)
            if factor:
                for key, value in other.items():
                    row[key] = row.get(key, Fraction(0)) - factor * value
                row = {key: value for key, value in row.items() if value}
        if not row:
            continue
        pivot = min(row, key=repr)
        row = {key: value / row[pivot] for key, value in row.items()}
        for index, (other_pivot, other) in enumerate(basis):
            factor = other.get(pivot)
            if factor:
                merged = {key: other.get(key, Fraction(0)) - factor * row.get(key, Fraction(0))
                          for key in {*other, *row}}
                basis[index] = (other_pivot, {key: value for key, value in merged.items()
                                              if value})
        basis.append((pivot, row))
    return [row for _, row in basis]


def _to_hide(block: Block, values: dict[Key, int], hidden: set[Key]) -> Iterator[Key]:
    """Counts to hide next so that nothing hidden can be worked out in this block."""

    def smallest(keys: list[Key]) -> Key | None:
        shown = [key for key in keys if key not in hidden]
        nonzero = [key for key in shown if values[key] > 0]
        return min(nonzero or shown, key=lambda key: values[key], default=None)

    def remainder(cells: dict[str, Key]) -> int | None:  # known when every count is shown
        if any(key in hidden for key in cells.values()):
            return None
        return values[cells[block.total]] - sum(values[key] for column, key in cells.items()
                                                if column != block.total)

    if block.total is not None:
        for cells in block.rows.values():
            total = cells[block.total]
            parts = [key for column, key in cells.items() if column != block.total]
            if total in hidden:
                # a reader who takes it that no one skipped adds the parts up to the total
                if (block.remainder == "skipped" and not any(key in hidden for key in parts)
                        and sum(values[key] for key in parts) == values[total]):
                    yield smallest(parts) or total
                continue
            left = values[total] - sum(values[key] for key in parts if key not in hidden)
            lone = block.remainder == "skipped" and sum(key in hidden for key in parts) == 1
            if 1 <= left <= SMALL or lone:
                part = smallest(parts) if block.remainder == "counted" else None
                yield part if part is not None else total
    pooled = block.rows.get(POOLED)
    if pooled is None:
        return
    cohorts = [cells for row, cells in block.rows.items() if row != POOLED]
    for column, total_key in pooled.items():  # the pooled count is the sum of the groups'
        keys = [cells[column] for cells in cohorts]
        unknown = [key for key in [*keys, total_key] if key in hidden]
        left = values[total_key] - sum(values[key] for key in keys if key not in hidden)
        if unknown and (len(unknown) == 1 or total_key not in hidden and 1 <= left <= SMALL):
            yield smallest(keys) or total_key
    if block.total is None or block.remainder != "counted":
        return
    whole = remainder(pooled)  # the remainders add up too: people without the outcome
    known = [(remainder(cells), cells) for cells in cohorts]
    unknown_count = sum(value is None for value, _ in known) + (whole is None)
    if not unknown_count:
        return
    left = None if whole is None else whole - sum(value for value, _ in known
                                                  if value is not None)
    if unknown_count == 1 or left is not None and 1 <= left <= SMALL:
        rows = sorted((pair for pair in known if pair[0] is not None),
                      key=lambda pair: (pair[0] == 0, pair[0]))
        if not rows:
            yield pooled[block.total]
            return
        cells = rows[0][1]
        yield smallest([key for column, key in cells.items() if column != block.total]) \
            or cells[block.total]


# --- the report's tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One cohort, as the report names it."""

    name: str
    """The cohort, with its agency when the file names one."""
    start: dt.date
    """The first day of the period the counts cover."""
    end: dt.date
    """The last day of that period."""


@dataclass(frozen=True)
class Share:
    """People with an outcome present, of those interviewed, at one round."""

    present: Cell
    """How many had the outcome present."""
    interviewed: Cell
    """How many were interviewed."""
    percent: Cell
    """The share present, a whole percentage rounded half up."""


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator: the first and the closing interview, and the change in points."""

    number: int
    statement: str
    initial: Share
    final: Share
    change: Cell


@dataclass(frozen=True)
class StatementRow:
    """One survey statement: how many checked each answer, and the share in the top one."""

    statement: str
    tallies: tuple[Cell, ...]
    """The four answers from "Definitely agree" down, then "Does not apply"."""
    top: Cell
    """The share that checked "Definitely agree", of those who checked one of the four."""


@dataclass(frozen=True)
class PeriodUse:
    """Hospital stays (or emergency visits) in one period, and their rate per 12 months."""

    count: Cell
    months: int
    rate: Cell


@dataclass(frozen=True)
class UseRow:
    """Stays or visits before and during the program, for one group or pooled."""

    heading: str
    pooled: bool
    before: PeriodUse
    during: PeriodUse
    change: Cell


@dataclass(frozen=True)
class Table:
    """One group's figures of a section, or the pooled ones."""

    heading: str
    pooled: bool
    rows: list[Any]
    respondents: Cell | None = None
    """For the survey: how many surveys came back."""
    round: str | None = None
    """For the survey: which round the tallies come from."""


@dataclass(frozen=True)
class Figures:
    """Everything the report shows, with small numbers hidden for a public report."""

    groups: list[Group]
    public: bool
    outcomes: list[Table] = field(default_factory=list)
    """Personal outcomes: the pooled table first (with several groups), then each group's."""
    surveys: list[Table] = field(default_factory=list)
    stays: list[UseRow] = field(default_factory=list)
    """Hospital stays: each group's row, then the pooled one."""
    visits: list[UseRow] = field(default_factory=list)
    """Emergency visits, the same way."""
    themes: list[tuple[str, list[str]]] = field(default_factory=list)
    """Each group's journal themes, as the coach wrote them (none in a public report)."""
    themes_left_out: bool = False
    """Whether a public report left out journal themes the files hold: they are a person's
    own words, which no public report prints unreviewed."""
    statements_unquoted: bool = False
    """Whether a public report numbered survey statements that no form of the project
    prints, rather than quoting them."""
    not_pooled: list[str] = field(default_factory=list)
    """Indicators and statements only one group reported, so not pooled."""
    unlocked: list[str] = field(default_factory=list)
    """Figures hidden for some group but shown once the groups are pooled."""
    still_hidden: list[str] = field(default_factory=list)
    """Figures hidden even in the pooled table (or in the only group's)."""

    @property
    def chart_outcomes(self) -> Table | None:
        """The table the outcomes chart shows: the pooled one, or the only group's."""
        return self.outcomes[0] if self.outcomes else None

    @property
    def chart_survey(self) -> Table | None:
        return self.surveys[0] if self.surveys else None

    @property
    def has_does_not_apply(self) -> bool:
        return any(row.tallies[4].value for table in self.surveys for row in table.rows)


def figures(files: list[Outcomes], public: bool = False,
            survey_form: frozenset[str] = frozenset()) -> Figures:
    """The report's figures from the groups' counts; pooled when there are several groups.

    ``survey_form`` holds the statements the project's forms print (as ``statement_key``
    makes them): a public report quotes only those, and numbers the others.
    """
    groups = [Group(_group_name(file, index, public), file.period.start, file.period.end)
              for index, file in enumerate(files)]
    counts = _Counts(len(files) > 1)
    pom = _pom_blocks(files, counts)
    survey = _survey_blocks(files, counts)
    if public:
        survey["statements"] = _unquoted(survey["statements"], survey_form)
    use = {section: _use_blocks(files, counts, section) for section in ("stays", "visits")}
    hidden = suppress(counts.values, counts.blocks) if public else set()

    def cell(key: Key) -> Cell:
        return Cell(counts.values[key], "count", key in hidden)

    found = Figures(groups, public, themes_left_out=public and any(
        file.journal_themes for file in files), statements_unquoted=public and any(
        key not in survey_form for key in survey["statements"]))
    rows_of = [POOLED] if counts.several else []
    for row in [*rows_of, *range(len(files))]:
        heading = "All groups pooled" if row == POOLED else groups[row].name
        outcome_rows = [_indicator_row(number, row, cell) for number, rows in pom.items()
                        if row in rows]
        if outcome_rows:
            found.outcomes.append(Table(heading, row == POOLED, outcome_rows))
        if row in survey["respondents"]:
            statements = [_statement_row(text, key, row, cell)
                          for key, (text, rows) in survey["statements"].items() if row in rows]
            round_ = files[row].satisfaction_survey.round if row != POOLED else _rounds(files)
            found.surveys.append(Table(heading, row == POOLED, statements,
                                       cell(("survey", "respondents", row)), round_))
    for section, rows in use.items():
        target = found.stays if section == "stays" else found.visits
        for row in rows:
            heading = "All groups pooled" if row == POOLED else groups[row].name
            target.append(_use_row(section, row, heading, counts.months, cell))
    if not public:
        found.themes.extend((groups[index].name, file.journal_themes)
                            for index, file in enumerate(files) if file.journal_themes)
    if counts.several:
        found.not_pooled.extend(f"{number} {POM_INDICATORS[number]}"
                                for number, rows in pom.items() if POOLED not in rows)
        found.not_pooled.extend(text for text, rows in survey["statements"].values()
                                if POOLED not in rows)
    _what_pooling_unlocks(found)
    return found


def _unquoted(statements: dict[str, tuple[str, list[Any]]],
              survey_form: frozenset[str]) -> dict[str, tuple[str, list[Any]]]:
    """The survey's statements with those the project's forms do not print numbered, not
    quoted: their words were typed for this report, and nobody reviewed them."""
    numbered = (f"Statement {number} (not on the survey form)" for number in itertools.count(1))
    return {key: (text if key in survey_form else next(numbered), rows)
            for key, (text, rows) in statements.items()}


def _group_name(file: Outcomes, index: int, public: bool) -> str:
    """A group as the report names it: its cohort (and agency) as the file writes them, or,
    in a public report, "Group 1", "Group 2" ... in the order of the files, because those
    are words a person typed and could hold a member's name."""
    if public:
        return f"Group {index + 1}"
    return f"{file.cohort} ({file.agency})" if file.agency else file.cohort


class _Counts:
    """The counts of the report under their keys, and the blocks they add up in."""

    def __init__(self, several: bool) -> None:
        self.several = several
        self.values: dict[Key, int] = {}
        self.months: dict[Key, int] = {}
        self.blocks: list[Block] = []

    def block(self, rows: dict[Any, dict[str, Key]], pool: bool, prefix: Key,
              **options: Any) -> list[Any]:
        """Add a block of cohort rows, with a pooled row summing them when ``pool``."""
        if pool:
            rows[POOLED] = {}
            for column in next(iter(rows.values())):
                # the survey's respondents are one count, whichever statement names them
                key = (("survey", "respondents", POOLED) if column == "respondents"
                       else (*prefix, POOLED, column))
                self.values[key] = sum(self.values[cells[column]]
                                       for row, cells in rows.items() if row != POOLED)
                rows[POOLED][column] = key
        self.blocks.append(Block(rows, **options))
        return list(rows)


def _pom_blocks(files: list[Outcomes], counts: _Counts) -> dict[int, list[Any]]:
    """The rows (groups, and pooled) that report each indicator."""
    found: dict[int, list[Any]] = {}
    for number in sorted({row.indicator for file in files for row in file.outcome_interviews}):
        having = [(index, row) for index, file in enumerate(files)
                  for row in file.outcome_interviews if row.indicator == number]
        for round_ in ("initial", "final"):
            rows: dict[Any, dict[str, Key]] = {}
            for index, row in having:
                share = getattr(row, round_)
                for column in ("interviewed", "present"):
                    counts.values[("pom", number, round_, index, column)] = getattr(share,
                                                                                    column)
                rows[index] = {column: ("pom", number, round_, index, column)
                               for column in ("interviewed", "present")}
            found[number] = counts.block(rows, counts.several and len(having) > 1,
                                         ("pom", number, round_), total="interviewed")
    return found


def _survey_blocks(files: list[Outcomes], counts: _Counts) -> dict[str, Any]:
    """The rows that report the survey, and each statement's text and rows."""
    surveyed = [(index, file.satisfaction_survey) for index, file in enumerate(files)
                if file.satisfaction_survey]
    pool = counts.several and len(surveyed) > 1
    respondents: dict[Any, dict[str, Key]] = {}
    for index, survey in surveyed:
        counts.values[("survey", "respondents", index)] = survey.respondents
        respondents[index] = {"respondents": ("survey", "respondents", index)}
    rows_with_survey = counts.block(respondents, pool, ("survey",)) if surveyed else []
    statements: dict[str, tuple[str, list[Any]]] = {}
    order = [statement_key(row.statement) for _, survey in surveyed for row in survey.statements]
    for key in dict.fromkeys(order):
        rows: dict[Any, dict[str, Key]] = {}
        text = ""
        for index, survey in surveyed:
            for row in survey.statements:
                if statement_key(row.statement) != key:
                    continue
                text = text or row.statement.rstrip(".")
                rows[index] = {"respondents": ("survey", "respondents", index)}
                for answer in (*ANSWERS, "does_not_apply"):
                    counts.values[("survey", key, index, answer)] = getattr(row, answer)
                    rows[index][answer] = ("survey", key, index, answer)
        # pooled only when every group asked it, against the pooled respondents
        in_all = pool and len(rows) == len(surveyed)
        statements[key] = (text, counts.block(rows, in_all, ("survey", key),
                                              total="respondents", remainder="skipped"))
    return {"respondents": rows_with_survey, "statements": statements}


def _use_blocks(files: list[Outcomes], counts: _Counts, section: str) -> list[Any]:
    """Hospital stays or emergency visits: the rows (groups, and pooled) that report them."""
    attribute, unit = (("hospital_stays", "stays") if section == "stays"
                       else ("emergency_visits", "visits"))
    having = [(index, getattr(file, attribute)) for index, file in enumerate(files)
              if getattr(file, attribute) is not None]
    if not having:
        return []
    rows: dict[Any, dict[str, Key]] = {}
    for index, use in having:
        rows[index] = {}
        for period in ("before", "during"):
            counts.values[(section, index, period)] = getattr(getattr(use, period), unit)
            counts.months[(section, index, period)] = getattr(use, period).months
            rows[index][period] = (section, index, period)
    pool = counts.several and len(having) > 1
    if pool:
        for period in ("before", "during"):
            counts.months[(section, POOLED, period)] = sum(
                counts.months[(section, index, period)] for index, _ in having)
    return counts.block(rows, pool, (section,))


def _rounds(files: list[Outcomes]) -> str | None:
    found = {file.satisfaction_survey.round for file in files if file.satisfaction_survey}
    return found.pop() if len(found) == 1 else "rounds differ between groups"


def _indicator_row(number: int, row: Any, cell: Callable[[Key], Cell]) -> IndicatorRow:
    shares = {}
    for round_ in ("initial", "final"):
        present, interviewed = (cell(("pom", number, round_, row, column))
                                for column in ("present", "interviewed"))
        shares[round_] = Share(present, interviewed,
                               derived(percent(present.value, interviewed.value), "percent",
                                       present, interviewed))
    initial, final = shares["initial"], shares["final"]
    change = points((initial.present.value, initial.interviewed.value),
                    (final.present.value, final.interviewed.value))
    return IndicatorRow(number, POM_INDICATORS[number], initial, final,
                        derived(change, "points", initial.percent, final.percent))


def _statement_row(text: str, key: str, row: Any, cell: Callable[[Key], Cell]) -> StatementRow:
    tallies = tuple(cell(("survey", key, row, answer)) for answer in (*ANSWERS, "does_not_apply"))
    answered = sum(tally.value for tally in tallies[:4])
    top = percent(tallies[0].value, answered) if answered else None
    return StatementRow(text, tallies, derived(top, "percent", *tallies[:4]))


def _use_row(section: str, row: Any, heading: str, months: dict[Key, int],
             cell: Callable[[Key], Cell]) -> UseRow:
    periods = {}
    for period in ("before", "during"):
        count = cell((section, row, period))
        length = months[(section, row, period)]
        periods[period] = PeriodUse(count, length,
                                    derived(per_year(count.value, length), "rate", count))
    before, during = periods["before"], periods["during"]
    change = rate_change((before.count.value, before.months),
                         (during.count.value, during.months))
    return UseRow(heading, row == POOLED, before, during, derived(change, "change", before.count,
                                                   during.count))


def _what_pooling_unlocks(found: Figures) -> None:
    """Which figures are hidden for a group but shown pooled, and which stay hidden."""
    if not found.public:
        return

    def hidden(row: Any) -> bool:
        if isinstance(row, IndicatorRow):
            return any(cell.suppressed for cell in (row.initial.percent, row.final.percent,
                                                    row.change))
        if isinstance(row, StatementRow):
            return row.top.suppressed
        return any(cell.suppressed for cell in (row.before.rate, row.during.rate, row.change))

    def name(row: Any, section: str) -> str:
        if isinstance(row, IndicatorRow):
            return f"Personal outcomes: {row.number} {row.statement}"
        if isinstance(row, StatementRow):
            return f"Survey: {row.statement}"
        return section

    sections = [("outcomes", found.outcomes), ("survey", found.surveys)]
    for title, tables in sections:
        pooled = next((table for table in tables if table.pooled), None)
        groups = [table for table in tables if not table.pooled]
        for row in (pooled.rows if pooled else []):
            label = name(row, title)
            if hidden(row):
                found.still_hidden.append(label)
            elif any(hidden(other) for table in groups for other in table.rows
                     if name(other, title) == label):
                found.unlocked.append(label)
        pooled_names = {name(row, title) for row in (pooled.rows if pooled else [])}
        for table in groups:
            for row in table.rows:
                label = name(row, title)
                if label not in pooled_names and hidden(row) and label not in found.still_hidden:
                    found.still_hidden.append(label)
    for section, rows in (("Hospital stays", found.stays), ("Emergency visits", found.visits)):
        pooled_rows = [row for row in rows if row.pooled]
        if pooled_rows:
            if hidden(pooled_rows[0]):
                found.still_hidden.append(section)
            elif any(hidden(row) for row in rows):
                found.unlocked.append(section)
        elif any(hidden(row) for row in rows):
            found.still_hidden.append(section)
