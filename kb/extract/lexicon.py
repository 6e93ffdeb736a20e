"""Trigger lexicons: which words signal which event type (ontology/event-types.ttl), and which
words change an event's status. Patterns are case-insensitive regular expressions over word forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Types that are acts about another event (a proposal of a ceasefire, the cancellation of a
# meeting); the others are the events themselves.
ACT_TYPES = frozenset({
    "proposal", "demand", "rejection", "acceptance", "cancellation", "stall", "announcement",
    "claim-of-responsibility", "commitment", "criticism",
})
# Acts that the text can only report as done: a "planned" or "possible" demand or stall is a
# reading of an infinitive ("would push for", "to halt"), not a fact.
OCCURRED_ONLY = frozenset({"demand", "stall", "acceptance", "rejection", "announcement", "claim-of-responsibility",
                           "criticism"})
# For each type: the role of the actors before the trigger (the subject) and after it (objects).
ROLES: dict[str, tuple[str, str | None]] = {
    "visit": ("visitor", "host"), "meeting": ("participant", "participant"),
    "negotiation": ("party", "party"), "talks-round": ("party", "party"),
    "talks-series": ("party", "party"), "resumption": ("party", "party"),
    "agreement": ("party", "party"), "ceasefire": ("party", None),
    "reduction-in-violence": ("party", None), "commitment": ("party", None),
    "withdrawal": ("participant", "participant"), "troop-level-change": ("participant", "participant"),
    "phone-call": ("participant", "participant"), "mediation": ("participant", "participant"),
    "prisoner-release": ("party", None), "attack": ("attacker", "target"),
    "bombing": ("attacker", "target"), "airstrike": ("attacker", "target"),
    "proposal": ("proposer", "addressee"), "demand": ("demander", "addressee"),
    "rejection": ("responder", None), "acceptance": ("responder", None),
    "cancellation": ("canceller", None), "stall": ("canceller", None),
    "announcement": ("announcer", None), "claim-of-responsibility": ("speaker", None),
    "criticism": ("speaker", None), "statement": ("speaker", None),
}
# When several triggers of one clause name the same happening, the most specific type wins.
PRIORITY = (
    "claim-of-responsibility", "bombing", "airstrike", "attack", "prisoner-release",
    "reduction-in-violence", "ceasefire", "troop-level-change", "withdrawal", "talks-series",
    "talks-round", "agreement", "resumption", "negotiation", "phone-call", "visit", "meeting", "mediation",
)


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that signals an event type; ``verb`` when it is a finite verb."""

    type: str
    pattern: re.Pattern[str]
    verb: bool
    stage: str | None = None


def _t(type_: str, pattern: str, verb: bool = True, stage: str | None = None) -> Trigger:
    return Trigger(type_, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), verb, stage)


# The object of "killed" (an active, transitive use): a count or a determiner, then the victims.
_VICTIMS = (r"(?:(?:more than|at least|nearly|about|some|up to|over)\s+)?(?:\d[\d,]*|an?|the|two|three|four|"
            r"five|six|seven|eight|nine|ten|dozens of|scores of|hundreds of)\s")

TRIGGERS: tuple[Trigger, ...] = (
    # "claimed the attack", "the group's claim of Thursday's bombing": the act claimed follows
    _t("claim-of-responsibility", r"claimed responsibility|claims? responsibility|said it had carried out"
       r"|claim(?:ed|s)?(?: of)?(?= (?:(?:the|a|an|its|their|this|that|[\w-]+['’]s) )?(?:[\w-]+ ){0,2}?"
       r"(?:attacks?|bombings?|blasts?|assaults?|explosions?|raids?|strikes?)\b"
       r"(?! (?:had|has|have|was|were|is|are|would|will|could|did|do|does)\b))"),
    _t("bombing", r"(?:suicide |car |truck |roadside )?bomb(?:ing|ings|s|ers?)?|blast|explo(?:ded|sion)|suicide attack",
       verb=False),
    _t("airstrike", r"air ?strikes?|air raids?|drone strikes?|(?:carried out|launched|conducted) (?:\w+ )?strikes",
       verb=False),
    # taking ground is fighting too: "overran the district", "seized control of the city"
    _t("attack", r"overr(?:an|un)|storm(?:ed|ing)|(?:seiz|captur)(?:ed|es|ing) (?:control of )?(?:the )?(?:\w+ )?"
       r"(?:district|city|town|province|provincial|base|checkpoint|capital|headquarters)"
       r"|(?:seized|captured|took|taken|taking) control of(?= (?:the )?(?-i:[A-Z]))"
       # "seized Kabul", "captured Kunduz": a place by its name, not "captured Taliban fighters"
       r"|(?:seiz|captur)(?:ed|es|ing)(?= (?-i:[A-Z])[\w-]+(?:,|\.| on| in| after| from| and| as| without|$))"
       r"|(?:launched|began|started|mounted) an? (?:\w+ )?offensive", verb=False),
    _t("attack", r"attack(?:ed|s)?|struck|offensive operations|operations against|assault(?:ed)?|assassinat(?:ed|ion)"
       r"|raid(?:ed|s)?|ambush(?:ed|es)?|clash(?:ed|es)|battled|opened fire|shell(?:ed|ing)"
       r"|fired (?:rockets|mortars?|shells)"
       r"|(?<!\bwere )(?<!\bwas )(?<!\bbeen )kill(?:ed|ing)(?=\s+" + _VICTIMS + ")", verb=False),
    _t("prisoner-release", r"(?:release[ds]?|freed|free|releasing) (?:[\w,]+ ){0,5}(?:prisoners|hostages|captives"
       r"|detainees|inmates|professors|teachers|soldiers|members|commanders|fighters|men|women|civilians"
       r"|aid workers|Americans|foreigners)", verb=True),
    # "400 Taliban prisoners were freed on Monday": who freed them, the side that held them tells
    _t("prisoner-release", r"(?:prisoners|detainees|captives|inmates)(?: [\w,]+){0,3}? (?:were|was|have been|has been"
       r"|had been|are being|were being) (?:freed|released)", verb=True),
    _t("reduction-in-violence", r"reduction (?:in|of) violence|reduce violence|reducing violence", verb=False),
    _t("ceasefire", r"cease-?fires?|truces?|(?:stop|halt|cease)(?:ped|ed|s|ing)? (?:offensive |military )?"
       r"(?:operations|fighting|attacks)|h(?:o|e)ld(?:ing|s)? (?:their|its|our) fire", verb=False),
    _t("ceasefire", r"(?:prolong|extend)(?:ed|s|ing)? (?:theirs|it|its own|their own|the)(?: (?:ceasefire|truce))?",
       verb=False),
    _t("troop-level-change", r"(?:reduce|cut|reduced|cutting|reducing|bring(?:s|ing)?|brought) "
       r"(?:its |their |the |US |American )?(?:number of (?:\w+ )?)?"
       r"(?:forces|troops|troop levels?|troop numbers|soldiers)(?: in \w+)?(?: down)? to"
       r"|go down to|drawdown"
       # "the number of US troops will fall to 8,600"
       r"|(?:troops|forces|soldiers)(?: [\w,]+){0,3}? (?:will |would |to )?(?:fall|falls|fell|drop|drops|dropped|"
       r"shrink|shrinks|shrank|decline|declines|declined) to(?= (?:about |around |roughly |some )?\d)", verb=True),
    _t("withdrawal", r"withdraw(?:al|ing|s)?|pull(?:ed|ing)? out|pulling out|(?:leave|leaves|left|leaving) Afghanistan"
       r"|(?<=would )be gone|(?<=will )be gone|pull-?outs?"
       # "the departure of all American troops", "the exit of foreign forces from Afghanistan"
       r"|(?:departure|exit) of (?:all |the |its |their )?(?:[\w-]+ ){0,3}?(?:troops|forces|soldiers)", verb=False),
    # "pull 5,400 of its troops out", "bring the troops home", "bringing home some of the troops"
    _t("withdrawal", r"pull(?:s|ed|ing)? (?:[\w,]+ ){1,6}?(?:troops|forces|soldiers) out|(?:bring(?:s|ing)?|brought)"
       r" (?:home (?:[\w,]+ ){0,6}?(?:troops|forces|soldiers)|(?:[\w,]+ ){0,4}?(?:troops|forces|soldiers) home)"),
    # "the troops would leave", "all American and NATO troops had left Bagram", "would be gone by September 11"
    _t("withdrawal", r"(?:troops|forces|soldiers)(?: [\w,]+){0,3} (?:(?:would|will|to|must|should) leave"
       r"|(?:had |have |has )?left(?= (?:the country|Afghanistan|Kabul|Bagram)\b)|(?:had|have|has) left"
       r"|would have left|(?:would|will) be gone)"),
    _t("talks-series", r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) rounds of "
       r"(?:talks|negotiations)|(?:a|one|two|three|\d+) (?:year|years|months) of (?:[\w-]+ )?(?:talks|negotiations)",
       verb=False),
    # "a round of talks", "six days of talks", "two-day talks"
    _t("talks-round", r"round(?: \w+){0,3} of (?:[\w-]+ )?(?:talks|negotiations)|(?:talks|negotiations) round"
       r"|(?:two|three|four|five|six|seven|eight|nine|ten|\d+) days of (?:[\w-]+ )?(?:talks|negotiations)"
       r"|(?:two|three|four|five|six|seven|\d+)-day (?:[\w-]+ )?(?:talks|negotiations)", verb=False),
    # "the two sides are expected to meet again on February 25": the next round (annotation guidelines)
    _t("talks-round", r"meet again", verb=True),
    _t("resumption", r"resum(?:ed|es|e|ing|ption)|rejoin(?:ed|s)? the talks|restart(?:ed|s)?|revived", verb=True),
    _t("agreement", r"sign(?:ed|s|ing)? (?:an? |the |their )?(?:[\w-]+ ){0,2}?(?:agreement|deal|accord)",
       stage="signed"),
    _t("agreement", r"(?:agreement|deal|accord) (?:was |were )?signed|signing", verb=False, stage="signed"),
    # a relative clause: "the agreement (that) the two sides signed"
    _t("agreement", r"(?:agreement|deal|accord),? (?:that |which )?(?:(?!be\b|being\b|been\b)[\w’'-]+ ){1,6}?signed",
       verb=False, stage="signed"),
    _t("agreement", r"finali[sz]ed (?:an? |the |their )?(?:[\w-]+ ){0,2}?(?:deal|agreement|accord)",
       stage="finalised"),
    _t("agreement", r"agreed in principle|reached (?:an? )?(?:understanding|agreement|deal)|agreement in draft"
       r"|(?:str(?:uck|ike|ikes|iking)|seal(?:ed|s|ing)?|clinch(?:ed|es|ing)?) (?:an? |the |their )?(?:[\w-]+ ){0,2}?"
       r"(?:deal|agreement|accord)"
       r"|draft (?:accord|agreement|framework)", stage="agreed-in-principle"),
    _t("agreement", r"agreed on", stage="agreed-in-principle"),
    # "have settled the rules and procedures for their talks", "settled on a date"
    _t("agreement", r"settled (?:on )?(?:the|a|an|their|its) (?:[\w-]+ ){0,2}?(?:rules|procedures|terms|date|agenda|"
       r"framework|timetable|text|issues?|differences|dispute)", stage="finalised"),
    _t("negotiation", r"negotiat(?:ions?|ing|ed|e)|peace talks|talks|dialogue", verb=False),
    # "spoke to both men by telephone", "a phone call with", "phoned"
    _t("phone-call", r"(?:sp(?:oke|eaks?|eaking)|talk(?:ed|s)?) (?:(?:to|with) (?:[\w’'-]+ ){1,5}?)?by (?:tele)?phone"
       r"|(?:tele)?phone (?:call|conversation)s?|(?:tele)?phoned|video (?:call|conference)", verb=False),
    _t("visit", r"fl(?:ew|ies|y|ying|own) (?:(?:back|on|in) )?to(?= (?-i:[A-Z]))|fl(?:ew|ies|y|ying|own) into"),
    _t("visit", r"arriv(?:ed|es|e|ing)|visit(?:ed|s|ing)?|travel(?:l?ed|l?ing|s)? (?:(?:with (?:him|her|them)|on|back"
       r"|again|directly) )?to|trip to|bound for|land(?:ed|s|ing) (?:in|at)|head(?:ed|s|ing) (?:back )?(?:to|for)"
       r"(?= (?-i:[A-Z]))", verb=False),
    # "led a Taliban delegation to Moscow": the leader visits
    _t("visit", r"l(?:ed|eads|eading) (?:an? |the |his |her |its |their )?(?:[\w-]+ ){0,2}?delegation to"
       r"(?= (?-i:[A-Z]))"),
    # not "meet the conditions", "met its obligations"
    _t("meeting", r"(?:met|meet(?:s|ing|ings)?)(?! (?:(?:the|its|their|all|these|those|his|her) )?(?:conditions|"
       r"demands|requirements|obligations|commitments|deadline|targets?|criteria|needs)\b)|consultations|gathering"
       r"|receiv(?:ed|es|e|ing)(?= (?:the )?(?-i:[A-Z]))"
       r"|(?<!news )(?<!press )conferences?|summits?"
       r"|st(?:ood|ands?|anding) (?:beside|alongside|next to)"
       r"|sat down with|host(?:ed|s|ing)(?= (?:(?:US|Afghan|Taliban|Pakistani) )?(?-i:[A-Z])[a-z])"
       # "attended the opening ceremony", "attends the conference"
       r"|attend(?:ed|s|ing)?(?= (?:the |a |an |its |their )?(?:[\w-]+ ){0,3}?(?:ceremony|conference|meeting|talks"
       r"|summit|gathering|session|negotiations|jirga)\b)",
       verb=False),
    # a third side bringing two together: "mediated between the two camps", "talks arranged by Qatar"
    _t("mediation", r"mediat(?:ed|es|e|ing|ion)|(?:arranged|brokered|facilitated) by", verb=False),
    _t("proposal", r"propos(?:ed|es|e)|offer(?:ed|s)?|urged|appeal(?:ed)? to|suggest(?:ed|s)?"
       r"|(?:appeal|proposal)s?(?= (?:by|from|for) )"),  # "an appeal by Ghani for a ceasefire"
    _t("demand", r"demand(?:ed|s)?|insist(?:ed|s|ing)? (?:on|that)|insisted|called on|calls on|called for|calling for"
       r"|(?:push|press)(?:ed|es|ing)? for"
       # "had asked Washington to keep its forces", "pressed the Taliban to reduce violence"
       r"|(?:ask|press)(?:ed|es|s|ing)?(?= (?!for\b)(?:the |both |all )?(?:[\w’'-]+ ){0,3}?"
       r"to (?!the\b|a\b|an\b)[a-z]+\b)"),
    _t("rejection", r"reject(?:ed|s)?|refus(?:ed|es|e)|turned down|turned (?:\w+ ){1,3}down|dismiss(?:ed|es)"
       r"|ruled out|rul(?:es|ing) out|rebuff(?:ed|s)?|spurn(?:ed|s)?"
       r"|resist(?:ed|s|ing)"
       r"|(?:have|has|had|did|do|does) not agreed?"
       # staying away: "would not take part in any conference", "would stay away from", "boycotted"
       r"|(?:would|will|could) not (?:attend|take part in|participate in|join)|(?:would|will) stay away from"
       r"|boycott(?:ed|s|ing)?"),
    _t("acceptance", r"accept(?:ed|s)?|approv(?:ed|e|es) the|agreed to sign"),
    _t("cancellation", r"call(?:ed|s)? off|called (?:\w+ ){1,3}off|cancel(?:l?ed|s|l?ing|lation)"
       r"|postpon(?:ed|es|e|ing|ement)|put(?:s|ting)? off|put (?:\w+ ){1,3}off"
       r"|broken off|broke off|nullify|scrap(?:ped|s|ping)?"
       # leaving talks, not troops leaving a country: "pulled out of the talks", "withdrew from the process"
       r"|(?:pull(?:ed|s|ing)?|walk(?:ed|s|ing)?) (?:[\w’'-]+ ){0,3}?out of (?:the )?(?:[\w-]+ )?"
       r"(?:talks|negotiations|process|dialogue)"
       r"|withdr(?:ew|awn|aws|awing|aw) from (?:the )?(?:\w+ )?(?:talks|negotiations|process|dialogue)"),
    _t("stall", r"stall(?:ed|s)?|paus(?:ed|es|e)|suspend(?:ed|s)?|halt(?:ed|s)?|delay(?:ed|s)?"),
    # an order is announced: "ordered government forces to hold their fire"
    # an appointment: "the government named a negotiating team", "was named head of ..."
    _t("announcement", r"announc(?:ed|es|e)|declared|disclosed|unveil(?:ed|s)|issued a joint declaration|appointed"
       r"|named(?= (?:a|an|the|his|her|its|their|as)\b)|(?<=was )named|(?<=were )named|order(?:ed|s)"
       r"(?= (?:(?:the|their|its|his|her|all|government|security|Afghan)\s+)*(?:[\w-]+\s+){0,2}?"
       r"(?:forces|troops|fighters|soldiers|army|military|commanders|units|police|members)\b)"),
    _t("commitment", r"pledg(?:ed|es|e)|guarantee(?:d|s)?|committed to|promised|vow(?:ed|s)?"
       r"|undert(?:ook|akes?|aken)(?!\s+(?:a|an|the|its|their|his|her)\b)"),
)

PLANNED = re.compile(
    r"\b(?:will|shall|'ll|would|is|are|was|were) (?:\w+ )?(?:expected|due|set|scheduled|planning|"
    r"preparing|going)\b|\b(?:will|shall)\b|\bplans? to\b|\bplanned to\b|\bwould\b(?! have)"
    r"|\b(?:is|are|was|were) to\b(?! have\b)|\bhad been due\b|\bready (?:to|for)\b"
    r"|\b(?:expects?|expected|wants?|wanted) (?:[\w-]+ ){0,6}?to\b",  # "expected Ghani and Abdullah to remove"
    re.IGNORECASE,
)
POSSIBLE = re.compile(r"\b(?:could|may|might|can|if|unless|until|once|whether|must|should|(?:had|has|have|need|needs) to)\b",
                      re.IGNORECASE)
CANCELLED = re.compile(r"\bwould have\b|\bwas to have\b|\bwere to have\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|n't|never|no|without|neither|nor)\b", re.IGNORECASE)
PURPOSE = re.compile(r"\bto (?:\w+ ){0,2}$", re.IGNORECASE)
