"""Every user-text field of surveys is escaped on the pages that show it."""

from django.urls import reverse

from tests.surveys.conftest import answer, close, make_survey, team_of

XSS = '<script>alert("x")</script>'


def test_survey_title_question_and_comments_are_escaped(client, coordinator, week):
    survey = make_survey(by=coordinator, week=week, title=f"Pulse {XSS}", publish=False)
    from surveys import services

    services.question_add(
        by=coordinator, survey=survey, text=f"Choose {XSS}", kind="single", required=True, choices=[XSS, "B"]
    )
    services.survey_publish(by=coordinator, survey=survey)
    survey.refresh_from_db()
    for person in team_of("Five", 5):
        answer(survey, person, text=XSS, **{"": XSS})  # the added question has no key: its choice is XSS
    close(survey)
    client.force_login(coordinator)
    for url in (
        reverse("surveys:list"),
        reverse("surveys:detail", args=[survey.pk]),
        reverse("surveys:results", args=[survey.pk]),
    ):
        html = client.get(url).content.decode()
        assert XSS not in html, url
        assert "&lt;script&gt;" in html, url
