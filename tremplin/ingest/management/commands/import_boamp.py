"""`tremplin import_boamp CHEMIN… [--json]`: the work is done by `tremplin.notices.importer`."""

from tremplin.notices.command import NoticeImportCommand


class Command(NoticeImportCommand):
    source = "boamp"
    formats = "BOAMP"
    help = (
        "Importe des avis du BOAMP : XML (schéma v230), JSON de l'ancienne API de la DILA, fichiers de résumés "
        "d'avis ; fichiers simples, archives .gz, .tar.gz, .zip ou dossiers. Lecture en flux, import idempotent : "
        "relancé sur les mêmes fichiers, il ne crée ni ne modifie rien. Les avis inexploitables sont conservés "
        "(avis rejetés) avec leur motif et le début de leur contenu."
    )
