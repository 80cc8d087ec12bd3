"""Suggested themes: groups of ideas and answers that use the same words, found on this machine with scikit-learn.

TF-IDF over words and two-word phrases, leaving out English stop words and the call's own boilerplate (the words of
its title and question prompts, which every answer echoes); then latent semantic analysis (truncated SVD) and k-means.
Without a count, the number of themes is the one between 5 and 30 whose grouping separates best (silhouette score on a
fixed sample), with no theme of fewer than three texts and at most one theme per 15 texts: tiny groups score well and
say little. Every random choice has a fixed seed, so the same texts give the same suggestions.

No model is downloaded and no text leaves the machine. This module knows nothing of the database: it takes texts and
returns groups of their ids.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# numpy and scikit-learn are imported by the functions that use them: this module is imported by every web worker
# (the outbox registers the suggestions job at start-up), and only the job and the command ever group anything.

SEED = 20210315  # the review's launch; any fixed number makes runs repeatable
MIN_ITEMS = 10
MIN_THEMES, MAX_THEMES = 5, 30
ITEMS_PER_THEME = 15
TOP_WORDS = 8
LABEL_WORDS = 3
SVD_DIMENSIONS = 100
MIN_DIMENSIONS = 20
SILHOUETTE_SAMPLE = 2000
WORD = r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b"  # two letters or more, not numbers: "care-experienced", "children's"


class NotEnoughText(Exception):
    """Too little to group; the message says so in plain words."""


@dataclass(frozen=True)
class Document:
    kind: str  # "idea" or "answer"
    id: int
    text: str


@dataclass
class SuggestedTheme:
    label: str
    top_words: list[str]
    idea_ids: list[int] = field(default_factory=list)
    answer_ids: list[int] = field(default_factory=list)

    @property
    def size(self):
        return len(self.idea_ids) + len(self.answer_ids)

    def as_json(self):
        return {
            "label": self.label,
            "top_words": self.top_words,
            "idea_ids": self.idea_ids,
            "answer_ids": self.answer_ids,
        }


Progress = Callable[[int, str], None]


def boilerplate_words(texts: Iterable[str]) -> set[str]:
    """The words of the call's own text (its title, its question prompts): every answer repeats them."""
    words = set()
    for text in texts:
        words.update(word.lower() for word in re.findall(WORD, text or ""))
    return words


def _plural(count, word):
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _items(count):
    return f"{count:,} {'idea or answer' if count == 1 else 'ideas or answers'}"


def suggest_themes(
    documents: list[Document],
    *,
    count: int | None = None,
    boilerplate: Iterable[str] = (),
    progress: Progress | None = None,
) -> list[SuggestedTheme]:
    """Group the documents into `count` themes (or as many as the data suggests, 5 to 30), largest first.

    Raises NotEnoughText when there is too little to group. Documents with none of the words that count (say, "Yes")
    belong to no theme.
    """
    from threadpoolctl import threadpool_limits

    # One thread: the job shares two cores with the web servers, and OpenMP threads that wait for each other on a
    # busy machine made one run ten times slower than a single thread does.
    with threadpool_limits(limits=1):
        return _suggest(documents, count, boilerplate, progress or (lambda percent, stage: None))


def _suggest(documents, count, boilerplate, report):
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.preprocessing import normalize

    documents = [doc for doc in documents if doc.text and doc.text.strip()]
    if len(documents) < MIN_ITEMS:
        raise NotEnoughText(
            f"There {'is' if len(documents) == 1 else 'are'} only {_items(len(documents))} with text to group. "
            f"Suggestions need at least {MIN_ITEMS}: code these by hand."
        )
    if count is not None and not 2 <= count <= MAX_THEMES:
        raise NotEnoughText(f"Ask for between 2 and {MAX_THEMES} themes.")
    report(5, f"Finding the words that count in {_plural(len(documents), 'text')}")
    stop_words = sorted(ENGLISH_STOP_WORDS | {word.lower() for word in boilerplate})
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=stop_words,
        token_pattern=WORD,
        sublinear_tf=True,
        min_df=2,
        max_df=0.7,
        max_features=50_000,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform([doc.text for doc in documents])
    except ValueError:
        raise NotEnoughText(
            "The ideas and answers share too few words to group (after leaving out common words and the words of "
            "the questions). Code them by hand."
        ) from None
    terms = vectorizer.get_feature_names_out()
    has_words = np.asarray(matrix.getnnz(axis=1) > 0)
    rows = np.flatnonzero(has_words)
    usable = matrix[rows]
    most = min(MAX_THEMES, len(rows) // 2)
    if count is not None and count > most or count is None and most < MIN_THEMES:
        raise NotEnoughText(
            f"Only {_items(len(rows))} share words with others: too few for "
            f"{_plural(count or MIN_THEMES, 'theme')}. Ask for fewer, or code them by hand."
        )
    report(20, "Reducing the words to their main patterns")
    # Few texts need few dimensions: with as many dimensions as texts, every text is its own pattern.
    wanted = min(SVD_DIMENSIONS, max(MIN_DIMENSIONS, usable.shape[0] // 5))
    dimensions = max(2, min(wanted, usable.shape[1] - 1, usable.shape[0] - 1))
    reduced = normalize(TruncatedSVD(dimensions, random_state=SEED).fit_transform(usable))
    if count is None:
        # Tiny groups score well on silhouette and say little: the data may choose up to one theme per
        # ITEMS_PER_THEME texts (at least MIN_THEMES), and asking for a count is how to get more, smaller ones.
        choosable = min(most, max(MIN_THEMES, len(rows) // ITEMS_PER_THEME))
        count = _best_count(reduced, range(MIN_THEMES, choosable + 1), report)
    report(85, f"Grouping into {_plural(count, 'theme')}")
    labels = KMeans(count, random_state=SEED, n_init=8).fit_predict(reduced)
    report(95, "Naming the themes")
    themes = []
    for cluster in range(count):
        members = rows[labels == cluster]
        if not len(members):
            continue
        weights = np.asarray(matrix[members].mean(axis=0)).ravel()
        words = _top_words(terms, weights)
        theme = SuggestedTheme(label=" · ".join(words[:LABEL_WORDS]), top_words=words)
        for index in members:
            doc = documents[index]
            (theme.idea_ids if doc.kind == "idea" else theme.answer_ids).append(doc.id)
        theme.idea_ids.sort()
        theme.answer_ids.sort()
        themes.append(theme)
    themes.sort(key=lambda theme: (-theme.size, theme.label))
    report(100, f"Suggested {_plural(len(themes), 'theme')} from {_plural(len(documents), 'text')}")
    return themes


def _best_count(reduced, counts, report):
    """The count whose k-means grouping has the best silhouette score. Each count is tried on one fixed sample of at
    most SILHOUETTE_SAMPLE texts, so choosing costs the same for 10,000 texts as for 2,000."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(SEED)
    sample = reduced[np.sort(rng.choice(reduced.shape[0], min(SILHOUETTE_SAMPLE, reduced.shape[0]), replace=False))]
    counts = [count for count in counts if count < sample.shape[0]]
    best, best_score = counts[0], -2.0
    for step, count in enumerate(counts):
        report(25 + 60 * step // len(counts), f"Trying {count} themes (from {counts[0]} to {counts[-1]})")
        labels = KMeans(count, random_state=SEED, n_init=4).fit_predict(sample)
        if np.bincount(labels, minlength=count).min() < 3:
            continue  # a "theme" of one or two texts: not a pattern
        score = silhouette_score(sample, labels, metric="cosine")
        if score > best_score + 1e-9:
            best, best_score = count, score
    return best


def _top_words(terms, weights):
    """The theme's heaviest terms, a phrase standing in for its own words ("corporate parent" for "corporate")."""
    import numpy as np

    chosen = []
    for index in np.argsort(-weights, kind="stable"):
        if weights[index] <= 0 or len(chosen) >= TOP_WORDS:
            break
        term = str(terms[index])
        words = set(term.split())
        if any(words <= set(other.split()) for other in chosen):
            continue
        covered = [i for i, other in enumerate(chosen) if set(other.split()) <= words]
        if covered:
            chosen[covered[0]] = term
            chosen = [other for i, other in enumerate(chosen) if i not in covered[1:]]
        else:
            chosen.append(term)
    return chosen
