"""Content Markdown to HTML, and the rules that keep content from carrying active HTML.

Content comes from many hands. Raw HTML in content is refused when the content is checked
(:func:`refusal`, used by the content models), and the HTML that reaches the print
templates is also passed through the ``nh3`` sanitiser (:func:`to_html`), so that a script,
an event attribute or a ``javascript:``/``data:`` address cannot reach a page or a PDF.
The website's engine renders the same Markdown after the same check.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

import markdown
import nh3
from markupsafe import Markup

from generator.core.errors import Problem

EXTENSIONS = ["tables", "admonition", "attr_list", "def_list", "md_in_html", "sane_lists",
              "abbr", "pymdownx.details"]
"""The site's Markdown (``mkdocs.yml``) as far as print needs it: a folded block
(``??? note``) prints open."""

TAGS = {"a", "abbr", "blockquote", "br", "code", "dd", "details", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong",
        "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul"}
"""The elements content Markdown and the templates' Markdown blocks may produce."""
ATTRIBUTES = {"*": {"class", "id", "title"}, "a": {"href"}, "img": {"src", "alt"},
              "td": {"align", "style"}, "th": {"align", "style"}}
"""The attributes content Markdown may produce, by element."""
SCHEMES = {"http", "https", "mailto", "tel"}
"""Address schemes allowed in links; anything else (``javascript:``, ``data:``) is refused."""

_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MIGHT_BE_MARKUP = re.compile(r"[<\]]|(?<!\{)\{(?!\{)")
"""Text without these characters cannot hold HTML, a link or an attribute list."""
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20]+")

_markdown = markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def _render(text: str) -> str:
    _markdown.reset()
    return _markdown.convert(str(text))


def clean(html: str) -> str:
    """HTML with only the elements, attributes and addresses content may have."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel=None, strip_comments=True)


@functools.lru_cache(maxsize=4096)
def _safe_html(text: str) -> str:
    """Rendered and sanitised once per text: handouts, handbooks and the manual share it."""
    return clean(_render(text))


def to_html(text: str) -> Markup:
    """Markdown text as sanitised HTML for a Jinja template."""
    # str(): Markup's own string methods would escape what Markdown inserts
    return Markup(_safe_html(str(text)))


def to_inline_html(text: str) -> Markup:
    """Markdown of one line, without the wrapping paragraph."""
    html = _safe_html(str(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


class _Audit(HTMLParser):
    """Collects what rendered content HTML holds that the rules above do not allow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"the <{tag}> element")
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"the '{name}' attribute")
            elif name == "href":  # images are checked (and refused) with their own rules
                address = _CONTROL.sub("", value or "")
                scheme = _SCHEME.match(address)
                if scheme and scheme.group(1).lower() not in SCHEMES:
                    self.found.append(f"a '{scheme.group(1).lower()}:' address")


def refusal(text: str) -> str | None:
    """Why ``text`` may not be used as content, or None when it is plain Markdown."""
    if not _MIGHT_BE_MARKUP.search(text):
        return None
    html = _render(text)
    raw = [block for block in _markdown.htmlStash.rawHtmlBlocks
           if not _ENTITY.fullmatch(block.strip())]
    if raw:
        tag = re.search(r"<[^>]{0,40}>?", text)
        shown = f" ({tag.group(0)})" if tag else ""
        return (f"raw HTML{shown} is not allowed in content; write it in Markdown "
                "(*emphasis*, **bold**, [link text](https://example.org))")
    audit = _Audit()
    audit.feed(html)
    audit.close()
    if audit.found:
        return (f"this text would put {', '.join(dict.fromkeys(audit.found))} on the page, "
                "which content may not do; links may use http:, https:, mailto: or tel: only")
    return None


_ACTIVE_MARKUP = re.compile(
    r"<\s*(?P<tag>script|i?frame|object|embed|applet)\b"
    r"|(?:<[^>]*|\{:?[^}\n]*)\s(?P<event>on[a-z]+)\s*="
    r"|(?:(?:href|src|action)\s*=\s*[\"']?|\]\(\s*<?)\s*(?P<scheme>javascript|vbscript|data):",
    re.IGNORECASE)
_ACTIVE_SIGNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"<\s*(?:script|i?frame|object|embed|applet)\b",
    r"=\s*[\"']?\s*(?:javascript|vbscript|data):",
    r"\]\(\s*<?\s*(?:javascript|vbscript|data):"))
_EVENT_BACKWARD = re.compile(r"=\s*[a-z]+no\s", re.IGNORECASE)
"""`` onclick =`` read backward, from its ``=`` (a character the search can skip to)."""


def _may_be_active(page: str) -> bool:
    """Whether ``page`` holds a part of every match of ``_ACTIVE_MARKUP`` (a tag, the end of
    an event attribute or an address with its scheme). Each of these searches skips to a
    character that starts it, where ``_ACTIVE_MARKUP`` tries every position of the page: a
    page without any is passed many times faster."""
    return (any(sign.search(page) for sign in _ACTIVE_SIGNS)
            or _EVENT_BACKWARD.search(page[::-1]) is not None)


def active_markup(page: str) -> str | None:
    """What in a generated page (site Markdown or print HTML) would run or load code in a
    reader's browser: a script or frame, an event attribute, a ``javascript:`` address; or
    None. Content and translations are refused before this; the check over every page also
    holds for templates, an overlay's among them."""
    found = _ACTIVE_MARKUP.search(page) if _may_be_active(page) else None
    if found is None:
        return None
    what = (f"a <{found['tag'].lower()}> element" if found["tag"] else
            f"the event attribute '{found['event'].lower()}'" if found["event"] else
            f"a '{found['scheme'].lower()}:' address")
    return (f"this page would carry {what}, which no page may (a template puts it there, an "
            "overlay's perhaps): pages may not run scripts; remove it from the template")


def active_pages(pages: dict[str, str]) -> list[Problem]:
    """A problem for each page that would carry active markup (see ``active_markup``)."""
    return [Problem(name, 0, "page", reason) for name, page in sorted(pages.items())
            if (reason := active_markup(page))]
