"""Typed errors: the library raises them, only the CLI turns them into exit codes."""


class KgError(Exception):
    """A failure the user can act on; the message is one line."""


class InputError(KgError):
    """An input file or record could not be read (the batch goes on without it)."""


class UsageError(KgError):
    """The user asked for something that does not exist or is ill-formed (exit 2)."""


class StoreError(KgError):
    """The embedded store could not be opened, read or written."""


class BackendUnavailable(KgError):
    """A database server cannot be reached or refuses the credentials."""


class ReadOnlyViolation(KgError):
    """An ad-hoc query tried to change the graph."""
