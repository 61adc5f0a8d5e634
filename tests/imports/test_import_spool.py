"""The spool that keeps a large upload's rows on disk, grouped by key, while it is planned."""

import datetime
from decimal import Decimal

from imports.services import spool
from imports.services.spool import BucketSpool, bucket_of


def test_items_come_back_grouped_by_key_in_the_order_they_were_added(monkeypatch):
    # given items of 40 keys, added interleaved, flushed to disk every 7 items
    monkeypatch.setattr(spool, "FLUSH_ITEMS", 7)
    items = [(f"K-{n % 40}", n, datetime.date(2024, 1, 1 + n % 28), Decimal("0.5"), None) for n in range(500)]
    store = BucketSpool()
    for item in items:
        store.add(item[0], item)
    # when the buckets are read
    buckets = list(store.buckets())
    # then every item comes back once, each key's items all in one bucket and in their order, buckets in index order
    assert sorted(item for bucket in buckets for item in bucket) == sorted(items)
    for bucket in buckets:
        for key in {item[0] for item in bucket}:
            assert [item for item in bucket if item[0] == key] == [item for item in items if item[0] == key]
    indexes = [bucket_of(bucket[0][0]) for bucket in buckets]
    assert indexes == sorted(set(indexes))
    assert all({bucket_of(item[0]) for item in bucket} == {bucket_of(bucket[0][0])} for bucket in buckets)


def test_the_bucket_of_a_key_does_not_depend_on_the_process():
    assert bucket_of("AU-000123") == bucket_of("AU-000123") == 3191167838 % spool.BUCKETS  # CRC-32 of the key
    assert bucket_of(None) == bucket_of("") == 0
