"""Random input never crashes the loader or the checker: it is content or a clean error.

Hypothesis feeds random YAML text, random data in place of a lesson's fields, and random
Markdown with HTML in it. The only outcomes allowed are success or a ContentError whose
every problem names a file, a line and a field.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOTS
from generator.core.errors import ContentError
from generator.core.markup import _ACTIVE_MARKUP, _may_be_active, refusal, to_html
from generator.core.content import load_catalog

EXAMPLES = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

LESSON = ROOTS / "valid-minimal" / "content" / "lessons" / "sample-lesson.yml"
SAMPLE = yaml.safe_load(LESSON.read_text(encoding="utf-8"))

yaml_text = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`?,\t\n  0123é“”\\")),
                    max_size=200)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
html_bits = st.sampled_from(["<script>x</script>", "<b>", "</div>", "[a](javascript:x)",
                             "[a](https://example.org)", "{: onclick=x }", "&amp;", "<", ">",
                             "`<i>`", "![a](data:x)", "*em*", "\n\n", " ", "text", "<!--"])

page_bits = st.sampled_from(["<", ">", "{", "{:", "}", "\n", " ", "\t", "=", '"', "'", "](", "<",
                             " on", " ON", "on", "oN", "click", "error", "x", "script", "IFRAME",
                             "frame", "applet", "href", "SRC", "action", "javascript", "VBScript",
                             "data", ":", "\u017f", "\u212a", "é", " onclick=", "<img ", "{: ",
                             " onerror =", "href=", "javascript:", "](javascript:", "< script"])


ACTIVE = re.compile(r"<script|<!--|<[^>]*\son\w+\s*=|(?:href|src)=\"\s*(?:javascript|data):")
"""Anything in rendered HTML that could run or embed something."""


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("properties") / "project"
    shutil.copytree(ROOTS / "valid-minimal", target)
    return target


def _outcome(project: Path) -> None:
    """Load and check; a content error must locate every problem."""
    try:
        load_catalog(project)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path.startswith("content/") and problem.line >= 1, problem
            assert problem.field and problem.message, problem


@EXAMPLES
@given(text=yaml_text)
def test_random_yaml_text_is_content_or_a_clean_error(minimal, text):
    (minimal / "content" / "lessons" / "sample-lesson.yml").write_text(text, encoding="utf-8")
    _outcome(minimal)


@EXAMPLES
@given(field=st.sampled_from(sorted(SAMPLE)), value=values)
def test_random_values_in_a_lesson_are_content_or_a_clean_error(minimal, field, value):
    data = copy.deepcopy(SAMPLE)
    data[field] = value
    (minimal / "content" / "lessons" / "sample-lesson.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _outcome(minimal)


@EXAMPLES
@given(data=st.dictionaries(st.text(max_size=12), values, max_size=6))
def test_random_mappings_as_a_form_are_content_or_a_clean_error(minimal, data):
    (minimal / "content" / "forms" / "sample-form.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _outcome(minimal)


@EXAMPLES
@given(parts=st.lists(html_bits, max_size=8))
def test_markdown_is_refused_or_sanitised(parts):
    """Whatever the check lets through, the HTML that reaches a page holds nothing active."""
    text = "".join(parts)
    html = str(to_html(text)).lower()
    assert not ACTIVE.search(html), html
    if refusal(text) is None:
        assert "<b>" not in html and "</div>" not in html


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(page_bits, max_size=24))
def test_the_quick_look_at_a_page_misses_no_active_markup(parts):
    """A page the quick look passes holds nothing the full pattern finds: the quick look
    only spares the full search on pages that cannot match it."""
    page = "".join(parts)
    assert _ACTIVE_MARKUP.search(page) is None or _may_be_active(page), page


def test_each_attack_is_stripped_from_print_html():
    """The print sanitiser removes what the check refuses, if the check were bypassed."""
    attacks = ['<script>alert(1)</script>', '<img src=x onerror="alert(1)">',
               '[x](javascript:alert(1))', '[x](jav&#x61;script:alert(1))',
               '![x](data:image/png;base64,AAAA)', 'a {: onclick="alert(1)" }\n{: onclick="y"}',
               '<a rel="attachment" href="/etc/passwd">x</a>',
               '<link rel="attachment" href="file:///etc/passwd">', '<iframe src=x></iframe>']
    html = str(to_html("\n\n".join(attacks))).lower()
    assert not ACTIVE.search(html), html
    for active in ("attachment", "<link", "<iframe"):
        assert active not in html, active
    # images are refused by the image check, with its own message (see tests/roots)
    assert all(refusal(attack) for attack in attacks if not attack.startswith("!["))
