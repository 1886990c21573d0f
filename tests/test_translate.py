"""Translation catalogs as a translator's tools read them: a template of every member-facing
text, a language catalog that marks changed English as out of date, and a status for CI."""

from __future__ import annotations

from babel.messages.pofile import read_po, write_po

from generator.core.translate import catalog_path

CONTEXT = "lesson:grounding:handout.body"


def _catalog(path):
    with path.open("rb") as handle:
        return read_po(handle)


def _translate(path, context: str, text: str) -> None:
    catalog = _catalog(path)
    for message in catalog:
        if message.context == context:
            message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog, include_previous=True)


def test_the_template_holds_every_member_text_addressed_by_its_field(project, cli):
    result = cli(project, "translate", "extract")
    assert result.exit_code == 0, result.output
    catalog = _catalog(project / "locales" / "messages.pot")
    by_context = {message.context: message for message in catalog
                  if message.id and message.context}
    handout = by_context[CONTEXT]
    assert handout.auto_comments[0].startswith("The handout text")
    assert handout.locations[0][0] == "content/lessons/grounding.yml"
    # placeholders stay placeholders, so one translation serves every agency
    assert any("{{ budget }}" in message.id for message in by_context.values())
    # list entries with a key are addressed by it, not by their position
    assert any(context.startswith("lesson:orientation:activities[Our group agreements]")
               for context in by_context)
    # nothing coach-only, no coach form, no coach chapter
    assert not any("facilitator_script" in context or "common_challenges" in context
                   for context in by_context)
    assert not any(context.startswith(("form:intake-checklist:", "chapter:safety-protocol:"))
                   for context in by_context)
    assert any(context.startswith("form:weekly-journal:") for context in by_context)
    assert any(context.startswith("chapter:welcome:") for context in by_context)
    # the templates' and the generator's own words, known by their English
    words = {message.id if isinstance(message.id, str) else message.id[0]: message
             for message in catalog if message.id and not message.context}
    assert words["If you are in crisis"].locations[0][0] == "templates/print/_crisis.html.j2"
    assert words["Journal prompt"].locations[0][0] == "templates/common/practice.md.j2"
    assert any("For Spanish, press 2" in word for word in words)
    assert words["(ask your coach)"].locations[0][0] == "generator/core/placeholders.py"
    assert words["%(count)s&nbsp;page"].id[1] == "%(count)s&nbsp;pages"  # a plural


def test_changed_english_becomes_out_of_date_with_the_old_english_kept(project, cli):
    assert cli(project, "translate", "update", "es").exit_code == 0
    po = catalog_path(project, "es")
    _translate(po, CONTEXT, "Texto de la hoja.")
    assert cli(project, "translate", "update", "es").exit_code == 0
    kept = {message.context: message for message in _catalog(po) if message.id}[CONTEXT]
    assert kept.string == "Texto de la hoja." and not kept.fuzzy
    lesson = project / "content" / "lessons" / "grounding.yml"
    text = lesson.read_text()
    old = {message.context: message for message in _catalog(po) if message.id}[CONTEXT].id
    first = old.split()[0]
    lesson.write_text(text.replace(f"body: |\n    {first}", f"body: |\n    Today, {first}", 1))
    assert cli(project, "translate", "update", "es").exit_code == 0
    changed = {message.context: message for message in _catalog(po) if message.id}[CONTEXT]
    assert changed.fuzzy and changed.string == "Texto de la hoja."
    assert changed.id.startswith("Today,")
    # the old English is kept for the translator (Babel writes "#|" lines; it reads them
    # back as comments, so the test reads the file as a translator's tool does)
    written = po.read_text(encoding="utf-8")
    block = written[:written.index(f'msgctxt "{CONTEXT}"')].rsplit("\n\n", 1)[-1]
    assert "#, fuzzy" in block, block
    assert "#| msgid" in block and old.split()[0] in block, block


def test_status_counts_each_item_and_fails_while_anything_is_behind(project, cli):
    assert cli(project, "translate", "update", "es").exit_code == 0
    result = cli(project, "translate", "status", "es")
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith("lesson:grounding "))
    translated, fuzzy, missing = map(int, line.split()[1:4])
    assert (translated, fuzzy) == (0, 0) and missing > 20
    po = catalog_path(project, "es")
    catalog = _catalog(po)
    for message in catalog:
        if isinstance(message.id, str) and message.id:
            message.string = f"ES {message.id}"
        elif message.id:  # a word with a number: each of Spanish's three forms
            message.string = tuple(f"ES {message.id[min(form, 1)]}" for form in range(3))
    with po.open("wb") as handle:
        write_po(handle, catalog)
    done = cli(project, "translate", "status", "es")
    assert done.exit_code == 0, done.output
    assert done.stdout.rstrip().endswith("0 to translate or review.")


def _gnu_accepts(path) -> None:
    """GNU gettext's msgfmt (with its checks) and msgcat read the catalog without an error."""
    import subprocess

    from conftest import require_tool

    require_tool("msgfmt", "gettext")
    for command in (["msgfmt", "-c", "-o", "/dev/null", str(path)], ["msgcat", str(path)]):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, f"{command[0]}: {done.stderr}"


def test_an_unchanged_project_updates_no_tracked_file(spanish, cli):
    """Following the build's hint on a fresh clone leaves the shipped files as they are: no
    line numbers of the code, no new creation time, nothing reordered."""
    catalogs = [spanish / "locales" / "messages.pot", catalog_path(spanish, "es")]
    before = [path.read_bytes() for path in catalogs]
    assert cli(spanish, "translate", "extract").exit_code == 0
    assert cli(spanish, "translate", "update", "es").exit_code == 0
    assert [path.read_bytes() for path in catalogs] == before
    for path in catalogs:
        _gnu_accepts(path)


def test_rounds_of_english_edits_keep_a_catalog_every_tool_reads(spanish, cli):
    """Three rounds of English edits and updates: GNU gettext accepts the catalog after each,
    and the message keeps the English its translation was made from (``#|``), which a
    translator compares with the new English."""
    from generator.core.project import Project
    from generator.core.translate import _read

    po = catalog_path(spanish, "es")
    lesson = spanish / "content" / "lessons" / "grounding.yml"
    original = {message.context: message for message in _catalog(po)}[CONTEXT].id
    assert "\n" in original  # a text of several lines, which Babel alone writes broken
    for round_ in range(1, 4):
        text = lesson.read_text(encoding="utf-8")
        end = text.index(".", text.index("body:", text.index("handout:")))
        lesson.write_text(text[:end] + f" Round {round_} added." + text[end:], "utf-8")
        assert cli(spanish, "translate", "update", "es").exit_code == 0
        _gnu_accepts(po)
        message = {message.context: message
                   for message in _read(Project(spanish), po, "es")}[CONTEXT]
        assert message.fuzzy and f"Round {round_} added." in message.id
        assert message.previous_id == [original]
