"""One table per normalisation rule; values come from the real files (file cited per case).

Abbreviations: mpi = decp-rama_2019-03_marches-publics.info.json.gz, aife = decp-rama_2019-04_data.gouv.fr_aife,
pes = decp-rama_2019-04_data.gouv.fr_pes, emp = decp-rama_2019-04_e-marchespublics, croix =
marches-securises_ville-de-croix_2019-2021.json, meg22 = megalis-bretagne_focus-marches_decp-2022.xml.gz, meg0325 =
megalis-bretagne_focus-marches_decp-2022-03-25.xml.gz, ecl24 = eclaireur-public_decp2024_extract_20.json, dp19 / dp22 =
edge_cases/decp-processing_test_2019/2022.json, eclci = edge_cases/eclaireur-public_ci_raw_marches_2019.json.
"""

from datetime import date
from decimal import Decimal

import pytest

from tremplin.ingest.decp.normalize import (
    FLAGS,
    REJECTIONS,
    Contract,
    Holder,
    Rejection,
    clean_text,
    group_by_uid,
    group_contracts,
    is_mojibake,
    is_null,
    normalize,
    normalize_cpv,
    parse_date,
    to_bool,
    to_decimal,
)
from tremplin.ingest.decp.records import RawRecord

from .conftest import TODAY, base_payload, contract, norm

# -- dates ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "status"),
    [
        ("2018-01-20", date(2018, 1, 20), "ok"),  # mpi marches[0]
        ("2018-12-17+01:00", date(2018, 12, 17), "ok"),  # pes: timezone suffix is normal, not a repair
        ("2021-08-09-04:00", date(2021, 8, 9), "ok"),  # meg0325: negative offset (Guadeloupe)
        ("2019-1-1", date(2019, 1, 1), "ok"),  # mpi: dateDebutExecution without zero padding
        ("2018-12-17T10:00:00+01:00", date(2018, 12, 17), "ok"),
        ("20/09/2021", date(2021, 9, 20), "ok"),
        ("0222-04-29", date(2022, 4, 29), "repaired"),  # data-notes §4 (decp-processing clean.py)
        ("0022-04-29", date(2022, 4, 29), "repaired"),  # idem
        ("5021-02-18", date(2021, 2, 18), "repaired"),  # idem: slip on the first digit
        ("220-05-12", date(2020, 5, 12), "repaired"),  # data-notes §4 (decp-table-schema-utils 1.3.1)
        ("September, 16 2021 00:00:00", date(2021, 9, 16), "repaired"),  # data-notes §4
        ("2921-11-19", None, "invalid"),  # data-notes §4: future year, not repairable
        ("0002-11-30", None, "invalid"),  # data-notes §4
        ("2030-06-01", None, "invalid"),  # future date (today = 2026-01-01)
        ("2019-02-30", None, "invalid"),
        ("1900-01-01", None, "invalid"),  # placeholder, before 1950
        ("test", None, "invalid"),  # ecl24: datePublicationDonnees altered by the fixture authors
        ("nan", None, "missing"),  # dp22: dateDebutExecution "nan"
        ("", None, "missing"),
        (None, None, "missing"),
    ],
)
def test_parse_date(value, expected, status):
    assert parse_date(value, TODAY) == (expected, status)


def test_date_flags_and_missing_notification():
    # aife marches[0]: no dateNotification at all.
    c = contract(base_payload(dateNotification=...))
    assert c.notification_date is None and "missing_notification_date" in c.flags
    c = contract(base_payload(dateNotification="0222-04-29", datePublicationDonnees="2022-05-02"))
    assert c.notification_date == date(2022, 4, 29) and "date_repaired" in c.flags
    c = contract(base_payload(dateNotification="2921-11-19"))
    assert c.notification_date is None and {"date_invalid", "missing_notification_date"} <= set(c.flags)
    # Timezone suffix: not a flag (pes).
    c = contract(base_payload(dateNotification="2018-12-17+01:00", datePublicationDonnees="2019-03-19+01:00"))
    assert c.notification_date == date(2018, 12, 17) and c.publication_date == date(2019, 3, 19)
    assert not {"date_repaired", "date_invalid"} & set(c.flags)


def test_publication_before_notification():
    # croix marches[0]: notified 2021-12-11, published 2021-12-07.
    c = contract(base_payload(dateNotification="2021-12-11", datePublicationDonnees="2021-12-07"))
    assert "publication_before_notification" in c.flags
    assert "publication_before_notification" not in contract().flags


# -- amounts ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "flags"),
    [
        (153900, Decimal("153900"), set()),  # pes marches[0]
        (228766.8, Decimal("228766.8"), set()),  # pes per-upload file: float kept exact
        ("30000.00", Decimal("30000.00"), set()),  # croix: amount as a string, normal
        ("30 000,50", Decimal("30000.50"), set()),
        ("1.234,56", Decimal("1234.56"), set()),
        (0, Decimal("0"), {"amount_placeholder", "amount_suspicious"}),  # mpi marches[0]
        ("0.00", Decimal("0.00"), {"amount_placeholder", "amount_suspicious"}),  # croix
        (1, Decimal("1"), {"amount_placeholder", "amount_suspicious"}),  # mpi
        (99.99, Decimal("99.99"), {"amount_placeholder", "amount_suspicious"}),  # mpi: only 9s
        (999999, Decimal("999999"), {"amount_placeholder", "amount_suspicious"}),  # aife
        (99999999, Decimal("99999999"), {"amount_placeholder", "amount_suspicious"}),  # aife
        (999999999, Decimal("999999999"), {"amount_placeholder", "amount_suspicious"}),  # aife, mpi
        (1e17, Decimal("1E+17"), {"amount_too_large", "amount_suspicious"}),  # dp22 marche[1]
        (1_000_000_000, Decimal("1000000000"), {"amount_too_large", "amount_suspicious"}),
        (-1, Decimal("-1"), {"amount_negative", "amount_suspicious"}),  # edge_cases anomalies/montantNegatif.json
        (None, None, {"amount_missing", "amount_suspicious"}),  # aife: 22 records without montant
        ("NC", None, {"amount_missing", "amount_suspicious"}),
        ("n'importe quoi", None, {"amount_missing", "amount_suspicious"}),
        (float("nan"), None, {"amount_missing", "amount_suspicious"}),  # NaN literal
    ],
)
def test_amount(value, expected, flags):
    c = contract(base_payload(montant=value))
    assert c.amount == expected
    amount_flags = {f for f in c.flags if f.startswith("amount_")}
    assert amount_flags == flags
    # The rule: missing, ≤ 1 €, ≥ 1 bn € or only 9s → amount_suspicious (plus the specific flag).
    assert ("amount_suspicious" in c.flags) == bool(flags)


def test_suspicious_modification_amount():
    modification = {"montant": 999999, "dateNotificationModification": "2019-06-01", "objetModification": "x"}
    c = contract(base_payload(modifications=[modification]))
    assert {"modification_amount_suspicious", "amount_suspicious"} <= set(c.flags)
    assert "amount_placeholder" not in c.flags  # the amount at notification is fine


def test_values_too_long_for_the_database():
    c = contract(
        base_payload(
            titulaires=[{"typeIdentifiant": "SIRET", "id": "4" * 41, "denominationSociale": "X" * 400}],
            lieuExecution={"code": "1" * 21, "typeCode": "Code postal", "nom": "Lieu " * 60},
            procedure="Procédure " * 20,
        )
    )
    assert c.holders[0].id is None and len(c.holders[0].name) == 300
    assert c.place_code is None and len(c.place_name) <= 200 and len(c.procedure) <= 120
    assert "value_too_long" in c.flags
    too_long = norm(base_payload(id="9" * 90))
    assert isinstance(too_long, Rejection) and too_long.reason_code == "identifier_too_long"
    too_long_buyer = norm(base_payload(acheteur={"id": "1" * 21, "nom": "X"}))
    assert too_long_buyer.reason_code == "identifier_too_long"


def test_concession_amount_is_valeur_globale():
    # Official example v1.5.0 cc-basique: concession with valeurGlobale and autoriteConcedante.
    payload = base_payload(
        acheteur=...,
        montant=...,
        titulaires=...,
        autoriteConcedante={"id": "24201005600073", "nom": "Ville"},
        valeurGlobale="8100000.00",
        concessionnaires=[{"typeIdentifiant": "SIRET", "id": "42399908500057", "denominationSociale": "X"}],
        dateSignature="2022-01-10",
        dateNotification=...,
        nature="Concession de service",
    )
    c = contract(payload, kind="concession")
    assert (c.kind, c.amount, c.buyer_id, c.notification_date) == (
        "concession",
        Decimal("8100000.00"),
        "24201005600073",
        date(2022, 1, 10),
    )
    assert c.holders == (Holder("SIRET", "42399908500057", "X"),)


# -- duration, offers, booleans, null-equivalents ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "flagged"),
    [
        (48, 48, False),  # mpi
        ("36", 36, False),  # croix: duration as a string
        ("12.0", 12, False),
        ("NC", None, True),  # dp19 / dp22
        (0, None, True),  # edge_cases anomalies/dureeMois0.json
        (1201, None, True),  # edge_cases anomalies/dureeMois1201.json
        ("test", None, True),
        (None, None, False),
        ("", None, False),
    ],
)
def test_duration(value, expected, flagged):
    c = contract(base_payload(dureeMois=value))
    assert c.duration_months == expected
    assert ("duration_invalid" in c.flags) is flagged


@pytest.mark.parametrize(
    ("value", "expected", "flagged"),
    [(11, 11, False), ("4", 4, False), (0, 0, False), ("test", None, True), (-2, None, True), (None, None, False)],
)
def test_offers_received(value, expected, flagged):
    # meg 2024 file: 11; ecl24: "test" (altered by the fixture authors)
    c = contract(base_payload(offresRecues=value), fmt="2024")
    assert c.offers_received == expected and ("offers_invalid" in c.flags) is flagged


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("1", True), ("oui", True), ("Oui", True), (1, True), (False, False)]
    + [("non", False), ("false", False), ("0", False), ("test", None), (None, None), (2, None)],
)
def test_to_bool(value, expected):
    # dp22: marcheInnovant "non"; official 2024 XML example: "oui"; ecl24: "test"
    assert to_bool(value) is expected


@pytest.mark.parametrize(
    "value", [None, "", "  ", "NC", "nc", "N/C", "null", "None", "NaN", "nan", "Sans objet", float("nan")]
)
def test_null_equivalents(value):
    assert is_null(value) and clean_text(value) is None


def test_text_is_trimmed_single_spaced():
    # mpi: "<br />" at the end of objects; meg 2024: "\n" inside; croix: leading space.
    assert (
        clean_text("SERVICE DE NETTOYAGE DE BÂTIMENTS COMMUNAUX<br />") == "SERVICE DE NETTOYAGE DE BÂTIMENTS COMMUNAUX"
    )
    assert clean_text("Confortement\nRelance\x01 ") == "Confortement Relance"
    assert clean_text(" Suspensions,  demi-lunes") == "Suspensions, demi-lunes"
    assert clean_text("Pas de Calais") == "Pas de Calais"  # "Pas de …" is only null in enumerated fields


def test_to_decimal_reports_presence():
    assert to_decimal(None) == (None, False)
    assert to_decimal("abc") == (None, True)


# -- identifiers, buyer, rejections -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_id", "expected_id"),
    [
        ("2018MC1804600", "2018MC1804600"),  # mpi marches[0]
        (" 2021/CB/2100 ", "2021_CB_2100"),  # meg0325: slashes
        ("20222022/1400", "20222022_1400"),  # data-notes §4
        ("2019-VI2022.242", "2019-VI2022_242"),  # dp19: dot
        ("Lot 1, tranche 2", "Lot_1__tranche_2"),
        ("a\\b", "a_b"),
        (1234, "1234"),
    ],
)
def test_uid_rule(raw_id, expected_id):
    c = contract(base_payload(id=raw_id))
    assert c.id == expected_id
    assert c.uid == "24201005600073" + expected_id


@pytest.mark.parametrize(
    ("overrides", "buyer_id", "buyer_name"),
    [
        ({}, "24201005600073", "Communauté d'Agglomération du Pays Ajaccien"),
        ({"acheteur": ..., "acheteur.id": "21500222100012"}, "21500222100012", None),  # dp19, eclci: flat key
        (
            {"acheteur": {"id": " 21590163800019 ", "nom ": "Ville de Croix (59)"}},
            "21590163800019",
            "Ville de Croix (59)",
        ),
        ({"acheteur": {"id": "130 005 481 00010"}}, "13000548100010", None),
        ({"acheteur": {"id": 21590163800019}}, "21590163800019", None),
    ],
)
def test_buyer(overrides, buyer_id, buyer_name):
    c = contract(base_payload(**overrides))
    assert (c.buyer_id, c.buyer_name) == (buyer_id, buyer_name)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (["not", "an", "object"], "invalid_payload"),
        ("text", "invalid_payload"),
        ({}, "invalid_payload"),
        (base_payload(acheteur={"nom": "nom de l'acheteur"}), "missing_buyer_id"),  # anomalies/autres.json
        (base_payload(acheteur=...), "missing_buyer_id"),  # aife: records without buyer
        (base_payload(acheteur={"id": "  "}), "missing_buyer_id"),
        (base_payload(id=""), "missing_contract_id"),  # croix: 33 records with "id": ""
        (base_payload(id=...), "missing_contract_id"),  # meg0325 <marche> #55
        (base_payload(id="NC"), "missing_contract_id"),
    ],
)
def test_rejections(payload, code):
    result = norm(payload)
    assert isinstance(result, Rejection)
    assert result.reason_code == code and result.reason_fr == REJECTIONS[code]
    assert result.position == "marches[0]"


def test_placeholder_contract_id_is_flagged():
    # croix: ids "000000000000" and "0000000000000000"
    assert "contract_id_placeholder" in contract(base_payload(id="0000000000000000")).flags


def test_buyer_siret_checks():
    assert "siret_checksum" in contract(base_payload(acheteur={"id": "24201005600074"})).flags
    assert "siret_malformed" in contract(base_payload(acheteur={"id": "242010056"})).flags
    assert not {"siret_checksum", "siret_malformed"} & set(contract().flags)


# -- nature, kind, procedure, price form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        ("Marché", "Marché", "marche"),
        ("marché", "Marché", "marche"),  # aife (67 records)
        ("MARCHE", "Marché", "marche"),  # eclci
        ("Marche", "Marché", "marche"),  # data-notes §4
        ("ACCORD-CADRE", "Accord-cadre", "marche"),  # eclci
        ("Marché subsequent", "Marché subséquent", "marche"),  # data-notes §4
        ("subsequent", "Marché subséquent", "marche"),
        ("Marché de partenariat", "Marché de partenariat", "marche"),
        ("Marché de défense ou de sécurité", "Marché de défense ou de sécurité", "marche"),
        ("CONCESSION DE TRAVAUX", "Concession de travaux", "concession"),  # aife concessions
        ("DELEGATION DE SERVICE PUBLIC", "Délégation de service public", "concession"),  # mpi concessions
        ("Concession de service public", "Concession de service public", "concession"),
    ],
)
def test_nature(value, expected, kind):
    c = contract(base_payload(nature=value), kind=kind)
    assert (c.nature, c.kind) == (expected, kind)
    assert "nature_unknown" not in c.flags


def test_unknown_nature_is_kept_and_flagged():
    c = contract(base_payload(nature="Bon de commande"))
    assert c.nature == "Bon de commande" and "nature_unknown" in c.flags


def test_concession_published_as_marche_is_fixed():
    # meg22 <marche> #354: nature "Concession de service", typeContrat CONTRAT_DE_CONCESSION, valeurGlobale.
    payload = base_payload(nature="Concession de service", valeurGlobale="8100000.00", montant="8100000")
    c = contract(payload, kind="marche")
    assert c.kind == "concession" and "kind_fixed" in c.flags
    assert c.amount == Decimal("8100000.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Procédure adaptée", "Procédure adaptée"),
        ("Appel d offres ouvert", "Appel d'offres ouvert"),  # aife: 43 records without apostrophe
        ("Appel d'offres restreint", "Appel d'offres restreint"),
        ("Procédure concurrentielle avec négociation", "Procédure avec négociation"),  # mpi
        ("Procédure négociée avec mise en concurrence préalable", "Procédure avec négociation"),  # mpi
        (
            "Marché négocié sans publicité ni mise en concurrence préalable",  # aife
            "Marché passé sans publicité ni mise en concurrence préalable",
        ),
        (
            "Marché public négocié sans publicité ni mise en concurrence préalable",  # decp-table-schema-utils test1
            "Marché passé sans publicité ni mise en concurrence préalable",
        ),
        ("Dialogue compétitif", "Dialogue compétitif"),
        ("Procédure non négociée restreinte", "Procédure non négociée restreinte"),  # meg22 concession
        ("", None),
    ],
)
def test_procedure(value, expected):
    c = contract(base_payload(procedure=value))
    assert c.procedure == expected and "procedure_unknown" not in c.flags


def test_unknown_procedure_is_kept_and_flagged():
    c = contract(base_payload(procedure="Concours restreint"))
    assert c.procedure == "Concours restreint" and "procedure_unknown" in c.flags


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Révisable", "Révisable"), ("ferme et actualisable", "Ferme et actualisable"), ("Forfaitaire", "Forfaitaire")],
)
def test_price_form(value, expected):
    assert contract(base_payload(formePrix=value)).price_form == expected


# -- CPV --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "status"),
    [
        ("90513500", "90513500", "ok"),  # mpi marches[0]
        ("50700000-2", "50700000", "ok"),  # pes: check digit stripped, not a repair
        ("45316110-9 ", "45316110", "ok"),  # trailing space
        ("9310000", "09310000", "repaired"),  # aife: lost leading zero (09310000 électricité)
        ("3451000", "03451000", "repaired"),  # aife: lost leading zero (division 03)
        ("4543100-7", "45431000", "repaired"),  # mpi: 7 digits, right-padded
        ("453", "45300000", "repaired"),
        ("031210005", "03121000", "repaired"),  # mpi: check digit glued on
        ("45214 200", "45214200", "repaired"),  # mpi: space inside
        (45214200, "45214200", "ok"),
        ("0", None, "invalid"),  # aife: 3 records
        ("00000000-1", None, "invalid"),  # pes
        ("NC", None, "missing"),
        ("", None, "missing"),  # croix: 22 records without CPV
        (None, None, "missing"),  # aife: 26 records without CPV
        ("travaux", None, "invalid"),
    ],
)
def test_cpv(value, expected, status):
    assert normalize_cpv(value) == (expected, status)
    flags = set(contract(base_payload(codeCPV=value)).flags)
    expected_flag = {"ok": set(), "repaired": {"cpv_repaired"}, "invalid": {"cpv_invalid"}, "missing": {"missing_cpv"}}
    assert flags & {"cpv_repaired", "cpv_invalid", "missing_cpv"} == expected_flag[status]


# -- place of execution -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "code", "kind", "flag"),
    [
        ({"code": "20000", "typeCode": "Code postal", "nom": "Ajaccio"}, "20000", "postcode", None),  # mpi
        ({"code": "59170", "typeCode": "Code Postal", "nom ": "Croix"}, "59170", "postcode", None),  # croix
        ({"code": "22", "typeCode": "CODE DEPARTEMENT"}, "22", "department", None),  # eclci
        ({"code": "75", "typeCode": "Code département"}, "75", "department", None),  # aife
        ({"code": "47001", "typeCode": "Code commune"}, "47001", "commune", None),  # pes per-upload
        ({"code": "FR", "typeCode": "Code pays"}, "FR", "country", None),  # decp-table-schema-utils test1
        ({"code": "84", "typeCode": "Code région"}, "84", "region", None),
        ({"code": "33063", "typeCode": "Code arrondissement"}, "33063", "arrondissement", None),
        ({"code": "48500", "typeCode": "Code departement"}, "48500", "postcode", "place_type_fixed"),  # ecl24
        ({"code": "83220", "typeCode": "Code region"}, "83220", "postcode", "place_type_fixed"),  # ecl24
        ({"code": "75", "typeCode": "Code postal"}, "75", "department", "place_type_fixed"),  # mpi (175 records)
        ({"code": "974", "typeCode": "Code postal"}, "974", "department", "place_type_fixed"),
        ({"code": "1000", "typeCode": "Code postal"}, "01000", "postcode", "place_code_repaired"),  # pes
        ({"code": "75 001", "typeCode": "Code postal"}, "75001", "postcode", None),
        ({"code": "INO", "typeCode": "Code commune", "nom": "Angers"}, "INO", "commune", None),  # pes marches[0]
    ],
)
def test_place(place, code, kind, flag):
    c = contract(base_payload(lieuExecution=place))
    assert (c.place_code, c.place_type) == (code, kind)
    place_flags = {f for f in c.flags if f.startswith("place_")}
    assert place_flags == ({flag} if flag else set())


def test_place_name():
    assert contract().place_name == "Ajaccio"
    assert (
        contract(base_payload(lieuExecution={"code": "59170", "typeCode": "Code Postal", "nom ": "Croix"})).place_name
        == "Croix"
    )


# -- holders ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titulaires", "expected", "flags"),
    [
        # mpi marches[0]: plain 2019 list
        (
            [{"denominationSociale": "OVIVE", "id": "42399908500057", "typeIdentifiant": "SIRET"}],
            [Holder("SIRET", "42399908500057", "OVIVE")],
            set(),
        ),
        # 2024 wrapped list (meg 2024 file)
        (
            [{"titulaire": {"typeIdentifiant": "SIRET", "id": "32933888305269"}}],
            [Holder("SIRET", "32933888305269", None)],
            set(),
        ),
        # dp19: list of lists (any depth) in modifications and holders
        (
            [[[{"typeIdentifiant": "SIRET", "id": "42399908500057", "denominationSociale": "FFF"}]]],
            [Holder("SIRET", "42399908500057", "FFF")],
            set(),
        ),
        # croix: empty typeIdentifiant, 14 digits → SIRET
        (
            [{"id": "81809944200019", "typeIdentifiant": "", "denominationSociale": "DECOPUB"}],
            [Holder("SIRET", "81809944200019", "DECOPUB")],
            {"holder_type_inferred"},
        ),
        # data-notes §4: leading spaces in SIRET; "Siret" spelled in lower case (aife: 95 "Siret", 12 "siret")
        (
            [{"id": " 42399908500057", "typeIdentifiant": "Siret", "denominationSociale": " OVIVE "}],
            [Holder("SIRET", "42399908500057", "OVIVE")],
            set(),
        ),
        # dp22: TVA holder; aife: TVA_INTRACOMMUNAUTAIRE; FRW (typo for FRWF)
        (
            [
                {"titulaire": {"typeIdentifiant": "TVA", "id": "99999999999"}},
                {"typeIdentifiant": "TVA_INTRACOMMUNAUTAIRE", "id": "FR12345678901"},
                {"typeIdentifiant": "FRW", "id": "123"},
            ],
            [Holder("TVA", "99999999999", None), Holder("TVA", "FR12345678901", None), Holder("FRWF", "123", None)],
            {"holder_not_siret"},
        ),
        # dp22: garbage holders {"titulaire": "typeIdentifiant"}
        ([{"titulaire": "typeIdentifiant"}, {"titulaire": "id"}], [], {"holder_dropped", "missing_holder"}),
        # meg0325 <marche> #12 as JSON: several holders packed in parallel lists
        (
            [
                {
                    "denominationSociale": ["3 IA", "Atelier Mahorais d'Architecture"],
                    "id": ["79151186800014", "09413459000010"],
                    "typeIdentifiant": ["SIRET", "SIRET"],
                }
            ],
            [
                Holder("SIRET", "79151186800014", "3 IA"),
                Holder("SIRET", "09413459000010", "Atelier Mahorais d'Architecture"),
            ],
            set(),
        ),
        # marches-publics.info: SIREN given as SIRET; invalid Luhn key
        ([{"typeIdentifiant": "SIRET", "id": "306535568"}], [Holder("SIRET", "306535568", None)], {"siret_malformed"}),
        (
            [{"typeIdentifiant": "SIRET", "id": "42399908500058"}],
            [Holder("SIRET", "42399908500058", None)],
            {"siret_checksum"},
        ),
        # La Poste establishment (pes per-upload file): digit sum multiple of 5
        ([{"typeIdentifiant": "SIRET", "id": "35600000012305"}], [Holder("SIRET", "35600000012305", None)], set()),
        # croix marches[2]: no holder
        ([], [], {"missing_holder"}),
        (None, [], {"missing_holder"}),
    ],
)
def test_holders(titulaires, expected, flags):
    c = contract(base_payload(titulaires=titulaires))
    assert list(c.holders) == expected
    holder_flags = {"holder_type_inferred", "holder_not_siret", "holder_dropped", "missing_holder"}
    holder_flags |= {"siret_malformed", "siret_checksum"}
    assert set(c.flags) & holder_flags == flags


# -- modifications ----------------------------------------------------------------------------------------------------


def test_modifications_all_shapes_sorted_by_date():
    mods = [
        {"modification": {"id": 2, "dateNotificationModification": "2025-04-09", "montant": 124557.46}},  # dp22
        {"objetModification": "Avenant 1", "dateNotificationModification": "2022-11-23", "dureeMois": 1},  # dp19
        {"modification": {"id": 3}},  # nothing but an id: dropped
        "",  # meg0325: empty <modification/>
        {
            "modification": {
                "id": 1,
                "titulaires": [{"titulaire": {"id": "81223513300026", "typeIdentifiant": "SIRET"}}],
                "datePublicationDonneesModification": "2023-01-04",
            }
        },
    ]
    c = contract(base_payload(modifications=mods))
    assert [m.notification_date or m.publication_date for m in c.modifications] == [
        date(2022, 11, 23),
        date(2023, 1, 4),
        date(2025, 4, 9),
    ]
    assert c.modifications[0].object == "Avenant 1" and c.modifications[0].duration_months == 1
    assert c.modifications[1].holders == (Holder("SIRET", "81223513300026", None),)
    assert c.current_amount == Decimal("124557.46") and c.amount == Decimal("30000")
    assert c.current_duration_months == 1 and c.current_holders == c.modifications[1].holders


@pytest.mark.parametrize(
    "modifications",
    [
        {"modification": [{"dateNotificationModification": "2022-11-23", "montant": 5}]},  # wrapped dict
        {"dateNotificationModification": "2022-11-23", "montant": 5},  # a dict instead of a list
        [{"modification": {"dateNotificationModification": "2022-11-23", "montant": 5}}],
    ],
)
def test_modifications_as_dict(modifications):
    c = contract(base_payload(modifications=modifications))
    assert [(m.notification_date, m.amount) for m in c.modifications] == [(date(2022, 11, 23), Decimal(5))]


def test_packed_modifications_are_split():
    # meg0325 <marche> #99 converted to JSON: two modifications in parallel lists.
    packed = {
        "dateNotificationModification": ["2021-09-22+02:00", "2021-03-24+01:00"],
        "dureeMois": ["36", "36"],
        "montant": ["86000", "85400"],
        "objetModification": ["Affermissement tranche no1", "Affermissement tranche no3"],
    }
    c = contract(base_payload(modifications=[packed]))
    assert [(m.notification_date, m.amount) for m in c.modifications] == [
        (date(2021, 3, 24), Decimal("85400")),
        (date(2021, 9, 22), Decimal("86000")),
    ]
    assert not {"date_invalid", "duration_invalid"} & set(c.flags)


# -- 2024 fields ------------------------------------------------------------------------------------------------------


def test_2024_fields():
    # Official example marches_concessions.json (marche TEST2022), and ecl24 / dp22 for the null-equivalents.
    payload = base_payload(
        marcheInnovant=True,
        sousTraitanceDeclaree="oui",
        idAccordCadre="1234567890",
        typeGroupementOperateurs="Conjoint",
        ccag="Maitrise d'œuvre",
        offresRecues=4,
        techniques={"technique": ["Concours", "Accord-cadre", "Sans objet"]},
        modalitesExecution={"modaliteExecution": ["Tranches"]},
        considerationsSociales={"considerationSociale": ["Clause sociale", "Critère social"]},
        considerationsEnvironnementales={"considerationEnvironnementale": ["Pas de considération environnementale"]},
        typesPrix={"typePrix": ["Définitif ferme"]},
    )
    c = contract(payload, fmt="2024")
    assert c.techniques == ("Concours", "Accord-cadre")
    assert c.execution_modalities == ("Tranches",)
    assert c.social_considerations == ("Clause sociale", "Critère social")
    assert c.environmental_considerations == ()
    assert (c.innovative, c.subcontracting_declared, c.framework_id) == (True, True, "1234567890")
    assert (c.groupement_type, c.ccag, c.offers_received, c.price_types) == (
        "Conjoint",
        "Maîtrise d'œuvre",
        4,
        ("Définitif ferme",),
    )
    assert c.format == "2024"


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"typeGroupementOperateurs": "Pas de groupement"}, "groupement_type", None),  # ecl24, meg 2024
        ({"ccag": "Pas de CCAG"}, "ccag", None),  # ecl24
        (
            {"considerationsSociales": {"considerationSociale": ["Pas de considération sociale"]}},
            "social_considerations",
            (),
        ),
        (
            {"considerationsSociales_considerationSociale": "Clause sociale, Marché réservé"},
            "social_considerations",
            ("Clause sociale", "Marché réservé"),
        ),
        ({"modalitesExecution": {"modaliteExecution": ["Sans objet"]}}, "execution_modalities", ()),  # meg 2024
        ({"TypePrix": "Définitif révisable"}, "price_types", ("Définitif révisable",)),  # ecl24: key "TypePrix"
        ({"typePrix": "Définitif révisable"}, "price_types", ("Définitif révisable",)),  # ecl24: key "typePrix"
        ({"marcheInnovant": "test"}, "innovative", None),  # ecl24
    ],
)
def test_2024_null_equivalents_and_variants(overrides, field, expected):
    assert getattr(contract(base_payload(**overrides), fmt="2024"), field) == expected


# -- text quality -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("Prestations juridiques pour la SOLIDEO - droit de l'am\ufffdnagement", {"replacement_characters"}),  # aife
        ("Mise en \u00c5\u0093uvre du DOCOB Natura 2000 site n\u00c2\u00b0208", {"mojibake"}),  # pes marches[112]
        (
            "valorisation des \u00c2\u00ab tout \u00e2\u0080\u0093 venants \u00c2\u00bb",
            {"mojibake"},
        ),  # pes marches[966]
        ("R\u00c3\u0089GION GRAND EST", {"mojibake"}),  # meg0325: place name
        ("Travaux d\u00e2\u20ac\u2122entretien", {"mojibake"}),  # "’" double-encoded, cp1252 reading
        ("Mise en place d'ÉlÉments connectÉs sur 4 ensembles de b'timents", {"garbled_accents"}),  # ecl24
        # No false positive on legitimate French (mpi, pes, meg22):
        ('CONSTRUCTION D\'UN BÂTIMENT "PÔLE JEUNES"', set()),
        ("Mairie de ROUGEMONT le CHÂTEAU", set()),
        ("Ville d'Échirolles", set()),
        ("ADRÉ Arpentage Détection RÉseaux", set()),  # mpi: capitals on purpose (acronym)
        ("RÉhabilitation thermique 18 logements", set()),  # ecl24: a typing slip, not an encoding fault
        ("MAINTENANCE DES BÂTIMENTS – 6 lots", set()),  # meg0325: real en dash
        ("L'ÉTÉ’S", set()),
    ],
)
def test_text_flags(text, flags):
    c = contract(base_payload(objet=text))
    assert set(c.flags) & {"replacement_characters", "mojibake", "garbled_accents"} == flags


def test_is_mojibake_needs_a_decodable_sequence():
    assert is_mojibake("Ã©t\u00c3\u00a9") and not is_mojibake("Ã bientôt") and not is_mojibake("Åsa")


def test_text_flags_look_at_holders_and_buyer():
    c = contract(base_payload(acheteur={"id": "24201005600073", "nom": "Soci\ufffdt\ufffd de livraison"}))
    assert "replacement_characters" in c.flags


# -- provenance and parse notes ---------------------------------------------------------------------------------------


def test_provenance_and_notes():
    payload = base_payload()
    c = contract(payload, notes=("json_escape_repaired",))
    assert c.raw is payload and c.source == "test" and c.position == "marches[0]" and c.format == "2019"
    assert "json_repaired" in c.flags


def test_format_guessed_when_unknown():
    c = contract(base_payload(offresRecues=3), fmt=None)
    assert c.format == "2024"


def test_every_flag_has_a_french_description():
    for name, text in FLAGS.items():
        assert name.isidentifier() and text and text[0].isupper()


def test_contract_is_hashable_and_frozen():
    c = contract()
    hash(c)
    with pytest.raises(AttributeError):
        c.amount = Decimal(1)  # type: ignore[misc]


# -- tabular merging --------------------------------------------------------------------------------------------------


def _row(position, holder, date_notified="2024-11-12", amount="79000"):
    # tabular 2024-H2 extract: uid 2163030080001720243001 (COMMUNE DE RIOM) has 4 rows, non-adjacent.
    payload = {
        "uid": "2163030080001720243001",
        "id": "20243001",
        "acheteur": {"id": "21630300800017", "nom": "COMMUNE DE RIOM (MAIRIE)"},
        "titulaires": [{"id": holder, "denominationSociale": "X"}],
        "montant": amount,
        "dateNotification": date_notified,
        "codeCPV": "45212221",
        "procedure": "Procédure adaptée",
        "dureeMois": "1",
        "offresRecues": "2",
    }
    result = normalize(RawRecord(position, "marche", payload, "tabular"), "test", today=TODAY)
    assert isinstance(result, Contract)
    return result


def test_tabular_rows_merge():
    rows = [
        _row("row 4", "31797591000447", "2025-01-01"),
        _row("row 2801", "32063704400050"),
        _row("row 3345", "31797591000447"),
        _row("row 5454", "32063704400050", "2024-09-17"),
    ]
    assert "holder_type_inferred" not in rows[0].flags  # the column is absent from the extract: normal
    by_uid = group_by_uid(rows)
    assert len(by_uid) == 1 and [h.id for h in by_uid[0].holders] == ["31797591000447", "32063704400050"]
    by_key = group_contracts(rows)
    assert len(by_key) == 3
    assert [len(c.holders) for c in by_key] == [1, 2, 1]
