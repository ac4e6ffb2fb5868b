"""`tremplin import_ted CHEMIN… [--json]`: the work is done by `tremplin.notices.importer`."""

from tremplin.notices.command import NoticeImportCommand


class Command(NoticeImportCommand):
    source = "ted"
    formats = "TED"
    help = (
        "Importe des avis du TED (Journal officiel de l'Union européenne) : eForms (XML UBL) et TED XML R2.0.9 ; "
        "fichiers simples, archives .gz, .tar.gz, .zip ou dossiers. Lecture en flux, import idempotent : une "
        "nouvelle version d'un avis eForms remplace l'ancienne, relancé sur les mêmes fichiers il ne crée ni ne "
        "modifie rien. Les avis inexploitables sont conservés (avis rejetés) avec leur motif et le début de leur "
        "contenu."
    )
