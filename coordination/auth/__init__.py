"""Users, roles, passwords, sessions and API tokens."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="auth",
    blueprints=("coordination.auth.views:bp", "coordination.auth.user_views:bp"),
    api_blueprints=("coordination.auth.api:blp",),
    cli=("coordination.auth.cli:users_cli",),
    navigation=(
        NavEntry(
            "users.index",
            L_("Users"),
            order=80,
            visible="coordination.auth.policies:can_manage_users",
        ),
    ),
    setup="coordination.auth.setup:init_app",
)
