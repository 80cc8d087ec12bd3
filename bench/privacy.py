"""Part "privacy": how long the personal-data check takes over 10,000 ideas, as the moderation screen and the export
without personal data run it. Pure Python, in this process; no server, no database."""

import random
import statistics
import time

IDEAS = 10_000
SENTENCES = [
    "Children in care should keep the same social worker for as long as they need one.",
    "My social worker Sarah moved on after six months and nobody told me why.",
    "Call me on 07700 900123 if you want to hear more about what happened at the children's home.",
    "I live at 14 Mill Road, Leeds LS6 2AB with my foster carers and my little brother.",
    "Corporate parents must listen to young people before they decide where they live.",
    "Kinship carers need the same support and money as foster carers get.",
    "Mrs Janet Smith at the school helped me more than anyone else did.",
    "Care leavers should have a home until they are twenty-five, not eighteen.",
    "Email me at lost.boy@example.org and I will tell you about the independent reviewing officer.",
    "Barnardo's and Coram Voice helped me find my voice when nobody else would listen.",
]


def idea(rng, words=250):
    text = []
    while sum(len(s.split()) for s in text) < words:
        text.append(rng.choice(SENTENCES))
    return " ".join(text)


def privacy_part():
    from submissions.privacy import find_personal_data

    rng = random.Random(7)
    ideas = [idea(rng, words=rng.choice([40, 80, 120, 250])) for _ in range(IDEAS)]
    find_personal_data(ideas[0])  # the name lists load once, lazily: not part of any idea's time
    timings, found = [], 0
    started = time.perf_counter()
    for text in ideas:
        begun = time.perf_counter()
        found += len(find_personal_data(text))
        timings.append(time.perf_counter() - begun)
    total = time.perf_counter() - started
    long_ideas = [idea(rng) for _ in range(200)]
    long_times = []
    for text in long_ideas:
        begun = time.perf_counter()
        find_personal_data(text)
        long_times.append((time.perf_counter() - begun) * 1000)
    p95_250 = statistics.quantiles(long_times, n=20)[-1]
    return {
        "ideas": IDEAS,
        "seconds": round(total, 2),
        "findings": found,
        "median_250_words_ms": round(statistics.median(long_times), 2),
        "p95_250_words_ms": round(p95_250, 2),
        "rows": [
            (
                "check 10,000 ideas",
                f"{IDEAS:,} ideas of 40-250 words in {total:.1f} s ({found:,} findings); a 250-word idea: median "
                f"{statistics.median(long_times):.1f} ms, p95 {p95_250:.1f} ms",
                "250 words < 5 ms",
                statistics.median(long_times) < 5,
            )
        ],
    }
