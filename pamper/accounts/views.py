"""Account pages: sign up, sign in (rate-limited), profile, API tokens, invitations.

Sign out and the password reset and change pages are Django's own views with
our templates (see urls.py).
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pamper.lib import clock

from . import actions, ratelimit
from .forms import ProfileForm, SignInForm, SignUpForm, TokenForm
from .models import ApiToken, Membership


def _next_url(request: HttpRequest, default: str = "/") -> str:
    """The ?next= (or posted next) target when it stays on this site, else default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: a bare word ("?next=id") would go to redirect() as a URL name and fail with a 500.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def client_address(request: HttpRequest) -> str:
    """The caller's IP. REMOTE_ADDR only: forwarded headers can be forged unless a proxy rewrites them."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Pamper, {user.get_short_name()}.")
        return redirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}, status=status)


def _limited(request: HttpRequest, form: SignInForm, verdict: ratelimit.Verdict) -> HttpResponse:
    minutes = max(1, round(verdict.retry_after / 60))
    who = "this account" if verdict.reason == "account" else "your network address"
    message = f"Too many sign-in attempts for {who}. For your security, try again in {minutes} minute{'s' if minutes != 1 else ''}, or reset your password."
    response = render(request, "accounts/login.html", {"form": form, "limited": message, "next": _next_url(request, "")}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def signin(request: HttpRequest) -> HttpResponse:
    """Sign in by email. Failed attempts are counted per account and per address (429 when over)."""
    form = SignInForm(request, request.POST or None)
    if request.method == "POST":
        now, address = time.time(), client_address(request)
        email = request.POST.get("email", "").strip().lower()[:254]
        verdict = ratelimit.check(email=email, address=address, now=now)
        if not verdict.allowed:
            return _limited(request, form, verdict)
        if form.is_valid() and form.user is not None:
            ratelimit.record_success(email=email, now=now)
            login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request))
        ratelimit.record_failure(email=email, address=address, now=now)
        return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, "")}, status=400)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, "")})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    memberships = Membership.objects.filter(user=request.user).select_related("venue").order_by("venue__name")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships}, status=status)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create one; the raw value is shown once, on this response."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _, raw = ApiToken.issue(request.user, name=form.cleaned_data["name"].strip())  # type: ignore[arg-type]
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    status = 400 if request.method == "POST" and raw is None else 200
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "raw": raw}, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    actions.revoke_token(token=token, now=clock.now())
    messages.success(request, f"Token “{token.name}” is revoked: requests using it are refused from now on.")
    return redirect("accounts:tokens")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation; a signed-in invitee accepts it with a POST."""
    found = actions.find_invitation(token)
    if found is None:
        return render(request, "accounts/invitation.html", {"error": "This invitation link is not valid."}, status=404)
    context = {"invitation": found, "state": found.state(clock.now()), "token": token}
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = actions.accept_invitation(raw=token, user=request.user, now=clock.now())  # type: ignore[arg-type]
        except actions.MembershipError as exc:
            return render(request, "accounts/invitation.html", {**context, "error": str(exc)}, status=409)
        messages.success(request, f"You have joined {membership.venue.name} as {membership.get_role_display().lower()}.")
        return redirect(reverse("partner:home", args=[membership.venue_id]))
    return render(request, "accounts/invitation.html", context)
