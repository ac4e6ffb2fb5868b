"""Errors of the supplier-profile use cases; messages are French, ready for the user."""


class ProfileError(ValueError):
    """Input that cannot be saved. `field` names the form field (or API field) at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PermissionDenied(ProfileError):
    """The person may not edit this profile."""
