"""Rows kept on disk while a large upload is planned, grouped by a key, so that memory does not grow with the file.

    spool = BucketSpool()
    for row in rows:
        spool.add(row.audit_ref, tuple(row))  # rows of one key always land in the same bucket
    for items in spool.buckets():              # one bucket at a time, its items in the order they were added
        ...

Items are pickled (plain tuples of text, numbers, dates and None) into unnamed temporary files that vanish
when closed. At most FLUSH_ITEMS items wait in memory; a bucket holds about 1/BUCKETS of the upload.
"""

import pickle
import tempfile
import zlib

BUCKETS = 64
FLUSH_ITEMS = 10_000


def bucket_of(key: str | None) -> int:
    """The bucket of a key: a stable hash (the same in every process and run, unlike hash())."""
    return zlib.crc32(key.encode()) % BUCKETS if key else 0


class BucketSpool:
    """Items grouped into BUCKETS by their key's bucket_of; buckets() gives them back bucket by bucket."""

    def __init__(self) -> None:
        self._waiting: list[list] = [[] for _ in range(BUCKETS)]
        self._files: list = [None] * BUCKETS
        self._waiting_count = 0

    def add(self, key: str | None, item: tuple) -> None:
        self._waiting[bucket_of(key)].append(item)
        self._waiting_count += 1
        if self._waiting_count >= FLUSH_ITEMS:
            self._flush()

    def buckets(self):
        """Each non-empty bucket's items, in the order they were added; a bucket is read once, then forgotten."""
        for index, waiting in enumerate(self._waiting):
            items = []
            stored = self._files[index]
            if stored is not None:
                stored.seek(0)
                while True:
                    try:
                        items.extend(pickle.load(stored))
                    except EOFError:
                        break
                stored.close()
                self._files[index] = None
            items.extend(waiting)
            self._waiting[index] = []
            if items:
                yield items

    def _flush(self) -> None:
        for index, waiting in enumerate(self._waiting):
            if waiting:
                if self._files[index] is None:
                    self._files[index] = tempfile.TemporaryFile()
                pickle.dump(waiting, self._files[index], protocol=pickle.HIGHEST_PROTOCOL)
                self._waiting[index] = []
        self._waiting_count = 0
