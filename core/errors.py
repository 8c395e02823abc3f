class DomainError(Exception):
    """A rule of the domain refused the change; the message is for the user."""
