"""The demo's content pages, as the review would have written them on the story's day. Staff can edit every one.

The accessibility statement has what the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
Accessibility Regulations 2018 ask for, and the privacy notice what UK GDPR articles 13 and 14 ask for: the
wording is ours and is demo wording, for a review team to check with its own data protection officer.
"""

import datetime

from consultations.demo import (
    ADVICE_OPENS,
    CASE_FOR_CHANGE,
    FINAL_REPORT,
    GOVERNMENT_RESPONSE,
    IDEAS_OPENS,
)

from .models import Page

ICO = "https://ico.org.uk/make-a-complaint/"
DFE_CONTACT = "https://www.gov.uk/contact-dfe"
EASS = "https://www.equalityadvisoryservice.com/"
ECNI = "https://www.equalityni.org/Home"
WCAG = "https://www.w3.org/TR/WCAG22/"


def _about(s):
    if not s.archived:
        return (
            "The Independent Review of Children's Social Care is looking at how children and families who need "
            "help from social care are supported in England, and how that help could be better.\n\n"
            "The government promised the review in its manifesto. It began in "
            f"{s.month_text(ADVICE_OPENS)}, and from the first day it has put the voices of children, young "
            "people and adults with experience of social care or of being looked after at its centre.\n\n"
            "## Who leads it\n\n"
            "Josh MacAlister leads the review independently. He was a teacher before he set up Frontline, a "
            "social work charity. Three groups support him:\n\n"
            "- the Experts by Experience Board, which helps him hear from children and families with many "
            "different experiences\n"
            "- the evidence group, which brings researchers and experts together so the review uses the best "
            "evidence\n"
            "- the design group, which brings in people from the public services that already work to keep "
            "children safe and settled\n\n"
            "## Where it has got to\n\n"
            "The review set out the problems it found in [[publication:the-case-for-change|the Case for Change]] "
            f"in {s.month_text(CASE_FOR_CHANGE)}. "
            "It is now asking everyone for ideas through the [Call for Ideas](/calls/call-for-ideas/).\n\n"
            "## What comes next\n\n"
            "Once the Call for Ideas closes, the review will turn what it has heard into recommendations to the "
            "government, in a final report."
        )
    return (
        "The Independent Review of Children's Social Care looked at how children and families who need help "
        "from social care are supported in England, and how that help could be better.\n\n"
        "The government had promised such a review in its manifesto. The review began in "
        f"{s.month_text(ADVICE_OPENS)}, and from the first day it put the voices of children, young people and "
        "adults with experience of social care or of being looked after at its centre.\n\n"
        "## Who led it\n\n"
        "Josh MacAlister led the review independently. He was a teacher before he set up Frontline, a social "
        "work charity. Three groups supported him:\n\n"
        "- the Experts by Experience Board, which helped him hear from children and families with many "
        "different experiences\n"
        "- the evidence group, which brought researchers and experts together so the review used the best "
        "evidence\n"
        "- the design group, which brought in people from the public services that already work to keep "
        "children safe and settled\n\n"
        "## What it produced\n\n"
        "The review set out the problems in [[publication:the-case-for-change|the Case for Change]] in "
        f"{s.month_text(CASE_FOR_CHANGE)} and published [[publication:final-report|its final report]], with an "
        f"accessible version, on {s.day_text(FINAL_REPORT)}. It also published "
        "[[publication:paying-the-price|a study of what the current system costs]] children, families and the "
        "public purse, and [[publication:supporting-evidence|an analysis of the costs and benefits]] of its "
        "recommendations. All of them are on the [publications page](/publications/).\n\n"
        "## What happened next\n\n"
        f"The government answered the review on {s.day_text(GOVERNMENT_RESPONSE)} with "
        "[[publication:stable-homes-built-on-love|Stable Homes, Built on Love]]: a strategy for children's social "
        "care, put out for consultation."
    )


def _get_involved(s, contact_email):
    contact = f"Email the review team at [{contact_email}](mailto:{contact_email})."
    if not s.archived:
        return (
            "The review wants to hear from as many people as possible, in the way that suits them. Its calls, "
            "listed below, are open to anyone: the Call for Advice asked what the review should look at, the "
            "Call for Evidence asked mainly researchers and services what works, and the Call for Ideas, open "
            "now, asks for solutions, big or small.\n\n"
            "## Other ways to take part\n\n"
            "There are events, workshops and conversations for people with lived experience, planned with the "
            "Experts by Experience Board, and sessions for people who work with children, often hosted by the "
            "groups and membership bodies they already belong to.\n\n"
            "## Get in touch\n\n" + contact
        )
    return (
        "The review wanted to hear from as many people as possible, in the way that suited them. Its three "
        "calls, listed below, were open to anyone: the Call for Advice asked what the review should look at, "
        "the Call for Evidence asked mainly researchers and services what works, and the Call for Ideas asked "
        "for solutions, big or small. Each call's page says what we heard.\n\n"
        "## Other ways people took part\n\n"
        "There were events, workshops and conversations for people with lived experience, planned with the "
        "Experts by Experience Board, and sessions for people who work with children, often hosted by the "
        "groups and membership bodies they already belong to.\n\n"
        "## Get in touch\n\n" + contact
    )


def _privacy(s, contact_email):
    return (
        "This notice explains what the Independent Review of Children's Social Care does with personal "
        "information you give it through this website, and the rights you have.\n\n"
        "## Who is responsible for your information\n\n"
        "The Department for Education is the data controller for the review: it decides how your information "
        "is used and is responsible for keeping it safe. The review team, who are civil servants working "
        "independently of the department, handle it day to day.\n\n"
        "## What we collect\n\n"
        "- your answers when you respond to a call, and any files you attach\n"
        "- your name, and your email address if you give it, so we can send you a receipt\n"
        "- whether you answer as a young person, a parent or carer, a professional or an organisation\n"
        "- your email address if you sign up for updates\n\n"
        "You do not have to tell us who you are to respond. Please do not name children or other people in "
        "your answers.\n\n"
        "## Why we collect it, and our lawful basis\n\n"
        "We use your answers to understand what people think and to write the review's recommendations, and "
        "your email address only to send what you asked for.\n\n"
        "The law lets us do this because it is needed for a task carried out in the public interest: a review "
        "the government set up (UK GDPR, Article 6(1)(e)).\n\n"
        "Some answers include more sensitive information, such as details of health, ethnicity or family life. "
        "We use it only where it is needed for reasons of substantial public interest (UK GDPR, Article "
        "9(2)(g)), for the functions of a government department (Data Protection Act 2018, Schedule 1, "
        "paragraph 6).\n\n"
        "## Publishing answers\n\n"
        "Staff read every answer before anything is published. We publish only if you say we may, with your "
        "name or without it, and we remove anything that could identify you or someone else. A computer "
        "check points out details that might identify someone, but a person makes every decision.\n\n"
        "## Who sees your information\n\n"
        "The review team, and the companies that host this website and send its emails for us, under contract "
        "and only on our instructions. We do not sell your information or use it for marketing. It is kept in "
        "the UK.\n\n"
        "## How long we keep it\n\n"
        "- names and contact details: until the review's work ends, then deleted within 12 months (each "
        "call can set a shorter time)\n"
        "- answers, without names: kept with the review's records, which may be passed to the National "
        "Archives\n"
        "- published answers: kept on this website and in its archived copy\n"
        "- email sign-ups: until you unsubscribe, or until this website closes, whichever comes first\n\n"
        "You can unsubscribe from updates at any time, using the link in every email.\n\n"
        "## Your rights\n\n"
        "You can ask to see the information we hold about you, to have it corrected or deleted, or to limit "
        "how we use it, and you can object to how we use it. To do any of these, email "
        f"[{contact_email}](mailto:{contact_email}) and give your reference number if you have one.\n\n"
        "## Contact the data protection officer\n\n"
        "The Department for Education's data protection officer oversees how the review uses personal "
        f"information. You can write to them through [the department's contact form]({DFE_CONTACT}).\n\n"
        "## If you are not happy\n\n"
        "Tell us first, and we will try to put things right. You can also complain to the Information "
        f"Commissioner's Office, which regulates data protection: [ico.org.uk]({ICO}) or 0303 123 1113."
    )


def _accessibility(s, contact_email):
    reviewed = GOVERNMENT_RESPONSE if s.archived else IDEAS_OPENS - datetime.timedelta(days=7)
    return (
        "This statement is about this website, the website of the Independent Review of Children's Social "
        "Care. The review team runs it, with support from the Department for Education.\n\n"
        "We want as many people as possible to be able to use it. You should be able to:\n\n"
        "- zoom in up to 400% without text spilling off the screen\n"
        "- move around the whole site using only a keyboard\n"
        "- use the site with a screen reader or speech recognition software\n"
        "- use every page, including the response forms, with JavaScript turned off\n\n"
        "[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use.\n\n"
        "## How accessible this website is\n\n"
        "We know some parts are not fully accessible: some files that people attached to their responses, "
        "and which we publish with them, may not work well with assistive technology.\n\n"
        "## Asking for another format, or telling us about a problem\n\n"
        f"Email [{contact_email}](mailto:{contact_email}) if you need something on this website in another "
        "format, such as large print, easy read or audio, or if you find a problem we have not listed here. "
        "We will reply within 10 working days.\n\n"
        "## Enforcement procedure\n\n"
        "The Equality and Human Rights Commission enforces the accessibility regulations in England, Scotland "
        "and Wales. If you are not happy with our answer to your complaint, contact the "
        f"[Equality Advisory and Support Service]({EASS}). If you live in Northern Ireland, contact the "
        f"[Equality Commission for Northern Ireland]({ECNI}).\n\n"
        "## Technical information about this website's accessibility\n\n"
        "The review is committed to making this website accessible, in line with the Public Sector Bodies "
        "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.\n\n"
        "### Compliance status\n\n"
        f"This website is partially compliant with the [Web Content Accessibility Guidelines version 2.2]({WCAG}) "
        "at level AA, because of the non-compliance listed below.\n\n"
        "## Non-accessible content\n\n"
        "### Not compliant with the accessibility regulations\n\n"
        "Some documents attached to published responses, such as reports sent as PDF files, may have no "
        "headings, or images with no text description. This fails WCAG 2.2 success criteria 1.1.1 (non-text "
        "content) and 1.3.1 (information and relationships). We publish these files as people sent them; ask "
        "us and we will send you the text in another format.\n\n"
        "### Disproportionate burden\n\n"
        "We do not claim that fixing any part of this website would be a disproportionate burden.\n\n"
        "### Content outside the scope of the regulations\n\n"
        "Documents published by the review on GOV.UK, such as the final report, are covered by GOV.UK's own "
        "accessibility statement.\n\n"
        "## What we are doing to improve accessibility\n\n"
        "Every change to this website is checked with automated tools at phone and desktop sizes, and by "
        "hand with a keyboard and a screen reader, before it goes live.\n\n"
        "## Preparation of this statement\n\n"
        f"This statement was prepared on {s.day_text(ADVICE_OPENS)}. It was last reviewed on "
        f"{s.day_text(reviewed)}, when the review team last tested the website against WCAG 2.2 level AA, "
        "checking every type of page and every step of the response forms."
    )


def page_data(s, contact_email):
    return [
        {
            "slug": "about",
            "title": "About the review",
            "nav_location": Page.NavLocation.HEADER,
            "nav_label": "About",
            "nav_order": 1,
            "summary": "What the Independent Review of Children's Social Care "
            + ("was, who led it and what it produced." if s.archived else "is, who leads it and where it has got to."),
            "body": _about(s),
        },
        {
            "slug": "get-involved",
            "title": "Get involved",
            "nav_location": Page.NavLocation.HEADER,
            "nav_label": "",
            "nav_order": 2,
            "summary": "The ways you could take part in the review: its open calls, events and email updates."
            if s.archived
            else "How to take part in the review: its calls, events and email updates.",
            "body": _get_involved(s, contact_email),
        },
        {
            "slug": "terms-of-reference",
            "title": "Terms of reference",
            "nav_location": Page.NavLocation.NONE,
            "nav_label": "",
            "nav_order": 0,
            "summary": "What the review covers, and the questions it asks.",
            "body": "## The big question\n\n"
            "How can we make sure children and young people grow up in loving, stable and safe homes, and "
            "that the system gives them and their families the help they need?\n\n"
            "## Scope\n\n"
            "The review covers the whole of children's social care in England: support for families, "
            "safeguarding, child protection and care, and how children come into and leave that system. "
            "It includes the parts of early help that aim to stop problems growing.\n\n"
            "It looks at every stage, including:\n\n"
            "- referral and assessment\n"
            "- children in need and child protection plans\n"
            "- children who are looked after, and young people leaving care\n\n"
            "## How it works\n\n"
            "The lead reviewer is independent of government. He is supported by a team of civil servants "
            "who work apart from their department, by the Experts by Experience Board and by the evidence "
            "and design groups. The review publishes what it finds.",
        },
        {
            "slug": "privacy",
            "title": "Privacy notice",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 1,
            "summary": "Who is responsible for the personal information the review collects, why it collects it, "
            "how long it keeps it and your rights.",
            "body": _privacy(s, contact_email),
        },
        {
            "slug": "accessibility",
            "title": "Accessibility statement",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 2,
            "summary": "How accessible this website is, what is not yet, and how to tell us about a problem.",
            "body": _accessibility(s, contact_email),
        },
        {
            "slug": "cookies",
            "title": "Cookies",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "",
            "nav_order": 3,
            "summary": "The cookies this website uses.",
            "body": "We only use cookies that the website needs to work. We do not use cookies to measure visits "
            "or for advertising, so there is nothing to accept or reject.\n\n"
            "| Name | What it does | When it expires |\n"
            "| --- | --- | --- |\n"
            "| csrftoken | Stops other websites sending forms in your name | After 1 year |\n"
            "| sessionid | Remembers your answers while you fill in a response, and keeps staff signed in "
            "| After 8 hours |\n",
        },
        {
            "slug": "contact",
            "title": "Contact the review",
            "nav_location": Page.NavLocation.FOOTER,
            "nav_label": "Contact",
            "nav_order": 4,
            "summary": "How to get in touch with the review team, and where to find support.",
            "body": f"Email the review team at [{contact_email}](mailto:{contact_email}).\n\n"
            "We cannot give advice about a particular child or family.\n\n"
            "## If you need support\n\n"
            "If you are worried about a child, you can call the NSPCC helpline free on 0808 800 5000. "
            "Children and young people can call Childline free on 0800 1111.\n\n"
            "If a child is in danger right now, call 999.",
        },
    ]
