from geoportal.accounts.models import User
from geoportal.scopes import Action


def users_for(user, action: Action = Action.VIEW):
    return User.objects.for_user(user, action).select_related("organisation", "last_reviewed_by")
