"""What the home page says about the review's progress: phase by phase while it runs, with dates once it has ended.

The review has ended once a closure notice is up (core.closure: the one look-up per request the banner also uses).
While it runs, the current phase is the phase of the call open now, or the one before the next call; with no call
open or to come, the review is writing its final report (Delivery).
"""

from consultations.models import ReviewPhase
from core.closure import active_closure_notice

# The review's life once it has ended, in plain words.
REVIEW_TIMELINE = [
    {
        "phase": ReviewPhase.DIAGNOSIS.label,
        "when": "January to June 2021",
        "text": "The review began in January 2021 by asking people what was wrong, and set out the problems "
        "it found in the Case for Change in June 2021.",
    },
    {
        "phase": ReviewPhase.DISCOVERY.label,
        "when": "June to October 2021",
        "text": "We tested the Case for Change with thousands of people and looked closely at how help works in "
        "ten local areas.",
    },
    {
        "phase": ReviewPhase.DEVELOPMENT.label,
        "when": "November to December 2021",
        "text": "We asked everyone for practical solutions through the Call for Ideas.",
    },
    {
        "phase": ReviewPhase.DELIVERY.label,
        "when": "January to May 2022",
        "text": "We turned what we heard into recommendations. The final report came out on 23 May 2022.",
    },
    {
        "phase": "Government response",
        "when": "2 February 2023",
        "text": "The government answered the review with its plan for children's social care.",
        "current": True,
    },
]

# While the review runs: what each phase is for, without dates (they are the review's plan, not yet its record).
PHASE_TEXT = {
    ReviewPhase.DIAGNOSIS: "Finding out what is going wrong and what is going right: asking for advice and "
    "evidence, then setting out the problems in the Case for Change.",
    ReviewPhase.DISCOVERY: "Testing the Case for Change with people who know the system from the inside, and "
    "looking closely at how help works in a few local areas.",
    ReviewPhase.DEVELOPMENT: "Working out what would make things better, with ideas from anyone who wants to send "
    "them.",
    ReviewPhase.DELIVERY: "Turning everything the review has heard into recommendations to the government, in a "
    "final report.",
}
WHEN = {"done": "Done", "current": "Happening now", "next": "Still to come"}


def review_has_ended():
    return active_closure_notice() is not None


def current_phase(open_calls, upcoming_calls):
    phases = list(ReviewPhase)
    if open_calls:
        return ReviewPhase(open_calls[0].phase)
    if upcoming_calls:
        return phases[max(0, phases.index(ReviewPhase(upcoming_calls[0].phase)) - 1)]
    return ReviewPhase.DELIVERY


def home_timeline(open_calls, upcoming_calls):
    """{"review_ended", "timeline", "current_phase"} for the home page (no query beyond the closure notice's)."""
    if review_has_ended():
        return {"review_ended": True, "timeline": REVIEW_TIMELINE, "current_phase": None}
    current = current_phase(open_calls, upcoming_calls)
    steps, state = [], "done"
    for phase in ReviewPhase:
        if phase == current:
            state = "current"
        steps.append(
            {"phase": phase.label, "when": WHEN[state], "text": PHASE_TEXT[phase], "current": phase == current}
        )
        if state == "current":
            state = "next"
    return {"review_ended": False, "timeline": steps, "current_phase": current.label}
