"""The program outcomes report: the figures as an HTML page and a tagged PDF, in the print
design and the agency's settings, with an SVG chart per section.

Charts are Vega-Lite specifications drawn offline by vl-convert. Each is an ``<img>`` in a
``<figure>`` with a text alternative (its title and a one-sentence summary), beside the
table of its figures, so the PDF tags it as a Figure with /Alt. The HTML needs no network:
the charts are inside it as ``data:`` URLs, which the PDF renderer may read and no other.
"""

from __future__ import annotations

import base64
import functools
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.catalog import Catalog
from generator.core.language import ENGLISH
from generator.core.errors import ContentError, Problem
from generator.core.outcomes import Figures, UseRow, figures, read, statement_key
from generator.builders.pdf import FONT_DIR, confined_fetcher, environment
from generator.core.content import load_catalog
from generator.core.project import Project
from generator.core.sample import MARK
from generator.core.write import write_whole, writing_into

INTERNAL = "Internal: contains small numbers; do not publish"
PUBLIC = "For publication: counts from 1 to 10 are hidden"
FONT = "Atkinson Hyperlegible"
TEAL, LIGHT = "#0b3b3c", "#8cc3c3"
ANSWER_COLOURS = [TEAL, "#5b9a9a", "#d9a15b", "#8a4b12", "#8c8c8c"]
"""Definitely agree to definitely disagree, then does not apply: dark to light on each
side, and distinct in greyscale."""
ANSWER_NAMES = ["Definitely agree", "Somewhat agree", "Somewhat disagree",
                "Definitely disagree", "Does not apply"]


@dataclass(frozen=True)
class Chart:
    """One chart as the report shows it."""

    title: str
    summary: str
    """What the chart shows, in one sentence: with the title, its text alternative."""
    src: str
    """The SVG as a data: URL."""

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.summary}"


def write_report(project: Project, files: list[Path], folder: Path,
                 public: bool = False) -> list[Path]:
    """Read the outcomes files, and write ``outcomes.html`` and ``outcomes.pdf`` into
    ``folder``; raises ContentError listing every problem in the files (or the content)."""
    outcomes = read(files, project.shown)
    catalog = load_catalog(project, rules=False)  # the report reads the survey's statements
    found = figures(outcomes, public, survey_statements(catalog))
    html, charts = render(project, catalog, found)
    page = folder / "outcomes.html"
    pdf = folder / "outcomes.pdf"
    with writing_into(folder):  # each file whole or as it was, the PDF first
        folder.mkdir(parents=True, exist_ok=True)
        _write_pdf(project, html, charts, pdf)
        write_whole(page, lambda partial: partial.write_text(html, encoding="utf-8"))
    return [page, pdf]


def survey_statements(catalog: Catalog) -> frozenset[str]:
    """What the project's forms ask, as outcomes files' statements are matched: the only
    statement texts a public report quotes."""
    return frozenset(statement_key(form_field.label) for form in catalog.forms.values()
                     for section in form.sections for form_field in section.fields)


def render(project: Project, catalog: Catalog, found: Figures) -> tuple[str, dict[str, bytes]]:
    """The report's HTML, and the SVG of each chart under its data: URL."""
    charts = {key: chart for key, chart in (("outcomes", outcomes_chart(found)),
                                            ("survey", survey_chart(found)),
                                            ("use", use_chart(found))) if chart}
    dirs = project.template_dirs("report")
    env = environment([*dirs, *[d for d in project.template_dirs("print") if d not in dirs]],
                      project.shown, ENGLISH)
    agency = catalog.agency
    html = env.page("outcomes.html.j2", {
        "title": "Program outcomes report", "figures": found, "charts": charts,
        "program": catalog.program, "agency": agency, "sample": catalog.sample,
        "sample_mark": MARK, "unreviewed": False, "font_dir": FONT_DIR.as_uri(),
        "large_print": False,
        "paper": "A4" if agency.paper_size == "a4" else "letter",
        "marking": PUBLIC if found.public else INTERNAL, "answers": ANSWER_NAMES,
    })
    env.raise_problems()
    return html, {chart.src: _svg(chart.src) for chart in charts.values()}


def _svg(src: str) -> bytes:
    return base64.b64decode(src.split(",", 1)[1])


@functools.cache
def _vega() -> Any:
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))  # text is measured in the print font
    return vl_convert


def _chart(spec: dict[str, Any], title: str, summary: str) -> Chart:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "description": f"{title}. {summary}", "background": "white",
            "config": {"font": f"{FONT}, sans-serif", "view": {"stroke": None},
                       "axis": {"labelFontSize": 11, "titleFontSize": 11,
                                "labelColor": "#000", "titleColor": "#000"},
                       "legend": {"labelFontSize": 11, "orient": "top", "title": None}},
            **spec}
    svg = _vega().vegalite_to_svg(spec)
    return Chart(title, summary, "data:image/svg+xml;base64," +
                 base64.b64encode(svg.encode("utf-8")).decode("ascii"))


def _wrapped(text: str, width: int = 34) -> str:
    """A label on several lines (the chart's axis splits it at each "|")."""
    return "|".join(textwrap.wrap(text, width)) or text


_SPLIT = "split(datum.label, '|')"


def outcomes_chart(found: Figures) -> Chart | None:
    """Initial against final share of each indicator, as grouped bars."""
    table = found.chart_outcomes
    if table is None:
        return None
    shown = [row for row in table.rows
             if not (row.initial.percent.suppressed or row.final.percent.suppressed)]
    if not shown:
        return None
    values = [{"indicator": _wrapped(f"{row.number} {row.statement}"), "round": name,
               "percent": float(share.percent.value), "label": share.percent.text}
              for row in shown for name, share in (("First interview", row.initial),
                                                   ("Closing interview", row.final))]
    rounds = ["First interview", "Closing interview"]
    spec = {"width": 300, "height": {"step": 24}, "data": {"values": values},
            "encoding": {
                "y": {"field": "indicator", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelExpr": _SPLIT, "labelLimit": 260}},
                "yOffset": {"field": "round", "sort": rounds},
                "x": {"field": "percent", "type": "quantitative",
                      "scale": {"domain": [0, 100]}, "axis": {"values": [0, 20, 40, 60, 80, 100]},
                      "title": "People with the outcome present (%)"},
                "color": {"field": "round", "sort": rounds,
                          "scale": {"domain": rounds, "range": [LIGHT, TEAL]}}},
            "layer": [{"mark": "bar"},
                      {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                       "encoding": {"text": {"field": "label"}, "color": {"value": "#000"}}}]}
    hidden = len(table.rows) - len(shown)
    if len(shown) == 1:
        row = shown[0]
        said = (f"The outcome “{row.statement}” was present for {row.initial.percent.text} of "
                f"the people interviewed at the first interview and {row.final.percent.text} "
                "at closing")
    else:
        rises = sum(row.change.value > 0 for row in shown)
        falls = sum(row.change.value < 0 for row in shown)
        best = max(shown, key=lambda row: row.change.value)
        said = (f"{rises} of the {len(shown)} indicators shown were present for more people "
                "at the closing interview than at the first"
                + (f" and {falls} for fewer" if falls else "")
                + (f"; the largest rise was in “{best.statement}”, from "
                   f"{best.initial.percent.text} to {best.final.percent.text}"
                   if best.change.value > 0 else ""))
    summary = said + (f" ({hidden} more {'is' if hidden == 1 else 'are'} hidden: small "
                      "numbers)" if hidden else "") + "."
    return _chart(spec, f"Personal outcomes, {table.heading}: share of people with each "
                        "outcome present, first and closing interview", summary)


def survey_chart(found: Figures) -> Chart | None:
    """Each statement's answers as stacked bars, "Definitely agree" first."""
    table = found.chart_survey
    if table is None:
        return None
    shown = [row for row in table.rows if not any(cell.suppressed for cell in row.tallies)]
    if not shown:
        return None
    kinds = 5 if found.has_does_not_apply else 4
    values = [{"statement": _wrapped(row.statement, 40), "answer": ANSWER_NAMES[index],
               "order": index, "count": row.tallies[index].value}
              for row in shown for index in range(kinds)]
    spec = {"width": 280, "height": {"step": 32}, "data": {"values": values},
            "mark": "bar",
            "encoding": {
                "y": {"field": "statement", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelExpr": _SPLIT, "labelLimit": 300}},
                "x": {"field": "count", "type": "quantitative", "stack": "zero",
                      "title": "Surveys with each answer"},
                "color": {"field": "answer", "sort": ANSWER_NAMES[:kinds],
                          "scale": {"domain": ANSWER_NAMES[:kinds],
                                    "range": ANSWER_COLOURS[:kinds]}},
                "order": {"field": "order"}}}
    tops = [row.top.value for row in shown if row.top.value is not None]
    if not tops:
        said = "No one answered the statements shown on the four-point scale"
    elif len(shown) == 1:
        said = f"“Definitely agree” was the answer of {tops[0]}% of those who answered"
    else:
        said = (f"“Definitely agree” was the answer of {min(tops)}% to {max(tops)}% of those "
                f"who answered each of the {len(shown)} statements shown")
    hidden = len(table.rows) - len(shown)
    summary = said + (f" ({hidden} more {'is' if hidden == 1 else 'are'} hidden: small "
                      "numbers)" if hidden else "") + "."
    return _chart(spec, f"Satisfaction survey, {table.heading}: answers to each statement",
                  summary)


def _use_of(rows: list[UseRow]) -> UseRow | None:
    return next((row for row in rows if row.pooled), rows[0] if len(rows) == 1 else None)


def use_chart(found: Figures) -> Chart | None:
    """Hospital stays (and emergency visits) per 12 months, before and during."""
    measures = [(name, row) for name, row in (("Hospital stays", _use_of(found.stays)),
                                              ("Emergency visits", _use_of(found.visits)))
                if row is not None and not (row.before.rate.suppressed
                                            or row.during.rate.suppressed)]
    if not measures:
        return None
    heading = measures[0][1].heading
    if any(row.heading != heading for _, row in measures):  # one reported by one group only
        measures = [(f"{name} ({row.heading})", row) for name, row in measures]
        heading = "as reported"
    periods = ["Before the program", "During the program"]
    values = [{"measure": name, "period": period, "rate": float(use.rate.value),
               "label": use.rate.text}
              for name, row in measures
              for period, use in zip(periods, (row.before, row.during))]
    spec = {"width": 300, "height": {"step": 26}, "data": {"values": values},
            "encoding": {
                "y": {"field": "measure", "type": "nominal", "sort": None, "title": None},
                "yOffset": {"field": "period", "sort": periods},
                "x": {"field": "rate", "type": "quantitative", "title": "Per 12 months",
                      "axis": {"tickCount": 5}},
                "color": {"field": "period", "sort": periods,
                          "scale": {"domain": periods, "range": [LIGHT, TEAL]}}},
            "layer": [{"mark": "bar"},
                      {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                       "encoding": {"text": {"field": "label"}, "color": {"value": "#000"}}}]}
    said = [f"{name[0].lower()}{name[1:]} went from {row.before.rate.text} a year before the "
            f"program to {row.during.rate.text} a year during it"
            + (f" ({row.change.text})" if not row.change.suppressed else "")
            for name, row in measures]
    summary = "; ".join(said)
    return _chart(spec, f"Hospital and emergency-service use, {heading}: per 12 months, "
                        "before and during the program", summary[0].upper() + summary[1:] + ".")


def _write_pdf(project: Project, html: str, charts: dict[str, bytes], target: Path) -> None:
    """The report as a tagged PDF (PDF/UA-1); a file the page may not read or that cannot
    be fetched becomes a Problem, a fault of the machine (a full disk) stays an OSError
    naming the file, and any other exception is a bug, raised with its traceback."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetchingError

    options = {"pdf_variant": "pdf/ua-1", "optimize_images": True}
    try:
        document = HTML(string=html, base_url=project.root.resolve().as_uri() + "/",
                        url_fetcher=_fetcher(project, charts)).render(**options)
        write_whole(target, lambda partial: document.write_pdf(str(partial), **options))
    # URLFetchingError is an OSError, but of the page, not of the machine
    except (FatalURLFetchingError, URLFetchingError) as error:
        raise ContentError([Problem(project.shown(target), 0, "pdf",
                                    f"could not be made ({type(error).__name__}: {error}); "
                                    "check the report templates")]) from None


def _fetcher(project: Project, charts: dict[str, bytes]) -> Any:
    """The project's confined fetcher, which also reads this report's own charts."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    confined = confined_fetcher(project)

    class ChartsAndProject(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url in charts:
                return URLFetcherResponse(url, charts[url], {"Content-Type": "image/svg+xml"})
            return confined.fetch(url, headers)

    return ChartsAndProject(allowed_protocols={"file", "data"})

