"""The people of an organization over GraphQL: its members, their API tokens and the history of changes
(queries), and the admins' operations on them (mutations). Rules live in backend/accounts/ (people.py)."""

import django_filters
import graphene
from graphene_django.filter import TypedFilter

from backend.accounts import people
from backend.errors import camel_case
from backend.graphql.connections import FilteredConnectionField
from backend.graphql.errors import error_type
from backend.graphql.ids import get_visible
from backend.graphql.mutations import BaseMutation
from backend.graphql.permissions import permission_required, require_viewer
from backend.graphql.types import ScopedObjectType
from backend.models import AccountEvent, AccountEventKind, ApiToken, Role, User
from backend.permissions import Permission
from backend.tenancy import visible

RoleEnum = graphene.Enum.from_enum(Role, description=lambda v: v.label if v else "A member's role.")
AccountEventKindEnum = graphene.Enum.from_enum(
    AccountEventKind, description=lambda v: v.label if v else "What changed to an organization's people or tokens."
)


class MemberType(ScopedObjectType):
    """A person of your organization."""

    class Meta:
        model = User
        name = "Member"
        fields = ("email", "is_active", "last_login", "date_joined")

    email = graphene.String(required=True, description="E-mail address, also the login name.")
    name = graphene.String(required=True, description="Full name (empty until the invitation is accepted).")
    role = graphene.Field(RoleEnum, required=True, description="What the member may do.")
    is_active = graphene.Boolean(
        required=True, description="False once deactivated (their tokens no longer work), or while invited."
    )
    invitation_pending = graphene.Boolean(
        required=True, description="True until the member accepts an invitation and chooses a password."
    )
    last_login = graphene.DateTime(description="Last sign-in to the site (not API calls: see tokens' lastUsedAt).")
    date_joined = graphene.DateTime(required=True, description="When the account was created.")

    def resolve_name(root, info):
        return root.get_full_name()

    def resolve_invitation_pending(root, info):
        return not root.has_usable_password()


def member_of_organization(root, user_id_field: str, info):
    """The user an event or token names, when they are of the viewer's organization (staff acting through the
    admin site are not, and are shown as null)."""
    user = getattr(root, user_id_field.removesuffix("_id"))
    viewer = require_viewer(info)
    return user if user is not None and user.organization_id == viewer.organization.pk else None


class ApiTokenType(ScopedObjectType):
    """An API token of a member of your organization; the token itself is never shown again."""

    class Meta:
        model = ApiToken
        name = "ApiToken"
        fields = ("name", "created_at", "last_used_at", "revoked_at")

    name = graphene.String(required=True, description="Label given when it was created.")
    prefix = graphene.String(required=True, description="First characters of the token, to recognise it.")
    member = graphene.Field(MemberType, required=True, description="Whose token it is.")
    created_at = graphene.DateTime(required=True, description="When it was created.")
    last_used_at = graphene.DateTime(description="When it last authenticated a request; null if never.")
    revoked_at = graphene.DateTime(description="When it was revoked; null while it works.")

    def resolve_prefix(root, info):
        return root.key_prefix

    def resolve_member(root, info):
        return root.user


class AccountEventType(ScopedObjectType):
    """One change to your organization's people or tokens: who made it, when, to whom and what."""

    class Meta:
        model = AccountEvent
        name = "AccountEvent"
        fields = ("detail", "at")

    kind = graphene.Field(AccountEventKindEnum, required=True, description="What changed.")
    actor = graphene.Field(MemberType, description="Who made the change; null for an operator (command, admin site).")
    subject = graphene.Field(MemberType, description="The member changed (or whose token it was).")
    detail = graphene.JSONString(required=True, description="What changed, e.g. {oldRole, newRole} or {token, name}.")
    at = graphene.DateTime(required=True, description="When.")

    def resolve_actor(root, info):
        return member_of_organization(root, "actor_id", info)

    def resolve_subject(root, info):
        return member_of_organization(root, "subject_id", info)

    def resolve_detail(root, info):
        return {camel_case(key): value for key, value in root.detail.items()}


class MemberFilter(django_filters.FilterSet):
    role = TypedFilter(input_type=graphene.String, field_name="role", label="Only members with this role (admin, analyst, viewer).")
    is_active = TypedFilter(input_type=graphene.Boolean, field_name="is_active", label="Only active (true) or inactive (false) members.")

    class Meta:
        model = User
        fields = []


class ApiTokenFilter(django_filters.FilterSet):
    revoked = TypedFilter(input_type=graphene.Boolean, field_name="revoked_at", lookup_expr="isnull", exclude=True,
                          label="Only revoked (true) or working (false) tokens.")

    class Meta:
        model = ApiToken
        fields = []


class AccountEventFilter(django_filters.FilterSet):
    kind = TypedFilter(input_type=graphene.String, field_name="kind", label="Only events of this kind (e.g. role_changed).")

    class Meta:
        model = AccountEvent
        fields = []


class PeopleQueries(graphene.ObjectType):
    organization_members = FilteredConnectionField(
        MemberType, filterset_class=MemberFilter, default_order=("email", "pk"),
        description="The people of your organization, by e-mail address (first or last required, at most 100).",
    )
    organization_tokens = FilteredConnectionField(
        ApiTokenType, filterset_class=ApiTokenFilter, default_order=("-created_at", "-pk"),
        description="The API tokens of your organization's people, newest first; admins only (first or last "
        "required, at most 100).",
    )
    account_history = FilteredConnectionField(
        AccountEventType, filterset_class=AccountEventFilter, default_order=("-at", "-pk"),
        description="Every change to your organization's people and tokens, newest first; admins only (first or "
        "last required, at most 100).",
    )

    @staticmethod
    def resolve_organization_members(root, info, **kwargs):
        return visible(User, require_viewer(info))

    @staticmethod
    @permission_required(Permission.MANAGE_PEOPLE)
    def resolve_organization_tokens(root, info, **kwargs):
        return visible(ApiToken, require_viewer(info)).select_related("user")

    @staticmethod
    @permission_required(Permission.MANAGE_PEOPLE)
    def resolve_account_history(root, info, **kwargs):
        return visible(AccountEvent, require_viewer(info)).select_related("actor", "subject")


class AccountErrorCode(graphene.Enum):
    """Why an accounts mutation was refused."""

    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    INVALID_EMAIL = "invalid_email"
    EMAIL_TAKEN = "email_taken"
    ALREADY_MEMBER = "already_member"
    LAST_ADMIN = "last_admin"
    INVITATION_PENDING = "invitation_pending"
    INACTIVE = "inactive"

    @property
    def description(self):
        return {
            "INVALID": "The value is not acceptable.",
            "REQUIRED": "A required value is missing.",
            "NOT_FOUND": "The ID does not exist or is not of your organization.",
            "INVALID_EMAIL": "The e-mail address is not valid.",
            "EMAIL_TAKEN": "That e-mail address already has an account.",
            "ALREADY_MEMBER": "That person is already a member of your organization.",
            "LAST_ADMIN": "The change would leave your organization without an active admin.",
            "INVITATION_PENDING": "The member never accepted an invitation: invite them again instead.",
            "INACTIVE": "The member is deactivated.",
        }[self.name]


AccountError = error_type("AccountError", AccountErrorCode, "accounts")


def member(viewer, global_id: str, field: str = "id") -> User:
    return get_visible(User, viewer, global_id, "Member", field)


class PeopleMutation(BaseMutation):
    """A mutation of your organization's people: it needs MANAGE_PEOPLE (unless its Meta says otherwise) and reports
    its problems as `AccountError`s."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, permissions=(Permission.MANAGE_PEOPLE,), **options):
        super().__init_subclass_with_meta__(permissions=permissions, error_type_class=AccountError, **options)


class InviteMember(PeopleMutation):
    """Invite a person into your organization by e-mail with a role: they get a single-use link, valid for a
    limited time (INVITATION_MAX_AGE_DAYS, default 7), to choose their name and password. Inviting again someone
    who has not accepted yet sends a new link and the old one stops working."""

    member = graphene.Field(MemberType, description="The invited member (inactive until they accept).")

    class Arguments:
        email = graphene.String(required=True, description="Their e-mail address (also their login name).")
        role = RoleEnum(required=True, description="The role they will have.")

    @classmethod
    def perform(cls, info, viewer, email, role):
        return cls(member=people.invite(viewer, email, role).invitation.user, errors=[])


class ChangeMemberRole(PeopleMutation):
    """Give a member of your organization another role. The last active admin cannot be demoted."""

    member = graphene.Field(MemberType, description="The member with their new role.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the member.")
        role = RoleEnum(required=True, description="Their new role.")

    @classmethod
    def perform(cls, info, viewer, id, role):
        return cls(member=people.change_role(viewer, member(viewer, id), role), errors=[])


class MemberSwitch(PeopleMutation):
    """A mutation `name(id)` applying a people service `change(actor, member)` to one member: deactivating and
    reactivating take the same input and give the same answer."""

    class Meta:
        abstract = True

    class Arguments:
        id = graphene.ID(required=True, description="ID of the member.")

    @classmethod
    def perform(cls, info, viewer, id):
        return cls(member=cls.change(viewer, member(viewer, id)), errors=[])


class DeactivateMember(MemberSwitch):
    """Deactivate a member of your organization: their API tokens stop working at once and they can no longer sign in. The last active admin cannot be deactivated."""  # one line: the schema prints it as written

    member = graphene.Field(MemberType, description="The deactivated member.")
    change = staticmethod(people.deactivate)


class ReactivateMember(MemberSwitch):
    """Let a deactivated member of your organization back in, with their password and their tokens."""

    member = graphene.Field(MemberType, description="The reactivated member.")
    change = staticmethod(people.reactivate)


class RevokeToken(PeopleMutation):
    """Revoke an API token of your organization's people: it stops working at once."""

    token = graphene.Field(ApiTokenType, description="The revoked token.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the token (organizationTokens).")

    @classmethod
    def perform(cls, info, viewer, id):
        token = get_visible(ApiToken, viewer, id, "ApiToken", "id")
        return cls(token=people.revoke_token(viewer, token), errors=[])


class CreateMyToken(PeopleMutation):
    """Create an API token for yourself (e.g. signed in to /graphql/ after accepting an invitation). The token is
    returned once and never shown again."""

    token = graphene.Field(ApiTokenType, description="The stored token (its prefix, not its secret).")
    secret = graphene.String(description="The token to send as 'Authorization: Bearer <secret>'; shown only now.")

    class Arguments:
        name = graphene.String(required=True, description="A label to recognise the token by (1–100 characters).")

    class Meta:
        permissions = (Permission.READ,)

    @classmethod
    def perform(cls, info, viewer, name):
        token, raw = people.issue_token(viewer, viewer.user, name)
        return cls(token=token, secret=raw, errors=[])


class PeopleMutations(graphene.ObjectType):
    invite_member = InviteMember.Field(description=InviteMember.__doc__)
    change_member_role = ChangeMemberRole.Field(description=ChangeMemberRole.__doc__)
    deactivate_member = DeactivateMember.Field(description=DeactivateMember.__doc__)
    reactivate_member = ReactivateMember.Field(description=ReactivateMember.__doc__)
    revoke_token = RevokeToken.Field(description=RevokeToken.__doc__)
    create_my_token = CreateMyToken.Field(description=CreateMyToken.__doc__)
