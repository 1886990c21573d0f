"""Typed schemas for every kind of content file.

Every field carries a docstring: pydantic turns it into the JSON Schema description that
editors show while typing (``curriculum schema``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      StrictBool, StrictInt, StringConstraints, WithJsonSchema,
                      field_validator)

from generator.core.markup import refusal

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""What an id may look like: no slashes, dots or spaces, so it is always a safe file name."""
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
"""A stable id: lower-case letters, digits and single hyphens. It becomes a file name."""
EDITION_PATTERN = r"^\d{4}\.\d+$"
"""An edition: the year, a dot and a number, e.g. 2027.1."""


def _plain_markdown(text: str) -> str:
    reason = refusal(text)
    if reason:
        raise ValueError(reason)
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                 AfterValidator(_plain_markdown)]
"""Non-empty text. Markdown is allowed where a field says so; raw HTML and active links
(``javascript:``, ``data:``) are not."""

STRUCTURE = "[]<>{}|`"
"""Characters that open or close a link, a tag, an attribute list, a table cell or code:
names and titles land inside those (``[{{ lesson.title }}](...)``, a table of forms), so
they are plain words without them."""


def _plain_words(text: str) -> str:
    found = sorted({character for character in text if character in STRUCTURE})
    if found:
        raise ValueError(f"a name, title or contact is plain words and may not hold {' '.join(found)} "
                         "(it is shown inside links, tables and headings, where these would "
                         "open or close one): write it without them")
    return text


NAME_LENGTH = 100
"""The most characters of a name or a title: covers, page titles and lists print it whole."""
Name = Annotated[Text, StringConstraints(max_length=NAME_LENGTH), AfterValidator(_plain_words)]
"""A name or short label (at most 100 characters, plain words), e.g. the agency's or a
coach's."""
Title = Annotated[Text, StringConstraints(max_length=NAME_LENGTH), AfterValidator(_plain_words)]
"""A title or heading (at most 100 characters, plain words)."""
ADDRESS_LENGTH = 200
"""The most characters of a postal address."""
Address = Annotated[Text, StringConstraints(max_length=ADDRESS_LENGTH)]
"""A postal address (at most 200 characters)."""

_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'`]+$")


def _web_address(text: str) -> str:
    if not _WEB_ADDRESS.match(text):
        raise ValueError("should be a web address starting with https:// (or http://), "
                         "without spaces or quotes")
    return text


WebAddress = Annotated[str, StringConstraints(strip_whitespace=True),
                       AfterValidator(_web_address)]
"""A web address starting with http:// or https://."""

Grouping = Literal["whole", "pairs", "triads", "small groups", "solo"]


class Strict(BaseModel):
    """Base for all content models: unknown keys are errors, docstrings become descriptions."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


# --- lessons -----------------------------------------------------------------------------


class Segment(Strict):
    """One timed part of a lesson or a session."""

    title: Title
    """What this part is called, e.g. "Warm-up round" (at most 100 characters)."""
    minutes: StrictInt = Field(ge=1, le=90)
    """How long it takes, in whole minutes."""
    grouping: Grouping
    """How members work in it: whole group, pairs, triads, small groups or solo."""
    what_happens: Text
    """One or two sentences on what the coach and members do (Markdown)."""


class CoachShare(Strict):
    """An optional moment for the coach to share their own experience."""

    prompt: Text
    """What the coach might share, in one sentence."""
    purpose: Text
    """Why sharing it helps the group (keep the focus on members)."""


class FacilitatorScript(Strict):
    """Talking points for the coach; not to be read word for word."""

    talking_points: list[Text] = Field(min_length=2)
    """The points to get across, in order."""
    say_it_simply: Text
    """The whole idea in one short sentence a member could repeat."""
    coach_share: CoachShare | None = None
    """Optional self-disclosure prompt with a clear purpose."""


class Scenario(Strict):
    """An everyday situation to practise with."""

    level: Literal["easy", "medium", "harder"]
    """How demanding it is; list scenarios from easy to harder."""
    situation: Text
    """The situation, in one or two plain sentences (no violence, police or hospital scenes)."""


class Activity(Strict):
    """A practice activity inside the skill block."""

    title: Title
    """Name of the activity (at most 100 characters)."""
    type: Literal["role play", "game", "worksheet", "discussion", "practice", "reflection"]
    """The kind of activity."""
    coach_instructions: list[Text] = Field(min_length=1)
    """Steps for the coach to run it."""
    member_instructions: list[Text] = Field(min_length=1)
    """Steps for members, in plain words (shown to participants)."""
    scenarios: list[Scenario] = Field(default_factory=list, max_length=3)
    """Two or three everyday scenarios, from easy to harder, where the activity uses them."""
    opt_out: Text
    """What a member can do instead if they would rather not take part."""
    debrief: list[Text] = Field(min_length=1)
    """Questions to close the activity."""


class Adaptations(Strict):
    """How to adjust the lesson for different needs."""

    virtual: Text
    """Running the lesson online or by phone."""
    low_literacy: Text
    """For members who read little or not at all."""
    trauma_sensitive: Text
    """Keeping the lesson safe for members with trauma histories."""
    cognitive_access: Text
    """For members with memory, attention or processing differences."""
    language_and_culture: Text
    """For members of other languages and cultures."""
    physical_access: Text
    """For members with physical or sensory disabilities."""


class Challenge(Strict):
    """A situation that often comes up, and a way to respond."""

    situation: Text
    """What happens in the room."""
    response: Text
    """What the coach might do or say."""


class Practice(Strict):
    """The practice challenge for the coming week."""

    challenge: Text
    """The challenge, in the member's terms (Markdown)."""
    action_plan_step: Text
    """How the challenge becomes one step on next week's action plan."""
    budget_link: Text | None = None
    """How the social budget can support it, where it fits."""
    easier: Text
    """A smaller version for a hard week."""
    stretch: Text
    """A bigger version for members who want more."""


class PracticeSession(Strict):
    """The second meeting on a skill, for groups that meet weekly: the same skill, practised
    at a harder level, with members coaching each other."""

    what_changes: Text
    """What is different the second time, for the coach: what members bring back from their
    week and how the practice gets harder (Markdown)."""
    timing: list[Segment] = Field(min_length=1)
    """The practice block's segments; their minutes add up to 30."""
    activity: Activity
    """Its own activity, with three fresh scenarios at the medium or harder level."""
    peer_coaching: Text
    """How members coach each other: what a partner watches for and how they give kind,
    specific feedback (Markdown)."""


class WorkedExample(Strict):
    """A short story that shows the skill in use."""

    title: Title
    """Heading of the example (at most 100 characters)."""
    body: Text
    """The example itself (Markdown)."""


class Handout(Strict):
    """The one-page handout members take home."""

    body: Text
    """The handout text (Markdown): 250-350 words together with the worked example."""
    worked_example: WorkedExample
    """An example of the skill in everyday life."""


class Safety(Strict):
    """Emotional safety notes for the lesson."""

    may_stir_feelings: StrictBool
    """Whether the topic may bring up strong feelings."""
    content_note: Text
    """What members are told before starting, and the right to pass."""


class Source(Strict):
    """A source the lesson draws facts or ideas from."""

    title: Text
    """Title of the source."""
    url: WebAddress | None = None
    """Where to find it, if it is online."""
    used_for: Text
    """What the lesson took from it."""


class Lesson(Strict):
    """A 30-minute skill lesson (or the orientation, mid-point or closing session)."""

    id: Id
    """Stable id; also the page and handout file name."""
    title: Title
    """Plain title, e.g. "Grounding techniques" (at most 100 characters)."""
    draft: StrictBool = False
    """A lesson still being written (`curriculum new lesson` starts one so): `check` lists
    what is left to fill in, and it stays out of the site and the PDFs until this is
    removed (`curriculum serve --drafts` shows it)."""
    kind: Literal["skill", "orientation", "mid-point", "closing"] = "skill"
    """A skill lesson or one of the program's special sessions."""
    skill_area: Text
    """The skill area, used as the lesson's tag on the website."""
    sequence: StrictInt = Field(ge=1)
    """Suggested position in the program, used to order lesson lists."""
    summary: Text
    """One sentence that says what the lesson is about, in plain words."""
    framing_questions: list[Text] = Field(min_length=1, max_length=3)
    """One to three questions in the member's voice ("How can I ...?")."""
    objectives: list[Text] = Field(min_length=2, max_length=3)
    """Two or three objectives with observable verbs (name, practise, plan)."""
    skill_steps: list[Text] = Field(min_length=3, max_length=5)
    """Three to five concrete steps of the skill."""
    timing: list[Segment] = Field(min_length=1)
    """The lesson's segments; their minutes add up to 30."""
    materials: list[Text] = Field(min_length=1)
    """What the coach brings."""
    preparation: list[Text] = Field(min_length=1)
    """What the coach sets up beforehand, in the room and online."""
    facilitator_script: FacilitatorScript
    """Talking points for the coach."""
    activities: list[Activity] = Field(min_length=1)
    """The practice activities."""
    discussion_questions: list[Text] = Field(min_length=2)
    """Open questions that never ask for trauma, diagnosis, medication or hospital history."""
    adaptations: Adaptations
    """How to adjust the lesson for different needs."""
    common_challenges: list[Challenge] = Field(min_length=2)
    """Situations that often come up, with suggested responses."""
    practice: Practice
    """The practice challenge for the coming week."""
    practice_session: PracticeSession | None = None
    """The second meeting on this skill, for weekly groups; every skill lesson has one."""
    journal_prompt: Text
    """One prompt for the weekly guided journal."""
    handout: Handout
    """The one-page take-home handout."""
    key_takeaways: list[Text] = Field(min_length=1, max_length=3)
    """At most three takeaways of 15 words or fewer."""
    safety: Safety
    """Emotional safety notes."""
    sources: list[Source] = Field(min_length=1)
    """What the lesson draws on."""


# --- forms -------------------------------------------------------------------------------

FieldType = Literal[
    "text", "long text", "date", "money", "number", "checkbox", "choice", "scale",
    "signature", "table",
]


class Column(Strict):
    """A column of a table field."""

    id: Id
    """Column id; fillable cells are named after it."""
    label: Text
    """Column heading."""
    type: Literal["text", "date", "money", "number", "checkbox"] = "text"
    """What goes in each cell."""


class FormField(Strict):
    """One thing a form asks for."""

    id: Id
    """Field id, unique within the form; the fillable PDF field is named after it."""
    label: Text
    """The question or label, in plain words."""
    type: FieldType
    """Kind of answer: text, long text, date, money, number, checkbox, choice, scale,
    signature or table."""
    required: StrictBool = False
    """Whether the form is incomplete without it."""
    help: Text | None = None
    """A short hint shown under the label."""
    lines: StrictInt = Field(default=1, ge=1, le=20)
    """How many write-in lines to print (for long text)."""
    options: list[Text] = Field(default_factory=list)
    """The choices, for a choice or scale field."""
    columns: list[Column] = Field(default_factory=list)
    """The columns, for a table field."""
    rows: StrictInt = Field(default=0, ge=0, le=40)
    """How many blank rows to print, for a table field."""


class FormSection(Strict):
    """A group of related fields, with optional explanatory text."""

    title: Title
    """Heading of the section (at most 100 characters)."""
    text: Text | None = None
    """What this section explains (Markdown)."""
    fields: list[FormField] = Field(default_factory=list)
    """The fields of this section."""


class Form(Strict):
    """A form or worksheet."""

    id: Id
    """Stable id; also the page and PDF file name."""
    title: Title
    """Plain title (at most 100 characters)."""
    audience: Literal["participant", "coach"]
    """Participant forms go in the handbook; coach forms only in the coach manual."""
    purpose: Text
    """Why the form asks what it asks, in one sentence."""
    filled_in_by: Text
    """Who fills it in: the member, the member with the coach, or the coach in an interview."""
    fills_in: Literal["member", "coach", "together", "no one"] | None = None
    """Who writes on it, in one word, for the downloads page: the member, the coach, both
    together, or no one (printed to hand out or post). Leave it out for the usual case: the
    member for participant forms, the coach for coach forms."""
    who_sees_it: Text
    """Who may read it once filled in."""
    kept_where: Text
    """Where it is kept, and for how long."""
    when: Text
    """When it is used."""
    sections: list[FormSection] = Field(min_length=1)
    """The form's sections, in order."""

    @property
    def who_fills_in(self) -> Literal["member", "coach", "together", "no one"]:
        """``fills_in``, or by default the member for a participant form and the coach for a
        coach form."""
        return self.fills_in or ("member" if self.audience == "participant" else "coach")


# --- session agendas ---------------------------------------------------------------------


SessionKind = Literal["first meeting", "skill", "practice", "refresher", "outing",
                      "mid-point", "closing"]
"""The kinds of session a year plan holds; each has its own agenda."""


class AgendaPart(Strict):
    """One part of a session, e.g. the hour of peer sharing, with its timed segments."""

    title: Title
    """What the part is called, e.g. "Peer sharing" or "Getting there" (at most 100
    characters)."""
    segments: list[Segment] = Field(min_length=1)
    """Its timed segments, in order."""
    from_lesson: StrictBool = False
    """Whether a dated agenda shows the lesson's own 30-minute timing here (for a practice
    session, the timing of the lesson's practice section) in place of these segments, which
    then say in general what happens and add up to 30 minutes."""


class Guidance(Strict):
    """A note the coach needs to run this kind of session, e.g. how everyone gets there."""

    title: Title
    """Heading, e.g. "Getting there and back" (at most 100 characters)."""
    body: Text
    """What to do, in plain words (Markdown)."""


class SessionAgenda(Strict):
    """A 90-minute group session. A skill session has 60 minutes of peer sharing, then a
    30-minute skill block; other kinds of session have their own parts."""

    id: Id
    """Stable id."""
    title: Title
    """Plain title (at most 100 characters)."""
    kind: SessionKind = "skill"
    """The kind of session this agenda is for; a year-plan entry without an agenda of its
    own uses the agenda of its kind (a first meeting, a practice session, an outing ...)."""
    summary: Text
    """What the session is for, in one or two sentences."""
    minutes: StrictInt
    """Length of the whole session: 90."""
    parts: list[AgendaPart] = Field(default_factory=list)
    """The session's parts, in order; their segments add up to the session's minutes."""
    peer_sharing: list[Segment] = Field(default_factory=list)
    """The earlier way to write a skill session: the peer-sharing segments (60 minutes),
    used when there are no parts."""
    skill_block: list[Segment] = Field(default_factory=list)
    """The earlier way to write a skill session: the skill-block segments (30 minutes),
    where dated agendas show the lesson's own timing."""
    guidance: list[Guidance] = Field(default_factory=list)
    """What the coach needs to know to run this kind of session."""
    what_to_bring: list[Text] = Field(default_factory=list)
    """What members bring to the session."""

    @property
    def all_parts(self) -> list[AgendaPart]:
        """The parts, also for an agenda written with peer_sharing and skill_block."""
        if self.parts:
            return self.parts
        older = [("Peer sharing", self.peer_sharing, False),
                 ("Skill block", self.skill_block, True)]
        return [AgendaPart(title=title, segments=segments, from_lesson=from_lesson)
                for title, segments, from_lesson in older if segments]


# --- handbook chapters ------------------------------------------------------------------


class Term(Strict):
    """A glossary entry."""

    term: Text
    """The word or phrase."""
    meaning: Text
    """What it means, in plain words."""


class Chapter(Strict):
    """A chapter of the coach manual or of the participant handbook."""

    id: Id
    """Stable id; also the page name."""
    title: Title
    """Plain title (at most 100 characters)."""
    handbook: Literal["coach", "participant"]
    """Which handbook it belongs to: the coach manual or the participant handbook."""
    order: StrictInt = Field(ge=1)
    """Position in its handbook."""
    summary: Text
    """One or two sentences on what the chapter covers."""
    body: Text
    """The chapter text (Markdown)."""
    glossary: list[Term] = Field(default_factory=list)
    """Glossary entries, for a glossary chapter."""


# --- program -----------------------------------------------------------------------------


class PlannedSession(Strict):
    """One meeting in the year plan."""

    lesson: Id
    """Id of the lesson taught or practised at this meeting."""
    kind: Literal["lesson", "practice", "refresher", "outing"] = "lesson"
    """A new lesson, a practice session of an earlier one, a refresher or a group outing."""
    agenda: Id | None = None
    """Id of the session agenda used; by default the agenda of the session's kind (the
    first meeting for the orientation lesson, the outing agenda for an outing ...)."""
    meeting_point: Text | None = None
    """For an outing: where and when the group meets instead of the room, e.g. "Front steps
    of the Central Library, 1:45 pm". Without it the agenda leaves a line to write it on."""
    note: Text | None = None
    """A note for the coach about this meeting."""


class YearPlans(Strict):
    """The sequence of meetings for each cadence."""

    every_two_weeks: list[PlannedSession] = Field(min_length=1)
    """About 24 meetings for a group that meets every two weeks."""
    weekly: list[PlannedSession] = Field(default_factory=list)
    """About 48 meetings for a weekly group, with practice sessions between lessons."""
    left_out: list[Id] = Field(default_factory=list)
    """Skill lessons taught in one plan and left out of the other on purpose (without this,
    `check` warns about them)."""


def _edition_text(value: object) -> object:
    # YAML reads an unquoted 2027.1 as a number; an edition number is meant.
    return str(value) if isinstance(value, float) else value


class Program(Strict):
    """The program: its name, edition and year plan."""

    title: Title
    """Program name as printed (at most 100 characters)."""
    publisher: Name
    """Who publishes the curriculum (at most 100 characters)."""
    edition: Annotated[str, StringConstraints(pattern=EDITION_PATTERN)]
    """Edition number, year dot release, e.g. "2027.1"."""
    edition_date: dt.date
    """When this edition was published."""
    previous_edition: Annotated[str | None, BeforeValidator(_edition_text),
                                WithJsonSchema({"type": ["string", "number", "null"]})] = None
    """The edition before this one: its number (e.g. 2027.1, found as the tag v2027.1 or
    else the newest commit whose program.yml names it), a git tag or revision, or a folder,
    relative to the project, that holds it. When set, the build adds a "What's new in this
    edition" page and marks the PDFs to reprint; `curriculum changes` compares the two."""
    summary: Text
    """The program in two or three sentences (Markdown)."""
    year_plans: YearPlans
    """The sequence of meetings."""


# --- agency settings ---------------------------------------------------------------------


class Contact(Strict):
    """A person or line to reach."""

    name: Name
    """Name or role, e.g. "Peer Coach" (at most 100 characters)."""
    phone: Annotated[Text, StringConstraints(max_length=40), AfterValidator(_plain_words)] \
        | None = None
    """Phone number (at most 40 characters, plain words)."""
    email: Annotated[Text, StringConstraints(max_length=254), AfterValidator(_plain_words)] \
        | None = None
    """E-mail address (at most 254 characters, plain words)."""
    hours: Name | None = None
    """When they can be reached (at most 100 characters)."""


CLOCK_PATTERN = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
"""A time of day as content writes it: hours and minutes on the 24-hour clock."""


def _clock_time(value: object) -> object:
    if isinstance(value, str) and not re.match(CLOCK_PATTERN, value):
        raise ValueError(f"should be a time on the 24-hour clock, in quotes, e.g. \"17:30\" "
                         f"(found {value!r})")
    return value


class Meeting(Strict):
    """Where and when the group meets."""

    place: Name
    """Meeting place, as members should look for it (at most 100 characters)."""
    address: Address
    """Street address of the meeting place (at most 200 characters)."""
    weekday: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                     "Sunday"]
    """Day of the week."""
    time: Annotated[dt.time, BeforeValidator(_clock_time),
                    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN})]
    """Start time, 24-hour clock, in quotes, e.g. "14:00"."""
    cadence: Literal["weekly", "every two weeks"]
    """How often the group meets."""
    start_date: dt.date | None = None
    """Date of the first session."""
    skipped_dates: list[dt.date] = Field(default_factory=list)
    """Dates with no session (holidays)."""
    time_zone: str = "America/New_York"
    """IANA time zone of the meeting place, e.g. "America/Chicago"; calendar times use it."""

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name; write one such as "
                             "America/New_York or Europe/London") from None
        return value


class Budget(Strict):
    """The monthly social budget each member receives."""

    amount: StrictInt = Field(ge=0)
    """Amount per member per month, in whole currency units."""
    currency_symbol: Annotated[Text, StringConstraints(max_length=5),
                               AfterValidator(_plain_words)] = "$"
    """Symbol printed before amounts (at most 5 characters), e.g. "$" or "CHF"."""
    receipt_deadline_days: StrictInt = Field(default=7, ge=1, le=60)
    """Days after an activity by which the receipt is handed in."""


def _not_after_today(day: dt.date | None) -> dt.date | None:
    if day is not None and day > dt.date.today():
        raise ValueError(f"{day.isoformat()} is after today ({dt.date.today().isoformat()}): "
                         "write the day you last called each line, which has passed; a day "
                         "to come would print the lines as checked before anyone has")
    return day


class Crisis(Strict):
    """Crisis information printed on handouts, pages and handbooks."""

    verified_on: Annotated[dt.date | None, AfterValidator(_not_after_today)] = None
    """The day someone last called each local crisis line and the warm line to check them
    (e.g. 2027-01-05). Lines print as checked only with a date; re-check before printing."""
    local_lines: list[Contact] = Field(default_factory=list)
    """The agency's own crisis or mobile-crisis contacts."""


def _paper_size(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


PaperSize = Annotated[Literal["letter", "a4"], BeforeValidator(_paper_size),
                      WithJsonSchema({"type": "string",
                                      "pattern": "^([Ll][Ee][Tt][Tt][Ee][Rr]|[Aa]4)$"})]
"""A paper size, letter or a4, in any case."""


LanguageCode = Annotated[str, StringConstraints(pattern="^[a-z]{2,3}$")]
"""A language's ISO 639 code, as its catalogs' folder is named: "es"."""


class AgencyTranslation(Strict):
    """The agency's own names as they read in another language; a name left out prints as
    written in the settings."""

    program_name: Name | None = None
    """The group's name in this language (at most 100 characters)."""
    meeting_place: Name | None = None
    """The meeting place's name in this language, e.g. "Sala comunitaria" (at most 100
    characters)."""
    warmline_name: Name | None = None
    """The warm line's name in this language (at most 100 characters)."""
    warmline_hours: Name | None = None
    """The warm line's hours in this language, e.g. "todos los días, de 5 p.m. a 11 p.m."
    (at most 100 characters)."""
    crisis_line_names: list[Name] = Field(default_factory=list)
    """The local crisis lines' names in this language, in the order of ``crisis.local_lines``
    (each at most 100 characters)."""
    crisis_line_hours: list[Name] = Field(default_factory=list)
    """The local crisis lines' hours in this language, in the same order (each at most 100
    characters)."""


class Agency(Strict):
    """The agency that runs the group. Upstream values are neutral placeholders."""

    agency_name: Name
    """Name of the agency, as printed on covers and pages (at most 100 characters)."""
    program_name: Name
    """Name of the group, as the agency calls it (at most 100 characters)."""
    logo: str | None = None
    """Path of the agency's logo image inside the project, or none."""
    logo_alt: Annotated[Text, StringConstraints(max_length=150)] | None = None
    """Text alternative for the logo, required when a logo is set (at most 150 characters:
    say what the logo shows, briefly)."""
    address: Address
    """Postal address of the agency (at most 200 characters)."""
    coaches: list[Contact] = Field(min_length=1)
    """The group's peer coaches and how to reach them."""
    meeting: Meeting
    """Where and when the group meets."""
    budget: Budget
    """The monthly social budget."""
    paper_size: PaperSize = "letter"
    """Paper size of every PDF: letter or a4 (written in any case, e.g. A4)."""
    warmline: Contact
    """A local peer-run warm line for when a member wants to talk."""
    crisis: Crisis
    """Crisis lines and when they were checked."""
    backup_staff: Contact | None = None
    """The staff member on site or on call during every session, agreed before the first one,
    who steps in if a member is in crisis so that the coach never hands the room to a
    member. The coach manual and the safety protocol print it."""
    journals: Literal["collected", "member keeps"] = "collected"
    """What happens to members' guided journals. "collected" is the program's rule: the coach
    collects, copies and returns them weekly or every two weeks, and the social budget
    depends on weekly journals and receipts. "member keeps": members keep their journals,
    share only what they choose, and the budget depends on receipts alone."""
    languages: list[LanguageCode] | None = None
    """The translated editions the agency publishes, by language code (es: Spanish): every
    language with a catalog when left out; [] for English only (a release then needs no
    reviewed translation)."""
    site_url: WebAddress | None = None
    """Where the agency publishes the website, if anywhere."""
    translations: dict[LanguageCode, AgencyTranslation] = Field(
        default_factory=dict, json_schema_extra={"deprecated": True})
    """No longer read (``check`` warns): the agency's names and hours in another language are
    messages of that language's catalog (``agency:warmline.hours``), each tied to its
    English."""


# --- overlay settings -------------------------------------------------------------------


class PlanChanges(Strict):
    """Year plans an overlay writes for itself; a cadence left out keeps the upstream plan."""

    every_two_weeks: list[PlannedSession] | None = None
    """This agency's own sequence for a group that meets every two weeks."""
    weekly: list[PlannedSession] | None = None
    """This agency's own sequence for a weekly group."""


class OverlaySettings(Strict):
    """What an overlay changes besides adding and replacing files (content/overlay.yml)."""

    disable: list[Id] = Field(default_factory=list)
    """Ids of upstream lessons, forms, session agendas or chapters to leave out."""
    replace_in_plan: dict[Id, Id] = Field(default_factory=dict)
    """Lesson swaps in the upstream year plans: upstream lesson id to the lesson taught
    instead, e.g. ``sleep-hygiene: cooking-together``."""
    year_plans: PlanChanges = Field(default_factory=PlanChanges)
    """Whole year plans that replace the upstream ones."""


# --- program outcomes (aggregate counts for `curriculum report`) -------------------------


POM_INDICATORS: dict[int, str] = {
    1: "People are connected to natural support networks",
    2: "People have intimate relationships",
    5: "People exercise rights",
    6: "People are treated fairly",
    11: "People use their environments",
    14: "People interact with other members of the community",
    15: "People perform different social roles",
    17: "People choose personal goals",
    18: "People realize personal goals",
    19: "People participate in the life of the community",
    20: "People have friends",
    21: "People are respected",
}
"""The Personal Outcome Measures indicators the program reports, by number, as its own
results name them. The program uses 13 of the tool's 21; its results name these 12, and the
13th is to be confirmed with Mental Health America."""

_PERSONAL_DETAIL = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+\.[\w.]+)|(?P<phone>\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4})"
    r"|(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})")


def _group_text(text: str) -> str:
    found = _PERSONAL_DETAIL.search(text)
    if found:
        what = {"email": "an e-mail address", "phone": "a phone number",
                "date": "a date"}[found.lastgroup or "date"]
        raise ValueError(f"holds {what} ({found[0]!r}); an outcomes file describes the group "
                         "in counts, never a person: remove it")
    return text


GroupText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=200),
                      AfterValidator(_plain_markdown), AfterValidator(_group_text)]
"""A short text about the group as a whole (at most 200 characters): no e-mail address,
phone number or date that could point to a person."""

Count = Annotated[StrictInt, Field(ge=0, le=100_000)]
"""A number of people or events, written as a whole number."""


def _known_indicator(number: int) -> int:
    if number not in POM_INDICATORS:
        known = ", ".join(map(str, POM_INDICATORS))
        raise ValueError(f"indicator {number} is not one the program reports; its results "
                         f"name {known} (the 13th is to be confirmed with Mental Health "
                         "America)")
    return number


Indicator = Annotated[StrictInt, AfterValidator(_known_indicator),
                      WithJsonSchema({"type": "integer", "enum": list(POM_INDICATORS)})]
"""The number of a Personal Outcome Measures indicator the program reports."""


class PresentCount(Strict):
    """At one round of interviews: how many people had the outcome present."""

    present: Count
    """How many of the people interviewed had this outcome scored "present"."""
    interviewed: StrictInt = Field(ge=1, le=100_000)
    """How many people were interviewed on this indicator at this round."""


class IndicatorCounts(Strict):
    """One Personal Outcome Measures indicator: people with it present, first and last."""

    indicator: Indicator
    """The indicator's number (1 to 21); its statement comes from the curriculum, e.g. 20
    for "People have friends"."""
    initial: PresentCount
    """At the first interview (eligibility or intake)."""
    final: PresentCount
    """At the closing interview."""


class StatementTally(Strict):
    """How many people checked each answer to one survey statement."""

    statement: GroupText
    """The statement as the survey prints it, e.g. "My coach is willing and able to meet me
    where I choose"."""
    definitely_agree: Count
    """How many checked "Definitely agree"."""
    somewhat_agree: Count
    """How many checked "Somewhat agree"."""
    somewhat_disagree: Count
    """How many checked "Somewhat disagree"."""
    definitely_disagree: Count
    """How many checked "Definitely disagree"."""
    does_not_apply: Count = 0
    """How many checked "Does not apply" (left out of the shares)."""


class SatisfactionSurvey(Strict):
    """The anonymous satisfaction survey, added up."""

    respondents: StrictInt = Field(ge=1, le=100_000)
    """How many surveys came back."""
    round: Literal["mid-point", "end", "mid-point and end"] | None = None
    """Which round the tallies come from: "mid-point", "end", or "mid-point and end" when
    both rounds are added together."""
    statements: list[StatementTally] = Field(min_length=1)
    """Each statement with its tallies, in the order of the survey."""


class StayCount(Strict):
    """Hospital stays in one period."""

    stays: Count
    """How many hospital stays the members who consented had in the period, together."""
    months: StrictInt = Field(ge=1, le=240)
    """How long the period is, in months (24 for the two years before the program)."""


class VisitCount(Strict):
    """Emergency visits in one period."""

    visits: Count
    """How many emergency visits that did not lead to a stay, all members together."""
    months: StrictInt = Field(ge=1, le=240)
    """How long the period is, in months."""


class HospitalStays(Strict):
    """Hospital stays before and during the program, from the service histories."""

    before: StayCount
    """In the period before the program (the service history asks for 24 months)."""
    during: StayCount
    """While the group ran."""


class EmergencyVisits(Strict):
    """Emergency visits before and during the program, from the service histories."""

    before: VisitCount
    """In the period before the program."""
    during: VisitCount
    """While the group ran."""


class ReportPeriod(Strict):
    """The time the counts cover."""

    start: dt.date
    """The first day, e.g. 2027-02-03 (the group's first meeting)."""
    end: dt.date
    """The last day, e.g. 2028-01-26 (the closing session)."""


class Outcomes(Strict):
    """One group's outcomes as aggregate counts, never people: the input of
    `curriculum report`."""

    cohort: GroupText
    """The group, as the report names it, e.g. "Lakeside group, 2027"."""
    agency: GroupText | None = None
    """The agency that ran the group, when files from several agencies are pooled; by
    default the agency of the project's settings."""
    period: ReportPeriod
    """The time the counts cover."""
    outcome_interviews: list[IndicatorCounts] = Field(default_factory=list)
    """Personal Outcome Measures: for each indicator, the people with the outcome present at
    the first and the closing interview."""
    satisfaction_survey: SatisfactionSurvey | None = None
    """The anonymous satisfaction survey, added up."""
    hospital_stays: HospitalStays | None = None
    """Hospital stays before and during the program, all consenting members together."""
    emergency_visits: EmergencyVisits | None = None
    """Emergency visits before and during the program, all consenting members together."""
    journal_themes: list[GroupText] = Field(default_factory=list, max_length=10)
    """Up to 10 themes the coach saw across the group's journals, in the coach's own words,
    never a member's words or anything that points to one person."""

KINDS: dict[str, type[Strict]] = {
    "lesson": Lesson,
    "form": Form,
    "session": SessionAgenda,
    "chapter": Chapter,
    "program": Program,
    "agency": Agency,
    "overlay": OverlaySettings,
    "outcomes": Outcomes,
}
"""Each content kind and its model; also the names of the JSON Schema files."""
