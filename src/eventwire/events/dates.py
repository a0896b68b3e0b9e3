"""Absolute dates for date expressions, against the article's published date.

`annotate(document)` runs first in the pipeline. It finds date expressions with eventwire's own
patterns (weekdays, yesterday/today, "two days ago", "last week", "earlier this month", "in March",
"March 3", "3 March 2022", "mid-May", "since April", "from May 5 to 8", ...) and adds spaCy's
DATE/TIME entities that the patterns missed when they still read as a date. Each becomes a
`DateMention` with an absolute value, or `value=None` when the article has no published date.

How relative expressions resolve (P = the published date):

* A bare weekday ("Monday", "on Tuesday", "Monday night") means the latest such day on or before P
  -- the day of publication itself counts, since wire copy says "on Tuesday" for events of the day
  it is filed. In a future context (the expression hangs from a verb with will/shall/would, from an
  infinitive governed by ready/plan/expect/... or by "is to", from "scheduled"/"set"/"due", or from a
  present progressive: "is travelling on Friday") it means the first such day on or after P. "last Monday" is strictly before P, "next Monday" strictly after.
* "March 3" without a year: the latest March 3 on or before P, except that a date up to two weeks
  after P stays in P's year; in a future context the first one on or after P.
* "in March" without a year: the latest March up to P's month (the first from P's month on in a
  future context). "mid-May", "early May", "late May" are ranges of ten days or so.
* Weeks run Monday to Sunday: "last week" is the range of the week before P's week. "The past
  three weeks" and "the last 24 hours" are ranges that end at P.
* "since X" keeps X's value and precision and ends (`end_value`) at P.
* Durations ("for three weeks", "24 hours") are not dates and are left out.

`resolve(expr, published, future=False)` gives (value, precision, end_value) for one expression so
other stages can resolve dates they find themselves; (None, None, None) means it is not a date
expression, (None, precision, None) a date that cannot be placed without a published date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Callable, Optional

from eventwire.document import Document
from eventwire.schema import DateMention

Resolved = tuple[Optional[str], Optional[str], Optional[str]]
NOT_A_DATE: Resolved = (None, None, None)

# -- vocabulary ---------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# words before a bare month or year that make it a date ("in March", "since 2014")
MONTH_CUES = {"in", "since", "until", "till", "by", "from", "during", "of", "through", "before",
              "after", "early", "mid", "late", "last", "next", "this", "on", "between", "and", "to"}
# names with a weekday in them that are not dates ("Good Friday" is a date, but not a relative one)
WEEKDAY_NAMES = {"good", "black", "bloody", "cyber", "holy", "ash", "super", "maundy", "palm", "easter",
                 "whit", "orthodox"}
# "a better tomorrow" is no date
NOT_BEFORE_DAY_WORDS = {"a", "better", "brighter", "bright"}
# governors of an infinitive that look forward: "ready to open ... Wednesday"
PROSPECTIVE = {"ready", "plan", "intend", "expect", "set", "schedule", "due", "prepare", "agree",
               "promise", "aim", "hope", "want", "vow", "pledge", "threaten", "propose", "offer",
               "decide", "likely", "poised", "go", "seek", "wish"}
# participles that schedule: "talks scheduled for Friday", "vote expected Thursday"
SCHEDULING = {"schedule", "plan", "set", "expect", "due", "slate"}
FUTURE_AUX = {"will", "'ll", "shall", "wo"}
# verbs of a call whose object happens later: "called for protests on Thursday", "urged them to rally Friday"
CALLING = {"call", "urge", "appeal", "summon", "invite", "mobilise", "mobilize", "rally"}
# what a call asks for that takes place on a day (a plea for "calm" or "restraint" does not)
CALLED_EVENTS = {"protest", "demonstration", "rally", "march", "strike", "sit-in", "in", "shutdown", "boycott",
                 "vote", "election", "referendum", "meeting", "talks", "session", "summit", "gathering", "vigil",
                 "walkout", "ceasefire", "truce", "mobilisation", "mobilization", "action", "day"}

_MON = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
        r"|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_END = r"(?![\w])"
_NUM = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_TOD = r"(?:morning|afternoon|evening|night|overnight)"
_PART = r"(?i:early|mid|late|the\s+(?:end|beginning|middle)\s+of|end\s+of)"
_MOD = r"(?i:last|past|this|next|this\s+coming|coming|early|late)"
_WHICH = (r"earlier\s+this|later\s+this|this|last|next|previous|the\s+coming|the\s+next|the\s+past"
          r"|the\s+previous|the\s+last|the\s+present|the\s+current|over\s+the(?=\s+weekend)|the(?=\s+weekend)")


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


_YEAR_TAIL = rf"(?:,?\s+{_g('year', _YEAR)})?{_END}"  # an optional ", 2022" closing a day or month


# -- small date arithmetic ------------------------------------------------------------------------

def _month_number(word: str) -> int:
    return MONTHS[word.lower()[:3]]


def _day_number(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d is not None else None


def _day_without_year(month: int, day: int, pub: dt.date, future: bool) -> Optional[dt.date]:
    """The year of 'March 3' (see the module docstring)."""
    if future:
        for year in (pub.year, pub.year + 1):
            d = _safe_date(year, month, day)
            if d is not None and d >= pub:
                return d
        return None
    for year in (pub.year, pub.year - 1):
        d = _safe_date(year, month, day)
        if d is not None and d <= pub + dt.timedelta(days=14):
            return d
    return None


def _month_without_year(month: int, pub: dt.date, future: bool) -> int:
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _weekday(target: int, pub: dt.date, direction: str) -> dt.date:
    """direction: 'past' (on or before), 'future' (on or after), 'last' (before), 'next' (after)."""
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    if direction == "last":
        return pub - dt.timedelta(days=back or 7)
    if direction == "next":
        return pub + dt.timedelta(days=ahead or 7)
    if direction == "future":
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


def _day(d: Optional[dt.date]) -> Resolved:
    return (_iso(d), "day", None) if d is not None else NOT_A_DATE


def _range(a: dt.date, b: dt.date) -> Resolved:
    return a.isoformat(), "range", b.isoformat()


def _month(year: int, month: int) -> Resolved:
    return f"{year:04d}-{month:02d}-01", "month", None


def _year(year: int) -> Resolved:
    return f"{year:04d}-01-01", "year", None


# -- the rules ----------------------------------------------------------------------------------
# Each rule is a regular expression and a handler (match, published or None, future) -> Resolved.
# Handlers get pub=None when the article has no date: they return (None, precision, None) then.

@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    handle: Callable[[re.Match, Optional[dt.date], bool], Resolved]
    needs_cue: bool = False  # a bare month or year: only after a cue word or inside a spaCy DATE


def _explicit_day(m, pub, future):
    month = _month_number(m.group("mon"))
    day = _day_number(m.group("day"))
    if m.group("year"):
        return _day(_safe_date(int(m.group("year")), month, day))
    if pub is None:
        return None, "day", None
    return _day(_day_without_year(month, day, pub, future))


def _slashed_day(m, pub, future):
    a, b = int(m.group("a")), int(m.group("b"))
    if a > 12 >= b:
        return _day(_safe_date(int(m.group("year")), b, a))
    if b > 12 >= a:
        return _day(_safe_date(int(m.group("year")), a, b))
    return NOT_A_DATE  # 03/04/2022: April 3 or March 4


def _iso_day(m, pub, future):
    return _day(_safe_date(int(m.group("year")), int(m.group("mon")), int(m.group("day"))))


def _day_range(m, pub, future):
    """'May 5 to 8', 'May 30 to June 2', 'between May 5 and 8'."""
    month1 = _month_number(m.group("mon"))
    month2 = _month_number(m.group("mon2")) if m.group("mon2") else month1
    return _range_of(m, month1, month2, pub, future)


def _day_range_dmy(m, pub, future):
    """'5 to 8 May', '30 April to 2 May': the month given last is the second one."""
    month2 = _month_number(m.group("mon2"))
    month1 = _month_number(m.group("mon")) if m.group("mon") else month2
    return _range_of(m, month1, month2, pub, future)


def _range_of(m, month1: int, month2: int, pub, future) -> Resolved:
    day1, day2 = _day_number(m.group("day")), _day_number(m.group("day2"))
    if m.group("year"):
        year = int(m.group("year"))
        first = _safe_date(year, month1, day1)
    elif pub is None:
        return None, "range", None
    else:
        first = _day_without_year(month1, day1, pub, future)
    if first is None:
        return NOT_A_DATE
    last = _safe_date(first.year + (1 if month2 < month1 else 0), month2, day2)
    if last is None or last < first:
        return NOT_A_DATE
    return _range(first, last)


def _month_year(m, pub, future):
    return _month(int(m.group("year")), _month_number(m.group("mon")))


def _bare_month(m, pub, future):
    month = _month_number(m.group("mon"))
    if pub is None:
        return None, "month", None
    return _month(_month_without_year(month, pub, future), month)


PARTS = {"early": (1, 10), "beginning": (1, 10), "mid": (11, 20), "middle": (11, 20),
         "late": (21, 31), "end": (21, 31)}


def _part_of_month(m, pub, future):
    month = _month_number(m.group("mon"))
    if m.group("year"):
        year = int(m.group("year"))
    elif pub is None:
        return None, "range", None
    else:
        year = _month_without_year(month, pub, future)
    words = m.group("part").lower().replace("-", " ").split()
    first, last = next(PARTS[w] for w in words if w in PARTS)
    end = _last_day(year, month) if last == 31 else dt.date(year, month, last)
    return _range(dt.date(year, month, first), end)


def _bare_year(m, pub, future):
    return _year(int(m.group("year")))


def _weekday_rule(m, pub, future):
    if pub is None:
        return None, "day", None
    target = WEEKDAYS.index(m.group("wd").lower())
    mod = (m.group("mod") or "").lower().split()
    if "last" in mod or "past" in mod:
        direction = "last"
    elif "next" in mod:
        direction = "next"
    elif "coming" in mod or future:
        direction = "future"
    else:
        direction = "past"
    return _day(_weekday(target, pub, direction))


RELATIVE_DAYS = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "earlier today": 0, "later today": 0,
    "tomorrow": 1, "the day after tomorrow": 2,
}


def _relative_day(m, pub, future):
    if pub is None:
        return None, "day", None
    key = " ".join(m.group(0).lower().split())
    return _day(pub + dt.timedelta(days=RELATIVE_DAYS[key]))


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBERS[word]


def _ago(m, pub, future):
    count = _count(m.group("n"))
    unit = m.group("unit").lower()
    precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
    if pub is None:
        return None, precision, None
    if unit == "day":
        return _day(pub - dt.timedelta(days=count))
    if unit == "week":
        return _day(pub - dt.timedelta(weeks=count))
    if unit == "month":
        return _month(*_shift_months(pub.year, pub.month, -count))
    return _year(pub.year - count)


def _span_back(m, pub, future):
    """'the past three weeks', 'the last 24 hours': from that far back up to the published date."""
    if pub is None:
        return None, "range", None
    count = _count(m.group("n"))
    unit = m.group("unit").lower()
    if unit == "hour":
        start = pub - dt.timedelta(days=math.ceil(count / 24))
    elif unit in ("day", "week"):
        start = pub - dt.timedelta(days=count * (7 if unit == "week" else 1))
    elif unit == "month":
        year, month = _shift_months(pub.year, pub.month, -count)
        start = _safe_date(year, month, min(pub.day, calendar.monthrange(year, month)[1]))
    else:
        start = _safe_date(pub.year - count, pub.month, min(pub.day, 28) if pub.month == 2 else pub.day)
    return _range(start, pub)


def _period(m, pub, future):
    which = " ".join(m.group("which").lower().split())
    unit = m.group("unit").lower()
    precision = {"week": "range", "weekend": "range", "month": "month", "year": "year"}[unit]
    if which in {"the past", "the previous", "the last"} and unit in {"week", "month", "year"}:
        precision = "range"
    if pub is None:
        return None, precision, None
    step = {"last": -1, "previous": -1, "next": 1, "the coming": 1, "the next": 1, "the past": -1,
            "the previous": -1, "the last": -1}.get(which, 0)
    if which in {"the past", "the previous", "the last"} and unit != "weekend":
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return _range(pub - dt.timedelta(days=days), pub)
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        if which == "earlier this":
            return _range(monday, max(monday, pub - dt.timedelta(days=1)))
        if which == "later this":
            return _range(min(pub + dt.timedelta(days=1), monday + dt.timedelta(days=6)), monday + dt.timedelta(days=6))
        return _range(monday, monday + dt.timedelta(days=6))
    if unit == "weekend":
        saturday = pub - dt.timedelta(days=pub.weekday() - 5)  # the Saturday of P's week
        if which in {"the", "over the"}:
            if not future and pub.weekday() < 5:
                saturday -= dt.timedelta(weeks=1)
        else:
            saturday += dt.timedelta(weeks=step)
        return _range(saturday, saturday + dt.timedelta(days=1))
    if unit == "month":
        return _month(*_shift_months(pub.year, pub.month, step))
    return _year(pub.year + step)


_DAY_RANGE = (
    rf"(?:(?P<between>[Bb]etween)\s+|(?:[Ff]rom)\s+)?{_g('mon', _MON)}\s+{_g('day', _DAY)}"
    rf"\s*(?(between)and|(?:-|–|—|to|through|until|till))\s*(?:{_g('mon2', _MON)}\s+)?{_g('day2', _DAY)}"
    rf"{_YEAR_TAIL}"
)
_DAY_RANGE_DMY = (
    rf"(?:(?P<between>[Bb]etween)\s+|(?:[Ff]rom)\s+)?{_g('day', _DAY)}(?:\s+{_g('mon', _MON)})?"
    rf"\s*(?(between)and|(?:-|–|—|to|through|until|till))\s*{_g('day2', _DAY)}\s+{_g('mon2', _MON)}"
    rf"{_YEAR_TAIL}"
)



RULES = [
    Rule("iso", re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"), _iso_day),
    # 09.03.2018 is day.month.year; 24/02/2022 and 2/24/2022 only when the order is plain
    Rule("dotted", re.compile(rf"\b(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.{_g('year', _YEAR)}\b"), _iso_day),
    Rule("slashed", re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{_g('year', _YEAR)}\b"), _slashed_day),
    Rule("day_range", re.compile(_DAY_RANGE), _day_range),
    Rule("day_range_dmy", re.compile(_DAY_RANGE_DMY), _day_range_dmy),
    Rule("month_day", re.compile(
        rf"(?:{_WD},?\s+)?{_g('mon', _MON)}\s+{_g('day', _DAY)}(?![\d,.]\d){_YEAR_TAIL}"),
        _explicit_day),
    Rule("day_month", re.compile(
        rf"(?:{_WD},?\s+)?(?:the\s+)?\b{_g('day', _DAY)}\s+(?:of\s+)?{_g('mon', _MON)}{_YEAR_TAIL}"),
        _explicit_day),
    Rule("part_of_month", re.compile(
        rf"{_g('part', _PART)}[-\s]+"
        rf"{_g('mon', _MON)}{_YEAR_TAIL}"), _part_of_month),
    Rule("month_year", re.compile(rf"\b{_g('mon', _MON)},?\s+(?:of\s+)?{_g('year', _YEAR)}\b"), _month_year),
    Rule("month", re.compile(rf"\b{_g('mon', _MON)}{_END}"), _bare_month, needs_cue=True),
    # not "2014-15", "2009-born", "the 1990s", "09.03.2018"
    Rule("year", re.compile(rf"(?<![\d./])\b{_g('year', _YEAR)}\b(?![-\u2010\u2013]\w|['\u2019]?s\b)"),
         _bare_year, needs_cue=True),
    Rule("weekday", re.compile(
        rf"(?:{_g('mod', _MOD)}\s+)?\b{_g('wd', _WD)}\b"
        rf"(?:\s+{_TOD}\b)?"), _weekday_rule),
    Rule("relative_day", re.compile(
        r"(?i:\bthe\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|\byesterday\b|\btoday\b|\btonight\b"
        r"|\btomorrow\b|\blast\s+night\b|\bthis\s+(?:morning|afternoon|evening)\b|\b(?:earlier|later)\s+today\b)"),
        _relative_day),
    Rule("ago", re.compile(rf"(?i:\b{_g('n', _NUM)}\s+{_g('unit', r'day|week|month|year')}s?\s+ago\b)"), _ago),
    Rule("span_back", re.compile(
        rf"(?i:\bthe\s+(?:past|last|previous)\s+{_g('n', _NUM)}\s+{_g('unit', r'hour|day|week|month|year')}s?\b)"),
        _span_back),
    Rule("period", re.compile(
        rf"(?i:\b{_g('which', _WHICH)}"
        rf"\s+{_g('unit', r'week|weekend|month|year')}\b)"), _period),
]
RULE_RANK = {rule.name: i for i, rule in enumerate(RULES)}

_LEADING = re.compile(r"^(?i:(?:on|in|at|during|by|of|as\s+of|around|about)\s+)")
_SINCE = re.compile(r"^(?i:since\s+)")


def _parse_published(published) -> Optional[dt.date]:
    if published is None or published == "":
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        raise ValueError(f"published: {published!r} is not a date (expected YYYY-MM-DD)") from None


def _with_since(result: Resolved, pub: Optional[dt.date]) -> Resolved:
    value, precision, end_value = result
    if precision is None:
        return result
    return value, precision, _iso(pub)  # "since the weekend": from its start up to P


def resolve(expr: str, published=None, future: bool = False) -> Resolved:
    """(value, precision, end_value) of one date expression, e.g. resolve("last Friday", "2022-06-14").

    `published` is an ISO date (or None); `future=True` reads a bare weekday, day or month forward
    ("will meet on Monday"). Returns (None, None, None) when `expr` is no date expression.
    """
    return _resolve_with_rule(expr, _parse_published(published), future)[1]


def _resolve_with_rule(expr: str, pub: Optional[dt.date], future: bool) -> tuple[Optional[Rule], Resolved]:
    text = " ".join(expr.split()).strip(" ,.;:")
    since = bool(_SINCE.match(text))
    text = _LEADING.sub("", _SINCE.sub("", text))
    for rule in RULES:
        m = rule.pattern.fullmatch(text)
        if m is not None:
            result = rule.handle(m, pub, future)
            if result[1] is not None:
                return rule, (_with_since(result, pub) if since else result)
    return None, NOT_A_DATE


# -- finding expressions in a document -----------------------------------------------------------

@dataclass
class Found:
    start: int
    end: int
    rule: Rule
    match: re.Match


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _full_month(word: str) -> bool:
    """A bare month is spelt out or dotted: "Jan" is a name."""
    return word.endswith(".") or len(word) > 3 or word == "May"


def _candidates(text: str, date_ents: list[tuple[int, int]]) -> tuple[list[Found], list[tuple[int, int]]]:
    """Rule matches that read as dates (overlaps resolved: longest first, then the earlier rule),
    and the spans of matches turned down by their context."""
    found: list[Found] = []
    refused: list[tuple[int, int]] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            start, end = m.span()
            if _refused(rule, m, text, date_ents):
                refused.append((start, end))
            else:
                found.append(Found(start, end, rule, m))
    found.sort(key=lambda f: (-(f.end - f.start), RULE_RANK[f.rule.name], f.start))
    kept: list[Found] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start), refused


def _refused(rule: Rule, m: re.Match, text: str, date_ents: list[tuple[int, int]]) -> bool:
    start, end = m.span()
    before = _previous_word(text, start)
    if rule.name == "month":  # "January said", "The March for Babies": a bare month needs its cue
        return before not in MONTH_CUES or not _full_month(m.group("mon"))
    if rule.needs_cue:  # a bare year: after a cue, or where spaCy sees a date
        in_ent = any(s <= start and end <= e for s, e in date_ents)
        if not in_ent and before not in MONTH_CUES:
            return True
    if rule.name == "weekday" and before in WEEKDAY_NAMES and not m.group("mod"):
        return True
    return rule.name == "relative_day" and before in NOT_BEFORE_DAY_WORDS


def is_future_context(span) -> bool:
    """Does the date expression (a spaCy span) hang from a verb that looks forward?"""
    token = span.root
    verb = None
    for t in [token, *token.ancestors]:
        if t.pos_ in {"VERB", "AUX"} or (t.pos_ == "ADJ" and t.dep_ in {"acomp", "ROOT"}):
            verb = t
            break
    if verb is None:
        return False
    return _verb_looks_forward(verb, depth=0) or _called_for(verb, span.start)


def _called_for(verb, date_i: int) -> bool:
    """A date after what a call asks for: 'organisers called for protests on Thursday', 'urged supporters
    to march on Friday'. A date before the call dates the call itself ('On Thursday, they called for ...'),
    and so does one after a plea for a state of things ('called for calm on Thursday')."""
    if verb.lemma_.lower() not in CALLING or date_i < verb.i:
        return False
    for child in verb.children:
        if child.i >= date_i:
            continue
        if child.lower_ == "for" and any(o.lemma_.lower() in CALLED_EVENTS for o in child.children):
            return True
        if child.lower_ == "to" and any(o.tag_ == "VB" for o in child.children):  # 'to march' parsed as a pobj
            return True
        if child.dep_ in {"xcomp", "ccomp"} and child.tag_ == "VB":
            return True
    return False


def _verb_looks_forward(verb, depth: int) -> bool:
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    words = {c.lower_ for c in aux}
    if words & FUTURE_AUX:
        return True
    if "would" in words and "have" not in {c.lemma_ for c in aux}:
        return True
    if verb.lemma_.lower() in SCHEDULING and verb.tag_ == "VBN":
        return True
    if verb.lemma_.lower() in PROSPECTIVE and verb.pos_ == "ADJ":
        return True
    # plans in the present tense: "students plan a sit-in on Monday"
    if verb.lemma_.lower() in SCHEDULING and verb.tag_ in {"VBZ", "VBP"}:
        return True
    # an imperative opening its clause: "Join us in the square on Saturday"
    if (verb.tag_ == "VB" and not aux and verb.left_edge.i == verb.i
            and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)):
        return True
    # an arrangement in the present progressive: "the minister is travelling to Kyiv on Friday"
    if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in {"VBZ", "VBP"} for c in aux):
        return True
    if "to" in words and verb.tag_ == "VB":
        governor = verb.head
        if governor.i != verb.i:
            lemma = governor.lemma_.lower()
            if lemma in PROSPECTIVE and not (lemma == "go" and governor.tag_ != "VBG"):
                return True
            if lemma in CALLING and verb.dep_ == "xcomp":  # "urged its members to walk out on Friday"
                return True
            if lemma == "be" and governor.tag_ in {"VBZ", "VBP"}:  # "the president is to visit"
                return True
            if depth < 2 and governor.pos_ in {"VERB", "AUX"}:
                return _verb_looks_forward(governor, depth + 1)
    return False


def _counts_something(doc, start: int) -> bool:
    """'2014 families': a number that counts a noun, not a year."""
    span = doc.char_span(start, start + 4, alignment_mode="expand")
    return span is not None and span.root.dep_ == "nummod" and span.root.head.tag_ in {"NNS", "NNPS"}


# relative expressions whose reading depends on tense
_TENSE_RULES = {"weekday", "month_day", "day_month", "month", "part_of_month", "day_range", "day_range_dmy"}


def in_quotation(text: str, offset: int) -> bool:
    """Is `offset` inside quotation marks opened earlier in its paragraph?"""
    para = text.rfind("\n", 0, offset) + 1
    before = text[para:offset]
    if before.rfind("\u201c") > before.rfind("\u201d"):
        return True
    return before.count('"') % 2 == 1


def annotate(document: Document) -> None:
    """Fill `document.report.dates`. Relative expressions inside a direct quote are read against the
    day the words were said when the sentence gives it outside the quote ('"We were shelled
    yesterday," she said on Monday' -> Sunday); otherwise against the published date."""
    text = document.text
    doc = document.doc
    pub = _parse_published(document.published)
    date_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in {"DATE", "TIME"}]
    candidates, refused = _candidates(text, date_ents)
    found = [f for f in candidates if not (f.rule.name == "year" and _counts_something(doc, f.start))]
    quoted = {id(f) for f in found if in_quotation(text, f.start)}
    mentions: list[DateMention] = []
    said_on: dict[int, dt.date] = {}  # sentence index -> day of a date outside quotes
    for f in sorted(found, key=lambda f: id(f) in quoted):  # quoted ones last: they need said_on
        anchor = pub
        if id(f) in quoted:
            anchor = said_on.get(document.sentence_index(f.start), pub)
        future = False
        if f.rule.name in _TENSE_RULES:
            span = doc.char_span(f.start, f.end, alignment_mode="expand")
            future = span is not None and is_future_context(span)
        result = f.rule.handle(f.match, anchor, future)
        if result[1] is None:
            continue
        start = f.start
        since = re.search(r"(?i:\bsince\s+)$", text[max(0, start - 8):start])
        if since:
            start -= len(since.group(0))
            result = _with_since(result, anchor)
        if id(f) not in quoted and result[1] == "day" and result[0]:
            said_on.setdefault(document.sentence_index(f.start), dt.date.fromisoformat(result[0]))
        mentions.append(DateMention(start=start, end=f.end, text=text[start:f.end], value=result[0],
                                    precision=result[1], end_value=result[2]))
    # spaCy's dates that no rule matched ("the fall of 2021" is left out: resolve() cannot place it)
    taken = [(f.start, f.end) for f in candidates] + refused
    for s, e in date_ents:
        if any(s < b and a < e for a, b in taken):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        rule, (value, precision, end_value) = _resolve_with_rule(
            text[s:e], pub, future=span is not None and is_future_context(span))
        if rule is None or rule.needs_cue:  # a bare month or year was judged in context above
            continue
        mentions.append(DateMention(start=s, end=e, text=text[s:e], value=value, precision=precision,
                                    end_value=end_value))
    mentions.sort(key=lambda m: m.start)
    document.report.dates = mentions
