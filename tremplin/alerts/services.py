"""Use cases on saved searches: find one (only its owner may), save, delete, regenerate the feed token, current
results, criteria from a supplier profile. Access is checked here through tremplin.policy, so that pages and API
share one behaviour. The e-mail digests are in `digests.py`."""

from __future__ import annotations

import dataclasses

from django.core import signing
from django.db import transaction

from tremplin import policy
from tremplin.alerts import rules
from tremplin.alerts.models import SavedSearch

UNSUBSCRIBE_SALT = "tremplin.alerts.unsubscribe"
PREVIEW_SIZE = 20


class NotFound(Exception):
    """The search does not exist for this person (pages and API answer 404)."""


def matching():
    """The matching engine (imported late: it is built by another app)."""
    from tremplin.matching import services

    return services


def searches_of(user):
    return SavedSearch.objects.filter(policy.visible_saved_searches_filter(user)).select_related("organisation")


def ordered(searches) -> list[SavedSearch]:
    return sorted(searches, key=lambda search: rules.name_order(search.name, search.pk))


def get_search(user, pk) -> SavedSearch:
    search = searches_of(user).filter(pk=pk).first()
    if search is None or not policy.can_manage_saved_search(user, search):
        raise NotFound("Recherche enregistrée inconnue.")
    return search


def get_by_feed_token(token: str) -> SavedSearch:
    if not token or len(token) > 64:
        raise NotFound("Flux inconnu.")
    search = SavedSearch.objects.filter(feed_token=token).first()
    if search is None:
        raise NotFound("Flux inconnu.")
    return search


FIELDS = (
    "name",
    "organisation",
    "text",
    "cpv",
    "departments",
    "regions",
    "kinds",
    "min_amount",
    "max_amount",
    "frequency",
    "is_active",
)


@transaction.atomic
def save_search(user, data: dict, search: SavedSearch | None = None) -> SavedSearch:
    """Create (search None) or update a search from validated data (SavedSearchForm.cleaned_data)."""
    if search is None:
        search = SavedSearch(user=user)
    elif not policy.can_manage_saved_search(user, search):
        raise NotFound("Recherche enregistrée inconnue.")
    organisation = data.get("organisation")
    if organisation is not None and not policy.can_save_search_for(user, organisation):
        raise NotFound("Entreprise inconnue.")
    for field in FIELDS:
        if field in data:
            setattr(search, field, data[field])
    search.save()
    return search


def delete_search(user, search: SavedSearch) -> None:
    if not policy.can_manage_saved_search(user, search):
        raise NotFound("Recherche enregistrée inconnue.")
    search.delete()


def regenerate_feed_token(user, search: SavedSearch) -> None:
    if not policy.can_manage_saved_search(user, search):
        raise NotFound("Recherche enregistrée inconnue.")
    search.regenerate_feed_token()


def current_results(search: SavedSearch, *, limit: int = PREVIEW_SIZE, offset: int = 0) -> list:
    """The open opportunities matching the search now, ranked by the matching engine."""
    return matching().search_opportunities(search.query(), limit=limit, offset=offset)


def profile_criteria(user, organisation) -> rules.Criteria | None:
    """The criteria of a supplier's profile (for "créer depuis mon profil fournisseur"), or None when `user` may not
    act for it or it has no profile."""
    if organisation is None or not policy.can_save_search_for(user, organisation):
        return None
    from tremplin.suppliers.models import SupplierProfile

    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        return None
    # The profile's activities and perimeter, not its free description: a description ("D'après 15 marchés
    # remportés…" on pre-filled profiles) is no list of keywords, and as one it would name and narrow the search.
    return rules.criteria_from_query(dataclasses.replace(matching().query_for_profile(profile), text=""))


def organisations_with_profile(user) -> list:
    """The companies of `user` whose supplier profile can prefill a search."""
    from tremplin.suppliers.models import SupplierProfile

    organisations = policy.saved_search_organisations(user)
    with_profile = set(
        SupplierProfile.objects.filter(organisation__in=organisations).values_list("organisation_id", flat=True)
    )
    return [organisation for organisation in organisations if organisation.pk in with_profile]


def unsubscribe_token(search: SavedSearch) -> str:
    return signing.dumps(search.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def search_from_unsubscribe_token(token: str) -> SavedSearch:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise NotFound("Lien de désabonnement invalide.") from error
    search = SavedSearch.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if search is None:
        raise NotFound("Cette alerte n'existe plus.")
    return search


def unsubscribe(search: SavedSearch) -> None:
    """Stop the e-mails of this search (the search and its feeds stay)."""
    SavedSearch.objects.filter(pk=search.pk).update(is_active=False)
    search.is_active = False
