from ninja import Router

# Data-quality ledger of the imports, mounted at /api/v1/quality.
router = Router()
