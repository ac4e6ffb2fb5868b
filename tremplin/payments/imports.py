"""Import of an invoice ledger from CSV: one line per invoice, checked line by line and previewed; nothing is
saved until the person confirms, and then only the lines without errors (the same checks run again).

A line names its contract by its Tremplin key (`cle_marche`) or by the buyer's SIRET and the contract's DECP
id (`siret_acheteur` + `id_marche`). Only contracts the person may record invoices on are found (as a buyer
agent of the buyer, or a company member of a holder); any other contract is reported as unknown. A line whose
(contract, holder, invoice number) already exists updates that invoice: a ledger can be imported again as
payments come in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q

from tremplin import policy
from tremplin.contracts.models import Contract
from tremplin.core.imports import Column, ImportBatch, ImportLine, csv_text, guess_delimiter, header_name
from tremplin.core.parsing import ParseError, parse_amount, parse_date, parse_days
from tremplin.organisations.rules import InvalidIdentifier, validate_siret
from tremplin.payments import rules
from tremplin.payments.models import Invoice

MAX_LINES = 5000


COLUMNS = (
    Column("cle_marche", "Clé du marché sur Tremplin (affichée sur la page du marché). Sinon : les deux suivantes."),
    Column("siret_acheteur", "SIRET de l'acheteur, avec id_marche, si cle_marche est vide.", example="21690123100011"),
    Column("id_marche", "Identifiant du marché dans les données essentielles (DECP).", example="2025-0042"),
    Column(
        "siret_titulaire",
        "SIRET du titulaire qui a émis la facture. Facultatif quand vous n'agissez que pour un titulaire du marché.",
    ),
    Column("numero_facture", "Numéro de la facture (60 caractères au plus).", required=True, example="F-2025-001"),
    Column("montant_ttc", "Montant TTC en euros, par exemple 12 000,00.", required=True, example="12 000,00"),
    Column(
        "date_reception",
        "Date de réception de la demande de paiement par l'acheteur (JJ/MM/AAAA).",
        required=True,
        example="02/09/2025",
    ),
    Column("date_execution", "Date d'exécution des prestations, si elle est postérieure (facultatif)."),
    Column("date_paiement", "Date de paiement ; vide si la facture n'est pas payée.", example="22/10/2025"),
    Column("montant_paye", "Montant payé en euros (facultatif).", example="12 000,00"),
    Column("delai_contractuel_jours", "Délai prévu par le marché s'il est plus court que le délai légal (facultatif)."),
    Column("date_interruption", "Date de réception par l'entreprise de la notification d'interruption (facultatif)."),
    Column("motif_interruption", "Motif de l'interruption (facultatif)."),
    Column("date_pieces_recues", "Date de réception des pièces manquantes par l'acheteur (facultatif)."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
RULE_COLUMNS = {
    "buyer_type": "cle_marche",
    "amount_ttc": "montant_ttc",
    "received": "date_reception",
    "execution": "date_execution",
    "paid": "date_paiement",
    "amount_paid": "montant_paye",
    "contract_delay_days": "delai_contractuel_jours",
    "interruption.notified": "date_interruption",
    "interruption.documents_received": "date_pieces_recues",
}
UNKNOWN_CONTRACT = "marché introuvable parmi ceux dont vous êtes l'acheteur ou le titulaire."


def template_csv() -> str:
    """The downloadable template: the header and one example line."""
    return csv_text(COLUMN_NAMES, [[column.example for column in COLUMNS]])


@dataclass
class Line(ImportLine):
    contract: Contract | None = None
    supplier: object = None
    values: dict = field(default_factory=dict)
    existing: Invoice | None = None
    result: rules.PaymentResult | None = None

    @property
    def action(self) -> str:
        return "Mise à jour" if self.existing else "Création"


class Ledger(ImportBatch):
    pass


class _Contracts:
    """Contract look-ups, restricted to those the person may record invoices on, cached per file."""

    def __init__(self, user):
        self.user = user
        self.cache: dict[tuple, tuple] = {}

    def issuers(self, contract):
        return policy.invoice_issuers(self.user, contract)

    def find(self, key: str, buyer_siret: str, decp_id: str) -> tuple[Contract | None, list, str]:
        """(contract, issuers, error)."""
        cache_key = (key, buyer_siret, decp_id)
        if cache_key not in self.cache:
            self.cache[cache_key] = self._find(key, buyer_siret, decp_id)
        return self.cache[cache_key]

    def _find(self, key, buyer_siret, decp_id):
        if key:
            candidates = list(Contract.objects.select_related("buyer").filter(key=key))
            column = "cle_marche"
        else:
            try:
                siret = validate_siret(buyer_siret)
            except InvalidIdentifier as error:
                return None, [], f"siret_acheteur : {error}"
            candidates = list(
                Contract.objects.select_related("buyer").filter(
                    Q(buyer__siret=siret) | Q(buyer_identifier=siret), decp_id=decp_id
                )
            )
            column = "id_marche"
        allowed = [(contract, issuers) for contract in candidates if (issuers := self.issuers(contract))]
        if not allowed:
            return None, [], f"{column} : {UNKNOWN_CONTRACT}"
        if len(allowed) > 1:
            return (
                None,
                [],
                (
                    "id_marche : plusieurs marchés (lots) de cet acheteur portent cet identifiant ; indiquez la clé du "
                    "marché (cle_marche)."
                ),
            )
        return allowed[0][0], allowed[0][1], ""


def parse_ledger(text: str, user, rates, today: date) -> Ledger:
    try:
        return _parse_ledger(text, user, rates, today)
    except csv.Error as error:
        return Ledger(file_errors=[f"Fichier CSV illisible : {error}."])


def _parse_ledger(text: str, user, rates, today: date) -> Ledger:
    ledger = Ledger()
    text = text.lstrip("\ufeff")
    if not text.strip():
        ledger.file_errors.append("Le fichier est vide.")
        return ledger
    reader = csv.reader(io.StringIO(text), delimiter=guess_delimiter(text.splitlines()[0]))
    header = [header_name(cell) for cell in next(reader)]
    missing = [column.name for column in COLUMNS if column.required and column.name not in header]
    if "cle_marche" not in header and not {"siret_acheteur", "id_marche"} <= set(header):
        missing.insert(0, "cle_marche (ou siret_acheteur et id_marche)")
    if missing:
        ledger.file_errors.append(
            "Colonnes manquantes : " + ", ".join(missing) + ". Partez du modèle de fichier téléchargeable."
        )
        return ledger
    contracts = _Contracts(user)
    seen: dict[tuple, int] = {}
    for index, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(ledger.lines) >= MAX_LINES:
            ledger.file_errors.append(f"Le fichier compte plus de {MAX_LINES} lignes : découpez-le.")
            ledger.lines = []
            return ledger
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name}
        line = Line(number=index, cells=cells)
        _check_line(line, contracts, rates, today)
        if line.ok:
            identity = (line.contract.pk, line.supplier.pk, line.values["number"])
            if identity in seen:
                line.error("numero_facture", f"facture en double dans le fichier (déjà ligne {seen[identity]}).")
            else:
                seen[identity] = line.number
        ledger.lines.append(line)
    if not ledger.lines:
        ledger.file_errors.append("Le fichier ne contient aucune ligne de facture après l'en-tête.")
    return ledger


def _check_line(line: Line, contracts: _Contracts, rates, today: date) -> None:
    cells = line.cells
    get = cells.get

    # The contract and the issuing holder.
    key, buyer_siret, decp_id = get("cle_marche", ""), get("siret_acheteur", ""), get("id_marche", "")
    if not key and not (buyer_siret and decp_id):
        line.error("cle_marche", "indiquez la clé du marché, ou le SIRET de l'acheteur et l'identifiant du marché.")
    else:
        contract, issuers, error = contracts.find(key, buyer_siret, decp_id)
        if error:
            line.errors.append(error)
        else:
            line.contract = contract
            line.supplier = _supplier(line, issuers, get("siret_titulaire", ""))

    # The values.
    number = get("numero_facture", "")
    if not number:
        line.error("numero_facture", "obligatoire.")
    elif len(number) > Invoice._meta.get_field("number").max_length:
        line.error("numero_facture", "60 caractères au plus.")
    values = {"number": number}
    parsers = {
        "montant_ttc": ("amount_ttc", parse_amount),
        "date_reception": ("received_on", parse_date),
        "date_execution": ("executed_on", parse_date),
        "date_paiement": ("paid_on", parse_date),
        "montant_paye": ("amount_paid", parse_amount),
        "delai_contractuel_jours": ("contract_delay_days", parse_days),
        "date_interruption": ("interruption_notified_on", parse_date),
        "date_pieces_recues": ("documents_received_on", parse_date),
    }
    for column, (name, parse) in parsers.items():
        raw = get(column, "")
        if not raw:
            values[name] = None
            if next(c for c in COLUMNS if c.name == column).required:
                line.error(column, "obligatoire.")
            continue
        try:
            values[name] = parse(raw)
        except ParseError as error:
            line.error(column, str(error))
    reason = get("motif_interruption", "")
    if len(reason) > 255:
        line.error("motif_interruption", "255 caractères au plus.")
    values["interruption_reason"] = reason
    notified_missing = not values.get("interruption_notified_on") and not get("date_interruption", "")
    if (values.get("documents_received_on") or reason) and notified_missing:
        line.error("date_interruption", "indiquez la date de notification de l'interruption.")
    line.values = values
    if line.errors:
        return

    # The rules: consistency, and the result shown in the preview.
    interruption = None
    if values["interruption_notified_on"]:
        interruption = rules.Interruption(values["interruption_notified_on"], values["documents_received_on"])
    buyer = line.contract.buyer
    request = rules.PaymentRequest(
        buyer_type=(buyer.buyer_type if buyer else "") or "autre",
        amount_ttc=values["amount_ttc"],
        received=values["received_on"],
        paid=values["paid_on"],
        execution=values["executed_on"],
        contract_delay_days=values["contract_delay_days"],
        interruption=interruption,
        amount_paid=values["amount_paid"],
    )
    try:
        line.result = rules.compute(request, rates, as_of=today)
    except rules.InvalidInput as error:
        for name, message in error.errors.items():
            line.error(RULE_COLUMNS.get(name, name), message)
        return
    line.existing = Invoice.objects.filter(contract=line.contract, supplier=line.supplier, number=number).first()


def _supplier(line: Line, issuers: list, raw_siret: str):
    if raw_siret:
        try:
            siret = validate_siret(raw_siret)
        except InvalidIdentifier as error:
            line.error("siret_titulaire", str(error))
            return None
        supplier = next((o for o in issuers if o.siret == siret), None)
        if supplier is None:
            line.error("siret_titulaire", "ce SIRET n'est pas un titulaire du marché pour lequel vous agissez.")
        return supplier
    if len(issuers) == 1:
        return issuers[0]
    line.error("siret_titulaire", "le marché a plusieurs titulaires : indiquez celui qui a émis la facture.")
    return None


@transaction.atomic
def save_ledger(ledger: Ledger, user) -> tuple[int, int]:
    """Save the lines without errors; (created, updated)."""
    created = updated = 0
    for line in ledger.valid:
        values = {name: value for name, value in line.values.items() if name != "number"}
        invoice, was_created = Invoice.objects.update_or_create(
            contract=line.contract,
            supplier=line.supplier,
            number=line.values["number"],
            defaults=values,
            create_defaults={**values, "created_by": user},
        )
        created += was_created
        updated += not was_created
    return created, updated
