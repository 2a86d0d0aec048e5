"""Everything that knows the Bot Framework SDK (botbuilder, botframework, msrest): what Teams sends
in, and how what the panel decides goes back out. Nothing else in the bot imports the SDK."""
