"""What a respondent sends, for tests that look for it where it must not be."""

ADDRESS = "sam.respondent@example.org"
ANSWER = "Keeping the same social worker for more than a year mattered most to me."
SESSION_VALUE = "k2v9sessionvalueabcdef0123456789"
QUERY_VALUE = "Samira Quentin"
