"""Writes to responses, split by concern; views, admin actions and commands import from the module that owns them.

moderation (status, flag, public text) -> safeguarding (alerts); responses (storing a journey) -> receipts;
data_rights (retention, erasure, subject access); imports and import_rows (offline responses from a CSV).
Nothing is re-exported here.
"""
