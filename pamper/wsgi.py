import os

from django.core.wsgi import get_wsgi_application

from pamper.lib.lean import load_test_signals_alone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
load_test_signals_alone()  # before ninja loads: Django's test tools stay out of the web process (pamper/lib/lean.py)
application = get_wsgi_application()
