"""A buyer's annual purchase programme, as CSV or XLSX: one line per forecast, plus one line per lot. Pure: the
caller passes the codes that exist (`Known`), nothing here reads the database. Both formats are read into rows
of text cells by `spreadsheet`, so the same columns, aliases and checks serve both; line numbers are those of
the file (or of the sheet).

Lines sharing a `reference` (the buyer's own reference of the purchase) form one forecast: the line without a
lot number describes the forecast, each line with a lot number one of its lots (title, CPV, amount and
reservation of the lot). A forecast and its lots are checked together and saved together, as drafts: if any of
their lines has an error, none is saved. Importing the same file again updates the drafts it created (same
reference); a forecast already published is not touched by an import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from tremplin.core.imports import Column as BaseColumn
from tremplin.core.imports import ImportLine, csv_text, header_name
from tremplin.core.parsing import ParseError, parse_amount, parse_date
from tremplin.core.text import search_key
from tremplin.opportunities import rules
from tremplin.opportunities.approch import PROCEDURE_WORDS, RESERVATION_WORDS, match_words
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.opportunities.spreadsheet import Row, Sheet, TableError, Upload, rows, write_xlsx
from tremplin.referentials.rules import CpvCodeError, normalize_cpv

MAX_LINES = 2000
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Column(BaseColumn):
    lot_example: str = ""


COLUMNS = (
    Column(
        "reference",
        "Votre référence de l'achat : elle relie la prévision à ses lots.",
        True,
        "2026-VOI-01",
        "2026-VOI-01",
    ),
    Column("lot", "Numéro du lot ; vide sur la ligne qui décrit la prévision.", False, "", "1"),
    Column(
        "intitule",
        "Intitulé de la prévision (ou du lot), 300 caractères au plus.",
        True,
        "Réfection des voiries communales",
        "Enrobés et signalisation",
    ),
    Column(
        "description", "Le besoin, en quelques phrases (prévision seulement).", False, "Programme annuel de voirie."
    ),
    Column("categorie", "travaux, fournitures ou services.", False, "travaux"),
    Column("cpv", "Code CPV principal à 8 chiffres (de la prévision ou du lot).", False, "45233140", "45233140"),
    Column("cpv_secondaires", "Autres codes CPV, séparés par des virgules.", False, "45233200"),
    Column(
        "montant_estime_ht",
        "Montant estimé en euros hors taxes (de la prévision ou du lot).",
        False,
        "480 000",
        "300 000",
    ),
    Column("duree_max_mois", "Durée maximale du marché, en mois.", False, "48"),
    Column("date_publication", "Date de publication prévue de la consultation (JJ/MM/AAAA).", False, "15/03/2026"),
    Column("trimestre_publication", "Ou seulement le trimestre prévu, par exemple 2026-T3.", False, ""),
    Column("date_limite_offres", "Date limite de remise des offres prévue (JJ/MM/AAAA).", False, "20/04/2026"),
    Column(
        "procedure",
        "MAPA, appel d'offres ouvert, restreint, procédure avec négociation…",
        False,
        "appel d'offres ouvert",
    ),
    Column("departements", "Codes des départements d'exécution, séparés par des virgules.", False, "69"),
    Column("communes", "Codes INSEE des communes d'exécution, séparés par des virgules.", False, "69123"),
    Column("mots_cles", "Mots-clés séparés par des virgules.", False, "voirie, enrobés"),
    Column("contact_nom", "Personne à contacter.", False, "Service de la commande publique"),
    Column("contact_email", "Son adresse e-mail.", False, "achats@exemple.fr"),
    Column("contact_telephone", "Son téléphone.", False, ""),
    Column("considerations_sociales", "oui ou non.", False, "oui"),
    Column("considerations_environnementales", "oui ou non.", False, "non"),
    Column(
        "reservation",
        "Réservation : aucune, L2113-12 (EA, ESAT), L2113-13 (SIAE) ou L2113-15 (ESS).",
        False,
        "",
        "L2113-13",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
ALIASES = {"titre": "intitule", "objet": "intitule", "montant": "montant_estime_ht", "duree": "duree_max_mois"}
YES = {"oui", "o", "yes", "y", "1", "vrai", "x"}
NO = {"non", "n", "no", "0", "faux", ""}


def _template_rows() -> list[list[str]]:
    second = {column.name: column.lot_example for column in COLUMNS}
    second.update(lot="2", intitule="Marquage au sol", cpv="45233221", montant_estime_ht="80 000", reservation="")
    return [
        [column.example for column in COLUMNS],
        [column.lot_example for column in COLUMNS],
        [second[name] for name in COLUMN_NAMES],
    ]


def template_csv() -> str:
    """The downloadable template: the header, a forecast and two of its lots."""
    return csv_text(COLUMN_NAMES, _template_rows())


TEXT_COLUMNS = {"reference", "cpv", "cpv_secondaires", "departements", "communes", "contact_telephone"}
TEMPLATE_FORMATS = {
    "montant_estime_ht": '#,##0 "€"',
    "date_publication": "DD/MM/YYYY",
    "date_limite_offres": "DD/MM/YYYY",
    **dict.fromkeys(TEXT_COLUMNS, "@"),  # codes keep their leading zeros (01, 01053, 03000000)
}
WIDE_COLUMNS = {"intitule": 40, "description": 40, "procedure": 24, "contact_nom": 30, "contact_email": 26}


def _typed(name: str, text: str):
    """The template's cells as a spreadsheet holds them: amounts and durations as numbers, dates as dates."""
    if not text or name in TEXT_COLUMNS:
        return text
    if name in {"montant_estime_ht", "duree_max_mois", "lot"}:
        return int(text.replace(" ", ""))
    if name.startswith("date_"):
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    return text


def template_xlsx() -> bytes:
    """The same template as a workbook: the sheet « Programme », and a sheet describing the columns."""
    programme = Sheet(
        "Programme",
        list(COLUMN_NAMES),
        [[_typed(name, text) for name, text in zip(COLUMN_NAMES, row, strict=True)] for row in _template_rows()],
        widths=[WIDE_COLUMNS.get(name, max(12, len(name) + 2)) for name in COLUMN_NAMES],
        formats={i: TEMPLATE_FORMATS[name] for i, name in enumerate(COLUMN_NAMES) if name in TEMPLATE_FORMATS},
    )
    help_rows = [[column.name, column.description, "oui" if column.required else "non"] for column in COLUMNS]
    columns = Sheet("Colonnes", ["Colonne", "Contenu", "Obligatoire"], help_rows, widths=[32, 90, 12])
    return write_xlsx([programme, columns])


@dataclass(frozen=True)
class Known:
    """The codes that exist, and the buyer's forecasts already imported: reference → status."""

    cpv: frozenset[str]
    departments: frozenset[str]
    communes: frozenset[str]
    existing: dict = field(default_factory=dict)


@dataclass
class Line(ImportLine):
    @property
    def reference(self) -> str:
        return self.cells.get("reference", "")

    @property
    def lot_number(self) -> str:
        return self.cells.get("lot", "")

    @property
    def label(self) -> str:
        """Shown beside the line number in the preview: « 2026-01 » or « 2026-01, lot 2 »."""
        lot = f", lot {self.lot_number}" if self.reference and self.lot_number else ""
        return self.reference + lot


@dataclass
class Entry:
    """One forecast of the file: its line, its lot lines and the values read from them."""

    reference: str
    line: Line | None = None
    lot_lines: list[Line] = field(default_factory=list)
    data: ForecastData = field(default_factory=ForecastData)
    update: bool = False

    @property
    def lines(self) -> list[Line]:
        return ([self.line] if self.line else []) + self.lot_lines

    @property
    def ok(self) -> bool:
        return self.line is not None and not any(line.errors for line in self.lines)


@dataclass
class Programme:
    entries: list[Entry] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.ok]

    @property
    def invalid_lines(self) -> list[Line]:
        lines = [line for entry in self.entries for line in entry.lines if line.errors]
        return sorted(lines, key=lambda line: line.number)


def _header_name(raw: str) -> str:
    name = header_name(raw)
    return ALIASES.get(name, name)


def parse_programme(text: str, known: Known) -> Programme:
    """A CSV programme."""
    return parse_upload(Upload("csv", text), known)


def parse_upload(upload: Upload, known: Known) -> Programme:
    """A CSV or XLSX programme (see `spreadsheet.read_upload`)."""
    try:
        return parse_rows(rows(upload), known)
    except TableError as error:
        return Programme(file_errors=[str(error)])


def parse_rows(found: list[Row], known: Known) -> Programme:
    """The first row names the columns; empty rows are left out by the reader."""
    programme = Programme()
    if not found:
        programme.file_errors.append("Le fichier est vide.")
        return programme
    header = [_header_name(cell) for cell in found[0].cells]
    missing = [column.name for column in COLUMNS if column.required and column.name not in header]
    if missing:
        programme.file_errors.append(
            "Colonnes manquantes : " + ", ".join(missing) + ". Partez du modèle de fichier téléchargeable."
        )
        return programme
    if len(found) - 1 > MAX_LINES:
        programme.file_errors.append(f"Le fichier compte plus de {MAX_LINES} lignes : découpez-le.")
        return programme
    entries: dict[str, Entry] = {}
    for row in found[1:]:
        cells = {name: (row.cells[i] if i < len(row.cells) else "") for i, name in enumerate(header) if name}
        line = Line(number=row.number, cells=cells)
        for index, problem in sorted(row.problems.items()):
            if index < len(header) and header[index] in COLUMN_NAMES:
                line.error(header[index], problem)
        reference = line.reference
        if not reference and not line.errors:
            line.error("reference", "obligatoire (elle relie une prévision à ses lots).")
            reference = f"(ligne {row.number})"
        entry = entries.setdefault(reference, Entry(reference=reference))
        if line.lot_number:
            entry.lot_lines.append(line)
        elif entry.line is not None:
            line.error("reference", f"déjà utilisée par la prévision de la ligne {entry.line.number}.")
            entries.setdefault(f"(ligne {row.number})", Entry(reference=reference, line=line))
        else:
            entry.line = line
    if not entries:
        programme.file_errors.append("Le fichier ne contient aucune prévision après l'en-tête.")
    for entry in entries.values():
        _check_entry(entry, known)
    programme.entries = list(entries.values())
    return programme


def _check_entry(entry: Entry, known: Known) -> None:
    if entry.line is None:
        for line in entry.lot_lines:
            line.error("reference", f"aucune ligne sans numéro de lot ne décrit la prévision « {entry.reference} ».")
        return
    status = known.existing.get(entry.reference)
    if status is not None and status != rules.DRAFT:
        entry.line.error(
            "reference",
            f"la prévision « {entry.reference} » est déjà publiée : modifiez-la depuis sa page, l'import ne la "
            "change pas.",
        )
    entry.update = status is not None
    data = _forecast(entry.line, known)
    for line in entry.lot_lines:
        lot = _lot(line, known)
        if lot is not None:
            data.lots.append(lot)
    entry.data = rules.normalise(data)
    errors = rules.forecast_errors(entry.data)
    lot_messages = errors.pop("lots", [])
    for field_name, messages in errors.items():
        for message in messages:
            entry.line.error(FIELD_COLUMNS.get(field_name, field_name), message)
    by_number = {line.lot_number: line for line in entry.lot_lines}
    for message in lot_messages:
        number = message.removeprefix("Lot ").split(" ", 1)[0]
        target = by_number.get(number) if message.startswith("Lot ") else None
        (target or entry.line).error("", message)
    failing = [line.number for line in entry.lot_lines if line.errors]
    if failing and not entry.line.errors:
        entry.line.error("", "lot(s) en erreur ligne(s) " + ", ".join(map(str, failing)) + " : rien n'est importé.")
    if entry.line.errors:
        for line in entry.lot_lines:
            if not line.errors:
                line.error("", f"la prévision de cette référence (ligne {entry.line.number}) est en erreur.")


FIELD_COLUMNS = {
    "title": "intitule",
    "category": "categorie",
    "estimated_amount": "montant_estime_ht",
    "max_duration_months": "duree_max_mois",
    "publication_quarter": "trimestre_publication",
    "offer_deadline": "date_limite_offres",
    "cpv_secondary": "cpv_secondaires",
    "reservations": "reservation",
    "keywords": "mots_cles",
    "procedure_type": "procedure",
}


def _forecast(line: Line, known: Known) -> ForecastData:
    get = line.cells.get
    data = ForecastData(title=get("intitule", ""), description=get("description", ""))
    category = search_key(get("categorie", ""))
    if category:
        data.category = next((code for code in rules.CATEGORIES if category.startswith(code[:5])), "")
        if not data.category:
            line.error("categorie", f"« {get('categorie')} » : travaux, fournitures ou services.")
    data.cpv = _cpv(line, "cpv", get("cpv", ""), known)
    data.cpv_secondary = [
        code
        for raw in rules.split_codes(get("cpv_secondaires", ""))
        if (code := _cpv(line, "cpv_secondaires", raw, known))
    ]
    data.estimated_amount = _amount(line, "montant_estime_ht")
    duration = get("duree_max_mois", "")
    if duration:
        if duration.isascii() and duration.isdigit():
            data.max_duration_months = int(duration)
        else:
            line.error("duree_max_mois", f"« {duration} » n'est pas un nombre entier de mois.")
    data.publication_target_date = _date(line, "date_publication")
    quarter = get("trimestre_publication", "")
    if quarter:
        try:
            data.publication_quarter = rules.parse_quarter(quarter)
        except rules.RuleError as error:
            line.error("trimestre_publication", str(error))
    data.offer_deadline = _date(line, "date_limite_offres")
    procedure = get("procedure", "")
    if procedure:
        data.procedure_type = (
            procedure.lower() if procedure.lower() in rules.PROCEDURES else match_words(procedure, PROCEDURE_WORDS)
        ) or "autre"
        if data.procedure_type == "autre":
            data.procedure_details = procedure[:200]
    for raw in rules.split_codes(get("departements", "")):
        code = rules.normalise_department(raw)
        if code in known.departments:
            data.departments.append(code)
        else:
            line.error("departements", f"département inconnu « {raw} ».")
    for code in rules.split_codes(get("communes", "")):
        if code.upper() in known.communes:
            data.communes.append(code.upper())
        else:
            line.error("communes", f"code commune INSEE inconnu « {code} » (5 caractères, par ex. 69123).")
    data.keywords = rules.parse_keywords(get("mots_cles", ""))
    data.contact_name = get("contact_nom", "")[:150]
    data.contact_email = get("contact_email", "")
    if data.contact_email and "@" not in data.contact_email:
        line.error("contact_email", f"« {data.contact_email} » n'est pas une adresse e-mail.")
    data.contact_phone = get("contact_telephone", "")[:30]
    data.social_considerations = _yes(line, "considerations_sociales")
    data.environmental_considerations = _yes(line, "considerations_environnementales")
    data.reservations = _reservations(line)
    return data


def _lot(line: Line, known: Known) -> LotData | None:
    number = line.lot_number
    if not (number.isascii() and number.isdigit()):
        line.error("lot", f"« {number} » n'est pas un numéro de lot (un entier).")
        return None
    get = line.cells.get
    reservations = _reservations(line)
    if len(reservations) > 1:
        line.error("reservation", "un lot porte une seule réservation.")
    return LotData(
        number=int(number),
        title=get("intitule", ""),
        cpv=_cpv(line, "cpv", get("cpv", ""), known),
        estimated_amount=_amount(line, "montant_estime_ht"),
        reservation=reservations[0] if reservations else "",
    )


def _cpv(line: Line, column: str, raw: str, known: Known) -> str:
    if not raw:
        return ""
    try:
        code = normalize_cpv(raw)
    except CpvCodeError as error:
        line.error(column, str(error))
        return ""
    if code not in known.cpv:
        line.error(column, f"code CPV inconnu « {raw} ».")
        return ""
    return code


def _amount(line: Line, column: str):
    raw = line.cells.get(column, "")
    if not raw:
        return None
    try:
        return parse_amount(raw)
    except ParseError as error:
        line.error(column, str(error))
        return None


def _date(line: Line, column: str):
    raw = line.cells.get(column, "")
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ParseError as error:
        line.error(column, str(error))
        return None


def _yes(line: Line, column: str) -> bool:
    word = search_key(line.cells.get(column, ""))
    if word in YES:
        return True
    if word not in NO:
        line.error(column, f"« {line.cells.get(column)} » : répondez oui ou non.")
    return False


def _reservations(line: Line) -> list[str]:
    codes = []
    for raw in re.split(r"[,;|]+", line.cells.get("reservation", "")):
        raw = raw.strip()
        if not raw or search_key(raw) in {"aucune", "non", "sans"}:
            continue
        code = raw.upper() if raw.upper() in rules.RESERVATIONS else match_words(raw, RESERVATION_WORDS)
        if code:
            codes.append(code)
        else:
            line.error("reservation", f"« {raw} » : aucune, L2113-12 (EA, ESAT), L2113-13 (SIAE) ou L2113-15 (ESS).")
    return list(dict.fromkeys(codes))
