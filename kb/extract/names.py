"""Name shapes and word tables for recognising actors: tokens, titles, organisation heads.

The tables hold English words (titles, organisation kinds, demonyms, descriptions), never the
names of particular people: those come from the gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+(?:[’'.][^\W_]+)*\.?")
_POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """A word of the body: ``body[start:end] == text``; ``norm`` is its comparable form."""

    start: int
    end: int
    text: str
    norm: str
    possessive: bool

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def normalise(word: str) -> str:
    """A word as compared: lower case, accents, dots and apostrophes and a possessive removed."""
    word = _POSSESSIVE.sub("", word.rstrip("."))
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word if c.isalnum()).lower()


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their offsets; a trailing full stop is not part of a word
    unless the word is an initial or an abbreviation with inner dots ("U.S.", "W.")."""
    out = []
    for m in _TOKEN.finditer(text):
        start, end, word = m.start(), m.end(), m.group()
        if word.endswith(".") and not (len(word) == 2 or "." in word[:-1]):
            end -= 1
            word = word[:-1]
        out.append(Token(start, end, word, normalise(word), bool(_POSSESSIVE.search(word))))
    return out


def name_tokens(name: str) -> tuple[str, ...]:
    """A name's comparable words: "the Taliban's" -> ("the", "taliban")."""
    return tuple(t.norm for t in tokens(name) if t.norm)


def slug(name: str) -> str:
    """An id from a name: "Ahmad Wali Rahmani" -> "ahmad-wali-rahmani"."""
    return "-".join(name_tokens(name)) or "actor"


ARTICLES = frozenset({"the", "a", "an"})
NUMBER_WORDS = frozenset({
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "dozens", "dozen", "hundreds", "thousands", "scores", "many", "several", "some", "least", "other",
    "more", "most", "all", "both", "few",
})
# Words before a place name that make it a place, not a government: "in Kabul", "to Washington".
LOCATIVE = frozenset({
    "in", "at", "to", "from", "into", "near", "across", "outside", "inside", "around", "toward",
    "towards", "via", "through", "within", "throughout", "over", "for", "of", "on", "back", "left",
    "reached", "arrived", "visited", "entered", "bound", "than", "between",
})
# Words after a noun-like "US" that show it is the noun (the country), not a modifier ("US troops").
NOUN_FOLLOWERS = frozenset({
    "would", "will", "should", "could", "can", "may", "might", "must", "shall", "has", "have", "had",
    "is", "was", "were", "are", "does", "did", "and", "or", "but", "to", "in", "on", "at", "for",
    "with", "by", "from", "as", "that", "which", "who", "currently", "also", "still", "itself",
    "wants", "said", "says", "agreed", "signed", "rejoined", "paused", "needs", "needed", "keeps",
})
# Words before a city that make it the government one deals with: "a deal with Washington".
COUNTERPART_WORDS = frozenset({"with", "against"})
# Verbs that mark the subject as an actor speaking or deciding ("Kabul said", "Washington agreed").
SUBJECT_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "announced", "announces", "agreed", "agrees", "insisted",
    "insists", "rejected", "rejects", "accused", "accuses", "demanded", "demands", "wants", "wanted",
    "refused", "refuses", "welcomed", "welcomes", "warned", "warns", "urged", "urges", "denied",
    "denies", "confirmed", "confirms", "signed", "signs", "would", "will", "should", "could", "can",
    "must", "has", "had", "is", "was", "have", "needed", "needs", "keeps", "kept", "released",
    "decided", "offered", "proposed", "asked", "called", "pledged", "promised", "responded",
    "freed", "frees", "releases", "ordered", "orders", "accepted", "accepts", "approved", "approves",
})
REPORTING_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "tweeted", "wrote", "added", "stated", "announced",
    "confirmed", "declared", "reported", "reports", "indicated", "stressed", "insisted", "claimed",
    "described", "explained", "noted", "warned",
})

# Titles before or after a person's name. Longer phrases are found by joining these words.
TITLE_WORDS = frozenset({
    "president", "vice", "prime", "minister", "deputy", "foreign", "defence", "defense", "interior",
    "secretary", "state", "general", "spokesman", "spokeswoman", "spokesperson", "ambassador",
    "envoy", "representative", "special", "chairman", "chairwoman", "chair", "chief", "head",
    "leader", "commander", "governor", "director", "negotiator", "adviser", "advisor", "senator",
    "sergeant", "colonel", "captain", "major", "lieutenant", "justice", "mullah", "mawlawi",
    "maulvi", "sheikh", "dr", "mr", "mrs", "ms", "first", "class", "member", "co",  # "co-founder": two tokens
    "cofounder", "founder", "official", "mayor", "speaker", "executive", "officer", "health",
    "security", "national", "political", "office", "intelligence", "army", "staff", "former",
    "acting", "senior", "top", "negotiating", "team", "council",
})
# Titles that name a person on their own ("President X", "spokesman X").
PERSON_TITLES = frozenset({
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador",
    "envoy", "representative", "chairman", "chairwoman", "chief", "head", "leader", "commander",
    "governor", "director", "negotiator", "adviser", "advisor", "senator", "sergeant", "colonel",
    "captain", "general", "mullah", "mawlawi", "maulvi", "sheikh", "dr", "mr", "mrs", "ms", "mayor",
    "official", "founder", "cofounder", "member", "justice", "officer",
})
# Honorifics that are not part of the name's identity ("Mullah Baradar" is Baradar).
HONORIFICS = frozenset({"mullah", "mawlawi", "maulvi", "sheikh", "dr", "mr", "mrs", "ms", "haji", "hajji"})
# Role words of posts and the words that mean the same in news prose.
ROLE_SYNONYMS = {
    "spokeswoman": "spokesman", "spokesperson": "spokesman", "envoy": "representative",
    "chairwoman": "chairman", "chair": "chairman", "advisor": "adviser", "defence": "defense",
}

# Capitalised heads that make a multiword name an organisation, with the actor type it gets.
ORGANISATION_HEADS = {
    "ministry": "GovernmentAgency", "office": "GovernmentAgency", "commission": "GovernmentAgency",
    "agency": "GovernmentAgency", "department": "GovernmentAgency", "directorate": "GovernmentAgency",
    "council": "GovernmentAgency", "committee": "GovernmentAgency", "assembly": "GovernmentAgency",
    "parliament": "GovernmentAgency", "senate": "GovernmentAgency", "court": "GovernmentAgency",
    "embassy": "GovernmentAgency", "administration": "GovernmentAgency", "bureau": "GovernmentAgency",
    "authority": "GovernmentAgency", "government": "Government",
    "party": "Collective", "association": "Collective", "jirga": "Collective", "union": "Collective",
    "movement": "ArmedGroup", "network": "ArmedGroup", "front": "ArmedGroup", "brigade": "ArmedGroup",
    "army": "MilitaryForce", "forces": "MilitaryForce", "force": "MilitaryForce", "police": "MilitaryForce",
    "corps": "MilitaryForce", "mission": "MilitaryForce", "command": "MilitaryForce",
    "institute": "ResearchOrganisation", "centre": "ResearchOrganisation", "center": "ResearchOrganisation",
    "foundation": "ResearchOrganisation", "university": "ResearchOrganisation",
    "organisation": "InternationalOrganisation", "organization": "InternationalOrganisation",
    "nations": "InternationalOrganisation", "alliance": "InternationalOrganisation",
    "news": "NewsOrganisation", "times": "NewsOrganisation", "post": "NewsOrganisation",
    "press": "NewsOrganisation", "herald": "NewsOrganisation", "tribune": "NewsOrganisation",
    "journal": "NewsOrganisation", "daily": "NewsOrganisation", "television": "NewsOrganisation",
    "tv": "NewsOrganisation", "radio": "NewsOrganisation", "gazette": "NewsOrganisation",
}
# The actor types of news outlets: they are told things and report them, and act in none.
OUTLET_TYPES = frozenset({"NewsOrganisation", "WireService"})
# Lower-case words that may join the capitalised words of one organisation's name.
NAME_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de", "al", "ul", "bin"})
# Capitalised words that start a sentence or a clause but are no part of a name.
NOT_NAME_WORDS = frozenset({
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "after",
    "before", "under", "since", "as", "this", "that", "these", "those", "his", "her", "their",
    "its", "our", "we", "he", "she", "they", "it", "i", "there", "here", "meanwhile", "however",
    "although", "both", "neither", "some", "many", "speaking", "born", "last", "earlier", "later",
    "from", "until", "by", "with", "for", "to", "of", "former", "thousands", "about", "once",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "eid", "ramadan", "twitter", "facebook", "thanksgiving", "islam",
    "islamic", "sources", "officials", "what", "who", "why", "how", "no", "not", "one", "two",
    "any", "all", "each", "every", "such", "so", "than", "then", "also", "only", "still",
})
# Person nouns that, after an organisation's name, name an unnamed member or a group of members.
MEMBER_NOUNS = {
    "official": "official", "officials": "official", "source": "source", "sources": "source",
    "diplomat": "diplomat", "diplomats": "diplomat", "leader": "leader", "leaders": "leader",
    "leadership": "leader", "negotiator": "negotiator", "negotiators": "negotiator",
    "representative": "representative", "representatives": "representative",
    "commander": "commander", "commanders": "commander", "lawmakers": "lawmaker",
    "delegation": "representative", "delegates": "representative",
}
# Nouns for armed members, whose group a phrase names: "US troops", "Afghan forces".
FORCE_NOUNS = frozenset({
    "troops", "forces", "force", "soldier", "soldiers", "military", "servicemen", "service",
    "personnel", "army", "police", "policemen", "marines", "mission", "commandos",
})
# Words that refer back to the armed group mentioned last.
GROUP_DESCRIPTIONS = frozenset({
    ("the", "group"), ("the", "militant", "group"), ("the", "insurgents"), ("the", "militants"),
    ("the", "movement"), ("the", "insurgent", "group"), ("the", "islamist", "group"),
    ("the", "armed", "group"), ("the", "rebels"), ("the", "islamist", "movement"), ("the", "hardline", "group"),
    ("the", "hardline", "movement"), ("the", "insurgent", "movement"), ("the", "militant", "movement"),
})
# "the envoy", "the president": a person named earlier with that title.
TITLE_DESCRIPTIONS = frozenset({
    "envoy", "president", "spokesman", "minister", "secretary", "ambassador", "negotiator",
    "commander", "chairman", "diplomat", "representative", "governor", "director", "general", "leader",
})
# "the official", "the source": the unnamed source named earlier.
SOURCE_DESCRIPTIONS = frozenset({"official", "source", "diplomat"})
