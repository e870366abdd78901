from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("treatments/", views.treatment_index, name="index"),
    path("treatments/category/<slug:slug>/", views.category_detail, name="category"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="detail"),
]
