"""A step's form with a respondent's answers in it, made from a shape each worker remembers.

Crispy-forms renders a form field by field through nested templates, about a millisecond a text field: coming back to
a step (Back, or Change from check your answers) cost three to five times its first visit, whose blank form is
remembered. A filled form is the same for everyone answering the call but for what they typed and chose. So each
worker renders it once per content version and shape (the choices made, from the form's own lists), with a marker in
place of each typed answer, and puts each answer, escaped, where its marker is, in one pass (an answer is never read
for markers). What is remembered holds no answer: typed ones are markers, and only listed choices are in the key.
"""

import re
from html import escape

from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.safestring import mark_safe

from core.cache import remember

# Widgets that show a typed answer as it is, in a value="…" attribute or as the element's text.
TYPED = (forms.TextInput, forms.EmailInput, forms.URLInput, forms.Textarea)
_MARKER = "\ue000{}\ue001"  # private-use characters, left alone by escaping
_MARKED = re.compile(r' value="\ue000(?P<attribute>\w+)\ue001"|\ue000(?P<text>\w+)\ue001')
_NAME = re.compile(r"\w+")


def filled_form_html(form, key, build):
    """The HTML of `form` (unbound, its answers as initial values) as {% crispy form %} renders it, or None when
    it holds something other than typed answers and listed choices. build(initial=…) makes the same form; `key` names
    all else the HTML depends on (its widgets' attributes included)."""
    shape, marked, typed = [], {}, {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, TYPED) and not isinstance(field, forms.ChoiceField) and _NAME.fullmatch(name):
            marked[name], typed[name] = _MARKER.format(name), value
        elif (choice := _listed_choice(field, value)) is not None:
            shape.append((name, choice))
        else:
            return None
    initial = {**{name: value for name, value in form.initial.items() if name not in marked}, **marked}

    def render():
        shaped = build(initial=initial)
        for name, field in form.fields.items():  # what the view set on this form's widgets (the focus, say)
            shaped.fields[name].widget.attrs = dict(field.widget.attrs)
        return str(render_crispy_form(shaped))

    html = remember((*key, tuple(shape)), render)

    def answer(match):
        name = match.group("attribute") or match.group("text")
        value = typed.get(name)
        text = "" if value is None or value == "" else escape(str(value))
        if match.group("attribute"):
            return f' value="{text}"' if text else ""  # as Django's inputs: no value attribute for nothing typed
        return text

    return mark_safe(_MARKED.sub(answer, html))  # noqa: S308 - crispy's own HTML, every answer escaped above


def _listed_choice(field, value):
    """The value as a hashable key, if it is nothing or one (or some) of the field's own choices; else None."""
    if isinstance(field, forms.BooleanField):
        return ("bool", bool(value))
    if value is None or value == "" or value == []:
        return ("empty",)
    if not isinstance(field, forms.ChoiceField):
        return None
    if isinstance(field, forms.MultipleChoiceField):
        if not isinstance(value, list | tuple):
            return None
        values = [str(v) for v in value]
    elif isinstance(value, list | tuple | dict | set):
        return None
    else:
        values = [str(value)]
    if not set(values) <= {str(key) for key, _ in field.choices}:
        return None
    return ("chosen", *values)
