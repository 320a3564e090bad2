from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.accounts.api.serializers import MeSerializer, ReviewInputSerializer, UserSerializer
from geoportal.accounts.filters import UserFilter
from geoportal.accounts.models import User
from geoportal.accounts.services import user_mark_reviewed
from geoportal.core.viewsets import ScopedReadOnlyViewSet, capability_permission
from geoportal.scopes import Action, Capability, get_scoped_or_404


class MeApi(APIView):
    accepts_restricted_tokens = True  # an agency checks which account its token is
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class UserViewSet(ScopedReadOnlyViewSet):
    queryset = User.objects.select_related("organisation", "last_reviewed_by")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    permission_classes = [capability_permission(Capability.ACCOUNTS_VIEW)]


class UserReviewApi(APIView):
    """Mark an account as reviewed (periodic account review)."""

    permission_classes = [capability_permission(Capability.ACCOUNTS_REVIEW)]

    @extend_schema(request=ReviewInputSerializer, responses=UserSerializer)
    def post(self, request, pk: int):
        target = get_scoped_or_404(User.objects.all(), request.user, Action.APPROVE, pk=pk)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_mark_reviewed(actor=request.user, user=target, note=data.validated_data["note"])
        return Response(UserSerializer(user).data)
