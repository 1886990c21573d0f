"""Strict Jinja2 environments that report a broken template as ``path:line`` and go on.

A template mistake (a typo in a tag, a field that does not exist) is recorded as a Problem
at the template's file and line, and rendering continues, so that one build lists every
broken template; the build then stops before anything is written into ``site/``.
"""

from __future__ import annotations

import os
import posixpath
import traceback
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, \
    TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from generator.core import files
from markupsafe import escape

from generator.core.errors import ContentError, Problem
from generator.core.language import Language


class TemplateRefused(TemplateError):
    """A template file that may not be read (a link out of its project or overlay folder,
    not an ordinary file, too large); carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def template_problem(path: Path, layer: Path, shown: Callable[[Path], str]) -> Problem | None:
    """Why the template file ``path`` of the project or overlay folder ``layer`` may not be
    read, if it may not: a link out of that folder, not an ordinary file, or too large."""
    found = files.link_out(path, [layer])
    if found:
        link, target = found
        return Problem(shown(link), 0, "file",
                       f"is a link to {target}, outside the project or overlay folder it "
                       "is in; copy the file in instead of linking to it")
    try:
        files.check(path, files.MAX_TEMPLATE_BYTES, "templates")
    except (files.Refused, OSError) as refused:
        return Problem(shown(path), 0, "file", str(refused))
    return None


class ConfinedLoader(FileSystemLoader):
    """Jinja's file loader (first folder wins) that reads a template only when it is an
    ordinary file of sane size whose real path is inside the project or overlay folder it
    is found in (template folders are ``templates/KIND`` there): Jinja's own loader
    follows any link. ``curriculum check`` reports the same files first."""

    def __init__(self, template_dirs: list[Path], shown: Callable[[Path], str]) -> None:
        super().__init__([str(path) for path in template_dirs])
        self.shown = shown

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.lexists(filename) and not os.path.isdir(filename):
                break
        else:
            raise TemplateNotFound(template)
        path = Path(filename)
        problem = template_problem(path, Path(searchpath).parent.parent, self.shown)
        if problem:
            raise TemplateRefused(problem)
        try:
            source = files.read_bytes(path, files.MAX_TEMPLATE_BYTES, "templates").decode()
        except (files.Refused, OSError, UnicodeDecodeError) as error:
            raise TemplateRefused(Problem(self.shown(path), 0, "file",
                                          f"cannot be read as a template ({error})")) from None
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return source, os.path.normpath(filename), uptodate


def cell(text: Any) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def clock(minutes: int) -> str:
    """Minutes into a session as a run-time clock: 75 is "1:15"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _shape(environment: Environment, name: str) -> tuple[Any, ...]:
    """What of an environment goes into a template's compiled code besides its source: the
    syntax settings, extensions, escaping, and which filters and tests exist and what they
    are passed (the compiler checks each name and writes each call)."""
    autoescape = environment.autoescape
    return (type(environment), autoescape(name) if callable(autoescape) else autoescape,
            environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
            environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
            environment.keep_trailing_newline, tuple(sorted(environment.extensions)),
            environment.policies.get("ext.i18n.trimmed"),
            getattr(environment, "newstyle_gettext", None), environment.optimized,
            environment.is_async, environment.finalize,
            *(tuple(sorted((key, getattr(function, "jinja_pass_arg", None))
                           for key, function in functions.items()))
              for functions in (environment.filters, environment.tests)))


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, for every environment that loads them: each
    edition of a build (and each save in the preview) makes its own environments, and
    compiling is most of the time a template takes the first time. A template is found by
    its name, file and source and by the environment's ``_shape``, so an edited template,
    or one loaded where it compiles differently, is compiled afresh."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], CodeType] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = self.get_cache_key(name, filename) + repr(_shape(environment, name))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self.code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[(bucket.key, bucket.checksum)] = bucket.code


COMPILED = CompiledTemplates()
"""The compiled templates of this process."""


class Templates(SandboxedEnvironment):
    """A strict environment over template folders (first folder wins) that records errors.

    Templates mark their own words for translation with ``{% trans %}`` blocks and
    ``_("...")`` (Jinja's i18n extension; blocks are trimmed, so a sentence may wrap over
    lines); ``language`` gives the words, dates and times. In an autoescaping (HTML)
    environment the words are escaped like any other text, so they hold no markup.

    Templates come from overlays too, written by an agency or a trainer: they run in Jinja's
    sandbox, so a template can shape a page but cannot reach Python (no ``__class__``, no
    ``__globals__``), and so cannot read or run anything on the machine that builds.

    Both outputs read the Markdown blocks of ``templates/common/`` (the print pages turn
    them into HTML with their ``md`` filter), so the filters those blocks use are here.
    """

    def __init__(self, template_dirs: list[Path], shown: Callable[[Path], str],
                 language: Language, **options: Any) -> None:
        super().__init__(loader=ConfinedLoader(template_dirs, shown),
                         undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                         extensions=["jinja2.ext.i18n"], bytecode_cache=COMPILED, **options)
        self.policies["ext.i18n.trimmed"] = True
        self._missed: set[str] = set()

        def gettext(text: str) -> str:
            found = language.translation(text)
            if found is None:
                self._missed.add(text)
                return text
            return found

        def ngettext(singular: str, plural: str, count: int) -> str:
            return gettext(singular if count == 1 else plural)

        if self.autoescape:  # Jinja marks what gettext returns as safe HTML: escape it here
            self.install_gettext_callables(lambda text: escape(gettext(text)),
                                           lambda singular, plural, count: escape(
                                               ngettext(singular, plural, count)),
                                           newstyle=True)
        else:  # Markdown: a translated word keeps its English's structure (localize)
            self.install_gettext_callables(gettext, ngettext, newstyle=True)
        self.filters.update(language.filters())
        self.filters.update(cell=cell, clock=clock)
        self.globals["language"] = language.code
        self.language = language
        self.shown = shown
        self.problems: list[Problem] = []
        """Every template error met so far."""

    def page(self, name: str, context: dict[str, Any]) -> str:
        """``name`` rendered with ``context``; on a template error, "" and a Problem."""
        return self.render(name, context)[0]

    def render(self, name: str, context: dict[str, Any]) -> tuple[str, frozenset[str]]:
        """``name`` rendered with ``context``, and the template words it printed in English
        for want of a current translation; on a template error, "" and a Problem."""
        self._missed = set()
        try:
            return self.get_template(name).render(context), frozenset(self._missed)
        except TemplateRefused as refused:
            self.problems.append(refused.problem)
        except TemplateError as error:
            self.problems.append(self._problem(name, error))
        return "", frozenset(self._missed)

    def raise_problems(self) -> None:
        """Raise ContentError listing every template error met so far, if any."""
        if self.problems:
            raise ContentError(self.problems)

    def _problem(self, name: str, error: TemplateError) -> Problem:
        filename, line = None, 1
        if isinstance(error, TemplateSyntaxError):
            filename, line = error.filename, error.lineno or 1
        else:  # Jinja rewrites the traceback so that template frames show template lines
            for frame in reversed(traceback.extract_tb(error.__traceback__)):
                if frame.filename.endswith(".j2"):
                    filename, line = frame.filename, frame.lineno or 1
                    break
        path = self.shown(Path(filename)) if filename else f"templates/{name}"
        return Problem(path, line, "template", f"{error.message or error} (fix the template)")
