import pytest

from tests.factories import CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_default_factory_call_is_open_with_a_required_long_question():
    question = QuestionFactory()
    assert question.call.is_open()
    assert question.required
    assert CallFactory().kind == "advice"
