"""Personal-data detection (submissions.privacy) measured on a labelled set, and its promises about offsets.

Matching rule for the labelled set: a found span matches a labelled span when the kinds agree and the spans
overlap substantially, that is their intersection is at least half of their union (Jaccard >= 0.5), so
"Mrs Janet Smith" matches a label "Janet Smith" but "9" does not match "9 years old". Each labelled span is
matched at most once and each found span at most once, pairing greedily by the largest overlap.
"""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from submissions.privacy import LABELS, PLACEHOLDERS, Finding, Kind, find_personal_data, redact
from tests.submissions.privacy_cases import CASES, NEGATIVES

KINDS = [kind.value for kind in Kind]


def gold_spans(text, labels):
    """(start, end, kind) for each label, found by its substring (and occurrence, when a label gives one)."""
    spans = []
    for label in labels:
        kind, substring, *rest = label
        occurrence = rest[0] if rest else 0
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(substring, start + 1)
        spans.append((start, start + len(substring), kind))
    return spans


def jaccard(a, b):
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    if overlap <= 0:
        return 0.0
    return overlap / (max(a[1], b[1]) - min(a[0], b[0]))


def match(expected, found):
    """Pairs (expected index, found index) of the same kind with Jaccard >= 0.5, largest overlaps first."""
    pairs = sorted(
        (
            (jaccard(e, f), i, j)
            for i, e in enumerate(expected)
            for j, f in enumerate(found)
            if e[2] == f[2] and jaccard(e, f) >= 0.5
        ),
        reverse=True,
    )
    used_expected, used_found, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_expected and j not in used_found:
            used_expected.add(i)
            used_found.add(j)
            matched.append((i, j))
    return matched


def evaluate(cases, detect=find_personal_data):
    """Per-kind and overall counts, precision and recall of detect on cases; prints nothing.

    Returns {kind: {"expected", "found", "matched", "precision", "recall", "cases"}, ..., "overall": {...},
    "misses": [(text, kind, substring)], "false_alarms": [(text, kind, substring)]}. "cases" counts the cases
    that label that kind; precision is 1.0 when nothing of a kind was found, recall 1.0 when nothing was expected.
    """
    counts = {kind: {"expected": 0, "found": 0, "matched": 0, "cases": 0} for kind in [*KINDS, "overall"]}
    misses, false_alarms = [], []
    for text, labels in cases:
        expected = gold_spans(text, labels)
        found = [(f.start, f.end, f.kind) for f in detect(text)]
        matched = match(expected, found)
        matched_expected = {i for i, _ in matched}
        matched_found = {j for _, j in matched}
        for kind in {kind for _, _, kind in expected}:
            counts[kind]["cases"] += 1
        counts["overall"]["cases"] += 1
        for i, (start, end, kind) in enumerate(expected):
            for key in (kind, "overall"):
                counts[key]["expected"] += 1
                counts[key]["matched"] += i in matched_expected
            if i not in matched_expected:
                misses.append((text, kind, text[start:end]))
        for j, (start, end, kind) in enumerate(found):
            for key in (kind, "overall"):
                counts[key]["found"] += 1
            if j not in matched_found:
                false_alarms.append((text, kind, text[start:end]))
    result = {}
    for kind, c in counts.items():
        result[kind] = {
            **c,
            "precision": c["matched"] / c["found"] if c["found"] else 1.0,
            "recall": c["matched"] / c["expected"] if c["expected"] else 1.0,
        }
    result["misses"] = misses
    result["false_alarms"] = false_alarms
    return result


@pytest.fixture(scope="module")
def scores():
    return evaluate(CASES)


# --- The labelled set itself -----------------------------------------------------------------------------------


def test_the_labelled_set_has_300_sentences_30_positives_per_kind_and_100_negatives():
    assert len(CASES) >= 300
    assert len(NEGATIVES) >= 100
    for kind in KINDS:
        assert sum(1 for _, labels in CASES if any(label[0] == kind for label in labels)) >= 30, kind


def test_every_label_names_a_substring_of_its_sentence():
    for text, labels in CASES:
        for start, end, kind in gold_spans(text, labels):
            assert kind in KINDS
            assert end > start


# --- Recall and precision on the labelled set ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["email", "phone", "postcode", "national_insurance"])
def test_recall_is_at_least_95_percent_for_patterned_kinds(scores, kind):
    missed = [miss for miss in scores["misses"] if miss[1] == kind]
    assert scores[kind]["recall"] >= 0.95, missed


@pytest.mark.parametrize("kind", ["person_name", "address"])
def test_recall_is_at_least_85_percent_for_names_and_addresses(scores, kind):
    missed = [miss for miss in scores["misses"] if miss[1] == kind]
    assert scores[kind]["recall"] >= 0.85, missed


def test_dates_of_birth_and_ages_are_mostly_found(scores):
    missed = [miss for miss in scores["misses"] if miss[1] == "date_of_birth"]
    assert scores["date_of_birth"]["recall"] >= 0.85, missed


def test_overall_precision_is_at_least_80_percent(scores):
    assert scores["overall"]["precision"] >= 0.8, scores["false_alarms"]


def test_each_kind_keeps_precision_of_at_least_80_percent(scores):
    for kind in KINDS:
        alarms = [alarm for alarm in scores["false_alarms"] if alarm[1] == kind]
        assert scores[kind]["precision"] >= 0.8, (kind, alarms)


def test_most_sentences_without_personal_data_raise_nothing():
    flagged = [(text, find_personal_data(text)) for text in NEGATIVES if find_personal_data(text)]
    assert len(flagged) <= len(NEGATIVES) * 0.05, flagged


# --- Rules the moderation screen relies on ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Barnardo's helped me",
        "Coram Voice asked us what we thought",
        "Become run a great advice line",
        "Ofsted rated the home inadequate",
        "The NSPCC and Childline helped",
        "I wrote to the Children's Commissioner",
        "Dr Barnardo's was where my gran grew up",
        "Anna Freud Centre has good resources",
        "Action for Children, Who Cares? Trust and Carers Trust all spoke up",
        "St Christopher's ran the home",
        "Grace Academy was my school",
        "Victoria Road is a busy street",
    ],
)
def test_organisations_schools_and_streets_are_not_people(text):
    assert [f for f in find_personal_data(text) if f.kind == "person_name"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Will the review change anything?",
        "May I add something?",
        "Hope is what kept me going.",
        "Grace and patience cost nothing.",
        "June is when I leave school.",
        "In June the home closed.",
        "Christmas Eve was lonely.",
        "Mark my words.",
        "Joy is rare in care.",
        "Faith in social workers is low.",
        "Sunday was contact day.",
    ],
)
def test_names_that_are_also_words_need_a_surname_or_a_cue(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My sister Grace is kind.", "Grace"),
        ("Hope Williams came to my review.", "Hope Williams"),
        ("We had a worker called June.", "June"),
        ("Our social worker Will visited.", "Will"),
        ("I told Hope about it.", "Hope"),
    ],
)
def test_names_that_are_also_words_count_with_a_cue_or_surname(text, name):
    assert [f.text for f in find_personal_data(text) if f.kind == "person_name"] == [name]


def test_an_address_and_its_postcode_are_two_findings_when_they_do_not_overlap():
    text = "I live at 14 Mill Road, Leeds LS6 2AB"
    assert [(f.kind, f.text) for f in find_personal_data(text)] == [
        ("address", "14 Mill Road"),
        ("postcode", "LS6 2AB"),
    ]


def test_an_email_address_swallows_the_name_inside_it():
    text = "Write to Sarah.Jones@example.com"
    assert [(f.kind, f.text) for f in find_personal_data(text)] == [("email", "Sarah.Jones@example.com")]


def test_freephone_helplines_are_not_anyones_phone_number():
    assert find_personal_data("NSPCC helpline 0808 800 5000, Childline 0800 1111") == []


def test_every_kind_has_a_label_and_a_placeholder():
    for kind in KINDS:
        assert LABELS[kind]
        assert PLACEHOLDERS[kind].startswith("[") and PLACEHOLDERS[kind].endswith("removed]")


def test_findings_are_frozen():
    finding = find_personal_data("call 07700 900123")[0]
    with pytest.raises(AttributeError):
        finding.start = 0


# --- Offsets, odd input, redact() ------------------------------------------------------------------------------

ODD_INPUTS = [
    "\u200fمرحبا my social worker Sarah \u200f07700 900 123\u200e",
    "Jake\u200d is my brother; ring 07700\u200b900 123 or 07700 900 124 \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "Jose\u0301 and Zoe\u0308 live at 12 Acacia Avenue, Leeds LS6 2AB \U0001f3e0",
    "<p>My carer <b>Mrs Smith</b> &amp; <a href='mailto:mrs.smith@example.com'>email</a></p>",
    "# My story\n\n**Name:** Tyler Jones  \n*Phone:* `07700 900 321`\n> born on 3 March 2009\n- [x] QQ 12 34 56 C",
    "\ufeffSarah, 14, \u202eevil text\u202c lives at flat 2, 9 High Street",
    "e\u0301\u0301\u0301 Mr Patel \U0001f600\U0001f600 SW1A 1AA \u00a0\u00a0 DOB\u00a003/03/2009",
    "\u0661\u0662\u0663 \u0664\u0665\u0666 07700 900 555 — Ms O\u2019Brien",
]


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_offsets_index_the_original_string_for_odd_unicode_html_and_markdown(text):
    findings = find_personal_data(text)
    assert findings
    for f in findings:
        assert text[f.start : f.end] == f.text
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_every_labelled_sentence_gives_valid_sorted_non_overlapping_findings():
    for text, _ in CASES:
        findings = find_personal_data(text)
        for f in findings:
            assert text[f.start : f.end] == f.text
        for a, b in zip(findings, findings[1:], strict=False):
            assert a.end <= b.start


def test_empty_and_blank_input_give_no_findings():
    assert find_personal_data("") == []
    assert find_personal_data("   \n\t") == []
    assert redact("") == ""


def test_twenty_thousand_characters_do_not_crash_or_stall():
    chunk = "My social worker Sarah (07700 900 123, sarah@example.com) visited 14 Mill Road LS6 2AB. "
    long_text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    started = time.perf_counter()
    findings = find_personal_data(long_text)
    assert time.perf_counter() - started < 5
    assert len(findings) > 100
    for f in findings:
        assert long_text[f.start : f.end] == f.text
    for pathological in ("a" * 20_000, "1" * 20_000, "@" * 20_000, "A1 " * 6_666, "Sarah " * 3_333, "é" * 20_000):
        started = time.perf_counter()
        for f in find_personal_data(pathological):
            assert pathological[f.start : f.end] == f.text
        assert time.perf_counter() - started < 5


def test_redact_replaces_every_finding_and_leaves_other_text_intact():
    text = "Hi, I'm Chantelle, ring 07700 900 567 or email chantelle.r@example.com. I live at 5 Elm Close, DE1 3AA."
    assert redact(text) == (
        "Hi, I'm [name removed], ring [phone number removed] or email [email address removed]. "
        "I live at [address removed], [postcode removed]."
    )


def test_redact_uses_the_findings_it_is_given():
    text = "Sarah rang 07700 900 123"
    phone_only = [f for f in find_personal_data(text) if f.kind == "phone"]
    assert redact(text, phone_only) == "Sarah rang [phone number removed]"
    assert redact(text, []) == text


def test_redact_removes_every_labelled_span_that_was_found():
    for text, _ in CASES:
        findings = find_personal_data(text)
        redacted = redact(text, findings)
        for f in findings:
            assert PLACEHOLDERS[f.kind] in redacted
        # The text between findings is carried over unchanged and in order.
        position = 0
        for f in findings:
            between = text[position : f.start]
            assert between in redacted
            position = f.end


def test_redact_skips_overlapping_hand_made_findings_instead_of_garbling():
    text = "Sarah Smith"
    findings = [Finding(0, 11, "person_name", "Sarah Smith"), Finding(6, 11, "person_name", "Smith")]
    assert redact(text, findings) == "Sarah [name removed]"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                [
                    "Sarah",
                    "Mrs Smith",
                    "07700 900 123",
                    "+44 7700 900123",
                    "sarah@example.com",
                    "SW1A 1AA",
                    "12 Acacia Avenue",
                    "QQ 12 34 56 C",
                    "born on 3 March 2009",
                    ", 14,",
                    "my sister Grace",
                    "\u200d",
                    "\u200f",
                    "\u0301",
                    "\U0001f600",
                    "<b>",
                    "**",
                    " ",
                    "\n",
                    "@",
                    "-",
                ]
            ),
        ),
        max_size=25,
    ).map("".join)
)
def test_property_offsets_are_always_valid_and_findings_never_overlap(text):
    findings = find_personal_data(text)
    previous_end = 0
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end
        assert f.kind in PLACEHOLDERS
        previous_end = f.end
    redact(text, findings)
