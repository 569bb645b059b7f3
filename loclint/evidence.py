"""One evidence model for kept tokens: is a token of the source that a target lost a defect?

A reviewer decides that at once from a few facts, and so does `judge`: (a) what the other locales
of the same unit (segment or block) did, (b) what the run's other locales do with the token
everywhere, (c) what this locale does with it elsewhere, (d) the token's shape, and (e) what the
target has in its place (a look-alike, a re-cased form, another token of the same shape). The
callers gather those facts (`Evidence`) where they are known - the checks for the unit, the
engine for the run - and `judge` returns a `Verdict` whose sentence names the evidence that
decided, for the finding's message. The table in the README ("Evidence for kept tokens") is
`judge`, row by row; the thresholds are in `rules/evidence.yaml`, each with its principle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from loclint.lazyre import lazy_pattern, regex
from loclint.registry import load_data_file
from loclint.similarity import token_ratio

if TYPE_CHECKING:
    from loclint.consistency import AcronymUsage
    from loclint.model import Diagnostic

DESIGNATION = "designation"  # an acronym and a number naming one thing: `EN 1090`, `ISO 20022`
IDENTIFIER = "identifier"  # CamelCase: `LedgerBook`, `SharePoint`
CODE = "code"  # a currency or country code: `CAD`, `EUR`, `USA`
WORD = "word"  # an all-caps word: `NOTES`, `WARNING`
ACRONYM = "acronym"  # any other all-caps token: `MFA`, `IBAN`, `GDPR`
TERM = "term"  # a do-not-translate term of the term list or glossary (T001): `Excel`, `Microsoft 365`

_VOWELS = frozenset("AEIOUY")
_LOWER_RUN = lazy_pattern(r"\p{Ll}+")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The evidence model's tunable shares and minimums (rules/patterns.yaml)."""

    keep_share: float  # run-wide share other locales must keep (patterns `acronym-keep-share`)
    own_min: int
    own_share: float
    translation_min: int
    translation_share: float
    stand_in_min_peers: int


@cache
def thresholds(keep_share: float) -> Thresholds:
    data = load_data_file("evidence.yaml")
    return Thresholds(
        keep_share=keep_share,
        own_min=int(data["own-usage-min-instances"]),
        own_share=float(data["own-usage-keep-share"]),
        translation_min=int(data["own-translation-min-instances"]),
        translation_share=float(data["own-translation-keep-share"]),
        stand_in_min_peers=int(data["stand-in-min-peers"]),
    )


@cache
def _codes() -> frozenset[str]:
    data = load_data_file("evidence.yaml")
    return frozenset(data["currency-codes"]) | frozenset(data["country-codes"])


@cache
def across_versions() -> frozenset[str]:
    """Token kinds a plain column weighs across source-version cohorts (`across-versions`)."""
    return frozenset(load_data_file("evidence.yaml")["across-versions"])


@cache
def across_versions_when_few() -> frozenset[str]:
    """Token kinds a plain column weighs across versions when its cohort has too few peers."""
    return frozenset(load_data_file("evidence.yaml")["across-versions-when-few"])


def shape_of(token: str, text: str = "") -> str:
    """The token's shape, from its letters and, for a designation, the number after it in `text`."""
    if not token.isupper():
        # Initials with a small letter between them (`IdP`, `SaaS`, `AppID`) are an acronym; a name of
        # words (`LedgerBook`, `TeamsJS`) has a lowercase run of three letters or more.
        if len(token) <= 5 and max(len(run) for run in _LOWER_RUN.findall(token)) <= 2 and sum(c.isupper() for c in token) >= 2:
            return ACRONYM if not regex.search(r"\p{Nd}", token) else IDENTIFIER
        return IDENTIFIER
    if regex.search(r"(?<![\p{L}\p{N}])" + regex.escape(token) + r"[ \u00a0\u202f-]?\p{Nd}", text):
        return DESIGNATION
    if token in _codes():
        return CODE
    letters = [char for char in token if char.isalpha()]
    if len(letters) == len(token) >= 5 and sum(char in _VOWELS for char in letters) >= 0.35 * len(letters):
        return WORD
    return ACRONYM


def looks_alike(token: str, other: str | None, shape: str = ACRONYM) -> bool:
    """`MAE` for `MFA`, `NOTSE` for `NOTES`: the same letters reordered, or mostly the same. A code
    has so few letters that only a reordering counts (`CAN` is a word of its own, not `CAD` mistyped)."""
    if not other or other == token:
        return False
    if sorted(other) == sorted(token):
        return True
    return shape != CODE and token_ratio(other, token) >= 60


class Candidate(NamedTuple):
    """A lost token as its unit saw it, waiting for the run's evidence (kept small: one per finding)."""

    text: str
    shape: str
    unit_kept: int  # locales of the unit that keep it (this one excluded: it lost it)
    unit_peers: int  # the other locales of the unit
    stand_in: str | None  # see Evidence.stand_in
    expanded: bool  # see Evidence.expanded
    recased: str | None = None  # the token in other letter case in the target's prose (`api`, `Json`)
    worded: bool = False  # see Evidence.worded
    code_spelling: bool = False  # see Evidence.code_spelling
    term_form: str | None = None  # see Evidence.term_form


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about one lost token in one target."""

    token: str
    shape: str
    unit_kept: int  # other locales of the same unit that keep it
    unit_peers: int  # other locales of the same unit
    run_share: float  # the share of the token's instances the run's other locales keep
    own_kept: int  # this locale's other instances of the token that keep it
    own_seen: int  # this locale's other instances of the token
    look_alike: str | None = None  # a look-alike or re-cased form in the target
    stand_in: str | None = None  # another token of the same kind the target has in its place
    expanded: bool = False  # the source or the target spells the token out
    approved: bool = False  # the glossary approves what this locale writes for it
    # A CamelCase name written as words of the target's text, one of its words kept (`Entwicklertools`
    # for DevTools, `应用 ID` for AppID, `Power Apps` for PowerApp), not glued into another name.
    worded: bool = False
    # The look-alike is how the file's own code spells the name (`userIds` beside `` `userIds` ``).
    code_spelling: bool = False
    # The term list's spelling of the name, which the target writes for a variant of it (`Power Apps`
    # for the source's PowerApp).
    term_form: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a token's loss stands, and the evidence that decided."""

    stands: bool
    because: str  # the evidence that decided, as a clause for the message


def judge(e: Evidence, limits: Thresholds) -> Verdict:
    """The README's table "Evidence for kept tokens", row by row: the first row that applies decides."""
    own = _own_usage(e)
    habit = e.own_seen >= limits.own_min and e.own_kept >= limits.own_share * e.own_seen
    others_keep = e.run_share >= limits.keep_share
    if e.approved:
        return Verdict(False, "the glossary approves this locale's form")
    if e.term_form:
        return Verdict(False, f"the target writes the term list's `{e.term_form}` for it: the name's own spelling")
    if e.look_alike and e.code_spelling:
        return Verdict(False, f"`{e.look_alike}` is how the file's code spells it")
    unit_keeps = e.unit_peers >= 2 and e.unit_kept * 2 > e.unit_peers  # see reference.peers_keep
    translates = e.own_seen >= limits.translation_min and e.own_kept <= limits.translation_share * e.own_seen
    if e.look_alike and translates and e.shape != IDENTIFIER and e.look_alike.casefold() == e.token.casefold():
        # A locale that writes the token otherwise nearly everywhere writes its own word, and the
        # re-cased form is that word (Spanish `id.`, the abbreviation of `identificador`); letters
        # reordered (`AMF` for `MFA`) are another acronym, and a CamelCase name's case is part of
        # the name (`yoteams` for `YoTeams`): both are weighed below.
        return Verdict(False, f"{own}: `{e.look_alike}` is the locale's own word for it")
    if e.look_alike and ((others_keep and unit_keeps) or habit):
        why = own if habit else _run(e)
        return Verdict(True, f"`{e.look_alike}` in its place looks like it; {why}")
    if not unit_keeps:
        return Verdict(False, f"{e.unit_kept} of {e.unit_peers} other locales of the unit keep it")
    if not others_keep:
        return Verdict(False, f"{_run(e)}: a token locales translate")
    if e.shape == DESIGNATION:
        return Verdict(True, f"{_run(e)}; a designation (acronym and number) is never translated")
    if e.shape == CODE:
        return Verdict(False, "a code the locale may write as a name")
    if translates:
        return Verdict(False, f"{own}: the locale's own name for it")
    if e.expanded:
        if e.stand_in and e.shape != WORD and e.unit_peers >= limits.stand_in_min_peers and e.unit_kept == e.unit_peers:
            return Verdict(True, f"the text spells it out, but `{e.stand_in}` stands in its place, "
                                 f"where {e.unit_kept} of {e.unit_peers} other locales keep it")
        return Verdict(False, "the text spells it out")
    if e.shape == IDENTIFIER and e.worded:
        return Verdict(False, "written as words of the text, one of its words kept: a name translated word by word")
    if e.shape == IDENTIFIER:
        return Verdict(True, f"{_run(e)}; an identifier, not a word")
    if e.shape == TERM:
        return Verdict(True, f"{_run(e)}; a name the term list says is never translated")
    if habit:
        return Verdict(True, own)
    return Verdict(False, f"{own}: too little to tell a slip from a translation")


def _run(e: Evidence) -> str:
    return f"the run's other locales keep it in {e.run_share:.0%} of its instances"


def _own_usage(e: Evidence) -> str:
    if not e.own_seen:
        return "this locale has no other instance of it"
    plural = "s" if e.own_seen > 1 else ""
    return f"this locale keeps it in {e.own_kept} of {e.own_seen} other instance{plural}"


def systematic_loss(number: str, source: str, segments: int) -> Verdict:
    """A number one file loses in every one of several segments (`Tax 1099` written `IRPF`, the
    name the Spanish UI gives the form) is the locale's own name for a thing, as for a token the
    locale translates consistently; unless it is part of a designation (`EN 1090`), never translated."""
    designation = regex.search(r"(?<![\p{L}\p{N}])\p{Lu}[\p{Lu}\p{N}]+[ \u00a0\u202f-]?" + regex.escape(number) + r"(?!\p{N})", source)
    if designation:
        return Verdict(True, f"lost in {segments} segments of this file, in the designation `{designation.group()}`, which is never translated")
    return Verdict(False, f"lost in {segments} segments of this file: the locale's own name for what it numbers")


def loss_stands(usage: AcronymUsage, candidate: Candidate, locale: str | None, finding: Diagnostic,
                threshold: float) -> Diagnostic | None:
    """The finding, with the evidence that decided, if the lost acronym is a defect now that the
    whole run's usage is known; else None."""
    acronym = candidate.text
    kept, seen = usage.kept_in(acronym, locale)
    look_alike = finding.token if looks_alike(acronym, finding.token, candidate.shape) else candidate.recased
    facts = Evidence(
        token=acronym, shape=candidate.shape, unit_kept=candidate.unit_kept, unit_peers=candidate.unit_peers,
        run_share=usage.kept_elsewhere(acronym, locale), own_kept=kept, own_seen=max(seen - 1, 0),
        look_alike=look_alike, stand_in=candidate.stand_in, expanded=candidate.expanded,
        worded=candidate.worded, code_spelling=candidate.code_spelling, term_form=candidate.term_form,
    )
    verdict = judge(facts, thresholds(threshold))
    if not verdict.stands:
        return None
    return replace(finding, message=f"{finding.message}; {verdict.because}")
