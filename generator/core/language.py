"""The language an output is rendered in: its words, dates, times and money (Babel).

A ``Language`` is a parameter of loading and rendering. English is the source and needs no
catalog; another language carries the current translations of its catalog (see
``generator.core.translate``): the member-facing texts by their address, and the templates' own
words by their English. A text with no current translation stays English: loading records
which texts did in the catalog (``Catalog.behind``), and a render returns the words it
missed (``Templates.render``), so that a page can say its translation is being updated and
a PDF that would print English words is not built. A ``Language`` never changes once read,
so one can be shared by every render; dates and times follow Babel's data for the locale,
so a new language needs no code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_day_names
from babel.numbers import format_decimal

from generator.core.errors import Problem

SOURCE = "en"
"""The language the content is written in."""
NAMES = {"en": "English", "es": "Español"}
"""Each language's name in itself, for the language selector."""
NARROW_SPACE = "\u202f"
"""What Babel's data puts before "PM" in some locales; the print font has no glyph for it,
so it prints as an ordinary space."""


@functools.cache
def _locale(code: str, region: str) -> Locale:
    try:
        return Locale.parse(f"{code}_{region}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(code)


@functools.lru_cache(maxsize=2048)
def _time12(value: dt.time | dt.datetime, code: str, region: str) -> str:
    """``Language.time12``, once per time and language: an agenda prints each of its times
    on several pages."""
    return format_time(value, "short", locale=_locale(code, region)).replace(NARROW_SPACE, " ")


def known(code: str) -> bool:
    """Whether ``code`` names a language Babel has the words, dates and numbers of, as a
    catalog's folder must be named (``es``, ``fr``, ``vi``): two or three lower-case
    letters."""
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def N_(text: str) -> str:
    """Mark a constant's words for translation where it is defined; they are translated
    where they are printed (``language.gettext(CONSTANT)``)."""
    return text


@dataclass(frozen=True)
class Language:
    """One language of the outputs, with the translations that are current in it."""

    code: str
    """Its code, as the catalogs' folder is named: "en", "es"."""
    region: str = "US"
    """Where its readers live, for dates and money (Spanish in the US: "es_US")."""
    content: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Current translations of member-facing texts: address -> (English, translation)."""
    words: dict[str, str] = field(default_factory=dict)
    """Current translations of the templates' and the program's own words, by English."""
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Where each refused translation is to be fixed, by its address or English: its
    catalog line."""
    problems: list[Problem] = field(default_factory=list)
    """Translations that cannot be used (one drops a placeholder), as Problems to report."""
    unreviewed: frozenset[str] = frozenset()
    """The current translations (by address, or a word by its English) that no qualified
    human translator has reviewed as they are (``generator.core.review``)."""

    @property
    def source(self) -> bool:
        """Whether this is the language the content is written in (nothing to translate)."""
        return self.code == SOURCE

    @property
    def locale(self) -> Locale:
        """Babel's locale: the language as written in the region of its readers where Babel
        knows that ("es_US"), else the language alone ("fr")."""
        return _locale(self.code, self.region)

    @property
    def name(self) -> str:
        """The language's name in itself: "Español"."""
        return NAMES.get(self.code) or self.locale.get_language_name(self.code).capitalize()

    @property
    def in_english(self) -> str:
        """The language's name in English: "Spanish"."""
        return self.locale.get_language_name("en")

    def translation(self, text: str) -> str | None:
        """The current translation of one of the templates' own words, if there is one (the
        English itself in English)."""
        return text if self.source else self.words.get(text)

    def gettext(self, text: str) -> str:
        """The translation of one of the templates' own words, or the English."""
        found = self.translation(text)
        return text if found is None else found

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Singular or plural of a word with a number (English rule for the key)."""
        return self.gettext(singular if count == 1 else plural)

    def _printed(self, text: str) -> str:
        return text.replace(NARROW_SPACE, " ")

    def day(self, value: dt.date) -> str:
        """A date as printed in text, in the locale's full form: "Tuesday, January 12,
        2027"."""
        return self._printed(format_date(value, "full", locale=self.locale))

    def short_day(self, value: dt.date) -> str:
        """A date in a table, abbreviated with its weekday: "Tue, Jan 12, 2027"."""
        return self._printed(format_skeleton("yMMMEd", value, locale=self.locale))

    def long_date(self, value: dt.date) -> str:
        """A date without its weekday, in the locale's long form: "January 12, 2027"."""
        return self._printed(format_date(value, "long", locale=self.locale))

    def month_year(self, value: dt.date) -> str:
        """The month of a date, as an edition is dated: "January 2027"."""
        return self._printed(format_skeleton("yMMMM", value, locale=self.locale))

    def time12(self, value: dt.time | dt.datetime) -> str:
        """A clock time in the locale's short form: "2:00 PM" ("2:00 p.m." in Spanish in the
        US, "14:00" in French)."""
        return _time12(value, self.code, self.region)

    def weekday(self, name: str) -> str:
        """A day of the week, as the settings write it ("Tuesday"), in this language."""
        days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        return get_day_names("wide", locale=self.locale)[days.index(name)]

    def money(self, amount: int, symbol: str = "$") -> str:
        """An amount in whole units after the agency's symbol: "$50", "$1,200"."""
        return f"{symbol}{format_decimal(amount, format='#,##0', locale=self.locale)}"

    def filters(self) -> dict[str, object]:
        """Template filters for dates and times in this language."""
        return {"day": self.day, "short_day": self.short_day, "long_date": self.long_date,
                "month_year": self.month_year, "time12": self.time12, "weekday": self.weekday}


ENGLISH = Language(SOURCE)
"""The source language."""
