from ninja import Router

# CSV and OCDS exports of awarded contracts, mounted at /api/v1/exports.
router = Router()
