"""The page of one awarded contract (/marches/<key>/), read from the database."""

from django.http import Http404
from django.shortcuts import render

from tremplin.contracts.api import contract_data, contract_detail_queryset
from tremplin.contracts.territory import BUYER, EXECUTION
from tremplin.observatory.exports import flag_codes, procurement_method
from tremplin.referentials.models import CpvCode, Department, Region


def detail(request, key: str):
    contract = contract_detail_queryset().filter(key=key).first()
    if contract is None:
        raise Http404("Marché inconnu.")
    data = contract_data(contract)
    department = Department.objects.filter(code=contract.territory_department).first()
    region = Region.objects.filter(code=contract.territory_region).first()
    cpv = CpvCode.objects.filter(code=contract.cpv).first() if contract.cpv else None
    holders = list(contract.holders.all())
    context = {
        "contract": contract,
        "data": data,
        "department": department,
        "region": region,
        "cpv": cpv,
        "initial_holders": [h for h in holders if h.is_initial],
        "later_holders": [h for h in holders if not h.is_initial],
        "modifications": list(contract.modifications.all()),
        "flags": list(zip(contract.flags or [], flag_codes(contract.flags), strict=True)),
        "territory_from_execution": contract.territory_source == EXECUTION,
        "territory_from_buyer": contract.territory_source == BUYER,
        "procurement_method": procurement_method(contract.procedure),
        "api_url": f"/api/v1/contracts/{key}",
    }
    return render(request, "contracts/detail.html", context)
