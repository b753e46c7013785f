"""The bot's features, one folder each; every folder is a discord.py extension."""

FEATURES = (
    "bot.exts.learning",
    "bot.exts.submit",
    "bot.exts.account",
    "bot.exts.moderation",
    "bot.exts.daily",
)
