"""The ``curriculum`` command: each subcommand parses its options and calls one function.

Exit codes: 0 success, 1 content problems (listed as ``path:line: field: message``),
2 usage errors.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.errors import ContentError
from generator.site import EngineError

STALE_CRISIS_DAYS = 180
"""Crisis lines older than this get a reminder to re-check them before printing."""
ROOT_HELP = "Works on the project in the current folder (the one holding mkdocs.yml)."


def _root() -> Path:
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        raise click.UsageError("no mkdocs.yml here: run this in the project folder")
    return root


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report(error: ContentError | EngineError) -> None:
    if isinstance(error, ContentError):
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{_count(len(error.problems), 'problem')} found; nothing was built.",
                   err=True)
    else:
        click.echo(str(error), err=True)
    sys.exit(error.exit_code)


@click.group(help=f"Build the peer-support curriculum into a website and handbooks. {ROOT_HELP}")
def main() -> None:
    pass


@main.command(help="Validate all content; list every problem with its file and line.")
def check() -> None:
    from generator.pipeline import load_catalog

    root = _root()
    try:
        catalog = load_catalog(root)
    except ContentError as error:
        _report(error)
    click.echo(f"All content is valid: {_count(len(catalog.lessons), 'lesson')}, "
               f"{_count(len(catalog.forms), 'form')}, "
               f"{_count(len(catalog.sessions), 'session agenda')}, "
               f"{_count(len(catalog.chapters), 'handbook chapter')}.")


@main.command(help="Build the website into site/ and the PDFs into site/downloads/ (the "
                   "previous site stays until the new one is complete).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine that turns the pages into HTML.")
def build(engine: str) -> None:
    from generator.pipeline import build as run_build

    root = _root()
    try:
        catalog = run_build(root, engine)
    except (ContentError, EngineError) as error:
        _report(error)
    checked = catalog.agency.crisis.verified_on
    if (date.today() - checked).days > STALE_CRISIS_DAYS:
        click.echo(f"content/agency.yml: crisis.verified_on: the crisis lines were last checked "
                   f"on {checked}; check them again before you print", err=True)
    click.echo(f"Built site/ with {_count(len(catalog.lessons), 'lesson')} and "
               f"{_count(len(catalog.forms), 'form')}; PDFs in site/downloads/.")


@main.command(help="Live preview: serve the site and reload the browser page when a content "
                   "file or a template is saved.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address and port to serve on.")
def serve(dev_addr: str) -> None:
    from generator.serve import serve as run_serve

    root = _root()
    try:
        run_serve(root, dev_addr)
    except (ContentError, EngineError) as error:
        _report(error)


@main.command(help="Write the JSON Schema of every content kind to schemas/, for editors.")
def schema() -> None:
    from generator.schema import write_schemas

    for path in write_schemas(_root()):
        click.echo(f"wrote {path}")


@main.group(help="Start a new content file from a template that passes `check`.")
def new() -> None:
    pass


@new.command("lesson", help="Write content/lessons/ID.yml with every field to fill in.")
@click.argument("lesson_id", metavar="ID")
def new_lesson(lesson_id: str) -> None:
    from generator.scaffold import new_lesson as scaffold

    root = _root()
    try:
        path = scaffold(root, lesson_id)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"wrote {path.relative_to(root)}: fill in every field, then run "
               "`curriculum check`.")
