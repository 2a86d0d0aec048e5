"""The bot: what Teams sends in (bot/teams, the only place that knows the Bot Framework SDK), what
the panel does about it (the flows), and what goes back out (views, replies, plain Outgoing messages)."""
