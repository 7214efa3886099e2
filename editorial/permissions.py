"""Who may delete images and documents: only groups given the explicit delete permission.

Wagtail's collection ownership policy treats "delete" as "change" and lets anyone who may add
images or documents delete the ones they uploaded, so Editors (add and change, no delete) could
delete any image or document, live pages' included. Here deleting needs the `delete_image` or
`delete_document` permission on the collection (Moderators and Administrators have it); adding,
changing and choosing keep Wagtail's rules.
"""

from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy


class ExplicitDeletePermissionPolicy(CollectionOwnershipPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return self._check_perm(user, ["delete"])
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = [action for action in actions if action != "delete"]
        if "delete" in actions and self._check_perm(
            user, ["delete"], collection=instance.collection
        ):
            return True
        return bool(others) and super().user_has_any_permission_for_instance(user, others, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        others = [action for action in actions if action != "delete"]
        instances = (
            super().instances_user_has_any_permission_for(user, others)
            if others
            else self.model._default_manager.none()
        )
        if "delete" in actions:
            if user.is_active and user.is_superuser:
                return self.model._default_manager.all()
            deletable = self.model._default_manager.filter(
                collection__in=self._collections_with_perm(user, ["delete"])
            )
            instances = instances | deletable
        return instances

    def users_with_any_permission_for_instance(self, actions, instance):
        others = [action for action in actions if action != "delete"]
        users = (
            super().users_with_any_permission_for_instance(others, instance)
            if others
            else self._users_with_perm(["delete"], collection=instance.collection)
        )
        if "delete" in actions and others:
            users = users | self._users_with_perm(["delete"], collection=instance.collection)
        return users.distinct()
