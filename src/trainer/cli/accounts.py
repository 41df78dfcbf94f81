"""Accounts and classes from the command line, the operator's tool on the machine (it has the
database anyway): `trainer users add|list|disable|enable|passwd|role|email|reset-link` and
`trainer classes add|list|members|join|leave`.

A password is read from standard input (--password-stdin) or typed without echo; it is never
an argument, which other users of the machine could see in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from trainer.cli.printing import print_table
from trainer.core.base.errors import AccountError
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.links import Links
from trainer.store.accounts.logins import Logins
from trainer.store.db.schema import ROLES
from trainer.store.store import Store


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("no terminal to type the password in: pass --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _cmd_users(args: argparse.Namespace) -> int:
    with Store.open() as store:
        accounts = Accounts(store)
        if args.action == "list":
            _list_users(accounts)
            return 0
        name = _one_name(args)
        if args.action == "add":
            password = _password(args) if args.password_stdin or not args.email else None
            accounts.add(name, args.role or "student", password=password, email=args.email)
            for class_name in args.class_name or []:
                accounts.join(class_name, name)
            print(f"{name}: {args.role or 'student'}")
        elif args.action in ("disable", "enable"):
            accounts.set_disabled(name, args.action == "disable")
            print(f"{name}: {args.action}d")
        elif args.action == "passwd":
            accounts.set_password(name, _password(args))
            print(f"{name}: new password; every login of theirs has ended")
        elif args.action == "role":
            if args.role is None:
                raise AccountError("trainer users role NAME --role ROLE")
            accounts.set_role(name, args.role)
            print(f"{name}: {args.role}")
        elif args.action == "email":
            # The address an identity provider's login maps to this account; none: no such login.
            accounts.set_email(name, args.email)
            print(f"{name}: {'an' if args.email else 'no'} e-mail for the provider's login")
        elif args.action == "reset-link":
            token = Links(Logins(store)).reset(name)
            print(f"/account/reset?t={token}  (open on the app's address; good once, 24 h)")
    return 0


def _one_name(args: argparse.Namespace) -> str:
    if not args.name:
        raise AccountError(f"trainer users {args.action} needs the account's NAME")
    return args.name


def _list_users(accounts: Accounts) -> None:
    """Every account: role, e-mail, classes and whether it can log in."""
    rows = []
    for a in accounts.list():
        login = a.has_password or a.email is not None
        state = "disabled" if a.disabled else ("can log in" if login else "no login yet")
        rows.append((a.name, a.role, a.email, ", ".join(accounts.classes_of(a.name)), state))
    print_table(("name", "role", "e-mail", "classes", "login"), rows)


def _cmd_classes(args: argparse.Namespace) -> int:
    with Store.open() as store:
        accounts = Accounts(store)
        if args.action == "list":
            for name, members in accounts.list_classes():
                print(f"{name}\t{members} member{'s' * (members != 1)}")
            return 0
        if not args.name:
            raise AccountError(f"trainer classes {args.action} needs the class's NAME")
        if args.action == "add":
            accounts.add_class(args.name)
            print(f"class {args.name}")
        elif args.action == "members":
            for a in accounts.members(args.name):
                print(f"{a.name}\t{a.role}")
        else:
            for person in args.people:
                (accounts.join if args.action == "join" else accounts.leave)(args.name, person)
                print(f"{person}: {args.action} {args.name}")
    return 0


def _add_users(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="accounts: add, list, disable, enable, passwd, role, email")
    p.add_argument(
        "action",
        choices=["add", "list", "disable", "enable", "passwd", "role", "email", "reset-link"],
    )
    p.add_argument("name", nargs="?", help="the account's name")
    p.add_argument("--role", choices=ROLES, help="student (default), instructor or admin")
    p.add_argument(
        "--class", dest="class_name", action="append", metavar="C", help="put them in class C"
    )
    p.add_argument(
        "--email", help="the e-mail the school's identity provider vouches for (docs/accounts.md)"
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    p.set_defaults(func=_cmd_users)


def _add_classes(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classes", help="classes: add, list, members, join, leave")
    p.add_argument("action", choices=["add", "list", "members", "join", "leave"])
    p.add_argument("name", nargs="?", help="the class's name")
    p.add_argument("people", nargs="*", help="for join and leave: the accounts' names")
    p.set_defaults(func=_cmd_classes)


COMMANDS = (_add_users, _add_classes)
