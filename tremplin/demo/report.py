"""What `tremplin demo` prints (French): what was read, skipped and created, then the table of demo accounts."""

from collections import Counter

from tremplin.demo.contracts import ContractsReport
from tremplin.demo.people import DEMO_PASSWORD
from tremplin.demo.services import DemoReport
from tremplin.organisations.models import BuyerType, MembershipStatus

ROLE_NAMES = {"acheteur": ("acheteur", "acheteurs"), "titulaire": ("titulaire", "titulaires")}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{_n(count)} {singular if count == 1 else plural}"


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def source_lines(report: DemoReport) -> list[str]:
    sample, selection = report.sample, report.selection
    lines = [
        f"Source : {sample.path}",
        f"  {_n(sample.rows)} lignes, {_n(len(sample.contracts))} marchés : {_n(len(sample.buyers))} acheteurs "
        f"et {_n(len(sample.holders))} titulaires au SIRET valide.",
    ]
    if sample.skipped:
        lines.append(f"  Identifiants ignorés ({_plural(sample.skipped_rows, 'ligne', 'lignes')} concernées) :")
        for (role, reason), ids in sorted(sample.skipped.items()):
            lines.append(f"    - {_plural(len(ids), *ROLE_NAMES[role])} : {reason}")
    regions = sorted({sample.buyers[s].region_code for s in selection.buyers} - {""})
    busiest = len(selection.buyers) - len(selection.region_fillers)
    lines.append(
        f"Sélection : {_n(len(selection.buyers))} acheteurs (les {_n(busiest)} ayant le plus de marchés, "
        f"plus {_n(len(selection.region_fillers))} pour couvrir chaque région) "
        f"de {_n(len(regions))} codes région ({', '.join(regions)}) ; {_n(len(selection.suppliers))} fournisseurs "
        "(les titulaires de leurs marchés et les structures inclusives nommées comme telles)."
    )
    return lines


def organisation_lines(report: DemoReport) -> list[str]:
    result, orgs = report.organisations, report.organisations.organisations
    types = Counter(orgs[siret].buyer_type for siret in report.selection.buyers)
    labels = dict(BuyerType.choices)
    lines = [
        f"Organisations : {_n(result.created)} créées, {_n(result.completed)} complétées, "
        f"{_n(result.unchanged)} déjà à jour.",
        "  Types d'acheteurs (déduits du nom) : "
        + ", ".join(f"{labels.get(kind, kind)} {count}" for kind, count in types.most_common())
        + ".",
        "  Structures inclusives réelles (statut écrit dans le nom) : "
        + (", ".join(f"{name} [{status}]" for name, status in report.real_inclusive) or "aucune")
        + ".",
    ]
    if report.fictional_inclusive:
        lines.append(
            "  Structures inclusives fictives, ajoutées pour la démonstration : "
            + ", ".join(f"{name} [{status}]" for name, status in report.fictional_inclusive)
            + "."
        )
    if not report.sample.has_company_category:
        lines.append("  Taille des fournisseurs : inconnue (le fichier n'a pas de colonne titulaire_categorie).")
    return lines


def _agreed(count: int, participle: str) -> str:
    """« 0 créé », « 2 créés », « 3 mis »."""
    return f"{_n(count)} {participle}{'s' if count > 1 and not participle.endswith('s') else ''}"


def contract_lines(report: ContractsReport) -> list[str]:
    imported = report.imported
    if imported is None:
        return ["  Aucun fichier DECP trouvé : pas de marchés attribués."]
    read = sum(1 for file in imported.files if file.outcome != "skipped")
    skipped = len(imported.files) - read
    total = imported.total()
    seconds = f"{imported.seconds:.1f}".replace(".", ",")
    lines = [
        f"  {_plural(len(report.paths), 'fichier', 'fichiers')}, {_plural(len(imported.files), 'jeu', 'jeux')} de "
        f"données : {_n(read)} lu{'s' if read > 1 else ''}, {_n(skipped)} déjà importé{'s' if skipped > 1 else ''} "
        f"(non relu{'s' if skipped > 1 else ''}), en {seconds} s.",
        f"  Marchés : {_agreed(report.changes.get('created', 0), 'créé')}, "
        f"{_agreed(report.changes.get('updated', 0), 'mis')} à jour ; en tout "
        f"{_plural(total['read'], 'enregistrement lu', 'enregistrements lus')}, "
        f"{_agreed(total['rejected'], 'rejeté')}, "
        f"{_n(total['flagged'])} avec anomalies (détail : /qualite-des-donnees/).",
    ]
    if imported.snapshot is not None:
        lines.append("  Instantané de l'observatoire reconstruit.")
    return lines


def warning_lines(report: DemoReport) -> list[str]:
    result, lines = report.organisations, []
    if result.departments_in_db == 0:
        lines.append(
            "Attention : aucun département en base, les organisations n'ont pas de département. "
            "Chargez les référentiels (tremplin load_referentials) puis relancez tremplin demo pour les compléter."
        )
    elif result.department_codes_missing:
        codes = ", ".join(sorted(result.department_codes_missing))
        lines.append(
            f"Attention : départements absents de la base ({codes}) : organisations laissées sans département."
        )
    if report.main_region is None:
        code = report.sample.buyers[report.selection.main_buyer].region_code or "?"
        lines.append(
            f"Attention : la région {code} n'est pas en base, le compte médiateur n'a pas encore de région. "
            "Chargez les référentiels (tremplin load_referentials) puis relancez tremplin demo."
        )
    return lines


def account_lines(report: DemoReport, login_url: str) -> list[str]:
    accounts = report.accounts
    lines = [
        f"Comptes : {_n(sum(a.user_created for a in accounts))} créés, {_n(sum(a.user_completed for a in accounts))} "
        f"complétés, {_n(sum(a.password_reset for a in accounts))} mots de passe réinitialisés ; "
        f"{_n(sum(a.membership_created for a in accounts))} rattachements créés.",
        "",
        f"Comptes de démonstration — connexion : {login_url}",
    ]
    rows = [("Rôle", "E-mail", "Mot de passe", "Organisation")]
    for account in accounts:
        spec = account.spec
        if spec.organisation is not None:
            where = _shorten(spec.organisation.name)
            if spec.status == MembershipStatus.PENDING:
                where += " (demande à valider par l'agent acheteur)"
        elif spec.is_staff:
            where = "Administration de la plateforme (/admin/)"
        else:
            where = f"Médiation — {spec.mediator_region.name if spec.mediator_region else 'région non chargée'}"
        rows.append((spec.label, spec.email, DEMO_PASSWORD, where))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths + [0], strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths + [len(row[3])]))
    lines.append(
        "Les mots de passe des comptes existants ne sont pas modifiés ; --reset-passwords les remet à "
        f"« {DEMO_PASSWORD} »."
    )
    return lines
