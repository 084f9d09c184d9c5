"""Telegram: :mod:`.input` (updates → events, pure), :mod:`.output` (rendering), :mod:`.api`
(the one sender and what its errors mean), :mod:`.channel` (the webhook, run by the gateway)."""
