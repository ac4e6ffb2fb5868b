"""Column names of the INSEE SIRENE stock files (« fichiers stock » of the Base Sirene open data).

`StockEtablissement_utf8.csv` (one row per establishment, by SIRET) and `StockUniteLegale_utf8.csv` (one row per
legal unit, by SIREN): comma-separated, UTF-8, a header row, values quoted only when needed. The reader maps columns
by *name*, so older layouts (the 48-column establishment file before the address identifier and Lambert
coordinates were added, the unit file before `societeMissionUniteLegale` and the NAF 2025 columns) read the same;
only the columns in `*_REQUIRED` must be there.

The full headers below are the current layouts, used to write test files in the official format.
"""

ESTABLISHMENT_COLUMNS: tuple[str, ...] = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
)

LEGAL_UNIT_COLUMNS: tuple[str, ...] = (
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
)

# Columns the import reads; a file lacking one of them is refused before any row is read.
ESTABLISHMENT_REQUIRED: tuple[str, ...] = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "trancheEffectifsEtablissement",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "codeCommuneEtablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
)
ESTABLISHMENT_OPTIONAL: tuple[str, ...] = ("indiceRepetitionEtablissement",)

LEGAL_UNIT_REQUIRED: tuple[str, ...] = (
    "siren",
    "statutDiffusionUniteLegale",
    "trancheEffectifsUniteLegale",
    "categorieEntreprise",
    "nomUniteLegale",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "economieSocialeSolidaireUniteLegale",
)
LEGAL_UNIT_OPTIONAL: tuple[str, ...] = ("prenomUsuelUniteLegale", "prenom1UniteLegale", "nomUsageUniteLegale")

# Columns that tell the two files apart (each appears in one header only).
ESTABLISHMENT_MARKER = "etatAdministratifEtablissement"
LEGAL_UNIT_MARKER = "categorieJuridiqueUniteLegale"

# Values of statutDiffusion*: "O" diffusible; "P" partially diffusible (since 2023: natural persons who opted
# out and legal persons who asked for it; their street address and personal names are masked with "[ND]").
DIFFUSION_PARTIAL = "P"
MASKED_VALUE = "[ND]"

# etatAdministratifEtablissement: "A" active, "F" closed (fermé).
STATE_ACTIVE = "A"
STATE_CLOSED = "F"

# nomenclatureActivitePrincipale*: only NAF rév. 2 codes are in our NafCode table.
NAF_REV2 = "NAFRev2"
