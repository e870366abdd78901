"""Clinical pages: the customer's health record and forms (records), photos (photos), the pathway checkout
(checkout), and what they share with the practitioner pages (common; the practitioner pages are
staff_views.py). Views validate, call one action, render; every read of health data is logged."""
