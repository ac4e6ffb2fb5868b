"""factory_boy factories for published notices: by default an open call for competition (deadline in 10 days)."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from tremplin.core.text import search_key
from tremplin.notices.models import Notice, NoticeAward, NoticeCpv, NoticeLot, NoticeWinner, RejectedNotice


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice
        skip_postgeneration_save = True

    source = "boamp"
    source_id = factory.Sequence(lambda n: f"24-{100000 + n}")
    publication_number = factory.LazyAttribute(lambda o: o.source_id)
    publication_key = factory.LazyAttribute(lambda o: o.source_id)
    format = "boamp_v230"
    kind = "competition"
    title = factory.Sequence(lambda n: f"Travaux de rénovation de l'école n° {n}")
    search_text = factory.LazyAttribute(lambda o: search_key(f"{o.title} {o.buyer_name}"))
    buyer_name = "Ville de Lyon"
    cpv = "45214200"
    procedure = "Procédure adaptée"
    place_department = "69"
    place_region = "84"
    publication_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    deadline_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=10))
    deadline_date = factory.LazyAttribute(lambda o: timezone.localtime(o.deadline_at).date() if o.deadline_at else None)
    deadline_tz = "Europe/Paris"
    estimated_value = Decimal("250000")
    currency = "EUR"
    notice_url = factory.LazyAttribute(lambda o: f"https://www.boamp.fr/pages/avis/?q=idweb:{o.source_id}")
    strategic_details = factory.LazyFunction(list)
    raw_file = factory.Sequence(lambda n: f"avis-{n}.xml")
    content_hash = factory.Sequence(lambda n: hashlib.sha1(f"notice-{n}".encode()).hexdigest())

    @factory.post_generation
    def cpv_codes(obj, create, extracted, **kwargs):
        """The CPV index rows: the main code, plus ``cpv_codes=[...]`` additional ones."""
        if not create:
            return
        codes = [obj.cpv] if obj.cpv else []
        codes += [code for code in (extracted or []) if code not in codes]
        NoticeCpv.objects.bulk_create(
            [NoticeCpv(notice=obj, code=code, is_main=code == obj.cpv) for code in codes], ignore_conflicts=True
        )


class NoticeLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeLot

    notice = factory.SubFactory(NoticeFactory)
    position = factory.Sequence(int)
    lot_ref = factory.LazyAttribute(lambda o: str(o.position + 1))
    title = factory.Sequence(lambda n: f"Lot {n}")
    cpv = "45214200"


class NoticeAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeAward

    notice = factory.SubFactory(NoticeFactory, kind="award", deadline_at=None, deadline_date=None)
    position = factory.Sequence(int)
    awarded = True
    value = Decimal("120000")
    currency = "EUR"


class NoticeWinnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeWinner

    award = factory.SubFactory(NoticeAwardFactory)
    position = factory.Sequence(int)
    name = "Menuiserie Solidaire du Rhône"


class RejectedNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RejectedNotice

    source = "ted"
    file = factory.Sequence(lambda n: f"INVALID_{n}.xml")
    reason_code = "missing_id"
    reason = "Identifiant de l'avis absent : avis eForms sans identifiant (cbc:ID)."
    excerpt = '<?xml version="1.0"?><ContractNotice/>'
