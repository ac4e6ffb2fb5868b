"""The CSV of the companies interested in an opportunity: `;` separated, UTF-8 with a BOM so that Excel opens
it with its accents, French headers, dates in the French format."""

import csv
import io

from django.utils import timezone

from tremplin.interests.rules import csv_safe

HEADERS = [
    "Entreprise",
    "SIRET",
    "Taille",
    "Statut inclusif",
    "Département",
    "Lots visés",
    "Intéressée le",
    "Profil fournisseur",
]


def interested_csv(rows, profile_url) -> str:
    """`rows`: Interest rows (organisation, lots prefetched); `profile_url(organisation)`: absolute URL."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        organisation = row.organisation
        department = organisation.department
        writer.writerow(
            [
                csv_safe(organisation.name),
                organisation.siret,
                organisation.get_size_category_display(),
                organisation.get_inclusive_status_display(),
                f"{department.code} {department.name}" if department else "",
                ", ".join(f"Lot {lot.number} — {lot.title}" for lot in row.lots.all()) or "Toute la prévision",
                timezone.localtime(row.interested_at).strftime("%d/%m/%Y %H:%M"),
                profile_url(organisation),
            ]
        )
    return out.getvalue()
