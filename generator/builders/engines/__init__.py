"""The site engines behind one small interface: ``build`` a site from a generated config file
(strictly: a warning fails), the packages whose versions shape the site, and, for the live
preview, ``mkdocs_material.Preview``, which builds again only the pages a save changed.

MkDocs with the Material theme (``mkdocs_material``) is the default engine; Zensical
(``zensical_cli``) reads the same config. Only these modules know an engine's packages, so
that moving to another engine (ProperDocs, a drop-in fork of MkDocs 1.x, or Zensical) changes
this folder and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from generator.builders.engines import mkdocs_material, zensical_cli

ENGINES = {"mkdocs": mkdocs_material, "zensical": zensical_cli}
"""Each engine ``curriculum build --engine`` accepts, and the module that runs it."""


def build(engine: str, config_file: Path) -> None:
    """Build the site that ``config_file`` describes with ``engine``; raises EngineError when
    the engine fails or warns."""
    ENGINES[engine].build(config_file)


def packages(engine: str) -> tuple[str, ...]:
    """The installed packages whose versions shape the site ``engine`` builds."""
    return ENGINES[engine].PACKAGES
