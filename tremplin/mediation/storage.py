"""Where mediation documents are kept: under MEDIA_ROOT, at random paths, with no public URL. They are served
only by the download view, which checks who is asking (tremplin.policy)."""

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateFileStorage(FileSystemStorage):
    """MEDIA_ROOT (read when used, so that tests can move it), but `url()` refuses: a template or a serializer that
    tried to link a document directly would fail loudly instead of exposing it."""

    def url(self, name):
        raise ValueError("Les pièces de médiation n'ont pas d'adresse publique : passez par la vue de téléchargement.")
