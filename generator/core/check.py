"""Stage 3: rules across files. Builds the catalog the renderers use, or reports every problem."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import files, images, overlay, sample, scaffold
from generator.core.errors import Problem, field_name, texts
from generator.core.catalog import Catalog
from generator.core.load import Item, Loaded
from generator.core.parse import Document
from generator.core.project import Project
from generator.core.models import Form, Lesson

LESSON_MINUTES = 30
SHARING_MINUTES = 60
SESSION_MINUTES = 90


def check(loaded: Loaded, project: Project, drafts: bool = False) -> Catalog | None:
    """Apply the cross-file rules; return the catalog when nothing at all is wrong.

    ``loaded.declared`` holds the ids of every file, even those with mistakes of their own.
    Draft lessons are left out of the catalog unless ``drafts`` (the preview shows them).
    """
    items, problems, declared, program = (loaded.items, loaded.problems, loaded.declared,
                                          loaded.program)
    by_kind: dict[str, dict[str, Item]] = {"lesson": {}, "form": {}, "session": {},
                                           "chapter": {}}
    singles: dict[str, Item] = {}
    for item in items:
        kind = item.doc.kind
        if kind in by_kind:
            _add_unique(by_kind[kind], item, problems)
        else:
            singles[kind] = item
    warnings: list[Problem] = list(loaded.warnings)
    for item in items:
        _check_practice_session(item, problems)
        _check_field_ids(item, problems)
    problems.extend(files.tree_problems(project))
    _check_overlay_assets(project, problems)
    template = scaffold.template_texts(project.root)
    for doc in loaded.documents:
        _check_minutes(doc, problems)
        _check_images(doc, project, problems)
        _check_template_text(doc, template, problems, warnings)
        if doc.kind == "agency":
            _check_logo(doc, project, problems)
    settings = loaded.settings
    if program is not None:
        _check_plan(program, declared, problems, *overlay.plan_skips(settings))
    if settings is not None:
        _check_plan(settings, declared, problems)
        overlay.check_plan(settings, program, declared, problems)
    if "agency" in singles:
        _check_agency(singles["agency"], problems, warnings)
    agendas = by_kind["session"].values()
    unreadable = {doc.path for doc in loaded.documents if doc.kind == "session"} - {
        item.doc.path for item in agendas}
    if not unreadable and not any(item.model.kind == "skill" for item in agendas):
        problems.append(Problem("content/sessions", 0, "kind",
                                "no session agenda of the kind 'skill': every year plan needs "
                                "one (content/sessions/standard-session.yml)"))
    for kind in ("program", "agency"):
        if kind not in singles and not any(p.path.endswith(f"{kind}.yml") for p in problems):
            problems.append(Problem(f"content/{kind}.yml", 1, "file",
                                    f"the {kind} file is missing"))
    if problems:
        return None
    program_model = overlay.apply_plan(singles["program"].model,
                                       singles["overlay"].model if "overlay" in singles else None)
    agency = singles["agency"]
    catalog = Catalog(program=program_model, agency=agency.model,
                      warnings=warnings, changes=loaded.changes, settings=singles,
                      behind=loaded.behind,
                      placeholders=sample.placeholders(agency.doc),
                      unchecked=sample.unchecked(agency.doc, agency.model))
    catalog.lessons = {key: item.model for key, item in by_kind["lesson"].items()
                       if drafts or not item.model.draft}
    catalog.drafts = sorted(set(by_kind["lesson"]) - set(catalog.lessons))
    _check_lesson_order(by_kind["lesson"], catalog, warnings)
    if not drafts:
        _check_no_drafts_planned(catalog, singles["program"], problems)
        if problems:
            return None
    catalog.forms = {key: item.model for key, item in by_kind["form"].items()}
    catalog.sessions = {key: item.model for key, item in by_kind["session"].items()}
    catalog.chapters = {key: item.model for key, item in by_kind["chapter"].items()}
    catalog.items = {(kind, key): item for kind, group in by_kind.items()
                     for key, item in group.items()
                     if kind != "lesson" or key in catalog.lessons}
    return catalog


ACTIVE_ASSETS = (".js", ".mjs", ".html", ".htm", ".xhtml", ".xml", ".php", ".wasm")
"""Site assets that a browser runs or opens as a page: an overlay may not bring them."""


def _check_overlay_assets(project: Project, problems: list[Problem]) -> None:
    """An overlay's site assets restyle the site (stylesheets, images, fonts); a script or
    a page among them would run on every reader's phone, and an image must be one."""
    if project.overlay is None:
        return
    assets = project.overlay / "templates" / "site" / "assets"
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if files.link_problem(project, path) or not path.is_file():
            continue  # reported by files.tree_problems
        suffix = path.suffix.lower()
        if suffix in ACTIVE_ASSETS:
            problems.append(Problem(project.shown(path), 0, "file",
                                    "an overlay's site assets may be stylesheets, images and "
                                    "fonts, not scripts or pages (they would run for every "
                                    "reader of the site): remove it"))
        elif any(suffix in names for names in images.SUFFIXES.values()):
            why = images.problem(path)
            if why:
                problems.append(Problem(project.shown(path), 0, "file",
                                        f"this image cannot be used: {why}"))


def _check_template_text(doc: Document, template: frozenset[str], problems: list[Problem],
                         warnings: list[Problem]) -> None:
    """A draft lists what is left to fill in (warnings); a finished lesson may not still
    hold the new-lesson template's text."""
    if doc.kind != "lesson":
        return
    draft = doc.data.get("draft") is True
    for loc, text in texts(doc.data):
        if " ".join(text.split()) in template:
            if draft:
                warnings.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                        "still to fill in (the lesson is a draft)",
                                        severity="warning"))
            else:
                problems.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                        "still holds the new-lesson template's text; write "
                                        "it, or mark the lesson `draft: true` until it is "
                                        "done"))


def _check_no_drafts_planned(catalog: Catalog, program: Item, problems: list[Problem]) -> None:
    """A year plan may not teach a lesson that is left out as a draft."""
    doc = program.doc
    for cadence in ("every_two_weeks", "weekly"):
        for index, planned in enumerate(getattr(catalog.program.year_plans, cadence)):
            if planned.lesson not in catalog.lessons:
                loc = ("year_plans", cadence, index, "lesson")
                problems.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                        f"the lesson '{planned.lesson}' is a draft, so it is "
                                        "not built; finish it (remove `draft: true`) or take "
                                        "it out of the plan"))


def _check_lesson_order(lessons: dict[str, Item], catalog: Catalog,
                        warnings: list[Problem]) -> None:
    """Warnings: two lessons with the same sequence, and a skill lesson that one year plan
    teaches and the other does not (unless it is left out on purpose)."""
    first: dict[int, Item] = {}
    for item in sorted(lessons.values(), key=lambda item: item.doc.path):
        same = first.setdefault(item.model.sequence, item)
        if same is not item:
            warnings.append(Problem(item.doc.path, item.doc.line(("sequence",)), "sequence",
                                    f"lesson '{same.model.id}' "
                                    f"({same.doc.path}) has the same sequence, "
                                    f"{item.model.sequence}; lesson lists order them by title",
                                    severity="warning"))
    plans = catalog.program.year_plans
    if not plans.weekly:
        return
    taught = {cadence: {planned.lesson for planned in getattr(plans, cadence)}
              for cadence in ("every_two_weeks", "weekly")}
    for item in lessons.values():
        lesson = item.model
        if lesson.kind != "skill" or lesson.id in plans.left_out:
            continue
        missing = [cadence.replace("_", " ") for cadence, ids in taught.items()
                   if lesson.id not in ids]
        if len(missing) == 1:
            warnings.append(Problem(item.doc.path, item.doc.line(("id",)), "id",
                                    f"the {missing[0]} year plan does not teach this "
                                    "skill; add it, or list it under year_plans.left_out if "
                                    "that is on purpose", severity="warning"))


def _add_unique(group: dict[str, Item], item: Item, problems: list[Problem]) -> None:
    ident = item.model.id
    if ident in group:
        first = group[ident].doc
        problems.append(Problem(item.doc.path, item.doc.line(("id",)), "id",
                                f"the {item.doc.kind} id '{ident}' is already used by "
                                f"{first.path}:{first.line(('id',))}; ids must be unique"))
        return
    group[ident] = item


def _minutes(value: Any) -> list[int]:
    """The minutes of a list of segments as written, skipping entries that are not whole
    numbers (their own mistakes are reported where they are validated)."""
    entries = value if isinstance(value, list) else []
    return [entry["minutes"] for entry in entries if isinstance(entry, dict)
            and type(entry.get("minutes")) is int]


def _minutes_problem(doc: Document, loc: tuple, minutes: list[int],
                     expected: int) -> Problem | None:
    total = sum(minutes)
    if total == expected or not minutes:
        return None
    parts = " + ".join(map(str, minutes))
    return Problem(doc.path, doc.line(loc), field_name(loc),
                   f"the segments add up to {total} minutes ({parts}); they must add up to "
                   f"{expected}")


def _check_minutes(doc: Document, problems: list[Problem]) -> None:
    """Timings add up, read from the file as written: checked even when another field of
    the same file has a mistake."""
    data = doc.data
    found: list[Problem | None] = []
    if doc.kind == "lesson":
        found.append(_minutes_problem(doc, ("timing",), _minutes(data.get("timing")),
                                      LESSON_MINUTES))
        practice = data.get("practice_session")
        if isinstance(practice, dict):
            found.append(_minutes_problem(doc, ("practice_session", "timing"),
                                          _minutes(practice.get("timing")), LESSON_MINUTES))
    elif doc.kind == "session":
        found.extend(_agenda_problems(doc))
    problems.extend(problem for problem in found if problem)


def _agenda_problems(doc: Document) -> list[Problem | None]:
    """A session's parts add up to its 90 minutes, and a part that shows the lesson's own
    timing to the lesson's 30."""
    data = doc.data
    found: list[Problem | None] = []
    minutes = data.get("minutes")
    if type(minutes) is int and minutes != SESSION_MINUTES:
        found.append(Problem(doc.path, doc.line(("minutes",)), "minutes",
                             f"a session lasts {SESSION_MINUTES} minutes, not {minutes}"))
    parts = [part for part in data.get("parts") or [] if isinstance(part, dict)]
    if not parts:
        if not (data.get("peer_sharing") and data.get("skill_block")):
            return [*found, Problem(doc.path, doc.line(()), "parts",
                                    "a session agenda needs its parts (or peer_sharing and "
                                    "skill_block), e.g. parts: [{title: Peer sharing, "
                                    "segments: [...]}]")]
        return [*found,
                _minutes_problem(doc, ("peer_sharing",), _minutes(data["peer_sharing"]),
                                 SHARING_MINUTES),
                _minutes_problem(doc, ("skill_block",), _minutes(data["skill_block"]),
                                 LESSON_MINUTES)]
    in_lesson = [_minutes_problem(doc, ("parts", index, "segments"),
                                  _minutes(part.get("segments")), LESSON_MINUTES)
                 for index, part in enumerate(parts) if part.get("from_lesson") is True]
    if not any(in_lesson):  # a wrong lesson part would also make the whole wrong
        in_lesson.append(_minutes_problem(doc, ("parts",), [
            minute for part in parts for minute in _minutes(part.get("segments"))],
            SESSION_MINUTES))
    return [*found, *in_lesson]


def _check_practice_session(item: Item, problems: list[Problem]) -> None:
    """Every skill lesson has a practice session for weekly groups: three fresh scenarios,
    none of them easy."""
    lesson = item.model
    if not isinstance(lesson, Lesson) or lesson.kind != "skill":
        return
    doc = item.doc
    if lesson.practice_session is None:
        problems.append(Problem(doc.path, doc.line(("practice",)), "practice_session",
                                "a skill lesson needs a practice section for the second "
                                "meeting of weekly groups (practice_session: what_changes, "
                                "timing, activity, peer_coaching)"))
        return
    loc = ("practice_session", "activity", "scenarios")
    scenarios = lesson.practice_session.activity.scenarios
    if len(scenarios) != 3 or any(scenario.level == "easy" for scenario in scenarios):
        levels = ", ".join(scenario.level for scenario in scenarios) or "none"
        problems.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                f"a practice session has three fresh scenarios at the medium "
                                f"or harder level (found: {levels})"))


IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)|<img\b[^>]*\bsrc=[\"']?(?P<html>[^\"'\s>]*)",
                   re.IGNORECASE)
"""An image in content text: Markdown ``![alt](src)`` or an HTML ``<img src>``."""


def _check_images(doc: Document, project: Project, problems: list[Problem]) -> None:
    """Images in text must be files inside the project, with a text alternative.

    The PDF renderer would otherwise read any file the build can read, or fetch from the
    network; ordinary links in text are fine and are never fetched.
    """

    for loc, value in texts(doc.data):
        for message in image_refusals(value, project):
            problems.append(Problem(doc.path, doc.line(loc), field_name(loc), message))


def image_refusals(text: str, project: Project) -> list[str]:
    """Why each image of a text may not be printed (outside the project, missing, or
    without a text alternative)."""
    if "![" not in text and "<img" not in text.lower():
        return []
    found = (_image_problem(match, project) for match in IMAGE.finditer(text))
    return [message for message in found if message]


def _image_problem(match: re.Match, project: Project) -> str | None:
    src = match["src"] if match["src"] is not None else match["html"]
    if match["html"] is None and not match["alt"].strip():
        return f"the image '{src}' has no text alternative: write it between ![ and ]"
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("//"):
        return (f"the image '{src}' points outside the project; images must be files "
                "inside the project (links in text may point to web addresses)")
    if project.escapes(src):
        return (f"the image '{src}' points outside the project; images must be files "
                "inside the project")
    for layer in project.layers:  # the first layer that has it is the one used
        written = layer / src.lstrip("/") if not Path(src).is_absolute() else Path(src)
        if not os.path.lexists(written):
            continue
        link = files.link_problem(project, written)
        if link:
            return f"the image '{src}' leads out of the project: {link.path} {link.message}"
        why = images.problem(written)
        return f"the image '{src}' cannot be used: {why}" if why else None
    return f"the image '{src}' does not exist in the project"


def _check_logo(doc: Document, project: Project, problems: list[Problem]) -> None:
    """The agency's logo is an image inside the project, with a text alternative; read
    from the file as written, so that it is checked whatever else is wrong there."""
    logo, alt = doc.data.get("logo"), doc.data.get("logo_alt")
    if not isinstance(logo, str) or not logo:
        return
    match = IMAGE.search(f"![{alt if isinstance(alt, str) else ''}]({logo})")
    message = _image_problem(match, project) if match else "the logo path cannot be read"
    if message and message.endswith("does not exist in the project"):
        looked = " and ".join(project.shown(layer / logo) for layer in project.layers)
        message = (f"the logo '{logo}' is not there (looked for {looked}); put the image "
                   "there or correct the path (relative to the project or overlay folder)")
    if message:
        message = message.replace("write it between ![ and ]", "set logo_alt")
        problems.append(Problem(doc.path, doc.line(("logo",)), "logo", message))


def _check_field_ids(item: Item, problems: list[Problem]) -> None:
    if not isinstance(item.model, Form):
        return
    seen: set[str] = set()
    for s, section in enumerate(item.model.sections):
        for f, form_field in enumerate(section.fields):
            loc = ("sections", s, "fields", f, "id")
            if form_field.id in seen:
                problems.append(Problem(item.doc.path, item.doc.line(loc),
                                        f"sections[{s}].fields[{f}].id",
                                        f"the field id '{form_field.id}' is used twice in this "
                                        "form; each fillable field needs its own id"))
            seen.add(form_field.id)
            if form_field.type == "table" and not form_field.columns:
                problems.append(Problem(item.doc.path, item.doc.line(loc[:-1]),
                                        f"sections[{s}].fields[{f}].columns",
                                        "a table field needs columns"))
            if form_field.type in ("choice", "scale") and len(form_field.options) < 2:
                problems.append(Problem(item.doc.path, item.doc.line(loc[:-1]),
                                        f"sections[{s}].fields[{f}].options",
                                        f"a {form_field.type} field needs at least two options"))


def _check_plan(program: Document, declared: dict[str, set[str]], problems: list[Problem],
                cadences: set[str] = frozenset(), lessons: set[str] = frozenset()) -> None:
    """Every year-plan entry names a lesson and an agenda that exist.

    Works on the file's data, so the references are checked even when another field of
    the program file has a mistake. Plans in ``cadences`` and entries teaching one of
    ``lessons`` are left to the overlay check.
    """
    plans = program.data.get("year_plans")
    if not isinstance(plans, dict):
        return
    for cadence, plan in plans.items():
        if cadence in cadences:
            continue
        for index, planned in enumerate(plan if isinstance(plan, list) else []):
            if not isinstance(planned, dict) or planned.get("lesson") in lessons:
                continue
            for key, kind in (("lesson", "lesson"), ("agenda", "session")):
                ident = planned.get(key)  # no agenda: the agenda of the session's kind
                if not isinstance(ident, str) or ident in declared.get(kind, set()):
                    continue
                loc = ("year_plans", cadence, index, key)
                problems.append(Problem(program.path, program.line(loc),
                                        f"year_plans.{cadence}[{index}].{key}",
                                        unknown_id(kind, ident, declared.get(kind, set()))))


def unknown_id(kind: str, ident: str, known: set[str]) -> str:
    """The message for a reference to an id that does not exist, with the closest one."""
    close = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"there is no {kind} with the id '{ident}'; did you mean '{close[0]}'?"
    return (f"there is no {kind} with the id '{ident}' "
            f"(known: {', '.join(sorted(known)) or 'none yet'})")


BUDGET_RANGE = (35, 60)
"""The monthly social budget the program suggests, in dollars."""


def _check_agency(agency: Item, problems: list[Problem], warnings: list[Problem]) -> None:
    """The first meeting falls on the meeting day; skipped dates are meeting days; the
    budget is in the suggested range (the last two are warnings)."""
    meeting = agency.model.meeting
    doc = agency.doc
    start = meeting.start_date
    if start and start.strftime("%A") != meeting.weekday:
        problems.append(Problem(doc.path, doc.line(("meeting", "start_date")),
                                "meeting.start_date",
                                f"{start} is a {start.strftime('%A')}, but the group meets on "
                                f"{meeting.weekday}s; pick a {meeting.weekday} or change "
                                "meeting.weekday"))
    elif start:
        step = 7 if meeting.cadence == "weekly" else 14
        for index, skipped in enumerate(meeting.skipped_dates):
            if skipped < start or (skipped - start).days % step:
                warnings.append(Problem(doc.path, doc.line(("meeting", "skipped_dates", index)),
                                        f"meeting.skipped_dates[{index}]",
                                        f"no meeting falls on {skipped}, so skipping "
                                        "it changes nothing", severity="warning"))
    for code in agency.model.translations:
        loc = ("translations", code)
        warnings.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                "no longer read: the agency's names and hours in another "
                                "language are messages of that language's catalog, each tied "
                                "to the English it translates (agency:warmline.hours, ...). "
                                f"Run `curriculum translate update {code}` (with --overlay DIR "
                                "for an overlay), translate them there, and remove "
                                "`translations`", severity="warning"))
    budget = agency.model.budget
    low, high = BUDGET_RANGE
    if budget.currency_symbol == "$" and not low <= budget.amount <= high:
        warnings.append(Problem(agency.doc.path, agency.doc.line(("budget", "amount")),
                                "budget.amount",
                                f"the program suggests ${low} to ${high} a month; "
                                f"${budget.amount} is outside that range", severity="warning"))
