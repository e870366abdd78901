from django.urls import path

from . import views

app_name = "seo"
urlpatterns = [
    path("treatments/category/<slug:category>/in/<slug:town>/", views.category_in_town, name="category_in_town"),
    path("treatments/<slug:treatment>/in/<slug:town>/", views.treatment_in_town, name="treatment_in_town"),
]
