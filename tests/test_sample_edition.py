"""Safe as shipped: a site any web server can read, and a sample edition (placeholder agency
settings) that says so on every page and prints no placeholder as a real contact."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, pdf_pages, require, require_tool, sample

MARK = "Sample edition: put your agency’s details in content/agency.yml before printing"
FICTIONAL = re.compile(r"555[-. ]?01\d\d")
REAL_AGENCY = """\
agency_name: Lakeside Peer Services
program_name: Lakeside Peer Partners
address: 8 Harbor Lane, Lakeside, OH 43999
coaches:
  - name: Jordan Rivera
    phone: (999) 201-3344
    email: peers@lakeside-peer-services.org
meeting:
  place: Lakeside Library, Room 2
  address: 20 Shore Road, Lakeside, OH 43999
  weekday: Wednesday
  time: "10:30"
  cadence: weekly
budget:
  amount: 40
paper_size: A4
warmline:
  name: Lakeside peer warm line
  phone: (999) 201-7000
backup_staff:
  name: Sam Okafor, program supervisor
  phone: (999) 201-5500
crisis:
  verified_on: {verified}
  local_lines:
    - name: Lake County mobile crisis
      phone: (999) 201-9111
"""


def _pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as poppler's pdftotext reads it in columns."""
    return pdf_pages(pdf, layout=True)


def _html_pages(site: Path) -> list[Path]:
    return [page for page in site.rglob("*.html") if page.name != "404.html"]


# --- the site as a web server reads it ------------------------------------------------


def test_every_site_folder_and_file_is_readable_by_others(built):
    umask = os.umask(0o022)
    os.umask(umask)
    folders = [built, *(path for path in built.rglob("*") if path.is_dir())]
    files = [path for path in built.rglob("*") if path.is_file()]
    assert {stat.S_IMODE(folder.stat().st_mode) for folder in folders} == {0o777 & ~umask}
    assert {stat.S_IMODE(file.stat().st_mode) for file in files} == {0o666 & ~umask}


def test_another_user_can_read_the_site_after_a_rebuild(cli, warm):
    """As a web server or link checker running as nobody reads a copied site."""
    require(os.geteuid() == 0, "needs root to act as another user (CI runs as root)")
    require_tool("setpriv", "util-linux")
    folder = Path(tempfile.mkdtemp(prefix="served-"))
    try:
        folder.chmod(0o755)
        project = warm(sample(folder, "valid-minimal"))
        assert cli(project, "build").exit_code == 0
        form = project / "content" / "forms" / "sample-form.yml"
        form.write_text(form.read_text().replace("title: Sample form", "title: Sample form 2"))
        assert cli(project, "build").exit_code == 0  # the new site is swapped in
        copy = folder / "copy"
        subprocess.run(["cp", "-a", str(project / "site"), str(copy)], check=True)
        read = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup",
                               "--clear-groups", "find", str(copy), "-type", "f",
                               "-exec", "cat", "{}", "+"], capture_output=True)
        assert read.returncode == 0, read.stderr.decode()[:500]
        assert b"Sample form 2" in read.stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the shipped settings: a sample edition -------------------------------------------


def test_every_page_of_every_pdf_is_marked_as_a_sample(built):
    # the Spanish PDFs carry the mark in Spanish (tests/test_spanish.py)
    pdfs = [path for path in sorted((built / "downloads").rglob("*.pdf"))
            if not path.relative_to(built / "downloads").as_posix().startswith("es/")]
    assert len(pdfs) > 50
    for pdf in pdfs:
        for number, page in enumerate(_pages(pdf), 1):
            assert MARK in " ".join(page.split()), f"{pdf.name} page {number}"


def test_no_placeholder_number_prints_and_no_line_is_checked(built):
    for pdf in sorted((built / "downloads").rglob("*.pdf")):
        text = "\n".join(_pages(pdf))
        assert not FICTIONAL.search(text), pdf.name
        assert "coach@example.org" not in text, pdf.name
        assert "Lines checked on" not in text and "Líneas verificadas" not in text, pdf.name
    for page in _html_pages(built):
        html = page.read_text(encoding="utf-8")
        assert not FICTIONAL.search(html), page
        assert "Lines checked on" not in html, page


def test_the_crisis_box_has_988_911_and_lines_to_write_on(built):
    text = " ".join(" ".join(_pages(built / "downloads" / "handouts" / "boundaries.pdf")).split())
    box = text[text.index("If you are in crisis"):]
    assert "988" in box and "911" in box
    assert re.search(r"Local mobile crisis team: _{10,}", box)
    assert re.search(r"Local peer warm line: _{10,}", box)


def test_every_site_page_is_marked_as_a_sample(built):
    pages = _html_pages(built)
    assert len(pages) > 100
    spanish = built / "es"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'class="sample-mark"' in html, page
        mark = "ponga los datos de su agencia en content/agency.yml" if page.is_relative_to(
            spanish) else "put your agency’s details in content/agency.yml"
        assert mark in html, page


def test_the_sample_mark_stays_out_of_search(built):
    index = (built / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "before printing for members" not in index


def test_build_lists_each_placeholder_at_its_line_and_release_refuses(tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "content", project / "content")
    shutil.copy(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(PROJECT / "templates", project / "templates")
    lines = (project / "content" / "agency.yml").read_text().splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if text in line)

    result = cli(project, "build", "--release")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (project / "site").exists()
    for where, field in [("agency_name:", "agency_name"), ("phone: 555-0100", "coaches[0].phone"),
                         ("email: coach@example.org", "coaches[0].email"),
                         ("phone: 555-0101", "warmline.phone"),
                         ("phone: 555-0102", "crisis.local_lines[0].phone")]:
        assert f"content/agency.yml:{line_of(where)}: {field}: " in result.stderr
    assert f"content/agency.yml:{line_of('crisis:')}: crisis.verified_on: no date" in result.stderr
    assert result.stderr.rstrip().endswith("a release needs the agency's own details; "
                                           "nothing was built.")


# --- an agency's own settings ----------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The sample project built with an overlay that holds an agency's real details."""
    from click.testing import CliRunner

    from generator.cli import main

    folder = tmp_path_factory.mktemp("real")
    project = sample(folder, "valid-minimal")
    overlay = folder / "overlay"
    (overlay / "content").mkdir(parents=True)
    (overlay / "content" / "agency.yml").write_text(REAL_AGENCY.format(verified="2026-11-20"))
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build", "--release", "--overlay", str(overlay)],
                                    catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return project, overlay, result


def test_real_settings_remove_every_mark_and_release_passes(real):
    project, _, result = real
    assert result.exit_code == 0, result.output
    assert "Sample edition" not in result.output
    site = project / "site"
    for page in _html_pages(site):
        assert "sample-mark" not in page.read_text(encoding="utf-8"), page
    for pdf in sorted((site / "downloads").rglob("*.pdf")):
        assert not any("Sample edition" in page for page in _pages(pdf)), pdf.name


def test_real_lines_print_with_their_numbers_as_checked(real):
    project, _, _ = real
    text = " ".join(" ".join(_pages(project / "site" / "downloads" / "handouts" /
                                    "sample-lesson.pdf")).split())
    assert "Lake County mobile crisis: (999) 201-9111" in text
    assert "Lakeside peer warm line: (999) 201-7000" in text
    assert "Lines checked on November 20, 2026." in text
    assert "___" not in text[text.index("If you are in crisis"):]


def test_paper_size_may_be_written_in_capitals(real):
    from pypdf import PdfReader

    project, _, _ = real
    box = PdfReader(project / "site" / "downloads" / "handouts" / "sample-lesson.pdf").pages[0]
    width, height = float(box.mediabox.width), float(box.mediabox.height)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)


def test_without_a_check_date_no_line_prints_as_checked_and_release_refuses(real, cli):
    project, overlay, _ = real
    agency = overlay / "content" / "agency.yml"
    agency.write_text(REAL_AGENCY.format(verified="null"))
    result = cli(project, "build", "--release", "--overlay", str(overlay))
    assert result.exit_code == 1
    assert "crisis.verified_on: no date" in result.stderr
    result = cli(project, "build", "--overlay", str(overlay))
    assert result.exit_code == 0
    assert "crisis.verified_on: no date" in result.stderr
    assert "Sample edition" not in result.output
    text = " ".join(" ".join(_pages(project / "site" / "downloads" / "handouts" /
                                    "sample-lesson.pdf")).split())
    assert "Lake County mobile crisis: (999) 201-9111" in text
    assert "Lines checked on" not in text


# --- settings that explain themselves --------------------------------------------------


def test_overlay_init_writes_every_setting_with_what_it_takes(tmp_path, cli):
    result = cli(PROJECT, "overlay", "init", str(tmp_path / "ours"))
    assert result.exit_code == 0
    text = (tmp_path / "ours" / "content" / "agency.yml").read_text()
    assert "or set them in an overlay" not in text
    settings = [line for line in text.splitlines()
                if re.match(r"^\s*(- )?[a-z_]+:", line) and not line.lstrip().startswith("#")]
    assert len(settings) > 25
    for line in settings:
        assert " # " in line, f"no comment: {line}"
    keys = {re.match(r"^\s*(?:- )?([a-z_]+):", line)[1] for line in settings}
    assert {"logo", "logo_alt", "paper_size", "cadence", "site_url"} <= keys
    assert re.search(r"paper_size: letter +# letter \| a4", text)
    assert re.search(r"cadence: every two weeks +# weekly \| every two weeks", text)
    assert "verified_on:" in text
    # the commented settings are what the schema knows: nothing is left out
    data = yaml.safe_load(text)
    schema = yaml.safe_load((PROJECT / "schemas" / "agency.schema.json").read_text())
    deprecated = {name for name, field in schema["properties"].items()
                  if field.get("deprecated")}
    assert deprecated == {"translations"}
    assert set(data) | {"crisis"} >= set(schema["properties"]) - {"logo", "logo_alt"} - deprecated


def test_setup_steps_are_quiet_unless_they_fail(tmp_path):
    log = tmp_path / "setup.log"
    quiet = subprocess.run(["bash", "tools/quietly", str(log), "sh", "-c", "echo noise; echo more >&2"],
                           cwd=PROJECT, capture_output=True, text=True)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert "noise" in log.read_text()
    loud = subprocess.run(["bash", "tools/quietly", str(log), "sh", "-c", "echo why; exit 3"],
                          cwd=PROJECT, capture_output=True, text=True)
    assert loud.returncode == 3
    assert "why" in loud.stderr and str(log) in loud.stderr


def test_a_check_date_still_to_come_is_refused_at_its_line(real, cli):
    """Lines print as checked only once someone has called them: a ``verified_on`` after
    today (2027-12-01 typed for 2026-12-01, say) is a mistake, refused by check and build."""
    import datetime as dt

    project, overlay, _ = real
    agency = overlay / "content" / "agency.yml"
    coming = dt.date.today() + dt.timedelta(days=1)
    agency.write_text(REAL_AGENCY.format(verified=coming.isoformat()))
    line = next(number for number, text in enumerate(
        agency.read_text(encoding="utf-8").splitlines(), 1) if "verified_on:" in text)
    try:
        for command in ("check", "build"):
            result = cli(project, command, "--overlay", str(overlay))
            assert result.exit_code == 1, result.output
            assert (f"agency.yml:{line}: crisis.verified_on: {coming.isoformat()} is after "
                    "today" in result.stderr), result.stderr
        agency.write_text(REAL_AGENCY.format(verified=dt.date.today().isoformat()))
        assert cli(project, "check", "--overlay", str(overlay)).exit_code == 0
    finally:
        agency.write_text(REAL_AGENCY.format(verified="2026-11-20"))
