from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from . import views

app_name = "gallery"

urlpatterns = [
    path("photos/<id:photo_id>/<int:width>.<str:fmt>", views.rendition, name="rendition"),
]
