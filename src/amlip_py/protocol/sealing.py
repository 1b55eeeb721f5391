"""Sealing job and solution payloads with a shared key, so only nodes holding it take part.

Why: anyone who reaches the DDS domain can take jobs, read them and answer with solutions that the
main node would merge; Cyclone's PyPI wheel has no DDS Security and eProsima's AML-IP enables none.
Nodes given the same key (a file named by ``AMLIP_SECRET_FILE`` or passed as ``secret=``) seal
every job and solution (and every model request, model reply and statistics sample of the
model-manager nodes) with AES-GCM from ``cryptography``. The payload keeps travelling as the
opaque octets of AML-IP's ``MsData``, so the wire format is unchanged and nodes without a key
speak plain AML-IP exactly as before.

A sealed payload is ``SEALED_MARKER`` + key id (8 bytes) + nonce (12 bytes) + ciphertext and tag.
The AES key and the key id are both derived from the key file with HKDF (different ``info``), so
the key id names the key without revealing it and lets a receiver tell "another key" from
"altered". The associated data binds the header, the direction (job or solution), the client id,
the server id and the task id: a sealed payload opens only in the message it was sealed for.
Statistics have no client or task: they are sealed for the undefined client id and task 0, with
their name in the direction, so a sample opens only under the name and sender it was published with.
"""
from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from amlip_py.types.AmlipIdDataType import AmlipIdDataType

logger = logging.getLogger(__name__)

ENV_VARIABLE = "AMLIP_SECRET_FILE"
SEALED_MARKER = b"AMLIP-SEALED-1:"
KEY_ID_BYTES = 8
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(SEALED_MARKER) + KEY_ID_BYTES + NONCE_BYTES
MIN_SECRET_BYTES = 16
HKDF_SALT = b"amlip-py sealing v1"
JOB = "job"
SOLUTION = "solution"
MODEL_REQUEST = "model request"
MODEL_REPLY = "model reply"
MODEL_STATISTICS = "model statistics"
NEW_KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))' > amlip.key"


class SecretError(ValueError):
    """The key file cannot be read or holds too little to be a key."""


class SealError(ValueError):
    """A payload that must be sealed is not, or does not open; ``kind`` says which case.

    ``kind`` is ``"unsealed"`` (sent without a key), ``"other key"`` (sealed with a different key)
    or ``"forged"`` (altered, truncated, or replayed from another message).
    """

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind


def is_sealed(payload: bytes | memoryview) -> bool:
    """Whether ``payload`` is in the sealed format (it may still fail to open)."""
    return bytes(payload[:len(SEALED_MARKER)]) == SEALED_MARKER


def _derive(secret: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=HKDF_SALT, info=info).derive(secret)


def _associated_data(header: bytes, what: str, client: AmlipIdDataType, server: AmlipIdDataType,
                     task_id: int) -> bytes:
    """Header + direction + ids + task; NUL-separated (ids never contain NUL, see AmlipIdDataType)."""
    return header + b"\0".join(part.encode("utf-8", "surrogateescape")
                               for part in (what, str(client), str(server), str(task_id)))


class Sealer:
    """Seals and opens payloads with the key derived from ``secret`` (the key file's content).

    Parameters
    ----------
    secret : bytes
        At least ``MIN_SECRET_BYTES`` bytes of shared key material, ideally random.
    source : str, optional
        Where the secret came from, for messages (e.g. the key file's path).
    """

    def __init__(self, secret: bytes, source: str = "secret="):
        if len(secret) < MIN_SECRET_BYTES:
            raise SecretError(f"the key from {source} has {len(secret)} bytes; at least {MIN_SECRET_BYTES} "
                              f"are needed (make one with: {NEW_KEY_HINT})")
        self.source = source
        self._aead = AESGCM(_derive(secret, b"amlip-py payload key", 32))
        self._key_id = _derive(secret, b"amlip-py key id", KEY_ID_BYTES)
        self.key_id = self._key_id.hex()

    def seal(self, payload: bytes | memoryview, what: str, client: AmlipIdDataType, server: AmlipIdDataType,
             task_id: int) -> bytearray:
        """The sealed form of ``payload`` for the ``what`` (``JOB``, ``SOLUTION``, ...) of ``task_id``.

        Encrypted straight behind the header: for a job of tens of MB a second buffer (and its
        page faults) would cost more than the encryption itself.
        """
        header = SEALED_MARKER + self._key_id + os.urandom(NONCE_BYTES)
        sealed = bytearray(HEADER_BYTES + len(payload) + TAG_BYTES)
        sealed[:HEADER_BYTES] = header
        self._aead.encrypt_into(header[-NONCE_BYTES:], payload,
                                _associated_data(header, what, client, server, task_id),
                                memoryview(sealed)[HEADER_BYTES:])
        return sealed

    def open(self, payload: bytes | memoryview, what: str, client: AmlipIdDataType, server: AmlipIdDataType,
             task_id: int) -> bytes:
        """The plain payload sealed by :meth:`seal` with the same arguments; SealError otherwise."""
        if not is_sealed(payload):
            raise SealError("unsealed", f"was not sealed (the {what} comes from a node without the key)")
        if len(payload) < HEADER_BYTES + TAG_BYTES:
            raise SealError("forged", f"is truncated ({len(payload)} bytes; a sealed payload has at least "
                                      f"{HEADER_BYTES + TAG_BYTES})")
        header = bytes(payload[:HEADER_BYTES])
        key_id = header[len(SEALED_MARKER):len(SEALED_MARKER) + KEY_ID_BYTES]
        if key_id != self._key_id:
            raise SealError("other key", f"was sealed with another key (key id {key_id.hex()}, ours "
                                         f"{self.key_id})")
        try:
            return self._aead.decrypt(header[-NONCE_BYTES:], memoryview(payload)[HEADER_BYTES:],
                                      _associated_data(header, what, client, server, task_id))
        except InvalidTag:
            raise SealError("forged", "failed authentication (altered or truncated, or replayed from "
                                      "another task or node)") from None


def read_secret_file(path: str | os.PathLike) -> Sealer:
    """A Sealer for the key in file ``path`` (surrounding whitespace ignored); SecretError if unusable."""
    try:
        secret = Path(path).read_bytes().strip()
    except OSError as exc:
        raise SecretError(f"cannot read the key file {path}: {exc.strerror or exc}") from None
    return Sealer(secret, source=f"key file {path}")


def sealer_for(secret: bytes | str | os.PathLike | None) -> Sealer | None:
    """The Sealer a node uses: ``secret`` as key bytes or a key file path, else ``AMLIP_SECRET_FILE``.

    Returns None (plain AML-IP) when ``secret`` is None and the variable is unset or empty.
    """
    if secret is None:
        secret = os.environ.get(ENV_VARIABLE) or None
        if secret is None:
            return None
    sealer = Sealer(bytes(secret)) if isinstance(secret, (bytes, bytearray)) else read_secret_file(secret)
    logger.info("jobs and solutions are sealed with the key from %s (key id %s)", sealer.source, sealer.key_id)
    return sealer


def add_secret_file_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--secret-file PATH`` to a script; an unreadable or too short key file is a usage error."""
    def usable_key_file(path: str) -> str:
        try:
            read_secret_file(path)
        except SecretError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return path

    parser.add_argument("--secret-file", metavar="PATH", type=usable_key_file, default=os.environ.get(ENV_VARIABLE),
                        help=f"file holding a shared key: requests (jobs) and answers are sealed and only nodes "
                             f"with the same key take part (falls back to ${ENV_VARIABLE}; none: plain AML-IP)")
