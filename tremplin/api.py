"""API v1: one NinjaAPI instance; each app contributes a router from its own api.py."""

from ninja import NinjaAPI

from tremplin.accounts.api import router as accounts_router
from tremplin.alerts.api import router as alerts_router
from tremplin.carbon.api import router as carbon_router
from tremplin.clauses.api import router as clauses_router
from tremplin.contracts.api import router as contracts_router
from tremplin.ingest.api import router as quality_router
from tremplin.interests.api import router as interests_router
from tremplin.matching.api import router as matching_router
from tremplin.matching.inclusive_api import router as inclusive_router
from tremplin.mediation.api import router as mediation_router
from tremplin.notices.api import router as notices_router
from tremplin.observatory.api import router as observatory_router
from tremplin.observatory.exports_api import router as exports_router
from tremplin.opportunities.api import router as opportunities_router
from tremplin.organisations.api import router as organisations_router
from tremplin.payments.api import router as payments_router
from tremplin.referentials.api import router as referentials_router
from tremplin.suppliers.api import router as suppliers_router

api = NinjaAPI(
    title="Tremplin API",
    version="1",
    description=(
        "API publique de Tremplin (commande publique). Lecture libre ; les écritures demandent un jeton "
        "(en-tête `Authorization: Bearer <jeton>`), créé depuis « Mon compte » ou par "
        "`tremplin create_api_token EMAIL`."
    ),
    urls_namespace="api-v1",
)
api.add_router("/referentials", referentials_router, tags=["Référentiels"])
api.add_router("/organisations", organisations_router, tags=["Organisations"])
api.add_router("/accounts", accounts_router, tags=["Comptes"])
api.add_router("/contracts", contracts_router, tags=["Marchés attribués"])
api.add_router("/observatory", observatory_router, tags=["Observatoire"])
api.add_router("/exports", exports_router, tags=["Exports"])
api.add_router("/quality", quality_router, tags=["Qualité des données"])
api.add_router("/payments", payments_router, tags=["Délais de paiement"])
api.add_router("/opportunities", opportunities_router, tags=["Prévisions d'achat"])
api.add_router("/notices", notices_router, tags=["Avis publiés"])
api.add_router("/suppliers", suppliers_router, tags=["Profils fournisseurs"])
api.add_router("/mediation", mediation_router, tags=["Médiation"])
api.add_router("/matching", matching_router, tags=["Correspondances"])
api.add_router("/matching/inclusion", inclusive_router, tags=["Correspondances"])
api.add_router("/interests", interests_router, tags=["Intérêts et messages"])
api.add_router("/alerts", alerts_router, tags=["Recherches enregistrées"])
api.add_router("/clauses", clauses_router, tags=["Clauses d'achat responsable"])
api.add_router("/carbon", carbon_router, tags=["Estimations carbone"])
