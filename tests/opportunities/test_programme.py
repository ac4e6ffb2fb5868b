"""Purchase programme upload (CSV; XLSX in test_programme_xlsx.py): line-by-line checks, preview before
anything is saved, confirmation, the template, size and type limits."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.opportunities.factories import ForecastFactory
from tremplin.opportunities.models import Forecast, Source
from tremplin.opportunities.programme import Known, parse_programme, template_csv

KNOWN = Known(
    cpv=frozenset({"45233140", "45233221", "45233200", "45210000", "60112000"}),
    departments=frozenset({"69", "42", "01"}),
    communes=frozenset({"69123"}),
)
HEADER = ";".join(
    "reference lot intitule categorie cpv montant_estime_ht date_publication trimestre_publication departements "
    "reservation".split()
)


def csv(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def test_the_template_is_a_valid_programme():
    programme = parse_programme(template_csv(), KNOWN)
    assert programme.file_errors == [] and programme.invalid_lines == []
    (entry,) = programme.valid
    assert entry.reference == "2026-VOI-01"
    data = entry.data
    assert (data.title, data.category, data.cpv, data.estimated_amount) == (
        "Réfection des voiries communales",
        "travaux",
        "45233140",
        Decimal("480000"),
    )
    assert (data.publication_target_date, data.publication_quarter) == (datetime.date(2026, 3, 15), "2026-T1")
    assert (data.procedure_type, data.departments, data.communes) == ("aoo", ["69"], ["69123"])
    assert [(lot.number, lot.title, lot.reservation) for lot in data.lots] == [
        (1, "Enrobés et signalisation", "L2113-13"),
        (2, "Marquage au sol", ""),
    ]
    assert data.social_considerations and not data.environmental_considerations


def test_every_line_error_is_reported_with_its_column():
    programme = parse_programme(
        csv(
            "A;;Transport scolaire;services;60112000;90 000;;T3 2026;69;",
            "B;;;prestations;99999999;beaucoup;31/02/2026;;75;SIAE",
            "C;1;Lot orphelin;;;;;;;",
            "A;;Doublon;travaux;;;;;;",
            "D;;Voirie;travaux;45233140;100 000;;2026-T4;69;",
            "D;1;Enrobés;;45233221;150 000;;;;handicapés",
            "D;x;Lot mal numéroté;;;;;;;",
            ";;Sans référence;;;;;;;",
        ),
        KNOWN,
    )
    assert [entry.reference for entry in programme.valid] == ["A"]
    lots_only = parse_programme(csv("E;;Voirie;travaux;;;;;;", "E;1;Enrobés;;;;;;;", "E;2;;;;;;;;"), KNOWN)
    assert {line.number: line.errors for line in lots_only.invalid_lines} == {
        2: ["lot(s) en erreur ligne(s) 4 : rien n'est importé."],
        3: ["la prévision de cette référence (ligne 2) est en erreur."],
        4: ["Lot 2 : donnez un intitulé au lot."],
    }
    errors = {line.number: line.errors for line in programme.invalid_lines}
    assert errors[3] == [
        "categorie : « prestations » : travaux, fournitures ou services.",
        "cpv : code CPV inconnu « 99999999 ».",
        "montant_estime_ht : « beaucoup » n'est pas un montant (par exemple 12 000,50).",
        "date_publication : « 31/02/2026 » n'est pas une date valide (JJ/MM/AAAA, par exemple 02/09/2025).",
        "departements : département inconnu « 75 ».",
        "intitule : Donnez un intitulé à la prévision.",
    ]
    assert errors[4] == ["reference : aucune ligne sans numéro de lot ne décrit la prévision « C »."]
    assert errors[5] == ["reference : déjà utilisée par la prévision de la ligne 2."]
    assert errors[6] == [
        "La somme des montants des lots (150\u202f000,00\u202f€) dépasse le montant estimé de la prévision "
        "(100\u202f000,00\u202f€)."
    ]
    assert errors[7] == ["la prévision de cette référence (ligne 6) est en erreur."]
    assert errors[8] == ["lot : « x » n'est pas un numéro de lot (un entier)."]
    assert errors[9] == ["reference : obligatoire (elle relie une prévision à ses lots)."]


@pytest.mark.parametrize(
    ("cell", "codes"),
    [("SIAE", ["L2113-13"]), ("EA / ESAT", ["L2113-12"]), ("L2113-15", ["L2113-15"]), ("aucune", []), ("", [])],
)
def test_reservation_cells(cell, codes):
    programme = parse_programme(csv(f"R;;Repas;services;;;;;;{cell}"), KNOWN)
    assert programme.valid[0].data.reservations == codes


def test_file_errors():
    assert parse_programme("", KNOWN).file_errors == ["Le fichier est vide."]
    assert parse_programme("nom;montant\r\nA;1\r\n", KNOWN).file_errors == [
        "Colonnes manquantes : reference, intitule. Partez du modèle de fichier téléchargeable."
    ]
    assert parse_programme(HEADER + "\r\n", KNOWN).file_errors == [
        "Le fichier ne contient aucune prévision après l'en-tête."
    ]
    many = csv(*(f"R{n};;Achat {n};;;;;;;" for n in range(2001)))
    assert parse_programme(many, KNOWN).file_errors == ["Le fichier compte plus de 2000 lignes : découpez-le."]


def test_a_published_forecast_is_not_touched_by_an_import():
    known = Known(KNOWN.cpv, KNOWN.departments, KNOWN.communes, existing={"A": "published", "B": "draft"})
    programme = parse_programme(csv("A;;Achat A;;;;;;;", "B;;Achat B;;;;;;;"), known)
    assert [(entry.reference, entry.update) for entry in programme.valid] == [("B", True)]
    assert "déjà publiée" in programme.invalid_lines[0].errors[0]


# ---------------------------------------------------------------- pages

URL = reverse("opportunities:programme")


def upload(client, text: str, name: str = "programme.csv", encoding: str = "utf-8", siret: str = "21690123100011"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(URL, {"organisation": siret, "file": file})


@pytest.mark.django_db
def test_preview_then_confirm(client, world):
    client.force_login(world.agent)
    text = csv(
        "2026-01;;Réfection de l'école;travaux;45210000;300 000;15/09/2026;;69;",
        "2026-01;1;Gros œuvre;;;200 000;;;;",
        "2026-02;;Transport;services;60112000;;;2026-T3;69;",
        "2026-03;;Mauvaise ligne;travaux;45210000;;;2026-T9;69;",
    )
    response = upload(client, text, encoding="cp1252")  # as Excel saves it on Windows
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 prévisions prêtes à enregistrer" in html and "1 ligne en erreur" in html
    assert "Ligne 5</strong> (2026-03)" in html
    assert "Trimestre illisible « 2026-T9 »" in html
    assert not Forecast.objects.exists()  # nothing before the confirmation

    content = response.context["confirm_form"].initial["content"]
    response = client.post(URL, {"organisation": world.buyer.siret, "content": content}, follow=True)
    assert "Import terminé : 2 prévisions créées, 0 mise à jour (brouillons), 1 en erreur ignorée." in (
        response.content.decode()
    )
    school = Forecast.objects.get(external_id="2026-01")
    assert (school.status, school.source, school.buyer, school.created_by) == (
        "draft",
        Source.PROGRAMME,
        world.buyer,
        world.agent,
    )
    assert list(school.lots.values_list("number", "title")) == [(1, "Gros œuvre")]

    # The same file again updates the drafts instead of duplicating them.
    client.post(URL, {"organisation": world.buyer.siret, "content": content.replace("Transport", "Transport scolaire")})
    assert Forecast.objects.count() == 2
    assert Forecast.objects.get(external_id="2026-02").title == "Transport scolaire"


@pytest.mark.django_db
def test_a_confirmation_for_another_organisation_saves_nothing(client, world):
    client.force_login(world.agent)
    content = csv("X;;Achat;travaux;;;;;;")
    client.post(URL, {"organisation": world.other_buyer.siret, "content": content})
    assert upload(client, content, siret=world.other_buyer.siret).context["upload_form"].errors["organisation"]
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_uploads_are_checked(client, world):
    client.force_login(world.agent)
    response = upload(client, "PK\x03\x04 binaire", name="programme.xlsx")
    assert "Ce fichier compressé est illisible" in response.content.decode()
    response = upload(client, "a\x00b")
    assert "Ce fichier n&#x27;est ni un fichier CSV ni un classeur Excel (.xlsx)." in response.content.decode()
    response = upload(client, HEADER + "\r\n" + "x" * (1024 * 1024))
    assert "Le fichier dépasse 1 Mo" in response.content.decode()
    response = client.post(URL, {"organisation": world.buyer.siret})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_the_template_download(client):
    response = client.get(reverse("opportunities:programme_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-programme-achats-tremplin.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffreference;lot;intitule;description;categorie;cpv;")
    assert text.count("\r\n") == 4


@pytest.mark.django_db
def test_a_published_forecast_of_the_programme_stays_as_it_is(client, world):
    ForecastFactory(buyer=world.buyer, source=Source.PROGRAMME, external_id="P1", title="Publiée")
    client.force_login(world.agent)
    html = upload(client, csv("P1;;Nouveau titre;travaux;;;;;;")).content.decode()
    assert "est déjà publiée : modifiez-la depuis sa page" in html
    assert Forecast.objects.get().title == "Publiée"
