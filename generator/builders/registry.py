"""The builders, in the order they write: a new output is a new builder and one line here.
``prepare`` and ``write`` run them over every edition and name no output format."""

from __future__ import annotations

from generator.builders.calendar import CalendarBuilder
from generator.builders.changes import ChangesBuilder
from generator.builders.context import Build, Builder, Context
from generator.builders.pages import PagesBuilder
from generator.builders.pdf import PdfBuilder
from generator.builders.site import SiteBuilder
from generator.core.errors import ContentError, Problem

BUILDERS: tuple[Builder, ...] = (
    PdfBuilder(),
    CalendarBuilder(),
    ChangesBuilder(),
    PagesBuilder(),
    SiteBuilder(),
)


def _prepare(builder: Builder, editions: list[Context], build: Build) -> list[Problem]:
    """Prepare one builder for every edition; return the problems of all of them."""
    problems: list[Problem] = []
    made = []
    for edition in editions:
        try:
            made.append((edition, builder.prepare(edition, build)))
        except ContentError as error:
            problems.extend(error.problems)
    build.prepared[builder.name] = made
    return problems


def prepare(editions: list[Context], build: Build,
            builders: tuple[Builder, ...] = BUILDERS) -> None:
    """Prepare every builder for every edition, writing nothing; in a build, those that
    need another's written output wait for it (``write``). Raises ContentError listing
    every problem found."""
    build.editions = editions
    problems: list[Problem] = []
    for builder in builders:
        if build.writing and builder.needs:
            continue
        if builder.preparing:
            with build.progress.stage(builder.preparing):
                problems += _prepare(builder, editions, build)
        else:
            problems += _prepare(builder, editions, build)
    if problems:
        raise ContentError(problems)


def write(editions: list[Context], build: Build,
          builders: tuple[Builder, ...] = BUILDERS) -> None:
    """Write every builder's output in turn, preparing first those that waited for an
    earlier one's; raises ContentError for the problems of one that cannot be prepared."""
    for builder in builders:
        if builder.name not in build.prepared:
            problems = _prepare(builder, editions, build)
            if problems:
                raise ContentError(problems)
        if builder.writing:
            with build.progress.stage(builder.writing):
                builder.write(build.prepared[builder.name], build)
        else:
            builder.write(build.prepared[builder.name], build)
