"""The venue workspace, mounted at /partner/. Every page of a venue lives under /partner/<venue_id>/."""

from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from .views import bookings, calendar, clients, credentials, payments, photos, resources, setup, team, venue

app_name = "partner"

V = "<id:venue_id>/"

urlpatterns = [
    path("", venue.index, name="index"),
    path("venues/new/", venue.venue_new, name="venue_new"),
    path("for-business/", venue.for_business, name="for_business"),
    path(V, venue.home, name="home"),
    path(V + "settings/", venue.settings, name="settings"),
    path(V + "policies/", venue.policies, name="policies"),
    path(V + "publish/", venue.publish, name="publish"),
    path(V + "policies/payments/", payments.payment_policy, name="payment_policy"),
    path(V + "payments/", payments.payments, name="payments"),
    path(V + "payments/gift-cards/", payments.gift_cards, name="gift_cards"),
    path(V + "bookings/<id:booking_id>/refund/", payments.refund, name="booking_refund"),
    path(V + "bookings/<id:booking_id>/fee/", payments.fee, name="booking_fee"),
    path(V + "calendar/", calendar.calendar, name="calendar"),
    path(V + "bookings/new/", bookings.booking_new, name="booking_new"),
    path(V + "bookings/<id:booking_id>/", bookings.booking_detail, name="booking"),
    path(V + "bookings/<id:booking_id>/move/", bookings.booking_move, name="booking_move"),
    path(V + "bookings/<id:booking_id>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path(V + "bookings/<id:booking_id>/confirm/", bookings.booking_confirm, name="booking_confirm"),
    path(V + "bookings/<id:booking_id>/attended/", bookings.booking_attended, name="booking_attended"),
    path(V + "bookings/<id:booking_id>/no-show/", bookings.booking_no_show, name="booking_no_show"),
    path(V + "clients/", clients.clients, name="clients"),
    path(V + "clients/<id:client_id>/", clients.client_detail, name="client"),
    path(V + "services/", setup.services, name="services"),
    path(V + "services/new/", setup.service_edit, name="service_new"),
    path(V + "services/<id:service_id>/", setup.service_edit, name="service_edit"),
    path(V + "services/<id:service_id>/delete/", setup.service_delete, name="service_delete"),
    path(V + "rooms/", resources.resources, name="resources"),
    path(V + "rooms/new/", resources.resource_save, name="resource_new"),
    path(V + "rooms/<id:resource_id>/", resources.resource_save, name="resource_edit"),
    path(V + "rooms/<id:resource_id>/delete/", resources.resource_delete, name="resource_delete"),
    path(V + "staff/", setup.staff_list, name="staff"),
    path(V + "staff/new/", setup.staff_edit, name="staff_new"),
    path(V + "staff/<id:staff_id>/", setup.staff_edit, name="staff_edit"),
    path(V + "staff/<id:staff_id>/schedule/", setup.schedule, name="schedule"),
    path(V + "staff/<id:staff_id>/shifts/new/", setup.shift_new, name="shift_new"),
    path(V + "staff/<id:staff_id>/time-off/new/", setup.time_off_new, name="time_off_new"),
    path(V + "shifts/<id:shift_id>/delete/", setup.shift_delete, name="shift_delete"),
    path(V + "time-off/<id:time_off_id>/delete/", setup.time_off_delete, name="time_off_delete"),
    path(V + "credentials/", credentials.credentials, name="credentials"),
    path(V + "credentials/<id:credential_id>/verify/", credentials.credential_verify, name="credential_verify"),
    path(V + "credentials/<id:credential_id>/remove/", credentials.credential_remove, name="credential_remove"),
    path(V + "credentials/<id:credential_id>/certificate/", credentials.credential_certificate,
         name="credential_certificate"),
    path(V + "hours/", setup.hours, name="hours"),
    path(V + "hours/new/", setup.hours_new, name="hours_new"),
    path(V + "hours/<id:hours_id>/delete/", setup.hours_delete, name="hours_delete"),
    path(V + "closures/new/", setup.closure_new, name="closure_new"),
    path(V + "closures/<id:closure_id>/delete/", setup.closure_delete, name="closure_delete"),
    path(V + "photos/", photos.photos, name="photos"),
    path(V + "photos/<id:photo_id>/", photos.photo_change, name="photo_change"),
    path(V + "team/", team.team, name="team"),
    path(V + "team/invite/", team.invite, name="invite"),
    path(V + "team/two-factor/", team.two_factor_policy, name="two_factor_policy"),
    path(V + "team/invitations/<id:invitation_id>/revoke/", team.invitation_revoke, name="invitation_revoke"),
    path(V + "team/members/<id:membership_id>/role/", team.member_role, name="member_role"),
    path(V + "team/members/<id:membership_id>/remove/", team.member_remove, name="member_remove"),
]
