"""Accounts (admins only): add people who can log in, change a role, disable or enable, put
people in classes, make a one-time link that sets a new password, and forget a person."""

from __future__ import annotations

import streamlit as st

from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.links import Links
from trainer.store.db.schema import ROLES
from trainer.ui.common import table, user_errors
from trainer.ui.jobs import forget_person
from trainer.ui.login import logins, scope


def page() -> None:
    seen = scope()  # nothing of this page before a login
    st.title("Accounts")
    st.caption(
        "Who can log in: add people, set their role and classes, disable an account, make "
        "a link that sets a new password, or forget a person and all kept of them."
    )
    if not seen.actor.is_admin:
        st.info("Only an admin manages accounts and classes.", icon=":material/lock:")
        return
    with user_errors():
        if done := st.session_state.pop("accounts-forgotten", None):
            st.success(done, icon=":material/delete:")
        accounts = seen.accounts()
        listed = accounts.list()
        table(
            [
                {
                    "name": a.name,
                    "role": a.role,
                    "classes": ", ".join(accounts.classes_of(a.name)),
                    "e-mail": a.email,
                    "can log in": not a.disabled and (a.has_password or a.email is not None),
                    "disabled": a.disabled,
                }
                for a in listed
            ],
        )
        left, right = st.columns(2)
        with left:
            _add(accounts)
            _add_class(accounts)
        with right:
            if listed:
                _manage(accounts, [a.name for a in listed])


def _add(accounts: Accounts) -> None:
    with st.form("accounts-add", clear_on_submit=True, border=True):
        st.markdown("**Add an account**")
        name = st.text_input("Name", key="accounts-name")
        role = st.selectbox("Role", ROLES, key="accounts-role")
        password = st.text_input("Password (8 or more)", type="password", key="accounts-pw")
        email = st.text_input(
            "E-mail, to log in through the school's identity provider",
            key="accounts-email",
            help="With an e-mail the password may stay empty: they log in only there.",
        )
        classes = st.multiselect(
            "Classes", [c for c, _ in accounts.list_classes()], key="accounts-classes"
        )
        if st.form_submit_button("Add", icon=":material/person_add:"):
            made = accounts.add(
                name, role, password=password if password or not email else None, email=email
            )
            for class_name in classes:
                accounts.join(class_name, made.name)
            st.success("Added.", icon=":material/check_circle:")
            st.rerun()


def _add_class(accounts: Accounts) -> None:
    with st.form("accounts-class", clear_on_submit=True, border=True):
        st.markdown("**Add a class**")
        name = st.text_input("Class name", key="accounts-class-name")
        if st.form_submit_button("Add the class", icon=":material/group_add:"):
            accounts.add_class(name)
            st.rerun()


def _manage(accounts: Accounts, names: list[str]) -> None:
    with st.container(border=True):
        st.markdown("**Change an account**")
        name = st.selectbox("Account", names, key="accounts-manage")
        found = accounts.get(name)
        role = st.selectbox("Role", ROLES, index=ROLES.index(found.role), key=f"role-{name}")
        if role != found.role and st.button("Change the role", key="accounts-set-role"):
            accounts.set_role(name, role)  # ends their logins: the new role from the next one
            st.rerun()
        every = [c for c, _ in accounts.list_classes()]
        now = accounts.classes_of(name)
        wanted = st.multiselect("Classes", every, default=now, key=f"classes-{name}")
        if set(wanted) != set(now) and st.button("Save the classes", key="accounts-classes-save"):
            for class_name in set(wanted) - set(now):
                accounts.join(class_name, name)
            for class_name in set(now) - set(wanted):
                accounts.leave(class_name, name)
            st.rerun()
        label = "Enable" if found.disabled else "Disable"
        if st.button(label, key="accounts-disable"):
            accounts.set_disabled(name, not found.disabled)
            st.rerun()
        if st.button("Make a password reset link", key="accounts-reset"):
            token = Links(logins()).reset(name)
            st.caption("Give this link to them (good once, for 24 hours):")
            st.code(f"{st.context.url.split('/accounts')[0]}/account/reset?t={token}")
        _forget(name)


def _forget(name: str) -> None:
    """Erase the chosen person, once their name is typed again (it cannot be undone)."""
    with st.expander("Forget this person"):
        st.caption(
            "Removes the account and everything kept of them: attempts, references made from "
            "them, guided sessions, review jobs, kept and annotated videos. It cannot be "
            "undone; `trainer export --person` gives them a copy first."
        )
        typed = st.text_input("Type their name to confirm", key=f"forget-{name}")
        if st.button("Forget them", key="accounts-forget", disabled=typed != name):
            erased = forget_person(name)
            st.session_state["accounts-forgotten"] = (
                f"Forgot {name}: {erased.attempts} attempts, {erased.jobs} review jobs, "
                f"{erased.sessions} guided sessions and {len(erased.files)} files."
            )
            st.rerun()
