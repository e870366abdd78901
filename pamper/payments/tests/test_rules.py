"""The money rules as pure functions, with properties hypothesis searches for counter-examples to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamper.payments import rules as r

amounts = st.integers(min_value=0, max_value=10_000_000)
percents = st.decimals(min_value=0, max_value=150, places=2)
currencies = st.sampled_from(["GBP", "EUR", "JPY", "KWD"])
modes = st.sampled_from([r.PAY_AT_VENUE, r.DEPOSIT, r.PREPAYMENT, r.CARD_ON_FILE])


@st.composite
def terms(draw: st.DrawFn) -> r.Terms:
    return r.Terms(
        mode=draw(modes), deposit_kind=draw(st.sampled_from([r.PERCENT, r.FIXED])), deposit_value=draw(percents),
        free_cancel_hours=draw(st.integers(0, 168)), late_fee_kind=draw(st.sampled_from([r.PERCENT, r.FIXED])),
        late_fee_value=draw(percents), no_show_fee_kind=draw(st.sampled_from([r.PERCENT, r.FIXED])),
        no_show_fee_value=draw(percents),
    )


def test_minor_units_follow_the_currency():
    assert r.to_minor(Decimal("12.345"), "GBP") == 1235
    assert r.to_minor("12.344", "eur") == 1234
    assert r.to_minor(Decimal("1500"), "JPY") == 1500
    assert r.to_minor(Decimal("1.2345"), "KWD") == 1235
    assert r.from_minor(1235, "GBP") == Decimal("12.35")
    assert str(r.from_minor(5, "KWD")) == "0.005"
    with pytest.raises(ValueError):
        r.to_minor("1", "XXX")
    with pytest.raises(TypeError):
        r.to_minor(1.5, "GBP")  # type: ignore[arg-type]
    for not_money in ("NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "1e15"):
        with pytest.raises(ValueError):
            r.to_minor(not_money, "GBP")
        with pytest.raises(ValueError):
            r.parse_money(not_money)
    assert r.parse_money(" 9.50 ") == Decimal("9.50")


@given(st.integers(min_value=0, max_value=10**12), currencies)
def test_minor_units_round_trip(minor: int, currency: str):
    assert r.to_minor(r.from_minor(minor, currency), currency) == minor


def test_a_twenty_percent_deposit_rounds_half_up_to_the_penny():
    deposit = r.Terms(mode=r.DEPOSIT, deposit_value=Decimal(20))
    assert r.due_now(deposit, 4500, "GBP") == 900
    assert r.due_now(deposit, 4503, "GBP") == 901  # 900.6
    assert r.due_now(deposit, 4502, "GBP") == 900  # 900.4
    assert r.due_now(r.Terms(mode=r.DEPOSIT, deposit_value=Decimal("12.5")), 4, "GBP") == 1  # 0.5 rounds up
    assert r.due_now(r.Terms(mode=r.DEPOSIT, deposit_kind=r.FIXED, deposit_value=Decimal("10")), 4500, "GBP") == 1000
    assert r.due_now(r.Terms(mode=r.PREPAYMENT), 4500, "GBP") == 4500
    assert r.due_now(r.Terms(mode=r.CARD_ON_FILE, no_show_fee_value=Decimal(50)), 4500, "GBP") == 0


@given(terms(), amounts, currencies)
def test_what_is_asked_never_exceeds_the_price(t: r.Terms, price: int, currency: str):
    for amount in (r.due_now(t, price, currency), r.late_cancel_fee(t, price, currency),
                   r.no_show_fee(t, price, currency)):
        assert 0 <= amount <= price


@given(terms(), amounts, currencies)
def test_fees_follow_the_policy(t: r.Terms, price: int, currency: str):
    fee = r.no_show_fee(t, price, currency)
    if t.mode == r.PAY_AT_VENUE:
        assert fee == 0
    elif t.no_show_fee_kind == r.PERCENT:
        exact = Decimal(price) * t.no_show_fee_value / 100
        assert abs(Decimal(fee) - min(exact, Decimal(price))) <= Decimal("0.5")
    else:
        assert fee == min(price, r.to_minor(t.no_show_fee_value, currency))


@given(amounts, amounts, amounts, st.booleans(), st.booleans())
def test_a_refund_never_exceeds_what_was_paid(paid: int, refunded: int, fee: int, late: bool, by_venue: bool):
    refunded = min(refunded, paid)
    refund = r.cancellation_refund(paid=paid, refunded=refunded, fee=fee, late=late, by_venue=by_venue)
    assert 0 <= refund <= paid - refunded
    if by_venue or not late:
        assert refund == paid - refunded  # the venue cancels, or in time: everything back
    else:
        assert refunded + refund == max(refunded, paid - min(fee, paid))  # the fee is kept, no more


@given(amounts, amounts, amounts)
def test_a_venue_refund_is_clamped(paid: int, refunded: int, requested: int):
    refunded = min(refunded, paid)
    if 0 < requested <= paid - refunded:
        assert r.clamp_refund(requested, paid=paid, refunded=refunded) == requested
    else:
        with pytest.raises(ValueError):
            r.clamp_refund(requested, paid=paid, refunded=refunded)


@given(amounts, amounts, amounts)
def test_an_off_session_fee_charges_only_what_is_not_already_held(fee: int, paid: int, refunded: int):
    refunded = min(refunded, paid)
    extra = r.fee_to_charge(fee=fee, paid=paid, refunded=refunded)
    assert 0 <= extra <= fee
    assert extra + min(fee, paid - refunded) == fee


@given(st.integers(-10**9, 10**9), st.integers(0, 10000))
def test_commission_is_a_rounded_share_and_refunds_give_it_back(amount: int, bps: int):
    share = r.commission(amount, bps)
    assert abs(Decimal(share) - Decimal(amount) * bps / 10000) <= Decimal("0.5")
    assert r.commission(-amount, bps) == -share


def test_a_visit_quote_adds_services_and_takes_the_strongest_mode():
    deposit = r.Terms(mode=r.DEPOSIT, deposit_value=Decimal(20), free_cancel_hours=48,
                      late_fee_value=Decimal(20), no_show_fee_value=Decimal(50))
    q = r.quote([(4500, deposit), (3000, r.FREE)], "gbp")
    assert (q.kind, q.currency, q.price, q.due_now, q.late_cancel_fee, q.no_show_fee, q.free_cancel_hours) == (
        r.DEPOSIT, "GBP", 7500, 900, 900, 2250, 48)
    assert r.quote([(3000, r.FREE)], "GBP").kind == r.PAY_AT_VENUE
    card = r.Terms(mode=r.CARD_ON_FILE, no_show_fee_value=Decimal(50))
    assert r.quote([(3000, card)], "GBP").kind == r.CARD_ON_FILE
    assert r.quote([(3000, r.Terms(mode=r.CARD_ON_FILE))], "GBP").kind == r.PAY_AT_VENUE  # nothing to protect
    assert r.quote([(0, r.Terms(mode=r.PREPAYMENT))], "GBP").kind == r.PAY_AT_VENUE  # a free service


def test_lateness_is_measured_from_the_start():
    start = dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC)
    assert not r.is_late(start=start, now=start - dt.timedelta(hours=48), free_cancel_hours=48)
    assert r.is_late(start=start, now=start - dt.timedelta(hours=47, minutes=59), free_cancel_hours=48)
    assert not r.is_late(start=start, now=start, free_cancel_hours=0)
