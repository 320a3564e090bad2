"""Pages of the annual reports: the enterprise portal, the section editor, signing and
submission, the report page (structured data, PDF and verification side by side) and the
officers' list with review. Views stay thin: querysets scope, services write."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import ListView, TemplateView

from geoportal.accounts.choices import Role
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Action, Capability, get_scoped_or_404, scope_for
from layers.choices import PermitClass
from layers.models import Facility, IndustrialZone
from reports import editor
from reports.choices import ReportStatus
from reports.models import Report, ReportSubmission
from reports.selectors import compliance, open_years, reporting_year
from reports.services import workflow

PDF = "application/pdf"


def _error_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{path}: {m}" if path != "__all__" else str(m)
                for path, errs in exc.message_dict.items() for m in errs]
    return list(exc.messages)


class EnterpriseRequiredMixin(LoginRequiredMixin):
    """Pages of the enterprise portal: enterprise accounts only (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has(Role.ENTERPRISE_USER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficerRequiredMixin(CapabilityRequiredMixin):
    """Officers' pages: the Department, the EZ board and communes (others: 403)."""

    capability = Capability.WORKSPACE


# --- Enterprise portal ------------------------------------------------------------------

class PortalView(EnterpriseRequiredMixin, TemplateView):
    """The enterprise's facilities and zones, the reports due with their deadline, and past reports."""

    template_name = "reports/portal.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        year = reporting_year(today)
        facilities, zones = compliance(user=user, year=year, today=today)
        org = scope_for(user).organisation_id
        exempt = Facility.objects.filter(owner_organisation=org, permit_class=PermitClass.EXEMPT).order_by("name")
        ctx.update(year=year, facilities=facilities.filter(owner_organisation=org),
                   zones=zones.filter(investor_organisation=org), exempt=exempt, years=open_years(today),
                   reports=Report.objects.for_user(user, Action.CHANGE).with_lists().order_by("-year", "pk")[:200],
                   today=today)
        return ctx


class ReportOpenView(EnterpriseRequiredMixin, View):
    """Open (or create, prefilled) the report of one of the enterprise's facilities or zones."""

    http_method_names = ["post"]

    def post(self, request):
        org = scope_for(request.user).organisation_id
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        if year not in open_years(timezone.localdate()):
            messages.error(request, _("Choose a reporting year from the list."))
            return redirect("reports:portal")
        facility = zone = None
        if request.POST.get("facility"):
            facility = get_scoped_or_404(Facility.objects.filter(owner_organisation=org), request.user,
                                         Action.VIEW, pk=request.POST["facility"])
        elif request.POST.get("zone"):
            zone = get_scoped_or_404(IndustrialZone.objects.filter(investor_organisation=org), request.user,
                                     Action.VIEW, pk=request.POST["zone"])
        else:
            raise Http404
        try:
            report = workflow.report_open(user=request.user, year=year, facility=facility, zone=zone)
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
            return redirect("reports:portal")
        return redirect("reports:edit", pk=report.pk)


class ReportEditView(LoginRequiredMixin, View):
    """One section of a draft report: shown with its values and messages, saved at any time."""

    template_name = "reports/edit.html"

    def get_report(self) -> Report:
        return get_scoped_or_404(Report.objects.select_related("form", "facility", "zone", "organisation"),
                                 self.request.user, Action.CHANGE, pk=self.kwargs["pk"])

    def _context(self, report: Report, section: dict, result) -> dict:
        from reports.domain.forms import section_summary

        definition = report.form.definition
        keys = [s["key"] for s in editor.sections(definition)]
        position = keys.index(section["key"]) if section.get("key") in keys else -1
        return {
            "next_section": keys[position + 1] if 0 <= position < len(keys) - 1 else "",
            "report": report, "section": section, "section_title": editor.text(section.get("title")),
            "section_help": editor.text(section.get("help")),
            "items": editor.layout(definition, section, report.data, result.errors, result.warnings),
            "summary": section_summary(definition, result),
            "result": result, "header_form": HeaderForm.for_report(report),
        }

    def get(self, request, pk):
        from reports.domain.forms import clean_data

        report = self.get_report()
        if not report.is_editable:
            return redirect("reports:detail", pk=report.pk)
        section = editor.find_section(report.form.definition, request.GET.get("section"))
        result = clean_data(report.form.definition, report.data, for_submission=True)
        return render(request, self.template_name, self._context(report, section, result))

    def post(self, request, pk):
        report = self.get_report()
        section = editor.find_section(report.form.definition, request.POST.get("section"))
        raw = editor.merge_section(report.data, section, editor.raw_from_post(section, request.POST))
        header = None
        if "place" in request.POST:  # the header is on the first section only
            header_form = HeaderForm(request.POST)
            header = header_form.cleaned_data if header_form.is_valid() else None
        try:
            saved = workflow.report_save_data(user=request.user, report=report, raw=raw, header=header)
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
            return redirect("reports:detail", pk=report.pk)
        messages.success(request, _("Draft saved."))
        target = request.POST.get("next_section") or section["key"]
        keys = [s["key"] for s in editor.sections(report.form.definition)]
        if target not in keys:
            target = section["key"]
        if saved.result.errors:
            messages.warning(request, _("%(n)s value(s) still need correcting before the report can be signed.")
                             % {"n": sum(len(v) for v in saved.result.errors.values())})
        return redirect(f"{reverse('reports:edit', args=[report.pk])}?section={target}")


class HeaderForm(forms.Form):
    """The number line, place and date of the report (the official header)."""

    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=60, required=False)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=120, required=False)
    report_date = forms.DateField(label=gettext_lazy("Report date"), required=False,
                                  input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    @classmethod
    def for_report(cls, report: Report) -> "HeaderForm":
        return cls(initial={"number": report.number, "place": report.place, "report_date": report.report_date})


class ReportRenderView(LoginRequiredMixin, View):
    """Check the report is complete and render the PDF to be signed."""

    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_scoped_or_404(Report.objects.all(), request.user, Action.CHANGE, pk=pk)
        try:
            workflow.report_render(user=request.user, report=report)
        except ValidationError as exc:
            messages.error(request, _("The report is not complete yet: correct the marked values."))
            for message in _error_messages(exc)[:20]:
                messages.error(request, message)
            return redirect("reports:edit", pk=pk)
        return redirect("reports:sign", pk=pk)


class SignedUploadForm(forms.Form):
    signed_pdf = forms.FileField(label=gettext_lazy("Signed PDF"))

    def clean_signed_pdf(self):
        upload = self.cleaned_data["signed_pdf"]
        if upload.size > settings.REPORT_UPLOAD_MAX_BYTES:
            raise ValidationError(_("The file is larger than %(mb)s MB.") % {
                "mb": settings.REPORT_UPLOAD_MAX_BYTES // (1024 * 1024)}, code="too_large")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError(_("This is not a PDF file."), code="not_pdf")
        return upload


class PortalSignForm(forms.Form):
    certificate = forms.FileField(label=gettext_lazy("Certificate and key (PKCS#12, .p12/.pfx)"))
    password = forms.CharField(label=gettext_lazy("Password of the certificate"), widget=forms.PasswordInput,
                               strip=False)

    def clean_certificate(self):
        upload = self.cleaned_data["certificate"]
        if upload.size > 256 * 1024:
            raise ValidationError(_("A PKCS#12 file is never this large."), code="too_large")
        return upload


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class ReportSignView(LoginRequiredMixin, View):
    """Sign and submit: upload the PDF signed with the enterprise's own tool, or sign here."""

    template_name = "reports/sign.html"

    def get_report(self) -> Report:
        return get_scoped_or_404(Report.objects.select_related("form", "facility", "zone", "organisation"),
                                 self.request.user, Action.CHANGE, pk=self.kwargs["pk"])

    def _page(self, request, report, upload_form=None, sign_form=None, verification=None, status=200):
        return render(request, self.template_name, {
            "report": report, "upload_form": upload_form or SignedUploadForm(),
            "sign_form": sign_form or PortalSignForm(), "verification": verification,
            "expected_tax_code": workflow.expected_tax_code(report)}, status=status)

    def get(self, request, pk):
        report = self.get_report()
        if not report.is_editable:
            return redirect("reports:detail", pk=pk)
        if not report.rendered_pdf:
            messages.info(request, _("Render the report's PDF before signing it."))
            return redirect("reports:edit", pk=pk)
        return self._page(request, report)

    def post(self, request, pk):
        report = self.get_report()
        if request.POST.get("path") == "portal":
            form = PortalSignForm(request.POST, request.FILES)
            if not form.is_valid():
                return self._page(request, report, sign_form=form, status=400)
            call = {"p12": form.cleaned_data["certificate"].read(), "password": form.cleaned_data["password"]}
            action = workflow.report_sign_in_portal
            bad = {"sign_form": form}
        else:
            form = SignedUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self._page(request, report, upload_form=form, status=400)
            call = {"signed": form.cleaned_data["signed_pdf"].read()}
            action = workflow.report_submit_signed
            bad = {"upload_form": form}
        try:
            submission = action(user=request.user, report=report, **call)
        except workflow.SignatureRejected as exc:
            return self._page(request, report, verification=exc.verification, status=400, **bad)
        except ValidationError as exc:
            form.add_error(None, _error_messages(exc))
            return self._page(request, report, status=409 if isinstance(exc, workflow.TransitionError) else 400,
                              **bad)
        messages.success(request, _("Report received on %(at)s. Your receipt is ready.") % {
            "at": timezone.localtime(submission.received_at).strftime("%d/%m/%Y %H:%M")})
        return redirect("reports:detail", pk=pk)


# --- The report page and its files -------------------------------------------------------

class ReportDetailView(LoginRequiredMixin, TemplateView):
    """Structured data, the PDF and the verification result side by side; review actions."""

    template_name = "reports/detail.html"

    def get_context_data(self, **kwargs):
        from reports.domain.forms import clean_data

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        report = get_scoped_or_404(Report.objects.with_lists(), user, Action.VIEW, pk=self.kwargs["pk"])
        submissions = list(report.submissions.select_related("submitted_by", "outcome_by")
                           .prefetch_related("recipients").order_by("-revision"))
        latest = submissions[0] if submissions else None
        shown = latest.data if latest is not None and not report.is_editable else report.data
        definition = report.form.definition
        result = clean_data(definition, shown, for_submission=True)
        ctx.update(
            report=report, submissions=submissions, latest=latest, today=timezone.localdate(),
            sections=[{"section": s, "title": editor.text(s.get("title")),
                       "items": editor.layout(definition, s, result.data, {}, result.warnings, extra_rows=0)}
                      for s in editor.sections(definition)],
            exceedances=result.exceedances,
            can_edit=report.is_editable and Report.objects.for_user(user, Action.CHANGE).filter(pk=report.pk).exists(),
            can_review=(report.status == ReportStatus.SUBMITTED
                        and Report.objects.for_user(user, Action.APPROVE).filter(pk=report.pk).exists()),
        )
        return ctx


def _file_response(name: str, filename: str, *, inline: bool) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=PDF, as_attachment=not inline,
                            filename=filename)
    # The PDF may be shown in the report page's frame, and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@xframe_options_sameorigin
def report_file(request, pk: int, kind: str, revision: int | None = None):
    """Download (or view inline with ?inline=1) the rendered PDF, or a revision's signed PDF or receipt."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    inline = request.GET.get("inline") == "1"
    if revision is None:
        report = get_scoped_or_404(Report.objects.all(), request.user, Action.CHANGE, pk=pk)
        if kind != "rendered":
            raise Http404
        return _file_response(report.rendered_pdf.name, f"bao-cao-bvmt-{report.year}-{report.pk}.pdf",
                              inline=inline)
    submission = get_scoped_or_404(ReportSubmission.objects.all(), request.user, Action.VIEW,
                                   report_id=pk, revision=revision)
    names = {"signed": submission.signed_pdf.name, "receipt": submission.receipt_pdf.name}
    if kind not in names:
        raise Http404
    label = "bien-nhan" if kind == "receipt" else "bao-cao-da-ky"
    return _file_response(names[kind], f"{label}-{submission.report.year}-{pk}-r{revision}.pdf", inline=inline)


class ReportReviewView(LoginRequiredMixin, View):
    """Accept or return a submitted report (officers with review rights on it)."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        if action not in ("accept", "return"):
            raise Http404
        report = get_scoped_or_404(Report.objects.all(), request.user, Action.APPROVE, pk=pk)
        try:
            if action == "accept":
                workflow.report_accept(user=request.user, report=report, note=request.POST.get("reason", ""))
                messages.success(request, _("Report accepted."))
            else:
                workflow.report_return(user=request.user, report=report, reason=request.POST.get("reason", ""))
                messages.success(request, _("Report returned to the enterprise."))
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        return redirect("reports:detail", pk=pk)


# --- Spreadsheet template and import -------------------------------------------------

class ReportTemplateView(LoginRequiredMixin, View):
    """The XLSX template of the report's form version, with the current data filled in."""

    def get(self, request, pk):
        report = get_scoped_or_404(Report.objects.select_related("form"), request.user, Action.CHANGE, pk=pk)
        from reports.spreadsheets import build_template

        content = build_template(report.form, data=report.data)
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        code = report.form.code.replace(".", "")
        response["Content-Disposition"] = f'attachment; filename="mau-{code}-{report.year}-{report.pk}.xlsx"'
        return response


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Filled-in template (.xlsx)"))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": 10}, code="too_large")
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload the .xlsx template generated by the portal."), code="bad_type")
        return upload


class ReportImportView(LoginRequiredMixin, View):
    """Replace the draft's data with a filled-in template (validated like the editor)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        from reports.spreadsheets import WorkbookError, read_workbook

        report = get_scoped_or_404(Report.objects.select_related("form"), request.user, Action.CHANGE, pk=pk)
        form = WorkbookUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("reports:edit", pk=pk)
        try:
            raw = read_workbook(report.form, form.cleaned_data["workbook"])
            saved = workflow.report_save_data(user=request.user, report=report, raw=raw)
        except WorkbookError as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, message)
            return redirect("reports:edit", pk=pk)
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
            return redirect("reports:edit", pk=pk)
        errors = sum(len(v) for v in saved.result.errors.values())
        messages.success(request, _("Spreadsheet imported: %(errors)s value(s) to correct.") % {"errors": errors})
        return redirect("reports:edit", pk=pk)


# --- Officers ----------------------------------------------------------------------------

class OfficerFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    form = forms.ChoiceField(label=gettext_lazy("Form"), required=False,
                             choices=[("", "—"), ("05.A", "05.A"), ("05.B", "05.B")])
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", "—"), ("missing", gettext_lazy("Not received")), ("late", gettext_lazy("Late or missing")),
        *[(s.value, s.label) for s in ReportStatus if s != ReportStatus.DRAFT]])
    commune = forms.ModelChoiceField(label=gettext_lazy("Commune"), required=False, queryset=None)
    zone = forms.ModelChoiceField(label=gettext_lazy("Zone"), required=False, queryset=None)

    def __init__(self, *args, user, years, **kwargs):
        from geoportal.organisations.models import AdministrativeUnit

        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["commune"].queryset = AdministrativeUnit.objects.order_by("name")
        self.fields["zone"].queryset = IndustrialZone.objects.for_user_private(user).order_by("name")


class OfficerReportListView(OfficerRequiredMixin, ListView):
    """Reports in the officer's scope for a year: every filer, late and missing ones marked."""

    template_name = "reports/officer_list.html"
    paginate_by = 50

    def get_queryset(self):
        today = timezone.localdate()
        years = open_years(today)
        self.filter_form = OfficerFilterForm(self.request.GET or None, user=self.request.user, years=years)
        params = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.year = params.get("year") or reporting_year(today)
        facilities, zones = compliance(user=self.request.user, year=self.year, today=today)
        if params.get("form") == "05.A":
            facilities = facilities.filter(permit_class=PermitClass.GPMT)
        elif params.get("form") == "05.B":
            facilities = facilities.filter(permit_class=PermitClass.DKMT)
        self.summary = _summary(facilities)
        state = params.get("state")
        if state == "missing":
            facilities, zones = facilities.filter(report_received__isnull=True), zones.filter(report_received__isnull=True)
        elif state == "late":
            facilities, zones = facilities.filter(is_late=True), zones.filter(is_late=True)
        elif state:
            facilities = facilities.filter(report_status=state, report_received__isnull=False)
            zones = zones.filter(report_status=state, report_received__isnull=False)
        if params.get("commune"):
            facilities = facilities.filter(admin_unit=params["commune"])
            zones = zones.filter(admin_unit=params["commune"])
        if params.get("zone"):
            facilities = facilities.filter(zone=params["zone"])
            zones = zones.filter(pk=params["zone"].pk)
        self.zones = zones
        return facilities

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(year=self.year, filter_form=self.filter_form, zones=self.zones[:200], summary=self.summary,
                   query_string=query_string_without_page(self.request), today=timezone.localdate(),
                   ReportStatus=ReportStatus)
        return ctx


def _summary(facilities) -> dict:
    """Counts of the year's filers by state, in one query (the figures above the list)."""
    from django.db.models import Count, Q

    received = Q(report_received__isnull=False)
    return facilities.order_by().aggregate(
        total=Count("pk"), received=Count("pk", filter=received),
        accepted=Count("pk", filter=received & Q(report_status=ReportStatus.ACCEPTED)),
        awaiting=Count("pk", filter=received & Q(report_status=ReportStatus.SUBMITTED)),
        returned=Count("pk", filter=received & Q(report_status=ReportStatus.RETURNED)),
        missing=Count("pk", filter=Q(report_received__isnull=True)),
        late=Count("pk", filter=Q(is_late=True)))
