"""Benchmark of the build: ``make bench`` (options: ``python bench/run.py --help``).

Measures, each as the median of several runs, on a copy of the project in a temporary folder:
the cold full build, a rebuild with nothing changed, a rebuild after a one-sentence edit of
one lesson's handout, the live preview (what the person sees: from saving that lesson to the
new sentence showing in the Chromium tab that has its page open, driven by Playwright; and,
for comparison, to its Markdown page being regenerated), the cold build with the content
multiplied (time and peak memory), and "the floor": the engines alone on the same generated
inputs (MkDocs building the generated pages; WeasyPrint rendering every generated print page
one after the other in one process). Prints a table and writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = PROJECT / "build" / "bench" / "results.json"
PROJECT_FILES = ("content", "locales", "templates", "mkdocs.yml", "node_modules/iframe-worker")


def copy_project(target: Path, scale: int = 1) -> Path:
    """The project's inputs in ``target``; lessons and forms copied ``scale`` times."""
    for name in PROJECT_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    for folder in ("lessons", "forms"):
        originals = sorted((target / "content" / folder).glob("*.yml"))
        for copy in range(2, scale + 1):
            for path in originals:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                data["id"] = f"{data['id']}-{copy}"
                data["title"] = f"{data['title']} ({copy})"
                (path.parent / f"{data['id']}.yml").write_text(
                    yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def measured(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak memory (MiB, largest single process) of ``command``."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "code = subprocess.run(sys.argv[1:]).returncode; "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code, file=sys.stderr)")
    result = subprocess.run([PYTHON, "-c", probe, *command], cwd=cwd, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds, peak, code = result.stderr.split()[-3:]
    if code != "0":
        raise SystemExit(f"failed: {' '.join(command)} in {cwd}\n{result.stderr}")
    return float(seconds), int(peak) // 1024


def build(folder: Path) -> tuple[float, int]:
    return measured([PYTHON, "-m", "generator", "build"], folder)


def edit_lesson(folder: Path, lesson: str = "boundaries", marker: str = "") -> str:
    """Change one sentence of one lesson's handout; return the new text."""
    path = folder / "content" / "lessons" / f"{lesson}.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("handout:")
    end = text.index(".", text.index("body:", start))
    added = f" Edited {marker or time.time_ns()}"
    path.write_text(text[:end] + added + text[end:], encoding="utf-8")
    return added.strip()


def floor(folder: Path) -> dict[str, float]:
    """The engines alone on the inputs the build generated in ``folder``: WeasyPrint in one
    process on the print page of every PDF the build prints (every edition's), and MkDocs
    on every edition's site; with the English edition's share of each, the floor measured
    before there were translated editions."""
    pages = folder / "build" / "print-html"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir(parents=True)
    dump = ("import sys; from pathlib import Path; from generator.builders import registry; "
            "from generator.builders.context import Build, editions; "
            "from generator.core.project import Project; "
            "p = Project(Path('.')); found = editions(p); b = Build(p); "
            "registry.prepare(found, b, registry.BUILDERS[:1]); "
            "jobs = [j for _, js in b.prepared['pdf'] for j in js if not j.held]; "
            "[Path(sys.argv[1], f'{i:04}.{j.language}.html').write_text(j.html) "
            "for i, j in enumerate(jobs)]")
    subprocess.run([PYTHON, "-c", dump, str(pages)], cwd=folder, check=True)
    render = ("import json, sys, time; from pathlib import Path; from weasyprint import HTML; "
              "base = Path('.').resolve().as_uri() + '/'; "
              "o = {'pdf_forms': True, 'pdf_variant': 'pdf/ua-1', 'optimize_images': True}; "
              "t = {}\n"
              "for f in sorted(Path(sys.argv[1]).glob('*.html')):\n"
              "    s = time.perf_counter()\n"
              "    HTML(string=f.read_text(), base_url=base).write_pdf(str(f) + '.pdf', **o)\n"
              "    lang = f.name.split('.')[1]; t[lang] = t.get(lang, 0) + time.perf_counter() - s\n"
              "Path(sys.argv[1], 'times.json').write_text(json.dumps(t))")
    weasyprint, _ = measured([PYTHON, "-c", render, str(pages)], folder)
    english = json.loads((pages / "times.json").read_text())["en"]
    english_share = english / sum(json.loads((pages / "times.json").read_text()).values())
    sites = {}
    for config in sorted((folder / "build").glob("mkdocs*.yml")):
        with tempfile.TemporaryDirectory() as out:
            sites[config.name], _ = measured([PYTHON, "-m", "mkdocs", "build", "-q", "-f",
                                              str(config), "-d", out], folder)
    mkdocs = sum(sites.values())
    return {"weasyprint": weasyprint, "mkdocs": mkdocs, "total": weasyprint + mkdocs,
            "weasyprint_en": weasyprint * english_share, "mkdocs_en": sites["mkdocs.yml"]}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
PREVIEW_PAGE = "participants/lessons/boundaries"
"""The page the person has open while editing the lesson's handout."""


def chromium() -> str:
    """Debian's Chromium for Playwright, or exit saying how to get it (before measuring)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise SystemExit("the live-preview figure needs Playwright: run `make test` once, or "
                         ".venv/bin/pip install -e '.[test]'") from None
    browser = shutil.which("chromium")
    if not browser:
        raise SystemExit("the live-preview figure needs Chromium: apt-get install chromium")
    return browser


def live_preview(folder: Path, saves: int = 5) -> dict[str, list[float]]:
    """Seconds from saving a lesson to the new sentence showing in the Chromium tab that has
    its page open under `curriculum serve` (``visible``: what the person sees), and to its
    Markdown page being regenerated on disk (``regenerated``): one of each per save."""
    from playwright.sync_api import Error, sync_playwright

    from generator.serve import PREVIEW_PREFIX

    port = _port()
    temporary = folder / "preview-tmp"  # where the preview makes its own folder
    temporary.mkdir(exist_ok=True)
    server = subprocess.Popen([PYTHON, "-m", "generator", "serve", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=folder,
                              env={**os.environ, "TMPDIR": str(temporary)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    times: dict[str, list[float]] = {"visible": [], "regenerated": []}
    try:
        started = []
        for line in server.stderr:  # wait until the server is up
            started.append(line)
            if "Serving on" in line:
                break
        else:
            raise SystemExit("the live preview did not start:\n" + "".join(started))
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep it drained
        [preview] = temporary.glob(f"{PREVIEW_PREFIX}*")
        page_md = preview / "docs" / f"{PREVIEW_PAGE}.md"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(),
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{PREVIEW_PAGE}.html")
            for save in range(saves):
                page.wait_for_load_state("load")
                time.sleep(1.5)  # the person reads a moment before the next save
                added = edit_lesson(folder, marker=f"{save}x{time.time_ns()}")
                saved = time.perf_counter()
                regenerated = None
                while True:
                    now = time.perf_counter()
                    if now - saved > 30:
                        raise SystemExit("the live preview did not show the edit in 30 s")
                    if regenerated is None and added in page_md.read_text(encoding="utf-8"):
                        regenerated = now - saved
                    try:
                        if page.evaluate("t => document.body.innerText.includes(t)", added):
                            break
                    except Error:  # the page is reloading
                        pass
                    time.sleep(0.01)
                times["visible"].append(time.perf_counter() - saved)
                times["regenerated"].append(regenerated if regenerated is not None
                                            else now - saved)
            browser.close()
        return times
    finally:
        server.terminate()  # the preview stops as on Ctrl-C and removes its own folder
        server.wait(timeout=30)


def median(runs: list[float]) -> float:
    return round(statistics.median(runs), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--saves", type=int, default=5,
                        help="saves per run for the live-preview figures (default 5)")
    parser.add_argument("--scales", default="10,50",
                        help="content multipliers for the scale figures (default 10,50)")
    parser.add_argument("--preview-only", action="store_true",
                        help="measure the live preview only (no builds)")
    options = parser.parse_args()
    chromium()  # before anything long: say now if the browser figure cannot be measured
    scales = [] if options.preview_only else [int(s) for s in options.scales.split(",") if s]
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="curriculum-bench-") as temp:
        runs: dict[str, list[float]] = {"cold": [], "no_change": [], "edit": [], "visible": [],
                                        "regenerated": [], "floor_mkdocs": [],
                                        "floor_weasyprint": [], "floor_english": []}
        peaks = []
        for run in range(options.runs):
            folder = copy_project(Path(temp) / f"run-{run}")
            if not options.preview_only:
                seconds, peak = build(folder)
                runs["cold"].append(seconds)
                peaks.append(peak)
                runs["no_change"].append(build(folder)[0])
                # the floor on the cold build's inputs: after the edit, the translated
                # PDFs that print the edited text wait for their translation
                engines = floor(folder)
                runs["floor_mkdocs"].append(engines["mkdocs"])
                runs["floor_weasyprint"].append(engines["weasyprint"])
                runs["floor_english"].append(engines["weasyprint_en"] + engines["mkdocs_en"])
                edit_lesson(folder, marker=str(run))
                runs["edit"].append(build(folder)[0])
            preview = live_preview(folder, options.saves)  # after a build: its PDFs are there
            runs["visible"] += preview["visible"]
            runs["regenerated"] += preview["regenerated"]
        if not options.preview_only:
            cold = median(runs["cold"])
            floor_total = median(runs["floor_mkdocs"]) + median(runs["floor_weasyprint"])
            handbook = folder / "site" / "downloads" / "participant-handbook.pdf"
            figures["cold full build"] = {"seconds": cold, "peak_mib": max(peaks),
                                          "ratio_to_floor": round(cold / floor_total, 2),
                                          "handbook_mb": round(handbook.stat().st_size / 1e6, 2)}
            figures["floor: mkdocs alone, every edition"] = {
                "seconds": median(runs["floor_mkdocs"])}
            figures["floor: weasyprint alone, one process, every edition"] = {
                "seconds": median(runs["floor_weasyprint"])}
            figures["floor: the English edition's share (the floor before translations)"] = {
                "seconds": median(runs["floor_english"]),
                "cold_ratio": round(cold / median(runs["floor_english"]), 2)}
            figures["no-change rebuild"] = {"seconds": median(runs["no_change"])}
            figures["one-lesson edit"] = {"seconds": median(runs["edit"]),
                                          "share_of_cold": round(median(runs["edit"]) / cold, 2)}
        saves = len(runs["visible"])
        figures["live preview: save to new text visible in Chromium"] = {
            "seconds": median(runs["visible"]), "saves": saves,
            "slowest": round(max(runs["visible"]), 3)}
        figures["live preview: save to Markdown regenerated"] = {
            "seconds": median(runs["regenerated"]), "saves": saves}
        for scale in scales:
            times, scale_peaks = [], []
            for run in range(options.runs):
                folder = copy_project(Path(temp) / f"scale-{scale}-{run}", scale)
                seconds, peak = build(folder)
                times.append(seconds)
                scale_peaks.append(peak)
                shutil.rmtree(folder)
            figures[f"cold build, content x{scale}"] = {
                "seconds": median(times), "peak_mib": max(scale_peaks),
                "ratio_to_x1": round(median(times) / cold, 1)}
    report = {"cpus": os.cpu_count(), "runs": options.runs, "figures": figures}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, figures))
    print(f"{'figure':<{width}}  {'seconds':>8}  details")
    for name, values in figures.items():
        details = ", ".join(f"{k} {v}" for k, v in values.items() if k != "seconds")
        print(f"{name:<{width}}  {values['seconds']:>8.2f}  {details}")
    print(f"\n{options.runs} runs per figure (median; the live preview: {options.saves} saves "
          f"a run, median of all), {os.cpu_count()} CPUs; written to "
          f"{RESULTS.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
