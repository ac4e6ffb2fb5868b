"""Code lists of the notice formats mapped onto canonical French labels.

Procedure labels reuse the six labels of the DECP regulatory list (``tremplin.ingest.decp``)
so that a notice and the contract it leads to compare equal; procedures the DECP list does
not have (innovation partnership, design contest, concession award, "other") get their own
label. The code as published is kept beside the label (``Notice.procedure_code``).
"""

from __future__ import annotations

from .model import (
    KIND_AWARD,
    KIND_COMPETITION,
    KIND_MODIFICATION,
    KIND_PRIOR_INFORMATION,
)

PROC_ADAPTEE = "Procédure adaptée"
PROC_AOO = "Appel d'offres ouvert"
PROC_AOR = "Appel d'offres restreint"
PROC_NEGO = "Procédure avec négociation"
PROC_SANS_PUB = "Marché passé sans publicité ni mise en concurrence préalable"
PROC_DIALOGUE = "Dialogue compétitif"
PROC_INNOVATION = "Partenariat d'innovation"
PROC_CONCOURS = "Concours"
PROC_CONCESSION = "Procédure d'attribution de concession"
PROC_TRANSPORT = "Mise en concurrence (transport public de voyageurs)"
PROC_AUTRE = "Autre procédure"

# Labels shared with the DECP regulatory list (checked by the tests).
DECP_PROCEDURES = (PROC_ADAPTEE, PROC_AOO, PROC_AOR, PROC_NEGO, PROC_SANS_PUB, PROC_DIALOGUE)

# eForms code list procurement-procedure-type (BT-105).
EFORMS_PROCEDURES = {
    "open": PROC_AOO,
    "restricted": PROC_AOR,
    "neg-w-call": PROC_NEGO,
    "neg-wo-call": PROC_SANS_PUB,
    "comp-dial": PROC_DIALOGUE,
    "innovation": PROC_INNOVATION,
    "comp-tend": PROC_TRANSPORT,
    "exp-int-rail": PROC_TRANSPORT,
    "oth-single": PROC_AUTRE,
    "oth-mult": PROC_AUTRE,
}

# TED R2.0.9: element of PROCEDURE (or of PROCEDURE/DIRECTIVE_*), the most precise source.
TED_PROCEDURE_ELEMENTS = {
    "PT_OPEN": PROC_AOO,
    "PT_RESTRICTED": PROC_AOR,
    "PT_COMPETITIVE_NEGOTIATION": PROC_NEGO,
    "PT_NEGOTIATED_WITH_PRIOR_CALL": PROC_NEGO,
    "PT_INVOLVING_NEGOTIATION": PROC_NEGO,
    "PT_COMPETITIVE_DIALOGUE": PROC_DIALOGUE,
    "PT_INNOVATION_PARTNERSHIP": PROC_INNOVATION,
    "PT_AWARD_CONTRACT_WITHOUT_CALL": PROC_SANS_PUB,
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": PROC_SANS_PUB,
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": PROC_SANS_PUB,
}
# TED R2.0.9 CODED_DATA_SECTION/CODIF_DATA/PR_PROC codes, when the form has no PT_* element.
TED_PR_PROC = {
    "1": PROC_AOO,
    "2": PROC_AOR,
    "3": PROC_AOR,  # accelerated restricted
    "4": PROC_NEGO,
    "6": PROC_NEGO,  # accelerated negotiated
    "B": PROC_NEGO,
    "C": PROC_DIALOGUE,
    "E": PROC_CONCESSION,
    "F": PROC_SANS_PUB,  # concession award without prior publication
    "G": PROC_INNOVATION,
    "N": PROC_NEGO,
    "T": PROC_SANS_PUB,
    "V": PROC_SANS_PUB,
}

# BOAMP v230 DONNEES/PROCEDURE/TYPE_PROCEDURE children (tags normalised: lower case, no _ or -).
BOAMP_PROCEDURES = {
    "procedureadapte": PROC_ADAPTEE,
    "ouvert": PROC_AOO,
    "restreint": PROC_AOR,
    "negocie": PROC_NEGO,
    "dialoguecompetitif": PROC_DIALOGUE,
    "partenariatinnovation": PROC_INNOVATION,
    "concoursouvert": PROC_CONCOURS,
    "concoursrestreint": PROC_CONCOURS,
    "attribuesanspubjoue": PROC_SANS_PUB,
    "autre": PROC_AUTRE,
}

NATURE_WORKS = "Travaux"
NATURE_SUPPLIES = "Fournitures"
NATURE_SERVICES = "Services"
CONTRACT_NATURES = {
    "works": NATURE_WORKS,
    "supplies": NATURE_SUPPLIES,
    "services": NATURE_SERVICES,
    "travaux": NATURE_WORKS,
    "fournitures": NATURE_SUPPLIES,
    "service": NATURE_SERVICES,
    "1": NATURE_WORKS,  # TED NC_CONTRACT_NATURE
    "2": NATURE_SUPPLIES,
    "4": NATURE_SERVICES,
}

# eForms notice type (BT-02) → kind. Change notices (efac:Changes) are corrections or
# cancellations whatever their type; BRIN notices (X01, X02) are not procurement.
EFORMS_NOTICE_TYPES = {
    "pin-only": KIND_PRIOR_INFORMATION,
    "pin-buyer": KIND_PRIOR_INFORMATION,
    "pin-rtl": KIND_PRIOR_INFORMATION,
    "pin-tran": KIND_PRIOR_INFORMATION,
    "pmc": KIND_PRIOR_INFORMATION,
    "pin-cfc-standard": KIND_COMPETITION,
    "pin-cfc-social": KIND_COMPETITION,
    "qu-sy": KIND_COMPETITION,
    "cn-standard": KIND_COMPETITION,
    "cn-social": KIND_COMPETITION,
    "cn-desg": KIND_COMPETITION,
    "subco": KIND_COMPETITION,
    "veat": KIND_AWARD,
    "can-standard": KIND_AWARD,
    "can-social": KIND_AWARD,
    "can-desg": KIND_AWARD,
    "can-tran": KIND_AWARD,
    "compl": KIND_AWARD,
    "can-modif": KIND_MODIFICATION,
}
# eForms notice subtype (1–40, E1–E6, T01–T02) → kind, when the notice type is missing.
EFORMS_SUBTYPES = {
    **dict.fromkeys(("1", "2", "3", "4", "5", "6", "7", "8", "9", "E1", "E2", "T01"), KIND_PRIOR_INFORMATION),
    **dict.fromkeys(
        ("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "E3"),
        KIND_COMPETITION,
    ),
    **dict.fromkeys(
        ("25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "37", "E4", "E5", "T02"), KIND_AWARD
    ),
    **dict.fromkeys(("38", "39", "40", "E6"), KIND_MODIFICATION),
}

# eForms strategic procurement: list name → (marker, codes meaning "nothing").
STRATEGIC_LISTS = {
    "environmental-impact": ("environmental", {"none"}),
    "social-objective": ("social", {"none"}),
    "innovative-acquisition": ("innovative", {"none"}),
    "gpp-criteria": ("environmental", {"none"}),
}
# BT-06 strategic-procurement codes.
STRATEGIC_CODES = {"env-imp": "environmental", "soc-obj": "social", "inn-pur": "innovative"}
# BT-71 reserved-procurement codes: res-ws (sheltered workshops) is also a social marker.
RESERVED_CODES = {"res-pub-ser": (), "res-ws": ("social",)}
