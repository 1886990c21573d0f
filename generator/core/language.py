"""The language an output is rendered in: its words, dates, times and money (Babel).

A ``Language`` is a parameter of loading and rendering. English is the source and needs no
catalog; another language carries the current translations of its catalog (see
``generator.core.translate``): the member-facing texts by their address, and the templates' own
words by their English. A text with no current translation stays English, and the language
remembers which ones did, so that a page can say its translation is being updated and a PDF
that would print English words is not built.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal

from generator.core.errors import Problem

SOURCE = "en"
"""The language the content is written in."""
NAMES = {"en": "English", "es": "Español"}
"""Each language's name in itself, for the language selector."""
DATE_PATTERNS = {
    "en": ("EEEE, MMMM d, y", "EEE, MMM d, y", "MMMM d, y", "MMMM y"),
    "es": ("EEEE d 'de' MMMM 'de' y", "EEE d MMM y", "d 'de' MMMM 'de' y", "MMMM 'de' y"),
}
"""Per language: a date in text, a date in a table, a date without its weekday, a month."""


@functools.cache
def _locale(code: str, region: str) -> Locale:
    try:
        return Locale.parse(f"{code}_{region}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(code)


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


@dataclass
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
    behind: dict[str, list[str]] = field(default_factory=dict)
    """Member-facing texts left in English because their translation is missing or out of
    date: item ("lesson:grounding") -> the texts' addresses."""
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Where each text or word left in English is to be fixed: its refused translation's
    catalog line, or else its content file and line."""
    problems: list[Problem] = field(default_factory=list)
    """Translations that cannot be used (one drops a placeholder), as Problems to report."""
    missed: set[str] = field(default_factory=set)
    """Words asked for since the last ``clear_missed`` that have no current translation."""

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

    def gettext(self, text: str) -> str:
        """The translation of one of the templates' own words, or the English (recorded)."""
        if self.source:
            return text
        found = self.words.get(text)
        if found is None:
            self.missed.add(text)
            return text
        return found

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Singular or plural of a word with a number (English rule for the key)."""
        return self.gettext(singular if count == 1 else plural)

    def clear_missed(self) -> set[str]:
        """The words missed so far, forgetting them."""
        missed, self.missed = self.missed, set()
        return missed

    def _date(self, value: dt.date, use: int) -> str:
        """A date in one of the language's patterns (see DATE_PATTERNS)."""
        patterns = DATE_PATTERNS.get(self.code, DATE_PATTERNS[SOURCE])
        return format_date(value, patterns[use], locale=self.locale)

    def day(self, value: dt.date) -> str:
        """A date as printed in text: "Tuesday, January 12, 2027"."""
        return self._date(value, 0)

    def short_day(self, value: dt.date) -> str:
        """A date in a table: "Tue, Jan 12, 2027"."""
        return self._date(value, 1)

    def long_date(self, value: dt.date) -> str:
        """A date without its weekday: "January 12, 2027"."""
        return self._date(value, 2)

    def month_year(self, value: dt.date) -> str:
        """The month of a date, as an edition is dated: "January 2027"."""
        return self._date(value, 3)

    def time12(self, value: dt.time | dt.datetime) -> str:
        """A clock time as printed: "2:00 PM" ("2:00 p.m." in Spanish)."""
        return format_time(value, "h:mm a", locale=self.locale)

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
