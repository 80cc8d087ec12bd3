"""`make bench`: the site measured under load, under faults and on the wire (bench/run.py)."""
