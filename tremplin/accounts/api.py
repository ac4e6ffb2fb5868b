"""Accounts API: who am I (with my memberships)."""

from ninja import Router, Schema

from tremplin.accounts.auth import token_auth
from tremplin.organisations.schemas import ErrorOut, MembershipOut

router = Router()


class MeOut(Schema):
    email: str
    full_name: str
    email_verified: bool
    memberships: list[MembershipOut]


@router.get("/me", auth=token_auth, response={200: MeOut, 401: ErrorOut}, summary="Mon compte")
def me(request):
    user = request.auth
    return {
        "email": user.email,
        "full_name": user.full_name,
        "email_verified": user.email_verified,
        "memberships": list(user.memberships.select_related("organisation").order_by("organisation__name")),
    }
