"""factory_boy factories for awarded contracts (DECP): sources, files, contracts, holders, modifications."""

import datetime
import hashlib
from decimal import Decimal

import factory

from tests.factories import BuyerFactory
from tremplin.contracts.models import Contract, ContractHolder, ContractModification, Source, SourceFile


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = "decp-test"


class SourceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceFile

    source = factory.SubFactory(SourceFactory)
    name = factory.Sequence(lambda n: f"decp-{n}.json")
    fingerprint = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    status = SourceFile.Status.DONE


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract notified by a buyer; its uid is the buyer's SIRET + its id, its key the uid + a short hash."""

    class Meta:
        model = Contract
        django_get_or_create = ("key",)

    buyer = factory.SubFactory(BuyerFactory)
    decp_id = factory.Sequence(lambda n: f"2024{n:06d}")
    buyer_identifier = factory.LazyAttribute(lambda o: o.buyer.siret if o.buyer else "")
    buyer_name = factory.LazyAttribute(lambda o: o.buyer.name.upper() if o.buyer else "")
    uid = factory.LazyAttribute(lambda o: f"{o.buyer_identifier}{o.decp_id}")
    key = factory.LazyAttribute(lambda o: f"{o.uid}-{hashlib.sha1(o.uid.encode()).hexdigest()[:6]}")
    nature = "Marché"
    object = factory.Sequence(lambda n: f"Travaux de rénovation, lot {n}")
    cpv = "45210000"
    procedure = "Procédure adaptée"
    notification_date = datetime.date(2024, 3, 15)
    publication_date = factory.LazyAttribute(lambda o: o.notification_date)
    amount_initial = Decimal("100000.00")
    amount_current = factory.LazyAttribute(lambda o: o.amount_initial)
    duration_initial = 12
    duration_current = factory.LazyAttribute(lambda o: o.duration_initial)
    offers_received = 3
    format = "2022"
    source_file = factory.SubFactory(SourceFileFactory)
    source_position = factory.Sequence(lambda n: f"marches[{n}]")
    content_hash = factory.Sequence(lambda n: hashlib.sha1(f"contract-{n}".encode()).hexdigest())


class ContractHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractHolder

    contract = factory.SubFactory(ContractFactory)
    organisation = None
    id_type = "SIRET"
    identifier = factory.LazyAttribute(lambda o: o.organisation.siret if o.organisation else "")
    name = factory.LazyAttribute(lambda o: o.organisation.name.upper() if o.organisation else "")
    position = factory.Sequence(lambda n: n)


class ContractModificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractModification

    contract = factory.SubFactory(ContractFactory)
    seq = factory.Sequence(lambda n: n + 1)
    notification_date = datetime.date(2024, 9, 1)
    publication_date = datetime.date(2024, 9, 15)
    object = "Avenant n° 1 : travaux supplémentaires"
    amount = Decimal("120000.00")
