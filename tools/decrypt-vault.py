#!/usr/bin/env python3
"""Decrypt a selfcheck vault file to its JSON database, without selfcheck.

Needs Python 3.11+ and the ``cryptography`` package (44 or later, for Argon2id) and nothing else.
It reads ``vault.scv``, a file from ``backups/``, a ``kept/`` file or a copy made with
``selfcheck backup``, and writes the decrypted JSON to stdout or to ``-o FILE``.

This script is the executable form of docs/VAULT_FORMAT.md (format 1.x); each step below names
the section it implements. It imports nothing from selfcheck on purpose: if the app is gone,
this file and ``pip install cryptography`` are enough to read your records.

    python3 decrypt-vault.py vault.scv -o journal.json               # asks for the passphrase
    python3 decrypt-vault.py vault.scv --passphrase-file pass.txt    # first line of the file
    python3 decrypt-vault.py vault.scv --recovery-key-file key.txt   # the 56-character recovery key
    python3 decrypt-vault.py vault.scv --header                      # the header only, no secret

Exit codes (the same as ``selfcheck``): 0 done, 1 file or other error, 2 usage, 3 wrong
passphrase or recovery key, 4 not a vault / unsupported version / damaged, 130 cancelled.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import json
import os
import struct
import sys
import unicodedata
import warnings
from dataclasses import dataclass

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_WRONG_SECRET, EXIT_BAD_FILE, EXIT_CANCELLED = 0, 1, 2, 3, 4, 130

# --------------------------------------------------------------------------- constants (§2–§5)

MAGIC = b"\x89SVLT\r\n\x1a"
FORMAT_MAJOR = 1
CIPHER_AES256GCM = 1

SLOT_ARGON2ID, SLOT_SCRYPT, SLOT_RECOVERY = 1, 2, 3
SALT_LEN, NONCE_LEN, WRAPPED_LEN, PAYLOAD_SALT_LEN, HASH_LEN, TAG_LEN = 16, 12, 48, 32, 32, 16
MAX_SLOTS = 4
MAX_PAYLOAD = 256 * 1024 * 1024

# Reader caps (§3.1), checked before any KDF runs.
ARGON2_MAX_T, ARGON2_MAX_P, ARGON2_MAX_M_KIB = 3, 4, 1024 * 1024
SCRYPT_MIN_LOG_N, SCRYPT_MAX_LOG_N = 14, 20
MAX_PASSPHRASE_SLOTS = 1

PAYLOAD_INFO = b"selfcheck/v1 payload"
RECOVERY_INFO = b"selfcheck/v1 recovery-slot"
RECOVERY_CHECK_PREFIX = b"selfcheck-recovery"
PLAINTEXT_MAGIC = b"SVLTJSON"
PLAINTEXT_VERSION = 1

FIXED_HEAD = struct.Struct(">8sHH16sQBB")  # magic, major, minor, vault_id, save_counter, cipher, slot_count
ARGON2_PARAMS = struct.Struct(">III")  # t, m_kib, p
SCRYPT_PARAMS = struct.Struct(">BII")  # log_n, r, p
PAYLOAD_TAIL = struct.Struct(">32s12sQ")  # payload_salt, payload_nonce, payload_len

#: The largest header a reader accepts: four slots with the largest parameters.
MAX_HEADER = FIXED_HEAD.size + MAX_SLOTS * (1 + ARGON2_PARAMS.size + SALT_LEN + NONCE_LEN + WRAPPED_LEN) + (
    PAYLOAD_TAIL.size + HASH_LEN
)


class Failure(Exception):
    """One line for the user, and the exit code that goes with it."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def damaged(what: str) -> Failure:
    return Failure(f"the file is damaged ({what})", EXIT_BAD_FILE)


# --------------------------------------------------------------------------- header (§3)


@dataclass(frozen=True)
class Slot:
    kind: int
    params: tuple[int, ...]  # (t, m_kib, p) | (log_n, r, p) | ()
    prefix: bytes  # type byte + params + salt: the slot's part of the wrap AD
    salt: bytes
    wrap_nonce: bytes
    wrapped_dek: bytes


@dataclass(frozen=True)
class Header:
    major: int
    minor: int
    vault_id: bytes
    save_counter: int
    slots: list[Slot]
    payload_salt: bytes
    payload_nonce: bytes
    payload_len: int
    raw: bytes  # every header byte, magic through header_sha256: the payload's AD


def check_kdf_caps(kind: int, params: tuple[int, ...]) -> None:
    if kind == SLOT_ARGON2ID:
        t, m_kib, p = params
        ok = 1 <= t <= ARGON2_MAX_T and 1 <= p <= ARGON2_MAX_P and 8 * p <= m_kib <= ARGON2_MAX_M_KIB
    else:
        log_n, r, p = params
        ok = SCRYPT_MIN_LOG_N <= log_n <= SCRYPT_MAX_LOG_N and r == 8 and p == 1
    if not ok:
        raise damaged(f"key slot parameters {params} are outside what a reader accepts")


def parse(data: bytes) -> tuple[Header, bytes]:
    """Parse the whole file strictly (§3); return the header and the ciphertext."""
    if not data.startswith(MAGIC):
        raise Failure("this is not a selfcheck vault file", EXIT_BAD_FILE)
    if len(data) < FIXED_HEAD.size:
        raise damaged("truncated header")
    _, major, minor, vault_id, save_counter, cipher, slot_count = FIXED_HEAD.unpack_from(data, 0)
    if major != FORMAT_MAJOR:
        raise Failure(f"unsupported format version {major}.{minor} (this script reads 1.x), or a damaged file",
                      EXIT_BAD_FILE)
    if cipher != CIPHER_AES256GCM:
        raise damaged(f"unknown cipher {cipher}")
    if not 1 <= slot_count <= MAX_SLOTS:
        raise damaged(f"{slot_count} key slots")
    pos = FIXED_HEAD.size
    slots = []
    for _ in range(slot_count):
        start = pos
        if pos >= len(data):
            raise damaged("truncated key slot")
        kind = data[pos]
        pos += 1
        if kind == SLOT_ARGON2ID:
            layout = ARGON2_PARAMS
        elif kind == SLOT_SCRYPT:
            layout = SCRYPT_PARAMS
        elif kind == SLOT_RECOVERY:
            layout = None
        else:
            raise damaged(f"unknown key slot type {kind}")
        params: tuple[int, ...] = ()
        if layout is not None:
            if pos + layout.size > len(data):
                raise damaged("truncated key slot")
            params = layout.unpack_from(data, pos)
            pos += layout.size
            check_kdf_caps(kind, params)
        end = pos + SALT_LEN + NONCE_LEN + WRAPPED_LEN
        if end > len(data):
            raise damaged("truncated key slot")
        salt = data[pos : pos + SALT_LEN]
        prefix = data[start : pos + SALT_LEN]
        nonce = data[pos + SALT_LEN : pos + SALT_LEN + NONCE_LEN]
        slots.append(Slot(kind, params, prefix, salt, nonce, data[pos + SALT_LEN + NONCE_LEN : end]))
        pos = end
    if sum(1 for slot in slots if slot.kind != SLOT_RECOVERY) > MAX_PASSPHRASE_SLOTS:
        raise damaged("more than one passphrase slot")
    if pos + PAYLOAD_TAIL.size + HASH_LEN > len(data):
        raise damaged("truncated header")
    payload_salt, payload_nonce, payload_len = PAYLOAD_TAIL.unpack_from(data, pos)
    pos += PAYLOAD_TAIL.size
    if hashlib.sha256(data[:pos]).digest() != data[pos : pos + HASH_LEN]:
        raise damaged("header checksum does not match")
    pos += HASH_LEN
    if not TAG_LEN <= payload_len <= MAX_PAYLOAD:
        raise damaged(f"payload length {payload_len}")
    if len(data) - pos != payload_len:
        raise damaged(f"{len(data) - pos} bytes after the header where {payload_len} were announced")
    if not any(slot.kind in (SLOT_ARGON2ID, SLOT_SCRYPT) for slot in slots):
        raise damaged("no passphrase slot")
    header = Header(major, minor, vault_id, save_counter, slots, payload_salt, payload_nonce, payload_len, data[:pos])
    return header, data[pos:]


# --------------------------------------------------------------------------- secrets (§4)


def passphrase_bytes(passphrase: str) -> bytes:
    """NFC, then UTF-8: the same passphrase typed on macOS (NFD) or elsewhere gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RFC4648_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
FROM_CROCKFORD = str.maketrans(CROCKFORD + "OIL", RFC4648_B32 + "ABB")  # O reads as 0, I and L as 1


def recovery_key_bytes(text: str) -> bytes:
    """56 Crockford base32 characters (dashes, spaces, case ignored) = 32 key bytes + 3 check bytes."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    if len(cleaned) != 56 or any(ch not in CROCKFORD + "OIL" for ch in cleaned):
        raise Failure("that is not a recovery key (56 letters and digits, in 7 groups of 8)", EXIT_WRONG_SECRET)
    raw = base64.b32decode(cleaned.translate(FROM_CROCKFORD))
    key, check = raw[:32], raw[32:]
    if hashlib.sha256(RECOVERY_CHECK_PREFIX + key).digest()[:3] != check:
        raise Failure("the recovery key has a typing error (its check characters do not match)", EXIT_WRONG_SECRET)
    return key


# --------------------------------------------------------------------------- keys (§4)


def derive_kek(slot: Slot, secret: bytes) -> bytes:
    """The slot's key-encryption key: Argon2id or scrypt of the passphrase, HKDF of a recovery key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if slot.kind == SLOT_ARGON2ID:
        try:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        except ImportError:
            raise Failure("this vault needs Argon2id: install cryptography 44 or later", EXIT_ERROR) from None
        from cryptography.exceptions import UnsupportedAlgorithm

        t, m_kib, p = slot.params
        try:
            return Argon2id(salt=slot.salt, length=32, iterations=t, lanes=p, memory_cost=m_kib).derive(secret)
        except UnsupportedAlgorithm:
            raise Failure("this vault needs Argon2id, which this cryptography/OpenSSL lacks", EXIT_ERROR) from None
    if slot.kind == SLOT_SCRYPT:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        log_n, r, p = slot.params
        return Scrypt(salt=slot.salt, length=32, n=1 << log_n, r=r, p=p).derive(secret)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=slot.salt, info=RECOVERY_INFO).derive(secret)


def unwrap_dek(header: Header, secret: bytes, kinds: tuple[int, ...]) -> bytes:
    """Try each slot of the given kinds in file order; the first that authenticates gives the DEK."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    version = struct.pack(">HH", header.major, header.minor)
    for slot in header.slots:
        if slot.kind not in kinds:
            continue
        wrap_ad = MAGIC + version + header.vault_id + slot.prefix
        try:
            return AESGCM(derive_kek(slot, secret)).decrypt(slot.wrap_nonce, slot.wrapped_dek, wrap_ad)
        except InvalidTag:
            continue
    if kinds == (SLOT_RECOVERY,):
        if not any(slot.kind == SLOT_RECOVERY for slot in header.slots):
            raise Failure("this file has no recovery key slot: use the passphrase", EXIT_WRONG_SECRET)
        raise Failure("wrong recovery key for this file", EXIT_WRONG_SECRET)
    raise Failure("wrong passphrase for this file", EXIT_WRONG_SECRET)


# --------------------------------------------------------------------------- payload (§5)


def decrypt_payload(header: Header, ciphertext: bytes, dek: bytes) -> bytes:
    """HKDF(DEK, payload_salt) = payload key; AES-256-GCM with the whole header as AD; unframe."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=header.payload_salt, info=PAYLOAD_INFO).derive(dek)
    try:
        framed = AESGCM(key).decrypt(header.payload_nonce, ciphertext, header.raw)
    except InvalidTag:
        raise damaged("the encrypted contents do not authenticate") from None
    if len(framed) < len(PLAINTEXT_MAGIC) + 4 or not framed.startswith(PLAINTEXT_MAGIC):
        raise damaged("bad plaintext frame")
    (version,) = struct.unpack_from(">I", framed, len(PLAINTEXT_MAGIC))
    if version != PLAINTEXT_VERSION:
        raise Failure(f"unsupported plaintext version {version}", EXIT_BAD_FILE)
    return framed[len(PLAINTEXT_MAGIC) + 4 :].rstrip(b" ")  # padding is ASCII spaces


# --------------------------------------------------------------------------- command line


def read_vault_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_HEADER + MAX_PAYLOAD + 1)
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror or exc}", EXIT_ERROR) from None
    if len(data) > MAX_HEADER + MAX_PAYLOAD:
        raise Failure(f"{path} is larger than any vault file can be", EXIT_BAD_FILE)
    return data


def read_secret_file(path: str) -> str:
    """First line of ``path`` without its line ending (spaces are part of the passphrase)."""
    try:
        with open(path, encoding="utf-8") as handle:
            line = handle.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise Failure(f"cannot read {path}: {detail}", EXIT_ERROR) from None
    if not line:
        raise Failure(f"{path} is empty (its first line is the secret)", EXIT_USAGE)
    return line


def ask(prompt: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except getpass.GetPassWarning:
            raise Failure("no terminal to ask the passphrase on: use --passphrase-file", EXIT_USAGE) from None


def write_output(path: str | None, data: bytes) -> None:
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise Failure(f"{path} exists; not overwriting it", EXIT_ERROR) from None
    except OSError as exc:
        raise Failure(f"cannot create {path}: {exc.strerror or exc}", EXIT_ERROR) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        try:
            os.unlink(path)  # never leave half the records behind
        except OSError:
            pass
        raise Failure(f"cannot write {path}: {exc.strerror or exc}", EXIT_ERROR) from None


def describe(header: Header) -> str:
    names = {SLOT_ARGON2ID: "argon2id (t, m_kib, p)", SLOT_SCRYPT: "scrypt (log_n, r, p)", SLOT_RECOVERY: "recovery"}
    lines = [
        f"format        {header.major}.{header.minor}",
        f"vault_id      {header.vault_id.hex()}",
        f"save_counter  {header.save_counter}",
        f"header bytes  {len(header.raw)}",
        f"payload_len   {header.payload_len} (plaintext frame {header.payload_len - TAG_LEN} bytes, padded)",
    ]
    for i, slot in enumerate(header.slots):
        params = f" {slot.params}" if slot.params else ""
        lines.append(f"slot {i}        {names[slot.kind]}{params} salt {slot.salt.hex()}")
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decrypt-vault.py",
        description="Decrypt a selfcheck vault file (vault.scv, a backup, a kept/ file) to JSON.",
        epilog="Exit codes: 0 done, 1 error, 2 usage, 3 wrong passphrase or recovery key, "
        "4 not a vault / unsupported / damaged, 130 cancelled.",
    )
    parser.add_argument("vault", metavar="VAULT_FILE")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the JSON here (a new file, mode 0600)")
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", metavar="FILE", help="read the passphrase from the first line of FILE")
    secret.add_argument("--recovery-key-file", metavar="FILE", help="use the recovery key in FILE instead")
    secret.add_argument("--header", action="store_true", help="print the header (no secret needed) and stop")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON (default: the bytes as stored)")
    return parser


def run(args: argparse.Namespace) -> int:
    header, ciphertext = parse(read_vault_file(args.vault))  # all checks before any secret is used
    if args.header:
        write_output(args.output, describe(header).encode("utf-8"))
        return EXIT_OK
    if args.output is not None and os.path.lexists(args.output):
        raise Failure(f"{args.output} exists; not overwriting it", EXIT_ERROR)  # say so before the KDF
    if args.recovery_key_file:
        secret, kinds = recovery_key_bytes(read_secret_file(args.recovery_key_file)), (SLOT_RECOVERY,)
    else:
        text = read_secret_file(args.passphrase_file) if args.passphrase_file else ask("Passphrase: ")
        secret, kinds = passphrase_bytes(text), (SLOT_ARGON2ID, SLOT_SCRYPT)
    plaintext = decrypt_payload(header, ciphertext, unwrap_dek(header, secret, kinds))
    try:
        document = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise damaged("the decrypted contents are not JSON") from None
    if isinstance(document, dict) and document.get("format") == "selfcheck-kept":
        print("note: this is a kept-changes file ({table: {record: document or null}}), "
              "not a whole database", file=sys.stderr)
    if args.pretty:
        plaintext = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    write_output(args.output, plaintext + b"\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except Failure as exc:
        print(f"decrypt-vault: {exc}", file=sys.stderr)
        return exc.code
    except (KeyboardInterrupt, EOFError):
        print("decrypt-vault: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except ImportError:
        print("decrypt-vault: the cryptography package is missing (pip install cryptography)", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        print("decrypt-vault: not enough memory for this file's key derivation", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as exc:  # a bug here must still be one line, not a traceback
        print(f"decrypt-vault: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
