"""Use cases: who may edit a profile, and what is refused with which French message."""

import pytest

from tremplin.referentials.models import CpvCode, Department, NafCode, Region
from tremplin.suppliers import services
from tremplin.suppliers.errors import PermissionDenied, ProfileError
from tremplin.suppliers.models import SupplierActivity, SupplierPerimeter, SupplierProfile
from tremplin.suppliers.services import ActivityInput, CompanyDetails, PerimeterChoice, ProfileInput

pytestmark = pytest.mark.django_db


def add(world, user=None, cpv="45210000", naf=None, types=("PREST",), description=""):
    return services.save_activity(
        user or world.member,
        world.company,
        cpv=CpvCode.objects.get(pk=cpv) if cpv else None,
        naf=NafCode.objects.get(pk=naf) if naf else None,
        description=description,
        service_types=list(types),
    )


def test_a_company_member_adds_an_activity_and_the_profile_is_created(world):
    activity = add(world, naf="43.21A", types=("PREST", "BUILD"), description="  Menuiserie bois  ")
    profile = SupplierProfile.objects.get(organisation=world.company)
    assert activity.profile == profile
    assert (activity.cpv_id, activity.naf_id, activity.description) == ("45210000", "43.21A", "Menuiserie bois")
    assert activity.service_types == ["PREST", "BUILD"]
    assert (activity.offers_service, activity.offers_goods, activity.offers_staffing) == (True, True, False)


def test_staff_may_edit_and_the_organisation_becomes_a_supplier(world):
    world.buyer.refresh_from_db()
    services.save_activity(
        world.staff, world.buyer, cpv=CpvCode.objects.get(pk="60100000"), naf=None, service_types=["PREST"]
    )
    world.buyer.refresh_from_db()
    assert world.buyer.is_supplier


@pytest.mark.parametrize("who", ["rival_member", "buyer_agent", "company_buyer_agent", "facilitator", "outsider"])
def test_nobody_else_may_edit(world, who):
    with pytest.raises(PermissionDenied, match="Seuls les membres de l'entreprise"):
        add(world, user=getattr(world, who))
    assert not SupplierProfile.objects.exists()


def test_anonymous_people_may_not_edit(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        add(world, user=AnonymousUser())


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"cpv": None}, "cpv", "Indiquez un code CPV, un code NAF, ou les deux."),
        ({"types": ()}, "service_types", "Choisissez au moins un type de prestation."),
        ({"types": ("PREST", "CONSEIL")}, "service_types", "Type de prestation inconnu : CONSEIL."),
        ({"description": "x" * 1001}, "description", "La description compte au plus 1000 caractères."),
    ],
)
def test_an_invalid_activity_is_refused(world, kwargs, field, message):
    with pytest.raises(ProfileError) as error:
        add(world, **kwargs)
    assert (error.value.field, str(error.value)) == (field, message)
    assert not SupplierActivity.objects.exists()


def test_the_same_activity_twice_is_refused_but_it_may_be_changed(world):
    first = add(world)
    with pytest.raises(ProfileError, match="figure déjà dans votre profil"):
        add(world)
    services.save_activity(
        world.member, world.company, activity=first, cpv=first.cpv, naf=None, service_types=["BUILD"]
    )
    first.refresh_from_db()
    assert first.service_types == ["BUILD"]


def test_an_activity_of_another_profile_cannot_be_changed_through_this_one(world):
    theirs = services.save_activity(
        world.rival_member, world.rival, cpv=CpvCode.objects.get(pk="45000000"), naf=None, service_types=["PREST"]
    )
    with pytest.raises(PermissionDenied):
        services.save_activity(world.member, world.company, activity=theirs, cpv=None, naf=None, service_types=[])
    theirs.refresh_from_db()
    assert theirs.cpv_id == "45000000"


def test_delete_activity(world):
    activity = add(world)
    with pytest.raises(PermissionDenied):
        services.delete_activity(world.rival_member, activity)
    services.delete_activity(world.member, activity)
    assert not SupplierActivity.objects.exists()


def test_a_member_edit_marks_a_prefilled_profile_as_verified(world):
    SupplierProfile.objects.create(organisation=world.company, prefilled=True)
    add(world)
    assert not SupplierProfile.objects.get().prefilled


def test_set_perimeter_replaces_the_previous_one(world):
    rhone, loire = Department.objects.get(pk="69"), Department.objects.get(pk="42")
    ara = Region.objects.get(pk="84")
    services.set_perimeter(world.member, world.company, PerimeterChoice(departments=[rhone, loire], radius_km=30))
    rows = {(p.kind, p.department_id, p.radius_km) for p in SupplierPerimeter.objects.all()}
    assert rows == {("department", "69", None), ("department", "42", None), ("radius", None, 30)}
    services.set_perimeter(world.member, world.company, PerimeterChoice(regions=[ara]))
    assert list(SupplierPerimeter.objects.values_list("kind", "region_id")) == [("region", "84")]
    services.set_perimeter(world.member, world.company, PerimeterChoice(national=True, regions=[ara]))
    assert list(SupplierPerimeter.objects.values_list("kind", flat=True)) == ["national"]
    services.set_perimeter(world.member, world.company, PerimeterChoice())
    assert not SupplierPerimeter.objects.exists()


def test_radius_errors(world):
    world.rival.commune = None
    world.rival.save()
    with pytest.raises(ProfileError, match="renseignez d'abord la commune") as error:
        services.set_perimeter(world.rival_member, world.rival, PerimeterChoice(radius_km=20))
    assert error.value.field == "radius_km"
    marseille = world.refs.communes["13055"]  # no coordinates in the sample
    world.rival.commune = marseille
    world.rival.save()
    with pytest.raises(ProfileError, match="Les coordonnées de Marseille ne sont pas connues"):
        services.set_perimeter(world.rival_member, world.rival, PerimeterChoice(radius_km=20))
    with pytest.raises(ProfileError, match="entre 1 et 1000 km"):
        services.set_perimeter(world.member, world.company, PerimeterChoice(radius_km=1001))
    assert not SupplierPerimeter.objects.exists()


def test_company_details_write_the_profile_and_the_organisation(world):
    details = CompanyDetails(
        headcount_band="11",
        turnover=1_250_000,
        turnover_year=2024,
        inclusive_status="EI",
        labels=[world.rge],
        is_ess=True,
    )
    profile = services.set_company_details(world.member, world.company, details)
    profile.refresh_from_db()
    world.company.refresh_from_db()
    assert (profile.headcount_band, profile.turnover, profile.turnover_year) == ("11", 1_250_000, 2024)
    assert profile.turnover_band == "Jusqu'à 2 M€"
    assert (world.company.inclusive_status, world.company.is_ess, world.company.is_esus) == ("EI", True, False)
    assert list(world.company.labels.all()) == [world.rge]


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (CompanyDetails(turnover=100), "turnover_year"),
        (CompanyDetails(turnover_year=2024), "turnover"),
        (CompanyDetails(headcount_band="NN"), "headcount_band"),
        (CompanyDetails(inclusive_status="SCOP"), "inclusive_status"),
    ],
)
def test_invalid_company_details(world, details, field):
    with pytest.raises(ProfileError) as error:
        services.set_company_details(world.member, world.company, details)
    assert error.value.field == field
    world.company.refresh_from_db()
    assert world.company.inclusive_status == ""


def test_replace_profile_writes_everything(world):
    world.company.labels.add(world.qualiopi)
    data = ProfileInput(
        activities=[
            ActivityInput(cpv="45210000-2", service_types=["PREST"], description="Gros œuvre"),
            ActivityInput(naf="6201z", service_types=["PREST", "DISP"]),
        ],
        departments=["69", "42"],
        radius_km=40,
        headcount_band="03",
        turnover=850_000,
        turnover_year=2024,
    )
    profile = services.replace_profile(world.member, world.company, data)
    assert [(a.cpv_id, a.naf_id) for a in profile.activities.order_by("id")] == [("45210000", None), (None, "62.01Z")]
    assert profile.perimeters.count() == 3
    world.company.refresh_from_db()
    assert list(world.company.labels.all()) == [world.qualiopi]  # not given: unchanged


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            ProfileInput(activities=[ActivityInput(cpv="99999999", service_types=["PREST"])]),
            "activities[0].cpv",
            "n'existe pas",
        ),
        (
            ProfileInput(activities=[ActivityInput(naf="99.99Z", service_types=["PREST"])]),
            "activities[0].naf",
            "n'existe pas",
        ),
        (
            ProfileInput(activities=[ActivityInput(service_types=["PREST"])]),
            "activities[0].cpv",
            "un code CPV, un code NAF",
        ),
        (ProfileInput(departments=["69", "100"]), "perimeter.departments", "Code de département inconnu : 100."),
        (ProfileInput(regions=["99"]), "perimeter.regions", "Code de région inconnu : 99."),
        (ProfileInput(radius_km=2000), "perimeter.radius_km", "entre 1 et 1000 km"),
        (ProfileInput(labels=["rge", "bio"]), "labels", "Label inconnu : bio."),
        (ProfileInput(turnover=5), "turnover_year", "Indiquez l'année"),
    ],
)
def test_replace_profile_refuses_invalid_input_and_writes_nothing(world, data, field, message):
    add(world)
    with pytest.raises(ProfileError) as error:
        services.replace_profile(world.member, world.company, data)
    assert error.value.field == field
    assert message in str(error.value)
    assert list(SupplierActivity.objects.values_list("cpv_id", flat=True)) == ["45210000"]
