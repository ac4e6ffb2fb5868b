"""Demo accounts: one user per role, and one pending membership request to approve.

Users are looked up by e-mail. An existing user keeps their password unless asked otherwise, and only gets
what the demo needs and they lack (verified e-mail, staff flag, mediator region)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tremplin.organisations.models import Membership, MembershipStatus, Organisation
from tremplin.referentials.models import Region

DEMO_PASSWORD = "tremplin-demo-2026"
DEMO_DOMAIN = "demo.tremplin.fr"


@dataclass
class AccountSpec:
    label: str  # role, as printed
    email: str
    full_name: str
    organisation: Organisation | None = None
    role: str = ""  # membership role when organisation is set
    status: str = MembershipStatus.ACTIVE
    message: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    mediator_region: Region | None = None


@dataclass
class AccountResult:
    spec: AccountSpec
    user_created: bool
    user_completed: bool
    password_reset: bool
    membership_created: bool


class DemoPassword:
    """The demo password, hashed at most once per run: hashing is deliberately slow (≈ 0.4 s) and every demo
    account shares this public password anyway."""

    def __init__(self) -> None:
        self._hash = ""

    def hashed(self) -> str:
        if not self._hash:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def ensure_account(spec: AccountSpec, password: DemoPassword, reset_password: bool = False) -> AccountResult:
    User = get_user_model()
    now = timezone.now()
    user = User.objects.filter(email__iexact=spec.email).first()
    created = user is None
    if created:
        user = User(email=spec.email, full_name=spec.full_name, email_verified_at=now)
    wanted = {
        "email_verified_at": now,
        "is_staff": spec.is_staff,
        "is_superuser": spec.is_superuser,
        "mediator_region": spec.mediator_region,
        "is_active": True,
    }
    changes = {name: value for name, value in wanted.items() if value and not getattr(user, name)}
    for name, value in changes.items():
        setattr(user, name, value)
    if created or reset_password:
        user.password = password.hashed()
    if created or changes or reset_password:
        user.save()

    membership_created = False
    if spec.organisation is not None:
        decided = spec.status != MembershipStatus.PENDING
        _, membership_created = Membership.objects.get_or_create(
            user=user,
            organisation=spec.organisation,
            defaults={
                "role": spec.role,
                "status": spec.status,
                "message": spec.message,
                "decided_at": now if decided else None,
                "decision_reason": "Rattachement créé par la commande demo." if decided else "",
            },
        )
    return AccountResult(
        spec=spec,
        user_created=created,
        user_completed=bool(changes) and not created,
        password_reset=reset_password and not created,
        membership_created=membership_created,
    )
