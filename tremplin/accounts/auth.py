"""API authentication: a bearer token (ApiToken), or the Django session with a CSRF check for same-site
browser calls. Failures answer with a French `detail`."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from tremplin.accounts.models import ApiToken, User

INVALID_TOKEN = "Jeton d'API invalide ou révoqué."
MISSING_CREDENTIALS = "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> »."
CSRF_FAILED = "Vérification CSRF échouée : rechargez la page puis réessayez."


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. When the header is absent, a logged-in session is accepted, with
    Django's CSRF check on unsafe methods (a session cookie alone must not allow cross-site writes). A header
    that is present but wrong is refused even if a session exists: the caller meant to use that token."""

    def __call__(self, request: HttpRequest) -> User:
        header = request.headers.get(self.header)
        if header:
            scheme, _, raw = header.partition(" ")
            user = self.authenticate(request, raw.strip()) if scheme.lower() == self.openapi_scheme else None
            if user is None:
                raise AuthenticationError(401, INVALID_TOKEN)
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
                raise HttpError(403, CSRF_FAILED)
            return user
        raise AuthenticationError(401, MISSING_CREDENTIALS)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        return ApiToken.authenticate(token)


token_auth = TokenAuth()
