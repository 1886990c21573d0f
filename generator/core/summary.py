"""What a build or a check tells the person who ran it, once the outputs are written: how
much content, whether it is a sample edition, the warnings and what keeps it from being a
release. Kept in ``build/`` after a successful build, so that a build with nothing to do
says the same again without reading the content."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.errors import Problem

if TYPE_CHECKING:
    from generator.core.catalog import Catalog


@dataclass(frozen=True)
class Summary:
    """The outcome of a build, as the command line reports it."""

    lessons: int
    """How many lessons the site and PDFs have (drafts left out)."""
    forms: int
    """How many forms."""
    sample: bool
    """Whether it is a sample edition (an agency setting still holds a placeholder)."""
    agency_file: str
    """The agency settings' file, as messages show it."""
    verified_on: dt.date | None
    """When the crisis lines were last checked, if the settings say."""
    verified_on_line: int
    """The line of that setting in ``agency_file``."""
    warnings: list[Problem] = field(default_factory=list)
    """Things worth a second look that did not stop the build."""
    placeholders: list[Problem] = field(default_factory=list)
    """Agency settings that still hold a shipped placeholder."""
    unchecked: list[Problem] = field(default_factory=list)
    """Safety settings a release needs and these lack."""

    @property
    def release_problems(self) -> list[Problem]:
        """What keeps this build from being a release, in file order."""
        return sorted([*self.placeholders, *self.unchecked])

    @classmethod
    def of(cls, catalog: Catalog) -> Summary:
        """The summary of a built catalog."""
        agency = catalog.settings["agency"].doc
        return cls(len(catalog.lessons), len(catalog.forms), catalog.sample, agency.path,
                   catalog.agency.crisis.verified_on, agency.line(("crisis", "verified_on")),
                   list(catalog.warnings), list(catalog.placeholders), list(catalog.unchecked))

    def write(self, path: Path, inputs: str, outputs: str) -> None:
        """Keep the summary of the build of ``inputs`` that wrote ``outputs`` (their
        fingerprints)."""
        data: dict[str, Any] = dataclasses.asdict(self)
        data["verified_on"] = self.verified_on.isoformat() if self.verified_on else None
        path.write_text(json.dumps({"inputs": inputs, "outputs": outputs, "summary": data}),
                        encoding="utf-8")

    @classmethod
    def read(cls, path: Path, inputs: str, outputs: str) -> Summary | None:
        """The summary kept for a build of ``inputs``, if the last successful build was of
        those very inputs and its ``outputs`` are as it left them; None otherwise (or if
        the file is not one this wrote)."""
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            if (kept["inputs"], kept["outputs"]) != (inputs, outputs):
                return None
            data = kept["summary"]
            problems = {name: [Problem(**problem) for problem in data[name]]
                        for name in ("warnings", "placeholders", "unchecked")}
            checked = data["verified_on"]
            return cls(int(data["lessons"]), int(data["forms"]), bool(data["sample"]),
                       str(data["agency_file"]),
                       dt.date.fromisoformat(checked) if checked else None,
                       int(data["verified_on_line"]), **problems)
        except (OSError, ValueError, KeyError, TypeError):
            return None
