"""Content Markdown to HTML, for the print templates (the website's engine does its own)."""

from __future__ import annotations

import markdown
from markupsafe import Markup

EXTENSIONS = ["tables", "admonition", "attr_list", "def_list", "md_in_html", "sane_lists",
              "abbr"]


def to_html(text: str) -> Markup:
    """Markdown text as safe HTML for a Jinja template."""
    # str(): Markup's own string methods would escape what Markdown inserts
    return Markup(markdown.markdown(str(text), extensions=EXTENSIONS, output_format="html"))


def to_inline_html(text: str) -> Markup:
    """Markdown of one line, without the wrapping paragraph."""
    html = markdown.markdown(str(text), extensions=EXTENSIONS, output_format="html")
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
