"""Encryption at rest of grievance reporters' identity and contact (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from settings.GRIEVANCE_ENCRYPTION_KEY (the environment variable of the same name): one or more
url-safe base64 Fernet keys separated by commas. The first encrypts; all decrypt, so a key can be rotated by
putting the new one first and re-encrypting (`manage.py rotate_grievance_key`). Plaintext never leaves this
module except to the filing organization's resolver; nothing here logs, and errors never carry plaintext.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def cipher() -> MultiFernet:
    """The keys of settings.GRIEVANCE_ENCRYPTION_KEY: the first encrypts, every one decrypts (also the files of
    backend/storage.py)."""
    raw = getattr(settings, "GRIEVANCE_ENCRYPTION_KEY", "") or ""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "GRIEVANCE_ENCRYPTION_KEY is not set. Generate one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured("GRIEVANCE_ENCRYPTION_KEY must hold url-safe base64 32-byte Fernet keys.") from None


def encrypt_json(value: dict) -> str:
    """Encrypt a small JSON object; the result is an ASCII token safe to store in a text column."""
    return cipher().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode("ascii")


def decrypt_json(token: str) -> dict:
    """Decrypt a token made by `encrypt_json`; an empty token is an empty object."""
    if not token:
        return {}
    try:
        return json.loads(cipher().decrypt(token.encode("ascii")))
    except InvalidToken:
        raise ImproperlyConfigured("A grievance reporter record cannot be decrypted with the configured keys.") from None


def rotate(token: str) -> str:
    """Re-encrypt a token with the first (newest) key."""
    return cipher().rotate(token.encode("ascii")).decode("ascii") if token else token
