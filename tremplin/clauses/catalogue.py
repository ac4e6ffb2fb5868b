"""The clause catalogue (six kinds) and the insertion practice defaults (domain-rules §3.3): seeded by migration
0002 and ensured again by the demo (a database flushed by tests or by `tremplin flush` loses migration data)."""

from decimal import Decimal

PRACTICE_SOURCE = (
    "Pratique courante, non réglementaire (heures = montant HT × part de main-d'œuvre × taux d'insertion ÷ coût "
    "horaire) : taux d'insertion habituellement de 5 à 10 %, coût horaire chargé de 25 à 30 €/h, part de "
    "main-d'œuvre de 50 % en moyenne pour un marché de bâtiment (≈ 70 % peinture intérieure, ≈ 50 % maçonnerie, "
    "≈ 20 % charpente métallique). Sources : mefsud77.fr (page_id=28), laser-emploi.fr (conseils pour répondre "
    "aux clauses sociales), mde-alescevennes.agartaworld.com (?p=1223)."
)

CLAUSE_TYPES = [
    (
        "insertion",
        "Clause sociale d'insertion",
        "social",
        "hours",
        "Heures de travail réservées à des personnes éloignées de l'emploi (demandeurs d'emploi de longue durée, "
        "allocataires de minima sociaux, jeunes peu qualifiés, travailleurs handicapés…), réalisées par embauche "
        "directe, mise à disposition (ETTI, AI, GEIQ), sous-traitance ou cotraitance avec une SIAE. Le facilitateur "
        "du territoire aide à dimensionner les heures et suit leur réalisation.",
        "Condition d'exécution, CCP L2112-2",
    ),
    (
        "reserve",
        "Marché ou lot réservé",
        "social",
        "text",
        "Marché ou lot réservé aux entreprises adaptées et ESAT (L2113-12), aux structures d'insertion par "
        "l'activité économique (L2113-13) ou, pour certains services, aux entreprises de l'ESS (L2113-15).",
        "CCP L2113-12 à L2113-15, R2113-7",
    ),
    (
        "interpretariat",
        "Clause d'interprétariat (sécurité et droits sociaux)",
        "language",
        "text",
        "Un interprète, aux frais du titulaire, explique aux travailleurs qui ne maîtrisent pas le français leurs "
        "droits sociaux essentiels et les consignes de sécurité des tâches à risque. Légale (CE, 4 décembre 2017, "
        "n° 413366). À ne pas confondre avec une clause « Molière » imposant l'usage exclusif du français, jugée "
        "illégale (TA Lyon, 13 décembre 2017).",
        "CE 4 déc. 2017 n° 413366 ; C. trav. L1262-4",
    ),
    (
        "carbone",
        "Critère carbone / environnemental",
        "environmental",
        "percent",
        "Critère d'attribution environnemental (poids en %) ou condition d'exécution, par exemple un plafond "
        "d'émissions en kgCO2e. L'estimation carbone d'un achat se fait dans l'outil « Carbone ».",
        "CCP L2152-7 (loi Climat et résilience)",
    ),
    (
        "egalim",
        "Alimentation durable et biologique (EGalim)",
        "food",
        "percent",
        "Restauration collective publique : au moins 50 % de produits durables et de qualité, dont 20 % "
        "biologiques, et 60 % pour les viandes et poissons, en valeur HT des achats de l'année.",
        "Code rural L230-5-1, R230-30-1",
    ),
    (
        "circuit_court",
        "Circuit court",
        "food",
        "text",
        "Un intermédiaire au plus entre le producteur et l'acheteur. L'origine locale ne peut pas être un critère "
        "en soi (égalité de traitement) : on recourt au circuit court, à la fraîcheur, à la saisonnalité ou à des "
        "critères environnementaux.",
        "Principe d'égalité de traitement (CCP L3)",
    ),
]


def seed_catalogue(ClauseType, InsertionDefaults, LabourShare) -> None:  # noqa: N803 - model classes
    """Create or update the six clause types; create the practice defaults when missing. Idempotent. Takes the
    model classes so that a migration can pass its historical models."""
    for position, (code, name, family, unit, description, basis) in enumerate(CLAUSE_TYPES, start=1):
        ClauseType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "family": family,
                "target_unit": unit,
                "description": description,
                "legal_basis": basis,
                "position": position,
            },
        )
    if not InsertionDefaults.objects.exists():
        InsertionDefaults.objects.create(
            insertion_rate=Decimal(5), hourly_cost=Decimal(30), default_labour_share=Decimal(50), source=PRACTICE_SOURCE
        )
    LabourShare.objects.get_or_create(
        division="45",
        defaults={
            "label": "Travaux de construction",
            "labour_share": Decimal(50),
            "source": "Moyenne couramment retenue pour un marché de bâtiment (mefsud77.fr, laser-emploi.fr).",
        },
    )


def ensure_catalogue() -> None:
    from tremplin.clauses.models import ClauseType, InsertionDefaults, LabourShare

    seed_catalogue(ClauseType, InsertionDefaults, LabourShare)
