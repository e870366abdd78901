from django.urls import path

from . import views

app_name = "gallery"

urlpatterns = [
    path("photos/<int:photo_id>/<int:width>.<str:fmt>", views.rendition, name="rendition"),
]
