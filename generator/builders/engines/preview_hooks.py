"""MkDocs hooks of the live preview: ``mkdocs_material.Preview`` lists this file in the
configuration's ``hooks`` (MkDocs' documented way to add event handlers without a plugin).

MkDocs makes a new Jinja environment for every build, which compiles the theme's templates
again: most of the time of a build that renders one or two pages. A bytecode cache beside the
preview's config (Jinja's own, checked against each template's source) keeps them compiled
from one build to the next.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2

CACHE = "jinja-cache"
"""The bytecode cache's folder, beside the config file (in the preview's own folder)."""


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    folder = os.path.join(os.path.dirname(config.config_file_path), CACHE)
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)
    return env
