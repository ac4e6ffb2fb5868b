"""Values read by hand from specific notices (file and element cited in each case)."""

import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tremplin.ingest.notices import Notice

from .conftest import BOAMP_JSON, BOAMP_XML, EFORMS, TED_R209, one_from_bytes, only, requires_data

pytestmark = requires_data
PARIS = ZoneInfo("Europe/Paris")


# --------------------------------------------------------------------------------------
# eForms
# --------------------------------------------------------------------------------------


def test_eforms_design_contest_nouvelle_aquitaine():
    # 2024-OJS015-00041387.xml — buyer ORG-0001 (cac:ContractingParty/cac:Party), CompanyID
    # 20005375900011; cbc:SubTypeCode 23, cbc:NoticeTypeCode cn-desg; cpv 71000000; one
    # LOT-0001 with TenderSubmissionDeadlinePeriod 2024-03-04+02:00 / 12:00:00+02:00;
    # RealizedLocation FRI23 (Haute-Vienne), PostalZone 87500; PublicationDate 2024-01-22Z.
    n = only(EFORMS / "2024-OJS015-00041387.xml")
    assert n.source_id == "0a3077fe-1b45-4446-be7e-30f75cd98316-01"
    assert n.publication_number == "00041387-2024"
    assert n.notice_url == "https://ted.europa.eu/fr/notice/-/detail/41387-2024"
    assert (n.kind, n.form_type, n.form_subtype) == ("competition", "cn-desg", "23")
    assert n.buyer_name == "Région Nouvelle-Aquitaine"
    assert n.buyer_siret == "20005375900011"
    assert n.buyer_legal_type == "ra"
    assert n.cpv == "71000000" and n.contract_nature == "Services"
    assert n.procedure == "Concours" and n.procedure_code == "restricted"
    assert len(n.lots) == 1 and n.lots[0].id == "LOT-0001"
    assert (n.place_nuts, n.place_department, n.place_region) == ("FRI23", "87", "75")
    assert n.place_postcode == "87500" and n.place_town == "Saint-Yrieix-la-Perche"
    assert n.publication_date == date(2024, 1, 22)
    assert (n.deadline_date, n.deadline_time, n.deadline_tz) == (date(2024, 3, 4), time(12), "+02:00")
    assert n.deadline_at == datetime(2024, 3, 4, 12, tzinfo=timezone(timedelta(hours=2)))
    # +02:00 is summer time: Paris is at +01:00 on 4 March 2024.
    assert "deadline_tz_mismatch" in n.flags
    assert n.documents_url.startswith("https://demat-ampa.fr/")
    assert n.language == "fr"


def test_eforms_siret_with_leading_space():
    # Same file: ORG-0002 (Tribunal administratif de Limoges) has
    # <cbc:CompanyID> 17870005000010</cbc:CompanyID>. Made the buyer, its SIRET is read.
    data = (EFORMS / "2024-OJS015-00041387.xml").read_bytes()
    assert b"<cbc:CompanyID> 17870005000010</cbc:CompanyID>" in data
    data = re.sub(rb"(<cac:ContractingParty>.*?<cbc:ID>)ORG-0001(</cbc:ID>)", rb"\1ORG-0002\2", data, flags=re.S)
    n = one_from_bytes(data, "edited.xml")
    assert n.buyer_name == "Tribunal administratif de Limoges"
    assert n.buyer_siret == "17870005000010"
    assert n.buyer_legal_id == "17870005000010"
    assert "siret_checksum" not in n.flags and "siret_malformed" not in n.flags


def test_eforms_open_procedure_piemont_cevenol():
    # 2024-OJS017-00047522.xml — CompanyID 20003441100013; ProcedureCode open; cpv 90511100 +
    # AdditionalCommodityClassification 90511400; two lots; buyer NUTS FRJ12 (Gard).
    n = only(EFORMS / "2024-OJS017-00047522.xml")
    assert n.buyer_siret == "20003441100013"
    assert n.buyer_name == "Communauté de Communes du Piémont Cévenol"
    assert n.cpv == "90511100" and "90511400" in n.additional_cpv
    assert n.procedure == "Appel d'offres ouvert"
    assert len(n.lots) == 2
    assert n.buyer_nuts == "FRJ12" and n.buyer_postcode == "30260"
    assert n.deadline_date == date(2024, 2, 28) and n.deadline_time == time(12)
    assert n.buyer_reference == "2024-FCS-0010"


def test_eforms_siret_with_inner_spaces_and_overseas_department():
    # 2024-OJS074-00219998.xml — pin-cfc-standard (subtype 10); buyer ORG-0003 CAP Excellence,
    # CompanyID 20001865300051, PostalZone 97110 (Guadeloupe), no NUTS.
    n = only(EFORMS / "2024-OJS074-00219998.xml")
    assert (n.kind, n.form_subtype) == ("competition", "10")
    assert n.buyer_siret == "20001865300051"
    assert (n.place_department, n.place_region) == ("971", "01")
    assert "place_from_buyer" in n.flags
    assert n.estimated_value is None and "value_missing" in n.flags


def test_eforms_award_winners_through_settled_contracts():
    # 2024-OJS065-00191534.xml — LotResult RES-0001 (LOT-0001) lists TEN-0001 and TEN-0006;
    # SettledContract CON-0001 references TEN-0001 (TPA-0001 → ORG-0006 Belgo Facility
    # Services), PayableAmount 8819.09 EUR; StatisticsNumeric 6. For LOT-0002 the settled
    # tender is TEN-0007 (TPA-0002 → M&G CLEANING), 13768.11 EUR.
    n = only(EFORMS / "2024-OJS065-00191534.xml")
    assert n.kind == "award" and len(n.awards) == 5
    lot1, lot2 = n.awards[0], n.awards[1]
    assert lot1.lot_id == "LOT-0001" and [w.name for w in lot1.winners] == ["Belgo Facility Services"]
    assert (lot1.value, lot1.currency, lot1.tenders_received) == (Decimal("8819.09"), "EUR", 6)
    assert lot1.award_date == date(2024, 3, 4)
    assert lot2.lot_id == "LOT-0002" and [w.name for w in lot2.winners] == ["M&G CLEANING"]
    assert lot2.value == Decimal("13768.11")
    assert lot1.winners[0].country == "BE" and lot1.winners[0].siret is None


def test_eforms_lot_closed_without_winner():
    # 2024-OJS198-00611835.xml — LOT-0005 has TenderResultCode clos-nw.
    n = only(EFORMS / "2024-OJS198-00611835.xml")
    lot5 = next(a for a in n.awards if a.lot_id == "LOT-0005")
    assert lot5.awarded is False and lot5.winners == ()
    assert "several_buyers" in n.flags


# --------------------------------------------------------------------------------------
# TED R2.0.9
# --------------------------------------------------------------------------------------


def test_ted_f02_in_french():
    # 20-162034-001-EXP.xml — F02_2014 ORIGINAL LG="FR" (and an original in German):
    # OFFICIALNAME Armasuisse…, CPV_MAIN 32250000, NUTS CH0, PT_OPEN, DATE_RECEIPT_TENDERS
    # 2020-05-25 (no time), TYPE_CONTRACT SUPPLIES, DATE_PUB 20200403.
    n = only(TED_R209 / "20-162034-001-EXP.xml")
    assert (n.source_id, n.form_type, n.kind, n.language) == ("160552-2020", "F02", "competition", "fr")
    assert n.title == "Testeur de radiocommunication LTE pour 3.9G et 4.xG"
    assert n.buyer_name == "Armasuisse Kompetenzbereich Einkauf und Kooperationen CC WTO"
    assert n.buyer_country == "CH"
    assert n.cpv == "32250000" and n.contract_nature == "Fournitures"
    assert n.place_nuts == "CH0" and n.place_department is None
    assert n.procedure == "Appel d'offres ouvert" and n.procedure_code == "PT_OPEN"
    assert (n.deadline_date, n.deadline_time, n.deadline_at) == (date(2020, 5, 25), None, None)
    assert n.publication_date == date(2020, 4, 3)
    assert n.notice_url == "http://ted.europa.eu/udl?uri=TED:NOTICE:160552-2020:TEXT:FR:HTML"


def test_ted_french_buyer_contract_notice():
    # 19-090974-001-EXP.xml — F21 NOTICE TYPE="CONTRACT"; EPS Paul Guiraud (Villejuif, NUTS
    # FR107); OBJECT_DESCR NUTS FR105 (Hauts-de-Seine); CPV 55321000; DATE_RECEIPT_TENDERS
    # 2019-03-22, TIME_RECEIPT_TENDERS 15:00 (local time); DATE_PUB 20190226.
    n = only(TED_R209 / "19-090974-001-EXP.xml")
    assert (n.source_id, n.form_type, n.kind) == ("091489-2019", "F21", "competition")
    assert n.buyer_name == "EPS Paul Guiraud" and n.buyer_siret is None
    assert (n.buyer_nuts, n.buyer_postcode) == ("FR107", "94806")
    assert n.cpv == "55321000"
    assert (n.place_nuts, n.place_department, n.place_region) == ("FR105", "92", "11")
    assert n.deadline_at == datetime(2019, 3, 22, 15, tzinfo=PARIS)
    assert n.publication_date == date(2019, 2, 26)
    assert n.buyer_profile_url == "http://www.klekoon.com"


def test_ted_award_to_a_group():
    # 18-412273-001-EXP.xml — F06, AWARD_CONTRACT ITEM="1": LOT_NO 1, AWARDED_TO_GROUP,
    # Eiffage route mediterranée (mandataire) NATIONALID 39876221100298, Gagneraud
    # Construction (cotraitant) 40268299100102, VAL_TOTAL 4625137.40 EUR,
    # DATE_CONCLUSION_CONTRACT 2018-08-23, NB_TENDERS_RECEIVED 5.
    n = only(TED_R209 / "18-412273-001-EXP.xml")
    assert n.kind == "award" and len(n.awards) == 5
    award = n.awards[0]
    assert award.lot_id == "1" and award.contract_id == "18.008.1" and award.title == "Infrastructures"
    assert award.joint is True
    assert [(w.name, w.siret, w.sme) for w in award.winners] == [
        ("Eiffage route mediterranée (mandataire)", "39876221100298", False),
        ("Gagneraud Construction (cotraitant)", "40268299100102", False),
    ]
    assert (award.value, award.currency) == (Decimal("4625137.40"), "EUR")
    assert award.award_date == date(2018, 8, 23) and award.tenders_received == 5


def test_ted_buyer_siret_with_bad_check_digit():
    # 19-318420-001-EXP.xml — F25, Mairie de Niort, NATIONALID 21790131700013 (Luhn fails).
    n = only(TED_R209 / "19-318420-001-EXP.xml")
    assert n.buyer_siret == "21790131700013" and "siret_checksum" in n.flags
    assert n.procedure == "Procédure d'attribution de concession"


def test_ted_french_siren_is_not_a_siret():
    # 20-271232-001-EXP.xml — F07, SNCF, NATIONALID "552 049 447" (a SIREN).
    n = only(TED_R209 / "20-271232-001-EXP.xml")
    assert n.buyer_siret is None and n.buyer_legal_id == "552 049 447"
    assert "siret_malformed" in n.flags


def test_ted_corrigendum_new_deadline():
    # 23-119901-001-EXP.xml — F14, CHANGE on section IV.2.2): 2023-02-28 17:00 → 2023-03-03
    # 17:00; NOTICE_NUMBER_OJ 2022/S 098-267307.
    n = only(TED_R209 / "23-119901-001-EXP.xml")
    assert n.kind == "correction"
    assert (n.deadline_date, n.deadline_time) == (date(2023, 3, 3), time(17))
    assert n.related_notice_id == "2022/S 098-267307"


def test_ted_gzipped_notice_with_translations():
    # 20-168879-001-EXP.xml.gz — F03 in Romanian, with translations dropped while reading.
    n = only(TED_R209 / "20-168879-001-EXP.xml.gz")
    assert n.raw_ref.file == "20-168879-001-EXP.xml.gz:20-168879-001-EXP.xml"
    assert n.form_type == "F03" and n.language == "ro"


# --------------------------------------------------------------------------------------
# BOAMP
# --------------------------------------------------------------------------------------


def test_boamp_call_for_tender_ville_de_paris():
    # test-pub.xml — IDWEB 16-186394; DENOMINATION Ville de Paris; RECEPT_OFFRES
    # 2017-02-07T12:00:00+01:00; two LOT (NUM 1, 2); CPV/PRINCIPAL 50118110; OUVERT;
    # DATE_PUBLICATION 2017-01-01; CRITERES_SOCIAUX_ENV/ENVIRONNEMENTAUX; ADJUDICATEUR_NUTS FR101.
    n = only(BOAMP_XML / "test-pub.xml")
    assert (n.source, n.format, n.source_id, n.kind) == ("boamp", "boamp_v230", "16-186394", "competition")
    assert n.form_type == "JOUE:APPELOFFRE/STANDARD" and n.form_subtype == "DIRECTIVE24"
    assert n.buyer_name == "Ville de Paris" and n.buyer_siret is None
    assert n.deadline_at == datetime(2017, 2, 7, 12, tzinfo=PARIS)
    assert n.deadline_tz == "+01:00" and "deadline_tz_mismatch" not in n.flags
    assert [(lot.id, lot.cpv) for lot in n.lots] == [("1", "50118110"), ("2", "50118110")]
    assert n.lots[0].title == "Prestations de remorquage pour les véhicules légers de la ville de Paris"
    assert n.cpv == "50118110" and n.procedure == "Appel d'offres ouvert"
    assert n.publication_date == date(2017, 1, 1)
    assert n.environmental is True and n.social is False
    assert n.buyer_nuts == "FR101" and n.place_region == "11"
    assert n.buyer_profile_url == "https://marches.maximilien.fr"
    assert n.buyer_reference == "2016V12019350"
    assert n.descriptors == ("Prestations de services",)


def test_boamp_award_winners():
    # test-attribution-12.xml — IDWEB 17-2599; CODE_IDENT_NATIONAL 26830066200015; DECISION
    # NUM_LOT 1: Brake France Service, DATE_ATTRIBUTION 2016-10-20, NB_OFFRE_RECU 3, MONTANT
    # 130000 EUR; NUM_LOT 4: Société de Distribution Avicole Sda, PME_OUI, 45000 EUR.
    n = only(BOAMP_XML / "test-attribution-12.xml")
    assert n.kind == "award" and n.buyer_siret == "26830066200015"
    lot1 = n.awards[0]
    assert (lot1.lot_id, lot1.title) == ("1", "surgelés viande poisson légumes")
    assert [w.name for w in lot1.winners] == ["Brake France Service"] and lot1.winners[0].sme is False
    assert (lot1.value, lot1.currency, lot1.tenders_received) == (Decimal("130000"), "EUR", 3)
    assert lot1.award_date == date(2016, 10, 20)
    lot4 = next(a for a in n.awards if a.lot_id == "4")
    assert lot4.winners[0].name == "Société de Distribution Avicole Sda" and lot4.winners[0].sme is True
    assert lot4.value == Decimal("45000")


def test_boamp_award_to_a_group_and_buyer_siret_from_additional_address():
    # test-attribution-10.xml — one DECISION, mandataire + two co-traitants, MONTANT 348852.
    award = only(BOAMP_XML / "test-attribution-10.xml").awards[0]
    assert len(award.winners) == 3 and award.joint is True and award.value == Decimal("348852")
    # test-pub-8.xml — no CODE_IDENT_NATIONAL in IDENTITE; the additional address of COMMUNE
    # DE CARCANS gives 21330097300129.
    assert only(BOAMP_XML / "test-pub-8.xml").buyer_siret == "21330097300129"


def test_boamp_mapa_award_without_cpv():
    # test-attribution-2.xml — MAPA, no CPV element, descriptor "Etude" only.
    n = only(BOAMP_XML / "test-attribution-2.xml")
    assert n.cpv is None and "no_cpv" in n.flags and n.descriptors == ("Etude",)
    assert n.procedure == "Procédure adaptée"


def test_boamp_json_notice_epoch_dates():
    # 20-152081.json — indexation.datepublication 1607900400000 (2020-12-13T23:00Z),
    # conditiondelai.receptoffres 1614596400000 (2021-03-01T11:00Z = 12:00 in Paris).
    n = only(BOAMP_JSON / "20-152081.json")
    assert (n.format, n.source_id, n.kind) == ("boamp_json", "20-152081", "competition")
    assert n.publication_date == date(2020, 12, 14)
    assert n.deadline_at == datetime(2021, 3, 1, 12, tzinfo=PARIS)
    assert n.deadline_at.timestamp() * 1000 == 1614596400000
    assert n.procedure == "Procédure adaptée" and n.form_type == "MAPA:APPELOFFRE"
    assert n.buyer_name == "Commune de Berre l'Etang" and n.buyer_legal_type == "commune"
    assert n.descriptors == ("Prestations de services", "Spectacle")


def test_boamp_summary_entries():
    from tremplin.ingest.notices import read_notices

    notices = {n.source_id: n for n in read_notices(BOAMP_JSON / "ad_summary_34_notices.json")}
    # "20-149466": ["AOO 2020-069- Fourniture de carbutant", "Fourniture de carburants", "2021-01-11 22:00:00"]
    n = notices["20-149466"]
    assert isinstance(n, Notice) and n.format == "boamp_summary"
    assert n.buyer_reference == "AOO 2020-069- Fourniture de carbutant"
    assert n.title == "Fourniture de carburants"
    assert n.deadline_at == datetime(2021, 1, 11, 22, tzinfo=PARIS)
    assert n.raw_ref.position == 'summary["20-149466"]'
    # "20-152081": ["None", …] — the string "None" means no reference.
    assert notices["20-152081"].buyer_reference is None


@pytest.mark.parametrize("name", ["test-pub.xml", "test-attribution-12.xml"])
def test_raw_ref(name):
    assert only(BOAMP_XML / name).raw_ref.file == name
