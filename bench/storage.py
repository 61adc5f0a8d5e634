"""Encrypting confidential uploads: time and peak memory of backend/storage.py's chunked format, against one
Fernet token for the whole file (what a non-streamed scheme would hold in memory).

    .venv/bin/python bench/storage.py [--megabytes 40]

Peak memory is Python's allocations above the upload itself (tracemalloc): the chunked scheme should hold a few
chunks whatever the size, the whole-file token several times the file. Goal: a 40 MB upload encrypted and
decrypted with a peak that does not grow with the file (import workers are sized at 512 MB).
"""

import argparse
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

import django
from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
settings.configure(GRIEVANCE_ENCRYPTION_KEY=Fernet.generate_key().decode())
django.setup()

from backend.storage import decrypted_chunks, encrypted_chunks  # noqa: E402

MB = 1024 * 1024


def measured(step):
    """(seconds, peak MB above the start) of `step()`."""
    tracemalloc.start()
    started = time.perf_counter()
    step()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / MB


def drain(chunks, out) -> None:
    for chunk in chunks:
        out.write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=40)
    size = parser.parse_args().megabytes
    plaintext = os.urandom(size * MB)
    with open(os.devnull, "wb") as sink:
        encrypt_time, encrypt_peak = measured(lambda: drain(encrypted_chunks(io.BytesIO(plaintext)), sink))
    stored = b"".join(encrypted_chunks(io.BytesIO(plaintext)))
    with open(os.devnull, "wb") as sink:
        decrypt_time, decrypt_peak = measured(lambda: drain(decrypted_chunks(io.BytesIO(stored)), sink))
    key = Fernet(settings.GRIEVANCE_ENCRYPTION_KEY)
    whole_time, whole_peak = measured(lambda: key.decrypt(key.encrypt(plaintext)))
    print(f"{size} MB upload, stored as {len(stored) / MB:.1f} MB")
    print(f"chunked encrypt   {encrypt_time:6.2f} s   peak {encrypt_peak:6.1f} MB")
    print(f"chunked decrypt   {decrypt_time:6.2f} s   peak {decrypt_peak:6.1f} MB")
    print(f"one token, both   {whole_time:6.2f} s   peak {whole_peak:6.1f} MB  (what streaming avoids)")


if __name__ == "__main__":
    main()
