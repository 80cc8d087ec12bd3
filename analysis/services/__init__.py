"""Writes for analysis, by concern: codebook (themes), coding (themes on items), suggestions (clustering runs and what
staff make of them), what_we_heard (quotes). Nothing is re-exported here."""
