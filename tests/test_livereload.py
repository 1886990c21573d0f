"""The live preview's web server: what it serves from the site folder, what it keeps out, and
when an open page learns that the site was rebuilt."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator import livereload


@pytest.fixture
def served(tmp_path: Path):
    """A site folder of two pages, a stylesheet and a 404 page (and a file beside it), served
    on a free port."""
    folder = tmp_path / "site"
    (folder / "lessons").mkdir(parents=True)
    (folder / "index.html").write_text("<html><body><p>Home</p></body></html>")
    (folder / "lessons" / "index.html").write_text("<html><body><p>Lessons</p></body></html>")
    (folder / "404.html").write_text("<html><body><p>Not here</p></body></html>")
    (folder / "style.css").write_text("p { color: black; }")
    (tmp_path / "secret.txt").write_text("outside the site")
    site = livereload.Site(folder)
    server = livereload.Server("127.0.0.1", 0, site)
    server.start()
    with site.rebuilding():  # the first build
        pass
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.stop()


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def test_pages_come_with_the_reload_script_and_a_folder_with_its_home_page(served):
    site, url = served
    status, headers, body = _get(url)
    assert status == 200 and "<p>Home</p>" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.index(f"/livereload/{site.version}") < body.index("</body>")
    status, _, body = _get(url + "lessons")  # redirected to lessons/
    assert status == 200 and "<p>Lessons</p>" in body and f"/livereload/{site.version}" in body


def test_missing_files_get_the_sites_404_page_and_nothing_outside_the_folder(served):
    _, url = served
    for missing in ("nothing.pdf", "../secret.txt", "%2e%2e/secret.txt", "lessons/../../secret.txt"):
        status, _, body = _get(url + missing)
        assert status == 404, missing
        assert "Not here" in body and "outside the site" not in body


def test_a_stylesheet_is_asked_about_again_and_sent_again_once_changed(served):
    site, url = served
    status, headers, body = _get(url + "style.css")
    assert status == 200 and body == "p { color: black; }"
    assert headers["Cache-Control"] == "no-cache"
    assert _get(url + "style.css", **{"If-None-Match": headers["ETag"]})[0] == 304
    (site.folder / "style.css").write_text("p { color: navy; }")
    status, _, body = _get(url + "style.css", **{"If-None-Match": headers["ETag"]})
    assert status == 200 and body == "p { color: navy; }"


def test_an_open_page_hears_of_a_rebuild_once_it_is_whole(served):
    site, url = served
    shown = site.version  # the version an open page shows and asks about
    answers: list[str] = []
    asking = threading.Thread(target=lambda: answers.append(_get(url + f"livereload/{shown}")[2]))
    with site.rebuilding():
        asking.start()
        time.sleep(0.3)  # the page asks while the site is being written
        assert answers == []
        (site.folder / "index.html").write_text("<html><body><p>New home</p></body></html>")
    asking.join(timeout=10)
    assert answers == [str(shown + 1)]
    assert "New home" in _get(url)[2]
