from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("seguimiento/compromisos/<int:pk>/", views.commitment_detail, name="commitment"),
]
