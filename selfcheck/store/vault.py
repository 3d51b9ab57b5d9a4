"""The encrypted vault file: format, key hierarchy and the crash-safe write path.

Design: ``../shared/domain/vault-research.md`` §6 and DESIGN.md §4. In short::

    passphrase --NFC/UTF-8--> Argon2id(salt, t, m, p) = KEK --AES-256-GCM wrap--> DEK (random, 256 bit)
    recovery key (256 bit) --HKDF--> KEK_r ------------------AES-256-GCM wrap--> the same DEK
    DEK --HKDF(fresh salt per save)--> payload key --AES-256-GCM(AD = whole header)--> payload

File layout (big-endian, fixed, canonical; the reader rejects anything else)::

    magic 8 | major u16 | minor u16 | vault_id 16 | save_counter u64 | cipher u8 | slot_count u8
    | slots ... | payload_salt 32 | payload_nonce 12 | payload_len u64 | header_sha256 32
    | ciphertext (payload_len bytes) | EOF

Each slot: ``type u8 | params | salt 16 | wrap_nonce 12 | wrapped_dek 48`` where params are
``t u32, m_kib u32, p u32`` (Argon2id), ``log_n u8, r u32, p u32`` (scrypt) or nothing (recovery).

No Textual and no Rich here: this module is imported by the CLI and by tests in isolation.
"""

from __future__ import annotations

import base64
import os
import struct
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import (
    BadFormat,
    ChangedOnDisk,
    Corrupted,
    NeedsPassphrase,
    PayloadCorrupted,
    UnsupportedVersion,
    VaultError,
    VaultExists,
    VaultMissing,
    WeakKdf,
    WriteFailed,
    WrongPassphrase,
)

MAGIC = b"\x89SVLT\r\n\x1a"
FORMAT_MAJOR = 1
FORMAT_MINOR = 0
CIPHER_AES256GCM = 1

SLOT_ARGON2ID = 1
SLOT_SCRYPT = 2
SLOT_RECOVERY = 3

SALT_LEN = 16
NONCE_LEN = 12
DEK_LEN = 32
WRAPPED_LEN = DEK_LEN + 16
PAYLOAD_SALT_LEN = 32
HASH_LEN = 32
MAX_SLOTS = 4
MAX_PAYLOAD = 256 * 1024 * 1024

#: Reader caps, checked before any KDF runs: a hostile header costs at most one key derivation
#: at what this app itself writes at most (Argon2id t=3, p=4, 1 GiB: about 3 s on two cores),
#: never minutes. The writer never exceeds them (``KdfParams.for_memory``: t ≤ 3, p ≤ 4).
ARGON2_MAX_T = 3
ARGON2_MAX_P = 4
ARGON2_MAX_M_KIB = 1024 * 1024
SCRYPT_MIN_LOG_N = 14
SCRYPT_MAX_LOG_N = 20  # 1 GiB with r = 8 (the writer uses 2^17)
#: The writer keeps one passphrase slot (a change replaces it); more is refused as damage, so a
#: hostile file cannot make the reader run the slow KDF several times.
MAX_PASSPHRASE_SLOTS = 1

#: Writer floor for passphrase slots (OWASP: Argon2id m=19 MiB, t=2, p=1).
FLOOR_M_KIB = 19 * 1024
FLOOR_T = 2

PLAINTEXT_MAGIC = b"SVLTJSON"
PLAINTEXT_VERSION = 1
PAD_BLOCK = 4096

PAYLOAD_INFO = b"selfcheck/v1 payload"
RECOVERY_INFO = b"selfcheck/v1 recovery-slot"


LOCK_NAME = "vault.lock"
BACKUP_DIR = "backups"
#: Changes kept from a refused save, sealed like the vault (see :mod:`selfcheck.store.kept`).
KEPT_DIR = "kept"
BACKUP_SUFFIX = ".scv"
TMP_PREFIX = ".vault."
TMP_SUFFIX = ".tmp"
DEFAULT_BACKUPS_KEPT = 10

_FIXED_HEAD = struct.Struct(">8sHH16sQBB")
_ARGON2_PARAMS = struct.Struct(">III")
_SCRYPT_PARAMS = struct.Struct(">BII")
_PAYLOAD_TAIL = struct.Struct(">32s12sQ")


def _sha256(data: bytes) -> bytes:
    """SHA-256 through ``cryptography``, loaded already (``hashlib`` would add 5 ms to a CLI start)."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    return digest.finalize()


def _no_fault(step: str) -> None:
    """Default fault hook: does nothing. Tests replace ``vault._fault`` to crash at a step."""


#: Called at each step of a save with the step's name; tests inject crashes here.
_fault: Callable[[str], None] = _no_fault


# --------------------------------------------------------------------------- KDF parameters


@dataclass(frozen=True)
class KdfParams:
    """Parameters of a passphrase key slot: Argon2id (``t``, ``m_kib``, ``p``) or scrypt."""

    kind: str = "argon2id"
    t: int = 3
    m_kib: int = 256 * 1024
    p: int = 4
    log_n: int = 17
    r: int = 8

    @classmethod
    def default(cls) -> KdfParams:
        """The production default: Argon2id t=3, p=4, m=256 MiB (scrypt N=2^17 without Argon2)."""
        if not argon2_supported():
            return cls(kind="scrypt", log_n=17, r=8, p=1)
        return cls()

    @classmethod
    def for_memory(cls, mib: int) -> KdfParams:
        """Argon2id with ``mib`` MiB: RFC 9106's t=3, p=4 from 64 MiB, OWASP's t=2, p=1 below.

        Raises :class:`WeakKdf` under the 19 MiB floor or over the reader's 1 GiB cap.
        """
        if mib * 1024 < FLOOR_M_KIB or mib * 1024 > ARGON2_MAX_M_KIB:
            raise WeakKdf(f"kdf memory {mib} MiB")
        if not argon2_supported():
            return cls(kind="scrypt", log_n=17, r=8, p=1)
        if mib >= 64:
            return cls(t=3, m_kib=mib * 1024, p=4)
        return cls(t=FLOOR_T, m_kib=mib * 1024, p=1)

    def meets_floor(self) -> bool:
        """True when these parameters are at or above the writer floor (OWASP minimums)."""
        if self.kind == "scrypt":
            return self.log_n >= 17 and self.r == 8 and self.p >= 1
        return self.m_kib >= FLOOR_M_KIB and self.t >= FLOOR_T and self.p >= 1


def argon2_supported() -> bool:
    """Whether this build of ``cryptography`` (and its OpenSSL) offers Argon2id."""
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:
        return False
    try:
        Argon2id(salt=b"\0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"x")
    except UnsupportedAlgorithm:
        return False
    return True


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalise and encode a passphrase, so the same text typed on any OS opens the vault."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(secret: bytes, slot: Slot) -> bytes:
    """Derive the key-encryption key of ``slot`` from a passphrase (slow KDF) or a recovery key."""
    if slot.kind == SLOT_ARGON2ID:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=slot.salt, length=32, iterations=slot.kdf.t, lanes=slot.kdf.p, memory_cost=slot.kdf.m_kib
        ).derive(secret)
    if slot.kind == SLOT_SCRYPT:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=slot.salt, length=32, n=1 << slot.kdf.log_n, r=slot.kdf.r, p=slot.kdf.p).derive(secret)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=slot.salt, info=RECOVERY_INFO).derive(secret)


# --------------------------------------------------------------------------- recovery key

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_B32, _CROCKFORD)
_FROM_CROCKFORD = str.maketrans(_CROCKFORD + "OIL", _B32 + "AB" + "B")


def format_recovery_key(key: bytes) -> str:
    """Render 32 random bytes plus a 3-byte checksum as 7 groups of 8 Crockford base32 characters."""
    checksum = _sha256(b"selfcheck-recovery" + key)[:3]
    text = base64.b32encode(key + checksum).decode("ascii").translate(_TO_CROCKFORD)
    return "-".join(text[i : i + 8] for i in range(0, len(text), 8))


def parse_recovery_key(text: str) -> bytes:
    """Parse a recovery key as typed (any case, spaces or dashes, O/I/L read as 0/1/1).

    Raises :class:`WrongPassphrase` when it is malformed or its checksum does not match.
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    if len(cleaned) != 56 or any(ch not in _CROCKFORD + "OIL" for ch in cleaned):
        raise WrongPassphrase("malformed recovery key")
    raw = base64.b32decode(cleaned.translate(_FROM_CROCKFORD))
    key, checksum = raw[:32], raw[32:]
    if _sha256(b"selfcheck-recovery" + key)[:3] != checksum:
        raise WrongPassphrase("recovery key checksum")
    return key


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class Slot:
    """One key slot: how to derive a KEK, and the DEK wrapped under it."""

    kind: int
    kdf: KdfParams
    salt: bytes
    wrap_nonce: bytes
    wrapped_dek: bytes

    def prefix(self) -> bytes:
        """Type, parameters and salt: the bytes bound into the wrap's associated data."""
        if self.kind == SLOT_ARGON2ID:
            params = _ARGON2_PARAMS.pack(self.kdf.t, self.kdf.m_kib, self.kdf.p)
        elif self.kind == SLOT_SCRYPT:
            params = _SCRYPT_PARAMS.pack(self.kdf.log_n, self.kdf.r, self.kdf.p)
        else:
            params = b""
        return bytes([self.kind]) + params + self.salt

    def to_bytes(self) -> bytes:
        """Serialised slot."""
        return self.prefix() + self.wrap_nonce + self.wrapped_dek

    @property
    def is_passphrase(self) -> bool:
        """True for Argon2id and scrypt slots."""
        return self.kind in (SLOT_ARGON2ID, SLOT_SCRYPT)


@dataclass(frozen=True)
class Header:
    """Everything before the ciphertext; all of it is the payload's associated data."""

    vault_id: bytes
    save_counter: int
    slots: tuple[Slot, ...]
    payload_salt: bytes
    payload_nonce: bytes
    payload_len: int
    major: int = FORMAT_MAJOR
    minor: int = FORMAT_MINOR
    cipher: int = CIPHER_AES256GCM

    def body(self) -> bytes:
        """Header bytes without the trailing SHA-256."""
        head = _FIXED_HEAD.pack(
            MAGIC, self.major, self.minor, self.vault_id, self.save_counter, self.cipher, len(self.slots)
        )
        slots = b"".join(slot.to_bytes() for slot in self.slots)
        tail = _PAYLOAD_TAIL.pack(self.payload_salt, self.payload_nonce, self.payload_len)
        return head + slots + tail

    def to_bytes(self) -> bytes:
        """Serialised header including its SHA-256."""
        body = self.body()
        return body + _sha256(body)

    def wrap_ad(self, slot: Slot) -> bytes:
        """Associated data for wrapping the DEK in ``slot``: binds it to this vault and slot."""
        return MAGIC + struct.pack(">HH", self.major, self.minor) + self.vault_id + slot.prefix()


def _check_kdf_bounds(kind: int, kdf: KdfParams) -> None:
    if kind == SLOT_ARGON2ID:
        ok = 1 <= kdf.t <= ARGON2_MAX_T and 1 <= kdf.p <= ARGON2_MAX_P and 8 * kdf.p <= kdf.m_kib <= ARGON2_MAX_M_KIB
    else:
        ok = SCRYPT_MIN_LOG_N <= kdf.log_n <= SCRYPT_MAX_LOG_N and kdf.r == 8 and kdf.p == 1
    if not ok:
        raise Corrupted("kdf parameters out of bounds")


def _truncated(what: str) -> Corrupted:
    """A :class:`Corrupted` that says the file ends too early (a copy or sync cut it short)."""
    exc = Corrupted(what)
    exc.message_key = "error.truncated"
    return exc


def parse_vault(data: bytes) -> tuple[Header, bytes]:
    """Parse a vault file strictly; return its header and ciphertext.

    Raises only :class:`BadFormat`, :class:`UnsupportedVersion` or :class:`Corrupted`. Every
    length, count and KDF parameter is checked here, before any KDF can run.
    """
    header, pos = parse_header(data, whole_file=True)
    return header, data[pos:]


def parse_header(data: bytes, *, whole_file: bool = False) -> tuple[Header, int]:
    """Parse the header at the start of ``data`` strictly; return it and where the ciphertext
    starts. With ``whole_file`` the payload length must match what follows exactly."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise BadFormat("not a selfcheck vault")
    if len(data) < _FIXED_HEAD.size:
        raise _truncated("truncated header")
    _, major, minor, vault_id, counter, cipher, slot_count = _FIXED_HEAD.unpack_from(data, 0)
    if major != FORMAT_MAJOR:
        raise UnsupportedVersion(f"format {major}.{minor}")
    if cipher != CIPHER_AES256GCM or not 1 <= slot_count <= MAX_SLOTS:
        raise Corrupted("bad cipher or slot count")
    pos = _FIXED_HEAD.size
    slots = []
    for _ in range(slot_count):
        if pos >= len(data):
            raise _truncated("truncated slot")
        kind = data[pos]
        pos += 1
        if kind == SLOT_ARGON2ID:
            if pos + _ARGON2_PARAMS.size > len(data):
                raise _truncated("truncated slot")
            t, m_kib, p = _ARGON2_PARAMS.unpack_from(data, pos)
            kdf = KdfParams(kind="argon2id", t=t, m_kib=m_kib, p=p)
            pos += _ARGON2_PARAMS.size
        elif kind == SLOT_SCRYPT:
            if pos + _SCRYPT_PARAMS.size > len(data):
                raise _truncated("truncated slot")
            log_n, r, p = _SCRYPT_PARAMS.unpack_from(data, pos)
            kdf = KdfParams(kind="scrypt", log_n=log_n, r=r, p=p)
            pos += _SCRYPT_PARAMS.size
        elif kind == SLOT_RECOVERY:
            kdf = KdfParams(kind="recovery")
        else:
            raise Corrupted("unknown slot type")
        if kind != SLOT_RECOVERY:
            _check_kdf_bounds(kind, kdf)
        end = pos + SALT_LEN + NONCE_LEN + WRAPPED_LEN
        if end > len(data):
            raise _truncated("truncated slot")
        salt = data[pos : pos + SALT_LEN]
        nonce = data[pos + SALT_LEN : pos + SALT_LEN + NONCE_LEN]
        wrapped = data[pos + SALT_LEN + NONCE_LEN : end]
        slots.append(Slot(kind, kdf, salt, nonce, wrapped))
        pos = end
    if sum(1 for slot in slots if slot.kind != SLOT_RECOVERY) > MAX_PASSPHRASE_SLOTS:
        raise Corrupted("more than one passphrase slot")
    if pos + _PAYLOAD_TAIL.size + HASH_LEN > len(data):
        raise _truncated("truncated header")
    payload_salt, payload_nonce, payload_len = _PAYLOAD_TAIL.unpack_from(data, pos)
    pos += _PAYLOAD_TAIL.size
    digest = data[pos : pos + HASH_LEN]
    if _sha256(data[:pos]) != digest:
        raise Corrupted("header checksum mismatch")
    pos += HASH_LEN
    if not 16 <= payload_len <= MAX_PAYLOAD:
        raise Corrupted("payload length out of range")
    if whole_file and len(data) - pos < payload_len:
        raise _truncated("payload shorter than its header says")
    if whole_file and len(data) - pos != payload_len:
        raise Corrupted("payload length mismatch")
    if not any(slot.is_passphrase for slot in slots):
        raise Corrupted("no passphrase slot")
    header = Header(
        vault_id=vault_id,
        save_counter=counter,
        slots=tuple(slots),
        payload_salt=payload_salt,
        payload_nonce=payload_nonce,
        payload_len=payload_len,
        major=major,
        minor=minor,
        cipher=cipher,
    )
    return header, pos


# --------------------------------------------------------------------------- payload


def _payload_key(dek: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=PAYLOAD_INFO).derive(dek)


_FRAME_HEAD = PLAINTEXT_MAGIC + struct.pack(">I", PLAINTEXT_VERSION)


def _frame_bounds(framed: bytes | bytearray) -> tuple[int, int]:
    """Where the JSON inside a decrypted frame starts and ends (the padding cut off)."""
    if framed[: len(PLAINTEXT_MAGIC)] != PLAINTEXT_MAGIC or len(framed) < len(PLAINTEXT_MAGIC) + 4:
        raise PayloadCorrupted("bad plaintext frame")
    (version,) = struct.unpack_from(">I", framed, len(PLAINTEXT_MAGIC))
    if version != PLAINTEXT_VERSION:
        raise UnsupportedVersion(f"plaintext {version}")
    start = len(_FRAME_HEAD)
    tail = bytes(framed[max(start, len(framed) - PAD_BLOCK) :])  # the padding is shorter than a block
    return start, len(framed) - (len(tail) - len(tail.rstrip(b" ")))


def _unframe(framed: bytes) -> memoryview:
    """The JSON inside a decrypted frame, as a view (no copy of a payload that may be 20 MB)."""
    start, end = _frame_bounds(framed)
    return memoryview(framed)[start:end]


def open_payload_in_place(header: Header, header_bytes: bytes, ciphertext: memoryview, dek: bytes) -> bytearray:
    """Decrypt and unframe the payload into one new buffer, the JSON alone (the parser then
    consumes it from the end, so the decrypted bytes and the parsed tables are never both
    whole in memory); :class:`PayloadCorrupted` when it does not authenticate."""
    if len(ciphertext) < 16:
        raise PayloadCorrupted("payload does not authenticate")
    size = len(ciphertext) - 16
    decryptor = Cipher(
        algorithms.AES(_payload_key(dek, header.payload_salt)), modes.GCM(header.payload_nonce, bytes(ciphertext[size:]))
    ).decryptor()
    decryptor.authenticate_additional_data(header_bytes)
    framed = bytearray(size + 15)  # update_into wants room for a block less one
    written = decryptor.update_into(ciphertext[:size], framed)
    try:
        decryptor.finalize()
    except InvalidTag:
        raise PayloadCorrupted("payload does not authenticate") from None
    del framed[written:]
    start, end = _frame_bounds(framed)
    del framed[end:]
    del framed[:start]
    return framed


def seal_stream(
    header: Header, dek: bytes, pieces: Iterable[bytes | memoryview], size: int
) -> tuple[Header, bytes, Iterator[bytes]]:
    """Encrypt the plaintext made of ``pieces`` (joined, they are the JSON, ``size`` bytes) under a
    fresh payload key, piece by piece: returns the new header, its bytes, and the file's bytes as
    chunks (the header first, the tag last). No copy of the whole plaintext or ciphertext is made.

    ``header`` supplies the vault id, counter and slots; salt, nonce and length are fresh here.
    """
    size += len(_FRAME_HEAD)
    pad = -size % PAD_BLOCK
    header = replace(
        header,
        payload_salt=os.urandom(PAYLOAD_SALT_LEN),
        payload_nonce=os.urandom(NONCE_LEN),
        payload_len=size + pad + 16,
    )
    head = header.to_bytes()
    key = _payload_key(dek, header.payload_salt)

    def chunks() -> Iterator[bytes]:
        # AES-GCM fed piece by piece gives exactly AESGCM(key).encrypt(nonce, framed, head).
        encryptor = Cipher(algorithms.AES(key), modes.GCM(header.payload_nonce)).encryptor()
        encryptor.authenticate_additional_data(head)
        yield head
        yield encryptor.update(_FRAME_HEAD)
        for piece in pieces:
            yield encryptor.update(piece)
        yield encryptor.update(b" " * pad) + encryptor.finalize() + encryptor.tag

    return header, head, chunks()


def seal(header: Header, dek: bytes, plaintext: bytes | memoryview) -> bytes:
    """Encrypt ``plaintext`` under a fresh payload key; return the complete vault file bytes."""
    return b"".join(seal_stream(header, dek, [plaintext], len(plaintext))[2])


def open_payload(header: Header, header_bytes: bytes, ciphertext: bytes | memoryview, dek: bytes) -> memoryview:
    """Decrypt and unframe the payload (the JSON, as a view); :class:`PayloadCorrupted` when it
    does not authenticate."""
    try:
        framed = AESGCM(_payload_key(dek, header.payload_salt)).decrypt(
            header.payload_nonce, ciphertext, header_bytes
        )
    except InvalidTag:
        raise PayloadCorrupted("payload does not authenticate") from None
    return _unframe(framed)


def _wrap(header: Header, slot: Slot, kek: bytes, dek: bytes) -> Slot:
    nonce = os.urandom(NONCE_LEN)
    wrapped = AESGCM(kek).encrypt(nonce, dek, header.wrap_ad(slot))
    return replace(slot, wrap_nonce=nonce, wrapped_dek=wrapped)


def _new_slot(header: Header, kind: int, kdf: KdfParams, secret: bytes, dek: bytes) -> Slot:
    return _new_slot_kek(header, kind, kdf, secret, dek)[0]


def _new_slot_kek(header: Header, kind: int, kdf: KdfParams, secret: bytes, dek: bytes) -> tuple[Slot, bytes]:
    """A new slot of ``kind`` wrapping ``dek``, and its key-encryption key (kept in memory so the
    slot can wrap the next data key after a rotation without asking for the secret again)."""
    blank = Slot(kind, kdf, os.urandom(SALT_LEN), b"\0" * NONCE_LEN, b"\0" * WRAPPED_LEN)
    kek = derive_kek(secret, blank)
    return _wrap(header, blank, kek, dek), kek


def _passphrase_slot(header: Header, passphrase: str, kdf: KdfParams, dek: bytes) -> Slot:
    return _passphrase_slot_kek(header, passphrase, kdf, dek)[0]


def _passphrase_slot_kek(header: Header, passphrase: str, kdf: KdfParams, dek: bytes) -> tuple[Slot, bytes]:
    if not passphrase:
        raise WeakKdf("empty passphrase")
    kind = SLOT_SCRYPT if kdf.kind == "scrypt" else SLOT_ARGON2ID
    _check_kdf_bounds(kind, kdf)
    return _new_slot_kek(header, kind, kdf, normalise_passphrase(passphrase), dek)


def unwrap_dek(header: Header, *, passphrase: str | None = None, recovery_key: str | None = None) -> bytearray:
    """Try every matching slot; return the DEK or raise :class:`WrongPassphrase`."""
    return unwrap(header, passphrase=passphrase, recovery_key=recovery_key)[0]


def unwrap(
    header: Header, *, passphrase: str | None = None, recovery_key: str | None = None
) -> tuple[bytearray, Slot, bytes]:
    """Try every matching slot; return the DEK, the slot that opened and its key-encryption key,
    or raise :class:`WrongPassphrase`."""
    if recovery_key is not None:
        secret = parse_recovery_key(recovery_key)
        kinds: Iterable[int] = (SLOT_RECOVERY,)
    else:
        secret = normalise_passphrase(passphrase or "")
        kinds = (SLOT_ARGON2ID, SLOT_SCRYPT)
    for slot in header.slots:
        if slot.kind not in kinds:
            continue
        kek = derive_kek(secret, slot)
        try:
            dek = bytearray(AESGCM(kek).decrypt(slot.wrap_nonce, slot.wrapped_dek, header.wrap_ad(slot)))
        except InvalidTag:
            continue
        return dek, slot, kek
    raise WrongPassphrase("no slot opens")


# --------------------------------------------------------------------------- file helpers


def _fsync(fd: int) -> None:
    if sys.platform == "darwin":  # fsync(2) on macOS does not flush the drive cache
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    os.fsync(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or link in ``path`` durable (POSIX only; Windows cannot open directories)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # best effort: the data file itself is synced
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory
    finally:
        os.close(fd)


def replace_file(src: Path, dst: Path) -> None:
    """``os.replace`` with a short bounded retry for Windows sharing violations (5, 32, 33)."""
    delay, waited = 0.05, 0.0
    while True:
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in (5, 32, 33) or waited >= 2.5:
                raise
            time.sleep(delay)
            waited += delay
            delay *= 2


def write_new_file(path: Path, data: bytes | Iterable[bytes | memoryview], *, fault: bool = False) -> bytes:
    """Create ``path`` exclusively with mode 0600, write ``data`` (bytes, or chunks of them) and
    fsync it; return the SHA-256 of what was written. With ``fault`` the crash hooks run when
    about half is written (``tmp_partial``) and when all of it is (``tmp_written``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        chunks: Iterable[bytes | memoryview] = [view[: len(view) // 2], view[len(view) // 2 :]] if fault else [view]
    else:
        chunks = data
    digest = hashes.Hash(hashes.SHA256())
    fd = os.open(path, flags, 0o600)
    try:
        for i, chunk in enumerate(chunks):
            if fault and i == 1:
                _fault("tmp_partial")
            _write_all(fd, memoryview(chunk))
            digest.update(chunk)
        if fault:
            _fault("tmp_written")
        _fsync(fd)
    except OSError:
        # A full disk or an I/O error: no partial file is left to pass for a copy (a backup
        # slot, an export). Only OSError: the crash tests' simulated kill must leave it.
        os.close(fd)
        fd = -1
        _unlink_quietly(path)
        raise
    finally:
        if fd >= 0:
            os.close(fd)
    return digest.finalize()


def file_digest(path: Path) -> bytes:
    """SHA-256 of the file at ``path``, read in 1 MiB pieces (no copy of the whole file)."""
    digest = hashes.Hash(hashes.SHA256())
    with open(path, "rb", buffering=0) as f:
        buf = bytearray(1 << 20)
        view = memoryview(buf)
        while n := f.readinto(buf):
            digest.update(view[:n])
    return digest.finalize()


def _write_all(fd: int, view: memoryview) -> None:
    while view:
        view = view[os.write(fd, view) :]


@dataclass(frozen=True)
class Fingerprint:
    """What the vault file looked like when we last read or wrote it."""

    size: int
    mtime_ns: int
    inode: int
    header_sha: bytes

    @classmethod
    def of(cls, path: Path, header: Header) -> Fingerprint:
        """Fingerprint of ``path``, whose header is ``header``."""
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, _sha256(header.body()))


def list_backups(backup_dir: Path) -> list[Path]:
    """Backup files, newest first (names start with a UTC timestamp)."""
    if not backup_dir.is_dir():
        return []
    found = [p for p in backup_dir.iterdir() if p.name.startswith("vault-") and p.name.endswith(BACKUP_SUFFIX)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_name(counter: int) -> str:
    """A backup file name that sorts by time: ``vault-<UTC timestamp>-<counter>.scv``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"vault-{stamp}-{counter:08d}-{os.urandom(2).hex()}{BACKUP_SUFFIX}"


def make_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents with mode 0700 on POSIX, fsyncing each parent so
    the new folder survives a power cut. A folder that exists already is left as it is (its
    mode is the user's choice, e.g. a shared 1777 one): only folders made here are chmodded."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to chmod
        if os.name != "nt":
            os.chmod(folder, 0o700)  # whatever the umask did
        fsync_dir(folder.parent)


# --------------------------------------------------------------------------- the vault


@dataclass
class Vault:
    """An unlocked vault file: its header, the DEK and the fingerprint of what is on disk.

    Create with :meth:`create` or :meth:`open`; save with :meth:`commit`. The vault never keeps
    the file open (Windows could not replace it) and never writes plaintext anywhere.
    """

    path: Path
    header: Header
    dek: bytearray
    fingerprint: Fingerprint | None
    backups_kept: int = DEFAULT_BACKUPS_KEPT
    #: Decrypted JSON read at open; handed once to the storage, then dropped.
    plaintext: bytes | bytearray | memoryview | None = field(default=None, repr=False)
    #: Key-encryption keys known in this session, by slot salt: the slot the vault was opened
    #: with and the slots made since. A rotation re-wraps the new data key with them.
    keks: dict[bytes, bytes] = field(default_factory=dict, repr=False)

    @property
    def backup_dir(self) -> Path:
        """``backups/`` beside the vault file."""
        return self.path.parent / BACKUP_DIR

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        plaintext: bytes = b"{}",
    ) -> Vault:
        """Create a new vault at ``path`` holding ``plaintext``; refuses to overwrite one."""
        path = Path(path)
        if path.exists():
            raise VaultExists(str(path))
        make_private_dir(path.parent)
        dek = bytearray(os.urandom(DEK_LEN))
        header = Header(
            vault_id=os.urandom(16),
            save_counter=0,
            slots=(),
            payload_salt=b"\0" * PAYLOAD_SALT_LEN,
            payload_nonce=b"\0" * NONCE_LEN,
            payload_len=0,
        )
        slot, kek = _passphrase_slot_kek(header, passphrase, kdf or KdfParams.default(), bytes(dek))
        header = replace(header, slots=(slot,))
        vault = cls(path=path, header=header, dek=dek, fingerprint=None, keks={slot.salt: kek})
        vault.commit(plaintext)
        return vault

    @classmethod
    def open(cls, path: Path, *, passphrase: str | None = None, recovery_key: str | None = None) -> Vault:
        """Read, check and decrypt the vault at ``path``; the plaintext lands in ``.plaintext``."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise VaultMissing(str(path)) from None
        except OSError as exc:
            raise WriteFailed(exc.strerror or str(exc)) from None
        try:
            header, head_len = parse_header(data, whole_file=True)
        except VaultError as exc:
            exc.detail = str(path)  # type: ignore[attr-defined]  # the messages name the file
            raise
        dek, slot, kek = unwrap(header, passphrase=passphrase, recovery_key=recovery_key)
        view = memoryview(data)  # no copy of the ciphertext: the file may be 20 MB
        try:
            plaintext = open_payload_in_place(header, data[:head_len], view[head_len:], bytes(dek))
        finally:
            view.release()
        fingerprint = Fingerprint.of(path, header)
        del data
        return cls(path=path, header=header, dek=dek, fingerprint=fingerprint, plaintext=plaintext, keks={slot.salt: kek})

    def take_plaintext_view(self) -> bytes | bytearray | memoryview:
        """Hand over the plaintext read at open (a view into the decrypted frame: no copy) and
        forget it here."""
        plaintext, self.plaintext = self.plaintext, None
        return plaintext if plaintext is not None else b"{}"

    def take_plaintext(self) -> bytes:
        """Hand over the plaintext read at open, as bytes, and forget it here."""
        return bytes(self.take_plaintext_view())

    def _check_unchanged(self) -> None:
        """Refuse to save over a file that changed since we last read or wrote it."""
        if self.fingerprint is None:
            if self.path.exists():
                raise ChangedOnDisk(str(self.path))
            return
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise ChangedOnDisk(str(self.path)) from None
        fp = self.fingerprint
        if (st.st_size, st.st_mtime_ns, st.st_ino) == (fp.size, fp.mtime_ns, fp.inode):
            return
        # Same size but touched (e.g. by a backup tool)? Compare the header, which changes every save.
        try:
            header, _ = parse_vault(self.path.read_bytes())
        except (VaultError, OSError):
            raise ChangedOnDisk(str(self.path)) from None
        if st.st_size != fp.size or _sha256(header.body()) != fp.header_sha:
            raise ChangedOnDisk(str(self.path))

    def commit(self, plaintext: bytes | memoryview | Iterable[bytes | memoryview], *, size: int | None = None) -> None:
        """Save ``plaintext`` (the JSON, or the pieces that joined make it) atomically: temp file,
        fsync, verify, backup, replace, dir fsync. The pieces are encrypted and written one by one,
        so a save holds no second copy of the data.

        On any failure before the replace, the temp file is removed, the file on disk and this
        object are exactly as before, and :class:`WriteFailed` (or :class:`ChangedOnDisk`) is raised.
        """
        pieces: Iterable[bytes | memoryview]
        if isinstance(plaintext, bytes | bytearray | memoryview):
            pieces, size = [plaintext], len(plaintext)
        elif size is None:
            pieces = list(plaintext)
            size = sum(len(p) for p in pieces)
        else:
            pieces = plaintext
        header = replace(self.header, save_counter=self.header.save_counter + 1)
        header, head, chunks = seal_stream(header, bytes(self.dek), pieces, size)
        new_header, end = parse_header(head)  # what we write must parse: a writer bug stops here
        if end != len(head) or new_header != header:
            raise WriteFailed("header does not read back")
        _fault("encrypted")
        self._check_unchanged()
        tmp = self.path.parent / f"{TMP_PREFIX}{os.urandom(8).hex()}{TMP_SUFFIX}"
        backup: Path | None = None
        try:
            written = write_new_file(tmp, chunks, fault=True)
            _fault("tmp_synced")
            self._verify(tmp, written)
            _fault("verified")
            if self.fingerprint is not None and not self._backed_up_already():
                backup = self._link_backup()
            _fault("backed_up")
            replace_file(tmp, self.path)
        except BaseException as exc:
            # Nothing changed: the temp file goes, and so does this save's backup link (a replace
            # that keeps failing must not push the real backups out).
            _unlink_quietly(tmp)
            if backup is not None:
                _unlink_quietly(backup)
            if isinstance(exc, OSError) and not isinstance(exc, VaultError):
                raise WriteFailed(exc.strerror or str(exc)) from None
            raise
        # Committed. Record it before the best-effort steps, so memory always matches the disk.
        self.header = new_header
        self.fingerprint = Fingerprint.of(self.path, new_header)
        _fault("replaced")
        fsync_dir(self.path.parent)
        if backup is not None:
            prune_backups(self.backup_dir, self.backups_kept)
            fsync_dir(self.backup_dir)
        _fault("dir_synced")

    def _verify(self, tmp: Path, digest: bytes) -> None:
        """Read the temp file back and check it holds exactly the bytes we sealed (their SHA-256).

        A hash of the read-back catches short writes and bad media in milliseconds without a
        second copy of the file in memory; decrypting again would cost a third of a save on a
        10-year vault and prove nothing more about the disk.
        """
        if file_digest(tmp) != digest:
            raise WriteFailed("read-back verification failed")

    def _backed_up_already(self) -> bool:
        """Whether ``backups/`` holds this generation already: a save that crashed after its
        backup link and before the replace left it there, and a retry must not spend a second
        slot on the same file (repeated, that would push every other generation out)."""
        tag = f"-{self.header.save_counter:08d}-"
        size = self.fingerprint.size if self.fingerprint is not None else -1
        for path in list_backups(self.backup_dir)[:3]:
            if tag in path.name:
                try:
                    if path.stat().st_size == size and path.read_bytes() == self.path.read_bytes():
                        return True
                except OSError:
                    return False
        return False

    def _link_backup(self) -> Path:
        """Keep the current generation in ``backups/`` (a hard link: no copy, atomic)."""
        make_private_dir(self.backup_dir)
        target = self.backup_dir / backup_name(self.header.save_counter)
        try:
            os.link(self.path, target)
        except OSError:
            copy_file(self.path, target)
        return target

    def change_passphrase(self, new_passphrase: str, plaintext: bytes, *, kdf: KdfParams | None = None) -> Rotation:
        """A new data key under ``new_passphrase``, in one atomic save (see :meth:`rotate`).

        The recovery slot wraps the new key only if this session knows its key-encryption key
        (the vault was opened with the recovery key); otherwise it is dropped — the old recovery
        key would otherwise still open every later save — and the result says so."""
        new_dek = os.urandom(DEK_LEN)
        slot, kek = _passphrase_slot_kek(self.header, new_passphrase, kdf or KdfParams.default(), new_dek)
        recovery = [s for s in self.header.slots if s.kind == SLOT_RECOVERY]
        kept = [(s, self.keks[s.salt]) for s in recovery if s.salt in self.keks]
        return self.rotate([(slot, kek)] + kept, plaintext, new_dek, recovery_dropped=len(kept) < len(recovery))

    def set_recovery_key(self, plaintext: bytes) -> tuple[str, Rotation]:
        """Create (or replace) the recovery slot under a new data key; return the key to show the
        user once. The passphrase slot wraps the new data key with the key-encryption key of this
        session (:class:`NeedsPassphrase` when the vault was opened without the passphrase)."""
        new_dek = os.urandom(DEK_LEN)
        key = os.urandom(32)
        slot, kek = _new_slot_kek(self.header, SLOT_RECOVERY, KdfParams(kind="recovery"), key, new_dek)
        keep = self._passphrase_slots()
        return format_recovery_key(key), self.rotate(keep + [(slot, kek)], plaintext, new_dek)

    def remove_recovery_key(self, plaintext: bytes) -> Rotation:
        """Drop the recovery slot, under a new data key (an old copy's recovery key opens nothing
        saved afterwards)."""
        return self.rotate(self._passphrase_slots(), plaintext, os.urandom(DEK_LEN))

    def _passphrase_slots(self) -> list[tuple[Slot, bytes]]:
        slots = [s for s in self.header.slots if s.is_passphrase]
        if not all(s.salt in self.keks for s in slots):
            raise NeedsPassphrase("the passphrase slot's key is not known in this session")
        return [(s, self.keks[s.salt]) for s in slots]

    def rotate(
        self, slots: list[tuple[Slot, bytes]], plaintext: bytes, new_dek: bytes, *, recovery_dropped: bool = False
    ) -> Rotation:
        """Replace the data key: ``slots`` (each with its key-encryption key) wrap ``new_dek``, and
        ``plaintext`` is saved under it in one atomic commit. Then every copy this vault keeps
        (``backups/``, ``kept/``) that the old key opens is sealed again under the new key and
        slots, so the old passphrase opens none of them; the copies it cannot open are listed."""
        old_header, old_dek, old_keks = self.header, self.dek, self.keks
        wrapped = tuple(_wrap(old_header, slot, kek, new_dek) for slot, kek in slots)
        self.header = replace(old_header, slots=wrapped)
        self.dek = bytearray(new_dek)
        self.keks = {slot.salt: kek for slot, kek in slots}
        try:
            self.commit(plaintext)
        except BaseException:
            self.header, self.dek, self.keks = old_header, old_dek, old_keks
            raise
        try:
            resealed, unopened = self._reseal_copies(bytes(old_dek))
        finally:
            for i in range(len(old_dek)):
                old_dek[i] = 0
        return Rotation(resealed=resealed, unopened=unopened, recovery_dropped=recovery_dropped)

    def _reseal_copies(self, old_dek: bytes) -> tuple[int, list[Path]]:
        """Seal every copy in ``backups/`` and ``kept/`` that ``old_dek`` opens again under this
        vault's key and slots (each file replaced atomically; its save counter kept)."""
        resealed, unopened = 0, []
        for folder in (self.backup_dir, self.path.parent / KEPT_DIR):
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob(f"*{BACKUP_SUFFIX}")):
                try:
                    data = path.read_bytes()
                    header, ciphertext = parse_vault(data)
                    plaintext = open_payload(header, data[: len(data) - len(ciphertext)], ciphertext, old_dek)
                except (VaultError, OSError):
                    unopened.append(path)
                    continue
                sealed = seal(replace(self.header, save_counter=header.save_counter), bytes(self.dek), plaintext)
                tmp = folder / f"{TMP_PREFIX}{os.urandom(8).hex()}{TMP_SUFFIX}"
                try:
                    write_new_file(tmp, sealed)
                    replace_file(tmp, path)
                except OSError:
                    _unlink_quietly(tmp)
                    unopened.append(path)
                    continue
                resealed += 1
            fsync_dir(folder)
        return resealed, unopened

    @property
    def has_recovery_key(self) -> bool:
        """Whether a recovery slot exists."""
        return any(s.kind == SLOT_RECOVERY for s in self.header.slots)

    def forget(self) -> None:
        """Overwrite the DEK (best effort: Python may hold other copies) and drop the plaintext."""
        for i in range(len(self.dek)):
            self.dek[i] = 0
        self.plaintext = None


@dataclass(frozen=True)
class Rotation:
    """What a change of data key did: how many kept copies were sealed again under the new key,
    which could not be (they still open only with an earlier passphrase), and whether the
    recovery key stopped working."""

    resealed: int = 0
    unopened: list[Path] = field(default_factory=list)
    recovery_dropped: bool = False


def copy_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to a new file ``dst`` (mode 0600) and fsync it."""
    write_new_file(dst, Path(src).read_bytes())


def prune_backups(backup_dir: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` backups."""
    for old in list_backups(backup_dir)[max(keep, 0) :]:
        _unlink_quietly(old)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone, or we cannot remove it: the caller's error matters more


def remove_stale_temp_files(directory: Path) -> None:
    """Delete ``.vault.*.tmp`` left by a crash (ciphertext only, but clutter). Call under the lock."""
    if not directory.is_dir():
        return
    for p in directory.iterdir():
        if p.name.startswith(TMP_PREFIX) and p.name.endswith(TMP_SUFFIX):
            _unlink_quietly(p)


def check_file(path: Path) -> Header:
    """Parse a vault file without any key: raises the damage classes (naming ``path``), returns
    the header."""
    try:
        return parse_vault(Path(path).read_bytes())[0]
    except VaultError as exc:
        exc.detail = str(path)  # type: ignore[attr-defined]
        raise
