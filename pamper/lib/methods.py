"""Which HTTP methods a page with a form takes: GET shows it, POST sends it, and HEAD, which every general-purpose
server answers wherever it answers GET (RFC 9110), is answered as GET (Django renders the page; the server sends
the headers alone). Django's `require_safe` covers pages without a form."""

from __future__ import annotations

from django.views.decorators.http import require_http_methods

require_form_page = require_http_methods(["GET", "HEAD", "POST"])
