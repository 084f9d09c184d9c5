"""Messenger: :mod:`.input` (webhook bodies → events, pure), :mod:`.output` (rendering), :mod:`.api`
(the Send API and what its errors mean), :mod:`.channel` (the webhook, run by the gateway)."""
