"""Stage 1b: lay an agency's overlay over the upstream content.

An overlay file whose item id matches an upstream item replaces it; a new id adds an item;
``content/overlay.yml`` disables upstream items and changes the year plan. The overlay's
``agency.yml`` (and ``program.yml``, if it has one) replaces the upstream file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.core.errors import Problem

if TYPE_CHECKING:
    from generator.core.parse import Document
    from generator.core.models import OverlaySettings, Program

SINGLES = ("program", "agency")
"""Kinds of which there is one file; the overlay's replaces the upstream one."""


@dataclass(frozen=True)
class Change:
    """One thing the overlay does to the upstream content."""

    action: str
    """"replaces", "adds" or "disables"."""
    kind: str
    """The kind of item: lesson, form, session, chapter, program or agency."""
    ident: str
    """The item's id (the kind, for the agency and program files)."""
    path: str
    """The overlay file that does it (overlay.yml for a disabled item)."""
    upstream: str | None
    """The upstream file affected, if any."""


def ident(doc: Document) -> str | None:
    """The id a file declares, or None."""
    value = doc.data.get("id")
    return value if isinstance(value, str) else None


def stack(upstream: list[Document], over: list[Document], settings: Document | None,
          problems: list[Problem]) -> tuple[list[Document], list[Change]]:
    """The documents to build, upstream with the overlay laid over; and what changed."""
    disabled = _disabled(settings)
    by_key = {(doc.kind, ident(doc) or doc.kind): doc for doc in upstream}
    overridden = {(doc.kind, ident(doc) or doc.kind) for doc in over
                  if doc.kind in SINGLES or ident(doc)}
    kept: list[Document] = []
    changes: list[Change] = []
    for doc in upstream:
        key = (doc.kind, ident(doc) or doc.kind)
        if key in overridden:
            continue
        if doc.kind not in SINGLES and ident(doc) in disabled:
            changes.append(Change("disables", doc.kind, key[1], settings.path, doc.path))
            continue
        kept.append(doc)
    for doc in over:
        key = (doc.kind, ident(doc) or doc.kind)
        if doc.kind != "overlay":
            replaced = by_key.get(key)
            changes.append(Change("replaces" if replaced else "adds", doc.kind, key[1],
                                  doc.path, replaced.path if replaced else None))
        kept.append(doc)
    upstream_ids = sorted({ident(doc) for doc in upstream if ident(doc)})
    for name, index in disabled.items():
        if name not in upstream_ids:
            close = difflib.get_close_matches(name, upstream_ids, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(settings.path, settings.line(("disable", index)),
                                    f"disable[{index}]",
                                    f"there is no upstream item with the id '{name}' to "
                                    f"disable{hint}"))
    return kept, changes


def _disabled(settings: Document | None) -> dict[str, int]:
    """The ids overlay.yml disables, with their place in the list (from the raw data)."""
    names = settings.data.get("disable") if settings else None
    if not isinstance(names, list):
        return {}
    return {name: index for index, name in enumerate(names) if isinstance(name, str)}


def _swaps(settings: Document | None) -> dict[str, Any]:
    """The lesson swaps overlay.yml asks for (from the raw data)."""
    swaps = settings.data.get("replace_in_plan") if settings else None
    return swaps if isinstance(swaps, dict) else {}


def _own_plans(settings: Document | None) -> set[str]:
    """The cadences for which overlay.yml writes a whole year plan."""
    plans = settings.data.get("year_plans") if settings else None
    if not isinstance(plans, dict):
        return set()
    return {cadence for cadence, plan in plans.items() if isinstance(plan, list)}


def plan_skips(settings: Document | None) -> tuple[set[str], set[str]]:
    """What the upstream plan check leaves to ``check_plan``: the cadences the overlay
    replaces, and the upstream lessons it swaps or disables."""
    lessons = {name for name in [*_swaps(settings), *_disabled(settings)]
               if isinstance(name, str)}
    return _own_plans(settings), lessons


def check_plan(settings: Document, program: Document | None, declared: dict[str, set[str]],
               problems: list[Problem]) -> None:
    """The overlay's plan changes name lessons that exist, and no disabled lesson stays in
    the year plan. Works on raw data, like the upstream plan check."""
    swaps = _swaps(settings)
    lessons = declared.get("lesson", set())
    upstream_plans = _raw_plans(program)
    planned = {entry.get("lesson") for plan in upstream_plans.values() for entry in plan}
    for old, new in swaps.items():
        loc = ("replace_in_plan", old)
        if old not in planned:
            problems.append(Problem(settings.path, settings.line(loc), f"replace_in_plan.{old}",
                                    f"the upstream year plan has no session with the lesson "
                                    f"'{old}'"))
        if isinstance(new, str) and new not in lessons:
            problems.append(Problem(settings.path, settings.line(loc), f"replace_in_plan.{old}",
                                    f"there is no lesson with the id '{new}'"))
    own = _own_plans(settings)
    for name, index in _disabled(settings).items():
        used = []
        for cadence, plan in upstream_plans.items():
            if cadence in own:
                continue  # the overlay writes its own plan for this cadence
            used += [f"{cadence} session {number}" for number, entry in enumerate(plan, 1)
                     if entry.get("lesson") == name and name not in swaps]
        if used:
            problems.append(Problem(
                settings.path, settings.line(("disable", index)), f"disable[{index}]",
                f"the lesson '{name}' is disabled but the year plan still uses it "
                f"({', '.join(used[:3])}{', ...' if len(used) > 3 else ''}); swap it for "
                f"another lesson under replace_in_plan"))


def _raw_plans(program: Document | None) -> dict[str, list[dict[str, Any]]]:
    plans = program.data.get("year_plans") if program else None
    if not isinstance(plans, dict):
        return {}
    return {cadence: [entry for entry in plan if isinstance(entry, dict)]
            for cadence, plan in plans.items() if isinstance(plan, list)}


def apply_plan(program: Program, settings: OverlaySettings | None) -> Program:
    """The program with the overlay's year-plan changes made."""
    if settings is None:
        return program
    plans = {}
    for cadence in ("every_two_weeks", "weekly"):
        own = getattr(settings.year_plans, cadence)
        upstream = getattr(program.year_plans, cadence)
        plans[cadence] = own if own is not None else [
            entry.model_copy(update={"lesson": settings.replace_in_plan[entry.lesson]})
            if entry.lesson in settings.replace_in_plan else entry
            for entry in upstream]
    year_plans = program.year_plans.model_copy(update=plans)
    return program.model_copy(update={"year_plans": year_plans})
