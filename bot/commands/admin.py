"""``python -m bot admin``: staff accounts of the admin page.

``add-user NAME --role editor|publisher`` prints a single-use invitation link (valid 72 h) with
which the person sets their own password; ``--password-stdin`` sets the password read from
standard input instead (for scripts). Running it for an existing name changes the role and
issues a new invitation (a password reset). Redis: ``REDIS_URL``, else the embedded Redis of a
stack running from this checkout (``bot.redis_server.target_from_env``).
"""

from __future__ import annotations

import argparse
import sys

from bot import settings, storage


def _auth():  # -> bot.admin.auth.Auth (imported lazily: the CLI stays fast)
    from bot.admin.auth import Auth
    from bot.redis_server import EMBEDDED_URL_FILE, reachable_target_from_env

    if not (storage.configured() or EMBEDDED_URL_FILE.exists()):
        print("note: no REDIS_URL and no running stack found; trying redis://127.0.0.1:6379/0",
              file=sys.stderr)
    return Auth(storage.client("staff", reachable_target_from_env()))


def admin_url() -> str:
    base = settings.text("ADMIN_PUBLIC_URL").rstrip("/")
    return base or f"http://localhost:{settings.text('ADMIN_PORT')}"


def _add_user(args: argparse.Namespace) -> int:
    from bot.admin.auth import AuthError

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        auth = _auth()
        existed = auth.get_user(args.name) is not None
        token = auth.add_user(args.name, args.role, password)
    except AuthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    name = args.name.strip().lower()
    what = "updated" if existed else "added"
    if token is None:
        print(f"{name}: {what} as {args.role}, password set.")
    else:
        print(f"{name}: {what} as {args.role}. Send them this single-use link (valid 72 hours) "
              "to set their password:")
        print(f"{admin_url()}/invite/{token}")
    return 0


def _remove_user(args: argparse.Namespace) -> int:
    removed = _auth().remove_user(args.name)
    print(f"{args.name}: {'removed' if removed else 'no such account'}")
    return 0 if removed else 1


def _list_users(args: argparse.Namespace) -> int:
    for user in _auth().users():
        print(f"{user['name']}\t{user['role']}\t{user['active']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from bot.commands.processes import serve_admin

    parser = subparsers.add_parser(
        "admin",
        help="the staff admin page alone (port ADMIN_PORT), or an account ACTION",
        description="Without an ACTION: serve the staff admin page alone (port ADMIN_PORT).",
    )
    parser.set_defaults(func=serve_admin)
    commands = parser.add_subparsers(dest="admin_command", metavar="ACTION")
    add = commands.add_parser("add-user", help="add a staff account (prints an invitation link)")
    add.add_argument("name", help="2-32 characters: a-z 0-9 . _ -")
    add.add_argument("--role", choices=("editor", "publisher"), required=True,
                     help="editor: edit drafts and try patterns; publisher: also publish")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input instead of an invitation")
    add.set_defaults(func=_add_user)
    remove = commands.add_parser("remove-user", help="delete an account and its sessions")
    remove.add_argument("name")
    remove.set_defaults(func=_remove_user)
    listing = commands.add_parser("list-users", help="names, roles, invited or active")
    listing.set_defaults(func=_list_users)
