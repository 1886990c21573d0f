"""Images are images: the agency's logo and the images in content are checked by what they
hold, not by their names, before the site shows them and the PDFs print them.

A raster image is read by Pillow (PNG, JPEG, GIF or WebP only); its size on disk and its
pixel count are limited, so that a file of zeros or a small file that decodes to
gigabytes (a decompression bomb) is refused instead of copied or silently left off a PDF.
An SVG is vector text: it may draw, and nothing else: no script, no event handler, no
reference to any file or address outside itself (the site publishes it as a file that a
browser would open on its own).
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from xml.parsers import expat

from generator.core import files

MAX_IMAGE_BYTES = 10_000_000
"""Images above this size on disk are refused (a logo is usually under 100 kB)."""
MAX_PIXELS = 40_000_000
"""Images of more pixels than this (all frames together) are refused: 40 megapixels
is a large photograph; more would take gigabytes of memory to print."""
SUFFIXES = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "GIF": (".gif",),
            "WEBP": (".webp",), "SVG": (".svg",)}
"""The image formats the site and the PDFs show, and the file names each may have (the
name decides how a browser treats the published file)."""

RASTER_NAMES = "PNG, JPEG, GIF, WebP"

_SVG = "{http://www.w3.org/2000/svg}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_ACTIVE = {"script", "foreignObject", "handler", "listener"}
"""SVG elements that run script or hold HTML."""
_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|javascript:", re.IGNORECASE)
"""A style or attribute that reaches outside the image: any url() but to an element of
its own (``url(#gradient)``), an import, a script address."""


def problem(path: Path) -> str | None:
    """Why the file at ``path`` is not an image the site and the PDFs can show (a clause:
    "it is ...", "the file is ..."), or none."""
    try:
        data = files.read_bytes(path, MAX_IMAGE_BYTES, "images",
                                ": save it smaller (a logo needs a few hundred pixels)")
    except files.Refused as refused:
        return str(refused)
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        found, why = "SVG", _svg_problem(data)
    else:
        found, why = _raster_problem(data)
    if why:
        return why
    if path.suffix.lower() not in SUFFIXES[found]:
        article = "an" if found[0] in "AEFHILMNORSX" else "a"
        return (f"it holds {article} {found} image, but its name ends in '{path.suffix}'; "
                f"rename it to end in {SUFFIXES[found][0]}")
    return None


def _raster_problem(data: bytes) -> tuple[str, str | None]:
    """The format of a raster image and why it cannot be shown, if it cannot."""
    from PIL import Image, UnidentifiedImageError  # only content with images needs Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[k for k in SUFFIXES if k != "SVG"]) \
                    as image:
                found = image.format or "PNG"
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if width * height * frames > MAX_PIXELS:
                    return found, _too_many(f"{width:,} × {height:,} pixels"
                                            + (f" in {frames} frames" if frames > 1 else ""))
                image.load()
    except UnidentifiedImageError:
        return "", f"its content is not an image ({RASTER_NAMES} or SVG), whatever its name says"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))  # Pillow names the count
        return "", _too_many(f"{int(pixels[1]):,} pixels" if pixels else "too large")
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        return "", (f"it cannot be read as an image ({error}); it may be cut short or "
                    "damaged: export it again")
    return found, None


def _too_many(size: str) -> str:
    return (f"the image is {size}; images may have at most {MAX_PIXELS // 1_000_000} "
            "megapixels: scale it down")


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be shown: not well-formed, declarations that expand or fetch
    (a DOCTYPE, entities, processing instructions), script, event handlers, or references
    to anything outside itself."""
    refused: list[str] = []
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = lambda *args: refused.append("a DOCTYPE")
    parser.EntityDeclHandler = lambda *args: refused.append("an entity declaration")
    parser.ProcessingInstructionHandler = lambda target, data: refused.append(
        f"the processing instruction <?{target}?>")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return f"it is not a well-formed SVG image ({error}): export it again"
    if refused:
        return (f"it is an SVG image with {refused[0]}, which images may not hold: export "
                "it again as plain SVG")
    root = ElementTree.fromstring(data)
    if root.tag != f"{_SVG}svg":
        return f"its content is not an image ({RASTER_NAMES} or SVG), whatever its name says"
    for element in root.iter():
        found = _active(element)
        if found:
            return (f"it is an SVG image with {found}; an image may not run script or "
                    "load anything: export it again as plain SVG")
    if _nested_use(root):
        return ("it is an SVG image with a <use> of an element that itself holds a <use>, "
                "which can multiply without end: export it again as plain SVG")
    return None


def _nested_use(root: ElementTree.Element) -> bool:
    """Whether a ``<use>`` repeats something that repeats something else: nested, a few
    dozen of them draw billions of shapes (the SVG form of an alias bomb)."""
    uses = [element for element in root.iter() if element.tag == f"{_SVG}use"]
    using = {element.get("id") for element in root.iter()
             if element.get("id") and any(inner.tag == f"{_SVG}use" for inner in element.iter())}
    return any(next((value for name, value in use.attrib.items() if name.endswith("href")),
                    "").lstrip("#") in using for use in uses)


def _active(element: ElementTree.Element) -> str | None:
    """What in one SVG element could run script or reach outside the image, if anything."""
    tag = element.tag if isinstance(element.tag, str) else ""
    name = tag.rsplit("}", 1)[-1]
    if name in _ACTIVE or tag.startswith(_XHTML):
        return f"a <{name}> element"
    if name == "style" and _REFERENCE.search(element.text or ""):
        return "a style that loads something"
    for attribute, value in element.attrib.items():
        local = attribute.rsplit("}", 1)[-1]
        if local.lower().startswith("on"):
            return f"an event handler ({local})"
        if local == "href" and not value.strip().startswith("#"):
            return f"a link to '{value}'"
        if local == "attributeName" and value.rsplit(":", 1)[-1] == "href":
            return "an animation that changes a link"
        if _REFERENCE.search(value):
            return f"a reference to something outside it ({local})"
    return None
