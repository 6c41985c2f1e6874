"""What kind of fact a question asks for (an amount, a time) and which kinds an answer holds.

A "when" question is answered by any expression of time: a year, a date, a weekday, a month, a
time of day, a duration, a relative or recurring time ("two weeks before each release",
"every Thursday", "within 72 hours"). "How long" wants a duration, "how much does it cost" a
price, "what's the phone number" a way to reach someone. An entry may also declare what it
answers (`answers: [when]`), for facts the patterns cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from enum import Enum
from functools import cached_property, lru_cache
from itertools import pairwise

from bot.search.language import english
from bot.search.text import clean_text

__all__ = [
    "ANSWER_TYPE_WORDS",
    "CONTACT_KINDS",
    "WIDER_KIND",
    "YEAR_DIGITS",
    "AnswerType",
    "asks_yes_or_no",
    "counted_near_number",
    "counted_words",
    "declared_answer_types",
    "gives",
    "wanted_answer_type",
]


class AnswerType(Enum):
    COUNT = "how-many"
    TIME = "when"
    NAME = "who"  # "who is the treasurer?": the name of whoever holds a role
    # "What year", "which month", "what day", "what time": a time, and that part of one.
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    CLOCK = "time of day"
    DURATION = "how-long"  # "how long does it take": "within 72 hours", "two weeks"
    PRICE = "price"  # "how much does it cost": "$8", "free"
    CONTACT = "contact"  # "how do I reach them": a number, an address, a link
    # One way to reach someone, asked by name: "what's the phone number" is not answered by
    # an e-mail address.
    PHONE = "phone"
    EMAIL = "email"
    LINK = "link"  # a website
    ADDRESS = "address"  # a street address or a postcode
    # A measure the question names: "how much does it weigh", "how fast", "how far"
    WEIGHT = "weight"  # "18 kg", "40 lb"
    SPEED = "speed"  # "25 km/h", "15 mph"
    DISTANCE = "distance"  # "5 km", "3 miles"
    AGE = "age"  # "how old is she", "what age do you have to be": "16 or older", "aged 34"
    PLACE = "where"  # "where can I borrow one?": a named place, an address or a link
    # "who was CEO before Delaney-Walsh?": whoever came before someone named, which an entry
    # about that one does not give unless it says who was there before.
    PREDECESSOR = "predecessor"


# Words that name a kind of fact rather than a topic ("which month", "what's the fee"): the
# entry that gives that kind of fact answers them without holding the word.
ANSWER_TYPE_WORDS = frozenset(
    {
        *("year", "month", "day", "weekday", "date", "dates", "time", "timing", "hour"),
        *("deadline", "schedule", "timeline", "duration"),
        *("price", "cost", "fee", "rate", "amount", "number", "percentage"),
        *("weight", "weigh", "heavy", "speed", "fast", "distance", "far", "long", "age", "old"),
        *("address", "phone", "email", "website", "url", "link", "name", "names"),
    }
)

# The parts of a time a question may ask for, by the word that asks.
_TIME_PARTS = {
    "year": AnswerType.YEAR,
    "month": AnswerType.MONTH,
    "day": AnswerType.DAY,
    "weekday": AnswerType.DAY,
    "date": AnswerType.DAY,
    "time": AnswerType.CLOCK,
    "hour": AnswerType.CLOCK,
}
_ASKS_TIME_PART = re.compile(r"\b(?:what|which)\s+(year|month|day|weekday|date|time|hour)\b", re.I)


_TIME_UNIT = (
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|"
    r"quarters?|years?|yrs?|decades?|centuries|century|semesters?|seasons?|weekends?)"
)
# Number words, shared by the patterns below that each add their own.
_THREE_TO_FIFTY = (
    "three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
)
_MULTIPLES = "hundred|dozens?|hundreds?|thousands?|millions?|billions?"
_NUMBER_WORD = (
    rf"(?:one|two|{_THREE_TO_FIFTY}|sixty|ninety|hundred|a|an|a\s+few|few|several|many|"
    r"a\s+couple\s+of)"
)
_ASKS_COUNT = re.compile(
    r"\bhow\s+(?:many|much)\b|\bnumber\s+of\b|\bwhat\s+(?:percent(?:age)?|share|proportion|"
    r"amount|price|cost|fee|rate)\b|\bhow\s+(?:big|large|old|far|tall|long\s+is\s+the)\b",
    re.I,
)
_ASKS_TIME = re.compile(
    r"\bwhen\b|\b(?:what|which)\s+(?:year|date|day|month|time|hour|week|weekday|season|"
    r"decade|century)\b|\bhow\s+(?:long|often|soon|frequently|quickly)\b|\bwhat\s+time\b|"
    rf"\bhow\s+(?:many|much)\s+(?:more\s+)?{_TIME_UNIT}\b|\bby\s+when\b|\buntil\s+when\b",
    re.I,
)
# "How long does it take", "how long is it kept", "how far ahead", "how far back"; "how long
# ago" asks when instead.
_ASKS_DURATION = re.compile(
    r"\bhow\s+long\b(?!\s+ago\b)|\bhow\s+far\s+(?:ahead|in\s+advance|back)\b", re.I
)
# An amount of money: "how much money", "how much does it cost", "how much did they pay";
# not "how much storage do the paid plans include".
_MONEY_VERB = (
    r"(?:cost|costs|price|pay|paid|charge|charged|spend|spent|earn|earned|raise|raised|donate|"
    r"donated|owe|refund|refunded|save|saved)"
)
_MONEY_NOUN = (
    r"(?:money|compensation|salary|wages?|budget|funding|cash|rent|tuition|dollars|euros|pounds)"
)
_ASKS_MONEY = re.compile(
    rf"how\s+much\s+(?:{_MONEY_NOUN}\b|(?:is|are|was|were|does|do|did|will|would|has|have|had|"
    rf"can|could|should)\b(?:\s+[\w'’-]+){{0,9}}?\s+{_MONEY_VERB}\b)",
    re.I,
)
_ASKS_PRICE = re.compile(
    r"\bhow\s+much\s+(?:is|are|was|were)\s+(?:a|an|the|my|one|each)\b|"
    r"\bwhat\s+(?:does|do|did|will|would)\b.*\bcost\b|"
    # the words for a sum asked by name: "what's the rent", "what is the fine"
    r"\bwhat(?:'s|s|\s+is|\s+are)\s+the\s+"
    r"(?:price|cost|fee|rent|fare|fine|charge|deposit|toll)s?\b",
    re.I,
)
# Asked for a way to reach someone or something.
_ASKS_CONTACT = re.compile(
    r"\b(?:phone|telephone|fax|whatsapp)\s+(?:number|no)\b|\be-?mail\s+address\b|"
    r"\b(?:street|postal|mailing|web|physical)\s+address\b|"
    r"\bwhat(?:'s|s|\s+is|\s+are)\s+(?:the|your|their|its|(?:\w+\s+)?\w+['’]s)\s+(?:\w+\s+)?"
    r"(?:website|url|e-?mail|address|phone)\b",
    re.I,
)
# A measure asked for by its dimension, and what gives one: a number with its unit.
_ASKS_MEASURE = (
    (
        AnswerType.WEIGHT,
        re.compile(
            r"\bweighs?\b|\bhow\s+heavy\b|\bwhat(?:'s|s|\s+is|\s+are)\s+the\s+weight\b|"
            r"\bweight\s+(?:of|limit)\b",
            re.I,
        ),
    ),
    (
        AnswerType.SPEED,
        re.compile(
            r"\bhow\s+fast\b|\btop\s+speed\b|\bwhat(?:'s|s|\s+is)\s+the\s+\w*\s*speed\b", re.I
        ),
    ),
    (
        AnswerType.DISTANCE,
        re.compile(
            r"\bhow\s+far\b(?!\s+(?:ahead|in\s+advance|back)\b)|\bwhat(?:'s|s|\s+is)\s+the\s+(?:range|distance)\b",
            re.I,
        ),
    ),
    (
        AnswerType.AGE,
        re.compile(
            r"\bhow\s+old\b|\bwhat\s+age\b|\b(?:minimum|maximum)\s+age\b|"
            r"\bage\s+(?:limit|requirement|restriction)s?\b",
            re.I,
        ),
    ),
)


class _Caseless:
    """A case-insensitive pattern for answers, searched case-sensitively in the lower-cased
    text when it is ASCII: the same matches, three times faster (re's case folding is the
    slow part). Other text keeps re's own folding ("ſ" is an "s" to it, not to lower()).

    `needs`: lower-case pieces of which every match holds one. ASCII text holding none of
    them is ruled out at once, without the pattern (a few substring tests cost less than a
    long alternation tried at every position).
    """

    def __init__(self, pattern: str, needs: tuple[str, ...] = ()):
        self._lower = re.compile(pattern)
        self._needs = needs

    @cached_property
    def _folding(self) -> re.Pattern[str]:
        # Compiled when non-ASCII text first needs it, not at import: every cold `ask` pays
        # for the import, and only the patterns that meet such text need this second form.
        return re.compile(self._lower.pattern, re.I)

    def search(self, text: str) -> re.Match[str] | None:
        if text.isascii():
            lowered = text.lower()
            if self._needs and not any(piece in lowered for piece in self._needs):
                return None
            return self._lower.search(lowered)
        return self._folding.search(text)


_NUMBER_THEN = r"\d[\d,.]*\s*"
# A person's age set off after their name, as news reports write it ("Ada Byrne, 44,"): an
# age, not an amount of things.
_AGE_AFTER_NAME = r"(?<=[a-z)],)\s+\d{1,3}(?=,\s)"
_AGE_SET_OFF = re.compile(_AGE_AFTER_NAME, re.IGNORECASE)
# A year's digits (1500 to 2099).
YEAR_DIGITS = r"(?:1[5-9]\d\d|20\d\d)"
_HAS_MEASURE = {
    AnswerType.WEIGHT: _Caseless(
        _NUMBER_THEN
        + r"(?:kg|kgs|kilo(?:gram)?s?|g|grams?|lbs?|pounds?|oz|ounces?|tonnes?|tons?)\b"
    ),
    AnswerType.SPEED: _Caseless(
        _NUMBER_THEN + r"(?:km/h|kmh|kph|mph|m/s|miles\s+per\s+hour|kilomet(?:re|er)s\s+per\s+hour)"
    ),
    AnswerType.DISTANCE: _Caseless(
        _NUMBER_THEN + r"(?:km|kilomet(?:re|er)s?|mi|miles?|m|met(?:re|er)s?|ft|feet|yards?)\b"
    ),
    # An age ("34 years old", "aged 16", "16 or older", "over 18", "must be 16"), or when
    # something began, for the age of a thing ("founded in 1998").
    AnswerType.AGE: _Caseless(
        r"\b\d{1,3}\s*(?:\+|(?:years?|yrs?)[\s-]+old\b|-year-old|or\s+(?:older|over|above)|"
        r"and\s+(?:over|up))|"
        r"\b(?:aged?|ages)\s+(?:of\s+)?\d|"
        r"\b(?:over|under|at\s+least|older\s+than|younger\s+than)\s+(?:the\s+age\s+of\s+)?\d|"
        r"\b(?:be|turned?|turning)\s+\d{1,3}\b|"
        rf"{_AGE_AFTER_NAME}|"
        rf"\b(?:born|founded|built|established|opened|dating)\b[^.]{{0,30}}\b{YEAR_DIGITS}\b"
    ),
}
_YEAR = rf"\b{YEAR_DIGITS}s?\b"
# "May" is a month only beside a day or a time word: "you may ask" is not a date.
_MONTHS_BUT_MAY = (
    "january|february|march|april|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
_MONTH = (
    rf"\b(?:{_MONTHS_BUT_MAY})\b|\bmay\s+\d|\d\s+may\b|"
    r"\b(?:in|early|late|mid|since|until|by)[\s-]+may\b"
)
_MONTH_NAME = rf"(?:may|{_MONTHS_BUT_MAY})\b"
_WEEKDAY = r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekends?\b|\bweekdays?\b"
_CLOCK = (
    r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d\d\b|\bnoon\b|\bmidnight\b|"
    r"\b(?:utc|gmt|[a-z]st|[a-z]dt)\b"
)
_RELATIVE = (
    rf"\b(?:\d+|{_NUMBER_WORD})[\s-]+{_TIME_UNIT}\b|\b(?:every|each|per|once\s+a|twice\s+a|"
    rf"within|for|after|before|over|in|past|last|next|coming|recent)\s+(?:\w+\s+)?{_TIME_UNIT}\b|"
    r"\b(?:daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually|biweekly|"
    r"biannually|today|tonight|tomorrow|yesterday|overnight|year-round|seasonal|ago|"
    r"spring|summer|autumn|fall|winter|morning|afternoon|evening|decades|centuries)\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)\b"
)
# What every match of these holds: a month's name (or its first three letters); "day" or
# "weekend"; a time unit, a digit or one of the words for times of the day or year.
_MONTH_NEEDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_NEEDS = ("day", "weekend")
_RELATIVE_NEEDS = (
    *("sec", "min", "hour", "hr", "day", "night", "week", "month", "quarter", "year", "yr"),
    *("decade", "centur", "semester", "season", "daily", "annual", "tomorrow", "ago"),
    *("spring", "summer", "autumn", "fall", "winter", "morning", "afternoon", "evening"),
    *"0123456789",
)
# Searched one after another rather than as one alternation: a fifth faster, and a year, the
# cheapest to look for, is the most common time.
_TIME_PATTERNS = (
    _Caseless(_YEAR),
    _Caseless(_WEEKDAY, _WEEKDAY_NEEDS),
    _Caseless(_CLOCK),
    _Caseless(_MONTH, _MONTH_NEEDS),
    _Caseless(_RELATIVE, _RELATIVE_NEEDS),
)
_LENGTH_UNIT = (
    r"(?:km|kilomet(?:re|er)s?|miles?|m|met(?:re|er)s?|ft|feet|characters?|words?|pages?)"
)
# "72 hours", "2 business days", "3 to 5 days", "a few weeks", "for decades"
_HAS_DURATION = _Caseless(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORD})(?:\s+to\s+\d+)?[\s-]+(?:[a-z]+\s+)?"
    rf"(?:{_TIME_UNIT}|{_LENGTH_UNIT})\b|"
    rf"\b(?:for|over|within|up\s+to|at\s+least|at\s+most)\s+(?:\w+\s+)?{_TIME_UNIT}\b|"
    r"\b(?:overnight|instantly|immediately|right\s+away|same\s+day|next\s+day|until|"
    r"indefinitely|forever|permanently|as\s+long\s+as)\b"
)
_HAS_PRICE = _Caseless(
    r"[$€£¥₹]\s?\d|\d\s?[$€£¥₹]|\b(?:usd|eur|gbp|cad|aud|chf|nzd|sek|nok|dkk)\s?\d|"
    # "210 US dollars", "50 New Zealand dollars": the country, for currencies named alike
    # ("20 per cent" is a share, not 20 cents)
    r"\d[\d,.]*\s*(?:k|m|bn|million|billion|thousand)?\s*(?:[^\W\d_]+\s+){0,2}?"
    r"(?:usd|eur|gbp|cad|aud|chf|nzd|sek|"
    r"nok|dkk|dollars?|euros?|pounds?|(?<!\bper\s)cents?|pence|francs?|yen|kr)\b|"
    r"\bfree\b|\bno\s+(?:extra\s+)?(?:charge|cost|fee)\b|\bcosts?\s+nothing\b"
)
_HAS_PHONE = r"\+?\d[\d ().-]{6,}\d"
_HAS_EMAIL = r"\b[\w.+-]+@[\w-]+\.\w[\w.]*"
# A link: a scheme, "www.", or a domain ending in a common or a two-letter country suffix
# ("paperlark.com", "fsdi.ie/recall").
_HAS_LINK = (
    r"https?://|\bwww\.|(?<![@\w.-])[\w-]{2,}(?:\.[\w-]+)*\.(?:com|org|net|io|dev|app|gov|edu|info|[a-z]{2})"
    r"(?:/[\w./-]*)?(?![\w-])"
)
_STREET = r"(?:street|st|road|rd|avenue|ave|lane|boulevard|blvd|drive|way|square|place)"
_HAS_STREET_ADDRESS = rf"\b\d+\s+\w+(?:\s+\w+)?\s+{_STREET}\b"
_HAS_CONTACT = _Caseless(f"{_HAS_PHONE}|{_HAS_EMAIL}|{_HAS_LINK}|{_HAS_STREET_ADDRESS}")
# A street named with capitals ("Market Street") or a postcode (UK, US, Canada) is an address
# too, where the way to reach someone is asked by name.
_HAS_ADDRESS = re.compile(
    rf"(?i:{_HAS_STREET_ADDRESS})|\b[A-Z][a-z]+\s+(?:Street|Road|Avenue|Lane|Boulevard|Drive|"
    r"Way|Square|Place|Terrace|Crescent|Close|Row|Parade)\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b\d{5}(?:-\d{4})?\b"
)
_HAS_MEDIUM = {
    AnswerType.PHONE: _Caseless(_HAS_PHONE),
    AnswerType.EMAIL: _Caseless(_HAS_EMAIL, ("@",)),
    AnswerType.LINK: _Caseless(_HAS_LINK),
}
# Which way to reach someone a contact question names, the first that fits ("e-mail
# address" asks an e-mail, "web address" a link).
_CONTACT_MEDIUMS = (
    (AnswerType.PHONE, re.compile(r"\b(?:phone|telephone|fax|whatsapp)\b", re.I)),
    (AnswerType.EMAIL, re.compile(r"\be-?mail\b", re.I)),
    (AnswerType.LINK, re.compile(r"\b(?:website|url|web\s+address|link)\b", re.I)),
    (AnswerType.ADDRESS, re.compile(r"\baddress\b", re.I)),
)
# A file or a folder: "writes MIGRATION-REPORT.md", "builds into dist/", "~/.config/app":
# where a tool keeps something.
_HAS_PATH = re.compile(
    r"\b[\w-]+\.(?:md|txt|json|ya?ml|toml|ini|cfg|conf|log|csv|html|lock)\b|"
    r"(?:^|(?<=[\s`'\"(]))(?:~|\.{1,2})?/[\w.-]+|\b[\w.-]+/(?=[\s`'\".,;:)]|$)"
)
_HAS_TIME_PART: dict[AnswerType, re.Pattern[str] | _Caseless] = {
    AnswerType.YEAR: re.compile(_YEAR),
    AnswerType.MONTH: _Caseless(_MONTH, _MONTH_NEEDS),
    AnswerType.DAY: _Caseless(
        rf"{_WEEKDAY}|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}|"
        rf"{_MONTH_NAME}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b(?:today|tomorrow|yesterday)\b"
    ),
    AnswerType.CLOCK: _Caseless(_CLOCK),
}
# "One" and "two" are left out: in "one of the" or "the two countries" they are not counts.
_COUNT_WORDS = rf"\b(?:{_THREE_TO_FIFTY}|{_MULTIPLES}|half|percent|free)\b"
# How far after a number the counted thing may stand, its describing words between ("41
# automatic number plate recognition cameras").
COUNTED_WINDOW = 6
# "A fourth strike" says how many strikes there are by then; "first" is left out: "the
# first approval" rarely answers how many.
_ORDINALS = "second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
_COUNT_WORD = re.compile(rf"(?:one|two|{_THREE_TO_FIFTY}|{_MULTIPLES}|{_ORDINALS})", re.I)
_HAS_COUNT_WORD = _Caseless(rf"{_COUNT_WORDS}|%")
# A number with the word before it: "Flight 752" or "Version 2" names a thing (a capitalised
# word before it), "AB123" is a code (letters joined to it); "55 passengers" counts.
_NUMBER = re.compile(r"(?:(\S+)\s+)?(\S*?)(\d[\d,.]*)")
_YEAR_ONLY = re.compile(_YEAR)
_DIGIT = re.compile(r"\d")

_DECLARED = {kind.value: kind for kind in AnswerType}
# The ways to reach someone that a question may ask by name, each a kind of contact.
CONTACT_KINDS = frozenset({AnswerType.PHONE, AnswerType.EMAIL, AnswerType.LINK, AnswerType.ADDRESS})
# The kind each narrower kind is part of: an entry declaring the wider one ("when",
# "contact") gives the narrower one asked ("what time", "the phone number") unless its answer
# shows the wider kind and not the narrower (a date and no time of day).
WIDER_KIND = {
    **dict.fromkeys(CONTACT_KINDS, AnswerType.CONTACT),
    **dict.fromkeys(
        (AnswerType.YEAR, AnswerType.MONTH, AnswerType.DAY, AnswerType.CLOCK), AnswerType.TIME
    ),
}


# Keywords without a question word ("launch date") that still ask for a time.
_TERSE_TIME = re.compile(r"\b(?:date|dates|year|deadline|schedule|timeline|timing)\b", re.I)
# "Who is the treasurer", "who was the club's last president", "what is the name of": a role
# or a title, whose holder's name is wanted ("who is Okafor" wants a description instead).
_ASKS_NAME = re.compile(
    r"who(?:'s|s|\s+(?:is|was|are|were|will\s+be))\s+(?:the|a|an|\w+'s|\w+s')\s|"
    r"what(?:'s|\s+is|\s+was)\s+the\s+(?:full\s+)?name\s+of\b",
    re.I,
)
# A question that opens with a verb asks yes or no, whatever question word follows inside it.
_YES_NO_OPENING = re.compile(
    r"^\W*(?:(?:so|ok|okay|but|and|wait|lol|hey|hi|also|um|well)\W+)*(?:do|does|did|is|are|"
    r"was|were|can|could|will|would|should|shall|may|might|must|has|have|had|am)\b",
    re.I,
)
# "who was CEO before Dr Brennan-Keane", "which company owned it before Glenmore": the one
# before someone or something named: a word written with a capital, or, as chat writes
# names, one that is no English word ("before lindqvist"); "before launch" is a time.
_ASKS_PREDECESSOR = re.compile(
    r"(?i:who|whom|which\s+[\w-]+)\b[^.?!]*?\b(?i:before)\s+"
    r"(?:(?i:dr|mr|mrs|ms|prof|sir)\.?\s+)?([A-Za-z][\w'’-]*)"
)
# An answer that says who or what was there before: "until 2016", "her predecessor".
_HAS_PREDECESSOR = _Caseless(
    r"\b(?:before|previous(?:ly)?|former(?:ly)?|predecessors?|preceded|succeed(?:ed|s)?|"
    r"replac(?:ed|es|ing)|took\s+over|until|prior|earlier)\b"
)
# "What are the opening hours", "business hours", "hours of operation": the times of day it
# opens and closes.
_ASKS_HOURS = re.compile(
    r"\b(?:opening|closing|business)\s+(?:hours|times)\b|"
    r"\bhours\s+of\s+(?:operation|business)\b",
    re.I,
)
# "where do the talks stand" asks how things are, not where.
_ASKS_PLACE = re.compile(r"where\b(?!.*\bstand\b)", re.I)
# A word written with a capital inside a sentence: a name ("at Harbourside", "in Frankfurt").
_NAMED_INSIDE = re.compile(r"(?<![.!?:]\s)(?<!^)(?<=\s)[A-Z][\w'’-]+")
_FIRST_QUESTION_WORD = re.compile(
    r"\b(?:who|whom|whose|what|whats|when|where|why|how|which)\b", re.I
)


# "Does anyone know when…", "can you tell me where…", "any idea how much…": the question
# that follows is the one asked.
_ASKS_ABOUT_A_QUESTION = re.compile(
    r"^\W*(?:(?:so|ok|okay|hey|hi|um|also)\W+)*(?:"
    r"(?:do|does)\s+(?:you|u|ya|anyone|anybody|any1|someone|somebody|one)\s+(?:know|remember)|"
    r"(?:can|could|would)\s+(?:you|u|someone|anyone|somebody)\s+(?:tell|remind|show)\s+(?:me|us)|"
    r"(?:any|no)\s+(?:idea|clue)s?|i\s+(?:wonder|was\s+wondering)|"
    r"(?:what\s+)?(?:does|did|do)\s+(?:[\w'’-]+\s+){1,3}?(?:say|mention|tell\s+(?:me|us)|"
    r"write|explain)(?:\s+anything)?(?:\s+(?:about|on|regarding))?)\s+"
    r"(?=(?:when|where|who|whom|whose|what|whats|which|why|how|if|whether)\b)",
    re.I,
)


def _question_asked(question: str) -> str:
    """The question itself, without "does anyone know" or "can you tell me" before it; "if"
    or "whether" after them ask yes or no ("do you know if it rains" asks "does it rain")."""
    text = clean_text(question)
    opening = _ASKS_ABOUT_A_QUESTION.match(text)
    if opening is None:
        return text
    rest = text[opening.end() :]
    return re.sub(r"^(?:if|whether)\b", "is", rest, flags=re.I)


def asks_yes_or_no(question: str) -> bool:
    """Whether a question asks yes or no ("can I ride without the app?"), not for a fact."""
    return bool(_YES_NO_OPENING.match(_question_asked(question)))


# Where a yes-or-no question goes on to ask for a fact: "…? what time", "…, and how much?"
# (not a clause set off by commas: "is the pool, which opened in 2009, heated?").
_THEN_ASKS = re.compile(
    r"(?:[?!.]+|,?\s+(?:and|also|plus))\s+(?=(?:what|when|where|who|how|which)\b)", re.I
)


def wanted_answer_type(question: str) -> AnswerType | None:
    """The kind of fact a question asks for: TIME for "when", COUNT for "how many", DURATION
    for "how long", PRICE, CONTACT, NAME, a part of a time; None for anything else.

    The first question word decides: "where was it flying to when it went down" asks for a
    place, whatever the "when" of its subordinate clause.
    """
    text = _question_asked(question)
    if _YES_NO_OPENING.match(text):
        # "is there a spin class on Mondays, and what time?": the question after it asks
        then = _THEN_ASKS.search(text)
        if then is not None:
            return wanted_answer_type(text[then.end() :])
        return None  # "do I have to wear a helmet when riding?" asks yes or no
    for kind, asks in _ASKS_MEASURE:
        if asks.search(text):
            return kind  # "how much does it weigh" wants a weight, not any amount
    if _ASKS_HOURS.search(text):
        return AnswerType.CLOCK  # "what are the opening hours": times of day
    first = _FIRST_QUESTION_WORD.search(text)
    if _ASKS_CONTACT.search(text) and (first is None or first.group().casefold() != "why"):
        return next(
            (kind for kind, names in _CONTACT_MEDIUMS if names.search(text)), AnswerType.CONTACT
        )
    if first is None and _TERSE_TIME.search(text):
        return AnswerType.TIME
    if first is not None:
        asked = text[first.start() :]
        part = _ASKS_TIME_PART.match(asked)
        if part:
            return _TIME_PARTS[part.group(1).casefold()]
        if _ASKS_DURATION.match(asked):
            return AnswerType.DURATION
        if _ASKS_TIME.match(asked):
            return AnswerType.TIME
        if _asks_predecessor(asked):
            return AnswerType.PREDECESSOR
        if _ASKS_NAME.match(asked) or _asks_for_the_doer(asked):
            return AnswerType.NAME
        if _ASKS_PLACE.match(asked):
            return AnswerType.PLACE
        asks_amount = _ASKS_COUNT.match(asked) or _ASKS_PRICE.match(asked)
        return _amount_asked(asked) if asks_amount else None
    if _ASKS_DURATION.search(text):
        return AnswerType.DURATION
    if _ASKS_TIME.search(text):
        return AnswerType.TIME
    if _ASKS_COUNT.search(text):
        return _amount_asked(text)
    return None


# "who founded it", "who chairs the board": whoever did it (english.yaml, verbs_asking_who).
_WHO_DID = re.compile(r"who\s+([a-z]+)\b", re.I)


def _asks_for_the_doer(asked: str) -> bool:
    did = _WHO_DID.match(asked)
    return did is not None and did.group(1).casefold() in english().verbs_asking_who


def _asks_predecessor(asked: str) -> bool:
    before = _ASKS_PREDECESSOR.match(asked)
    if before is None:
        return False
    named = before.group(1)
    return named[0].isupper() or (named.isalpha() and named.casefold() not in english().zipf)


def _amount_asked(asked: str) -> AnswerType:
    """PRICE for an amount of money ("how much does it cost", "what's the fee"), else COUNT;
    "how many" always counts things."""
    if re.match(r"how\s+many\b", asked, re.I):
        return AnswerType.COUNT
    if _ASKS_PRICE.match(asked) or _ASKS_MONEY.match(asked):
        return AnswerType.PRICE
    return AnswerType.COUNT


_COUNTED = re.compile(r"\bhow\s+many\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?", re.I)


def counted_words(question: str) -> tuple[str, ...]:
    """What a "how many" question counts: "how many teams entered" -> ("teams", "entered"),
    "how many player slots" -> ("player", "slots"). The thing counted is one of the two; the
    caller keeps those that are topic words."""
    found = _COUNTED.search(clean_text(question))
    if not found:
        return ()
    return tuple(word.casefold() for word in found.groups() if word)


def counted_near_number(
    answer_words: list[str], counted: Iterable[str], stop_words: AbstractSet[str]
) -> bool:
    """Whether an answer's words count one of those things: a number, then it within a few
    words and before any little word ("55 registered members", "41 number plate recognition
    cameras", "two approvals"; not "one of the approvals", "five teams and their players")."""
    things = set(counted)
    for position, word in enumerate(answer_words):
        if not (word[:1].isdigit() or _COUNT_WORD.fullmatch(word)):
            continue
        for after in answer_words[position + 1 : position + 1 + COUNTED_WINDOW]:
            if after in things:
                return True
            if after in stop_words:
                break
    return False


def gives(answer: str, kind: AnswerType) -> bool:
    """Whether the answer gives this kind of fact (one look: a question wants one kind)."""
    if kind is AnswerType.NAME:
        return any(map(_is_name, _name_runs(answer)))
    if kind is AnswerType.TIME:
        return _has_time(answer)
    if kind in _HAS_TIME_PART:
        return bool(_HAS_TIME_PART[kind].search(answer) and _has_time(answer))
    if kind is AnswerType.COUNT:
        # A year alone is a time, not a count: "how many died" is not answered by "in 2020".
        without_years = _AGE_SET_OFF.sub(" ", _YEAR_ONLY.sub(" ", answer))
        return bool(
            _HAS_COUNT_WORD.search(without_years)
            # (the number pattern is slow to rule out, and cannot match without a digit)
            or (
                _DIGIT.search(without_years) is not None
                and any(_is_amount(m) for m in _NUMBER.finditer(without_years))
            )
            or _HAS_PRICE.search(answer)
        )
    if kind is AnswerType.DURATION:
        return bool(_HAS_DURATION.search(answer))
    if kind is AnswerType.PRICE:
        return bool(_HAS_PRICE.search(answer))
    if kind is AnswerType.CONTACT:
        return bool(_HAS_CONTACT.search(answer))
    if kind in _HAS_MEDIUM:
        return bool(_HAS_MEDIUM[kind].search(answer))
    if kind is AnswerType.ADDRESS:
        return bool(_HAS_ADDRESS.search(answer))
    if kind is AnswerType.PLACE:
        return bool(
            _NAMED_INSIDE.search(answer) or _HAS_CONTACT.search(answer) or _HAS_PATH.search(answer)
        )
    if kind is AnswerType.PREDECESSOR:
        return bool(_HAS_PREDECESSOR.search(answer))
    if kind is AnswerType.SPEED and _HAS_DURATION.search(answer):
        return True  # "how fast does it sync?": "within a few seconds"
    return bool(_HAS_MEASURE[kind].search(answer))


def _has_time(text: str) -> bool:
    return any(pattern.search(text) for pattern in _TIME_PATTERNS)


# Two or more capitalised words in a row: "Ada Okafor", "Priya Anand-Holt".
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+")
# A name has at least one word that is uncommon as an English word ("Okafor", "Lindqvist";
# not "The United Nations").
NAME_WORD_ZIPF = 4.0
# A word after a name word that is not a given name makes a person's name when rarer still:
# surnames ("Haines", "Calder", "Wren") are, the words naming buildings and places
# ("Cathedral" 3.75, "Lantern" 3.5) are not.
SURNAME_WORD_ZIPF = 3.5


def gives_a_new_name(answer: str, question: str) -> bool:
    """Whether the answer names someone or something the question did not: "who is the CEO
    of Quayline Ltd?" is not answered by a text whose only name is "Quayline Ltd"."""
    asked = _words_asked(question)
    return any(
        plain not in asked and _names_at(words, position)
        for words in _name_runs(answer)
        for position, plain in enumerate(words)
    )


def asks_who(question: str) -> bool:
    """Whether the question asks who: its first question word is "who"."""
    first = _FIRST_QUESTION_WORD.search(_question_asked(question))
    return first is not None and first.group().casefold() == "who"


def gives_a_new_person(answer: str, question: str) -> bool:
    """Whether the answer names a person the question did not: two name words side by side
    ("Ada Okafor", "Minister Ada Lind", "Peter Evans"), not a place or a body named with
    everyday words ("Cork Airport", "Port Averly", "Kettleby City Council")."""
    asked = _words_asked(question)
    return any(
        (first not in asked or second not in asked) and _person_pair(first, second)
        for words in _name_runs(answer)
        for first, second in pairwise(words)
    )


def _person_pair(first: str, second: str) -> bool:
    language = english()
    if second in language.titles or any(character.isdigit() for character in first + second):
        return False  # ("Embraer E195" is a model; "O'Brien" is a name)
    if _introduces_a_name(first):
        return True
    # (a surname is rarer than the everyday words that name places: "Bergen Cathedral")
    return (
        language.frequency(first) < NAME_WORD_ZIPF
        and language.frequency(second) < SURNAME_WORD_ZIPF
    )


def _name_runs(answer: str) -> Iterator[list[str]]:
    """The answer's capitalised runs, each as its words are compared (_run_words)."""
    for run in _CAPITALISED_RUN.finditer(answer):
        if words := _run_words(run):
            yield words


def _run_words(run: re.Match[str]) -> list[str]:
    """A capitalised run's words as names are compared ("Anand-Holt's" is "anand"), without
    the little words a sentence opens with: "The Dutch bakery" holds one capitalised word of
    its own, as "the Dutch bakery" does, and one word is no run."""
    words = [word.casefold().split("-")[0].rstrip("’'s") for word in run.group().split()]
    stop_words = english().stop_words
    start = 0
    while start < len(words) and words[start] in stop_words:
        start += 1
    return words[start:] if len(words) - start >= 2 else []


def _names_at(words: list[str], position: int) -> bool:
    """Whether the word at `position` of a capitalised run makes it a name: a word uncommon in
    English ("Okafor"), or one after a given name ("Peter Evans") or a title ("Minister Ada
    Lind")."""
    language = english()
    if language.frequency(words[position]) < NAME_WORD_ZIPF:
        return True
    before = words[:position]
    # ("Lord Mayor" is two titles, no name)
    return (
        bool(before) and words[position] not in language.titles and _introduces_a_name(before[-1])
    )


def _introduces_a_name(word: str) -> bool:
    """Whether a word makes the capitalised word after it a name: a given name ("Peter
    Evans") or a title ("Minister Lind")."""
    language = english()
    return word in language.given_names or word in language.titles


_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def gives_a_new_figure(answer: str, question: str) -> bool:
    """Whether the answer holds a number the question does not: "how much will each family
    get from the €2 million fund?" is not answered by a text whose only sum is €2 million."""
    asked = _figures(question)
    return not asked or not _figures(answer) <= asked


def _figures(text: str) -> set[str]:
    return {figure.replace(",", "").rstrip(".") for figure in _FIGURE.findall(text)}


@lru_cache(maxsize=64)
def _words_asked(question: str) -> frozenset[str]:
    """The question's words as names are compared (one question, many answers)."""
    return frozenset(word.casefold().rstrip("’'s") for word in re.findall(r"[\w’'-]+", question))


def _is_name(words: list[str]) -> bool:
    return any(_names_at(words, position) for position in range(len(words)))


def _is_amount(number: re.Match[str]) -> bool:
    before, joined = number.group(1) or "", number.group(2)
    if joined and joined[-1].isalpha():
        return False  # "AB123"
    if not (before[:1].isupper() and before.isalpha()):
        return True
    # A capital that only opens a sentence ("The 55 passengers") names nothing.
    return before.casefold() in english().stop_words


def declared_answer_types(names: Iterable[str]) -> frozenset[AnswerType]:
    """The types an entry says it answers (`answers: [when, how-many]`); "when" covers every
    part of a time and a duration, and a price is an amount too."""
    kinds = {_DECLARED[name] for name in names if name in _DECLARED}
    if AnswerType.TIME in kinds:
        kinds.update((*_TIME_PARTS.values(), AnswerType.DURATION))
    if AnswerType.PRICE in kinds:
        kinds.add(AnswerType.COUNT)
    return frozenset(kinds)


# Where a sentence lists what it speaks of: "such as", "including", a colon, or items apart
# by commas ("feat, fix, docs and chore").
_LIST_OPENER = re.compile(
    r":\s|\b(?:such\s+as|including|namely|e\.g\.)|,[^,]+,|\w,\s[^,]+\s(?:and|or)\s",
    re.IGNORECASE,
)
# A word that names something: a capital, a number, a channel ("#help").
_NAMING_WORD = re.compile(r"(?:[A-Z][\w’'-]*|\d[\w,.’'-]*|#[\w-]+)")
# How near before the kind a name says which one it is ("the Oslo office").
NAME_BEFORE_KIND = 3
# Where the words after the kind stop speaking of it: the end of its clause, or a clause
# that goes on about something else ("instructed solicitors and expected to reply within 28
# days" names no solicitor).
_KIND_CLAUSE_END = re.compile(r"[;.]\s|,\s|\s(?:and|but|which|who|that|while|to)\s")


def names_one_of_a_kind(before: str, after: str, question: str) -> bool:
    """Whether a sentence that speaks of a kind of thing names one (or some) of it, the
    question not: a name, a number or a channel just before the kind or after it in its
    clause, or a list after it ("the allowed prefixes are feat, fix and docs"). `before`, `after`:
    the sentence's words on either side of the kind's word."""
    if _LIST_OPENER.search(after):
        return True
    asked = _words_asked(question)
    after = _KIND_CLAUSE_END.split(after, maxsplit=1)[0]
    # (the sentence's first word has its capital whatever it is)
    near = before.split()[1:][-NAME_BEFORE_KIND:]
    words = [word.lstrip("([\"'“‘") for word in (*near, *after.split())]
    return any(
        _NAMING_WORD.match(word) and word.casefold().rstrip(".,;:)’'s") not in asked
        for word in words
    )
