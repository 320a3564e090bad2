"""Root URLs (DESIGN.md section 6)."""
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from geoportal.core import views as core_views

urlpatterns = [
    path("", include("layers.home_urls")),
    path("about/", core_views.home, name="about"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Authentication (Django auth views; lockout by django-axes)
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/users/", include("geoportal.accounts.urls")),
    path("organisations/", include("geoportal.organisations.urls")),
    path("audit/", include("geoportal.audit.urls")),
    path("catalogues/", include("geoportal.catalogues.urls")),
    path("admin/", admin.site.urls),
    path("ogcapi/", include("layers.ogcapi.urls")),
    path("tiles/", include("layers.tiles.urls")),
    path("exports/", include("layers.exports.urls")),
    path("officer/", include("workspace.urls")),
    path("", include("exchange.urls")),
    path("", include("monitoring.urls")),  # /monitoring/… and /edr/…
    path("", include("reports.urls")),  # before layers: its <slug>/<pk>/ catches the rest
    path("", include("layers.urls")),
    # REST API
    path("api/v1/", include("geoportal.core.api_urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("exchange.api.urls")),
    path("api/v1/", include("layers.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "geoportal.core.views.bad_request"
handler403 = "geoportal.core.views.permission_denied"
handler404 = "geoportal.core.views.page_not_found"
handler500 = "geoportal.core.views.server_error"

if settings.OIDC_ENABLED:  # OpenID Connect sign-in (issue 7), only when switched on
    urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
