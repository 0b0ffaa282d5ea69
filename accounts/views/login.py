"""Login by code (with registration for new fans) and by password."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from accounts.adapter import get_adapter
from accounts.app_settings import app_settings
from accounts.branding import account_branding
from accounts.failures import CODE_NOT_SENT, FORM_FAILURES, form_failure
from accounts.flows.code_login import CodeLoginFlow, CodeResult, FlowStage, RegisterResult
from accounts.flows.errors import FlowError
from accounts.flows.password_login import log_in_with_password
from accounts.forms import CodeForm, ContactForm, PasswordLoginForm, RegisterForm
from accounts.shell import shell_context

auth_page = [never_cache, csrf_protect]


def _restart(request: HttpRequest) -> HttpResponse:
    messages.error(request, get_adapter().error_message("flow_missing"))
    return redirect("tbits_accounts:login")


def _landing(request: HttpRequest, next_url: str | None) -> HttpResponse:
    return HttpResponseRedirect(get_adapter().get_login_redirect_url(request, next_url))


@method_decorator(auth_page, name="dispatch")
class LoginView(View):
    """Step 1: branding, the email-or-phone field, and the other ways in.

    The code step follows only when a code was sent. A refused address, a rate limit or an
    outage shows this form again with the fan's input and why (429 with ``Retry-After``,
    503), so nothing, a fan or a monitoring probe, can take it for a code on its way.
    """

    template_name = "tbits_accounts/login.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        next_url = request.GET.get("next")
        if request.fan is not None:  # type: ignore[attr-defined]
            return _landing(request, next_url)
        safe_next = next_url if get_adapter().is_safe_url(request, next_url) else None
        return self._render(request, ContactForm(initial={"next": safe_next}), safe_next)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ContactForm(request.POST)
        next_url = request.POST.get("next")
        safe_next = next_url if get_adapter().is_safe_url(request, next_url) else None
        if not form.is_valid():
            return self._render(request, form, safe_next)
        try:
            CodeLoginFlow.start(request, contact=form.cleaned_data["contact"], next_url=safe_next)
        except FORM_FAILURES as error:
            # No code is on its way: the same form, what the fan typed, and why; never the
            # "enter your code" step for a code that was not sent. A refused address is
            # said under it; a rate limit or an outage over the whole form.
            return form_failure(
                request,
                error,
                form=form,
                render=lambda: self._render(request, form, safe_next),
                field="contact" if isinstance(error, FlowError) else None,
                wording=CODE_NOT_SENT,
            )
        return redirect("tbits_accounts:code")

    def _render(
        self, request: HttpRequest, form: ContactForm, next_url: str | None
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "account_branding": account_branding(),
                **shell_context(request),
                "oauth_enabled": app_settings.oauth_enabled,
                "next_url": next_url,
            },
        )


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
@method_decorator(auth_page, name="dispatch")
class CodeView(View):
    """Step 2: enter the code, ask for a new one, or use another way in."""

    template_name = "tbits_accounts/code.html"

    def _flow(self, request: HttpRequest) -> CodeLoginFlow | None:
        flow = CodeLoginFlow.load(request)
        return flow if flow is not None and flow.stage is FlowStage.CODE else None

    def get(self, request: HttpRequest) -> HttpResponse:
        flow = CodeLoginFlow.load(request)
        if flow is not None and flow.stage is FlowStage.REGISTER:
            return redirect("tbits_accounts:register")
        if flow is None:
            return _restart(request)
        return self._render(request, flow, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        flow = self._flow(request)
        if flow is None:
            return _restart(request)
        if request.POST.get("action") == "resend":
            try:
                flow.resend()
            except FlowError as error:
                messages.error(request, get_adapter().error_message(error.key))
            else:
                messages.success(request, get_adapter().notice("code_resent"))
            return redirect("tbits_accounts:code")
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._render(request, flow, form)
        try:
            result = flow.submit_code(form.cleaned_data["code"])
        except FlowError as error:
            # A wrong or dead code; a rate limit or an outage is the middleware's page, with
            # the attempt counted (there is nothing typed worth keeping in a one-time code).
            return form_failure(
                request,
                error,
                form=form,
                render=lambda: self._render(request, flow, form),
                field="code",
            )
        if result is CodeResult.MUST_REGISTER:
            return redirect("tbits_accounts:register")
        return _landing(request, flow.next_url)

    def _render(self, request: HttpRequest, flow: CodeLoginFlow, form: CodeForm) -> HttpResponse:
        status = flow.status()
        if status.is_dead and not form.errors:
            form = CodeForm()
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "status": status,
                "next_url": flow.next_url,
                **shell_context(request),
            },
        )


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
@method_decorator(auth_page, name="dispatch")
class PasswordView(View):
    """Log in with a password; one message for every kind of failure."""

    template_name = "tbits_accounts/password.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        flow = CodeLoginFlow.load(request)
        next_url = request.GET.get("next") or (flow.next_url if flow else None)
        if not get_adapter().is_safe_url(request, next_url):
            next_url = None
        initial = {"next": next_url}
        if flow is not None:
            initial["contact"] = flow.contact.value
        return self._render(request, PasswordLoginForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordLoginForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        flow = CodeLoginFlow.load(request)
        next_url = form.cleaned_data.get("next") or (flow.next_url if flow else None)
        try:
            log_in_with_password(
                request,
                contact=form.cleaned_data["contact"],
                password=form.cleaned_data["password"],
            )
        except FlowError as error:
            # One message for every refusal; an outage is the middleware's page.
            return form_failure(
                request, error, form=form, render=lambda: self._render(request, form)
            )
        return _landing(request, next_url)

    def _render(self, request: HttpRequest, form: PasswordLoginForm) -> HttpResponse:
        return render(request, self.template_name, {"form": form, **shell_context(request)})


@method_decorator(auth_page, name="dispatch")
class RegisterView(View):
    """Step 3 for a new fan, reachable only after a good code in this browser session."""

    template_name = "tbits_accounts/register.html"

    def _flow(self, request: HttpRequest) -> CodeLoginFlow | None:
        flow = CodeLoginFlow.load(request)
        return flow if flow is not None and flow.stage is FlowStage.REGISTER else None

    def _show_terms(self, flow: CodeLoginFlow) -> bool:
        # Only when the API asked: accounts that do not require acceptance get a shorter form.
        return flow.terms_required

    def get(self, request: HttpRequest) -> HttpResponse:
        flow = self._flow(request)
        if flow is None:
            return _restart(request)
        return self._render(request, flow, RegisterForm(show_terms=self._show_terms(flow)))

    def post(self, request: HttpRequest) -> HttpResponse:
        flow = self._flow(request)
        if flow is None:
            return _restart(request)
        form = RegisterForm(request.POST, show_terms=self._show_terms(flow))
        if not form.is_valid():
            return self._render(request, flow, form)
        try:
            result = flow.register(
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                accepted_terms=bool(form.cleaned_data.get("accept_terms")),
            )
        except FORM_FAILURES as error:
            if isinstance(error, FlowError) and error.key == "flow_missing":
                return _restart(request)
            # The account was not created: say why, and keep the names the fan typed.
            return form_failure(
                request, error, form=form, render=lambda: self._render(request, flow, form)
            )
        if result is RegisterResult.TERMS_REQUIRED:
            form = RegisterForm(request.POST, show_terms=True)
            form.is_valid()
            if "accept_terms" not in form.errors:
                form.add_flow_error(
                    get_adapter().error_message("terms_required"), field="accept_terms"
                )
            return self._render(request, flow, form)
        if result is RegisterResult.MUST_LOG_IN:
            messages.info(request, get_adapter().error_message("registered_login"))
            return HttpResponseRedirect(reverse("tbits_accounts:login"))
        return _landing(request, flow.next_url)

    def _render(
        self, request: HttpRequest, flow: CodeLoginFlow, form: RegisterForm
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "account_branding": account_branding(),
                **shell_context(request),
                "legal_terms": flow.legal_terms,
                "masked_contact": flow.contact.masked,
            },
        )
