"""The codestreak domain: settings, models, content, the submission flow and gamification.

Nothing here imports discord or fastapi; the bot and the site are thin adapters over this package.
"""
