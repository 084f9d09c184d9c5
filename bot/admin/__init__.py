"""The staff admin page: edit red-flag indicators, try patterns, publish, roll back, see trends.

``bot.admin.server.start_admin(host, port)`` serves it (the stack starts it on ``ADMIN_PORT``);
accounts are made with ``python -m bot admin add-user NAME --role editor|publisher``.
"""
