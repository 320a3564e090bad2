from django.urls import path

from geoportal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.UserListView.as_view(), name="user-list"),
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("<int:pk>/access/", views.UserAccessView.as_view(), name="user-access"),
    path("<int:pk>/review/", views.UserReviewView.as_view(), name="user-review"),
]
