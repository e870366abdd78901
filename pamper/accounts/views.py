"""Account pages: sign up, sign in (rate-limited, with a second factor when turned on), profile,
two-factor set-up, API tokens, invitations, closing the account.

Sign out and the password reset and change pages are Django's own views with
our templates (see urls.py); a new password also ends the account's API tokens.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.nexturl import next_path

from . import actions, lockout, two_factor
from . import signin as signin_
from .emails import confirmation_claim
from .forms import CloseAccountForm, CodeForm, DisableTwoFactorForm, ProfileForm, SignInForm, SignUpForm, TokenForm
from .models import ApiToken, Membership, User

ENROL_KEY = "two_factor_new_key"  # session: the app key being set up (hex), until its first code confirms it
HOME = "venues:home"  # the home page; reversed while the page's language is active, so /it/ from an Italian page


def _next_url(request: HttpRequest, default: str | None = None) -> str:
    """The ?next= (or posted next) target when it stays on this site, else default (the home page in the page's
    language)."""
    return next_path(request, reverse(HOME) if default is None else default)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = actions.sign_up(email=d["email"], name=d["name"], password=d["password1"])
        except Refusal as exc:  # the same address signed up a moment ago, between the form's check and the insert
            form.add_error("email", exc.message)
            status = exc.status
        else:
            signin_.start_session(request, user)  # a new account: no second factor yet
            messages.success(
                request,
                gettext("Welcome to Pamper, %(user_get_short_name)s.") % {"user_get_short_name": user.get_short_name()},
            )
            return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}, status=status)


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link a new account's address was sent. GET shows a button, POST confirms: a mail scanner that opens
    every link in a message confirms nothing. Signed in or not (the link is the proof)."""
    try:
        if request.method != "POST":
            claim = confirmation_claim(token)
            if claim is None:
                raise actions.bad_confirmation_link()
            return render(request, "accounts/confirm_email.html", {"email": claim.get("email", "")})
        user = actions.confirm_email(token=token, now=clock.now())
    except Refusal as exc:
        return render(request, "accounts/confirm_email.html", {"refused": exc.message}, status=exc.status)
    messages.success(request, gettext("Thank you: %(email)s is confirmed.") % {"email": user.email})
    return redirect(reverse("accounts:profile") if request.user.is_authenticated else reverse(HOME))


@require_POST
@login_required
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """The banner's button: the confirmation link again (at most once a minute)."""
    if actions.resend_confirmation(user=request.user):
        messages.success(request, gettext("We sent a new link to %(email)s.") % {"email": request.user.email})
    elif not request.user.email_confirmed:
        messages.info(request, gettext("A link went out a moment ago: look in your inbox, and in spam."))
    return redirect(_next_url(request))


def _limited(
    request: HttpRequest, template: str, context: dict, verdict: lockout.Verdict, message: str
) -> HttpResponse:
    """The 429 page for too many sign-in attempts; `message` (translated) has %(wait)s where "N minutes" goes."""
    minutes = max(1, round(verdict.retry_after / 60))
    wait = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    response = render(request, template, {**context, "limited": message % {"wait": wait}}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def signin(request: HttpRequest) -> HttpResponse:
    """Sign in by email. Failed attempts are counted per account and per address (429 when over); an account with
    two-factor on goes on to the code step."""
    form = SignInForm(request.POST or None)
    context = {"form": form, "next": _next_url(request, "")}
    if request.method != "POST":
        return render(request, "accounts/login.html", context)
    valid = form.is_valid()
    attempt = signin_.sign_in(
        request, email=request.POST.get("email", ""), password=form.cleaned_data["password"] if valid else ""
    )
    if attempt.step == signin_.Step.LIMITED:
        if attempt.verdict and attempt.verdict.reason == "account":
            message = gettext("Too many sign-in attempts for this account. For your security, try again in "
                              "%(wait)s, or reset your password.")
        else:
            message = gettext("Too many sign-in attempts from your network address. For your security, try again "
                              "in %(wait)s, or reset your password.")
        return _limited(request, "accounts/login.html", context, attempt.verdict, message)  # type: ignore[arg-type]
    if attempt.step == signin_.Step.WRONG:
        if valid:
            form.add_error(None, SignInForm.WRONG)
        return render(request, "accounts/login.html", context, status=400)
    if attempt.step == signin_.Step.CODE_NEEDED:
        return redirect(_with_next(reverse("accounts:verify"), _next_url(request, "")))
    if two_factor.venues_requiring(attempt.user):  # type: ignore[arg-type]
        messages.info(
            request, gettext("A venue you work at requires two-factor sign-in for clinical records: turn it on below.")
        )
        return redirect(_with_next(reverse("accounts:two_factor"), _next_url(request, "")))
    return redirect(_next_url(request))


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def code_step_url(request: HttpRequest, next_url: str) -> str:
    """Where a request that needs the second factor goes: the code step, or set-up for someone with no app yet."""
    target = "accounts:verify" if two_factor.is_enabled(request.user) else "accounts:two_factor"  # type: ignore[arg-type]
    return _with_next(reverse(target), next_url)


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the authenticator app or a recovery code.

    Also the step-up prompt for someone signed in with a password alone who opens clinical records at a venue that
    requires a second factor. Wrong codes count against the same limits as wrong passwords.
    """
    now = time.time()
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else signin_.pending_user(request, now)
    if user is None:
        messages.info(request, gettext("Sign in with your password first; the code step then follows."))
        return redirect(_with_next(reverse("accounts:login"), _next_url(request, "")))
    if signed_in and two_factor.is_verified(user):
        return redirect(_next_url(request))
    if signed_in and not two_factor.is_enabled(user):  # type: ignore[arg-type]
        return redirect(_with_next(reverse("accounts:two_factor"), _next_url(request, "")))
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": _next_url(request, ""), "step_up": signed_in}
    if request.method != "POST":
        return render(request, "accounts/verify.html", context)
    valid = form.is_valid()
    attempt = signin_.give_code(request, user, form.cleaned_data["code"] if valid else "", now=now)  # type: ignore[arg-type]
    if attempt.step == signin_.Step.LIMITED:
        return _limited(
            request,
            "accounts/verify.html",
            context,
            attempt.verdict,  # type: ignore[arg-type]
            gettext("Too many wrong codes. Try again in %(wait)s."),
        )
    if attempt.step != signin_.Step.SIGNED_IN:
        if valid:
            form.add_error(
                "code", gettext("That code is not right, or it was already used. Codes change every 30 seconds.")
            )
        return render(request, "accounts/verify.html", context, status=400)
    if isinstance(attempt.device, StaticDevice):
        left = two_factor.recovery_codes_left(user)  # type: ignore[arg-type]
        messages.warning(
            request,
            gettext("You signed in with a recovery code; %(left)s left. Make new ones on the two-factor page.")
            % {"left": left},
        )
    return redirect(_next_url(request))


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, confirm with a code), make new recovery codes, or turn it off."""
    user: User = request.user  # type: ignore[assignment]
    requiring = list(two_factor.venues_requiring(user))
    enabled = two_factor.is_enabled(user)
    context: dict = {"enabled": enabled, "requiring": requiring, "next": _next_url(request, "")}
    if enabled and not two_factor.is_verified(user):
        # Changing the second factor needs the second factor: a stolen password alone cannot turn it off.
        return redirect(_with_next(reverse("accounts:verify"), request.get_full_path()))
    action = request.POST.get("action") if request.method == "POST" else None
    status = 200
    if not enabled:
        # The new key waits in the session until its first code confirms it; nothing is stored before.
        enrolment = two_factor.enrolment(user, request.session.get(ENROL_KEY))
        request.session[ENROL_KEY] = enrolment.key
        form = CodeForm(request.POST if action == "confirm" else None, setting_up=True)
        if action == "confirm" and form.is_valid():
            confirmed = two_factor.confirm(user, enrolment.key, form.cleaned_data["code"])
            if confirmed is not None:
                device, codes = confirmed
                del request.session[ENROL_KEY]
                otp_login(request, device)
                messages.success(request, gettext("Two-factor sign-in is on. Keep the recovery codes somewhere safe."))
                return render(request, "accounts/two_factor.html", {**context, "enabled": True, "codes": codes})
            form.add_error(
                "code", gettext("That code is not right. Check the time on your phone and try the newest code.")
            )
        status = 400 if action == "confirm" else 200
        context |= {"form": form, "enrolment": enrolment}
        return render(request, "accounts/two_factor.html", context, status=status)
    disable_form = DisableTwoFactorForm(user, request.POST if action == "disable" else None)
    if action == "recovery":
        codes = two_factor.new_recovery_codes(user)
        messages.success(request, gettext("New recovery codes made; the old ones no longer work."))
        return render(request, "accounts/two_factor.html", {**context, "codes": codes, "disable_form": disable_form})
    if action == "disable":
        if requiring:
            names = ", ".join(v.name for v in requiring)
            messages.error(
                request,
                ngettext("%(names)s requires two-factor sign-in for your role, so it stays on.",
                         "%(names)s require two-factor sign-in for your role, so it stays on.", len(requiring))
                % {"names": names},
            )
            status = 409
        elif disable_form.is_valid():
            two_factor.disable(user)
            messages.success(request, gettext("Two-factor sign-in is off: your password alone now signs you in."))
            return redirect("accounts:two_factor")
        else:
            status = 400
    context |= {"disable_form": disable_form, "codes_left": two_factor.recovery_codes_left(user)}
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user=request.user, name=form.cleaned_data["name"],  # type: ignore[arg-type]
                               phone=form.cleaned_data["phone"], language=form.cleaned_data["language"] or None)
        messages.success(request, gettext("Your profile is saved."))
        return redirect("accounts:profile")
    memberships = Membership.objects.filter(user=request.user).select_related("venue").order_by("venue__name")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": memberships, "two_factor_on": two_factor.is_enabled(request.user)},
        status=status,
    )  # type: ignore[arg-type]


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    """What closing the account does, and the form that does it (password, code with two-factor on, a tick).

    While something stops it (a venue the person runs or works at, upcoming visits) the page says what, and a
    POST is refused with the same sentence (409). Once closed, the browser is signed out."""
    user: User = request.user  # type: ignore[assignment]
    two_factor_on = two_factor.is_enabled(user)
    try:
        actions.check_closing(user=user, now=clock.now())
        blocked = None
    except Refusal as exc:
        blocked = exc
    form = CloseAccountForm(request.POST or None, two_factor_on=two_factor_on)
    context = {"form": form, "blocked": blocked, "two_factor_on": two_factor_on}
    if request.method != "POST":
        return render(request, "accounts/close.html", context)
    if blocked is not None:
        return render(request, "accounts/close.html", context, status=blocked.status)
    if not form.is_valid():
        return render(request, "accounts/close.html", context, status=400)
    email = user.email
    try:
        actions.close_account(user=user, password=form.cleaned_data["password"], code=form.cleaned_data.get("code"),
                              address=signin_.client_address(request), now=clock.now())
    except Refusal as exc:
        field = exc.extra.get("field")
        if field in form.fields:  # a wrong password or code: next to its field
            form.add_error(field, exc.message)
        else:  # too many attempts, or something that stops it arrived meanwhile
            context["blocked"] = exc
        response = render(request, "accounts/close.html", context, status=exc.status)
        if exc.extra.get("retry_after"):
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    logout(request)
    messages.success(request, gettext("Your Pamper account is closed. We have sent a confirmation to %(email)s.")
                     % {"email": email})
    return redirect(HOME)  # in the language of the page it was closed from, as the message above


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create one; the raw value is shown once, on this response.

    A session that skipped the code (signed in before two-factor was turned on elsewhere) is sent to the code
    step before it may make one."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and two_factor.is_enabled(user) and not two_factor.is_verified(user):
        messages.warning(request, gettext("Enter a code from your authenticator app before making a token."))
        return redirect(code_step_url(request, reverse("accounts:tokens")))
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _, raw = signin_.issue_token(
            user, name=form.cleaned_data["name"].strip(), verified=two_factor.is_verified(user)
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    status = 400 if request.method == "POST" and raw is None else 200
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "raw": raw}, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    actions.revoke_token(token=token, now=clock.now())
    messages.success(
        request,
        gettext("Token “%(token_name)s” is revoked: requests using it are refused from now on.")
        % {"token_name": token.name},
    )
    return redirect("accounts:tokens")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation; a signed-in invitee accepts it with a POST."""
    found = actions.find_invitation(token)
    if found is None:
        context = {"error": gettext("This invitation link is not valid.")}
        return render(request, "accounts/invitation.html", context, status=404)
    context = {"invitation": found, "state": found.state(clock.now()), "token": token}
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = actions.accept_invitation(raw=token, user=request.user, now=clock.now())  # type: ignore[arg-type]
        except Refusal as exc:
            return render(request, "accounts/invitation.html", {**context, "error": exc.message}, status=exc.status)
        except two_factor.TwoFactorRequired as exc:
            messages.warning(request, str(exc))
            return redirect(code_step_url(request, request.path))
        messages.success(
            request,
            gettext("You have joined %(venue_name)s as %(membership_get_role_display)s.")
            % {
                "venue_name": membership.venue.name,
                "membership_get_role_display": membership.get_role_display().lower(),
            },
        )
        return redirect(reverse("partner:home", args=[membership.venue_id]))
    return render(request, "accounts/invitation.html", context)


def _active_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def _tokens_ended(request: HttpRequest, ended: int) -> None:
    """A new password ends the API tokens taken with the old one (as it ends other sessions: saving the password
    does it, receivers.py); say so."""
    if ended:
        messages.info(request, ngettext(
            "Your API token stopped working with the old password: make a new one on the API tokens page.",
            "Your %(count)s API tokens stopped working with the old password: make new ones on the API tokens page.",
            ended) % {"count": ended})


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: Any) -> HttpResponse:
        active = _active_tokens(form.user)
        response = super().form_valid(form)
        _tokens_ended(self.request, active)
        actions.mark_confirmed(user=form.user, now=clock.now())  # the reset link came to the address
        return response


class PasswordChange(auth_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        active = _active_tokens(form.user)
        response = super().form_valid(form)
        _tokens_ended(self.request, active)
        return response
