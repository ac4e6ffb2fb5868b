"""`tremplin create_api_token EMAIL [--name NAME]`: issue an API token and print it once."""

from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un utilisateur existant et l'affiche une seule fois (il est stocké haché)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse e-mail du compte")
        parser.add_argument("--name", default="Jeton créé en ligne de commande", help="nom du jeton")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte n'existe avec l'adresse {email}.")
        if not user.is_active:
            raise CommandError(f"Le compte {user.email} est désactivé : un jeton ne servirait à rien.")
        name = name.strip()
        if not name:
            raise CommandError("Le nom du jeton ne peut pas être vide.")
        token, raw = ApiToken.issue(user, name[:100])
        # The token alone on stdout, so that scripts can capture it; the advice goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(
            f"Jeton « {token.name} » créé pour {user.email}. Conservez-le maintenant : il ne sera plus affiché.",
            style_func=self.style.WARNING,
        )
