"""The ``curriculum`` command: each subcommand parses its options and calls one function.

Exit codes: 0 success, 1 content problems (listed as ``path:line: field: message``), a
tool of the build that failed or a fault of the machine (one line: ``path: cause; what to
do``), 2 usage errors and requests that cannot be carried out. Every error a user can put
right is a ``UserError`` and is reported by ``_Command``; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.core.errors import ContentError, Problem, UserError, failing
from generator.core.project import Project

if TYPE_CHECKING:
    from generator.core.catalog import Catalog
    from generator.core.summary import Summary

STALE_CRISIS_DAYS = 180
"""Crisis lines older than this get a reminder to re-check them before printing."""
ROOT_HELP = "Works on the project in the current folder (the one holding mkdocs.yml)."


def _root() -> Path:
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        raise click.UsageError("no mkdocs.yml here: run this in the project folder")
    return root


def _overlay(_context: click.Context, _parameter: click.Parameter,
             folder: Path | None) -> Path | None:
    """An overlay folder given on the command line, refused (usage error) unless it looks
    like one."""
    from generator.core.project import overlay_problem

    problem = overlay_problem(Path.cwd(), folder) if folder is not None else None
    if problem:
        raise click.BadParameter(problem)
    return folder


OVERLAY = click.option(
    "--overlay", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
    callback=_overlay,
    help="An agency's overlay folder laid over the project (same layout as the project).")


OVERLAY_FOLDER = click.option(
    "--overlay", "folder", required=True, callback=_overlay,
    type=click.Path(exists=True, file_okay=False, path_type=Path), help="The overlay folder.")
"""The overlay folder of an ``overlay`` command, which needs one."""


def UPSTREAM_ITEM(command: Any) -> Any:
    """The KIND and ID arguments that name an upstream item."""
    command = click.argument("item_id", metavar="ID")(command)
    return click.argument("kind", type=click.Choice(["lesson", "form", "session",
                                                     "chapter"]))(command)


def _project(overlay: Path | None) -> Project:
    return Project(_root(), overlay)


def _warn(found: Catalog | Summary) -> None:
    for warning in found.warnings:
        click.echo(str(warning), err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report(error: UserError, outcome: str = "nothing was built") -> None:
    if isinstance(error, ContentError):
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{_count(len(error.problems), 'problem')} found; {outcome}.", err=True)
    else:
        click.echo(str(error), err=True)
    sys.exit(error.exit_code)


AGAIN = "then run the command again"
WRITABLE = f"let this user write there (if it is immutable, `chattr -i` it), {AGAIN}"
REMEDIES = {
    errno.ENOSPC: f"the disk is full: free some space, {AGAIN}",
    errno.EDQUOT: f"the disk quota is used up: free some space, {AGAIN}",
    errno.EFBIG: f"a file passed the size limit set for this user (`ulimit -f`): raise it, "
                 f"{AGAIN}",
    errno.EACCES: WRITABLE,
    errno.EPERM: WRITABLE,
    errno.EROFS: "the disk is read-only: work in a folder on a writable disk",
    errno.ENOTDIR: f"a file stands where a folder must be: move the file away, {AGAIN}",
    errno.EEXIST: f"a file stands where a folder must be: move the file away, {AGAIN}",
    errno.EISDIR: f"a folder stands where a file must be: move the folder away, {AGAIN}",
    errno.ENOENT: f"it was moved or removed while the command ran: {AGAIN}",
    errno.EIO: f"the disk reported an error: check the disk, {AGAIN}",
}
"""What to do about the faults of a machine that a user meets, by error number."""
SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""The faults of writing a file: its destination is the path to name."""


def fault(error: OSError) -> str:
    """An OSError as one line, ``path: cause; what to do``; no command's output is half
    written when it happens (a build leaves the last good site/ as it was)."""
    cause = error.strerror or str(error)
    remedy = REMEDIES.get(error.errno, f"check the path and the disk, {AGAIN}")
    # A copy names its source first; the disk that is full is the destination's.
    name = error.filename2 if error.errno in SPACE and error.filename2 else error.filename
    if name is None:
        return f"{cause}; {remedy}"
    path = Path(os.fsdecode(name))
    try:
        shown = str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        shown = str(path)
    return f"{shown}: {cause}; {remedy}"


class _Command(click.Command):
    """A command that reports a user's error in words, without a traceback: content
    problems one a line and how many, with ``outcome`` (what was not done); a request that
    cannot be carried out as a usage error; any other as its one message."""

    def __init__(self, *args: Any,
                 outcome: str | Callable[[dict[str, Any]], str] = "nothing was built",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome = outcome
        """What was not done, said after the problems; or made from the command's options."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UserError as error:
            if error.exit_code == 2:
                raise click.UsageError(str(error), ctx) from None
            outcome = self.outcome if isinstance(self.outcome, str) else self.outcome(ctx.params)
            _report(error, outcome)


class _Curriculum(click.Group):
    """The commands; a fault of the machine (a full disk, a folder that cannot be written,
    an immutable site/) ends any of them with one line and exit code 1."""

    command_class = _Command
    group_class = type  # the groups under it are of this class too

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:  # output to a closed pipe: Click's own case
                raise
            click.echo(fault(error), err=True)
            sys.exit(1)


@click.group(cls=_Curriculum,
             help=f"Build the peer-support curriculum into a website and handbooks. {ROOT_HELP}")
def main() -> None:
    pass


STRICT = click.option("--strict", is_flag=True,
                      help="Fail (exit 1) on warnings too, such as a translation that cannot "
                           "be used.")


@main.command(help="Validate all content and translation catalogs; list every problem with "
                   "its file and line.")
@OVERLAY
@STRICT
def check(overlay: Path | None, strict: bool) -> None:
    from generator.pipeline import check_everything

    catalog = check_everything(_project(overlay))
    if failing(catalog.warnings, strict):
        _report(ContentError(catalog.warnings), "--strict fails on warnings")  # exit 1
    _warn(catalog)
    drafts = (f" (and {_count(len(catalog.drafts), 'draft')}, left out of the site and "
              "PDFs)" if catalog.drafts else "")
    click.echo(f"All content is valid: {_count(len(catalog.lessons), 'lesson')}{drafts}, "
               f"{_count(len(catalog.forms), 'form')}, "
               f"{_count(len(catalog.sessions), 'session agenda')}, "
               f"{_count(len(catalog.chapters), 'handbook chapter')}.")


def _build_outcome(options: dict[str, Any]) -> str:
    return ("a release needs the agency's own details; nothing was built"
            if options["release"] else "nothing was built")


@main.command(help="Build the website into site/ and the PDFs into site/downloads/ (the "
                   "previous site stays until the new one is complete).",
              outcome=_build_outcome)
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine that turns the pages into HTML.")
@click.option("--verbose", "-v", is_flag=True,
              help="Show every stage and PDF as it is done, and the time of each stage.")
@click.option("--release", is_flag=True,
              help="Refuse to build while any agency setting is still a shipped placeholder "
                   "or the crisis lines have no check date (for publishing).")
@OVERLAY
@STRICT
def build(engine: str, overlay: Path | None, verbose: bool, release: bool,
          strict: bool) -> None:
    from generator.pipeline import build as run_build
    from generator.core.progress import Progress

    root = _root()
    # Progress goes to a terminal (or with --verbose); logs and pipes get only the result.
    shown = verbose or sys.stderr.isatty()
    progress = Progress(lambda line: click.echo(line, err=True) if shown else None)
    built = run_build(root, engine, overlay, progress, release, strict)
    if verbose:
        click.echo("\n".join(["Time per stage:", *progress.summary()]), err=True)
    _warn(built)
    _warn_unreleasable(built)
    click.echo(f"Built site/ with {_count(built.lessons, 'lesson')} and "
               f"{_count(built.forms, 'form')}; PDFs in site/downloads/"
               f"{' (a sample edition)' if built.sample else ''}.")


def _warn_unreleasable(summary: Summary) -> None:
    """After a build or check: what keeps it from being handed to members, with how to fix
    it."""
    checked = summary.verified_on
    if checked and (date.today() - checked).days > STALE_CRISIS_DAYS:
        click.echo(str(Problem(summary.agency_file, summary.verified_on_line,
                               "crisis.verified_on",
                               f"the crisis lines were last checked on {checked}; check them "
                               "again before you print", severity="warning")), err=True)
    if summary.sample:
        count = len(summary.placeholders)
        holds = "holds a shipped placeholder" if count == 1 else "hold shipped placeholders"
        click.echo(f"\nSample edition: {_count(count, 'agency setting')} still {holds}:",
                   err=True)
    elif summary.unchecked:
        click.echo("\nBefore you print:", err=True)
    for problem in summary.release_problems:
        click.echo(f"  {problem}", err=True)
    if summary.sample:
        click.echo(f"Every page is marked as a sample and the local crisis lines print blank. "
                   f"Put your agency's details in {summary.agency_file} before printing for "
                   "members; "
                   "`curriculum build --release` refuses until then.", err=True)


@main.command(help="Live preview: serve the site and reload the browser page when a content "
                   "file or a template is saved.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address and port to serve on.")
@click.option("--drafts", is_flag=True,
              help="Show draft lessons too (they stay out of `build`).")
@OVERLAY
def serve(dev_addr: str, overlay: Path | None, drafts: bool) -> None:
    from generator.serve import serve as run_serve

    run_serve(_project(overlay), dev_addr, drafts)


@main.command(help="Compare two editions item by item and list the PDFs to reprint. OLD and "
                   "NEW are edition numbers (2027.1: the tag v2027.1, or else the newest "
                   "commit whose program.yml names it), git revisions or project folders; "
                   "without NEW, the project folder as it is now.",
              outcome="the editions were not compared")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--write", "page", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as a Markdown page to this file.")
@OVERLAY
def changes(old: str, new: str | None, page: Path | None, overlay: Path | None) -> None:
    from generator.builders.changes import between, changes_page, lines
    from generator.core.write import write_whole

    root = _root()
    report = between(root, old, new, overlay)
    text = changes_page(Project(root, overlay), report) if page else ""
    click.echo("\n".join(lines(report)))
    if page:
        write_whole(page, lambda partial: partial.write_text(text, encoding="utf-8"))
        click.echo(f"\nwrote {page}")


@main.command(help="Write the program outcomes report, outcomes.html and outcomes.pdf, from "
                   "one or more outcomes files of aggregate counts (several files are "
                   "pooled). It is marked internal unless --public.",
              outcome="no report was written")
@click.argument("files", metavar="FILE...", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public", is_flag=True,
              help="Hide every count from 1 to 10 and every figure from which one could be "
                   "worked out (the CMS cell-size rule), for publishing.")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True,
              help="The folder to write outcomes.html and outcomes.pdf into.")
@OVERLAY
def report(files: tuple[Path, ...], public: bool, folder: Path, overlay: Path | None) -> None:
    from generator.builders.report import write_report

    written = write_report(_project(overlay), list(files), folder, public)
    for path in written:
        click.echo(f"wrote {path}")
    if public:  # the report numbers the groups; the one who made it needs the key
        click.echo("The public report numbers the groups: " + "; ".join(
            f"Group {number} is {path}" for number, path in enumerate(files, 1)) + ".")


@main.group(help="Translations of what members read: gettext catalogs in locales/.")
def translate() -> None:
    pass


@translate.command("extract", help="Write locales/messages.pot: every member-facing text, "
                                   "addressed by its field, with the field's description.",
                   outcome="no template was written")
@OVERLAY
def translate_extract(overlay: Path | None) -> None:
    from generator.core.translate import extract

    path = extract(_project(overlay))
    click.echo(f"wrote {path}")


@translate.command("update", help="Merge the template into LANG's catalog: new texts are "
                                  "added, changed English is marked fuzzy with the old kept.",
                   outcome="the catalog was not updated")
@click.argument("language", metavar="LANG")
@OVERLAY
def translate_update(language: str, overlay: Path | None) -> None:
    from generator.core.translate import update

    path = update(_project(overlay), language)
    click.echo(f"wrote {path}")


@translate.command("status", help="Per item, the texts translated, out of date (fuzzy) and "
                                  "missing; exit 1 when any member-facing text is not current.",
                   outcome="no status was made")
@click.argument("language", metavar="LANG", default="es")
@OVERLAY
def translate_status(language: str, overlay: Path | None) -> None:
    from generator.core.translate import status

    items = status(_project(overlay), language)
    width = max((len(item.item) for item in items), default=10)
    click.echo(f"{'item':<{width}}  translated  out of date  missing  not reviewed")
    for item in items:
        critical = f" ({item.critical} critical)" if item.critical else ""
        click.echo(f"{item.item:<{width}}  {item.translated:>10}  {item.fuzzy:>11}  "
                   f"{item.missing:>7}  {item.unreviewed:>12}{critical}")
    unreviewed = sum(item.unreviewed for item in items)
    if unreviewed:
        click.echo(f"{language}: {unreviewed} current translations not yet reviewed by a "
                   f"qualified translator ({sum(item.critical for item in items)} of them "
                   "critical for safety and rights); record a review with `curriculum "
                   f"translate reviewed {language} ITEM... --by NAME`.")
    behind = sum(item.fuzzy + item.missing for item in items)
    click.echo(f"{language}: {sum(item.translated for item in items)} current, "
               f"{behind} to translate or review.")
    if behind:
        sys.exit(1)


@translate.command("reviewed", help="Record that a qualified human translator reviewed every "
                                    "current translation of the items named (as `translate "
                                    "status` lists them; `all` for every one).",
                   outcome="no review was recorded")
@click.argument("language", metavar="LANG")
@click.argument("items", metavar="ITEM...", nargs=-1, required=True)
@click.option("--by", required=True, help="The reviewer: name and qualification.")
@click.option("--on", "day", default=None, help="The day of the review (YYYY-MM-DD; today "
                                                 "if left out).")
@OVERLAY
def translate_reviewed(language: str, items: tuple[str, ...], by: str, day: str | None,
                       overlay: Path | None) -> None:
    import datetime as dt

    from generator.core.translate import record_reviews

    try:
        on = dt.date.fromisoformat(day) if day else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"'{day}' is not a date such as 2027-01-05",
                                 param_hint="--on") from None
    path, count = record_reviews(_project(overlay), language, list(items), by.strip(), on)
    click.echo(f"Recorded {count} reviewed translation{'s' if count != 1 else ''} in {path}.")


@main.command(help="Write the JSON Schema of every content kind to schemas/, for editors.")
def schema() -> None:
    from generator.core.schema import write_schemas

    for path in write_schemas(_root()):
        click.echo(f"wrote {path}")


@main.group(help="Start a new content file from a template that passes `check`.")
def new() -> None:
    pass


@new.command("lesson", help="Write content/lessons/ID.yml with every field to fill in.")
@click.argument("lesson_id", metavar="ID")
@click.option("--overlay", "folder", default=None, callback=_overlay,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Write the lesson into this overlay folder instead of the project.")
def new_lesson(lesson_id: str, folder: Path | None) -> None:
    from generator.core.scaffold import new_lesson as scaffold

    root = _root()
    path = scaffold(root, lesson_id, folder)
    shown = Project(root, folder).shown(path)
    check = f"curriculum check{f' --overlay {folder}' if folder else ''}"
    click.echo(f"wrote {shown}, a draft: `{check}` lists every line still to fill in; "
               "remove `draft: true` when it is done.")


@main.group(help="Keep an agency's overlay: a folder laid over the project with the agency's "
                 "own settings, lessons and forms.")
def overlay() -> None:
    pass


@overlay.command("init", help="Start an overlay in DIR: agency settings, overlay.yml, a style "
                              "sheet and a README for the agency.")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def overlay_init(folder: Path) -> None:
    from generator.core.upkeep import init

    written = init(_root(), folder)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"Next: edit {folder / 'content' / 'agency.yml'}, then run "
               f"`curriculum build --overlay {folder}`.")


@overlay.command("copy", help="Copy an upstream item into the overlay to change it, and record "
                              "its upstream version for `overlay status`.")
@UPSTREAM_ITEM
@OVERLAY_FOLDER
def overlay_copy(kind: str, item_id: str, folder: Path) -> None:
    from generator.core.upkeep import copy

    target = copy(_root(), folder, kind, item_id)
    click.echo(f"wrote {target}: edit it; it replaces the upstream {kind} '{item_id}'.")


@overlay.command("status", help="List what the overlay replaces, adds and disables, and flag "
                                "replaced items whose upstream version changed.")
@OVERLAY_FOLDER
def overlay_status(folder: Path) -> None:
    from generator.core.upkeep import status

    lines, problems = status(_root(), folder)
    if not lines:
        click.echo("The overlay changes no upstream item and adds none.")
    for line in lines:
        change = line.change
        what = "agency settings" if change.kind == "agency" else (
            "program settings" if change.kind == "program" else f"{change.kind} {change.ident}")
        where = change.path if change.action != "disables" else f"{change.upstream} (in {change.path})"
        click.echo(f"{change.action:<9} {what:<34} {where}")
        if line.review:
            click.echo(f"  review: {line.review}")
        for difference in line.changed:
            click.echo(f"    {difference}")
    to_review = sum(1 for line in lines if line.review)
    click.echo(f"{_count(to_review, 'item')} to review.")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{_count(len(problems), 'problem')} in the content; run `curriculum check "
                   f"--overlay {folder}`.", err=True)


@overlay.command("reviewed", help="Record that the overlay's copy of an item has taken in "
                                  "upstream's current version (after `overlay status` showed "
                                  "what upstream changed); status compares with it from now on.")
@UPSTREAM_ITEM
@OVERLAY_FOLDER
def overlay_reviewed(kind: str, item_id: str, folder: Path) -> None:
    from generator.core.upkeep import reviewed

    recorded = reviewed(_root(), folder, kind, item_id)
    click.echo(f"Recorded {kind} '{item_id}' as reviewed against {recorded}.")
