"""A person's own account (sign-up, log-in, the privacy notice, the ARCO rights) and
*Mi espacio*. Thin: every change goes through `citizens` or `arco`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocrea.core.registry import WORKSPACE_SECTIONS
from cocrea.operations import ratelimit
from cocrea.operations.views import too_many

from . import arco, citizens, selectors
from .forms import ArcoRequestForm, OppositionForm, RectifyForm, SignUpForm


@login_required
def workspace(request):
    """*Mi espacio*: what is the person's and what waits for them, by each of their roles."""
    user = request.user
    blocks = [b for section in WORKSPACE_SECTIONS if (b := section.build(user)) is not None]
    return render(
        request,
        "accounts/workspace.html",
        {"blocks": blocks, "memberships": selectors.active_memberships(user)},
    )


def _viewer(request) -> dict:
    user = request.user
    profile = getattr(user, "citizen_profile", None) if user.is_authenticated else None
    return {"verified": bool(profile and profile.email_verified_at), "profile": profile}


def _verify_url(request) -> str:
    return request.build_absolute_uri(reverse("accounts:verify", args=["x"]))[:-2]


def _run(request, fn, form=None):
    """Run a service call; refusals become messages (or form errors). Returns (ok, result)."""
    try:
        return True, fn()
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.error(request, " ".join(exc.messages))
    except (citizens.Refused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return False, None


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and ratelimit.any_over_limit(
        request,
        [
            ("register-ip", ratelimit.client_ip(request)),
            ("register-email", request.POST.get("email", "").strip().lower()),
        ],
    ):
        return too_many(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, user = _run(
            request,
            lambda: citizens.sign_up(
                email=data["email"],
                display_name=data["display_name"],
                password=data["password"],
                accepted_privacy=data["accept_privacy"],
                kind=data["kind"],
                verify_url=_verify_url(request),
            ),
        )
        if ok:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Cuenta creada. Le enviamos un enlace para confirmar su correo.")
            )
            return redirect("accounts:account")
    return render(request, "accounts/signup.html", {"form": form})


def verify(request, token):
    ok, _user = _run(request, lambda: citizens.verify_email(token))
    if ok:
        messages.success(request, _("Su correo quedó verificado: ya puede participar."))
        if not request.user.is_authenticated:
            return redirect("accounts:login")
    return redirect("accounts:account")


def privacy(request):
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        citizens.accept_privacy(request.user)
        messages.success(request, _("Aceptó el aviso de privacidad vigente."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/privacy.html",
        {"version": citizens.PRIVACY_VERSION, **_viewer(request)},
    )


class Login(auth_views.LoginView):
    """The public log-in; `?next=` brings the person back to the page they came from."""

    template_name = "accounts/login.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["username"].label = _("Correo o usuario")
        return form

    def get_default_redirect_url(self):
        return reverse("accounts:workspace")


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("Sesión cerrada."))
    return redirect("web:dashboard")


@login_required
def account(request):
    user = request.user
    rectify_form = RectifyForm(initial={"display_name": user.display_name, "email": user.email})
    opposition_form = OppositionForm(
        initial={"emails": user.emails_opposed_at is not None,
                 "public_name": user.public_name_opposed_at is not None}
    )  # fmt: skip
    request_form = ArcoRequestForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "resend":
        citizens.send_verification(user, _verify_url(request))
        messages.success(request, _("Le enviamos un nuevo enlace de verificación."))
        return redirect("accounts:account")
    if action == "rectify":
        rectify_form = RectifyForm(request.POST)
        if rectify_form.is_valid():
            data = rectify_form.cleaned_data
            before = user.email
            ok, changed = _run(
                request,
                lambda: arco.rectify(user, actor=user, display_name=data["display_name"],
                                     email=data["email"], verify_url=_verify_url(request)),
                rectify_form,
            )  # fmt: skip
            if ok:
                messages.success(request, _("Sus datos quedaron corregidos."))
                if changed.email != before:
                    messages.success(
                        request, _("Le enviamos un enlace para verificar el nuevo correo.")
                    )
                return redirect("accounts:account")
    if action == "oppose":
        opposition_form = OppositionForm(request.POST)
        if opposition_form.is_valid():
            data = opposition_form.cleaned_data
            ok, _user = _run(
                request,
                lambda: arco.oppose(user, actor=user, emails=data["emails"],
                                    public_name=data["public_name"]),
            )  # fmt: skip
            if ok:
                messages.success(
                    request, _("Guardamos sus preferencias sobre el uso de sus datos.")
                )
                return redirect("accounts:account")
    if action == "request":
        request_form = ArcoRequestForm(request.POST)
        if request_form.is_valid():
            data = request_form.cleaned_data
            ok, filed = _run(
                request,
                lambda: arco.file_request(user, actor=user, right=data["right"], text=data["text"]),
                request_form,
            )
            if ok:
                messages.success(
                    request,
                    _("Recibimos su solicitud; la respuesta llegará a más tardar el %(d)s.")
                    % {"d": filed.due_on.strftime("%d/%m/%Y")},
                )
                return redirect("accounts:account")
    memberships = user.memberships.select_related("entity", "organization").order_by(
        "ended_on", "kind", "entity__code"
    )
    return render(
        request,
        "accounts/account.html",
        {
            **_viewer(request),
            "memberships": list(memberships),
            "rectify_form": rectify_form,
            "opposition_form": opposition_form,
            "request_form": request_form,
            "arco_requests": list(user.arco_requests.order_by("-filed_at")[:50]),
        },
    )


@login_required
def my_data(request):
    data = citizens.export_account_data(request.user, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mis-datos-cocrea.json"'
    return response


@login_required
def delete_account(request):
    if request.method == "POST" and request.POST.get("confirm") == "eliminar":
        user = request.user
        ok, _result = _run(request, lambda: citizens.delete_account(user, actor=user))
        if ok:
            logout(request)
            messages.success(request, _("Su cuenta y sus datos personales fueron eliminados."))
            return redirect("web:dashboard")
    elif request.method == "POST":
        messages.error(request, _("Escriba «eliminar» para confirmar."))
    return render(request, "accounts/delete.html", {})


# Password reset: Django's own views, with the house's Spanish templates.
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/emails/password_reset.txt",
    subject_template_name="accounts/emails/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
