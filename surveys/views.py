"""Views for building, answering and reading surveys: parse, call one service or selector, render."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from csweek.core.csv import csv_response, csv_safe
from csweek.core.views import allowed_only, form_add_service_errors
from surveys import permissions, selectors, services
from surveys.forms import AnswerForm, QuestionForm, ResultsFilterForm, SurveyCreateForm
from surveys.models import Question

coordinators_only = allowed_only(permissions.can_manage_surveys, "Only coordinators manage surveys.")


def _survey_or_404(pk: int):
    survey = selectors.survey_for_pk(pk)
    if survey is None:
        raise Http404("No such survey.")
    return survey


@login_required
@require_GET
def survey_list(request):
    context = selectors.surveys_visible_to(request.user, now=timezone.now())
    context["can_manage"] = permissions.can_manage_surveys(request.user)
    return render(request, "surveys/survey_list.html", context)


@coordinators_only
@require_http_methods(["GET", "POST"])
def survey_create(request):
    form = SurveyCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                by=request.user,
                week=data["week"],
                title=data["title"],
                template=data["template"],
                intro=data["intro"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                day_theme=data["day_theme"],
                teams=data["audience_teams"],
                roles=data["audience_roles"],
                copy_from=data["copy_from"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error, {"closes_at": "closes_day"})
        else:
            messages.success(
                request, f"“{survey.title}” is saved as a draft: check its questions, then publish."
            )
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(survey, *, form=None) -> dict:
    return {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "form": form or QuestionForm(),
        "audience_count": selectors.audience_of(survey).count(),
    }


@coordinators_only
@require_GET
def survey_detail(request, pk: int):
    survey = _survey_or_404(pk)
    return render(request, "surveys/survey_detail.html", _detail_context(survey))


@coordinators_only
@require_POST
def question_add(request, pk: int):
    survey = _survey_or_404(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                by=request.user,
                survey=survey,
                text=data["text"],
                kind=data["kind"],
                required=data["required"],
                choices=data["choice_list"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_detail.html", _detail_context(survey, form=form), status=400)


def _question_or_404(pk: int, question_pk: int) -> Question:
    question = Question.objects.select_related("survey").filter(pk=question_pk, survey_id=pk).first()
    if question is None:
        raise Http404("No such question.")
    return question


@coordinators_only
@require_POST
def question_delete(request, pk: int, question_pk: int):
    question = _question_or_404(pk, question_pk)
    try:
        services.question_delete(by=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", pk)


@coordinators_only
@require_POST
def question_move(request, pk: int, question_pk: int):
    question = _question_or_404(pk, question_pk)
    try:
        services.question_move(by=request.user, question=question, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", pk)


@coordinators_only
@require_http_methods(["GET", "POST"])
def survey_publish(request, pk: int):
    """Asks first, saying how many people will be invited, then publishes."""
    survey = _survey_or_404(pk)
    if request.method == "POST":
        try:
            services.survey_publish(by=request.user, survey=survey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Published: the invitation goes out when the survey opens.")
        return redirect("surveys:detail", survey.pk)
    return render(
        request,
        "surveys/survey_publish.html",
        {"survey": survey, "audience_count": selectors.audience_of(survey).count()},
    )


@coordinators_only
@require_POST
def survey_close(request, pk: int):
    survey = _survey_or_404(pk)
    try:
        services.survey_close(by=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Closed: no more answers are taken.")
    return redirect("surveys:detail", survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk: int):
    survey = _survey_or_404(pk)
    if survey.is_draft or not permissions.in_audience(request.user, survey):
        raise Http404("No such survey.")
    if selectors.has_answered(survey=survey, user=request.user):
        return redirect("surveys:thanks", survey.pk)
    now = timezone.now()
    if not survey.is_open_at(now):
        return render(request, "surveys/survey_closed.html", {"survey": survey, "now": now})
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(survey=survey, user=request.user, values=form.values())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("surveys:thanks", survey.pk)
    return render(
        request,
        "surveys/survey_answer.html",
        {"survey": survey, "form": form, "total": len(questions), "threshold": selectors.min_respondents()},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def survey_thanks(request, pk: int):
    survey = _survey_or_404(pk)
    if not selectors.has_answered(survey=survey, user=request.user):
        raise Http404("No such survey.")
    return render(
        request, "surveys/survey_thanks.html", {"survey": survey, "threshold": selectors.min_respondents()}
    )


def _results_or_404(request, pk: int):
    survey = _survey_or_404(pk)
    if not permissions.can_see_results(request.user, survey):
        raise PermissionDenied("Only coordinators and managers read survey results.")
    if not selectors.results_ready(survey, now=timezone.now()):
        return survey, None
    wanted = {name: request.GET.get(name, "")[:120] for name in ("slice", "team", "role")}
    wanted = {name: "" if "\x00" in value else value for name, value in wanted.items()}
    results = selectors.results_for(
        survey=survey,
        viewer=request.user,
        slice_key=wanted["slice"],
        team=wanted["team"] or None,
        role=wanted["role"] or None,
    )
    if results is None:
        raise Http404("There is no such slice of this survey for you.")
    return survey, results


@login_required
@require_GET
def survey_results(request, pk: int):
    survey, results = _results_or_404(request, pk)
    if results is None:
        return render(request, "surveys/survey_results_pending.html", {"survey": survey})
    return render(
        request,
        "surveys/survey_results.html",
        {"results": results, "survey": results.survey, "form": ResultsFilterForm(results=results)},
    )


def _aggregate_rows(results) -> list[list]:
    """Aggregates only: one row per question and answer option of the slice shown."""
    slice_label = results.slice.label
    rows = []
    for item in results.questions:
        if item.hidden:
            rows.append([slice_label, item.question.text, selectors.NOT_ENOUGH, "", "", "", ""])
            continue
        for label, count, percent in item.rows:
            rows.append([slice_label, item.question.text, label, count, percent, item.mean, item.favourable])
        if item.question.kind == Question.Kind.TEXT:
            rows.append([slice_label, item.question.text, "free-text answers", item.answered, "", "", ""])
    return rows


HEADER = ["slice", "question", "answer", "count", "percent", "mean", "favourable %"]


@login_required
@require_GET
def survey_results_csv(request, pk: int):
    survey, results = _results_or_404(request, pk)
    if results is None:
        raise Http404("Results are shown once the survey closes.")
    audit_record(actor=request.user, action="export.survey_results", obj=survey, detail={"format": "csv"})
    return csv_response(f"survey-{survey.pk}-results.csv", HEADER, _aggregate_rows(results))


@login_required
@require_GET
def survey_results_xlsx(request, pk: int):
    from openpyxl import Workbook

    survey, results = _results_or_404(request, pk)
    if results is None:
        raise Http404("Results are shown once the survey closes.")
    audit_record(actor=request.user, action="export.survey_results", obj=survey, detail={"format": "xlsx"})
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(HEADER)
    for row in _aggregate_rows(results):
        sheet.append([csv_safe(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.xlsx"'
    return response
