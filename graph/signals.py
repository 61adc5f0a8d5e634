"""Signals the supply network sends, for the apps built on it (audits routes grievances to new network entries)."""

from django.dispatch import Signal

# Sent after a bulk write added sites to a company's network (bulk inserts send no post_save), with the keyword
# arguments `company` (an Organization) and `site_ids` (the sites' IDs).
network_sites_joined = Signal()

# Sent inside a risk computation's transaction, after its scores are stored, with the keyword arguments `company`
# (an Organization) and `site_ids` (the changed sites the computation was asked for, or None: the whole network).
risk_recomputed = Signal()
