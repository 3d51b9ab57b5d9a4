"""Error classes raised by the vault and the journal.

Each class maps to one calm, translated message (``message_key``) and one CLI exit code, so
the CLI and the TUI never have to look inside an exception to tell the user what happened.
Messages never include vault contents.
"""

from __future__ import annotations


class SelfcheckError(Exception):
    """Base of every error the store raises on purpose."""

    #: Key in the i18n catalogs for the one-line message shown to the user.
    message_key = "error.generic"
    #: Exit code of the CLI (DESIGN.md §7).
    exit_code = 1


class VaultError(SelfcheckError):
    """Something about the vault file or its keys."""


class BadFormat(VaultError):
    """The file is not a selfcheck vault at all (wrong magic, impossible structure)."""

    message_key = "error.bad_format"
    exit_code = 4


class UnsupportedVersion(VaultError):
    """The vault was written by a newer, incompatible version of selfcheck."""

    message_key = "error.unsupported_version"
    exit_code = 4


class Corrupted(VaultError):
    """The header is damaged: checksum, lengths or parameters do not hold."""

    message_key = "error.corrupted"
    exit_code = 4


class PayloadCorrupted(VaultError):
    """The key unwrapped but the encrypted contents do not authenticate: damaged data."""

    message_key = "error.payload_corrupted"
    exit_code = 4


class WrongPassphrase(VaultError):
    """No key slot opens with the given passphrase or recovery key."""

    message_key = "error.wrong_passphrase"
    exit_code = 3


class VaultInUse(VaultError):
    """Another selfcheck process holds the vault lock."""

    message_key = "error.vault_in_use"
    exit_code = 5


class ChangedOnDisk(VaultError):
    """The vault file changed behind our back since it was loaded; we refuse to overwrite it."""

    message_key = "error.changed_on_disk"
    exit_code = 1


class VaultMissing(VaultError):
    """There is no vault in the data directory yet."""

    message_key = "error.vault_missing"
    exit_code = 1


class VaultExists(VaultError):
    """``init`` was asked to create a vault where one already exists."""

    message_key = "error.vault_exists"
    exit_code = 1


class WriteFailed(VaultError):
    """Saving failed (disk full, permissions, ...). Nothing was changed on disk or in memory."""

    message_key = "error.write_failed"
    exit_code = 1


class NeedsPassphrase(VaultError):
    """A new recovery key needs the passphrase slot's key, which this session does not hold (the
    vault was opened with the recovery key): set a new passphrase first."""

    message_key = "error.needs_passphrase"
    exit_code = 1


class WeakKdf(VaultError):
    """Requested KDF parameters are below the floor the writer accepts."""

    message_key = "error.weak_kdf"
    exit_code = 2


class Locked(SelfcheckError):
    """The journal was locked (key and data dropped); unlock before using it."""

    message_key = "error.locked"
    exit_code = 1


class ImportFailed(SelfcheckError):
    """An import file is not valid selfcheck JSON; nothing was imported."""

    message_key = "error.import_failed"
    exit_code = 1

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        #: Where the problem is, e.g. ``study[3].date``; shown after the message.
        self.detail = detail


class NotFound(SelfcheckError):
    """No record with the given id."""

    message_key = "error.not_found"
    exit_code = 1
