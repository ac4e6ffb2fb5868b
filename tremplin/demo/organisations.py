"""Creating the demo organisations without clobbering what is already there.

An organisation is looked up by SIRET. A new one is created; an existing one only gets what it lacks (a flag
that was off, an empty field), so that a second run changes nothing and data entered since is kept."""

from dataclasses import dataclass, field

from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import luhn_valid
from tremplin.referentials.models import Department

FICTIONAL_NOTE = "Organisation fictive créée pour la démonstration de Tremplin."


@dataclass
class OrganisationSpec:
    siret: str
    name: str
    is_buyer: bool = False
    is_supplier: bool = False
    is_network: bool = False
    buyer_type: str = ""
    inclusive_status: str = ""
    company_category: str = ""
    department_code: str = ""
    description: str = ""


FLAGS = ("is_buyer", "is_supplier", "is_network")
FILLABLE = ("name", "buyer_type", "inclusive_status", "company_category", "description", "department_id")


def with_check_digit(digits: str) -> str:
    """`digits` followed by the digit that makes the whole Luhn-valid."""
    return next(digits + str(d) for d in range(10) if luhn_valid(digits + str(d)))


def demo_siret(n: int) -> str:
    """A valid SIRET for fictional organisation number n (SIREN 99990nnnK, head office NIC 0001K)."""
    return with_check_digit(with_check_digit(f"99990{n:03d}") + "0001")


@dataclass
class UpsertResult:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    created: int = 0
    completed: int = 0
    unchanged: int = 0
    department_codes_missing: set[str] = field(default_factory=set)
    departments_in_db: int = 0


def upsert_organisations(specs: list[OrganisationSpec]) -> UpsertResult:
    """Create or complete the organisations; `department_code` is linked when that Department exists."""
    result = UpsertResult()
    departments = set(Department.objects.values_list("code", flat=True))
    result.departments_in_db = len(departments)
    existing = Organisation.objects.in_bulk([spec.siret for spec in specs], field_name="siret")
    for spec in specs:
        department_id = spec.department_code if spec.department_code in departments else None
        if spec.department_code and department_id is None:
            result.department_codes_missing.add(spec.department_code)
        wanted = {
            "name": spec.name,
            "buyer_type": spec.buyer_type,
            "inclusive_status": spec.inclusive_status,
            "company_category": spec.company_category,
            "description": spec.description,
            "department_id": department_id,
            **{flag: getattr(spec, flag) for flag in FLAGS},
        }
        organisation = existing.get(spec.siret)
        if organisation is None:
            # save() derives the SIREN and the size category: one save per new row rather than bulk_create.
            organisation = Organisation(siret=spec.siret, **wanted)
            organisation.save()
            result.created += 1
        else:
            changes = {flag: True for flag in FLAGS if wanted[flag] and not getattr(organisation, flag)}
            changes |= {name: wanted[name] for name in FILLABLE if wanted[name] and not getattr(organisation, name)}
            if changes:
                for name, value in changes.items():
                    setattr(organisation, name, value)
                organisation.save()
                result.completed += 1
            else:
                result.unchanged += 1
        result.organisations[spec.siret] = organisation
    return result
